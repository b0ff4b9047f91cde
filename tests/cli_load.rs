//! `aaprof load` (and `compile -a/-r/-R`) against a stand-in for the
//! kernel's interface directory (`-f DIR` with plain `.load`, `.replace`
//! and `.remove` files): what each action writes where, the cache's use,
//! and the errors. The real kernel: tests/kernel_loading.rs.

mod support;

use std::path::Path;
use support::run::{aaprof_in, compile_in, example_features};

/// A directory with the three interface files, empty.
fn fake_apparmorfs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in [".load", ".replace", ".remove"] {
        std::fs::write(dir.path().join(name), b"").expect("interface file");
    }
    dir
}

/// `aaprof load --config-file=/dev/null -M EXAMPLE -f FS ARGS...` in `dir`.
fn load_in(dir: &Path, fs: &Path, args: &[&str]) -> std::process::Output {
    let features = example_features();
    let fs = fs.display().to_string();
    let mut all = vec![
        "load",
        "--config-file=/dev/null",
        "--features-file",
        &features,
        "-f",
        &fs,
    ];
    all.extend(args);
    aaprof_in(dir, &all)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const GOOD: &str = "profile good {\n  /etc/good r,\n}\n";
const BAD: &str = "profile half_ok {\n  /x r,\n}\nprofile bad {\n  capability nope,\n}\n";

fn sources() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("good"), GOOD).unwrap();
    std::fs::write(dir.path().join("bad"), BAD).unwrap();
    dir
}

#[test]
fn add_and_replace_write_the_compiled_blob() {
    let src = sources();
    let blob = compile_in(src.path(), &["-S", "good"]).stdout;
    assert!(!blob.is_empty());
    let fs = fake_apparmorfs();
    let out = load_in(src.path(), fs.path(), &["-K", "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(fs.path().join(".load")).unwrap(), blob);
    let fs = fake_apparmorfs();
    let out = load_in(src.path(), fs.path(), &["-r", "-K", "-v", "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(fs.path().join(".replace")).unwrap(), blob);
    assert_eq!(std::fs::read(fs.path().join(".load")).unwrap(), b"");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(said, "Replaced \"good\" (good)\n");
}

#[test]
fn remove_writes_the_name_and_its_nul() {
    let src = sources();
    let fs = fake_apparmorfs();
    let out = load_in(src.path(), fs.path(), &["-R", "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(fs.path().join(".remove")).unwrap(), b"good\0");
}

/// A file with an error loads nothing of itself; the other files load.
#[test]
fn a_failing_file_loads_nothing() {
    let src = sources();
    let fs = fake_apparmorfs();
    let out = load_in(src.path(), fs.path(), &["-K", "bad"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown capability"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(fs.path().join(".load")).unwrap(), b"");
    let out = load_in(src.path(), fs.path(), &["-K", "bad", "good"]);
    assert_eq!(out.status.code(), Some(1));
    let blob = compile_in(src.path(), &["-S", "good"]).stdout;
    assert_eq!(std::fs::read(fs.path().join(".load")).unwrap(), blob);
}

#[test]
fn the_cache_is_read_by_default_and_written_with_w() {
    let src = sources();
    let cache = tempfile::tempdir().unwrap();
    let loc = cache.path().display().to_string();
    let fs = fake_apparmorfs();
    let run = |args: &[&str]| {
        let mut all = vec!["-r", "-k", "-L", &loc];
        all.extend(args);
        let out = load_in(src.path(), fs.path(), &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stderr(&out)
    };
    assert!(run(&["good"]).contains("cache miss: good"));
    assert!(run(&["-W", "good"]).contains("cache miss: good"));
    assert!(run(&["good"]).contains("cache hit: good"));
    // -T: compiled again even though the entry is fresh (and rewritten).
    assert!(run(&["-T", "-W", "good"]).contains("cache miss: good"));
    // -K: no cache, so nothing to report.
    assert!(!run(&["-K", "good"]).contains("cache"));
    // The entry is apparmor_parser's file, named by the basename.
    let dirs: Vec<_> = std::fs::read_dir(cache.path()).unwrap().collect();
    assert_eq!(dirs.len(), 1);
    let entry = dirs[0].as_ref().unwrap().path().join("good");
    let blob = compile_in(src.path(), &["-S", "good"]).stdout;
    assert_eq!(std::fs::read(entry).unwrap(), blob);
}

#[test]
fn skip_kernel_load_writes_nothing() {
    let src = sources();
    let fs = fake_apparmorfs();
    let out = load_in(src.path(), fs.path(), &["-r", "-Q", "-K", "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(fs.path().join(".replace")).unwrap(), b"");
}

/// A refused write names the errno and its meaning (`/dev/full` refuses
/// every write with ENOSPC).
#[test]
fn a_refused_write_names_the_errno() {
    let src = sources();
    let fs = fake_apparmorfs();
    std::fs::remove_file(fs.path().join(".load")).unwrap();
    std::os::unix::fs::symlink("/dev/full", fs.path().join(".load")).unwrap();
    let out = load_in(src.path(), fs.path(), &["-K", "good"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("good: cannot load \"good\": ENOSPC (errno 28): "),
        "{err}"
    );
}

#[test]
fn no_interface_is_a_usage_error() {
    let src = sources();
    let empty = tempfile::tempdir().unwrap();
    let out = load_in(src.path(), empty.path(), &["-K", "good"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no AppArmor policy interface"));
    // Without a features file, the kernel's are read from DIR/features.
    let out = aaprof_in(
        src.path(),
        &[
            "load",
            "--config-file=/dev/null",
            "-f",
            &empty.path().display().to_string(),
            "good",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("features"), "{}", stderr(&out));
}

#[test]
fn compile_takes_apparmor_parser_letters() {
    let src = sources();
    let fs = fake_apparmorfs();
    let fs_arg = fs.path().display().to_string();
    // Without -Q, -r loads.
    let out = compile_in(src.path(), &["-r", "-K", "-f", &fs_arg, "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let blob = compile_in(src.path(), &["-S", "good"]).stdout;
    assert_eq!(std::fs::read(fs.path().join(".replace")).unwrap(), blob);
    // With -Q only compiles.
    let out = compile_in(src.path(), &["-R", "-Q", "-K", "-f", &fs_arg, "good"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(fs.path().join(".remove")).unwrap(), b"");
    // A load and an output at once: apparmor_parser's "too many actions".
    let out = compile_in(src.path(), &["-r", "-S", "good"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not with -S"), "{}", stderr(&out));
    // Two actions.
    let out = compile_in(src.path(), &["-a", "-r", "good"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `-B`: blobs go to the kernel as they are; removal needs sources.
#[test]
fn binary_blobs_load_as_they_are() {
    let src = sources();
    let blob = compile_in(src.path(), &["-S", "good"]).stdout;
    std::fs::write(src.path().join("good.bin"), &blob).unwrap();
    let fs = fake_apparmorfs();
    let out = load_in(src.path(), fs.path(), &["-r", "-B", "-v", "good.bin"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(fs.path().join(".replace")).unwrap(), blob);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(said, "Replaced \"good\" (good.bin)\n");
    let out = load_in(src.path(), fs.path(), &["-R", "-B", "good.bin"]);
    assert_eq!(out.status.code(), Some(2));
}
