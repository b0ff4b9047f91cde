//! Shared helpers for the integration tests that read `../shared`.
#![allow(dead_code)]

pub mod conformance;
pub mod kernel;
pub mod own_blobs;
pub mod run;
pub mod variant_table;

use std::path::PathBuf;

/// `../shared` beside the crate root, where CI and developers keep the
/// ground-truth data. Tests that need it skip (with a printed notice) when
/// it is missing, so a plain `cargo test` outside the workplace still runs.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir.canonicalize().unwrap_or(dir))
    } else {
        eprintln!("note: ../shared not found; skipping ground-truth test");
        None
    }
}

/// The percentage `part / whole`, 100 for an empty whole.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// `../shared/tools/apparmor-parser-5.0` (apparmor_parser 5.0.2, the
/// reference), when the ground truth is there.
pub fn reference_parser() -> Option<PathBuf> {
    let tool =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/apparmor-parser-5.0");
    tool.exists().then_some(tool)
}

/// apparmor_parser 5.0.2 with the flags the reference runs were made with
/// (`--config-file=/dev/null -Q -S -K -q --features-file FEATURES`);
/// `None` when the tool is missing.
pub fn reference_command(features: &std::path::Path) -> Option<std::process::Command> {
    let mut command = std::process::Command::new(reference_parser()?);
    command
        .args([
            "--config-file=/dev/null",
            "-Q",
            "-S",
            "-K",
            "-q",
            "--features-file",
        ])
        .arg(features);
    Some(command)
}

/// Switches glibc's per-thread cache off for `command` (the reference):
/// then its heap hands out fresh memory in creation order, which decides
/// 5.0.2's answer to exec conflicts (see tests/exec_heap_order.rs).
pub fn without_tcache(command: &mut std::process::Command) -> &mut std::process::Command {
    command.env("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0")
}

/// Runs [`reference_command`] on `profile` as standard input.
pub fn reference_run(profile: &str, features: &std::path::Path) -> Option<std::process::Output> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = reference_command(features)?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(profile.as_bytes()).ok()?;
    child.wait_with_output().ok()
}

/// The blob apparmor_parser 5.0.2 writes for `profile`; `None` when the tool
/// is missing or rejects the profile.
pub fn reference_compile(profile: &str, features: &std::path::Path) -> Option<Vec<u8>> {
    let output = reference_run(profile, features)?;
    output.status.success().then_some(output.stdout)
}

/// A features file with the content of aaprof's built-in set `name`
/// (`builtin:debian-6.1`, ...), written once per test binary, for tests
/// that need a real kernel's features as a file without `../shared`.
pub fn builtin_features(name: &str) -> PathBuf {
    let builtin = aaprof::features::builtin::find(name)
        .unwrap_or_else(|| panic!("no built-in feature set {name}"));
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("builtin-features");
    let path = dir.join(format!("{name}.txt"));
    // Tests of one binary run in parallel threads of one process: the lock
    // keeps two of them from writing (and renaming away) the same temp file.
    static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _writing = WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if std::fs::read(&path).ok().as_deref() != Some(builtin.text.as_bytes()) {
        std::fs::create_dir_all(&dir).expect("target tmp dir");
        // The process id keeps test binaries running at once apart.
        let temp = dir.join(format!(".{name}.{}", std::process::id()));
        std::fs::write(&temp, builtin.text).expect("writable target tmp dir");
        std::fs::rename(&temp, &path).expect("rename in target tmp dir");
    }
    path
}

/// Debian's `apparmor-profiles` package unpacked by `.ci/run` into
/// `target/debian-apparmor-profiles` (or `$AAPROF_DEBIAN_PROFILES`): its
/// `etc/apparmor.d` and every profile file (that directory's files and the
/// extra profiles), sorted. `None`, with a note, when it is not there.
pub fn debian_profiles() -> Option<(PathBuf, Vec<PathBuf>)> {
    let root = std::env::var_os("AAPROF_DEBIAN_PROFILES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/debian-apparmor-profiles")
        });
    let etc = root.join("etc/apparmor.d");
    if !etc.is_dir() {
        eprintln!(
            "note: {} missing (.ci/run unpacks Debian's apparmor-profiles there); skipping",
            root.display()
        );
        return None;
    }
    let mut files: Vec<PathBuf> = [etc.clone(), root.join("usr/share/apparmor/extra-profiles")]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Some((etc, files))
}
