//! `unix` rules with unix-socket mediation (§5.4): class 4 (v7,
//! `network/af_unix`) or 14 when the kernel also has `network_v8`.
//!
//! A rule becomes up to six match strings sharing the prefix
//! `C \0\1 type(2 or ..) protocol(2 or ..)`, one per group of
//! permissions: create; bind of an unnamed socket; local operations on
//! (addr, label); listen; socket options; and peer operations that also
//! match the peer's address and label.

use super::error::EncodeError;
use super::network::{
    NET_ACCEPT, NET_BIND, NET_CONNECT, NET_CREATE, NET_GETATTR, NET_GETOPT, NET_LISTEN,
    NET_RECEIVE, NET_SEND, NET_SETATTR, NET_SETOPT, NET_SHUTDOWN, map_perms, socket_type,
};
use super::pdb::{any, glob_or, vec_join};
use super::record::{PolicyRecord, RuleMode, RulePerms};
use crate::aare::{self, GlobStyle};
use crate::expr::{ByteSet, Expr};
use crate::model::{Qualifiers, UnixRule};

const LOCAL: u32 = NET_BIND | NET_SHUTDOWN | NET_SETATTR | NET_GETATTR | NET_ACCEPT;
const OPT: u32 = NET_SETOPT | NET_GETOPT;
const PEER: u32 = NET_SEND | NET_RECEIVE | NET_CONNECT | NET_ACCEPT;

/// Command bytes after the local part.
const CMD_PEER: u8 = 0x01;
const CMD_LISTEN: u8 = 0x02;
const CMD_OPT: u8 = 0x04;

/// A unix address condition: absent = any bytes, `none` = `\x01`,
/// `auto` = NUL + five hex digits, otherwise NUL + the name after its
/// first character (NUL-matching wildcards). The front end admits only
/// `@name` as written, but a variable may expand to anything: 5.0.2
/// drops the first character whatever it is (`@{var}` holding `/abc`
/// names `abc`), after folding repeated slashes.
fn addr_expr(addr: Option<&str>) -> Result<Expr, EncodeError> {
    let Some(addr) = addr else {
        return Ok(Expr::Star(Box::new(Expr::Any)));
    };
    if addr == "none" {
        return Ok(Expr::Byte(0x01));
    }
    if addr == "auto" {
        let mut hex = ByteSet::default();
        hex.insert_range(b'0', b'9');
        hex.insert_range(b'a', b'f');
        let mut parts = vec![Expr::Byte(0)];
        parts.extend(std::iter::repeat_n(Expr::Class(hex), 5));
        return Ok(Expr::Concat(parts));
    }
    let filtered = aare::filter_slashes(addr);
    let glob = aare::convert(after_first_char(&filtered), GlobStyle::Null).map_err(|source| {
        EncodeError::Pattern {
            pattern: addr.to_owned(),
            source,
        }
    })?;
    Ok(Expr::Concat(vec![Expr::Byte(0), glob.expr]))
}

/// `text` without its first character as the parser's lexer reads it:
/// an escape (`\x40`, `\100`, `\d064`) counts as one character.
fn after_first_char(text: &str) -> &str {
    let bytes = text.as_bytes();
    let escape_len = match (bytes.first(), bytes.get(1)) {
        (Some(b'\\'), Some(b'x')) => 2 + count_digits(&bytes[2..], 16, 2),
        (Some(b'\\'), Some(b'd')) => 2 + count_digits(&bytes[2..], 10, 3),
        (Some(b'\\'), Some(b'0'..=b'7')) => 1 + count_digits(&bytes[1..], 8, 3),
        _ => 0,
    };
    if escape_len > 2 || (escape_len == 2 && bytes[1].is_ascii_digit()) {
        return &text[escape_len..];
    }
    let mut chars = text.chars();
    chars.next();
    chars.as_str()
}

fn count_digits(bytes: &[u8], radix: u32, max: usize) -> usize {
    bytes
        .iter()
        .take(max)
        .take_while(|b| char::from(**b).is_digit(radix))
        .count()
}

