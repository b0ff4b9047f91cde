//! `aaprof lint`: the checks policy projects script by hand (see
//! `crate::lint`), in `check`'s output formats.

use super::common::{DiagnosticFormat, emit_per_input, place_on_input};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::compile::Session;
use crate::diagnostics::{Code, Diagnostic};
use crate::features::FeatureSet;
use crate::lint::lint_input;
use clap::Args;
use rayon::prelude::*;
use std::path::Path;

/// The kernel lint judges rules against when none is named: every class
/// the upstream parser's tests know, so no rule is dropped before it can
/// be judged (and results do not depend on the machine lint runs on).
const DEFAULT_KERNEL: &str = "builtin:upstream-all";

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
    /// How to print findings: human (stderr), json (one object per line),
    /// sarif (one SARIF 2.1.0 log) or github (Actions annotations), the
    /// last three on stdout.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Switch a check off for every input: a code (`AA3004`) or name
    /// (`unconfined-exec`); repeatable or comma-separated.
    #[arg(long = "disable", value_name = "CODE", value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Exit 0 even when there are findings (errors still exit 1).
    #[arg(long = "exit-zero")]
    pub exit_zero: bool,
}

pub fn run(args: LintArgs) -> u8 {
    match lint(&args) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("aaprof lint: {e}");
            EXIT_USAGE
        }
    }
}

/// Exit status: 2 for usage errors and unreadable inputs, else 1 when an
/// input fails `check` or (without `--exit-zero`) any finding remains,
/// else 0.
fn lint(args: &LintArgs) -> Result<u8, String> {
    let disabled = args
        .disable
        .iter()
        .map(|name| {
            Code::parse(name.trim())
                .filter(|c| c.is_lint() || *c == Code::AbiMissing)
                .ok_or_else(|| format!("--disable: `{name}` is no lint code (docs/diagnostics.md)"))
        })
        .collect::<Result<Vec<Code>, String>>()?;
    let config = args.input.config()?;
    let inputs = args.input.inputs()?;
    let features = config.feature_sources()?;
    let mut session = Session::new(config.options.clone(), features);
    if session.features.kernel.is_none() {
        session.default_kernel = FeatureSet::load(Path::new(DEFAULT_KERNEL)).ok();
    }
    let per_input: Vec<(bool, Vec<Diagnostic>)> = inputs
        .par_iter()
        .map(|input| {
            let mut diagnostics = lint_input(input, &session);
            let unreadable = diagnostics.iter().any(|d| d.code == "io");
            diagnostics.retain(|d| d.is_error() || !disabled.contains(&d.stable_code()));
            place_on_input(&mut diagnostics, input, &session.cache);
            (unreadable, diagnostics)
        })
        .collect();
    let mut status = EXIT_OK;
    for (unreadable, diagnostics) in &per_input {
        let fails = diagnostics.iter().any(Diagnostic::is_error)
            || (!args.exit_zero && !diagnostics.is_empty());
        if *unreadable {
            status = EXIT_USAGE;
        } else if fails && status == EXIT_OK {
            status = EXIT_POLICY_ERROR;
        }
    }
    emit_per_input(per_input, args.format);
    Ok(status)
}
