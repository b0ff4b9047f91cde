//! Cross-check of the file-rule encoding against parser 5.0.2's reference
//! blobs in `../shared/conformance` (Debian 6.1 features: packed accept
//! words). Simple single-profile cases are read with the small rule
//! language of `common`; each probe string is walked through the reference
//! file DFA and compared with the words this crate predicts.

#[path = "encode_common/mod.rs"]
mod common;
mod support;

use common::{Dfa, file_dfa, predicted_words, profile, shared};
use std::fs;

const FEATURES: &str = "debian-6.1";

/// The reference blob of a conformance case, if 5.0.2 accepted it.
fn reference_blob(case: &str) -> Option<Vec<u8>> {
    let conformance = shared().join("conformance");
    let table = fs::read_to_string(conformance.join("expected.tsv")).ok()?;
    let sha = table.lines().find_map(|line| {
        let fields: Vec<&str> = line.split('\t').collect();
        (fields.len() > 5 && fields[0] == case && fields[3] == FEATURES && fields[5] != "-")
            .then(|| fields[5].to_owned())
    })?;
    fs::read(conformance.join("blobs").join(format!("{sha}.bin"))).ok()
}

/// The profile name and rule lines of a single-profile case file.
fn read_case(case: &str) -> (String, Vec<String>) {
    let path = shared().join("conformance/tst/simple_tests").join(case);
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'));
    let header = lines.next().unwrap();
    let name = header.trim_end_matches('{').trim().to_owned();
    let rules = lines
        .take_while(|line| *line != "}")
        .map(|line| line.trim_end_matches(',').trim().to_owned())
        .collect();
    (name, rules)
}

/// Literal rule paths (no wildcard) make good probes.
fn literal_paths(rules: &[String]) -> Vec<Vec<u8>> {
    rules
        .iter()
        .filter_map(|rule| rule.split_whitespace().find(|w| w.starts_with('/')))
        .filter(|path| !path.contains(['*', '?', '{', '[']))
        .map(|path| path.as_bytes().to_vec())
        .collect()
}

fn check_case(case: &str, extra_probes: &[&[u8]]) -> usize {
    let Some(blob) = reference_blob(case) else {
        panic!("no reference blob for {case}");
    };
    let dfa: Dfa = file_dfa(&blob);
    let (name, rules) = read_case(case);
    let rule_refs: Vec<&str> = rules.iter().map(String::as_str).collect();
    let model = profile(&name, &rule_refs);
    let mut probes = literal_paths(&rules);
    probes.extend(extra_probes.iter().map(|probe| probe.to_vec()));
    for probe in &probes {
        assert_eq!(
            dfa.walk(probe),
            predicted_words(&model, probe),
            "{case}: probe {:?}",
            String::from_utf8_lossy(probe)
        );
    }
    probes.len()
}

#[test]
fn file_dfas_match_parser_5_0_2() {
    if support::shared_dir().is_none() {
        return;
    }
    if reference_blob("file/ok_mmap_2.sd").is_none() {
        eprintln!("skipping: conformance data not found");
        return;
    }
    let mut probes = 0;
    probes += check_case("file/ok_mmap_2.sd", &[b"/bin/dog"]);
    probes += check_case("file/ok_deny_3.sd", &[b"/usr/bin/bar"]);
    probes += check_case(
        "xtrans/simple_ok_x_mods_1.sd",
        &[b"/1/1x", b"/2/3x", b"/3/5x", b"/4/1x", b"/5/2x"],
    );
    probes += check_case("xtrans/minimize-x-conflict.sd", &[b"/c", b"/bb"]);
    probes += check_case(
        "link/ok_link_4.sd",
        &[
            b"/tmp/foo\0/tmp/bar",
            b"/tmp/foo\0/tmp/bar1",
            b"/tmp/foo\0/tmp/bar8",
            b"/tmp/foo\0/tmp/bar9",
            b"/tmp/foo\0/tmp/bar12",
            b"/tmp/foo\0/zzz",
        ],
    );
    probes += check_case(
        "change_profile/unsafe_ok_1.sd",
        &[
            b"baz",
            b"/usr/bin/bar\0baz",
            b"/usr/bin/x",
            b"/proc/1/attr/current",
            b"/proc/1/attr/exec",
            b"/proc/1/attr/apparmor/",
            b"/sys/module/apparmor/parameters/enabled",
        ],
    );
    probes += check_case(
        "change_profile/bare_ok_1.sd",
        &[b"foo", b"/usr/bin/bar", b"/usr/bin/bar\0baz", b"/x\0"],
    );
    assert!(probes > 40, "only {probes} probes");
}

#[test]
fn xtable_order_matches_parser_5_0_2() {
    if support::shared_dir().is_none() {
        return;
    }
    let (name, rules) = read_case("link/ok_link_4.sd");
    let rule_refs: Vec<&str> = rules.iter().map(String::as_str).collect();
    let encoded = aaprof::encode::encode_file_rules(
        &profile(name.trim_start_matches("profile "), &rule_refs),
        &aaprof::encode::EncodeTarget::default(),
    )
    .unwrap();
    // As written in the 5.0.2 blob's xtable.
    assert_eq!(
        encoded.xtable.names(),
        [
            "utempter",
            "test//pgrep",
            "child-dpkg",
            "child-modprobe-nvidia"
        ]
    );
}
