//! Combination semantics (§4.6), checked against the 4.1 parser's packed
//! output where noted.

use super::*;
use crate::encode::bits::*;

const BOTH: u32 = 1 | (1 << OTHER_SHIFT);

fn both(half: u32) -> u32 {
    half | (half << OTHER_SHIFT)
}

fn rule(mode: RuleMode, perms: u32) -> RulePerms {
    RulePerms {
        mode,
        priority: 0,
        exact: false,
        perms,
        audit: if mode == RuleMode::Deny { perms } else { 0 },
    }
}

fn file(rules: &[RulePerms]) -> Result<StatePerms, CombineError> {
    combine(&rules.iter().collect::<Vec<_>>(), true)
}

/// `px` with the index bits of slot 2, both halves.
fn px() -> u32 {
    both(MAY_EXEC | EXEC_UNSAFE | (INDEX_PROFILE << EXEC_INDEX_SHIFT))
}

/// `ix` both halves, with the implied `m`.
fn ix() -> u32 {
    both(MAY_EXEC | EXEC_INHERIT | EXEC_MMAP)
}

#[test]
fn deny_removes_allow_and_quiets() {
    let state = file(&[
        rule(RuleMode::Allow, both(MAY_READ | MAY_WRITE)),
        rule(RuleMode::Deny, both(MAY_READ)),
    ])
    .unwrap();
    assert_eq!(state.allow, both(MAY_WRITE));
    assert_eq!(state.quiet, both(MAY_READ));
    assert_eq!(state.audit, 0);
}

#[test]
fn audit_deny_does_not_quiet() {
    let mut denied = rule(RuleMode::Deny, both(MAY_READ));
    denied.audit = 0;
    let state = file(&[denied]).unwrap();
    assert!(!state.is_accept());
}

#[test]
fn higher_priority_allow_beats_deny() {
    let mut allow = rule(RuleMode::Allow, both(MAY_READ));
    allow.priority = 3;
    let mut deny = rule(RuleMode::Deny, both(MAY_READ));
    deny.priority = -3;
    let state = file(&[deny, allow]).unwrap();
    assert_eq!(state.allow, both(MAY_READ));
    assert_eq!(state.quiet, 0);
}

#[test]
fn exact_match_exec_overrides_wildcard() {
    let wildcard = rule(RuleMode::Allow, px());
    let mut exact = rule(RuleMode::Allow, ix());
    exact.exact = true;
    for order in [[wildcard, exact], [exact, wildcard]] {
        let state = file(&order).unwrap();
        assert_eq!(state.allow, ix());
    }
}

#[test]
fn conflicting_exec_types_are_an_error() {
    let err = file(&[rule(RuleMode::Allow, px()), rule(RuleMode::Allow, ix())]).unwrap_err();
    assert!(matches!(
        err,
        CombineError::ExecConflict {
            half: Half::User,
            ..
        }
    ));
    // Same type twice is fine.
    assert!(file(&[rule(RuleMode::Allow, px()), rule(RuleMode::Allow, px())]).is_ok());
}

#[test]
fn deny_x_clears_exec_type() {
    let state = file(&[rule(RuleMode::Allow, px()), rule(RuleMode::Deny, BOTH)]).unwrap();
    assert_eq!(state.allow, 0);
    assert_eq!(state.quiet, BOTH);
}

#[test]
fn ix_implies_mmap() {
    // A state reached by an `ix` rule without `m` gets `m` added.
    let state = file(&[rule(RuleMode::Allow, both(MAY_EXEC | EXEC_INHERIT))]).unwrap();
    assert_eq!(state.allow, ix());
    // Not for the policydb.
    let rules = [rule(RuleMode::Allow, both(MAY_EXEC | EXEC_INHERIT))];
    let state = combine(&rules.iter().collect::<Vec<_>>(), false).unwrap();
    assert_eq!(state.allow, both(MAY_EXEC | EXEC_INHERIT));
}

#[test]
fn prompt_loses_to_allow_at_equal_priority() {
    let state = file(&[
        rule(RuleMode::Prompt, both(MAY_READ)),
        rule(RuleMode::Allow, both(MAY_WRITE)),
    ])
    .unwrap();
    assert_eq!(state.prompt, both(MAY_READ));
    assert_eq!(state.allow, both(MAY_WRITE));
    let state = file(&[
        rule(RuleMode::Prompt, both(MAY_READ)),
        rule(RuleMode::Allow, both(MAY_READ)),
    ])
    .unwrap();
    assert_eq!(state.prompt, 0);
}

#[test]
fn records_implement_accept() {
    let a = FileRecord::Rule(rule(RuleMode::Allow, both(MAY_READ)));
    let b = FileRecord::Rule(rule(RuleMode::Allow, both(MAY_WRITE)));
    let combined = FileRecord::combine(&[&a, &b]).unwrap();
    assert_eq!(
        combined.state().map(|state| state.allow),
        Some(both(MAY_READ | MAY_WRITE))
    );
    assert_eq!(FileRecord::none().state(), Some(&StatePerms::default()));
    assert_eq!(
        FileRecord::combine(&[&combined]),
        Err(CombineError::StateAsInput)
    );
}
