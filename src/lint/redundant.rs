//! Checks decided on the automata (see [`super::automata`]):
//!
//! - `rule-shadowed` / `rule-redundant`: a rule of the linted file whose
//!   removal changes no state's decision. It is *shadowed* when every
//!   permission it grants is denied wherever it matches, else *redundant*
//!   (other rules already grant the same, with the same audit and exec
//!   bits). The message names the deciding rules.
//! - `write-exec`: a state of the file DFA that allows both write and exec
//!   for the same half (owner or other), i.e. a path the task may modify
//!   and then run. Reported once per rule of the linted file granting the
//!   exec (else once per one granting the write), naming the rules that
//!   grant the other permission and a shortest such path.
//!
//! Not judged: mount-class rules (their permissions are merged across
//! rules before encoding, so one rule's entries do not stand alone),
//! network rules when the target also has the legacy per-family table
//! (outside the automaton), unix rules the target downgrades to network
//! rules (which say less than the rule).

use super::Context;
use super::automata::{Kind, Traced, trace};
use crate::dfa::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::encode::EncodeTarget;
use crate::encode::RuleMode;
use crate::encode::bits::{MAY_EXEC, MAY_WRITE, OTHER_SHIFT};
use crate::model::{Origin, Profile, RuleKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The most rules named in one message.
const MAX_NAMED: usize = 3;

pub fn check(
    cx: &Context<'_>,
    name: &str,
    profile: &Profile,
    target: &EncodeTarget,
    out: &mut Vec<Diagnostic>,
) {
    // Nothing of this profile was written in the linted file: nothing to say.
    let own: Vec<bool> = profile.rules.iter().map(|r| cx.is_own(&r.origin)).collect();
    if !own.iter().any(|&o| o) {
        return;
    }
    // A rule line can stand for several model rules (alias rules add a
    // copy per alias): judge each source rule as a whole, under the index
    // of its first model rule.
    let mut first: HashMap<OriginKey<'_>, usize> = HashMap::new();
    let group: Vec<usize> = profile
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| *first.entry(origin_key(&rule.origin)).or_insert(i))
        .collect();
    let options = BuildOptions::default();
    // Only the automata the file's own rules are in.
    let mut kinds = Vec::new();
    for (rule, _) in profile.rules.iter().zip(&own).filter(|(_, o)| **o) {
        let kind = match rule.kind {
            RuleKind::File(_) | RuleKind::Link(_) | RuleKind::ChangeProfile(_) => Kind::File,
            RuleKind::All => {
                kinds.push(Kind::File);
                Kind::Policy
            }
            RuleKind::Capability(_) | RuleKind::Rlimit(_) => continue,
            _ => Kind::Policy,
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    for mut traced in trace(profile, target, &options, &kinds) {
        for source in traced.sources.iter_mut() {
            *source = source.map(|r| group[r]);
        }
        redundancy(cx, name, profile, &own, target, &traced, out);
        if traced.kind == Kind::File {
            write_exec(cx, name, profile, &traced, out);
        }
    }
}

/// What identifies a rule's text: file, line, column and include site.
type OriginKey<'a> = (&'a str, u32, u32, usize, Option<(u32, u32)>);

fn origin_key(origin: &Origin) -> OriginKey<'_> {
    (
        &origin.file,
        origin.line,
        origin.column,
        origin.included_from.len(),
        origin.included_from.last().map(|s| (s.1, s.2)),
    )
}

/// What lint learns about one rule over every state it accepts in.
#[derive(Default)]
struct RuleFacts {
    /// Some state decides differently without the rule.
    matters: bool,
    /// Every state denies all the rule's allow/prompt permissions.
    all_denied: bool,
    /// Other rules granting or denying the rule's permissions.
    others: BTreeSet<usize>,
    /// The rule accepts in some state.
    seen: bool,
}

