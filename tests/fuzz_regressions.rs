//! Every finding of the cargo-fuzz targets (`fuzz/`), minimised, as a
//! regression test: each input must come back quickly with diagnostics or
//! a blob, never a panic or a hang.

use aaprof::resolve::{Input, Options, SourceCache, load};
use std::time::{Duration, Instant};

/// Parses and resolves `text`; returns the error count after checking it
/// took well under the fuzzer's timeout.
fn load_quickly(text: &str) -> usize {
    let started = Instant::now();
    let loaded = load(
        &Input::Text {
            name: "-".into(),
            text: text.into(),
        },
        &Options::default(),
        &SourceCache::new(),
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    loaded.diagnostics.iter().filter(|d| d.is_error()).count()
}

/// parse_resolve, timeout after 49,556 runs: unclosed `{` in a condition
/// value inside a list made the grammar backtrack exponentially (2^n in
/// the number of `{`).
#[test]
fn unclosed_braces_in_a_list_condition_parse_in_linear_time() {
    let text = format!(
        "/usr/bin/foo {{\n  network peer=(ip=127.0.0.1 port={}8080),\n}}\n",
        "{".repeat(100)
    );
    assert!(load_quickly(&text) > 0, "an unclosed brace is an error");
    // Balanced groups in a condition still parse as one value.
    let text = "profile p {\n  dbus send peer=(name={org.a,org.{b,c}} label=x),\n}\n";
    assert_eq!(load_quickly(text), 0);
}
