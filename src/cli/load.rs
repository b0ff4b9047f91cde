//! `aaprof load`: apparmor_parser's `-a` / `-r` / `-R`. Compiles each
//! profile file (or takes its fresh policy-cache entry) and writes it to
//! the kernel's AppArmor interface; `--remove` writes the file's profile
//! names instead. `compile -a/-r/-R` (without -Q) comes here too, for
//! scripts written for apparmor_parser.
//!
//! One profile file is one profile set: if it fails to compile nothing
//! of it is loaded, and its blob goes to the kernel in one write when the
//! kernel takes sets (`policy/set_load`), which applies the set all or
//! nothing (see [`crate::kernel`]).

use super::common::{CacheArgs, DiagnosticFormat, WarnArgs, emit};
use super::compile::{
    compile_or_reuse, record_in_cache, report_diagnostics, show_cache_use, worker_pool,
};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::cache::Store;
use crate::compile::{Compiled, Session};
use crate::features::FeatureSet;
use crate::kernel::{Action, Interface, LoadError, fqname, record_names};
use crate::resolve::{Input, SourceCache};
use clap::Args;
use std::path::{Path, PathBuf};

/// apparmor_parser's action options; at most one (none means `--add`).
#[derive(Debug, Clone, Default, Args)]
#[group(id = "action", multiple = false)]
pub struct ActionArgs {
    /// Add the profiles to the kernel (the default); the kernel refuses a
    /// profile whose name is already loaded.
    #[arg(short = 'a', long = "add")]
    pub add: bool,
    /// Replace the profiles of these names, or add them when not loaded.
    #[arg(short = 'r', long = "replace", visible_alias = "reload")]
    pub replace: bool,
    /// Remove the profiles these files declare (by name: the files are
    /// parsed, not compiled).
    #[arg(short = 'R', long = "remove")]
    pub remove: bool,
}

impl ActionArgs {
    /// Whether any action was given.
    pub fn given(&self) -> bool {
        self.add || self.replace || self.remove
    }

    /// The action selected, `--add` by default.
    pub fn action(&self) -> Action {
        if self.replace {
            Action::Replace
        } else if self.remove {
            Action::Remove
        } else {
            Action::Add
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
    #[command(flatten)]
    pub action: ActionArgs,
    /// The files are blobs (from `compile -S` or `-o`, or cache files):
    /// load them as they are, compiling nothing (implies -K).
    #[arg(short = 'B', long = "binary")]
    pub binary: bool,
    /// Do everything but write to the kernel (compile, use and update the
    /// cache).
    #[arg(short = 'Q', long = "skip-kernel-load")]
    pub skip_kernel_load: bool,
    /// The AppArmor interface directory (securityfs), also where the
    /// kernel's features are read when no features file is given.
    #[arg(short = 'f', long = "apparmorfs", visible_alias = "subdomainfs", value_name = "DIR", default_value = crate::kernel::DEFAULT_APPARMORFS)]
    pub apparmorfs: PathBuf,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Report each profile set as it is loaded, replaced or removed.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    #[command(flatten)]
    pub warn: WarnArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Compile this many inputs at once (default: every core).
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// Refuse to build any DFA with more states than this (see compile).
    #[arg(long, value_name = "N", default_value_t = crate::dfa::BuildOptions::default().max_states)]
    pub max_states: usize,
}

pub fn run(args: LoadArgs) -> u8 {
    match load(&args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("aaprof load: {message}");
            EXIT_USAGE
        }
    }
}

/// How a run uses the policy cache (apparmor_parser's rules for `-K`,
/// `-T`, `-W`): `-K` turns both off, `-T` reading; `-W` turns writing
/// on. Standard input has no cache entry; removal never uses the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePlan {
    pub read: bool,
    pub write: bool,
}

impl CachePlan {
    pub fn decide(args: &LoadArgs) -> CachePlan {
        let used = !args.cache.skip_cache && args.action.action() != Action::Remove;
        CachePlan {
            read: used && !args.cache.skip_read_cache,
            write: used && args.cache.write_cache,
        }
    }
}

