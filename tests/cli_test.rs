//! `aaprof test` from the command line (issue 14, part 3): the fixture
//! specs in `fixtures/spec/` hold hand-derived expectations for
//! `fixtures/spec/app.profile` (each with the rule it follows in a
//! comment), `failing.spec` states wrong ones on purpose, and
//! `fixtures/spec/bad/` holds specs that cannot be read.

mod support;

use support::run::aaprof;

/// `aaprof test --config-file /dev/null ARGS...`: no parser.conf of the
/// machine, features from the specs.
fn test(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["test", "--config-file", "/dev/null"];
    all.extend_from_slice(args);
    let out = aaprof(&all, "");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_hand_derived_expectation_holds() {
    let (code, stdout, stderr) = test(&[
        "--verbose",
        "fixtures/spec/app.spec",
        "fixtures/spec/other.spec",
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // 49 lines in app.spec, 4 in the included kid.spec, 2 in other.spec.
    assert!(
        stdout.ends_with("56 passed, 0 failed, 0 errors (56 expectations)\n"),
        "{stdout}"
    );
    // Lines of the included file carry its own name and line.
    assert!(
        stdout.contains("ok   fixtures/spec/kid.spec:5: allow file /etc/kid.conf r\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok   fixtures/spec/app.spec:38: exec /usr/bin/kid -> app//kid\n"),
        "{stdout}"
    );
}

#[test]
fn failures_name_the_spec_line_and_the_deciding_rules() {
    let (code, stdout, _) = test(&["fixtures/spec/failing.spec"]);
    assert_eq!(code, Some(1), "{stdout}");
    let expected = "\
FAIL fixtures/spec/failing.spec:12: allow file /etc/app/secret.key r: expected allow, got deny (not granted: r)
     profile: app
     rules:
       allow  fixtures/spec/app.profile:11  /etc/app/** r,
       deny   fixtures/spec/app.profile:12  deny /etc/app/secret* r,
FAIL fixtures/spec/failing.spec:14: deny file /etc/passwd r: expected deny, got allow
     profile: app
     rules:
       allow  fixtures/spec/app.profile:13  /etc/passwd r,
FAIL fixtures/spec/failing.spec:16: audit file /etc/passwd r: expected allow with audit, got allow without audit
     profile: app
     rules:
       allow  fixtures/spec/app.profile:13  /etc/passwd r,
FAIL fixtures/spec/failing.spec:18: exec /usr/bin/kid -> Px other: expected exec -> Px other, got Cx -> app//kid
     profile: app
     rules:
       allow  fixtures/spec/app.profile:22  /usr/bin/kid Cx -> kid,
FAIL fixtures/spec/failing.spec:20: allow file \"/tmp/<a&b>\\\"c'\" w: expected allow, got deny (not granted: w)
     profile: app
     rules: none match
1 passed, 5 failed, 0 errors (6 expectations)
";
    assert_eq!(stdout, expected);
}

#[test]
fn junit_report() {
    let (code, stdout, _) = test(&["--format", "junit", "fixtures/spec/failing.spec"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("junit_failing_spec", stdout);
}

#[test]
fn a_blob_policy_is_asked_without_rules() {
    // The same expectations hold for the compiled blob; a failure then
    // names no rules (a blob keeps none).
    let dir = tempfile::tempdir().unwrap();
    let blob = dir.path().join("app.bin");
    let root = env!("CARGO_MANIFEST_DIR");
    let out = aaprof(
        &[
            "compile",
            "--config-file=/dev/null",
            "-M",
            "builtin:debian-6.12",
            "-I",
            &format!("{root}/fixtures/spec/include"),
            "-o",
            blob.to_str().unwrap(),
            "fixtures/spec/app.profile",
        ],
        "",
    );
    assert!(out.status.success(), "{out:?}");
    let spec = dir.path().join("blob.spec");
    std::fs::write(
        &spec,
        "policy app.bin\nprofile app\nallow file /etc/passwd r\ndeny file /etc/app/secret.key r\n\
         exec /usr/bin/kid -> Cx app//kid\naudit file /var/lib/app/state w\nallow file /etc/shadow r\n",
    )
    .unwrap();
    let (code, stdout, _) = test(&[spec.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("blob.spec:7: allow file /etc/shadow r: expected allow, got deny (not granted: r)\n     profile: app\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("4 passed, 1 failed, 0 errors (5 expectations)\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("rules:"), "{stdout}");
}

#[test]
fn settings_of_an_included_file_end_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.path().join("main.spec"),
        format!(
            "policy {root}/fixtures/spec/app.profile\nfeatures builtin:debian-6.12\n\
             include-dir {root}/fixtures/spec/include\nprofile app\n\
             include sub/kid.spec\nallow file /etc/passwd r\n"
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("sub/kid.spec"),
        "profile app//kid\ndeny file /etc/passwd r\n",
    )
    .unwrap();
    let (code, stdout, stderr) = test(&["-v", dir.path().join("main.spec").to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.ends_with("2 passed, 0 failed, 0 errors (2 expectations)\n"),
        "{stdout}"
    );
}

#[test]
fn unreadable_specs_exit_2_with_file_and_line() {
    let cases = [
        (
            "malformed.spec",
            "fixtures/spec/bad/malformed.spec:3: unknown line `expect`",
        ),
        (
            "unknown-request.spec",
            "fixtures/spec/bad/unknown-request.spec:3: unknown request class `socket`",
        ),
        (
            "bad-perms.spec",
            "fixtures/spec/bad/bad-perms.spec:3: `file` request: `rq` is not a set of rwaxmlk letters",
        ),
        (
            "cycle-a.spec",
            "fixtures/spec/bad/cycle-b.spec:2: include cycle: fixtures/spec/bad/cycle-a.spec -> \
             fixtures/spec/bad/cycle-b.spec -> fixtures/spec/bad/cycle-a.spec",
        ),
        (
            "missing-include.spec",
            "fixtures/spec/bad/missing-include.spec:2: cannot read fixtures/spec/bad/no-such.spec",
        ),
        (
            "no-policy.spec",
            "fixtures/spec/bad/no-policy.spec:2: no policy",
        ),
        (
            "exec-mode.spec",
            "fixtures/spec/bad/exec-mode.spec:3: `Zx` is not an exec mode",
        ),
        (
            "nonexistent.spec",
            "fixtures/spec/bad/nonexistent.spec: cannot read",
        ),
    ];
    for (file, message) in cases {
        let path = format!("fixtures/spec/bad/{file}");
        let (code, stdout, stderr) = test(&[&path]);
        assert_eq!(code, Some(2), "{file}: {stdout}{stderr}");
        assert!(stderr.contains(message), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
    }
}

#[test]
fn an_unknown_profile_is_an_error_at_its_line() {
    let (code, stdout, _) = test(&["fixtures/spec/bad/unknown-profile.spec"]);
    assert_eq!(code, Some(2));
    assert!(
        stdout.starts_with(
            "ERROR fixtures/spec/bad/unknown-profile.spec:5: allow file /etc/passwd r: \
             no profile `nosuch` in the policy (profiles: app, app//kid, other)\n"
        ),
        "{stdout}"
    );
}
