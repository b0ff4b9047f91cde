//! `aaprof dump`.

use super::{EXIT_USAGE, PolicyInputArgs};
use clap::Args;

#[derive(Debug, Args)]
pub struct DumpArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(_args: DumpArgs) -> u8 {
    eprintln!("aaprof dump: not implemented yet");
    EXIT_USAGE
}
