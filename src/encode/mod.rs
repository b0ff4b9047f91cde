//! Rule encoding: policy-model rules to per-class match expressions and
//! permissions (binary-format §4, §5).

pub mod bits;
mod record;

pub use record::{
    CombineError, FileRecord, Half, MAX_INTERNAL_PRIORITY, MIN_INTERNAL_PRIORITY, PolicyRecord,
    RuleMode, RulePerms, StatePerms, combine,
};
