//! `aaprof lsp`: the language server on standard input and output
//! ([`crate::lsp`]). The flags are `check`'s input flags; a client's
//! settings override them.

use super::{EXIT_OK, EXIT_USAGE, PolicySettingsArgs};
use clap::Args;

#[derive(Debug, Args)]
pub struct LspArgs {
    #[command(flatten)]
    pub settings: PolicySettingsArgs,
    /// Accepted for clients that pass it; stdio is the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

pub fn run(args: LspArgs) -> u8 {
    let (connection, io) = lsp_server::Connection::stdio();
    let result = crate::lsp::run(connection, args.settings);
    let joined = io.join();
    match (result, joined) {
        (Ok(()), Ok(())) => EXIT_OK,
        (Err(e), _) => {
            eprintln!("aaprof lsp: {e}");
            EXIT_USAGE
        }
        (_, Err(e)) => {
            eprintln!("aaprof lsp: {e}");
            EXIT_USAGE
        }
    }
}
