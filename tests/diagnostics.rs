//! Snapshot tests of the human diagnostics: position, source line, caret
//! and include chain, for the typical mistakes.

use aaprof::diagnostics::render_to_string;
use aaprof::resolve::{Input, Options, SourceCache, load};
use std::path::PathBuf;

/// Checks `text` (named `name`) with `fixtures/diagnostics` as include path
/// and renders every diagnostic without colours.
fn check(name: &str, text: &str) -> String {
    let options = Options {
        include_dirs: vec![PathBuf::from("fixtures/diagnostics")],
        base_dir: PathBuf::from("fixtures/diagnostics"),
        cwd: None,
        ..Options::default()
    };
    let loaded = load(
        &Input::Text {
            name: name.into(),
            text: text.into(),
        },
        &options,
        &SourceCache::new(),
    );
    loaded
        .diagnostics
        .iter()
        .map(|d| render_to_string(d, false))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn syntax_error() {
    let out = check("syntax.aa", "profile p {\n  /etc/passwd r\n}\n");
    assert!(out.contains("syntax.aa:3:1"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn undefined_variable() {
    let out = check("undefined.aa", "profile p {\n  @{NOPE}/x r,\n}\n");
    assert!(out.contains("undefined.aa:2:3"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn missing_include() {
    let out = check(
        "missing.aa",
        "include <tunables/does-not-exist>\nprofile p {\n}\n",
    );
    assert!(
        out.contains("could not find include <tunables/does-not-exist>"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn include_cycle() {
    let out = check("cycle.aa", "profile p {\n  include <cycle-a>\n}\n");
    assert!(out.contains("include cycle"), "{out}");
    assert!(out.contains("included from cycle.aa:2:3"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn error_inside_include_shows_chain() {
    let out = check("chain.aa", "profile p {\n  include <bad-abstraction>\n}\n");
    assert!(out.contains("included from chain.aa:2:3"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn two_errors_in_one_file() {
    let out = check(
        "two.aa",
        "profile p {\n  capability sys_admni,\n  /bin/ls ixpx,\n}\n",
    );
    assert_eq!(out.matches("× ").count(), 2, "{out}");
    insta::assert_snapshot!(out);
}
