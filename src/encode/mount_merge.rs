//! Merging of equal mount-class and io_uring rules (§5.4).
//!
//! apparmor_parser keeps `mount`, `remount`, `umount` and `pivot_root`
//! rules as one rule type and merges two rules whose conditions compare
//! equal (mount point, device, fstype list, flag sets, transition and
//! qualifiers): the survivor grants the union of their permissions on
//! every string either would have generated. So `mount fstype=zfs,` plus
//! `umount fstype=zfs,` give both the mount and the umount strings perms
//! 0x6 (4.1's rule-exprs dump; 5.0.2's apparmor.d `zfs` blob).
//!
//! io_uring rules merge the same way when their labels are equal: the
//! survivor's label string (written for `override_creds`) then grants
//! `sqpoll` too (`io_uring override_creds, io_uring sqpoll,` gives
//! `\x16` + label 0x18 in 5.0.2's blob). Other classes the parser merges
//! (signal, ptrace, dbus, unix, userns, mqueue) generate strings that do
//! not depend on which permissions a rule holds, so merging them changes
//! nothing.
//!
//! The qualifiers compare as written (`allow mount,` and `mount,` stay
//! apart, see [`crate::model::Qualifiers::explicit_verdict`]).

use super::mount::{MOUNT_MOUNT, MOUNT_PIVOT_ROOT, MOUNT_UMOUNT, flag_pairs};
use crate::model::{MountOptions, Qualifiers, Rule, RuleKind, access};

/// What the parser compares for one mergeable rule.
#[derive(Debug, Clone, PartialEq, Eq)]
enum MergeKey {
    Mount(MountKey),
    IoUring {
        qualifiers: Qualifiers,
        label: Option<String>,
    },
}

/// The fields the parser compares for a mount-class rule, normalised:
/// strings as written, options as the (required, optional) flag pairs
/// they produce.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MountKey {
    qualifiers: Qualifiers,
    mountpoint: Option<String>,
    device: Option<String>,
    fstype: Vec<String>,
    flags: Vec<(u32, u32)>,
    target: Option<String>,
}

fn fstypes(list: &[MountOptions]) -> Vec<String> {
    list.iter().flat_map(|f| f.values.iter().cloned()).collect()
}

/// The merge key and own permission of a mount-class rule.
fn key(rule: &Rule) -> Option<(MergeKey, u32)> {
    // 5.0.2 compares the rule mode as written: a spelled-out `allow` is a
    // different mode from an implied one, so `allow pivot_root, mount,`
    // stay two rules (0x1 and 0x4) where `pivot_root, mount,` merge (0x5).
    let qualifiers = rule.qualifiers;
    let (key, perms) = match &rule.kind {
        RuleKind::Mount(m) | RuleKind::Remount(m) => (
            MountKey {
                qualifiers,
                mountpoint: m.mountpoint.clone(),
                device: m.source.clone(),
                fstype: fstypes(&m.fstype),
                flags: flag_pairs(&m.options, matches!(rule.kind, RuleKind::Remount(_))),
                target: None,
            },
            MOUNT_MOUNT,
        ),
        RuleKind::Umount(u) => (
            MountKey {
                qualifiers,
                mountpoint: u.mountpoint.clone(),
                device: None,
                fstype: fstypes(&u.fstype),
                flags: flag_pairs(&u.options, false),
                target: None,
            },
            MOUNT_UMOUNT,
        ),
        RuleKind::PivotRoot(p) => (
            MountKey {
                qualifiers,
                mountpoint: p.new_root.clone(),
                device: p.old_root.clone(),
                fstype: Vec::new(),
                flags: flag_pairs(&[], false),
                target: p.target.clone(),
            },
            MOUNT_PIVOT_ROOT,
        ),
        RuleKind::IoUring(io_uring) => {
            let key = MergeKey::IoUring {
                qualifiers,
                label: io_uring.label.clone(),
            };
            return Some((key, access::IO_URING.grant(&io_uring.access)));
        }
        _ => return None,
    };
    Some((MergeKey::Mount(key), perms))
}

