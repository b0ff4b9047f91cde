//! `aaprof compile`.

use super::{PolicyInputArgs, EXIT_USAGE};
use clap::Args;

#[derive(Debug, Args)]
pub struct CompileArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(_args: CompileArgs) -> u8 {
    eprintln!("aaprof compile: not implemented yet");
    EXIT_USAGE
}
