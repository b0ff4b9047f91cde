//! Every profile of the real-world corpus (`../shared/corpus`, which
//! apparmor_parser 5.0.2 compiles) must check clean with
//! `-b apparmor.d -I apparmor.d -I base`.

use aaprof::resolve::{Input, Options, SourceCache, load};
use rayon::prelude::*;
use std::path::PathBuf;

/// Failures this implementation has today (none); any failure fails.

#[test]
fn corpus_checks_clean() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(list) = std::fs::read_to_string(corpus.join("profiles.txt")) else {
        eprintln!("corpus not found at {}; skipping", corpus.display());
        return;
    };
    let profiles = corpus.join("apparmor.d");
    let options = Options {
        include_dirs: vec![profiles.clone(), corpus.join("base")],
        base_dir: profiles.clone(),
        cwd: None,
        ..Options::default()
    };
    let cache = SourceCache::new();
    let names: Vec<&str> = list.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = std::time::Instant::now();
    let mut failures: Vec<(String, String)> = names
        .par_iter()
        .filter_map(|name| {
            let loaded = load(&Input::Path(profiles.join(name)), &options, &cache);
            let first = loaded.diagnostics.iter().find(|d| d.is_error())?;
            Some((
                name.to_string(),
                format!("{}: {}", first.position(), first.message),
            ))
        })
        .collect();
    failures.sort();
    for (name, first) in &failures {
        println!("FAIL {name}: {first}");
    }
    println!(
        "corpus check: {} of {} profiles clean ({} files parsed once, {:.2?})",
        names.len() - failures.len(),
        names.len(),
        cache.len(),
        start.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} corpus profiles fail to check",
        failures.len()
    );
}
