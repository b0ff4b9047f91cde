//! Rule encoding: policy-model rules to per-class match expressions and
//! permissions (binary-format §4, §5).

pub mod bits;
mod error;
mod file;
mod pack;
mod record;
mod target;
mod xtable;

pub use record::{
    CombineError, FileRecord, Half, MAX_INTERNAL_PRIORITY, MIN_INTERNAL_PRIORITY, PolicyRecord,
    RuleMode, RulePerms, StatePerms, combine,
};
pub use pack::{PermsEntry, accept_words, file_entry_pair, policy_entry, xindex};
pub use xtable::{XTable, XTableError};
pub use error::EncodeError;
pub use file::{FileEncoding, encode_file_rules};
pub use target::{EncodeTarget, MediatedClasses};
