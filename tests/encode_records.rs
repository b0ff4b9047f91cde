//! Profile-level fields (names and order, flags, path_flags, caps,
//! rlimits, xattr names, xmatch_len, file DFA presence) compared with
//! parser 5.0.2's reference blobs for every conformance case the small
//! reader in `common::mini` understands.

#[path = "encode_common/mod.rs"]
mod common;
mod support;

use aaprof::encode::file_entry_pair;
use aaprof::encode::{EncodeTarget, EncodedProfile, ProfileOptions, encode_policy};
use aaprof::expr::Expr;
use common::mini::parse_policy;
use common::records::{RecordFields, records};
use common::{dfa_at, predicted_from, predicted_state, shared};
use std::collections::HashMap;
use std::fs;
use std::path::Path;

/// The encoder target matching a features file (only the fields that
/// affect the compared record fields).
fn target(features: &str) -> EncodeTarget {
    let xattrs = features != "upstream-all";
    EncodeTarget {
        kabi: 7,
        xattr_attach: xattrs,
        out_of_band: xattrs,
        ..EncodeTarget::default()
    }
}

/// case → (rc, sha) for one features file.
fn expectations(features: &str) -> HashMap<String, (String, String)> {
    let table = fs::read_to_string(shared().join("conformance/expected.tsv")).unwrap_or_default();
    table
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields.len() > 5 && fields[3] == features).then(|| {
                (
                    fields[0].to_owned(),
                    (fields[4].to_owned(), fields[5].to_owned()),
                )
            })
        })
        .collect()
}

