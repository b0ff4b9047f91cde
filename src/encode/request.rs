//! Concrete requests as the match strings the kernel walks: the inverse
//! view of the class encoders, for `aaprof query` and for naming the
//! inputs `aaprof diff` finds. Each function uses the encoders' own
//! vocabulary tables, so a request is spelled exactly as rules are.

use super::error::EncodeError;
use super::network::{FAMILIES, NET_ACCESS, TYPES, family_number, socket_type};
use super::{dbus, signal};

/// The policy-DB class bytes (§5.1).
pub use super::mediates::{
    CLASS_DBUS, CLASS_FILE, CLASS_IO_URING, CLASS_MOUNT, CLASS_NET, CLASS_NETV8, CLASS_NETV9,
    CLASS_NETV9_SKB, CLASS_NS, CLASS_POSIX_MQUEUE, CLASS_PTRACE, CLASS_SIGNAL, CLASS_SYSV_MQUEUE,
};

/// Policy-DB permission bits of one access word of a class, `None` for a
/// word the class does not know.
fn access(table: &[(&str, u32)], word: &str) -> Option<u32> {
    table
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, b)| *b)
}

/// `\x0e af type`: the string a socket of that family and type is
/// checked at (network_v8). Unknown names are errors.
pub fn network_request(family: &str, sock_type: &str) -> Result<Vec<u8>, EncodeError> {
    let mut bytes = vec![CLASS_NETV8];
    bytes.extend(family_number(family)?.to_be_bytes());
    bytes.extend(socket_type(sock_type)?.to_be_bytes());
    Ok(bytes)
}

/// The permission bits of a network access word (`send`, `create`, …),
/// as the kernel's permission tables hold them.
pub fn network_access(word: &str) -> Option<u32> {
    access(NET_ACCESS, word)
}

/// `\x0a signal peer`: a signal sent to (or received from) `peer`.
pub fn signal_request(name: &str, peer: &str) -> Result<Vec<u8>, EncodeError> {
    let number = signal::signal_number(name).ok_or_else(|| EncodeError::UnknownSignal {
        name: name.to_owned(),
    })?;
    let mut bytes = vec![CLASS_SIGNAL, number];
    bytes.extend(peer.as_bytes());
    Ok(bytes)
}

/// The permission bits of a signal access word (`send`, `receive`, …).
pub fn signal_access(word: &str) -> Option<u32> {
    access(crate::model::access::SIGNAL.words, word)
}

/// `\x09 peer`: ptrace of (or by) `peer`.
pub fn ptrace_request(peer: &str) -> Vec<u8> {
    let mut bytes = vec![CLASS_PTRACE];
    bytes.extend(peer.as_bytes());
    bytes
}

/// The permission bits of a ptrace access word (`trace`, `read`, …).
pub fn ptrace_access(word: &str) -> Option<u32> {
    access(crate::model::access::PTRACE.words, word)
}

/// `\x15` and the create bit: creating a user namespace.
pub fn userns_request() -> (Vec<u8>, u32) {
    (vec![CLASS_NS], crate::model::access::USERNS_CREATE)
}

/// The fields of a D-Bus request (empty = the empty string).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbusFields<'a> {
    pub bus: &'a str,
    /// The peer's (send/receive) or own (bind) well-known name.
    pub name: &'a str,
    pub label: &'a str,
    pub path: &'a str,
    pub interface: &'a str,
    pub member: &'a str,
}

/// The class-32 string for one D-Bus access kind: `bind` on (bus, name),
/// `send`/`receive` on (bus, name, label, path, interface, member),
/// `eavesdrop` on the bus alone; `None` for another access word.
pub fn dbus_request(access: &str, f: &DbusFields<'_>) -> Option<(Vec<u8>, u32)> {
    let bits = crate::model::access::dbus_access_bits(access).ok()?;
    let parts: Vec<&str> = match bits {
        dbus::DBUS_BIND => vec![f.bus, f.name],
        dbus::DBUS_EAVESDROP => vec![f.bus],
        dbus::DBUS_SEND | dbus::DBUS_RECEIVE => {
            vec![f.bus, f.name, f.label, f.path, f.interface, f.member]
        }
        _ => return None,
    };
    let mut bytes = vec![CLASS_DBUS];
    bytes.extend(parts.join("\0").as_bytes());
    Some((bytes, bits))
}

/// The first name of an address family number.
pub fn family_name(number: u16) -> Option<&'static str> {
    FAMILIES.iter().find(|(_, n)| *n == number).map(|(s, _)| *s)
}

/// The name of a socket type number.
pub fn socket_type_name(number: u16) -> Option<&'static str> {
    TYPES.iter().find(|(_, n)| *n == number).map(|(s, _)| *s)
}

/// The first name of a signal's match byte (`rtmin+N` for real-time ones).
pub fn signal_name(number: u8) -> Option<String> {
    crate::model::signal_name(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_use_the_encoders_numbers() {
        assert_eq!(
            network_request("inet", "stream").unwrap(),
            [0x0e, 0, 2, 0, 1]
        );
        assert!(network_request("inet", "bogus").is_err());
        assert_eq!(signal_request("term", "foo").unwrap(), b"\x0a\x0ffoo");
        assert_eq!(signal_name(15).as_deref(), Some("term"));
        assert_eq!(signal_name(130).as_deref(), Some("rtmin+2"));
        assert_eq!(family_name(10), Some("inet6"));
        assert_eq!(socket_type_name(2), Some("dgram"));
        assert_eq!(network_access("bind"), Some(0x20_0000));
        assert_eq!(signal_access("receive"), Some(0x4));
        assert_eq!(ptrace_access("trace"), Some(0x2));
        let fields = DbusFields {
            bus: "system",
            name: "e.f",
            label: "g",
            path: "/a",
            interface: "b.c",
            member: "d",
        };
        // §5.4's example string.
        assert_eq!(
            dbus_request("send", &fields),
            Some((b"\x20system\0e.f\0g\0/a\0b.c\0d".to_vec(), 0x2))
        );
        assert_eq!(dbus_request("bind", &fields).unwrap().0, b"\x20system\0e.f");
        assert_eq!(dbus_request("rw", &fields), None);
    }
}
