//! Why a stream could not be read or written.
//!
//! Every read error names the byte offset (from the start of the whole
//! input, not of the record) where the offending element starts, so a
//! hex dump can be lined up with the message.

use thiserror::Error;

/// A malformed serialized stream. Reading never panics; every problem
/// ends up here.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    /// The input ends inside an element.
    #[error(
        "offset {offset}: unexpected end of input: {what} needs {needed} bytes, {available} left"
    )]
    Truncated {
        offset: usize,
        what: &'static str,
        needed: usize,
        available: usize,
    },
    /// The element at `offset` has another type than the format requires.
    #[error("offset {offset}: expected {expected}, found {found}")]
    UnexpectedElement {
        offset: usize,
        expected: String,
        found: String,
    },
    /// A STRING or NAME is empty or its last byte is not NUL.
    #[error("offset {offset}: {what} is not NUL-terminated")]
    Unterminated { offset: usize, what: &'static str },
    /// The alignment padding of a DFA blob is longer than the blob.
    #[error("offset {offset}: aligned blob of {len} bytes is shorter than its {pad}-byte padding")]
    ShortAlignedBlob {
        offset: usize,
        len: usize,
        pad: usize,
    },
    /// The alignment padding of a DFA blob holds a non-zero byte.
    #[error("offset {offset}: non-zero byte in DFA alignment padding")]
    NonzeroPadding { offset: usize },
    /// A value the format constrains is out of range.
    #[error("offset {offset}: {what}")]
    Invalid { offset: usize, what: String },
}

impl ReadError {
    /// The byte offset the error refers to.
    pub fn offset(&self) -> usize {
        match self {
            ReadError::Truncated { offset, .. }
            | ReadError::UnexpectedElement { offset, .. }
            | ReadError::Unterminated { offset, .. }
            | ReadError::ShortAlignedBlob { offset, .. }
            | ReadError::NonzeroPadding { offset }
            | ReadError::Invalid { offset, .. } => *offset,
        }
    }
}

/// A record that cannot be serialized: the stream's length fields are
/// 16 bits for strings, names and array counts and 32 bits for blobs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WriteError {
    #[error("{what} is {len} bytes long; the stream allows at most {max}")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{what} has {count} elements; the stream allows at most {max}")]
    TooMany {
        what: &'static str,
        count: usize,
        max: usize,
    },
}
