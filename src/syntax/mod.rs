//! The pest grammar (`grammar/apparmor.pest`) and the AST with spans.
//!
//! [`parse`] turns one source text into a [`ParsedFile`]: its items, or the
//! syntax error that stopped the parse. Nothing here reads other files or
//! knows about variables; that is [`crate::resolve`]'s job.

mod ast;
pub mod lexical;
mod parser;
mod source;

pub use ast::*;
pub use parser::parse;
pub use source::{Source, Span};

use crate::diagnostics::Diagnostic;
use std::sync::Arc;

/// One parsed source: the text, its items and its syntax errors.
///
/// After a syntax error the parser skips the offending line and tries
/// again (up to a limit), so `errors` lists every syntax error it could
/// find and `items` holds what parsed around them. When `errors` is not
/// empty the file is invalid whatever `items` holds.
#[derive(Debug)]
pub struct ParsedFile {
    pub source: Arc<Source>,
    pub items: Vec<Item>,
    pub errors: Vec<Diagnostic>,
}

impl ParsedFile {
    /// True when the file parsed without any syntax error.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}
