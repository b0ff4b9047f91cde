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

/// The mount-class permission bits: mount, umount, pivot_root.
pub use super::mount::{
    MOUNT_MOUNT as MOUNT_MAY_MOUNT, MOUNT_PIVOT_ROOT as MOUNT_MAY_PIVOT_ROOT,
    MOUNT_UMOUNT as MOUNT_MAY_UMOUNT,
};

/// The kind of mount(2) call a set of flags makes, in the order the
/// kernel dispatches them (`apparmor_sb_mount`): a remount flag wins, then
/// bind, then a change of propagation type, then move, else a new mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountCall {
    Remount,
    Bind,
    ChangeType,
    Move,
    New,
}

/// MS_SILENT: the one flag besides the propagation flags and MS_REC a
/// change of type keeps.
const MS_SILENT: u32 = 1 << 15;

/// Which kind of mount call `flags` make.
pub fn mount_call(flags: u32) -> MountCall {
    use super::mount::{MS_BIND, MS_MAKE_CMDS, MS_MOVE, MS_REMOUNT};
    if flags & MS_REMOUNT != 0 {
        MountCall::Remount
    } else if flags & MS_BIND != 0 {
        MountCall::Bind
    } else if flags & MS_MAKE_CMDS != 0 {
        MountCall::ChangeType
    } else if flags & MS_MOVE != 0 {
        MountCall::Move
    } else {
        MountCall::New
    }
}

/// The match string of a mount call: `\x07 mountpoint \0 source \0 fstype
/// \0` then one byte `bit+1` per flag, lowest first. The kernel walks only
/// the fields each kind passes (a remount and a change of type no source,
/// only a new mount an fstype) and masks the flags of bind and change-type
/// calls, so the others are dropped here too; the flags walked are
/// returned with the string.
pub fn mount_request(point: &str, source: &str, fstype: &str, flags: u32) -> (Vec<u8>, u32) {
    use super::mount::{MS_BIND, MS_MAKE_CMDS, MS_MOVE, MS_REC};
    let call = mount_call(flags);
    let (source, fstype, flags) = match call {
        MountCall::Remount => ("", "", flags),
        MountCall::Bind => (source, "", flags & (MS_BIND | MS_REC)),
        MountCall::ChangeType => ("", "", flags & (MS_MAKE_CMDS | MS_REC | MS_SILENT)),
        MountCall::Move => (source, "", MS_MOVE),
        MountCall::New => (source, fstype, flags),
    };
    let mut bytes = vec![CLASS_MOUNT];
    for field in [point, source, fstype] {
        bytes.extend(field.as_bytes());
        bytes.push(0);
    }
    bytes.extend(
        (0..32u8)
            .filter(|bit| flags & (1 << bit) != 0)
            .map(|bit| bit + 1),
    );
    (bytes, flags)
}

/// `\x07 mountpoint`: unmounting it.
pub fn umount_request(point: &str) -> Vec<u8> {
    let mut bytes = vec![CLASS_MOUNT];
    bytes.extend(point.as_bytes());
    bytes
}

/// `\x07 new_root \0 old_root`: pivot_root(new_root, old_root).
pub fn pivot_root_request(new_root: &str, old_root: &str) -> Vec<u8> {
    let mut bytes = vec![CLASS_MOUNT];
    bytes.extend(new_root.as_bytes());
    bytes.push(0);
    bytes.extend(old_root.as_bytes());
    bytes
}

/// The flags a mount option word sets and clears (`nosuid`, `rw`,
/// `rbind`, …), from the table mount rules are encoded with.
pub fn mount_option_bits(word: &str) -> Option<(u32, u32)> {
    super::mount::option_bits(word)
}

/// Option words spelling exactly `flags` (`rbind` for bind with MS_REC);
/// `None` when a bit has no word.
pub fn mount_option_words(flags: u32) -> Option<Vec<&'static str>> {
    let mut rest = flags;
    let mut words = Vec::new();
    // Two-bit words (the recursive forms) first, so MS_REC is spelled with
    // the flag it modifies.
    for wide in [true, false] {
        for &(word, set, _) in super::mount::OPTIONS {
            let fits = set != 0 && set & rest == set && (set.count_ones() > 1) == wide;
            if fits {
                words.push(word);
                rest &= !set;
            }
        }
    }
    (rest == 0).then_some(words)
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
        // A bind mount walks no fstype and only its bind flags.
        let (bytes, flags) = mount_request("/m", "/src", "ext4", (1 << 12) | (1 << 1));
        assert_eq!(bytes, b"\x07/m\0/src\0\0\x0d");
        assert_eq!(flags, 1 << 12);
        assert_eq!(mount_call(1 << 5), MountCall::Remount);
        let (bytes, _) = mount_request("/m", "/dev/sda", "ext4", 1 << 1);
        assert_eq!(bytes, b"\x07/m\0/dev/sda\0ext4\0\x02");
        assert_eq!(
            mount_option_words((1 << 12) | (1 << 14) | 2),
            Some(vec!["rbind", "nosuid"])
        );
        assert_eq!(mount_option_bits("ro"), Some((1, 0)));
        assert_eq!(umount_request("/m"), b"\x07/m");
        assert_eq!(pivot_root_request("/n", "/o"), b"\x07/n\0/o");
    }
}
