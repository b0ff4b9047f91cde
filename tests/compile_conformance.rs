//! aaprof's blobs against apparmor_parser 5.0.2's for upstream's parser
//! tests, under each of the five features files (issues 3 and 4).
//!
//! Prints, per features file, how many accepted cases are byte-identical
//! and how many verdicts agree, and fails below the floors (every verdict
//! must agree). The floors are
//! ratchets at what the compiler reaches today; the issues' targets are
//! printed beside them.

mod support;

use rayon::prelude::*;
use support::conformance::{Conformance, Outcome};
use support::percent;

/// (features file, floor for byte-identical accepted cases in %).
const FEATURES: [(&str, f64); 5] = [
    ("upstream-all", 100.0),
    ("debian-6.1", 100.0),
    ("debian-6.12", 100.0),
    ("debian-6.12-permstable", 100.0),
    ("af-inet", 100.0),
];

/// Issue 4's target over every directory.
const TARGET: f64 = 99.5;

/// Issue 3's directories (the file side of the back end) and its floor on
/// them, for each features file.
const FILE_SIDE_DIRS: [&str; 16] = [
    "abi",
    "bare_include_tests",
    "capability",
    "change_hat",
    "change_profile",
    "conditional",
    "file",
    "include_tests",
    "link",
    "profile",
    "regressions",
    "rewrite",
    "rlimits",
    "vars",
    "xattrs",
    "xtrans",
];
const FILE_SIDE_FLOOR: f64 = 100.0;

#[test]
fn conformance_blobs_match_apparmor_parser_5_0_2() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let conformance = Conformance::new(&shared);
    let mut failures = Vec::new();
    for (features, floor) in FEATURES {
        let session = conformance.session(features);
        let outcomes: Vec<Outcome> = conformance
            .cases(Some(features))
            .into_par_iter()
            .map(|case| conformance.run_case(&session, case))
            .collect();
        let accepted = outcomes.iter().filter(|o| o.case.accepted).count();
        let identical = outcomes.iter().filter(|o| o.identical).count();
        let verdicts = outcomes
            .iter()
            .filter(|o| o.accepted == o.case.accepted)
            .count();
        let score = percent(identical, accepted);
        let file_side = |o: &&Outcome| {
            let dir = o.case.name.split('/').next().unwrap_or("");
            o.case.accepted && FILE_SIDE_DIRS.contains(&dir)
        };
        let side_accepted = outcomes.iter().filter(file_side).count();
        let side_identical = outcomes
            .iter()
            .filter(file_side)
            .filter(|o| o.identical)
            .count();
        let side_score = percent(side_identical, side_accepted);
        println!(
            "compile conformance ({features}, issue 3 directories): {side_identical} of \
             {side_accepted} byte-identical ({side_score:.1}%; floor {FILE_SIDE_FLOOR}%)"
        );
        if side_score < FILE_SIDE_FLOOR {
            failures.push(format!(
                "{features} issue 3 directories: {side_score:.1}% < floor {FILE_SIDE_FLOOR}%"
            ));
        }
        println!(
            "compile conformance ({features}): {identical} of {accepted} accepted cases \
             byte-identical ({score:.1}%; floor {floor}%, target {TARGET}%); verdicts agree \
             on {verdicts} of {} ({:.1}%)",
            outcomes.len(),
            percent(verdicts, outcomes.len())
        );
        for outcome in outcomes.iter().filter(|o| o.case.accepted && !o.identical) {
            println!(
                "  differs [{features}] {}{}",
                outcome.case.name,
                outcome
                    .first_error
                    .as_deref()
                    .map(|e| format!(" (rejected: {e})"))
                    .unwrap_or_default()
            );
        }
        for outcome in outcomes.iter().filter(|o| o.accepted != o.case.accepted) {
            let side = if outcome.accepted {
                "aaprof accepts, 5.0.2 rejects"
            } else {
                "5.0.2 accepts, aaprof rejects"
            };
            println!(
                "  verdict differs [{features}] {}: {side}",
                outcome.case.name
            );
        }
        if verdicts < outcomes.len() {
            failures.push(format!(
                "{features}: verdicts agree on {verdicts} of {} (floor: all)",
                outcomes.len()
            ));
        }
        if score < floor {
            failures.push(format!("{features}: {score:.1}% < floor {floor}%"));
        }
    }
    assert!(failures.is_empty(), "below floor: {failures:?}");
}
