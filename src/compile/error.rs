//! Why a resolved policy cannot be compiled.

use crate::blob::WriteError;
use crate::dfa::BuildError;
use crate::encode::{CombineError, EncodeError};
use crate::tables::TablesError;

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error(transparent)]
    Encode(#[from] EncodeError),
    #[error("profile {profile}: {which} DFA: {source}")]
    Dfa {
        profile: String,
        which: &'static str,
        #[source]
        source: BuildError<CombineError>,
    },
    #[error("profile {profile}: {source}")]
    Tables {
        profile: String,
        #[source]
        source: TablesError,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl CompileError {
    /// The rule the error was placed at, if any.
    pub fn origin(&self) -> Option<&crate::model::Origin> {
        match self {
            CompileError::Encode(e) => e.origin(),
            _ => None,
        }
    }
}
