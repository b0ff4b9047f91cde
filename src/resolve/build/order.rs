//! The order apparmor_parser 5.0.2's grammar gives the tokens of each rule
//! class with conditions: an access first, then (network) family and type,
//! then `key=value` conditions, then at most one group (`peer=(...)`);
//! mqueue puts its name after the conditions; mount, remount, umount and
//! pivot_root take their conditions before the path. A token out of that
//! order is a syntax error in 5.0.2 (`unix peer=(label=a) type=stream,`,
//! `network ip=1.2.3.4 inet,`, `mount /a options=ro,`).

use super::RuleError;
use crate::model::access;
use crate::syntax::{Token, TokenKind};

/// Where a token of a rule stands in its class's order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Place {
    /// The access, and network's family and type.
    Lead,
    /// A `key=value`, `key=(...)` or `key in (...)` condition.
    Condition,
    /// `peer=(...)` or `xattrs=(...)`: the lexer reads these as a group of
    /// conditions, which the grammar takes once, after the others.
    Group,
    /// mqueue's name, after the conditions.
    Trailing,
}

/// The classes whose grammar puts conditions before the path.
const CONDITIONS_FIRST: &[&str] = &["mount", "remount", "umount", "unmount", "pivot_root"];

/// The classes whose grammar reads access, conditions and a group in that
/// order.
const ACCESS_FIRST: &[&str] = &[
    "network", "unix", "dbus", "signal", "ptrace", "userns", "mqueue", "io_uring",
];

/// Checks the order of a rule's arguments (the tokens after its class
/// keyword).
pub(super) fn check_order(keyword: &str, args: &[Token]) -> Result<(), RuleError> {
    if CONDITIONS_FIRST.contains(&keyword) {
        return conditions_first(args);
    }
    if !ACCESS_FIRST.contains(&keyword) {
        return Ok(());
    }
    let mut last = Place::Lead;
    for (i, t) in args.iter().enumerate() {
        let place = match &t.kind {
            TokenKind::Cond { .. } if is_group(t) => Place::Group,
            TokenKind::Cond { .. } => Place::Condition,
            // The access is the first token; mqueue's name may follow the
            // conditions (or stand first when it is no access).
            TokenKind::List(_) if i == 0 => Place::Lead,
            TokenKind::Word(w) if keyword == "mqueue" && !(i == 0 && knows_mqueue(w)) => {
                Place::Trailing
            }
            TokenKind::Quoted(_) if keyword == "mqueue" => Place::Trailing,
            // An arrow and what follows are judged by the class.
            TokenKind::Arrow => return Ok(()),
            _ => Place::Lead,
        };
        let repeated_group = place == Place::Group && last == Place::Group;
        if place < last || repeated_group {
            return Err((out_of_order(keyword, t, last), t.span));
        }
        last = place;
    }
    Ok(())
}

/// mount, remount, umount, pivot_root: conditions, then the path; after
/// `->` (mount, pivot_root) the class judges what stands there.
fn conditions_first(args: &[Token]) -> Result<(), RuleError> {
    let mut path_seen = false;
    for t in args {
        match &t.kind {
            TokenKind::Arrow => return Ok(()),
            TokenKind::Cond { key, .. } if path_seen => {
                return Err((
                    format!("condition `{key}=` after the path: conditions come first"),
                    t.span,
                ));
            }
            TokenKind::Cond { .. } => {}
            _ => path_seen = true,
        }
    }
    Ok(())
}

/// `peer=(...)`/`xattrs=(...)`: 5.0.2's lexer reads a group of conditions.
fn is_group(t: &Token) -> bool {
    matches!(&t.kind, TokenKind::Cond { key, is_in: false, value, .. }
        if matches!(key.as_str(), "peer" | "xattrs") && matches!(value.kind, TokenKind::List(_)))
}

fn knows_mqueue(w: &str) -> bool {
    access::MQUEUE.knows(w)
}

fn out_of_order(keyword: &str, t: &Token, after: Place) -> String {
    let what = match &t.kind {
        TokenKind::Cond { key, .. } if is_group(t) => format!("`{key}=(...)`"),
        TokenKind::Cond { key, .. } => format!("condition `{key}=`"),
        TokenKind::List(_) => "`(...)`".to_string(),
        _ => format!("`{}`", t.text().unwrap_or("")),
    };
    let after = match after {
        Place::Group => "a `peer=(...)` group (it comes last, once)",
        Place::Trailing => "the message queue name (it comes last)",
        _ => "the conditions",
    };
    format!("{what} cannot follow {after} in a {keyword} rule")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Item, Source, parse};
    use std::sync::Arc;

    fn order(rule: &str) -> Result<(), String> {
        let text = format!("profile p {{\n  {rule}\n}}\n");
        let parsed = parse(Arc::new(Source::new("t", None, text.as_str())));
        let Some(Item::Profile(p)) = parsed.items.first() else {
            panic!("{rule}: {:?}", parsed.errors)
        };
        let Some(Item::Rule(r)) = p.items.first() else {
            panic!("{rule}")
        };
        let keyword = r.tokens[0].word().unwrap_or("");
        check_order(keyword, &r.tokens[1..]).map_err(|(m, _)| m)
    }

    #[test]
    fn access_then_conditions_then_one_group() {
        for ok in [
            "network (create) inet stream ip=1.2.3.4 port=80,",
            "network inet stream peer=(ip=1.2.3.4),",
            "unix (send) type=stream peer=(label=a),",
            "dbus send bus=session path=/a,",
            "signal (send) set=(hup) peer=a,",
            "mqueue r type=posix label=a /a,",
            "mqueue /a,",
            "io_uring sqpoll label=a,",
        ] {
            assert_eq!(order(ok), Ok(()), "{ok}");
        }
        for bad in [
            "network ip=1.2.3.4 inet,",
            "network inet peer=(ip=1.2.3.4) stream,",
            "network peer=(ip=1.2.3.4) ip=1.2.3.4,",
            "unix peer=(label=a) type=stream,",
            "unix peer=(label=a) peer=(label=b),",
            "mqueue /a type=posix,",
            "mqueue label=a /a type=posix,",
            "io_uring label=a sqpoll,",
        ] {
            assert!(order(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mount_conditions_come_before_the_path() {
        for ok in [
            "mount options=ro /a -> /b,",
            "remount options=ro /a,",
            "pivot_root oldroot=/a /b -> c,",
        ] {
            assert_eq!(order(ok), Ok(()), "{ok}");
        }
        for bad in [
            "mount /a options=ro,",
            "mount /a options=ro -> /b,",
            "umount /a options=ro,",
            "pivot_root /b oldroot=/a,",
        ] {
            assert!(order(bad).is_err(), "{bad}");
        }
    }
}
