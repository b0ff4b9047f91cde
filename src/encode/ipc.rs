//! `userns`, `io_uring` and `mqueue` rules (§5.4): classes 21, 22, 17
//! and 18. userns and io_uring rules each also add a MAY_READ presence
//! entry on the bare class byte at the rule's priority.

use super::bits::MAY_READ;
use super::error::EncodeError;
use super::mediates::{CLASS_IO_URING, CLASS_NS, CLASS_POSIX_MQUEUE, CLASS_SYSV_MQUEUE};
use super::pdb::{any, any_plus, glob_or, path, rule, vec_join};
use super::record::{PolicyRecord, RulePerms};
use crate::expr::Expr;
use crate::model::{IoUringRule, MqueueRule, Qualifiers, UsernsRule, access};

use crate::model::access::{IO_URING_OVERRIDE_CREDS, MQUEUE_CREATE, MQUEUE_READ, MQUEUE_WRITE};

/// Moves setattr/getattr out of the packed word's exec-mapping bits.
pub fn map_mqueue_perms(m: u32) -> u32 {
    (m & 0x7F) | ((m & 0x300) << 6)
}

/// The MAY_READ presence entry a userns/io_uring rule adds.
fn presence_at(class: u8, priority: i32) -> (Expr, PolicyRecord) {
    let mut perms = RulePerms::allow(MAY_READ);
    perms.priority = priority;
    perms.exact = true;
    (Expr::Byte(class), PolicyRecord::Rule(perms))
}

pub fn encode_userns(
    q: &Qualifiers,
    userns: &UsernsRule,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = access::USERNS.grant(&userns.access);
    out.push(rule(q, Expr::Byte(CLASS_NS), perms));
    out.push(presence_at(CLASS_NS, q.priority));
    Ok(())
}

/// `merged`: the permissions after merging with equal rules
/// (`encode::mount_merge`), when known.
pub fn encode_io_uring(
    q: &Qualifiers,
    io_uring: &IoUringRule,
    merged: Option<u32>,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = merged.unwrap_or_else(|| access::IO_URING.grant(&io_uring.access));
    out.push(rule(q, Expr::Byte(CLASS_IO_URING), perms));
    out.push(presence_at(CLASS_IO_URING, q.priority));
    if perms & IO_URING_OVERRIDE_CREDS != 0 {
        let expr = Expr::Concat(vec![
            Expr::Byte(CLASS_IO_URING),
            glob_or(io_uring.label.as_deref(), any)?,
        ]);
        out.push(rule(q, expr, perms));
    }
    Ok(())
}

/// Which mqueue classes the target mediates.
#[derive(Debug, Clone, Copy)]
pub struct MqueueTarget {
    pub posix: bool,
    pub sysv: bool,
}

pub fn encode_mqueue(
    q: &Qualifiers,
    mqueue: &MqueueRule,
    target: MqueueTarget,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = map_mqueue_perms(access::MQUEUE.grant(&mqueue.access));
    // An untyped rule's name decides its type: a path is a POSIX queue,
    // a number a SysV key.
    let name = mqueue.name.as_deref();
    let implied = match name {
        Some(n) if n.starts_with('/') => Some("posix"),
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => Some("sysv"),
        _ => None,
    };
    let (posix, sysv) = match mqueue.mq_type.as_deref().or(implied) {
        Some("posix") => (target.posix, false),
        Some("sysv") => (false, target.sysv),
        _ => (true, true),
    };
    let label = glob_or(mqueue.label.as_deref(), any_plus)?;
    // With a label, the name alone still allows what open(2) checks
    // before the label is known: create, read and write.
    let name_only = if mqueue.label.is_none() {
        perms
    } else {
        perms & (MQUEUE_CREATE | MQUEUE_READ | MQUEUE_WRITE)
    };
    let mut emit = |head: Expr| {
        if name_only != 0 {
            out.push(rule(q, head.clone(), name_only));
        }
        out.push(rule(q, vec_join(vec![head, label.clone()]), perms));
    };
    if posix {
        let name = match mqueue.name.as_deref() {
            Some(name) => path(name)?,
            None => any(),
        };
        emit(Expr::Concat(vec![Expr::Byte(CLASS_POSIX_MQUEUE), name]));
    }
    if sysv {
        let key = match mqueue.name.as_deref().map(str::parse::<u32>) {
            Some(Ok(key)) => Expr::literal(&key.to_be_bytes()),
            _ => Expr::Concat(vec![Expr::Any; 4]),
        };
        emit(Expr::Concat(vec![Expr::Byte(CLASS_SYSV_MQUEUE), key]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(record: &PolicyRecord) -> u32 {
        record.rule().expect("rule record expected").perms
    }

    #[test]
    fn userns_adds_presence_at_rule_priority() {
        let q = Qualifiers {
            priority: 3,
            ..Qualifiers::default()
        };
        let mut out = Vec::new();
        encode_userns(&q, &UsernsRule::default(), &mut out).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(perms(&out[0].1), access::USERNS_CREATE);
        let PolicyRecord::Rule(presence) = out[1].1 else {
            panic!("rule record expected")
        };
        assert_eq!((presence.perms, presence.priority), (MAY_READ, 3));
    }

    #[test]
    fn mqueue_remap_and_rules() {
        assert_eq!(map_mqueue_perms(access::MQUEUE.all), 0xc076);
        let mut out = Vec::new();
        let target = MqueueTarget {
            posix: true,
            sysv: true,
        };
        encode_mqueue(
            &Qualifiers::default(),
            &MqueueRule::default(),
            target,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn io_uring_override_creds_gets_label_rule() {
        let mut out = Vec::new();
        encode_io_uring(
            &Qualifiers::default(),
            &IoUringRule::default(),
            None,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.len(), 3);
        assert_eq!(perms(&out[2].1), 0x18);
    }
}
