//! `aaprof lint`: the checks policy projects script by hand, as
//! diagnostics with `AA3xxx` codes (and `AA2003 abi-missing`), on top of
//! the compiler's stages: the syntax tree for what the text says (local
//! includes, variables, include targets, suppression comments), the model
//! for what the rules mean (exec transitions), and the compiler's own
//! encoder and subset construction for what the automata decide (rules
//! that can never matter, paths both writable and executable).
//!
//! A file that does not pass `check` gets `check`'s errors and no lint
//! findings. Findings are reported only for text of the linted file
//! itself, never for the abstractions it includes (which may be the
//! reason a rule of the file is redundant, and are named then).

mod automata;
mod capabilities;
mod exec;
mod redundant;
mod structure;
mod suppress;
mod variables;

use crate::compile::{Session, encode_target};
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{Origin, Profile};
use crate::resolve::{Input, Loaded, load, parse_input};
use crate::syntax::ParsedFile;

pub use suppress::Suppressions;

/// What every check of one input sees.
pub struct Context<'a> {
    pub session: &'a Session,
    pub parsed: &'a ParsedFile,
    pub loaded: &'a Loaded,
}

impl Context<'_> {
    /// Whether a rule or profile was written in the linted file itself
    /// (not read through an include).
    pub fn is_own(&self, origin: &Origin) -> bool {
        origin.included_from.is_empty() && *origin.file == *self.parsed.source.name
    }

    /// The rest of the line `origin` points at, in the linted file.
    pub fn at(&self, origin: &Origin) -> Option<Location> {
        self.is_own(origin)
            .then(|| Location::line_from(self.parsed.source.clone(), origin.line, origin.column))
    }

    /// `file:line` of an origin, for messages naming other rules; an
    /// included file's origin names its include site in the linted file.
    pub fn describe(&self, origin: &Origin) -> String {
        match origin.included_from.first() {
            Some((_, line, _)) => {
                format!("{}:{} (included at line {line})", origin.file, origin.line)
            }
            None => format!("line {}", origin.line),
        }
    }
}

/// Lints one input: `check`'s diagnostics when it has errors, else the
/// lint findings not switched off by `aaprof-lint:` comments, in input
/// order.
pub fn lint_input(input: &Input, session: &Session) -> Vec<Diagnostic> {
    let loaded = load(input, &session.resolve, &session.cache);
    if loaded.has_errors() {
        return loaded.diagnostics;
    }
    let mut out = session.check_diagnostics(&loaded.policy);
    if out.iter().any(Diagnostic::is_error) {
        return out;
    }
    // Only the warnings lint owns: apparmor_parser's warning classes stay
    // with `check`.
    out.clear();
    let parsed = match parse_input(input, &session.cache) {
        Ok(parsed) => parsed,
        Err(d) => return vec![d],
    };
    let cx = Context {
        session,
        parsed: &parsed,
        loaded: &loaded,
    };
    let mut findings = Vec::new();
    structure::check(&cx, &mut findings);
    variables::check(&cx, &mut findings);
    if let Ok(features) = session.features_for(loaded.policy.abi.as_deref()) {
        let target = encode_target(&features);
        for_each_profile(&loaded.policy.profiles, &mut |name, profile| {
            exec::check(&cx, name, profile, &mut findings);
            redundant::check(&cx, name, profile, &target, &mut findings);
            capabilities::check(&cx, name, profile, &target, &mut findings);
        });
    }
    let suppressions = Suppressions::read(&parsed);
    out.extend(suppressions.lint_comment_findings(&parsed.source));
    out.extend(suppressions.filter(findings));
    out.sort_by_key(Diagnostic::input_position);
    out
}

/// Calls `f` with every profile, hat and child profile and its full name
/// (`a//b`), parents first.
fn for_each_profile(profiles: &[Profile], f: &mut dyn FnMut(&str, &Profile)) {
    fn walk(prefix: &str, profiles: &[Profile], f: &mut dyn FnMut(&str, &Profile)) {
        for profile in profiles {
            let name = if prefix.is_empty() {
                profile.name.clone()
            } else {
                format!("{prefix}//{}", profile.name)
            };
            f(&name, profile);
            walk(&name, &profile.children, f);
        }
    }
    walk("", profiles, f);
}

#[cfg(test)]
mod tests;
