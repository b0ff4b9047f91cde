//! Warning classes as apparmor_parser names them: `--warn`, `--no-warn`,
//! `--Werror[=CLASS]`, `-q`, parser.conf `warn`, and what they do to the
//! output and the exit status of `check` and `compile`.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::builtin_features;
use support::run::aaprof;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// A profile with a dbus rule: debian-6.1's kernel does not mediate dbus.
const DBUS: &str = "profile t {\n  dbus send,\n  /etc/foo r,\n}\n";

/// `check --format json` of DBUS against debian-6.1 as kernel features
/// only (so the `abi` warning applies too): exit status and the
/// `(code, severity)` of each diagnostic.
fn check(extra: &[&str]) -> (Option<i32>, Vec<(String, String)>) {
    let kernel = builtin_features("debian-6.1");
    let mut args = vec![
        "check",
        "--config-file=/dev/null",
        "--format",
        "json",
        "--kernel-features",
        kernel.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = aaprof(&args, DBUS);
    let found = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["code"].as_str().unwrap().to_string(),
                v["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code(), found)
}

fn pair(code: &str, severity: &str) -> (String, String) {
    (code.to_string(), severity.to_string())
}

#[test]
fn rule_not_enforced_and_abi_are_hidden_by_default() {
    assert_eq!(check(&[]), (Some(0), vec![]));
}

#[test]
fn warn_shows_a_class_and_no_warn_hides_it_again() {
    assert_eq!(
        check(&["--warn=rule-not-enforced"]),
        (Some(0), vec![pair("AA2002", "warning")])
    );
    assert_eq!(
        check(&["--warn=all", "--no-warn=rule-not-enforced"]),
        (Some(0), vec![pair("AA2003", "warning")])
    );
    assert_eq!(
        check(&["--warn=all", "--warn=no-abi"]),
        (Some(0), vec![pair("AA2002", "warning")])
    );
}

#[test]
fn werror_of_a_class_fails_even_when_the_class_is_hidden() {
    assert_eq!(
        check(&["--Werror=rule-not-enforced"]),
        (Some(1), vec![pair("AA2002", "error")])
    );
    // Every class; -q hides warnings but not errors.
    assert_eq!(
        check(&["--Werror", "-q"]),
        (
            Some(1),
            vec![pair("AA2002", "error"), pair("AA2003", "error")]
        )
    );
    // Another class: the warnings stay warnings (and hidden).
    assert_eq!(check(&["--Werror=deprecated"]), (Some(0), vec![]));
}

#[test]
fn policy_features_silence_the_abi_warning() {
    let features = builtin_features("debian-6.1");
    let out = aaprof(
        &[
            "check",
            "--config-file=/dev/null",
            "--warn=all",
            "--Werror=abi",
            "-M",
            features.to_str().unwrap(),
        ],
        DBUS,
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dbus rules not enforced"), "{err}");
    assert!(!err.contains("abi"), "{err}");
}

#[test]
fn unknown_classes_are_usage_errors() {
    let (status, _) = check(&["--warn=nonsense"]);
    assert_eq!(status, Some(2));
    let (status, _) = check(&["--Werror=nonsense"]);
    assert_eq!(status, Some(2));
}

#[test]
fn parser_conf_warn_lines_apply_before_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("parser.conf");
    std::fs::write(&conf, "# CI settings\nwarn rule-not-enforced\n").unwrap();
    let kernel = builtin_features("debian-6.1");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check".to_string(),
            format!("--config-file={}", conf.display()),
            "--kernel-features".into(),
            kernel.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = aaprof(&args, DBUS);
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(run(&[]).contains("AA2002 rule-not-enforced"));
    assert!(!run(&["--no-warn=rule-not-enforced"]).contains("AA2002"));
}

#[test]
fn include_cycles_warn_by_default_under_unexpected() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diagnostics");
    let fixtures = fixtures.to_str().unwrap();
    let text = "profile c {\n  include <cycle-a>\n}\n";
    let base = ["check", "--config-file=/dev/null", "-I", fixtures];
    let out = aaprof(&base, text);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AA2001 include-cycle"));
    let out = aaprof(&[&base[..], &["--warn=no-unexpected"]].concat(), text);
    assert!(out.stderr.is_empty(), "{out:?}");
    let out = aaprof(&[&base[..], &["--Werror=unexpected"]].concat(), text);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn compile_under_werror_fails_and_writes_no_blob() {
    let dir = tempfile::tempdir().unwrap();
    let blob = dir.path().join("t.bin");
    let kernel = builtin_features("debian-6.1");
    let args = |werror: bool| {
        let mut a = vec![
            "compile".to_string(),
            "--config-file=/dev/null".into(),
            "-M".into(),
            kernel.display().to_string(),
            "-o".into(),
            blob.display().to_string(),
        ];
        if werror {
            a.push("--Werror=rule-not-enforced".into());
        }
        a
    };
    let run = |werror: bool| {
        let a = args(werror);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        aaprof(&a, DBUS)
    };
    let out = run(true);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dbus rules not enforced"));
    assert!(!blob.exists());
    let out = run(false);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{out:?}");
    assert!(blob.exists());
}

/// `--warn=show` prints the shown classes exactly as apparmor_parser 4.1
/// does, for the defaults and after `--warn` / `--warn=no-` settings.
#[test]
fn warn_show_lists_the_same_classes_as_apparmor_parser() {
    let parser = shared("tools/apparmor-parser-4.1");
    if !parser.exists() {
        return;
    }
    for settings in [
        &[][..],
        &["--warn=all", "--warn=no-cache"],
        &["--warn=abi", "--warn=no-config", "--warn=dev"],
        &["--warn=no-all", "--warn=deprecated"],
        &["--warn=no-all", "--warn=dev"],
        &["--warn=all", "--warn=no-dev"],
    ] {
        let mut args = vec!["--config-file=/dev/null"];
        args.extend_from_slice(settings);
        args.push("--warn=show");
        let theirs = Command::new(&parser).args(&args).output().unwrap();
        let theirs = String::from_utf8_lossy(&theirs.stdout)
            .lines()
            .rfind(|l| l.starts_with("warn="))
            .unwrap()
            .to_string();
        let ours = aaprof(&[&["check"], &args[..]].concat(), "");
        assert_eq!(ours.status.code(), Some(0));
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout).trim_end(),
            theirs,
            "{settings:?}"
        );
    }
}
