//! Fine-grained inet/inet6 rules in class 14 for kernels with
//! `network_v8/af_inet` (§5.4), in 5.0.2's layout.
//!
//! With `P` = `\x0e af type` and `Q` = `P proto(2)`, one rule gives:
//!
//! * `P`: continue-matching, plus create;
//! * the local string `Q local \0` (then `label \0` when the rule has a
//!   local label, the perms moving there and the shorter string only
//!   continuing): every permission of the rule; followed by `\x02 ..`
//!   (listen) and `\x04 ....` (socket options) when granted;
//! * with send, receive, connect or accept, the peer string
//!   `Q peer \0 label \0 \x01 local \0 [label \0]`: continue-matching up
//!   to the peer label, the permissions after the local part. The peer
//!   conditions come first: the kernel matches the peer address on the
//!   connection and then checks the local end (`\x01` = address command).
//!
//! A condition set (`local`/`peer`) is `port-kind port(2) address`: the
//! port kind byte is 1 for a local port below 1024 of a rule that may bind
//! (privileged), 2 for a peer port, else 0; no port is `...`; the address
//! is a size byte (0 none, 1 IPv4, 2 IPv6) and the address bytes, or all
//! three forms when absent.

use std::net::IpAddr;

use super::bits::COMPAT_CONT_MATCH;
use super::error::EncodeError;
use super::mediates::CLASS_NETV8;
use super::pdb::{any, glob};
use super::record::{PolicyRecord, RulePerms};
use crate::aare;
use crate::expr::{ByteSet, Expr};
use crate::model::{NetworkAddress, Qualifiers};

/// Packed (remapped, §5.6) network permission bits.
const CREATE: u32 = 0x10;
const READ: u32 = 0x4;
const WRITE: u32 = 0x2;
const CONNECT: u32 = 0x40;
const ACCEPT: u32 = 0x1_0000;
const BIND: u32 = 0x2_0000;
const LISTEN: u32 = 0x4_0000;
const OPT: u32 = 0x8_0000 | 0x10_0000;
/// The permissions checked against a peer address.
const PEER: u32 = WRITE | READ | CONNECT | ACCEPT;

/// Ports below this are privileged (IPPORT_RESERVED).
const PRIVILEGED_BELOW: u16 = 1024;

/// Port-kind bytes.
const PORT_UNPRIVILEGED: u8 = 0;
const PORT_PRIVILEGED: u8 = 1;
const PORT_PEER: u8 = 2;

/// Command bytes after a local string.
const CMD_ADDR: u8 = 1;
const CMD_LISTEN: u8 = 2;
const CMD_OPT: u8 = 4;

/// The address of one end, as the rule gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Address {
    /// No `ip=`: none, any IPv4 or any IPv6 address.
    Any,
    /// `ip=none`: the end has no address.
    None,
    /// An address, with the number of leading bits that must match.
    Ip(IpAddr, u32),
}

/// One end's conditions, parsed from the model's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InetEnd {
    /// Inclusive port range; `None` = any port.
    ports: Option<(u16, u16)>,
    address: Address,
    /// The label condition, converted; `None` = no label part.
    label: Option<Expr>,
}

impl InetEnd {
    /// Parses one end's `ip=`, `port=` and `label=` conditions. The
    /// front end has validated them; anything unparsable is an error
    /// rather than a silently wider rule.
    pub fn parse(address: &NetworkAddress, label: Option<&str>) -> Result<InetEnd, EncodeError> {
        let invalid = |text: &str| EncodeError::InvalidNetworkCondition {
            value: text.to_owned(),
        };
        let ports = match address.port.as_deref() {
            None => None,
            Some(text) => {
                let parse = |s: &str| s.trim().parse::<u16>().map_err(|_| invalid(text));
                Some(match text.split_once('-') {
                    Some((low, high)) => (parse(low)?, parse(high)?),
                    None => {
                        let port = parse(text)?;
                        (port, port)
                    }
                })
            }
        };
        let address = match address.ip.as_deref() {
            None | Some("any") => Address::Any,
            Some("none") => Address::None,
            Some(text) => {
                let (ip, mask) = match text.split_once('/') {
                    Some((ip, mask)) => (ip, Some(mask)),
                    None => (text, None),
                };
                let ip: IpAddr = ip.parse().map_err(|_| invalid(text))?;
                let width = if ip.is_ipv4() { 32 } else { 128 };
                let bits = match mask {
                    Some(mask) => mask
                        .parse::<u32>()
                        .ok()
                        .filter(|bits| *bits <= width)
                        .ok_or_else(|| invalid(text))?,
                    None => width,
                };
                Address::Ip(ip, bits)
            }
        };
        let label = label.map(glob).transpose()?;
        Ok(InetEnd {
            ports,
            address,
            label,
        })
    }

