//! Readable forms of the inputs `diff` finds: a path for the file DFA, a
//! request in `query`'s grammar for the policy-DB classes it knows, the
//! escaped bytes otherwise.

use crate::blob::dump::escape;
use crate::encode::request::{
    CLASS_DBUS, CLASS_FILE, CLASS_IO_URING, CLASS_MOUNT, CLASS_NET, CLASS_NETV8, CLASS_NETV9,
    CLASS_NS, CLASS_POSIX_MQUEUE, CLASS_PTRACE, CLASS_SIGNAL, CLASS_SYSV_MQUEUE, family_name,
    signal_name, socket_type_name,
};

/// The name of a policy-DB class byte.
pub fn class_name(class: u8) -> String {
    match class {
        CLASS_FILE => "file (policy-DB)".into(),
        CLASS_NET | CLASS_NETV9 => "unix".into(),
        CLASS_MOUNT => "mount".into(),
        CLASS_PTRACE => "ptrace".into(),
        CLASS_SIGNAL => "signal".into(),
        CLASS_NETV8 => "network".into(),
        16 => "label".into(),
        CLASS_POSIX_MQUEUE | CLASS_SYSV_MQUEUE => "mqueue".into(),
        CLASS_NS => "userns".into(),
        CLASS_IO_URING => "io_uring".into(),
        CLASS_DBUS => "dbus".into(),
        other => format!("class {other}"),
    }
}

fn text(bytes: &[u8]) -> String {
    escape(bytes)
}

/// `input` starts with the class byte.
pub fn describe_policy(input: &[u8]) -> String {
    let Some((&class, rest)) = input.split_first() else {
        return String::new();
    };
    let be16 = |b: &[u8]| u16::from_be_bytes([b[0], b[1]]);
    match class {
        CLASS_NETV8 if rest.len() >= 4 => {
            let (af, ty) = (be16(&rest[0..2]), be16(&rest[2..4]));
            let family = family_name(af).map_or_else(|| af.to_string(), str::to_string);
            let sock = socket_type_name(ty).map_or_else(|| ty.to_string(), str::to_string);
            let tail = if rest.len() > 4 {
                format!(" (then \"{}\")", text(&rest[4..]))
            } else {
                String::new()
            };
            format!("network {family} {sock}{tail}")
        }
        CLASS_SIGNAL if !rest.is_empty() => {
            let signal = signal_name(rest[0]).unwrap_or_else(|| rest[0].to_string());
            format!("signal set={signal} peer={}", text(&rest[1..]))
        }
        CLASS_PTRACE => format!("ptrace peer={}", text(rest)),
        CLASS_NS if rest.is_empty() => "userns create".into(),
        CLASS_DBUS => {
            // bus, then name (bind) or name, label, path, interface, member.
            let keys = ["bus", "name", "peer", "path", "interface", "member"];
            let fields: Vec<String> = rest
                .split(|&b| b == 0)
                .zip(keys)
                .map(|(v, k)| format!("{k}={}", text(v)))
                .collect();
            format!("dbus {}", fields.join(" "))
        }
        _ => format!("{} \"{}\"", class_name(class), text(rest)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_in_query_grammar() {
        assert_eq!(describe_policy(&[14, 0, 10, 0, 2]), "network inet6 dgram");
        assert_eq!(describe_policy(b"\x0a\x09bob"), "signal set=kill peer=bob");
        assert_eq!(describe_policy(b"\x09x"), "ptrace peer=x");
        assert_eq!(describe_policy(&[21]), "userns create");
        assert_eq!(describe_policy(b"\x07/mnt"), "mount \"/mnt\"");
        assert_eq!(describe_policy(&[]), "");
        assert_eq!(
            describe_policy(b"\x20session\0org.a"),
            "dbus bus=session name=org.a"
        );
    }
}
