//! Networking and IPC classes: `network`, `unix` (`dbus` has its own
//! module).

use super::RuleError;
use super::names::*;
use super::parts::{no_target, no_words, parts};
use crate::model::*;
use crate::syntax::{Span, Token, TokenKind};

pub(crate) fn network(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(
        args,
        &access::NET,
        &["ip", "port", "peer", "interface", "label"],
    )?;
    no_target(&p, "network")?;
    let mut rule = NetworkRule {
        access: p.access.clone(),
        ..Default::default()
    };
    for w in &p.words {
        let text = w.word().unwrap_or("");
        if rule.domain.is_none()
            && rule.sock_type.is_none()
            && rule.protocol.is_none()
            && NETWORK_DOMAINS.contains(&text)
        {
            rule.domain = Some(text.to_string());
        } else if rule.sock_type.is_none()
            && rule.protocol.is_none()
            && NETWORK_TYPES.contains(&text)
        {
            rule.sock_type = Some(text.to_string());
        } else if rule.protocol.is_none() && rule.sock_type.is_none() && is_network_protocol(text) {
            rule.protocol = Some(text.to_string());
        } else {
            return Err((
                format!("invalid network family, type or protocol `{text}`"),
                w.span,
            ));
        }
    }
    if let Some(protocol) = &rule.protocol
        && protocol_sockets(protocol, rule.domain.as_deref()).is_empty()
    {
        let what = match &rule.domain {
            Some(family) => format!("family `{family}` has no `{protocol}` sockets"),
            None => format!("`{protocol}` names no socket"),
        };
        return Err((format!("invalid network entry: {what}"), args[0].span));
    }
    rule.skb_conditions = p.cond("interface").is_some() || p.cond("label").is_some();
    rule.label = p.cond_text("label")?;
    if let Some(ip) = p.cond("ip") {
        rule.local.ip = Some(check_ip(ip)?);
    }
    if let Some(port) = p.cond("port") {
        rule.local.port = Some(check_port(port)?);
    }
    if let Some(peer) = p.cond("peer") {
        let TokenKind::List(items) = &peer.kind else {
            return Err(("peer= takes a list: peer=(ip=.. port=..)".into(), peer.span));
        };
        let pp = parts(items, &access::NO_ACCESS, &["ip", "port", "label"])?;
        no_words(&pp, "network peer")?;
        const NO_PEER: &[&str] = &[
            "bind", "listen", "getopt", "setopt", "getattr", "setattr", "shutdown", "create",
        ];
        if let Some(a) = rule.access.iter().find(|a| NO_PEER.contains(&a.as_str())) {
            return Err((format!("network `{a}` cannot have a peer"), peer.span));
        }
        rule.peer_label = pp.cond_text("label")?;
        if let Some(ip) = pp.cond("ip") {
            rule.peer.ip = Some(check_ip(ip)?);
        }
        if let Some(port) = pp.cond("port") {
            rule.peer.port = Some(check_port(port)?);
        }
    }
    let fine = rule.local != NetworkAddress::default() || rule.peer != NetworkAddress::default();
    if fine
        && let Some(d) = &rule.domain
        && d != "inet"
        && d != "inet6"
    {
        return Err((
            "ip=/port= apply only to inet and inet6".into(),
            args[0].span,
        ));
    }
    Ok(RuleKind::Network(rule))
}

fn check_ip(t: &Token) -> Result<String, RuleError> {
    let text = t.text().unwrap_or("");
    let bad = || Err((format!("invalid ip address `{text}`"), t.span));
    if text == "none" {
        return Ok(text.to_string());
    }
    let (addr, mask) = match text.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (text, None),
    };
    let parsed: Result<std::net::IpAddr, _> = addr.parse();
    let Ok(ip) = parsed else {
        return bad();
    };
    if let Some(mask) = mask {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        match mask.parse::<u32>() {
            Ok(m) if m <= max => {}
            _ => return bad(),
        }
    }
    Ok(text.to_string())
}

fn check_port(t: &Token) -> Result<String, RuleError> {
    let text = t.text().unwrap_or("");
    let ok = |s: &str| s.parse::<u16>().is_ok();
    let valid = match text.split_once('-') {
        Some((a, b)) => ok(a) && ok(b) && a.parse::<u16>().ok() <= b.parse::<u16>().ok(),
        None => ok(text),
    };
    if valid {
        Ok(text.to_string())
    } else {
        Err((format!("invalid port `{text}`"), t.span))
    }
}

pub(crate) fn unix(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(
        args,
        &access::NET,
        &["type", "protocol", "addr", "label", "attr", "opt", "peer"],
    )?;
    no_words(&p, "unix")?;
    no_target(&p, "unix")?;
    let mut rule = UnixRule {
        access: p.access.clone(),
        sock_type: p.cond_text("type")?,
        protocol: p.cond_text("protocol")?,
        addr: p.cond_text("addr")?,
        label: p.cond_text("label")?,
        attr: p.cond_text("attr")?,
        opt: p.cond_text("opt")?,
        ..Default::default()
    };
    if let Some(t) = &rule.sock_type
        && !["stream", "dgram", "seqpacket"].contains(&t.as_str())
        && !t.contains(['{', '*', '[', '?'])
    {
        return Err((
            format!("invalid unix socket type `{t}`"),
            p.cond("type").map(|c| c.span).unwrap_or_default(),
        ));
    }
    if let Some(a) = &rule.addr {
        check_unix_addr(a, p.cond("addr"))?;
    }
    if let Some(peer) = p.cond("peer") {
        let TokenKind::List(items) = &peer.kind else {
            return Err((
                "peer= takes a list: peer=(label=.. addr=..)".into(),
                peer.span,
            ));
        };
        let pp = parts(items, &access::NO_ACCESS, &["label", "addr"])?;
        no_words(&pp, "unix peer")?;
        const NO_PEER: &[&str] = &[
            "bind", "listen", "getopt", "setopt", "getattr", "setattr", "shutdown", "create",
        ];
        if let Some(a) = rule.access.iter().find(|a| NO_PEER.contains(&a.as_str())) {
            return Err((format!("unix `{a}` cannot have a peer"), peer.span));
        }
        rule.peer_label = pp.cond_text("label")?;
        rule.peer_addr = pp.cond_text("addr")?;
        if let Some(a) = &rule.peer_addr {
            check_unix_addr(a, pp.cond("addr"))?;
        }
    }
    Ok(RuleKind::Unix(rule))
}

fn check_unix_addr(addr: &str, tok: Option<&Token>) -> Result<(), RuleError> {
    if addr.starts_with('@')
        || addr.starts_with('/')
        || addr == "none"
        || addr == "auto"
        || addr.starts_with('{')
        || addr.starts_with('*')
    {
        Ok(())
    } else {
        Err((
            format!("invalid unix address `{addr}`"),
            tok.map(|t| t.span).unwrap_or_default(),
        ))
    }
}