    /// `port-kind port address`, without the NUL that ends it; `is_peer`
    /// and the rule's `perms` choose the port-kind byte.
    fn conditions(&self, is_peer: bool, perms: u32) -> Expr {
        let mut parts = Vec::new();
        match self.ports {
            Some((low, high)) => parts.push(port_condition(low, high, is_peer, perms)),
            None => parts.extend(anys(3)),
        }
        parts.push(match self.address {
            Address::Any => any_address(),
            Address::None => Expr::Byte(0),
            Address::Ip(ip, bits) => address(ip, bits),
        });
        Expr::Concat(parts)
    }

    /// An end without any condition.
    pub fn any() -> InetEnd {
        InetEnd {
            ports: None,
            address: Address::Any,
            label: None,
        }
    }
}

/// `port-kind port(2)` for the ports `low..=high`. The kind byte is 2
/// for a peer port; for a local port of a rule that may bind it is 1
/// below 1024 (privileged) and 0 from there, a range spanning both
/// being split; else 0. Port 0 alone stands for any port.
fn port_condition(low: u16, high: u16, is_peer: bool, perms: u32) -> Expr {
    if is_peer {
        return Expr::Concat(vec![Expr::Byte(PORT_PEER), ports(low, high)]);
    }
    let binds = perms & BIND != 0;
    if !binds || low >= PRIVILEGED_BELOW {
        return Expr::Concat(vec![Expr::Byte(PORT_UNPRIVILEGED), ports(low, high)]);
    }
    let privileged = Expr::Concat(vec![
        Expr::Byte(PORT_PRIVILEGED),
        ports(low, high.min(PRIVILEGED_BELOW - 1)),
    ]);
    if high < PRIVILEGED_BELOW {
        return privileged;
    }
    Expr::Alt(vec![
        privileged,
        Expr::Concat(vec![
            Expr::Byte(PORT_UNPRIVILEGED),
            ports(PRIVILEGED_BELOW, high),
        ]),
    ])
}

/// Two port bytes: `..` for the lone port 0 (any port), else the range.
fn ports(low: u16, high: u16) -> Expr {
    if low == 0 && high == 0 {
        Expr::Concat(anys(2))
    } else {
        port_range(low, high)
    }
}

/// The big-endian 16-bit values `low..=high` as two bytes each.
fn port_range(low: u16, high: u16) -> Expr {
    let [low_hi, low_lo] = low.to_be_bytes();
    let [high_hi, high_lo] = high.to_be_bytes();
    // A full byte range is `.` (the parser's any-byte node, which the
    // DFA treats as the default transition, not as 256 named bytes).
    let class = |a: u8, b: u8| {
        if a == b {
            Expr::Byte(a)
        } else if a == 0 && b == 0xff {
            Expr::Any
        } else {
            let mut set = ByteSet::default();
            set.insert_range(a, b);
            Expr::Class(set)
        }
    };
    if low_hi == high_hi {
        return Expr::Concat(vec![Expr::Byte(low_hi), class(low_lo, high_lo)]);
    }
    let mut alternatives = vec![Expr::Concat(vec![Expr::Byte(low_hi), class(low_lo, 0xff)])];
    if high_hi - low_hi > 1 {
        alternatives.push(Expr::Concat(vec![
            class(low_hi + 1, high_hi - 1),
            Expr::Any,
        ]));
    }
    alternatives.push(Expr::Concat(vec![Expr::Byte(high_hi), class(0, high_lo)]));
    Expr::Alt(alternatives)
}

fn anys(count: usize) -> Vec<Expr> {
    vec![Expr::Any; count]
}

/// The address alternatives: none, IPv4, IPv6.
fn any_address() -> Expr {
    let mut v4 = vec![Expr::Byte(1)];
    v4.extend(anys(4));
    let mut v6 = vec![Expr::Byte(2)];
    v6.extend(anys(16));
    Expr::Alt(vec![Expr::Byte(0), Expr::Concat(v4), Expr::Concat(v6)])
}

