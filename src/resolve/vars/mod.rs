//! Set variables (`@{name}`), booleans (`${name}`) and their expansion.

mod reference;

use crate::syntax::VarOp;
use reference::{RuleReference, first_reference, rule_reference, value_reference};
use std::collections::{BTreeSet, HashMap, VecDeque};
use thiserror::Error;

/// Why a variable assignment or expansion failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VarError {
    #[error("variable @{{{0}}} is not defined")]
    Undefined(String),
    #[error("variable {0} was previously declared")]
    Redefined(String),
    #[error(
        "variable @{{{0}}} was not previously declared, but is being assigned additional values"
    )]
    AppendUndefined(String),
    #[error("variable @{{{0}}} is a boolean, not a set variable")]
    NotASet(String),
    #[error("+= is not allowed with boolean variables")]
    AppendBool(String),
    #[error("variable @{{{0}}} refers to itself")]
    Recursive(String),
    #[error("invalid variable name `{0}`")]
    BadName(String),
    #[error("boolean ${{{0}}} is not defined")]
    UndefinedBool(String),
    #[error("variable ${{{0}}} is a set variable, not a boolean")]
    NotABool(String),
    #[error("variable @{{{0}}} has no value")]
    Empty(String),
    #[error("variable `{0}` must start with a letter")]
    BadStart(String),
    #[error("variable `{0}` contains characters other than letters, digits and `_`")]
    BadChars(String),
    /// The bound on expansion size (issue 7): values multiply out through
    /// nested references (`@{B} = @{A}@{A}@{A}`), so a few lines can
    /// denote more strings than memory holds.
    #[error(
        "variable @{{{name}}} expands to more than {MAX_EXPANSION_VALUES} values or {MAX_EXPANSION_BYTES} bytes"
    )]
    TooLarge { name: String },
}

/// An expansion that failed, with the values it had found before the
/// failure (5.0.2 keeps them: see [`VarTable::values`]).
#[derive(Debug)]
struct Stopped {
    error: VarError,
    before: Vec<String>,
}

impl From<VarError> for Stopped {
    fn from(error: VarError) -> Self {
        Stopped {
            error,
            before: Vec::new(),
        }
    }
}

/// At most this many strings come out of expanding one variable.
pub const MAX_EXPANSION_VALUES: usize = 1 << 16;
/// At most this many bytes, summed over the strings of one expansion.
pub const MAX_EXPANSION_BYTES: usize = 16 << 20;

/// What a name stands for. Set variables (`@{N}`) and booleans (`${N}`)
/// share one namespace in apparmor_parser 5.0.2: `@{A} = x` then
/// `${A} = true` redefines `A`.
#[derive(Debug, Clone)]
enum Symbol {
    Set(Vec<String>),
    Bool(bool),
}

/// Variables and booleans defined so far:
/// `=` defines a new name, `+=` extends a set, `?=` defines only a new
/// name, `:=` replaces whatever the name was.
#[derive(Debug, Clone, Default)]
pub struct VarTable {
    symbols: HashMap<String, Symbol>,
    /// Expansions already computed for a condition, kept as they were:
    /// apparmor_parser expands a variable once and reuses that, so a
    /// `+=` after a boolean assignment compared the variable (or one it
    /// refers to) does not show in it. `:=` starts the name afresh.
    frozen: HashMap<String, Vec<String>>,
}

