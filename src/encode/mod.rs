//! Rule encoding: policy-model rules to per-class match expressions and
//! permissions (binary-format §4, §5).
//!
//! Entry point: [`encode_policy`] turns a [`crate::model::Policy`] into one
//! [`EncodedProfile`] per record, in emission order (§1.5). Each holds the
//! rule lists for the three DFAs as `(Expr, record)` pairs:
//!
//! * `xmatch`: [`Xmatch`] rules with [`PolicyRecord`]s; always packed.
//! * `policy_rules`: [`PolicyRecord`]s; starts with the mediates entries,
//!   the policy-DB class encoders append theirs. Empty ⇒ no policydb.
//! * `file.rules`: [`FileRecord`]s; empty ⇒ no file DFA. `file.xtable` is
//!   the exec-name table (write it only if non-empty).
//!
//! Both record types implement [`crate::dfa::Accept`]: a rule contributes a
//! [`RulePerms`] (`Record::Rule`); the DFA combines the rules accepting in a
//! state into a [`StatePerms`] (`Record::State`, deny already folded in, so
//! equal `StatePerms` ⇔ mergeable states). Then per state:
//!
//! * packed tables: [`accept_words`] gives (ACCEPT, ACCEPT2) =
//!   (allow, audit/quiet packed per §4.1) — file DFA, policydb and xmatch;
//! * permission tables (`EncodeTarget::permstable`): [`file_entry_pair`]
//!   gives the (user, other) entries of a file-DFA state and
//!   [`policy_entry`] the entry of a policydb state, with
//!   [`PermsEntry`] being the blob's entry type. Index assignment is the table
//!   writer's job.

pub mod bits;
mod caps;
mod dbus;
mod entry_merge;
mod entry_order;
mod error;
mod file;
mod flags;
mod inet;
mod ipc;
mod mediates;
mod mount;
mod mount_merge;
mod net_legacy;
mod network;
mod pack;
mod pdb;
mod policy_rules;
mod profile;
mod ptrace;
mod record;
pub mod request;
mod rlimits;
mod rule_table;
mod signal;
mod std_sort;
mod target;
mod unix;
mod unix_merge;
mod xmatch;
mod xtable;

pub use caps::{CAPABILITY_NAMES, CapabilityMasks, CapabilitySet, capability_number};
pub use entry_order::{ExecType, MergeKey, entry_exec_types, merge_key};
pub use error::EncodeError;
pub use file::{FileEncoding, encode_file_rules};
pub use flags::{
    FLAG_DEBUG1, FLAG_HAT, FLAG_INTERRUPTIBLE, FlagWords, PATH_CHROOT_NSCONNECT, PATH_CHROOT_REL,
    PATH_CONNECT_IPC, PATH_CONNECT_PATH, PATH_MEDIATE_DELETED, flag_words, path_flags,
};
pub use mediates::{mediates_entries, presence};
pub use mount::mount_matches_a_call;
pub use network::{family_name, map_perms, type_name};
pub use pack::{PermsEntry, accept_words, file_entry_pair, policy_entry, xindex};
pub use policy_rules::{encode_policy_rules, encode_policy_rules_traced, unenforced_classes};
pub use profile::{EncodedProfile, ProfileOptions, emission_order, encode_policy, encode_profile};
pub use record::{
    CombineError, FileRecord, Half, MAX_INTERNAL_PRIORITY, MIN_INTERNAL_PRIORITY, PolicyRecord,
    RuleMode, RulePerms, StatePerms, combine,
};
pub use rlimits::{RLIMIT_COUNT, Rlimits, rlimit_index, rlimit_name};
pub use target::{EncodeTarget, MediatedClasses};
pub use xmatch::{Xmatch, attachment, encode_xmatch, xattr_names};
pub use xtable::{XTable, XTableError};
