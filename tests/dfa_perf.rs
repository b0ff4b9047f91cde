//! Timing of DFA construction on a large synthetic rule set. Ignored by
//! default; run with
//! `cargo test --release --test dfa_perf -- --ignored --nocapture`.

#[path = "dfa_common/mod.rs"]
mod common;
mod support;

use std::time::Instant;

use aaprof::dfa::{BuildOptions, build, minimize, number};
use aaprof::tables::{WriteOptions, write_dfa};
use common::{file_perms, glob};

/// `count` globby file rules over a realistic mix of directories, with
/// overlapping `*`/`**`, alternations and classes.
fn synthetic_rules(count: usize) -> Vec<(aaprof::expr::Expr, common::Packed)> {
    synthetic_rule_text(count)
        .iter()
        .map(|(path, perms, owner)| (glob(path), file_perms(perms, *owner, false)))
        .collect()
}

/// The rules of [`synthetic_rules`] as (glob, permissions, owner).
fn synthetic_rule_text(count: usize) -> Vec<(String, &'static str, bool)> {
    let perms = ["r", "rw", "mr", "rk", "w", "rwk"];
    let dirs = [
        "etc",
        "usr/lib",
        "usr/share",
        "var/lib",
        "opt/app",
        "home/*",
        "proc/*",
        "sys/devices",
    ];
    (0..count)
        .map(|i| {
            let dir = dirs[i % dirs.len()];
            let path = match i % 7 {
                0 => format!("/{dir}/n{i}/**"),
                1 => format!("/{dir}/f{i}.conf"),
                2 => format!("/{dir}/*/d{i}/*"),
                3 => format!("/{dir}/{{a,b{i},c}}/x*"),
                4 => format!("/{dir}/[a-f]{i}/**.so*"),
                5 => format!("/{dir}/**/p{i}"),
                _ => format!("/{dir}/lib{i}*.so.[0-9]*"),
            };
            (path, perms[i % perms.len()], i % 11 == 0)
        })
        .collect()
}

#[test]
#[ignore]
fn time_large_rule_set() {
    for count in [500, 2000] {
        let rules = synthetic_rules(count);
        let clock = Instant::now();
        let built = build::build_states(rules.clone(), &BuildOptions::default()).unwrap();
        let built_after = clock.elapsed();
        let raw_states = built.len();
        let minimal = minimize::minimize(&built);
        let minimized_after = clock.elapsed();
        let dfa = number::number(minimal);
        let numbered_after = clock.elapsed();
        let packed = aaprof::tables::pack(&dfa).unwrap();
        println!(
            "  number {:?}, pack alone {:?} ({} slots)",
            numbered_after - minimized_after,
            clock.elapsed() - numbered_after,
            packed.next.len()
        );
        let accept: Vec<u32> = dfa.states.iter().map(|s| s.record.accept).collect();
        let accept2: Vec<u32> = dfa.states.iter().map(|s| s.record.accept2).collect();
        let options = WriteOptions { state32: true };
        let blob = write_dfa(&dfa, &accept, Some(&accept2), &options).unwrap();
        let total = clock.elapsed();
        println!(
            "{count} rules: {raw_states} states → {} minimal, {} bytes; build {:?}, \
             minimise {:?}, number+pack+write {:?}, total {:?}",
            dfa.states.len(),
            blob.len(),
            built_after,
            minimized_after - built_after,
            total - minimized_after,
            total
        );
        assert!(dfa.states.len() > 2);
        if let Some(expected) = reference(count) {
            assert!(
                blob == expected,
                "{count} rules: differs from the reference"
            );
            println!("  byte-identical to the reference parser's file DFA");
        }
    }
}

