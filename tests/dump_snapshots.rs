//! `aaprof dump` output for two small blobs aaprof compiles from the
//! project's own fixtures, run through the real binary: a permission-table
//! blob (`fixtures/shapes/everything` for `fixtures/query/kernel-permstable.txt`:
//! perms tables, xtables, rlimits, several records) as text, and a
//! packed-permission blob (`fixtures/shapes/small` for
//! `fixtures/query/kernel-packed.txt`: xmatch, policydb, file DFA) with
//! every state, as text and as JSON.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The two blobs, compiled once per test binary into a temporary
/// directory that lives as long as the process.
/// `dump` runs in `dir` and names the blobs relative to it, so the
/// snapshots show stable file names.
struct Blobs {
    dir: tempfile::TempDir,
    permstable: String,
    packed: String,
}

fn blobs() -> &'static Blobs {
    static BLOBS: OnceLock<Blobs> = OnceLock::new();
    BLOBS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let compile = |profile: &str, features: &str, out: &str| -> String {
            let path: PathBuf = dir.path().join(out);
            let status = Command::new(env!("CARGO_BIN_EXE_aaprof"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["compile", "--config-file=/dev/null", "-M", features, "-o"])
                .arg(&path)
                .arg(profile)
                .status()
                .expect("aaprof runs");
            assert!(status.success(), "{profile} compiles");
            out.to_string()
        };
        Blobs {
            permstable: compile(
                "fixtures/shapes/everything",
                "fixtures/query/kernel-permstable.txt",
                "permstable.bin",
            ),
            packed: compile(
                "fixtures/shapes/small",
                "fixtures/query/kernel-packed.txt",
                "packed.bin",
            ),
            dir,
        }
    })
}

fn dump(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .current_dir(blobs().dir.path())
        .arg("dump")
        .args(args)
        .output()
        .expect("aaprof runs");
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        String::from_utf8(out.stderr).expect("UTF-8 errors"),
        out.status.code(),
    )
}

#[test]
fn permstable_blob_as_text() {
    let (stdout, stderr, code) = dump(&[&blobs().permstable]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    insta::assert_snapshot!(stdout);
}

#[test]
fn packed_blob_with_states() {
    let (stdout, stderr, code) = dump(&["--states", &blobs().packed]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    insta::assert_snapshot!(stdout);
}

#[test]
fn packed_blob_as_json() {
    let (stdout, _, code) = dump(&["--format", "json", &blobs().packed]);
    assert_eq!(code, Some(0));
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(value[0]["records"][0]["name"], "foo");
    assert_eq!(value[0]["records"][0]["xmatch_len"], 8);
    insta::assert_snapshot!(stdout);
}

#[test]
fn non_blob_input_reports_the_offset_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("text.bin");
    std::fs::write(&text, "profile foo { }\n").unwrap();
    let truncated = dir.path().join("truncated.bin");
    let bytes = std::fs::read(blobs().dir.path().join(&blobs().packed)).unwrap();
    std::fs::write(&truncated, &bytes[..100]).unwrap();

    let (stdout, stderr, code) = dump(&[text.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("not a valid policy blob: offset 0:"),
        "{stderr}"
    );

    let (_, stderr, code) = dump(&[truncated.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    // The cut falls inside the xmatch DFA, whose BLOB payload starts at 49.
    assert!(
        stderr.contains("offset 49: unexpected end of input"),
        "{stderr}"
    );
}

#[test]
fn invalid_dfa_is_shown_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.bin");
    let mut bytes = std::fs::read(blobs().dir.path().join(&blobs().packed)).unwrap();
    // The xmatch DFA starts at offset 56 (record-aligned); its big-endian
    // header-flags field is at +12. Setting an unknown flag keeps the
    // stream intact but makes the kernel reject the DFA.
    assert_eq!(&bytes[56..60], &[0x1b, 0x5e, 0x78, 0x3d]);
    bytes[69] = 0x80;
    std::fs::write(&path, &bytes).unwrap();
    let (stdout, stderr, code) = dump(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("INVALID"), "{stdout}");
    assert!(stderr.contains("xmatch DFA"), "{stderr}");
}

#[test]
fn compare_reports_identical_and_differing_blobs() {
    let (stdout, _, code) = dump(&["--compare", &blobs().packed, &blobs().packed]);
    assert_eq!((code, stdout.as_str()), (Some(0), "identical\n"));
    let (stdout, _, code) = dump(&["--compare", &blobs().packed, &blobs().permstable]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(stdout);
    let (_, stderr, code) = dump(&["--compare", &blobs().packed]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("exactly two"), "{stderr}");
}

#[test]
fn dash_reads_standard_input() {
    use std::io::Write;
    let bytes = std::fs::read(blobs().dir.path().join(&blobs().packed)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(["dump", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    let (from_file, _, _) = dump(&[&blobs().packed]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
}