/// For each rule of the list, the mount or io_uring permissions it grants
/// after merging (`None` for rules of other classes), by index.
pub fn merged_class_perms(rules: &[Rule]) -> Vec<Option<u32>> {
    let keys: Vec<Option<(MergeKey, u32)>> = rules.iter().map(key).collect();
    let mut groups: Vec<(&MergeKey, u32)> = Vec::new();
    for (k, perms) in keys.iter().flatten() {
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, union)) => *union |= perms,
            None => groups.push((k, *perms)),
        }
    }
    keys.iter()
        .map(|entry| {
            let (k, _) = entry.as_ref()?;
            groups
                .iter()
                .find(|(g, _)| *g == k)
                .map(|(_, union)| *union)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MountRule, PivotRootRule, UmountRule};

    fn zfs() -> Vec<MountOptions> {
        vec![MountOptions {
            is_in: false,
            values: vec!["zfs".into()],
        }]
    }

    #[test]
    fn equal_conditions_merge_permissions() {
        // 4.1 -D rule-exprs: `mount fstype=zfs, umount fstype=zfs,` gives
        // both strings (0x6/0); `mount options=ro fstype=zfs,` does not merge.
        let mut rules = vec![
            Rule::bare(RuleKind::Mount(MountRule {
                fstype: zfs(),
                ..MountRule::default()
            })),
            Rule::bare(RuleKind::Umount(UmountRule {
                fstype: zfs(),
                ..UmountRule::default()
            })),
            Rule::bare(RuleKind::Mount(MountRule {
                fstype: zfs(),
                options: vec![MountOptions {
                    is_in: false,
                    values: vec!["ro".into()],
                }],
                ..MountRule::default()
            })),
            Rule::bare(RuleKind::All),
        ];
        assert_eq!(
            merged_class_perms(&rules),
            [Some(0x6), Some(0x6), Some(0x2), None]
        );
        // `pivot_root /a, umount /a,` → 0x5 each; audit keeps rules apart.
        rules = vec![
            Rule::bare(RuleKind::PivotRoot(PivotRootRule {
                new_root: Some("/a".into()),
                ..PivotRootRule::default()
            })),
            Rule::bare(RuleKind::Umount(UmountRule {
                mountpoint: Some("/a".into()),
                ..UmountRule::default()
            })),
            Rule::bare(RuleKind::Umount(UmountRule::default())),
        ];
        rules[2].qualifiers.audit = true;
        assert_eq!(
            merged_class_perms(&rules),
            [Some(0x5), Some(0x5), Some(0x4)]
        );
    }

    #[test]
    fn a_spelled_out_allow_keeps_rules_apart() {
        // 5.0.2: `allow pivot_root, mount,` leaves the mount strings with
        // the mount permission alone.
        let mut rules = vec![
            Rule::bare(RuleKind::PivotRoot(PivotRootRule::default())),
            Rule::bare(RuleKind::Mount(MountRule::default())),
            Rule::bare(RuleKind::Umount(UmountRule::default())),
        ];
        rules[0].qualifiers.explicit_verdict = true;
        rules[2].qualifiers.explicit_verdict = true;
        assert_eq!(
            merged_class_perms(&rules),
            [
                Some(MOUNT_PIVOT_ROOT | MOUNT_UMOUNT),
                Some(MOUNT_MOUNT),
                Some(MOUNT_PIVOT_ROOT | MOUNT_UMOUNT)
            ]
        );
    }

    #[test]
    fn io_uring_rules_with_equal_labels_merge() {
        use crate::model::IoUringRule;
        let io = |access: &str, label: Option<&str>| {
            Rule::bare(RuleKind::IoUring(IoUringRule {
                access: vec![access.into()],
                label: label.map(str::to_owned),
            }))
        };
        let rules = [
            io("override_creds", None),
            io("sqpoll", None),
            io("sqpoll", Some("a")),
        ];
        let perms = merged_class_perms(&rules);
        let both = access::IO_URING.grant(&["override_creds".into(), "sqpoll".into()]);
        assert_eq!(perms[0], Some(both));
        assert_eq!(perms[1], Some(both));
        assert_eq!(perms[2], Some(access::IO_URING.grant(&["sqpoll".into()])));
    }
}
