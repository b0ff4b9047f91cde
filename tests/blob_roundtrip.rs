//! Every reference blob decodes (records, and every DFA through
//! `tables::read` with the kernel's verification) and re-encodes to the
//! identical bytes.

use aaprof::blob::{Pdb, read_records, write_records};
use aaprof::tables::read::DfaTables;
use std::path::PathBuf;

fn blob_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/blobs")
}

fn pdbs(records: &[aaprof::blob::ProfileRecord]) -> impl Iterator<Item = (&str, &Pdb)> {
    records.iter().flat_map(|r| {
        [
            ("xmatch", r.xmatch.as_ref().map(|x| &x.pdb)),
            ("policydb", r.policydb.as_ref()),
            ("file", r.file.as_ref()),
        ]
        .into_iter()
        .filter_map(|(what, pdb)| pdb.map(|p| (what, p)))
    })
}

/// Decodes, verifies and re-encodes one blob; `Err` says what went wrong.
fn check(bytes: &[u8]) -> Result<usize, String> {
    let records = read_records(bytes).map_err(|e| format!("read: {e}"))?;
    let mut dfas = 0;
    for (what, pdb) in pdbs(&records) {
        DfaTables::parse(&pdb.dfa).map_err(|e| format!("{what} DFA: {e}"))?;
        dfas += 1;
    }
    let again = write_records(&records).map_err(|e| format!("write: {e}"))?;
    if again != bytes {
        let first = again
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(again.len().min(bytes.len()));
        return Err(format!(
            "re-encoded {} bytes differ from the {} input bytes at offset {first}",
            again.len(),
            bytes.len()
        ));
    }
    Ok(dfas)
}

#[test]
fn every_reference_blob_round_trips_byte_identical() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(blob_dir())
        .expect("../shared/conformance/blobs must exist")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "bin"))
        .collect();
    paths.sort();
    assert!(
        paths.len() > 1000,
        "expected the full blob set, found {}",
        paths.len()
    );

    let mut failures = Vec::new();
    let mut dfas = 0;
    for path in &paths {
        let bytes = std::fs::read(path).expect("readable blob");
        match check(&bytes) {
            Ok(n) => dfas += n,
            Err(why) => failures.push(format!("{}: {why}", path.display())),
        }
    }
    let total = paths.len();
    println!(
        "{} of {total} blobs round-trip byte-identical ({dfas} DFAs verified)",
        total - failures.len()
    );
    for failure in failures.iter().take(20) {
        println!("  FAIL {failure}");
    }
    assert!(failures.is_empty(), "{} blobs failed", failures.len());
}
