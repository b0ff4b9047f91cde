//! From state permissions to what the DFA tables store: packed ACCEPT /
//! ACCEPT2 words (§4.1–4.3) or permission-table entries (§4.4).

use super::bits::{self, COMPAT_CONT_MATCH, EXEC_INDEX_MASK, EXEC_INDEX_SHIFT, HALF_MASK, kernel};
use super::record::StatePerms;

/// Packed accept words of a state, for the file DFA and the policydb alike:
/// ACCEPT = allowed bits, ACCEPT2 = audit and quiet (§4.1). Prompt bits
/// have no place in the packed format and are dropped.
pub fn accept_words(perms: &StatePerms) -> (u32, u32) {
    (
        perms.allow,
        bits::pack_audit_quiet(perms.audit, perms.quiet),
    )
}

/// Permission-table entries are the blob's own type (§4.4), so the
/// encoder's entries are written as they are.
pub use crate::blob::PermsEntry;

/// The (user, other) entry pair of a file-DFA state.
pub fn file_entry_pair(perms: &StatePerms) -> (PermsEntry, PermsEntry) {
    (file_entry(perms, 0), file_entry(perms, bits::OTHER_SHIFT))
}

/// One half's entry: the packed half mapped to kernel bits, as the kernel
/// itself maps a packed file DFA.
fn file_entry(perms: &StatePerms, shift: u32) -> PermsEntry {
    let shared = perms.allow & bits::CHANGE_PROFILE;
    let half = |word: u32| (word >> shift) & 0x7F;
    let mut allow = map_file_bits(half(perms.allow) | shared) | kernel::MAY_GETATTR;
    if perms.allow & bits::CHANGE_PROFILE != 0 {
        allow |= kernel::MAY_CHANGE_PROFILE;
    }
    if perms.allow & bits::ONEXEC != 0 {
        allow |= kernel::MAY_ONEXEC;
    }
    let prompt = map_file_bits(half(perms.prompt) | (perms.prompt & bits::CHANGE_PROFILE));
    PermsEntry {
        allow,
        prompt: prompt & !allow,
        audit: map_file_bits(half(perms.audit)),
        quiet: map_file_bits(half(perms.quiet)),
        xindex: xindex((perms.allow >> shift) & HALF_MASK),
        ..PermsEntry::default()
    }
}

/// Old file bits (plus bit 31) to kernel bits.
fn map_file_bits(old: u32) -> u32 {
    let mut new = old & 0xF;
    if old & bits::MAY_READ != 0 {
        new |= kernel::MAY_GETATTR | kernel::MAY_OPEN;
    }
    if old & bits::MAY_WRITE != 0 {
        new |= kernel::MAY_SETATTR
            | kernel::MAY_CREATE
            | kernel::MAY_DELETE
            | kernel::MAY_CHMOD
            | kernel::MAY_CHOWN
            | kernel::MAY_OPEN;
    }
    if old & bits::MAY_LINK != 0 {
        new |= kernel::MAY_LINK;
    }
    if old & bits::MAY_LOCK != 0 {
        // Lock and link-subset share the old bit and the new one.
        new |= kernel::MAY_LOCK;
    }
    if old & bits::EXEC_MMAP != 0 {
        new |= kernel::EXEC_MMAP;
    }
    new
}

/// The kernel xindex of one packed half (§4.4).
pub fn xindex(half: u32) -> u32 {
    let mut index = 0;
    if half & bits::EXEC_UNSAFE != 0 {
        index |= kernel::X_UNSAFE;
    }
    if half & bits::EXEC_INHERIT != 0 {
        index |= kernel::X_INHERIT;
    }
    if half & bits::EXEC_PUX != 0 {
        index |= kernel::X_UNCONFINED;
    }
    match (half & EXEC_INDEX_MASK) >> EXEC_INDEX_SHIFT {
        0 => {}
        bits::INDEX_UNCONFINED => index |= kernel::X_UNCONFINED,
        bits::INDEX_PROFILE => index |= kernel::X_NAME,
        bits::INDEX_LOCAL => index |= kernel::X_NAME | kernel::X_CHILD,
        slot => index |= kernel::X_TABLE | (slot - 4),
    }
    index
}

