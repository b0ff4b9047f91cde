//! `aaprof diff` on hand-made edits of `fixtures/query/globs` (issue 8):
//! flipping one rule names that rule and an example it now allows or
//! denies; byte-different but equivalent policies are "equivalent".
//!
//! Expected examples are the shortest strings the edited glob matches,
//! derived by hand with the letters-first order diff uses (so `*` after
//! `/` gives `a`): `/etc/globs/*` → `/etc/globs/a`.

mod query_support;

use aaprof::diff::dfa::{Change, Whom};
use aaprof::diff::{Finding, PolicyDiff, diff_policies};
use query_support::{KERNELS, compile, compile_text, fixtures, line_of};

fn original() -> String {
    std::fs::read_to_string(fixtures().join("globs")).expect("fixture")
}

/// Diffs the fixture against a copy with `from` replaced by `to`.
fn flip(from: &str, to: &str, kernel: &str) -> (PolicyDiff, std::path::PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = original();
    assert!(text.contains(from), "{from}");
    let old = compile(&fixtures().join("globs"), kernel);
    let new = compile_text(dir.path(), "globs", &text.replacen(from, to, 1), kernel);
    (diff_policies(&old, &new), dir.path().join("globs"), dir)
}

fn findings(diff: &PolicyDiff) -> Vec<&Finding> {
    diff.profiles.iter().flat_map(|p| &p.findings).collect()
}

fn find<'a>(diff: &'a PolicyDiff, class: &str, change: Change) -> &'a Finding {
    findings(diff)
        .into_iter()
        .find(|f| f.class == class && f.change == change)
        .unwrap_or_else(|| panic!("no {class} {change:?} in\n{}", diff.to_text()))
}

#[test]
fn flipping_a_permission_names_the_rule_and_an_example() {
    for kernel in KERNELS {
        let (diff, new_file, _dir) = flip("/etc/globs/* r,", "/etc/globs/* w,", kernel);
        assert!(!diff.is_equivalent());
        let added = find(&diff, "file", Change::Allows);
        assert_eq!(added.example, "/etc/globs/a", "{kernel}");
        assert_eq!(added.perms, ["w"]);
        let rule = &added.new_rules.as_ref().expect("from source")[0];
        assert_eq!(
            rule.location,
            format!(
                "{}:{}",
                new_file.display(),
                line_of(&new_file, "/etc/globs/* w,")
            )
        );
        assert_eq!(rule.text, "/etc/globs/* w,");
        let removed = find(&diff, "file", Change::Revokes);
        assert_eq!(
            (removed.example.as_str(), removed.perms.as_slice()),
            ("/etc/globs/a", &["r".to_string()][..])
        );
        let old_rule = &removed.old_rules.as_ref().expect("from source")[0];
        assert_eq!(old_rule.text, "/etc/globs/* r,");
        // The report names the rule's path and the example.
        let text = diff.to_text();
        assert!(
            text.contains("new allows w") && text.contains("/etc/globs/* w,"),
            "{text}"
        );
        // Nothing else changed.
        assert_eq!(findings(&diff).len(), 2, "{text}");
    }
}

#[test]
fn allow_to_deny_and_removed_deny() {
    for kernel in KERNELS {
        let (diff, _, _dir) = flip("  /tmp/file[^0-9] w,", "  deny /tmp/file[^0-9] w,", kernel);
        let removed = find(&diff, "file", Change::Revokes);
        assert_eq!(removed.example, "/tmp/filea", "{kernel}");
        let rules = removed.new_rules.as_ref().expect("from source");
        assert_eq!(
            (rules[0].verdict, rules[0].text.as_str()),
            ("deny", "deny /tmp/file[^0-9] w,")
        );

        let (diff, _, _dir) = flip("deny /data/secret/** w,", "/data/secret/** r,", kernel);
        let added = find(&diff, "file", Change::Allows);
        // `/data/secret/**`: `/data/secret/` then one non-`/` character.
        assert_eq!(
            (added.example.as_str(), added.perms.as_slice()),
            ("/data/secret/a", &["w".to_string()][..]),
            "{kernel}"
        );
    }
}

