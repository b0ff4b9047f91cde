//! aaprof: a compiler for AppArmor policy.
//!
//! The pipeline, one stage per module, data flowing one way (see
//! `docs/ARCHITECTURE.md`):
//!
//! text → [`syntax`] (pest grammar → AST with spans) → [`resolve`] (includes,
//! variables, conditionals, aliases) → [`model`] (profiles, typed rules) →
//! [`encode`] (per-class match expressions and permissions) → [`aare`] and
//! [`expr`] (globs as byte regexes) → [`dfa`] (build, minimise, number) →
//! [`tables`] (comb packing, DFA blob) → [`blob`] (profile records; reader
//! beside the writer). [`features`] says what the target kernel supports.

pub mod aare;
pub mod audit;
pub mod blob;
pub mod cache;
pub mod cli;
pub mod compile;
pub mod dfa;
pub mod diagnostics;
pub mod diff;
pub mod encode;
pub mod expr;
pub mod features;
pub mod format;
pub mod kernel;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod query;
pub mod resolve;
pub mod spec;
pub mod syntax;
pub mod tables;
#[cfg(feature = "testgen")]
pub mod testgen;
