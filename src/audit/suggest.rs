//! The narrowest rule that would allow a logged access, and the deny
//! rules that would still win over it.
//!
//! "Narrowest" means the rule names exactly what the record logged: the
//! path as a literal (every AARE special character escaped), only the
//! permissions not granted yet, the peer, signal, socket type, bus fields
//! and mount flags of the request; never a glob, never a wider class.

use super::AuditRecord;
use crate::query::explain::RuleMatch;
use crate::query::{Answer, Request};
use serde::Serialize;

/// A rule to add to the profile, and what would still deny the access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The rule text, ending in `,`.
    pub rule: String,
    /// Deny rules that match the request: adding `rule` changes nothing
    /// while they stay (deny beats allow).
    pub deny_rules: Vec<RuleMatch>,
    /// From a blob: a deny rule is known to match (no rule text).
    pub denied_by_policy: bool,
    /// Caveats (fields the rule cannot narrow to).
    pub notes: Vec<String>,
}

impl Suggestion {
    /// Whether a deny rule would still win over the suggested rule.
    pub fn deny_wins(&self) -> bool {
        !self.deny_rules.is_empty() || self.denied_by_policy
    }
}

/// AARE characters that need a backslash to stand for themselves.
const SPECIAL: &[char] = &['\\', '*', '?', '[', ']', '{', '}', '^', '"', '@'];

/// `text` as an AARE literal: special characters escaped, control bytes
/// as `\xHH`, quoted when it holds anything but plain path characters.
pub fn literal(text: &str) -> String {
    let mut out = String::new();
    let mut quote = text.is_empty();
    for c in text.chars() {
        if SPECIAL.contains(&c) {
            // An escaped quote reads safest inside a quoted string.
            quote |= c == '"';
            out.push('\\');
            out.push(c);
        } else if c.is_ascii_control() {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            let plain = c.is_ascii_alphanumeric() || "/._-+:~%".contains(c) || !c.is_ascii();
            quote |= !plain;
            out.push(c);
        }
    }
    if quote { format!("\"{out}\"") } else { out }
}

/// The rule for a denied answer; `None` when the request was allowed.
pub fn suggest(record: &AuditRecord, answer: &Answer) -> Option<Suggestion> {
    if answer.decision == crate::query::Decision::Allow {
        return None;
    }
    let mut notes = Vec::new();
    let missing = answer.missing.join(" ");
    let rule = match &answer.request {
        Request::File { path, owner, .. } => {
            if let Some(target) = record.field("target").filter(|_| missing.contains('l')) {
                notes.push(format!(
                    "a link is also checked at its target: `{}link {} -> {},` is narrower",
                    if *owner { "owner " } else { "" },
                    literal(path),
                    literal(target)
                ));
            }
            format!(
                "{}{} {},",
                if *owner { "owner " } else { "" },
                literal(path),
                answer.missing.concat()
            )
        }
        Request::Exec { path, owner } => {
            let prefix = if *owner { "owner " } else { "" };
            // The transition the kernel logged as `target`: another
            // profile gets `Px -> target`; the own profile (or none) `ix`,
            // which keeps the task in the confinement it has.
            match record.field("target") {
                Some(target) if target != record.profile && !target.is_empty() => {
                    if target == path {
                        format!("{prefix}{} Px,", literal(path))
                    } else {
                        format!("{prefix}{} Px -> {},", literal(path), literal(target))
                    }
                }
                _ => format!("{prefix}{} ix,", literal(path)),
            }
        }
        Request::Capability { name, .. } => format!("capability {name},"),
        Request::Network {
            family, sock_type, ..
        } => {
            if record.field("protocol").is_some_and(|p| p != "0") {
                notes.push(
                    "the rule names no protocol: it covers every protocol of this socket type"
                        .into(),
                );
            }
            format!("network ({missing}) {family} {sock_type},")
        }
        Request::Signal { signal, peer, .. } => {
            format!("signal ({missing}) set=({signal}) peer={},", literal(peer))
        }
        Request::Ptrace { peer, .. } => format!("ptrace ({missing}) peer={},", literal(peer)),
        Request::Userns => "userns create,".into(),
        Request::Dbus {
            access,
            bus,
            name,
            peer,
            path,
            interface,
            member,
            ..
        } => {
            let mut rule = format!("dbus ({access}) bus={}", literal(bus));
            match access.as_str() {
                "bind" => rule.push_str(&format!(" name={}", literal(name))),
                "eavesdrop" => {}
                _ => {
                    for (key, value) in
                        [("path", path), ("interface", interface), ("member", member)]
                    {
                        if !value.is_empty() {
                            rule.push_str(&format!(" {key}={}", literal(value)));
                        }
                    }
                    let mut peer_parts = Vec::new();
                    if !name.is_empty() {
                        peer_parts.push(format!("name={}", literal(name)));
                    }
                    if !peer.is_empty() {
                        peer_parts.push(format!("label={}", literal(peer)));
                    }
                    if !peer_parts.is_empty() {
                        rule.push_str(&format!(" peer=({})", peer_parts.join(" ")));
                    }
                }
            }
            rule.push(',');
            rule
        }
        Request::Mount {
            point,
            source,
            fstype,
            flags,
        } => mount_rule(point, source, fstype, *flags),
        Request::Umount { point } => format!("umount {},", literal(point)),
        Request::PivotRoot { new_root, old_root } => {
            if old_root.is_empty() {
                format!("pivot_root {},", literal(new_root))
            } else {
                format!(
                    "pivot_root oldroot={} {},",
                    literal(old_root),
                    literal(new_root)
                )
            }
        }
    };
    let deny_rules: Vec<RuleMatch> = answer
        .rules
        .iter()
        .flatten()
        .filter(|r| r.verdict == "deny" && r.only_for.is_none())
        .cloned()
        .collect();
    Some(Suggestion {
        denied_by_policy: answer.explicit_deny && answer.rules.is_none(),
        rule,
        deny_rules,
        notes,
    })
}

