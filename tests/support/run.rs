//! Running the built `aaprof` binary from integration tests.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `aaprof ARGS...` in the crate root with `stdin` on standard input.
pub fn aaprof<S: AsRef<OsStr>>(args: &[S], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the aaprof binary runs");
    // A usage error exits before reading stdin: a broken pipe is expected.
    let _ = child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("aaprof finishes")
}

/// Runs `aaprof ARGS...` in `dir`, with no standard input.
pub fn aaprof_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the aaprof binary runs")
}

/// `fixtures/features/example-kernel.txt`, the project's own features file.
pub fn example_features() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/features/example-kernel.txt")
        .display()
        .to_string()
}

/// `aaprof compile --config-file=/dev/null --features-file EXAMPLE ARGS...`
/// in `dir`.
pub fn compile_in(dir: &Path, args: &[&str]) -> Output {
    let features = example_features();
    let mut all = vec![
        "compile",
        "--config-file=/dev/null",
        "--features-file",
        &features,
    ];
    all.extend(args);
    aaprof_in(dir, &all)
}