/// One address: size byte, then each byte: literal where the mask covers
/// it, the values sharing its masked prefix where it covers part of it.
fn address(ip: IpAddr, bits: u32) -> Expr {
    let (size, octets): (u8, Vec<u8>) = match ip {
        IpAddr::V4(v4) => (1, v4.octets().to_vec()),
        IpAddr::V6(v6) => (2, v6.octets().to_vec()),
    };
    let mut parts = vec![Expr::Byte(size)];
    for (index, octet) in octets.into_iter().enumerate() {
        let covered = bits.saturating_sub(index as u32 * 8).min(8);
        parts.push(match covered {
            8 => Expr::Byte(octet),
            0 => Expr::Any,
            covered => {
                let mask = 0xffu8 << (8 - covered);
                let low = octet & mask;
                let mut set = ByteSet::default();
                set.insert_range(low, low | !mask);
                Expr::Class(set)
            }
        });
    }
    Expr::Concat(parts)
}

/// The rule's qualifiers and permissions, shared by every string.
struct Emitter<'a> {
    q: &'a Qualifiers,
    out: &'a mut Vec<(Expr, PolicyRecord)>,
}

impl Emitter<'_> {
    /// Appends `expr` granting `perms`; audit follows the rule's whole
    /// permission set, continue-only strings included (as 5.0.2 does).
    fn push(&mut self, expr: Expr, perms: u32, audit_bits: u32) {
        let record = PolicyRecord::Rule(RulePerms::for_rule(
            self.q,
            aare::is_exact(&expr),
            perms,
            audit_bits,
        ));
        self.out.push((expr, record));
    }
}

fn cat(prefix: &Expr, rest: impl IntoIterator<Item = Expr>) -> Expr {
    let mut parts = vec![prefix.clone()];
    parts.extend(rest);
    Expr::Concat(parts)
}

/// The socket an inet rule is about; `None` = any type or protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InetSocket {
    pub family: u16,
    pub sock_type: Option<u16>,
    pub protocol: Option<u16>,
}

