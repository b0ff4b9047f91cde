//! Shared helpers for the integration tests that read `../shared`.
#![allow(dead_code)]

pub mod conformance;

use std::path::PathBuf;

/// `../shared` beside the crate root, where CI and developers keep the
/// ground-truth data. Tests that need it skip (with a printed notice) when
/// it is missing, so a plain `cargo test` outside the workplace still runs.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir.canonicalize().unwrap_or(dir))
    } else {
        eprintln!("note: ../shared not found; skipping ground-truth test");
        None
    }
}

/// The percentage `part / whole`, 100 for an empty whole.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}
