//! File-rule encodings, checked against the 4.1 parser's `-D rule-exprs`
//! output (rule permission words) and the spec's verified examples.

use super::*;
use crate::dfa::Accept;
use crate::encode::pack::accept_words;
use crate::model::{Origin, Ownership, Rule};

fn access(letters: &str, exec: Option<ExecMode>) -> FileAccess {
    FileAccess {
        read: letters.contains('r'),
        write: letters.contains('w'),
        append: letters.contains('a'),
        mmap_exec: letters.contains('m'),
        lock: letters.contains('k'),
        link: letters.contains('l'),
        exec,
    }
}

fn file(path: &str, letters: &str, exec: Option<ExecMode>, target: Option<&str>) -> RuleKind {
    RuleKind::File(FileRule {
        path: Some(path.to_owned()),
        access: access(letters, exec),
        exec_target: target.map(str::to_owned),
    })
}

fn rule(qualifiers: Qualifiers, kind: RuleKind) -> Rule {
    Rule {
        qualifiers,
        kind,
        origin: Origin::default(),
    }
}

fn plain(kind: RuleKind) -> Rule {
    rule(Qualifiers::default(), kind)
}

fn profile(rules: Vec<Rule>) -> Profile {
    Profile {
        name: "t".to_owned(),
        rules,
        ..Profile::default()
    }
}

fn encode(rules: Vec<Rule>) -> FileEncoding {
    encode_file_rules(&profile(rules), &EncodeTarget::default()).unwrap()
}

fn rule_perms(record: &FileRecord) -> RulePerms {
    match record {
        FileRecord::Rule(perms) => *perms,
        FileRecord::State(_) => panic!("expected a rule record"),
    }
}

/// The (perms, audit) words of every encoded rule, in the order of the
/// profile's rules (the encoding itself is in 5.0.2's
/// entry order, see `entry_order`).
fn words(encoding: &FileEncoding) -> Vec<(u32, u32)> {
    let mut by_rule: Vec<_> = encoding.rules.iter().zip(&encoding.sources).collect();
    by_rule.sort_by_key(|(_, source)| source.unwrap_or(usize::MAX));
    by_rule
        .into_iter()
        .map(|((_, record), _)| {
            let perms = rule_perms(record);
            (perms.perms, perms.audit)
        })
        .collect()
}

/// Packed words of a state where exactly these rules accept.
fn state_words(encoding: &FileEncoding) -> (u32, u32) {
    let records: Vec<&FileRecord> = encoding.rules.iter().map(|(_, record)| record).collect();
    let state = FileRecord::combine(&records).unwrap();
    accept_words(state.state().unwrap())
}

fn profile_exec(safe: bool, fallback: ExecFallback) -> Option<ExecMode> {
    Some(ExecMode::Profile { safe, fallback })
}

fn child_exec(safe: bool, fallback: ExecFallback) -> Option<ExecMode> {
    Some(ExecMode::Child { safe, fallback })
}

#[test]
fn spec_examples() {
    let read = encode(vec![plain(file("/etc/foo", "r", None, None))]);
    assert_eq!(words(&read), [(0x10004, 0)]);
    assert_eq!(read.rules[0].0, Expr::literal(b"/etc/foo"));

    let owner = Qualifiers {
        owner: Ownership::Owner,
        ..Qualifiers::default()
    };
    let write = encode(vec![rule(owner, file("/home/*/bar", "w", None, None))]);
    assert_eq!(words(&write), [(0xA, 0)]);

    let px = encode(vec![plain(file(
        "/usr/bin/baz",
        "",
        profile_exec(true, ExecFallback::None),
        None,
    ))]);
    assert_eq!(words(&px), [(0x0200_4801, 0)]);

    let deny = Qualifiers {
        verdict: Verdict::Deny,
        ..Qualifiers::default()
    };
    let denied = encode(vec![rule(deny, file("/etc/secret", "r", None, None))]);
    assert_eq!(state_words(&denied), (0, 0x0080_0200));

    let audit = Qualifiers {
        audit: true,
        ..Qualifiers::default()
    };
    let audited = encode(vec![rule(audit, file("/var/log/x", "w", None, None))]);
    assert_eq!(state_words(&audited), (0x2800A, 0x0002_800A));
}

