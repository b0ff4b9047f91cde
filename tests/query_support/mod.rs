//! Loading the hand-written `fixtures/query` profiles for the query and
//! diff tests, under both permission formats.
#![allow(dead_code)]

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::query::LoadedPolicy;
use aaprof::resolve::{self, Input};
use std::path::{Path, PathBuf};

/// The two fixture kernels: packed accept words and permission tables.
pub const KERNELS: [&str; 2] = ["kernel-packed.txt", "kernel-permstable.txt"];

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/query")
}

/// A session with `fixtures/query` on the search path and `kernel`'s features.
pub fn session(kernel: &str) -> Session {
    let set = FeatureSet::load(&fixtures().join(kernel)).expect("fixture features");
    let options = resolve::Options {
        include_dirs: vec![fixtures()],
        ..resolve::Options::default()
    };
    Session::new(options, FeatureSources::both(set))
}

/// Compiles a source file, keeping its model.
pub fn compile(path: &Path, kernel: &str) -> LoadedPolicy {
    LoadedPolicy::compile(&Input::Path(path.to_path_buf()), &session(kernel))
        .unwrap_or_else(|d| panic!("{} does not compile: {d:?}", path.display()))
}

/// Compiles source text given as a string (written to `dir/name`).
pub fn compile_text(dir: &Path, name: &str, text: &str, kernel: &str) -> LoadedPolicy {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write profile");
    compile(&path, kernel)
}

/// The blob a source compiles to, read back as a blob (no source).
pub fn as_blob(path: &Path, kernel: &str) -> LoadedPolicy {
    let (compiled, _) = session(kernel).compile_input_with_model(&Input::Path(path.to_path_buf()));
    LoadedPolicy::from_blob(&compiled.blob.expect("compiles")).expect("readable blob")
}

/// The 1-based line of the first line of `path` containing `text`.
pub fn line_of(path: &Path, text: &str) -> usize {
    std::fs::read_to_string(path)
        .expect("fixture")
        .lines()
        .position(|l| l.contains(text))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{text} not in {}", path.display()))
}