/// Converts a unix rule's path addresses without using them:
/// apparmor_parser rejects a bad path pattern even when the kernel lacks
/// unix mediation and the rule becomes a plain network rule, but not a
/// bad abstract (`@`) name (under debian-6.1's features, 5.0.2 rejects
/// unix/bad_regex_04 `addr=/some/random/{path` and accepts bad_regex_01
/// `addr=@foo{one,two`).
pub fn check_unix_patterns(unix: &UnixRule) -> Result<(), EncodeError> {
    for addr in [&unix.addr, &unix.peer_addr].into_iter().flatten() {
        if addr.starts_with('/') {
            addr_expr(Some(addr))?;
        }
    }
    Ok(())
}

fn two_bytes_or_any(value: Option<u16>) -> [Expr; 2] {
    match value {
        Some(v) => v.to_be_bytes().map(Expr::Byte),
        None => [Expr::Any, Expr::Any],
    }
}

/// Appends the unix-mediation rules of one unix rule under `class`.
pub fn encode_unix(
    q: &Qualifiers,
    unix: &UnixRule,
    class: u8,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = crate::model::access::NET.grant(&unix.access);
    let sock_type = match &unix.sock_type {
        Some(name) => Some(socket_type(name)?),
        None => None,
    };
    let protocol = unix.protocol.as_deref().and_then(|p| p.parse::<u16>().ok());
    let mut prefix = vec![Expr::Byte(class), Expr::Byte(0), Expr::Byte(1)];
    prefix.extend(two_bytes_or_any(sock_type));
    prefix.extend(two_bytes_or_any(protocol));
    let prefix = Expr::Concat(prefix);
    // apparmor_parser takes no local label condition; any label matches.
    let label = any();
    let local = vec_join(vec![
        Expr::Concat(vec![prefix.clone(), addr_expr(unix.addr.as_deref())?]),
        label.clone(),
        Expr::Empty,
    ]);
    let mut push = |expr: Expr, mask: u32| {
        let granted = perms & mask;
        if granted == 0 {
            return;
        }
        out.push((expr.clone(), record(q, &expr, granted, mask)));
    };
    let has_peer = unix.peer_addr.is_some() || unix.peer_label.is_some();
    if !has_peer {
        push(prefix.clone(), NET_CREATE);
    }
    // Bind without an address (autobind): granted by a rule without
    // `addr=` and by `addr=auto`, which grants no other bind.
    let autobind = unix.addr.as_deref() == Some("auto");
    if unix.addr.is_none() || autobind {
        let unnamed = vec_join(vec![prefix.clone(), label.clone(), Expr::Empty]);
        push(unnamed, NET_BIND);
    }
    let perms = if autobind { perms & !NET_BIND } else { perms };
    let mut push = |expr: Expr, mask: u32| {
        let granted = perms & mask;
        if granted == 0 {
            return;
        }
        out.push((expr.clone(), record(q, &expr, granted, mask)));
    };
    if has_peer {
        // A peer condition restricts only what involves the peer; accept
        // stays allowed on the local socket and with any peer (5.0.2).
        push(local.clone(), NET_ACCEPT);
        // Without a local address the local string already matches any
        // peer part; with one, accept is granted on the local socket
        // only (5.0.2: `unix addr=@a peer=(addr=@b),`).
        if unix.addr.is_none() {
            let any_peer = Expr::Concat(vec![
                local.clone(),
                Expr::Byte(CMD_PEER),
                Expr::Star(Box::new(Expr::Any)),
                Expr::Byte(0),
            ]);
            push(any_peer, NET_ACCEPT);
        }
    } else {
        push(local.clone(), LOCAL);
        push(
            Expr::Concat(vec![
                local.clone(),
                Expr::Byte(CMD_LISTEN),
                Expr::Any,
                Expr::Any,
            ]),
            NET_LISTEN,
        );
        push(
            Expr::Concat(vec![
                local.clone(),
                Expr::Byte(CMD_OPT),
                Expr::Any,
                Expr::Any,
            ]),
            OPT,
        );
    }
    let peer = Expr::Concat(vec![
        local,
        Expr::Byte(CMD_PEER),
        vec_join(vec![
            addr_expr(unix.peer_addr.as_deref())?,
            glob_or(unix.peer_label.as_deref(), any)?,
        ]),
    ]);
    push(peer, PEER);
    Ok(())
}

