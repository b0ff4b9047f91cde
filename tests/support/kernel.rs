//! The kernel-test harness (`../shared/tools/kernel-test`): Debian kernels
//! booted in QEMU, for tests/kernel_load.rs and tests/kernel_loading.rs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// kernel-test, when it can run here: needs ../shared, root and
/// qemu-system-x86 (`.ci/run` installs it); `None` with a notice
/// otherwise, or when `AAPROF_SKIP_KERNEL_TESTS` is set.
pub fn kernel_test() -> Option<PathBuf> {
    if std::env::var_os("AAPROF_SKIP_KERNEL_TESTS").is_some() {
        eprintln!("note: AAPROF_SKIP_KERNEL_TESTS set; skipping kernel tests");
        return None;
    }
    let tool = super::shared_dir()?.join("tools/kernel-test");
    let root = Command::new("id").arg("-u").output().ok()?.stdout == b"0\n";
    let qemu = Command::new("qemu-system-x86_64")
        .arg("--version")
        .output()
        .is_ok();
    if !tool.exists() || !root || !qemu {
        eprintln!("note: kernel-test needs ../shared, root and qemu-system-x86; skipping");
        return None;
    }
    Some(tool)
}

/// Boots a guest that never reaches its init (exit 2, "guest did not
/// start": under TCG on a loaded machine the kernel's early timer check
/// can fail) gets this many attempts in all.
const BOOT_ATTEMPTS: usize = 3;

/// Runs kernel-test; returns its stdout after asserting it passed. A
/// guest that did not start is booted again (see [`BOOT_ATTEMPTS`]);
/// every other failure fails at once.
pub fn run_kernel_test(tool: &Path, args: &[&str]) -> String {
    let mut attempt = 1;
    loop {
        // Options before the blobs: everything after `--` is a probe script.
        let output = Command::new(tool)
            .args(["--timeout", "240"])
            .args(args)
            .output()
            .expect("kernel-test runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let not_started = output.status.code() == Some(2)
            && stdout.contains("harness-error: guest did not start");
        if not_started && attempt < BOOT_ATTEMPTS {
            eprintln!("note: the guest did not start (attempt {attempt}); booting again");
            attempt += 1;
            continue;
        }
        let facts: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with("LOAD") || l.starts_with("PROBE ") || l.starts_with("RESULT"))
            .collect();
        println!("{}", facts.join("\n"));
        assert!(
            output.status.success(),
            "kernel-test {args:?} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        return stdout;
    }
}
