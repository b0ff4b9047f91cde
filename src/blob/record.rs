//! The profile record (§1.5, §2): every field the parser writes or the
//! kernel reads, in stream order.
//!
//! Text fields are raw bytes *without* the terminating NUL the stream adds
//! (profile names need not be UTF-8, and xtable entries may hold a NUL).
//! Optional fields are `Option`s: `None` means "not in the stream", which
//! is what makes read → write reproduce the input exactly.

use serde::Serialize;

/// One serialized profile with its version header. A blob is a sequence of
/// these; hats and child profiles are records of their own (§1.5).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProfileRecord {
    /// The `version` header word (§1.5): kabi in bits 0–9, and for kabi > 5
    /// force-complain (bit 11), parser ABI (12–19) and policy version
    /// (20–27). See [`crate::features::Features::version_word`].
    pub version: u32,
    /// Record-level `namespace` (only for `profile :ns:name`).
    pub namespace: Option<Vec<u8>>,
    /// Full hierarchical profile name (`parent//child` for children).
    pub name: Vec<u8>,
    /// `rename` (kernel reads it; parsers never write it).
    pub rename: Option<Vec<u8>>,
    /// `attach` string (kernel reads it; parsers never write it).
    pub attach: Option<Vec<u8>>,
    /// The attachment DFA and its minimum match length (§2.2).
    pub xmatch: Option<Xmatch>,
    /// `disconnected` path (`attach_disconnected.path=`).
    pub disconnected: Option<Vec<u8>>,
    /// `disconnected_ipc` path (HEAD parsers only).
    pub disconnected_ipc: Option<Vec<u8>>,
    /// `kill` signal number (`kill.signal=`).
    pub kill: Option<u32>,
    /// `error` errno (`error=`, HEAD parsers only).
    pub error: Option<u32>,
    /// The mandatory `flags` struct (§2.4).
    pub flags: RecordFlags,
    /// `path_flags` (§2.5); absent means the kernel default.
    pub path_flags: Option<u32>,
    /// Capability words (§2.6).
    pub caps: Caps,
    /// `capsx` extended capability mask: (low word, high word).
    pub capsx: Option<(u32, u32)>,
    /// `identity` label list (HEAD parsers with `domain/identity` only).
    pub identity: Option<Vec<Vec<u8>>>,
    /// `xattrs` names in declaration order (§2.8).
    pub xattrs: Option<Vec<Vec<u8>>>,
    /// `rlimits` (§2.7).
    pub rlimits: Option<Rlimits>,
    /// `secmark` entries (never written by parsers).
    pub secmark: Option<Vec<Secmark>>,
    /// `net_allowed_af`: per address family (allow, audit, quiet) type masks;
    /// written only for kernels with the old `network` feature and no
    /// `network_v8` (out-of-tree kernels read it).
    pub net_allowed_af: Option<Vec<[u16; 3]>>,
    /// The `policydb` struct (§2.9).
    pub policydb: Option<Pdb>,
    /// The file DFA and its xtable (§2.10).
    pub file: Option<Pdb>,
    /// `data` key/value pairs (kernel reads them; parsers never write them).
    pub data: Option<Vec<(Vec<u8>, Vec<u8>)>>,
}

/// The attachment DFA of a profile (§2.2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Xmatch {
    pub pdb: Pdb,
    /// Minimum length of a string the attachment matches.
    pub len: u32,
}

/// The `flags` struct (§2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RecordFlags {
    /// Flag bits: 0x1 hat, 0x2 debug1, 0x4 debug2, 0x8 interruptible, …
    pub flags: u32,
    /// Packed mode: 0 enforce, 1 complain, 2 kill, 3 unconfined, 4 user/prompt.
    pub mode: u32,
    /// 1 if the profile has the `audit` flag.
    pub audit: u32,
}

/// Capability masks (§2.6): bit n = capability n.
///
/// The stream holds the low 32 bits of allow/audit/quiet plus a reserved
/// word, then (in the optional `caps64` struct) the high 32 bits plus
/// another reserved word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Caps {
    pub allow: u64,
    pub audit: u64,
    pub quiet: u64,
    /// The fourth word of the low group and of `caps64` (always 0 from
    /// parsers; kept so odd input round-trips).
    pub reserved: [u32; 2],
    /// Whether `caps64` is written. Parsers always write it. The writer
    /// also writes it whenever a high bit or high reserved word is set, so
    /// no information is dropped.
    pub caps64: bool,
}

