//! The request grammar of `aaprof query`: one access, as words
//! (`file /etc/shadow w`, `capability sys_admin`, `network inet stream`,
//! `signal send set=term peer=foo`, `ptrace read peer=foo`,
//! `userns create`, `exec /usr/bin/tool`, `mount /mnt/ fstype=ext4`), and
//! the match string the kernel would walk for it.

use super::access::{DfaKind, file_bits};
use crate::encode::capability_number;
use crate::encode::request::{
    self as enc, CLASS_DBUS, CLASS_MOUNT, CLASS_NETV8, CLASS_NS, CLASS_PTRACE, CLASS_SIGNAL,
};
use serde::Serialize;
use thiserror::Error;

/// Why a request cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestError {
    #[error("empty request: give a class and its arguments, e.g. `file /etc/shadow w`")]
    Empty,
    #[error(
        "unknown request class `{0}` (known: file, exec, capability, network, signal, ptrace, userns, dbus, mount, umount, pivot_root)"
    )]
    UnknownClass(String),
    #[error("`{class}` request: {message}")]
    Malformed {
        class: &'static str,
        message: String,
    },
}

/// Signal and peer a signal request uses when none is given.
pub const DEFAULT_SIGNAL: &str = "term";
pub const DEFAULT_PEER: &str = "unconfined";

/// One access to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "class", rename_all = "lowercase")]
pub enum Request {
    /// Opening `path` with the permission `letters` (kernel `bits`);
    /// `owner`: the task owns the file.
    File {
        path: String,
        letters: String,
        bits: u32,
        owner: bool,
    },
    /// Executing `path` (file permission `x`): the answer names the
    /// transition.
    Exec {
        path: String,
        owner: bool,
    },
    Capability {
        name: String,
        number: u32,
    },
    /// A socket's family and type, with the network access bits.
    Network {
        family: String,
        sock_type: String,
        access: Vec<String>,
        bits: u32,
    },
    Signal {
        access: Vec<String>,
        bits: u32,
        signal: String,
        peer: String,
    },
    Ptrace {
        access: Vec<String>,
        bits: u32,
        peer: String,
    },
    Userns,
    /// One D-Bus access (`send`, `receive`, `bind` or `eavesdrop`); a
    /// field not given is the empty string, which only rules leaving it
    /// open match.
    Dbus {
        access: String,
        bits: u32,
        bus: String,
        name: String,
        peer: String,
        path: String,
        interface: String,
        member: String,
    },
    /// A mount(2) call: which kind follows from `flags` (as the kernel
    /// dispatches it); an empty `source`/`fstype` is none.
    Mount {
        point: String,
        source: String,
        fstype: String,
        flags: u32,
    },
    Umount {
        point: String,
    },
    /// pivot_root(new_root, old_root).
    PivotRoot {
        new_root: String,
        old_root: String,
    },
}

/// Where in which DFA a request is decided: its match string and the
/// kernel permission bits it needs there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: DfaKind,
    pub bytes: Vec<u8>,
    pub wanted: u32,
    /// Decide with the owner entry of a file state (else the other one).
    pub owner: bool,
    /// The policy-DB class byte (`None` for the file DFA).
    pub class: Option<u8>,
}

pub(super) fn malformed(class: &'static str, message: impl Into<String>) -> RequestError {
    RequestError::Malformed {
        class,
        message: message.into(),
    }
}

/// Plain words and `key=value` pairs of a request.
type Words<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);

/// Splits `key=value` words from plain ones.
pub(super) fn split_words<'a>(
    class: &'static str,
    words: &'a [String],
    keys: &[&str],
) -> Result<Words<'a>, RequestError> {
    let mut plain = Vec::new();
    let mut keyed = Vec::new();
    for word in words {
        match word.split_once('=') {
            Some((key, value)) if keys.contains(&key) => keyed.push((key, value)),
            Some((key, _)) => return Err(malformed(class, format!("unknown condition `{key}=`"))),
            None => plain.push(word.as_str()),
        }
    }
    Ok((plain, keyed))
}

pub(super) fn value<'a>(keyed: &[(&str, &'a str)], key: &str, default: &'a str) -> &'a str {
    keyed
        .iter()
        .rev()
        .find(|(k, _)| *k == key)
        .map_or(default, |(_, v)| v)
}

