//! `aaprof lint` end to end: the fixture set in `fixtures/lint/` against
//! its hand-derived expectations (`fixtures/lint/expected.tsv`), the
//! reference parser's verdict on every rule lint calls redundant (the blob
//! without the rule is byte-identical), the output formats (insta
//! snapshots), exit statuses, bad input, and a few corpus profiles.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .current_dir(root())
        .args([
            "lint",
            "--config-file=/dev/null",
            "-I",
            "fixtures/lint/include",
        ])
        .args(args)
        .output()
        .unwrap()
}

/// `(line, name)` of every finding of one fixture, from `--format json`.
fn findings(fixture: &str) -> (Vec<(u32, String)>, i32) {
    let path = format!("fixtures/lint/profiles/{fixture}");
    let out = lint(&["--format", "json", &path]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut found: Vec<(u32, String)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["line"].as_u64().unwrap() as u32,
                v["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    (found, out.status.code().unwrap_or(-1))
}

fn expected() -> BTreeMap<String, Vec<(u32, String)>> {
    let text = std::fs::read_to_string(root().join("fixtures/lint/expected.tsv")).unwrap();
    let mut out: BTreeMap<String, Vec<(u32, String)>> = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("fixtures/lint/profiles")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        out.entry(name).or_default();
    }
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        out.entry(fields[0].to_string())
            .or_default()
            .push((fields[1].parse().unwrap(), fields[2].to_string()));
    }
    for list in out.values_mut() {
        list.sort();
    }
    out
}

#[test]
fn fixtures_give_the_hand_derived_findings() {
    let expected = expected();
    assert!(expected.len() >= 10, "fixture set shrank: {expected:?}");
    for (fixture, want) in &expected {
        let (got, status) = findings(fixture);
        assert_eq!(&got, want, "fixtures/lint/profiles/{fixture}");
        let want_status = if want.is_empty() { 0 } else { 1 };
        assert_eq!(status, want_status, "{fixture}: exit status");
    }
}

/// The reference decides whether a rule matters: lint's `rule-redundant`
/// and `rule-shadowed` findings must be lines whose removal leaves
/// apparmor_parser's blob byte-identical.
#[test]
fn reference_blob_is_unchanged_without_each_redundant_rule() {
    let parser = root().join("../shared/tools/apparmor-parser-5.0");
    let features = root().join("../shared/features/upstream-all.txt");
    if !parser.exists() {
        eprintln!("skipped: ../shared/tools/apparmor-parser-5.0 missing");
        return;
    }
    let compile = |text: &str| -> Vec<u8> {
        use std::io::Write;
        let mut child = Command::new(&parser)
            .current_dir(root())
            .args(["--config-file=/dev/null", "-Q", "-S", "-K", "-q"])
            .args(["-I", "fixtures/lint/include", "--features-file"])
            .arg(&features)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "reference rejected:\n{text}");
        out.stdout
    };
    let mut checked = 0;
    for (fixture, want) in expected() {
        for (line, name) in want {
            if name != "rule-redundant" && name != "rule-shadowed" {
                continue;
            }
            let text =
                std::fs::read_to_string(root().join("fixtures/lint/profiles").join(&fixture))
                    .unwrap();
            let without: String = text
                .lines()
                .enumerate()
                .filter(|(i, _)| *i + 1 != line as usize)
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            assert_eq!(
                compile(&text),
                compile(&without),
                "{fixture}:{line} matters to the reference"
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} redundant rules checked");
    // And the converse on the fixture made for it: every other rule line
    // of `semantics` changes the reference's blob, so lint misses none.
    let text = std::fs::read_to_string(root().join("fixtures/lint/profiles/semantics")).unwrap();
    let flagged: Vec<u32> = expected()["semantics"].iter().map(|(l, _)| *l).collect();
    let full = compile(&text);
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        let is_rule = line.starts_with("  ") && line.ends_with(',');
        if !is_rule || flagged.contains(&number) {
            continue;
        }
        let without: String = text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        assert_ne!(
            full,
            compile(&without),
            "semantics:{number} changes nothing to the reference, lint missed it"
        );
    }
}

