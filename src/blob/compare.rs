//! Semantic comparison of two DFAs: do they give every input the same
//! permissions? Used to tell a real difference between two blobs from a
//! harmless one (state numbering, comb packing, diff encoding, perms-table
//! order), and to produce an input that shows the difference.

use super::record::{Pdb, PermsEntry};
use crate::tables::read::{DfaTables, START_STATE};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

/// One input symbol: a byte, or the out-of-band separator (xattrs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Step {
    Byte(u8),
    Oob,
}

/// What a state grants, independent of how the blob stores it: the packed
/// ACCEPT/ACCEPT2 words, or the perms-table entries the ACCEPT index
/// selects (the owner/other pair for a file DFA).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Grant {
    Packed { accept: u32, accept2: u32 },
    Table(Vec<PermsEntry>),
}

/// An input as text: bytes escaped like [`super::dump::escape`], the
/// out-of-band separator as `<oob>`.
pub fn input_text(input: &[Step]) -> String {
    input
        .iter()
        .map(|step| match step {
            Step::Byte(b) => std::slice::from_ref(b).escape_ascii().to_string(),
            Step::Oob => "<oob>".to_string(),
        })
        .collect()
}

impl std::fmt::Display for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Grant::Packed { accept, accept2 } => {
                write!(f, "accept {accept:#x} accept2 {accept2:#x}")
            }
            Grant::Table(entries) => {
                let shown: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        format!(
                            "allow {:#x} deny {:#x} audit {:#x} quiet {:#x} xindex {:#x}",
                            e.allow, e.deny, e.audit, e.quiet, e.xindex
                        )
                    })
                    .collect();
                write!(f, "[{}]", shown.join("; "))
            }
        }
    }
}

/// The shortest input (breadth first) on which two DFAs disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub input: Vec<Step>,
    pub left: Grant,
    pub right: Grant,
}

/// A pdb's DFA with the permission lookup its format needs.
pub struct Matcher<'a> {
    pub dfa: &'a DfaTables,
    pdb: &'a Pdb,
    /// File DFAs index (owner, other) pairs in the perms table.
    pair: bool,
}

impl<'a> Matcher<'a> {
    /// `file` selects pair lookups in a perms table (§4.4).
    pub fn new(dfa: &'a DfaTables, pdb: &'a Pdb, file: bool) -> Self {
        Matcher {
            dfa,
            pdb,
            pair: file,
        }
    }

    /// What `state` grants.
    pub fn grant(&self, state: u32) -> Grant {
        let s = state as usize;
        let accept = self.dfa.accept.get(s).copied().unwrap_or(0);
        match &self.pdb.perms {
            None => Grant::Packed {
                accept,
                accept2: self
                    .dfa
                    .accept2
                    .as_ref()
                    .and_then(|a| a.get(s).copied())
                    .unwrap_or(0),
            },
            Some(table) => {
                let first = accept as usize;
                let count = if self.pair && accept != 0 { 2 } else { 1 };
                Grant::Table(
                    (first..first + count)
                        .map(|i| table.entries.get(i).copied().unwrap_or_default())
                        .collect(),
                )
            }
        }
    }

    /// The state reached from `state` on one input symbol.
    pub fn step(&self, state: u32, step: Step) -> u32 {
        match step {
            Step::Byte(b) => self.dfa.next(state, b),
            Step::Oob => self.dfa.next_oob(state).unwrap_or(0),
        }
    }
}

/// A pair of states, one per DFA.
pub type Pair = (u32, u32);

/// Every symbol once, in the order [`first_difference`] tries them:
/// out-of-band first, then bytes ascending.
pub fn all_steps() -> Vec<Step> {
    std::iter::once(Step::Oob)
        .chain((0..=255u8).map(Step::Byte))
        .collect()
}

/// The visited pairs of a [`walk_pairs`] run, each with the pair and
/// symbol it was first reached from; rebuilds the shortest input to any
/// visited pair.
pub struct Witnesses {
    seen: HashMap<Pair, Option<(Pair, Step)>>,
}