/// Access words to bits through `lookup`; `default` when none is given.
fn access_words(
    class: &'static str,
    words: &[&str],
    default: &str,
    lookup: impl Fn(&str) -> Option<u32>,
) -> Result<(Vec<String>, u32), RequestError> {
    let words: Vec<String> = if words.is_empty() {
        vec![default.to_string()]
    } else {
        words.iter().map(|w| w.to_string()).collect()
    };
    let mut bits = 0;
    for word in &words {
        bits |= lookup(word).ok_or_else(|| malformed(class, format!("unknown access `{word}`")))?;
    }
    Ok((words, bits))
}

impl Request {
    /// Parses a request from its words.
    pub fn parse(words: &[String]) -> Result<Request, RequestError> {
        let (class, rest) = words.split_first().ok_or(RequestError::Empty)?;
        match class.as_str() {
            "file" => Self::file(rest),
            "exec" => {
                let owner = rest.iter().any(|w| w == "owner");
                let words: Vec<&String> = rest.iter().filter(|w| *w != "owner").collect();
                match words.as_slice() {
                    [path] if path.starts_with('/') => Ok(Request::Exec {
                        path: path.to_string(),
                        owner,
                    }),
                    [path] => Err(malformed(
                        "exec",
                        format!("`{path}` is not an absolute path"),
                    )),
                    _ => Err(malformed(
                        "exec",
                        "give one program: `exec /usr/bin/tool [owner]`",
                    )),
                }
            }
            "mount" => super::mount::parse_mount(rest),
            "umount" => super::mount::parse_umount(rest),
            "pivot_root" => super::mount::parse_pivot_root(rest),
            "capability" => match rest {
                [name] => {
                    let number = capability_number(name).ok_or_else(|| {
                        malformed("capability", format!("unknown capability `{name}`"))
                    })?;
                    Ok(Request::Capability {
                        name: name.clone(),
                        number,
                    })
                }
                _ => Err(malformed("capability", "give one capability name")),
            },
            "network" => {
                let [family, sock_type, access @ ..] = rest else {
                    return Err(malformed(
                        "network",
                        "give a family and a type: `network inet stream [ACCESS...]`",
                    ));
                };
                enc::network_request(family, sock_type)
                    .map_err(|e| malformed("network", e.to_string()))?;
                let access: Vec<&str> = access.iter().map(String::as_str).collect();
                let (access, bits) =
                    access_words("network", &access, "create", enc::network_access)?;
                Ok(Request::Network {
                    family: family.clone(),
                    sock_type: sock_type.clone(),
                    access,
                    bits,
                })
            }
            "signal" => {
                let (plain, keyed) = split_words("signal", rest, &["set", "peer"])?;
                let (access, bits) = access_words("signal", &plain, "send", enc::signal_access)?;
                let signal = value(&keyed, "set", DEFAULT_SIGNAL).to_string();
                enc::signal_request(&signal, "").map_err(|e| malformed("signal", e.to_string()))?;
                Ok(Request::Signal {
                    access,
                    bits,
                    signal,
                    peer: value(&keyed, "peer", DEFAULT_PEER).to_string(),
                })
            }
            "ptrace" => {
                let (plain, keyed) = split_words("ptrace", rest, &["peer"])?;
                let (access, bits) = access_words("ptrace", &plain, "trace", enc::ptrace_access)?;
                Ok(Request::Ptrace {
                    access,
                    bits,
                    peer: value(&keyed, "peer", DEFAULT_PEER).to_string(),
                })
            }
            "userns" => match rest {
                [] => Ok(Request::Userns),
                [word] if word == "create" => Ok(Request::Userns),
                _ => Err(malformed("userns", "the only access is `create`")),
            },
            "dbus" => {
                let keys = ["bus", "name", "peer", "path", "interface", "member"];
                let (plain, keyed) = split_words("dbus", rest, &keys)?;
                let access = match plain.as_slice() {
                    [] => "send",
                    [word] => word,
                    _ => {
                        return Err(malformed(
                            "dbus",
                            "give one access: send, receive, bind or eavesdrop",
                        ));
                    }
                };
                let field = |key: &str| value(&keyed, key, "").to_string();
                let mut request = Request::Dbus {
                    access: access.to_string(),
                    bits: 0,
                    bus: field("bus"),
                    name: field("name"),
                    peer: field("peer"),
                    path: field("path"),
                    interface: field("interface"),
                    member: field("member"),
                };
                let (_, found) = request.dbus_string().ok_or_else(|| {
                    malformed(
                        "dbus",
                        format!("`{access}` is not one of send, receive, bind, eavesdrop"),
                    )
                })?;
                if let Request::Dbus { bits, .. } = &mut request {
                    *bits = found;
                }
                Ok(request)
            }
            other => Err(RequestError::UnknownClass(other.to_string())),
        }
    }

