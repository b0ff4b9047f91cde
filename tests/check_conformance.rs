//! `aaprof check` against apparmor_parser 5.0.2's accept/reject verdicts on
//! upstream's parser test set (`../shared/conformance`, features
//! `upstream-all`). Runs the check through the library, as the README says
//! the reference was run: stdin text with control lines removed, working
//! directory `tst/`, include path `tst/simple_tests`.

use aaprof::resolve::{Input, Options, SourceCache, load};
use rayon::prelude::*;
use std::path::PathBuf;

/// The target.
const TARGET_PERCENT: f64 = 97.0;
/// What this implementation reaches today, rounded down: a regression
/// below it fails the test.
const FLOOR_PERCENT: f64 = 100.0;

fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
}

/// The case text as fed to apparmor_parser's stdin.
fn prepare(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.starts_with("#=DISABLED") {
            break;
        }
        if line.starts_with("#=DESCRIPTION")
            || line.starts_with("#=EXRESULT")
            || line.starts_with("#=TODO")
        {
            continue;
        }
        out.push_str(line);
    }
    out
}

#[test]
fn check_agrees_with_apparmor_parser() {
    let dir = conformance_dir();
    let Ok(tsv) = std::fs::read_to_string(dir.join("expected.tsv")) else {
        eprintln!("conformance data not found at {}; skipping", dir.display());
        return;
    };
    let tst = std::fs::canonicalize(dir.join("tst")).expect("tst dir");
    let options = Options {
        include_dirs: vec![tst.join("simple_tests")],
        cwd: Some(tst.clone()),
        ..Options::default()
    };
    let cases: Vec<(String, bool)> = tsv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() > 4 && f[3] == "upstream-all").then(|| (f[0].to_string(), f[4] == "0"))
        })
        .collect();
    assert!(!cases.is_empty(), "no upstream-all cases in expected.tsv");
    let cache = SourceCache::new();
    let results: Vec<(String, bool, bool, String)> = cases
        .par_iter()
        .map(|(case, expected)| {
            let text =
                std::fs::read_to_string(tst.join("simple_tests").join(case)).unwrap_or_default();
            let input = Input::Text {
                name: case.clone(),
                text: prepare(&text),
            };
            let loaded = load(&input, &options, &cache);
            let first = loaded
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| format!("{}: {}", d.position(), d.message))
                .unwrap_or_default();
            (case.clone(), *expected, !loaded.has_errors(), first)
        })
        .collect();
    let mut disagreements: Vec<_> = results.iter().filter(|r| r.1 != r.2).collect();
    disagreements.sort();
    for (case, expected, got, first) in &disagreements {
        let word = |b: bool| if b { "accept" } else { "reject" };
        println!(
            "DISAGREE {case}: expected {}, got {} {first}",
            word(*expected),
            word(*got)
        );
    }
    let agree = results.len() - disagreements.len();
    let percent = 100.0 * agree as f64 / results.len() as f64;
    println!(
        "check conformance (upstream-all): {agree} of {} agree ({percent:.2}%); floor {FLOOR_PERCENT}%, target {TARGET_PERCENT}%",
        results.len()
    );
    assert!(
        percent >= FLOOR_PERCENT,
        "conformance {percent:.2}% fell below the floor {FLOOR_PERCENT}%"
    );
}
