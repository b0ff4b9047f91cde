//! What the back end needs to know, derived from the kernel and policy
//! feature sets with apparmor_parser's rules.

use super::set::FeatureSet;
use serde::Serialize;

/// Policy version in the version word (bits 20–27), §1.5.
pub const POLICY_VERSION: u32 = 2;
/// Parser ABI in the version word (bits 12–19), §1.5.
pub const PARSER_ABI: u32 = 2;
/// Version-word bit that makes the kernel load every profile in complain mode.
pub const FORCE_COMPLAIN_BIT: u32 = 1 << 11;

/// Facts taken from the kernel feature set alone (apparmor_parser reads
/// these from the kernel set only, never from the policy ABI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KernelFacts {
    /// Kernel ABI: 7 if `policy/versions/v7`, else 6 if `policy/versions/v6`,
    /// else 5 (v7 is tested first; 8 and 9 are never used).
    pub kabi: u32,
    /// `file`: the kernel has a policydb (apparmor_parser's
    /// `kernel_supports_policydb`).
    pub policydb: bool,
    /// `policy/set_load`.
    pub set_load: bool,
    /// `policy/diff_encode`: differential state encoding may be used.
    pub diff_encode: bool,
    /// `policy/state32`: 32-bit DEFAULT/NEXT/CHECK for DFAs over 65535 states.
    pub state32: bool,
    /// `policy/flags_table` (only used together with `state32`).
    pub flags_table: bool,
    /// `policy/outofband`: out-of-band transitions (xattr matching).
    pub oob: bool,
    /// `policy/permstable32` is listed.
    pub permstable32_listed: bool,
    /// The `policy/permstable32_version/0x00000N` marker (3, 2 or 1,
    /// highest first), if `permstable32` is listed and a marker is present.
    pub permstable32_version: Option<u32>,
    /// `mount/move_mount/detached` (kernel-only in apparmor_parser).
    pub detached_mount: bool,
    /// Bit n set: capability n is one Linux split out of `sys_admin`
    /// ([`crate::model::SPLIT_FROM_SYS_ADMIN`]) and the kernel's
    /// `caps/mask` does not list it, so rules naming it use `sys_admin`.
    pub caps_as_sys_admin: u64,
}

impl KernelFacts {
    pub fn from_kernel(kernel: &FeatureSet) -> KernelFacts {
        let kabi = if kernel.supports("policy/versions/v7") {
            7
        } else if kernel.supports("policy/versions/v6") {
            6
        } else {
            5
        };
        let permstable32_listed = kernel.supports("policy/permstable32");
        let permstable32_version = permstable32_listed
            .then(|| {
                [3, 2, 1]
                    .into_iter()
                    .find(|v| kernel.supports(&format!("policy/permstable32_version/0x{v:06x}")))
            })
            .flatten();
        KernelFacts {
            kabi,
            policydb: kernel.supports("file"),
            set_load: kernel.supports("policy/set_load"),
            diff_encode: kernel.supports("policy/diff_encode"),
            state32: kernel.supports("policy/state32"),
            flags_table: kernel.supports("policy/flags_table"),
            oob: kernel.supports("policy/outofband"),
            permstable32_listed,
            permstable32_version,
            detached_mount: kernel.supports("mount/move_mount/detached"),
            caps_as_sys_admin: caps_as_sys_admin(kernel),
        }
    }

    /// Whether DFAs use permission tables (§4.4): parser 5.0.2 requires
    /// marker version 2 or 3 (1 is known broken, a missing marker counts as
    /// unsupported).
    pub fn permstable32(&self) -> bool {
        self.permstable32_listed && self.permstable32_version.is_some_and(|v| v >= 2)
    }

    /// Whether the file DFA gets `permsv` and an ACCEPT2 flags table
    /// (permstable32 version 3).
    pub fn permsv(&self) -> bool {
        self.permstable32() && self.permstable32_version == Some(3)
    }