    fn file(rest: &[String]) -> Result<Request, RequestError> {
        let owner = rest.iter().any(|w| w == "owner");
        let words: Vec<&String> = rest.iter().filter(|w| *w != "owner").collect();
        let [path, letters] = words.as_slice() else {
            return Err(malformed(
                "file",
                "give a path and permissions: `file /etc/shadow w [owner]`",
            ));
        };
        if !path.starts_with('/') {
            return Err(malformed(
                "file",
                format!("`{path}` is not an absolute path"),
            ));
        }
        let bits = file_bits(letters).filter(|&b| b != 0).ok_or_else(|| {
            malformed(
                "file",
                format!("`{letters}` is not a set of rwaxmlk letters"),
            )
        })?;
        Ok(Request::File {
            path: path.to_string(),
            letters: letters.to_string(),
            bits,
            owner,
        })
    }

    /// A dbus request's class-32 string and bits.
    fn dbus_string(&self) -> Option<(Vec<u8>, u32)> {
        let Request::Dbus {
            access,
            bus,
            name,
            peer,
            path,
            interface,
            member,
            ..
        } = self
        else {
            return None;
        };
        let fields = enc::DbusFields {
            bus,
            name,
            label: peer,
            path,
            interface,
            member,
        };
        enc::dbus_request(access, &fields)
    }

    /// The match string and wanted bits; `None` for capabilities, which
    /// are decided by the record's capability words.
    pub fn probe(&self) -> Option<Probe> {
        let policy = |class: u8, bytes: Vec<u8>, wanted: u32| Probe {
            kind: DfaKind::Policy,
            bytes,
            wanted,
            owner: false,
            class: Some(class),
        };
        Some(match self {
            Request::File {
                path, bits, owner, ..
            } => Probe {
                kind: DfaKind::File,
                bytes: path.as_bytes().to_vec(),
                wanted: *bits,
                owner: *owner,
                class: None,
            },
            Request::Exec { path, owner } => Probe {
                kind: DfaKind::File,
                bytes: path.as_bytes().to_vec(),
                wanted: crate::encode::bits::MAY_EXEC,
                owner: *owner,
                class: None,
            },
            Request::Capability { .. } => return None,
            Request::Network {
                family,
                sock_type,
                bits,
                ..
            } => policy(
                CLASS_NETV8,
                enc::network_request(family, sock_type).ok()?,
                *bits,
            ),
            Request::Signal {
                bits, signal, peer, ..
            } => policy(CLASS_SIGNAL, enc::signal_request(signal, peer).ok()?, *bits),
            Request::Ptrace { bits, peer, .. } => {
                policy(CLASS_PTRACE, enc::ptrace_request(peer), *bits)
            }
            Request::Userns => {
                let (bytes, bits) = enc::userns_request();
                policy(CLASS_NS, bytes, bits)
            }
            Request::Dbus { .. } => {
                let (bytes, bits) = self.dbus_string()?;
                policy(CLASS_DBUS, bytes, bits)
            }
            Request::Mount {
                point,
                source,
                fstype,
                flags,
            } => {
                let (bytes, _) = enc::mount_request(point, source, fstype, *flags);
                policy(CLASS_MOUNT, bytes, enc::MOUNT_MAY_MOUNT)
            }
            Request::Umount { point } => policy(
                CLASS_MOUNT,
                enc::umount_request(point),
                enc::MOUNT_MAY_UMOUNT,
            ),
            Request::PivotRoot { new_root, old_root } => policy(
                CLASS_MOUNT,
                enc::pivot_root_request(new_root, old_root),
                enc::MOUNT_MAY_PIVOT_ROOT,
            ),
        })
    }

