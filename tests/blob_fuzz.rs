//! Robustness: truncated and corrupted blobs of every shape never panic
//! the reader, the DFA verifier, the matcher or the dump, and whatever
//! decodes re-encodes to something that decodes to the same records. The
//! blobs are compiled from the project's own fixtures
//! (`support::own_blobs`), so this runs without `../shared`.

mod support;

use aaprof::blob::read_records;
use aaprof::blob::selfcheck::exercise_readers;
use aaprof::tables::read::DfaTables;
use proptest::prelude::*;
use support::own_blobs::{OWN_BLOB_COUNT, own_blobs};

/// Everything that consumes untrusted bytes; must return, never panic.
fn exercise(bytes: &[u8]) {
    exercise_readers(bytes, usize::MAX).expect("whatever decodes round-trips");
}

#[test]
fn every_truncation_of_a_single_record_blob_fails_cleanly() {
    // The first blob has one record (see `support::own_blobs`).
    let blob = &own_blobs()[0];
    assert_eq!(read_records(blob).unwrap().len(), 1);
    for cut in 0..blob.len() {
        let prefix = &blob[..cut];
        exercise(prefix);
        // A strict prefix ends inside the record (records end with
        // STRUCTEND only at the very end).
        if cut > 0 {
            assert!(read_records(prefix).is_err(), "cut at {cut}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn corrupted_blobs_never_panic(
        which in 0..OWN_BLOB_COUNT,
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = own_blobs()[which].clone();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        exercise(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
        let _ = DfaTables::parse(&bytes);
    }

    #[test]
    fn corrupted_dfas_never_panic(
        which in 0..OWN_BLOB_COUNT,
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let records = read_records(&own_blobs()[which]).unwrap();
        let Some(pdb) = records[0].file.as_ref().or(records[0].policydb.as_ref()) else {
            return Ok(());
        };
        let mut dfa = pdb.dfa.clone();
        for (at, value) in flips {
            let i = at.index(dfa.len());
            dfa[i] = value;
        }
        if let Ok(tables) = DfaTables::parse(&dfa) {
            for state in 0..tables.state_count() as u32 {
                let _ = tables.transitions(state);
                let _ = tables.run(state, b"/usr/bin/x\0\xff");
            }
        }
    }
}
