//! `aaprof completions SHELL`: a completion script generated from the
//! clap definitions, so it never drifts from the real options.

use super::{Cli, EXIT_OK, EXIT_USAGE};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Writes the script to stdout. Install e.g. with
/// `aaprof completions bash > /usr/share/bash-completion/completions/aaprof`.
pub fn run(args: CompletionsArgs) -> u8 {
    use std::io::Write;
    let mut command = Cli::command();
    // Into a buffer first: clap_complete panics on a write error (a
    // closed pipe), a buffer never fails.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "aaprof", &mut script);
    match std::io::stdout().lock().write_all(&script) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}
