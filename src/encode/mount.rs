//! `mount`, `remount`, `umount` and `pivot_root` rules in class 7 (§5.4).
//!
//! A mount rule becomes up to five rules, one per kind of mount(2) call
//! it can allow (remount, bind, change of propagation type, move, new
//! mount), each `\x07 mountpoint \0 source \0 fstype \0 flags`. Which kinds
//! apply follows from the required flags (`options=`) and the optional
//! ones (`options in`, or every flag when no options are given); the flag
//! part lists, for each flag bit the kind accepts, the byte `bit+1`
//! (required) or `(byte|)` (optional), or `(\xfe|)` when there is none.

use super::error::EncodeError;
use super::mediates::CLASS_MOUNT;
use super::pdb::{any, path, rule, vec_join};
use super::record::PolicyRecord;
use crate::expr::Expr;
use crate::model::{MountOptions, MountRule, PivotRootRule, Qualifiers, UmountRule};

pub const MOUNT_PIVOT_ROOT: u32 = 0x1;
pub const MOUNT_MOUNT: u32 = 0x2;
pub const MOUNT_UMOUNT: u32 = 0x4;
/// Every mount-class permission (what `all,` grants).
pub const MOUNT_ALL: u32 = MOUNT_PIVOT_ROOT | MOUNT_MOUNT | MOUNT_UMOUNT;

const fn bits(list: &[u32]) -> u32 {
    let mut out = 0;
    let mut i = 0;
    while i < list.len() {
        out |= 1 << list[i];
        i += 1;
    }
    out
}

const MS_RDONLY: u32 = 1 << 0;
pub(super) const MS_REMOUNT: u32 = 1 << 5;
pub(super) const MS_BIND: u32 = 1 << 12;
pub(super) const MS_MOVE: u32 = 1 << 13;
pub(super) const MS_REC: u32 = 1 << 14;
/// unbindable, private, slave, shared.
pub(super) const MS_MAKE_CMDS: u32 = bits(&[17, 18, 19, 20]);
const MS_CMDS: u32 = MS_REMOUNT | MS_BIND | MS_MOVE | MS_MAKE_CMDS;

/// The flags each kind of mount call accepts (from the parser's dumps).
pub(super) const REMOUNT_FLAGS: u32 = bits(&[
    0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25,
]);
const BIND_FLAGS: u32 = MS_BIND | MS_REC;
const MAKE_FLAGS: u32 = bits(&[0, 4, 5, 6, 7, 8, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 25]);
const MOVE_FLAGS: u32 = MS_MOVE;
const NEW_FLAGS: u32 = bits(&[0, 1, 2, 3, 4, 6, 7, 8, 10, 11, 15, 16, 21, 23, 24, 25]);
/// Every flag a rule without options allows.
pub(super) const ALL_FLAGS: u32 = REMOUNT_FLAGS | MS_MOVE;

/// Option words: (name, bits set, bits cleared).
pub(super) const OPTIONS: &[(&str, u32, u32)] = &[
    ("ro", MS_RDONLY, 0),
    ("r", MS_RDONLY, 0),
    ("read-only", MS_RDONLY, 0),
    ("rw", 0, MS_RDONLY),
    ("w", 0, MS_RDONLY),
    ("suid", 0, 1 << 1),
    ("nosuid", 1 << 1, 0),
    ("dev", 0, 1 << 2),
    ("nodev", 1 << 2, 0),
    ("exec", 0, 1 << 3),
    ("noexec", 1 << 3, 0),
    ("sync", 1 << 4, 0),
    ("async", 0, 1 << 4),
    ("remount", MS_REMOUNT, 0),
    ("mand", 1 << 6, 0),
    ("nomand", 0, 1 << 6),
    ("dirsync", 1 << 7, 0),
    ("symfollow", 0, 1 << 8),
    ("nosymfollow", 1 << 8, 0),
    ("atime", 0, 1 << 10),
    ("noatime", 1 << 10, 0),
    ("diratime", 0, 1 << 11),
    ("nodiratime", 1 << 11, 0),
    ("bind", MS_BIND, 0),
    ("B", MS_BIND, 0),
    ("move", MS_MOVE, 0),
    ("M", MS_MOVE, 0),
    ("rbind", MS_BIND | MS_REC, 0),
    ("R", MS_BIND | MS_REC, 0),
    ("verbose", 1 << 15, 0),
    ("silent", 1 << 15, 0),
    ("loud", 0, 1 << 15),
    ("acl", 1 << 16, 0),
    ("noacl", 0, 1 << 16),
    ("unbindable", 1 << 17, 0),
    ("make-unbindable", 1 << 17, 0),
    ("runbindable", (1 << 17) | MS_REC, 0),
    ("make-runbindable", (1 << 17) | MS_REC, 0),
    ("private", 1 << 18, 0),
    ("make-private", 1 << 18, 0),
    ("rprivate", (1 << 18) | MS_REC, 0),
    ("make-rprivate", (1 << 18) | MS_REC, 0),
    ("slave", 1 << 19, 0),
    ("make-slave", 1 << 19, 0),
    ("rslave", (1 << 19) | MS_REC, 0),
    ("make-rslave", (1 << 19) | MS_REC, 0),
    ("shared", 1 << 20, 0),
    ("make-shared", 1 << 20, 0),
    ("rshared", (1 << 20) | MS_REC, 0),
    ("make-rshared", (1 << 20) | MS_REC, 0),
    ("relatime", 1 << 21, 0),
    ("norelatime", 0, 1 << 21),
    ("iversion", 1 << 23, 0),
    ("noiversion", 0, 1 << 23),
    ("strictatime", 1 << 24, 0),
    ("nostrictatime", 0, 1 << 24),
    ("lazytime", 1 << 25, 0),
    ("nolazytime", 0, 1 << 25),
    ("user", 0, 1 << 31),
    ("nouser", 1 << 31, 0),
];