#[test]
fn owner_exec_capability_and_network_changes() {
    for kernel in KERNELS {
        let (diff, _, _dir) = flip(
            "owner /home/*/notes.txt rw,",
            "/home/*/notes.txt rw,",
            kernel,
        );
        let added = find(&diff, "file", Change::Allows);
        assert_eq!(
            (added.whom, added.example.as_str()),
            (Whom::Other, "/home/a/notes.txt"),
            "{kernel}"
        );

        let (diff, _, _dir) = flip("/usr/bin/helper Px,", "/usr/bin/helper Cx -> kid,", kernel);
        let exec = find(&diff, "file", Change::Exec);
        assert_eq!(exec.example, "/usr/bin/helper");
        assert!(
            exec.detail.as_deref().unwrap().contains("globs//kid"),
            "{exec:?}"
        );

        let (diff, _, _dir) = flip("capability net_bind_service,", "capability chown,", kernel);
        assert_eq!(
            find(&diff, "capability", Change::Allows).example,
            "capability chown"
        );
        assert_eq!(
            find(&diff, "capability", Change::Revokes).example,
            "capability net_bind_service"
        );

        let (diff, _, _dir) = flip("network inet stream,", "network inet dgram,", kernel);
        assert_eq!(
            find(&diff, "network", Change::Allows).example,
            "network inet dgram"
        );
        assert_eq!(
            find(&diff, "network", Change::Revokes).example,
            "network inet stream"
        );
    }
}

#[test]
fn byte_different_but_equivalent_policies() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Two named transitions in swapped order take swapped xtable slots:
    // different bytes, same meaning.
    let one = "profile t {\n  /usr/bin/a px -> A,\n  /usr/bin/b px -> B,\n}\n";
    let two = "profile t {\n  /usr/bin/b px -> B,\n  /usr/bin/a px -> A,\n}\n";
    for kernel in KERNELS {
        let a = compile_text(dir.path(), "one", one, kernel);
        let b = compile_text(dir.path(), "two", two, kernel);
        assert_ne!(
            a.records, b.records,
            "{kernel}: the test needs different records"
        );
        let diff = diff_policies(&a, &b);
        assert!(diff.is_equivalent(), "{kernel}: {}", diff.to_text());
        assert_eq!(diff.to_text(), "equivalent\n");
        // A different target is not equivalent.
        let c = compile_text(dir.path(), "three", &two.replace("-> A", "-> C"), kernel);
        assert!(!diff_policies(&a, &c).is_equivalent());
    }
}

#[test]
fn cli_exit_status_and_blob_input() {
    let fixtures = fixtures();
    let dir = tempfile::tempdir().expect("tempdir");
    let blob = dir.path().join("globs.bin");
    let aaprof = env!("CARGO_BIN_EXE_aaprof");
    let common = |cmd: &mut std::process::Command| {
        cmd.args(["--config-file=/dev/null", "-M"])
            .arg(fixtures.join(KERNELS[1]))
            .arg("-I")
            .arg(&fixtures);
    };
    let mut compile = std::process::Command::new(aaprof);
    compile.arg("compile");
    common(&mut compile);
    assert!(
        compile
            .arg("-o")
            .arg(&blob)
            .arg(fixtures.join("globs"))
            .status()
            .unwrap()
            .success()
    );
    let diff = |old: &std::path::Path, new: &std::path::Path| {
        let mut cmd = std::process::Command::new(aaprof);
        cmd.arg("diff");
        common(&mut cmd);
        let out = cmd.arg(old).arg(new).output().expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    // The blob against its own source: equivalent.
    assert_eq!(
        diff(&blob, &fixtures.join("globs")),
        (Some(0), "equivalent\n".into())
    );
    let changed = dir.path().join("changed");
    std::fs::write(
        &changed,
        original().replace("/opt/{alpha,beta}/run k,", "/opt/{alpha,beta,gamma}/run k,"),
    )
    .unwrap();
    let (status, text) = diff(&blob, &changed);
    assert_eq!(status, Some(1), "{text}");
    assert!(
        text.contains("new allows k") && text.contains("/opt/gamma/run"),
        "{text}"
    );
}
