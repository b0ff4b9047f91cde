//! State records to what the kernel tables store (binary-format §4):
//! packed ACCEPT/ACCEPT2 words, or permission tables with an index per
//! state.

use super::AcceptTables;
use crate::dfa::Dfa;
use crate::encode::{
    FileRecord, PolicyRecord, StatePerms, accept_words, file_entry_pair, policy_entry,
};
use std::collections::BTreeMap;

/// The xmatch DFA always uses packed words (§2.2).
pub(crate) fn xmatch_accept(dfa: &Dfa<PolicyRecord>) -> (Vec<u32>, Vec<u32>) {
    dfa.states
        .iter()
        .map(|state| accept_words(&policy_state(&state.record)))
        .unzip()
}

/// The policydb's accept side: packed, or a table with one entry per
/// distinct permission set.
pub(crate) fn policy_accept(
    dfa: &Dfa<PolicyRecord>,
    unminimized: &[PolicyRecord],
    permstable: bool,
) -> AcceptTables {
    let perms: Vec<StatePerms> = dfa.states.iter().map(|s| policy_state(&s.record)).collect();
    if !permstable {
        return packed(&perms);
    }
    let all: Vec<StatePerms> = unminimized.iter().map(policy_state).collect();
    let (accept, distinct) = index_distinct(&perms, &all, 1);
    let mut entries = vec![policy_entry(&StatePerms::default())];
    entries.extend(distinct.iter().map(policy_entry));
    AcceptTables {
        accept,
        accept2: None,
        perms: Some(entries),
        permsv: None,
    }
}

/// The file DFA's accept side: packed, or a table of (user, other) entry
/// pairs, with the version-3 flags table when `permsv` is set.
pub(crate) fn file_accept(
    dfa: &Dfa<FileRecord>,
    unminimized: &[FileRecord],
    permstable: bool,
    permsv: bool,
) -> AcceptTables {
    let perms: Vec<StatePerms> = dfa.states.iter().map(|s| file_state(&s.record)).collect();
    if !permstable {
        return packed(&perms);
    }
    let all: Vec<StatePerms> = unminimized.iter().map(file_state).collect();
    let (accept, distinct) = index_distinct(&perms, &all, 2);
    let mut entries = Vec::with_capacity(2 * distinct.len() + 2);
    for p in std::iter::once(&StatePerms::default()).chain(&distinct) {
        let (user, other) = file_entry_pair(p);
        entries.push(user);
        entries.push(other);
    }
    let accept2 = permsv.then(|| {
        (0..perms.len())
            .map(|state| u32::from(state > 1))
            .collect::<Vec<_>>()
    });
    AcceptTables {
        accept,
        accept2,
        perms: Some(entries),
        permsv: permsv.then_some(3),
    }
}

fn packed(perms: &[StatePerms]) -> AcceptTables {
    let (accept, accept2) = perms.iter().map(accept_words).unzip();
    AcceptTables {
        accept,
        accept2: Some(accept2),
        perms: None,
        permsv: None,
    }
}

/// The parser's sort key of a permission set: (allow, deny, prompt,
/// audit, quiet).
type PermsKey = (u32, u32, u32, u32, u32);

fn key(perms: &StatePerms, deny: u32) -> PermsKey {
    (perms.allow, deny, perms.prompt, perms.audit, perms.quiet)
}

/// The distinct permission sets of the table in the parser's order, and
/// each state's entry index, each set taking `stride` entries after the
/// `stride` entries reserved for the nonmatching state.
///
/// The parser's set holds each accepting state's permissions twice, before
/// and after "filter deny" (with and without the denied bits); both map to
/// the same kernel entry, so a state with denied bits yields a second,
/// unused entry (seen in 5.0.2's blobs). The sets come from the states
/// before minimisation (`all`), so a denied-only state that minimisation
/// folded into the nonmatching state still has its entry. States use the
/// filtered entry, and
/// the nonmatching and start states use entry 0 (the start state is never
/// indexed).
fn index_distinct(
    perms: &[StatePerms],
    all: &[StatePerms],
    stride: u32,
) -> (Vec<u32>, Vec<StatePerms>) {
    let mut sets: BTreeMap<PermsKey, StatePerms> = BTreeMap::new();
    for p in all.iter().filter(|p| p.is_accept() || p.deny != 0) {
        sets.insert(key(p, 0), *p);
        sets.insert(key(p, p.deny), *p);
    }
    sets.remove(&(0, 0, 0, 0, 0));
    let position: BTreeMap<PermsKey, u32> = sets
        .keys()
        .enumerate()
        .map(|(n, key)| (*key, stride * (n as u32 + 1)))
        .collect();
    let accept = perms
        .iter()
        .enumerate()
        .map(|(state, p)| match state {
            0 | 1 => 0,
            _ => position.get(&key(p, 0)).copied().unwrap_or(0),
        })
        .collect();
    (accept, sets.into_values().collect())
}

fn policy_state(record: &PolicyRecord) -> StatePerms {
    record.state().copied().unwrap_or_default()
}

fn file_state(record: &FileRecord) -> StatePerms {
    record.state().copied().unwrap_or_default()
}