/// The case text as the reference run saw it (control lines removed).
fn case_text(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("#=DISABLED") {
            break;
        }
        if ["#=DESCRIPTION", "#=EXRESULT", "#=TODO"]
            .iter()
            .any(|prefix| line.starts_with(prefix))
        {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn compare(case: &str, ours: &EncodedProfile, theirs: &RecordFields) {
    let what = format!("{case} {}", theirs.name);
    assert_eq!(ours.name, theirs.name, "{case}: record order");
    assert_eq!(ours.namespace, theirs.namespace, "{what}: namespace");
    let flags = [ours.flags.flags, ours.flags.mode, ours.flags.audit];
    assert_eq!(flags, theirs.flags, "{what}: flags");
    assert_eq!(ours.path_flags, theirs.path_flags, "{what}: path_flags");
    let caps = [ours.caps.allow, ours.caps.audit, ours.caps.quiet];
    assert_eq!(caps, theirs.caps, "{what}: caps");
    let rlimits = ours
        .rlimits
        .map(|limits| (limits.mask, limits.values.to_vec()));
    assert_eq!(rlimits, theirs.rlimits, "{what}: rlimits");
    assert_eq!(ours.xattr_names, theirs.xattrs, "{what}: xattrs");
    let xmatch_len = ours.xmatch.as_ref().map(|xmatch| xmatch.len);
    assert_eq!(xmatch_len, theirs.xmatch_len, "{what}: xmatch_len");
    assert_eq!(
        !ours.file.rules.is_empty(),
        theirs.file_dfa.is_some(),
        "{what}: file DFA presence"
    );
}

/// Walks the reference file DFA with the literal paths of the profile's
/// rules (and their link pairs); returns the number of probes.
fn compare_file_dfa(
    case: &str,
    blob: &[u8],
    ours: &EncodedProfile,
    theirs: &RecordFields,
) -> usize {
    let Some(offset) = theirs.file_dfa else {
        return 0;
    };
    let dfa = dfa_at(blob, offset);
    let mut probes: Vec<Vec<u8>> = Vec::new();
    for (expr, _) in &ours.file.rules {
        if let Some(bytes) = literal_bytes(expr) {
            probes.push(bytes);
        }
    }
    if let Some(entries) = &theirs.file_perms {
        for probe in &probes {
            let (index, _) = dfa.walk(probe);
            let state = predicted_state(&ours.file.rules, probe);
            let (user, other) = file_entry_pair(&state);
            let index = index as usize;
            assert_eq!(
                (entries[index], entries[index + 1]),
                (user.to_words(), other.to_words()),
                "{case} {}: perms-table entries for {:?}",
                theirs.name,
                String::from_utf8_lossy(probe)
            );
        }
        return probes.len();
    }
    for probe in &probes {
        assert_eq!(
            dfa.walk(probe),
            predicted_from(&ours.file.rules, probe),
            "{case} {}: probe {:?}",
            theirs.name,
            String::from_utf8_lossy(probe)
        );
    }
    probes.len()
}

/// The bytes of an expression that is a plain literal.
fn literal_bytes(expr: &Expr) -> Option<Vec<u8>> {
    match expr {
        Expr::Byte(byte) => Some(vec![*byte]),
        Expr::Concat(items) => {
            let mut out = Vec::new();
            for item in items {
                out.extend(literal_bytes(item)?);
            }
            Some(out)
        }
        _ => None,
    }
}

#[test]
fn record_fields_match_parser_5_0_2_debian_6_1() {
    sweep("debian-6.1", true);
}

/// Packed accept words too, but no xattr conditions in the xmatch.
#[test]
fn record_fields_match_parser_5_0_2_upstream_all() {
    sweep("upstream-all", true);
}

/// Perms-table output: record fields only (ACCEPT holds table indices).
#[test]
fn record_fields_match_parser_5_0_2_debian_6_12() {
    sweep("debian-6.12", false);
}

/// Perms-table output (permstable32 version 2): table entries per probe.
#[test]
fn record_fields_match_parser_5_0_2_permstable() {
    sweep("debian-6.12-permstable", true);
}

/// Perms-table output with `permsv` 3 (ACCEPT2 holds flags).
#[test]
fn record_fields_match_parser_5_0_2_af_inet() {
    sweep("af-inet", true);
}

fn sweep(features: &str, probe_dfa: bool) {
    let expected = expectations(features);
    if expected.is_empty() {
        eprintln!("skipping: conformance data not found");
        return;
    }
    let root = shared().join("conformance/tst/simple_tests");
    let mut compared = 0;
    let mut probes = 0;
    let mut rejected_by_us = Vec::new();
    let mut dirs = vec![root.clone()];
    let mut index = 0;
    while index < dirs.len() {
        let children: Vec<_> = fs::read_dir(&dirs[index])
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect();
        dirs.extend(children);
        index += 1;
    }
    for dir in dirs {
        let rlimits_dir = dir.ends_with("rlimits");
        let mut entries: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "sd"))
            .collect();
        entries.sort();
        for path in entries {
            let case = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let Some((rc, sha)) = expected.get(&case) else {
                continue;
            };
            let Some(policy) = parse_policy(&case_text(&path)) else {
                continue;
            };
            let ours = encode_policy(&policy, &target(features), ProfileOptions::default());
            if rc != "0" {
                if ours.is_ok() && rlimits_dir {
                    panic!("{case}: 5.0.2 rejects it, the encoder accepted it");
                }
                continue;
            }
            let Ok(ours) = ours else {
                rejected_by_us.push(case);
                continue;
            };
            let blob = fs::read(shared().join(format!("conformance/blobs/{sha}.bin"))).unwrap();
            let theirs = records(&blob);
            assert_eq!(ours.len(), theirs.len(), "{case}: record count");
            for (mine, reference) in ours.iter().zip(&theirs) {
                compare(&case, mine, reference);
                if probe_dfa {
                    probes += compare_file_dfa(&case, &blob, mine, reference);
                }
            }
            compared += 1;
        }
    }
    assert!(rejected_by_us.is_empty(), "rejected: {rejected_by_us:?}");
    eprintln!("{features}: compared {compared} cases, {probes} file-DFA probes");
    assert!(!probe_dfa || probes >= 100, "only {probes} probes");
    assert!(compared >= 50, "only {compared} cases compared");
}
