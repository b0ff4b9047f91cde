//! The whole compiler on generated profiles (`aaprof::testgen`): the
//! fuzzer's bytes steer the generator, so every input is valid-ish policy.
//! The first byte picks the kernel features. A blob that comes out must
//! decode with aaprof's own reader.
#![no_main]

use aaprof::compile::Session;
use aaprof::features::FeatureSources;
use aaprof::resolve::{Input, Options};
use aaprof::testgen::{GenOptions, profile_text};
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

/// Features files to compile against: the bundled example always, the
/// Debian kernels' when ../shared is present.
fn features_files() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("fixtures/features/example-kernel.txt")];
    for name in ["debian-6.1.txt", "debian-6.12.txt", "debian-6.12-permstable.txt"] {
        let path = root.join("../shared/features").join(name);
        if path.exists() {
            files.push(path);
        }
    }
    files
}

fuzz_target!(|data: &[u8]| {
    let files = features_files();
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = profile_text(&mut Unstructured::new(rest), &GenOptions::default());
    let file = &files[pick as usize % files.len()];
    let features = FeatureSources::load(Some(file), None, None, None).expect("features file");
    let session = Session::new(Options::default(), features);
    let compiled = session.compile_input(&Input::Text { name: "-".into(), text });
    for diagnostic in &compiled.diagnostics {
        let _ = aaprof::diagnostics::render_to_string(diagnostic, false);
    }
    if let Some(blob) = compiled.blob {
        aaprof::blob::read_records(&blob).expect("aaprof's blob decodes with its own reader");
    }
});
