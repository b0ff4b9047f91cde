//! The policy cache (`aaprof compile --write-cache -L DIR`): apparmor_parser's
//! layout, content-based freshness, reuse without recompiling.

mod support;

use support::builtin_features;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// A small policy tree: `base/abstractions/{a,b,c}` (c includes a) and
/// profiles p1 (a), p2 (b), p3 (c), in a temp dir.
struct Fixture {
    root: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let root = tempfile::tempdir().unwrap();
        let abs = root.path().join("base/abstractions");
        std::fs::create_dir_all(&abs).unwrap();
        std::fs::create_dir_all(root.path().join("profiles")).unwrap();
        std::fs::write(abs.join("a"), "/usr/share/a/** r,\n").unwrap();
        std::fs::write(abs.join("b"), "/usr/share/b/** r,\n").unwrap();
        std::fs::write(abs.join("c"), "include <abstractions/a>\n/etc/c r,\n").unwrap();
        for (name, abstraction) in [("p1", "a"), ("p2", "b"), ("p3", "c")] {
            std::fs::write(
                root.path().join("profiles").join(name),
                format!(
                    "profile {name} /usr/bin/{name} {{\n  include <abstractions/{abstraction}>\n  /tmp/{name} rw,\n}}\n"
                ),
            )
            .unwrap();
        }
        Fixture { root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    fn cache(&self) -> PathBuf {
        self.path("cache")
    }

    /// Runs `aaprof compile --write-cache --stats` into the fixture's cache
    /// (features debian-6.1, base `base/`) with `args` appended.
    fn cache_run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> std::process::Output {
        write_cache_command(&self.cache(), "debian-6.1")
            .arg("-b")
            .arg(self.path("base"))
            .args(args)
            .output()
            .unwrap()
    }

    /// [`Fixture::cache_run`] over the three profiles; returns the
    /// `(reused, compiled)` counts of `--stats`.
    fn compile(&self, extra: &[&str]) -> (usize, usize) {
        let mut args: Vec<std::ffi::OsString> = extra.iter().map(Into::into).collect();
        for p in ["p1", "p2", "p3"] {
            args.push(self.path("profiles").join(p).into());
        }
        let out = self.cache_run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        parse_stats(&stderr)
    }

    fn entry_dir(&self) -> PathBuf {
        single_subdir(&self.cache())
    }

    fn inode(&self, profile: &str) -> u64 {
        std::fs::metadata(self.entry_dir().join(profile))
            .unwrap()
            .ino()
    }
}

/// `aaprof compile --write-cache --stats -L CACHE` with the built-in
/// feature set FEATURES as a file.
fn write_cache_command(cache: &Path, features: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aaprof"));
    command
        .args([
            "compile",
            "--config-file=/dev/null",
            "-Q",
            "--write-cache",
            "--stats",
            "-L",
        ])
        .arg(cache)
        .arg("--features-file")
        .arg(builtin_features(features));
    command
}

fn parse_stats(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("cache: "))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[1].parse().unwrap(), words[3].parse().unwrap())
}

fn single_subdir(dir: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.into_iter().next().unwrap()
}

