//! The profiles Debian ships, compiled by aaprof and by apparmor_parser
//! 5.0.2 under each of the five features files (issue 12, point 4).
//!
//! Packages (unpacked into `target/` by `.ci/run`, never committed):
//! Debian's `apparmor`, `apparmor-profiles` (with its extra-profiles) and
//! `apparmor-profiles-extra` of the machine's suite, and the 141 profiles
//! of the 5.0.2 reference package itself. Each profile file is compiled on
//! its own with its package's `etc/apparmor.d` and the abstractions and
//! tunables of the `apparmor` package it was written for on the search
//! path, plus an empty `local/NAME` for every profile (what the packages'
//! maintainer scripts create on install; some profiles include theirs
//! without `if exists`).
//!
//! Prints, per package and features file, how many files both compilers
//! accept with byte-identical blobs and how many verdicts agree; lists every
//! difference and fails below the floors (ratchets at today's values).

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Per features file (all five), the floors over every package on
/// byte-identical compiles and on agreeing verdicts.
const FLOORS: [(&str, usize, usize); 5] = [
    ("upstream-all", 283, 283),
    ("debian-6.1", 283, 283),
    ("debian-6.12", 283, 283),
    ("debian-6.12-permstable", 283, 283),
    ("af-inet", 283, 283),
];

/// One unpacked package: where its profile files are and which
/// `etc/apparmor.d` provides the abstractions and tunables they include.
struct Package {
    name: &'static str,
    /// Directory under `target/`.
    dir: &'static str,
    /// Directories (inside `dir`) whose regular files are profile files.
    profile_dirs: &'static [&'static str],
    /// Directory under `target/` whose `etc/apparmor.d` is the base.
    base: &'static str,
}

const PACKAGES: [Package; 4] = [
    Package {
        name: "apparmor 5.0.2 (reference deb)",
        dir: "apparmor-5.0.2",
        profile_dirs: &["etc/apparmor.d"],
        base: "apparmor-5.0.2",
    },
    Package {
        name: "apparmor",
        dir: "debian-apparmor",
        profile_dirs: &["etc/apparmor.d"],
        base: "debian-apparmor",
    },
    Package {
        name: "apparmor-profiles",
        dir: "debian-apparmor-profiles",
        profile_dirs: &["etc/apparmor.d", "usr/share/apparmor/extra-profiles"],
        base: "debian-apparmor",
    },
    Package {
        name: "apparmor-profiles-extra",
        dir: "debian-apparmor-profiles-extra",
        profile_dirs: &["etc/apparmor.d"],
        base: "debian-apparmor",
    },
];

/// A package found on disk with its files and search path.
struct Unpacked {
    name: &'static str,
    files: Vec<PathBuf>,
    include_dirs: Vec<PathBuf>,
    base_dir: PathBuf,
}

/// The regular files directly in `dir`, sorted (READMEs are not profiles).
fn profile_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .filter(|path| path.file_name().is_some_and(|n| n != "README"))
        .collect();
    files.sort();
    files
}

fn unpack(target: &Path, package: &Package, stubs: &Path) -> Option<Unpacked> {
    let root = target.join(package.dir);
    let etc = root.join("etc/apparmor.d");
    let base = target.join(package.base).join("etc/apparmor.d");
    if !etc.is_dir() || !base.join("tunables").is_dir() {
        println!(
            "note: {} or {} missing (.ci/run unpacks them); skipping {}",
            etc.display(),
            base.display(),
            package.name
        );
        return None;
    }
    let files: Vec<PathBuf> = package
        .profile_dirs
        .iter()
        .flat_map(|dir| profile_files(&root.join(dir)))
        .collect();
    for file in &files {
        let name = file.file_name().expect("file name");
        std::fs::write(stubs.join("local").join(name), "").expect("local stub");
    }
    let mut include_dirs = vec![etc.clone()];
    if base != etc {
        include_dirs.push(base.clone());
    }
    include_dirs.push(stubs.to_path_buf());
    Some(Unpacked {
        name: package.name,
        files,
        include_dirs,
        base_dir: base,
    })
}

/// The reference's blob for `file`, `None` when it rejects it.
fn reference_blob(
    parser: &Path,
    features: &Path,
    package: &Unpacked,
    file: &Path,
) -> Option<Vec<u8>> {
    let mut command = Command::new(parser);
    command
        .args(["--config-file=/dev/null", "-Q", "-S", "-K", "-q"])
        .arg("--features-file")
        .arg(features)
        .arg("-b")
        .arg(&package.base_dir);
    for dir in &package.include_dirs {
        command.arg("-I").arg(dir);
    }
    let output = command
        .arg(file)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("the reference parser runs");
    output.status.success().then_some(output.stdout)
}

