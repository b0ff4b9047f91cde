//! 5.0.2 sorts a profile's file, link and change_profile entries and merges
//! the ones it finds equal before it builds the file DFA. Its comparison
//! looks at the name from the second character on (the path of a file or
//! link rule, the target of a change_profile rule), the link target or exec
//! condition, the verdict, `audit` and the priority, but neither the first
//! character nor the ownership nor the access. So `change_profile -> xa,`
//! and `/a r,` are one entry for it, and so are `change_profile -> /a,`
//! and `/a r,`.
//!
//! The verdict is compared as written: a file or link rule with a
//! spelled-out `allow` (or inside an `allow { }` block) is a different mode
//! from an implied allow, while a change_profile entry always carries the
//! implied one. So `allow /* r,` stays apart from `change_profile,` but
//! `/* r,` merges with `allow change_profile,`.
//!
//! A merged entry holding a change_profile rule is encoded as that rule
//! alone: the name it keeps is the one of the member written last (the
//! parser's rule list is in reverse), the other members' access is lost,
//! except that their `x` bits join the exec-and-target pair and their `l`
//! bits give the entry a link pair (`name \0 /[^/].*`, subset-tested), as
//! any entry with link permission has. File-only groups are left alone:
//! their names are equal (paths start with `/`), so merging them changes
//! nothing.

use super::bits::{EXEC_UNSAFE, MAY_EXEC, MAY_LINK, halves};
use super::entry_order::{MergeKey, merge_key};
use crate::model::{ChangeProfileRule, ExecMode, LinkRule, Qualifiers, Rule, RuleKind};
use std::borrow::Cow;
use std::collections::HashMap;

/// What becomes of one rule of the profile in the file DFA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Plan {
    /// Encoded as written.
    Keep,
    /// Merged into another rule's entry.
    Drop,
    /// The surviving entry of a merged group: encode this change_profile
    /// rule (with the rule's own qualifiers), adding `exec_bits` to its
    /// exec-and-target pair.
    ChangeProfile {
        change: ChangeProfileRule,
        exec_bits: u32,
        /// `l` bits (both halves) of merged file rules: the entry's
        /// any-target link pair under the surviving name.
        link_bits: u32,
        /// A merged link rule leaves its pair (`name \0 target`, under the
        /// entry's surviving name), with its own qualifiers; not its plain
        /// `l` on the name.
        link_pair: Option<MergedLink>,
    },
}

/// What a link rule merged into a change_profile entry still encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MergedLink {
    pub qualifiers: Qualifiers,
    /// The pair, under the surviving name.
    pub pair: LinkRule,
}

/// One plan per rule of `rules`, in the same order.
pub(super) fn plan(rules: &[Rule]) -> Vec<Plan> {
    let mut groups: HashMap<MergeKey, Vec<usize>> = HashMap::new();
    for (index, rule) in rules.iter().enumerate() {
        // A `link subset` rule stays apart (5.0.2 keeps its change_profile
        // neighbour and its own plain `l`): its key differs in `subset`.
        if let Some(key) = merge_key(rule) {
            groups.entry(key).or_default().push(index);
        }
    }
    let mut plans = vec![Plan::Keep; rules.len()];
    for members in groups.into_values() {
        let changes: Vec<&ChangeProfileRule> = members
            .iter()
            .filter_map(|&i| match &rules[i].kind {
                RuleKind::ChangeProfile(c) => Some(c),
                _ => None,
            })
            .collect();
        if members.len() < 2 || changes.is_empty() {
            continue;
        }
        let survivor = *members.iter().max().expect("two members");
        let link = entry_name(&rules[survivor]).and_then(|(_, link)| link);
        let (target, stack) = match &rules[survivor].kind {
            RuleKind::ChangeProfile(c) => (c.target.clone(), c.stack),
            _ => (
                entry_name(&rules[survivor]).map(|(n, _)| n.into_owned()),
                false,
            ),
        };
        let exec_mode = changes
            .iter()
            .find_map(|c| c.exec_mode.clone().filter(|m| m == "unsafe"))
            .or_else(|| changes.iter().find_map(|c| c.exec_mode.clone()));
        let exec_bits = members
            .iter()
            .filter_map(|&i| match &rules[i].kind {
                RuleKind::File(f) => {
                    let bits = exec_half(f.access.exec?);
                    Some(halves(rules[i].qualifiers.owner, bits))
                }
                _ => None,
            })
            .fold(0, |acc, bits| acc | bits);
        let link_bits = members
            .iter()
            .filter_map(|&i| match &rules[i].kind {
                RuleKind::File(f) if f.access.link => {
                    Some(halves(rules[i].qualifiers.owner, MAY_LINK))
                }
                _ => None,
            })
            .fold(0, |acc, bits| acc | bits);
        let survivor_name = entry_name(&rules[survivor]).map(|(n, _)| n.into_owned());
        let link_pair = members.iter().find_map(|&i| match &rules[i].kind {
            RuleKind::Link(l) => Some(MergedLink {
                qualifiers: rules[i].qualifiers,
                pair: LinkRule {
                    subset: false,
                    link: survivor_name.clone()?,
                    target: l.target.clone(),
                },
            }),
            _ => None,
        });
        for &i in &members {
            plans[i] = Plan::Drop;
        }
        plans[survivor] = Plan::ChangeProfile {
            change: ChangeProfileRule {
                exec_mode,
                exec: link.map(str::to_owned),
                target,
                stack,
            },
            exec_bits,
            link_bits,
            link_pair,
        };
    }
    plans
}

