//! `aaprof dump`: decode binary policy blobs (aaprof's or apparmor_parser's)
//! into text or JSON.
//!
//! With `--compare A B` it reports how two blobs differ (exit 0 if they
//! are identical, 1 if they differ, 2 if either cannot be read).
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
    /// Blob files (`-S` output or cache files); `-` reads standard input.
    #[arg(required = true, value_name = "FILE.bin")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DumpFormat::Text)]
    pub format: DumpFormat,
    /// Also list every DFA state with its accept words, default and
    /// explicit transitions.
    #[arg(long)]
    pub states: bool,
    /// Compare two blobs record by record instead of dumping them: report
    /// differing fields and, for DFAs, whether they differ only in encoding
    /// or in the permissions some input gets (with that input). Exit 1 if
    /// they differ.
    #[arg(long, conflicts_with_all = ["format", "states"])]
    pub compare: bool,
}

#[derive(Serialize)]
struct FileDump {
    file: String,
    #[serde(flatten)]
    blob: BlobDump,
}

/// A file's bytes, or standard input's for `-`.
fn read_input(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(path)
    }
}

/// The compressed cache/output form of parser 5.0+ (§1.7): version byte 1,
/// level, six zero bytes, then a zstd frame.
fn is_compressed(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && bytes[0] == 1
        && bytes[2..8] == [0; 6]
        && bytes[8..12] == [0x28, 0xb5, 0x2f, 0xfd]
}

fn compare(args: &DumpArgs) -> u8 {
    let [left, right] = args.files.as_slice() else {
        eprintln!("aaprof dump --compare: give exactly two blob files");
        return EXIT_USAGE;
    };
    let read = |path: &PathBuf| -> Result<_, String> {
        let bytes = read_input(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let records = crate::blob::read_records(&bytes)
            .map_err(|e| format!("{}: not a valid policy blob: {e}", path.display()))?;
        Ok((bytes, records))
    };
    let ((lb, lr), (rb, rr)) = match (read(left), read(right)) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("aaprof dump: {e}");
            return EXIT_USAGE;
        }
    };
    if lb == rb {
        println!("identical");
        return EXIT_OK;
    }
    print!("{}", crate::diff::compare_records(&lr, &rr));
    EXIT_POLICY_ERROR
}

pub fn run(args: DumpArgs) -> u8 {
    if args.compare {
        return compare(&args);
    }
    let mut status = EXIT_OK;
    let mut dumps = Vec::new();
    let many = args.files.len() > 1;
    for path in &args.files {
        let shown = path.display().to_string();
        let bytes = match read_input(path) {
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