/// Output paths relative to the repository, the working directory's URI
/// and the version replaced, so snapshots hold on any checkout.
fn stable(text: &str) -> String {
    let cwd = root().canonicalize().unwrap();
    text.replace(&format!("file://{}", cwd.display()), "file://[ROOT]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn json_sarif_and_github_formats() {
    let files = [
        "fixtures/lint/profiles/exec",
        "fixtures/lint/profiles/write_exec",
    ];
    for format in ["json", "sarif", "github"] {
        let mut args = vec!["--format", format];
        args.extend(files);
        let out = lint(&args);
        assert_eq!(out.status.code(), Some(1));
        let text = stable(&String::from_utf8(out.stdout).unwrap());
        if format == "sarif" {
            let log: serde_json::Value = serde_json::from_str(&text).unwrap();
            let rules = log["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .unwrap();
            assert!(rules.iter().any(|r| r["id"] == "AA3005"));
            // The rules table is the whole code list: snapshot the results.
            let results = serde_json::to_string_pretty(&log["runs"][0]["results"]).unwrap();
            insta::assert_snapshot!(format!("lint_{format}"), results);
        } else {
            insta::assert_snapshot!(format!("lint_{format}"), text);
        }
    }
}

#[test]
fn exit_statuses_and_options() {
    let exec = "fixtures/lint/profiles/exec";
    assert_eq!(
        lint(&["-q", exec]).status.code(),
        Some(2),
        "-q is no lint option"
    );
    assert_eq!(lint(&["--disable", "bogus", exec]).status.code(), Some(2));
    assert_eq!(
        lint(&["--disable", "rule", exec]).status.code(),
        Some(2),
        "errors cannot be disabled"
    );
    assert_eq!(lint(&["--exit-zero", exec]).status.code(), Some(0));
    assert_eq!(lint(&["--disable", "AA3004", exec]).status.code(), Some(0));
    assert_eq!(
        lint(&["--disable=unconfined-exec,AA3001", exec])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        lint(&["fixtures/lint/profiles/no-such-file"]).status.code(),
        Some(2)
    );
    assert_eq!(
        lint(&["--exit-zero", "fixtures/lint/profiles/bad"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        lint(&["fixtures/lint/profiles/clean"]).status.code(),
        Some(0)
    );
}

#[test]
fn bad_input_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: [&[u8]; 7] = [
        b"",
        b"# only a comment\n",
        b"\xff\xfe\x00profile {{{",
        b"profile p { /a r, # aaprof-lint: disable-next-line=\n}",
        b"profile p { ^h { ^h2 { /x ux, } } }",
        b"@{v} = \nprofile p { @{v} r, }",
        b"profile p { /** rwlkmix, deny /** w, audit deny /x r, }",
    ];
    for (i, bytes) in inputs.iter().enumerate() {
        let path = dir.path().join(format!("in{i}"));
        std::fs::write(&path, bytes).unwrap();
        let out = lint(&[path.to_str().unwrap()]);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "input {i}: {code:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Lint over a few real profiles stays within a small multiple of
/// compiling them (the redundancy check builds one traced automaton per
/// profile and DFA kind, not one per rule).
#[test]
fn corpus_profiles_lint_quickly() {
    let corpus = root().join("../shared/corpus");
    if !corpus.join("profiles.txt").exists() {
        eprintln!("skipped: ../shared/corpus missing");
        return;
    }
    let profiles = [
        "groups/browsers/firefox",
        "groups/code/code",
        "groups/bus/dbus-session",
        "groups/freedesktop/xdg-desktop-portal",
        "profiles-s-z/tasksel",
    ];
    let dirs = |cmd: &mut Command| {
        cmd.current_dir(&corpus).args([
            "--config-file=/dev/null",
            "-b",
            "apparmor.d",
            "-I",
            "apparmor.d",
            "-I",
            "base",
            "-M",
            "builtin:debian-6.12",
        ]);
    };
    let paths: Vec<String> = profiles.iter().map(|p| format!("apparmor.d/{p}")).collect();
    let start = std::time::Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aaprof"));
    cmd.args(["lint", "--format", "json"]);
    dirs(&mut cmd);
    let out = cmd.args(&paths).output().unwrap();
    let lint_time = start.elapsed();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .all(|l| l.contains("\"code\":\"AA3") || l.contains("\"code\":\"AA2003")),
        "{text}"
    );
    let start = std::time::Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aaprof"));
    cmd.arg("compile");
    dirs(&mut cmd);
    let out = cmd.arg("-S").args(&paths).output().unwrap();
    let compile_time = start.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "lint {lint_time:?}, compile {compile_time:?} for {} profiles",
        paths.len()
    );
    assert!(
        lint_time < compile_time * 4 + std::time::Duration::from_secs(5),
        "lint {lint_time:?} vs compile {compile_time:?}"
    );
}

/// Never a panic on the upstream parser's test inputs (valid and invalid
/// ones): one file in ten, linted in batches; every exit status is 0, 1
/// or 2. (All 11,657 pass; the sample keeps the test quick.)
#[test]
fn upstream_test_inputs_never_panic() {
    let tst = root().join("../shared/conformance/tst");
    if !tst.is_dir() {
        eprintln!("skipped: ../shared/conformance missing");
        return;
    }
    let mut files = Vec::new();
    let mut stack = vec![tst.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "sd") {
                files.push(path);
            }
        }
    }
    files.sort();
    let sample: Vec<PathBuf> = files.into_iter().step_by(10).collect();
    assert!(sample.len() > 500, "only {} inputs", sample.len());
    for batch in sample.chunks(200) {
        let out = Command::new(env!("CARGO_BIN_EXE_aaprof"))
            .current_dir(&tst)
            .args([
                "lint",
                "--config-file=/dev/null",
                "-M",
                "builtin:upstream-all",
                "--format",
                "json",
            ])
            .args(batch)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{:?}: {stderr}",
            out.status
        );
    }
}
