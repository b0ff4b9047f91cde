//! Audit records as input: `aaprof query --audit LINE`, `aaprof test
//! --audit FILE` and a spec's `audit-log FILE`.
//!
//! [`parse`] reads a record out of a log line (auditd, dmesg and
//! journalctl formats, hex-encoded names); [`AuditRecord::request`] turns
//! it into the `query` [`Request`] for the access it logged, with the
//! field names the kernel uses per class (security/apparmor: file.c
//! `requested_mask`/`fsuid`/`ouid`, capability.c `capname`, ipc.c
//! `signal`/`peer`, net.c `family`/`sock_type`, mount.c
//! `srcname`/`fstype`/`flags`, and dbus-daemon's `bus`/`mask`/`peer_label`);
//! [`suggest`] names the narrowest rule that would allow a still-denied
//! access and any deny rule that would still win.

pub mod parse;
pub mod suggest;

pub use parse::{AuditError, AuditRecord, parse_line};
pub use suggest::{Suggestion, suggest};

use crate::query::Request;
use crate::query::mount::option_flags;
use thiserror::Error;

/// Why a record names no request `query` can decide.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordError {
    #[error("operation `{0}` is not an access aaprof decides (a {1} record)")]
    Unsupported(String, String),
    #[error("operation `{operation}`: {message}")]
    Bad { operation: String, message: String },
}

/// File audit mask letters (`requested_mask="rwc"`) to rule letters:
/// create (`c`), delete (`d`) and attribute changes come with `w`.
fn file_letters(mask: &str) -> Result<String, String> {
    let mut letters = String::new();
    for c in mask.chars() {
        let letter = match c {
            'r' | 'w' | 'a' | 'x' | 'm' | 'k' | 'l' => c,
            'c' | 'd' => 'w',
            // Older kernels split owner and other masks with `::`.
            ':' => continue,
            other => return Err(format!("file mask letter `{other}` has no rule letter")),
        };
        if !letters.contains(letter) {
            letters.push(letter);
        }
    }
    // `w` already grants what `a` does.
    if letters.contains('w') {
        letters.retain(|c| c != 'a');
    }
    if letters.is_empty() {
        return Err(format!("empty file mask `{mask}`"));
    }
    Ok(letters)
}

/// The network operations the kernel logs (net.c's op names).
const NET_OPERATIONS: &[&str] = &[
    "create",
    "post_create",
    "bind",
    "connect",
    "listen",
    "accept",
    "sendmsg",
    "recvmsg",
    "getsockname",
    "getpeername",
    "getsockopt",
    "setsockopt",
    "socket_shutdown",
];

/// Mount flags as the kernel logs them (`flags="rw, nosuid, rbind"`).
fn mount_flags(text: &str) -> Result<u32, String> {
    option_flags(&text.replace(' ', "")).map_err(|e| e.to_string())
}

impl AuditRecord {
    fn need(&self, key: &str) -> Result<&str, RecordError> {
        self.field(key).ok_or_else(|| RecordError::Bad {
            operation: self.operation.clone(),
            message: format!("the record has no `{key}=` field"),
        })
    }

    fn bad(&self, message: impl Into<String>) -> RecordError {
        RecordError::Bad {
            operation: self.operation.clone(),
            message: message.into(),
        }
    }

    /// The mask of the access: `denied_mask` for a denial (what was
    /// refused), else `requested_mask`; dbus-daemon logs `mask`.
    fn mask(&self) -> Result<&str, RecordError> {
        let denied = (self.kind == "DENIED")
            .then(|| self.field("denied_mask"))
            .flatten();
        denied
            .or_else(|| self.field("requested_mask"))
            .or_else(|| self.field("mask"))
            .or_else(|| self.field("requested"))
            .ok_or_else(|| self.bad("the record has no `requested_mask=` field"))
    }

    /// The access the record logged, as a `query` request.
    pub fn request(&self) -> Result<Request, RecordError> {
        let words = self.request_words()?;
        Request::parse(&words).map_err(|e| self.bad(e.to_string()))
    }

    /// The request's words (the `query` syntax).
    fn request_words(&self) -> Result<Vec<String>, RecordError> {
        let op = self.operation.as_str();
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let class = self.field("class");
        if op == "capable" {
            let name = self.need("capname")?;
            return Ok(owned(&["capability", name]));
        }
        if matches!(op, "signal") || class == Some("signal") {
            let mut words = owned(&["signal"]);
            words.extend(self.mask()?.split_whitespace().map(String::from));
            words.push(format!("set={}", self.need("signal")?));
            words.push(format!("peer={}", self.need("peer")?));
            return Ok(words);
        }
        if op == "ptrace" || class == Some("ptrace") {
            let mut words = owned(&["ptrace"]);
            words.extend(self.mask()?.split_whitespace().map(String::from));
            words.push(format!("peer={}", self.need("peer")?));
            return Ok(words);
        }
        if op == "userns_create" || class == Some("namespace") {
            return Ok(owned(&["userns", "create"]));
        }
        if let Some(kind) = op.strip_prefix("dbus_") {
            return self.dbus_words(kind);
        }
        match op {
            "mount" => {
                let mut words = owned(&["mount", self.need("name")?]);
                if let Some(source) = self.field("srcname") {
                    words.push(format!("source={source}"));
                }
                if let Some(fstype) = self.field("fstype") {
                    words.push(format!("fstype={fstype}"));
                }
                let flags =
                    mount_flags(self.field("flags").unwrap_or("")).map_err(|e| self.bad(e))?;
                words.push(format!(
                    "options={}",
                    crate::query::mount::options_text(flags)
                ));
                return Ok(words);
            }
            "umount" => return Ok(owned(&["umount", self.need("name")?])),
            "pivotroot" => {
                let mut words = owned(&["pivot_root", self.need("name")?]);
                if let Some(old) = self.field("srcname") {
                    words.push(format!("oldroot={old}"));
                }
                return Ok(words);
            }
            _ => {}
        }
        if self.field("family").is_some() && (class == Some("net") || NET_OPERATIONS.contains(&op))
        {
            let mut words = owned(&["network", self.need("family")?, self.need("sock_type")?]);
            words.extend(self.mask()?.split_whitespace().map(String::from));
            return Ok(words);
        }
        if op == "exec" {
            let mut words = owned(&["exec", self.need("name")?]);
            if self.owner() {
                words.push("owner".into());
            }
            return Ok(words);
        }
        if self.field("requested_mask").is_some() && self.field("name").is_some() {
            let letters = file_letters(self.mask()?).map_err(|e| self.bad(e))?;
            let mut words = owned(&["file", self.need("name")?, &letters]);
            if self.owner() {
                words.push("owner".into());
            }
            return Ok(words);
        }
        Err(RecordError::Unsupported(op.to_string(), self.kind.clone()))
    }

