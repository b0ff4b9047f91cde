//! The `aaprof` command line: one file per subcommand, each with its clap
//! arguments and a `run` returning the exit status.
//!
//! Exit status everywhere: 0 success, 1 policy errors, 2 usage or I/O errors.

pub mod check;
mod check_cache;
mod common;
mod compile;
mod completions;
mod diff;
mod dump;
mod features;
mod fmt;
pub mod interrupt;
mod lint;
mod load;
mod lsp;
mod man;
mod names;
mod parser_conf;
mod preprocess;
mod query;
mod test;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub use common::{
    DiagnosticFormat, PolicyConfig, PolicyInputArgs, PolicySettingsArgs, WarnArgs, emit,
};
pub use parser_conf::apply_parser_conf;

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status when any input has a policy error.
pub const EXIT_POLICY_ERROR: u8 = 1;
/// Exit status for usage and I/O errors.
pub const EXIT_USAGE: u8 = 2;

/// The exit-status paragraph of `--help` (also in README.md).
const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  success: every input is valid (warnings allowed)
  1  policy errors in some input, or warnings made errors by --Werror;
     for `check --cache`, a stale cache entry; for `load`, a write the
     kernel refused
  2  usage or I/O error: bad option, unreadable input or features file,
     bad parser.conf; for `load`, no AppArmor interface

Diagnostic codes (AA1xxx errors, AA2xxx warnings): docs/diagnostics.md.";

#[derive(Debug, Parser)]
#[command(name = "aaprof", version, about = "A compiler for AppArmor policy")]
#[command(after_help = EXIT_STATUS_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check profiles and report every error (apparmor_parser's checks).
    #[command(after_help = EXIT_STATUS_HELP)]
    Check(check::CheckArgs),
    /// Compile profiles to binary policy (apparmor_parser -Q -S).
    #[command(after_help = EXIT_STATUS_HELP)]
    Compile(compile::CompileArgs),
    /// Load, replace or remove profiles in the running kernel
    /// (apparmor_parser -a / -r / -R), using the policy cache.
    #[command(after_help = EXIT_STATUS_HELP)]
    Load(load::LoadArgs),
    /// Print the policy with includes inlined (apparmor_parser -p).
    #[command(after_help = EXIT_STATUS_HELP)]
    Preprocess(preprocess::PreprocessArgs),
    /// Print one profile name per line (apparmor_parser -N).
    #[command(after_help = EXIT_STATUS_HELP)]
    Names(names::NamesArgs),
    /// Decode a binary policy blob into readable text or JSON.
    #[command(after_help = EXIT_STATUS_HELP)]
    Dump(dump::DumpArgs),
    /// Decide one request (file, capability, network, signal, ptrace,
    /// userns) from a profile or blob, naming the rules behind it.
    Query(query::QueryArgs),
    /// Policy unit tests: check the expectations of spec files (and that
    /// the accesses of an audit log are now allowed).
    Test(test::TestArgs),
    /// What one policy allows that another does not, per profile and
    /// class, with examples and the rules responsible.
    Diff(diff::DiffArgs),
    /// Rewrite policy files in the canonical layout (comments kept), or
    /// with --check show a diff of what would change.
    Fmt(fmt::FmtArgs),
    /// Report what policy projects check by hand: missing local includes
    /// and abi, rules that never matter, unconfined exec, write+exec
    /// paths, unused variables, empty includes (docs/diagnostics.md).
    #[command(after_help = EXIT_STATUS_HELP)]
    Lint(lint::LintArgs),
    /// The feature sets aaprof knows: `list` the built-in ones (usable as
    /// `builtin:NAME` wherever a features file is), `show` one, or print
    /// the running `kernel`'s.
    Features(features::FeaturesArgs),
    /// Run the language server (LSP over stdio) for editors: `check`'s
    /// diagnostics, hover, definitions, symbols, completion, formatting.
    Lsp(lsp::LspArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), generated from these options.
    Man(man::ManArgs),
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
        Command::Load(args) => load::run(args),
        Command::Preprocess(args) => preprocess::run(args),
        Command::Names(args) => names::run(args),
        Command::Dump(args) => dump::run(args),
        Command::Query(args) => query::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Test(args) => test::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Features(args) => features::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    };
    ExitCode::from(status)
}
