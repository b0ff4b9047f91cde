//! Coarse `network` rules in class 14 (NETV8): `\x0e af(2) type(2 or ..)`
//! with the remapped permissions (§5.4, §5.6), and the plain network rule
//! a `unix` rule downgrades to when the kernel lacks unix mediation.
//!
//! The expansion follows apparmor_parser 5.0.2: a family without a type
//! gets type `..`; a type or protocol without a family gets one rule per
//! named family; neither gives every family number with type `..`, except
//! that address conditions (`ip=`, `port=`, `peer=`) imply inet and inet6.

use super::error::EncodeError;
use super::inet::{InetEnd, InetSocket, encode_inet};
use super::mediates::CLASS_NETV8;
use super::pdb::rule;
use super::record::PolicyRecord;
use super::unix::check_unix_patterns;
use crate::expr::Expr;
use crate::model::{
    NetworkAddress, NetworkRule, Qualifiers, UnixRule, Verdict, protocol_match_value,
    protocol_sockets,
};

/// Linux address-family numbers by name, as the parser knows them.
pub(super) const FAMILIES: &[(&str, u16)] = &[
    ("unspec", 0),
    ("unix", 1),
    ("local", 1),
    ("inet", 2),
    ("ax25", 3),
    ("ipx", 4),
    ("appletalk", 5),
    ("netrom", 6),
    ("bridge", 7),
    ("atmpvc", 8),
    ("x25", 9),
    ("inet6", 10),
    ("rose", 11),
    ("netbeui", 13),
    ("security", 14),
    ("key", 15),
    ("netlink", 16),
    ("route", 16),
    ("packet", 17),
    ("ash", 18),
    ("econet", 19),
    ("atmsvc", 20),
    ("rds", 21),
    ("sna", 22),
    ("irda", 23),
    ("pppox", 24),
    ("wanpipe", 25),
    ("llc", 26),
    ("ib", 27),
    ("mpls", 28),
    ("can", 29),
    ("tipc", 30),
    ("bluetooth", 31),
    ("iucv", 32),
    ("rxrpc", 33),
    ("isdn", 34),
    ("phonet", 35),
    ("ieee802154", 36),
    ("caif", 37),
    ("alg", 38),
    ("nfc", 39),
    ("vsock", 40),
    ("kcm", 41),
    ("qipcrtr", 42),
    ("smc", 43),
    ("xdp", 44),
    ("mctp", 45),
];

/// One past the highest family number (the parser's AF_MAX).
pub const AF_MAX: u16 = 46;

/// The name of address family `number` (its first spelling: `unix`, not
/// `local`), if the language has one.
pub fn family_name(number: u16) -> Option<&'static str> {
    FAMILIES
        .iter()
        .find(|(_, n)| *n == number)
        .map(|(name, _)| *name)
}

/// The name of socket type `number`, if the language has one.
pub fn type_name(number: u16) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|(_, n)| *n == number)
        .map(|(name, _)| *name)
}

/// The type mask of every named socket type (stream … packet).
pub const KNOWN_TYPES_MASK: u16 = 0x43E;

/// Socket types by name, in the parser's table order.
pub(super) const TYPES: &[(&str, u16)] = &[
    ("stream", 1),
    ("dgram", 2),
    ("raw", 3),
    ("rdm", 4),
    ("seqpacket", 5),
    ("packet", 10),
];

pub use crate::model::access::{
    NET_ACCEPT, NET_BIND, NET_CONNECT, NET_CREATE, NET_GETATTR, NET_GETOPT, NET_LISTEN,
    NET_RECEIVE, NET_SEND, NET_SETATTR, NET_SETOPT, NET_SHUTDOWN,
};

/// Access words shared by `network` and `unix` rules (the one table).
pub const NET_ACCESS: &[(&str, u32)] = crate::model::access::NET.words;

/// §5.6: moves the network bits out of the exec-mapping ranges of a
/// packed policydb word.
pub fn map_perms(m: u32) -> u32 {
    (m & 0x7F) | ((m & 0x300) << 6) | ((m & 0x70_0000) >> 4) | ((m & 0x300_0000) >> 5)
}

