//! Decoding and verifying a DFA table set (binary-format §3.1–3.5): the
//! reader beside the packer, used by `dump` and by anything that needs to
//! run a compiled DFA (`query`, `diff`).

use serde::Serialize;
use thiserror::Error;

/// The table-set magic number (big-endian in the blob).
pub const MAGIC: u32 = 0x1B5E_783D;
/// Header flag: some states are differentially encoded.
pub const FLAG_DIFF_ENCODE: u16 = 0x1;
/// Header flag: out-of-band transitions are present.
pub const FLAG_OOB: u16 = 0x2;
/// BASE flag: this state is differentially encoded.
pub const BASE_DIFF_ENCODE: u32 = 0x8000_0000;
/// BASE flag: this state has an out-of-band transition (slot base − 1).
pub const BASE_OOB: u32 = 0x2000_0000;
/// The start state of every DFA a parser writes (the kernel's default for
/// `start` / `dfa_start`); state 0 is the trap state.
pub const START_STATE: u32 = 1;
/// BASE bits holding the NEXT/CHECK index.
pub const BASE_INDEX_MASK: u32 = 0x00FF_FFFF;

/// Table identifiers (flex numbering, §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TableId {
    Accept = 1,
    Base = 2,
    Check = 3,
    Default = 4,
    Equiv = 5,
    Meta = 6,
    Accept2 = 7,
    Next = 8,
}

impl TableId {
    fn from_u16(id: u16) -> Option<TableId> {
        Some(match id {
            1 => TableId::Accept,
            2 => TableId::Base,
            3 => TableId::Check,
            4 => TableId::Default,
            5 => TableId::Equiv,
            6 => TableId::Meta,
            7 => TableId::Accept2,
            8 => TableId::Next,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            TableId::Accept => "ACCEPT",
            TableId::Base => "BASE",
            TableId::Check => "CHECK",
            TableId::Default => "DEFAULT",
            TableId::Equiv => "EQUIV",
            TableId::Meta => "META",
            TableId::Accept2 => "ACCEPT2",
            TableId::Next => "NEXT",
        }
    }
}

/// Why a DFA blob is not one the kernel would load. Offsets are relative
/// to the first byte of the DFA (the magic number).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TableError {
    #[error("DFA offset {offset}: truncated: {what} needs {needed} bytes, {available} left")]
    Truncated {
        offset: usize,
        what: &'static str,
        needed: usize,
        available: usize,
    },
    #[error("DFA offset 0: bad magic {found:#010x} (expected {MAGIC:#010x})")]
    BadMagic { found: u32 },
    #[error("DFA offset 4: header size {hsize} is invalid for a {len}-byte DFA")]
    BadHeaderSize { hsize: u32, len: usize },
    #[error("DFA offset 12: unknown header flags {flags:#06x}")]
    BadHeaderFlags { flags: u16 },
    #[error("DFA offset {offset}: unknown table id {id}")]
    UnknownTable { offset: usize, id: u16 },
    #[error("DFA offset {offset}: {table} table has element size {size}, expected {expected}")]
    BadElementSize {
        offset: usize,
        table: &'static str,
        size: u16,
        expected: &'static str,
    },
    #[error("DFA offset {offset}: {table} table appears twice")]
    DuplicateTable { offset: usize, table: &'static str },
    #[error("DFA offset {offset}: {table} table is empty")]
    EmptyTable { offset: usize, table: &'static str },
    #[error("DFA: required {table} table is missing")]
    MissingTable { table: &'static str },
    #[error("DFA: {table} has {found} entries, expected {expected}")]
    LengthMismatch {
        table: &'static str,
        found: usize,
        expected: usize,
    },
    #[error("DFA state {state}: {what}")]
    BadState { state: usize, what: String },
    #[error("DFA transition slot {slot}: {table} value {value} is not a state (< {states})")]
    BadSlot {
        slot: usize,
        table: &'static str,
        value: u32,
        states: usize,
    },
}

/// Where one table sits in the blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TableInfo {
    pub id: TableId,
    /// Element size in bytes (1, 2 or 4).
    pub element_size: u16,
    /// Number of elements (td_lolen).
    pub count: u32,
    /// Offset of the table header from the start of the DFA.
    pub offset: usize,
}

/// A decoded, verified DFA table set.
///
/// Everything [`DfaTables::parse`] returns passed the kernel's checks
/// (§3.5), so for every state `s`: `default[s]`, every NEXT/CHECK value
/// and every reachable lookup index are in range, and diff-encode chains
/// terminate. The matching helpers still never index out of bounds even if
/// the public fields are edited afterwards (they treat a bad index as the
/// trap state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DfaTables {
    /// Header flags ([`FLAG_DIFF_ENCODE`], [`FLAG_OOB`]).
    pub flags: u16,
    /// Header size (24 from every parser).
    pub header_size: u32,
    /// The header's total-size field; the kernel ignores it, parsers set it
    /// to the DFA length.
    pub declared_size: u32,
    /// ACCEPT: packed permissions, or a perms-table index (§4).
    pub accept: Vec<u32>,
    pub accept2: Option<Vec<u32>>,
    /// Byte → equivalence class, when the table set has one.
    pub equiv: Option<Vec<u8>>,
    pub base: Vec<u32>,
    pub default: Vec<u32>,
    pub next: Vec<u32>,
    pub check: Vec<u32>,
    /// Element size of DEFAULT/NEXT/CHECK: 2, or 4 with `policy/state32`.
    pub state_width: u16,
    /// The tables in blob order.
    pub layout: Vec<TableInfo>,
}

/// The reconstructed transitions of one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transitions {
    /// The "otherwise" state (or, for a diff-encoded state, the state whose
    /// transitions this one inherits).
    pub default: u32,
    pub diff_encoded: bool,
    /// Target of the out-of-band transition, if the state has one.
    pub oob: Option<u32>,
    /// Explicitly stored (symbol, target) pairs, ascending by symbol. With
    /// an EQUIV table the symbols are equivalence classes, not bytes.
    pub explicit: Vec<(u8, u32)>,
}

