//! The bounds that keep a compile finite (issue 7): each one fails the
//! input with a message naming the culprit and exit status 1, and leaves no
//! output file.

use std::path::Path;
use std::process::{Command, Output};

fn aaprof(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("aaprof runs")
}

fn features() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/features/example-kernel.txt")
        .display()
        .to_string()
}

#[test]
fn dfa_state_limit_names_the_profile_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p"),
        "profile wide {\n  /a/**/b/**/c/** r,\n  /x/*/y/* w,\n}\n",
    )
    .unwrap();
    let out = aaprof(
        &[
            "compile",
            "--config-file=/dev/null",
            "--features-file",
            &features(),
            "--max-states",
            "5",
            "-o",
            "out.bin",
            "p",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("profile wide: file DFA: the DFA exceeds the limit of 5 states"),
        "{stderr}"
    );
    assert!(!dir.path().join("out.bin").exists());
    // The same input within the default bound compiles.
    let out = aaprof(
        &[
            "compile",
            "--config-file=/dev/null",
            "--features-file",
            &features(),
            "-o",
            "out.bin",
            "p",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    assert!(dir.path().join("out.bin").exists());
}

#[test]
fn include_depth_limit_shows_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    // a0 includes a1 includes ... a99: deeper than the include limit.
    for n in 0..100 {
        std::fs::write(
            dir.path().join(format!("a{n}")),
            format!("include \"a{}\"\n", n + 1),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("a100"), "/x r,\n").unwrap();
    std::fs::write(
        dir.path().join("p"),
        "profile deep {\n  include \"a0\"\n}\n",
    )
    .unwrap();
    let out = aaprof(
        &["check", "--config-file=/dev/null", "-I", ".", "p"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("deep") || stderr.contains("include"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a0"),
        "the include chain is shown: {stderr}"
    );
}
