//! The pest grammar (`grammar/apparmor.pest`) and the AST with spans.
//!
//! [`parse`] turns one source text into a [`ParsedFile`]: its items, or the
//! syntax error that stopped the parse. Nothing here reads other files or
//! knows about variables; that is [`crate::resolve`]'s job.

mod ast;
mod parser;
mod source;

pub use ast::*;
pub use parser::parse;
pub use source::{Source, Span};

use crate::diagnostics::Diagnostic;
use std::sync::Arc;

/// One parsed source: the text and either its items or its syntax error.
#[derive(Debug)]
pub struct ParsedFile {
    pub source: Arc<Source>,
    pub items: Result<Vec<Item>, Diagnostic>,
}
