//! Unit-test helper: compile profile text with the project's own example
//! kernel features (`fixtures/features/example-kernel.txt`), so tests of
//! later stages (blob reading, comparison) have real blobs without the
//! ground-truth data in `../shared`.

use super::Session;
use crate::features::{FeatureSet, FeatureSources};
use crate::resolve::{Input, Options};

/// The blob for `text`; panics with the diagnostics when it does not
/// compile (a test's own profile is expected to be valid).
pub fn compile_text(text: &str) -> Vec<u8> {
    let features = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/features/example-kernel.txt"
    );
    let set = FeatureSet::load(std::path::Path::new(features)).expect("bundled features file");
    let session = Session::new(Options::default(), FeatureSources::both(set));
    let compiled = session.compile_input(&Input::Text {
        name: "-".into(),
        text: text.to_string(),
    });
    compiled
        .blob
        .unwrap_or_else(|| panic!("test profile does not compile: {:?}", compiled.diagnostics))
}
