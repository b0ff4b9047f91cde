//! Timing of DFA construction on a large synthetic rule set. Ignored by
//! default; run with
//! `cargo test --release --test dfa_perf -- --ignored --nocapture`.

#[path = "dfa_common/mod.rs"]
mod common;

use std::time::Instant;

use aaprof::dfa::{BuildOptions, build, minimize, number};
use aaprof::tables::{WriteOptions, write_dfa};
use common::{file_perms, glob};

/// `count` globby file rules over a realistic mix of directories, with
/// overlapping `*`/`**`, alternations and classes.
fn synthetic_rules(count: usize) -> Vec<(aaprof::expr::Expr, common::Packed)> {
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
            (
                glob(&path),
                file_perms(perms[i % perms.len()], i % 11 == 0, false),
            )
        })
        .collect()
}

#[test]
#[ignore]
fn time_large_rule_set() {
    for count in [500, 2000] {
        let rules = synthetic_rules(count);
        let clock = Instant::now();
        let built = build::build_states(&rules, &BuildOptions::default()).unwrap();
        let built_after = clock.elapsed();
        let raw_states = built.states.len();
        let minimal = minimize::minimize(built.states, &built.classes);
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
    }
}