/// (bits set, bits cleared) by an option word.
pub(super) fn option_bits(name: &str) -> Option<(u32, u32)> {
    OPTIONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, set, clear)| (*set, *clear))
}

/// The flag part: required bits as bytes, optional as `(byte|)`.
fn flags_expr(required: u32, optional: u32) -> Expr {
    let mut parts = Vec::new();
    for bit in 0..32u32 {
        let byte = Expr::Byte(bit as u8 + 1);
        if required & (1 << bit) != 0 {
            parts.push(byte);
        } else if optional & (1 << bit) != 0 {
            parts.push(Expr::Optional(Box::new(byte)));
        }
    }
    if parts.is_empty() {
        return Expr::Optional(Box::new(Expr::Byte(0xfe)));
    }
    Expr::Concat(parts)
}

fn path_or_any(text: Option<&str>) -> Result<Expr, EncodeError> {
    match text {
        Some(text) => path(text),
        None => Ok(any()),
    }
}

/// `(t1|t2|…)` over every fstype condition's values, or ANY.
fn fstype_expr(fstype: &[MountOptions]) -> Result<Expr, EncodeError> {
    let values: Vec<&String> = fstype.iter().flat_map(|f| f.values.iter()).collect();
    if values.is_empty() {
        return Ok(any());
    }
    let alts = values
        .into_iter()
        .map(|v| path(v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Expr::Alt(alts))
}

/// The flags each options condition of a rule names: one required set
/// per `options=` condition (its words' flags, and remount's for a
/// remount), one optional set per `options in` condition (a flag is
/// optional whichever way the word sets it).
pub(super) fn flag_sets(options: &[MountOptions], remount: bool) -> (Vec<u32>, Vec<u32>) {
    let extra = if remount { MS_REMOUNT } else { 0 };
    let bits = |group: &MountOptions| {
        group
            .values
            .iter()
            .filter_map(|v| option_bits(v))
            .fold((0, 0), |(s, c), (set, clear)| (s | set, c | clear))
    };
    let required = options
        .iter()
        .filter(|g| !g.is_in)
        .map(|g| bits(g).0 | extra)
        .collect();
    let optional = options
        .iter()
        .filter(|g| g.is_in)
        .map(|g| {
            let (set, clear) = bits(g);
            set | clear
        })
        .collect();
    (required, optional)
}

/// The (required, optional) flag pairs of a rule: every `options=`
/// condition paired with every `options in` condition (5.0.2:
/// `options=(nosuid) options in (ro)` requires nosuid and allows ro; two of
/// each give four pairs), a lone kind paired with nothing, or "everything
/// optional" when there is no options condition.
pub(super) fn flag_pairs(options: &[MountOptions], remount: bool) -> Vec<(u32, u32)> {
    let extra = if remount { MS_REMOUNT } else { 0 };
    if options.is_empty() {
        return vec![(extra, ALL_FLAGS)];
    }
    let (required, optional) = flag_sets(options, remount);
    match (required.is_empty(), optional.is_empty()) {
        (_, true) => required.into_iter().map(|r| (r, 0)).collect(),
        (true, false) => optional.into_iter().map(|o| (extra, o)).collect(),
        (false, false) => required
            .iter()
            .flat_map(|&r| optional.iter().map(move |&o| (r, o)))
            .collect(),
    }
}

/// The kinds of mount call a rule is encoded for, each with its own
/// match-string shape and flag mask.
enum MountKind {
    Remount,
    Bind,
    ChangeType,
    Move,
    New,
}

/// Whether some kind of mount call matches a `mount` rule, as
/// [`encode_mount`] decides; `aaprof check`, which encodes nothing, asks
/// it.
pub fn mount_matches_a_call(mount: &MountRule) -> bool {
    let mut scratch = Vec::new();
    let result = encode_mount(&Qualifiers::default(), mount, false, 0, &mut scratch);
    !matches!(result, Err(EncodeError::MountNotEncodable))
}

/// Appends the rules of a `mount` or (`remount` = true) `remount` rule.
pub fn encode_mount(
    q: &Qualifiers,
    mount: &MountRule,
    remount: bool,
    perms: u32,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let mountpoint = path_or_any(mount.mountpoint.as_deref())?;
    let source = path_or_any(mount.source.as_deref())?;
    let fstype = fstype_expr(&mount.fstype)?;
    let has_fstype = !mount.fstype.is_empty();
    let first = out.len();
    let mut emit = |mnt: &Expr, dev: &Expr, fs: &Expr, required: u32, optional: u32| {
        let expr = vec_join(vec![
            Expr::Concat(vec![Expr::Byte(CLASS_MOUNT), mnt.clone()]),
            dev.clone(),
            fs.clone(),
            flags_expr(required, optional),
        ]);
        out.push(rule(q, expr, perms));
    };
    let has_source = mount.source.is_some();
    let remount_ok = !has_source && !has_fstype;
    let bind_ok = !has_fstype;
    let change_ok = !has_fstype && (!has_source || mount.mountpoint.is_none());
    let move_ok = !has_fstype;
    let change_point = path_or_any(mount.mountpoint.as_deref().or(mount.source.as_deref()))?;
    let any = any();
    for (flags, opt) in flag_pairs(&mount.options, remount) {
        // No required flag: every kind of mount the conditions allow,
        // a remount even when `remount` is not among the optional flags
        // (5.0.2: `options in (bind, nosuid) -> /m` allows nosuid and bind
        // together through that remount-shaped rule). Otherwise the first
        // kind whose command flag is required, else a new mount if any
        // other flag is named.
        let kinds = if flags == 0 {
            let mut kinds = Vec::new();
            if remount_ok {
                kinds.push(MountKind::Remount);
            }
            if bind_ok {
                kinds.push(MountKind::Bind);
            }
            if change_ok {
                kinds.push(MountKind::ChangeType);
            }
            if move_ok {
                kinds.push(MountKind::Move);
            }
            kinds.push(MountKind::New);
            kinds
        } else if flags & MS_REMOUNT != 0 && remount_ok {
            vec![MountKind::Remount]
        } else if flags & MS_BIND != 0 && bind_ok {
            vec![MountKind::Bind]
        } else if flags & MS_MAKE_CMDS != 0 && change_ok {
            vec![MountKind::ChangeType]
        } else if flags & MS_MOVE != 0 && move_ok {
            vec![MountKind::Move]
        } else if (flags | opt) & !(MS_CMDS | MS_REC) != 0 {
            // `rprivate` with an fstype is no new mount: MS_REC alone
            // names none (5.0.2: "Encoding of mount rule failed").
            vec![MountKind::New]
        } else {
            Vec::new()
        };
        for kind in kinds {
            let (mnt, dev, fs, mask) = match kind {
                MountKind::Remount => (&mountpoint, &any, &fstype, REMOUNT_FLAGS),
                MountKind::Bind => (&mountpoint, &source, &any, BIND_FLAGS),
                MountKind::ChangeType => (&change_point, &any, &any, MAKE_FLAGS),
                MountKind::Move => (&mountpoint, &source, &any, MOVE_FLAGS),
                MountKind::New => (&mountpoint, &source, &fstype, NEW_FLAGS),
            };
            emit(mnt, dev, fs, flags & mask, opt & mask);
        }
    }
    // A rule no kind of mount can match (`fstype=tmpfs options=bind`: bind
    // mounts take no fstype) is an error in apparmor_parser, not a no-op.
    if out.len() == first {
        return Err(EncodeError::MountNotEncodable);
    }
    Ok(())
}

/// `umount [mountpoint]`: `\x07` + mountpoint.
pub fn encode_umount(
    q: &Qualifiers,
    umount: &UmountRule,
    perms: u32,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let expr = Expr::Concat(vec![
        Expr::Byte(CLASS_MOUNT),
        path_or_any(umount.mountpoint.as_deref())?,
    ]);
    out.push(rule(q, expr, perms));
    Ok(())
}

/// `pivot_root [oldroot=..] [newroot]`: vec(`\x07` new root, old root).
pub fn encode_pivot_root(
    q: &Qualifiers,
    pivot: &PivotRootRule,
    perms: u32,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let expr = vec_join(vec![
        Expr::Concat(vec![
            Expr::Byte(CLASS_MOUNT),
            path_or_any(pivot.new_root.as_deref())?,
        ]),
        path_or_any(pivot.old_root.as_deref())?,
    ]);
    out.push(rule(q, expr, perms));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(record: &PolicyRecord) -> u32 {
        record.rule().expect("rule record expected").perms
    }

    #[test]
    fn fstype_source_mountpoint_is_one_new_mount_rule() {
        // §5.4: `mount fstype=ext4 /dev/sda1 -> /mnt/,` →
        // `\x07/mnt/\x00/dev/sda1\x00(ext4)\x00<flags>`.
        let rule = MountRule {
            fstype: vec![MountOptions {
                is_in: false,
                values: vec!["ext4".into()],
            }],
            source: Some("/dev/sda1".into()),
            mountpoint: Some("/mnt/".into()),
            ..MountRule::default()
        };
        let mut out = Vec::new();
        encode_mount(&Qualifiers::default(), &rule, false, MOUNT_MOUNT, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(perms(&out[0].1), MOUNT_MOUNT);
        let Expr::Concat(parts) = &out[0].0 else {
            panic!("concatenation expected")
        };
        assert_eq!(parts[6], flags_expr(0, NEW_FLAGS));
    }

    #[test]
    fn bare_mount_gives_five_kinds() {
        let mut out = Vec::new();
        encode_mount(
            &Qualifiers::default(),
            &MountRule::default(),
            false,
            MOUNT_MOUNT,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.len(), 5);
    }

    #[test]
    fn required_bind_is_one_bind_rule() {
        let rule = MountRule {
            options: vec![MountOptions {
                is_in: false,
                values: vec!["rbind".into()],
            }],
            source: Some("/a".into()),
            mountpoint: Some("/b".into()),
            ..MountRule::default()
        };
        let mut out = Vec::new();
        encode_mount(&Qualifiers::default(), &rule, false, MOUNT_MOUNT, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        let Expr::Concat(parts) = &out[0].0 else {
            panic!("concatenation expected")
        };
        assert_eq!(parts[6], Expr::Concat(vec![Expr::Byte(13), Expr::Byte(15)]));
    }

    fn options(values: &[&str]) -> Vec<MountOptions> {
        vec![MountOptions {
            is_in: false,
            values: values.iter().map(|v| v.to_string()).collect(),
        }]
    }

    #[test]
    fn a_command_flag_with_an_fstype_matches_no_mount() {
        // Bind mounts take no fstype, and `bind` names no new-mount flag:
        // apparmor_parser fails the rule ("Encoding of mount rule failed").
        let rule = MountRule {
            fstype: options(&["tmpfs"]),
            options: options(&["bind"]),
            mountpoint: Some("/mnt/".into()),
            ..MountRule::default()
        };
        let mut out = Vec::new();
        let result = encode_mount(&Qualifiers::default(), &rule, false, MOUNT_MOUNT, &mut out);
        assert_eq!(result, Err(EncodeError::MountNotEncodable));
    }

    #[test]
    fn a_command_flag_with_other_flags_falls_back_to_a_new_mount() {
        // `fstype=ext4 options=(bind,ro)`: not a bind mount (fstype), so a
        // new mount requiring `ro`; without the fstype, a bind mount
        // (the bind mask drops `ro`).
        let mut rule = MountRule {
            fstype: options(&["ext4"]),
            options: options(&["bind", "ro"]),
            source: Some("/a".into()),
            mountpoint: Some("/mnt/".into()),
        };
        let flags = |rule: &MountRule| {
            let mut out = Vec::new();
            encode_mount(&Qualifiers::default(), rule, false, MOUNT_MOUNT, &mut out).unwrap();
            assert_eq!(out.len(), 1);
            let Expr::Concat(parts) = &out[0].0 else {
                panic!("concatenation expected")
            };
            parts[6].clone()
        };
        assert_eq!(flags(&rule), flags_expr(MS_RDONLY, 0));
        rule.fstype.clear();
        assert_eq!(flags(&rule), flags_expr(MS_BIND, 0));
    }

    #[test]
    fn umount_and_pivot_root() {
        // §5.4: `umount /mnt/,` → `\x07/mnt/` perms 0x4.
        let mut out = Vec::new();
        let umount = UmountRule {
            mountpoint: Some("/mnt/".into()),
            ..UmountRule::default()
        };
        encode_umount(&Qualifiers::default(), &umount, MOUNT_UMOUNT, &mut out).unwrap();
        encode_pivot_root(
            &Qualifiers::default(),
            &PivotRootRule::default(),
            MOUNT_PIVOT_ROOT,
            &mut out,
        )
        .unwrap();
        assert_eq!(perms(&out[0].1), MOUNT_UMOUNT);
        assert_eq!(perms(&out[1].1), MOUNT_PIVOT_ROOT);
    }

    #[test]
    fn no_flags_is_the_fe_marker() {
        assert_eq!(flags_expr(0, 0), Expr::Optional(Box::new(Expr::Byte(0xfe))));
    }
}
