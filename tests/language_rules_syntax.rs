//! Syntax rules of apparmor_parser 5.0.2's lexer and grammar (issue 12),
//! each checked with profile text written for this test
//! (`tests/data/language_rules_syntax.tsv`, rows made by
//! `scripts/language-rule-rows`): 5.0.2's verdict, and for an accepted
//! profile the sha256 of its blob, under the upstream-all and debian-6.12
//! features (here the project's copies `fixtures/features/legacy-network.txt`
//! and `network-v8.txt`, so the test needs no `../shared`). A rejected
//! profile must get an error with a place in the file.
//!
//! The rules:
//! - a variable definition may have blanks, line ends and comments between
//!   the variable and its operator (`@{X}\n  = a`); the values follow the
//!   operator on its line;
//! - a profile name follows `profile`/`hat` on the same line (blanks only
//!   between; `profile #c` names `#c`) and `^` directly; `profile/a`
//!   names `/a`;
//! - `include`/`abi` `<...>` holds a name without quotes, tabs or line
//!   ends (not only blanks), or is `<"name">`;
//! - `#include` (no blank after `#`: `# include` is a comment) is an
//!   include whatever follows it on its line (`#includex` includes `x`),
//!   a bare `include` needs a blank after it; `if exists` needs blanks
//!   around it on the keyword's line (else `if` is the name); the name may
//!   follow on a later line, never after a comment;
//! - a `{` starting a token in the ordinary lexer state opens a block: a
//!   bare `{ ... }` block is valid in a profile (its child profiles are
//!   dropped, as in qualifier blocks), `r {/a,/b},` is an error;
//! - a file or link path is judged as written: `/...`, a variable, or a
//!   plain name that is no keyword (`foo r,` is accepted); a word of
//!   permission letters is the permissions; `->` takes any target; the
//!   change_profile exec condition passes when written as a variable;
//! - a condition value may start with `=` or `#` (`bus= =system`);
//! - where a token ends depends on the lexer state the rule's class
//!   keyword picks: in the ordinary state a name is letters, digits and
//!   `_` (`/c r,deny /d r,` is two rules, `file,}` ends the block,
//!   `profile a {}` is an empty profile), a path runs through commas
//!   followed by a word character, `->` takes one identifier of any
//!   characters (`-> a=b`), other characters are lexical errors and
//!   permissions end only at a blank or a comma (`/a px->b,` is an error);
//!   network, unix, dbus, mount, signal, ptrace, mqueue words run through
//!   commas (`network inet,network inet6,` is one bad rule); change_profile
//!   reads identifiers of any characters (`change_profile ->x,`);
//! - tokens come in each class's grammar order: access, (network family
//!   and type), conditions, one `peer=(...)` group; mqueue's name last;
//!   mount, umount, pivot_root conditions before the path;
//! - `@{` then a non-letter is a bad variable (`@{1V}`), a comma first
//!   makes a literal `@` (`@{V,x}`); a file rule's named transition is
//!   never expanded (`/a px -> @{V},` names `@{V}`), a link target is;
//! - `key=()` is an error except for the groups `peer=()`/`xattrs=()`; in
//!   a group a quoted string only follows `key=`; signal and ptrace take
//!   no `peer=(...)` group;
//! - in a word a backslash is a character too, so two backslashes are no
//!   escape pair: the second still escapes a blank, quote or `!` after it
//!   (`/a\\ b r,` is the path `/a\\ b`, `/a\\ r,` the word `/a\\ r`).

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use std::path::Path;
use support::variant_table::{cases, sha256};

const DATA: &str = include_str!("data/language_rules_syntax.tsv");
const FEATURES: [(&str, &str); 2] = [
    ("upstream-all", "fixtures/features/legacy-network.txt"),
    ("debian-6.12", "fixtures/features/network-v8.txt"),
];

#[test]
fn syntax_rule_variants_match_apparmor_parser_5_0_2() {
    let cases = cases(DATA);
    assert!(cases.len() > 10, "data file holds {} cases", cases.len());
    let mut failures = Vec::new();
    for (index, (features, file)) in FEATURES.into_iter().enumerate() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read(&path).expect("features fixture");
        let set = FeatureSet::from_text(text).expect("features");
        let session = Session::new(resolve::Options::default(), FeatureSources::both(set));
        for case in &cases {
            let compiled = session.compile_input(&Input::Text {
                name: "-".into(),
                text: case.text.clone(),
            });
            let ours = compiled.blob.as_deref().map(sha256);
            let expected = &case.expected[index];
            let error = compiled.diagnostics.iter().find(|d| d.is_error());
            let why = match (expected, &ours) {
                (Some(_), None) => Some(format!(
                    "rejected: {}",
                    error.map(|d| d.message.clone()).unwrap_or_default()
                )),
                (None, Some(_)) => Some("accepted, 5.0.2 rejects it".into()),
                (Some(e), Some(o)) if e != o => Some("blob differs".into()),
                (None, None) if error.is_none_or(|d| d.location.is_none()) => {
                    Some("rejected without an error at a place in the file".into())
                }
                _ => None,
            };
            if let Some(why) = why {
                failures.push(format!("[{features}] {}: {why}", case.name));
            }
        }
        println!("syntax rules ({features}): {} cases", cases.len());
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
