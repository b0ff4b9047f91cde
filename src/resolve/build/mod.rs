//! Typing the walked tree into the [`crate::model`]: profile headers and
//! flags, rule classes, and the semantic checks apparmor_parser runs before
//! building DFAs (names, modes, values, qualifier combinations).

mod block;
mod classes;
mod dbus;
mod exec_conflict;
mod file;
mod mount;
pub(crate) mod names;
mod net;
mod order;
mod parts;
mod pattern;
mod profile;
mod rule;
pub(crate) use rule::qualifiers_in_order;

use super::vars::VarTable;
use super::walk::{RawAlias, Walked};
use crate::diagnostics::Diagnostic;
use crate::model::Policy;

/// One rule-level error: message and where.
pub(crate) type RuleError = (String, crate::syntax::Span);

/// Everything the builder needs besides the raw profiles.
pub(crate) struct Env<'a> {
    pub vars: &'a VarTable,
    /// `alias` rules, expanded: (from, to).
    pub aliases: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
    /// See [`Options::defer_ipc_patterns`](crate::resolve::Options).
    pub defer_ipc_patterns: bool,
    /// See [`Walked::blocks_closed`].
    pub blocks_closed: usize,
    /// True while the rules of branches not taken are checked: 5.0.2
    /// never encodes them, so the errors of its encoder do not apply.
    pub untaken: bool,
}

/// Builds the policy model; returns it with the declared profile names
/// (see [`Loaded::names`](super::Loaded)) and every diagnostic.
pub fn build(walked: Walked, defer_ipc_patterns: bool) -> (Policy, Vec<String>, Vec<Diagnostic>) {
    let Walked {
        profiles,
        vars,
        aliases,
        abi,
        diagnostics,
        untaken,
        blocks_closed,
        ..
    } = walked;
    let mut env = Env {
        vars: &vars,
        aliases: Vec::new(),
        diagnostics,
        defer_ipc_patterns,
        blocks_closed,
        untaken: false,
    };
    env.aliases = expand_aliases(&aliases, &mut env);
    let mut policy = Policy {
        abi,
        profiles: Vec::new(),
    };
    for raw in &profiles {
        if let Some(p) = profile::build_profile(raw, None, &mut env) {
            policy.profiles.push(p);
        }
    }
    profile::check_duplicates(&policy.profiles, &profiles, &mut env);
    env.untaken = true;
    for raw in &untaken {
        profile::check_untaken(raw, &mut env);
    }
    env.untaken = false;
    let names = profile::declared_names(&profiles);
    (policy, names, env.diagnostics)
}

fn expand_aliases(aliases: &[RawAlias], env: &mut Env) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in aliases {
        let locals = Default::default();
        let from = a.from.text().map(|t| env.vars.expand_pattern(t, &locals));
        let to = a.to.text().map(|t| env.vars.expand_pattern(t, &locals));
        match (from, to) {
            // Either side may be any name: 5.0.2 takes `alias /usr/lib/ ->
            // foo,` and `alias foo -> /x,` and applies them by prefix.
            // A quoted name that is no path is no token in 5.0.2's
            // ordinary state (`alias "" -> /b,`, `alias "r" -> /b,`), nor is a keyword or a word of permission
            // letters (`alias allow -> /b,`, `alias r -> /b,`); after `->`
            // each is (`alias /a -> "",`, `alias /a -> allow,`).
            (Some(Ok(from)), Some(Ok(_)))
                if from.is_empty()
                    || matches!(&a.from.kind, crate::syntax::TokenKind::Quoted(q) if !q.starts_with('/'))
                    || a.from.word().is_some_and(|w| {
                        file::KEYWORDS.contains(&w) || crate::syntax::lexical::is_mode_letters(w)
                    }) =>
            {
                env.diagnostics.push(a.place.error(
                    "alias",
                    "an alias needs a name before `->`: not a keyword or permissions",
                    a.from.span,
                ))
            }
            (Some(Ok(from)), Some(Ok(to))) => out.push((from, to)),
            (Some(Err(e)), _) | (_, Some(Err(e))) => {
                env.diagnostics
                    .push(a.place.error("variable", e.to_string(), a.from.span))
            }
            _ => env
                .diagnostics
                .push(a.place.error("alias", "invalid alias", a.from.span)),
        }
    }
    out
}
