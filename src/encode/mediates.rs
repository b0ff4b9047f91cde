//! Policy-DB class-presence ("mediates") entries (§5.3).

use super::bits::MAY_READ;
use super::record::{
    MAX_INTERNAL_PRIORITY, MIN_INTERNAL_PRIORITY, PolicyRecord, RuleMode, RulePerms,
};
use super::target::EncodeTarget;
use crate::expr::Expr;

/// Class bytes.
pub const CLASS_FILE: u8 = 2;
pub const CLASS_NET: u8 = 4;
pub const CLASS_MOUNT: u8 = 7;
pub const CLASS_PTRACE: u8 = 9;
pub const CLASS_SIGNAL: u8 = 10;
pub const CLASS_NETV8: u8 = 14;
pub const CLASS_NETV9: u8 = 15;
pub const CLASS_POSIX_MQUEUE: u8 = 17;
pub const CLASS_SYSV_MQUEUE: u8 = 18;
pub const CLASS_NS: u8 = 21;
pub const CLASS_IO_URING: u8 = 22;
pub const CLASS_NETV9_SKB: u8 = 30;
pub const CLASS_DBUS: u8 = 32;

/// A MAY_READ presence entry at the given priority.
pub fn presence(bytes: &[u8], priority: i32) -> (Expr, PolicyRecord) {
    let record = PolicyRecord::Rule(RulePerms {
        mode: RuleMode::Allow,
        priority,
        exact: true,
        perms: MAY_READ,
        audit: 0,
    });
    (Expr::literal(bytes), record)
}

/// The mediates entries of one profile, in the parser's order. Profiles in
/// `unconfined`/`default_allow` mode (`unconfined_mode`) get only userns.
/// The unix entries reproduce the parser's `\000` + `1` quirk (class, NUL,
/// ASCII '1').
pub fn mediates_entries(target: &EncodeTarget, unconfined_mode: bool) -> Vec<(Expr, PolicyRecord)> {
    let classes = &target.mediates;
    let high = MAX_INTERNAL_PRIORITY;
    let low = MIN_INTERNAL_PRIORITY;
    let mut out = Vec::new();
    if classes.userns {
        out.push(presence(&[CLASS_NS], low));
    }
    if unconfined_mode {
        return out;
    }
    let mut add = |on: bool, bytes: &[u8], priority: i32| {
        if on {
            out.push(presence(bytes, priority));
        }
    };
    add(target.kabi > 5, &[CLASS_FILE], high);
    add(classes.mount, &[CLASS_MOUNT], high);
    add(classes.dbus, &[CLASS_DBUS], high);
    add(classes.signal, &[CLASS_SIGNAL], high);
    add(classes.ptrace, &[CLASS_PTRACE], high);
    add(classes.network_v8, &[CLASS_NETV8], high);
    add(classes.network_v9_skb, &[CLASS_NETV9_SKB], high);
    if classes.unix_v9 {
        add(true, &[CLASS_NETV9], high);
        add(true, &[CLASS_NETV9, 0, b'1'], high);
    } else if classes.unix_v7 {
        add(true, &[CLASS_NET], high);
        add(true, &[CLASS_NET, 0, b'1'], high);
    }
    add(classes.posix_mqueue, &[CLASS_POSIX_MQUEUE], high);
    add(classes.sysv_mqueue, &[CLASS_SYSV_MQUEUE], high);
    add(classes.io_uring, &[CLASS_IO_URING], low);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::target::MediatedClasses;

    fn bytes(entries: &[(Expr, PolicyRecord)]) -> Vec<Expr> {
        entries.iter().map(|(expr, _)| expr.clone()).collect()
    }

    #[test]
    fn debian_6_1_set() {
        // 4.1 with debian-6.1 features: \d2 \d7 \d10 \d9 \d14 at 1001.
        let target = EncodeTarget {
            kabi: 7,
            mediates: MediatedClasses {
                mount: true,
                signal: true,
                ptrace: true,
                network_v8: true,
                ..MediatedClasses::default()
            },
            ..EncodeTarget::default()
        };
        let entries = mediates_entries(&target, false);
        assert_eq!(
            bytes(&entries),
            [2u8, 7, 10, 9, 14].map(Expr::Byte).to_vec()
        );
        for (_, record) in &entries {
            let PolicyRecord::Rule(rule) = record else {
                panic!("rule record expected");
            };
            assert_eq!((rule.priority, rule.perms), (1001, MAY_READ));
        }
    }

    #[test]
    fn unconfined_profiles_only_get_userns() {
        let target = EncodeTarget {
            kabi: 7,
            mediates: MediatedClasses {
                userns: true,
                io_uring: true,
                mount: true,
                unix_v7: true,
                ..MediatedClasses::default()
            },
            ..EncodeTarget::default()
        };
        assert_eq!(bytes(&mediates_entries(&target, true)), [Expr::Byte(21)]);
        let all = mediates_entries(&target, false);
        assert_eq!(
            bytes(&all),
            [
                Expr::Byte(21),
                Expr::Byte(2),
                Expr::Byte(7),
                Expr::Byte(4),
                Expr::literal(&[4, 0, b'1']),
                Expr::Byte(22)
            ]
        );
        let PolicyRecord::Rule(io_uring) = all[5].1 else {
            panic!("rule record expected");
        };
        assert_eq!(io_uring.priority, -1001);
    }
}
