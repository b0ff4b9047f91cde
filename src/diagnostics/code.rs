//! Stable diagnostic codes: `AA1xxx` for errors, `AA2xxx` for warnings.
//!
//! A diagnostic is raised with a short name (`"rule"`, `"include-cycle"`,
//! the `code` field of [`super::Diagnostic`]); this table gives each name
//! its number, its default severity, its warning class and a one-line
//! summary. Numbers are never reused or renumbered: CI configurations and
//! SARIF baselines refer to them. Every code is documented, with an
//! example, in `docs/diagnostics.md` (a test checks this).

use super::warn::WarnClass;

/// One stable diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    Syntax,
    Include,
    IncludeDepth,
    Abi,
    Variable,
    Boolean,
    Condition,
    Alias,
    OutsideProfile,
    Profile,
    DuplicateProfile,
    Rule,
    Conflict,
    Features,
    Compile,
    Io,
    IncludeCycle,
    RuleNotEnforced,
    AbiMissing,
    MissingLocalInclude,
    RuleShadowed,
    RuleRedundant,
    UnconfinedExec,
    WriteExec,
    UnusedVariable,
    IncludeEmpty,
    LintComment,
    /// A name no table row knows (a programming error caught by tests;
    /// reported as a generic error rather than panicking).
    Unknown,
}

/// `(code, number, name, summary)`, one row per code, in number order.
const TABLE: &[(Code, u16, &str, &str)] = &[
    (Code::Syntax, 1001, "syntax", "the text does not parse"),
    (
        Code::Include,
        1002,
        "include",
        "an include names no file in the search path, or it cannot be read",
    ),
    (
        Code::IncludeDepth,
        1003,
        "include-depth",
        "includes nested deeper than 64 levels",
    ),
    (
        Code::Abi,
        1004,
        "abi",
        "the file an `abi` rule names does not exist",
    ),
    (
        Code::Variable,
        1005,
        "variable",
        "a bad variable assignment",
    ),
    (
        Code::Boolean,
        1006,
        "boolean",
        "an undefined, redefined or misplaced boolean",
    ),
    (
        Code::Condition,
        1007,
        "condition",
        "a malformed `if` condition",
    ),
    (
        Code::Alias,
        1008,
        "alias",
        "an alias inside a profile, or with relative paths",
    ),
    (
        Code::OutsideProfile,
        1009,
        "outside-profile",
        "a rule outside any profile",
    ),
    (Code::Profile, 1010, "profile", "a bad profile header"),
    (
        Code::DuplicateProfile,
        1011,
        "duplicate-profile",
        "two profiles or hats with the same name at one level",
    ),
    (
        Code::Rule,
        1012,
        "rule",
        "a rule apparmor_parser rejects before building DFAs",
    ),
    (
        Code::Conflict,
        1013,
        "conflict",
        "rules giving one path different exec transitions",
    ),
    (
        Code::Features,
        1014,
        "features",
        "the kernel or policy features needed for a file cannot be loaded",
    ),
    (
        Code::Compile,
        1015,
        "compile",
        "the back end cannot build the policy (DFA limits, conflicts found in the automaton)",
    ),
    (Code::Io, 1016, "io", "an input cannot be read"),
    (
        Code::IncludeCycle,
        2001,
        "include-cycle",
        "a file includes itself within one profile; the repeated include is skipped",
    ),
    (
        Code::RuleNotEnforced,
        2002,
        "rule-not-enforced",
        "rules of a class the target kernel does not mediate are dropped",
    ),
    (
        Code::AbiMissing,
        2003,
        "abi-missing",
        "a file without an `abi` rule falls back to the default policy ABI",
    ),
    (
        Code::MissingLocalInclude,
        3001,
        "missing-local-include",
        "a profile or sub-profile has no `include if exists <local/...>` for site changes",
    ),
    (
        Code::RuleShadowed,
        3002,
        "rule-shadowed",
        "every permission a rule grants is removed by `deny` rules (found on the automaton)",
    ),
    (
        Code::RuleRedundant,
        3003,
        "rule-redundant",
        "a rule changes nothing: other rules already give the same permissions everywhere it matches (found on the automaton)",
    ),
    (
        Code::UnconfinedExec,
        3004,
        "unconfined-exec",
        "an exec or change_profile rule can leave confinement (`ux`, `Ux`, `pux`, `cux`, `-> unconfined`)",
    ),
    (
        Code::WriteExec,
        3005,
        "write-exec",
        "some path may be both written and executed (found on the automaton)",
    ),
    (
        Code::UnusedVariable,
        3006,
        "unused-variable",
        "a variable defined in the file is never used",
    ),
    (
        Code::IncludeEmpty,
        3007,
        "include-empty",
        "an include resolves to nothing: `include if exists` finding no file, or an empty file or directory",
    ),
    (
        Code::LintComment,
        3008,
        "lint-comment",
        "an `aaprof-lint:` comment that aaprof cannot read (unknown code or directive)",
    ),
    (Code::Unknown, 1999, "unknown", "an unclassified error"),
];

