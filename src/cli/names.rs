//! `aaprof names`.

use super::{EXIT_USAGE, PolicyInputArgs};
use clap::Args;

#[derive(Debug, Args)]
pub struct NamesArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(_args: NamesArgs) -> u8 {
    eprintln!("aaprof names: not implemented yet");
    EXIT_USAGE
}
