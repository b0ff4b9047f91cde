//! `aaprof diff` between aaprof's blob and apparmor_parser 5.0.2's for
//! upstream's parser tests (issue 8): every byte-identical case must be
//! reported equivalent, and of the cases whose bytes differ the test
//! reports how many are still semantically equivalent (triage for the
//! byte-identity work) and lists the rest with their first difference.

mod support;

use aaprof::compile::Session;
use aaprof::diff::diff_policies;
use aaprof::query::LoadedPolicy;
use aaprof::resolve::Input;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use support::conformance::{Case, Conformance};

/// Features files swept: permission tables, and fine-grained inet (the
/// lowest byte identity).
const FEATURES: [&str; 2] = ["debian-6.12-permstable", "af-inet"];

enum Outcome {
    /// aaprof rejected a case the reference accepted.
    Rejected,
    Identical {
        equivalent: bool,
    },
    Differs {
        equivalent: bool,
        first: String,
    },
}

fn run_case(conformance: &Conformance, session: &Session, case: &Case) -> Outcome {
    let text = String::from_utf8_lossy(&conformance.input(&case.name)).into_owned();
    let compiled = session.compile_input(&Input::Text {
        name: "-".into(),
        text,
    });
    let (Some(blob), Some(sha)) = (compiled.blob, &case.sha256) else {
        return Outcome::Rejected;
    };
    let reference = std::fs::read(conformance.reference_blob(sha)).expect("reference blob");
    let hex: String = Sha256::digest(&blob)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let ours = LoadedPolicy::from_blob(&blob).expect("aaprof's blob reads back");
    let theirs = LoadedPolicy::from_blob(&reference).expect("reference blob reads");
    let diff = diff_policies(&ours, &theirs);
    let equivalent = diff.is_equivalent();
    if &hex == sha {
        Outcome::Identical { equivalent }
    } else {
        Outcome::Differs {
            equivalent,
            first: diff
                .to_text()
                .lines()
                .take(3)
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }
}

#[test]
fn diff_reports_sha_equal_blobs_equivalent() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let conformance = Conformance::new(&shared);
    let mut failures = Vec::new();
    for features in FEATURES {
        let session = conformance.session(features);
        let cases: Vec<Case> = conformance
            .cases(Some(features))
            .into_iter()
            .filter(|c| c.accepted && c.sha256.is_some())
            .collect();
        let outcomes: Vec<(Case, Outcome)> = cases
            .into_par_iter()
            .map(|case| {
                let outcome = run_case(&conformance, &session, &case);
                (case, outcome)
            })
            .collect();
        let total = outcomes.len();
        let identical = outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Identical { .. }))
            .count();
        let differing: Vec<&(Case, Outcome)> = outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Differs { .. }))
            .collect();
        let still_equivalent = differing
            .iter()
            .filter(|(_, o)| {
                matches!(
                    o,
                    Outcome::Differs {
                        equivalent: true,
                        ..
                    }
                )
            })
            .count();
        let rejected = total - identical - differing.len();
        println!(
            "diff conformance ({features}): {identical} of {total} byte-identical; of the {} \
             differing, {still_equivalent} semantically equivalent ({rejected} rejected by aaprof)",
            differing.len()
        );
        for (case, outcome) in &outcomes {
            match outcome {
                Outcome::Identical { equivalent: false } => {
                    failures.push(format!(
                        "{features} {}: identical bytes, diff not equivalent",
                        case.name
                    ));
                }
                Outcome::Differs {
                    equivalent: false,
                    first,
                } => {
                    println!("  semantic difference [{features}] {}: {first}", case.name);
                }
                _ => {}
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