/// Times DFA construction on a real rule set: set `AAPROF_RULES_DUMP` to
/// the stderr of `apparmor_parser -D rule-exprs -D dfa-stats` for one
/// profile. The rules printed before each "Created dfa" line form that
/// DFA; records are the printed (allow/deny) pairs, OR-ed (exact for allow
/// rules without exec modes). Prints our unminimised and minimal state
/// counts beside the reference's.
#[test]
#[ignore]
fn time_real_rule_dump() {
    let Ok(path) = std::env::var("AAPROF_RULES_DUMP") else {
        println!("AAPROF_RULES_DUMP not set; skipping");
        return;
    };
    let dump = std::fs::read(&path).unwrap();
    let mut rules = Vec::new();
    let mut reference_states = String::new();
    let mut chunks = Vec::new();
    for line in dump.split(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(line);
        if let Some(at) = text.find("Created dfa: states ") {
            reference_states = text[at + 20..].split(' ').next().unwrap_or("").to_string();
            continue;
        }
        if let Some(at) = text
            .find("final partitions ")
            .or_else(|| text.find("partitions "))
        {
            let minimal = text[at..]
                .split(' ')
                .nth(if text[at..].starts_with("final") {
                    2
                } else {
                    1
                });
            let minimal = minimal.unwrap_or("").trim().to_string();
            chunks.push((
                std::mem::take(&mut rules),
                reference_states.clone(),
                minimal,
            ));
            continue;
        }
        let Some(rest) = line.strip_prefix(b"rule: ") else {
            continue;
        };
        let Some(arrow) = rest.windows(6).position(|w| w == b"  ->  ") else {
            continue;
        };
        let regex = &rest[..arrow];
        let tail = String::from_utf8_lossy(&rest[arrow..]);
        let perms = tail
            .rsplit_once('(')
            .and_then(|(_, tail)| tail.split_once(')'))
            .map(|(inside, _)| inside.to_string())
            .unwrap_or_default();
        let (allow, deny) = perms.split_once('/').unwrap_or(("0", "0"));
        let parse_hex = |s: &str| u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or(0);
        let record = common::Packed {
            accept: parse_hex(allow),
            accept2: parse_hex(deny),
        };
        match common::regex::parse(regex) {
            Some(expr) => rules.push((expr, record)),
            None => println!("unparsed: {}", String::from_utf8_lossy(regex)),
        }
    }
    let clock = Instant::now();
    for (rules, reference_states, reference_minimal) in &chunks {
        let started = clock.elapsed();
        let built = build::build_states(rules.clone(), &BuildOptions::default()).unwrap();
        let raw = built.len();
        let built_after = clock.elapsed();
        let minimal = minimize::minimize(&built);
        let minimise = clock.elapsed() - built_after;
        let dfa = number::number(minimal);
        let accept: Vec<u32> = dfa.states.iter().map(|s| s.record.accept).collect();
        let options = WriteOptions { state32: true };
        write_dfa(&dfa, &accept, Some(&accept), &options).unwrap();
        let distinct: std::collections::HashSet<_> =
            dfa.states.iter().map(|state| state.record).collect();
        println!(
            "{} distinct records; {} rules: {raw} states → {} (reference {reference_states} → {reference_minimal} \
             partitions) in {:?} (minimise {minimise:?})",
            distinct.len(),
            rules.len(),
            dfa.states.len(),
            clock.elapsed() - started
        );
    }
    println!("all DFAs: {:?}", clock.elapsed());
}

/// The reference parser's file DFA for the synthetic profile, if the
/// parser is available.
fn reference(count: usize) -> Option<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut profile = String::from("profile t {\n");
    for (path, perms, owner) in synthetic_rule_text(count) {
        let owner = if owner { "owner " } else { "" };
        profile.push_str(&format!("  {owner}{path} {perms},\n"));
    }
    profile.push_str("}\n");
    let clock = Instant::now();
    let blob =
        support::reference_compile(&profile, &root.join("../shared/features/debian-6.1.txt"))?;
    println!("  reference parser (whole compile): {:?}", clock.elapsed());
    common::last_dfa(&blob)
}
