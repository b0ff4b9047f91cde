//! `aaprof names`: one profile name per line (apparmor_parser `-N`):
//! `name`, `name//hat`, `name//child`, `:ns://name` for namespaced ones
//! (apparmor_parser's spelling).

use super::common::{DiagnosticFormat, emit};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::resolve::{SourceCache, load};
use clap::Args;

#[derive(Debug, Args)]
pub struct NamesArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(args: NamesArgs) -> u8 {
    let (config, inputs) = match args
        .input
        .config()
        .and_then(|c| Ok((c, args.input.inputs()?)))
    {
        Ok(x) => x,
        Err(e) => {
            eprintln!("aaprof names: {e}");
            return EXIT_USAGE;
        }
    };
    let cache = SourceCache::new();
    let mut status = EXIT_OK;
    for input in &inputs {
        let loaded = load(input, &config.options, &cache);
        if loaded.has_errors() {
            emit(&loaded.diagnostics, DiagnosticFormat::Human);
            status = EXIT_POLICY_ERROR;
            continue;
        }
        for n in &loaded.names {
            println!("{n}");
        }
    }
    status
}
