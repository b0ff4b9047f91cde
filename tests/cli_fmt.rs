//! `aaprof fmt` from the command line: `--check` shows a unified diff and
//! exits 1 without touching the file, a plain run rewrites it, standard
//! input goes to standard output, and a file with syntax errors is
//! reported and left alone.

mod support;

use support::run::{aaprof, aaprof_in};

const MESSY: &str = "profile a {\n/etc/hosts   r ,   # hosts\n\n\n  ^h {\n}\n}\n";
const CANONICAL: &str = "profile a {\n  /etc/hosts r, # hosts\n\n  ^h {\n  }\n}\n";

#[test]
fn check_prints_a_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a"), MESSY).unwrap();
    let out = aaprof_in(dir.path(), &["fmt", "--check", "a"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.starts_with("--- a\n+++ a (formatted)\n"), "{diff}");
    assert!(diff.contains("\n-/etc/hosts   r ,   # hosts\n"), "{diff}");
    assert!(diff.contains("\n+  /etc/hosts r, # hosts\n"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a")).unwrap(),
        MESSY
    );
}

#[test]
fn a_plain_run_rewrites_files_below_a_directory_then_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tree/abstractions")).unwrap();
    std::fs::write(dir.path().join("tree/a"), MESSY).unwrap();
    std::fs::write(dir.path().join("tree/abstractions/x"), "/x  r,\n").unwrap();
    std::fs::write(dir.path().join("tree/.hidden"), "/not   touched\n").unwrap();
    let out = aaprof_in(dir.path(), &["fmt", "tree"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tree/a")).unwrap(),
        CANONICAL
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tree/abstractions/x")).unwrap(),
        "  /x r,\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tree/.hidden")).unwrap(),
        "/not   touched\n"
    );
    let out = aaprof_in(dir.path(), &["fmt", "--check", "tree"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let out = aaprof(&["fmt", "--indent", "4"], MESSY);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "profile a {\n    /etc/hosts r, # hosts\n\n    ^h {\n    }\n}\n"
    );
}

#[test]
fn syntax_errors_are_reported_and_the_file_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad"), "profile a {\n  /a r\n").unwrap();
    let out = aaprof_in(dir.path(), &["fmt", "bad"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad: not formatted"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bad")).unwrap(),
        "profile a {\n  /a r\n"
    );
    let out = aaprof_in(dir.path(), &["fmt", "missing"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let big: String = (0..5_000)
        .map(|i| format!("profile p{i} {{\n/a{i}   r,\n}}\n"))
        .collect();
    std::fs::write(dir.path().join("big"), big).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(["fmt", "--check", "big"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
