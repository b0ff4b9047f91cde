//! Cross-check of the file-rule encoding and the combination semantics
//! against the 4.1 parser (`../shared/tools/apparmor-parser-4.1`).
//!
//! For each case the profile text is compiled by the 4.1 parser with the
//! Debian 6.1 features (packed accept words); its file DFA is decoded and
//! walked with probe strings. The expected words come from this crate: the
//! rules whose expression matches the probe are combined and packed. A tiny
//! derivative matcher stands in for the DFA, which lives elsewhere.

#[path = "encode_common/mod.rs"]
mod common;
mod support;

use aaprof::dfa::Accept;
use aaprof::encode::{EncodeTarget, FileRecord, encode_file_rules};
use common::{compile, file_dfa, predicted_words, profile, shared};

/// Checks every probe; returns the number of probes compared.
fn check(rules: &[&str], probes: &[&[u8]]) -> usize {
    let text: String = rules.iter().map(|r| format!("{r}, ")).collect();
    let Some(blob) = compile(&text) else {
        panic!("the 4.1 parser rejected (or could not run) `{text}`");
    };
    let dfa = file_dfa(&blob);
    let profile = profile("t", rules);
    for probe in probes {
        let expected = predicted_words(&profile, probe);
        assert_eq!(
            dfa.walk(probe),
            expected,
            "probe {:?} in `{text}`",
            String::from_utf8_lossy(probe)
        );
    }
    probes.len()
}

fn tool_available() -> bool {
    shared().join("tools/apparmor-parser-4.1").exists()
}

#[test]
fn combined_states_match_the_parser() {
    if !tool_available() {
        eprintln!("skipping: 4.1 parser not found");
        return;
    }
    let mut probes = 0;
    probes += check(
        &[
            "/a px",
            "/* Ux",
            "/b r",
            "deny /b w",
            "audit /c rw",
            "/d rl",
        ],
        &[b"/a", b"/b", b"/c", b"/d", b"/e", b"/d\0/x", b"/", b"/aa"],
    );
    probes += check(
        &[
            "priority=3 /e r",
            "priority=-3 deny /e r",
            "priority=1 deny /f w",
            "/f rw",
            "/g r",
            "deny /g r",
            "audit deny /h w",
            "/h rw",
        ],
        &[b"/e", b"/f", b"/g", b"/h"],
    );
    probes += check(
        &[
            "/usr/bin/foo px",
            "/usr/bin/* Cx -> child",
            "owner /usr/bin/bar ix",
            "other /usr/bin/bar ux",
            "/usr/bin/baz pix -> other",
            "/usr/bin/{x,y} cux",
        ],
        &[
            b"/usr/bin/foo",
            b"/usr/bin/bar",
            b"/usr/bin/baz",
            b"/usr/bin/qux",
            b"/usr/bin/x",
            b"/usr/bin/y",
        ],
    );
    probes += check(
        &[
            "deny /y x",
            "/y px",
            "/z pix",
            "/z2 Cix",
            "/w PUx",
            "deny /v mx",
            "/v* ix",
        ],
        &[b"/y", b"/z", b"/z2", b"/w", b"/v", b"/vv"],
    );
    probes += check(
        &[
            "link subset /l1 -> /l2",
            "/l3 l",
            "owner /l4 rl",
            "deny /l5 rl",
            "/l5 rwl",
            "other /l6 l",
        ],
        &[
            b"/l1",
            b"/l1\0/l2",
            b"/l3",
            b"/l3\0/foo",
            b"/l4",
            b"/l4\0/a",
            b"/l5",
            b"/l5\0/b",
            b"/l6\0/c",
        ],
    );
    probes += check(
        &[
            "change_profile /bin/x -> foo",
            "change_profile unsafe /bin/y -> bar",
            "change_profile -> baz",
            "/bin/** r",
        ],
        &[
            b"foo",
            b"baz",
            b"/bin/x",
            b"/bin/x\0foo",
            b"/bin/y\0bar",
            b"/bin/z",
            b"/bin/z\0baz",
            b"/etc/passwd",
        ],
    );
    probes += check(
        &[
            "/home/*/** rw",
            "/home/** r",
            "owner /home/*/.cache/** rwk",
            "/**/ r",
        ],
        &[
            b"/home/a/b",
            b"/home/a/.cache/x",
            b"/home/",
            b"/home/a/",
            b"/x/",
        ],
    );
    assert!(probes > 40);
}

#[test]
fn conflicting_exec_modes_fail_like_the_parser() {
    if !tool_available() {
        eprintln!("skipping: 4.1 parser not found");
        return;
    }
    assert!(compile("/a px, /a ix,").is_none());
    let profile = profile("t", &["/a px", "/a ix"]);
    let encoded = encode_file_rules(&profile, &EncodeTarget::default()).unwrap();
    let records: Vec<&FileRecord> = encoded.rules.iter().map(|(_, record)| record).collect();
    assert!(FileRecord::combine(&records).is_err());
}
