//! State records to what the kernel tables store (binary-format §4):
//! packed ACCEPT/ACCEPT2 words, or permission tables with an index per
//! state.

use super::AcceptTables;
use crate::blob::PermsEntry;
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
pub(crate) fn policy_accept(dfa: &Dfa<PolicyRecord>, permstable: bool) -> AcceptTables {
    let perms: Vec<StatePerms> = dfa.states.iter().map(|s| policy_state(&s.record)).collect();
    if !permstable {
        return packed(&perms);
    }
    let (index, distinct) = index_distinct(&perms, 1);
    let mut entries = vec![convert(policy_entry(&StatePerms::default()))];
    entries.extend(distinct.iter().map(|p| convert(policy_entry(p))));
    AcceptTables {
        accept: indices(&perms, &index),
        accept2: None,
        perms: Some(entries),
        permsv: None,
    }
}

/// The file DFA's accept side: packed, or a table of (user, other) entry
/// pairs, with the version-3 flags table when `permsv` is set.
pub(crate) fn file_accept(dfa: &Dfa<FileRecord>, permstable: bool, permsv: bool) -> AcceptTables {
    let perms: Vec<StatePerms> = dfa.states.iter().map(|s| file_state(&s.record)).collect();
    if !permstable {
        return packed(&perms);
    }
    let (index, distinct) = index_distinct(&perms, 2);
    let mut entries = Vec::with_capacity(2 * distinct.len() + 2);
    for p in std::iter::once(&StatePerms::default()).chain(&distinct) {
        let (user, other) = file_entry_pair(p);
        entries.push(convert(user));
        entries.push(convert(other));
    }
    let accept2 = permsv.then(|| {
        (0..perms.len())
            .map(|state| u32::from(state > 1))
            .collect::<Vec<_>>()
    });
    AcceptTables {
        accept: indices(&perms, &index),
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

/// Table indices for the distinct accepting permission sets in the
/// parser's order (sorted), each taking `stride` entries after the
/// `stride` entries reserved for the nonmatching state.
fn index_distinct(
    perms: &[StatePerms],
    stride: u32,
) -> (BTreeMap<StatePerms, u32>, Vec<StatePerms>) {
    let mut index = BTreeMap::new();
    for p in perms.iter().filter(|p| p.is_accept()) {
        index.insert(*p, 0);
    }
    let distinct: Vec<StatePerms> = index.keys().copied().collect();
    for (n, p) in distinct.iter().enumerate() {
        index.insert(*p, stride * (n as u32 + 1));
    }
    (index, distinct)
}

/// ACCEPT words: the entry index of each state, with the nonmatching and
/// start states both 0 (the parser never indexes the start state).
fn indices(perms: &[StatePerms], index: &BTreeMap<StatePerms, u32>) -> Vec<u32> {
    perms
        .iter()
        .enumerate()
        .map(|(state, p)| {
            if state < 2 {
                0
            } else {
                index.get(p).copied().unwrap_or(0)
            }
        })
        .collect()
}

fn convert(entry: crate::encode::PermsEntry) -> PermsEntry {
    PermsEntry::from_words(entry.words())
}

fn policy_state(record: &PolicyRecord) -> StatePerms {
    record.state().copied().unwrap_or_default()
}

fn file_state(record: &FileRecord) -> StatePerms {
    record.state().copied().unwrap_or_default()
}
