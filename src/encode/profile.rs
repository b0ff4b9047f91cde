//! Whole-profile encoding: everything the record writer needs, for every
//! profile of a policy in emission order (§1.5, §2).

use super::caps::{CapabilityMasks, CapabilitySet};
use super::error::EncodeError;
use super::file::{FileEncoding, encode_file_rules};
use super::flags::{FlagWords, flag_words, path_flags};
use super::mediates::mediates_entries;
use super::net_legacy::{file_net_allowed_af, net_allowed_af};
use super::policy_rules::{encode_policy_rules, turn_deny_audit, unenforced_classes};
use super::record::PolicyRecord;
use super::rlimits::Rlimits;
use super::target::EncodeTarget;
use super::xmatch::{Xmatch, encode_xmatch, xattr_names};
use crate::expr::Expr;
use crate::model::{CapabilityRule, Policy, Profile, ProfileMode, RuleKind};
use std::cmp::Ordering;

/// One profile record's content, ready for DFA construction and
/// serialization. Field order follows the record (§2.1).
#[derive(Debug, Clone)]
pub struct EncodedProfile {
    /// Full hierarchical name: `parent//child//grandchild`.
    pub name: String,
    /// Explicit namespace of a top-level profile (`namespace` field);
    /// always `None` for children.
    pub namespace: Option<String>,
    /// Attachment DFA rules and `xmatch_len`; `None` = no xmatch DFA.
    pub xmatch: Option<Xmatch>,
    /// `attach_disconnected.path=` value (`disconnected` field).
    pub disconnected_path: Option<String>,
    /// `attach_disconnected.ipc=` value (`disconnected_ipc` field).
    pub disconnected_ipc: Option<String>,
    /// `kill.signal=` (write only if the kernel supports it).
    pub kill_signal: Option<u32>,
    /// `error=` (write only if the kernel supports it).
    pub error: Option<u32>,
    pub flags: FlagWords,
    /// `None` = omit the field.
    pub path_flags: Option<u32>,
    pub caps: CapabilityMasks,
    /// xattr names in record order; empty = omit the struct.
    pub xattr_names: Vec<String>,
    /// `None` = no `set rlimit` rule, omit the struct.
    pub rlimits: Option<Rlimits>,
    /// Policy-DB rules. Holds the mediates entries; the policy-DB class
    /// encoders append their rules here.
    pub policy_rules: Vec<(Expr, PolicyRecord)>,
    /// File-DFA rules and the xtable.
    pub file: FileEncoding,
    /// The `net_allowed_af` table (old network mediation only).
    pub net_allowed_af: Option<Vec<[u16; 3]>>,
    /// Rule classes the target cannot enforce, whose rules were dropped
    /// (for the caller to warn about), e.g. `["dbus"]`.
    pub unenforced: Vec<&'static str>,
}

/// Options not carried by the target's class set.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileOptions {
    /// The kernel supports `policy/profile/interruptible`.
    pub interruptible: bool,
}

/// Encodes every profile of the policy, flattened in emission order:
/// top-level profiles sorted (no namespace first, then namespace, then
/// name, byte order), each followed depth-first by its children in the same
/// order.
pub fn encode_policy(
    policy: &Policy,
    target: &EncodeTarget,
    options: ProfileOptions,
) -> Result<Vec<EncodedProfile>, EncodeError> {
    let mut out = Vec::new();
    for profile in emission_order(&policy.profiles) {
        encode_tree(profile, None, target, options, &mut out)?;
    }
    // The old network table is one per input file (see `net_legacy`).
    if target.network_legacy {
        let shared = file_net_allowed_af(&policy.profiles)?;
        for encoded in &mut out {
            encoded.net_allowed_af.clone_from(&shared);
        }
    }
    Ok(out)
}

/// Profiles sorted as the parser keeps them.
pub fn emission_order(profiles: &[Profile]) -> Vec<&Profile> {
    let mut sorted: Vec<&Profile> = profiles.iter().collect();
    sorted.sort_by(|a, b| compare(a, b));
    sorted
}

