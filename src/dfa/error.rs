//! Why an automaton cannot be built.

/// A DFA construction failure. `E` is the record type's combine error.
#[derive(Debug, thiserror::Error)]
pub enum BuildError<E> {
    /// More states than [`super::BuildOptions::max_states`] allows.
    #[error("the DFA exceeds the limit of {limit} states")]
    TooManyStates { limit: usize },
    /// More positions (pattern leaves summed over the rules) than
    /// [`super::build::MAX_POSITIONS`]: the bound on construction memory.
    #[error("the rules have {positions} pattern positions, more than the limit of {limit}")]
    TooManyPositions { positions: usize, limit: usize },
    /// The records of the rules accepting in one state do not combine
    /// (e.g. conflicting exec modes).
    #[error(
        "rules matching {} conflict: {error}",
        String::from_utf8_lossy(example).escape_debug()
    )]
    Conflict {
        /// A shortest-known input reaching the state (bytes; the
        /// out-of-band symbol is shown as `\u{fffd}`).
        example: Vec<u8>,
        error: E,
    },
}
