//! File DFAs of simple upstream conformance profiles (file rules only),
//! built from hand-converted rules and compared with the file DFA in
//! apparmor_parser 5.0.2's blob for the debian-6.1 features file.

#[path = "dfa_common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use aaprof::dfa::{BuildOptions, build_dfa};
use aaprof::tables::{WriteOptions, write_dfa};
use common::{file_perms, glob, last_dfa};

/// Cases whose profile body is plain `path perms,` file rules (no exec,
/// deny, link or owner-conditional forms the test helper cannot convert).
const CASES: &[&str] = &[
    "file/ok_1.sd",
    "file/ok_alternations_1.sd",
    "file/ok_alternations_2.sd",
    "file/ok_alternations_3.sd",
    "file/ok_carat_1.sd",
    "file/ok_carat_2.sd",
    "file/ok_inv_char_class.sd",
    "file/ok_embedded_spaces_1.sd",
];

fn conformance() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
}

/// The reference blob's sha256 for a case under debian-6.1.
fn reference_sha(case: &str) -> Option<String> {
    let table = std::fs::read_to_string(conformance().join("expected.tsv")).ok()?;
    table.lines().find_map(|line| {
        let fields: Vec<&str> = line.split('\t').collect();
        (fields.len() >= 6 && fields[0] == case && fields[3] == "debian-6.1" && fields[5] != "-")
            .then(|| fields[5].to_string())
    })
}

/// The `path perms` rules of a simple profile, in order.
fn rules_of(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#') && line.ends_with(','))
        .filter_map(|line| {
            let line = line.trim_end_matches(',');
            let (path, perms) = line.rsplit_once(char::is_whitespace)?;
            let path = path.trim().trim_matches('"');
            Some((path.to_string(), perms.to_string()))
        })
        .collect()
}

#[test]
fn simple_conformance_file_dfas_match() {
    let mut identical = 0;
    let mut compared = 0;
    for case in CASES {
        let source = conformance().join("tst/simple_tests").join(case);
        let (Ok(text), Some(sha)) = (std::fs::read_to_string(&source), reference_sha(case)) else {
            println!("{case}: no source or reference; skipped");
            continue;
        };
        let Ok(blob) = std::fs::read(conformance().join("blobs").join(format!("{sha}.bin"))) else {
            println!("{case}: reference blob missing; skipped");
            continue;
        };
        let expected = last_dfa(&blob).expect("reference has a file DFA");
        let rules: Vec<_> = rules_of(&text)
            .into_iter()
            .map(|(path, perms)| (glob(&path), file_perms(&perms, false, false)))
            .collect();
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        let accept: Vec<u32> = dfa.states.iter().map(|s| s.record.accept).collect();
        let accept2: Vec<u32> = dfa.states.iter().map(|s| s.record.accept2).collect();
        let ours = write_dfa(&dfa, &accept, Some(&accept2), &WriteOptions::default()).unwrap();
        compared += 1;
        if ours == expected {
            identical += 1;
        } else {
            println!("{case}: differs");
        }
    }
    println!("{identical} of {compared} conformance file DFAs byte-identical");
    assert!(identical >= compared);
}
