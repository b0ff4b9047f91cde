//! `dbus` rules in class 32 (§5.4): bind on (bus, name), send/receive on
//! (bus, peer name, peer label, path, interface, member), eavesdrop on
//! the bus alone; missing parts match any NUL-free string.

use super::error::EncodeError;
use super::mediates::CLASS_DBUS;
use super::pdb::{any, glob_or, rule, vec_join};
use super::record::PolicyRecord;
use crate::expr::Expr;
use crate::model::{DbusRule, Qualifiers};

pub use crate::model::access::{DBUS_BIND, DBUS_EAVESDROP, DBUS_RECEIVE, DBUS_SEND};

/// Appends the policy rules of one dbus rule (bind, message, eavesdrop,
/// each only if the rule grants it, listed or implied by its form).
pub fn encode_dbus(
    q: &Qualifiers,
    dbus: &DbusRule,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = dbus.perms();
    let bus = Expr::Concat(vec![
        Expr::Byte(CLASS_DBUS),
        glob_or(dbus.bus.as_deref(), any)?,
    ]);
    // One name slot: the bound name of a service rule, the peer's name of
    // a message rule (the front end never lets a rule have both forms).
    let name = glob_or(dbus.name.as_deref().or(dbus.peer_name.as_deref()), any)?;
    if perms & DBUS_BIND != 0 {
        let expr = vec_join(vec![bus.clone(), name.clone()]);
        out.push(rule(q, expr, DBUS_BIND));
    }
    let message = perms & (DBUS_SEND | DBUS_RECEIVE);
    if message != 0 {
        let expr = vec_join(vec![
            bus.clone(),
            name,
            glob_or(dbus.peer_label.as_deref(), any)?,
            glob_or(dbus.path.as_deref(), any)?,
            glob_or(dbus.interface.as_deref(), any)?,
            glob_or(dbus.member.as_deref(), any)?,
        ]);
        out.push(rule(q, expr, message));
    }
    if perms & DBUS_EAVESDROP != 0 {
        out.push(rule(q, bus, DBUS_EAVESDROP));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(record: &PolicyRecord) -> u32 {
        record.rule().expect("rule record expected").perms
    }

    #[test]
    fn send_with_every_condition() {
        // §5.4: → `\x20system\x00e\.f\x00g\x00/a\x00b\.c\x00d`, perms 0x2.
        let rule = DbusRule {
            access: DBUS_SEND,
            bus: Some("system".into()),
            path: Some("/a".into()),
            interface: Some("b.c".into()),
            member: Some("d".into()),
            peer_name: Some("e.f".into()),
            peer_label: Some("g".into()),
            ..DbusRule::default()
        };
        let mut out = Vec::new();
        encode_dbus(&Qualifiers::default(), &rule, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(perms(&out[0].1), DBUS_SEND);
        let Expr::Concat(parts) = &out[0].0 else {
            panic!("concatenation expected")
        };
        // six parts and five separators
        assert_eq!(parts.len(), 11);
    }

    #[test]
    fn bare_rule_gives_three_rules() {
        let mut out = Vec::new();
        encode_dbus(&Qualifiers::default(), &DbusRule::default(), &mut out).unwrap();
        let all: Vec<u32> = out.iter().map(|(_, r)| perms(r)).collect();
        assert_eq!(all, [DBUS_BIND, DBUS_SEND | DBUS_RECEIVE, DBUS_EAVESDROP]);
    }

    fn granted(rule: DbusRule) -> Vec<u32> {
        let mut out = Vec::new();
        encode_dbus(&Qualifiers::default(), &rule, &mut out).unwrap();
        out.iter().map(|(_, r)| perms(r)).collect()
    }

    #[test]
    fn implied_access_follows_the_rule_form() {
        // A message condition implies send and receive only.
        let message = DbusRule {
            peer_label: Some("a".into()),
            ..DbusRule::default()
        };
        assert_eq!(granted(message), [DBUS_SEND | DBUS_RECEIVE]);
        // `name=` outside peer=() implies bind only.
        let service = DbusRule {
            name: Some("a".into()),
            ..DbusRule::default()
        };
        assert_eq!(granted(service), [DBUS_BIND]);
        // The bus alone implies everything; a listed access wins.
        let bus = DbusRule {
            bus: Some("system".into()),
            ..DbusRule::default()
        };
        assert_eq!(granted(bus.clone()).len(), 3);
        let listed = DbusRule {
            access: DBUS_EAVESDROP,
            ..bus
        };
        assert_eq!(granted(listed), [DBUS_EAVESDROP]);
    }
}
