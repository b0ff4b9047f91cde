//! Comb packing of a numbered DFA into BASE/DEFAULT/NEXT/CHECK, exactly as
//! the reference parser packs (binary-format §3.6).

use std::collections::HashMap;

use crate::dfa::{Dfa, NONMATCHING, START, Symbol};

use super::error::TablesError;

/// Flag in BASE: the state has an out-of-band transition (slot base − 1).
pub const BASE_OOB: u32 = 0x2000_0000;
/// The largest BASE index (24 bits).
const BASE_INDEX_MAX: usize = 0x00FF_FFFF;
/// Number of byte symbols: every state's slots base..base+256 must exist.
const UPPER_BOUND: i64 = 256;

/// The comb-packed transition tables of a DFA, one entry per state in BASE
/// and DEFAULT, one per slot in NEXT and CHECK. Looking up state s on byte
/// c at slot `(BASE[s] & 0xFFFFFF) + c` gives NEXT if CHECK equals s, else
/// `DEFAULT[s]`; every such slot exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    pub base: Vec<u32>,
    pub default: Vec<u32>,
    pub next: Vec<u32>,
    pub check: Vec<u32>,
}

/// Packs `dfa`, inserting states in number order (start first).
pub fn pack<R>(dfa: &Dfa<R>) -> Result<Packed, TablesError> {
    let explicit: usize = dfa
        .states
        .iter()
        .skip(2)
        .map(|state| state.transitions.len())
        .sum();
    // The parser's initial size; the OOB symbol widens the symbol range.
    let range = UPPER_BOUND as usize + usize::from(dfa.has_oob());
    let mut comb = Comb::new((2 + explicit).max(range));
    let mut base = vec![0u32; dfa.states.len()];
    for (number, state) in dfa.states.iter().enumerate().skip(START as usize) {
        let Some(&(lowest, _)) = state.transitions.first() else {
            continue;
        };
        let symbols: Vec<i64> = state
            .transitions
            .iter()
            .map(|&(symbol, _)| i64::from(symbol.code()))
            .collect();
        let index = comb.place(&symbols);
        if index > BASE_INDEX_MAX as i64 {
            return Err(TablesError::TooManySlots {
                slots: index as usize,
            });
        }
        for (&(_, target), symbol) in state.transitions.iter().zip(&symbols) {
            comb.fill((index + symbol) as usize, target, number as u32);
        }
        base[number] = index as u32 | if lowest == Symbol::Oob { BASE_OOB } else { 0 };
    }
    let default = dfa.states.iter().map(|state| state.default).collect();
    Ok(Packed {
        base,
        default,
        next: comb.next,
        check: comb.check,
    })
}

/// NEXT/CHECK under construction with a bitmap of used slots.
struct Comb {
    next: Vec<u32>,
    check: Vec<u32>,
    /// Bit i set = slot i is used. Bits at or beyond `next.len()` are 0,
    /// which is what the fit test wants: slots beyond the end count as free.
    used: Vec<u64>,
    /// Every slot below this is used.
    first_free: usize,
    /// Per symbol list: where the last state with exactly these symbols was
    /// placed. Slots only ever become used, so every candidate below that
    /// still fails for the same symbols and the search can resume there.
    resume: HashMap<Vec<i64>, usize>,
}

impl Comb {
    fn new(size: usize) -> Comb {
        let mut comb = Comb {
            next: vec![0; size],
            check: vec![0; size],
            used: vec![0; size.div_ceil(64) + 1],
            first_free: 1,
            resume: HashMap::new(),
        };
        // Slot 0 belongs to the nonmatching state.
        comb.used[0] = 1;
        comb
    }

    fn len(&self) -> usize {
        self.next.len()
    }

    fn grow_to(&mut self, size: usize) {
        if size > self.len() {
            // The initial size is close to the final one, so grow by an
            // eighth rather than doubling: large tables stay near their
            // size instead of reserving twice it.
            let extra = (size - self.len()).max(self.len() / 8);
            self.next.reserve_exact(extra);
            self.check.reserve_exact(extra);
            self.next.resize(size, 0);
            self.check.resize(size, 0);
            self.used.resize(size.div_ceil(64) + 1, 0);
        }
    }

