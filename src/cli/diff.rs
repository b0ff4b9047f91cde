//! `aaprof diff OLD NEW`: the semantic difference between two policies
//! (sources or blobs), per profile and class, with the shortest example
//! of each change and, from source, the rules responsible.
//!
//! Exit status: 0 equivalent, 1 different, 2 usage, I/O or policy errors.

use super::query::{OutputFormat, load, session_for};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::diff::diff_policies;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "OLD and NEW are profile source files or binary blobs (aaprof's or \
apparmor_parser's); profiles are paired by name. Policies that differ only in bytes report \
`equivalent`.\n\nExit status: 0 equivalent, 1 different, 2 usage, I/O or policy errors."
)]
pub struct DiffArgs {
    /// OLD and NEW.
    #[command(flatten)]
    pub input: PolicyInputArgs,
    /// Output format: text, or one JSON object.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub fn run(args: DiffArgs) -> u8 {
    match run_diff(&args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("aaprof diff: {message}");
            EXIT_USAGE
        }
    }
}

fn run_diff(args: &DiffArgs) -> Result<u8, String> {
    let [old, new] = args.input.files.as_slice() else {
        return Err("give exactly two policies: OLD NEW".into());
    };
    let session = session_for(&args.input.settings)?;
    let (old, new) = (load(old, &session)?, load(new, &session)?);
    let diff = diff_policies(&old, &new);
    match args.format {
        OutputFormat::Text => print!("{}", diff.to_text()),
        OutputFormat::Json => {
            let mut value = serde_json::to_value(&diff).map_err(|e| e.to_string())?;
            value["equivalent"] = diff.is_equivalent().into();
            println!("{value}");
        }
    }
    Ok(if diff.is_equivalent() {
        EXIT_OK
    } else {
        EXIT_POLICY_ERROR
    })
}
