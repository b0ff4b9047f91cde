//! Numbering and comb packing against the reference: every DFA in a
//! sample of upstream conformance blobs is decoded to (default, explicit
//! transitions) per state; renumbering it must change nothing, and
//! re-packing it must give back the same BASE, NEXT and CHECK.

#[path = "dfa_common/mod.rs"]
mod common;

use std::path::Path;

use aaprof::dfa::number::number;
use aaprof::dfa::{Dfa, State, Symbol};
use aaprof::tables::pack;
use aaprof::tables::read::DfaTables as Tables;

/// Every `aadfa` blob in a profile blob (xmatch, policydb, file DFAs).
fn all_dfas(blob: &[u8]) -> Vec<Vec<u8>> {
    let name = b"\x04\x06\x00aadfa\x00\x06";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = blob[from..].windows(name.len()).position(|w| w == name) {
        let at = from + offset + name.len();
        let Some(length) = blob.get(at..at + 4) else {
            break;
        };
        let length = u32::from_le_bytes(length.try_into().unwrap()) as usize;
        if let Some(payload) = blob.get(at + 4..at + 4 + length)
            && let Some(start) = payload.iter().position(|&byte| byte != 0)
        {
            found.push(payload[start..].to_vec());
        }
        from = at + 4 + length;
    }
    found
}

/// The automaton the tables encode (no diff-encoded states expected).
fn automaton(tables: &Tables) -> Dfa<u32> {
    let states = (0..tables.base.len())
        .map(|state| {
            let base = (tables.base[state] & 0x00FF_FFFF) as i64;
            let oob = tables.base[state] & 0x2000_0000 != 0;
            let mut transitions = Vec::new();
            if state != 0 {
                for code in -1..256i64 {
                    let slot = base + code;
                    if slot < 0 || slot as usize >= tables.check.len() || (code < 0 && !oob) {
                        continue;
                    }
                    if tables.check[slot as usize] as usize == state {
                        let symbol = if code < 0 {
                            Symbol::Oob
                        } else {
                            Symbol::Byte(code as u8)
                        };
                        transitions.push((symbol, tables.next[slot as usize]));
                    }
                }
            }
            State {
                record: tables.accept[state],
                default: tables.default[state],
                transitions,
            }
        })
        .collect();
    Dfa { states }
}

#[test]
fn repacking_reference_dfas_reproduces_their_tables() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/blobs");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("no reference blobs; skipping");
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let (mut checked, mut identical) = (0, 0);
    for path in paths.iter().take(400) {
        let blob = std::fs::read(path).unwrap();
        for dfa in all_dfas(&blob) {
            let tables = Tables::parse(&dfa).expect("reference DFA decodes");
            if tables.flags & 1 != 0 || tables.base.iter().any(|b| b & 0x8000_0000 != 0) {
                continue; // diff-encoded: out of scope
            }
            checked += 1;
            let automaton = automaton(&tables);
            // The reference numbering is the breadth-first numbering.
            let renumbered = number(automaton.states.clone());
            let packed = pack(&automaton).unwrap();
            if renumbered == automaton
                && packed.base == tables.base
                && packed.next == tables.next
                && packed.check == tables.check
            {
                identical += 1;
            } else {
                println!("{}: renumbered or repacked tables differ", path.display());
            }
        }
    }
    println!("{identical} of {checked} reference DFAs renumber and repack identically");
    assert!(checked > 0 && identical == checked);
}
