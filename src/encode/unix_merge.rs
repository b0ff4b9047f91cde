//! Merging of equal unix rules before the downgrade to network rules
//! (§5.4, kernels with `network_v8` but no unix mediation).
//!
//! apparmor_parser 5.0.2 merges unix rules whose conditions and
//! qualifiers compare equal: the first one (in the order written) keeps
//! the union of their permissions, the others are dropped. A network rule
//! that also stands for `unix,` (see [`unix_types`]) brings a unix rule
//! of its own per socket type, with every permission and the network
//! rule's qualifiers; that one takes part in the merge but is never
//! downgraded itself. So, without unix mediation:
//!
//! - `unix (send) type=dgram, network create dgram,`: the unix rule comes
//!   first, takes every permission, and its downgraded rule grants them
//!   all on `unix dgram`;
//! - `network create dgram, unix (send) type=dgram,`: the network rule's
//!   unix rule comes first, so the written unix rule is dropped and
//!   `unix dgram` keeps only `create`.
//!
//! The qualifiers compare as written (an explicit `allow` differs from an
//! implied one; `audit`, priority), the conditions as text.

use super::network::unix_types;
use crate::model::{Qualifiers, Rule, RuleKind, UnixRule, Verdict, access};

/// What becomes of one rule's downgraded network rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Downgrade {
    /// Not a unix rule, or a unix rule merged with no other.
    Own,
    /// The surviving rule of a merged group: downgrade with these
    /// (unmapped network) permissions.
    Merged(u32),
    /// Merged into an earlier rule: no downgraded rule.
    Dropped,
}

/// The fields the parser compares for a unix rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    qualifiers: Qualifiers,
    sock_type: Option<String>,
    protocol: Option<String>,
    addr: Option<String>,
    label: Option<String>,
    attr: Option<String>,
    opt: Option<String>,
    peer_label: Option<String>,
    peer_addr: Option<String>,
}

fn key(qualifiers: Qualifiers, unix: &UnixRule) -> Key {
    Key {
        qualifiers,
        sock_type: unix.sock_type.clone(),
        protocol: unix.protocol.clone(),
        addr: unix.addr.clone(),
        label: unix.label.clone(),
        attr: unix.attr.clone(),
        opt: unix.opt.clone(),
        peer_label: unix.peer_label.clone(),
        peer_addr: unix.peer_addr.clone(),
    }
}

/// One member of the merge: a written unix rule (by index) or the unix
/// rule a network rule stands for.
struct Member {
    key: Key,
    perms: u32,
    written: Option<usize>,
}

/// One [`Downgrade`] per rule of `rules`, in the same order.
pub fn plan(rules: &[Rule]) -> Vec<Downgrade> {
    let all = access::NET.grant(&[]);
    let mut members = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        match &rule.kind {
            RuleKind::Unix(unix) => members.push(Member {
                key: key(rule.qualifiers, unix),
                perms: access::NET.grant(&unix.access),
                written: Some(index),
            }),
            RuleKind::Network(network) if rule.qualifiers.verdict != Verdict::Deny => {
                for sock_type in unix_types(network) {
                    let unix = UnixRule {
                        sock_type: sock_type.map(str::to_owned),
                        ..UnixRule::default()
                    };
                    members.push(Member {
                        key: key(rule.qualifiers, &unix),
                        perms: all,
                        written: None,
                    });
                }
            }
            _ => {}
        }
    }
    let mut plans = vec![Downgrade::Own; rules.len()];
    let mut taken = vec![false; members.len()];
    for first in 0..members.len() {
        if taken[first] {
            continue;
        }
        let mut union = members[first].perms;
        let mut merged = false;
        for later in first + 1..members.len() {
            if !taken[later] && members[later].key == members[first].key {
                taken[later] = true;
                merged = true;
                union |= members[later].perms;
                if let Some(index) = members[later].written {
                    plans[index] = Downgrade::Dropped;
                }
            }
        }
        if let (true, Some(index)) = (merged, members[first].written) {
            plans[index] = Downgrade::Merged(union);
        }
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NetworkRule;

    fn unix(access: &str, sock_type: &str) -> Rule {
        Rule::bare(RuleKind::Unix(UnixRule {
            access: vec![access.into()],
            sock_type: Some(sock_type.into()),
            ..UnixRule::default()
        }))
    }

    fn network(access: &str, sock_type: &str) -> Rule {
        Rule::bare(RuleKind::Network(NetworkRule {
            access: vec![access.into()],
            sock_type: Some(sock_type.into()),
            ..NetworkRule::default()
        }))
    }

    #[test]
    fn the_first_equal_rule_keeps_the_union() {
        let all = access::NET.grant(&[]);
        let plans = plan(&[unix("send", "dgram"), network("create", "dgram")]);
        assert_eq!(plans, [Downgrade::Merged(all), Downgrade::Own]);
        let plans = plan(&[network("create", "dgram"), unix("send", "dgram")]);
        assert_eq!(plans, [Downgrade::Own, Downgrade::Dropped]);
    }

    #[test]
    fn other_types_or_qualifiers_keep_rules_apart() {
        let mut audited = unix("send", "dgram");
        audited.qualifiers.audit = true;
        let plans = plan(&[unix("send", "stream"), audited, network("create", "dgram")]);
        assert_eq!(plans, [Downgrade::Own; 3]);
    }
}
