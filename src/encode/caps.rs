//! Capability rules to the profile's allow/audit/quiet masks (§2.6).

use super::error::EncodeError;
use crate::model::{CAPABILITY_BACKMAP, CapabilityRule, Qualifiers, Verdict};

pub use crate::model::CAPABILITY_NAMES;

/// The capability number of a name (case-sensitive, as the parser).
pub fn capability_number(name: &str) -> Option<u32> {
    CAPABILITY_NAMES
        .iter()
        .position(|&known| known == name)
        .map(|index| index as u32)
}

/// The three capability masks written in the profile record; bit n is
/// capability n. Low 32 bits go in the first group, high 32 in `caps64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CapabilityMasks {
    pub allow: u64,
    pub audit: u64,
    pub quiet: u64,
}

/// The capability bits a kernel lacks that 5.0.2 maps to an older
/// capability (see [`CAPABILITY_BACKMAP`]); `supported` says whether the
/// kernel lists a capability name in `caps/mask`.
pub fn backmapped_capabilities(supported: impl Fn(&str) -> bool) -> u64 {
    CAPABILITY_BACKMAP
        .iter()
        .filter(|(name, _)| !supported(name))
        .filter_map(|(name, _)| capability_number(name))
        .fold(0, |bits, number| bits | 1 << number)
}

/// The capability a named one is granted as on a kernel lacking the
/// `backmapped` bits.
fn kernel_capability(number: u32, backmapped: u64) -> u32 {
    if backmapped & (1 << number) == 0 {
        return number;
    }
    CAPABILITY_BACKMAP
        .iter()
        .find(|(name, _)| capability_number(name) == Some(number))
        .and_then(|(_, older)| capability_number(older))
        .unwrap_or(number)
}

/// Accumulates capability rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct CapabilitySet {
    allowed: u64,
    denied: u64,
    audited: u64,
    quieted: u64,
    /// Capabilities the target kernel lacks, named rules for which stand
    /// for their older capability.
    backmapped: u64,
}

impl CapabilitySet {
    /// An empty set for a kernel lacking the `backmapped` capabilities
    /// (from [`backmapped_capabilities`]).
    pub fn for_kernel(backmapped: u64) -> CapabilitySet {
        CapabilitySet {
            backmapped,
            ..CapabilitySet::default()
        }
    }

    /// Adds one rule; an empty name list (`capability,`) means all 64 bits,
    /// as the parser writes it.
    pub fn add(&mut self, q: &Qualifiers, rule: &CapabilityRule) -> Result<(), EncodeError> {
        let mut bits = 0u64;
        if rule.capabilities.is_empty() {
            bits = u64::MAX;
        }
        for name in &rule.capabilities {
            let number = capability_number(name)
                .ok_or_else(|| EncodeError::UnknownCapability { name: name.clone() })?;
            bits |= 1 << kernel_capability(number, self.backmapped);
        }
        match q.verdict {
            Verdict::Deny => {
                self.denied |= bits;
                if !q.audit {
                    self.quieted |= bits;
                }
            }
            // Prompt has no place in the capability masks; treat it as
            // allow. [unsure: 5.0 prompt capability semantics]
            Verdict::Allow | Verdict::Prompt => {
                self.allowed |= bits;
                if q.audit {
                    self.audited |= bits;
                }
            }
        }
        Ok(())
    }

    /// allow = A & ~D, audit = allow & Au, quiet = D & Q.
    pub fn masks(&self) -> CapabilityMasks {
        let allow = self.allowed & !self.denied;
        CapabilityMasks {
            allow,
            audit: allow & self.audited,
            quiet: self.denied & self.quieted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(names: &[&str]) -> CapabilityRule {
        CapabilityRule {
            capabilities: names.iter().map(|&name| name.to_owned()).collect(),
        }
    }

    #[test]
    fn spec_example() {
        // capability net_raw, audit capability sys_admin, deny capability sys_module,
        let mut set = CapabilitySet::default();
        set.add(&Qualifiers::default(), &rule(&["net_raw"]))
            .unwrap();
        let audit = Qualifiers {
            audit: true,
            ..Qualifiers::default()
        };
        set.add(&audit, &rule(&["sys_admin"])).unwrap();
        let deny = Qualifiers {
            verdict: Verdict::Deny,
            ..Qualifiers::default()
        };
        set.add(&deny, &rule(&["sys_module"])).unwrap();
        assert_eq!(
            set.masks(),
            CapabilityMasks {
                allow: 0x20_2000,
                audit: 0x20_0000,
                quiet: 0x1_0000
            }
        );
    }

    #[test]
    fn all_and_high_numbers() {
        let mut set = CapabilitySet::default();
        set.add(&Qualifiers::default(), &rule(&[])).unwrap();
        assert_eq!(set.masks().allow, u64::MAX);
        let mut set = CapabilitySet::default();
        set.add(
            &Qualifiers::default(),
            &rule(&["checkpoint_restore", "chown"]),
        )
        .unwrap();
        assert_eq!(set.masks().allow, (1 << 40) | 1);
    }

    /// On a kernel without perfmon, bpf and checkpoint_restore each named
    /// rule stands for sys_admin, whatever its qualifiers; `capability,`
    /// keeps every bit (5.0.2 under upstream-all's features).
    #[test]
    fn split_capabilities_map_to_sys_admin_on_older_kernels() {
        let backmapped =
            backmapped_capabilities(|name| !CAPABILITY_BACKMAP.iter().any(|(n, _)| *n == name));
        assert_eq!(backmapped, (1 << 38) | (1 << 39) | (1 << 40));
        let sys_admin = 1 << 21;
        for name in ["perfmon", "bpf", "checkpoint_restore"] {
            let mut set = CapabilitySet::for_kernel(backmapped);
            set.add(&Qualifiers::default(), &rule(&[name, "setuid"]))
                .unwrap();
            assert_eq!(set.masks().allow, sys_admin | 1 << 7, "{name}");
        }
        let deny = Qualifiers {
            verdict: Verdict::Deny,
            ..Qualifiers::default()
        };
        let mut set = CapabilitySet::for_kernel(backmapped);
        set.add(&Qualifiers::default(), &rule(&["sys_admin"]))
            .unwrap();
        set.add(&deny, &rule(&["perfmon"])).unwrap();
        assert_eq!(
            set.masks(),
            CapabilityMasks {
                allow: 0,
                audit: 0,
                quiet: sys_admin
            }
        );
        let mut set = CapabilitySet::for_kernel(backmapped);
        set.add(&Qualifiers::default(), &rule(&[])).unwrap();
        assert_eq!(set.masks().allow, u64::MAX);
        // A kernel listing them keeps their own bits.
        let mut set = CapabilitySet::for_kernel(backmapped_capabilities(|_| true));
        set.add(&Qualifiers::default(), &rule(&["bpf"])).unwrap();
        assert_eq!(set.masks().allow, 1 << 39);
    }

    #[test]
    fn unknown_names_are_errors() {
        let mut set = CapabilitySet::default();
        assert!(matches!(
            set.add(&Qualifiers::default(), &rule(&["frobnicate"])),
            Err(EncodeError::UnknownCapability { .. })
        ));
    }
}
