//! Differential test against apparmor_parser 5.0.2 (issue 12): aaprof and
//! `../shared/tools/apparmor-parser-5.0` compile the same inputs under two
//! features files; verdicts must agree and, where both accept, the blobs
//! must be byte-identical.
//!
//! The inputs come from three sources:
//! - generated: `aaprof::testgen` profiles (the whole 5.0 language) from
//!   seeds `0..`;
//! - conformance mutants: upstream's parser tests
//!   (`../shared/conformance/tst/simple_tests/**/*.sd`, control lines
//!   removed) with one `testgen::mutate` edit each (a token deleted,
//!   duplicated, swapped or replaced by another AppArmor word, a comma
//!   dropped, a rule wrapped onto two lines, two rules joined), run as that
//!   data set's README says (standard input, cwd `tst/`, `-I
//!   tst/simple_tests`);
//! - corpus mutants: the same edits on the faster profiles of the
//!   apparmor.d corpus, run with its include directories.
//!
//! Prints verdict agreement and byte identity per source and features file
//! and fails below the floors (measured; the target is 99.5%).
//! Every disagreement goes to `target/differential/disagreements.txt`
//! (one compact line each) with its input in `target/differential/cases/`;
//! standard output gets a summary by class. An exec-conflict disagreement
//! is asked again of 5.0.2 run with glibc's thread cache off; when that
//! run agrees, the class says so (`heap order: ...`): 5.0.2's answer there
//! hangs on its heap, not on the text. It still counts as a disagreement.
//!
//! Run: `cargo test --release --features testgen --test differential -- --nocapture`;
//! `AAPROF_DIFF_CASES=N` sets the cases per features file (default 3,000),
//! `AAPROF_DIFF_FIRST_SEED=S` starts the seeds at `S` instead of 0 (fresh
//! inputs for a long local run; CI keeps 0), `AAPROF_DIFF_OUT=DIR` where
//! the disagreements go.

mod support;

use aaprof::blob::{ProfileRecord, read_records};
use aaprof::compile::Session;
use aaprof::diff::compare_records;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{Input, Options};
use aaprof::testgen::mutate::mutate;
use aaprof::testgen::{GenOptions, profile_from_seed};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use support::conformance::strip_control_lines;
use support::percent;

/// Cases per features file unless `AAPROF_DIFF_CASES` says otherwise.
const DEFAULT_CASES: usize = 3000;
const FEATURES: [&str; 2] = ["upstream-all", "debian-6.12"];
/// Floors in percent at the default case count, per features file and
/// source: (verdicts agree, both-accepted byte-identical). Measured (issue
/// 12's target is 99.5 for each); ratchets, never lowered.
const FLOORS: [(&str, Source, f64, f64); 6] = [
    ("upstream-all", Source::Generated, 99.9, 99.9),
    ("upstream-all", Source::ConformanceMutant, 99.9, 99.9),
    ("upstream-all", Source::CorpusMutant, 99.9, 99.9),
    ("debian-6.12", Source::Generated, 99.9, 99.9),
    ("debian-6.12", Source::ConformanceMutant, 99.9, 99.9),
    ("debian-6.12", Source::CorpusMutant, 99.9, 99.9),
];
const TARGET: f64 = 99.5;

/// Corpus profiles slower than this (reference seconds) are not mutated.
const CORPUS_MAX_SECONDS: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Generated,
    ConformanceMutant,
    CorpusMutant,
}

impl Source {
    const ALL: [Source; 3] = [
        Source::Generated,
        Source::ConformanceMutant,
        Source::CorpusMutant,
    ];

    /// Share of the cases, in percent.
    fn share(self) -> usize {
        match self {
            Source::Generated => 50,
            Source::ConformanceMutant => 45,
            Source::CorpusMutant => 5,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Source::Generated => "generated",
            Source::ConformanceMutant => "conformance mutants",
            Source::CorpusMutant => "corpus mutants",
        }
    }
}

struct Case {
    source: Source,
    seed: u64,
    /// `seed 12`, or the mutated file and the edit made.
    label: String,
    text: String,
}

/// How one source's cases are compiled on each side.
struct Context {
    options: Options,
    /// The reference's working directory and extra arguments.
    cwd: PathBuf,
    args: Vec<String>,
}

