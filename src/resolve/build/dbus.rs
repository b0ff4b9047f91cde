//! `dbus` rules, as apparmor_parser 5.0.2 reads them:
//!
//! ```text
//! dbus [ACCESS | (ACCESS ...)] [KEY=VALUE ...] [peer=(KEY=VALUE ...)],
//! ```
//!
//! * The access is one bare word (`send receive bind eavesdrop read
//!   write r w rw wr`) or a parenthesised list whose items are those words
//!   or strings of `r`/`w` letters (`(rww)`, `(R)`, `("")`). A list naming
//!   nothing (`()`) counts as no list.
//! * KEY is `bus`, `name`, `path`, `interface` or `member`; inside the
//!   `peer=(..)` group, which comes last, also `label`. Each key appears
//!   once across both places, with `=` and a single value (`key=(v)` is
//!   allowed). `name=` outside the group is the bound name of a service
//!   rule, inside it the peer's name.
//! * A path is slash-filtered. Which accesses fit which rule form (and
//!   what a rule without a list implies) is [`DbusRule::perms`]'s table.

use super::RuleError;
use crate::aare::filter_slashes;
use crate::model::access::{
    DBUS, DBUS_BIND, DBUS_EAVESDROP, DBUS_RECEIVE, DBUS_SEND, dbus_access_bits,
};
use crate::model::{DbusRule, RuleKind};
use crate::syntax::{Span, Token, TokenKind};

const KEYS: &[&str] = &["bus", "name", "label", "path", "interface", "member"];

pub(crate) fn dbus(args: &[Token], head: Span) -> Result<RuleKind, RuleError> {
    let mut rule = DbusRule::default();
    let mut rest = args;
    if let Some((first, tail)) = rest.split_first() {
        match &first.kind {
            TokenKind::Word(w) if is_bare_access(w) => {
                rule.access = access_bits(w, first.span)?;
                rest = tail;
            }
            TokenKind::List(items) => {
                for item in items {
                    let Some(text) = item.text() else {
                        return Err(("expected a dbus access".into(), item.span));
                    };
                    rule.access |= access_bits(text, item.span)?;
                }
                rest = tail;
            }
            _ => {}
        }
    }
    let mut peer_seen = false;
    for t in rest {
        if peer_seen {
            return Err(("nothing may follow dbus `peer=(..)`".into(), t.span));
        }
        let TokenKind::Cond { key, value, .. } = &t.kind else {
            let what = t.text().unwrap_or("(..)");
            return Err((format!("unexpected `{what}` in dbus rule"), t.span));
        };
        if key == "peer" {
            let TokenKind::List(items) = &value.kind else {
                return Err((
                    "peer= takes a group: peer=(name=.. label=..)".into(),
                    t.span,
                ));
            };
            peer_seen = true;
            for item in items {
                set_condition(&mut rule, item, true)?;
            }
        } else {
            set_condition(&mut rule, t, false)?;
        }
    }
    if let Some(path) = &rule.path {
        rule.path = Some(filter_slashes(path));
    }
    check_form(&rule).map_err(|m| (m, head))?;
    Ok(RuleKind::Dbus(rule))
}

/// A bare access is one word of the dbus table (mode strings other than
/// `r`, `w`, `rw` and `wr` only inside a list).
fn is_bare_access(word: &str) -> bool {
    DBUS.knows(word)
}

fn access_bits(text: &str, span: Span) -> Result<u32, RuleError> {
    dbus_access_bits(text).map_err(|c| {
        (
            format!("unknown dbus access character `{c}` in `{text}`"),
            span,
        )
    })
}

/// Stores one `key=value` condition, from the rule (`in_peer` false) or
/// from its `peer=(..)` group.
fn set_condition(rule: &mut DbusRule, t: &Token, in_peer: bool) -> Result<(), RuleError> {
    let TokenKind::Cond {
        key,
        is_in,
        assign,
        value,
    } = &t.kind
    else {
        let what = t.text().unwrap_or("(..)");
        return Err((
            format!("expected a `key=value` condition in dbus peer=(..), not `{what}`"),
            t.span,
        ));
    };
    if !KEYS.contains(&key.as_str()) {
        return Err((format!("invalid dbus condition `{key}`"), t.span));
    }
    if *is_in || *assign {
        return Err((format!("dbus conditions take only `=` (`{key}`)"), t.span));
    }
    if key == "label" && !in_peer {
        return Err(("dbus `label=` belongs inside peer=(..)".into(), t.span));
    }
    let text = single_value(key, value)?;
    let slot = match key.as_str() {
        "bus" => &mut rule.bus,
        "path" => &mut rule.path,
        "interface" => &mut rule.interface,
        "member" => &mut rule.member,
        "label" => &mut rule.peer_label,
        _ => {
            if rule.name.is_some() || rule.peer_name.is_some() {
                return Err(("dbus condition `name` given twice".into(), t.span));
            }
            if in_peer {
                &mut rule.peer_name
            } else {
                &mut rule.name
            }
        }
    };
    if slot.is_some() {
        return Err((format!("dbus condition `{key}` given twice"), t.span));
    }
    *slot = Some(text);
    Ok(())
}

