//! `aaprof features`: the feature sets aaprof knows. `list` names the
//! built-in ones (`builtin:NAME`, accepted wherever a features file is),
//! `show` prints one set in features-file form, `kernel` the running
//! kernel's.

use super::{EXIT_OK, EXIT_USAGE};
use crate::features::builtin::{self, BUILTINS};
use crate::features::{FeatureSet, KERNEL_FEATURES_DIR};
use clap::{Args, Subcommand};
use std::io::{Read, Write};
use std::path::Path;

#[derive(Debug, Args)]
pub struct FeaturesArgs {
    #[command(subcommand)]
    pub command: FeaturesCommand,
}

#[derive(Debug, Subcommand)]
pub enum FeaturesCommand {
    /// List the built-in feature sets: name, description, source.
    List,
    /// Print a feature set in features-file form: a built-in NAME
    /// (`builtin:` optional), a features FILE or directory, or `-` for
    /// standard input.
    Show {
        #[arg(value_name = "NAME|FILE|-")]
        set: String,
    },
    /// Print the running kernel's feature set
    /// (/sys/kernel/security/apparmor/features) in features-file form.
    Kernel,
}

pub fn run(args: FeaturesArgs) -> u8 {
    let result = match args.command {
        FeaturesCommand::List => {
            print!("{}", list_text());
            Ok(())
        }
        FeaturesCommand::Show { set } => show(&set).and_then(|s| print_set(&s)),
        FeaturesCommand::Kernel => kernel().and_then(|s| print_set(&s)),
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("aaprof features: {message}");
            EXIT_USAGE
        }
    }
}

/// The `list` output: per set, its name padded to a column and its
/// description, then its source indented below.
pub fn list_text() -> String {
    let width = BUILTINS.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for b in BUILTINS {
        out.push_str(&format!("{:width$}  {}\n", b.name, b.description));
        out.push_str(&format!("{:width$}  source: {}\n", "", b.source));
    }
    out
}

/// The set `spec` names: a built-in (with or without `builtin:`), `-`
/// (standard input), else a file or directory.
fn show(spec: &str) -> Result<FeatureSet, String> {
    let name = builtin::strip_prefix(spec).unwrap_or(spec);
    if let Some(b) = builtin::find(name) {
        return Ok(b.set());
    }
    if spec.starts_with(builtin::PREFIX) {
        return builtin::load(name).map_err(|e| e.to_string());
    }
    if spec == "-" {
        let mut text = Vec::new();
        std::io::stdin()
            .read_to_end(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return FeatureSet::from_text(text).map_err(|e| e.to_string());
    }
    FeatureSet::load(Path::new(spec)).map_err(|e| e.to_string())
}

/// The running kernel's set, or why there is none.
fn kernel() -> Result<FeatureSet, String> {
    if !Path::new(KERNEL_FEATURES_DIR).is_dir() {
        return Err(format!(
            "the running kernel lists no AppArmor features ({KERNEL_FEATURES_DIR} is missing: \
             AppArmor is disabled or securityfs is not mounted); \
             `aaprof features list` names the built-in sets"
        ));
    }
    FeatureSet::from_running_kernel().map_err(|e| e.to_string())
}

/// Writes the text verbatim (its bytes are what the features id hashes).
fn print_set(set: &FeatureSet) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(set.text())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_names_every_builtin_with_its_source() {
        let text = list_text();
        for b in BUILTINS {
            assert!(
                text.contains(b.name) && text.contains(b.source),
                "{}",
                b.name
            );
        }
    }

    #[test]
    fn show_takes_names_with_or_without_prefix_and_rejects_unknown_ones() {
        let plain = show("debian-6.12").unwrap();
        assert_eq!(show("builtin:debian-6.12").unwrap(), plain);
        assert!(show("builtin:nope").unwrap_err().contains("debian-6.12"));
        assert!(show("/nonexistent/features").is_err());
    }
}
