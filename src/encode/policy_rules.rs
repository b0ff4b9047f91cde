//! Dispatch of a profile's rules to the policy-DB class encoders, in the
//! profile's rule order, keeping only the classes the target mediates.

use super::dbus::encode_dbus;
use super::error::EncodeError;
use super::mediates::{CLASS_NET, CLASS_NETV8};
use super::unix::encode_unix;
use super::ipc::{MqueueTarget, encode_io_uring, encode_mqueue, encode_userns};
use super::mount::{encode_mount, encode_pivot_root, encode_umount};
use super::network::{encode_network, encode_unix_as_network, unix_types};
use super::ptrace::encode_ptrace;
use super::record::PolicyRecord;
use super::signal::encode_signal;
use super::target::EncodeTarget;
use crate::expr::Expr;
use crate::model::{Profile, RuleKind, UnixRule};

/// The class rules of one profile (without the mediates entries, which
/// the caller appends after them as the parser does).
pub fn encode_policy_rules(
    profile: &Profile,
    target: &EncodeTarget,
) -> Result<Vec<(Expr, PolicyRecord)>, EncodeError> {
    let classes = &target.mediates;
    let mut out = Vec::new();
    for rule in &profile.rules {
        let q = &rule.qualifiers;
        match &rule.kind {
            RuleKind::Ptrace(ptrace) if classes.ptrace => encode_ptrace(q, ptrace, &mut out)?,
            RuleKind::Signal(signal) if classes.signal => encode_signal(q, signal, &mut out)?,
            RuleKind::Dbus(dbus) if classes.dbus => encode_dbus(q, dbus, &mut out)?,
            RuleKind::Mount(mount) if classes.mount => encode_mount(q, mount, false, &mut out)?,
            RuleKind::Remount(mount) if classes.mount => encode_mount(q, mount, true, &mut out)?,
            RuleKind::Umount(umount) if classes.mount => encode_umount(q, umount, &mut out)?,
            RuleKind::PivotRoot(pivot) if classes.mount => encode_pivot_root(q, pivot, &mut out)?,
            RuleKind::Userns(userns) if classes.userns => encode_userns(q, userns, &mut out)?,
            RuleKind::IoUring(io_uring) if classes.io_uring => {
                encode_io_uring(q, io_uring, &mut out)?
            }
            RuleKind::Mqueue(mqueue) if classes.posix_mqueue || classes.sysv_mqueue => {
                let target = MqueueTarget {
                    posix: classes.posix_mqueue,
                    sysv: classes.sysv_mqueue,
                };
                encode_mqueue(q, mqueue, target, &mut out)?
            }
            RuleKind::Network(network) => {
                if classes.unix_v7 {
                    let class = if classes.network_v8 {
                        CLASS_NETV8
                    } else {
                        CLASS_NET
                    };
                    for sock_type in unix_types(network) {
                        let unix = UnixRule {
                            sock_type: sock_type.map(str::to_owned),
                            ..UnixRule::default()
                        };
                        encode_unix(q, &unix, class, &mut out)?;
                    }
                }
                if classes.network_v8 {
                    encode_network(q, network, &mut out)?;
                }
            }
            RuleKind::Unix(unix) if classes.unix_v7 => {
                // With network_v8 too the parser keeps unix rules in the
                // v8 class and adds the plain network rule (§5.4).
                if classes.network_v8 {
                    encode_unix(q, unix, CLASS_NETV8, &mut out)?;
                    encode_unix_as_network(q, unix, &mut out)?;
                } else {
                    encode_unix(q, unix, CLASS_NET, &mut out)?;
                }
            }
            RuleKind::Unix(unix) if !classes.unix_v7 && classes.network_v8 => {
                encode_unix_as_network(q, unix, &mut out)?
            }
            _ => {}
        }
    }
    Ok(out)
}
