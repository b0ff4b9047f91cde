//! The one check apparmor_parser makes while building a file DFA: two
//! allow rules granting exec with different transitions (mode or target)
//! may not match a common path at the same precedence (same priority,
//! both exact or both patterns, overlapping owner classes). 5.0.2 rejects
//! such a profile (conformance xtrans/x-conflict: `/b* px` and `/* Pix`
//! both match `/b`), so `check` must too.
//!
//! The test builds one automaton over the exec rules' paths whose states
//! record which rules match there; a state matched by two incompatible
//! rules is a conflict. Rules the DFA would resolve (an exact path beating
//! a pattern, a higher priority, a deny) never conflict.

use crate::aare;
use crate::dfa::{Accept, BuildOptions, build_dfa};
use crate::expr::Expr;
use crate::model::{ExecMode, Ownership, Profile, RuleKind, Verdict};

/// One allow rule granting exec.
struct ExecRule {
    path: String,
    /// The transition: mode and target; rules with equal ones agree.
    transition: (ExecMode, Option<String>),
    exact: bool,
    priority: i32,
    owner: Ownership,
}

impl ExecRule {
    /// Whether both rules decide the same exec bits at the same rank
    /// with different transitions.
    fn conflicts_with(&self, other: &ExecRule) -> bool {
        let halves_overlap = !matches!(
            (self.owner, other.owner),
            (Ownership::Owner, Ownership::Other) | (Ownership::Other, Ownership::Owner)
        );
        self.transition != other.transition
            && self.exact == other.exact
            && self.priority == other.priority
            && halves_overlap
    }
}

/// The rules matching in one state (indices, ascending).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Matching(Vec<u32>);

impl Accept for Matching {
    type Error = std::convert::Infallible;

    fn none() -> Self {
        Matching(Vec::new())
    }

    fn combine(accepting: &[&Self]) -> Result<Self, Self::Error> {
        let mut all: Vec<u32> = accepting.iter().flat_map(|m| m.0.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        Ok(Matching(all))
    }
}

/// Beyond this many automaton states the check gives up (and accepts):
/// it must never be what makes `check` slow or reject a valid profile.
const MAX_STATES: usize = 50_000;

/// The first pair of conflicting exec rules of `profile` (not its
/// children), as their path texts.
pub(crate) fn exec_conflict(profile: &Profile) -> Option<(String, String)> {
    let mut rules = Vec::new();
    let mut exprs: Vec<Expr> = Vec::new();
    for rule in &profile.rules {
        let RuleKind::File(file) = &rule.kind else {
            continue;
        };
        let q = &rule.qualifiers;
        let (Some(path), Some(mode)) = (&file.path, file.access.exec) else {
            continue;
        };
        if q.verdict != Verdict::Allow || mode == ExecMode::Plain {
            continue;
        }
        // A pattern the encoder rejects is reported there.
        let Ok(glob) = aare::convert_path(path) else {
            continue;
        };
        rules.push(ExecRule {
            path: path.clone(),
            transition: (mode, file.exec_target.clone()),
            exact: aare::is_exact(&glob.expr),
            priority: q.priority,
            owner: q.owner,
        });
        exprs.push(glob.expr);
    }
    let first = rules.first()?;
    if rules.iter().all(|r| r.transition == first.transition) {
        return None;
    }
    let dfa_rules: Vec<(Expr, Matching)> = exprs
        .into_iter()
        .enumerate()
        .map(|(index, expr)| (expr, Matching(vec![index as u32])))
        .collect();
    let options = BuildOptions {
        max_states: MAX_STATES,
    };
    let dfa = build_dfa(&dfa_rules, &options).ok()?;
    for state in &dfa.states {
        let matching = &state.record.0;
        for (n, &a) in matching.iter().enumerate() {
            for &b in &matching[n + 1..] {
                let (ra, rb) = (&rules[a as usize], &rules[b as usize]);
                if ra.conflicts_with(rb) {
                    return Some((ra.path.clone(), rb.path.clone()));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExecFallback, FileAccess, FileRule, Origin, Qualifiers, Rule};

    fn exec(path: &str, mode: ExecMode, target: Option<&str>) -> Rule {
        Rule {
            qualifiers: Qualifiers::default(),
            kind: RuleKind::File(FileRule {
                path: Some(path.into()),
                access: FileAccess {
                    exec: Some(mode),
                    ..FileAccess::default()
                },
                exec_target: target.map(str::to_owned),
            }),
            origin: Origin::default(),
        }
    }

    fn profile(rules: Vec<Rule>) -> Profile {
        Profile {
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
        let (a, b) = exec_conflict(&p).expect("a conflict");
        // `/*` overlaps both others; they are disjoint from each other.
        assert!(a == "/*" || b == "/*", "{a} {b}");
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
}