fn redundancy(
    cx: &Context<'_>,
    name: &str,
    profile: &Profile,
    own: &[bool],
    target: &EncodeTarget,
    traced: &Traced,
    out: &mut Vec<Diagnostic>,
) {
    let judged = |rule: usize| {
        own[rule]
            && match profile.rules[rule].kind {
                RuleKind::Mount(_) | RuleKind::Remount(_) | RuleKind::Umount(_) => false,
                // Also in the legacy per-family table, outside the automaton.
                RuleKind::Network(_) => !target.network_legacy,
                // Downgraded to coarse network rules, which say less than
                // the rule: judge it where the kernel reads it as written.
                RuleKind::Unix(_) => target.mediates.unix_v7 || target.mediates.unix_v9,
                _ => true,
            }
    };
    let sets = traced.distinct_sets();
    // Which sets each judged rule accepts in.
    let mut sets_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, (_, set)) in sets.iter().enumerate() {
        if traced.decide(set.0.iter()).is_none() {
            // Conflicting records: the compiler rejects the profile.
            return;
        }
        let rules: BTreeSet<usize> = set
            .0
            .iter()
            .filter_map(|&e| traced.sources[e as usize])
            .filter(|&r| judged(r))
            .collect();
        for rule in rules {
            sets_of.entry(rule).or_default().push(index);
        }
    }
    // Greedy, last rule first: a rule found redundant counts as removed
    // when the rules before it are judged, so of two duplicates the later
    // one is reported and the first kept (removing every reported rule
    // together changes nothing).
    let mut removed: BTreeSet<usize> = BTreeSet::new();
    let mut verdicts: BTreeMap<usize, RuleFacts> = BTreeMap::new();
    for (&rule, indices) in sets_of.iter().rev() {
        let mut verdict = RuleFacts {
            all_denied: true,
            seen: true,
            ..RuleFacts::default()
        };
        for &index in indices {
            let set = &sets[index].1;
            let kept =
                |e: &&u32| traced.sources[**e as usize].is_none_or(|r| !removed.contains(&r));
            let before = traced.decide(set.0.iter().filter(kept));
            let without = traced.decide(
                set.0
                    .iter()
                    .filter(kept)
                    .filter(|&&e| traced.sources[e as usize] != Some(rule)),
            );
            let (Some(full), Some(without)) = (before, without) else {
                verdict.matters = true;
                break;
            };
            if without != full || without.deny != full.deny {
                verdict.matters = true;
                break;
            }
            let mine: Vec<u32> = set
                .0
                .iter()
                .copied()
                .filter(|&e| traced.sources[e as usize] == Some(rule))
                .collect();
            let granted: u32 = mine
                .iter()
                .map(|&e| &traced.perms[e as usize])
                .filter(|p| p.mode != RuleMode::Deny)
                .fold(0, |acc, p| acc | p.perms);
            let mine_deny = mine
                .iter()
                .any(|&e| traced.perms[e as usize].mode == RuleMode::Deny);
            if mine_deny || granted & !full.deny != 0 {
                verdict.all_denied = false;
            }
            for e in set.0.iter().filter(kept) {
                let Some(other) = traced.sources[*e as usize].filter(|&o| o != rule) else {
                    continue;
                };
                let p = &traced.perms[*e as usize];
                let overlaps = mine.iter().any(|&m| {
                    let q = &traced.perms[m as usize];
                    q.perms & p.perms != 0 && (p.mode == RuleMode::Deny || p.mode == q.mode)
                });
                if overlaps {
                    verdict.others.insert(other);
                }
            }
        }
        if !verdict.matters {
            removed.insert(rule);
        }
        verdicts.insert(rule, verdict);
    }
    for (rule, verdict) in verdicts {
        if verdict.matters || !verdict.seen {
            continue;
        }
        let origin = &profile.rules[rule].origin;
        let Some(location) = cx.at(origin) else {
            continue;
        };
        let named = name_rules(cx, profile, &verdict.others);
        let (code, message, label) = if verdict.all_denied {
            (
                "rule-shadowed",
                format!("profile {name}: every permission this rule grants is denied{named}"),
                "shadowed by deny",
            )
        } else {
            let already = if profile.rules[rule].qualifiers.verdict == crate::model::Verdict::Deny {
                "denied"
            } else {
                "given"
            };
            (
                "rule-redundant",
                format!(
                    "profile {name}: this rule changes nothing: the same permissions are already {already}{named}"
                ),
                "redundant",
            )
        };
        out.push(Diagnostic::warning(code, message, Some(location)).with_label(label));
    }
}

