//! The DFA blob: table-set header and tables, big-endian (binary-format
//! §3.1–3.3).

use crate::dfa::Dfa;

use super::error::TablesError;
use super::pack::pack;

const MAGIC: u32 = 0x1B5E_783D;
const HEADER_SIZE: u32 = 24;
const VERSION_NAME: &[u8] = b"notflex\0";
/// Header flag: some state has an out-of-band transition.
const FLAG_OOB: u16 = 2;
/// With 16-bit state tables the parser refuses this many states or more.
const STATE16_LIMIT: usize = 65535;

/// A table's header: id, element width, hilen, lolen.
const TABLE_HEADER_SIZE: usize = 12;

/// Table ids (flex numbering).
const ID_ACCEPT: u16 = 1;
const ID_BASE: u16 = 2;
const ID_CHECK: u16 = 3;
const ID_DEFAULT: u16 = 4;
const ID_ACCEPT2: u16 = 7;
const ID_NEXT: u16 = 8;

/// Target-kernel choices for [`write_dfa`].
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// The kernel advertises `policy/state32`: DFAs of 65535 states or more
    /// get 32-bit DEFAULT/NEXT/CHECK instead of an error.
    pub state32: bool,
}

/// Writes `dfa` as a kernel DFA blob (header, ACCEPT, ACCEPT2 if given,
/// BASE, DEFAULT, NEXT, CHECK). `accept`/`accept2` hold one word per state
/// in state-number order; what they mean is the caller's business.
///
/// The result's length is a multiple of 8.
pub fn write_dfa<R>(
    dfa: &Dfa<R>,
    accept: &[u32],
    accept2: Option<&[u32]>,
    options: &WriteOptions,
) -> Result<Vec<u8>, TablesError> {
    let states = dfa.states.len();
    for (table, words) in [("ACCEPT", Some(accept)), ("ACCEPT2", accept2)] {
        if let Some(words) = words
            && words.len() != states
        {
            return Err(TablesError::AcceptLength {
                table,
                got: words.len(),
                states,
            });
        }
    }
    let wide = states >= STATE16_LIMIT;
    if wide && !options.state32 {
        return Err(TablesError::TooManyStates { states });
    }
    let state_width = if wide { 4 } else { 2 };
    let packed = pack(dfa)?;

    // Sized up front: a large automaton's tables are megabytes, and
    // growing by doubling would hold two copies at once.
    let width = usize::from(state_width);
    let capacity = HEADER_SIZE as usize
        + table_bytes(states, 4) * if accept2.is_some() { 2 } else { 1 }
        + table_bytes(packed.base.len(), 4)
        + table_bytes(packed.default.len(), width)
        + table_bytes(packed.next.len(), width)
        + table_bytes(packed.check.len(), width);
    let mut out = Vec::with_capacity(capacity);
    out.extend_from_slice(&MAGIC.to_be_bytes());
    out.extend_from_slice(&HEADER_SIZE.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes()); // ssize, patched below
    let flags = if dfa.has_oob() { FLAG_OOB } else { 0 };
    out.extend_from_slice(&flags.to_be_bytes());
    out.extend_from_slice(VERSION_NAME);
    out.resize(HEADER_SIZE as usize, 0);

    write_table(&mut out, ID_ACCEPT, 4, accept);
    if let Some(accept2) = accept2 {
        write_table(&mut out, ID_ACCEPT2, 4, accept2);
    }
    write_table(&mut out, ID_BASE, 4, &packed.base);
    write_table(&mut out, ID_DEFAULT, state_width, &packed.default);
    write_table(&mut out, ID_NEXT, state_width, &packed.next);
    write_table(&mut out, ID_CHECK, state_width, &packed.check);

    debug_assert_eq!(out.len(), capacity, "tables sized up front exactly");
    let size = out.len() as u32;
    out[8..12].copy_from_slice(&size.to_be_bytes());
    Ok(out)
}

/// The bytes [`write_table`] writes for `words` elements of `width` bytes.
fn table_bytes(words: usize, width: usize) -> usize {
    (TABLE_HEADER_SIZE + words * width).next_multiple_of(8)
}

/// One table: id, element width, hilen 0, lolen, elements, zero padding to
/// a multiple of 8.
fn write_table(out: &mut Vec<u8>, id: u16, width: u16, words: &[u32]) {
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&(words.len() as u32).to_be_bytes());
    for &word in words {
        match width {
            2 => out.extend_from_slice(&(word as u16).to_be_bytes()),
            _ => out.extend_from_slice(&word.to_be_bytes()),
        }
    }
    out.resize(out.len().next_multiple_of(8), 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The output buffer is sized up front from `table_bytes`; a wrong size
    /// either reallocates (two copies of megabytes) or trips the debug
    /// check (found by the compile_structured fuzz target).
    #[test]
    fn table_sizes_are_exact() {
        for width in [2u16, 4] {
            for words in 0..40 {
                let mut out = Vec::new();
                write_table(&mut out, ID_NEXT, width, &vec![0; words]);
                assert_eq!(out.len(), table_bytes(words, usize::from(width)));
            }
        }
    }
}
