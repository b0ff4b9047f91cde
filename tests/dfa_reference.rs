//! File DFAs built by aaprof from hand-converted rules, compared byte for
//! byte with the file DFA the reference parser (4.1, debian-6.1 features)
//! emits for the same profile.

#[path = "dfa_common/mod.rs"]
mod common;
mod support;

use aaprof::tables::read::DfaTables;
use std::path::Path;

use aaprof::dfa::{BuildOptions, build_dfa};
use aaprof::tables::{WriteOptions, write_dfa};
use common::{Packed, file_perms, glob, last_dfa};

/// Profiles as lists of rules `[audit] [owner] <glob> <perms>`.
fn cases() -> Vec<Vec<String>> {
    let fixed: &[&[&str]] = &[
        &["/etc/foo r"],
        &["/etc/foo r", "/etc/bar w"],
        &["/etc/foo r", "/etc/foo w"],
        &["/etc/* r"],
        &["/etc/** r"],
        &["/etc/**/ r"],
        &["/etc/*/foo r"],
        &["/etc/foo* r"],
        &["/etc/**.conf r"],
        &["/etc/*.conf r", "/etc/**.d/ r"],
        &["/etc/{foo,bar} r"],
        &["/usr/{bin,sbin}/dnsmasq r", "/usr/{lib,lib64}/** mr"],
        &["/tmp/[a-z]* rw"],
        &["/tmp/[^a-z]* rw"],
        &["/dev/tty[0-9] rw", "/dev/tty rw"],
        &["/** r", "/etc/** w", "/etc/shadow k"],
        &["/home/*/ r", "owner /home/*/** rw", "/home/*/.cache/** rwk"],
        &["audit /var/log/x w", "/var/log/** r"],
        &["/proc/[0-9]*/stat r", "/proc/@{pid}/status r"],
        &["/a?c r", "/abc w", "/a/c k"],
        &[
            "/sys/devices/**/power_supply/** r",
            "/sys/class/power_supply/ r",
        ],
        &["/{,usr/}bin/* m", "/{,usr/}bin/bash r"],
        &["/etc/ r", "/etc/* r", "/etc/** r"],
        &["/x/** r", "/x/*/y/** w", "/x/*/y/z k"],
        &["/{a,b,c}/{d,e}/** r", "/a/d/f w"],
        // Every byte named by some position, yet the default is the
        // successor through the negated class (never taken by a byte).
        &["/t/[^a]b r", "/t/[\\x00-\\xff]c w"],
        &["/t/[^a]b r", "/t/[\\x01-\\xff]c w"],
    ];
    let mut cases: Vec<Vec<String>> = fixed
        .iter()
        .map(|rules| rules.iter().map(|rule| rule.to_string()).collect())
        .collect();
    // Many overlapping rules with a handful of permission sets.
    let perms = ["r", "rw", "mr", "rk", "w"];
    let many: Vec<String> = (0..300)
        .map(|i| {
            let dir = ["etc", "usr/lib", "var", "opt/app"][i % 4];
            match i % 5 {
                0 => format!("/{dir}/n{i}/** {}", perms[i % perms.len()]),
                1 => format!("/{dir}/f{i}.conf {}", perms[(i / 3) % perms.len()]),
                2 => format!("/{dir}/*/d{i}/* {}", perms[(i / 7) % perms.len()]),
                3 => format!("/{dir}/{{a,b{i}}}/x* {}", perms[(i / 2) % perms.len()]),
                _ => format!("/{dir}/[a-f]{i}/ {}", perms[(i / 5) % perms.len()]),
            }
        })
        .collect();
    cases.push(many);
    cases
}

/// (qualifier-free glob, record) of one rule line.
fn parse_rule(rule: &str) -> (String, Packed) {
    let words: Vec<&str> = rule.split_whitespace().collect();
    let audit = words.contains(&"audit");
    let owner = words.contains(&"owner");
    let path = words[words.len() - 2];
    let letters = words[words.len() - 1];
    (path.to_string(), file_perms(letters, owner, audit))
}

fn parser_missing() -> bool {
    support::reference_parser().is_none()
}