/// The one value of a condition: a word, a quoted string, or a list of
/// exactly one of these.
fn single_value(key: &str, value: &Token) -> Result<String, RuleError> {
    let item = match &value.kind {
        TokenKind::List(items) => match items.as_slice() {
            [one] => one,
            [] => return Err((format!("dbus condition `{key}` needs a value"), value.span)),
            [_, extra, ..] => {
                return Err((
                    format!("dbus condition `{key}` takes a single value"),
                    extra.span,
                ));
            }
        },
        _ => value,
    };
    item.text().map(str::to_string).ok_or_else(|| {
        (
            format!("dbus condition `{key}` takes a single value"),
            item.span,
        )
    })
}

/// The accesses a listed form allows: a message rule neither binds nor
/// eavesdrops, a service rule neither sends nor receives, and eavesdrop
/// allows no condition but the bus.
fn check_form(rule: &DbusRule) -> Result<(), String> {
    if rule.is_message() && rule.is_service() {
        return Err("a dbus rule cannot have both message conditions and a service `name=`".into());
    }
    let access = rule.access;
    if rule.is_message() && access & DBUS_BIND != 0 {
        return Err(
            "dbus `bind` cannot be used with message conditions (path, interface, member, peer)"
                .into(),
        );
    }
    if rule.is_service() && access & (DBUS_SEND | DBUS_RECEIVE) != 0 {
        return Err("dbus `send`/`receive` cannot be used with a service `name=`".into());
    }
    if access & DBUS_EAVESDROP != 0 && (rule.is_message() || rule.is_service()) {
        return Err("dbus `eavesdrop` takes no condition but `bus=`".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::access::DBUS_ALL;
    use crate::syntax::{Item, Source, parse};
    use std::sync::Arc;

    /// The typed dbus rule of `dbus ARGS,`, or the error message.
    fn build(args: &str) -> Result<DbusRule, String> {
        let text = format!("profile p {{\n dbus {args},\n}}\n");
        let parsed = parse(Arc::new(Source::new("t", None, text.as_str())));
        if !parsed.errors.is_empty() {
            return Err("syntax error".into());
        }
        let Item::Profile(p) = &parsed.items[0] else {
            panic!("profile expected")
        };
        let Item::Rule(r) = &p.items[0] else {
            panic!("rule expected")
        };
        match dbus(&r.tokens[1..], Span::default()) {
            Ok(RuleKind::Dbus(rule)) => Ok(rule),
            Ok(_) => panic!("dbus rule expected"),
            Err((m, _)) => Err(m),
        }
    }

    #[test]
    fn bare_access_is_one_word_of_the_vocabulary() {
        assert_eq!(build("wr").unwrap().access, DBUS_SEND | DBUS_RECEIVE);
        assert_eq!(build("write").unwrap().access, DBUS_SEND);
        assert!(build("send receive").is_err());
        assert!(build("rr").is_err());
        assert!(build("R").is_err());
        assert!(build("send (receive)").is_err());
    }

    #[test]
    fn listed_access_takes_words_and_mode_letters() {
        assert_eq!(build("(rww)").unwrap().access, DBUS_SEND | DBUS_RECEIVE);
        assert_eq!(build("(R, bind)").unwrap().access, DBUS_RECEIVE | DBUS_BIND);
        assert_eq!(build("(\"send\")").unwrap().access, DBUS_SEND);
        // An empty list (or empty string) lists nothing: the form implies.
        assert_eq!(build("(\"\")").unwrap().perms(), DBUS_ALL);
        assert_eq!(
            build("() path=/a").unwrap().perms(),
            DBUS_SEND | DBUS_RECEIVE
        );
        assert!(build("(SEND)").is_err());
        assert!(build("(send) (receive)").is_err());
    }

    #[test]
    fn conditions_once_each_peer_group_last() {
        let r = build("peer=(path=/a//b name=n label=l)").unwrap();
        assert_eq!(r.path.as_deref(), Some("/a/b"));
        assert_eq!(r.peer_name.as_deref(), Some("n"));
        assert_eq!(r.perms(), DBUS_SEND | DBUS_RECEIVE);
        assert_eq!(build("path=(/a)").unwrap().path.as_deref(), Some("/a"));
        assert!(build("name=a peer=(name=b)").is_err());
        assert!(build("peer=(name=a) path=/a").is_err());
        assert!(build("path=(/a /b)").is_err());
        assert!(build("path in (/a)").is_err());
        assert!(build("label=a").is_err());
        assert!(build("foo=a").is_err());
        assert!(build("peer=(label=a label=b)").is_err());
    }

    #[test]
    fn access_must_fit_the_form() {
        assert_eq!(build("name=a").unwrap().perms(), DBUS_BIND);
        assert!(build("bind peer=(name=a)").is_err());
        assert!(build("send name=a").is_err());
        assert!(build("eavesdrop peer=(label=a)").is_err());
        assert!(build("(bind eavesdrop) name=a").is_err());
        assert!(build("eavesdrop bus=system peer=()").is_ok());
        assert!(build("(send bind)").is_ok());
    }
}
