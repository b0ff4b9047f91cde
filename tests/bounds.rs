//! The bounds that keep a compile finite (issue 7): each one fails the
//! input with a message naming the culprit and exit status 1, and leaves no
//! output file.

mod support;

use support::run::{aaprof_in, compile_in};

#[test]
fn dfa_state_limit_names_the_profile_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p"),
        "profile wide {\n  /a/**/b/**/c/** r,\n  /x/*/y/* w,\n}\n",
    )
    .unwrap();
    let out = compile_in(dir.path(), &["--max-states", "5", "-o", "out.bin", "p"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("profile wide: file DFA: the DFA exceeds the limit of 5 states"),
        "{stderr}"
    );
    assert!(!dir.path().join("out.bin").exists());
    // The same input within the default bound compiles.
    let out = compile_in(dir.path(), &["-o", "out.bin", "p"]);
    assert!(out.status.success());
    assert!(dir.path().join("out.bin").exists());
}

#[test]
fn include_depth_limit_shows_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    // a0 includes a1 includes ... a99: deeper than the include limit.
    for n in 0..100 {
        std::fs::write(
            dir.path().join(format!("a{n}")),
            format!("include \"a{}\"\n", n + 1),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("a100"), "/x r,\n").unwrap();
    std::fs::write(
        dir.path().join("p"),
        "profile deep {\n  include \"a0\"\n}\n",
    )
    .unwrap();
    let out = aaprof_in(
        dir.path(),
        &["check", "--config-file=/dev/null", "-I", ".", "p"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("deep") || stderr.contains("include"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a0"),
        "the include chain is shown: {stderr}"
    );
}

/// Compiles `text` (file `p` in a fresh directory) to `out.bin`; returns
/// the exit code and stderr, after checking no output was left behind on
/// failure.
fn compile_text(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p"), text).unwrap();
    let started = std::time::Instant::now();
    let out = compile_in(dir.path(), &["-o", "out.bin", "p"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    println!(
        "exit {:?} after {:?}:\n{}",
        out.status.code(),
        started.elapsed(),
        stderr.lines().take(3).collect::<Vec<_>>().join("\n")
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "a bound must stop the compile quickly"
    );
    if !out.status.success() {
        assert!(!dir.path().join("out.bin").exists());
    }
    (out.status.code(), stderr)
}

#[test]
fn variable_expansion_size_names_the_variable_and_line() {
    // 10 values, then 10^4, then 10^12 combinations.
    let (code, stderr) = compile_text(
        "@{A} = a b c d e f g h i j\n@{B} = @{A}@{A}@{A}@{A}\n@{C} = @{B}@{B}@{B}\nprofile t {\n  /x/@{C} r,\n}\n",
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("p:5:")
            && stderr.contains("variable @{C} expands to more than 65536 values"),
        "{stderr}"
    );
}

#[test]
fn alternations_are_never_expanded_and_their_nesting_is_bounded() {
    // 2^60 strings as a concatenation of alternations: no stage expands
    // them, so this compiles at once.
    let (code, stderr) = compile_text(&format!("profile t {{\n  /{} r,\n}}\n", "{a,b}".repeat(60)));
    assert_eq!(code, Some(0), "{stderr}");
    // Nesting beyond the AARE parser's depth names the rule.
    let nested = format!("{}x{}", "{a,".repeat(60), "}".repeat(60));
    let (code, stderr) = compile_text(&format!("profile t {{\n  /{nested} r,\n}}\n"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("p:2:") && stderr.contains("alternations nested deeper than 49"),
        "{stderr}"
    );
}

#[test]
fn block_nesting_depth_is_bounded() {
    let text = format!(
        "profile t {{ {} }}\n",
        "if true { ".repeat(500) + &"} ".repeat(500)
    );
    let (code, stderr) = compile_text(&text);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nested deeper than 128 levels"), "{stderr}");
}

#[test]
fn pattern_length_is_bounded() {
    let (code, stderr) = compile_text(&format!(
        "profile t {{\n  /{} r,\n}}\n",
        "a".repeat(300_000)
    ));
    assert_eq!(code, Some(1), "{stderr}");
    // The message is placed at the rule and shows its pattern cut short,
    // not 100 kB of it (nor the line in a source snippet).
    assert!(
        stderr.contains("p:2:3: invalid pattern `/aaaa")
            && stderr
                .contains("...`: pattern of 300001 bytes is longer than the limit of 262144 bytes"),
        "{stderr}"
    );
    assert!(stderr.len() < 4096, "{} bytes of diagnostics", stderr.len());
}

#[test]
fn automaton_size_is_bounded_by_positions() {
    // 5 MB of rules, each pattern within the length bound: more positions
    // than one automaton may hold.
    let rules: String = (0..640)
        .map(|n| format!("  /{n}/{} r,\n", "b".repeat(8000)))
        .collect();
    let (code, stderr) = compile_text(&format!("profile huge {{\n{rules}}}\n"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("profile huge")
            && stderr.contains("pattern positions, more than the limit of 4194304"),
        "{stderr}"
    );
}
