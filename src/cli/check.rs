//! `aaprof check`: every check apparmor_parser runs before building DFAs,
//! every error of every input reported, in the format CI wants.

use super::common::PolicyConfig;
use super::common::{DiagnosticFormat, WarnArgs, emit_per_input, place_on_input};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::compile::{Session, missing_abi_warning};
use crate::diagnostics::Diagnostic;
use crate::features::FeatureSet;
use crate::resolve::{Input, Loaded, load};
use clap::Args;
use rayon::prelude::*;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
    #[command(flatten)]
    pub warn: WarnArgs,
    /// How to print diagnostics: human (stderr), json (one object per
    /// line), sarif (one SARIF 2.1.0 log) or github (Actions annotations),
    /// the last three on stdout.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Instead of checking the policy, say whether the policy cache under
    /// DIR (a `--cache-loc`) is current for every input: one
    /// `PATH: current|stale` line each; exit 1 if any is stale.
    #[arg(long = "cache", value_name = "DIR")]
    pub cache: Option<std::path::PathBuf>,
}

pub fn run(args: CheckArgs) -> u8 {
    if let Some(loc) = &args.cache {
        return super::check_cache::run(&args.input, loc);
    }
    match check(&args) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("aaprof check: {e}");
            EXIT_USAGE
        }
    }
}

/// Loads every input, adds the warnings the features allow (rule classes
/// the kernel does not mediate: `-M`/`--kernel-features`, else the running
/// kernel's, else 5.0.2's fallback `builtin:apparmor-5.0-no-kernel`; a
/// missing `abi` rule), applies `--warn`/`--Werror`, prints, and gives the
/// exit status: 2 if an input is unreadable, else 1 if any error, else 0.
fn check(args: &CheckArgs) -> Result<u8, String> {
    let mut config = args.input.config()?;
    if args.warn.apply(&mut config.warnings)? {
        return Ok(EXIT_OK);
    }
    config.report_conf_warnings("check")?;
    let inputs = args.input.inputs()?;
    let (session, policy_features_given) = check_session(&config)?;
    let per_input: Vec<(bool, Vec<Diagnostic>)> = inputs
        .par_iter()
        .map(|input| {
            let checked = check_input(input, &config, &session, policy_features_given);
            (checked.unreadable, checked.diagnostics)
        })
        .collect();
    let mut status = EXIT_OK;
    for (unreadable, diagnostics) in &per_input {
        if *unreadable {
            status = EXIT_USAGE;
        } else if diagnostics.iter().any(Diagnostic::is_error) && status == EXIT_OK {
            status = EXIT_POLICY_ERROR;
        }
    }
    emit_per_input(per_input, args.format);
    Ok(status)
}

/// The session `check` runs in for a configuration: its features, else
/// the running kernel's; and whether policy features were given (no
/// `abi-missing` warning then).
pub fn check_session(config: &PolicyConfig) -> Result<(Session, bool), String> {
    let features = config.feature_sources()?;
    let policy_features_given = features.pinned.is_some() || features.override_abi.is_some();
    let mut session = Session::new(config.options.clone(), features);
    if session.features.kernel.is_none() {
        session.default_kernel = FeatureSet::from_running_kernel().ok();
    }
    Ok((session, policy_features_given))
}

/// What checking one input gave.
pub struct Checked {
    /// The input could not be read (exit status 2).
    pub unreadable: bool,
    /// Every diagnostic shown under the warning settings, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// The load itself: model, variables, includes met.
    pub loaded: Loaded,
}

/// Checks one input exactly as `aaprof check` does (also `aaprof lsp`'s
/// diagnostics): load, then the warnings and encoder errors the features
/// give when the front end found no error, placed and filtered by the
/// warning settings.
pub fn check_input(
    input: &Input,
    config: &PolicyConfig,
    session: &Session,
    policy_features_given: bool,
) -> Checked {
    let mut loaded = load(input, &config.options, &session.cache);
    let unreadable = loaded.diagnostics.iter().any(|d| d.code == "io");
    if !loaded.has_errors() {
        // Without kernel features, the running kernel's or 5.0.2's
        // fallback ones (as compile uses).
        let warnings = session.check_diagnostics(&loaded.policy);
        loaded.diagnostics.extend(warnings);
        loaded.diagnostics.extend(missing_abi_warning(
            &loaded.policy,
            input,
            policy_features_given,
            session,
        ));
    }
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    place_on_input(&mut diagnostics, input, &session.cache);
    Checked {
        unreadable,
        diagnostics: config.warnings.apply(diagnostics),
        loaded,
    }
}
