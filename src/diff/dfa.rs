//! The semantic difference of two DFAs of one kind: a lockstep walk of
//! both ([`walk_pairs`], the same walk `dump --compare` uses) from a start
//! pair, keeping for every distinct change the shortest input showing it.

use crate::blob::PermsEntry;
use crate::blob::compare::{Step, walk_pairs};
use crate::query::access::{DfaKind, PdbView};
use crate::query::exec::exec_transition;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the new policy differs from the old on some input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// The new policy allows what the old did not.
    Allows,
    /// The old policy allowed what the new does not.
    Revokes,
    /// Both allow exec, with different transitions.
    Exec,
    /// Same permissions, different audit or quiet bits.
    Logging,
    /// Any other field of the entry (deny, prompt, …).
    Other,
}

/// Whom a file difference concerns: tasks owning the file, the others,
/// or both alike. Policy-DB differences concern everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Whom {
    Everyone,
    Owner,
    Other,
}

/// One change with its shortest witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DfaFinding {
    pub change: Change,
    pub whom: Whom,
    /// The kernel bits concerned (for `Logging`/`Other`: the bits whose
    /// audit/quiet/other state changed, or 0).
    pub bits: u32,
    /// The shortest input (bytes after the start pair) showing it.
    pub input: Vec<u8>,
    /// For `Exec` and `Other`: old and new, as text.
    pub detail: Option<String>,
}

/// The most distinct changes kept per walk; the rest are counted.
pub const MAX_FINDINGS: usize = 16;

/// The order symbols are tried in, which picks the witness among inputs
/// of equal length. File paths try lowercase letters, digits, capitals,
/// other printable bytes, then the rest, so witnesses read like paths;
/// policy-DB strings (and attachments) hold binary fields (family, type,
/// signal numbers, separators), so they try bytes ascending and give the
/// lowest value that shows a change.
fn steps(kind: DfaKind) -> Vec<Step> {
    if kind == DfaKind::Policy {
        return (0..=255u8).map(Step::Byte).collect();
    }
    let mut bytes: Vec<u8> = (b'a'..=b'z')
        .chain(b'0'..=b'9')
        .chain(b'A'..=b'Z')
        .collect();
    bytes.extend((0x21..0x7f).filter(|b: &u8| !b.is_ascii_alphanumeric()));
    bytes.extend((0..=255u8).filter(|b| !(0x21..0x7f).contains(b)));
    bytes.into_iter().map(Step::Byte).collect()
}

fn exec_text(view: Option<&PdbView<'_>>, xindex: u32) -> String {
    exec_transition(xindex, |i| {
        view.and_then(|v| v.xtable_entry(i)).map(<[u8]>::to_vec)
    })
    .map_or_else(|| "none".to_string(), |t| t.to_string())
}

/// One change of an entry: kind, bits concerned, old/new detail.
type EntryChange = (Change, u32, Option<String>);

/// The changes between two entries of one subject.
fn entry_changes(
    old: &PermsEntry,
    new: &PermsEntry,
    views: (Option<&PdbView<'_>>, Option<&PdbView<'_>>),
) -> Vec<EntryChange> {
    let mut out = Vec::new();
    if new.allow & !old.allow != 0 {
        out.push((Change::Allows, new.allow & !old.allow, None));
    }
    if old.allow & !new.allow != 0 {
        out.push((Change::Revokes, old.allow & !new.allow, None));
    }
    if old.allow & new.allow & 0x1 != 0 {
        let (o, n) = (
            exec_text(views.0, old.xindex),
            exec_text(views.1, new.xindex),
        );
        if o != n {
            out.push((Change::Exec, 0x1, Some(format!("{o} became {n}"))));
        }
    }
    let logging = (old.audit ^ new.audit) | (old.quiet ^ new.quiet);
    if logging != 0 {
        out.push((
            Change::Logging,
            logging,
            Some(format!(
                "audit {:#x} quiet {:#x} became audit {:#x} quiet {:#x}",
                old.audit, old.quiet, new.audit, new.quiet
            )),
        ));
    }
    let rest = |e: &PermsEntry| PermsEntry {
        allow: 0,
        audit: 0,
        quiet: 0,
        xindex: 0,
        ..*e
    };
    if rest(old) != rest(new) {
        out.push((
            Change::Other,
            0,
            Some(format!("{:?} became {:?}", rest(old), rest(new))),
        ));
    }
    out
}

