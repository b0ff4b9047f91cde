//! The record's `net_allowed_af` table (§2.1 field 20): per address
//! family the allowed, audited and quieted socket-type masks, written for
//! kernels with the old `network` feature but no `network_v8`.
//!
//! 5.0.2 keeps this table once per input file, not per profile: every
//! network, unix and `all` rule of every profile in the file (children and
//! hats included) adds to one set of masks, and every profile of the file
//! is written with the same table as soon as one such rule exists
//! (`profile a { network inet raw, } profile b { }` gives `b` inet raw
//! too). [`file_net_allowed_af`] computes that table; the kernel enforces
//! it per profile, so this is what the loaded policy really allows.
//!
//! 5.0.2 fills the table from `network` rules as it reads them and
//! empties it at every block it reads (`if`/`else`, `audit {`, `owner {`,
//! ..., taken branch or not, in any profile of the file): only `network`
//! rules read after the file's last block count (`before_a_block` marks
//! the others). `unix` and `all` rules add later, wherever they stand.
//!
//! How each rule adds (measured against 5.0.2):
//! - `network …`: allow, or `audit` allow (audited), or `deny` (not
//!   quieted), or `audit deny` (quieted);
//! - `all`: every family and type, with the audit meaning of deny turned
//!   round: `deny all` is quieted, `audit deny all` is not;
//! - `unix …`: allow and `audit` allow add the unix family's type mask;
//!   a denying unix rule adds nothing, but still makes the table exist;
//!   a unix rule merged into an earlier equal one ([`unix_merge`]) does
//!   neither.
//!
//! The record holds `allow & !deny`, `audit & allow & !deny`, and
//! `quiet & deny`.

use super::error::EncodeError;
use super::network::{
    AF_MAX, KNOWN_TYPES_MASK, family_number, named_families, protocol_pairs, socket_type,
};
use super::unix_merge::{self, Downgrade};
use crate::model::{NetworkAddress, NetworkRule, Profile, Qualifiers, RuleKind, Verdict};

/// Every type: the parser's full mask, truncated to 16 bits.
const ALL_TYPES: u16 = 0xFFFF;

#[derive(Debug, Clone, Copy, Default)]
struct Masks {
    allow: u16,
    deny: u16,
    audit: u16,
    quiet: u16,
}

/// The table shared by every profile of one input file: the rules of
/// `profiles` and of all their children; `None` when none of them has a
/// network, unix or `all` rule.
pub fn file_net_allowed_af<'a>(
    profiles: impl IntoIterator<Item = &'a Profile>,
) -> Result<Option<Vec<[u16; 3]>>, EncodeError> {
    let mut table = Table::new();
    let mut stack: Vec<&Profile> = profiles.into_iter().collect();
    while let Some(profile) = stack.pop() {
        table.add_profile(profile)?;
        stack.extend(&profile.children);
    }
    Ok(table.finish())
}

/// The table from one profile's own rules (a file holding only it).
pub fn net_allowed_af(profile: &Profile) -> Result<Option<Vec<[u16; 3]>>, EncodeError> {
    let mut table = Table::new();
    table.add_profile(profile)?;
    Ok(table.finish())
}

struct Table {
    masks: Vec<Masks>,
    /// A rule of the three classes was met (even one adding no bit).
    exists: bool,
}

impl Table {
    fn new() -> Self {
        Table {
            masks: vec![Masks::default(); usize::from(AF_MAX)],
            exists: false,
        }
    }

    fn add_profile(&mut self, profile: &Profile) -> Result<(), EncodeError> {
        let merges = unix_merge::plan(&profile.rules);
        for (rule, merge) in profile.rules.iter().zip(merges) {
            let q = &rule.qualifiers;
            match &rule.kind {
                // Merged into an earlier equal rule (a network rule's own
                // unix rule included): it is gone before the table is
                // filled, so a block that empties that network rule leaves
                // no trace of it (`network dgram, unix type=dgram, { }`
                // has no table).
                RuleKind::Unix(_) if merge == Downgrade::Dropped => continue,
                // The table was emptied after it (see the model).
                RuleKind::Network(network) if network.before_a_block => continue,
                RuleKind::Network(network) => {
                    for (family, mask) in network_entries(network)? {
                        self.add(family, mask, q, q.audit);
                    }
                }
                RuleKind::All => {
                    for family in 0..AF_MAX {
                        self.add(family, ALL_TYPES, q, !q.audit);
                    }
                }
                RuleKind::Unix(unix) => {
                    let mask = match &unix.sock_type {
                        Some(name) => 1u16 << socket_type(name)?,
                        None => ALL_TYPES,
                    };
                    if q.verdict != Verdict::Deny {
                        self.add(1, mask, q, false);
                    }
                }
                _ => continue,
            }
            self.exists = true;
        }
        Ok(())
    }

    /// Adds one family's types; `quiet_deny` tells whether a deny is
    /// quieted (the rule class decides, see the module comment).
    fn add(&mut self, family: u16, mask: u16, q: &Qualifiers, quiet_deny: bool) {
        let masks = &mut self.masks[usize::from(family)];
        if q.verdict == Verdict::Deny {
            masks.deny |= mask;
            if quiet_deny {
                masks.quiet |= mask;
            }
        } else {
            masks.allow |= mask;
            if q.audit {
                masks.audit |= mask;
            }
        }
    }