enum Verdict {
    Accept(Vec<u8>),
    /// The first error, and the line of the input it names (when it names
    /// one of the input itself rather than of an included file).
    Reject(String, Option<usize>),
}

impl Verdict {
    fn describe(&self) -> String {
        match self {
            Verdict::Accept(_) => "accepts".into(),
            Verdict::Reject(e, _) => format!("rejects ({e})"),
        }
    }

    fn line(&self) -> Option<usize> {
        match self {
            Verdict::Reject(_, line) => *line,
            Verdict::Accept(_) => None,
        }
    }
}

fn case_count() -> usize {
    std::env::var("AAPROF_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// The first seed of every source (`AAPROF_DIFF_FIRST_SEED`, default 0).
fn first_seed() -> u64 {
    std::env::var("AAPROF_DIFF_FIRST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A well-mixed index from a seed (so consecutive seeds pick unrelated
/// files).
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn sd_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sd_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "sd") {
            out.push(path);
        }
    }
}

/// Mutants of `count` files drawn from `files` (pairs of label and text).
fn mutants(source: Source, files: &[(String, String)], count: usize) -> Vec<Case> {
    if files.is_empty() {
        return Vec::new();
    }
    let first = first_seed();
    (first..first + count as u64)
        .filter_map(|seed| {
            let (name, text) = &files[(mix(seed) % files.len() as u64) as usize];
            let mutant = mutate(text, seed)?;
            Some(Case {
                source,
                seed,
                label: format!("{name}: {}", mutant.description),
                text: mutant.text,
            })
        })
        .collect()
}

/// Upstream's test files: half the mutants from the hand-written ones,
/// half from the generated directories.
fn conformance_cases(shared: &Path, count: usize) -> Vec<Case> {
    let root = shared.join("conformance/tst/simple_tests");
    let mut paths = Vec::new();
    sd_files(&root, &mut paths);
    paths.sort();
    let load = |generated: bool| -> Vec<(String, String)> {
        paths
            .iter()
            .filter_map(|p| {
                let name = p.strip_prefix(&root).ok()?.display().to_string();
                (name.starts_with("generated_") == generated).then(|| {
                    let raw = std::fs::read(p).unwrap_or_default();
                    let text = String::from_utf8_lossy(&strip_control_lines(&raw)).into_owned();
                    (name, text)
                })
            })
            .collect()
    };
    let mut cases = mutants(Source::ConformanceMutant, &load(false), count / 2);
    let mut generated = mutants(Source::ConformanceMutant, &load(true), count - count / 2);
    for case in &mut generated {
        case.seed += (count / 2) as u64;
    }
    cases.append(&mut generated);
    cases
}

/// The corpus profiles the reference compiles quickly.
fn corpus_cases(shared: &Path, count: usize) -> Vec<Case> {
    let corpus = shared.join("corpus");
    let table = std::fs::read_to_string(corpus.join("expected.tsv")).unwrap_or_default();
    let files: Vec<(String, String)> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let seconds: f64 = fields.get(5)?.parse().ok()?;
            (fields[2] == "0" && seconds <= CORPUS_MAX_SECONDS).then(|| {
                let text = std::fs::read_to_string(corpus.join("apparmor.d").join(fields[0]));
                (fields[0].to_string(), text.unwrap_or_default())
            })
        })
        .collect();
    mutants(Source::CorpusMutant, &files, count)
}

fn contexts(shared: &Path) -> BTreeMap<Source, Context> {
    let tst = shared.join("conformance/tst");
    let simple = tst.join("simple_tests");
    let corpus = shared.join("corpus");
    let profiles = corpus.join("apparmor.d");
    let base = corpus.join("base");
    let path = |p: &Path| p.display().to_string();
    BTreeMap::from([
        (
            Source::Generated,
            Context {
                options: Options::default(),
                cwd: tst.clone(),
                args: Vec::new(),
            },
        ),
        (
            Source::ConformanceMutant,
            Context {
                options: Options {
                    include_dirs: vec![simple.clone()],
                    cwd: Some(tst.clone()),
                    ..Options::default()
                },
                cwd: tst.clone(),
                args: vec!["-I".into(), path(&simple)],
            },
        ),
        (
            Source::CorpusMutant,
            Context {
                options: Options {
                    include_dirs: vec![profiles.clone(), base.clone()],
                    base_dir: profiles.clone(),
                    cwd: None,
                    ..Options::default()
                },
                cwd: profiles.clone(),
                args: vec![
                    "-b".into(),
                    path(&profiles),
                    "-I".into(),
                    path(&profiles),
                    "-I".into(),
                    path(&base),
                ],
            },
        ),
    ])
}

