//! `aaprof fmt`: rewrite policy files in the canonical layout
//! ([`crate::format`]), or with `--check` show what would change.
//!
//! Exit status: 0 when every file is (now) formatted; 1 when `--check`
//! found a file to change, or a file could not be formatted (syntax
//! errors, shown as diagnostics); 2 when a file cannot be read or written.

use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE};
use crate::diagnostics::render_human;
use crate::format::{FormatError, FormatOptions, format_text};
use crate::resolve::is_ignored_name;
use clap::Args;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files, or directories (every policy file below them, recursively;
    /// dot files and packaging leftovers skipped). `-` or nothing formats
    /// standard input to standard output.
    #[arg(value_name = "FILE|DIR|-")]
    pub files: Vec<PathBuf>,
    /// Change nothing: print a unified diff of each file that is not
    /// formatted and exit 1 if there is any.
    #[arg(long)]
    pub check: bool,
    /// Spaces per nesting level.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub indent: usize,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Refused,
}

pub fn run(args: FmtArgs) -> u8 {
    let options = FormatOptions {
        indent_width: args.indent,
    };
    if args.files.is_empty() || args.files == [PathBuf::from("-")] {
        return format_stdin(options);
    }
    let mut files = Vec::new();
    for path in &args.files {
        if let Err(error) = collect(path, &mut files) {
            eprintln!("aaprof fmt: cannot read {}: {error}", path.display());
            return EXIT_USAGE;
        }
    }
    let mut status = EXIT_OK;
    for file in &files {
        match format_file(file, options, args.check) {
            Ok(Outcome::Unchanged) => {}
            Ok(Outcome::Changed) if args.check => status = status.max(EXIT_POLICY_ERROR),
            Ok(Outcome::Changed) => {}
            Ok(Outcome::Refused) => status = status.max(EXIT_POLICY_ERROR),
            Err(error) => {
                eprintln!("aaprof fmt: {}: {error}", file.display());
                status = EXIT_USAGE;
            }
        }
    }
    status
}

fn format_stdin(options: FormatOptions) -> u8 {
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("aaprof fmt: cannot read standard input: {error}");
        return EXIT_USAGE;
    }
    match format_text("-", &text, options) {
        Ok(formatted) => {
            print!("{formatted}");
            EXIT_OK
        }
        Err(error) => {
            report("-", &error);
            EXIT_POLICY_ERROR
        }
    }
}

fn format_file(path: &Path, options: FormatOptions, check: bool) -> std::io::Result<Outcome> {
    let text = std::fs::read_to_string(path)?;
    let name = path.display().to_string();
    let formatted = match format_text(&name, &text, options) {
        Ok(formatted) => formatted,
        Err(error) => {
            report(&name, &error);
            return Ok(Outcome::Refused);
        }
    };
    if formatted == text {
        return Ok(Outcome::Unchanged);
    }
    if check {
        let diff = similar::TextDiff::from_lines(&text, &formatted);
        print!(
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&name, &format!("{name} (formatted)"))
        );
    } else {
        super::compile::write_atomically(path, formatted.as_bytes())?;
    }
    Ok(Outcome::Changed)
}

fn report(name: &str, error: &FormatError) {
    match error {
        FormatError::Syntax(diagnostics) => {
            render_human(diagnostics);
            eprintln!("aaprof fmt: {name}: not formatted: {error}");
        }
        FormatError::Unrepresented { .. } => eprintln!("aaprof fmt: {name}: {error}"),
    }
}

/// `path` itself, or the policy files below a directory, in name order.
/// Symbolic links inside directories are not followed (apparmor.d's
/// `disable/` and `force-complain/` hold links to profiles).
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !std::fs::metadata(path)?.is_dir() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_str().is_none_or(is_ignored_name) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}