fn number(table: &[(&str, u16)], name: &str) -> Option<u16> {
    table.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// `\x0e af type`, type `None` = `..`.
fn match_string(family: u16, sock_type: Option<u16>) -> Expr {
    let mut parts = vec![Expr::Byte(CLASS_NETV8)];
    parts.extend(family.to_be_bytes().map(Expr::Byte));
    match sock_type {
        Some(t) => parts.extend(t.to_be_bytes().map(Expr::Byte)),
        None => parts.extend([Expr::Any, Expr::Any]),
    }
    Expr::Concat(parts)
}

/// Appends the class-14 rules of one coarse network rule.
///
/// With `inet_fine` (`network_v8/af_inet`), inet and inet6 rules get the
/// fine-grained layout ([`encode_inet`]) with their address conditions.
pub fn encode_network(
    q: &Qualifiers,
    network: &NetworkRule,
    inet_fine: bool,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = map_perms(crate::model::access::NET.grant(&network.access));
    let unknown = |name: &str| EncodeError::UnknownNetworkName {
        name: name.to_owned(),
    };
    let family = match &network.domain {
        Some(name) => Some(number(FAMILIES, name).ok_or_else(|| unknown(name))?),
        None => None,
    };
    let sock_type = match &network.sock_type {
        Some(name) => Some(number(TYPES, name).ok_or_else(|| unknown(name))?),
        None => None,
    };
    let fine_grained =
        network.local != NetworkAddress::default() || network.peer != NetworkAddress::default();
    let mut pairs: Vec<(u16, Option<u16>)> = Vec::new();
    if let Some(protocol) = &network.protocol {
        let mapped = protocol_pairs(protocol, network.domain.as_deref())?;
        pairs.extend(mapped.into_iter().map(|(af, t)| (af, Some(t))));
    } else {
        match (family, sock_type) {
            (Some(af), Some(t)) => pairs.push((af, Some(t))),
            (Some(af), None) => pairs.push((af, None)),
            // Address conditions imply the inet families.
            (None, t) if fine_grained || network.skb_conditions => pairs.extend([(2, t), (10, t)]),
            (None, Some(t)) => pairs.extend(named_families().into_iter().map(|af| (af, Some(t)))),
            (None, None) => pairs.extend((0..AF_MAX).map(|af| (af, None))),
        }
    }
    let (local, peer) = if inet_fine {
        (
            InetEnd::parse(&network.local, network.label.as_deref())?,
            InetEnd::parse(&network.peer, network.peer_label.as_deref())?,
        )
    } else {
        (InetEnd::any(), InetEnd::any())
    };
    let protocol = network.protocol.as_deref().and_then(protocol_match_value);
    for (af, t) in pairs {
        if inet_fine && (af == 2 || af == 10) {
            let socket = InetSocket {
                family: af,
                sock_type: t,
                protocol,
            };
            encode_inet(q, socket, perms, (&local, &peer), out);
        } else {
            out.push(rule(q, match_string(af, t), perms));
        }
    }
    Ok(())
}

/// The socket types (`None` = any) for which a network rule also
/// stands for a `unix,` rule with every permission, on kernels mediating
/// unix sockets: rules for AF_UNIX or for every family, without protocol
/// or address conditions. A unix family without a type covers each named
/// type; no family and no type covers any type.
pub fn unix_types(network: &NetworkRule) -> Vec<Option<&'static str>> {
    let fine_grained = network.local != NetworkAddress::default()
        || network.peer != NetworkAddress::default()
        || network.skb_conditions;
    if network.protocol.is_some() || fine_grained {
        return Vec::new();
    }
    let type_name = network
        .sock_type
        .as_deref()
        .and_then(|name| TYPES.iter().find(|(n, _)| *n == name))
        .map(|(n, _)| *n);
    match network.domain.as_deref() {
        Some("unix" | "local") => match type_name {
            Some(name) => vec![Some(name)],
            None => TYPES.iter().map(|(n, _)| Some(*n)).collect(),
        },
        Some(_) => Vec::new(),
        None => vec![type_name],
    }
}

/// Every family number that has a name (AF_DECNET, 12, has none).
pub fn named_families() -> Vec<u16> {
    let mut named: Vec<u16> = FAMILIES.iter().map(|&(_, af)| af).collect();
    named.dedup();
    named
}

/// The number of an address-family name.
pub fn family_number(name: &str) -> Result<u16, EncodeError> {
    number(FAMILIES, name).ok_or_else(|| EncodeError::UnknownNetworkName {
        name: name.to_owned(),
    })
}

/// The (family, type) pairs a protocol name stands for, narrowed to
/// `family` when the rule names one (the front end rejects combinations
/// with none; see [`protocol_sockets`]).
pub fn protocol_pairs(name: &str, family: Option<&str>) -> Result<Vec<(u16, u16)>, EncodeError> {
    let pairs: Vec<(u16, u16)> = protocol_sockets(name, family)
        .into_iter()
        .map(|(af, t)| Ok((family_number(af)?, socket_type(t)?)))
        .collect::<Result<_, EncodeError>>()?;
    if pairs.is_empty() {
        return Err(EncodeError::InvalidNetworkEntry {
            protocol: name.to_owned(),
        });
    }
    Ok(pairs)
}

