//! Checks decided on the automata (see [`super::automata`]):
//!
//! - `rule-shadowed` / `rule-redundant`: a rule of the linted file whose
//!   removal changes no state's decision. It is *shadowed* when every
//!   permission it grants is denied wherever it matches, else *redundant*
//!   (other rules already grant the same, with the same audit and exec
//!   bits). The message names the deciding rules.
//! - `write-exec`: a state of the file DFA that allows both write and exec
//!   for the same half (owner or other), i.e. a path the task may modify
//!   and then run. Reported once per (exec rule, write rule) pair, at the
//!   exec rule when the linted file holds it, with a shortest such path.
//!
//! Mount-class rules are not judged: their permissions are merged across
//! rules before encoding, so one rule's entries do not stand alone.

use super::Context;
use super::automata::{Kind, Traced, trace};
use crate::diagnostics::Diagnostic;
use crate::dfa::BuildOptions;
use crate::encode::EncodeTarget;
use crate::encode::RuleMode;
use crate::encode::bits::{MAY_EXEC, MAY_WRITE, OTHER_SHIFT};
use crate::model::{Profile, RuleKind};
use std::collections::{BTreeMap, BTreeSet};

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
    let options = BuildOptions::default();
    for traced in trace(profile, target, &options) {
        redundancy(cx, name, profile, &own, &traced, out);
        if traced.kind == Kind::File {
            write_exec(cx, name, profile, &traced, out);
        }
    }
}

/// What lint learns about one rule over every state it accepts in.
#[derive(Default)]
struct Verdict {
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
    traced: &Traced,
    out: &mut Vec<Diagnostic>,
) {
    let judged = |rule: usize| {
        own[rule]
            && !matches!(
                profile.rules[rule].kind,
                RuleKind::Mount(_) | RuleKind::Remount(_) | RuleKind::Umount(_)
            )
    };
    let mut verdicts: BTreeMap<usize, Verdict> = BTreeMap::new();
    for (_, set) in traced.distinct_sets() {
        let Some(full) = traced.decide(set.0.iter()) else {
            // Conflicting records: the compiler rejects the profile.
            return;
        };
        let rules: BTreeSet<usize> = set
            .0
            .iter()
            .filter_map(|&e| traced.sources[e as usize])
            .collect();
        for &rule in rules.iter().filter(|&&r| judged(r)) {
            let verdict = verdicts.entry(rule).or_insert_with(|| Verdict {
                all_denied: true,
                ..Verdict::default()
            });
            if verdict.matters {
                continue;
            }
            verdict.seen = true;
            let without = traced.decide(
                set.0
                    .iter()
                    .filter(|&&e| traced.sources[e as usize] != Some(rule)),
            );
            let same = without.is_some_and(|w| w == full && w.deny == full.deny);
            if !same {
                verdict.matters = true;
                continue;
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
            for &e in &set.0 {
                let Some(other) = traced.sources[e as usize].filter(|&o| o != rule) else {
                    continue;
                };
                let p = &traced.perms[e as usize];
                let overlaps = mine.iter().any(|&m| {
                    let q = &traced.perms[m as usize];
                    q.perms & p.perms != 0
                        && (p.mode == RuleMode::Deny || p.mode == q.mode)
                });
                if overlaps {
                    verdict.others.insert(other);
                }
            }
        }
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
            (
                "rule-redundant",
                format!("profile {name}: this rule changes nothing: the same permissions are already given{named}"),
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
    let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (state, set) in traced.distinct_sets() {
        let Some(full) = traced.decide(set.0.iter()) else {
            return;
        };
        for shift in [0, OTHER_SHIFT] {
            let (write, exec) = (MAY_WRITE << shift, MAY_EXEC << shift);
            if full.allow & write == 0 || full.allow & exec == 0 {
                continue;
            }
            let granting = |bit: u32| -> Vec<usize> {
                set.0
                    .iter()
                    .filter(|&&e| {
                        let p = &traced.perms[e as usize];
                        p.mode != RuleMode::Deny && p.perms & bit != 0
                    })
                    .filter_map(|&e| traced.sources[e as usize])
                    .collect()
            };
            for x in granting(exec) {
                for w in granting(write) {
                    if !reported.insert((x, w)) {
                        continue;
                    }
                    let (at, other) = if cx.is_own(&profile.rules[x].origin) {
                        (x, w)
                    } else {
                        (w, x)
                    };
                    let Some(location) = cx.at(&profile.rules[at].origin) else {
                        continue;
                    };
                    let path = String::from_utf8_lossy(&traced.witness(state)).into_owned();
                    let by = if other == at {
                        "this rule".to_string()
                    } else {
                        cx.describe(&profile.rules[other].origin)
                    };
                    let (wrule, xrule) = if at == x {
                        ("writable by ".to_string() + &by, "executable by this rule".to_string())
                    } else {
                        ("writable by this rule".to_string(), "executable by ".to_string() + &by)
                    };
                    out.push(
                        Diagnostic::warning(
                            "write-exec",
                            format!(
                                "profile {name}: {path:?} is {wrule} and {xrule}: a task can replace what it runs"
                            ),
                            Some(location),
                        )
                        .with_label("write and exec"),
                    );
                }
            }
        }
    }
}
