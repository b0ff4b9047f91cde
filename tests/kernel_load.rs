//! aaprof's blobs in real kernels (issues 4 and 7): Debian's 6.1 and 6.12
//! kernels booted in QEMU by `../shared/tools/kernel-test` load them, and
//! enforcement probes confirm they mediate.
//!
//! Needs root and qemu-system-x86 (`.ci/run` installs it); skipped with a
//! notice otherwise, or when `AAPROF_SKIP_KERNEL_TESTS` is set.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::kernel::{kernel_test, run_kernel_test};

const KERNELS: [&str; 2] = ["6.1", "6.12"];
/// Every Nth corpus profile goes into the load sample (≈ 100 profiles, issue 4).
const SAMPLE_STRIDE: usize = 13;

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

/// A probe of our own for a non-file class on both kernels: a profile
/// compiled by aaprof that allows only SIGTERM to unconfined tasks is
/// enforced (SIGHUP denied, SIGTERM delivered).
#[test]
fn signal_rule_is_enforced() {
    let Some(tool) = kernel_test() else {
        return;
    };
    let shared = support::shared_dir().expect("checked by kernel_test");
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/kernel");
    for kernel in KERNELS {
        let out_dir = tempfile::tempdir().expect("temp dir");
        let features = shared.join(format!("features/debian-{kernel}.txt"));
        let profile = fixtures.join("signal-probe");
        assert_eq!(
            compile_each(&[profile], &features, &[], out_dir.path()),
            1,
            "aaprof failed on the signal probe profile"
        );
        let blob = out_dir.path().join("signal-probe");
        let probe = fixtures.join("signal-probe.sh");
        let out = run_kernel_test(
            &tool,
            &[
                "--kernel",
                kernel,
                &blob.display().to_string(),
                "--",
                &probe.display().to_string(),
            ],
        );
        for name in ["signal-hup-denied", "signal-term-allowed"] {
            assert!(
                out.lines()
                    .any(|l| l.starts_with(&format!("PROBE ok {name}"))),
                "kernel {kernel}: probe {name} did not pass:\n{out}"
            );
        }
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
        load_all(&tool, kernel, out_dir.path(), "corpus sample and example");
    }
}

/// Generated profiles in the load sample, per kernel.
#[cfg(feature = "testgen")]
const GENERATED_SAMPLE: usize = 30;

/// Compiles each profile file in `files` on its own into `out_dir` (one
/// blob per file, named by basename) with `features` and the include path
/// `includes`; returns how many aaprof accepted. A profile aaprof rejects
/// is left out: the kernel test checks the blobs aaprof writes.
fn compile_each(files: &[PathBuf], features: &Path, includes: &[PathBuf], out_dir: &Path) -> usize {
    let mut accepted = 0;
    for file in files {
        let name = file.file_name().expect("file name");
        let mut command = Command::new(aaprof());
        command
            .args(["compile", "--config-file=/dev/null", "--features-file"])
            .arg(features);
        for dir in includes {
            command.arg("-I").arg(dir);
        }
        let status = command
            .arg("-o")
            .arg(out_dir.join(name))
            .arg(file)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("aaprof runs");
        accepted += usize::from(status.success());
    }
    accepted
}

/// Loads every blob in `dir` into `kernel`; fails if the kernel rejects any.
fn load_all(tool: &Path, kernel: &str, dir: &Path, what: &str) {
    let mut blobs: Vec<String> = std::fs::read_dir(dir)
        .expect("output dir")
        .map(|entry| entry.expect("dir entry").path().display().to_string())
        .collect();
    blobs.sort();
    let mut args = vec!["--kernel", kernel];
    args.extend(blobs.iter().map(String::as_str));
    let out = run_kernel_test(tool, &args);
    let loaded = out.lines().filter(|l| l.starts_with("LOAD ok")).count();
    println!(
        "kernel {kernel}: {loaded} of {} {what} blobs loaded",
        blobs.len()
    );
    assert_eq!(
        loaded,
        blobs.len(),
        "the kernel rejected an aaprof blob ({what})"
    );
}

/// Debian's `apparmor-profiles` package, unpacked by `.ci/run` into
/// `target/debian-apparmor-profiles` (or `$AAPROF_DEBIAN_PROFILES`): every
/// profile aaprof accepts loads into both kernels.
#[test]
fn debian_apparmor_profiles_load() {
    let Some(tool) = kernel_test() else {
        return;
    };
    let Some((etc, files)) = support::debian_profiles() else {
        return;
    };
    let shared = support::shared_dir().expect("checked by kernel_test");
    let includes = [etc, shared.join("corpus/base")];
    for kernel in KERNELS {
        let out_dir = tempfile::tempdir().expect("temp dir");
        let features = shared.join(format!("features/debian-{kernel}.txt"));
        let accepted = compile_each(&files, &features, &includes, out_dir.path());
        println!(
            "kernel {kernel}: aaprof accepts {accepted} of {} Debian apparmor-profiles files",
            files.len()
        );
        assert!(
            accepted * 10 >= files.len() * 9,
            "aaprof rejects most of Debian's profiles"
        );
        load_all(&tool, kernel, out_dir.path(), "Debian apparmor-profiles");
    }
}

/// The first profiles of the fixed generated sample (`aaprof::testgen`,
/// seeds from 0) that aaprof accepts for each kernel load into it.
/// Profile names get a per-seed prefix so the blobs do not collide.
#[cfg(feature = "testgen")]
#[test]
fn generated_sample_loads() {
    use aaprof::testgen::{GenOptions, profile_from_seed};
    let Some(tool) = kernel_test() else {
        return;
    };
    let shared = support::shared_dir().expect("checked by kernel_test");
    let sources = tempfile::tempdir().expect("temp dir");
    let files: Vec<PathBuf> = (0..GENERATED_SAMPLE as u64 * 2)
        .map(|seed| {
            let text = profile_from_seed(seed, &GenOptions::default())
                .replace("p0", &format!("gen{seed}_p0"))
                .replace("p1", &format!("gen{seed}_p1"));
            let path = sources.path().join(format!("gen{seed:03}"));
            std::fs::write(&path, text).expect("write profile");
            path
        })
        .collect();
    for kernel in KERNELS {
        let all = tempfile::tempdir().expect("temp dir");
        let features = shared.join(format!("features/debian-{kernel}.txt"));
        let accepted = compile_each(&files, &features, &[], all.path());
        // Keep the first GENERATED_SAMPLE accepted ones.
        let out_dir = tempfile::tempdir().expect("temp dir");
        let mut names: Vec<_> = std::fs::read_dir(all.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        for name in names.iter().take(GENERATED_SAMPLE) {
            std::fs::rename(all.path().join(name), out_dir.path().join(name)).expect("move");
        }
        println!(
            "kernel {kernel}: aaprof accepts {accepted} of {} generated profiles",
            files.len()
        );
        assert!(
            accepted >= GENERATED_SAMPLE,
            "too few generated profiles accepted"
        );
        load_all(&tool, kernel, out_dir.path(), "generated");
    }
}