/// How the reference's glibc hands out memory: stock, or with the
/// per-thread cache off (`Allocator::NoTcache`), under which 5.0.2's
/// exec-conflict verdicts follow creation order (tests/exec_heap_order.rs).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Allocator {
    Stock,
    NoTcache,
}

/// The reference's verdict, its first error line (without the
/// `AppArmor parser error at line N:` prefix) when it rejects.
fn reference(case: &Case, context: &Context, features: &Path, allocator: Allocator) -> Verdict {
    let mut command = support::reference_command(features).expect("reference present");
    if allocator == Allocator::NoTcache {
        support::without_tcache(&mut command);
    }
    let child = command
        .args(&context.args)
        .current_dir(&context.cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return Verdict::Reject("reference did not start".into(), None);
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(case.text.as_bytes());
    }
    let Ok(output) = child.wait_with_output() else {
        return Verdict::Reject("reference did not finish".into(), None);
    };
    if output.status.success() {
        return Verdict::Accept(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (message, at) = match line.split_once(": ") {
        Some((prefix, rest)) if prefix.starts_with("AppArmor parser error") => {
            // `AppArmor parser error at line N` (the input's own lines;
            // errors in included files name the file).
            let at = prefix
                .strip_prefix("AppArmor parser error at line ")
                .and_then(|n| n.parse().ok());
            (rest, at)
        }
        _ => (line, None),
    };
    let status = output
        .status
        .code()
        .map_or("signal".into(), |c| c.to_string());
    Verdict::Reject(format!("rc {status}: {message}"), at)
}

fn ours(case: &Case, session: &Session) -> Verdict {
    let compiled = session.compile_input(&Input::Text {
        name: "-".into(),
        text: case.text.clone(),
    });
    match compiled.blob {
        Some(blob) => Verdict::Accept(blob),
        None => {
            let error = compiled.diagnostics.iter().find(|d| d.is_error());
            let line = error
                .and_then(|d| d.location.as_ref())
                .filter(|l| &*l.source.name == "-")
                .map(|l| l.line_col().0 as usize);
            Verdict::Reject(
                error.map_or("no error diagnostic".into(), |d| d.message.clone()),
                line,
            )
        }
    }
}

/// What a disagreement is, compact enough to group by: the side that
/// accepts and the other side's error with numbers and quoted words
/// blanked, or the first difference of the blobs.
fn class_of(ours: &Verdict, theirs: &Verdict) -> Option<String> {
    let blank = |s: &str| {
        let mut out = String::new();
        let mut quoted = false;
        for c in s.chars() {
            match c {
                '\'' | '"' | '`' => {
                    quoted = !quoted;
                    out.push(c);
                }
                _ if quoted => {}
                '0'..='9' => {
                    if !out.ends_with('N') {
                        out.push('N');
                    }
                }
                _ => out.push(c),
            }
        }
        out.chars().take(90).collect::<String>()
    };
    match (ours, theirs) {
        (Verdict::Accept(a), Verdict::Accept(b)) if a == b => None,
        (Verdict::Accept(a), Verdict::Accept(b)) => {
            let fields = match (read_records(a), read_records(b)) {
                (Ok(l), Ok(r)) => differing_fields(&l, &r).join(" "),
                _ => "unreadable blob".into(),
            };
            Some(format!("blobs differ in: {fields}"))
        }
        (Verdict::Reject(..), Verdict::Reject(..)) => None,
        (Verdict::Accept(_), Verdict::Reject(e, _)) => {
            Some(format!("aaprof accepts, 5.0.2 rejects: {}", blank(e)))
        }
        (Verdict::Reject(e, _), Verdict::Accept(_)) => {
            Some(format!("5.0.2 accepts, aaprof rejects: {}", blank(e)))
        }
    }
}

/// The record fields that differ (cheap, unlike `compare_records`, which
/// compares DFAs by their languages).
fn differing_fields(left: &[ProfileRecord], right: &[ProfileRecord]) -> Vec<&'static str> {
    if left.len() != right.len() {
        return vec!["record count"];
    }
    let mut fields = Vec::new();
    for (l, r) in left.iter().zip(right) {
        let pairs = [
            ("name", l.name == r.name && l.namespace == r.namespace),
            ("attach", l.attach == r.attach),
            ("xmatch", l.xmatch == r.xmatch),
            ("flags", l.flags == r.flags && l.path_flags == r.path_flags),
            ("disconnected", l.disconnected == r.disconnected),
            ("kill/error", l.kill == r.kill && l.error == r.error),
            ("caps", l.caps == r.caps && l.capsx == r.capsx),
            ("xattrs", l.xattrs == r.xattrs),
            ("rlimits", l.rlimits == r.rlimits),
            ("net_allowed_af", l.net_allowed_af == r.net_allowed_af),
            ("policydb", l.policydb == r.policydb),
            ("file", l.file == r.file),
        ];
        for (name, same) in pairs {
            if !same && !fields.contains(&name) {
                fields.push(name);
            }
        }
    }
    if fields.is_empty() {
        fields.push("other fields");
    }
    fields.sort_unstable();
    fields
}

/// Counts for one source under one features file.
#[derive(Default)]
struct Tally {
    cases: usize,
    verdicts_agree: usize,
    both_accept: usize,
    identical: usize,
}

#[test]
fn aaprof_agrees_with_apparmor_parser_5_0_2() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    if support::reference_parser().is_none() {
        eprintln!("note: tools/apparmor-parser-5.0 missing; skipping the differential test");
        return;
    }
    let start = std::time::Instant::now();
    let total = case_count();
    let counts: Vec<usize> = Source::ALL
        .iter()
        .map(|s| total * s.share() / 100)
        .collect();
    let generator = GenOptions::default();
    let first = first_seed();
    let mut cases: Vec<Case> = (first..first + counts[0] as u64)
        .map(|seed| Case {
            source: Source::Generated,
            seed,
            label: format!("seed {seed}"),
            text: profile_from_seed(seed, &generator),
        })
        .collect();
    cases.extend(conformance_cases(&shared, counts[1]));
    cases.extend(corpus_cases(&shared, counts[2]));
    let contexts = contexts(&shared);
    // The reference's run time is mostly process start-up: more threads
    // than cores keep the cores busy.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads() * 3)
        .build()
        .expect("thread pool");
    let out_dir = std::env::var_os("AAPROF_DIFF_OUT").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/differential"),
        PathBuf::from,
    );
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(out_dir.join("cases")).expect("target/differential");
    let mut log = String::new();
    let mut classes: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut table = Vec::new();
    let (reference_time, ours_time) = (AtomicU64::new(0), AtomicU64::new(0));
    for features in FEATURES {
        let features_file = shared.join(format!("features/{features}.txt"));
        let set = FeatureSet::load(&features_file).expect("features file");
        let sessions: BTreeMap<Source, Session> = contexts
            .iter()
            .map(|(s, c)| {
                (
                    *s,
                    Session::new(c.options.clone(), FeatureSources::both(set.clone())),
                )
            })
            .collect();
        let outcomes: Vec<(Verdict, Verdict)> = pool.install(|| {
            cases
                .par_iter()
                .map(|case| {
                    let clock = std::time::Instant::now();
                    let theirs = reference(
                        case,
                        &contexts[&case.source],
                        &features_file,
                        Allocator::Stock,
                    );
                    let middle = clock.elapsed();
                    let ours = ours(case, &sessions[&case.source]);
                    reference_time.fetch_add(middle.as_micros() as u64, Ordering::Relaxed);
                    ours_time.fetch_add(
                        (clock.elapsed() - middle).as_micros() as u64,
                        Ordering::Relaxed,
                    );
                    (ours, theirs)
                })
                .collect()
        });
        let mut tallies: BTreeMap<Source, Tally> = BTreeMap::new();
        for (case, (ours, theirs)) in cases.iter().zip(&outcomes) {
            let tally = tallies.entry(case.source).or_default();
            tally.cases += 1;
            let both = matches!((ours, theirs), (Verdict::Accept(_), Verdict::Accept(_)));
            let agree = matches!(ours, Verdict::Accept(_)) == matches!(theirs, Verdict::Accept(_));
            tally.verdicts_agree += usize::from(agree);
            tally.both_accept += usize::from(both);
            let Some(mut class) = class_of(ours, theirs) else {
                tally.identical += usize::from(both);
                continue;
            };
            // 5.0.2's answer to an exec conflict can hang on where glibc
            // placed its nodes; such a case still counts against aaprof,
            // but is reported as a class of its own.
            if class.contains("conflicting x modifiers") || class.contains(" conflict: ") {
                let context = &contexts[&case.source];
                let stable = reference(case, context, &features_file, Allocator::NoTcache);
                if class_of(ours, &stable).is_none() {
                    class = "heap order: agrees with 5.0.2 run with glibc's tcache off".into();
                }
            }
            let file = format!("{features}-{:?}-{}.sd", case.source, case.seed);
            let _ = std::fs::write(out_dir.join("cases").join(&file), &case.text);
            // The line the rejecting side names, as evidence.
            let named_line = theirs
                .line()
                .or(ours.line())
                .and_then(|n| case.text.lines().nth(n.saturating_sub(1)))
                .map(|l| format!(" | line: {}", l.trim()))
                .unwrap_or_default();
            let _ = writeln!(
                log,
                "[{features}] {} {} | {class} | aaprof {} | 5.0.2 {}{named_line} | cases/{file}",
                case.source.name(),
                case.label,
                ours.describe(),
                theirs.describe()
            );
            let entry = classes.entry(class).or_insert_with(|| {
                // The first case of a class of blob differences gets the
                // full report (slow: DFAs compared by language).
                if let (Verdict::Accept(a), Verdict::Accept(b)) = (ours, theirs)
                    && let (Ok(l), Ok(r)) = (read_records(a), read_records(b))
                {
                    let report = compare_records(&l, &r);
                    let _ = std::fs::write(
                        out_dir.join("cases").join(format!("{file}.report")),
                        report,
                    );
                }
                (0, format!("cases/{file}"))
            });
            entry.0 += 1;
        }
        for (source, tally) in &tallies {
            let verdicts = percent(tally.verdicts_agree, tally.cases);
            let bytes = percent(tally.identical, tally.both_accept);
            let (verdict_floor, bytes_floor) = FLOORS
                .iter()
                .find(|(f, s, ..)| *f == features && s == source)
                .map_or((0.0, 0.0), |(_, _, v, b)| (*v, *b));
            table.push(format!(
                "  {features:<12} {:<20} {:>6} cases  verdicts {verdicts:6.2}% (floor {verdict_floor})  \
                 identical {bytes:6.2}% of {} (floor {bytes_floor})",
                source.name(),
                tally.cases,
                tally.both_accept
            ));
            // The floors hold for the default sample; other sizes only
            // report.
            let floored = total == DEFAULT_CASES;
            if floored && (verdicts < verdict_floor || bytes < bytes_floor) {
                failures.push(format!(
                    "{features} {}: verdicts {verdicts:.2}% (floor {verdict_floor}), \
                     identical {bytes:.2}% (floor {bytes_floor})",
                    source.name()
                ));
            }
        }
    }
    let log_file = out_dir.join("disagreements.txt");
    std::fs::write(&log_file, &log).expect("disagreements.txt");
    println!(
        "differential vs apparmor_parser 5.0.2, {total} cases per features file, {:.0?} \
         (thread time: reference {}s, aaprof {}s; target {TARGET}%):",
        start.elapsed(),
        reference_time.into_inner() / 1_000_000,
        ours_time.into_inner() / 1_000_000
    );
    for line in &table {
        println!("{line}");
    }
    let mut by_count: Vec<_> = classes.iter().collect();
    by_count.sort_by_key(|(_, (count, _))| std::cmp::Reverse(*count));
    println!(
        "{} disagreements in {} classes (all in {}):",
        log.lines().count(),
        classes.len(),
        log_file.display()
    );
    for (class, (count, example)) in by_count.iter().take(20) {
        println!("  {count:>5}  {class}  e.g. {example}");
    }
    assert!(failures.is_empty(), "below floor: {failures:?}");
}
