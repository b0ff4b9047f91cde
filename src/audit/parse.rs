//! Reading one AppArmor audit record out of a log line, whichever tool
//! printed it: auditd's `/var/log/audit/audit.log` (`type=AVC
//! msg=audit(...): apparmor=...`, dbus-daemon's as `type=USER_AVC ...
//! msg='apparmor=... '`), `dmesg` (`audit: type=1400 audit(...): ...`),
//! `journalctl` (`host kernel: audit: ...`, `dbus-daemon[N]: apparmor=...`).
//! Everything before `apparmor=` is the tool's prefix; from there the
//! record is `key=value` fields, a value `"quoted"`, or a bare word, which
//! for the fields the kernel logs as untrusted strings (names, labels) is
//! the string's bytes in hex (`name=2F746D702F612062`, used when the
//! string has a space, a quote or a control character).

use thiserror::Error;

/// Why a line with `apparmor=` is not a record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuditError {
    #[error("unterminated quote in the value of `{0}`")]
    Unterminated(String),
    #[error("the record has no `{0}=` field")]
    Missing(&'static str),
    #[error("`{key}={value}`: {message}")]
    BadValue {
        key: String,
        value: String,
        message: String,
    },
}

/// One AppArmor audit record: its kind (`DENIED`, `ALLOWED`, `AUDIT`,
/// `STATUS`, …), operation, the confined profile, and every field with
/// its value decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub kind: String,
    pub operation: String,
    /// `profile=` (the kernel) or `label=` (dbus-daemon).
    pub profile: String,
    pub fields: Vec<(String, String)>,
}

impl AuditRecord {
    /// The value of field `key` (the last one when repeated).
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The record as `key="value"` text again (bare values stay bare).
    pub fn summary(&self) -> String {
        format!(
            "apparmor=\"{}\" operation=\"{}\" profile=\"{}\"",
            self.kind, self.operation, self.profile
        )
    }
}

/// Fields the kernel (and dbus-daemon) log with `audit_log_untrustedstring`:
/// quoted when safe, else hex.
const UNTRUSTED: &[&str] = &[
    "name",
    "profile",
    "label",
    "peer",
    "peer_label",
    "target",
    "comm",
    "srcname",
    "fstype",
    "options",
    "exe",
    "path",
    "interface",
    "member",
    "bus",
    "namespace",
];

/// Decodes an even-length string of hex digits; `None` otherwise.
fn unhex(text: &str) -> Option<String> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect();
    Some(String::from_utf8_lossy(&bytes?).into_owned())
}

/// Parses the record in `line`; `Ok(None)` when the line has no
/// `apparmor=` field (another tool's line).
pub fn parse_line(line: &str) -> Result<Option<AuditRecord>, AuditError> {
    let Some(start) = find_field(line, "apparmor=") else {
        return Ok(None);
    };
    let fields = fields(&line[start..])?;
    let get = |key: &'static str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let kind = get("apparmor").ok_or(AuditError::Missing("apparmor"))?;
    let operation = get("operation").ok_or(AuditError::Missing("operation"))?;
    let profile = get("profile")
        .or_else(|| get("label"))
        .ok_or(AuditError::Missing("profile"))?;
    Ok(Some(AuditRecord {
        kind,
        operation,
        profile,
        fields,
    }))
}

