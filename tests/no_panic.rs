//! Bad input must never panic: truncated and mutated conformance profiles
//! go through parse and resolve, and only diagnostics may come out.

use aaprof::resolve::{Input, Options, SourceCache, load};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn tst_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/tst")
}

/// Every conformance case text (empty when the data is absent).
fn corpus() -> &'static Vec<String> {
    static CASES: OnceLock<Vec<String>> = OnceLock::new();
    CASES.get_or_init(|| {
        let Ok(tsv) = std::fs::read_to_string(tst_dir().join("../expected.tsv")) else {
            return Vec::new();
        };
        let mut names: Vec<&str> = tsv
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').next())
            .collect();
        names.dedup();
        names
            .iter()
            .filter_map(|n| std::fs::read_to_string(tst_dir().join("simple_tests").join(n)).ok())
            .collect()
    })
}

fn options() -> Options {
    let tst = tst_dir();
    Options {
        include_dirs: vec![tst.join("simple_tests")],
        cwd: Some(tst),
        ..Options::default()
    }
}

/// Characters that stress the grammar's structure.
const NASTY: &[char] = &[
    '{', '}', '(', ')', ',', '@', '$', '"', '\\', '\n', '#', '=', '-', '>', '<', '^', ':', '&',
    '+', 'é',
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn truncated_and_mutated_profiles_do_not_panic(
        pick in any::<prop::sample::Index>(),
        cut in 0.0f64..=1.0,
        edits in prop::collection::vec((0.0f64..1.0, 0usize..NASTY.len(), any::<bool>()), 0..6),
    ) {
        let cases = corpus();
        if cases.is_empty() {
            return Ok(());
        }
        let mut text: Vec<char> = cases[pick.index(cases.len())].chars().collect();
        text.truncate((text.len() as f64 * cut) as usize);
        for (at, c, insert) in edits {
            let i = ((text.len() as f64) * at) as usize;
            if insert || i >= text.len() {
                text.insert(i.min(text.len()), NASTY[c]);
            } else {
                text.remove(i);
            }
        }
        let text: String = text.into_iter().collect();
        let loaded = load(&Input::Text { name: "-".into(), text }, &options(), &SourceCache::new());
        // Every diagnostic can be rendered (positions inside the text).
        for d in &loaded.diagnostics {
            let _ = aaprof::diagnostics::render_to_string(d, false);
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 5000;
    let text = format!("{}{}", "profile a {\n".repeat(depth), "}\n".repeat(depth));
    let loaded = load(
        &Input::Text {
            name: "-".into(),
            text,
        },
        &options(),
        &SourceCache::new(),
    );
    let _ = loaded.has_errors();
    let text = format!(
        "profile a {{\n if {} $x {{\n }}\n}}\n",
        "not ".repeat(depth)
    );
    let loaded = load(
        &Input::Text {
            name: "-".into(),
            text,
        },
        &options(),
        &SourceCache::new(),
    );
    assert!(loaded.has_errors());
}

#[test]
fn nesting_at_the_limit_parses() {
    // 120 nested conditionals inside a profile: deep, but within the limit
    // (upstream's stress test nests 101).
    let depth = 120;
    let mut text = String::from("$b = true\nprofile a {\n");
    text.push_str(&"if $b {\n".repeat(depth));
    text.push_str("/x r,\n");
    text.push_str(&"}\n".repeat(depth));
    text.push_str("}\n");
    let loaded = load(
        &Input::Text {
            name: "-".into(),
            text,
        },
        &options(),
        &SourceCache::new(),
    );
    assert!(
        !loaded.has_errors(),
        "{:?}",
        loaded.diagnostics.first().map(|d| d.message.clone())
    );
    assert_eq!(loaded.policy.profiles[0].rules.len(), 1);
}

#[test]
fn unbalanced_deep_blocks_fail_fast() {
    // A missing `}` under many nested `if`/qualifier blocks once made the
    // parser retry each level as a profile header: 2^depth work.
    let depth = 60;
    for (opener, closers) in [
        ("if $b {\n", depth - 1),
        ("audit {\n", depth - 1),
        ("if $b {\n", 0),
    ] {
        let mut text = String::from("$b = true\nprofile a {\n");
        text.push_str(&opener.repeat(depth));
        text.push_str("/x r,\n");
        text.push_str(&"}\n".repeat(closers));
        let start = std::time::Instant::now();
        let loaded = load(
            &Input::Text {
                name: "-".into(),
                text,
            },
            &options(),
            &SourceCache::new(),
        );
        assert!(loaded.has_errors());
        assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    }
}
