//! The front-end commands as a user runs them: exit codes and output of
//! `check`, `names` and `preprocess` on the bundled example.

use std::process::{Command, Output};

fn aaprof(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aaprof"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("run aaprof");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

const EXAMPLE: &[&str] = &[
    "--config-file",
    "/dev/null",
    "-b",
    "fixtures/example",
    "fixtures/example/profiles/example-notes",
];

#[test]
fn check_accepts_the_example() {
    let out = aaprof(&[&["check"], EXAMPLE].concat(), None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn names_lists_profiles_hats_and_children_in_name_order() {
    let out = aaprof(&[&["names"], EXAMPLE].concat(), None);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "example-notes\nexample-notes//editor\nexample-notes//sync\n"
    );
}

#[test]
fn preprocess_inlines_includes() {
    let out = aaprof(&[&["preprocess"], EXAMPLE].concat(), None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("@{multiarch} = x86_64-linux-gnu"), "{text}");
    assert!(text.contains("/etc/ld.so.cache r,"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn policy_errors_exit_1_and_report_positions() {
    let out = aaprof(
        &["check", "--config-file", "/dev/null", "-"],
        Some("profile p {\n  capability nope,\n  /x ixpx,\n}\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("-:2:14: unknown capability `nope`"), "{err}");
    assert!(err.contains("-:3:6: conflicting exec modes"), "{err}");
}

#[test]
fn json_format_prints_one_object_per_diagnostic() {
    let out = aaprof(
        &["check", "--config-file", "/dev/null", "--format", "json"],
        Some("profile p {\n  capability nope,\n}\n"),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let value: serde_json::Value =
        serde_json::from_str(text.lines().next().unwrap_or("")).expect("json");
    assert_eq!(value["line"], 2);
    assert_eq!(value["code"], "AA1012");
    assert_eq!(value["name"], "rule");
}

#[test]
fn missing_input_is_a_usage_error() {
    let out = aaprof(
        &["check", "--config-file", "/dev/null", "/no/such/profile"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}
