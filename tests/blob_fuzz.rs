//! Robustness: truncated and corrupted reference blobs never panic the
//! reader, the DFA verifier, the matcher or the dump, and whatever decodes
//! re-encodes to something that decodes to the same records.

use aaprof::blob::read_records;
use aaprof::blob::selfcheck::exercise_readers;
use aaprof::tables::read::DfaTables;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Small reference blobs of every shape: packed and permission-table
/// DFAs, xmatch, xtables, rlimits, net_allowed_af, several records.
const BLOBS: [&str; 6] = [
    "2318886e002a723753223b0d974205579a43c0a2c8a0ab67c6e19b1cd3059248",
    "1e9a4330795b07fc6ac9bf3e5d3a1f392ea7d61020d7b0ad0a2b011b85bce9ab",
    "02f2d524d023f0739786c78b16b27aa3ee187198a6e8905f348ef46c5b07b7bc",
    "060772e1083916ebdda954d81559e9306399c3cc9d67274a3bda26ecfdaa781d",
    "686109a14626f3be5749a59798b6cc62686879cb9fec4ab68a490451dd5b84bc",
    "09530a6b41bad9f0103ef12bf6ab77a2e72d0e5a165aec54a8af7ef054b5fa79",
];

fn blobs() -> &'static Vec<Vec<u8>> {
    static BLOBS_DATA: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BLOBS_DATA.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/blobs");
        BLOBS
            .iter()
            .map(|sha| std::fs::read(dir.join(format!("{sha}.bin"))).expect("reference blob"))
            .collect()
    })
}

/// Everything that consumes untrusted bytes; must return, never panic.
fn exercise(bytes: &[u8]) {
    exercise_readers(bytes, usize::MAX).expect("whatever decodes round-trips");
}

#[test]
fn every_truncation_of_a_reference_blob_fails_cleanly() {
    for (i, blob) in blobs().iter().enumerate().take(2) {
        for cut in 0..blob.len() {
            let prefix = &blob[..cut];
            exercise(prefix);
            // A strict prefix ends inside a record (records end with
            // STRUCTEND only at the very end) unless it ends on a record
            // boundary; single-record blobs have no inner boundary.
            if cut > 0 {
                assert!(read_records(prefix).is_err(), "blob {i} cut at {cut}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn corrupted_blobs_never_panic(
        which in 0..BLOBS.len(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = blobs()[which].clone();
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
        which in 0..BLOBS.len(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let records = read_records(&blobs()[which]).unwrap();
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
