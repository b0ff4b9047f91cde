//! The kernel's reason for refusing policy. The write only returns an
//! errno; AppArmor says more in an audit record (`apparmor="STATUS"
//! operation="profile_load" info="..." error=-71`), which reaches the
//! kernel log (`/dev/kmsg`) when no audit daemon takes it. So before a
//! write the log is opened at its end, and after a refusal the records
//! logged since are searched for AppArmor's. Nothing is found (and
//! nothing is lost but the detail) when the log cannot be read or an
//! audit daemon collects the records.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;
use std::time::{Duration, Instant};

/// How long to wait for the audit record after a refusal: the kernel
/// logs it from its audit thread, a little after the write returns.
const WAIT: Duration = Duration::from_millis(1000);

/// The kernel log, positioned at the records logged after it was opened.
#[derive(Debug)]
pub struct KernelLog {
    file: Option<std::fs::File>,
}

impl KernelLog {
    /// Opens `/dev/kmsg` at its end (no log when it cannot be read).
    pub fn open_at_end() -> KernelLog {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open("/dev/kmsg")
            .and_then(|mut f| f.seek(SeekFrom::End(0)).map(|_| f))
            .ok();
        KernelLog { file }
    }

    /// The reasons AppArmor logged since the log was opened, waiting a
    /// little for the first one.
    pub fn reasons(&mut self) -> Vec<String> {
        let Some(file) = self.file.as_mut() else {
            return Vec::new();
        };
        let start = Instant::now();
        let mut found = Vec::new();
        let mut buf = vec![0u8; 8192];
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let record = String::from_utf8_lossy(&buf[..n]);
                    found.extend(reason_of(&record));
                }
                // A record overwritten before it was read: go on.
                Err(e) if e.raw_os_error() == Some(libc::EPIPE) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if !found.is_empty() || start.elapsed() >= WAIT {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(_) => break,
            }
        }
        found
    }
}

/// The reason in one kernel log record (`/dev/kmsg` format:
/// `prio,seq,time,flags;text`), if it is an AppArmor status record for
/// a failure: `profile_load "foo": failed to unpack profile (error -71)`.
pub fn reason_of(record: &str) -> Option<String> {
    let text = record.split_once(';').map_or(record, |(_, t)| t);
    let text = text.lines().next().unwrap_or("");
    if !text.contains("apparmor=\"STATUS\"") {
        return None;
    }
    let info = quoted(text, "info");
    let error = bare(text, "error");
    if info.is_none() && error.is_none() {
        return None;
    }
    let mut reason = quoted(text, "operation").unwrap_or("policy").to_string();
    if let Some(name) = quoted(text, "name") {
        reason.push_str(&format!(" \"{name}\""));
    }
    reason.push_str(": ");
    reason.push_str(info.unwrap_or("refused"));
    if let Some(error) = error {
        reason.push_str(&format!(" (error {error})"));
    }
    Some(reason)
}

/// The value of `key="value"` in an audit record.
fn quoted<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let start = field_start(text, &format!("{key}=\""))?;
    let rest = &text[start..];
    Some(&rest[..rest.find('"')?])
}

/// The value of `key=value` (unquoted) in an audit record.
fn bare<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let start = field_start(text, &format!("{key}="))?;
    let rest = &text[start..];
    let end = rest.find(' ').unwrap_or(rest.len());
    Some(&rest[..end]).filter(|v| !v.is_empty())
}

/// Where the value of the field `prefix` starts: the prefix must begin
/// the text or follow a blank (so `name=` does not match `profile_name=`).
fn field_start(text: &str, prefix: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find(prefix) {
        let at = from + at;
        if at == 0 || text.as_bytes()[at - 1] == b' ' {
            return Some(at + prefix.len());
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_records_give_their_reason() {
        let record = "5,812,9000123,-;audit: type=1400 audit(1765000000.100:42): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"foo\" pid=77 comm=\"aaprof\" name=\"foo\" info=\"failed to unpack profile\" error=-71 offset=123\n SUBSYSTEM=x\n";
        assert_eq!(
            reason_of(record).as_deref(),
            Some("profile_load \"foo\": failed to unpack profile (error -71)")
        );
        // As Debian's 6.12 logs a second add of a loaded profile.
        let eexist = "5,300,10644946,-;audit: type=1400 audit(1796575170.396:4): apparmor=\"STATUS\" operation=\"profile_replace\" info=\"profile can not be replaced\" error=-17 profile=\"unconfined\" name=\"kt_loading\" pid=167 comm=\"aaprof\"";
        assert_eq!(
            reason_of(eexist).as_deref(),
            Some("profile_replace \"kt_loading\": profile can not be replaced (error -17)")
        );
        let bare_error = "6,1,2,-;audit: apparmor=\"STATUS\" operation=\"profile_remove\" error=-2 profile=\"unconfined\"";
        assert_eq!(
            reason_of(bare_error).as_deref(),
            Some("profile_remove: refused (error -2)")
        );
    }

    #[test]
    fn other_records_give_none() {
        // A successful load: a status record without info or error.
        let ok = "5,1,2,-;audit: apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"foo\" pid=1";
        assert_eq!(reason_of(ok), None);
        let denial = "5,1,2,-;audit: apparmor=\"DENIED\" operation=\"open\" info=\"x\" error=-13";
        assert_eq!(reason_of(denial), None);
        assert_eq!(reason_of("6,1,2,-;eth0: link up"), None);
    }

    #[test]
    fn fields_match_whole_keys_only() {
        let text = "apparmor=\"STATUS\" profile_name=\"no\" name=\"yes\" info=\"i\"";
        assert_eq!(quoted(text, "name"), Some("yes"));
        assert_eq!(bare("a error=-5", "error"), Some("-5"));
        assert_eq!(bare("a error=", "error"), None);
    }
}