fn compare(a: &Profile, b: &Profile) -> Ordering {
    match (&a.namespace, &b.namespace) {
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.as_bytes().cmp(y.as_bytes()),
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
}

fn encode_tree(
    profile: &Profile,
    parent: Option<&str>,
    target: &EncodeTarget,
    options: ProfileOptions,
    out: &mut Vec<EncodedProfile>,
) -> Result<(), EncodeError> {
    let name = match parent {
        Some(parent) => format!("{parent}//{}", profile.name),
        None => profile.name.clone(),
    };
    let mut encoded = encode_profile(profile, target, options)?;
    // A child keeps only a namespace it names itself (`profile :ns:child`
    // inside a profile is loaded as `p//child` in namespace `ns`).
    encoded.name = name.clone();
    out.push(encoded);
    for child in emission_order(&profile.children) {
        encode_tree(child, Some(&name), target, options, out)?;
    }
    Ok(())
}

/// Encodes one profile on its own (name = its own name; children are not
/// included — use [`encode_policy`] for the flattened set).
pub fn encode_profile(
    profile: &Profile,
    target: &EncodeTarget,
    options: ProfileOptions,
) -> Result<EncodedProfile, EncodeError> {
    let mut caps = CapabilitySet::new(target.caps_as_sys_admin);
    let mut rlimits = Rlimits::default();
    for rule in &profile.rules {
        match &rule.kind {
            RuleKind::Capability(capability) => caps.add(&rule.qualifiers, capability)?,
            // `all,` stands for a bare `capability,` (its deny with the
            // audit meaning turned round, as for every class of `all`).
            RuleKind::All => caps.add(
                &turn_deny_audit(&rule.qualifiers),
                &CapabilityRule {
                    capabilities: Vec::new(),
                },
            )?,
            RuleKind::Rlimit(limit) => rlimits.add(limit)?,
            _ => {}
        }
    }
    let mut policy_rules = encode_policy_rules(profile, target)?;
    let flags = &profile.flags;
    let unconfined_mode = matches!(
        flags.mode,
        Some(ProfileMode::Unconfined | ProfileMode::DefaultAllow)
    );
    Ok(EncodedProfile {
        name: profile.name.clone(),
        namespace: profile.namespace.clone(),
        xmatch: encode_xmatch(profile, target).map_err(|e| e.at(&profile.origin))?,
        disconnected_path: flags
            .attach_disconnected_path
            .as_deref()
            .map(disconnected_path),
        disconnected_ipc: flags.attach_disconnected_ipc.clone(),
        kill_signal: flags.kill_signal,
        error: flags.error,
        flags: flag_words(flags, profile.is_hat, options.interruptible),
        path_flags: path_flags(flags),
        caps: caps.masks(),
        xattr_names: if target.xattr_attach {
            xattr_names(profile)
        } else {
            Vec::new()
        },
        rlimits: (!rlimits.is_empty()).then_some(rlimits),
        policy_rules: {
            policy_rules.extend(mediates_entries(target, unconfined_mode));
            policy_rules
        },
        file: encode_file_rules(profile, target)?,
        unenforced: unenforced_classes(profile, target),
        net_allowed_af: if target.network_legacy {
            net_allowed_af(profile)?
        } else {
            None
        },
    })
}

/// The `disconnected` field: the path slash-filtered and without a
/// trailing `/` (5.0.2 writes `/foo` for `attach_disconnected.path=/foo//`).
fn disconnected_path(path: &str) -> String {
    let filtered = crate::aare::filter_slashes(path);
    match filtered.strip_suffix('/') {
        Some(stripped) if !stripped.is_empty() => stripped.to_owned(),
        _ => filtered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CapabilityRule, Origin, Qualifiers, RlimitRule, Rule};

    fn named(name: &str, namespace: Option<&str>) -> Profile {
        Profile {
            name: name.to_owned(),
            namespace: namespace.map(str::to_owned),
            ..Profile::default()
        }
    }

    #[test]
    fn flattening_order_and_names() {
        let mut t = named("t", Some("ns"));
        t.children = vec![named("hat", None), named("child", None)];
        t.children[0].is_hat = true;
        t.children[1].children = vec![named("grand", None)];
        let policy = Policy {
            abi: None,
            profiles: vec![
                t,
                named("b", None),
                named("z", Some("ab")),
                named("a", None),
            ],
        };
        let encoded =
            encode_policy(&policy, &EncodeTarget::default(), ProfileOptions::default()).unwrap();
        let names: Vec<(&str, Option<&str>)> = encoded
            .iter()
            .map(|p| (p.name.as_str(), p.namespace.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("a", None),
                ("b", None),
                ("z", Some("ab")),
                ("t", Some("ns")),
                ("t//child", None),
                ("t//child//grand", None),
                ("t//hat", None),
            ]
        );
        assert_eq!(encoded[6].flags.flags, 1);
    }

    #[test]
    fn caps_and_rlimits_are_collected() {
        let rule = |kind| Rule {
            qualifiers: Qualifiers::default(),
            kind,
            origin: Origin::default(),
        };
        let mut profile = named("t", None);
        profile.rules = vec![
            rule(RuleKind::Capability(CapabilityRule {
                capabilities: vec!["net_raw".to_owned()],
            })),
            rule(RuleKind::Rlimit(RlimitRule {
                resource: "nofile".to_owned(),
                value: "1024".to_owned(),
            })),
        ];
        let encoded = encode_profile(
            &profile,
            &EncodeTarget::default(),
            ProfileOptions::default(),
        )
        .unwrap();
        assert_eq!(encoded.caps.allow, 1 << 13);
        let limits = encoded.rlimits.unwrap();
        assert_eq!((limits.mask, limits.values[7]), (0x80, 1024));
        assert!(encoded.xmatch.is_none());
        assert!(encoded.path_flags.is_none());
    }
}