/// Appends the rules of one inet-family rule; `perms` are remapped
/// network permissions.
pub fn encode_inet(
    q: &Qualifiers,
    socket: InetSocket,
    perms: u32,
    (local, peer): (&InetEnd, &InetEnd),
    out: &mut Vec<(Expr, PolicyRecord)>,
) {
    let InetSocket {
        family,
        sock_type,
        protocol,
    } = socket;
    let mut emit = Emitter { q, out };
    let two = |value: Option<u16>| match value {
        Some(v) => v.to_be_bytes().map(Expr::Byte),
        None => [Expr::Any, Expr::Any],
    };
    let mut head = vec![Expr::Byte(CLASS_NETV8)];
    head.extend(family.to_be_bytes().map(Expr::Byte));
    head.extend(two(sock_type));
    let head = Expr::Concat(head);
    emit.push(
        head.clone(),
        COMPAT_CONT_MATCH | (perms & CREATE),
        perms & CREATE,
    );
    let with_protocol = cat(&head, two(protocol));

    if perms & PEER != 0 {
        let peer_end = cat(
            &with_protocol,
            [peer.conditions(true, perms), Expr::Byte(0)],
        );
        emit.push(peer_end.clone(), COMPAT_CONT_MATCH, perms);
        let peer_label = peer.label.clone().unwrap_or_else(any);
        let labelled = cat(&peer_end, [peer_label, Expr::Byte(0)]);
        emit.push(labelled.clone(), COMPAT_CONT_MATCH, perms);
        let with_local = cat(
            &labelled,
            [
                Expr::Byte(CMD_ADDR),
                local.conditions(false, perms),
                Expr::Byte(0),
            ],
        );
        emit.push(with_local.clone(), perms, perms);
        if let Some(label) = &local.label {
            emit.push(
                cat(&with_local, [label.clone(), Expr::Byte(0)]),
                perms,
                perms,
            );
        }
    }

    let mut local_string = cat(
        &with_protocol,
        [local.conditions(false, perms), Expr::Byte(0)],
    );
    if let Some(label) = &local.label {
        emit.push(local_string.clone(), COMPAT_CONT_MATCH, perms);
        local_string = cat(&local_string, [label.clone(), Expr::Byte(0)]);
    }
    emit.push(local_string.clone(), perms, perms);
    if perms & LISTEN != 0 {
        let listen = cat(
            &local_string,
            [Expr::Byte(CMD_LISTEN), Expr::Any, Expr::Any],
        );
        emit.push(listen, perms, perms);
    }
    if perms & OPT != 0 {
        let mut opt = vec![Expr::Byte(CMD_OPT)];
        opt.extend(anys(4));
        emit.push(cat(&local_string, opt), perms, perms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms_of(out: &[(Expr, PolicyRecord)]) -> Vec<u32> {
        out.iter()
            .map(|(_, r)| r.rule().expect("rule record").perms)
            .collect()
    }

    fn socket(family: u16, sock_type: Option<u16>) -> InetSocket {
        InetSocket {
            family,
            sock_type,
            protocol: None,
        }
    }

    fn end(ip: Option<&str>, port: Option<&str>) -> InetEnd {
        let address = NetworkAddress {
            ip: ip.map(str::to_owned),
            port: port.map(str::to_owned),
        };
        InetEnd::parse(&address, None).unwrap()
    }

    #[test]
    fn create_only_stops_at_the_local_address() {
        let mut out = Vec::new();
        let any = InetEnd::any();
        encode_inet(
            &Qualifiers::default(),
            socket(2, None),
            CREATE,
            (&any, &any),
            &mut out,
        );
        assert_eq!(perms_of(&out), [COMPAT_CONT_MATCH | CREATE, CREATE]);
    }

    #[test]
    fn receive_matches_the_peer_first() {
        let mut out = Vec::new();
        let any = InetEnd::any();
        encode_inet(
            &Qualifiers::default(),
            socket(10, Some(1)),
            READ,
            (&any, &any),
            &mut out,
        );
        assert_eq!(
            perms_of(&out),
            [
                COMPAT_CONT_MATCH,
                COMPAT_CONT_MATCH,
                COMPAT_CONT_MATCH,
                READ,
                READ
            ]
        );
    }

    #[test]
    fn port_kinds() {
        // 5.0.2, network_ok_45 (`port=22-443`, every permission): kind 1;
        // network_ok_20 (`port=8080`): kind 0; perms/ok_msg_10
        // (`peer=(port=1234)`): kind 2; port-torture (`port=0-65534`):
        // split at 1024.
        let kind = |e: Expr| match e {
            Expr::Concat(parts) => parts[0].clone(),
            other => other,
        };
        assert_eq!(kind(port_condition(22, 443, false, BIND)), Expr::Byte(1));
        assert_eq!(kind(port_condition(22, 443, false, READ)), Expr::Byte(0));
        assert_eq!(kind(port_condition(8080, 8080, false, BIND)), Expr::Byte(0));
        assert_eq!(kind(port_condition(1234, 1234, true, READ)), Expr::Byte(2));
        let Expr::Alt(split) = port_condition(0, 65534, false, BIND) else {
            panic!("split range expected")
        };
        assert_eq!(kind(split[0].clone()), Expr::Byte(1));
        assert_eq!(kind(split[1].clone()), Expr::Byte(0));
        // network_ok_20: `port=0` is any port.
        assert_eq!(ports(0, 0), Expr::Concat(anys(2)));
    }

    #[test]
    fn port_range_bytes() {
        // network_ok_45: 22-443 = \x00[\x16-\xff] | \x01[\x00-\xbb].
        let mut low = ByteSet::default();
        low.insert_range(0x16, 0xff);
        let mut high = ByteSet::default();
        high.insert_range(0, 0xbb);
        assert_eq!(
            port_range(22, 443),
            Expr::Alt(vec![
                Expr::Concat(vec![Expr::Byte(0), Expr::Class(low)]),
                Expr::Concat(vec![Expr::Byte(1), Expr::Class(high)]),
            ])
        );
        assert_eq!(
            port_range(8080, 8080),
            Expr::Concat(vec![Expr::Byte(0x1f), Expr::Byte(0x90)])
        );
    }

    #[test]
    fn addresses() {
        let v4 = end(Some("10.0.2.1"), None);
        assert_eq!(v4.address, Address::Ip("10.0.2.1".parse().unwrap(), 32));
        assert_eq!(
            address("10.0.2.1".parse().unwrap(), 32),
            Expr::literal(&[1, 10, 0, 2, 1])
        );
        assert_eq!(end(Some("none"), None).address, Address::None);
        let masked = address("10.0.2.0".parse().unwrap(), 20);
        let Expr::Concat(parts) = masked else {
            panic!("concat expected")
        };
        assert_eq!(parts[3], {
            let mut set = ByteSet::default();
            set.insert_range(0, 0x0f);
            Expr::Class(set)
        });
        assert_eq!(parts[4], Expr::Any);
    }

    #[test]
    fn bad_conditions_are_errors() {
        let bad = NetworkAddress {
            ip: Some("10.0.0.300".into()),
            port: None,
        };
        assert!(InetEnd::parse(&bad, None).is_err());
        let bad_port = NetworkAddress {
            ip: None,
            port: Some("70000".into()),
        };
        assert!(InetEnd::parse(&bad_port, None).is_err());
    }
}