impl VarTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `@{name} OP values`.
    pub fn assign(&mut self, name: &str, op: VarOp, values: Vec<String>) -> Result<(), VarError> {
        if !valid_name(name) {
            return Err(VarError::BadName(name.to_string()));
        }
        match (op, self.symbols.get_mut(name)) {
            (VarOp::Append, Some(Symbol::Set(v))) => {
                v.extend(values);
                Ok(())
            }
            (VarOp::Append, Some(Symbol::Bool(_))) => Err(VarError::NotASet(name.to_string())),
            (VarOp::Append, None) => Err(VarError::AppendUndefined(name.to_string())),
            (VarOp::Set, Some(_)) => Err(VarError::Redefined(format!("@{{{name}}}"))),
            (VarOp::SetDefault, Some(_)) => Ok(()),
            (VarOp::Set | VarOp::SetDefault | VarOp::Override, _) => {
                self.frozen.remove(name);
                self.symbols.insert(name.to_string(), Symbol::Set(values));
                Ok(())
            }
        }
    }

    /// Applies `${name} OP value`, the value already evaluated.
    pub fn assign_bool(&mut self, name: &str, op: VarOp, value: bool) -> Result<(), VarError> {
        if !valid_name(name) {
            return Err(VarError::BadName(name.to_string()));
        }
        match (op, self.symbols.contains_key(name)) {
            (VarOp::Append, _) => Err(VarError::AppendBool(name.to_string())),
            (VarOp::Set, true) => Err(VarError::Redefined(format!("${{{name}}}"))),
            (VarOp::SetDefault, true) => Ok(()),
            _ => {
                self.frozen.remove(name);
                self.symbols.insert(name.to_string(), Symbol::Bool(value));
                Ok(())
            }
        }
    }

    pub fn bool_value(&self, name: &str) -> Result<bool, VarError> {
        match self.symbols.get(name) {
            Some(Symbol::Bool(b)) => Ok(*b),
            Some(Symbol::Set(_)) => Err(VarError::NotABool(name.to_string())),
            None => Err(VarError::UndefinedBool(name.to_string())),
        }
    }

    /// The names of every set variable (`@{name}`), in no order.
    pub fn set_names(&self) -> impl Iterator<Item = &str> {
        self.symbols
            .iter()
            .filter(|(_, s)| matches!(s, Symbol::Set(_)))
            .map(|(n, _)| n.as_str())
    }

    /// The names of every boolean (`${name}`), in no order.
    pub fn bool_names(&self) -> impl Iterator<Item = &str> {
        self.symbols
            .iter()
            .filter(|(_, s)| matches!(s, Symbol::Bool(_)))
            .map(|(n, _)| n.as_str())
    }

    /// Whether `name` is a set variable (`defined @{name}`).
    pub fn is_defined(&self, name: &str) -> bool {
        matches!(self.symbols.get(name), Some(Symbol::Set(_)))
    }

    /// Every value of a variable, fully expanded (each a plain string).
    ///
    /// An expansion that fails part-way keeps the values found before the
    /// failure, as 5.0.2 does (it reports the error and goes on): the
    /// values are expanded in byte order, so `@{V} = b @ @{UNDEFINED}`
    /// stands for `@` alone. It fails only when no value was found first
    /// (`@{V} = a @{UNDEFINED}`: `@{` sorts before `a`), or when the bound
    /// on expansion size is hit.
    pub fn values(&self, name: &str, locals: &Locals) -> Result<Vec<String>, VarError> {
        let mut seen = Vec::new();
        match self.values_inner(name, locals, &mut seen, &mut None) {
            Ok(values) => Ok(values),
            Err(stopped) if stopped.before.is_empty() => Err(stopped.error),
            Err(Stopped {
                error: error @ VarError::TooLarge { .. },
                ..
            }) => Err(error),
            Err(stopped) => Ok(stopped.before),
        }
    }

    /// [`Self::values`] for a condition: the expansion of the variable and
    /// of every variable it refers to is kept for later uses (see
    /// `frozen`). Any failure is an error here.
    pub fn values_for_condition(&mut self, name: &str) -> Result<Vec<String>, VarError> {
        let mut seen = Vec::new();
        let mut computed = Some(Vec::new());
        let values = self
            .values_inner(name, &Locals::new(), &mut seen, &mut computed)
            .map_err(|stopped| stopped.error)?;
        for (n, v) in computed.unwrap_or_default() {
            self.frozen.entry(n).or_insert(v);
        }
        Ok(values)
    }

    fn values_inner(
        &self,
        name: &str,
        locals: &Locals,
        seen: &mut Vec<String>,
        computed: &mut Option<Vec<(String, Vec<String>)>>,
    ) -> Result<Vec<String>, Stopped> {
        if seen.iter().any(|s| s == name) {
            return Err(VarError::Recursive(name.to_string()).into());
        }
        // A profile's own value of a predefined name wins over a user's
        // definition of it (apparmor_parser 5.0.2: `@{attach_path}=/path`
        // leaves `@{attach_path}` the attachment inside a profile that has
        // one, and `/path` elsewhere). The value may itself hold variables
        // (`profile @{bin}/foo`, even `profile @{attach_path}`); they name
        // the user's definitions, hence no locals when expanding it.
        if let Some(Some(value)) = locals.get(name) {
            return self.expand_values(std::slice::from_ref(value), &Locals::new(), seen, computed);
        }
        if let Some(values) = self.frozen.get(name) {
            return Ok(values.clone());
        }
        let raw = match self.symbols.get(name) {
            Some(Symbol::Set(v)) => v.clone(),
            Some(Symbol::Bool(_)) => return Err(VarError::NotASet(name.to_string()).into()),
            None => return Err(VarError::Undefined(name.to_string()).into()),
        };
        seen.push(name.to_string());
        let expanded = self.expand_values(&raw, locals, seen, computed);
        seen.pop();
        let out = expanded.map_err(|stopped| match stopped.error {
            VarError::TooLarge { .. } => Stopped::from(VarError::TooLarge {
                name: name.to_string(),
            }),
            _ => stopped,
        })?;
        if let Some(c) = computed {
            c.push((name.to_string(), out.clone()));
        }
        Ok(out)
    }

    /// Every string a variable's values denote.
    ///
    /// As 5.0.2 does, the values are a sorted set without duplicates,
    /// expanded in that order; each substitution goes to the end of the
    /// work list and is read again from the start, so text around a
    /// reference can form a new one with the value (`@{a,@{b}}` with `b` =
    /// `x` becomes the bad reference `@{a,x}`). The result is a sorted set
    /// too: `@{V} = b a b` expands to `{a,b}`, and `@{V} = home home` to
    /// plain `home`, which an `alias /home/ -> ...` rule then sees.
    fn expand_values(
        &self,
        raw: &[String],
        locals: &Locals,
        seen: &mut Vec<String>,
        computed: &mut Option<Vec<(String, Vec<String>)>>,
    ) -> Result<Vec<String>, Stopped> {
        let mut pending: VecDeque<String> = raw
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut pending_bytes: usize = pending.iter().map(String::len).sum();
        let mut done = BTreeSet::new();
        let mut known: HashMap<String, Vec<String>> = HashMap::new();
        while let Some(current) = pending.pop_front() {
            pending_bytes -= current.len();
            let Some(found) = first_reference(&current) else {
                done.insert(current);
                continue;
            };
            let stop = |error: VarError, done: &BTreeSet<String>| Stopped {
                error,
                before: done.iter().cloned().collect(),
            };
            let name = match value_reference(found.name) {
                Ok(name) => name,
                Err(error) => return Err(stop(error, &done)),
            };
            if !known.contains_key(name) {
                match self.values_inner(name, locals, seen, computed) {
                    Ok(values) => known.insert(name.to_string(), values),
                    Err(inner) => return Err(stop(inner.error, &done)),
                };
            }
            for value in &known[name] {
                let next = format!("{}{value}{}", found.before, found.after);
                pending_bytes += next.len();
                pending.push_back(next);
            }
            // Bounded as it grows: the product is what blows up.
            if done.len() + pending.len() > MAX_EXPANSION_VALUES
                || pending_bytes > MAX_EXPANSION_BYTES
            {
                return Err(VarError::TooLarge {
                    name: name.to_string(),
                }
                .into());
            }
        }
        Ok(done.into_iter().collect())
    }

    /// Expands every `@{name}` in a rule's string: one value is
    /// substituted, several become an AARE alternation `{a,b}`. As in 5.0.2,
    /// the scan starts again at the substituted text, never before it: a
    /// value `{1}` after `@` does not make a reference `@{1}`, but the
    /// alternation `{@{},a}` that a value `@{}` gives is read as the bad
    /// reference `@{},a}`. A reference with a comma in its name ends the
    /// expansion (see [`RuleReference::EndOfExpansion`]).
    pub fn expand_pattern(&self, text: &str, locals: &Locals) -> Result<String, VarError> {
        let mut done = String::with_capacity(text.len());
        let mut rest = text.to_string();
        while let Some(found) = first_reference(&rest) {
            let name = match rule_reference(found.name)? {
                RuleReference::Variable(name) => name,
                RuleReference::EndOfExpansion => break,
            };
            // A bound hit deep inside names the variable the rule uses.
            let values = self.values(name, locals).map_err(|e| match e {
                VarError::TooLarge { .. } => VarError::TooLarge {
                    name: name.to_string(),
                },
                other => other,
            })?;
            if values.is_empty() {
                return Err(VarError::Empty(name.to_string()));
            }
            done.push_str(found.before);
            let substituted = alternation(&values, &done, found.after);
            let next = format!("{substituted}{}", found.after);
            // Values hold no reference of their own, so each round takes
            // one away; the bound catches text that keeps forming new ones.
            if done.len() + next.len() > MAX_EXPANSION_BYTES {
                return Err(VarError::TooLarge {
                    name: name.to_string(),
                });
            }
            rest = next;
        }
        done.push_str(&rest);
        Ok(done)
    }
}

