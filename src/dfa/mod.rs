//! DFA construction from [`crate::expr::Expr`] with per-state permission
//! records, minimisation and the parser's state numbering (§3.8).
//!
//! The automaton is generic over the permission record `R` that rules carry:
//! each rule is an expression plus a record; a state's record is the
//! [`Accept::combine`] of the records of the rules accepting in it. The
//! encoder decides what a record holds (file permissions with exec modes,
//! policydb permissions, xmatch) and how records combine; this module only
//! requires that equal records mean mergeable states.

use std::fmt::Debug;
use std::hash::Hash;

/// A permission record attached to a rule and combined per DFA state.
pub trait Accept: Clone + Eq + Hash + Debug {
    /// Why records cannot combine (e.g. conflicting exec modes).
    type Error;

    /// The record of a state where no rule accepts.
    fn none() -> Self;

    /// Combines the records of every rule accepting in one state, in rule
    /// insertion order.
    fn combine(accepting: &[&Self]) -> Result<Self, Self::Error>;
}
