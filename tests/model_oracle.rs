//! Developer checks against a reference parser. Model: for each accepted
//! conformance case, the file-rule paths aaprof's model holds (variables
//! expanded, aliases applied) must appear among the entries
//! apparmor_parser 4.1's `-d` dump lists for the same profile. Ignored by
//! default: it runs the 4.1 binary once per case (`cargo test --release
//! --test model_oracle -- --ignored --nocapture`). Names: `aaprof names`
//! must list exactly what `apparmor_parser -N` lists.

use aaprof::model::{Profile, RuleKind};
use aaprof::resolve::{Input, Options, SourceCache, load};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Cases where the model's paths differ today, all by design: the model
/// keeps escapes (`\141`, `\t`) and repeated slashes (`/{/foo,/bar}`) as
/// written, and the dump shows them after the back end's §6 processing
/// (escape decoding, slash filtering). A regression above it fails.
const MAX_MISMATCHES: usize = 12;

fn prepare(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("#=DISABLED") {
            break;
        }
        if !(line.starts_with("#=DESCRIPTION")
            || line.starts_with("#=EXRESULT")
            || line.starts_with("#=TODO"))
        {
            out.push_str(line);
        }
    }
    out
}

/// Profile name → entry names, from `apparmor_parser -d`.
fn reference(
    parser: &PathBuf,
    features: &PathBuf,
    tst: &PathBuf,
    text: &str,
) -> Option<BTreeMap<String, BTreeSet<String>>> {
    let mut child = Command::new(parser)
        .args([
            "--config-file=/dev/null",
            "-d",
            "-K",
            "-Q",
            "--features-file",
        ])
        .arg(features)
        .arg("-I")
        .arg(tst.join("simple_tests"))
        .current_dir(tst)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = String::new();
    let mut parent = String::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(name) = line.strip_prefix("Name:\t\t") {
            current = name.to_string();
        } else if let Some(p) = line.strip_prefix("Local To:\t") {
            parent = if p == "<NULL>" {
                String::new()
            } else {
                p.to_string()
            };
        } else if let Some(idx) = line.find("\tName:\t(") {
            let name = line[idx + 8..].trim_end_matches(')').to_string();
            let key = if parent.is_empty() {
                current.clone()
            } else {
                format!("{parent}//{current}")
            };
            map.entry(key).or_default().insert(name);
        }
    }
    Some(map)
}

fn collect(p: &Profile, full: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
    let set = out.entry(full.to_string()).or_default();
    for r in &p.rules {
        if let RuleKind::File(f) = &r.kind {
            set.insert(f.path.clone().unwrap_or_else(|| "/{**,}".into()));
        }
    }
    for c in &p.children {
        collect(c, &format!("{full}//{}", c.name), out);
    }
}

#[test]
#[ignore]
fn model_paths_match_apparmor_parser_dump() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let parser = root.join("tools/apparmor-parser-4.1");
    let features = root.join("features/debian-6.1.txt");
    let tst = std::fs::canonicalize(root.join("conformance/tst")).expect("tst");
    let tsv = std::fs::read_to_string(root.join("conformance/expected.tsv")).expect("tsv");
    let options = Options {
        include_dirs: vec![tst.join("simple_tests")],
        cwd: Some(tst.clone()),
        ..Options::default()
    };
    let cache = SourceCache::new();
    let (mut compared, mut mismatches) = (0, 0);
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 || f[3] != "upstream-all" || f[4] != "0" {
            continue;
        }
        let text = prepare(
            &std::fs::read_to_string(tst.join("simple_tests").join(f[0])).unwrap_or_default(),
        );
        let Some(theirs) = reference(&parser, &features, &tst, &text) else {
            continue;
        };
        let loaded = load(
            &Input::Text {
                name: f[0].into(),
                text,
            },
            &options,
            &cache,
        );
        let mut ours = BTreeMap::new();
        for p in &loaded.policy.profiles {
            // The dump names namespaced profiles without their namespace.
            collect(p, &p.name, &mut ours);
        }
        compared += 1;
        let mut bad = Vec::new();
        for (name, paths) in &ours {
            let empty = BTreeSet::new();
            let reference = theirs.get(name).unwrap_or(&empty);
            for path in paths {
                if !reference.contains(path) {
                    bad.push(format!("{name}: {path}"));
                }
            }
        }
        if !bad.is_empty() {
            mismatches += 1;
            println!(
                "MISMATCH {}: {}",
                f[0],
                bad.iter().take(3).cloned().collect::<Vec<_>>().join(" | ")
            );
        }
    }
    println!(
        "model oracle: {compared} cases compared, {mismatches} with paths the reference lacks"
    );
    assert!(compared > 0);
    assert!(mismatches <= MAX_MISMATCHES);
}

/// `apparmor_parser -N` output for a case, or `None` if it rejects it.
fn reference_names(
    parser: &PathBuf,
    features: &PathBuf,
    tst: &PathBuf,
    text: &str,
) -> Option<Vec<String>> {
    let mut child = Command::new(parser)
        .args([
            "--config-file=/dev/null",
            "-N",
            "-K",
            "-Q",
            "--features-file",
        ])
        .arg(features)
        .arg("-I")
        .arg(tst.join("simple_tests"))
        .current_dir(tst)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    })
}

#[test]
#[ignore]
fn declared_names_match_apparmor_parser_list() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let parser = root.join("tools/apparmor-parser-4.1");
    let features = root.join("features/debian-6.1.txt");
    let tst = std::fs::canonicalize(root.join("conformance/tst")).expect("tst");
    let tsv = std::fs::read_to_string(root.join("conformance/expected.tsv")).expect("tsv");
    let options = Options {
        include_dirs: vec![tst.join("simple_tests")],
        cwd: Some(tst.clone()),
        ..Options::default()
    };
    let cache = SourceCache::new();
    let (mut compared, mut mismatches) = (0, 0);
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 || f[3] != "upstream-all" || f[4] != "0" {
            continue;
        }
        let text = prepare(
            &std::fs::read_to_string(tst.join("simple_tests").join(f[0])).unwrap_or_default(),
        );
        let Some(theirs) = reference_names(&parser, &features, &tst, &text) else {
            continue;
        };
        let loaded = load(
            &Input::Text {
                name: f[0].into(),
                text,
            },
            &options,
            &cache,
        );
        compared += 1;
        if loaded.names != theirs {
            mismatches += 1;
            println!("MISMATCH {}: {:?} vs {:?}", f[0], loaded.names, theirs);
        }
    }
    println!("names oracle: {compared} cases compared, {mismatches} differ");
    assert!(compared > 0);
    assert_eq!(mismatches, 0);
}
