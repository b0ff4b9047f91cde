//! What a DFA state grants, in the kernel's permission bits (binary-format
//! §4.4, §4.5), whichever format the blob stores: packed accept words are
//! mapped exactly as the kernel maps them (the encoder's own
//! [`file_entry_pair`] / [`policy_entry`]), perms-table entries are taken
//! as they are. Both `query` and `diff` read states only through here.

use crate::blob::compare::{Grant, Matcher};
use crate::blob::{Pdb, PermsEntry};
use crate::encode::bits::{AUDIT_MASK, kernel};
use crate::encode::{StatePerms, file_entry_pair, policy_entry};
use crate::tables::read::DfaTables;
use serde::Serialize;

/// Which kind of DFA a state belongs to: file states hold an (owner,
/// other) pair, policy-DB states one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DfaKind {
    File,
    Policy,
}

/// A pdb with its parsed DFA: the matcher `query` and `diff` walk.
pub struct PdbView<'a> {
    pub pdb: &'a Pdb,
    pub dfa: DfaTables,
    pub kind: DfaKind,
}

impl<'a> PdbView<'a> {
    /// Parses the pdb's DFA (the kernel's checks included).
    pub fn new(
        pdb: &'a Pdb,
        kind: DfaKind,
    ) -> Result<PdbView<'a>, crate::tables::read::TableError> {
        Ok(PdbView {
            pdb,
            dfa: DfaTables::parse(&pdb.dfa)?,
            kind,
        })
    }

    fn matcher(&self) -> Matcher<'_> {
        Matcher::new(&self.dfa, self.pdb, self.kind == DfaKind::File)
    }

    /// The (owner, other) entries of `state`; a policy-DB state gives its
    /// one entry twice.
    pub fn access(&self, state: u32) -> [PermsEntry; 2] {
        grant_access(&self.matcher().grant(state), self.kind)
    }

    /// The state reached from `state` on `bytes`.
    pub fn run(&self, state: u32, bytes: &[u8]) -> u32 {
        self.dfa.run(state, bytes)
    }

    /// One step, for [`crate::blob::compare::walk_pairs`].
    pub fn step(&self, state: u32, step: crate::blob::compare::Step) -> u32 {
        self.matcher().step(state, step)
    }

    /// The name a table-type xindex refers to.
    pub fn xtable_entry(&self, index: usize) -> Option<&[u8]> {
        self.pdb
            .xtable
            .as_ref()
            .and_then(|t| t.get(index))
            .map(Vec::as_slice)
    }
}

/// The kernel entries of a grant.
pub fn grant_access(grant: &Grant, kind: DfaKind) -> [PermsEntry; 2] {
    match grant {
        Grant::Packed { accept, accept2 } => {
            let perms = StatePerms {
                allow: *accept,
                audit: accept2 & AUDIT_MASK,
                quiet: (accept2 >> 7) & AUDIT_MASK,
                ..StatePerms::default()
            };
            match kind {
                DfaKind::File => {
                    let (owner, other) = file_entry_pair(&perms);
                    [owner, other]
                }
                DfaKind::Policy => [policy_entry(&perms); 2],
            }
        }
        Grant::Table(entries) => {
            let first = entries.first().copied().unwrap_or_default();
            match kind {
                DfaKind::File => [first, entries.get(1).copied().unwrap_or_default()],
                DfaKind::Policy => [first; 2],
            }
        }
    }
}

/// File permission letters and their kernel bits, in the order profiles
/// write them. `w` implies `a` (a `w` rule grants both bits).
pub const FILE_PERMS: &[(char, u32)] = &[
    ('r', 0x4),
    ('w', 0x2),
    ('a', 0x8),
    ('l', kernel::MAY_LINK),
    ('k', kernel::MAY_LOCK),
    ('m', kernel::EXEC_MMAP),
    ('x', 0x1),
];

/// The kernel bits of file permission letters (`rw`, `x`, …); `None` at
/// the first unknown letter.
pub fn file_bits(letters: &str) -> Option<u32> {
    letters.chars().try_fold(0, |acc, c| {
        FILE_PERMS
            .iter()
            .find(|(l, _)| *l == c)
            .map(|(_, bit)| acc | bit)
    })
}

