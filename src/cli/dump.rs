//! `aaprof dump`: decode binary policy blobs (aaprof's or apparmor_parser's)
//! into text or JSON.
//!
//! Exit status: 0 when every file decoded; 1 when a file decoded but a DFA
//! in it fails the kernel's verification (the dump still shows everything
//! else, the DFA marked INVALID); 2 when a file cannot be read or is not a
//! blob (the message gives the byte offset of the first bad element).

use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE};
use crate::blob::dump::BlobDump;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DumpFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DumpArgs {
    /// Blob files (`-S` output or cache files).
    #[arg(required = true, value_name = "FILE.bin")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DumpFormat::Text)]
    pub format: DumpFormat,
    /// Also list every DFA state with its accept words, default and
    /// explicit transitions.
    #[arg(long)]
    pub states: bool,
}

#[derive(Serialize)]
struct FileDump {
    file: String,
    #[serde(flatten)]
    blob: BlobDump,
}

/// The compressed cache/output form of parser 5.0+ (§1.7): version byte 1,
/// level, six zero bytes, then a zstd frame.
fn is_compressed(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && bytes[0] == 1
        && bytes[2..8] == [0; 6]
        && bytes[8..12] == [0x28, 0xb5, 0x2f, 0xfd]
}

pub fn run(args: DumpArgs) -> u8 {
    let mut status = EXIT_OK;
    let mut dumps = Vec::new();
    let many = args.files.len() > 1;
    for path in &args.files {
        let shown = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("aaprof dump: {shown}: {error}");
                status = EXIT_USAGE;
                continue;
            }
        };
        if is_compressed(&bytes) {
            eprintln!(
                "aaprof dump: {shown}: zstd-compressed blob (8-byte header, then a zstd frame); \
                 decompress it first: tail -c +9 {shown} | zstd -d"
            );
            status = EXIT_USAGE;
            continue;
        }
        let blob = match BlobDump::new(&bytes, args.states) {
            Ok(blob) => blob,
            Err(error) => {
                eprintln!("aaprof dump: {shown}: not a valid policy blob: {error}");
                status = EXIT_USAGE;
                continue;
            }
        };
        for error in blob.dfa_errors() {
            eprintln!("aaprof dump: {shown}: {error}");
            status = status.max(EXIT_POLICY_ERROR);
        }
        match args.format {
            DumpFormat::Text => {
                if many {
                    println!("== {shown}");
                }
                print!("{}", blob.to_text());
            }
            DumpFormat::Json => dumps.push(FileDump { file: shown, blob }),
        }
    }
    if args.format == DumpFormat::Json {
        match serde_json::to_string_pretty(&dumps) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("aaprof dump: cannot encode JSON: {error}");
                return EXIT_USAGE;
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_header_is_recognised() {
        let mut bytes = vec![1, 10, 0, 0, 0, 0, 0, 0, 0x28, 0xb5, 0x2f, 0xfd, 0];
        assert!(is_compressed(&bytes));
        bytes[0] = 4; // a normal blob starts with NAME "version"
        assert!(!is_compressed(&bytes));
    }
}