    /// The 64 used-bits starting at `slot`.
    fn used_window(&self, slot: usize) -> u64 {
        let (word, shift) = (slot / 64, slot % 64);
        let low = self.used.get(word).copied().unwrap_or(0) >> shift;
        if shift == 0 {
            return low;
        }
        low | self.used.get(word + 1).copied().unwrap_or(0) << (64 - shift)
    }

    /// The base index for a state with these ascending symbol codes
    /// (−1 = OOB): walking the free slots x ≥ lowest in order, the first
    /// whose every symbol slot x − lowest + t is free or beyond the end
    /// (past the end of the free list, the first new slot); grows the
    /// arrays so that slot base + 255 exists.
    fn place(&mut self, symbols: &[i64]) -> i64 {
        let lowest = symbols[0];
        let offsets: Vec<usize> = symbols.iter().map(|&t| (t - lowest) as usize).collect();
        // Test 64 candidates at once: bit j of `blocked` says whether
        // candidate x = from + j collides on some symbol (offset 0 is the
        // candidate slot itself, so used candidates are excluded too).
        let resume = self.resume.get(symbols).copied().unwrap_or(0);
        let mut from = (lowest.max(1) as usize).max(self.first_free).max(resume);
        let x = loop {
            if self.used_window(from) == u64::MAX {
                from += 64;
                continue;
            }
            let blocked = offsets.iter().fold(0u64, |blocked, &offset| {
                blocked | self.used_window(from + offset)
            });
            if blocked != u64::MAX {
                break from + (!blocked).trailing_zeros() as usize;
            }
            from += 64;
        };
        // Past the end, x is the first new slot: the arrays grow by a whole
        // symbol range; otherwise just enough for slot base + 255.
        self.grow_to((x as i64 + UPPER_BOUND - lowest) as usize);
        self.resume.insert(symbols.to_vec(), x);
        x as i64 - lowest
    }

    fn fill(&mut self, slot: usize, next: u32, check: u32) {
        self.next[slot] = next;
        self.check[slot] = check;
        self.used[slot / 64] |= 1 << (slot % 64);
        while self.used_window(self.first_free) == u64::MAX {
            self.first_free += 64;
        }
        self.first_free += self.used_window(self.first_free).trailing_ones() as usize;
    }
}

/// The nonmatching state is never placed; its BASE stays 0.
const _: () = assert!(NONMATCHING == 0);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dfa::State;

    fn chain(bytes: &[u8]) -> Dfa<u32> {
        // 0 nonmatching, 1 start, state i+1 → i+2 on bytes[i].
        let mut states = vec![State {
            record: 0,
            default: 0,
            transitions: vec![],
        }];
        for (index, &byte) in bytes.iter().enumerate() {
            states.push(State {
                record: 0,
                default: 0,
                transitions: vec![(Symbol::Byte(byte), index as u32 + 2)],
            });
        }
        states.push(State {
            record: 1,
            default: 0,
            transitions: vec![],
        });
        Dfa { states }
    }

    #[test]
    fn etc_foo_packs_like_the_parser() {
        // Reference: `/etc/foo r,` gives bases 0 except states 5 and 8
        // (base 1), and 257 slots.
        let packed = pack(&chain(b"/etc/foo")).unwrap();
        assert_eq!(packed.base, vec![0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
        assert_eq!(packed.next.len(), 257);
        assert_eq!(packed.check[48], 5);
        assert_eq!(packed.next[48], 6);
        assert_eq!(packed.check[112], 8);
    }

    #[test]
    fn oob_state_gets_flag_and_base_at_least_one() {
        let dfa = Dfa {
            states: vec![
                State {
                    record: 0,
                    default: 0,
                    transitions: vec![],
                },
                State {
                    record: 0,
                    default: 0,
                    transitions: vec![(Symbol::Oob, 2), (Symbol::Byte(0), 2)],
                },
                State {
                    record: 1,
                    default: 0,
                    transitions: vec![],
                },
            ],
        };
        let packed = pack(&dfa).unwrap();
        assert_eq!(packed.base[1], BASE_OOB | 2);
        assert_eq!(packed.check[1], 1);
        assert_eq!(packed.check[2], 1);
        assert!(packed.next.len() >= 2 + 256);
    }
}
