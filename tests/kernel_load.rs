//! aaprof's blobs in real kernels (issues 4 and 7): Debian's 6.1 and 6.12
//! kernels booted in QEMU by `../shared/tools/kernel-test` load them, and
//! enforcement probes confirm they mediate.
//!
//! Needs root and qemu-system-x86 (`.ci/run` installs it); skipped with a
//! notice otherwise, or when `AAPROF_SKIP_KERNEL_TESTS` is set.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

const KERNELS: [&str; 2] = ["6.1", "6.12"];
/// Every Nth corpus profile goes into the load sample (≈ 50 profiles).
const SAMPLE_STRIDE: usize = 26;

fn kernel_test() -> Option<PathBuf> {
    if std::env::var_os("AAPROF_SKIP_KERNEL_TESTS").is_some() {
        eprintln!("note: AAPROF_SKIP_KERNEL_TESTS set; skipping kernel tests");
        return None;
    }
    let tool = support::shared_dir()?.join("tools/kernel-test");
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

/// Runs kernel-test; returns its stdout after asserting it passed.
fn run_kernel_test(tool: &Path, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .args(["--timeout", "240"])
        .output()
        .expect("kernel-test runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
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
    stdout
}

fn aaprof() -> &'static str {
    env!("CARGO_BIN_EXE_aaprof")
}

/// The kernel-test built-in probes (path attachment, change_onexec, userns
/// on 6.12) with their profiles compiled by aaprof.
#[test]
fn selftest_probes_pass_with_aaprof_as_the_parser() {
    let Some(tool) = kernel_test() else {
        return;
    };
    let parser = format!("{} compile", aaprof());
    for kernel in KERNELS {
        let out = run_kernel_test(
            &tool,
            &["--kernel", kernel, "--selftest", "--parser", &parser],
        );
        let probes = out.lines().filter(|l| l.starts_with("PROBE ok")).count();
        println!("kernel {kernel}: {probes} probes passed");
        assert!(
            probes >= 9,
            "expected at least the 9 file-side probes to pass"
        );
    }
}

/// A fixed sample of corpus profiles and the bundled example load into
/// both kernels, each compiled with that kernel's own features file.
#[test]
fn corpus_sample_and_example_load() {
    let Some(tool) = kernel_test() else {
        return;
    };
    let shared = support::shared_dir().expect("checked by kernel_test");
    let corpus = shared.join("corpus");
    let list = std::fs::read_to_string(corpus.join("profiles.txt")).expect("profiles.txt");
    let sample: Vec<PathBuf> = list
        .lines()
        .step_by(SAMPLE_STRIDE)
        .map(|name| corpus.join("apparmor.d").join(name))
        .collect();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for kernel in KERNELS {
        let out_dir = tempfile::tempdir().expect("temp dir");
        let features = shared.join(format!("features/debian-{kernel}.txt"));
        let profiles = corpus.join("apparmor.d");
        let status = Command::new(aaprof())
            .arg("compile")
            .args(["--config-file=/dev/null", "--features-file"])
            .arg(&features)
            .arg("-b")
            .arg(&profiles)
            .arg("-I")
            .arg(&profiles)
            .arg("-I")
            .arg(corpus.join("base"))
            .arg("-o")
            .arg(out_dir.path())
            .args(&sample)
            .status()
            .expect("aaprof runs");
        assert!(status.success(), "aaprof failed on the corpus sample");
        let example = out_dir.path().join("example-notes.bin");
        let status = Command::new(aaprof())
            .args(["compile", "--config-file=/dev/null", "--features-file"])
            .arg(&features)
            .arg("-I")
            .arg(manifest.join("fixtures/example"))
            .arg("-o")
            .arg(&example)
            .arg(manifest.join("fixtures/example/profiles/example-notes"))
            .status()
            .expect("aaprof runs");
        assert!(status.success(), "aaprof failed on the example");
        let mut blobs: Vec<String> = std::fs::read_dir(out_dir.path())
            .expect("output dir")
            .map(|entry| entry.expect("dir entry").path().display().to_string())
            .collect();
        blobs.sort();
        let mut args = vec!["--kernel", kernel];
        args.extend(blobs.iter().map(String::as_str));
        let out = run_kernel_test(&tool, &args);
        let loaded = out.lines().filter(|l| l.starts_with("LOAD ok")).count();
        println!(
            "kernel {kernel}: {loaded} of {} aaprof blobs loaded",
            blobs.len()
        );
        assert_eq!(loaded, blobs.len());
    }
}
