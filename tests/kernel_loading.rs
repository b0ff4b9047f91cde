//! `aaprof load` in real kernels (issue 13): a statically linked aaprof
//! runs inside the busybox guest of `../shared/tools/kernel-test` (Debian's
//! 6.1 and 6.12 kernels in QEMU) and adds, replaces and removes a profile
//! through securityfs, reading the guest kernel's own features; probes
//! check what the kernel enforces and lists after each step
//! (fixtures/kernel/loading/probe.sh): add (listed, enforced), add again
//! (EEXIST with the kernel's reason), a set of a new and a loaded profile
//! (refused whole: the new one is not added), replace (enforcement changes),
//! replace from the policy cache (cache hit), a profile file that fails to
//! compile (nothing of it loaded), remove (gone, unconfined again; a
//! second remove gives ENOENT), `compile -r`, and `load -B` of a blob
//! compiled in the guest.
//!
//! Needs root and qemu-system-x86 (`.ci/run` installs it); skipped with a
//! notice otherwise, or when `AAPROF_SKIP_KERNEL_TESTS` is set. The static
//! binary is built into `target/static` (or taken from
//! `$AAPROF_STATIC_BIN`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::kernel::{kernel_test, run_kernel_test};

const KERNELS: [&str; 2] = ["6.1", "6.12"];

/// Every probe fixtures/kernel/loading/probe.sh reports.
const PROBES: [&str; 24] = [
    "add",
    "add-listed",
    "add-allowed",
    "add-denied",
    "add-again-eexist",
    "add-again-kernel-reason",
    "set-refused",
    "set-all-or-nothing",
    "replace",
    "replace-allows",
    "cache-hit",
    "cache-replace-denies",
    "broken-set-fails",
    "broken-set-nothing-loaded",
    "remove",
    "remove-gone",
    "remove-unconfined",
    "remove-again-enoent",
    "compile-r",
    "compile-r-listed",
    "compile-r-denied",
    "binary-compile",
    "binary-replace",
    "binary-replace-allows",
];

/// A statically linked aaprof for the busybox guest (no libc there).
fn static_aaprof() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("AAPROF_STATIC_BIN") {
        return Some(PathBuf::from(bin));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target_dir = manifest.join("target/static");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&manifest)
        .env("RUSTFLAGS", "-C target-feature=+crt-static")
        .env("CARGO_TARGET_DIR", &target_dir)
        .args([
            "build",
            "--release",
            "--target",
            "x86_64-unknown-linux-gnu",
            "--bin",
            "aaprof",
        ])
        .status()
        .ok()?;
    if !status.success() {
        eprintln!("note: cannot build a static aaprof (cargo failed); skipping");
        return None;
    }
    Some(target_dir.join("x86_64-unknown-linux-gnu/release/aaprof"))
}

/// Whether an ELF executable asks for no program interpreter (no
/// PT_INTERP program header): statically linked, static-pie included.
fn is_static_elf(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u64_at = |at: usize| {
        bytes
            .get(at..at + 8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    };
    if !bytes.starts_with(b"\x7fELF\x02\x01") {
        return false;
    }
    let (Some(phoff), Some(phentsize), Some(phnum)) = (u64_at(0x20), u16_at(0x36), u16_at(0x38))
    else {
        return false;
    };
    const PT_INTERP: u32 = 3;
    (0..usize::from(phnum)).all(|i| {
        let at = phoff as usize + i * usize::from(phentsize);
        bytes
            .get(at..at + 4)
            .is_some_and(|t| u32::from_le_bytes(t.try_into().expect("4 bytes")) != PT_INTERP)
    })
}

#[test]
fn load_replace_remove_in_the_guest() {
    let Some(tool) = kernel_test() else {
        return;
    };
    let Some(aaprof) = static_aaprof() else {
        return;
    };
    assert!(
        is_static_elf(&aaprof),
        "{} is not statically linked",
        aaprof.display()
    );
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/kernel/loading");
    let file = |src: &Path, dest: &str| format!("{}:{dest}", src.display());
    let mut files = vec![file(&aaprof, "/opt/aaprof/aaprof")];
    for name in ["deny", "allow", "broken", "pair"] {
        files.push(file(&fixtures.join(name), &format!("/opt/aaprof/{name}")));
    }
    let probe = fixtures.join("probe.sh").display().to_string();
    for kernel in KERNELS {
        let mut args = vec!["--kernel", kernel];
        for spec in &files {
            args.extend(["--file", spec.as_str()]);
        }
        args.extend(["--", probe.as_str()]);
        let out = run_kernel_test(&tool, &args);
        for name in PROBES {
            assert!(
                out.lines()
                    .any(|l| l.starts_with(&format!("PROBE ok {name}"))),
                "kernel {kernel}: probe {name} did not pass:\n{out}"
            );
        }
    }
}

#[test]
fn static_elf_check_reads_program_headers() {
    // The test binary itself is dynamically linked (it has PT_INTERP).
    let me = std::env::current_exe().expect("test binary");
    if !cfg!(target_feature = "crt-static") {
        assert!(!is_static_elf(&me));
    }
    assert!(!is_static_elf(Path::new("Cargo.toml")));
}