#[test]
fn exec_modes_match_the_parser() {
    // 4.1's rule words, minus the `m` that 5.0 implies only per state.
    use ExecFallback::{Inherit, None as Plain, Unconfined};
    let cases = [
        (profile_exec(false, Inherit), 0x2c0_4b01),
        (profile_exec(true, Inherit), 0x280_4a01),
        (child_exec(false, Inherit), 0x3c0_4f01),
        (child_exec(true, Inherit), 0x380_4e01),
        (profile_exec(false, Unconfined), 0x260_4981),
        (profile_exec(true, Unconfined), 0x220_4881),
        (child_exec(false, Unconfined), 0x360_4d81),
        (child_exec(true, Unconfined), 0x320_4c81),
        (Some(ExecMode::Unconfined { safe: false }), 0x140_4501),
        (Some(ExecMode::Unconfined { safe: true }), 0x100_4401),
        (profile_exec(false, Plain), 0x240_4901),
        (child_exec(false, Plain), 0x340_4d01),
        (Some(ExecMode::Inherit), 0x80_4201),
        // 5.0.2, file/front_perms_ok_2.sd: `unsafe ix /foo10,`
        (Some(ExecMode::InheritUnsafe), 0xc0_4301),
    ];
    for (mode, expected) in cases {
        let encoded = encode(vec![plain(file("/a", "", mode, None))]);
        assert_eq!(words(&encoded), [(expected, 0)], "{mode:?}");
    }
    let all = encode(vec![plain(file("/p", "rwlkm", None, None))]);
    assert_eq!(words(&all)[1], (0x1f_807e, 0));
}

#[test]
fn named_transitions_fill_the_xtable_from_the_last_rule() {
    let encoded = encode(vec![
        plain(file(
            "/m",
            "",
            child_exec(true, ExecFallback::None),
            Some("foo"),
        )),
        plain(file(
            "/n",
            "",
            profile_exec(false, ExecFallback::None),
            Some("bar"),
        )),
        plain(file(
            "/a",
            "",
            profile_exec(false, ExecFallback::None),
            Some("zed"),
        )),
        plain(file(
            "/b",
            "",
            profile_exec(true, ExecFallback::None),
            Some("bar"),
        )),
    ]);
    // 4.1: bar=4, zed=5, t//foo=6; rule words as dumped.
    assert_eq!(encoded.xtable.names(), ["bar", "zed", "t//foo"]);
    assert_eq!(
        words(&encoded),
        [
            (0x600_5801, 0),
            (0x440_5101, 0),
            (0x540_5501, 0),
            (0x400_5001, 0)
        ]
    );
}

#[test]
fn child_transition_in_slot_six() {
    let encoded = encode(vec![
        plain(file(
            "/usr/bin/qux",
            "",
            child_exec(false, ExecFallback::None),
            Some("child"),
        )),
        plain(file(
            "/x",
            "",
            profile_exec(true, ExecFallback::None),
            Some("a"),
        )),
        plain(file(
            "/y",
            "",
            profile_exec(true, ExecFallback::None),
            Some("b"),
        )),
    ]);
    assert_eq!(encoded.xtable.names(), ["b", "a", "t//child"]);
    let (perms, _) = words(&encoded)[0];
    assert_eq!(perms & 0x3FFF, 0x1901);
}

#[test]
fn local_transitions_use_index_three() {
    let encoded = encode(vec![plain(file(
        "/bin/foo",
        "",
        child_exec(true, ExecFallback::None),
        Some("/bin/foo"),
    ))]);
    assert!(encoded.xtable.is_empty());
    assert_eq!(words(&encoded), [(0x300_4c01, 0)]);
}

#[test]
fn too_many_targets() {
    let rules = (0..13)
        .map(|n| {
            plain(file(
                &format!("/bin/{n}"),
                "",
                profile_exec(true, ExecFallback::None),
                Some(&format!("p{n}")),
            ))
        })
        .collect();
    let result = encode_file_rules(&profile(rules), &EncodeTarget::default());
    assert!(matches!(
        result.as_ref().map_err(EncodeError::cause),
        Err(EncodeError::XTable(_))
    ));
}

