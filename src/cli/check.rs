//! `aaprof check`: every check apparmor_parser runs before building DFAs,
//! every error of every input reported.

use super::common::{DiagnosticFormat, emit};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::resolve::{SourceCache, load};
use clap::Args;
use rayon::prelude::*;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
    /// How to print diagnostics.
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
    let config = match args.input.config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("aaprof check: {e}");
            return EXIT_USAGE;
        }
    };
    let inputs = match args.input.inputs() {
        Ok(i) => i,
        Err(e) => {
            eprintln!("aaprof check: {e}");
            return EXIT_USAGE;
        }
    };
    let cache = SourceCache::new();
    let results: Vec<_> = inputs
        .par_iter()
        .map(|input| load(input, &config.options, &cache))
        .collect();
    let mut status = EXIT_OK;
    for loaded in &results {
        emit(&loaded.diagnostics, args.format);
        if loaded.diagnostics.iter().any(|d| d.code == "io") {
            status = EXIT_USAGE;
        } else if loaded.has_errors() && status == EXIT_OK {
            status = EXIT_POLICY_ERROR;
        }
    }
    status
}
