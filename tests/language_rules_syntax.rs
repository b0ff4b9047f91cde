//! Syntax rules of apparmor_parser 5.0.2's lexer and grammar (issue 12),
//! each checked with profile text written for this test
//! (`tests/data/language_rules_syntax.tsv`, rows made by
//! `scripts/language-rule-rows`): 5.0.2's verdict, and for an accepted
//! profile the sha256 of its blob, under the upstream-all and debian-6.12
//! features (here the project's copies `fixtures/features/legacy-network.txt`
//! and `network-v8.txt`, so the test needs no `../shared`). A rejected
//! profile must get an error with a place in the file.
//!
//! The rules:
//! - a variable definition may have blanks, line ends and comments between
//!   the variable and its operator (`@{X}\n  = a`); the values follow the
//!   operator on its line.

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use sha2::{Digest, Sha256};
use std::path::Path;

const DATA: &str = include_str!("data/language_rules_syntax.tsv");
const FEATURES: [(&str, &str); 2] = [
    ("upstream-all", "fixtures/features/legacy-network.txt"),
    ("debian-6.12", "fixtures/features/network-v8.txt"),
];

struct Case {
    name: String,
    /// Per features file: the expected sha256, or `None` for a rejection.
    expected: [Option<String>; 2],
    text: String,
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn cases() -> Vec<Case> {
    DATA.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.splitn(4, '\t').collect();
            assert_eq!(fields.len(), 4, "malformed line: {line}");
            let expect = |f: &str| (f != "error").then(|| f.to_string());
            Case {
                name: fields[0].to_string(),
                expected: [expect(fields[1]), expect(fields[2])],
                text: unescape(fields[3]),
            }
        })
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn syntax_rule_variants_match_apparmor_parser_5_0_2() {
    let cases = cases();
    assert!(cases.len() > 10, "data file holds {} cases", cases.len());
    let mut failures = Vec::new();
    for (index, (features, file)) in FEATURES.into_iter().enumerate() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read(&path).expect("features fixture");
        let set = FeatureSet::from_text(text).expect("features");
        let session = Session::new(resolve::Options::default(), FeatureSources::both(set));
        for case in &cases {
            let compiled = session.compile_input(&Input::Text {
                name: "-".into(),
                text: case.text.clone(),
            });
            let ours = compiled.blob.as_deref().map(sha256);
            let expected = &case.expected[index];
            let error = compiled.diagnostics.iter().find(|d| d.is_error());
            let why = match (expected, &ours) {
                (Some(_), None) => Some(format!(
                    "rejected: {}",
                    error.map(|d| d.message.clone()).unwrap_or_default()
                )),
                (None, Some(_)) => Some("accepted, 5.0.2 rejects it".into()),
                (Some(e), Some(o)) if e != o => Some("blob differs".into()),
                (None, None) if error.is_none_or(|d| d.location.is_none()) => {
                    Some("rejected without an error at a place in the file".into())
                }
                _ => None,
            };
            if let Some(why) = why {
                failures.push(format!("[{features}] {}: {why}", case.name));
            }
        }
        println!("syntax rules ({features}): {} cases", cases.len());
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
