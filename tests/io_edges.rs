//! Signals and I/O edges (issue 7): unreadable files, directories given as
//! files, non-UTF-8 bytes and over-long lines give diagnostics, never
//! panics; Ctrl-C during a directory compile leaves no temporary or
//! partial file.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::run::{aaprof_in, compile_in, example_features};

fn compile(dir: &Path, inputs: &[&str]) -> Output {
    let mut args = vec!["-S"];
    args.extend(inputs);
    compile_in(dir, &args)
}

/// No panic message, and the exit status is the documented one.
fn assert_diagnosed(out: &Output, status: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(status), "{stderr}");
    assert!(stderr.contains(needle), "expected `{needle}` in:\n{stderr}");
}

#[test]
fn an_unreadable_file_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret");
    std::fs::write(&path, "profile s { /x r, }\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Root reads anything; the missing file stands in for it.
        let out = compile(dir.path(), &["missing"]);
        assert_diagnosed(&out, 2, "missing");
        return;
    }
    let out = compile(dir.path(), &["secret"]);
    assert_diagnosed(&out, 1, "cannot read");
}

#[test]
fn a_missing_file_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = compile(dir.path(), &["nowhere"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr.contains("nowhere"), "{stderr}");
}

#[test]
fn a_directory_included_as_a_file_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/inner"), "/x r,\n").unwrap();
    // A directory as an include target is read file by file (upstream's
    // rule); a directory where the profile itself is expected is an error
    // unless it holds profiles. Both must come back without a panic.
    std::fs::write(
        dir.path().join("p"),
        "profile p {\n  include \"sub/inner/\"\n}\n",
    )
    .unwrap();
    let out = compile(dir.path(), &["p"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("sub/inner"), "{stderr}");
}

#[test]
fn non_utf8_bytes_are_a_diagnostic_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bin"),
        b"profile b {\n  /x\xff\xfe r,\n  \x00\x01 }\n",
    )
    .unwrap();
    let out = compile(dir.path(), &["bin"]);
    assert_diagnosed(&out, 1, "bin:");
}

#[test]
fn an_over_long_line_is_a_diagnostic_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    // One 4 MiB line: a path far beyond any kernel buffer.
    let text = format!("profile long {{ /{} r, }}\n", "a".repeat(4 << 20));
    std::fs::write(dir.path().join("long"), text).unwrap();
    let started = Instant::now();
    let out = compile(dir.path(), &["long"]);
    assert_diagnosed(&out, 1, "long");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

/// Profiles that each take a noticeable time to compile; their paths.
fn slow_profiles(dir: &Path) -> Vec<String> {
    (0..80)
        .map(|n| {
            let name = format!("p{n}");
            let rules: String = (0..60)
                .map(|r| format!("  /srv/{n}/{r}/**/x{{a,b,c}}*/** rw,\n"))
                .collect();
            std::fs::write(dir.join(&name), format!("profile {name} {{\n{rules}}}\n")).unwrap();
            dir.join(name).display().to_string()
        })
        .collect()
}

/// Every file under `dir`, recursively, relative names.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

/// aaprof's temporary names: `.NAME.aaprof-PID-SERIAL`.
fn is_temporary(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    name.starts_with('.')
        && name
            .rsplit_once(".aaprof-")
            .and_then(|(_, tail)| tail.split_once('-'))
            .is_some_and(|(pid, serial)| is_number(pid) && is_number(serial))
}

/// `aaprof compile -j 1 ARGS INPUTS` with the example features.
fn compile_command(args: &[String], inputs: &[String]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aaprof"));
    command
        .args([
            "compile",
            "--config-file=/dev/null",
            "-j",
            "1",
            "--features-file",
        ])
        .arg(example_features())
        .args(args)
        .args(inputs)
        .stderr(Stdio::null());
    command
}

/// Runs [`compile_command`] and sends SIGINT after `delay`; returns the
/// exit status.
fn interrupt_after(
    args: &[String],
    inputs: &[String],
    delay: Duration,
) -> std::process::ExitStatus {
    let mut child = compile_command(args, inputs)
        .spawn()
        .expect("aaprof starts");
    std::thread::sleep(delay);
    // `kill` from the shell keeps the test free of libc.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    child.wait().expect("aaprof ends")
}

