//! Grammar and resolver on arbitrary bytes: parse, resolve (includes
//! against fixtures/example), render every diagnostic. Must never panic
//! or hang.
#![no_main]

use aaprof::resolve::{Input, Options, SourceCache, load};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/example");
    let options = Options {
        include_dirs: vec![fixtures.clone()],
        base_dir: fixtures.clone(),
        cwd: Some(fixtures),
        ..Options::default()
    };
    let text = String::from_utf8_lossy(data).into_owned();
    let loaded = load(&Input::Text { name: "-".into(), text }, &options, &SourceCache::new());
    for diagnostic in &loaded.diagnostics {
        let _ = aaprof::diagnostics::render_to_string(diagnostic, false);
    }
});