impl Code {
    /// Every code, in number order.
    pub fn all() -> impl Iterator<Item = Code> {
        TABLE.iter().map(|row| row.0)
    }

    /// The code of a diagnostic name; [`Code::Unknown`] for a name no row
    /// knows.
    pub fn from_name(name: &str) -> Code {
        TABLE
            .iter()
            .find(|row| row.2 == name)
            .map_or(Code::Unknown, |row| row.0)
    }

    fn row(self) -> &'static (Code, u16, &'static str, &'static str) {
        TABLE
            .iter()
            .find(|row| row.0 == self)
            .unwrap_or(&TABLE[TABLE.len() - 1])
    }

    /// The stable identifier, `AA1012`.
    pub fn id(self) -> String {
        format!("AA{}", self.row().1)
    }

    /// The short name diagnostics are raised with, `rule`.
    pub fn name(self) -> &'static str {
        self.row().2
    }

    /// One line saying what the code means.
    pub fn summary(self) -> &'static str {
        self.row().3
    }

    /// Warnings are `AA2xxx` (apparmor_parser's) and `AA3xxx` (`lint`
    /// findings); everything else is an error.
    pub fn is_warning(self) -> bool {
        matches!(self.row().1 / 1000, 2 | 3)
    }

    /// A finding of `aaprof lint` (`AA3xxx`), which no warning class
    /// governs.
    pub fn is_lint(self) -> bool {
        self.row().1 / 1000 == 3
    }

    /// The code named by a stable id (`AA3002`) or a name
    /// (`rule-shadowed`), as `aaprof-lint:` comments spell them.
    pub fn parse(text: &str) -> Option<Code> {
        TABLE
            .iter()
            .find(|row| row.2 == text || format!("AA{}", row.1).eq_ignore_ascii_case(text))
            .map(|row| row.0)
            .filter(|code| *code != Code::Unknown)
    }

    /// The apparmor_parser warning class governing this warning (`--warn`,
    /// `--Werror`); `None` for errors.
    pub fn warn_class(self) -> Option<WarnClass> {
        match self {
            // apparmor_parser accepts the cycle silently; aaprof tells,
            // under the class shown by default for surprising input.
            Code::IncludeCycle => Some(WarnClass::Unexpected),
            Code::RuleNotEnforced => Some(WarnClass::RuleNotEnforced),
            Code::AbiMissing => Some(WarnClass::Abi),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_round_trip() {
        let mut ids: Vec<String> = Code::all().map(Code::id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), TABLE.len());
        for code in Code::all() {
            assert_eq!(Code::from_name(code.name()), code);
            assert_eq!(
                code.is_warning() && !code.is_lint(),
                code.warn_class().is_some(),
                "{code:?}"
            );
        }
        assert_eq!(Code::from_name("rule").id(), "AA1012");
        assert_eq!(Code::from_name("no-such-name"), Code::Unknown);
        assert_eq!(Code::parse("AA3002"), Some(Code::RuleShadowed));
        assert_eq!(Code::parse("aa3002"), Some(Code::RuleShadowed));
        assert_eq!(Code::parse("write-exec"), Some(Code::WriteExec));
        assert_eq!(Code::parse("unknown"), None);
        assert!(Code::WriteExec.is_warning() && Code::WriteExec.is_lint());
        assert!(!Code::AbiMissing.is_lint());
    }

    /// `docs/diagnostics.md` has a section `#### AAnnnn `name`` for every
    /// code, so the list users read is complete.
    #[test]
    fn every_code_is_documented() {
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
        let text = std::fs::read_to_string(docs).unwrap();
        for code in Code::all() {
            let heading = format!("#### {} `{}`", code.id(), code.name());
            assert!(
                text.contains(&heading),
                "docs/diagnostics.md lacks `{heading}`"
            );
        }
    }

    /// Every name a diagnostic is raised with in `src/` has a row, so no
    /// diagnostic ever shows as `unknown`.
    #[test]
    fn every_name_raised_in_the_sources_is_known() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.ends_with("diagnostics/code.rs") {
                    continue; // this scanner's own examples
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for name in raised_names(&text) {
                    seen += 1;
                    assert_ne!(
                        Code::from_name(name),
                        Code::Unknown,
                        "{}: diagnostic name `{name}` has no code",
                        path.display()
                    );
                }
            }
        }
        assert!(
            seen > 20,
            "only {seen} raise sites found: the scan is broken"
        );
    }

    /// Names in `error("name"` and `code: "name"` (whitespace allowed).
    fn raised_names(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for opener in ["error(", "code: "] {
            for (at, _) in text.match_indices(opener) {
                let rest = text[at + opener.len()..].trim_start();
                if let Some(rest) = rest.strip_prefix('"')
                    && let Some(end) = rest.find('"')
                {
                    let name = &rest[..end];
                    if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    {
                        out.push(name);
                    }
                }
            }
        }
        out
    }
}