/// The entry of a policydb state (§4.2 mapping of a packed policydb word).
pub fn policy_entry(perms: &StatePerms) -> PermsEntry {
    let user = |word: u32| (word & 0x7F) | (word & 0x8000_0000);
    let other = |word: u32| ((word >> 14) & 0x7F) | (word & 0x8000_0000);
    let mut allow = user(perms.allow) | map_other(other(perms.allow)) | kernel::MAY_LOCK;
    if perms.allow & COMPAT_CONT_MATCH != 0 {
        allow |= kernel::CONT_MATCH;
    }
    let audit = perms.audit & bits::AUDIT_MASK;
    let quiet = perms.quiet & bits::AUDIT_MASK;
    PermsEntry {
        allow,
        prompt: user(perms.prompt) | map_other(other(perms.prompt)),
        audit: (audit & 0x7F) | map_other((audit >> 14) & 0x7F),
        quiet: (quiet & 0x7F) | map_other((quiet >> 14) & 0x7F),
        ..PermsEntry::default()
    }
}

/// The other half of a packed policydb word extends the permission set.
fn map_other(x: u32) -> u32 {
    ((x & 0x3) << 8) | ((x & 0x1C) << 18) | ((x & 0x60) << 19)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::bits::*;

    fn state(allow: u32) -> StatePerms {
        StatePerms {
            allow,
            ..StatePerms::default()
        }
    }

    #[test]
    fn packed_words() {
        // `deny /etc/secret r,` → ACCEPT2 0x00800200
        let denied = StatePerms {
            quiet: 0x10004,
            ..StatePerms::default()
        };
        assert_eq!(accept_words(&denied), (0, 0x0080_0200));
        // `audit /var/log/x w,` → ACCEPT2 0x0002800A
        let audited = StatePerms {
            allow: 0x2800A,
            audit: 0x2800A,
            ..StatePerms::default()
        };
        assert_eq!(accept_words(&audited), (0x2800A, 0x0002_800A));
    }

    #[test]
    fn file_entries() {
        // `/usr/bin/baz Px,`: exec by name, both halves.
        let (user, other) = file_entry_pair(&state(0x0200_4801));
        assert_eq!(user.xindex, kernel::X_NAME);
        assert_eq!(other.xindex, kernel::X_NAME);
        assert_eq!(user.allow, MAY_EXEC | kernel::MAY_GETATTR);
        // `owner /etc/foo r,`: the other entry has only the implicit getattr.
        let (user, other) = file_entry_pair(&state(MAY_READ));
        assert_eq!(
            user.allow,
            MAY_READ | kernel::MAY_GETATTR | kernel::MAY_OPEN
        );
        assert_eq!(other.allow, kernel::MAY_GETATTR);
        // change_profile bits are shared by both halves.
        let (user, other) = file_entry_pair(&state(CHANGE_PROFILE | ONEXEC));
        for entry in [user, other] {
            assert_eq!(
                entry.allow,
                kernel::MAY_GETATTR | kernel::MAY_CHANGE_PROFILE | kernel::MAY_ONEXEC
            );
        }
    }

    #[test]
    fn xindex_encoding() {
        // `cx -> child` in slot 6: half 0x1901 → table entry 2, unsafe.
        assert_eq!(xindex(0x1901), kernel::X_TABLE | kernel::X_UNSAFE | 2);
        assert_eq!(
            xindex(MAY_EXEC | EXEC_INHERIT | (INDEX_LOCAL << EXEC_INDEX_SHIFT)),
            kernel::X_NAME | kernel::X_CHILD | kernel::X_INHERIT
        );
        assert_eq!(xindex(0x0401), kernel::X_UNCONFINED);
        assert_eq!(xindex(0x0881), kernel::X_NAME | kernel::X_UNCONFINED);
    }

    #[test]
    fn policy_entries() {
        // A mediates entry: MAY_READ.
        let entry = policy_entry(&state(MAY_READ));
        assert_eq!(entry.allow, MAY_READ | kernel::MAY_LOCK);
        // Network's remapped bits in the other half come back out.
        let entry = policy_entry(&state(0x1F_C076));
        assert_eq!(entry.allow & 0x7F, 0x76);
        assert_ne!(entry.allow & 0x0300, 0);
    }
}
