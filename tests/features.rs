//! Features parsing and the derived facts on the five reference features
//! files, checked against what apparmor_parser actually produced: the
//! version word and permission-table format of the 5.0.2 reference blobs,
//! and the cache directory name and `.features` file of the 4.1 parser.

mod support;

use aaprof::blob::read_records;
use aaprof::features::{FeatureSet, Features, KernelFacts};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: [&str; 5] = [
    "af-inet",
    "debian-6.1",
    "debian-6.12",
    "debian-6.12-permstable",
    "upstream-all",
];

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn load(name: &str) -> FeatureSet {
    FeatureSet::load(&shared().join(format!("features/{name}.txt"))).expect("features file loads")
}

/// sha256 of every accepted, non-empty reference blob per features file.
fn blobs_by_features() -> HashMap<String, Vec<String>> {
    let tsv = std::fs::read_to_string(shared().join("conformance/expected.tsv")).unwrap();
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 7 && cols[5] != "-" && cols[6] != "0" {
            out.entry(cols[3].to_string())
                .or_default()
                .push(cols[5].to_string());
        }
    }
    out
}

#[test]
fn derived_facts_per_file() {
    if support::shared_dir().is_none() {
        return;
    }
    let expect = |name: &str, kabi: u32, permstable: Option<u32>, uses_tables: bool| {
        let facts = KernelFacts::from_kernel(&load(name));
        assert_eq!(facts.kabi, kabi, "{name}");
        assert_eq!(facts.permstable32_version, permstable, "{name}");
        assert_eq!(facts.permstable32(), uses_tables, "{name}");
        assert!(facts.policydb, "{name} lists `file`");
    };
    expect("af-inet", 7, Some(3), true);
    expect("debian-6.1", 7, None, false);
    expect("debian-6.12", 7, Some(1), false);
    expect("debian-6.12-permstable", 7, Some(2), true);
    expect("upstream-all", 7, None, false);
    assert!(KernelFacts::from_kernel(&load("af-inet")).permsv());
    assert!(!KernelFacts::from_kernel(&load("debian-6.12-permstable")).permsv());

    let rules = |name| Features::same(load(name)).rule_facts();
    assert!(rules("debian-6.12").userns && rules("debian-6.12").io_uring);
    assert!(!rules("debian-6.1").userns && !rules("debian-6.1").dbus);
    assert!(rules("upstream-all").unix && !rules("upstream-all").network_v8);
    assert!(rules("af-inet").inet && rules("af-inet").posix_mqueue);
    assert!(
        !rules("af-inet").flag_kill_signal,
        "af-inet lists domain/kill.signal only"
    );
    assert!(KernelFacts::from_kernel(&load("debian-6.1")).oob);
}

#[test]
fn facts_agree_with_the_reference_blobs() {
    if support::shared_dir().is_none() {
        return;
    }
    let blobs = blobs_by_features();
    for name in FILES {
        let facts = KernelFacts::from_kernel(&load(name));
        let shas = &blobs[name];
        let (mut with_tables, mut with_permsv) = (0, 0);
        for sha in shas {
            let bytes =
                std::fs::read(shared().join(format!("conformance/blobs/{sha}.bin"))).unwrap();
            for record in read_records(&bytes).unwrap() {
                assert_eq!(
                    record.version,
                    facts.version_word(false),
                    "{name}: version word of {sha}"
                );
                for pdb in record.policydb.iter().chain(&record.file) {
                    assert_eq!(pdb.perms.is_some(), facts.permstable32(), "{name}: {sha}");
                    with_tables += usize::from(pdb.perms.is_some());
                }
                if let Some(file) = &record.file {
                    let has_entries = file.perms.as_ref().is_some_and(|p| !p.entries.is_empty());
                    assert_eq!(
                        file.permsv.is_some(),
                        facts.permsv() && has_entries,
                        "{name}: permsv of {sha}"
                    );
                    with_permsv += usize::from(file.permsv.is_some());
                }
            }
        }
        println!(
            "{name}: {} blobs, version {:#010x}, {with_tables} perms tables, {with_permsv} permsv",
            shas.len(),
            facts.version_word(false)
        );
    }
}

/// Runs the 4.1 parser with `--write-cache` and returns the cache
/// directory's name and its `.features` content, or `None` if the tool
/// cannot run here.
fn parser_cache_dir(features: &Path) -> Option<(String, Vec<u8>)> {
    let tool = shared().join("tools/apparmor-parser-4.1");
    let dir = tempfile::tempdir().ok()?;
    let profile = dir.path().join("t");
    std::fs::write(&profile, "profile t { /etc/foo r, }\n").ok()?;
    let cache = dir.path().join("cache");
    std::fs::create_dir(&cache).ok()?;
    let status = Command::new(tool)
        .arg("--config-file=/dev/null")
        .arg("-Q")
        .arg("--features-file")
        .arg(features)
        .arg("--write-cache")
        .arg("-L")
        .arg(&cache)
        .arg(&profile)
        .output()
        .ok()?;
    if !status.status.success() {
        return None;
    }
    let entry = std::fs::read_dir(&cache).ok()?.next()?.ok()?;
    let name = entry.file_name().to_string_lossy().into_owned();
    let text = std::fs::read(entry.path().join(".features")).ok()?;
    Some((name, text))
}

