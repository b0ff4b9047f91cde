//! DFA construction from [`crate::expr::Expr`] with per-state permission
//! records, minimisation and the parser's state numbering (§3.8).
//!
//! The automaton is generic over the permission record `R` that rules carry:
//! each rule is an expression plus a record; a state's record is the
//! [`Accept::combine`] of the records of the rules accepting in it. The
//! encoder decides what a record holds (file permissions with exec modes,
//! policydb permissions, xmatch) and how records combine; this module only
//! requires that equal records mean mergeable states.
//!
//! Pipeline: [`positions`] (followpos) → [`classes`] (byte classes) →
//! [`build`] (subset construction, parser state order) → [`minimize`] →
//! [`number`] → [`Dfa`].

use std::fmt::Debug;
use std::hash::Hash;

mod automaton;
pub mod bisim;
pub mod build;
pub mod classes;
mod error;
mod hash;
pub mod minimize;
pub mod number;
pub mod positions;
mod refine;

pub use automaton::{Dfa, NONMATCHING, START, State, Symbol};
pub use error::BuildError;

use crate::expr::Expr;

/// A permission record attached to a rule and combined per DFA state.
pub trait Accept: Clone + Eq + Hash + Debug {
    /// Why records cannot combine (e.g. conflicting exec modes).
    type Error;

    /// The record of a state where no rule accepts.
    fn none() -> Self;

    /// Combines the records of every rule accepting in one state, in rule
    /// insertion order. Rules with equal records are passed once (at their
    /// first occurrence), as the parser merges them into one accept node;
    /// combining must therefore be idempotent.
    fn combine(accepting: &[&Self]) -> Result<Self, Self::Error>;
}

/// Limits on DFA construction.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Construction fails with [`BuildError::TooManyStates`] once the
    /// unminimised automaton has more states than this.
    pub max_states: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            max_states: 1 << 20,
        }
    }
}

/// Builds, minimises and numbers the automaton of `rules` (each an
/// expression and the record of the rule), as the reference parser does.
pub fn build_dfa<R: Accept>(
    rules: &[(Expr, R)],
    options: &BuildOptions,
) -> Result<Dfa<R>, BuildError<R::Error>> {
    let built = build::build_states(rules, options)?;
    let states = minimize::minimize(built.states, &built.classes);
    Ok(number::number(states))
}
