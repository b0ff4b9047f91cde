//! `--config-file`: parser.conf read as apparmor_parser reads it, before
//! the command line: `Include` lines (both `Include DIR` and
//! `Include=DIR`) accumulate ahead of `-I`, comments and blank lines are
//! skipped, single-valued options are overridden by the command line,
//! unknown options are `config` warnings.

mod support;

use std::path::{Path, PathBuf};
use support::builtin_features;
use support::run::aaprof;

/// Two include directories, each with `abstractions/x` (different rules),
/// and `only-conf/abstractions/y` known only through parser.conf.
struct Dirs {
    root: tempfile::TempDir,
}

impl Dirs {
    fn new() -> Dirs {
        let root = tempfile::tempdir().unwrap();
        for (dir, rule) in [("conf-inc", "/from/conf r,"), ("cli-inc", "/from/cli r,")] {
            let abs = root.path().join(dir).join("abstractions");
            std::fs::create_dir_all(&abs).unwrap();
            std::fs::write(abs.join("x"), format!("{rule}\n")).unwrap();
        }
        let abs = root.path().join("only-conf/abstractions");
        std::fs::create_dir_all(&abs).unwrap();
        std::fs::write(abs.join("y"), "/from/y r,\n").unwrap();
        Dirs { root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    /// Writes parser.conf with `text` (`{root}` replaced) and returns it.
    fn conf(&self, text: &str) -> PathBuf {
        let path = self.path("parser.conf");
        let text = text.replace("{root}", &self.root.path().display().to_string());
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn conf_arg(path: &Path) -> String {
    format!("--config-file={}", path.display())
}

const USES_X: &str = "profile p {\n  include <abstractions/x>\n}\n";
const USES_Y: &str = "profile p {\n  include <abstractions/y>\n}\n";

#[test]
fn include_dirs_come_from_the_conf_with_comments_skipped() {
    let dirs = Dirs::new();
    let conf = dirs.conf(
        "# parser.conf\n\n   # indented comment\nInclude={root}/only-conf\nInclude {root}/conf-inc\n",
    );
    let out = aaprof(&[args(&["check"]), vec![conf_arg(&conf)]].concat(), USES_Y);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    // Without the conf the include is not found.
    let out = aaprof(&args(&["check", "--config-file=/dev/null"]), USES_Y);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn conf_include_dirs_are_searched_before_command_line_ones() {
    let dirs = Dirs::new();
    let conf = dirs.conf("Include {root}/conf-inc\n");
    let cli = dirs.path("cli-inc").display().to_string();
    let out = aaprof(
        &[
            args(&["preprocess"]),
            vec![conf_arg(&conf), "-I".into(), cli.clone()],
        ]
        .concat(),
        USES_X,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("/from/conf r,") && !text.contains("/from/cli"),
        "{text}"
    );
    // With no conf, the -I directory is used.
    let out = aaprof(
        &args(&["preprocess", "--config-file=/dev/null", "-I", &cli]),
        USES_X,
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("/from/cli r,"));
}

#[test]
fn the_command_line_overrides_single_valued_options() {
    let dirs = Dirs::new();
    // The conf names a features file that does not exist; -M replaces it.
    let conf = dirs.conf("features-file /no/such/features\n");
    let profile = "profile p {\n  /x r,\n}\n";
    let out = aaprof(&[args(&["check"]), vec![conf_arg(&conf)]].concat(), profile);
    assert_eq!(out.status.code(), Some(2));
    let features = builtin_features("debian-6.1").display().to_string();
    let out = aaprof(
        &[
            args(&["check"]),
            vec![conf_arg(&conf), "-M".into(), features],
        ]
        .concat(),
        profile,
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn unknown_options_are_config_warnings_with_file_and_line() {
    let dirs = Dirs::new();
    let conf = dirs.conf("# x\nwrite-cache\nbogus-option\n");
    let run = |extra: &[&str]| {
        aaprof(
            &[args(&["check"]), vec![conf_arg(&conf)], args(extra)].concat(),
            "profile p {\n  /x r,\n}\n",
        )
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}:3: unknown option (bogus-option) in config file",
            conf.display()
        )),
        "{err}"
    );
    assert!(!err.contains("write-cache"), "{err}");
    assert!(run(&["--no-warn=config"]).stderr.is_empty());
    assert_eq!(run(&["--Werror=config"]).status.code(), Some(2));
}

#[test]
fn optimize_lines_accumulate_and_unsupported_ones_warn() {
    let dirs = Dirs::new();
    let conf =
        dirs.conf("Optimize=compress-fast\nOptimize no-minimize\nOptimize=no-expr-simplify\n");
    let out = aaprof(
        &[args(&["check"]), vec![conf_arg(&conf)]].concat(),
        "profile p {\n  /x r,\n}\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":2: Optimize=no-minimize is not supported"),
        "{err}"
    );
    assert!(
        err.contains(":3: Optimize=no-expr-simplify is not supported"),
        "{err}"
    );
    assert!(!err.contains("compress-fast"), "{err}");
}

#[test]
fn bad_values_and_missing_files_are_usage_errors() {
    let dirs = Dirs::new();
    for text in ["Include\n", "warn=nonsense\n"] {
        let conf = dirs.conf(text);
        let out = aaprof(
            &[args(&["check"]), vec![conf_arg(&conf)]].concat(),
            "profile p {\n  /x r,\n}\n",
        );
        assert_eq!(out.status.code(), Some(2), "{text}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("parser.conf:1"));
    }
    let out = aaprof(
        &args(&["check", "--config-file=/no/such/parser.conf"]),
        "profile p {}\n",
    );
    assert_eq!(out.status.code(), Some(2));
}
