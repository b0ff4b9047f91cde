//! The order in which 5.0.2 hands a profile's file-DFA entries to its
//! automaton builder, and why it matters.
//!
//! Before building the file DFA, 5.0.2 sorts the profile's file, link and
//! change_profile entries (the sort its entry merge needs, see
//! [`super::entry_merge`]): entries without a link target or exec
//! condition first; then by that target (compared from the end, `subset`
//! first); then by rule mode — unspecified (no `allow`/`deny`/`prompt`
//! written), `allow`, `deny`, `prompt`; then by the entry's audit flag
//! (set for `audit` allow rules and for plain `deny` rules, which quiet);
//! then by priority, highest first; then by name, compared from the end.
//!
//! The order decides one thing in the automaton: when rules of one path
//! meet with different exec transitions. 5.0.2 walks a state's rule
//! records in the order their records were first created, deciding each
//! permission bit by rank (priority, then deny over exact over allow over
//! prompt); two allow records of equal rank with different exec types are
//! an error — unless a record of higher rank for that exec bit was met
//! before the second of them, after which lower ranks are skipped. So
//! `priority=1 /** ix,` written last still keeps `/a* ix` and `/a** Ux`
//! apart (it sorts first), while `deny /** x,` does not (deny sorts after
//! allow), and a rule written with `allow` sorts after one written
//! without. The DFA builder combines a state's records in the order of
//! their first occurrence among the rules, so emitting the rules in this
//! order reproduces 5.0.2's verdicts.
//!
//! Where this stops: 5.0.2 keeps a state's accept nodes in a set ordered
//! by the nodes' heap addresses, and walks them in that order. Creation
//! order is address order only while the allocator hands out fresh
//! memory; glibc's per-thread cache hands back recently freed chunks of
//! the node's size first (last freed, first reused), so after earlier
//! work freed such chunks (another profile's automaton, a parent's
//! rules, even an empty `if` block elsewhere in the file) a later node can
//! sit below an earlier one and 5.0.2's verdict on a conflict flips. That
//! order depends on the allocation history of the whole run and is not
//! modelled: the order here is 5.0.2's when run with
//! `GLIBC_TUNABLES=glibc.malloc.tcache_count=0`, which agrees with aaprof
//! on every such disagreement found (tests/exec_heap_order.rs); inputs
//! whose verdict changes with that setting are not language rules.

use super::bits::{EXEC_INDEX_MASK, EXEC_INDEX_SHIFT, EXEC_TYPE, EXEC_UNSAFE, INDEX_LOCAL};
use super::file::{ALL_FILES, exec_bits, transition_name};
use crate::model::{ChangeProfileRule, ExecMode, Ownership, Rule, RuleKind, Verdict};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Where path bytes compare, 5.0.2's reversed string comparison: from the
/// terminating NUL back to the second byte (the first is never looked at),
/// bytes as signed chars; when one string runs out first, the shorter one
/// sorts first.
pub(super) fn reverse_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let byte = |s: &[u8], i: usize| s.get(i).map_or(0, |&c| c as i8);
    let (mut ta, mut tb) = (a.len(), b.len());
    while ta > 0 && tb > 0 {
        match byte(a, ta).cmp(&byte(b, tb)) {
            Ordering::Equal => {}
            other => return other,
        }
        ta -= 1;
        tb -= 1;
    }
    ta.cmp(&tb)
}

/// The fields of an entry its sort looks at (the priority comes from the
/// record: `all,` puts its exec part two steps lower).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EntryKey<'a> {
    /// Link target or exec condition, and the link's `subset`.
    link: Option<(Cow<'a, str>, bool)>,
    /// 0 unspecified, 1 `allow`, 2 `deny`, 3 `prompt`.
    mode: u8,
    /// The entry's audit flag (see the module comment).
    audit: bool,
    name: Cow<'a, str>,
}

impl EntryKey<'_> {
    /// 5.0.2's entry comparison, with `priority` the record's.
    pub(super) fn cmp_at(&self, priority: i32, other: &Self, other_priority: i32) -> Ordering {
        let link = match (&self.link, &other.link) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some((a, sa)), Some((b, sb))) => {
                reverse_cmp(a.as_bytes(), b.as_bytes()).then(sb.cmp(sa))
            }
        };
        link.then(self.mode.cmp(&other.mode))
            .then(self.audit.cmp(&other.audit))
            .then(other_priority.cmp(&priority))
            .then_with(|| reverse_cmp(self.name.as_bytes(), other.name.as_bytes()))
    }
}

/// The entry name of a change_profile rule: its target (`**` when it
/// names none), `&` in front when it stacks.
pub(super) fn change_profile_entry_name(c: &ChangeProfileRule) -> Cow<'_, str> {
    let target = c.target.as_deref().unwrap_or("**");
    if c.stack {
        Cow::Owned(format!("&{target}"))
    } else {
        Cow::Borrowed(target)
    }
}

