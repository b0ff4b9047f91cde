//! Feature sets compiled into aaprof, named `builtin:NAME` wherever a
//! features file is accepted.
//!
//! Each set is a fact taken from somewhere real, never written by guess:
//! a kernel's `/sys/kernel/security/apparmor/features` flattened, a
//! published features file, or what apparmor_parser 5.0.2 itself assumes
//! (checked against it by experiment; see each entry's `source`). The
//! texts are kept verbatim because the features id (the cache directory
//! name) is a hash of the exact bytes.

use super::set::{FeatureError, FeatureSet};

/// The prefix that names a built-in set instead of a file.
pub const PREFIX: &str = "builtin:";

/// One built-in feature set.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// What follows `builtin:`.
    pub name: &'static str,
    /// Where the text comes from.
    pub source: &'static str,
    /// One line on what it is for.
    pub description: &'static str,
    /// The features text, verbatim.
    pub text: &'static str,
}

/// Name of the kernel set apparmor_parser 5.0.2 assumes when the kernel
/// exposes no features and none are given.
pub const NO_KERNEL: &str = "apparmor-5.0-no-kernel";
/// Name of the policy ABI apparmor_parser 5.0.2 uses for a file without
/// an `abi` rule when no policy features are given.
pub const DEFAULT_ABI: &str = "apparmor-5.0-default-abi";

/// Every built-in set, in the order `aaprof features list` prints them.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "debian-6.1",
        source: "Debian's 6.1 kernel: /sys/kernel/security/apparmor/features dumped with kernel-test --features-out",
        description: "kabi 7, network_v8, mount, signal, ptrace, stacking; no dbus, no af_unix rules",
        text: include_str!("debian-6.1.txt"),
    },
    Builtin {
        name: "debian-6.12",
        source: "Debian's 6.12 kernel: /sys/kernel/security/apparmor/features dumped with kernel-test --features-out",
        description: "debian-6.1 plus userns, io_uring, detached move_mount (permstable32 at version 1, unused)",
        text: include_str!("debian-6.12.txt"),
    },
    Builtin {
        name: "upstream-all",
        source: "AppArmor upstream parser test suite: the all-features kernel file its conformance tests compile against",
        description: "kabi 7, network af_mask and af_unix, mount, dbus, signal, ptrace, stacking; caps end at audit_read",
        text: include_str!("upstream-all.txt"),
    },
    Builtin {
        name: NO_KERNEL,
        source: "apparmor_parser 5.0.2's kernel fallback; its features id 733692a5 is the cache directory 5.0.2 makes with no kernel features",
        description: "what 5.0.2 assumes when the kernel exposes no features: kabi 5, files, capabilities, rlimits; no network",
        text: include_str!("apparmor-5.0-no-kernel.txt"),
    },
    Builtin {
        name: DEFAULT_ABI,
        source: "apparmor_parser 5.0.2's compiled-in default policy ABI, checked blob for blob against --policy-features",
        description: "the policy ABI of a file without an abi rule when no --policy-features or -M is given",
        text: include_str!("apparmor-5.0-default-abi.txt"),
    },
];

/// The built-in set called `name` (without the prefix).
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// The name a `builtin:NAME` argument gives, if it is one.
pub fn strip_prefix(spec: &str) -> Option<&str> {
    spec.strip_prefix(PREFIX)
}

impl Builtin {
    /// The set as a [`FeatureSet`].
    pub fn set(&self) -> FeatureSet {
        FeatureSet::from_text(self.text.as_bytes()).expect("built-in sets are small")
    }
}

/// The set a `builtin:NAME` argument names, or an error listing the names.
pub fn load(name: &str) -> Result<FeatureSet, FeatureError> {
    find(name)
        .map(Builtin::set)
        .ok_or_else(|| FeatureError::UnknownBuiltin {
            name: name.to_string(),
            known: BUILTINS
                .iter()
                .map(|b| b.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// apparmor_parser 5.0.2's kernel set when the kernel exposes none.
pub fn no_kernel() -> FeatureSet {
    find(NO_KERNEL).expect("listed").set()
}

/// apparmor_parser 5.0.2's default policy ABI.
pub fn default_abi() -> FeatureSet {
    find(DEFAULT_ABI).expect("listed").set()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::KernelFacts;

    #[test]
    fn every_set_loads_and_names_are_unique() {
        for (i, b) in BUILTINS.iter().enumerate() {
            assert!(!b.set().text().is_empty(), "{}", b.name);
            assert!(BUILTINS[..i].iter().all(|o| o.name != b.name));
            assert!(!b.description.contains('\n') && !b.source.contains('\n'));
        }
        assert!(load("nonsense").is_err());
    }

    #[test]
    fn no_kernel_fallback_is_kabi_5_without_network_and_has_its_known_id() {
        let set = no_kernel();
        // 5.0.2 names the cache directory of a featureless kernel 733692a5.
        assert_eq!(set.id(), "733692a5");
        let facts = KernelFacts::from_kernel(&set);
        assert_eq!(facts.kabi, 5);
        assert!(facts.policydb);
        assert!(!set.supports("network"));
        assert_eq!(facts.caps_as_sys_admin, 0b111 << 38);
    }

    #[test]
    fn default_abi_has_no_domain_stack() {
        // Its `domain {}` block closes after `version`, so `stack` sits at
        // the top level and the brace closing the intended block ends the
        // text for lookups (the `policy` block after it is unreachable):
        // 5.0.2 refuses `&` change_profile targets under this ABI.
        let set = default_abi();
        assert!(!set.supports("domain/stack"));
        assert!(set.supports("domain/version"));
        assert!(!set.supports("policy/versions/v8"));
        assert!(set.supports("network/af_unix"));
        assert!(set.supports("caps/mask/bpf"));
    }
}