    /// The request as words again (defaults filled in).
    pub fn text(&self) -> String {
        match self {
            Request::File {
                path,
                letters,
                owner,
                ..
            } => format!(
                "file {path} {letters}{}",
                if *owner { " owner" } else { "" }
            ),
            Request::Exec { path, owner } => {
                format!("exec {path}{}", if *owner { " owner" } else { "" })
            }
            Request::Capability { name, .. } => format!("capability {name}"),
            Request::Network {
                family,
                sock_type,
                access,
                ..
            } => format!("network {family} {sock_type} {}", access.join(" ")),
            Request::Signal {
                access,
                signal,
                peer,
                ..
            } => format!("signal {} set={signal} peer={peer}", access.join(" ")),
            Request::Ptrace { access, peer, .. } => {
                format!("ptrace {} peer={peer}", access.join(" "))
            }
            Request::Userns => "userns create".into(),
            Request::Dbus {
                access,
                bus,
                name,
                peer,
                path,
                interface,
                member,
                ..
            } => format!(
                "dbus {access} bus={bus} name={name} peer={peer} path={path} \
                 interface={interface} member={member}"
            ),
            Request::Mount {
                point,
                source,
                fstype,
                flags,
            } => {
                let mut text = format!("mount {point}");
                if !source.is_empty() {
                    text.push_str(&format!(" source={source}"));
                }
                if !fstype.is_empty() {
                    text.push_str(&format!(" fstype={fstype}"));
                }
                text.push_str(&format!(" options={}", super::mount::options_text(*flags)));
                text
            }
            Request::Umount { point } => format!("umount {point}"),
            Request::PivotRoot { new_root, old_root } => {
                format!("pivot_root {new_root} oldroot={old_root}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Request, RequestError> {
        let words: Vec<String> = text.split_whitespace().map(String::from).collect();
        Request::parse(&words)
    }

    #[test]
    fn parses_each_class() {
        let file = parse("file /etc/shadow w").unwrap();
        let probe = file.probe().unwrap();
        assert_eq!(probe.bytes, b"/etc/shadow");
        assert_eq!(probe.wanted, 0x2);
        assert!(!probe.owner);
        assert!(parse("file /x r owner").unwrap().probe().unwrap().owner);
        assert!(matches!(
            parse("capability sys_admin").unwrap(),
            Request::Capability { number: 21, .. }
        ));
        let net = parse("network inet stream").unwrap().probe().unwrap();
        assert_eq!(net.bytes, [14, 0, 2, 0, 1]);
        assert_eq!(net.wanted, 0x10);
        let signal = parse("signal send peer=foo").unwrap().probe().unwrap();
        assert_eq!(signal.bytes, b"\x0a\x0ffoo");
        assert_eq!(parse("userns create").unwrap().probe().unwrap().bytes, [21]);
        let exec = parse("exec /usr/bin/x").unwrap().probe().unwrap();
        assert_eq!(
            (exec.bytes.as_slice(), exec.wanted),
            (&b"/usr/bin/x"[..], 0x1)
        );
        let mount = parse("mount /m fstype=tmpfs options=nodev").unwrap();
        let probe = mount.probe().unwrap();
        assert_eq!(probe.bytes, b"\x07/m\0\0tmpfs\0\x03");
        assert_eq!((probe.class, probe.wanted), (Some(7), 0x2));
        assert_eq!(mount.text(), "mount /m fstype=tmpfs options=rw,nodev");
        assert_eq!(parse("umount /m").unwrap().probe().unwrap().wanted, 0x4);
        assert_eq!(
            parse("pivot_root /n oldroot=/n/o")
                .unwrap()
                .probe()
                .unwrap()
                .bytes,
            b"\x07/n\0/n/o"
        );
        let dbus = parse("dbus bind bus=session name=org.a")
            .unwrap()
            .probe()
            .unwrap();
        assert_eq!(
            (dbus.bytes.as_slice(), dbus.wanted),
            (&b"\x20session\0org.a"[..], 0x40)
        );
        assert_eq!(
            parse("ptrace read peer=x").unwrap().probe().unwrap(),
            Probe {
                kind: DfaKind::Policy,
                bytes: b"\x09x".to_vec(),
                wanted: 0x4,
                owner: false,
                class: Some(9)
            }
        );
    }

    #[test]
    fn rejects_bad_requests() {
        assert_eq!(parse(""), Err(RequestError::Empty));
        assert!(matches!(
            parse("files /x r"),
            Err(RequestError::UnknownClass(_))
        ));
        for bad in [
            "file etc r",
            "file /x q",
            "file /x",
            "capability nope",
            "network inet",
            "network inet stream fly",
            "signal set=nosuch",
            "signal colour=red",
            "userns destroy",
            "dbus rw bus=system",
            "dbus send colour=red",
            "exec usr/bin/x",
            "exec /a /b",
            "mount",
            "umount",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