#[test]
fn link_permission_adds_the_pair_rule() {
    let encoded = encode(vec![plain(file("/x", "l", None, None))]);
    assert_eq!(words(&encoded), [(0x40030, 0), (0x40010, 0)]);
    assert_eq!(
        encoded.rules[0].0,
        pair(Expr::literal(b"/x"), any_link_target())
    );

    let deny = Qualifiers {
        verdict: Verdict::Deny,
        ..Qualifiers::default()
    };
    let denied = encode(vec![rule(deny, file("/c", "rl", None, None))]);
    assert_eq!(words(&denied), [(0x40030, 0x40010), (0x10004, 0x10004)]);
    let denied_link_only = encode(vec![rule(deny, file("/c", "l", None, None))]);
    assert_eq!(words(&denied_link_only), [(0x40030, 0x40010)]);
}

#[test]
fn link_rules() {
    let link = |subset| {
        RuleKind::Link(LinkRule {
            subset,
            link: "/y".to_owned(),
            target: "/z".to_owned(),
        })
    };
    assert_eq!(
        words(&encode(vec![plain(link(false))])),
        [(0x40010, 0), (0x40010, 0)]
    );
    let audit = Qualifiers {
        audit: true,
        ..Qualifiers::default()
    };
    assert_eq!(
        words(&encode(vec![rule(audit, link(true))])),
        [(0x40010, 0x40010), (0x40030, 0x40010)]
    );
    let deny = Qualifiers {
        verdict: Verdict::Deny,
        ..Qualifiers::default()
    };
    let denied = encode(vec![rule(deny, link(false))]);
    assert_eq!(words(&denied), [(0x40010, 0x40010)]);
    assert_eq!(
        denied.rules[0].0,
        pair(Expr::literal(b"/y"), Expr::literal(b"/z"))
    );
}

#[test]
fn bare_file_rule() {
    let encoded = encode(vec![plain(RuleKind::File(FileRule {
        path: None,
        access: FileAccess::default(),
        exec_target: None,
    }))]);
    assert_eq!(words(&encoded), [(0x40030, 0), (0x9f_c27f, 0)]);
}

#[test]
fn change_profile_rules() {
    let change = |exec: Option<&str>, mode: Option<&str>, target: Option<&str>| {
        RuleKind::ChangeProfile(ChangeProfileRule {
            exec_mode: mode.map(str::to_owned),
            exec: exec.map(str::to_owned),
            target: target.map(str::to_owned),
            stack: false,
        })
    };
    let encoded = encode(vec![plain(change(None, None, Some("foo")))]);
    assert_eq!(
        &words(&encoded)[..3],
        [(0xc000_0000, 0), (0x4000_0000, 0), (0x4000_0000, 0)]
    );
    // The default exec condition is `/[^/\x00][^\x00]*`.
    assert_eq!(encoded.rules[1].0, path_expr("/**").unwrap());
    // Implied /proc access: two reads and the change_profile write.
    assert_eq!(&words(&encoded)[3..], [(0x4, 0), (0x4, 0), (0x2, 0)]);

    let unsafe_exec = encode(vec![plain(change(
        Some("/bin/y"),
        Some("unsafe"),
        Some("baz"),
    ))]);
    assert_eq!(words(&unsafe_exec)[2], (0x4040_4101, 0));
    let safe_exec = encode(vec![plain(change(Some("/a//b"), None, Some("c")))]);
    assert_eq!(words(&safe_exec)[2], (0x4000_4001, 0));
    // Neither the exec condition nor the target is slash-filtered.
    assert_eq!(safe_exec.rules[1].0, Expr::literal(b"/a//b"));
}

#[test]
fn stacking_targets_need_domain_stack() {
    let stacked = |target: &str, stack: bool| {
        profile(vec![plain(RuleKind::ChangeProfile(ChangeProfileRule {
            exec_mode: None,
            exec: None,
            target: Some(target.to_owned()),
            stack,
        }))])
    };
    let without = EncodeTarget::default();
    let with = EncodeTarget {
        stacking: true,
        ..EncodeTarget::default()
    };
    for (target, stack) in [("baz", true), ("&baz", false), ("&:ns:bar", false)] {
        let result = encode_file_rules(&stacked(target, stack), &without);
        assert!(
            matches!(
                result.as_ref().map_err(EncodeError::cause),
                Err(EncodeError::StackingUnsupported { .. })
            ),
            "{target}"
        );
        assert!(encode_file_rules(&stacked(target, stack), &with).is_ok());
    }
    assert!(encode_file_rules(&stacked(":ns:bar", false), &without).is_ok());
}