    /// The record `version` word (§1.5): exactly the kabi for kabi 5;
    /// above that also the parser ABI, the policy version and, if asked,
    /// the force-complain bit. E.g. `0x00202007` for kabi 7.
    pub fn version_word(&self, force_complain: bool) -> u32 {
        if self.kabi <= 5 {
            return self.kabi;
        }
        let complain = if force_complain {
            FORCE_COMPLAIN_BIT
        } else {
            0
        };
        self.kabi | complain | (PARSER_ABI << 12) | (POLICY_VERSION << 20)
    }
}

/// The [`KernelFacts::caps_as_sys_admin`] mask of a kernel set.
fn caps_as_sys_admin(kernel: &FeatureSet) -> u64 {
    crate::model::SPLIT_FROM_SYS_ADMIN
        .iter()
        .filter(|name| !kernel.supports(&format!("caps/mask/{name}")))
        .filter_map(|name| {
            crate::model::CAPABILITY_NAMES
                .iter()
                .position(|n| n == name)
        })
        .fold(0, |mask, bit| mask | 1 << bit)
}

/// Rule classes and profile flags apparmor_parser enables only when both
/// the kernel and the policy feature set list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleFacts {
    pub network: bool,
    pub network_v8: bool,
    /// `network_v8/af_inet`: fine-grained inet rules.
    pub inet: bool,
    /// `network/af_unix`: unix socket mediation.
    pub unix: bool,
    /// `network_v9` and `network_v9/af_unix` (parser HEAD, binary-format
    /// §5.3; the reference feature files never list them in the kernel set,
    /// so their effect is unverified here).
    pub network_v9: bool,
    pub network_v9_unix: bool,
    pub mount: bool,
    pub dbus: bool,
    pub signal: bool,
    pub ptrace: bool,
    /// `domain/stack`.
    pub stacking: bool,
    /// `domain/attach_conditions/xattr`.
    pub domain_xattr: bool,
    /// `namespaces/mask/userns_create`.
    pub userns: bool,
    /// `ipc/posix_mqueue`.
    pub posix_mqueue: bool,
    /// `ipc/sysv_mqueue`.
    pub sysv_mqueue: bool,
    pub io_uring: bool,
    /// `policy/profile/interruptible`.
    pub flag_interruptible: bool,
    /// `policy/profile/kill.signal` (note: not `domain/kill.signal`).
    pub flag_kill_signal: bool,
    /// `policy/profile/error`.
    pub flag_error: bool,
}

/// The kernel and policy feature sets a compile uses.
///
/// Semantics (apparmor_parser 4.x/5.0, `parser_main.c` and the `abi`
/// rule): the *kernel* set comes from `--kernel-features`, else `-M`, else
/// the running kernel. The *policy* set of a file comes from
/// `--override-policy-abi` if given (it overrides `abi` rules); else from
/// the file's first `abi` rule before its first profile; else from
/// `--policy-features`, else `-M`; else from the parser's compiled-in
/// default ABI (with a warning). A rule class or flag is used only when
/// both sets list it ([`Features::uses`]); ABI-level decisions (kabi,
/// permission tables, diff encoding, state32, out-of-band transitions,
/// whether a policydb exists) use the kernel set only ([`KernelFacts`]).
///
/// Sources read: apparmor_parser's `parser_main.c` (option handling: `-M`
/// sets both the kernel and the "pinned" policy set, `--kernel-features`
/// the kernel set, `--policy-features` the pinned set; `get_kernel_features`
/// and `set_supported_features`, where `features_intersect` is the logical
/// and of two lookups) and `parser_yacc.y` (after the file's preamble: the
/// override ABI if given, else the first `abi` rule's set, else the pinned
/// set, else the compiled-in default ABI). Later `abi` rules that differ
/// only warn. Both sets are looked up with libapparmor's textual lookup
/// ([`FeatureSet::supports`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    pub kernel: FeatureSet,
    pub policy: FeatureSet,
}

impl Features {
    /// Kernel and policy set from the same file (`-M`).
    pub fn same(set: FeatureSet) -> Features {
        Features {
            policy: set.clone(),
            kernel: set,
        }
    }

