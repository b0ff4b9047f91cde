//! `aaprof preprocess`: the policy with includes inlined (apparmor_parser
//! `-p`).

use super::common::{DiagnosticFormat, emit};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::resolve::{SourceCache, load, parse_input, preprocess};
use clap::Args;

#[derive(Debug, Args)]
pub struct PreprocessArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(args: PreprocessArgs) -> u8 {
    let (config, inputs) = match args
        .input
        .config()
        .and_then(|c| Ok((c, args.input.inputs()?)))
    {
        Ok(x) => x,
        Err(e) => {
            eprintln!("aaprof preprocess: {e}");
            return EXIT_USAGE;
        }
    };
    let cache = SourceCache::new();
    let mut status = EXIT_OK;
    for input in &inputs {
        match parse_input(input, &cache) {
            Ok(file) => print!("{}", preprocess(&file, &config.options, &cache)),
            Err(d) => {
                emit(&[d], DiagnosticFormat::Human);
                return EXIT_USAGE;
            }
        }
        let loaded = load(input, &config.options, &cache);
        if loaded.has_errors() {
            emit(&loaded.diagnostics, DiagnosticFormat::Human);
            status = EXIT_POLICY_ERROR;
        }
    }
    status
}
