//! Packed ("old" layout) permission bits of the file DFA and policydb
//! accept words (binary-format §4.1, §4.5).
//!
//! A file permission word holds two 14-bit halves: the user half (file
//! owner == subject) in bits 0–13 and the other half in bits 14–27, plus
//! the shared change_profile/onexec bits 30–31.

pub const MAY_EXEC: u32 = 0x0001;
pub const MAY_WRITE: u32 = 0x0002;
pub const MAY_READ: u32 = 0x0004;
pub const MAY_APPEND: u32 = 0x0008;
pub const MAY_LINK: u32 = 0x0010;
/// Lock; on the second part of a link pair rule it is the subset test.
pub const MAY_LOCK: u32 = 0x0020;
pub const LINK_SUBSET: u32 = MAY_LOCK;
pub const EXEC_MMAP: u32 = 0x0040;
/// `pux`/`cux`: fall back to unconfined.
pub const EXEC_PUX: u32 = 0x0080;
/// Lowercase exec modes: do not scrub the environment.
pub const EXEC_UNSAFE: u32 = 0x0100;
/// `ix`, and the `pix`/`cix` fallback.
pub const EXEC_INHERIT: u32 = 0x0200;
/// The 4-bit exec index occupies bits 10–13 of a half.
pub const EXEC_INDEX_SHIFT: u32 = 10;
pub const EXEC_INDEX_MASK: u32 = 0x3C00;
/// Every exec-type bit of one half: fallback, unsafe, inherit, index.
pub const EXEC_TYPE: u32 = EXEC_PUX | EXEC_UNSAFE | EXEC_INHERIT | EXEC_INDEX_MASK;
/// All 14 bits of one half.
pub const HALF_MASK: u32 = 0x3FFF;

/// Exec index values below the xtable slots.
pub const INDEX_UNCONFINED: u32 = 1;
pub const INDEX_PROFILE: u32 = 2;
pub const INDEX_LOCAL: u32 = 3;

/// Shift of the other half.
pub const OTHER_SHIFT: u32 = 14;
pub const USER_EXEC: u32 = MAY_EXEC;
pub const OTHER_EXEC: u32 = MAY_EXEC << OTHER_SHIFT;
/// Exec-type bits of both halves.
pub const ALL_EXEC_TYPE: u32 = EXEC_TYPE | (EXEC_TYPE << OTHER_SHIFT);

/// Shared bit: change_hat / onexec.
pub const ONEXEC: u32 = 1 << 30;
/// Shared bit: change_profile.
pub const CHANGE_PROFILE: u32 = 1 << 31;

/// Only the first 7 bits of each half can be audited or quieted.
pub const AUDIT_MASK: u32 = 0x1F_C07F;

/// Policydb "continue matching" flag as the parser writes it in a packed
/// policydb word; the perms table uses [`KERNEL_CONT_MATCH`].
pub const COMPAT_CONT_MATCH: u32 = 0x1000_0000;

/// ACCEPT2: audit bits 0–6 / 14–20, quiet bits shifted left by 7.
pub fn pack_audit_quiet(audit: u32, quiet: u32) -> u32 {
    (audit & AUDIT_MASK) | ((quiet & AUDIT_MASK) << 7)
}

/// Kernel ("new") permission bits used in perms-table entries (§4.5).
pub mod kernel {
    pub const MAY_GETATTR: u32 = 0x0000_0200;
    pub const MAY_SETATTR: u32 = 0x0000_0100;
    pub const MAY_CREATE: u32 = 0x0000_0010;
    pub const MAY_DELETE: u32 = 0x0000_0020;
    pub const MAY_OPEN: u32 = 0x0000_0040;
    pub const MAY_CHMOD: u32 = 0x0000_1000;
    pub const MAY_CHOWN: u32 = 0x0000_2000;
    pub const MAY_LOCK: u32 = 0x0000_8000;
    pub const EXEC_MMAP: u32 = 0x0001_0000;
    pub const MAY_LINK: u32 = 0x0004_0000;
    pub const CONT_MATCH: u32 = 0x0800_0000;
    pub const MAY_ONEXEC: u32 = 0x2000_0000;
    pub const MAY_CHANGE_PROFILE: u32 = 0x4000_0000;

    /// xindex flags.
    pub const X_NAME: u32 = 0x0400_0000;
    pub const X_TABLE: u32 = 0x0800_0000;
    pub const X_UNSAFE: u32 = 0x1000_0000;
    pub const X_CHILD: u32 = 0x2000_0000;
    pub const X_INHERIT: u32 = 0x4000_0000;
    pub const X_UNCONFINED: u32 = 0x8000_0000;
}
pub use kernel::CONT_MATCH as KERNEL_CONT_MATCH;

/// Places one half's bits in the halves the ownership condition selects
/// (`owner`: the user half, `other`: the other half, neither: both).
pub fn halves(owner: crate::model::Ownership, half: u32) -> u32 {
    use crate::model::Ownership;
    match owner {
        Ownership::Any => half | (half << OTHER_SHIFT),
        Ownership::Owner => half,
        Ownership::Other => half << OTHER_SHIFT,
    }
}
