//! Exit status, as documented in README.md and `--help`: 0 clean, 1 policy
//! errors (or warnings made errors by --Werror), 2 usage or I/O errors.

mod support;

use support::run::aaprof;

const CHECK: &[&str] = &["check", "--config-file=/dev/null"];

#[test]
fn zero_when_clean_even_with_warnings() {
    let out = aaprof(CHECK, "profile p {\n  /etc/x r,\n}\n");
    assert_eq!(out.status.code(), Some(0));
    let out = aaprof(
        &[CHECK, &["-I", "fixtures/diagnostics"]].concat(),
        "profile c {\n  include <cycle-a>\n}\n",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning alone is not a failure"
    );
    assert!(!out.stderr.is_empty());
}

#[test]
fn one_for_policy_errors() {
    let out = aaprof(CHECK, "profile p {\n  capability nope,\n}\n");
    assert_eq!(out.status.code(), Some(1));
    let out = aaprof(CHECK, "profile p {\n  /etc/x r\n}\n");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn two_for_usage_and_io_errors() {
    for args in [
        &[CHECK, &["/no/such/profile"]].concat()[..],
        &["check", "--no-such-option"],
        &[CHECK, &["-M", "/no/such/features", "-"]].concat(),
        &["check", "--config-file=/no/such/parser.conf", "-"],
        &[CHECK, &["--format", "xml", "-"]].concat(),
        &["no-such-command"],
        &["dump", "/no/such/blob.bin"],
    ] {
        let out = aaprof(args, "profile p {\n  /x r,\n}\n");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    }
}

#[test]
fn help_and_version_exit_zero() {
    assert_eq!(aaprof(&["--help"], "").status.code(), Some(0));
    assert_eq!(aaprof(&["--version"], "").status.code(), Some(0));
}

/// `--help` of the program and of each policy command states the codes,
/// and README.md states the same.
#[test]
fn exit_codes_are_documented_in_help_and_readme() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["compile", "--help"],
        &["load", "--help"],
    ] {
        let help = String::from_utf8_lossy(&aaprof(args, "").stdout).into_owned();
        assert!(help.contains("Exit status:"), "{args:?}: {help}");
        for line in [
            "  0  success",
            "  1  policy errors",
            "  2  usage or I/O error",
        ] {
            assert!(help.contains(line), "{args:?} lacks `{line}`: {help}");
        }
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for line in ["| 0 |", "| 1 |", "| 2 |"] {
        assert!(
            readme.contains(line),
            "README.md lacks the exit-status row `{line}`"
        );
    }
}

/// Errors apparmor_parser finds only while encoding rules are `check`
/// errors too once features are known, placed at the rule (mount rules
/// need a kernel that mediates mount: Debian 6.12's features).
#[test]
fn check_reports_encoding_errors_at_their_rule() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let features = shared.join("features/debian-6.12.txt");
    let dir = tempfile::tempdir().unwrap();
    let check = |text: &str| {
        let file = dir.path().join("p");
        std::fs::write(&file, text).unwrap();
        let args = [
            "check",
            "--config-file=/dev/null",
            "-M",
            features.to_str().expect("UTF-8 path"),
            file.to_str().expect("UTF-8 path"),
        ];
        let out = aaprof(&args, "");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stderr)
    };
    let (code, stderr) =
        check("profile p {\n  /etc/x r,\n  mount fstype=tmpfs options=bind -> /mnt/,\n}\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("p:3:3: mount rule matches no mount"),
        "{stderr}"
    );
    let (code, stderr) = check("profile p {\n  mount options=bind -> /mnt/,\n}\n");
    assert_eq!(code, Some(0), "{stderr}");
}
