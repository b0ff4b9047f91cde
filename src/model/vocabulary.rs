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

/// A (family, type) socket by name.
type Socket = (&'static str, &'static str);

/// Network protocol names, the protocol value a rule naming one matches
/// (`None` = any), and the (family, type) sockets each stands for, in
/// apparmor_parser's order. `icmp` matches protocol value 2: the parser's
/// table holds `1 << IPPROTO_ICMP`, not the protocol number, and 5.0.2
/// encodes that value in the fine-grained inet rules. `icmpv6` is a word
/// the language knows but maps to no socket, so every rule naming it is an
/// invalid entry.
const NETWORK_PROTOCOLS: &[(&str, Option<u16>, &[Socket])] = &[
    ("tcp", None, &[("inet6", "stream"), ("inet", "stream")]),
    ("udp", None, &[("inet6", "dgram"), ("inet", "dgram")]),
    ("icmp", Some(2), &[("inet", "raw")]),
    ("icmpv6", None, &[]),
];

/// The protocol value a rule naming `protocol` matches; `None` = any.
pub fn protocol_match_value(protocol: &str) -> Option<u16> {
    NETWORK_PROTOCOLS
        .iter()
        .find(|(p, _, _)| *p == protocol)
        .and_then(|(_, value, _)| *value)
}

/// Whether `word` is a network protocol name.
pub fn is_network_protocol(word: &str) -> bool {
    NETWORK_PROTOCOLS.iter().any(|(p, _, _)| *p == word)
}

/// The (family, type) sockets `protocol` stands for, narrowed to `family`
/// when a rule names one; empty for a combination that names no socket
/// (`network packet tcp`), which apparmor_parser rejects.
pub fn protocol_sockets(protocol: &str, family: Option<&str>) -> Vec<(&'static str, &'static str)> {
    NETWORK_PROTOCOLS
        .iter()
        .filter(|(p, _, _)| *p == protocol)
        .flat_map(|(_, _, sockets)| sockets.iter().copied())
        .filter(|(af, _)| family.is_none_or(|f| f == *af))
        .collect()
}

/// Signal names of `signal set=` and `kill.signal=` and the numbers the
/// parser matches them as (Linux x86 numbering; `tstp` and `poll` are
/// aliases, `exists` is the kernel's probe pseudo-signal). `lost`, `iot`
/// and `cld` are not signal names for 5.0.2.
const SIGNALS: &[(&str, u8)] = &[
    ("hup", 1),
    ("int", 2),
    ("quit", 3),
    ("ill", 4),
    ("trap", 5),
    ("abrt", 6),
    ("bus", 7),
    ("fpe", 8),
    ("kill", 9),
    ("usr1", 10),
    ("segv", 11),
    ("usr2", 12),
    ("pipe", 13),
    ("alrm", 14),
    ("term", 15),
    ("stkflt", 16),
    ("chld", 17),
    ("cont", 18),
    ("stop", 19),
    ("stp", 20),
    ("tstp", 20),
    ("ttin", 21),
    ("ttou", 22),
    ("urg", 23),
    ("xcpu", 24),
    ("xfsz", 25),
    ("vtalrm", 26),
    ("prof", 27),
    ("winch", 28),
    ("io", 29),
    ("poll", 29),
    ("pwr", 30),
    ("sys", 31),
    ("emt", 32),
    ("exists", 35),
];

/// Real-time signals `rtmin+N` (N in 0..=32) are matched as 128 + N.
const RTMIN_BASE: u8 = 128;
const RTMIN_MAX_OFFSET: i64 = 32;

/// Every signal name the language knows (without the `rtmin+N` forms).
pub fn signal_names() -> impl Iterator<Item = &'static str> {
    SIGNALS.iter().map(|(name, _)| *name)
}

/// The match number of a signal name, `None` if the language does not
/// know it. The offset of `rtmin+N` is read the way C's `atoi` reads it
/// (leading blanks, a sign, the digits up to the first other character:
/// `rtmin+` is `rtmin+0`, `rtmin+1a` is `rtmin+1`), as 5.0.2 does.
pub fn signal_number(name: &str) -> Option<u8> {
    if let Some(offset) = name.strip_prefix("rtmin+") {
        let offset = c_atol(offset);
        return (0..=RTMIN_MAX_OFFSET)
            .contains(&offset)
            .then(|| RTMIN_BASE + offset as u8);
    }
    SIGNALS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, number)| *number)
}

/// The first name of a signal's match number (`rtmin+N` for real-time
/// ones): the inverse of [`signal_number`].
pub fn signal_name(number: u8) -> Option<String> {
    if let Some((name, _)) = SIGNALS.iter().find(|(_, n)| *n == number) {
        return Some(name.to_string());
    }
    (RTMIN_BASE..=RTMIN_BASE + RTMIN_MAX_OFFSET as u8)
        .contains(&number)
        .then(|| format!("rtmin+{}", number - RTMIN_BASE))
}

/// C `atol`: optional leading blanks and sign, then decimal digits up to
/// the first other character; saturates instead of overflowing.
fn c_atol(text: &str) -> i64 {
    let text = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let value = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |acc, d| {
            acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if negative { -value } else { value }
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
        assert_eq!(protocol_match_value("icmp"), Some(2));
        assert_eq!(protocol_match_value("tcp"), None);
    }

    #[test]
    fn signal_names_and_realtime_offsets() {
        assert_eq!(signal_number("tstp"), signal_number("stp"));
        assert_eq!(signal_number("poll"), Some(29));
        assert_eq!(signal_number("exists"), Some(35));
        assert_eq!(signal_number("lost"), None);
        assert_eq!(signal_number("HUP"), None);
        assert_eq!(signal_number("rtmin+"), Some(128));
        assert_eq!(signal_number("rtmin+1a"), Some(129));
        assert_eq!(signal_number("rtmin+ 1"), Some(129));
        assert_eq!(signal_number("rtmin++1"), Some(129));
        assert_eq!(signal_number("rtmin+00032"), Some(160));
        assert_eq!(signal_number("rtmin+33"), None);
        assert_eq!(signal_number("rtmin+-1"), None);
        assert_eq!(signal_number("rtmin+4294967297"), None);
    }
}
