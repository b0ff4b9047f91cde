//! AARE globs (`/usr/**`, `{a,b}`, `[^/]`) converted to [`crate::expr::Expr`]
//! (binary-format §6).
//!
//! Upstream converts a glob to regex text and parses that; this module goes
//! straight to the tree the regex parser would build, keeping its node kinds
//! (positive class, negated class, `.`), which decide the automaton's shape.
//! The quirks of the two-stage upstream pipeline that are observable in the
//! tree are reproduced and documented where they are handled; the one that is
//! not (`*`/`?` inside `[...]`, which upstream expands into a broken class)
//! is rejected with [`AareError::GlobInClass`].

mod class;
mod convert;
mod error;
mod escape;
mod measure;

pub use convert::{
    Glob, GlobStyle, MAX_ALTERNATION_DEPTH, MAX_PATTERN_BYTES, PatternKind, convert, convert_bytes,
    convert_path, convert_xattr_value, filter_slashes,
};
pub use error::AareError;
pub use measure::{is_exact, min_len};

#[cfg(test)]
mod tests;
