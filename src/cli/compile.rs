//! `aaprof compile`: apparmor_parser's `-Q -S` / `-o FILE`.

use super::common::{DiagnosticFormat, emit};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::compile::Session;
use crate::features::{FeatureSet, FeatureSources};
use clap::Args;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CompileArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
    /// Write the blob to standard output.
    #[arg(short = 'S', long = "stdout")]
    pub stdout: bool,
    /// Write the blob to FILE (atomically: a temporary file renamed into place).
    #[arg(short = 'o', long = "ofile", value_name = "FILE")]
    pub ofile: Option<PathBuf>,
    /// Accepted for apparmor_parser compatibility (aaprof never loads policy).
    #[arg(short = 'Q', long = "skip-kernel-load")]
    pub skip_kernel_load: bool,
    /// Accepted for apparmor_parser compatibility (aaprof keeps no cache here).
    #[arg(short = 'K', long = "skip-cache")]
    pub skip_cache: bool,
    /// Accepted for apparmor_parser compatibility.
    #[arg(short = 'T', long = "skip-read-cache")]
    pub skip_read_cache: bool,
    /// Accepted for apparmor_parser compatibility.
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

pub fn run(args: CompileArgs) -> u8 {
    match compile(&args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("aaprof compile: {message}");
            EXIT_USAGE
        }
    }
}

fn compile(args: &CompileArgs) -> Result<u8, String> {
    let config = args.input.config()?;
    let inputs = args.input.inputs()?;
    let features = FeatureSources::load(
        config.features_file.as_deref(),
        config.kernel_features.as_deref(),
        config.policy_features.as_deref(),
        config.override_policy_abi.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let mut session = Session::new(config.options, features);
    if session.features.kernel.is_none() {
        session.default_kernel = FeatureSet::from_running_kernel().ok();
    }
    let results: Vec<_> = inputs
        .par_iter()
        .map(|input| session.compile_input(input))
        .collect();
    let mut blob = Vec::new();
    let mut status = EXIT_OK;
    for compiled in &results {
        emit(&compiled.diagnostics, args.format);
        match &compiled.blob {
            Some(bytes) => blob.extend_from_slice(bytes),
            None => status = EXIT_POLICY_ERROR,
        }
    }
    if status != EXIT_OK {
        return Ok(status);
    }
    if let Some(path) = &args.ofile {
        write_atomically(path, &blob)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    } else if args.stdout {
        std::io::stdout()
            .write_all(&blob)
            .map_err(|e| format!("cannot write standard output: {e}"))?;
    }
    Ok(EXIT_OK)
}

/// Writes `bytes` to a temporary file beside `path` and renames it over
/// `path`, so readers never see a partial file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.aaprof-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