impl Caps {
    /// Capability words as every parser writes them: reserved words 0 and
    /// the `caps64` struct present.
    pub fn new(allow: u64, audit: u64, quiet: u64) -> Self {
        Caps {
            allow,
            audit,
            quiet,
            reserved: [0, 0],
            caps64: true,
        }
    }
}

/// The `rlimits` struct (§2.7).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Rlimits {
    /// Bit r set ⇔ limit r was specified.
    pub mask: u32,
    /// One value per Linux rlimit (16 from parsers), unset ones 0.
    pub values: Vec<u64>,
}

/// One `secmark` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Secmark {
    pub audit: u8,
    pub deny: u8,
    pub label: Vec<u8>,
}

/// A policy-DB sub-record (§2.3): optional permission table, the DFA and
/// an optional xtable. Used for the xmatch, the policydb and the file DFA.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Pdb {
    /// The permission table (permstable32 format, §4.4); `None` means the
    /// DFA uses packed ACCEPT/ACCEPT2 permissions.
    pub perms: Option<PermsTable>,
    /// `permsv` (written after the perms table by permstable32 v3 parsers).
    pub permsv: Option<u32>,
    /// The DFA table set, exactly as stored (no alignment padding); decode
    /// it with [`crate::tables::read::DfaTables::parse`].
    #[serde(skip)]
    pub dfa: Vec<u8>,
    /// `start`: the DFA's start state if not 1 (never written by parsers).
    pub start: Option<u32>,
    /// `dfa_start`: the file start state if not 1 (never written by parsers).
    pub dfa_start: Option<u32>,
    /// The exec-transition table: raw entries without their terminating
    /// NUL; namespace entries keep their one embedded NUL (§2.10).
    pub xtable: Option<Vec<Vec<u8>>>,
}

/// The `perms` struct of a pdb (§4.4).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PermsTable {
    /// The table format version (1 from every parser).
    pub version: u32,
    pub entries: Vec<PermsEntry>,
}

/// One permission-table entry: 14 u32 in stream order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct PermsEntry {
    pub reserved: u32,
    pub allow: u32,
    pub deny: u32,
    pub subtree: u32,
    pub cond: u32,
    pub kill: u32,
    pub complain: u32,
    pub prompt: u32,
    pub audit: u32,
    pub quiet: u32,
    pub hide: u32,
    pub xindex: u32,
    pub tag: u32,
    pub label: u32,
}

impl PermsEntry {
    /// Number of u32 words per entry in the stream.
    pub const WORDS: usize = 14;

    /// The words in stream order.
    pub fn to_words(&self) -> [u32; Self::WORDS] {
        [
            self.reserved,
            self.allow,
            self.deny,
            self.subtree,
            self.cond,
            self.kill,
            self.complain,
            self.prompt,
            self.audit,
            self.quiet,
            self.hide,
            self.xindex,
            self.tag,
            self.label,
        ]
    }

    /// An entry from words in stream order.
    pub fn from_words(w: [u32; Self::WORDS]) -> Self {
        PermsEntry {
            reserved: w[0],
            allow: w[1],
            deny: w[2],
            subtree: w[3],
            cond: w[4],
            kill: w[5],
            complain: w[6],
            prompt: w[7],
            audit: w[8],
            quiet: w[9],
            hide: w[10],
            xindex: w[11],
            tag: w[12],
            label: w[13],
        }
    }
}

impl Pdb {
    /// A pdb with only a packed-permission DFA.
    pub fn packed(dfa: Vec<u8>) -> Self {
        Pdb {
            dfa,
            ..Pdb::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perms_entry_words_are_in_stream_order() {
        let words: [u32; 14] = std::array::from_fn(|i| i as u32 * 3 + 1);
        let entry = PermsEntry::from_words(words);
        assert_eq!(entry.allow, 4);
        assert_eq!(entry.label, 40);
        assert_eq!(entry.to_words(), words);
    }
}