/// File names and permission bits of a cache tree, aaprof's manifest aside.
fn tree(dir: &Path) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == aaprof::cache::MANIFEST_NAME {
            continue;
        }
        let mode = entry.metadata().unwrap().permissions().mode() & 0o7777;
        out.push((name, mode));
        if entry.file_type().unwrap().is_dir() {
            for (inner, mode) in tree(&entry.path()) {
                out.push((format!("{}/{inner}", out.last().unwrap().0), mode));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn same_tree_as_apparmor_parser_4_1() {
    if support::shared_dir().is_none() {
        return;
    }
    let fx = Fixture::new();
    let features = builtin_features("debian-6.1");
    let reference = fx.path("reference");
    let status = Command::new(shared("tools/apparmor-parser-4.1"))
        .args(["--config-file=/dev/null", "-Q", "-q", "--write-cache", "-L"])
        .arg(&reference)
        .arg("--features-file")
        .arg(&features)
        .arg("-b")
        .arg(fx.path("base"))
        .args(["p1", "p2", "p3"].map(|p| fx.path("profiles").join(p)))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(fx.compile(&[]), (0, 3));
    let ours = tree(&fx.cache());
    assert_eq!(ours, tree(&reference));
    let dir = fx.entry_dir();
    assert!(dir.ends_with("6b0d76a2.0"), "{}", dir.display());
    let theirs = single_subdir(&reference);
    assert_eq!(
        std::fs::read(dir.join(".features")).unwrap(),
        std::fs::read(theirs.join(".features")).unwrap()
    );
    assert_eq!(
        std::fs::read(dir.join(".features")).unwrap(),
        std::fs::read(&features).unwrap()
    );
    // The blob's mtime is the newest source's, as apparmor_parser sets it.
    let newest = ["profiles/p3", "base/abstractions/c", "base/abstractions/a"]
        .map(|f| std::fs::metadata(fx.path(f)).unwrap().modified().unwrap())
        .into_iter()
        .max();
    assert_eq!(
        std::fs::metadata(dir.join("p3")).unwrap().modified().ok(),
        newest
    );
    for p in ["p1", "p2", "p3"] {
        assert_eq!(
            std::fs::metadata(dir.join(p)).unwrap().modified().unwrap(),
            std::fs::metadata(theirs.join(p))
                .unwrap()
                .modified()
                .unwrap(),
            "{p}: same mtime as apparmor_parser's"
        );
    }
}

#[test]
fn second_run_reuses_every_entry_with_identical_blobs() {
    let fx = Fixture::new();
    assert_eq!(fx.compile(&[]), (0, 3));
    let before: Vec<Vec<u8>> = ["p1", "p2", "p3"]
        .map(|p| std::fs::read(fx.entry_dir().join(p)).unwrap())
        .into();
    let inodes = ["p1", "p2", "p3"].map(|p| fx.inode(p));
    assert_eq!(fx.compile(&[]), (3, 0));
    assert_eq!(
        ["p1", "p2", "p3"].map(|p| fx.inode(p)),
        inodes,
        "nothing rewritten"
    );
    let after: Vec<Vec<u8>> = ["p1", "p2", "p3"]
        .map(|p| std::fs::read(fx.entry_dir().join(p)).unwrap())
        .into();
    assert_eq!(before, after);
    assert_eq!(fx.compile(&["-T"]), (0, 3), "-T rebuilds everything");
}

#[test]
fn show_cache_names_each_hit_and_miss() {
    let fx = Fixture::new();
    let run = |fx: &Fixture| {
        let out = fx.cache_run(&[
            "-k".into(),
            fx.path("profiles").join("p1"),
            fx.path("profiles").join("p2"),
        ]);
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let first = run(&fx);
    assert!(
        first.contains("aaprof compile: cache miss: ") && !first.contains("cache hit"),
        "{first}"
    );
    std::fs::remove_file(fx.entry_dir().join("p2")).unwrap();
    let second = run(&fx);
    let lines: Vec<&str> = second.lines().filter(|l| l.contains(": cache ")).collect();
    assert_eq!(lines.len(), 2, "{second}");
    assert!(
        lines[0].contains("cache hit: ") && lines[0].ends_with("p1"),
        "{second}"
    );
    assert!(
        lines[1].contains("cache miss: ") && lines[1].ends_with("p2"),
        "{second}"
    );
}

#[test]
fn editing_an_abstraction_recompiles_exactly_its_includers() {
    let fx = Fixture::new();
    fx.compile(&[]);
    let p2 = fx.inode("p2");
    let old_p1 = std::fs::read(fx.entry_dir().join("p1")).unwrap();
    // A touch that keeps the content changes nothing: freshness is content.
    let a = fx.path("base/abstractions/a");
    std::fs::write(&a, std::fs::read(&a).unwrap()).unwrap();
    assert_eq!(fx.compile(&[]), (3, 0));
    std::fs::write(&a, "/usr/share/a/** rw,\n").unwrap();
    assert_eq!(fx.compile(&[]), (1, 2), "p1 (direct) and p3 (through c)");
    assert_eq!(fx.inode("p2"), p2);
    assert_ne!(std::fs::read(fx.entry_dir().join("p1")).unwrap(), old_p1);
    assert_eq!(fx.compile(&[]), (3, 0));
}

#[test]
fn a_shadowing_include_or_a_damaged_blob_is_stale() {
    let fx = Fixture::new();
    fx.compile(&[]);
    // A file earlier in the search path now wins for <abstractions/b>.
    let first = fx.path("first/abstractions");
    std::fs::create_dir_all(&first).unwrap();
    let include = format!("-I{}", fx.path("first").display());
    assert_eq!(
        fx.compile(&[&include]),
        (0, 3),
        "new search path: new options"
    );
    std::fs::write(first.join("b"), "/opt/b r,\n").unwrap();
    assert_eq!(fx.compile(&[&include]), (2, 1));
    // A blob replaced behind the manifest's back (an interrupted run).
    std::fs::write(fx.entry_dir().join("p1"), b"partial").unwrap();
    assert_eq!(fx.compile(&[&include]), (2, 1));
    assert_ne!(
        std::fs::read(fx.entry_dir().join("p1")).unwrap(),
        b"partial"
    );
}

#[test]
fn print_cache_dir_names_the_directory_and_creates_nothing() {
    let fx = Fixture::new();
    let out = Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(["compile", "--print-cache-dir", "-L"])
        .arg(fx.cache())
        .arg("--features-file")
        .arg(builtin_features("debian-6.1"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        fx.cache().join("6b0d76a2.0").display().to_string()
    );
    assert!(!fx.cache().exists());
}

#[test]
fn check_cache_reports_current_and_stale_entries() {
    let fx = Fixture::new();
    let check = || {
        let out = Command::new(env!("CARGO_BIN_EXE_aaprof"))
            .args(["check", "--config-file=/dev/null", "--cache"])
            .arg(fx.cache())
            .arg("--features-file")
            .arg(builtin_features("debian-6.1"))
            .arg("-b")
            .arg(fx.path("base"))
            .args(["p1", "p2"].map(|p| fx.path("profiles").join(p)))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.code(), stdout)
    };
    let (status, stdout) = check();
    assert_eq!(status, Some(1), "no cache yet: {stdout}");
    assert!(!fx.cache().exists(), "checking creates nothing");
    fx.compile(&[]);
    let (status, stdout) = check();
    assert_eq!(status, Some(0), "{stdout}");
    assert_eq!(stdout.matches(": current").count(), 2, "{stdout}");
    std::fs::write(fx.path("base/abstractions/b"), "/b w,\n").unwrap();
    let (status, stdout) = check();
    assert_eq!(status, Some(1));
    assert!(
        stdout.contains("p1: current") && stdout.contains("p2: stale"),
        "{stdout}"
    );
}

#[test]
fn inputs_sharing_a_basename_are_all_reused_and_the_last_owns_the_file() {
    let fx = Fixture::new();
    let other = fx.path("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("p1"),
        "profile other /usr/bin/other {\n /o r,\n}\n",
    )
    .unwrap();
    let run = |inputs: &[PathBuf]| {
        let out = fx.cache_run(inputs);
        assert!(out.status.success());
        parse_stats(&String::from_utf8_lossy(&out.stderr))
    };
    let both = [fx.path("profiles/p1"), other.join("p1")];
    assert_eq!(run(&both), (0, 2));
    // Neither evicts the other: every later run reuses both.
    assert_eq!(run(&both), (2, 0));
    assert_eq!(run(&both), (2, 0));
    // The file apparmor_parser loads is the last input's blob, as when
    // apparmor_parser writes both in turn.
    let dir = fx.entry_dir();
    let blob = |path: &Path| {
        Command::new(env!("CARGO_BIN_EXE_aaprof"))
            .args(["compile", "--config-file=/dev/null", "-S", "-M"])
            .arg(builtin_features("debian-6.1"))
            .arg("-b")
            .arg(fx.path("base"))
            .arg(path)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(
        std::fs::read(dir.join("p1")).unwrap(),
        blob(&other.join("p1"))
    );
    let aside: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".aaprof-shadowed-p1-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read(dir.join(&aside[0])).unwrap(),
        blob(&fx.path("profiles/p1"))
    );
    // Swapping the order swaps the owner: the new owner's blob must be
    // written to `p1`, so both are compiled again, then reused.
    let swapped = [other.join("p1"), fx.path("profiles/p1")];
    assert_eq!(run(&swapped), (0, 2));
    assert_eq!(
        std::fs::read(dir.join("p1")).unwrap(),
        blob(&fx.path("profiles/p1"))
    );
    assert_eq!(run(&swapped), (2, 0));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(aaprof::cache::MANIFEST_NAME)).unwrap())
            .unwrap();
    assert_eq!(
        manifest["entries"].as_object().unwrap().len(),
        2,
        "{manifest}"
    );
}

/// The whole apparmor.d corpus (with a private copy of `base/` so one
/// abstraction can be edited): a second run reuses every entry and takes
/// under a tenth of the first run's time; editing one abstraction
/// recompiles exactly the profiles whose compile read it. About a minute
/// of CPU in a release build (`cargo test --release --test cache`), far
/// more in a debug build, where it is ignored.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "release only: cargo test --release --test cache"
)]
fn corpus_second_run_reuses_every_entry() {
    if support::shared_dir().is_none() {
        return;
    }
    let corpus = shared("corpus");
    let list = std::fs::read_to_string(corpus.join("profiles.txt")).unwrap();
    let all: Vec<PathBuf> = list
        .lines()
        .map(|l| corpus.join("apparmor.d").join(l))
        .collect();
    let work = tempfile::tempdir().unwrap();
    let base = work.path().join("base");
    copy_tree(&corpus.join("base"), &base);
    let cache = work.path().join("cache");
    let run = || {
        let start = std::time::Instant::now();
        let out = write_cache_command(&cache, "debian-6.12")
            .arg("-b")
            .arg(corpus.join("apparmor.d"))
            .arg("-I")
            .arg(corpus.join("apparmor.d"))
            .arg("-I")
            .arg(&base)
            .args(&all)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        (parse_stats(&stderr), start.elapsed())
    };
    let ((reused, compiled), first) = run();
    assert_eq!((reused, compiled), (0, all.len()));
    let ((reused, compiled), second) = run();
    eprintln!(
        "corpus cache: first run {first:?} ({} compiled), second run {second:?} ({reused} reused, {compiled} compiled)",
        all.len()
    );
    assert_eq!((reused, compiled), (all.len(), 0));
    assert!(second * 10 < first, "first {first:?}, second {second:?}");

    // Edit an abstraction found only in base/ (not shadowed by
    // apparmor.d/abstractions): exactly the entries that met it recompile.
    let dir = single_subdir(&cache);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(aaprof::cache::MANIFEST_NAME)).unwrap())
            .unwrap();
    let target = serde_json::json!({"Angle": "abstractions/perl"});
    assert!(!corpus.join("apparmor.d/abstractions/perl").exists());
    let includers = manifest["entries"]
        .as_object()
        .unwrap()
        .values()
        .filter(|e| e["includes"].as_array().unwrap().contains(&target))
        .count();
    assert!(includers > 10, "{includers} includers of abstractions/perl");
    let perl = base.join("abstractions/perl");
    let mut text = std::fs::read_to_string(&perl).unwrap();
    text.push_str("\n  /tmp/aaprof-cache-test r,\n");
    std::fs::write(&perl, text).unwrap();
    let ((reused, compiled), third) = run();
    eprintln!("after editing abstractions/perl: {third:?}, {compiled} compiled");
    assert_eq!((reused, compiled), (all.len() - includers, includers));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn cache_features_writes_one_directory_per_features_file() {
    let fx = Fixture::new();
    let features = fx.path("features");
    std::fs::create_dir_all(&features).unwrap();
    for name in ["debian-6.1.txt", "debian-6.12.txt"] {
        let builtin = builtin_features(name.trim_end_matches(".txt"));
        std::fs::copy(builtin, features.join(name)).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(["compile", "--config-file=/dev/null", "-Q", "-L"])
        .arg(fx.cache())
        .arg("--cache-features")
        .arg(&features)
        .arg("-b")
        .arg(fx.path("base"))
        .arg(fx.path("profiles/p1"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut dirs: Vec<String> = std::fs::read_dir(fx.cache())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let ids: Vec<String> = ["debian-6.1.txt", "debian-6.12.txt"]
        .map(|n| {
            let set = aaprof::features::FeatureSet::load(&features.join(n)).unwrap();
            format!("{}.0", set.id())
        })
        .into();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(dirs, expected);
    assert_eq!(ids[0], "6b0d76a2.0");
    for dir in &dirs {
        let dir = fx.cache().join(dir);
        assert!(dir.join("p1").is_file() && dir.join(".features").is_file());
    }
}

/// A blob whose compile warned in a class that a later run makes an error
/// (`--Werror=CLASS`) is compiled again, so the error is reported, and a
/// run that fails that way caches nothing.
#[test]
fn werror_runs_do_not_reuse_or_cache_warned_entries() {
    let fx = Fixture::new();
    let profile = fx.path("profiles/dbus");
    std::fs::write(&profile, "profile d {\n  dbus send,\n  /d r,\n}\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = extra.iter().map(Into::into).collect();
        args.push(profile.clone().into());
        let out = fx.cache_run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), parse_stats(&stderr), stderr)
    };
    let (status, stats, _) = run(&[]);
    assert_eq!((status, stats), (Some(0), (0, 1)));
    let (status, stats, stderr) = run(&["--Werror=rule-not-enforced"]);
    assert_eq!((status, stats), (Some(1), (0, 1)), "{stderr}");
    assert!(stderr.contains("dbus rules not enforced"), "{stderr}");
    // Another class as error: the entry is reused.
    let (status, stats, _) = run(&["--Werror=deprecated"]);
    assert_eq!((status, stats), (Some(0), (1, 0)));

    // Cold cache under --Werror: the failing input is not written.
    std::fs::remove_dir_all(fx.cache()).unwrap();
    let (status, _, _) = run(&["--Werror"]);
    assert_eq!(status, Some(1));
    assert!(!fx.entry_dir().join("dbus").exists());
}
