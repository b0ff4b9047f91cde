//! Kernel checks that tie a pdb's DFA to its permission table and xtable
//! (§4.1, §4.4): the stream reader and the DFA verifier each see only one
//! side of these.

use super::record::{Pdb, PermsEntry};
use crate::tables::read::DfaTables;
use thiserror::Error;

/// Which DFA of a record a pdb is; the file DFA's perms come in
/// (owner, other) pairs and its packed accept words carry x-indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdbKind {
    Xmatch,
    Policy,
    File,
}

/// A pdb the kernel would reject.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PdbError {
    #[error("state {state}: ACCEPT index {index} is beyond the {entries}-entry perms table")]
    AcceptIndex {
        state: usize,
        index: u32,
        entries: usize,
    },
    #[error("perms entry {entry}: {what}")]
    Entry { entry: usize, what: &'static str },
    #[error("{place}: x-index {index} names a missing xtable entry (xtable has {len})")]
    XIndex {
        place: String,
        index: u32,
        len: usize,
    },
}

/// x-index type field and its TABLE value in a perms entry (§4.4).
const X_TYPE_MASK: u32 = 0x0C00_0000;
const X_TABLE: u32 = 0x0800_0000;
const X_INDEX_MASK: u32 = 0x00FF_FFFF;

/// Checks a decoded pdb against its DFA as the kernel does.
pub fn verify_pdb(pdb: &Pdb, dfa: &DfaTables, kind: PdbKind) -> Result<(), PdbError> {
    let xtable_len = pdb.xtable.as_ref().map_or(0, Vec::len);
    match &pdb.perms {
        Some(perms) => {
            let entries = perms.entries.len();
            // The file DFA reads entry i (owner) or i + 1 (other).
            let span = if kind == PdbKind::File { 1 } else { 0 };
            for (state, &index) in dfa.accept.iter().enumerate() {
                let last = index as usize + if index == 0 { 0 } else { span };
                if last >= entries && !(index == 0 && entries == 0) {
                    return Err(PdbError::AcceptIndex {
                        state,
                        index,
                        entries,
                    });
                }
            }
            for (i, entry) in perms.entries.iter().enumerate() {
                verify_entry(entry).map_err(|what| PdbError::Entry { entry: i, what })?;
                if entry.xindex & X_TYPE_MASK == X_TABLE
                    && (entry.xindex & X_INDEX_MASK) as usize >= xtable_len
                {
                    return Err(PdbError::XIndex {
                        place: format!("perms entry {i}"),
                        index: entry.xindex & X_INDEX_MASK,
                        len: xtable_len,
                    });
                }
            }
        }
        None if kind == PdbKind::File => {
            // Packed file permissions: 4-bit exec index at bits 10–13 of
            // each 14-bit half; 4..15 name xtable entries 0..11.
            for (state, &accept) in dfa.accept.iter().enumerate() {
                for half in [accept, accept >> 14] {
                    let index = (half >> 10) & 0xF;
                    if index >= 4 && (index - 4) as usize >= xtable_len {
                        return Err(PdbError::XIndex {
                            place: format!("state {state}"),
                            index,
                            len: xtable_len,
                        });
                    }
                }
            }
        }
        None => {}
    }
    Ok(())
}

/// The kernel's consistency rules for one permission-table entry.
fn verify_entry(e: &PermsEntry) -> Result<(), &'static str> {
    let rules: [(bool, &'static str); 8] = [
        (e.allow & e.deny != 0, "allow and deny overlap"),
        (
            e.subtree & !e.allow != 0,
            "subtree is not a subset of allow",
        ),
        (
            e.cond & (e.allow | e.deny) != 0,
            "cond overlaps allow or deny",
        ),
        (e.kill & e.allow != 0, "kill overlaps allow"),
        (
            e.complain & (e.allow | e.deny) != 0,
            "complain overlaps allow or deny",
        ),
        (
            e.prompt & (e.allow | e.deny) != 0,
            "prompt overlaps allow or deny",
        ),
        (e.complain & e.prompt != 0, "complain and prompt overlap"),
        (e.hide & e.allow != 0, "hide overlaps allow"),
    ];
    if let Some((_, what)) = rules.iter().find(|(bad, _)| *bad) {
        return Err(what);
    }
    if e.tag != 0 || e.label != 0 {
        // No writer emits tag or label tables, so any index is dangling.
        return Err("tag or label index without a tag table");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_rules() {
        let ok = PermsEntry {
            allow: 0x6,
            audit: 0x4,
            ..PermsEntry::default()
        };
        assert_eq!(verify_entry(&ok), Ok(()));
        let overlap = PermsEntry {
            allow: 0x6,
            deny: 0x2,
            ..PermsEntry::default()
        };
        assert_eq!(verify_entry(&overlap), Err("allow and deny overlap"));
        let subtree = PermsEntry {
            subtree: 0x1,
            ..PermsEntry::default()
        };
        assert!(verify_entry(&subtree).is_err());
    }
}
