//! How fast `aaprof lsp` refreshes diagnostics while typing: the largest
//! corpus profile (`groups/code/code`, 30-odd includes) opened once, then
//! edited and checked again, as the server does after each quiet
//! interval (check + conversion to the protocol's diagnostics). Prints the
//! wall and CPU times; fails when the best refresh takes 100 ms of CPU
//! (wall time depends on what else the machine runs: on the shared 2-core
//! build machine it is often several times the CPU time). Skips without
//! ../shared.

use aaprof::cli::PolicySettingsArgs;
use aaprof::lsp::diagnostics::convert;
use aaprof::lsp::text::path_to_uri;
use aaprof::lsp::workspace::Workspace;
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn refresh_of_the_largest_corpus_profile_is_fast() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let profile = corpus.join("apparmor.d/groups/code/code");
    if !profile.exists() {
        eprintln!("skipped: ../shared/corpus not present");
        return;
    }
    let args = PolicySettingsArgs {
        include: vec![corpus.join("apparmor.d"), corpus.join("base")],
        base: Some(corpus.join("apparmor.d")),
        config_file: Some("/dev/null".into()),
        features_file: Some(corpus.join("../features/debian-6.12.txt")),
        ..PolicySettingsArgs::default()
    };
    let mut ws = Workspace::new(&args).expect("workspace");
    let uri = path_to_uri(&profile);
    let text = std::fs::read_to_string(&profile).unwrap();
    let started = Instant::now();
    ws.open(uri.clone(), text.clone(), 1);
    let first = ws.check(&uri).expect("checked");
    assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
    let files = first.deps.len();
    let open_time = started.elapsed();
    let mut best = Duration::MAX;
    let mut best_cpu = Duration::MAX;
    let mut times = Vec::new();
    for version in 2..8 {
        // A keystroke: a comment line typed at the top, then removed.
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 0), Position::new(0, 0))),
            range_length: None,
            text: if version % 2 == 0 {
                "# x\n".into()
            } else {
                String::new()
            },
        };
        let change = if version % 2 == 0 {
            change
        } else {
            TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(0, 0), Position::new(1, 0))),
                ..change
            }
        };
        let t = Instant::now();
        let c = cpu_time();
        ws.change(&uri, version, vec![change]);
        let analysis = ws.check(&uri).expect("checked");
        let diagnostics = analysis.diagnostics.clone();
        let all_empty = convert(&diagnostics, &uri, &ws).values().all(Vec::is_empty);
        let elapsed = t.elapsed();
        best_cpu = best_cpu.min(cpu_time() - c);
        assert!(all_empty);
        times.push(elapsed.as_secs_f64() * 1000.0);
        best = best.min(elapsed);
    }
    println!(
        "lsp refresh, groups/code/code ({files} included files): first open {:.1} ms; \
         after a change {} ms wall (best {:.1} ms wall, {:.1} ms CPU)",
        open_time.as_secs_f64() * 1000.0,
        times
            .iter()
            .map(|t| format!("{t:.1}"))
            .collect::<Vec<_>>()
            .join(", "),
        best.as_secs_f64() * 1000.0,
        best_cpu.as_secs_f64() * 1000.0
    );
    assert!(
        best_cpu < Duration::from_millis(100),
        "refresh took {best_cpu:?} of CPU"
    );
}

/// CPU time of the process so far (every thread).
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
