//! Fine-grained inet/inet6 rules in class 14 for kernels with
//! `network_v8/af_inet` (§5.4), in 5.0.2's layout, for rules without
//! address conditions:
//!
//! * `P` = `\x0e af type`: continue-matching, plus create;
//! * `L` = `P proto(..) port(3 bytes) addr \0` with addr the local
//!   `ip=` (size byte + address) or one of none
//!   (`\x00`), IPv4 (`\x01` + 4 bytes), IPv6 (`\x02` + 16 bytes): every
//!   permission of the rule, continuing when a later part follows;
//! * `L \x02 ..` (listen) and `L \x04 ....` (socket options);
//! * `L label \0` continuing, and `L label \0 \x01 port addr \0` (the
//!   peer) for send, receive, connect and accept.

use super::bits::{COMPAT_CONT_MATCH, MAY_READ, MAY_WRITE};
use super::mediates::CLASS_NETV8;
use super::pdb::any;
use super::record::{PolicyRecord, RulePerms};
use crate::aare;
use crate::expr::Expr;
use crate::model::Qualifiers;

/// Packed (remapped, §5.6) network permission bits.
const CREATE: u32 = 0x10;
const CONNECT: u32 = 0x40;
const ACCEPT: u32 = 0x1_0000;
const LISTEN: u32 = 0x4_0000;
const OPT: u32 = 0x8_0000 | 0x10_0000;
const PEER: u32 = MAY_WRITE | MAY_READ | CONNECT | ACCEPT;

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

/// One address: size byte and the address bytes.
fn address(ip: std::net::IpAddr) -> Expr {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let mut bytes = vec![1];
            bytes.extend(v4.octets());
            Expr::literal(&bytes)
        }
        std::net::IpAddr::V6(v6) => {
            let mut bytes = vec![2];
            bytes.extend(v6.octets());
            Expr::literal(&bytes)
        }
    }
}

fn push(q: &Qualifiers, expr: Expr, perms: u32, out: &mut Vec<(Expr, PolicyRecord)>) {
    let record = PolicyRecord::Rule(RulePerms::for_rule(
        q,
        aare::is_exact(&expr),
        perms,
        perms & !COMPAT_CONT_MATCH,
    ));
    out.push((expr, record));
}

/// Appends the rules of one inet-family rule without address conditions;
/// `perms` are remapped network permissions, `sock_type` `None` = any.
pub fn encode_inet(
    q: &Qualifiers,
    family: u16,
    sock_type: Option<u16>,
    perms: u32,
    local_ip: Option<std::net::IpAddr>,
    out: &mut Vec<(Expr, PolicyRecord)>,
) {
    let mut head = vec![Expr::Byte(CLASS_NETV8)];
    head.extend(family.to_be_bytes().map(Expr::Byte));
    match sock_type {
        Some(t) => head.extend(t.to_be_bytes().map(Expr::Byte)),
        None => head.extend(anys(2)),
    }
    let head = Expr::Concat(head);
    push(q, head.clone(), COMPAT_CONT_MATCH | (perms & CREATE), out);

    let mut local = vec![head];
    local.extend(anys(5));
    local.push(local_ip.map_or_else(any_address, address));
    local.push(Expr::Byte(0));
    let local = Expr::Concat(local);
    // Only the peer part makes the local string continue (5.0.2: a
    // setopt-only rule's local string has no continue flag).
    let continues = perms & PEER != 0;
    let cont = if continues { COMPAT_CONT_MATCH } else { 0 };
    push(q, local.clone(), perms | cont, out);
    if perms & LISTEN != 0 {
        let mut listen = vec![local.clone(), Expr::Byte(2)];
        listen.extend(anys(2));
        push(q, Expr::Concat(listen), perms, out);
    }
    if perms & OPT != 0 {
        let mut opt = vec![local.clone(), Expr::Byte(4)];
        opt.extend(anys(4));
        push(q, Expr::Concat(opt), perms, out);
    }
    if perms & PEER != 0 {
        let labelled = Expr::Concat(vec![local, any(), Expr::Byte(0)]);
        push(q, labelled.clone(), COMPAT_CONT_MATCH, out);
        let mut peer = vec![labelled, Expr::Byte(1)];
        peer.extend(anys(3));
        peer.push(any_address());
        peer.push(Expr::Byte(0));
        push(q, Expr::Concat(peer), perms, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_only_stops_at_the_local_address() {
        let mut out = Vec::new();
        encode_inet(&Qualifiers::default(), 2, None, CREATE, None, &mut out);
        assert_eq!(out.len(), 2);
        let PolicyRecord::Rule(local) = out[1].1 else {
            panic!("rule record expected")
        };
        assert_eq!(local.perms, CREATE);
    }

    #[test]
    fn receive_continues_to_the_peer() {
        let mut out = Vec::new();
        encode_inet(
            &Qualifiers::default(),
            10,
            Some(1),
            MAY_READ,
            None,
            &mut out,
        );
        let perms: Vec<u32> = out
            .iter()
            .map(|(_, r)| match r {
                PolicyRecord::Rule(rule) => rule.perms,
                PolicyRecord::State(_) => 0,
            })
            .collect();
        assert_eq!(
            perms,
            [
                COMPAT_CONT_MATCH,
                COMPAT_CONT_MATCH | MAY_READ,
                COMPAT_CONT_MATCH,
                MAY_READ
            ]
        );
    }
}
