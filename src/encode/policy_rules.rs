//! Dispatch of a profile's rules to the policy-DB class encoders, in the
//! profile's rule order, keeping only the classes the target mediates.

use super::dbus::encode_dbus;
use super::error::EncodeError;
use super::ipc::{MqueueTarget, encode_io_uring, encode_mqueue, encode_userns};
use super::mediates::{CLASS_NET, CLASS_NETV8};
use super::mount::{
    MOUNT_ALL, MOUNT_MOUNT, MOUNT_PIVOT_ROOT, MOUNT_UMOUNT, encode_mount, encode_pivot_root,
    encode_umount,
};
use super::mount_merge::merged_class_perms;
use super::network::{encode_network, encode_unix_as_network, unix_types};
use super::ptrace::encode_ptrace;
use super::record::PolicyRecord;
use super::signal::encode_signal;
use super::target::EncodeTarget;
use super::unix::encode_unix;
use super::unix_merge::{self, Downgrade};
use crate::expr::Expr;
use crate::model::{
    DbusRule, IoUringRule, MountRule, MqueueRule, NetworkRule, PivotRootRule, Profile, PtraceRule,
    Qualifiers, RuleKind, SignalRule, UmountRule, UnixRule, UsernsRule, Verdict,
};

/// The class rules of one profile (without the mediates entries, which
/// the caller appends after them as the parser does).
pub fn encode_policy_rules(
    profile: &Profile,
    target: &EncodeTarget,
) -> Result<Vec<(Expr, PolicyRecord)>, EncodeError> {
    encode_policy_rules_traced(profile, target).map(|(rules, _)| rules)
}

/// Policy-DB entries and, for each, the index of the profile rule it came
/// from.
pub type TracedPolicyRules = (Vec<(Expr, PolicyRecord)>, Vec<usize>);

/// [`encode_policy_rules`], with the index of the profile rule each entry
/// came from (for `lint`, which asks what each rule adds).
pub fn encode_policy_rules_traced(
    profile: &Profile,
    target: &EncodeTarget,
) -> Result<TracedPolicyRules, EncodeError> {
    let mut out = Vec::new();
    let mut sources = Vec::new();
    let merged_perms = merged_class_perms(&profile.rules);
    let downgrades = unix_merge::plan(&profile.rules);
    for (index, ((rule, merged_perms), downgrade)) in profile
        .rules
        .iter()
        .zip(merged_perms)
        .zip(downgrades)
        .enumerate()
    {
        let merged = Merged {
            perms: merged_perms,
            downgrade,
        };
        let encoded = if let RuleKind::All = rule.kind {
            encode_all(&rule.qualifiers, target, &mut out)
        } else {
            encode_rule(&rule.qualifiers, &rule.kind, merged, target, &mut out)
        };
        encoded.map_err(|e| e.at(&rule.origin))?;
        sources.resize(out.len(), index);
    }
    Ok((out, sources))
}

/// The bare rule of every class (`network,`, `unix,`, `mount,`, …) that
/// `all,` stands for in the policydb. Its mount-class rules grant every
/// mount permission (mount, umount and pivot_root) on each string.
fn bare_rules() -> Vec<RuleKind> {
    vec![
        RuleKind::Network(NetworkRule::default()),
        RuleKind::Unix(UnixRule::default()),
        RuleKind::Dbus(DbusRule::default()),
        RuleKind::Mount(MountRule::default()),
        RuleKind::Umount(UmountRule::default()),
        RuleKind::PivotRoot(PivotRootRule::default()),
        RuleKind::Ptrace(PtraceRule::default()),
        RuleKind::Signal(SignalRule::default()),
        RuleKind::Mqueue(MqueueRule::default()),
        RuleKind::Userns(UsernsRule::default()),
        RuleKind::IoUring(IoUringRule::default()),
    ]
}

fn encode_all(
    q: &Qualifiers,
    target: &EncodeTarget,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    // Each class rule `all` stands for is read as a rule with the audit
    // meaning of deny turned round (see `turn_deny_audit`).
    let q = &turn_deny_audit(q);
    for kind in bare_rules() {
        let start = out.len();
        match kind {
            RuleKind::Network(_) | RuleKind::Unix(_) => {
                encode_unix_part(q, &kind, target, out)?;
                encode_network_part(q, &kind, Downgrade::Own, target, out)?;
            }
            _ => encode_rule(q, &kind, Merged::NONE, target, out)?,
        }
        let mount = matches!(
            kind,
            RuleKind::Mount(_) | RuleKind::Umount(_) | RuleKind::PivotRoot(_)
        );
        if !mount {
            continue;
        }
        for (_, record) in out.iter_mut().skip(start) {
            if let PolicyRecord::Rule(perms) = record {
                let marked = perms.audit != 0;
                perms.perms = MOUNT_ALL;
                perms.audit = if marked { MOUNT_ALL } else { 0 };
            }
        }
    }
    Ok(())
}

