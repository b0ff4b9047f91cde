//! The DFA reader's matcher against the 4.1 parser's own output: a
//! differentially encoded DFA must have exactly the transition function of
//! the same DFA without the encoding (the parser numbers states before
//! diff-encoding them), and matching paths through the file DFA must give
//! the permissions the rules say. Skipped (with a note) where the 4.1
//! parser cannot run.

mod support;

use aaprof::blob::compare::{Matcher, first_difference};
use aaprof::blob::read_records;
use aaprof::tables::read::{DfaTables, FLAG_DIFF_ENCODE, START_STATE};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const PROFILE: &str = "profile t {
  /etc/** r,
  /etc/fo* w,
  /usr/bin/* ix,
  deny /etc/shadow r,
  /home/*/.cache/** rwk,
  /var/{log,tmp}/*.log a,
}
";

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Compiles PROFILE with the 4.1 parser under `features` text.
fn compile(features: &str) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("features");
    std::fs::write(&path, features).ok()?;
    let mut child = Command::new(shared().join("tools/apparmor-parser-4.1"))
        .args([
            "--config-file=/dev/null",
            "-Q",
            "-S",
            "-K",
            "-q",
            "--features-file",
        ])
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(PROFILE.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status.success().then_some(out.stdout)
}

fn file_dfa(blob: &[u8]) -> DfaTables {
    let records = read_records(blob).expect("parser blob decodes");
    let file = records[0].file.as_ref().expect("a file DFA");
    DfaTables::parse(&file.dfa).expect("parser DFA verifies")
}

#[test]
fn diff_encoded_dfa_has_the_plain_transition_function() {
    if support::shared_dir().is_none() {
        return;
    }
    let base = std::fs::read_to_string(shared().join("features/debian-6.1.txt")).unwrap();
    let with_diff = base.replacen("\npolicy {", "\npolicy {diff_encode {yes\n}\n", 1);
    assert_ne!(base, with_diff, "the features file has a policy block");
    let (Some(plain), Some(diff)) = (compile(&base), compile(&with_diff)) else {
        println!("apparmor-parser-4.1 did not run; test skipped");
        return;
    };
    let plain_records = read_records(&plain).unwrap();
    let diff_records = read_records(&diff).unwrap();
    let plain = file_dfa(&plain);
    let diff = file_dfa(&diff);
    let (plain_pdb, diff_pdb) = (
        plain_records[0].file.as_ref().unwrap(),
        diff_records[0].file.as_ref().unwrap(),
    );
    assert_eq!(
        first_difference(
            &Matcher::new(&plain, plain_pdb, true),
            &Matcher::new(&diff, diff_pdb, true)
        ),
        None,
        "same grants on every input"
    );
    assert_eq!(plain.flags & FLAG_DIFF_ENCODE, 0);
    assert_ne!(diff.flags & FLAG_DIFF_ENCODE, 0, "diff encoding was used");
    let encoded = (0..diff.state_count() as u32)
        .filter(|&s| diff.transitions(s).diff_encoded)
        .count();
    assert!(encoded > 0, "some states are diff-encoded");
    assert_eq!(plain.state_count(), diff.state_count());
    assert_eq!(plain.accept, diff.accept);
    for state in 0..plain.state_count() as u32 {
        for byte in 0..=255u8 {
            assert_eq!(
                plain.next(state, byte),
                diff.next(state, byte),
                "state {state} byte {byte:#04x}"
            );
        }
    }
    println!(
        "{} states, {encoded} diff-encoded: transition functions identical",
        diff.state_count()
    );
}

#[test]
fn file_dfa_matches_paths_with_the_rules_permissions() {
    if support::shared_dir().is_none() {
        return;
    }
    let base = std::fs::read_to_string(shared().join("features/debian-6.1.txt")).unwrap();
    let Some(blob) = compile(&base) else {
        println!("apparmor-parser-4.1 did not run; test skipped");
        return;
    };
    let dfa = file_dfa(&blob);
    // Packed file permissions (§4.1): owner half in bits 0–13, other half
    // in 14–27; r 0x4, w 0x2|0x8, a 0x8, k 0x20, m 0x40, ix 0x1|0x200|0x40.
    let accept = |path: &str| dfa.accept[dfa.run(START_STATE, path.as_bytes()) as usize];
    let both = |half: u32| half | (half << 14);
    assert_eq!(accept("/etc/passwd"), both(0x4));
    assert_eq!(accept("/etc/foo"), both(0x4 | 0x2 | 0x8));
    assert_eq!(accept("/etc/shadow"), 0, "denied read leaves nothing");
    assert_eq!(accept("/var/log/x.log"), both(0x8));
    assert_eq!(accept("/var/tmp/.log"), both(0x8));
    assert_eq!(accept("/var/log/x.txt"), 0);
    assert_eq!(accept("/home/u/.cache/a/b"), both(0x4 | 0x2 | 0x8 | 0x20));
    assert_eq!(accept("/usr/bin/ls") & 0x3FFF, 0x1 | 0x40 | 0x200);
    assert_eq!(accept("/usr/bin/x/y"), 0);
    assert_eq!(accept("/bin/sh"), 0);
    assert_eq!(dfa.run(START_STATE, b"/etc/passwd\0"), 0, "NUL is a symbol");
}

#[test]
fn xattr_values_follow_the_out_of_band_transition() {
    if support::shared_dir().is_none() {
        return;
    }
    // Reference blob of `/usr/bin/xattrs-test xattrs=(myvalue=foo) { … }`
    // (conformance xattrs/ok_01.sd, debian-6.1): the attachment DFA matches
    // the path, takes the out-of-band separator, then NUL and the value.
    let blob = std::fs::read(shared().join(
        "conformance/blobs/01da6dcb3523b0d20b5b5b5be702f1672d885cc02b5a80562e828d66397ec634.bin",
    ))
    .unwrap();
    let records = read_records(&blob).unwrap();
    let xmatch = records[0].xmatch.as_ref().expect("an xmatch DFA");
    assert_eq!(records[0].xattrs, Some(vec![b"myvalue".to_vec()]));
    let dfa = DfaTables::parse(&xmatch.pdb.dfa).unwrap();
    let path_end = dfa.run(START_STATE, b"/usr/bin/xattrs-test");
    assert_eq!(
        dfa.accept[path_end as usize], 0x1,
        "the path alone attaches"
    );
    let separator = dfa.next_oob(path_end).expect("an out-of-band transition");
    assert_eq!(dfa.accept[dfa.run(separator, b"\0foo") as usize], 0x1);
    assert_eq!(dfa.run(separator, b"\0bar"), 0);
    assert_eq!(dfa.next_oob(START_STATE), None);
    assert_eq!(
        dfa.accept[dfa.run(START_STATE, b"/usr/bin/other") as usize],
        0
    );
}
