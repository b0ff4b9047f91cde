//! `aaprof compile`.

use super::{EXIT_USAGE, PolicyInputArgs};
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
