//! Rule encoding: policy-model rules to per-class match expressions and
//! permissions (binary-format §4, §5).
//!
//! Entry point: [`encode_policy`] turns a [`crate::model::Policy`] into one
//! [`EncodedProfile`] per record, in emission order. Each holds the rule
//! lists for the three DFAs (xmatch, policydb, file) as
//! `(Expr, record)` pairs, where the record types implement
//! [`crate::dfa::Accept`]; after building a DFA, map each state's combined
//! [`StatePerms`] with [`accept_words`] (packed tables) or
//! [`file_entry_pair`] / [`policy_entry`] (permission tables).

pub mod bits;
mod caps;
mod error;
mod file;
mod flags;
mod mediates;
mod pack;
mod profile;
mod record;
mod rlimits;
mod target;
mod xmatch;
mod xtable;

pub use caps::{CAPABILITY_NAMES, CapabilityMasks, CapabilitySet, capability_number};
pub use error::EncodeError;
pub use file::{FileEncoding, encode_file_rules};
pub use flags::{FlagWords, flag_words, path_flags};
pub use mediates::{mediates_entries, presence};
pub use pack::{PermsEntry, accept_words, file_entry_pair, policy_entry, xindex};
pub use profile::{EncodedProfile, ProfileOptions, emission_order, encode_policy, encode_profile};
pub use record::{
    CombineError, FileRecord, Half, MAX_INTERNAL_PRIORITY, MIN_INTERNAL_PRIORITY, PolicyRecord,
    RuleMode, RulePerms, StatePerms, combine,
};
pub use rlimits::{RLIMIT_COUNT, Rlimits, rlimit_index};
pub use target::{EncodeTarget, MediatedClasses};
pub use xmatch::{Xmatch, attachment, encode_xmatch, xattr_names};
pub use xtable::{XTable, XTableError};
