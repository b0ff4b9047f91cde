//! Per-stage timings and automaton sizes of a run (`aaprof compile
//! --stats`). Counters are atomics so parallel compiles add up without
//! locks; times are summed CPU-side wall times of each stage.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A pipeline stage whose time is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Parsing, includes, variables, conditionals: text to model.
    Load,
    /// Model to rule expressions and records.
    Encode,
    /// Subset construction.
    Build,
    /// Minimisation and numbering.
    Minimize,
    /// Accept tables, comb packing and the DFA blob.
    Tables,
    /// Profile records to bytes.
    Write,
}

const STAGES: [(Stage, &str); 6] = [
    (Stage::Load, "load (parse, resolve)"),
    (Stage::Encode, "encode"),
    (Stage::Build, "dfa build"),
    (Stage::Minimize, "dfa minimise"),
    (Stage::Tables, "tables (pack)"),
    (Stage::Write, "write"),
];

/// Counters for one run.
#[derive(Debug, Default)]
pub struct Stats {
    nanos: [AtomicU64; 6],
    dfas: AtomicU64,
    states_before: AtomicU64,
    states_after: AtomicU64,
    largest: AtomicU64,
    profiles: AtomicU64,
}

impl Stats {
    /// Runs `work`, adding its duration to `stage`.
    pub fn time<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = work();
        let index = STAGES.iter().position(|(s, _)| *s == stage).unwrap_or(0);
        self.nanos[index].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        result
    }

    /// Records one built DFA's state counts.
    pub fn dfa(&self, before: usize, after: usize) {
        self.dfas.fetch_add(1, Ordering::Relaxed);
        self.states_before
            .fetch_add(before as u64, Ordering::Relaxed);
        self.states_after.fetch_add(after as u64, Ordering::Relaxed);
        self.largest.fetch_max(after as u64, Ordering::Relaxed);
    }

    pub fn profile(&self) {
        self.profiles.fetch_add(1, Ordering::Relaxed);
    }

    /// A human-readable report.
    pub fn report(&self) -> String {
        let mut out = String::from("stage times (summed over threads):\n");
        for (index, (_, name)) in STAGES.iter().enumerate() {
            let time = Duration::from_nanos(self.nanos[index].load(Ordering::Relaxed));
            out.push_str(&format!("  {name:<22} {:>10.3} s\n", time.as_secs_f64()));
        }
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        out.push_str(&format!(
            "profiles {}, DFAs {}, states {} before minimisation, {} after, largest {}\n",
            load(&self.profiles),
            load(&self.dfas),
            load(&self.states_before),
            load(&self.states_after),
            load(&self.largest)
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up() {
        let stats = Stats::default();
        assert_eq!(stats.time(Stage::Encode, || 7), 7);
        stats.dfa(10, 4);
        stats.dfa(20, 9);
        stats.profile();
        let report = stats.report();
        assert!(report.contains("DFAs 2, states 30 before minimisation, 13 after, largest 9"));
        assert!(report.contains("profiles 1"));
    }
}