/// The number of a socket type name.
pub fn socket_type(name: &str) -> Result<u16, EncodeError> {
    number(TYPES, name).ok_or_else(|| EncodeError::UnknownNetworkName {
        name: name.to_owned(),
    })
}

/// A `unix` rule on a kernel without unix mediation: the plain AF_UNIX
/// network rule (type as given, else `..`).
/// `merged`: the rule's permissions after merging with equal unix rules
/// (`encode::unix_merge`), when it was merged.
pub fn encode_unix_as_network(
    q: &Qualifiers,
    unix: &UnixRule,
    merged: Option<u32>,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    check_unix_patterns(unix)?;
    // The parser downgrades only what a unix rule allows: a deny unix rule
    // leaves the network class untouched (4.1 rule-exprs; 5.0.2's
    // apparmor.d `ps` blob).
    if q.verdict == Verdict::Deny {
        return Ok(());
    }
    let perms = map_perms(merged.unwrap_or_else(|| crate::model::access::NET.grant(&unix.access)));
    let sock_type = match &unix.sock_type {
        Some(name) => Some(
            number(TYPES, name).ok_or_else(|| EncodeError::UnknownNetworkName {
                name: name.to_owned(),
            })?,
        ),
        None => None,
    };
    // The downgraded rule joins the profile's plain network table, which
    // 5.0.2 encodes at priority 0 whatever the unix rule's priority.
    let q = Qualifiers { priority: 0, ..*q };
    out.push(rule(&q, match_string(1, sock_type), perms));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(record: &PolicyRecord) -> u32 {
        record.rule().expect("rule record expected").perms
    }

    #[test]
    fn deny_unix_is_not_downgraded() {
        // 4.1 -D rule-exprs, debian-6.12: `unix (send receive) type=stream,`
        // adds `\x0e\x00\x01\x00\x01` 0x6; its deny form adds nothing.
        let unix = UnixRule {
            access: vec!["send".into(), "receive".into()],
            sock_type: Some("stream".into()),
            ..UnixRule::default()
        };
        let mut out = Vec::new();
        encode_unix_as_network(&Qualifiers::default(), &unix, None, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(perms(&out[0].1), 0x6);
        let deny = Qualifiers {
            verdict: Verdict::Deny,
            ..Qualifiers::default()
        };
        out.clear();
        encode_unix_as_network(&deny, &unix, None, &mut out).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn inet_stream() {
        // §5.4: `network inet stream,` → `\x0e\x00\x02\x00\x01` 0x1FC076.
        let rule = NetworkRule {
            domain: Some("inet".into()),
            sock_type: Some("stream".into()),
            ..NetworkRule::default()
        };
        let mut out = Vec::new();
        encode_network(&Qualifiers::default(), &rule, false, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].0,
            Expr::Concat(vec![
                Expr::Byte(14),
                Expr::Byte(0),
                Expr::Byte(2),
                Expr::Byte(0),
                Expr::Byte(1)
            ])
        );
        assert_eq!(perms(&out[0].1), 0x1F_C076);
    }

    #[test]
    fn skb_conditions_confine_to_inet_families() {
        // 5.0.2, network/skb/ok_label_1.sd: `network label=foo,` compiles
        // as `network inet, network inet6,`.
        let rule = NetworkRule {
            skb_conditions: true,
            ..NetworkRule::default()
        };
        let mut out = Vec::new();
        encode_network(&Qualifiers::default(), &rule, false, &mut out).unwrap();
        let strings: Vec<_> = out.iter().map(|(e, _)| e.clone()).collect();
        assert_eq!(strings, [match_string(2, None), match_string(10, None)]);
        // ... so it no longer stands for a `unix,` rule (ok_iface_6).
        assert!(unix_types(&rule).is_empty());
        assert!(!unix_types(&NetworkRule::default()).is_empty());
    }

    #[test]
    fn expansion_counts() {
        let mut out = Vec::new();
        encode_network(
            &Qualifiers::default(),
            &NetworkRule::default(),
            false,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.len(), 46);
        out.clear();
        let tcp = NetworkRule {
            protocol: Some("tcp".into()),
            access: vec!["send".into()],
            ..NetworkRule::default()
        };
        encode_network(&Qualifiers::default(), &tcp, false, &mut out).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(perms(&out[0].1), 0x2);
    }

    #[test]
    fn remap() {
        assert_eq!(map_perms(crate::model::access::NET_ALL), 0x1F_C076);
        assert_eq!(map_perms(NET_BIND | NET_LISTEN), 0x6_0000);
    }
}