fn reference_dfa(rules: &[String]) -> Option<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut profile = String::from("@{pid}=[0-9]*\nprofile t {\n");
    for rule in rules {
        profile.push_str(&format!("  {rule},\n"));
    }
    profile.push_str("}\n");
    let output = support::reference_run(&profile, &root.join("../shared/features/debian-6.1.txt"))?;
    if !output.status.success() {
        eprintln!(
            "reference failed on\n{profile}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    last_dfa(&output.stdout)
}

fn our_dfa(rules: &[String]) -> Vec<u8> {
    let rules: Vec<_> = rules
        .iter()
        .map(|rule| {
            let (path, record) = parse_rule(rule);
            // The profile defines @{pid} as [0-9]*.
            (glob(&path.replace("@{pid}", "[0-9]*")), record)
        })
        .collect();
    let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
    let accept: Vec<u32> = dfa.states.iter().map(|s| s.record.accept).collect();
    let accept2: Vec<u32> = dfa.states.iter().map(|s| s.record.accept2).collect();
    write_dfa(&dfa, &accept, Some(&accept2), &WriteOptions::default()).unwrap()
}

fn identical_or_index(cases: &[Vec<String>], rules: &Vec<String>) -> usize {
    cases.iter().position(|case| case == rules).unwrap_or(0)
}

#[test]
fn file_dfas_match_reference() {
    if parser_missing() {
        println!("reference parser not found; skipping");
        return;
    }
    let cases = cases();
    let mut identical = 0;
    for rules in &cases {
        let Some(expected) = reference_dfa(rules) else {
            continue;
        };
        let ours = our_dfa(rules);
        if let Ok(dir) = std::env::var("AAPROF_DFA_DUMP") {
            let n = identical_or_index(&cases, rules);
            std::fs::write(format!("{dir}/{n}.ref"), &expected).unwrap();
            std::fs::write(format!("{dir}/{n}.ours"), &ours).unwrap();
        }
        if ours == expected {
            identical += 1;
        } else {
            let parse = |dfa: &[u8]| DfaTables::parse(dfa).expect("DFA decodes");
            let (e, o) = (parse(&expected), parse(&ours));
            println!(
                "differs: {:?}\n  reference states {} slots {}; ours states {} slots {}",
                &rules[..rules.len().min(3)],
                e.base.len(),
                e.next.len(),
                o.base.len(),
                o.next.len()
            );
        }
    }
    println!("{identical} of {} DFAs byte-identical", cases.len());
    assert!(
        identical >= cases.len(),
        "regression: {identical} identical"
    );
}

/// The xmatch DFA of a reference profile.
fn reference_xmatch(profile: &str) -> Option<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let blob =
        support::reference_compile(profile, &root.join("../shared/features/debian-6.1.txt"))?;
    let records = aaprof::blob::read_records(&blob).ok()?;
    Some(records.first()?.xmatch.as_ref()?.pdb.dfa.clone())
}

#[test]
fn xattr_xmatch_with_out_of_band_transition_matches_reference() {
    if parser_missing() {
        println!("reference parser not found; skipping");
        return;
    }
    use aaprof::expr::Expr;
    let profile =
        "profile t /usr/bin/fo* xattrs=(security.apparmor=\"trusted\") {\n /etc/foo r,\n}\n";
    let Some(expected) = reference_xmatch(profile) else {
        panic!("reference parser failed");
    };
    // The attachment, then optionally OOB · NUL · value (binary-format §2.2).
    let rule = Expr::Concat(vec![
        glob("/usr/bin/fo*"),
        Expr::Optional(Box::new(Expr::Concat(vec![
            Expr::OutOfBand,
            Expr::Byte(0),
            glob("trusted"),
        ]))),
    ]);
    let record = Packed {
        accept: 1,
        accept2: 0,
    };
    let dfa = build_dfa(&[(rule, record)], &BuildOptions::default()).unwrap();
    let accept: Vec<u32> = dfa.states.iter().map(|s| s.record.accept).collect();
    let accept2: Vec<u32> = dfa.states.iter().map(|s| s.record.accept2).collect();
    let ours = write_dfa(&dfa, &accept, Some(&accept2), &WriteOptions::default()).unwrap();
    assert_eq!(ours, expected);
    assert_eq!(ours, expected);
}