/// The entry's name and link target / exec condition, for the rules that
/// are file-DFA entries of the parser's merge; `None` for others. A
/// change_profile rule is named by its target (`**` when none), with the
/// `&` of a stacking target (`-> &xa` meets `/xa`).
fn entry_name(rule: &Rule) -> Option<(Cow<'_, str>, Option<&str>)> {
    match &rule.kind {
        RuleKind::File(f) => Some((Cow::Borrowed(f.path.as_deref()?), None)),
        // A `link subset` rule stays apart (5.0.2 keeps its change_profile
        // neighbour and its own plain `l`).
        RuleKind::Link(l) if !l.subset => Some((Cow::Borrowed(&l.link), Some(&l.target))),
        RuleKind::ChangeProfile(c) => Some((
            super::entry_order::change_profile_entry_name(c),
            c.exec.as_deref(),
        )),
        _ => None,
    }
}

/// What a file rule's exec mode adds to the pair: `x`, and the unsafe bit
/// of the modes that keep the environment (`px`, `cx`, `ux`, `unsafe ix`);
/// no exec type.
fn exec_half(mode: ExecMode) -> u32 {
    let unsafe_mode = match mode {
        ExecMode::InheritUnsafe | ExecMode::PlainUnsafe => true,
        ExecMode::Profile { safe, .. }
        | ExecMode::Child { safe, .. }
        | ExecMode::Unconfined { safe } => !safe,
        ExecMode::Inherit | ExecMode::Plain => false,
    };
    MAY_EXEC | if unsafe_mode { EXEC_UNSAFE } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::bits::OTHER_SHIFT;
    use crate::model::{FileAccess, FileRule, Ownership, Verdict};

    fn file(path: &str, exec: Option<ExecMode>) -> Rule {
        Rule::bare(RuleKind::File(FileRule {
            path: Some(path.into()),
            access: FileAccess {
                read: true,
                exec,
                ..FileAccess::default()
            },
            exec_target: None,
        }))
    }

    fn change(target: &str) -> Rule {
        Rule::bare(RuleKind::ChangeProfile(ChangeProfileRule {
            exec_mode: None,
            exec: None,
            target: Some(target.into()),
            stack: false,
        }))
    }

    #[test]
    fn names_equal_past_the_first_character_merge_into_the_last() {
        let rules = [
            change("xa"),
            file("/a", Some(ExecMode::Inherit)),
            file("/b", None),
        ];
        let plans = plan(&rules);
        assert_eq!(plans[0], Plan::Drop);
        let Plan::ChangeProfile {
            change, exec_bits, ..
        } = &plans[1]
        else {
            panic!("{plans:?}")
        };
        assert_eq!(change.target.as_deref(), Some("/a"));
        assert_eq!(*exec_bits, MAY_EXEC | (MAY_EXEC << OTHER_SHIFT));
        assert_eq!(plans[2], Plan::Keep);
    }

    #[test]
    fn verdict_audit_and_priority_keep_entries_apart() {
        let mut denied = file("/a", None);
        denied.qualifiers.verdict = Verdict::Deny;
        let mut audited = file("/a", None);
        audited.qualifiers.audit = true;
        let mut later = file("/a", None);
        later.qualifiers.priority = 1;
        let plans = plan(&[change("xa"), denied, audited, later]);
        assert!(plans.iter().all(|p| *p == Plan::Keep), "{plans:?}");
    }

    #[test]
    fn a_spelled_out_allow_on_a_file_rule_keeps_it_apart() {
        // 5.0.2: `allow /* r, change_profile,` stay two entries. (`/* r,
        // allow change_profile,` merge because resolution drops the
        // `allow` written on a change_profile rule.)
        let mut file_rule = file("/*", None);
        file_rule.qualifiers.explicit_verdict = true;
        let plans = plan(&[file_rule, change("**")]);
        assert!(plans.iter().all(|p| *p == Plan::Keep), "{plans:?}");
        let plans = plan(&[file("/*", None), change("**")]);
        assert_eq!(plans[0], Plan::Drop);
    }

    #[test]
    fn merged_link_permission_gives_the_entry_a_link_pair() {
        let mut linked = file("/*", None);
        if let RuleKind::File(f) = &mut linked.kind {
            f.access.link = true;
        }
        linked.qualifiers.owner = Ownership::Owner;
        let plans = plan(&[linked, change("**")]);
        let Plan::ChangeProfile { link_bits, .. } = &plans[1] else {
            panic!("{plans:?}")
        };
        assert_eq!(*link_bits, MAY_LINK);
    }

    #[test]
    fn file_rules_alone_are_left_alone() {
        let plans = plan(&[file("/a", None), file("/a", None)]);
        assert_eq!(plans, [Plan::Keep, Plan::Keep]);
    }

    #[test]
    fn unsafe_exec_modes_add_the_unsafe_bit_owner_half_only() {
        let mut owned = file(
            "/a",
            Some(ExecMode::Profile {
                safe: false,
                fallback: Default::default(),
            }),
        );
        owned.qualifiers.owner = Ownership::Owner;
        let plans = plan(&[owned, change("/a")]);
        let Plan::ChangeProfile { exec_bits, .. } = &plans[1] else {
            panic!("{plans:?}")
        };
        assert_eq!(*exec_bits, MAY_EXEC | EXEC_UNSAFE);
    }
}
