//! The rules behind an answer: each rule of the source profile is encoded
//! on its own, exactly as the compiler encodes it (same encoder, same
//! target), and its automaton is run on the request's match string. A
//! rule is responsible when it grants or denies any of the wanted bits
//! there.

use super::access::DfaKind;
use super::request::Probe;
use crate::dfa::{BuildOptions, build_dfa};
use crate::encode::{
    EncodeTarget, StatePerms, encode_file_rules, encode_policy_rules, file_entry_pair, policy_entry,
};
use crate::model::{Origin, Ownership, Profile, Rule, RuleKind, Verdict};
use serde::Serialize;
use std::collections::HashMap;

/// One rule that decides (part of) a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleMatch {
    /// `allow`, `deny` or `prompt`.
    pub verdict: &'static str,
    /// `file:line`.
    pub location: String,
    /// The include chain, outermost first, each `file:line`.
    pub included_from: Vec<String>,
    /// The rule's source line, trimmed (empty when the file is unreadable,
    /// e.g. standard input).
    pub text: String,
    /// The wanted kernel bits this rule grants (allow/prompt) or denies.
    pub bits: u32,
    /// Set when the rule decides only for the other ownership than the
    /// one asked about (an `owner` rule for a task not owning the file,
    /// or the reverse): `"owner"` or `"other"`.
    pub only_for: Option<&'static str>,
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allow => "allow",
        Verdict::Deny => "deny",
        Verdict::Prompt => "prompt",
    }
}

/// Reads source lines for rule texts, each file once.
#[derive(Default)]
struct Lines {
    files: HashMap<String, Option<Vec<String>>>,
}

impl Lines {
    fn line(&mut self, origin: &Origin) -> String {
        let file = origin.file.to_string();
        let lines = self.files.entry(file.clone()).or_insert_with(|| {
            std::fs::read_to_string(&file)
                .ok()
                .map(|t| t.lines().map(str::to_string).collect())
        });
        lines
            .as_ref()
            .and_then(|l| l.get(origin.line.saturating_sub(1) as usize))
            .map(|l| l.trim().to_string())
            .unwrap_or_default()
    }
}

fn rule_match(rule: &Rule, bits: u32, lines: &mut Lines) -> RuleMatch {
    let o = &rule.origin;
    RuleMatch {
        verdict: verdict_name(rule.qualifiers.verdict),
        location: format!("{}:{}", o.file, o.line),
        included_from: o
            .included_from
            .iter()
            .map(|(file, line, _)| format!("{file}:{line}"))
            .collect(),
        text: lines.line(o),
        bits,
        only_for: None,
    }
}

/// What one rule alone does on the probe: (granted, denied) wanted bits.
fn rule_effect(profile: &Profile, rule: &Rule, target: &EncodeTarget, probe: &Probe) -> (u32, u32) {
    let alone = Profile {
        name: profile.name.clone(),
        namespace: profile.namespace.clone(),
        rules: vec![rule.clone()],
        origin: profile.origin.clone(),
        ..Profile::default()
    };
    let options = BuildOptions::default();
    let state: Option<StatePerms> = match probe.kind {
        DfaKind::File => encode_file_rules(&alone, target)
            .ok()
            .filter(|f| !f.rules.is_empty())
            .and_then(|f| build_dfa(&f.rules, &options).ok())
            .and_then(|dfa| dfa.matches(&probe.bytes).state().copied()),
        DfaKind::Policy => encode_policy_rules(&alone, target)
            .ok()
            .filter(|r| !r.is_empty())
            .and_then(|r| build_dfa(&r, &options).ok())
            .and_then(|dfa| dfa.matches(&probe.bytes).state().copied()),
    };
    let Some(state) = state else {
        return (0, 0);
    };
    let kernel = |allow: u32| -> u32 {
        let perms = StatePerms {
            allow,
            ..StatePerms::default()
        };
        match probe.kind {
            DfaKind::File => {
                let (owner, other) = file_entry_pair(&perms);
                if probe.owner {
                    owner.allow
                } else {
                    other.allow
                }
            }
            DfaKind::Policy => policy_entry(&perms).allow,
        }
    };
    (
        kernel(state.allow | state.prompt) & probe.wanted,
        kernel(state.deny) & probe.wanted,
    )
}

/// The rules of `profile` (its own, not its children's) that grant or deny
/// any wanted bit of `probe`, in source order. For a file probe, rules
/// that decide only for the other ownership follow, marked `only_for`.
pub fn matching_rules(profile: &Profile, target: &EncodeTarget, probe: &Probe) -> Vec<RuleMatch> {
    let mut lines = Lines::default();
    let flipped = Probe {
        owner: !probe.owner,
        ..probe.clone()
    };
    let mut asked = Vec::new();
    let mut other_only = Vec::new();
    for rule in &profile.rules {
        let bits = |probe: &Probe| {
            let (granted, denied) = rule_effect(profile, rule, target, probe);
            match rule.qualifiers.verdict {
                Verdict::Deny => denied,
                Verdict::Allow | Verdict::Prompt => granted,
            }
        };
        let here = bits(probe);
        if here != 0 {
            asked.push(rule_match(rule, here, &mut lines));
        } else if probe.kind == DfaKind::File && rule.qualifiers.owner != Ownership::Any {
            let there = bits(&flipped);
            if there != 0 {
                let mut found = rule_match(rule, there, &mut lines);
                found.only_for = Some(if flipped.owner { "owner" } else { "other" });
                other_only.push(found);
            }
        }
    }
    asked.extend(other_only);
    asked
}

/// The capability rules of `profile` naming capability `name` (or all
/// capabilities: a bare `capability,` or `all,`).
///
/// `as_sys_admin` is the target's [`crate::encode::EncodeTarget::caps_as_sys_admin`]:
/// rules naming those capabilities were compiled as `sys_admin`, so they
/// answer for `sys_admin`.
pub fn capability_rules(
    profile: &Profile,
    name: &str,
    number: u32,
    as_sys_admin: u64,
) -> Vec<RuleMatch> {
    let mut lines = Lines::default();
    let bit = 1u32 << (number % 32);
    let answers_for = |named: &str| {
        let mapped = crate::encode::capability_number(named)
            .is_some_and(|n| as_sys_admin & (1u64 << n) != 0);
        if mapped {
            name == "sys_admin"
        } else {
            named == name
        }
    };
    profile
        .rules
        .iter()
        .filter(|rule| match &rule.kind {
            RuleKind::Capability(c) => {
                c.capabilities.is_empty() || c.capabilities.iter().any(|n| answers_for(n))
            }
            RuleKind::All => rule.qualifiers.verdict != Verdict::Deny,
            _ => false,
        })
        .map(|rule| rule_match(rule, bit, &mut lines))
        .collect()
}