/// Readable names of file bits: letters, then `change_profile` /
/// `onexec`; derived bits (getattr, open, …) are left out.
pub fn file_names(bits: u32) -> Vec<String> {
    let mut names: Vec<String> = FILE_PERMS
        .iter()
        .filter(|(letter, bit)| bits & bit != 0 && !(*letter == 'a' && bits & 0x2 != 0))
        .map(|(letter, _)| letter.to_string())
        .collect();
    if bits & kernel::MAY_CHANGE_PROFILE != 0 {
        names.push("change_profile".into());
    }
    if bits & kernel::MAY_ONEXEC != 0 {
        names.push("onexec".into());
    }
    names
}

/// The canonical access words of a policy-DB class, by class byte (§5.1,
/// §5.4), in bit order: for each permission bit, the first word of the
/// class's table in [`crate::model::access`] that grants exactly it (so
/// `send`, not its synonyms `write` or `w`).
fn class_words(class: u8) -> Vec<(&'static str, u32)> {
    use crate::model::access;
    let table = match class {
        4 | 14 | 15 => access::NET,
        // Mount rules name no access; their bits are the rule kinds.
        7 => {
            return vec![("pivot_root", 0x1), ("mount", 0x2), ("umount", 0x4)];
        }
        9 | 16 => access::PTRACE,
        10 => access::SIGNAL,
        17 | 18 => access::MQUEUE,
        21 => access::USERNS,
        22 => access::IO_URING,
        32 => access::DBUS,
        _ => access::NO_ACCESS,
    };
    let mut words: Vec<(&'static str, u32)> = Vec::new();
    for &(word, bits) in table.words {
        if bits.is_power_of_two() && !words.iter().any(|(_, b)| *b == bits) {
            words.push((word, bits));
        }
    }
    words.sort_by_key(|(_, bits)| *bits);
    words
}

/// Readable names of a policy-DB class's bits; `cont_match` for the
/// continue-match flag, other bits the class has no word for in hex.
pub fn policy_names(class: u8, bits: u32) -> Vec<String> {
    let words = class_words(class);
    let mut names: Vec<String> = words
        .iter()
        .filter(|(_, bit)| bits & bit != 0)
        .map(|(w, _)| w.to_string())
        .collect();
    let named = words.iter().fold(0, |acc, (_, b)| acc | b);
    if bits & kernel::CONT_MATCH != 0 {
        names.push("cont_match".into());
    }
    let rest = bits & !named & !kernel::CONT_MATCH;
    if rest != 0 {
        names.push(format!("{rest:#x}"));
    }
    names
}

/// The permission bit of one access word of a policy-DB class.
pub fn policy_word(class: u8, word: &str) -> Option<u32> {
    class_words(class)
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, b)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_and_table_grants_read_alike() {
        // `/etc/foo r,` packed: both halves read.
        let packed = grant_access(
            &Grant::Packed {
                accept: 0x10004,
                accept2: 0,
            },
            DfaKind::File,
        );
        assert_eq!(packed[0].allow & 0x4, 0x4);
        assert_eq!(packed[1].allow & 0x4, 0x4);
        // `owner /etc/foo r,`: only the owner half.
        let owner = grant_access(
            &Grant::Packed {
                accept: 0x4,
                accept2: 0,
            },
            DfaKind::File,
        );
        assert_eq!(owner[1].allow & 0x4, 0);
        let table = grant_access(&Grant::Table(vec![packed[0], packed[1]]), DfaKind::File);
        assert_eq!(table, packed);
    }

    #[test]
    fn names() {
        assert_eq!(file_bits("rw"), Some(0x6));
        assert_eq!(file_bits("rq"), None);
        assert_eq!(file_names(0x2 | 0x8 | 0x4), ["r", "w"]);
        assert_eq!(
            policy_names(14, 0x10 | 0x20_0000 | kernel::CONT_MATCH | 0x8000),
            ["create", "bind", "cont_match", "0x8000"]
        );
        assert_eq!(policy_word(10, "receive"), Some(0x4));
        // Synonyms name no bit of their own.
        assert_eq!(policy_word(10, "read"), None);
        assert_eq!(
            policy_names(32, 0x2 | 0x4 | 0x20 | 0x40),
            ["send", "receive", "eavesdrop", "bind"]
        );
        assert_eq!(policy_names(22, 0x18), ["override_creds", "sqpoll"]);
        assert_eq!(
            policy_names(9, 0x1e),
            ["trace", "read", "tracedby", "readby"]
        );
    }
}
