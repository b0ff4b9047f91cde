//! The policy model: resolved profiles with typed rules.
//!
//! This is the contract between the front end (which builds it from text,
//! after includes, variables, conditionals and aliases are resolved) and the
//! back end (which encodes it into DFAs and writes blobs). Every pattern held
//! here is AARE text with variables already expanded (a variable with several
//! values appears as a `{a,b}` alternation) and aliases applied; nothing here
//! refers back to the syntax tree except through [`Origin`].

pub mod access;
mod errno;
mod profile;
pub mod rlimit;
mod rule;
mod vocabulary;

pub use errno::errno_number;
pub use profile::{Policy, Profile, ProfileFlags, ProfileMode, Xattr};
pub use rule::*;
pub use vocabulary::{
    CAPABILITY_NAMES, SPLIT_FROM_SYS_ADMIN, is_network_protocol, protocol_match_value,
    protocol_sockets, signal_name, signal_names, signal_number,
};

use std::sync::Arc;

/// Where a rule or profile came from, for diagnostics and for `query`/`diff`
/// to name the responsible rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file the text was read from (`-` for stdin).
    pub file: Arc<str>,
    /// 1-based line and column of the rule's first character.
    pub line: u32,
    pub column: u32,
    /// The include chain that led to `file`, outermost first: each entry is
    /// the including file with the line and column of its include rule.
    pub included_from: Arc<[(Arc<str>, u32, u32)]>,
}
