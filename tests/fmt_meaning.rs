//! `aaprof fmt` never changes what a policy means, and formatting twice
//! changes nothing (issue 14): every policy file of a tree is formatted
//! into a copy, every profile is compiled from the original and from the
//! copy, and the blobs must be identical. Trees: the project's fixtures
//! (always), upstream's conformance profiles and the apparmor.d corpus
//! (with `../shared`), Debian's apparmor-profiles (when `.ci/run` unpacked
//! them into `target/`).

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::format::{FormatOptions, format_text};
use aaprof::resolve::{self, Input};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use support::conformance::Conformance;

/// Formats every file below `root` into the same place below `copy`;
/// files that do not parse (features files in `abi/`, READMEs) are copied
/// as they are. Fails on a file that formats differently the second time.
/// Returns how many files the formatter changed.
fn format_tree(root: &Path, copy: &Path) -> usize {
    let mut changed = 0;
    for file in files_below(root) {
        let target = copy.join(file.strip_prefix(root).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let Ok(text) = std::fs::read_to_string(&file) else {
            std::fs::copy(&file, &target).unwrap();
            continue;
        };
        let name = file.display().to_string();
        let out = match format_text(&name, &text, FormatOptions::default()) {
            Ok(formatted) => {
                let again = format_text(&name, &formatted, FormatOptions::default())
                    .unwrap_or_else(|e| panic!("{name}: formatted text does not format: {e}"));
                assert_eq!(again, formatted, "{name}: formatting is not idempotent");
                changed += usize::from(formatted != text);
                formatted
            }
            Err(_) => text,
        };
        std::fs::write(&target, out).unwrap();
    }
    changed
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

/// The blob of `profile` (a path relative to the tree) compiled in the
/// tree `root` with `include` (relative directories) and `base`.
fn compile(session: &Session, path: &Path) -> Option<Vec<u8>> {
    session.compile_input(&Input::Path(path.to_path_buf())).blob
}

fn session(root: &Path, include: &[&str], base: &str, features: &Path) -> Session {
    let options = resolve::Options {
        include_dirs: include.iter().map(|d| root.join(d)).collect(),
        base_dir: root.join(base),
        cwd: Some(root.to_path_buf()),
        ..resolve::Options::default()
    };
    Session::new(
        options,
        FeatureSources::both(FeatureSet::load(features).expect("features file")),
    )
}

/// Formats the tree `root` and compiles each of `profiles` (relative
/// paths) from both trees. Prints and returns the profiles whose blobs or
/// verdicts differ, and how many profiles the original tree rejects.
fn check_tree(
    label: &str,
    root: &Path,
    profiles: &[PathBuf],
    include: &[&str],
    base: &str,
    features: &Path,
) -> (Vec<String>, usize) {
    let copy = tempfile::tempdir().unwrap();
    let changed = format_tree(root, copy.path());
    let original = session(root, include, base, features);
    let formatted = session(copy.path(), include, base, features);
    let outcomes: Vec<(String, bool, bool)> = profiles
        .par_iter()
        .map(|p| {
            let before = compile(&original, &root.join(p));
            let after = compile(&formatted, &copy.path().join(p));
            (p.display().to_string(), before.is_some(), before == after)
        })
        .collect();
    let rejected = outcomes.iter().filter(|(_, accepted, _)| !accepted).count();
    let differing: Vec<String> = outcomes
        .into_iter()
        .filter(|(_, _, same)| !same)
        .map(|(name, _, _)| name)
        .collect();
    println!(
        "fmt keeps meaning ({label}): {} files reformatted, {} of {} profiles compile to \
         identical blobs ({rejected} rejected by both); formatting twice changes nothing",
        changed,
        profiles.len() - differing.len(),
        profiles.len()
    );
    for name in differing.iter().take(20) {
        println!("  differs {name}");
    }
    (differing, rejected)
}

#[test]
fn formatting_the_fixtures_keeps_their_blobs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let profiles: Vec<PathBuf> = [
        "example/profiles/example-notes",
        "query/globs",
        "shapes/everything",
        "shapes/small",
        "kernel/signal-probe",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    let features = root.join("features/example-kernel.txt");
    let (differing, rejected) = check_tree(
        "fixtures",
        &root,
        &profiles,
        &["example", "query"],
        "example",
        &features,
    );
    assert!(differing.is_empty(), "{differing:?}");
    assert_eq!(rejected, 0, "every fixture profile compiles");
}

#[test]
fn formatting_the_corpus_keeps_every_blob() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let corpus = shared.join("corpus");
    let listed = std::fs::read_to_string(corpus.join("profiles.txt")).expect("profiles.txt");
    let profiles: Vec<PathBuf> = listed
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| Path::new("apparmor.d").join(l))
        .collect();
    let (differing, _) = check_tree(
        "apparmor.d corpus, debian-6.12",
        &corpus,
        &profiles,
        &["apparmor.d", "base"],
        "apparmor.d",
        &shared.join("features/debian-6.12.txt"),
    );
    assert!(differing.is_empty(), "{} profiles differ", differing.len());
}