/// ` by line 3, line 5` (at most [`MAX_NAMED`], then `and N more`).
fn name_rules(cx: &Context<'_>, profile: &Profile, rules: &BTreeSet<usize>) -> String {
    if rules.is_empty() {
        return String::new();
    }
    let mut names: Vec<String> = rules
        .iter()
        .take(MAX_NAMED)
        .map(|&r| cx.describe(&profile.rules[r].origin))
        .collect();
    if rules.len() > MAX_NAMED {
        names.push(format!("{} more", rules.len() - MAX_NAMED));
    }
    format!(" (by {})", names.join(", "))
}

fn write_exec(
    cx: &Context<'_>,
    name: &str,
    profile: &Profile,
    traced: &Traced,
    out: &mut Vec<Diagnostic>,
) {
    // Per reported rule and role (true: it grants the exec): the rules
    // granting the other permission, and the first state showing it.
    let mut found: BTreeMap<(usize, bool), (BTreeSet<usize>, u32)> = BTreeMap::new();
    for (state, set) in traced.distinct_sets() {
        let Some(full) = traced.decide(set.0.iter()) else {
            return;
        };
        for shift in [0, OTHER_SHIFT] {
            let (write, exec) = (MAY_WRITE << shift, MAY_EXEC << shift);
            if full.allow & write == 0 || full.allow & exec == 0 {
                continue;
            }
            let granting = |bit: u32| -> BTreeSet<usize> {
                set.0
                    .iter()
                    .filter(|&&e| {
                        let p = &traced.perms[e as usize];
                        p.mode != RuleMode::Deny && p.perms & bit != 0
                    })
                    .filter_map(|&e| traced.sources[e as usize])
                    .collect()
            };
            let (execs, writes) = (granting(exec), granting(write));
            let own_execs: Vec<usize> = execs
                .iter()
                .copied()
                .filter(|&x| cx.is_own(&profile.rules[x].origin))
                .collect();
            let (reported, partners, role) = if own_execs.is_empty() {
                (writes.iter().copied().collect(), &execs, false)
            } else {
                (own_execs, &writes, true)
            };
            for at in reported {
                let entry = found
                    .entry((at, role))
                    .or_insert_with(|| (BTreeSet::new(), state));
                entry.0.extend(partners.iter().copied());
            }
        }
    }
    for ((at, grants_exec), (partners, state)) in found {
        let Some(location) = cx.at(&profile.rules[at].origin) else {
            continue;
        };
        let path = String::from_utf8_lossy(&traced.witness(state)).into_owned();
        let mut others: BTreeSet<usize> = partners.clone();
        let itself = others.remove(&at);
        let mut by = name_rules(cx, profile, &others);
        if itself {
            by = if by.is_empty() {
                " (by this rule)".to_string()
            } else {
                by.replacen(" (by ", " (by this rule, ", 1)
            };
        }
        let message = if grants_exec {
            format!(
                "profile {name}: this rule lets the task execute paths it may write, e.g. {path:?}; write is granted{by}"
            )
        } else {
            format!(
                "profile {name}: this rule lets the task write paths it may execute, e.g. {path:?}; exec is granted{by}"
            )
        };
        out.push(
            Diagnostic::warning("write-exec", message, Some(location)).with_label("write and exec"),
        );
    }
}