/// The record of one unix match string: the granted bits, audited (or,
/// for deny rules without `audit`, quieted) as granted, except that the
/// socket-option group is audited or quieted whole. So 5.0.2 does:
/// `deny unix (send),` quiets send but not the receive, connect and accept
/// that share its state, `deny unix (setopt),` quiets setopt and getopt.
fn record(q: &Qualifiers, expr: &Expr, granted: u32, group: u32) -> PolicyRecord {
    let mut perms = RulePerms::for_rule(q, aare::is_exact(expr), map_perms(granted), 0);
    let marked = match perms.mode {
        RuleMode::Deny => !q.audit,
        RuleMode::Allow | RuleMode::Prompt => q.audit,
    };
    if marked {
        perms.audit = map_perms(if group == OPT { group } else { granted });
    }
    PolicyRecord::Rule(perms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_stream_is_one_peer_rule() {
        // §5.4: `unix (send) type=stream,` → one rule, perms 0x2.
        let rule = UnixRule {
            access: vec!["send".into()],
            sock_type: Some("stream".into()),
            ..UnixRule::default()
        };
        let mut out = Vec::new();
        encode_unix(&Qualifiers::default(), &rule, 14, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        let PolicyRecord::Rule(perms) = out[0].1 else {
            panic!("rule record expected")
        };
        assert_eq!(perms.perms, 0x2);
    }

    #[test]
    fn first_character_of_an_address_may_be_an_escape() {
        assert_eq!(after_first_char("@abc"), "abc");
        assert_eq!(after_first_char("\\x40abc"), "abc");
        assert_eq!(after_first_char("\\100abc"), "abc");
        assert_eq!(after_first_char("\\d064abc"), "abc");
        assert_eq!(after_first_char("/abc"), "abc");
    }

    #[test]
    fn bad_address_patterns_are_errors() {
        let rule = UnixRule {
            addr: Some("/some/random/{path".into()),
            ..UnixRule::default()
        };
        assert!(check_unix_patterns(&rule).is_err());
        assert!(check_unix_patterns(&UnixRule::default()).is_ok());
        let abstract_name = UnixRule {
            addr: Some("@foo{one,two".into()),
            ..UnixRule::default()
        };
        assert!(check_unix_patterns(&abstract_name).is_ok());
    }

    #[test]
    fn bare_rule_groups() {
        let mut out = Vec::new();
        encode_unix(&Qualifiers::default(), &UnixRule::default(), 4, &mut out).unwrap();
        let perms: Vec<u32> = out
            .iter()
            .map(|(_, r)| match r {
                PolicyRecord::Rule(rule) => rule.perms,
                PolicyRecord::State(_) => 0,
            })
            .collect();
        assert_eq!(perms, [0x10, 0x20000, 0x3c020, 0x40000, 0x180000, 0x10046]);
    }

    #[test]
    fn audit_and_quiet_cover_the_granted_bits_or_the_whole_option_group() {
        let rule = UnixRule {
            access: vec!["send".into()],
            ..UnixRule::default()
        };
        let deny = Qualifiers {
            verdict: crate::model::Verdict::Deny,
            ..Qualifiers::default()
        };
        let mut out = Vec::new();
        encode_unix(&deny, &rule, 14, &mut out).unwrap();
        let PolicyRecord::Rule(perms) = out[0].1 else {
            panic!("rule record expected")
        };
        assert_eq!((perms.perms, perms.audit), (map_perms(0x2), map_perms(0x2)));
        let setopt = UnixRule {
            access: vec!["setopt".into()],
            ..UnixRule::default()
        };
        for q in [
            deny,
            Qualifiers {
                audit: true,
                ..Qualifiers::default()
            },
        ] {
            let mut out = Vec::new();
            encode_unix(&q, &setopt, 14, &mut out).unwrap();
            let PolicyRecord::Rule(perms) = out[0].1 else {
                panic!("rule record expected")
            };
            assert_eq!(perms.audit, map_perms(OPT), "{q:?}");
        }
    }
}