/// Where `key` starts as a field of `line` (at the start or after a
/// blank or a quote, so `xapparmor=` does not count).
fn find_field(line: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = line[from..].find(key) {
        let at = from + found;
        let before = line[..at].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == '\'' || c == ':') {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// The `key=value` fields of a record's text.
fn fields(text: &str) -> Result<Vec<(String, String)>, AuditError> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\'');
        if rest.is_empty() {
            break;
        }
        let key_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        let after = &rest[key_len..];
        let Some(value_text) = after.strip_prefix('=').filter(|_| !key.is_empty()) else {
            // A word that is no field (auditd's trailing text): skip it.
            let skip = rest.find(char::is_whitespace).unwrap_or(rest.len()).max(1);
            rest = &rest[skip.min(rest.len())..];
            continue;
        };
        let (value, next) = if let Some(quoted) = value_text.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| AuditError::Unterminated(key.to_string()))?;
            (quoted[..end].to_string(), &quoted[end + 1..])
        } else {
            let end = value_text
                .find(|c: char| c.is_whitespace() || c == '\'')
                .unwrap_or(value_text.len());
            let bare = &value_text[..end];
            let value = if UNTRUSTED.contains(&key) {
                unhex(bare).unwrap_or_else(|| bare.to_string())
            } else {
                bare.to_string()
            };
            (value, &value_text[end..])
        };
        out.push((key.to_string(), value));
        rest = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format() {
        let auditd = r#"type=AVC msg=audit(1733480000.123:456): apparmor="DENIED" operation="open" class="file" profile="app" name="/etc/shadow" pid=42 comm="app" requested_mask="r" denied_mask="r" fsuid=1000 ouid=0"#;
        let record = parse_line(auditd).unwrap().unwrap();
        assert_eq!(
            (
                record.kind.as_str(),
                record.operation.as_str(),
                record.profile.as_str()
            ),
            ("DENIED", "open", "app")
        );
        assert_eq!(record.field("name"), Some("/etc/shadow"));
        assert_eq!(record.field("fsuid"), Some("1000"));
        let dmesg = r#"[ 1234.5678] audit: type=1400 audit(1733480000.123:456): apparmor="DENIED" operation="capable" profile="app" pid=42 comm="app" capability=21  capname="sys_admin""#;
        assert_eq!(
            parse_line(dmesg).unwrap().unwrap().field("capname"),
            Some("sys_admin")
        );
        let journal = r#"Dec 06 18:00:00 host kernel: audit: type=1400 audit(1733480000.123:456): apparmor="DENIED" operation="open" profile="app" name=2F746D702F612062 pid=42 comm="app" requested_mask="w" denied_mask="w" fsuid=0 ouid=0"#;
        assert_eq!(
            parse_line(journal).unwrap().unwrap().field("name"),
            Some("/tmp/a b")
        );
        let user_avc = r#"type=USER_AVC msg=audit(1733480000.1:7): pid=1 uid=101 auid=4294967295 ses=4294967295 msg='apparmor="DENIED" operation="dbus_bind" bus="session" name="org.x" mask="bind" pid=42 label="app"  exe="/usr/bin/dbus-daemon" sauid=101 hostname=? addr=? terminal=?'"#;
        let record = parse_line(user_avc).unwrap().unwrap();
        assert_eq!(
            (record.profile.as_str(), record.field("mask")),
            ("app", Some("bind"))
        );
        assert_eq!(record.field("terminal"), Some("?"));
        // Hex only for untrusted strings; a signal name stays a word.
        let signal = r#"apparmor="DENIED" operation="signal" profile="app" pid=1 comm="kill" requested_mask="send" denied_mask="send" signal=abrt peer="unconfined""#;
        assert_eq!(
            parse_line(signal).unwrap().unwrap().field("signal"),
            Some("abrt")
        );
    }

    proptest::proptest! {
        /// Any text, also near-records, gives a record, nothing or an
        /// error: never a panic.
        #[test]
        fn never_panics(prefix in "(apparmor=|name=|\"|'| |é|[a-z_]{1,4}=|[0-9A-F]{1,6}){0,12}", tail in "\\PC{0,40}") {
            let line = format!("{prefix}{tail}");
            if let Ok(Some(record)) = parse_line(&line) {
                let _ = record.request();
            }
            let _ = crate::spec::parse::words(&line);
        }
    }

    #[test]
    fn other_lines_and_errors() {
        assert_eq!(parse_line("kernel: usb 1-1: new device"), Ok(None));
        assert_eq!(parse_line("xapparmor=\"DENIED\""), Ok(None));
        assert_eq!(
            parse_line(r#"apparmor="DENIED" operation="open" profile="app" name="/x"#),
            Err(AuditError::Unterminated("name".into()))
        );
        assert_eq!(
            parse_line(r#"apparmor="DENIED" profile="app""#),
            Err(AuditError::Missing("operation"))
        );
        assert_eq!(unhex("2F78"), Some("/x".into()));
        assert_eq!(unhex("2F7"), None);
        assert_eq!(unhex("zz"), None);
    }
}