impl Witnesses {
    /// The input that first reached `pair` (empty for the start pair and
    /// for pairs never visited).
    pub fn input(&self, pair: Pair) -> Vec<Step> {
        let mut input = Vec::new();
        let mut at = pair;
        while let Some(Some((prev, step))) = self.seen.get(&at) {
            input.push(*step);
            at = *prev;
        }
        input.reverse();
        input
    }
}

/// Walks two automata in lockstep, breadth first from `start`, trying the
/// symbols in `steps` order: `visit` sees every reachable state pair once,
/// in order of its shortest input (ties broken by `steps` order), and stops
/// the walk by returning `false`. The automata are given by their step
/// functions so a missing DFA can be a constant trap state.
pub fn walk_pairs(
    left: &dyn Fn(u32, Step) -> u32,
    right: &dyn Fn(u32, Step) -> u32,
    start: Pair,
    steps: &[Step],
    mut visit: impl FnMut(Pair, &Witnesses) -> bool,
) {
    let mut witnesses = Witnesses {
        seen: HashMap::new(),
    };
    let mut queue = VecDeque::new();
    witnesses.seen.insert(start, None);
    queue.push_back(start);
    while let Some(pair @ (a, b)) = queue.pop_front() {
        if !visit(pair, &witnesses) {
            return;
        }
        for &step in steps {
            let next = (left(a, step), right(b, step));
            if let std::collections::hash_map::Entry::Vacant(slot) = witnesses.seen.entry(next) {
                slot.insert(Some((pair, step)));
                queue.push_back(next);
            }
        }
    }
}

/// Walks both DFAs in lockstep from their start states and returns the
/// first input (shortest, then lowest symbols) where their grants differ,
/// or `None` if they agree on every input.
pub fn first_difference(left: &Matcher<'_>, right: &Matcher<'_>) -> Option<Difference> {
    let mut found = None;
    walk_pairs(
        &|s, step| left.step(s, step),
        &|s, step| right.step(s, step),
        (START_STATE, START_STATE),
        &all_steps(),
        |(a, b), witnesses| {
            let (ga, gb) = (left.grant(a), right.grant(b));
            if ga == gb {
                return true;
            }
            found = Some(Difference {
                input: witnesses.input((a, b)),
                left: ga,
                right: gb,
            });
            false
        },
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::read_records;
    use crate::compile::test_support::compile_text;

    #[test]
    fn a_dfa_equals_itself_and_differs_from_another() {
        // An attachment with an xattr (xmatch with an out-of-band step)
        // and a plain literal attachment.
        let a = read_records(&compile_text(
            "/usr/bin/xattrs-test xattrs=(myvalue=foo) {\n  /foo r,\n}\n",
        ))
        .unwrap();
        let b = read_records(&compile_text("profile foo /bin/foo {\n}\n")).unwrap();
        let pa = &a[0].xmatch.as_ref().unwrap().pdb;
        let pb = &b[0].xmatch.as_ref().unwrap().pdb;
        let (da, db) = (
            DfaTables::parse(&pa.dfa).unwrap(),
            DfaTables::parse(&pb.dfa).unwrap(),
        );
        let (ma, mb) = (Matcher::new(&da, pa, false), Matcher::new(&db, pb, false));
        assert_eq!(first_difference(&ma, &ma), None);
        let diff = first_difference(&ma, &mb).expect("different attachments");
        // `/bin/foo` (8 bytes) attaches the second profile only.
        let bytes: Vec<u8> = diff
            .input
            .iter()
            .map(|s| match s {
                Step::Byte(b) => *b,
                Step::Oob => b'!',
            })
            .collect();
        assert_eq!(bytes, b"/bin/foo");
        assert_eq!(ma.grant(da.run(START_STATE, &bytes)), diff.left);
        assert_eq!(mb.grant(db.run(START_STATE, &bytes)), diff.right);
    }
}
