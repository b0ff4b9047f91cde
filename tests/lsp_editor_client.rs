//! Runs tests/lsp_client/ (pytest-lsp: a real LSP client on pygls driving
//! `aaprof lsp` over stdio, as an editor does) against the built binary.
//! The client lives in a virtualenv, `target/lsp-venv` (.ci/run installs
//! it) or the Python named by `AAPROF_LSP_PYTHON`; without it the test
//! skips with a note.

use std::path::{Path, PathBuf};
use std::process::Command;

fn python() -> Option<PathBuf> {
    let python = std::env::var_os("AAPROF_LSP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/lsp-venv/bin/python")
        });
    let has_client = Command::new(&python)
        .args(["-c", "import pytest_lsp"])
        .output()
        .is_ok_and(|o| o.status.success());
    has_client.then_some(python)
}

#[test]
fn a_real_lsp_client_gets_the_expected_answers() {
    let Some(python) = python() else {
        eprintln!(
            "skipped: pytest-lsp not installed (target/lsp-venv or AAPROF_LSP_PYTHON; .ci/run installs it)"
        );
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let child = Command::new(python)
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .env("AAPROF_BIN", env!("CARGO_BIN_EXE_aaprof"))
        .args([
            "-m",
            "pytest",
            "tests/lsp_client",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "asyncio_mode=auto",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
        ])
        .spawn()
        .expect("run pytest");
    // A hung exchange must fail the test, not the CI run's time.
    let pid = child.id();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(300));
        let _ = Command::new("kill").arg(pid.to_string()).status();
    });
    drop(watchdog);
    let output = child.wait_with_output().expect("pytest output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "pytest-lsp failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
