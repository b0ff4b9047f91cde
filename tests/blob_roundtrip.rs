//! Every reference blob decodes (records, and every DFA through
//! `tables::read` with the kernel's verification, and each pdb's perms
//! table and xtable against its DFA) and re-encodes to the identical bytes.
//! The project's own blobs (`support::own_blobs`) always run; the 5.0.2
//! reference blobs of `../shared/conformance` when they are there.

mod support;

use aaprof::blob::{Pdb, PdbKind, read_records, verify_pdb, write_records};
use aaprof::tables::read::DfaTables;
use std::path::PathBuf;

fn pdbs(records: &[aaprof::blob::ProfileRecord]) -> impl Iterator<Item = (PdbKind, &Pdb)> {
    records.iter().flat_map(|r| {
        [
            (PdbKind::Xmatch, r.xmatch.as_ref().map(|x| &x.pdb)),
            (PdbKind::Policy, r.policydb.as_ref()),
            (PdbKind::File, r.file.as_ref()),
        ]
        .into_iter()
        .filter_map(|(kind, pdb)| pdb.map(|p| (kind, p)))
    })
}

/// Decodes, verifies and re-encodes one blob; `Err` says what went wrong.
fn check(bytes: &[u8]) -> Result<usize, String> {
    let records = read_records(bytes).map_err(|e| format!("read: {e}"))?;
    let mut dfas = 0;
    for (kind, pdb) in pdbs(&records) {
        let dfa = DfaTables::parse(&pdb.dfa).map_err(|e| format!("{kind:?} DFA: {e}"))?;
        verify_pdb(pdb, &dfa, kind).map_err(|e| format!("{kind:?} pdb: {e}"))?;
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

fn bin_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "bin"))
        .collect();
    paths.sort();
    paths
}

/// Also round-trips the `*.bin` files of `$AAPROF_EXTRA_BLOBS` if set (e.g.
/// corpus profiles compiled by another parser version).
#[test]
fn every_reference_blob_round_trips_byte_identical() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let mut paths = bin_files(&shared.join("conformance/blobs"));
    assert!(
        paths.len() > 1000,
        "expected the full blob set, found {}",
        paths.len()
    );
    if let Some(extra) = std::env::var_os("AAPROF_EXTRA_BLOBS") {
        paths.extend(bin_files(std::path::Path::new(&extra)));
    }

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

#[test]
fn own_blobs_round_trip_byte_identical() {
    for (i, blob) in support::own_blobs::own_blobs().iter().enumerate() {
        let dfas = check(blob).unwrap_or_else(|why| panic!("own blob {i}: {why}"));
        assert!(dfas >= 3, "own blob {i} has only {dfas} DFAs");
    }
}

#[test]
fn pdb_verification_catches_dangling_indexes() {
    // The permission-table blob of `fixtures/shapes/everything`: its
    // profile `shapes` has exec transitions, so its file pdb carries an
    // xtable that perms entries point into.
    let records = read_records(&support::own_blobs::own_blobs()[1]).unwrap();
    let file = records
        .iter()
        .find_map(|r| r.file.clone().filter(|f| f.xtable.is_some()))
        .expect("a file pdb with an xtable");
    let dfa = DfaTables::parse(&file.dfa).unwrap();
    assert_eq!(verify_pdb(&file, &dfa, PdbKind::File), Ok(()));

    let mut no_xtable = file.clone();
    no_xtable.xtable = None;
    let err = verify_pdb(&no_xtable, &dfa, PdbKind::File).unwrap_err();
    assert!(err.to_string().contains("x-index"), "{err}");

    let mut short = file.clone();
    short.perms.as_mut().unwrap().entries.truncate(1);
    let err = verify_pdb(&short, &dfa, PdbKind::File).unwrap_err();
    assert!(
        err.to_string().contains("beyond the 1-entry perms table"),
        "{err}"
    );

    let mut overlap = file;
    let entry = overlap
        .perms
        .as_mut()
        .unwrap()
        .entries
        .iter_mut()
        .find(|e| e.allow != 0)
        .expect("an entry that allows something");
    entry.deny = entry.allow;
    let err = verify_pdb(&overlap, &dfa, PdbKind::File).unwrap_err();
    assert!(err.to_string().contains("allow and deny overlap"), "{err}");
}
