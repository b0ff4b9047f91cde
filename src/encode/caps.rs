//! Capability rules to the profile's allow/audit/quiet masks (§2.6).

use super::error::EncodeError;
use crate::model::{CapabilityRule, Qualifiers, Verdict};

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

/// Accumulates capability rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct CapabilitySet {
    allowed: u64,
    denied: u64,
    audited: u64,
    quieted: u64,
    /// Named capabilities that go to `sys_admin` instead (see
    /// [`super::EncodeTarget::caps_as_sys_admin`]).
    as_sys_admin: u64,
}

/// Bit of `sys_admin`.
const SYS_ADMIN_BIT: u64 = 1 << 21;

impl CapabilitySet {
    /// An empty set for a kernel that checks the capabilities of
    /// `as_sys_admin` (a bit mask) as `sys_admin`.
    pub fn new(as_sys_admin: u64) -> CapabilitySet {
        CapabilitySet {
            as_sys_admin,
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
            let bit = 1 << number;
            bits |= if self.as_sys_admin & bit != 0 {
                SYS_ADMIN_BIT
            } else {
                bit
            };
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
    fn split_capabilities_named_go_to_sys_admin_but_all_keeps_every_bit() {
        let bpf = 1 << capability_number("bpf").unwrap();
        let mut set = CapabilitySet::new(bpf);
        set.add(&Qualifiers::default(), &rule(&["bpf", "kill"]))
            .unwrap();
        assert_eq!(set.masks().allow, SYS_ADMIN_BIT | 1 << 5);
        let mut set = CapabilitySet::new(bpf);
        set.add(&Qualifiers::default(), &rule(&[])).unwrap();
        assert_eq!(set.masks().allow, u64::MAX);
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

    #[test]
    fn unknown_names_are_errors() {
        let mut set = CapabilitySet::default();
        assert!(matches!(
            set.add(&Qualifiers::default(), &rule(&["frobnicate"])),
            Err(EncodeError::UnknownCapability { .. })
        ));
    }
}