/// The values of a variable as they stand in a rule's string between
/// `before` and `after`: one value as it is, several as an alternation.
/// The values come as a sorted set (see `values_inner`), so the
/// alternation lists them in byte order, each once; the order shows in
/// pattern errors (`@{B}={a b` in `/x/@{B},d}` gives `/x/{b,{a},d}`,
/// whose `{a}` is an error).
///
/// The slash filter that collapses `//` cannot see across the braces of an
/// alternation, so 5.0.2 trims the values instead: every leading `/` when
/// the text before ends in `/` and is not only slashes (`/att/@{v}` with
/// `/etc/` gives `/att/etc/`; `//@{v}` keeps `//{/a,/b}`), every trailing
/// `/` when the text after starts with one (`@{etc_ro}/x` with `/etc/
/// /usr/etc/` gives `{/etc,/usr/etc}/x`). A value of slashes only may
/// become empty.
fn alternation(values: &[String], before: &str, after: &str) -> String {
    let trim_leading = before.ends_with('/') && before.bytes().any(|b| b != b'/');
    let trim_trailing = after.starts_with('/');
    let trimmed = values.iter().map(|value| {
        let mut value = value.as_str();
        if trim_leading {
            value = value.trim_start_matches('/');
        }
        if trim_trailing {
            value = value.trim_end_matches('/');
        }
        value
    });
    if values.len() == 1 {
        trimmed.collect()
    } else {
        format!("{{{}}}", trimmed.collect::<Vec<_>>().join(","))
    }
}

