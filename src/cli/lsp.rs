//! `aaprof lsp`: the language server on standard input and output
//! ([`crate::lsp`]). The flags are `check`'s input flags; a client's
//! settings override them.

use super::{EXIT_OK, EXIT_USAGE, PolicyInputArgs};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Add a directory to the include search path (repeatable).
    #[arg(short = 'I', long = "Include", value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Base directory for `<...>` includes after the search path.
    #[arg(short = 'b', long = "base", value_name = "DIR")]
    pub base: Option<PathBuf>,
    /// parser.conf to read (default /etc/apparmor/parser.conf).
    #[arg(long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Features file or `builtin:NAME` (kernel and policy).
    #[arg(short = 'M', long = "features-file", value_name = "FILE")]
    pub features_file: Option<PathBuf>,
    /// Kernel features (default: the running kernel's, else 5.0.2's fallback).
    #[arg(long = "kernel-features", value_name = "FILE")]
    pub kernel_features: Option<PathBuf>,
    /// Accepted for clients that pass it; stdio is the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}

pub fn run(args: LspArgs) -> u8 {
    let input = PolicyInputArgs {
        include: args.include,
        base: args.base,
        config_file: args.config_file,
        features_file: args.features_file,
        kernel_features: args.kernel_features,
        ..PolicyInputArgs::default()
    };
    let (connection, io) = lsp_server::Connection::stdio();
    let result = crate::lsp::run(connection, input);
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
