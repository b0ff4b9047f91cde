//! The real-world apparmor.d corpus compiled with `features/debian-6.12.txt`
//! against apparmor_parser 5.0.2's sha256 per profile (issue 4).
//!
//! Prints the score and every profile that differs; fails below the floor,
//! a ratchet at what the compiler reaches today (the target: 99%).

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use support::percent;

const FLOOR: f64 = 100.0;
const TARGET: f64 = 99.0;

#[test]
fn corpus_blobs_match_apparmor_parser_5_0_2() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let corpus = shared.join("corpus");
    let expected = std::fs::read_to_string(corpus.join("expected.tsv")).expect("expected.tsv");
    let rows: Vec<(String, String)> = expected
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields.len() >= 4 && fields[2] == "0")
                .then(|| (fields[0].to_string(), fields[3].to_string()))
        })
        .collect();
    let profiles = corpus.join("apparmor.d");
    let options = resolve::Options {
        include_dirs: vec![profiles.clone(), corpus.join("base")],
        base_dir: profiles.clone(),
        cwd: None,
        ..resolve::Options::default()
    };
    let set = FeatureSet::load(&shared.join("features/debian-6.12.txt")).expect("features");
    let session = Session::new(options, FeatureSources::both(set));
    let start = std::time::Instant::now();
    let mut differing: Vec<String> = rows
        .par_iter()
        .filter_map(|(name, sha256)| {
            let compiled = session.compile_input(&Input::Path(profiles.join(name)));
            let Some(blob) = compiled.blob else {
                let error = compiled.diagnostics.iter().find(|d| d.is_error());
                return Some(format!(
                    "{name} (rejected: {})",
                    error.map(|d| d.message.as_str()).unwrap_or("?")
                ));
            };
            let hex: String = Sha256::digest(&blob)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (&hex != sha256).then(|| name.clone())
        })
        .collect();
    differing.sort();
    for name in &differing {
        println!("  differs {name}");
    }
    let identical = rows.len() - differing.len();
    let score = percent(identical, rows.len());
    println!(
        "corpus compile (debian-6.12): {identical} of {} profiles byte-identical ({score:.1}%; \
         floor {FLOOR}%, target {TARGET}%) in {:.1?}",
        rows.len(),
        start.elapsed()
    );
    assert!(score >= FLOOR, "{score:.1}% is below the floor {FLOOR}%");
}