/// Per-profile predefined variables: `None` when the profile has no value
/// for it (e.g. `@{attach_path}` in a profile without attachment).
pub type Locals = HashMap<&'static str, Option<String>>;

/// Variable names: letters, digits and `_`, not starting with a digit.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> VarTable {
        let mut t = VarTable::new();
        t.assign("FOO", VarOp::Set, vec!["bar".into(), "baz".into()])
            .unwrap();
        t.assign("BAR", VarOp::Set, vec!["@{FOO}".into(), "blort".into()])
            .unwrap();
        t
    }

    #[test]
    fn values_drop_the_slash_they_would_double() {
        let mut vars = VarTable::new();
        vars.assign(
            "etc_ro",
            VarOp::Set,
            vec!["/etc/".into(), "/usr/etc/".into()],
        )
        .unwrap();
        let locals = Locals::new();
        assert_eq!(
            vars.expand_pattern("@{etc_ro}/ld.so.cache", &locals)
                .unwrap(),
            "{/etc,/usr/etc}/ld.so.cache"
        );
        assert_eq!(
            vars.expand_pattern("@{etc_ro}x", &locals).unwrap(),
            "{/etc/,/usr/etc/}x"
        );
        assert_eq!(
            vars.expand_pattern("/att/@{etc_ro}/x", &locals).unwrap(),
            "/att/{etc,usr/etc}/x"
        );
        assert_eq!(
            vars.expand_pattern("/@{etc_ro}/x", &locals).unwrap(),
            "/{/etc,/usr/etc}/x"
        );
    }

    #[test]
    fn references_follow_5_0_2s_name_rule() {
        let t = table();
        let l = Locals::new();
        // A comma before any other non-name character: a literal `@`.
        assert_eq!(t.expand_pattern("/@{FOO,x}", &l).unwrap(), "/@{FOO,x}");
        assert_eq!(t.expand_pattern("/@{FOO,x.y}", &l).unwrap(), "/@{FOO,x.y}");
        assert_eq!(t.expand_pattern("/@{}", &l).unwrap(), "/@{}");
        for bad in ["/@{1V}", "/@{_V}", "/@{,x}", "/@{1V,x}", "/a{b,@{9}}"] {
            assert!(
                matches!(t.expand_pattern(bad, &l), Err(VarError::BadStart(_))),
                "{bad}"
            );
        }
        for bad in ["/@{V.x}", "/@{V.x,y}", "/@{V*,x}", "/@{V-x}"] {
            assert!(
                matches!(t.expand_pattern(bad, &l), Err(VarError::BadChars(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn rules_scan_on_after_a_value_and_values_are_read_again() {
        let mut t = VarTable::new();
        let l = Locals::new();
        t.assign("v", VarOp::Set, vec!["{1}".into()]).unwrap();
        t.assign("a", VarOp::Set, vec!["z".into()]).unwrap();
        // In a rule `@` and the value `{1}` make no reference.
        assert_eq!(t.expand_pattern("/p/@@{v}", &l).unwrap(), "/p/@{1}");
        // A comma in a reference ends the expansion.
        assert_eq!(
            t.expand_pattern("@{a}@{a,x}@{zz}", &l).unwrap(),
            "z@{a,x}@{zz}"
        );
        // In a value the substitution is read again from the start.
        t.assign("W", VarOp::Set, vec!["x@@{v}".into()]).unwrap();
        assert!(matches!(t.values("W", &l), Err(VarError::BadStart(_))));
        t.assign("B", VarOp::Set, vec!["/x@{a,@{a}}".into()])
            .unwrap();
        assert!(matches!(t.values("B", &l), Err(VarError::BadChars(_))));
    }

    #[test]
    fn expands_sets_into_alternations() {
        let t = table();
        let l = Locals::new();
        assert_eq!(
            t.expand_pattern("/a/@{BAR}/x", &l).unwrap(),
            "/a/{bar,baz,blort}/x"
        );
        assert_eq!(t.expand_pattern("/a/\\@{BAR}", &l).unwrap(), "/a/\\@{BAR}");
    }

    #[test]
    fn sets_are_sorted_without_duplicates() {
        // 5.0.2: `@{V} = b a b` names profile `{a,b}`; `@{V} = home home`
        // is plain `home` (an alias on /home/ applies to it).
        let mut t = VarTable::new();
        let l = Locals::new();
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        t.assign("V", VarOp::Set, words(&["b", "a", "b"])).unwrap();
        t.assign("H", VarOp::Set, words(&["home", "home"])).unwrap();
        t.assign("W", VarOp::Set, words(&["d", "b"])).unwrap();
        t.assign("N", VarOp::Set, words(&["c", "@{W}"])).unwrap();
        assert_eq!(t.expand_pattern("x@{V}", &l).unwrap(), "x{a,b}");
        assert_eq!(t.expand_pattern("/@{H}/a", &l).unwrap(), "/home/a");
        assert_eq!(t.expand_pattern("@{N}", &l).unwrap(), "{b,c,d}");
    }

    #[test]
    fn assignment_rules() {
        let mut t = table();
        assert_eq!(
            t.assign("FOO", VarOp::Set, vec![]),
            Err(VarError::Redefined("@{FOO}".into()))
        );
        assert_eq!(
            t.assign("NEW", VarOp::Append, vec![]),
            Err(VarError::AppendUndefined("NEW".into()))
        );
        t.assign("FOO", VarOp::Append, vec!["x".into()]).unwrap();
        assert_eq!(
            t.values("FOO", &Locals::new()).unwrap(),
            ["bar", "baz", "x"]
        );
        // `:=` replaces, and the name stays open to `+=` and `:=`.
        t.assign("FOO", VarOp::Override, vec!["y".into()]).unwrap();
        t.assign("FOO", VarOp::Append, vec!["z".into()]).unwrap();
        t.assign("FOO", VarOp::Override, vec!["w".into()]).unwrap();
        assert_eq!(t.values("FOO", &Locals::new()).unwrap(), ["w"]);
        t.assign("FOO", VarOp::SetDefault, vec!["v".into()])
            .unwrap();
        assert_eq!(t.values("FOO", &Locals::new()).unwrap(), ["w"]);
    }

    #[test]
    fn sets_and_booleans_share_one_namespace() {
        let mut t = table();
        assert_eq!(
            t.assign_bool("FOO", VarOp::Set, true),
            Err(VarError::Redefined("${FOO}".into()))
        );
        t.assign_bool("FOO", VarOp::SetDefault, true).unwrap();
        assert!(t.is_defined("FOO"));
        t.assign_bool("FOO", VarOp::Override, true).unwrap();
        assert!(!t.is_defined("FOO"));
        assert_eq!(t.bool_value("FOO"), Ok(true));
        assert_eq!(
            t.assign("FOO", VarOp::Append, vec![]),
            Err(VarError::NotASet("FOO".into()))
        );
        assert_eq!(
            t.assign_bool("FOO", VarOp::Append, false),
            Err(VarError::AppendBool("FOO".into()))
        );
        assert_eq!(t.bool_value("BAR"), Err(VarError::NotABool("BAR".into())));
        assert!(matches!(
            t.values("FOO", &Locals::new()),
            Err(VarError::NotASet(_))
        ));
    }

    #[test]
    fn a_condition_freezes_the_expansions_it_made() {
        let mut t = VarTable::new();
        t.assign("A", VarOp::Set, vec!["x".into()]).unwrap();
        t.assign("B", VarOp::Set, vec!["@{A}".into(), "y".into()])
            .unwrap();
        assert_eq!(t.values_for_condition("B").unwrap(), ["x", "y"]);
        t.assign("A", VarOp::Append, vec!["z".into()]).unwrap();
        let l = Locals::new();
        assert_eq!(t.values("A", &l).unwrap(), ["x"]);
        assert_eq!(t.values("B", &l).unwrap(), ["x", "y"]);
        t.assign("A", VarOp::Override, vec!["w".into()]).unwrap();
        assert_eq!(t.values("A", &l).unwrap(), ["w"]);
        assert_eq!(t.values("B", &l).unwrap(), ["x", "y"]);
    }

    #[test]
    fn a_profile_value_wins_over_a_user_definition() {
        let mut t = VarTable::new();
        t.assign("attach_path", VarOp::Set, vec!["/path".into()])
            .unwrap();
        let mut attached = Locals::new();
        attached.insert("attach_path", Some("/a/b".into()));
        assert_eq!(t.values("attach_path", &attached).unwrap(), ["/a/b"]);
        let mut unattached = Locals::new();
        unattached.insert("attach_path", None);
        assert_eq!(t.values("attach_path", &unattached).unwrap(), ["/path"]);
        // `profile @{attach_path} { ... }`: the name refers to the user's.
        let mut named = Locals::new();
        named.insert("attach_path", Some("@{attach_path}".into()));
        assert_eq!(t.values("attach_path", &named).unwrap(), ["/path"]);
    }

    #[test]
    fn detects_recursion_and_undefined() {
        let mut t = VarTable::new();
        t.assign("A", VarOp::Set, vec!["@{B}".into()]).unwrap();
        t.assign("B", VarOp::Set, vec!["@{A}".into()]).unwrap();
        assert!(matches!(
            t.expand_pattern("@{A}", &Locals::new()),
            Err(VarError::Recursive(_))
        ));
        assert!(matches!(
            t.expand_pattern("@{Z}", &Locals::new()),
            Err(VarError::Undefined(_))
        ));
    }

    #[test]
    fn multiplying_expansions_are_bounded() {
        let mut t = VarTable::new();
        let ten: Vec<String> = (0..10).map(|n| format!("v{n}")).collect();
        t.assign("A", VarOp::Set, ten).unwrap();
        t.assign("B", VarOp::Set, vec!["@{A}@{A}@{A}@{A}".into()])
            .unwrap();
        t.assign("C", VarOp::Set, vec!["@{B}@{B}".into()]).unwrap();
        // 10^4 values are fine, 10^8 are not.
        assert_eq!(t.values("B", &Locals::new()).unwrap().len(), 10_000);
        assert_eq!(
            t.expand_pattern("/@{C}", &Locals::new()),
            Err(VarError::TooLarge { name: "C".into() })
        );
    }
}