/// Big-endian cursor over the DFA bytes.
struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, what: &'static str, n: usize) -> Result<&'a [u8], TableError> {
        let available = self.data.len() - self.pos;
        if n > available {
            return Err(TableError::Truncated {
                offset: self.pos,
                what,
                needed: n,
                available,
            });
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn be16(&mut self, what: &'static str) -> Result<u16, TableError> {
        let b = self.take(what, 2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn be32(&mut self, what: &'static str) -> Result<u32, TableError> {
        let b = self.take(what, 4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn align8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

/// Decodes `count` big-endian elements of `size` bytes.
fn elements(bytes: &[u8], size: usize) -> Vec<u32> {
    bytes
        .chunks_exact(size)
        .map(|c| c.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
        .collect()
}

impl DfaTables {
    /// Decodes a DFA table set and applies the kernel's verification.
    pub fn parse(data: &[u8]) -> Result<DfaTables, TableError> {
        let mut c = Cursor { data, pos: 0 };
        let magic = c.be32("magic")?;
        if magic != MAGIC {
            return Err(TableError::BadMagic { found: magic });
        }
        let header_size = c.be32("header size")?;
        let declared_size = c.be32("total size")?;
        let flags = c.be16("header flags")?;
        if header_size < 14 || header_size as usize > data.len() {
            return Err(TableError::BadHeaderSize {
                hsize: header_size,
                len: data.len(),
            });
        }
        if flags & !(FLAG_DIFF_ENCODE | FLAG_OOB) != 0 {
            return Err(TableError::BadHeaderFlags { flags });
        }
        c.pos = header_size as usize;

        let mut tables = DfaTables {
            flags,
            header_size,
            declared_size,
            accept: Vec::new(),
            accept2: None,
            equiv: None,
            base: Vec::new(),
            default: Vec::new(),
            next: Vec::new(),
            check: Vec::new(),
            state_width: 0,
            layout: Vec::new(),
        };
        while c.pos < data.len() {
            tables.read_table(&mut c)?;
        }
        tables.verify()?;
        Ok(tables)
    }

    fn read_table(&mut self, c: &mut Cursor<'_>) -> Result<(), TableError> {
        let offset = c.pos;
        let raw_id = c.be16("table id")?;
        let element_size = c.be16("table element size")?;
        let _hilen = c.be32("table hilen")?;
        let count = c.be32("table length")?;
        let id = match TableId::from_u16(raw_id) {
            Some(id) if id != TableId::Meta => id,
            _ => return Err(TableError::UnknownTable { offset, id: raw_id }),
        };
        let table = id.label();
        let bad_size = |expected| TableError::BadElementSize {
            offset,
            table,
            size: element_size,
            expected,
        };
        match id {
            TableId::Accept | TableId::Accept2 | TableId::Base if element_size != 4 => {
                return Err(bad_size("4"));
            }
            TableId::Default | TableId::Next | TableId::Check
                if element_size != 2 && element_size != 4 =>
            {
                return Err(bad_size("2 or 4"));
            }
            TableId::Equiv if element_size != 1 => return Err(bad_size("1")),
            _ => {}
        }
        if count == 0 {
            return Err(TableError::EmptyTable { offset, table });
        }
        if self.layout.iter().any(|t| t.id == id) {
            return Err(TableError::DuplicateTable { offset, table });
        }
        let body_len = (count as usize).saturating_mul(element_size as usize);
        let padded = align8(12 + body_len) - 12;
        let body = c.take("table data", padded)?;
        let values = elements(&body[..body_len], element_size as usize);
        match id {
            TableId::Accept => self.accept = values,
            TableId::Accept2 => self.accept2 = Some(values),
            TableId::Base => self.base = values,
            TableId::Equiv => self.equiv = Some(values.into_iter().map(|v| v as u8).collect()),
            TableId::Default | TableId::Next | TableId::Check => {
                if self.state_width != 0 && self.state_width != element_size {
                    return Err(bad_size("the same size as the other state tables"));
                }
                self.state_width = element_size;
                match id {
                    TableId::Default => self.default = values,
                    TableId::Next => self.next = values,
                    _ => self.check = values,
                }
            }
            TableId::Meta => unreachable!("rejected above"),
        }
        self.layout.push(TableInfo {
            id,
            element_size,
            count,
            offset,
        });
        Ok(())
    }

    fn has(&self, id: TableId) -> bool {
        self.layout.iter().any(|t| t.id == id)
    }

    /// The kernel's table and state checks (§3.2–3.5).
    fn verify(&self) -> Result<(), TableError> {
        for id in [
            TableId::Accept,
            TableId::Base,
            TableId::Default,
            TableId::Next,
            TableId::Check,
        ] {
            if !self.has(id) {
                return Err(TableError::MissingTable { table: id.label() });
            }
        }
        let states = self.base.len();
        let slots = self.next.len();
        let same = |table: &'static str, found: usize, expected: usize| {
            if found == expected {
                Ok(())
            } else {
                Err(TableError::LengthMismatch {
                    table,
                    found,
                    expected,
                })
            }
        };
        same("ACCEPT", self.accept.len(), states)?;
        if let Some(accept2) = &self.accept2 {
            same("ACCEPT2", accept2.len(), states)?;
        }
        same("DEFAULT", self.default.len(), states)?;
        same("CHECK", self.check.len(), slots)?;
        if let Some(equiv) = &self.equiv {
            same("EQUIV", equiv.len(), 256)?;
        }
        for s in 0..states {
            self.verify_state(s)?;
        }
        for (slot, (&next, &check)) in self.next.iter().zip(&self.check).enumerate() {
            for (table, value) in [("NEXT", next), ("CHECK", check)] {
                if value as usize >= states {
                    return Err(TableError::BadSlot {
                        slot,
                        table,
                        value,
                        states,
                    });
                }
            }
        }
        self.verify_diff_chains()
    }

    fn verify_state(&self, s: usize) -> Result<(), TableError> {
        let bad = |what: String| TableError::BadState { state: s, what };
        let base = self.base[s];
        let index = (base & BASE_INDEX_MASK) as usize;
        if base & !(BASE_INDEX_MASK | BASE_DIFF_ENCODE | BASE_OOB) != 0 {
            return Err(bad(format!("BASE {base:#010x} has unknown flag bits")));
        }
        if self.default[s] as usize >= self.base.len() {
            return Err(bad(format!("DEFAULT {} is not a state", self.default[s])));
        }
        if index + 255 >= self.next.len() {
            return Err(bad(format!(
                "BASE index {index} + 255 is beyond the {} transition slots",
                self.next.len()
            )));
        }
        if base & BASE_DIFF_ENCODE != 0 && self.flags & FLAG_DIFF_ENCODE == 0 {
            return Err(bad("diff-encoded but the header lacks the flag".into()));
        }
        if base & BASE_OOB != 0 {
            if self.flags & FLAG_OOB == 0 {
                return Err(bad(
                    "out-of-band transition but the header lacks the flag".into()
                ));
            }
            if index < 1 {
                return Err(bad("out-of-band transition with BASE index 0".into()));
            }
        }
        Ok(())
    }

    /// Every chain of diff-encoded states must end (no cycles).
    fn verify_diff_chains(&self) -> Result<(), TableError> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnPath,
            Done,
        }
        let mut marks = vec![Mark::New; self.base.len()];
        let mut path = Vec::new();
        for start in 0..self.base.len() {
            let mut s = start;
            while marks[s] == Mark::New && self.base[s] & BASE_DIFF_ENCODE != 0 {
                marks[s] = Mark::OnPath;
                path.push(s);
                s = self.default[s] as usize;
            }
            if marks[s] == Mark::OnPath {
                return Err(TableError::BadState {
                    state: s,
                    what: "diff-encode chain loops".into(),
                });
            }
            for p in path.drain(..) {
                marks[p] = Mark::Done;
            }
            marks[s] = Mark::Done;
        }
        Ok(())
    }

    /// Number of states, including the trap state 0.
    pub fn state_count(&self) -> usize {
        self.base.len()
    }

    /// Number of NEXT/CHECK slots.
    pub fn slot_count(&self) -> usize {
        self.next.len()
    }

    /// The symbol a byte is looked up with (its class with EQUIV).
    pub fn symbol(&self, byte: u8) -> u8 {
        match &self.equiv {
            Some(equiv) => equiv.get(byte as usize).copied().unwrap_or(byte),
            None => byte,
        }
    }

    fn index(&self, state: u32) -> Option<(u32, usize)> {
        let base = *self.base.get(state as usize)?;
        Some((base, (base & BASE_INDEX_MASK) as usize))
    }

    /// The state's own stored transition on `symbol`, if CHECK says the slot
    /// is the state's.
    fn stored(&self, state: u32, symbol: u8) -> Option<u32> {
        let (_, index) = self.index(state)?;
        let slot = index + symbol as usize;
        (self.check.get(slot) == Some(&state)).then(|| self.next.get(slot).copied())?
    }

    /// The state's transitions as stored: explicit pairs (a transition on
    /// symbol c exists iff CHECK[base + c] == s) plus the default. The trap
    /// state 0 has none: unused slots carry CHECK 0, so its apparent
    /// transitions are just empty slots.
    pub fn transitions(&self, state: u32) -> Transitions {
        let Some((base, index)) = self.index(state) else {
            return Transitions {
                default: 0,
                diff_encoded: false,
                oob: None,
                explicit: Vec::new(),
            };
        };
        let default = self.default.get(state as usize).copied().unwrap_or(0);
        let oob = if base & BASE_OOB != 0 && index >= 1 {
            (self.check.get(index - 1) == Some(&state))
                .then(|| self.next.get(index - 1).copied())
                .flatten()
        } else {
            None
        };
        let explicit = if state == 0 {
            Vec::new()
        } else {
            (0..=255u8)
                .filter_map(|c| self.stored(state, c).map(|to| (c, to)))
                .collect()
        };
        Transitions {
            default,
            diff_encoded: base & BASE_DIFF_ENCODE != 0,
            oob,
            explicit,
        }
    }

    /// The state reached from `state` on input `byte`, following
    /// diff-encode chains as the kernel does. Out-of-range data leads to
    /// the trap state 0.
    pub fn next(&self, state: u32, byte: u8) -> u32 {
        let symbol = self.symbol(byte);
        let mut s = state;
        // Verified chains are acyclic, so they are shorter than the state
        // count; the bound only guards edited tables.
        for _ in 0..=self.base.len() {
            if let Some(to) = self.stored(s, symbol) {
                return to;
            }
            let Some((base, _)) = self.index(s) else {
                return 0;
            };
            let default = self.default.get(s as usize).copied().unwrap_or(0);
            if base & BASE_DIFF_ENCODE == 0 {
                return default;
            }
            s = default;
        }
        0
    }

    /// The out-of-band transition of `state` (xattr separator), if any.
    pub fn next_oob(&self, state: u32) -> Option<u32> {
        self.transitions(state).oob
    }

    /// Runs `input` from `start`.
    pub fn run(&self, start: u32, input: &[u8]) -> u32 {
        input.iter().fold(start, |s, &b| self.next(s, b))
    }

    /// States with a non-zero ACCEPT word (packed permissions or a non-zero
    /// perms-table index).
    pub fn accepting_count(&self) -> usize {
        self.accept.iter().filter(|&&a| a != 0).count()
    }

    /// Total explicit transitions of all states (used NEXT/CHECK slots).
    pub fn explicit_count(&self) -> usize {
        (1..self.state_count() as u32)
            .map(|s| {
                let t = self.transitions(s);
                t.explicit.len() + usize::from(t.oob.is_some())
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serializes tables the way the parser lays them out (big-endian,
    /// 8-byte padded), for tests only.
    fn build(flags: u16, tables: &[(u16, u16, Vec<u32>)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC.to_be_bytes());
        out.extend_from_slice(&24u32.to_be_bytes());
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&flags.to_be_bytes());
        out.extend_from_slice(b"notflex\0");
        out.resize(24, 0);
        for (id, size, values) in tables {
            out.extend_from_slice(&id.to_be_bytes());
            out.extend_from_slice(&size.to_be_bytes());
            out.extend_from_slice(&0u32.to_be_bytes());
            out.extend_from_slice(&(values.len() as u32).to_be_bytes());
            for v in values {
                out.extend_from_slice(&v.to_be_bytes()[4 - *size as usize..]);
            }
            out.resize(align8(out.len()), 0);
        }
        let len = out.len() as u32;
        out[8..12].copy_from_slice(&len.to_be_bytes());
        out
    }

    /// A 3-state DFA accepting "a" (state 2): start 1 --'a'--> 2.
    fn tiny(base1: u32, flags: u16) -> Vec<u8> {
        let slots = 258usize;
        let mut next = vec![0u32; slots];
        let mut check = vec![0u32; slots];
        let idx = (base1 & BASE_INDEX_MASK) as usize;
        next[idx + b'a' as usize] = 2;
        check[idx + b'a' as usize] = 1;
        build(
            flags,
            &[
                (1, 4, vec![0, 0, 4]),
                (2, 4, vec![0, base1, 0]),
                (4, 2, vec![0, 0, 0]),
                (8, 2, next),
                (3, 2, check),
            ],
        )
    }

    #[test]
    fn parses_and_matches_a_tiny_dfa() {
        let dfa = DfaTables::parse(&tiny(2, 0)).unwrap();
        assert_eq!(dfa.state_count(), 3);
        assert_eq!(dfa.run(1, b"a"), 2);
        assert_eq!(dfa.run(1, b"b"), 0);
        assert_eq!(dfa.run(1, b"aa"), 0);
        assert_eq!(dfa.transitions(1).explicit, vec![(b'a', 2)]);
        assert_eq!(dfa.transitions(0).explicit, vec![]);
        assert_eq!(dfa.accepting_count(), 1);
        assert_eq!(dfa.explicit_count(), 1);
        assert_eq!(dfa.layout.len(), 5);
    }

    #[test]
    fn base_beyond_the_slots_is_rejected() {
        let mut bytes = tiny(2, 0);
        // BASE[1] lives at header 24 + ACCEPT (12 + 12 → 24) + 12 + 4.
        let at = 24 + 24 + 12 + 4;
        bytes[at..at + 4].copy_from_slice(&10u32.to_be_bytes());
        let err = DfaTables::parse(&bytes).unwrap_err();
        assert!(
            matches!(err, TableError::BadState { state: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn diff_encode_needs_the_header_flag_and_an_acyclic_chain() {
        let err = DfaTables::parse(&tiny(2 | BASE_DIFF_ENCODE, 0)).unwrap_err();
        assert!(err.to_string().contains("header lacks the flag"), "{err}");
        // With the flag, state 1 is diff-encoded relative to 0: fine.
        let dfa = DfaTables::parse(&tiny(2 | BASE_DIFF_ENCODE, FLAG_DIFF_ENCODE)).unwrap();
        assert_eq!(dfa.run(1, b"a"), 2);
        assert_eq!(dfa.run(1, b"x"), 0);
    }

    #[test]
    fn diff_encode_loop_is_rejected() {
        let slots = 258usize;
        let bytes = build(
            FLAG_DIFF_ENCODE,
            &[
                (1, 4, vec![0, 0, 0]),
                (2, 4, vec![0, BASE_DIFF_ENCODE, BASE_DIFF_ENCODE]),
                (4, 2, vec![0, 2, 1]),
                (8, 2, vec![0; slots]),
                (3, 2, vec![0; slots]),
            ],
        );
        let err = DfaTables::parse(&bytes).unwrap_err();
        assert!(err.to_string().contains("loops"), "{err}");
    }

    #[test]
    fn missing_and_duplicate_tables_are_rejected() {
        let no_accept = build(0, &[(2, 4, vec![0]), (4, 2, vec![0])]);
        assert!(DfaTables::parse(&no_accept).is_err());
        let twice = build(0, &[(1, 4, vec![0]), (1, 4, vec![0])]);
        assert!(matches!(
            DfaTables::parse(&twice),
            Err(TableError::DuplicateTable { .. })
        ));
        let meta = build(0, &[(6, 4, vec![0])]);
        assert!(matches!(
            DfaTables::parse(&meta),
            Err(TableError::UnknownTable { id: 6, .. })
        ));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = tiny(2, 0);
        for cut in 0..bytes.len() {
            assert!(DfaTables::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
