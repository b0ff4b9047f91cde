//! `aaprof diff` text for record fields outside the DFAs (issue 13): the
//! legacy network table (`net_allowed_af`, written for kernels with the
//! old `network` feature such as `builtin:upstream-all`) reads as
//! families, socket types and audit/quiet changes, and the other fields
//! (mode, flags, rlimits, kill signal) by name, never as raw arrays.

use std::process::Command;

const OLD: &str = "profile svc {
  network inet stream,
  deny network inet6,
  /etc/svc.conf r,
}
";

const NEW: &str = "profile svc flags=(complain, kill.signal=term) {
  network inet dgram,
  audit network inet6 raw,
  audit deny network ax25,
  network packet,
  set rlimit nofile <= 1024,
  /etc/svc.conf r,
}
";

#[test]
fn legacy_network_table_and_fields_read_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old"), OLD).unwrap();
    std::fs::write(dir.path().join("new"), NEW).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .current_dir(dir.path())
        .args([
            "diff",
            "--config-file=/dev/null",
            "-M",
            "builtin:upstream-all",
            "old",
            "new",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("[0, 0, 0]"), "{text}");
    insta::assert_snapshot!(text);
}