fn load(args: &LoadArgs) -> Result<u8, String> {
    let mut config = args.input.config()?;
    if args.warn.apply(&mut config.warnings)? {
        return Ok(EXIT_OK);
    }
    config.report_conf_warnings("load")?;
    let features = config.feature_sources()?;
    let kernel = match &features.kernel {
        Some(set) => set.clone(),
        None => {
            let dir = args.apparmorfs.join("features");
            FeatureSet::load(&dir).map_err(|e| {
                format!("{e} (the kernel's features; --features-file names a file instead)")
            })?
        }
    };
    let interface = match args.skip_kernel_load {
        true => None,
        false => Some(Interface::new(&args.apparmorfs, &kernel)?),
    };
    let action = args.action.action();
    if args.binary {
        if action == Action::Remove {
            return Err(
                "--remove takes profile files (it needs their names), not --binary blobs".into(),
            );
        }
        return load_binaries(&args.input.files, action, interface.as_ref(), args);
    }
    // Read after --binary's branch: that reads standard input as bytes.
    let inputs = args.input.inputs()?;
    if action == Action::Remove {
        return Ok(remove(&inputs, &config.options, interface.as_ref(), args));
    }
    let mut session = Session::new(config.options, features);
    session.build.max_states = args.max_states;
    if session.features.kernel.is_none() {
        session.default_kernel = Some(kernel.clone());
    }
    let plan = CachePlan::decide(args);
    let store = open_store(plan, &args.cache.cache_loc, &kernel, &session)?;
    let warnings = &config.warnings;
    let pool = worker_pool(args.jobs)?;
    let results = compile_or_reuse(
        &pool,
        &inputs,
        store.as_ref(),
        plan.read,
        &session,
        warnings,
    );
    if args.cache.show_cache && store.is_some() {
        show_cache_use("load", &results, &inputs);
    }
    let (reused, mut compiled): (Vec<bool>, Vec<Compiled>) = results.into_iter().unzip();
    let passed = report_diagnostics(&mut compiled, &inputs, &session, warnings, args.format);
    let mut status = EXIT_OK;
    // Per input: loaded (or would have been, with -Q) from a fresh compile,
    // so its blob may go to the cache.
    let mut cacheable = vec![false; inputs.len()];
    for (i, input) in inputs.iter().enumerate() {
        if !passed[i] {
            status = EXIT_POLICY_ERROR;
            continue;
        }
        let Some(blob) = compiled[i].blob.take() else {
            continue;
        };
        let Some(interface) = &interface else {
            cacheable[i] = !reused[i];
            continue;
        };
        match load_one(interface, action, input, blob, reused[i], &session, args) {
            Ok((blob, fresh)) => {
                compiled[i].blob = Some(blob);
                cacheable[i] = fresh;
            }
            Err(error) => {
                eprintln!("aaprof load: {}: {error}", input_name(input));
                status = EXIT_POLICY_ERROR;
            }
        }
    }
    if let Some(store) = store.filter(|_| plan.write) {
        // Only fresh compiles that loaded are recorded; the others are
        // passed as "reused", which record_in_cache skips.
        let results: Vec<(bool, Compiled)> = cacheable.iter().map(|ok| !ok).zip(compiled).collect();
        pool.install(|| record_in_cache(store, &inputs, &results, &session, warnings))?;
    }
    Ok(status)
}

/// The cache of this kernel's features under `loc`: opened for writing
/// (created if needed) with `-W`, else only looked at (a missing cache
/// has no fresh entry).
fn open_store(
    plan: CachePlan,
    loc: &Path,
    kernel: &FeatureSet,
    session: &Session,
) -> Result<Option<Store>, String> {
    if plan.write {
        return Store::open(loc, kernel, session)
            .map(Some)
            .map_err(|e| e.to_string());
    }
    Ok(plan
        .read
        .then(|| Store::inspect(loc, kernel, session).ok())
        .flatten())
}

/// Writes one input's blob. A cached blob the kernel refuses is compiled
/// again and written once more (apparmor_parser's bad-cache rebuild).
/// Returns the blob that loaded and whether it is a fresh compile.
fn load_one(
    interface: &Interface,
    action: Action,
    input: &Input,
    blob: Vec<u8>,
    reused: bool,
    session: &Session,
    args: &LoadArgs,
) -> Result<(Vec<u8>, bool), LoadError> {
    let what = record_names(&blob).unwrap_or_else(|| input_name(input));
    match interface.load(action, &blob, &what) {
        Ok(()) => {
            report_done(args, action, &what, input);
            Ok((blob, !reused))
        }
        Err(error) if reused => {
            if args.cache.show_cache {
                eprintln!(
                    "aaprof load: the kernel refused the cached blob of {} ({error}); compiling it again",
                    input_name(input)
                );
            }
            let Some(fresh) = session.compile_input(input).blob else {
                return Err(error);
            };
            let what = record_names(&fresh).unwrap_or_else(|| input_name(input));
            interface.load(action, &fresh, &what)?;
            report_done(args, action, &what, input);
            Ok((fresh, true))
        }
        Err(error) => Err(error),
    }
}