/// `q` with the audit meaning of a deny turned round, as 5.0.2 reads it
/// in two places. The class rules an `all` rule stands for: `deny all,`
/// acts as `audit deny` of each class (nothing quieted) and `audit deny
/// all,` as plain `deny` (everything quieted). The unix rules a network
/// rule stands for: `deny network unix,` is not quieted there, `audit
/// deny network unix,` is (so `deny all,` quiets its network rule's unix
/// part, the turn applied twice). Allow rules keep their audit.
pub(super) fn turn_deny_audit(q: &Qualifiers) -> Qualifiers {
    let mut sub = *q;
    if q.verdict == Verdict::Deny {
        sub.audit = !q.audit;
    }
    sub
}

/// What merging with equal rules made of one rule.
#[derive(Debug, Clone, Copy)]
struct Merged {
    /// A mount-class or io_uring rule's permissions after merging.
    perms: Option<u32>,
    /// A unix rule's downgraded network rule after merging.
    downgrade: Downgrade,
}

impl Merged {
    const NONE: Merged = Merged {
        perms: None,
        downgrade: Downgrade::Own,
    };
}

/// Appends the policydb rules of one (non-`all`) rule, as merging with
/// equal rules left it (`merged`).
fn encode_rule(
    q: &Qualifiers,
    kind: &RuleKind,
    merged: Merged,
    target: &EncodeTarget,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let classes = &target.mediates;
    {
        match kind {
            RuleKind::Ptrace(ptrace) if classes.ptrace => encode_ptrace(q, ptrace, out)?,
            RuleKind::Signal(signal) if classes.signal => encode_signal(q, signal, out)?,
            RuleKind::Dbus(dbus) if classes.dbus => encode_dbus(q, dbus, out)?,
            RuleKind::Mount(mount) if classes.mount => {
                let perms = merged.perms.unwrap_or(MOUNT_MOUNT);
                encode_mount(q, mount, false, perms, out)?
            }
            RuleKind::Remount(mount) if classes.mount => {
                let perms = merged.perms.unwrap_or(MOUNT_MOUNT);
                encode_mount(q, mount, true, perms, out)?
            }
            RuleKind::Umount(umount) if classes.mount => {
                let perms = merged.perms.unwrap_or(MOUNT_UMOUNT);
                encode_umount(q, umount, perms, out)?
            }
            RuleKind::PivotRoot(pivot) if classes.mount => {
                let perms = merged.perms.unwrap_or(MOUNT_PIVOT_ROOT);
                encode_pivot_root(q, pivot, perms, out)?
            }
            RuleKind::Userns(userns) if classes.userns => encode_userns(q, userns, out)?,
            RuleKind::IoUring(io_uring) if classes.io_uring => {
                encode_io_uring(q, io_uring, merged.perms, out)?
            }
            RuleKind::Mqueue(mqueue) if classes.posix_mqueue || classes.sysv_mqueue => {
                let target = MqueueTarget {
                    posix: classes.posix_mqueue,
                    sysv: classes.sysv_mqueue,
                };
                encode_mqueue(q, mqueue, target, out)?
            }
            RuleKind::Network(_) | RuleKind::Unix(_) => {
                encode_unix_part(q, kind, target, out)?;
                encode_network_part(q, kind, merged.downgrade, target, out)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The unix-mediation rules of a `network` or `unix` rule (class 4, or 14
/// with `network_v8`, as the parser does on purpose): a network rule
/// without protocol or address conditions also stands for `unix,`.
fn encode_unix_part(
    q: &Qualifiers,
    kind: &RuleKind,
    target: &EncodeTarget,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let classes = &target.mediates;
    if !classes.unix_v7 {
        return Ok(());
    }
    let class = if classes.network_v8 {
        CLASS_NETV8
    } else {
        CLASS_NET
    };
    match kind {
        RuleKind::Network(network) => {
            // 5.0.2 turns the audit meaning of a deny round for the unix
            // rules a network rule stands for: `deny network unix,` is
            // not quieted there, `audit deny network unix,` is (as in the
            // old network table, see `net_legacy`).
            let q = &turn_deny_audit(q);
            for sock_type in unix_types(network) {
                let unix = UnixRule {
                    sock_type: sock_type.map(str::to_owned),
                    ..UnixRule::default()
                };
                encode_unix(q, &unix, class, out)?;
            }
        }
        RuleKind::Unix(unix) => encode_unix(q, unix, class, out)?,
        _ => {}
    }
    Ok(())
}

/// The class-14 network rules of a `network` rule, and the plain network
/// rule a `unix` rule also gives with `network_v8` (§5.4).
fn encode_network_part(
    q: &Qualifiers,
    kind: &RuleKind,
    downgrade: Downgrade,
    target: &EncodeTarget,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    if !target.mediates.network_v8 {
        return Ok(());
    }
    match kind {
        RuleKind::Network(network) => encode_network(q, network, target.inet_fine, out)?,
        RuleKind::Unix(unix) => match downgrade {
            Downgrade::Own => encode_unix_as_network(q, unix, None, out)?,
            Downgrade::Merged(perms) => encode_unix_as_network(q, unix, Some(perms), out)?,
            Downgrade::Dropped => {}
        },
        _ => {}
    }
    Ok(())
}

/// The rule classes of a profile that the target cannot enforce and
/// whose rules were therefore dropped (apparmor_parser warns about
/// these), each named once, in first-use order. Unix rules downgraded to
/// network rules and network rules kept in the legacy table are enforced.
pub fn unenforced_classes(profile: &Profile, target: &EncodeTarget) -> Vec<&'static str> {
    let classes = &target.mediates;
    let mut out: Vec<&'static str> = Vec::new();
    for rule in &profile.rules {
        let dropped = match &rule.kind {
            RuleKind::Ptrace(_) if !classes.ptrace => Some("ptrace"),
            RuleKind::Signal(_) if !classes.signal => Some("signal"),
            RuleKind::Dbus(_) if !classes.dbus => Some("dbus"),
            RuleKind::Mount(_) | RuleKind::Remount(_) | RuleKind::Umount(_) if !classes.mount => {
                Some("mount")
            }
            RuleKind::PivotRoot(_) if !classes.mount => Some("pivot_root"),
            RuleKind::Userns(_) if !classes.userns => Some("userns"),
            RuleKind::IoUring(_) if !classes.io_uring => Some("io_uring"),
            RuleKind::Mqueue(_) if !classes.posix_mqueue && !classes.sysv_mqueue => Some("mqueue"),
            RuleKind::Network(_)
                if !classes.network_v8 && !classes.unix_v7 && !target.network_legacy =>
            {
                Some("network")
            }
            RuleKind::Unix(_)
                if !classes.unix_v7 && !classes.network_v8 && !target.network_legacy =>
            {
                Some("unix")
            }
            _ => None,
        };
        if let Some(name) = dropped
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::target::MediatedClasses;
    use crate::model::{Origin, Rule};

    fn profile(kinds: Vec<RuleKind>) -> Profile {
        Profile {
            rules: kinds
                .into_iter()
                .map(|kind| Rule {
                    qualifiers: Qualifiers::default(),
                    kind,
                    origin: Origin::default(),
                })
                .collect(),
            ..Profile::default()
        }
    }

    #[test]
    fn classes_the_kernel_lacks_are_dropped_and_named() {
        let target = EncodeTarget {
            mediates: MediatedClasses {
                ptrace: true,
                ..MediatedClasses::default()
            },
            ..EncodeTarget::default()
        };
        let p = profile(vec![
            RuleKind::Dbus(DbusRule::default()),
            RuleKind::Ptrace(PtraceRule::default()),
            RuleKind::Dbus(DbusRule::default()),
            RuleKind::Signal(SignalRule::default()),
        ]);
        let rules = encode_policy_rules(&p, &target).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(unenforced_classes(&p, &target), ["dbus", "signal"]);
    }

    #[test]
    fn deny_all_quiets_only_its_unix_mediation_part() {
        // 5.0.2, all/ok_04 with af-inet's features (unix mediation in
        // class 14): the unix strings keep their quiet bits (create on
        // `\x0e\0\1 type proto`: quiet 0x10), the network ones have none.
        let target = EncodeTarget {
            mediates: MediatedClasses {
                network_v8: true,
                unix_v7: true,
                ..MediatedClasses::default()
            },
            ..EncodeTarget::default()
        };
        let mut p = profile(vec![RuleKind::All]);
        p.rules[0].qualifiers.verdict = crate::model::Verdict::Deny;
        let rules = encode_policy_rules(&p, &target).unwrap();
        let audit_of = |expr_len: usize| {
            rules
                .iter()
                .filter(|(e, _)| {
                    matches!(e, Expr::Concat(parts)
                        if parts.len() == expr_len && parts[0] == Expr::Byte(CLASS_NETV8))
                })
                .map(|(_, r)| r.rule().unwrap().audit)
                .collect::<Vec<_>>()
        };
        // Coarse network strings `\x0e af(2) type(2)`: 5 parts, unquieted.
        assert!(!audit_of(5).is_empty());
        assert!(audit_of(5).iter().all(|&a| a == 0));
        // The unix create string `\x0e \0 \1 type(2) proto(2)`: quieted.
        assert!(audit_of(7).contains(&0x10));
    }

    #[test]
    fn unix_without_unix_mediation_becomes_network() {
        let target = EncodeTarget {
            mediates: MediatedClasses {
                network_v8: true,
                ..MediatedClasses::default()
            },
            ..EncodeTarget::default()
        };
        let p = profile(vec![RuleKind::Unix(UnixRule::default())]);
        let rules = encode_policy_rules(&p, &target).unwrap();
        assert_eq!(rules.len(), 1);
        assert!(unenforced_classes(&p, &target).is_empty());
    }
}
