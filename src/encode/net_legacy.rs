//! The record's `net_allowed_af` table (§2.1 field 20): per address
//! family the allowed, audited and quieted socket-type masks, written for
//! kernels with the old `network` feature but no `network_v8`.

use super::error::EncodeError;
use super::network::{
    AF_MAX, KNOWN_TYPES_MASK, family_number, named_families, protocol_pairs, socket_type,
};
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

/// The table for one profile, `None` when it has no network or unix rule.
pub fn net_allowed_af(profile: &Profile) -> Result<Option<Vec<[u16; 3]>>, EncodeError> {
    let mut table = vec![Masks::default(); usize::from(AF_MAX)];
    let mut any = false;
    for rule in &profile.rules {
        let source = match &rule.kind {
            RuleKind::Network(_) => Source::Network,
            RuleKind::All => Source::All,
            _ => Source::Unix,
        };
        let entries = match &rule.kind {
            RuleKind::Network(network) => network_entries(network)?,
            RuleKind::All => network_entries(&NetworkRule::default())?,
            // 5.0.2 leaves deny unix rules out of the table entirely.
            RuleKind::Unix(_) if rule.qualifiers.verdict == Verdict::Deny => {
                any = true;
                continue;
            }
            RuleKind::Unix(unix) => {
                let mask = match &unix.sock_type {
                    Some(name) => 1u16 << socket_type(name)?,
                    None => ALL_TYPES,
                };
                vec![(1, mask)]
            }
            _ => continue,
        };
        any = true;
        for (family, mask) in entries {
            apply(
                &mut table[usize::from(family)],
                &rule.qualifiers,
                mask,
                source,
            );
        }
    }
    Ok(any.then(|| {
        table
            .iter()
            .map(|m| [m.allow & !m.deny, m.audit, m.quiet])
            .collect()
    }))
}

/// The kind of rule a table entry comes from: 5.0.2 fills the third
/// column of deny entries differently for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Network,
    All,
    Unix,
}

fn apply(masks: &mut Masks, q: &Qualifiers, mask: u16, source: Source) {
    if q.verdict == Verdict::Deny {
        masks.deny |= mask;
        // Found by experiment (upstream-all blobs): the third column is
        // set by `audit deny network ...` but not `deny network ...`, and
        // the other way round for `deny all,` / `audit deny all,`.
        let third = match source {
            Source::Network => q.audit,
            Source::All | Source::Unix => !q.audit,
        };
        if third {
            masks.quiet |= mask;
        }
    } else {
        masks.allow |= mask;
        if q.audit {
            masks.audit |= mask;
        }
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
    fn deny_all_sets_the_third_column_unless_audited_and_deny_unix_is_left_out() {
        let with = |kind: RuleKind, verdict, audit| {
            let mut p = profile(kind);
            p.rules[0].qualifiers = Qualifiers {
                verdict,
                audit,
                ..Qualifiers::default()
            };
            net_allowed_af(&p).unwrap().map(|t| t[1])
        };
        assert_eq!(
            with(RuleKind::All, Verdict::Deny, false),
            Some([0, 0, ALL_TYPES])
        );
        assert_eq!(with(RuleKind::All, Verdict::Deny, true), Some([0, 0, 0]));
        let unix = RuleKind::Unix(crate::model::UnixRule::default());
        assert_eq!(with(unix.clone(), Verdict::Deny, true), Some([0, 0, 0]));
        assert_eq!(with(unix, Verdict::Allow, false), Some([ALL_TYPES, 0, 0]));
    }

    #[test]
    fn third_column_comes_from_audit_deny_only() {
        let inet = NetworkRule {
            domain: Some("inet".into()),
            ..NetworkRule::default()
        };
        let with = |verdict, audit| {
            let mut p = profile(RuleKind::Network(inet.clone()));
            p.rules[0].qualifiers = Qualifiers {
                verdict,
                audit,
                ..Qualifiers::default()
            };
            net_allowed_af(&p).unwrap().unwrap()[2]
        };
        assert_eq!(with(Verdict::Deny, false), [0, 0, 0]);
        assert_eq!(with(Verdict::Deny, true), [0, 0, KNOWN_TYPES_MASK]);
        assert_eq!(
            with(Verdict::Allow, true),
            [KNOWN_TYPES_MASK, KNOWN_TYPES_MASK, 0]
        );
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

    #[test]
    fn no_network_rule_no_table() {
        assert!(net_allowed_af(&Profile::default()).unwrap().is_none());
    }
}