    /// apparmor_parser's `features_intersect`: listed in both sets.
    pub fn uses(&self, path: &str) -> bool {
        self.kernel.supports(path) && self.policy.supports(path)
    }

    pub fn kernel_facts(&self) -> KernelFacts {
        KernelFacts::from_kernel(&self.kernel)
    }

    pub fn rule_facts(&self) -> RuleFacts {
        RuleFacts {
            network: self.uses("network"),
            network_v8: self.uses("network_v8"),
            inet: self.uses("network_v8/af_inet"),
            unix: self.uses("network/af_unix"),
            network_v9: self.uses("network_v9"),
            network_v9_unix: self.uses("network_v9/af_unix"),
            mount: self.uses("mount"),
            dbus: self.uses("dbus"),
            signal: self.uses("signal"),
            ptrace: self.uses("ptrace"),
            stacking: self.uses("domain/stack"),
            domain_xattr: self.uses("domain/attach_conditions/xattr"),
            userns: self.uses("namespaces/mask/userns_create"),
            posix_mqueue: self.uses("ipc/posix_mqueue"),
            sysv_mqueue: self.uses("ipc/sysv_mqueue"),
            io_uring: self.uses("io_uring"),
            flag_interruptible: self.uses("policy/profile/interruptible"),
            flag_kill_signal: self.uses("policy/profile/kill.signal"),
            flag_error: self.uses("policy/profile/error"),
        }
    }

    /// The record `version` word; see [`KernelFacts::version_word`].
    pub fn version_word(&self, force_complain: bool) -> u32 {
        self.kernel_facts().version_word(force_complain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> FeatureSet {
        FeatureSet::from_text(text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn kabi_prefers_v7_and_version_word_has_extra_bits_only_above_5() {
        let v7 = KernelFacts::from_kernel(&set(
            "policy {versions {v5 {yes\n}\nv6 {yes\n}\nv7 {yes\n}\n}\n}\n",
        ));
        assert_eq!(v7.kabi, 7);
        assert_eq!(v7.version_word(false), 0x0020_2007);
        assert_eq!(v7.version_word(true), 0x0020_2807);
        let v6 = KernelFacts::from_kernel(&set("policy {versions {v6 {yes\n}\n}\n}\n"));
        assert_eq!(v6.version_word(false), 0x0020_2006);
        let none = KernelFacts::from_kernel(&set("file {mask {read\n}\n}\n"));
        assert_eq!(none.kabi, 5);
        assert_eq!(none.version_word(true), 5);
    }

    #[test]
    fn split_capabilities_fall_back_to_sys_admin_unless_listed() {
        let old = KernelFacts::from_kernel(&set("caps {mask {chown sys_admin audit_read\n}\n}\n"));
        assert_eq!(old.caps_as_sys_admin, 0b111 << 38);
        let new = KernelFacts::from_kernel(&set("caps {mask {sys_admin perfmon bpf\n}\n}\n"));
        assert_eq!(new.caps_as_sys_admin, 1 << 40);
    }

    #[test]
    fn permstable_needs_version_two_or_more() {
        let facts = |v: &str| {
            KernelFacts::from_kernel(&set(&format!(
                "policy {{permstable32 {{allow deny\n}}\npermstable32_version {{{v}\n}}\n}}\n"
            )))
        };
        assert!(!facts("0x000001").permstable32());
        assert!(facts("0x000002").permstable32());
        assert!(!facts("0x000002").permsv());
        assert!(facts("0x000003").permsv());
        let unlisted =
            KernelFacts::from_kernel(&set("policy {permstable32_version {0x000002\n}\n}\n"));
        assert!(!unlisted.permstable32());
    }

    #[test]
    fn rule_classes_need_both_sets() {
        let features = Features {
            kernel: set("dbus {mask {send\n}\n}\nmount {mask {mount\n}\n}\n"),
            policy: set("mount {mask {mount\n}\n}\n"),
        };
        let facts = features.rule_facts();
        assert!(facts.mount);
        assert!(!facts.dbus);
    }
}