    /// The task owned the file: the kernel picks the owner permissions
    /// when the file's uid is the task's fsuid.
    pub fn owner(&self) -> bool {
        matches!((self.field("fsuid"), self.field("ouid")), (Some(a), Some(b)) if a == b)
    }

    /// dbus-daemon's records: `dbus_method_call`, `dbus_signal`
    /// (send/receive, with the peer's `name`, `peer_label`), `dbus_bind`,
    /// `dbus_eavesdrop`.
    fn dbus_words(&self, kind: &str) -> Result<Vec<String>, RecordError> {
        let access = self.mask()?.to_string();
        let mut words = vec!["dbus".to_string(), access.clone()];
        words.push(format!("bus={}", self.need("bus")?));
        match (kind, access.as_str()) {
            ("bind", _) | (_, "bind") => {
                words.push(format!("name={}", self.need("name")?));
            }
            ("eavesdrop", _) | (_, "eavesdrop") => {}
            _ => {
                for (key, field) in [
                    ("name", "name"),
                    ("peer", "peer_label"),
                    ("path", "path"),
                    ("interface", "interface"),
                    ("member", "member"),
                ] {
                    if let Some(value) = self.field(field) {
                        words.push(format!("{key}={value}"));
                    }
                }
            }
        }
        Ok(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(line: &str) -> String {
        parse_line(line).unwrap().unwrap().request().unwrap().text()
    }

    #[test]
    fn requests_per_class() {
        let head = r#"apparmor="DENIED" profile="app""#;
        let cases = [
            (
                r#"operation="open" name="/etc/shadow" requested_mask="rc" denied_mask="c" fsuid=1000 ouid=0"#,
                "file /etc/shadow w",
            ),
            (
                r#"operation="open" name="/home/u/f" requested_mask="r" denied_mask="r" fsuid=1000 ouid=1000"#,
                "file /home/u/f r owner",
            ),
            (
                r#"operation="exec" name="/usr/bin/kid" requested_mask="x" denied_mask="x" fsuid=0 ouid=0 target="app//kid""#,
                "exec /usr/bin/kid owner",
            ),
            (
                r#"operation="capable" capability=12 capname="net_admin""#,
                "capability net_admin",
            ),
            (
                r#"operation="signal" requested_mask="send" denied_mask="send" signal=hup peer="other""#,
                "signal send set=hup peer=other",
            ),
            (
                r#"operation="ptrace" requested_mask="read" denied_mask="read" peer="other""#,
                "ptrace read peer=other",
            ),
            (
                r#"operation="create" family="inet" sock_type="raw" protocol=1 requested_mask="create" denied_mask="create""#,
                "network inet raw create",
            ),
            (
                r#"operation="userns_create" class="namespace" requested="userns_create" denied="userns_create""#,
                "userns create",
            ),
            (
                r#"operation="mount" info="failed flags match" error=-13 name="/mnt/" fstype="ext4" srcname="/dev/sdb1" flags="ro, nosuid""#,
                "mount /mnt/ source=/dev/sdb1 fstype=ext4 options=ro,nosuid",
            ),
            (r#"operation="umount" name="/mnt/""#, "umount /mnt/"),
            (
                r#"operation="pivotroot" name="/new/" srcname="/new/old/""#,
                "pivot_root /new/ oldroot=/new/old/",
            ),
        ];
        for (fields, expected) in cases {
            assert_eq!(request(&format!("{head} {fields}")), expected, "{fields}");
        }
        let dbus = r#"apparmor="DENIED" operation="dbus_method_call" bus="system" path="/org/x" interface="org.x.I" member="Get" mask="send" name="org.x" pid=1 label="app" peer_pid=2 peer_label="unconfined""#;
        assert_eq!(
            request(dbus),
            "dbus send bus=system name=org.x peer=unconfined path=/org/x interface=org.x.I member=Get"
        );
    }

    #[test]
    fn unsupported_records() {
        let status =
            r#"apparmor="STATUS" operation="profile_load" profile="unconfined" name="app""#;
        let record = parse_line(status).unwrap().unwrap();
        assert!(matches!(
            record.request(),
            Err(RecordError::Unsupported(..))
        ));
        let bad =
            r#"apparmor="DENIED" operation="open" profile="app" name="/x" requested_mask="rZ""#;
        assert!(matches!(
            parse_line(bad).unwrap().unwrap().request(),
            Err(RecordError::Bad { .. })
        ));
        assert_eq!(file_letters("::r").unwrap(), "r");
        assert_eq!(file_letters("wa").unwrap(), "w");
    }
}
