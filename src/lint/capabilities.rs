//! `rule-redundant` / `rule-shadowed` for capability rules, which live in
//! the profile record's capability masks rather than in an automaton:
//! the masks are computed with the compiler's [`CapabilitySet`] with and
//! without each capability rule of the linted file, and a rule is
//! redundant when the masks (allow, audit, quiet) come out the same.

use super::Context;
use crate::diagnostics::Diagnostic;
use crate::encode::{CapabilityMasks, CapabilitySet, EncodeTarget};
use crate::model::{CapabilityRule, Profile, RuleKind, Verdict};

pub fn check(
    cx: &Context<'_>,
    name: &str,
    profile: &Profile,
    target: &EncodeTarget,
    out: &mut Vec<Diagnostic>,
) {
    // Greedy, last rule first, as for the automata: of two duplicates the
    // later one is reported.
    let mut removed: Vec<usize> = Vec::new();
    for (index, rule) in profile.rules.iter().enumerate().rev() {
        let RuleKind::Capability(capability) = &rule.kind else {
            continue;
        };
        let Some(location) = cx.at(&rule.origin) else {
            continue;
        };
        let Some(full) = masks(profile, target, &removed) else {
            return;
        };
        removed.push(index);
        if masks(profile, target, &removed) != Some(full) {
            removed.pop();
            continue;
        }
        let allow = rule.qualifiers.verdict != Verdict::Deny;
        let own = masks_of(&[(rule.qualifiers, capability)], target).map_or(0, |m| m.allow);
        let (code, message, label) = if allow && own != 0 && own & full.allow == 0 {
            (
                "rule-shadowed",
                format!("profile {name}: every capability this rule grants is denied"),
                "shadowed by deny",
            )
        } else {
            (
                "rule-redundant",
                format!(
                    "profile {name}: this rule changes nothing: other capability rules already give the same"
                ),
                "redundant",
            )
        };
        out.push(Diagnostic::warning(code, message, Some(location)).with_label(label));
    }
}

/// The profile's capability masks without the rules `skip`; `None` when the
/// compiler rejects the rules (reported by `check`).
fn masks(profile: &Profile, target: &EncodeTarget, skip: &[usize]) -> Option<CapabilityMasks> {
    let every = CapabilityRule {
        capabilities: Vec::new(),
    };
    let mut rules = Vec::new();
    for (index, rule) in profile.rules.iter().enumerate() {
        if skip.contains(&index) {
            continue;
        }
        match &rule.kind {
            RuleKind::Capability(c) => rules.push((rule.qualifiers, c)),
            // `all,` is a bare `capability,` with deny's audit meaning
            // turned round, as the encoder reads it.
            RuleKind::All => {
                let mut q = rule.qualifiers;
                if q.verdict == Verdict::Deny {
                    q.audit = !q.audit;
                }
                rules.push((q, &every));
            }
            _ => {}
        }
    }
    masks_of(&rules, target)
}

fn masks_of(
    rules: &[(crate::model::Qualifiers, &CapabilityRule)],
    target: &EncodeTarget,
) -> Option<CapabilityMasks> {
    let mut set = CapabilitySet::new(target.caps_as_sys_admin);
    for (q, rule) in rules {
        set.add(q, rule).ok()?;
    }
    Some(set.masks())
}