#[test]
fn formatting_the_conformance_profiles_keeps_every_blob() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let conformance = Conformance::new(&shared);
    let cases: Vec<String> = conformance
        .cases(Some("upstream-all"))
        .into_iter()
        .map(|c| c.name)
        .collect();
    let original = Session::new(
        resolve::Options {
            include_dirs: vec![conformance.include_dir()],
            cwd: Some(conformance.tst_dir()),
            ..resolve::Options::default()
        },
        FeatureSources::both(
            FeatureSet::load(&conformance.features_file("upstream-all")).expect("features"),
        ),
    );
    let compile_text = |text: String| {
        original
            .compile_input(&Input::Text {
                name: "-".into(),
                text,
            })
            .blob
    };
    let results: Vec<(String, bool, bool)> = cases
        .par_iter()
        .map(|case| {
            let text = String::from_utf8_lossy(&conformance.input(case)).into_owned();
            match format_text(case, &text, FormatOptions::default()) {
                Ok(formatted) => {
                    let again = format_text(case, &formatted, FormatOptions::default()).ok();
                    let same = compile_text(text) == compile_text(formatted.clone());
                    (
                        case.clone(),
                        same,
                        again.as_deref() == Some(formatted.as_str()),
                    )
                }
                // A case the grammar rejects is not formatted at all.
                Err(_) => (case.clone(), true, true),
            }
        })
        .collect();
    let differing: Vec<&(String, bool, bool)> = results
        .iter()
        .filter(|(_, same, idem)| !same || !idem)
        .collect();
    println!(
        "fmt keeps meaning (conformance, upstream-all): {} of {} cases identical and idempotent",
        results.len() - differing.len(),
        results.len()
    );
    for (case, same, idempotent) in differing.iter().take(20) {
        println!("  differs {case} (same blob: {same}, idempotent: {idempotent})");
    }
    assert!(differing.is_empty(), "{} cases differ", differing.len());
}

#[test]
fn formatting_debian_profiles_keeps_every_blob() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/debian-apparmor-profiles/etc/apparmor.d");
    let Some(shared) = support::shared_dir() else {
        return;
    };
    if !root.is_dir() {
        eprintln!(
            "note: Debian's apparmor-profiles not unpacked in target/ (.ci/run does it); skipping"
        );
        return;
    }
    let profiles: Vec<PathBuf> = files_below(&root)
        .into_iter()
        .filter(|p| p.parent() == Some(root.as_path()))
        .map(|p| p.strip_prefix(&root).unwrap().to_path_buf())
        .collect();
    let base = shared.join("corpus/base");
    let (differing, _) = check_tree(
        "Debian apparmor-profiles, debian-6.12",
        &root,
        &profiles,
        &[".", base.to_str().unwrap()],
        ".",
        &shared.join("features/debian-6.12.txt"),
    );
    assert!(differing.is_empty(), "{} profiles differ", differing.len());
}
