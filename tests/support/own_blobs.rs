//! Blobs of every record shape, compiled by aaprof from the project's own
//! fixtures (`fixtures/shapes/`) with its own features files, so tests of
//! the readers need no ground truth from `../shared`. Each of these blobs
//! is byte-identical to what apparmor_parser 5.0.2 writes for the same
//! inputs, except `net_allowed_af` of the profiles without network rules
//! (5.0.2 carries a table over from the previous profile).

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{Input, Options};
use std::path::Path;
use std::sync::OnceLock;

/// (profile fixture, features file), both relative to the crate root.
const SHAPES: [(&str, &str); 4] = [
    ("fixtures/shapes/small", "fixtures/query/kernel-packed.txt"),
    (
        "fixtures/shapes/everything",
        "fixtures/query/kernel-permstable.txt",
    ),
    (
        "fixtures/shapes/everything",
        "fixtures/query/kernel-packed.txt",
    ),
    (
        "fixtures/shapes/everything",
        "fixtures/features/example-legacy-network.txt",
    ),
];

/// The blobs of [`SHAPES`], compiled once per test binary: a small
/// single-record packed blob first, then multi-record blobs with
/// permission tables, xtables, rlimits and a legacy network table.
pub fn own_blobs() -> &'static [Vec<u8>] {
    static BLOBS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BLOBS.get_or_init(|| SHAPES.iter().map(|(p, f)| compile(p, f)).collect())
}

/// How many blobs [`own_blobs`] holds.
pub const OWN_BLOB_COUNT: usize = SHAPES.len();

fn compile(profile: &str, features: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let set = FeatureSet::load(&root.join(features)).expect("bundled features file");
    let session = Session::new(Options::default(), FeatureSources::both(set));
    let path = root.join(profile);
    let text = std::fs::read_to_string(&path).expect("bundled profile");
    let compiled = session.compile_input(&Input::Text {
        name: path.display().to_string(),
        text,
    });
    compiled
        .blob
        .unwrap_or_else(|| panic!("{profile} compiles: {:?}", compiled.diagnostics))
}
