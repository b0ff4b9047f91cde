//! Rules in qualifier blocks (`audit { ... }`, `deny { ... }`, `{ ... }`),
//! as apparmor_parser 5.0.2 treats them.
//!
//! 5.0.2 parses a block's rules into a scratch profile, then moves only its
//! file entries (file, link and change_profile rules) into the enclosing
//! profile, applying the block's prefix to each; the other rules of the
//! scratch profile (every other class, capabilities and rlimits included)
//! are thrown away with it. So those are checked only as far as the parser
//! checks them (their own qualifiers, their words), never encoded, and
//! their patterns never converted.
//!
//! The block's prefix does not combine with a moved rule's own qualifiers:
//! it overrides them, innermost block first.
//! - The verdict becomes the block's (allow when it names none): `{ deny
//!   /a r, }` allows.
//! - The priority becomes the block's, always 0.
//! - The parser keeps one audit flag per entry, meaning "audit" for allow
//!   and "quiet" for deny. A block with `audit` sets it unless the verdict
//!   is deny; a deny block without `audit` sets it too; otherwise it is
//!   left as the rule's own qualifiers set it.
//! - `owner`/`other` narrow the permissions to the owner's or the others'
//!   half: `owner` then `other` leaves a file rule no permission at all.
//!   change_profile permissions belong to neither half and stay.
//! - The exec qualifier check runs again with the new verdict.

use super::RuleError;
use crate::model::{ExecMode, FileAccess, FileRule, Ownership, Qualifiers, RuleKind, Verdict};
use crate::syntax::Span;

/// Rule keywords whose rules 5.0.2 drops inside a qualifier block.
pub(super) fn dropped_in_blocks(keyword: &str) -> bool {
    matches!(
        keyword,
        "capability"
            | "network"
            | "unix"
            | "dbus"
            | "mount"
            | "remount"
            | "umount"
            | "unmount"
            | "pivot_root"
            | "ptrace"
            | "signal"
            | "set"
            | "userns"
            | "mqueue"
            | "io_uring"
            | "all"
    )
}

/// The parser's per-entry audit flag for qualifiers as written: audit for
/// allow (and prompt), quiet for deny.
fn audit_flag(q: &Qualifiers) -> bool {
    match q.verdict {
        Verdict::Deny => !q.audit,
        _ => q.audit,
    }
}

/// Applies the prefixes of the enclosing blocks (`blocks`, outermost
/// first) to a moved rule with its own qualifiers `own`. Returns the
/// rule's qualifiers and kind as 5.0.2 encodes them.
pub(super) fn apply_block_prefixes(
    own: Qualifiers,
    kind: RuleKind,
    blocks: &[Qualifiers],
    head: Span,
) -> Result<(Qualifiers, RuleKind), RuleError> {
    let mut q = own;
    let mut flag = audit_flag(&own);
    let mut kind = kind;
    for block in blocks.iter().rev() {
        q.verdict = block.verdict;
        q.explicit_verdict = block.explicit_verdict;
        q.priority = block.priority;
        // `audit` on an allow block, or no `audit` on a deny block.
        if block.audit != (block.verdict == Verdict::Deny) {
            flag = true;
        }
        kind = narrow_ownership(&mut q, block.owner, kind);
    }
    q.audit = match q.verdict {
        Verdict::Deny => !flag,
        _ => flag,
    };
    check_exec_qualifier(&kind, q.verdict, head)?;
    Ok((q, kind))
}

/// `owner`/`other` of a block on a rule that may have its own.
fn narrow_ownership(q: &mut Qualifiers, block: Ownership, kind: RuleKind) -> RuleKind {
    if block == Ownership::Any || matches!(kind, RuleKind::ChangeProfile(_)) {
        return kind;
    }
    if q.owner == Ownership::Any || q.owner == block {
        q.owner = block;
        return kind;
    }
    // Owner and other: no permission is left, but the entry stays (5.0.2
    // still builds its path into the file automaton).
    let path = match kind {
        RuleKind::File(f) => f.path,
        RuleKind::Link(l) => Some(l.link),
        other => return other,
    };
    RuleKind::File(FileRule {
        path,
        access: FileAccess::default(),
        exec_target: None,
    })
}

/// 5.0.2's exec qualifier check, run again after a block changed the
/// verdict: deny takes only a bare `x`, allow never does.
fn check_exec_qualifier(kind: &RuleKind, verdict: Verdict, head: Span) -> Result<(), RuleError> {
    // A change_profile rule with an exec condition holds a bare `x` unless
    // it is `unsafe`: moved out of a block as an allow, it fails the same
    // check (`{ change_profile /bin/a -> p, }`).
    if let RuleKind::ChangeProfile(change) = kind {
        // Moved into a deny block, its `unsafe` is an exec qualifier
        // before the `x` (5.0.2; written `deny change_profile unsafe ...`
        // the rule is accepted).
        if verdict == Verdict::Deny && change.exec_mode.as_deref() == Some("unsafe") {
            return Err((
                "in deny rules `x` must not be preceded by an exec qualifier: a change_profile \
                 rule in a deny block cannot be `unsafe`"
                    .into(),
                head,
            ));
        }
        if change.exec.is_some()
            && change.exec_mode.as_deref() != Some("unsafe")
            && verdict != Verdict::Deny
        {
            return Err((
                "`x` must be preceded by an exec qualifier (i, p, c or u) outside deny rules: \
                 in a block, a change_profile rule with an exec condition must be `unsafe`"
                    .into(),
                head,
            ));
        }
        return Ok(());
    }
    let RuleKind::File(f) = kind else {
        return Ok(());
    };
    match (f.access.exec, verdict) {
        (Some(ExecMode::Plain), v) if v != Verdict::Deny => Err((
            "`x` must be preceded by an exec qualifier (i, p, c or u) outside deny rules".into(),
            head,
        )),
        (Some(mode), Verdict::Deny) if mode != ExecMode::Plain => Err((
            "deny rules allow only a bare `x`, without an exec qualifier".into(),
            head,
        )),
        _ => Ok(()),
    }
}