/// The sort key of the entry `rule` makes; `None` for rules outside the
/// file DFA.
pub(super) fn entry_key(rule: &Rule) -> Option<EntryKey<'_>> {
    let q = &rule.qualifiers;
    let (name, link) = match &rule.kind {
        RuleKind::File(f) => {
            let name = Cow::Borrowed(f.path.as_deref().unwrap_or(ALL_FILES));
            // `PATH l -> TARGET` is a link entry.
            let link = match (&f.exec_target, f.access.link && f.access.exec.is_none()) {
                (Some(target), true) => Some((Cow::Borrowed(target.as_str()), false)),
                _ => None,
            };
            (name, link)
        }
        RuleKind::Link(l) => (
            Cow::Borrowed(l.link.as_str()),
            Some((Cow::Borrowed(l.target.as_str()), l.subset)),
        ),
        RuleKind::ChangeProfile(c) => (
            change_profile_entry_name(c),
            c.exec.as_deref().map(|e| (Cow::Borrowed(e), false)),
        ),
        RuleKind::All => (Cow::Borrowed(ALL_FILES), None),
        _ => return None,
    };
    let mode = match (q.verdict, q.explicit_verdict) {
        (Verdict::Allow, false) => 0,
        (Verdict::Allow, true) => 1,
        (Verdict::Deny, _) => 2,
        (Verdict::Prompt, _) => 3,
    };
    // A plain deny quiets: its entry carries the audit flag.
    let audit = match q.verdict {
        Verdict::Deny => !q.audit,
        _ => q.audit,
    };
    Some(EntryKey {
        link,
        mode,
        audit,
        name,
    })
}

/// The entries 5.0.2's merge takes as one: equal [`EntryKey`]s at equal
/// priority (names and link targets equal from the second byte on). The
/// ownership is not part of it; `all,` is not an entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MergeKey {
    name: Vec<u8>,
    link: Option<(Vec<u8>, bool)>,
    mode: u8,
    audit: bool,
    priority: i32,
}

/// The merge key of the entry `rule` makes; `None` for rules outside the
/// merge.
pub fn merge_key(rule: &Rule) -> Option<MergeKey> {
    if matches!(rule.kind, RuleKind::All) {
        return None;
    }
    let key = entry_key(rule)?;
    let tail = |s: &str| s.as_bytes().get(1..).unwrap_or_default().to_vec();
    Some(MergeKey {
        name: tail(&key.name),
        link: key.link.map(|(target, subset)| (tail(&target), subset)),
        mode: key.mode,
        audit: key.audit,
        priority: rule.qualifiers.priority,
    })
}

/// One half's exec type as the merge compares it: the exec-type bits with
/// the exec index, the index being the xtable entry's name when the
/// transition names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecType {
    bits: u32,
    named: Option<String>,
}

