//! The check apparmor_parser makes while building a file DFA: in a state
//! (a set of paths), the exec records are walked in 5.0.2's entry order
//! and two allow records of equal rank granting exec with different
//! transitions (mode or target) are an error, unless a record of higher
//! rank for that exec bit came first (see `encode::entry_order`). 5.0.2
//! rejects such a profile ("profile has merged rule with conflicting x
//! modifiers"; conformance xtrans/x-conflict: `/b* px` and `/* Pix` both
//! match `/b`), so `check` must too.
//!
//! The check is the compiler's own: the profile's file rules are encoded
//! as `compile` encodes them, the records that touch an exec bit are kept
//! (no other record can change how exec bits combine) and the automaton
//! over them is built; a state whose records do not combine is the
//! conflict.
//!
//! 5.0.2's own order is its heap's (see `encode::entry_order`, "Where
//! this stops"): after earlier frees in a run it can differ from the entry
//! order, and with it the verdict; this check follows the entry order.

use crate::dfa::{BuildError, BuildOptions, build_dfa};
use crate::encode::bits::{ALL_EXEC_TYPE, EXEC_TYPE, OTHER_EXEC, OTHER_SHIFT, USER_EXEC};
use crate::encode::{EncodeTarget, FileRecord, RuleMode, encode_file_rules};
use crate::model::Profile;
use std::collections::HashSet;

/// Beyond this many automaton states the check gives up (and accepts):
/// it must never be what makes `check` slow or reject a valid profile.
const MAX_STATES: usize = 50_000;

/// Why the exec rules of `profile` (not its children) do not combine: a
/// path where they meet and the conflict, as text.
pub(crate) fn exec_conflict(profile: &Profile) -> Option<String> {
    // Stacking on: a target the kernel cannot stack is reported by the
    // compiler for the features it compiles for, not here.
    let target = EncodeTarget {
        stacking: true,
        ..EncodeTarget::default()
    };
    // A rule the encoder rejects is reported by the compiler.
    let encoding = encode_file_rules(profile, &target).ok()?;
    let exec_rules: Vec<_> = encoding
        .rules
        .into_iter()
        .filter(|(_, record)| {
            record
                .rule()
                .is_some_and(|r| (r.perms | r.audit) & (USER_EXEC | OTHER_EXEC) != 0)
        })
        .collect();
    if !mixed_transitions(&exec_rules) {
        return None;
    }
    let options = BuildOptions {
        max_states: MAX_STATES,
    };
    match build_dfa(&exec_rules, &options) {
        Err(conflict @ BuildError::Conflict { .. }) => Some(conflict.to_string()),
        _ => None,
    }
}

/// Whether two allowing records give one half's exec bit different exec
/// types (without that no state can conflict, and no automaton is needed).
fn mixed_transitions(rules: &[(crate::expr::Expr, FileRecord)]) -> bool {
    let mut seen: [HashSet<u32>; 2] = [HashSet::new(), HashSet::new()];
    for (_, record) in rules {
        let Some(r) = record.rule() else { continue };
        if r.mode == RuleMode::Deny {
            continue;
        }
        for (half, shift) in [(0, 0), (1, OTHER_SHIFT)] {
            if r.perms & (USER_EXEC << shift) != 0 {
                seen[half].insert(r.perms & (EXEC_TYPE << shift) & ALL_EXEC_TYPE);
            }
        }
    }
    seen.iter().any(|types| types.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExecFallback, ExecMode, Rule, Verdict};

    fn exec(path: &str, mode: ExecMode, target: Option<&str>) -> Rule {
        Rule::exec_file(path, mode, target)
    }

    fn profile(rules: Vec<Rule>) -> Profile {
        Profile {
            name: "p".into(),
            rules,
            ..Profile::default()
        }
    }

    const PX: ExecMode = ExecMode::Profile {
        safe: true,
        fallback: ExecFallback::None,
    };
    const PIX: ExecMode = ExecMode::Profile {
        safe: true,
        fallback: ExecFallback::Inherit,
    };

    #[test]
    fn overlapping_patterns_with_different_modes_conflict() {
        // xtrans/x-conflict.
        let p = profile(vec![
            exec("/b*", PX, None),
            exec("/*", PIX, None),
            exec(
                "/a*",
                ExecMode::Child {
                    safe: true,
                    fallback: ExecFallback::None,
                },
                Some("foo"),
            ),
        ]);
        assert!(exec_conflict(&p).is_some());
    }

    #[test]
    fn exact_paths_and_disjoint_patterns_do_not() {
        let p = profile(vec![
            exec("/usr/bin/*", PX, None),
            exec("/usr/bin/foo", PIX, None),
        ]);
        assert_eq!(exec_conflict(&p), None);
        let p = profile(vec![exec("/a*", PX, None), exec("/b*", PIX, None)]);
        assert_eq!(exec_conflict(&p), None);
        let p = profile(vec![exec("/a*", PX, None), exec("/a*", PX, None)]);
        assert_eq!(exec_conflict(&p), None);
    }

    #[test]
    fn a_higher_priority_rule_sorted_first_settles_the_exec_bit() {
        // `priority=1 /** ix` sorts first wherever it is written.
        let mut high = exec("/**", ExecMode::Inherit, None);
        high.qualifiers.priority = 1;
        let p = profile(vec![
            exec("/a*", ExecMode::Inherit, None),
            exec("/a**", ExecMode::Unconfined { safe: true }, None),
            high,
        ]);
        assert_eq!(exec_conflict(&p), None);
    }

    #[test]
    fn a_deny_sorts_after_the_allows_and_settles_nothing() {
        let mut deny = exec("/**", ExecMode::Plain, None);
        deny.qualifiers.verdict = Verdict::Deny;
        deny.qualifiers.explicit_verdict = true;
        let p = profile(vec![
            deny,
            exec("/a*", ExecMode::Inherit, None),
            exec("/a**", ExecMode::Unconfined { safe: true }, None),
        ]);
        assert!(exec_conflict(&p).is_some());
    }
}
