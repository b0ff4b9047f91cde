//! Merging of equal unix rules before the downgrade to network rules
//! (§5.4, kernels with `network_v8` but no unix mediation).
//!
//! apparmor_parser 5.0.2 merges unix rules whose conditions and
//! qualifiers compare equal: the first one of the group keeps the union
//! of their permissions, the others are dropped. A network rule that also
//! stands for `unix,` (see [`super::network::unix_types`]) brings a unix
//! rule of its own per socket type, and an `all` rule one for every type,
//! each with every permission; those take part in the merge but are never
//! downgraded themselves. So, without unix mediation:
//!
//! - `unix (send) type=dgram, network create dgram,`: the unix rule comes
//!   first, takes every permission, and its downgraded rule grants them
//!   all on `unix dgram`;
//! - `network create dgram, unix (send) type=dgram,`: the network rule's
//!   unix rule comes first, so the written unix rule is dropped and
//!   `unix dgram` keeps only `create`.
//!
//! "First" is the order of 5.0.2's sorted table of mergeable rules
//! (`rule_table`), which is the written order only while the table holds
//! at most 16 rules: `unix type=dgram, network (create, send) dgram,
//! network stream, audit all,` makes 17 (the `all` rule and the 12 it
//! stands for count), the sort moves the network rule's unix rule first,
//! and `unix dgram` is then granted setattr by no exact rule, so the
//! audited `all` rule decides it (audited, where the written order would
//! not audit it).
//!
//! The qualifiers compare as the rules hold them (an explicit `allow`
//! differs from an implied one; `audit`, priority), the conditions as
//! text.

use super::rule_table::{self, Source};
use super::std_sort::sort_like_libstdcxx;
use crate::model::{Rule, RuleKind, access};

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

/// One [`Downgrade`] per rule of `rules`, in the same order.
///
/// The merge works on 5.0.2's whole table of mergeable rules, sorted as
/// it sorts it (`rule_table`, `std_sort`): the first rule of a run of
/// equal unix rules keeps the union of their permissions, the others are
/// dropped. Whether that first rule is a written one (downgraded with the
/// union) or one a network or `all` rule stands for (never downgraded)
/// depends, past 16 table entries, on the whole table.
pub fn plan(rules: &[Rule]) -> Vec<Downgrade> {
    let mut plans = vec![Downgrade::Own; rules.len()];
    if !rules.iter().any(|r| matches!(r.kind, RuleKind::Unix(_))) {
        return plans;
    }
    let all = access::NET.grant(&[]);
    let mut table = rule_table::table(rules);
    sort_like_libstdcxx(&mut table, &rule_table::less);
    let mut start = 0;
    while start < table.len() {
        let mut end = start + 1;
        while end < table.len() && rule_table::equal(&table[start], &table[end]) {
            end += 1;
        }
        let group = &table[start..end];
        start = end;
        if group.len() < 2 || !group[0].is_unix() {
            continue;
        }
        let union = group.iter().fold(0, |acc, entry| {
            acc | match entry.source {
                Source::WrittenUnix { perms, .. } => perms,
                _ => all,
            }
        });
        for (position, entry) in group.iter().enumerate() {
            if let Source::WrittenUnix { index, .. } = entry.source {
                plans[index] = if position == 0 {
                    Downgrade::Merged(union)
                } else {
                    Downgrade::Dropped
                };
            }
        }
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NetworkRule, UnixRule};

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
    fn past_sixteen_table_rules_the_sort_decides_the_first() {
        let all = access::NET.grant(&[]);
        let mut rules = vec![unix("send", "dgram"), network("create", "dgram")];
        // With 13 signal rules the table holds 16: the written order.
        let signal = |peer: usize| {
            Rule::bare(RuleKind::Signal(crate::model::SignalRule {
                peer: Some(format!("p{peer}")),
                ..Default::default()
            }))
        };
        rules.extend((0..13).map(signal));
        assert_eq!(plan(&rules)[0], Downgrade::Merged(all));
        // 5.0.2: with 14 the network rule's unix rule comes first.
        rules.push(signal(13));
        assert_eq!(plan(&rules)[0], Downgrade::Dropped);
    }

    #[test]
    fn other_types_or_qualifiers_keep_rules_apart() {
        let mut audited = unix("send", "dgram");
        audited.qualifiers.audit = true;
        let plans = plan(&[unix("send", "stream"), audited, network("create", "dgram")]);
        assert_eq!(plans, [Downgrade::Own; 3]);
    }
}