/// A mount rule for exactly this call: the fields the kernel matched for
/// its kind, and `options=` naming exactly its flags.
fn mount_rule(point: &str, source: &str, fstype: &str, flags: u32) -> String {
    use crate::encode::request::{MountCall, mount_call, mount_option_words};
    let mut words = mount_option_words(flags).unwrap_or_default();
    if flags & 1 == 0 {
        words.insert(0, "rw");
    }
    let options = format!("options=({})", words.join(", "));
    let source_part = |rule: &mut String| {
        if !source.is_empty() {
            rule.push(' ');
            rule.push_str(&literal(source));
        }
    };
    let mut rule = String::from("mount");
    match mount_call(flags) {
        MountCall::Remount | MountCall::ChangeType => {
            rule.push_str(&format!(" {options}"));
        }
        MountCall::Bind | MountCall::Move => {
            rule.push_str(&format!(" {options}"));
            source_part(&mut rule);
        }
        MountCall::New => {
            if !fstype.is_empty() {
                rule.push_str(&format!(" fstype={}", literal(fstype)));
            }
            rule.push_str(&format!(" {options}"));
            source_part(&mut rule);
        }
    }
    rule.push_str(&format!(" -> {},", literal(point)));
    rule
}

impl Suggestion {
    /// Indented lines: the rule, the deny rules that would still win, notes.
    pub fn to_text(&self, indent: &str) -> String {
        let mut out = format!("{indent}suggested rule: {}\n", self.rule);
        if self.deny_wins() {
            out.push_str(&format!(
                "{indent}but a deny rule would still win (deny beats allow):\n"
            ));
            out.push_str(&crate::query::report::rules_text(
                &self.deny_rules,
                &format!("{indent}  "),
            ));
            if self.deny_rules.is_empty() {
                out.push_str(&format!(
                    "{indent}  (the blob records an explicit deny; compile from source to name it)\n"
                ));
            }
        }
        for note in &self.notes {
            out.push_str(&format!("{indent}note: {note}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(literal("/etc/passwd"), "/etc/passwd");
        assert_eq!(literal("/tmp/a*b?"), "/tmp/a\\*b\\?");
        assert_eq!(literal("/tmp/{x}[y]^@z"), "/tmp/\\{x\\}\\[y\\]\\^\\@z");
        assert_eq!(literal("/tmp/a b"), "\"/tmp/a b\"");
        assert_eq!(literal("/tmp/a,b"), "\"/tmp/a,b\"");
        assert_eq!(literal("/tmp/a\"b"), "\"/tmp/a\\\"b\"");
        assert_eq!(literal("/tmp/a\nb"), "/tmp/a\\x0ab");
        assert_eq!(literal("/tmp/é"), "/tmp/é");
    }

    #[test]
    fn mount_rules() {
        assert_eq!(
            mount_rule("/mnt/", "/dev/sdb1", "ext4", 0b11),
            "mount fstype=ext4 options=(ro, nosuid) /dev/sdb1 -> /mnt/,"
        );
        assert_eq!(
            mount_rule("/mnt/", "/srv/", "", (1 << 12) | (1 << 14)),
            "mount options=(rw, rbind) /srv/ -> /mnt/,"
        );
        assert_eq!(
            mount_rule("/mnt/", "", "", (1 << 5) | 1),
            "mount options=(ro, remount) -> /mnt/,"
        );
    }
}
