//! Capability rules to the profile's allow/audit/quiet masks (§2.6).

use super::error::EncodeError;
use crate::model::{CapabilityRule, Qualifiers, Verdict};

pub use crate::model::CAPABILITY_NAMES;

/// `CAP_SYS_ADMIN`.
const SYS_ADMIN: u32 = 21;

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
    /// Named capabilities that count as `sys_admin` (see
    /// `EncodeTarget::caps_as_sys_admin`).
    as_sys_admin: u64,
}

impl CapabilitySet {
    /// A set where naming a capability in `as_sys_admin` grants
    /// `sys_admin` (a bare `capability,` still grants all 64 bits).
    pub fn folding(as_sys_admin: u64) -> CapabilitySet {
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
            let number = match self.as_sys_admin & (1 << number) {
                0 => number,
                _ => SYS_ADMIN,
            };
            bits |= 1 << number;
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

    /// apparmor_parser 5.0.2 under `upstream-all` (whose caps/mask ends at
    /// audit_read): `capability bpf,` writes allow 0x200000, `deny
    /// capability bpf,` quiet 0x200000, `capability,` all 64 bits.
    #[test]
    fn split_capabilities_fold_into_sys_admin() {
        let fold = 1 << 38 | 1 << 39 | 1 << 40;
        let mut set = CapabilitySet::folding(fold);
        set.add(&Qualifiers::default(), &rule(&["bpf", "chown"]))
            .unwrap();
        assert_eq!(set.masks().allow, 1 << 21 | 1);
        let deny = Qualifiers {
            verdict: Verdict::Deny,
            ..Qualifiers::default()
        };
        let mut set = CapabilitySet::folding(fold);
        set.add(&deny, &rule(&["perfmon"])).unwrap();
        assert_eq!(set.masks().quiet, 1 << 21);
        let mut set = CapabilitySet::folding(fold);
        set.add(&Qualifiers::default(), &rule(&[])).unwrap();
        assert_eq!(set.masks().allow, u64::MAX);
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

    #[test]
    fn unknown_names_are_errors() {
        let mut set = CapabilitySet::default();
        assert!(matches!(
            set.add(&Qualifiers::default(), &rule(&["frobnicate"])),
            Err(EncodeError::UnknownCapability { .. })
        ));
    }
}
