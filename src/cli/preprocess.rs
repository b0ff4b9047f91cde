//! `aaprof preprocess`.

use super::{EXIT_USAGE, PolicyInputArgs};
use clap::Args;

#[derive(Debug, Args)]
pub struct PreprocessArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(_args: PreprocessArgs) -> u8 {
    eprintln!("aaprof preprocess: not implemented yet");
    EXIT_USAGE
}