/// What one file gave under one features file.
enum Verdict {
    Identical,
    /// Both accept; the blobs differ.
    Differs,
    BothReject,
    /// Only the reference accepts; aaprof's first error.
    OnlyReferenceAccepts(String),
    OnlyAaprofAccepts,
}

fn compare(
    parser: &Path,
    features: &Path,
    session: &Session,
    package: &Unpacked,
    file: &Path,
) -> Verdict {
    let reference = reference_blob(parser, features, package, file);
    let ours = session.compile_input(&Input::Path(file.to_path_buf()));
    match (reference, ours.blob) {
        (Some(expected), Some(blob)) if expected == blob => Verdict::Identical,
        (Some(_), Some(_)) => Verdict::Differs,
        (None, None) => Verdict::BothReject,
        (Some(_), None) => Verdict::OnlyReferenceAccepts(
            ours.diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| d.message.clone())
                .unwrap_or_default(),
        ),
        (None, Some(_)) => Verdict::OnlyAaprofAccepts,
    }
}

#[test]
fn shipped_profiles_match_apparmor_parser_5_0_2() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let parser = shared.join("tools/apparmor-parser-5.0");
    if !parser.exists() {
        println!("note: {} missing; skipping", parser.display());
        return;
    }
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    let stubs = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(stubs.path().join("local")).expect("local dir");
    let packages: Vec<Unpacked> = PACKAGES
        .iter()
        .filter_map(|package| unpack(&target, package, stubs.path()))
        .collect();
    if packages.is_empty() {
        return;
    }
    let mut failures = Vec::new();
    for (features_name, identical_floor, verdict_floor) in FLOORS {
        let features = shared.join(format!("features/{features_name}.txt"));
        let set = FeatureSet::load(&features).expect("features file");
        let (mut all_files, mut all_identical, mut all_verdicts) = (0, 0, 0);
        for package in &packages {
            let options = resolve::Options {
                include_dirs: package.include_dirs.clone(),
                base_dir: package.base_dir.clone(),
                cwd: Some(package.base_dir.clone()),
                ..resolve::Options::default()
            };
            let session = Session::new(options, FeatureSources::both(set.clone()));
            let verdicts: Vec<Verdict> = package
                .files
                .par_iter()
                .map(|file| compare(&parser, &features, &session, package, file))
                .collect();
            let identical = verdicts
                .iter()
                .filter(|v| matches!(v, Verdict::Identical))
                .count();
            let agree = verdicts
                .iter()
                .filter(|v| {
                    matches!(
                        v,
                        Verdict::Identical | Verdict::Differs | Verdict::BothReject
                    )
                })
                .count();
            let both_reject = verdicts
                .iter()
                .filter(|v| matches!(v, Verdict::BothReject))
                .count();
            println!(
                "shipped profiles [{features_name}] {}: {identical} of {} byte-identical, \
                 verdicts agree on {agree} ({both_reject} rejected by both)",
                package.name,
                verdicts.len()
            );
            for (file, verdict) in package.files.iter().zip(&verdicts) {
                let what = match verdict {
                    Verdict::Identical | Verdict::BothReject => continue,
                    Verdict::Differs => "blob differs".to_owned(),
                    Verdict::OnlyReferenceAccepts(error) => {
                        format!("only the reference accepts (aaprof: {error})")
                    }
                    Verdict::OnlyAaprofAccepts => "only aaprof accepts".to_owned(),
                };
                println!("  differs [{features_name}] {}: {what}", file.display());
            }
            all_files += verdicts.len();
            all_identical += identical;
            all_verdicts += agree;
        }
        println!(
            "shipped profiles [{features_name}]: {all_identical} of {all_files} byte-identical \
             (floor {identical_floor}), verdicts agree on {all_verdicts} (floor {verdict_floor})"
        );
        // The floors hold for the full set of packages only.
        if packages.len() == PACKAGES.len() {
            if all_identical < identical_floor {
                failures.push(format!(
                    "{features_name}: {all_identical} identical < floor {identical_floor}"
                ));
            }
            if all_verdicts < verdict_floor {
                failures.push(format!(
                    "{features_name}: {all_verdicts} verdicts agree < floor {verdict_floor}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "below the floors: {failures:#?}");
}