#[test]
fn hats_get_change_hat_access() {
    let mut parent = profile(vec![plain(file("/x", "r", None, None))]);
    parent.children.push(Profile {
        name: "hat".to_owned(),
        is_hat: true,
        ..Profile::default()
    });
    let encoded = encode_file_rules(&parent, &EncodeTarget::default()).unwrap();
    assert_eq!(encoded.rules.len(), 4);
    assert_eq!(encoded.rules[3].0, path_expr(CHANGEHAT_PATH).unwrap());
    let hat = encode_file_rules(&parent.children[0], &EncodeTarget::default()).unwrap();
    assert_eq!(hat.rules.len(), 3);
}

#[test]
fn exec_errors() {
    let deny = Qualifiers {
        verdict: Verdict::Deny,
        ..Qualifiers::default()
    };
    let result = encode_file_rules(
        &profile(vec![rule(
            deny,
            file("/z", "", Some(ExecMode::Inherit), None),
        )]),
        &EncodeTarget::default(),
    );
    assert!(matches!(
        result.as_ref().map_err(EncodeError::cause),
        Err(EncodeError::DenyExecModifier { .. })
    ));
    let result = encode_file_rules(
        &profile(vec![plain(file("/z", "", Some(ExecMode::Plain), None))]),
        &EncodeTarget::default(),
    );
    assert!(matches!(
        result.as_ref().map_err(EncodeError::cause),
        Err(EncodeError::BareExec { .. })
    ));
    let denied_x = encode(vec![rule(
        deny,
        file("/z", "", Some(ExecMode::Plain), None),
    )]);
    assert_eq!(words(&denied_x), [(0x4001, 0x4001)]);
}

#[test]
fn link_permission_with_target_links_only_there() {
    // 5.0.2 (conformance link/ok_link_4): `/tmp/foo l -> /tmp/bar` pairs
    // with the target itself and has no subset bit.
    let encoded = encode(vec![plain(RuleKind::File(FileRule {
        path: Some("/tmp/foo".to_owned()),
        access: access("l", None),
        exec_target: Some("/tmp/bar".to_owned()),
    }))]);
    assert_eq!(words(&encoded), [(0x40010, 0), (0x40010, 0)]);
    assert_eq!(
        encoded.rules[0].0,
        pair(Expr::literal(b"/tmp/foo"), Expr::literal(b"/tmp/bar"))
    );
    assert!(encoded.xtable.is_empty());
}

#[test]
fn all_rule_file_part() {
    let encoded = encode(vec![plain(RuleKind::All)]);
    assert_eq!(
        words(&encoded),
        [(0x1f_807e, 0), (0x40030, 0), (0x80_4201, 0)]
    );
    assert_eq!(rule_perms(&encoded.rules[2].1).priority, -2);
    // 5.0.2 (conformance all/ok_06): `audit allow all,` → every path gets
    // rwlkm + ix, all seven bits audited.
    let audit = Qualifiers {
        audit: true,
        ..Qualifiers::default()
    };
    let audited = encode(vec![rule(audit, RuleKind::All)]);
    let records: Vec<&FileRecord> = [0, 2].iter().map(|&i| &audited.rules[i].1).collect();
    let state = FileRecord::combine(&records).unwrap();
    assert_eq!(accept_words(state.state().unwrap()), (0x9f_c27f, 0x1f_c07f));
    // ... and the link pair audits the link bits, not the subset test
    // (all/ok_06 on "/\0/\0": ACCEPT 0x40030, ACCEPT2 0x40010).
    let pair = FileRecord::combine(&[&audited.rules[1].1]).unwrap();
    assert_eq!(accept_words(pair.state().unwrap()), (0x40030, 0x40010));
    // 5.0.2 (all/ok_04): `deny all,` alone leaves nothing accepting.
    let deny = Qualifiers {
        verdict: Verdict::Deny,
        ..Qualifiers::default()
    };
    let denied = encode(vec![rule(deny, RuleKind::All)]);
    let records: Vec<&FileRecord> = denied.rules.iter().map(|(_, record)| record).collect();
    let state = FileRecord::combine(&records).unwrap();
    assert!(!state.state().unwrap().is_accept());
}
