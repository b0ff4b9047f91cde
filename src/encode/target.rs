//! What the encoder needs to know about the kernel and policy features.

/// The target of one compilation, filled by the caller from the kernel
/// and policy feature sets (a class is "mediated" when both have it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeTarget {
    /// Kernel ABI version written in the header (5, 6 or 7).
    pub kabi: u32,
    /// Policy-DB classes to announce with "mediates" entries (§5.3).
    pub mediates: MediatedClasses,
    /// `policy/permstable32` with a usable version (2 or 3): perms tables
    /// instead of packed accept words for the policydb and file DFA.
    pub permstable: bool,
    /// permstable32 version 3: the `permsv` field and ACCEPT2 = 1.
    pub permsv3: bool,
    /// `domain/attach_conditions/xattr`: xattr conditions go in the xmatch.
    pub xattr_attach: bool,
    /// `policy/outofband`: the xattr separator is the out-of-band symbol
    /// (otherwise a NUL byte).
    pub out_of_band: bool,
    /// `domain/stack`: change_profile targets are matched as written;
    /// without it a `:ns:name` target is matched as `ns\0name`.
    pub stacking: bool,
    /// The kernel has the old `network` feature but not `network_v8`:
    /// network rules go to the record's `net_allowed_af` table.
    pub network_legacy: bool,
    /// `network_v8/af_inet`: fine-grained inet/inet6 rules.
    pub inet_fine: bool,
    /// Capabilities split off `sys_admin` (perfmon, bpf,
    /// checkpoint_restore) that the kernel's `caps/mask` lacks, as bits:
    /// a rule naming one grants `sys_admin` instead, as apparmor_parser
    /// 5.0.2 does.
    pub caps_as_sys_admin: u64,
}

/// The `caps_as_sys_admin` bits for a kernel whose `caps/mask` lists
/// `known` (no folding when the mask is absent).
pub fn caps_as_sys_admin(known: &[String]) -> u64 {
    if known.is_empty() {
        return 0;
    }
    ["perfmon", "bpf", "checkpoint_restore"]
        .iter()
        .filter(|name| !known.iter().any(|k| k == *name))
        .filter_map(|name| super::caps::capability_number(name))
        .fold(0, |bits, n| bits | 1 << n)
}

/// Which policy-DB classes get a presence ("mediates") entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MediatedClasses {
    pub mount: bool,
    pub dbus: bool,
    pub signal: bool,
    pub ptrace: bool,
    pub network_v8: bool,
    /// HEAD `network_v9_skb`.
    pub network_v9_skb: bool,
    /// `network_v9/af_unix`: unix rules in class 15.
    pub unix_v9: bool,
    /// `network/af_unix` (v7 unix, class 4), used when v9 unix is not.
    pub unix_v7: bool,
    pub posix_mqueue: bool,
    pub sysv_mqueue: bool,
    /// `namespaces/mask/userns_create`.
    pub userns: bool,
    pub io_uring: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_missing_from_the_mask_fold_into_sys_admin() {
        let words = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
        assert_eq!(caps_as_sys_admin(&[]), 0);
        assert_eq!(
            caps_as_sys_admin(&words("chown sys_admin audit_read")),
            1 << 38 | 1 << 39 | 1 << 40
        );
        assert_eq!(caps_as_sys_admin(&words("chown perfmon bpf")), 1 << 40);
    }
}
