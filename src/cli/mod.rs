//! The `aaprof` command line: one file per subcommand, each with its clap
//! arguments and a `run` returning the exit status.
//!
//! Exit status everywhere: 0 success, 1 policy errors, 2 usage or I/O errors.

mod check;
mod check_cache;
mod common;
mod compile;
mod dump;
pub mod interrupt;
mod names;
mod preprocess;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub use common::{DiagnosticFormat, PolicyConfig, PolicyInputArgs, apply_parser_conf, emit};

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status when any input has a policy error.
pub const EXIT_POLICY_ERROR: u8 = 1;
/// Exit status for usage and I/O errors.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "aaprof", version, about = "A compiler for AppArmor policy")]
#[command(after_help = "Exit status: 0 success, 1 policy errors, 2 usage or I/O errors.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check profiles and report every error (apparmor_parser's checks).
    Check(check::CheckArgs),
    /// Compile profiles to binary policy (apparmor_parser -Q -S).
    Compile(compile::CompileArgs),
    /// Print the policy with includes inlined (apparmor_parser -p).
    Preprocess(preprocess::PreprocessArgs),
    /// Print one profile name per line (apparmor_parser -N).
    Names(names::NamesArgs),
    /// Decode a binary policy blob into readable text or JSON.
    Dump(dump::DumpArgs),
}

/// Parses the command line and runs the subcommand.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    interrupt::install();
    let status = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Compile(args) => compile::run(args),
        Command::Preprocess(args) => preprocess::run(args),
        Command::Names(args) => names::run(args),
        Command::Dump(args) => dump::run(args),
    };
    ExitCode::from(status)
}
