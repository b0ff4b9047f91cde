//! Why a glob cannot be converted.

use thiserror::Error;

/// A glob conversion error. `position` is the byte offset in the glob text
/// of the character that made the glob invalid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AareError {
    #[error("trailing backslash at byte {position}")]
    TrailingBackslash { position: usize },
    #[error("unterminated `[` opened at byte {position}")]
    UnclosedClass { position: usize },
    #[error("`]` at byte {position} has no matching `[`")]
    UnmatchedCloseBracket { position: usize },
    #[error("empty character class at byte {position}")]
    EmptyClass { position: usize },
    #[error("invalid range in character class at byte {position}")]
    InvalidRange { position: usize },
    #[error(
        "`{found}` inside a character class at byte {position} is not supported (upstream expands it into a broken class)"
    )]
    GlobInClass { position: usize, found: char },
    #[error("unterminated `{{` opened at byte {position}")]
    UnclosedBrace { position: usize },
    #[error("`}}` at byte {position} has no matching `{{`")]
    UnmatchedCloseBrace { position: usize },
    #[error("`{{...}}` at byte {position} needs at least two comma-separated items")]
    SingleItemAlternation { position: usize },
    #[error("alternations nested deeper than {max} levels at byte {position}")]
    TooDeep { position: usize, max: usize },
    /// The bound on pattern size (issue 7): automaton construction is
    /// superlinear in the worst case, and no kernel path buffer holds a
    /// longer path.
    #[error("pattern of {len} bytes is longer than the limit of {max} bytes")]
    TooLong { len: usize, max: usize },
}
