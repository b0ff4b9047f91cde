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

/// Capabilities split out of `sys_admin` by later kernels, each with the
/// capability that covered it before. On a kernel whose `caps/mask` does
/// not list one, apparmor_parser 5.0.2 grants (or denies, audits) the
/// older capability in its place; a bare `capability,` is not affected.
pub const CAPABILITY_BACKMAP: [(&str, &str); 3] = [
    ("perfmon", "sys_admin"),
    ("bpf", "sys_admin"),
    ("checkpoint_restore", "sys_admin"),
];

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

/// D-Bus access bits, as the kernel and dbus-daemon read them.
pub const DBUS_SEND: u32 = 0x2;
pub const DBUS_RECEIVE: u32 = 0x4;
pub const DBUS_EAVESDROP: u32 = 0x20;
pub const DBUS_BIND: u32 = 0x40;
/// Every D-Bus access: what a rule with neither an access list nor a
/// message or service condition grants.
pub const DBUS_ALL: u32 = DBUS_SEND | DBUS_RECEIVE | DBUS_EAVESDROP | DBUS_BIND;

/// The D-Bus access words and the bits each grants. `read`/`write` are
/// synonyms of `receive`/`send`.
pub const DBUS_ACCESS_WORDS: &[(&str, u32)] = &[
    ("send", DBUS_SEND),
    ("write", DBUS_SEND),
    ("receive", DBUS_RECEIVE),
    ("read", DBUS_RECEIVE),
    ("bind", DBUS_BIND),
    ("eavesdrop", DBUS_EAVESDROP),
];

/// The mode strings a dbus rule may give bare (outside parentheses):
/// apparmor_parser's lexer knows only these four besides the words.
pub const DBUS_BARE_MODES: &[&str] = &["r", "w", "rw", "wr"];

/// The bits of one dbus access: a word of [`DBUS_ACCESS_WORDS`], or else a
/// mode string of `r` (receive) and `w` (send) letters in any number and
/// either case (`rww`, `Rw`, and the empty string, which grants nothing);
/// `Err` carries the first other character.
pub fn dbus_access_bits(text: &str) -> Result<u32, char> {
    if let Some((_, bits)) = DBUS_ACCESS_WORDS.iter().find(|(w, _)| *w == text) {
        return Ok(*bits);
    }
    text.chars().try_fold(0, |bits, c| match c {
        'r' | 'R' => Ok(bits | DBUS_RECEIVE),
        'w' | 'W' => Ok(bits | DBUS_SEND),
        other => Err(other),
    })
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
    fn dbus_access_words_and_mode_letters() {
        assert_eq!(dbus_access_bits("write"), Ok(DBUS_SEND));
        assert_eq!(dbus_access_bits("eavesdrop"), Ok(DBUS_EAVESDROP));
        assert_eq!(dbus_access_bits("wr"), Ok(DBUS_SEND | DBUS_RECEIVE));
        assert_eq!(dbus_access_bits("rwR"), Ok(DBUS_SEND | DBUS_RECEIVE));
        assert_eq!(dbus_access_bits(""), Ok(0));
        // Words are case-sensitive: `READ` is read as letters.
        assert_eq!(dbus_access_bits("READ"), Err('E'));
        assert_eq!(dbus_access_bits("bogus"), Err('b'));
    }
}
