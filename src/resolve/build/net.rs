//! Networking and IPC classes: `network`, `unix` (`dbus` has its own
//! module).

use super::RuleError;
use super::names::*;
use super::parts::{no_target, no_words, parts};
use crate::model::*;
use crate::syntax::{Span, Token, TokenKind};

/// Access words that act on the local socket alone, so a rule naming one
/// cannot have a `peer=` (network and unix rules alike).
const NO_PEER: &[&str] = &[
    "bind", "listen", "getopt", "setopt", "getattr", "setattr", "shutdown", "create",
];

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
    // The interface never reaches the blob, but 5.0.2 converts it as a
    // pattern under every kernel (`interface={a}` is an error).
    if let Some(interface) = p.cond("interface") {
        let text = interface.text().unwrap_or("");
        super::pattern::check_pattern(text).map_err(|m| (m, interface.span))?;
    }
    rule.skb_conditions = p.cond("interface").is_some() || p.cond("label").is_some();
    rule.label = p.cond_text("label")?;
    if let Some((key, _, value)) = p
        .conds
        .iter()
        .find(|(k, is_in, _)| *is_in && matches!(*k, "ip" | "port"))
    {
        return Err((
            format!("network rules take `{key}=`, not `{key} in`"),
            value.span,
        ));
    }
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

/// 5.0.2 reads only the first value of a list given to `ip=` or `port=`
/// (`ip=(1.2.3.4 x)` is `ip=1.2.3.4`; `port=(x 80)` is an error).
fn check_ip(t: &Token) -> Result<String, RuleError> {
    let t = t.first_of_list();
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
    let t = t.first_of_list();
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
    // 5.0.2 takes only type= and addr= on the local side (label= only in
    // the peer expression); the others are words of the man page's
    // grammar that the parser rejects.
    let cond_span = |key: &str| p.cond(key).map(|c| c.span).unwrap_or_default();
    if p.cond("protocol").is_some() {
        return Err((
            "unix rule: the `protocol` conditional is not supported".into(),
            cond_span("protocol"),
        ));
    }
    if p.cond("label").is_some() {
        return Err((
            "unix rule: `label` is valid only in the peer expression: peer=(label=..)".into(),
            cond_span("label"),
        ));
    }
    for key in ["attr", "opt"] {
        if p.cond(key).is_some() {
            return Err((
                format!("unix rule: invalid conditional `{key}`"),
                cond_span(key),
            ));
        }
    }
    let mut rule = UnixRule {
        access: p.access.clone(),
        sock_type: p.cond_text("type")?,
        addr: p.cond_text("addr")?,
        ..Default::default()
    };
    if let Some(t) = &rule.sock_type
        && !super::names::NETWORK_TYPES.contains(&t.as_str())
        && !t.contains(['{', '*', '[', '?'])
    {
        return Err((
            format!("invalid unix socket type `{t}`"),
            p.cond("type").map(|c| c.span).unwrap_or_default(),
        ));
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
        if let Some(a) = rule.access.iter().find(|a| NO_PEER.contains(&a.as_str())) {
            return Err((format!("unix `{a}` cannot have a peer"), peer.span));
        }
        rule.peer_label = pp.cond_text("label")?;
        rule.peer_addr = pp.cond_text("addr")?;
    }
    Ok(RuleKind::Unix(rule))
}

/// Checks the `addr=` values of a unix rule as written (before variables
/// are expanded, after escapes): 5.0.2 takes an abstract name (`@...`,
/// which any variable reference also starts with), `none` or `auto`, and
/// rejects every other value, file system paths included.
pub(crate) fn check_unix_addrs_written(tokens: &[Token]) -> Result<(), RuleError> {
    for t in tokens {
        let TokenKind::Cond { key, value, .. } = &t.kind else {
            continue;
        };
        match (key.as_str(), &value.kind) {
            ("addr", TokenKind::Word(text) | TokenKind::Quoted(text)) => {
                let text = unescape(text);
                if !(text.starts_with('@') || text == "none" || text == "auto") {
                    return Err((
                        format!(
                            "invalid unix address `{text}`: give an abstract name `@name`, `none` or `auto`"
                        ),
                        value.span,
                    ));
                }
            }
            ("peer", TokenKind::List(items)) => check_unix_addrs_written(items)?,
            _ => {}
        }
    }
    Ok(())
}

/// The text with the lexer's escapes (`\xHH`, `\NNN` octal, `\dNNN`
/// decimal, `\\`) replaced by their characters; other backslashes stay.
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            let rest = &text[i + 1..];
            let digits = |radix: u32, from: usize, max: usize| {
                let d: String = rest[from..]
                    .chars()
                    .take(max)
                    .take_while(|c| c.is_digit(radix))
                    .collect();
                u8::from_str_radix(&d, radix)
                    .ok()
                    .map(|v| (v, from + d.len()))
            };
            let decoded = match rest.as_bytes().first() {
                Some(b'x') => digits(16, 1, 2),
                Some(b'd') => digits(10, 1, 3),
                Some(b'0'..=b'7') => digits(8, 0, 3),
                Some(b'\\') => Some((b'\\', 1)),
                _ => None,
            };
            if let Some((byte, used)) = decoded {
                out.push(byte);
                i += 1 + used;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
