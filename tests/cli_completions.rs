//! `aaprof completions SHELL` and `aaprof man`: generated from the clap
//! definitions, so they name every subcommand and option.

use std::process::{Command, Output};

fn aaprof(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aaprof"))
        .args(args)
        .output()
        .unwrap()
}

const SUBCOMMANDS: &[&str] = &["check", "compile", "load", "preprocess", "names", "dump"];

#[test]
fn completion_scripts_name_the_subcommands_and_options() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = aaprof(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} script lacks {sub}");
        }
        assert!(script.contains("Werror"), "{shell} script lacks --Werror");
    }
    let bash = String::from_utf8_lossy(&aaprof(&["completions", "bash"]).stdout).into_owned();
    assert!(bash.contains("complete -F _aaprof"), "{bash}");
}

#[test]
fn unknown_shell_is_a_usage_error() {
    assert_eq!(aaprof(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_page_has_a_page_per_subcommand() {
    let out = aaprof(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH aaprof 1"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!(".TH aaprof-{sub} 1")),
            "no page for {sub}"
        );
    }
    // Options and the exit-status text come through.
    assert!(page.contains("features\\-file"), "no --features-file");
    assert!(page.contains("Exit status"), "no exit status");
}
