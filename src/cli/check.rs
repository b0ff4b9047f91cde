//! `aaprof check`.

use super::{EXIT_USAGE, PolicyInputArgs};
use clap::Args;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(_args: CheckArgs) -> u8 {
    eprintln!("aaprof check: not implemented yet");
    EXIT_USAGE
}
