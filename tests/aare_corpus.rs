//! Every path-like glob in the real-world corpus (tokens without
//! variables) must convert: 5.0.2 compiles all of these profiles.

use aaprof::aare::{GlobStyle, convert, filter_slashes};
use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn corpus_globs_convert() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut converted = 0;
    let mut failures = Vec::new();
    for path in all {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            let line = line.trim();
            // Alias rules rewrite text; their sides are not globs.
            if line.starts_with('#') || line.starts_with("alias ") {
                continue;
            }
            for token in line.split_whitespace() {
                let token = token.trim_end_matches(',');
                if !token.starts_with('/') || token.contains(['@', '"', '$']) {
                    continue;
                }
                match convert(&filter_slashes(token), GlobStyle::Default) {
                    Ok(_) => converted += 1,
                    Err(err) => failures.push(format!("{}: {token}: {err}", path.display())),
                }
            }
        }
    }
    if converted == 0 {
        eprintln!("skipping: corpus not found");
        return;
    }
    eprintln!("converted {converted} globs");
    assert!(
        failures.is_empty(),
        "{} failures: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}
