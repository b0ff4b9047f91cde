//! Built-in feature sets (`builtin:NAME`, `aaprof features`) and
//! apparmor_parser 5.0.2's fallback when the kernel lists no features
//! (issue 13): expected blobs are the reference's sha256 for profiles
//! written here, checked again against the reference when it is present.

mod support;

use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::{Command, Output};

fn aaprof(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run aaprof")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Profile rules whose blob depends on the fallback: kabi 5, no network
/// (`network` unenforced), `bpf` compiled as `sys_admin`, rlimits, a hat.
const FALLBACK_PROFILE: &str = "profile fallback /usr/bin/fallback {
  /etc/passwd r,
  /usr/lib/** mr,
  capability bpf,
  capability chown,
  network inet stream,
  signal send,
  set rlimit nofile <= 1024,
  change_profile -> other,
  ^hat { /tmp/* rw, }
}
";
/// `apparmor-parser-5.0 --config-file=/dev/null -Q -S` with no kernel features.
const FALLBACK_SHA256: &str = "2bead689ac9f867862f95c0747d464011668437c56e3ce9de5e04c059b401fc9";

/// `../shared/tools/apparmor-parser-5.0`, when the ground truth is there.
fn parser_5_0() -> Option<std::path::PathBuf> {
    let tool = support::shared_dir()?.join("tools/apparmor-parser-5.0");
    tool.exists().then_some(tool)
}

fn kernel_lists_features() -> bool {
    Path::new(aaprof::features::KERNEL_FEATURES_DIR).is_dir()
}

#[test]
fn no_kernel_features_compile_as_5_0_2_does() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p"), FALLBACK_PROFILE).unwrap();
    let explicit = aaprof(
        dir.path(),
        &[
            "compile",
            "--config-file=/dev/null",
            "-S",
            "--kernel-features",
            "builtin:apparmor-5.0-no-kernel",
            "p",
        ],
    );
    assert!(explicit.status.success(), "{explicit:?}");
    assert_eq!(sha256(&explicit.stdout), FALLBACK_SHA256);
    // `capability bpf,` was compiled as sys_admin: query names it there.
    let query = aaprof(
        dir.path(),
        &[
            "query",
            "--config-file=/dev/null",
            "--kernel-features",
            "builtin:apparmor-5.0-no-kernel",
            "--profile",
            "fallback",
            "p",
            "capability",
            "sys_admin",
        ],
    );
    assert!(query.status.success(), "{query:?}");
    assert!(
        String::from_utf8_lossy(&query.stdout).contains("p:4  capability bpf,"),
        "{query:?}"
    );
    if kernel_lists_features() {
        eprintln!("note: this kernel lists AppArmor features; the implicit fallback is not used");
        return;
    }
    let implicit = aaprof(
        dir.path(),
        &["compile", "--config-file=/dev/null", "-S", "p"],
    );
    assert!(implicit.status.success(), "{implicit:?}");
    assert_eq!(implicit.stdout, explicit.stdout);
    // The one warning 5.0.2 gives (class abi, at the profile), not a
    // features error.
    let warned = aaprof(
        dir.path(),
        &[
            "compile",
            "--config-file=/dev/null",
            "--warn=abi",
            "-S",
            "p",
        ],
    );
    let stderr = String::from_utf8_lossy(&warned.stderr);
    assert!(
        stderr.contains(
            "p:1:1: File 'p' missing feature abi, falling back to default policy feature abi"
        ),
        "{stderr}"
    );
    // `check` uses the same fallback: `&` targets need stacking,
    // which 5.0.2's default ABI lacks.
    std::fs::write(
        dir.path().join("s"),
        "profile s {\n  change_profile -> &other,\n}\n",
    )
    .unwrap();
    let check = aaprof(dir.path(), &["check", "--config-file=/dev/null", "s"]);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    assert!(
        String::from_utf8_lossy(&check.stderr)
            .contains("s:2:3: the target kernel does not support stacking")
    );
}

#[test]
fn fallback_matches_the_reference_when_present() {
    let Some(parser) = parser_5_0() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p"), FALLBACK_PROFILE).unwrap();
    let reference = Command::new(parser)
        .current_dir(dir.path())
        .args(["--config-file=/dev/null", "-Q", "-S", "-q", "p"])
        .output()
        .unwrap();
    if kernel_lists_features() {
        eprintln!("note: this kernel lists AppArmor features; skipping");
        return;
    }
    assert_eq!(sha256(&reference.stdout), FALLBACK_SHA256);
}

#[test]
fn kernel_features_alone_do_not_pin_the_policy_abi() {
    // With only --kernel-features, a file without an abi rule gets 5.0.2's
    // default ABI: `network inet stream` is not enforced under debian-6.12
    // (its network_v8 is not in that ABI), so the blob equals the one with
    // the default ABI named, not the -M one.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p"), FALLBACK_PROFILE).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["compile", "--config-file=/dev/null", "-S", "p"];
        args.extend_from_slice(extra);
        let out = aaprof(dir.path(), &args);
        assert!(out.status.success(), "{out:?}");
        out.stdout
    };
    let kernel_only = run(&["--kernel-features", "builtin:debian-6.12"]);
    let named = run(&[
        "--kernel-features",
        "builtin:debian-6.12",
        "--policy-features",
        "builtin:apparmor-5.0-default-abi",
    ]);
    let pinned = run(&["-M", "builtin:debian-6.12"]);
    assert_eq!(kernel_only, named);
    assert_ne!(kernel_only, pinned);
}

#[test]
fn builtin_sets_equal_the_shared_files_and_compile_alike() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p"), FALLBACK_PROFILE).unwrap();
    for name in ["debian-6.1", "debian-6.12", "upstream-all"] {
        let file = shared.join(format!("features/{name}.txt"));
        let shown = aaprof(dir.path(), &["features", "show", name]);
        assert!(shown.status.success());
        assert_eq!(shown.stdout, std::fs::read(&file).unwrap(), "{name}");
        let compile = |features: &str| {
            let out = aaprof(
                dir.path(),
                &[
                    "compile",
                    "--config-file=/dev/null",
                    "-S",
                    "-M",
                    features,
                    "p",
                ],
            );
            assert!(out.status.success(), "{out:?}");
            out.stdout
        };
        assert_eq!(
            compile(&format!("builtin:{name}")),
            compile(file.to_str().unwrap()),
            "{name}"
        );
    }
}

#[test]
fn builtin_names_work_in_parser_conf_and_unknown_ones_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p"), FALLBACK_PROFILE).unwrap();
    std::fs::write(
        dir.path().join("conf"),
        "features-file=builtin:debian-6.12\n",
    )
    .unwrap();
    let conf = aaprof(dir.path(), &["compile", "--config-file=conf", "-S", "p"]);
    let flag = aaprof(
        dir.path(),
        &[
            "compile",
            "--config-file=/dev/null",
            "-S",
            "-M",
            "builtin:debian-6.12",
            "p",
        ],
    );
    assert!(conf.status.success() && flag.status.success());
    assert_eq!(conf.stdout, flag.stdout);
    let unknown = aaprof(
        dir.path(),
        &[
            "compile",
            "--config-file=/dev/null",
            "-S",
            "-M",
            "builtin:nope",
            "p",
        ],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("debian-6.12"));
}

#[test]
fn features_list_show_and_kernel() {
    let dir = tempfile::tempdir().unwrap();
    let list = aaprof(dir.path(), &["features", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    for name in [
        "debian-6.1",
        "debian-6.12",
        "upstream-all",
        "apparmor-5.0-no-kernel",
        "apparmor-5.0-default-abi",
    ] {
        assert!(text.lines().any(|l| l.starts_with(name)), "{name}: {text}");
    }
    assert!(text.contains("source: "));
    std::fs::write(dir.path().join("f"), "file {mask {read\n}\n}\n").unwrap();
    let file = aaprof(dir.path(), &["features", "show", "f"]);
    assert_eq!(file.stdout, b"file {mask {read\n}\n}\n");
    let kernel = aaprof(dir.path(), &["features", "kernel"]);
    if kernel_lists_features() {
        assert!(kernel.status.success());
    } else {
        assert_eq!(kernel.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&kernel.stderr).contains("lists no AppArmor features"));
    }
}

#[test]
fn whole_file_diagnostics_have_no_line() {
    // An abi file over libapparmor's size limit is an error about the
    // file, at no line of it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.abi"), "x".repeat(9000)).unwrap();
    std::fs::write(
        dir.path().join("p"),
        "abi \"big.abi\",\nprofile x { /a r, }\n",
    )
    .unwrap();
    let human = aaprof(
        dir.path(),
        &["compile", "--config-file=/dev/null", "-S", "p"],
    );
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(
        stderr.starts_with("p: features text of 9000 bytes"),
        "{stderr}"
    );
    assert!(!stderr.contains("p:1:"), "{stderr}");
    let json = aaprof(
        dir.path(),
        &[
            "compile",
            "--config-file=/dev/null",
            "-S",
            "--format",
            "json",
            "p",
        ],
    );
    let line: serde_json::Value =
        serde_json::from_slice(json.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(
        (line["file"].as_str(), line["line"].as_u64()),
        (Some("p"), Some(0))
    );
}

/// Debian's `apparmor-profiles` (unpacked by `.ci/run` into
/// `target/debian-apparmor-profiles`, or `$AAPROF_DEBIAN_PROFILES`),
/// compiled without kernel features, with and without a parser.conf
/// naming policy features: byte for byte what 5.0.2 writes.
#[test]
fn debian_profiles_without_features_match_the_reference() {
    let Some(parser) = parser_5_0() else {
        return;
    };
    let Some(shared) = support::shared_dir() else {
        return;
    };
    if kernel_lists_features() {
        eprintln!("note: this kernel lists AppArmor features; skipping");
        return;
    }
    let Some((etc, files)) = support::debian_profiles() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("parser.conf");
    std::fs::write(&conf, "policy-features=builtin:debian-6.12\n").unwrap();
    let reference_conf = dir.path().join("reference.conf");
    std::fs::write(
        &reference_conf,
        format!(
            "policy-features={}\n",
            shared.join("features/debian-6.12.txt").display()
        ),
    )
    .unwrap();
    let includes = [
        "-I".to_string(),
        etc.display().to_string(),
        "-I".to_string(),
        shared.join("corpus/base").display().to_string(),
    ];
    let mut differing = Vec::new();
    let null = std::path::PathBuf::from("/dev/null");
    for (ours_conf, reference_conf) in [(null.clone(), null), (conf, reference_conf)] {
        for file in &files {
            let reference = Command::new(&parser)
                .arg(format!("--config-file={}", reference_conf.display()))
                .args(["-Q", "-S", "-q", "-K"])
                .args(&includes)
                .arg(file)
                .output()
                .unwrap();
            let ours = Command::new(env!("CARGO_BIN_EXE_aaprof"))
                .arg("compile")
                .arg(format!("--config-file={}", ours_conf.display()))
                .args(["-S", "-q"])
                .args(&includes)
                .arg(file)
                .output()
                .unwrap();
            let same = reference.status.success() == ours.status.success()
                && reference.stdout == ours.stdout;
            if !same {
                differing.push(format!("{} ({})", file.display(), ours_conf.display()));
            }
        }
    }
    println!(
        "Debian apparmor-profiles without kernel features: {} of {} compiles identical to 5.0.2",
        2 * files.len() - differing.len(),
        2 * files.len()
    );
    assert!(differing.is_empty(), "{differing:#?}");
}

#[test]
fn without_kernel_features_the_cache_is_off_with_5_0_2s_warning() {
    if kernel_lists_features() {
        eprintln!("note: this kernel lists AppArmor features; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p"), FALLBACK_PROFILE).unwrap();
    let out = aaprof(
        dir.path(),
        &[
            "compile",
            "--config-file=/dev/null",
            "-W",
            "-L",
            "cache",
            "p",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Cache read/write disabled: interface file missing."),
        "{out:?}"
    );
    assert!(
        !dir.path()
            .join("cache")
            .join("733692a5.0")
            .join("p")
            .exists()
    );
    let strict = aaprof(
        dir.path(),
        &[
            "compile",
            "--config-file=/dev/null",
            "--Werror=cache",
            "-W",
            "-L",
            "cache",
            "p",
        ],
    );
    assert_eq!(strict.status.code(), Some(2), "{strict:?}");
}
