//! Warning classes with apparmor_parser's names (`apparmor_parser
//! --help=warn`), and which are shown or turned into errors.
//!
//! Semantics, as apparmor_parser 4.1 behaves (checked by running it):
//! - shown by default: `config`, `cache`, `jobs`, `unexpected`, `override`;
//! - `--warn=CLASS` shows a class, `--warn=no-CLASS` hides it, `all` /
//!   `no-all` stand for every class, `dev` for every class but `config`,
//!   `cache` and `jobs`; settings apply in order;
//! - `--Werror` (every class) or `--Werror=CLASS` makes a warning of that
//!   class an error *whether or not it is shown*; apparmor_parser then fails
//!   without saying why, aaprof reports it as an error.

use super::{Code, Diagnostic, Severity};
use std::collections::BTreeSet;
use std::fmt;
use thiserror::Error;

/// One apparmor_parser warning class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WarnClass {
    RuleNotEnforced,
    RuleDowngraded,
    Abi,
    Deprecated,
    Config,
    Cache,
    DebugCache,
    Jobs,
    Dangerous,
    Unexpected,
    Format,
    Missing,
    Override,
    Dev,
    PoundInclude,
}

/// `(class, name, help)` in apparmor_parser's `--help=warn` order.
const CLASSES: &[(WarnClass, &str, &str)] = &[
    (
        WarnClass::RuleNotEnforced,
        "rule-not-enforced",
        "warn if a rule is not enforced",
    ),
    (
        WarnClass::RuleDowngraded,
        "rule-downgraded",
        "warn if a rule is downgraded to a lesser but still enforcing rule",
    ),
    (
        WarnClass::Abi,
        "abi",
        "warn if there are abi issues in the profile",
    ),
    (
        WarnClass::Deprecated,
        "deprecated",
        "warn if something in the profile is deprecated",
    ),
    (WarnClass::Config, "config", "enable configuration warnings"),
    (WarnClass::Cache, "cache", "enable regular cache warnings"),
    (
        WarnClass::DebugCache,
        "debug-cache",
        "enable warnings for debug cache file checks",
    ),
    (WarnClass::Jobs, "jobs", "enable job control warnings"),
    (
        WarnClass::Dangerous,
        "dangerous",
        "warn on dangerous policy",
    ),
    (
        WarnClass::Unexpected,
        "unexpected",
        "warn when an unexpected condition is found",
    ),
    (
        WarnClass::Format,
        "format",
        "warn on unnecessary or confusing formatting",
    ),
    (
        WarnClass::Missing,
        "missing",
        "warn when missing qualifier and a default is used",
    ),
    (WarnClass::Override, "override", "warn when overriding"),
    (
        WarnClass::Dev,
        "dev",
        "turn on warnings that are useful for profile development",
    ),
    (
        WarnClass::PoundInclude,
        "pound-include",
        "warn when #include is used",
    ),
];

/// Classes apparmor_parser shows when nothing is said.
const DEFAULT_SHOWN: &[WarnClass] = &[
    WarnClass::Config,
    WarnClass::Cache,
    WarnClass::Jobs,
    WarnClass::Unexpected,
    WarnClass::Override,
];

impl WarnClass {
    /// Every class, in `--help=warn` order.
    pub fn all() -> impl Iterator<Item = WarnClass> {
        CLASSES.iter().map(|c| c.0)
    }

    /// apparmor_parser's name, `rule-not-enforced`.
    pub fn name(self) -> &'static str {
        CLASSES.iter().find(|c| c.0 == self).map_or("", |c| c.1)
    }

    /// apparmor_parser's one-line help.
    pub fn help(self) -> &'static str {
        CLASSES.iter().find(|c| c.0 == self).map_or("", |c| c.2)
    }

    /// The class of a name (`all` is not a class: see [`WarnSettings::warn`]).
    pub fn from_name(name: &str) -> Option<WarnClass> {
        CLASSES.iter().find(|c| c.1 == name).map(|c| c.0)
    }
}

