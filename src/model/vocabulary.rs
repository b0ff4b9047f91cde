//! Fixed vocabulary of the language shared by the front end (which
//! validates names) and the back end (which numbers them).

/// Linux capability names, indexed by capability number.
pub const CAPABILITY_NAMES: [&str; 41] = [
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
];

/// Capabilities Linux split out of `sys_admin` (5.8: perfmon, bpf; 5.9:
/// checkpoint_restore). A kernel whose `caps/mask` does not list one still
/// checks `sys_admin` for it, so apparmor_parser 5.0.2 grants or denies
/// `sys_admin` instead (found by experiment: `capability bpf,` compiles
/// to bit 21 for `upstream-all`, whose mask stops at `audit_read`).
pub const SPLIT_FROM_SYS_ADMIN: [&str; 3] = ["perfmon", "bpf", "checkpoint_restore"];

/// Network protocol names and the (family, type) sockets each stands for,
/// in apparmor_parser's order. `icmpv6` is a word the language knows but
/// maps to no socket, so every rule naming it is an invalid entry.
const NETWORK_PROTOCOL_SOCKETS: &[(&str, &[(&str, &str)])] = &[
    ("tcp", &[("inet6", "stream"), ("inet", "stream")]),
    ("udp", &[("inet6", "dgram"), ("inet", "dgram")]),
    ("icmp", &[("inet", "raw")]),
    ("icmpv6", &[]),
];

/// Whether `word` is a network protocol name.
pub fn is_network_protocol(word: &str) -> bool {
    NETWORK_PROTOCOL_SOCKETS.iter().any(|(p, _)| *p == word)
}

/// The (family, type) sockets `protocol` stands for, narrowed to `family`
/// when a rule names one; empty for a combination that names no socket
/// (`network packet tcp`), which apparmor_parser rejects.
pub fn protocol_sockets(protocol: &str, family: Option<&str>) -> Vec<(&'static str, &'static str)> {
    NETWORK_PROTOCOL_SOCKETS
        .iter()
        .filter(|(p, _)| *p == protocol)
        .flat_map(|(_, sockets)| sockets.iter().copied())
        .filter(|(af, _)| family.is_none_or(|f| f == *af))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_name_inet_sockets_only() {
        assert_eq!(
            protocol_sockets("tcp", None),
            [("inet6", "stream"), ("inet", "stream")]
        );
        assert_eq!(protocol_sockets("udp", Some("inet")), [("inet", "dgram")]);
        assert!(protocol_sockets("tcp", Some("packet")).is_empty());
        assert!(protocol_sockets("icmp", Some("inet6")).is_empty());
        assert!(protocol_sockets("icmpv6", None).is_empty());
        assert!(is_network_protocol("icmpv6") && !is_network_protocol("stream"));
    }
}
