//! `aaprof lsp`: a language server over stdio (the `lsp-server` and
//! `lsp-types` crates) backed by the compiler's own stages: diagnostics
//! are `aaprof check`'s, navigation and symbols read the syntax tree,
//! variables come from the resolver, a file rule's hover asks the
//! compiled policy through `query`, formatting is `aaprof fmt`.
//!
//! - [`server`]: the message loop, debounced checks
//! - [`workspace`]: open buffers in the source cache, last check of each
//! - [`diagnostics`]: check diagnostics as the protocol's, per file
//! - [`symbols`], [`navigate`], [`hover`], [`complete`], [`format`]:
//!   one request each; [`tree`] finds things in the syntax tree,
//!   [`explain`] says what a word means, [`text`] converts positions

// `lsp_types::Uri` keys the maps of documents and files: it hashes and
// compares by its text; the `Cell` clippy sees is a parse cache inside
// fluent-uri that neither touches.
#![allow(clippy::mutable_key_type)]

pub mod complete;
pub mod config;
pub mod diagnostics;
pub mod explain;
pub mod format;
pub mod hover;
pub mod navigate;
pub mod server;
pub mod symbols;
pub mod text;
pub mod tree;
pub mod workspace;

pub use server::run;
