//! `aaprof compile`: apparmor_parser's `-Q -S` / `-o FILE` (and, for
//! scripts written for apparmor_parser, `-a/-r/-R`: see `load`).

use super::common::{CacheArgs, DiagnosticFormat, WarnArgs, emit, place_on_input};
use super::load::{ActionArgs, LoadArgs};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::cache::store::Role;
use crate::cache::{Store, cache_dir};
use crate::compile::{Compiled, Session};
use crate::diagnostics::{Code, WarnClass, WarnSettings};
use crate::features::{FeatureSet, FeatureSources};
use crate::resolve::Input;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CompileArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
    /// Write the blob to standard output.
    #[arg(short = 'S', long = "stdout")]
    pub stdout: bool,
    /// Write the blob to FILE (atomically: a temporary file renamed into
    /// place); if FILE is a directory, one blob per input file, named by the
    /// file's basename.
    #[arg(short = 'o', long = "ofile", value_name = "FILE")]
    pub ofile: Option<PathBuf>,
    /// Do not load into the kernel: with -a/-r/-R, only compile (as
    /// apparmor_parser -Q).
    #[arg(short = 'Q', long = "skip-kernel-load")]
    pub skip_kernel_load: bool,
    /// apparmor_parser's actions, for scripts written for it: without -Q,
    /// `compile -a/-r/-R` is `aaprof load -a/-r/-R`.
    #[command(flatten)]
    pub action: ActionArgs,
    /// With -a/-r/-R: the AppArmor interface directory (see `load`).
    #[arg(short = 'f', long = "apparmorfs", visible_alias = "subdomainfs", value_name = "DIR", default_value = crate::kernel::DEFAULT_APPARMORFS)]
    pub apparmorfs: PathBuf,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Write one cache per features FILE or `builtin:NAME` (repeatable; a
    /// directory stands for every file in it), each compiled against that
    /// set as `-M`; implies --write-cache.
    #[arg(long = "cache-features", value_name = "FILE|DIR")]
    pub cache_features: Vec<PathBuf>,
    /// Print the cache directory the kernel features select, and exit.
    #[arg(long = "print-cache-dir")]
    pub print_cache_dir: bool,
    #[command(flatten)]
    pub warn: WarnArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Compile this many inputs at once (default: every core). The output
    /// is the same whatever the number.
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// Print per-stage times and DFA state counts to stderr at the end.
    #[arg(long)]
    pub stats: bool,
    /// Refuse to build any DFA with more states than this (before
    /// minimisation): the profile fails with an error instead of using
    /// unbounded time and memory.
    #[arg(long, value_name = "N", default_value_t = crate::dfa::BuildOptions::default().max_states)]
    pub max_states: usize,
}

pub fn run(args: CompileArgs) -> u8 {
    match compile(&args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("aaprof compile: {message}");
            EXIT_USAGE
        }
    }
}

fn compile(args: &CompileArgs) -> Result<u8, String> {
    if args.action.given() && !args.skip_kernel_load && !args.print_cache_dir {
        if args.stdout || args.ofile.is_some() || !args.cache_features.is_empty() {
            return Err(
                "-a, -r and -R load policy into the kernel: not with -S, -o or --cache-features (add -Q to only compile)".into(),
            );
        }
        return Ok(super::load::run(load_args(args)));
    }
    let mut config = args.input.config()?;
    if args.warn.apply(&mut config.warnings)? {
        return Ok(EXIT_OK);
    }
    config.report_conf_warnings("compile")?;
    let warnings = config.warnings.clone();
    let inputs = args.input.inputs()?;
    let features = config.feature_sources()?;
    let runs = cache_feature_runs(&args.cache_features, &features)?;
    if runs.is_empty() {
        return compile_with(args, &inputs, config.options, features, &warnings);
    }
    if args.stdout || args.ofile.is_some() || args.print_cache_dir {
        return Err("--cache-features writes caches only: no -S, -o or --print-cache-dir".into());
    }
    let mut status = EXIT_OK;
    for features in runs {
        status = status.max(compile_with(
            args,
            &inputs,
            config.options.clone(),
            features,
            &warnings,
        )?);
    }
    Ok(status)
}

/// `aaprof load` with this command line's options.
fn load_args(args: &CompileArgs) -> LoadArgs {
    LoadArgs {
        input: args.input.clone(),
        action: args.action.clone(),
        binary: false,
        skip_kernel_load: false,
        apparmorfs: args.apparmorfs.clone(),
        cache: args.cache.clone(),
        verbose: false,
        warn: args.warn.clone(),
        format: args.format,
        jobs: args.jobs,
        max_states: args.max_states,
    }
}