fn report_done(args: &LoadArgs, action: Action, what: &str, input: &Input) {
    if args.verbose {
        println!(
            "{} {what} ({})",
            capitalized(action.done()),
            input_name(input)
        );
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `--binary`: each file's bytes go to the kernel as they are.
fn load_binaries(
    files: &[PathBuf],
    action: Action,
    interface: Option<&Interface>,
    args: &LoadArgs,
) -> Result<u8, String> {
    let mut status = EXIT_OK;
    for (name, blob) in binary_inputs(files)? {
        let what = record_names(&blob).unwrap_or_else(|| name.clone());
        let Some(interface) = interface else {
            continue;
        };
        match interface.load(action, &blob, &what) {
            Ok(()) if args.verbose => println!("{} {what} ({name})", capitalized(action.done())),
            Ok(()) => {}
            Err(error) => {
                eprintln!("aaprof load: {name}: {error}");
                status = EXIT_POLICY_ERROR;
            }
        }
    }
    Ok(status)
}

/// The blobs named on the command line: files, every file of each
/// directory (dot files and packaging leftovers skipped, as for
/// sources), or standard input; each with its name for messages.
fn binary_inputs(files: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, String> {
    use std::io::Read;
    if files.is_empty() || files == [PathBuf::from("-")] {
        let mut blob = Vec::new();
        std::io::stdin()
            .read_to_end(&mut blob)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(vec![("standard input".into(), blob)]);
    }
    let mut paths = Vec::new();
    for file in files {
        if file.is_dir() {
            let inner = crate::resolve::directory_files(file)
                .map_err(|e| format!("cannot read directory {}: {e}", file.display()))?;
            paths.extend(inner);
        } else {
            paths.push(file.clone());
        }
    }
    paths
        .into_iter()
        .map(|path| {
            let blob =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok((path.display().to_string(), blob))
        })
        .collect()
}

/// `--remove`: parses each file and writes the name of each profile it
/// declares at top level (hats and children go with their parent), in
/// apparmor_parser's order: outside namespaces first, then by namespace,
/// then by name. A file that does not parse removes nothing.
fn remove(
    inputs: &[Input],
    options: &crate::resolve::Options,
    interface: Option<&Interface>,
    args: &LoadArgs,
) -> u8 {
    let cache = SourceCache::new();
    let mut status = EXIT_OK;
    for input in inputs {
        let loaded = crate::resolve::load(input, options, &cache);
        if loaded.has_errors() {
            emit(&loaded.diagnostics, args.format);
            status = EXIT_POLICY_ERROR;
            continue;
        }
        for name in removal_names(&loaded.policy) {
            let Some(interface) = interface else {
                continue;
            };
            match interface.remove(&name) {
                Ok(()) => report_done(args, Action::Remove, &format!("\"{name}\""), input),
                Err(error) => {
                    eprintln!("aaprof load: {}: {error}", input_name(input));
                    status = EXIT_POLICY_ERROR;
                }
            }
        }
    }
    status
}

/// The fully qualified names of a policy's top-level profiles, in the
/// order apparmor_parser writes them to `.remove`.
pub fn removal_names(policy: &crate::model::Policy) -> Vec<String> {
    let mut top: Vec<(Option<&str>, &str)> = policy
        .profiles
        .iter()
        .map(|p| (p.namespace.as_deref(), p.name.as_str()))
        .collect();
    top.sort();
    top.dedup();
    top.into_iter().map(|(ns, name)| fqname(ns, name)).collect()
}

fn input_name(input: &Input) -> String {
    match input {
        Input::Path(path) => path.display().to_string(),
        Input::Text { .. } => "standard input".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        load: LoadArgs,
    }

    fn parse(args: &[&str]) -> LoadArgs {
        Cli::try_parse_from(std::iter::once("load").chain(args.iter().copied()))
            .expect("parses")
            .load
    }

    #[test]
    fn action_defaults_to_add_and_letters_select() {
        assert_eq!(parse(&["x"]).action.action(), Action::Add);
        assert_eq!(parse(&["-a", "x"]).action.action(), Action::Add);
        assert_eq!(parse(&["-r", "x"]).action.action(), Action::Replace);
        assert_eq!(parse(&["--reload", "x"]).action.action(), Action::Replace);
        assert_eq!(parse(&["-R", "x"]).action.action(), Action::Remove);
        assert!(!parse(&["x"]).action.given());
    }

    #[test]
    fn two_actions_are_refused() {
        let error = Cli::try_parse_from(["load", "-a", "-r", "x"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn cache_plan_follows_apparmor_parser() {
        let plan = |a: &[&str]| CachePlan::decide(&parse(a));
        // Reading is the default; writing needs -W.
        assert_eq!(
            plan(&["-r", "x"]),
            CachePlan {
                read: true,
                write: false
            }
        );
        assert_eq!(
            plan(&["-r", "-W", "x"]),
            CachePlan {
                read: true,
                write: true
            }
        );
        // -T: compile everything, still write with -W.
        assert_eq!(
            plan(&["-r", "-T", "-W", "x"]),
            CachePlan {
                read: false,
                write: true
            }
        );
        // -K: no cache at all, even with -W.
        assert_eq!(
            plan(&["-r", "-K", "-W", "x"]),
            CachePlan {
                read: false,
                write: false
            }
        );
        // Removal never uses the cache.
        assert_eq!(
            plan(&["-R", "-W", "x"]),
            CachePlan {
                read: false,
                write: false
            }
        );
    }

    #[test]
    fn removal_names_are_top_level_in_parser_order() {
        let input = Input::Text {
            name: "t".into(),
            text: "profile foo { ^hat { } }\nprofile bar /usr/bin/bar { }\nprofile :ns1:baz { }\n"
                .into(),
        };
        let loaded = crate::resolve::load(
            &input,
            &crate::resolve::Options::default(),
            &SourceCache::new(),
        );
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        assert_eq!(removal_names(&loaded.policy), ["bar", "foo", ":ns1://baz"]);
    }
}