/// The exec type an entry gives each half (user, other), where it grants
/// exec: the merge of two entries with different types in one half is
/// 5.0.2's "has merged rule with conflicting x modifiers". Deny entries
/// grant none (their bare `x` has no type). A change_profile rule with an
/// exec condition grants `x` on both halves, unsafe or not.
pub fn entry_exec_types(profile_name: &str, rule: &Rule) -> [Option<ExecType>; 2] {
    let q = &rule.qualifiers;
    if q.verdict == Verdict::Deny {
        return [None, None];
    }
    let (exec_type, owner) = match &rule.kind {
        RuleKind::File(file) => {
            let Some(mode) = file.access.exec else {
                return [None, None];
            };
            let path = file.path.as_deref().unwrap_or(ALL_FILES);
            let Ok(bits) = exec_bits(mode, None, q.verdict, path) else {
                return [None, None];
            };
            let index = match (&file.exec_target, mode) {
                (None, _) => None,
                (Some(target), ExecMode::Profile { .. } | ExecMode::Child { .. }) => {
                    Some(transition_name(profile_name, path, target, mode))
                }
                (Some(target), _) if !file.access.link => Some(Some(target.clone())),
                (Some(_), _) => None,
            };
            let exec_type = match index {
                None => ExecType { bits, named: None },
                Some(None) => ExecType {
                    bits: (bits & !EXEC_INDEX_MASK) | (INDEX_LOCAL << EXEC_INDEX_SHIFT),
                    named: None,
                },
                Some(Some(name)) => ExecType {
                    bits: bits & !EXEC_INDEX_MASK,
                    named: Some(name),
                },
            };
            (exec_type, q.owner)
        }
        RuleKind::ChangeProfile(change) if change.exec.is_some() => {
            let unsafe_exec = change.exec_mode.as_deref() == Some("unsafe");
            let bits = if unsafe_exec { EXEC_UNSAFE } else { 0 };
            (ExecType { bits, named: None }, Ownership::Any)
        }
        _ => return [None, None],
    };
    let exec_type = ExecType {
        bits: exec_type.bits & EXEC_TYPE,
        ..exec_type
    };
    match owner {
        Ownership::Any => [Some(exec_type.clone()), Some(exec_type)],
        Ownership::Owner => [Some(exec_type), None],
        Ownership::Other => [None, Some(exec_type)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileAccess, FileRule, Qualifiers};

    fn file(path: &str, q: Qualifiers) -> Rule {
        Rule {
            qualifiers: q,
            kind: RuleKind::File(FileRule {
                path: Some(path.into()),
                access: FileAccess {
                    read: true,
                    ..FileAccess::default()
                },
                exec_target: None,
            }),
            origin: Default::default(),
        }
    }

    fn cmp(a: &Rule, b: &Rule) -> Ordering {
        let (ka, kb) = (entry_key(a).unwrap(), entry_key(b).unwrap());
        ka.cmp_at(a.qualifiers.priority, &kb, b.qualifiers.priority)
    }

    #[test]
    fn names_compare_from_the_end_without_the_first_byte() {
        assert_eq!(reverse_cmp(b"/a", b"xa"), Ordering::Equal);
        // `b*/` < `bx/`: the last bytes decide first.
        assert_eq!(reverse_cmp(b"/*b", b"/xb"), Ordering::Less);
        assert_eq!(reverse_cmp(b"/x?", b"/?b"), Ordering::Less);
        // A shorter name whose end agrees sorts first.
        assert_eq!(reverse_cmp(b"/b", b"/ab"), Ordering::Less);
        // Bytes are signed: 0x80 sorts before ASCII.
        assert_eq!(reverse_cmp(b"/\x80", b"/a"), Ordering::Less);
    }

    fn exec_rule(path: &str, mode: ExecMode, target: Option<&str>, owner: Ownership) -> Rule {
        let mut rule = Rule::exec_file(path, mode, target);
        rule.qualifiers.owner = owner;
        rule
    }

    #[test]
    fn exec_types_compare_the_xtable_name_and_the_halves() {
        use crate::model::ExecFallback;
        let px = ExecMode::Profile {
            safe: false,
            fallback: ExecFallback::None,
        };
        let cx = ExecMode::Child {
            safe: false,
            fallback: ExecFallback::None,
        };
        let types = |r: &Rule| entry_exec_types("p", r);
        // `px -> p//b` and `cx -> b` name one xtable entry: one type.
        assert_eq!(
            types(&exec_rule("/a", px, Some("p//b"), Ownership::Any)),
            types(&exec_rule("/a", cx, Some("b"), Ownership::Any))
        );
        // `cx -> /a` on `/a` is the local child, as a bare `cx`.
        assert_eq!(
            types(&exec_rule("/a", cx, Some("/a"), Ownership::Any)),
            types(&exec_rule("/a", cx, None, Ownership::Any))
        );
        // Different targets differ.
        assert_ne!(
            types(&exec_rule("/a", px, Some("b"), Ownership::Any)),
            types(&exec_rule("/a", px, Some("c"), Ownership::Any))
        );
        // `owner` fills the user half only, `other` the other one.
        let [user, other] = types(&exec_rule("/a", px, None, Ownership::Owner));
        assert!(user.is_some() && other.is_none());
        let [user, other] = types(&exec_rule("/a", px, None, Ownership::Other));
        assert!(user.is_none() && other.is_some());
        // `owner` is not part of the merge key.
        assert_eq!(
            merge_key(&exec_rule("/a", px, None, Ownership::Owner)),
            merge_key(&exec_rule("/a", cx, None, Ownership::Any))
        );
    }

    #[test]
    fn mode_then_audit_then_priority_then_name() {
        let plain = Qualifiers::default();
        let allow = Qualifiers {
            explicit_verdict: true,
            ..plain
        };
        let deny = Qualifiers {
            verdict: Verdict::Deny,
            explicit_verdict: true,
            ..plain
        };
        let audited = Qualifiers {
            audit: true,
            ..plain
        };
        let high = Qualifiers {
            priority: 1,
            ..plain
        };
        // Unspecified before `allow` before `deny`, whatever the priority.
        assert_eq!(cmp(&file("/z", plain), &file("/a", allow)), Ordering::Less);
        let high_deny = Qualifiers {
            priority: 5,
            ..deny
        };
        assert_eq!(
            cmp(&file("/a", allow), &file("/a", high_deny)),
            Ordering::Less
        );
        // Audit after no audit; a plain deny carries the flag.
        assert_eq!(
            cmp(&file("/z", plain), &file("/a", audited)),
            Ordering::Less
        );
        let audit_deny = Qualifiers {
            audit: true,
            ..deny
        };
        assert_eq!(
            cmp(&file("/z", audit_deny), &file("/a", deny)),
            Ordering::Less
        );
        // Higher priority first.
        assert_eq!(cmp(&file("/z", high), &file("/a", plain)), Ordering::Less);
        assert_eq!(
            cmp(&file("/b", plain), &file("/a", plain)),
            Ordering::Greater
        );
    }
}