impl fmt::Display for WarnClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--warn` / `--Werror` value naming no class.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("unknown warning class `{0}` (one of: {list}, all)", list = class_list())]
pub struct UnknownClass(pub String);

fn class_list() -> String {
    WarnClass::all()
        .map(WarnClass::name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which warning classes are shown and which are errors. Errors are never
/// affected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarnSettings {
    shown: BTreeSet<WarnClass>,
    errors: BTreeSet<WarnClass>,
}

impl Default for WarnSettings {
    fn default() -> Self {
        WarnSettings {
            shown: DEFAULT_SHOWN.iter().copied().collect(),
            errors: BTreeSet::new(),
        }
    }
}

impl WarnSettings {
    /// Applies one `--warn` value: `CLASS`, `no-CLASS`, `all`, `no-all`.
    pub fn warn(&mut self, value: &str) -> Result<(), UnknownClass> {
        let (on, name) = match value.strip_prefix("no-") {
            Some(name) => (false, name),
            None => (true, value),
        };
        let classes = parse_classes(name)?;
        for class in classes {
            if on {
                self.shown.insert(class);
            } else {
                self.shown.remove(&class);
            }
        }
        Ok(())
    }

    /// Applies one `--Werror` (`None`: every class) or `--Werror=CLASS`.
    pub fn werror(&mut self, value: Option<&str>) -> Result<(), UnknownClass> {
        let classes = match value {
            None => WarnClass::all().collect(),
            Some(name) => parse_classes(name)?,
        };
        self.errors.extend(classes);
        Ok(())
    }

    /// `-q`: show no warning (errors under `--Werror` still count).
    pub fn quiet(&mut self) {
        self.shown.clear();
    }

    /// Whether a class is shown.
    pub fn shows(&self, class: WarnClass) -> bool {
        self.shown.contains(&class)
    }

    /// Whether a class is an error.
    pub fn is_error(&self, class: WarnClass) -> bool {
        self.errors.contains(&class)
    }

    /// The shown classes, as apparmor_parser's `--warn=show` lists them.
    pub fn shown_names(&self) -> Vec<&'static str> {
        WarnClass::all()
            .filter(|c| self.shows(*c))
            .map(WarnClass::name)
            .collect()
    }

    /// Applies the settings: warnings of an error class become errors,
    /// warnings of a hidden class are dropped, everything else is kept.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if d.severity != Severity::Warning {
                    return Some(d);
                }
                // Lint findings belong to no class: always kept.
                let Some(class) = Code::from_name(d.code).warn_class() else {
                    return Some(d);
                };
                if self.is_error(class) {
                    d.severity = Severity::Error;
                    return Some(d);
                }
                self.shows(class).then_some(d)
            })
            .collect()
    }
}

/// The classes `--warn=NAME` stands for: every class for `all`; for `dev`
/// every class but `config`, `cache` and `jobs` (apparmor_parser's profile
/// development set, checked against its `--warn=show`); else one class.
fn parse_classes(name: &str) -> Result<Vec<WarnClass>, UnknownClass> {
    match name {
        "all" => return Ok(WarnClass::all().collect()),
        "dev" => {
            let operational = [WarnClass::Config, WarnClass::Cache, WarnClass::Jobs];
            return Ok(WarnClass::all()
                .filter(|c| !operational.contains(c))
                .collect());
        }
        _ => {}
    }
    WarnClass::from_name(name)
        .map(|c| vec![c])
        .ok_or_else(|| UnknownClass(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(code: &'static str) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, "m", None)
        }
    }

    #[test]
    fn defaults_match_apparmor_parser() {
        let s = WarnSettings::default();
        assert_eq!(
            s.shown_names(),
            ["config", "cache", "jobs", "unexpected", "override"]
        );
    }

    #[test]
    fn warn_and_no_warn_apply_in_order() {
        let mut s = WarnSettings::default();
        s.warn("all").unwrap();
        s.warn("no-cache").unwrap();
        assert!(s.shows(WarnClass::Abi) && !s.shows(WarnClass::Cache));
        s.warn("no-all").unwrap();
        assert!(s.shown_names().is_empty());
        assert_eq!(s.warn("bogus"), Err(UnknownClass("bogus".into())));
        assert!(s.warn("no-bogus").is_err());
        s.warn("dev").unwrap();
        assert!(s.shows(WarnClass::RuleNotEnforced) && s.shows(WarnClass::Dev));
        assert!(!s.shows(WarnClass::Config) && !s.shows(WarnClass::Jobs));
    }

    #[test]
    fn apply_hides_promotes_and_keeps() {
        let mut s = WarnSettings::default();
        let input = vec![
            warning("rule-not-enforced"),
            warning("include-cycle"),
            Diagnostic::error("rule", "e", None),
        ];
        let out = s.apply(input.clone());
        let codes: Vec<_> = out.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["include-cycle", "rule"]);
        s.werror(Some("rule-not-enforced")).unwrap();
        let out = s.apply(input.clone());
        assert_eq!(out[0].code, "rule-not-enforced");
        assert!(out[0].is_error());
        assert!(!out[1].is_error());
        s.quiet();
        s.werror(None).unwrap();
        assert!(s.apply(input).iter().all(Diagnostic::is_error));
    }
}
