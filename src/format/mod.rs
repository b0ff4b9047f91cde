//! `aaprof fmt`: one canonical layout for policy source, every comment and
//! blank-line group kept.
//!
//! The layout: one statement per line, indented by nesting (two spaces by
//! default), white space inside a statement made single spaces (quoted
//! strings and escapes untouched), no space before a rule's comma, braces
//! as `HEADER {` ... `}` and `} else {`, at most one blank line between
//! statements and none at the start or end of a block, one line break at
//! the end of the file. A body fragment (rules outside any profile, as in
//! an abstraction) is indented one level, as it reads where it is
//! included. Includes keep their spelling (`#include`,
//! `<...>`, `"..."`).
//!
//! Formatting sits on top of [`crate::syntax`]: it parses with the
//! compiler's own grammar and rewrites only white space between and inside
//! statements, so the policy it compiles to is unchanged (tested over the
//! corpus: same blob before and after, and formatting twice changes
//! nothing). A statement that holds a comment inside it is kept as
//! written but for its indentation. A file with syntax errors, or with
//! text the tree does not account for, is refused, never rewritten.

mod layout;
mod trivia;

use crate::diagnostics::Diagnostic;
use crate::syntax::{Source, parse};
use std::sync::Arc;

/// How to lay out a file.
#[derive(Debug, Clone, Copy)]
pub struct FormatOptions {
    /// Spaces per nesting level.
    pub indent_width: usize,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions { indent_width: 2 }
    }
}

/// Why a file was not formatted.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file does not parse; the diagnostics say where.
    #[error("the file has syntax errors")]
    Syntax(Vec<Diagnostic>),
    /// Text between statements that is neither blank nor a comment, or a
    /// block whose braces the formatter cannot place.
    #[error("cannot format the text at byte {offset}: it is not a statement, blank or comment")]
    Unrepresented { offset: usize },
}

/// The canonical layout of `source`.
pub fn format_source(source: &Arc<Source>, options: FormatOptions) -> Result<String, FormatError> {
    let parsed = parse(Arc::clone(source));
    if !parsed.is_clean() {
        return Err(FormatError::Syntax(parsed.errors));
    }
    layout::Printer::new(&source.text, options.indent_width).file(&parsed.items)
}

/// [`format_source`] of a text with a name for messages.
pub fn format_text(name: &str, text: &str, options: FormatOptions) -> Result<String, FormatError> {
    format_source(&Arc::new(Source::new(name, None, text)), options)
}

#[cfg(test)]
mod tests;
