//! DFA construction from [`crate::expr::Expr`] with per-state permission
//! records, minimisation and the parser's state numbering (§3.8).
//!
//! The automaton is generic over the permission record `R` that rules carry:
//! each rule is an expression plus a record; a state's record is the
//! [`Accept::combine`] of the records of the rules accepting in it. The
//! encoder decides what a record holds (file permissions with exec modes,
//! policydb permissions, xmatch) and how records combine; this module only
//! requires that equal records mean mergeable states, that combining is
//! idempotent, and that a rule whose record equals `R::none()` accepts
//! nothing (such states fold into the nonmatching state).
//!
//! Pipeline: `positions` (followpos; rules with equal records share one
//! accept marker, as the parser's equal permission nodes do) → `bisim`
//! (merge positions with equal futures, then equal pasts) → `classes` (byte
//! classes) → [`build`] (subset construction, parser state order) →
//! [`minimize`] (language equivalence with records as outputs) → [`number`]
//! (breadth-first numbering) → [`Dfa`]. The blob is written by
//! [`crate::tables::write_dfa`].
//!
//! Facts checked against the reference parser (tests `dfa_reference`,
//! `dfa_conformance`, `pack_reference`):
//! * states merge by language equivalence, not by equal stored transitions
//!   (`/etc/ r, /etc/* r, /etc/** r` has 8 states, not 9);
//! * a state's default successor is the union of the followpos sets of its
//!   `.`/`[^…]` positions — even when every byte is named by some position,
//!   in which case no byte takes it (`/t/[^a]b` + `/t/[\x00-\xff]c`);
//! * `.` and `[^…]` do not match the out-of-band symbol.

use std::fmt::Debug;
use std::hash::Hash;

mod automaton;
mod bisim;
pub mod build;
mod classes;
mod error;
mod hash;
mod hashcons;
mod intern;
pub mod minimize;
pub mod number;
mod positions;
mod refine;
mod unminimized;

pub use automaton::{Dfa, NONMATCHING, START, State, Symbol};
pub use error::BuildError;
pub use unminimized::Unminimized;

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
/// expression and the record of the rule, in rule order), as the reference
/// parser does: for the same rules and record equality the result packs
/// to the parser's bytes.
pub fn build_dfa<R: Accept>(
    rules: &[(Expr, R)],
    options: &BuildOptions,
) -> Result<Dfa<R>, BuildError<R::Error>> {
    let built = build::build_states(rules.to_vec(), options)?;
    let states = minimize::minimize(&built);
    Ok(number::number(states))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::ByteSet;

    /// Permission bits OR-ed; bit 31 conflicts with bit 30 (stands in for
    /// conflicting exec modes).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    struct Bits(u32);

    impl Accept for Bits {
        type Error = String;

        fn none() -> Self {
            Bits(0)
        }

        fn combine(accepting: &[&Self]) -> Result<Self, Self::Error> {
            let all = accepting.iter().fold(0, |all, one| all | one.0);
            if all & 0xC000_0000 == 0xC000_0000 {
                return Err("conflicting modes".into());
            }
            Ok(Bits(all))
        }
    }

    fn not_slash_star() -> Expr {
        let mut slash_nul = ByteSet::single(b'/');
        slash_nul.insert(0);
        Expr::Star(Box::new(Expr::NotClass(slash_nul)))
    }

    #[test]
    fn matches_and_combines_overlapping_rules() {
        // /a* → 1, /ab → 2.
        let rules = vec![
            (
                Expr::Concat(vec![Expr::literal(b"/a"), not_slash_star()]),
                Bits(1),
            ),
            (Expr::literal(b"/ab"), Bits(2)),
        ];
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        assert_eq!(dfa.matches(b"/a"), &Bits(1));
        assert_eq!(dfa.matches(b"/ab"), &Bits(3));
        assert_eq!(dfa.matches(b"/abc"), &Bits(1));
        assert_eq!(dfa.matches(b"/a/"), &Bits(0));
        assert_eq!(dfa.matches(b"/b"), &Bits(0));
        assert_eq!(dfa.states[NONMATCHING as usize].transitions, vec![]);
        // 0, start, "/", "/a", "/ab", and "/a" + other tails (which, unlike
        // "/a", does not reach 3 on "b").
        assert_eq!(dfa.states.len(), 6);
    }

    #[test]
    fn equivalent_states_merge_and_start_loops_to_itself() {
        // a* accepts at the start and after every a: the position set
        // after "a" is the start's own, so the start loops to itself (as
        // 5.0.2's xmatch for a profile named `*` does, profile/re_ok1).
        let rules = vec![(Expr::Star(Box::new(Expr::Byte(b'a'))), Bits(1))];
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        assert_eq!(dfa.states.len(), 2);
        assert_eq!(dfa.states[START as usize].record, Bits(1));
        assert_eq!(dfa.step(START, Symbol::Byte(b'a')), START);
        // a+ reaches an accepting state equivalent to no earlier one:
        // the start (not accepting) stays alone.
        let rules = vec![(Expr::Plus(Box::new(Expr::Byte(b'a'))), Bits(1))];
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        assert_eq!(dfa.states.len(), 3);
        // x(a|b) and x[ab] are one automaton: ab-states merge.
        let rules = vec![(
            Expr::Concat(vec![
                Expr::Byte(b'x'),
                Expr::Alt(vec![
                    Expr::Concat(vec![Expr::Byte(b'a'), Expr::Byte(b'z')]),
                    Expr::Concat(vec![Expr::Byte(b'b'), Expr::Byte(b'z')]),
                ]),
            ]),
            Bits(4),
        )];
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        assert_eq!(dfa.states.len(), 5);
        assert_eq!(dfa.matches(b"xbz"), &Bits(4));
    }

    #[test]
    fn conflicting_records_name_an_example() {
        let rules = vec![
            (Expr::literal(b"/bin/x"), Bits(0x8000_0000)),
            (
                Expr::Concat(vec![Expr::literal(b"/bin/"), not_slash_star()]),
                Bits(0x4000_0000),
            ),
        ];
        match build_dfa(&rules, &BuildOptions::default()) {
            Err(BuildError::Conflict { example, error }) => {
                assert_eq!(example, b"/bin/x");
                assert_eq!(error, "conflicting modes");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
    }

    #[test]
    fn state_limit_stops_construction() {
        // (a|b)*a(a|b)^12 needs thousands of states.
        let ab = || Expr::Class(ByteSet::single(b'a').union(&ByteSet::single(b'b')));
        let mut items = vec![Expr::Star(Box::new(ab())), Expr::Byte(b'a')];
        items.extend((0..12).map(|_| ab()));
        let rules = vec![(Expr::Concat(items), Bits(1))];
        let options = BuildOptions { max_states: 1000 };
        assert!(matches!(
            build_dfa(&rules, &options),
            Err(BuildError::TooManyStates { limit: 1000 })
        ));
    }

    #[test]
    fn out_of_band_transition_is_explicit() {
        let rules = vec![(
            Expr::Concat(vec![Expr::Byte(b'x'), Expr::OutOfBand, Expr::Byte(b'y')]),
            Bits(1),
        )];
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        assert!(dfa.has_oob());
        let after_x = dfa.step(START, Symbol::Byte(b'x'));
        let after_oob = dfa.step(after_x, Symbol::Oob);
        assert_ne!(after_oob, NONMATCHING);
        let end = dfa.step(after_oob, Symbol::Byte(b'y'));
        assert_eq!(dfa.states[end as usize].record, Bits(1));
        assert_eq!(dfa.step(START, Symbol::Oob), NONMATCHING);
    }
}