/// Sends SIGINT to a compile of many profiles into a directory, and to a
/// cache write, at several moments of the run (fractions of an
/// uninterrupted run's time, so the test holds on fast and slow machines);
/// whenever it lands, no temporary (`.NAME.aaprof-PID-SERIAL`) or partial file
/// remains, and an interrupted run exits 130.
#[test]
fn ctrl_c_during_a_directory_compile_or_cache_write_leaves_no_temporary_file() {
    let src = tempfile::tempdir().unwrap();
    let inputs = slow_profiles(src.path());
    let mut interrupted = 0;
    for cache in [false, true] {
        let args_for = |target: String| -> Vec<String> {
            match cache {
                false => vec!["-o".into(), target],
                true => vec!["--write-cache".into(), "-L".into(), target],
            }
        };
        let whole = {
            let out = tempfile::tempdir().unwrap();
            let started = Instant::now();
            let status = compile_command(&args_for(out.path().display().to_string()), &inputs)
                .status()
                .expect("aaprof runs");
            assert!(status.success());
            started.elapsed()
        };
        println!("uninterrupted run (cache {cache}): {whole:?}");
        for fraction in [0.2, 0.4, 0.6, 0.8] {
            let out = tempfile::tempdir().unwrap();
            let args = args_for(out.path().display().to_string());
            let delay = whole.mul_f64(fraction);
            let delay_ms = delay.as_millis();
            let status = interrupt_after(&args, &inputs, delay);
            let files = files_under(out.path());
            assert!(
                !files.iter().any(|f| is_temporary(f)),
                "temporary files left after SIGINT at {delay_ms} ms: {files:?}"
            );
            let blobs: Vec<&String> = files
                .iter()
                .filter(|f| !f.rsplit('/').next().unwrap_or("").starts_with('.'))
                .collect();
            if status.success() {
                assert_eq!(
                    blobs.len(),
                    inputs.len(),
                    "a successful run wrote every blob"
                );
                continue;
            }
            interrupted += 1;
            assert_eq!(status.code(), Some(130), "interrupted runs exit 130");
            for blob in blobs {
                let bytes = std::fs::read(blob).unwrap();
                aaprof::blob::read_records(&bytes).expect("every blob written is complete");
            }
        }
    }
    assert!(
        interrupted > 1,
        "too few runs were long enough to interrupt"
    );
}

#[test]
fn directories_where_files_are_expected_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("p"), "profile p { /a r, }\n").unwrap();
    let out = aaprof_in(dir.path(), &["compile", "--config-file=d", "-S", "p"]);
    assert_diagnosed(&out, 2, "cannot read config file d: Is a directory");
    let out = aaprof_in(dir.path(), &["dump", "d"]);
    assert_diagnosed(&out, 2, "d: Is a directory");
    let out = compile_in(dir.path(), &["-o", "d/missing/x.bin", "p"]);
    assert_diagnosed(&out, 2, "cannot write d/missing/x.bin");
}

/// A policy directory as apparmor_parser 5.0.2 reads one, whether named on
/// the command line or included: links to files count as the files,
/// subdirectories and links to directories are skipped, a dangling link
/// is an error for that entry while the other files still compile.
/// (Observed with the reference: `-N DIR` prints the profiles of `a` and
/// of the link `b`; an included directory yields `/a r,` and `/b r,`
/// only; a dangling link makes both fail.)
#[test]
fn policy_directories_follow_links_to_files_and_skip_directories() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let elsewhere = root.join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("sub")).unwrap();
    std::fs::write(elsewhere.join("b"), "profile b { /b r, }\n").unwrap();
    std::fs::write(elsewhere.join("sub/c"), "profile c { /c r, }\n").unwrap();
    let policy = root.join("policy");
    std::fs::create_dir_all(policy.join("subdir")).unwrap();
    std::fs::write(policy.join("a"), "profile a { /a r, }\n").unwrap();
    std::fs::write(policy.join("subdir/d"), "profile d { /d r, }\n").unwrap();
    symlink(elsewhere.join("b"), policy.join("b")).unwrap();
    symlink(elsewhere.join("sub"), policy.join("dirlink")).unwrap();

    let names = aaprof_in(root, &["names", "--config-file=/dev/null", "policy"]);
    assert!(names.status.success(), "{names:?}");
    assert_eq!(String::from_utf8_lossy(&names.stdout), "a\nb\n");

    std::fs::write(root.join("main"), "profile m {\n  include \"policy\"\n}\n").unwrap();
    let pre = aaprof_in(root, &["preprocess", "--config-file=/dev/null", "main"]);
    let text = String::from_utf8_lossy(&pre.stdout);
    assert!(pre.status.success(), "{pre:?}");
    assert!(
        text.contains("profile a") && text.contains("profile b"),
        "{text}"
    );
    assert!(
        !text.contains("profile c") && !text.contains("profile d"),
        "{text}"
    );

    symlink(root.join("nowhere"), policy.join("dangling")).unwrap();
    let names = aaprof_in(root, &["names", "--config-file=/dev/null", "policy"]);
    assert_eq!(String::from_utf8_lossy(&names.stdout), "a\nb\n");
    assert_diagnosed(&names, 1, "dangling");
    let pre = aaprof_in(root, &["preprocess", "--config-file=/dev/null", "main"]);
    assert_diagnosed(&pre, 1, "dangling");
}
