//! Every finding of the cargo-fuzz targets (`fuzz/`), minimised, as a
//! regression test: each input must come back quickly with diagnostics or
//! a blob, never a panic or a hang.

mod support;

use aaprof::blob::read_records;
use aaprof::compile::Session;
use aaprof::features::FeatureSources;
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
    // In a list an unquoted comma ends the value even inside a group (as
    // in 5.0.2, which then rejects the `org.{b` and `c}}` conditions)...
    let text = "profile p {\n  dbus send peer=(name={org.a,org.{b,c}} label=x),\n}\n";
    assert!(load_quickly(text) > 0);
    // ...so a group with commas is quoted, and parses as one value.
    let text = "profile p {\n  dbus send peer=(name=\"{org.a,org.{b,c}}\" label=x),\n}\n";
    assert_eq!(load_quickly(text), 0);
}

/// compile_structured, crash after a few thousand runs in CI's smoke run
/// (input: byte 29 × 64; debian-6.1 features): the DFA writer sized its
/// buffer with a 16-byte table header instead of 12 and its debug check
/// fired. The generated profile compiles to a blob that decodes.
#[test]
fn generated_change_profile_hats_compile() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let features_file = shared.join("features/debian-6.1.txt");
    let text = "@{V0} = lib lib lib\n@{V1} = lib lib lib\n\
        profile p0 /opt/b/** flags=(enforce) {\n\
          audit change_profile,\n  audit change_profile,\n  audit change_profile,\n\
          ^p0_c0 flags=(enforce) {\n\
            audit change_profile,\n    audit change_profile,\n    audit change_profile,\n\
          }\n\
        }\n\
        profile p1 {\n}\n";
    let features = FeatureSources::load(Some(&features_file), None, None, None).expect("features");
    let session = Session::new(Options::default(), features);
    let compiled = session.compile_input(&Input::Text {
        name: "-".into(),
        text: text.into(),
    });
    let blob = compiled.blob.expect("the profile compiles");
    assert_eq!(read_records(&blob).expect("blob decodes").len(), 3);
}