    fn finish(self) -> Option<Vec<[u16; 3]>> {
        self.exists.then(|| {
            self.masks
                .iter()
                .map(|m| {
                    let allowed = m.allow & !m.deny;
                    [allowed, allowed & m.audit, m.deny & m.quiet]
                })
                .collect()
        })
    }
}

/// (family, type mask) pairs a network rule covers.
fn network_entries(network: &NetworkRule) -> Result<Vec<(u16, u16)>, EncodeError> {
    if let Some(protocol) = &network.protocol {
        return Ok(protocol_pairs(protocol, network.domain.as_deref())?
            .into_iter()
            .map(|(af, t)| (af, 1u16 << t))
            .collect());
    }
    let type_mask = match &network.sock_type {
        Some(name) => Some(1u16 << socket_type(name)?),
        None => None,
    };
    Ok(match &network.domain {
        Some(name) => vec![(family_number(name)?, type_mask.unwrap_or(KNOWN_TYPES_MASK))],
        None => {
            let fine = network.local != NetworkAddress::default()
                || network.peer != NetworkAddress::default()
                || network.skb_conditions;
            if fine {
                // Address conditions imply the inet families, as if named.
                let mask = type_mask.unwrap_or(KNOWN_TYPES_MASK);
                vec![(2, mask), (10, mask)]
            } else if let Some(mask) = type_mask {
                named_families().into_iter().map(|af| (af, mask)).collect()
            } else {
                (0..AF_MAX).map(|af| (af, ALL_TYPES)).collect()
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Rule};

    fn profile(kind: RuleKind) -> Profile {
        Profile {
            rules: vec![Rule {
                qualifiers: Qualifiers::default(),
                kind,
                origin: Origin::default(),
            }],
            ..Profile::default()
        }
    }

    #[test]
    fn family_without_type_gets_known_types() {
        let rule = NetworkRule {
            domain: Some("inet".into()),
            ..NetworkRule::default()
        };
        let table = net_allowed_af(&profile(RuleKind::Network(rule)))
            .unwrap()
            .unwrap();
        assert_eq!(table.len(), 46);
        assert_eq!(table[2], [1086, 0, 0]);
        assert_eq!(table[1], [0, 0, 0]);
    }

    fn network(domain: &str, sock_type: Option<&str>) -> RuleKind {
        RuleKind::Network(NetworkRule {
            domain: Some(domain.into()),
            sock_type: sock_type.map(Into::into),
            ..NetworkRule::default()
        })
    }

    #[test]
    fn the_table_is_shared_by_every_profile_of_the_file() {
        let mut parent = profile(network("inet", Some("raw")));
        parent.children = vec![profile(network("inet6", Some("stream")))];
        let other = Profile::default();
        let table = file_net_allowed_af([&parent, &other]).unwrap().unwrap();
        assert_eq!(table[2], [0x8, 0, 0]);
        assert_eq!(table[10], [0x2, 0, 0]);
        assert!(file_net_allowed_af([&other]).unwrap().is_none());
    }

    #[test]
    fn a_network_deny_is_quieted_only_with_audit() {
        let mut p = profile(network("inet", Some("stream")));
        p.rules[0].qualifiers.verdict = Verdict::Deny;
        let mut audited = profile(network("inet6", Some("dgram")));
        audited.rules[0].qualifiers.verdict = Verdict::Deny;
        audited.rules[0].qualifiers.audit = true;
        let table = file_net_allowed_af([&p, &audited]).unwrap().unwrap();
        assert_eq!(table[2], [0, 0, 0]);
        assert_eq!(table[10], [0, 0, 0x4]);
    }

    #[test]
    fn deny_all_is_quieted_and_audit_deny_all_is_not() {
        let mut deny_all = profile(RuleKind::All);
        deny_all.rules[0].qualifiers.verdict = Verdict::Deny;
        let table = net_allowed_af(&deny_all).unwrap().unwrap();
        assert_eq!(table[2], [0, 0, 0xFFFF]);
        deny_all.rules[0].qualifiers.audit = true;
        let table = net_allowed_af(&deny_all).unwrap().unwrap();
        assert_eq!(table[2], [0, 0, 0]);
    }

    #[test]
    fn a_denying_unix_rule_adds_nothing_but_makes_the_table() {
        let mut p = profile(RuleKind::Unix(crate::model::UnixRule::default()));
        p.rules[0].qualifiers.verdict = Verdict::Deny;
        let table = net_allowed_af(&p).unwrap().unwrap();
        assert!(table.iter().all(|m| *m == [0, 0, 0]));
    }

    #[test]
    fn a_network_rule_before_a_block_is_left_out() {
        let mut p = profile(network("inet", Some("raw")));
        let RuleKind::Network(rule) = &mut p.rules[0].kind else {
            unreachable!()
        };
        rule.before_a_block = true;
        // Alone it does not even make the table exist.
        assert!(net_allowed_af(&p).unwrap().is_none());
        let after = profile(network("inet6", Some("stream")));
        let table = file_net_allowed_af([&p, &after]).unwrap().unwrap();
        assert_eq!(table[2], [0, 0, 0]);
        assert_eq!(table[10], [0x2, 0, 0]);
    }

    #[test]
    fn no_network_rule_no_table() {
        assert!(net_allowed_af(&Profile::default()).unwrap().is_none());
    }
}