#[test]
fn features_id_matches_the_parser_cache_directory() {
    if support::shared_dir().is_none() {
        return;
    }
    // Directory names the 4.1 parser created for these files (recorded
    // with the command in parser_cache_dir); re-checked live below.
    let recorded = [
        ("af-inet", "baad73a1"),
        ("debian-6.1", "6b0d76a2"),
        ("debian-6.12", "979b3ac6"),
        ("debian-6.12-permstable", "6613aaf9"),
        ("upstream-all", "e4d4c527"),
    ];
    for (name, id) in recorded {
        assert_eq!(load(name).id(), id, "{name}");
    }
    let mut live = 0;
    for name in FILES {
        let path = shared().join(format!("features/{name}.txt"));
        let Some((dir, text)) = parser_cache_dir(&path) else {
            println!("apparmor-parser-4.1 did not run; live check of {name} skipped");
            continue;
        };
        let set = load(name);
        assert_eq!(dir, format!("{}.0", set.id()), "{name}");
        // The hashed text is the file verbatim, not a re-flattened form.
        assert_eq!(text, set.text(), "{name}: .features content");
        assert_eq!(text, std::fs::read(&path).unwrap(), "{name}: verbatim");
        live += 1;
    }
    println!(
        "{live} of {} ids checked live against the 4.1 parser",
        FILES.len()
    );

    // A whitespace variant of the same features hashes differently: the id
    // is of the text as given, not of a normalised form.
    let original = std::fs::read_to_string(shared().join("features/debian-6.1.txt")).unwrap();
    let variant = original.replace(" {", "  {");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("variant.txt");
    std::fs::write(&path, &variant).unwrap();
    let set = FeatureSet::from_text(variant.into_bytes()).unwrap();
    assert_ne!(set.id(), load("debian-6.1").id());
    assert_eq!(set.tree(), load("debian-6.1").tree(), "same features");
    if let Some((dir_name, text)) = parser_cache_dir(&path) {
        assert_eq!(dir_name, format!("{}.0", set.id()));
        assert_eq!(text, set.text());
    }
}

#[test]
fn every_file_parses_into_a_tree_with_the_expected_keys() {
    if support::shared_dir().is_none() {
        return;
    }
    for name in FILES {
        let tree = load(name).tree();
        for key in ["caps/mask", "file/mask", "policy/versions/v7", "capability"] {
            assert!(tree.get(key).is_some(), "{name}: {key}");
        }
        assert!(
            tree.get("caps/mask")
                .unwrap()
                .values
                .contains(&"sys_admin".to_string()),
            "{name}"
        );
    }
}

/// The version word the 4.1 parser writes with `features` as `-M`.
fn parser_version_word(features: &Path) -> Option<u32> {
    use std::io::Write;
    let mut child = Command::new(shared().join("tools/apparmor-parser-4.1"))
        .args([
            "--config-file=/dev/null",
            "-Q",
            "-S",
            "-K",
            "-q",
            "--features-file",
        ])
        .arg(features)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()?
        .write_all(b"profile t { /etc/foo r, }\n")
        .ok()?;
    let out = child.wait_with_output().ok()?;
    let records = read_records(&out.stdout).ok()?;
    Some(records.first()?.version)
}

#[test]
fn version_word_matches_the_parser_for_every_features_and_abi_file() {
    if support::shared_dir().is_none() {
        return;
    }
    // The abi files include upstream's abi/5.0, where libapparmor's lookup
    // finds `versions` as the tail of `notify_versions` and so reports no
    // v7: the parser writes version 5 (binary-format §11).
    let mut files: Vec<PathBuf> = FILES
        .iter()
        .map(|name| shared().join(format!("features/{name}.txt")))
        .collect();
    let mut abi: Vec<PathBuf> = std::fs::read_dir(shared().join("corpus/base/abi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    abi.sort();
    files.extend(abi);
    let mut checked = 0;
    for path in &files {
        let ours = KernelFacts::from_kernel(&FeatureSet::load(path).unwrap()).version_word(false);
        let Some(theirs) = parser_version_word(path) else {
            println!(
                "apparmor-parser-4.1 did not run on {}; skipped",
                path.display()
            );
            continue;
        };
        assert_eq!(ours, theirs, "{}", path.display());
        checked += 1;
    }
    let abi50 = FeatureSet::load(&shared().join("corpus/base/abi/5.0")).unwrap();
    assert_eq!(KernelFacts::from_kernel(&abi50).kabi, 5);
    assert!(
        abi50.tree().get("policy/versions/v7").is_some(),
        "the exact path exists"
    );
    println!(
        "{checked} of {} version words match the 4.1 parser",
        files.len()
    );
}

mod robustness {
    use aaprof::features::{FeatureNode, FeatureSet, KernelFacts};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lookups_never_panic(
            text in prop::collection::vec(
                prop::sample::select(b"ab{} \n/\xff_v7".to_vec()), 0..200),
            path in "[ab/v7_{}]{0,12}",
        ) {
            if let Ok(set) = FeatureSet::from_text(text.clone()) {
                let _ = set.supports(&path);
                let _ = set.value(&path);
                let _ = set.words(&path);
                let _ = set.id();
                let _ = KernelFacts::from_kernel(&set);
            }
            let _ = FeatureNode::parse(&text).flatten();
        }
    }
}