/// Walks `old` and `new` (a missing DFA is the trap state everywhere)
/// from `start` and returns each distinct change once, with its shortest
/// input, plus the number of distinct changes beyond [`MAX_FINDINGS`].
pub fn dfa_findings(
    old: Option<&PdbView<'_>>,
    new: Option<&PdbView<'_>>,
    start: (u32, u32),
    kind: DfaKind,
) -> (Vec<DfaFinding>, usize) {
    let access = |view: Option<&PdbView<'_>>, state: u32| {
        view.map_or([PermsEntry::default(); 2], |v| v.access(state))
    };
    let mut found: BTreeMap<(Change, Whom, u32), DfaFinding> = BTreeMap::new();
    let mut more = 0;
    let step_old = move |state: u32, s: Step| old.map_or(0, |v| v.step(state, s));
    let step_new = move |state: u32, s: Step| new.map_or(0, |v| v.step(state, s));
    walk_pairs(
        &step_old,
        &step_new,
        start,
        &steps(kind),
        |(a, b), witnesses| {
            // The file DFA's start state stands for the empty path, which
            // the kernel never looks up (paths are absolute); parsers
            // differ in what they store there (4.1 vs 5.0 perms tables).
            if kind == DfaKind::File && (a, b) == start {
                return true;
            }
            let (eo, en) = (access(old, a), access(new, b));
            if eo == en {
                return true;
            }
            let per_half = |i: usize| entry_changes(&eo[i], &en[i], (old, new));
            let mut changes: Vec<(Whom, EntryChange)> = Vec::new();
            match kind {
                DfaKind::Policy => {
                    changes.extend(per_half(0).into_iter().map(|c| (Whom::Everyone, c)))
                }
                DfaKind::File => {
                    let (owner, other) = (per_half(0), per_half(1));
                    for c in &owner {
                        let whom = if other.contains(c) {
                            Whom::Everyone
                        } else {
                            Whom::Owner
                        };
                        changes.push((whom, c.clone()));
                    }
                    changes.extend(
                        other
                            .into_iter()
                            .filter(|c| !owner.contains(c))
                            .map(|c| (Whom::Other, c)),
                    );
                }
            }
            for (whom, (change, bits, detail)) in changes {
                let key = (change, whom, bits);
                if found.contains_key(&key) {
                    continue;
                }
                if found.len() >= MAX_FINDINGS {
                    more += 1;
                    continue;
                }
                let input = witnesses
                    .input((a, b))
                    .into_iter()
                    .filter_map(|s| match s {
                        Step::Byte(b) => Some(b),
                        Step::Oob => None,
                    })
                    .collect();
                found.insert(
                    key,
                    DfaFinding {
                        change,
                        whom,
                        bits,
                        input,
                        detail,
                    },
                );
            }
            true
        },
    );
    let mut findings: Vec<DfaFinding> = found.into_values().collect();
    findings.sort_by_key(|f| (f.input.len(), f.change));
    (findings, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(allow: u32, audit: u32) -> PermsEntry {
        PermsEntry {
            allow,
            audit,
            ..PermsEntry::default()
        }
    }

    #[test]
    fn entry_changes_split_allow_revoke_and_logging() {
        let changes = entry_changes(&entry(0x4, 0), &entry(0x2, 0x2), (None, None));
        let kinds: Vec<(Change, u32)> = changes.iter().map(|(c, b, _)| (*c, *b)).collect();
        assert_eq!(
            kinds,
            [
                (Change::Allows, 0x2),
                (Change::Revokes, 0x4),
                (Change::Logging, 0x2)
            ]
        );
        assert!(entry_changes(&entry(0x4, 0), &entry(0x4, 0), (None, None)).is_empty());
    }

    #[test]
    fn missing_dfas_are_equal() {
        let (found, more) = dfa_findings(None, None, (START, START), DfaKind::File);
        assert!(found.is_empty() && more == 0);
    }

    const START: u32 = crate::tables::read::START_STATE;

    #[test]
    fn path_witnesses_prefer_letters() {
        let order = steps(DfaKind::File);
        assert_eq!(order[0], Step::Byte(b'a'));
        assert_eq!(order.len(), 256);
        assert_eq!(steps(DfaKind::Policy)[0], Step::Byte(0));
    }
}