/// One feature set per file named by `--cache-features` (a directory
/// stands for its files, in name order), each replacing `-M` for both the
/// kernel and the policy features; `--override-policy-abi` still applies.
fn cache_feature_runs(
    paths: &[PathBuf],
    given: &FeatureSources,
) -> Result<Vec<FeatureSources>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let inner = crate::resolve::directory_files(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            files.extend(inner);
        } else {
            files.push(path.clone());
        }
    }
    files
        .iter()
        .map(|file| {
            let set = FeatureSet::load(file).map_err(|e| e.to_string())?;
            Ok(FeatureSources {
                override_abi: given.override_abi.clone(),
                ..FeatureSources::both(set)
            })
        })
        .collect()
}

/// Compiles every input against one choice of feature sets.
fn compile_with(
    args: &CompileArgs,
    inputs: &[Input],
    options: crate::resolve::Options,
    features: FeatureSources,
    warnings: &WarnSettings,
) -> Result<u8, String> {
    let mut session = Session::new(options, features);
    session.build.max_states = args.max_states;
    if session.features.kernel.is_none() {
        session.default_kernel = FeatureSet::from_running_kernel().ok();
    }
    let kernel = session
        .features
        .kernel
        .clone()
        .or_else(|| session.default_kernel.clone());
    let writes_cache = args.cache.write_cache || !args.cache_features.is_empty();
    // Without kernel features the cache is off, as in apparmor_parser
    // 5.0.2 (its `cache` warning, word for word); the policy still
    // compiles, for the fallback kernel.
    if kernel.is_none() && (args.print_cache_dir || (writes_cache && !args.cache.skip_cache)) {
        const NO_CACHE: &str = "Cache read/write disabled: interface file missing. (Kernel needs AppArmor 2.4 compatibility patch.)";
        if warnings.is_error(WarnClass::Cache) {
            return Err(NO_CACHE.into());
        }
        if warnings.shows(WarnClass::Cache) {
            eprintln!("aaprof compile: warning: {NO_CACHE}");
        }
        if args.print_cache_dir {
            return Ok(EXIT_OK);
        }
    }
    if let (true, Some(kernel)) = (args.print_cache_dir, &kernel) {
        let dir = cache_dir(&args.cache.cache_loc, kernel).map_err(|e| e.to_string())?;
        println!("{}", dir.display());
        return Ok(EXIT_OK);
    }
    let store = match (&kernel, writes_cache && !args.cache.skip_cache) {
        (Some(kernel), true) => {
            Some(Store::open(&args.cache.cache_loc, kernel, &session).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    let pool = worker_pool(args.jobs)?;
    let read_cache = !args.cache.skip_read_cache;
    let results = compile_or_reuse(
        &pool,
        inputs,
        store.as_ref(),
        read_cache,
        &session,
        warnings,
    );
    if args.cache.show_cache && store.is_some() {
        show_cache_use("compile", &results, inputs);
    }
    if let Some(store) = store {
        let dir = pool.install(|| record_in_cache(store, inputs, &results, &session, warnings))?;
        if args.stats {
            let reused = results.iter().filter(|(r, _)| *r).count();
            eprintln!(
                "cache: {reused} reused, {} compiled ({})",
                results.len() - reused,
                dir.display()
            );
        }
    }
    let mut results: Vec<Compiled> = results.into_iter().map(|(_, c)| c).collect();
    let passed = report_diagnostics(&mut results, inputs, &session, warnings, args.format);
    let status = if passed.iter().all(|ok| *ok) {
        EXIT_OK
    } else {
        EXIT_POLICY_ERROR
    };
    if args.stats {
        eprint!("{}", session.stats.report());
    }
    if status != EXIT_OK {
        return Ok(status);
    }
    let blobs = inputs
        .iter()
        .zip(results.iter().filter_map(|c| c.blob.as_deref()));
    match &args.ofile {
        Some(dir) if dir.is_dir() => {
            for (input, blob) in blobs {
                let path = dir.join(output_name(input));
                write_atomically(&path, blob)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
        Some(path) => {
            let blob: Vec<u8> = blobs.flat_map(|(_, blob)| blob.iter().copied()).collect();
            write_atomically(path, &blob)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        None if args.stdout => {
            let mut out = std::io::stdout().lock();
            for (_, blob) in blobs {
                out.write_all(blob)
                    .map_err(|e| format!("cannot write standard output: {e}"))?;
            }
        }
        None => {}
    }
    Ok(EXIT_OK)
}

/// `-k`: one line per input file on stderr, whether its blob came from the
/// cache.
pub(super) fn show_cache_use(command: &str, results: &[(bool, Compiled)], inputs: &[Input]) {
    for ((reused, _), input) in results.iter().zip(inputs) {
        if let Input::Path(path) = input {
            let what = if *reused { "hit" } else { "miss" };
            eprintln!("aaprof {command}: cache {what}: {}", path.display());
        }
    }
}

/// The worker threads of a run: `jobs` of them, or one per core.
pub(super) fn worker_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))
}

/// Compiles every input on `pool`, or takes its blob from `store` when
/// `read_cache` and its entry is fresh (and its recorded warnings would
/// not fail it now). Per input: whether the blob was reused, and the
/// result.
pub(super) fn compile_or_reuse(
    pool: &rayon::ThreadPool,
    inputs: &[Input],
    store: Option<&Store>,
    read_cache: bool,
    session: &Session,
    warnings: &WarnSettings,
) -> Vec<(bool, Compiled)> {
    let progress = progress_bar(inputs.len());
    let roles = input_roles(inputs);
    let results = pool.install(|| {
        inputs
            .par_iter()
            .zip(&roles)
            .map(|(input, role)| {
                let cached = match (store, input) {
                    (Some(store), Input::Path(path)) if read_cache => store
                        .lookup(path, *role, session)
                        .filter(|_| !fails_under(warnings, store.recorded_warnings(path))),
                    _ => None,
                };
                let compiled = match cached {
                    Some(blob) => (true, Compiled::reused(blob)),
                    None => (false, session.compile_input(input)),
                };
                progress.inc(1);
                compiled
            })
            .collect()
    });
    progress.finish_and_clear();
    results
}

/// Prints each input's diagnostics (placed on its file, with the warning
/// settings applied) in `format`; returns per input whether it passed: a
/// blob and no error, including warnings made errors by --Werror.
pub(super) fn report_diagnostics(
    results: &mut [Compiled],
    inputs: &[Input],
    session: &Session,
    warnings: &WarnSettings,
    format: DiagnosticFormat,
) -> Vec<bool> {
    let mut passed = Vec::with_capacity(results.len());
    for (compiled, input) in results.iter_mut().zip(inputs) {
        place_on_input(&mut compiled.diagnostics, input, &session.cache);
        compiled.diagnostics = warnings.apply(std::mem::take(&mut compiled.diagnostics));
        passed.push(compiled.blob.is_some() && !compiled.diagnostics.iter().any(|d| d.is_error()));
        if format != DiagnosticFormat::Sarif {
            emit(&compiled.diagnostics, format);
        }
    }
    if format == DiagnosticFormat::Sarif {
        let all: Vec<_> = results.iter().flat_map(|c| c.diagnostics.clone()).collect();
        emit(&all, format);
    }
    passed
}

/// Whether warnings recorded for a cached entry (by name) would fail the
/// input under these settings (`--Werror=CLASS`): then it is compiled
/// again, so the error is reported, rather than reused.
fn fails_under(warnings: &WarnSettings, recorded: &[String]) -> bool {
    recorded.iter().any(|name| {
        Code::from_name(name)
            .warn_class()
            .is_some_and(|class| warnings.is_error(class))
    })
}

/// The cache role of each input (see [`Role`]): the last input with a
/// basename owns the cache file of that name.
pub(super) fn input_roles(inputs: &[Input]) -> Vec<Role> {
    Role::of_run(inputs.iter().map(|input| match input {
        Input::Path(path) => Some(path.as_path()),
        Input::Text { .. } => None,
    }))
}

/// Writes every newly compiled blob of a path input into the cache and
/// commits the manifest; returns the cache directory.
pub(super) fn record_in_cache(
    store: Store,
    inputs: &[Input],
    results: &[(bool, Compiled)],
    session: &Session,
    warnings: &WarnSettings,
) -> Result<PathBuf, String> {
    let roles = input_roles(inputs);
    for (input, role) in inputs.iter().zip(&roles) {
        if let (Input::Path(path), Role::Shadowed) = (input, role) {
            eprintln!(
                "aaprof compile: a later input has the same basename as {}: it gets the cache file {} (as with apparmor_parser); this one is kept aside",
                path.display(),
                output_name(input),
            );
        }
    }
    inputs
        .par_iter()
        .zip(&roles)
        .zip(results.par_iter())
        .try_for_each(
            |((input, role), (reused, compiled))| match (input, &compiled.blob) {
                // An input failing under --Werror is not cached (like a
                // compile error): its blob must not be loaded.
                (Input::Path(path), Some(blob))
                    if !reused
                        && !warnings
                            .apply(compiled.diagnostics.clone())
                            .iter()
                            .any(|d| d.is_error()) =>
                {
                    store
                        .record(path, *role, compiled, blob, session)
                        .map_err(|e| e.to_string())
                }
                _ => Ok(()),
            },
        )?;
    store.commit().map_err(|e| e.to_string())
}

/// The per-input blob name in an output directory: the source file's
/// basename, as apparmor_parser names cache entries.
pub(super) fn output_name(input: &Input) -> String {
    match input {
        Input::Path(path) => path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "policy".into()),
        Input::Text { .. } => "stdin".into(),
    }
}

/// A progress bar on stderr for runs of several inputs; indicatif draws
/// nothing when stderr is not a terminal.
fn progress_bar(inputs: usize) -> ProgressBar {
    if inputs < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} profiles {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// Writes `bytes` to a temporary file beside `path` and renames it over
/// `path`, so readers never see a partial file; permission bits as a newly
/// created file's (0666 less the umask).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::cache::write_file_atomically(path, bytes, 0o666, None)
}
