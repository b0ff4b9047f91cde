//! Loading policy into the running kernel: AppArmor's securityfs
//! interface (`/sys/kernel/security/apparmor`), as apparmor_parser and
//! libapparmor use it.
//!
//! * `.load` adds profiles (the kernel refuses a name already loaded),
//!   `.replace` adds or replaces them, `.remove` removes one profile (or
//!   namespace) by name. See [`Action`].
//! * Policy goes in as the blob `-S` writes, each `write(2)` holding whole
//!   profile records. A kernel whose features list `policy/set_load`
//!   takes a whole set in one write and applies it all or nothing;
//!   others read only the first record of a write, so then each record
//!   gets its own write ([`Interface::load_writes`]).
//! * A removal writes the profile's fully qualified name and its NUL
//!   (`name`, or `:ns://name`), one write per profile.
//! * When the kernel refuses a write, [`LoadError`] names the errno,
//!   says what it means for policy loading ([`errno`]) and adds the
//!   reason the kernel logged, when it logged one ([`kmsg`]).

pub mod errno;
pub mod kmsg;

use crate::features::FeatureSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Where securityfs mounts AppArmor's interface.
pub const DEFAULT_APPARMORFS: &str = "/sys/kernel/security/apparmor";

/// What to do with a profile set (apparmor_parser's `-a`, `-r`, `-R`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Add,
    Replace,
    Remove,
}

impl Action {
    /// The interface file the action writes to, under the apparmorfs
    /// directory.
    pub fn interface_file(self) -> &'static str {
        match self {
            Action::Add => ".load",
            Action::Replace => ".replace",
            Action::Remove => ".remove",
        }
    }

    /// The verb for messages: "load", "replace", "remove".
    pub fn verb(self) -> &'static str {
        match self {
            Action::Add => "load",
            Action::Replace => "replace",
            Action::Remove => "remove",
        }
    }

    /// The past participle for messages: "loaded", "replaced", "removed".
    pub fn done(self) -> &'static str {
        match self {
            Action::Add => "loaded",
            Action::Replace => "replaced",
            Action::Remove => "removed",
        }
    }
}

/// A write the kernel refused (or that could not be made).
#[derive(Debug, Error)]
#[error("cannot {verb} {what}: {}{}", errno::describe(.errno, .source), reasons(.kernel_reasons))]
pub struct LoadError {
    pub verb: &'static str,
    /// What was written: `"foo", "foo//hat"` or the file name.
    pub what: String,
    /// The OS error number, when the failure has one.
    pub errno: Option<i32>,
    pub source: std::io::Error,
    /// The kernel's own explanation, from its log (`info="..."`).
    pub kernel_reasons: Vec<String>,
}

fn reasons(list: &[String]) -> String {
    if list.is_empty() {
        String::new()
    } else {
        format!("; the kernel says: {}", list.join("; "))
    }
}

/// The apparmorfs directory of one run, and how the kernel takes sets.
#[derive(Debug, Clone)]
pub struct Interface {
    dir: PathBuf,
    set_load: bool,
}

impl Interface {
    /// The interface in `dir` for a kernel with features `kernel` (its
    /// `policy/set_load` decides how sets are written). Fails when `dir`
    /// has no `.load` file: securityfs is not mounted or AppArmor is off.
    pub fn new(dir: &Path, kernel: &FeatureSet) -> Result<Interface, String> {
        if !dir.join(Action::Add.interface_file()).exists() {
            return Err(format!(
                "{} has no AppArmor policy interface (is securityfs mounted and AppArmor enabled? -f names another directory)",
                dir.display()
            ));
        }
        Ok(Interface {
            dir: dir.to_path_buf(),
            set_load: kernel.supports("policy/set_load"),
        })
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the kernel takes a whole profile set in one write.
    pub fn set_load(&self) -> bool {
        self.set_load
    }

    /// The writes that load `blob`: all of it at once when the kernel
    /// takes sets, else one per profile record. A blob aaprof cannot
    /// split (not a sequence of records) goes in one write: the kernel
    /// then says what is wrong with it.
    pub fn load_writes(blob: &[u8], set_load: bool) -> Vec<&[u8]> {
        if set_load {
            return vec![blob];
        }
        match crate::blob::read_record_spans(blob) {
            Ok(spans) if !spans.is_empty() => spans.into_iter().map(|(r, _)| &blob[r]).collect(),
            _ => vec![blob],
        }
    }

    /// Adds or replaces the profiles of `blob` (`what` names them in
    /// messages).
    pub fn load(&self, action: Action, blob: &[u8], what: &str) -> Result<(), LoadError> {
        debug_assert!(action != Action::Remove);
        for write in Interface::load_writes(blob, self.set_load) {
            self.write_once(action, write, what)?;
        }
        Ok(())
    }

    /// Removes the profile (or `:ns:` namespace) named `fqname`.
    pub fn remove(&self, fqname: &str) -> Result<(), LoadError> {
        self.write_once(
            Action::Remove,
            &removal_payload(fqname),
            &format!("\"{fqname}\""),
        )
    }

    /// One `write(2)` of `bytes` to the action's file, as the kernel
    /// requires (it reads a record from a single write; a short write is
    /// a protocol error, as libapparmor treats it).
    fn write_once(&self, action: Action, bytes: &[u8], what: &str) -> Result<(), LoadError> {
        let path = self.dir.join(action.interface_file());
        let fail = |source: std::io::Error, kernel_reasons| LoadError {
            verb: action.verb(),
            what: what.to_string(),
            errno: source.raw_os_error(),
            source,
            kernel_reasons,
        };
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(|e| fail(e, Vec::new()))?;
        let mut log = kmsg::KernelLog::open_at_end();
        match file.write(bytes) {
            Ok(n) if n == bytes.len() => Ok(()),
            Ok(n) => Err(fail(
                std::io::Error::from_raw_os_error(libc::EPROTO),
                vec![format!("the kernel took {n} of {} bytes", bytes.len())],
            )),
            Err(e) => Err(fail(e, log.reasons())),
        }
    }
}

/// What `.remove` gets: the fully qualified name and its NUL, as
/// libapparmor writes it.
pub fn removal_payload(fqname: &str) -> Vec<u8> {
    let mut bytes = fqname.as_bytes().to_vec();
    bytes.push(0);
    bytes
}

/// The fully qualified name the kernel knows a top-level profile by:
/// `name`, or `:ns://name` in a namespace (apparmor_parser's spelling).
pub fn fqname(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) => format!(":{ns}://{name}"),
        None => name.to_string(),
    }
}

/// The names of a blob's records (`"a", "a//hat"`), for messages.
pub fn record_names(blob: &[u8]) -> Option<String> {
    let spans = crate::blob::read_record_spans(blob).ok()?;
    let names: Vec<String> = spans
        .iter()
        .map(|(_, record)| {
            let name = String::from_utf8_lossy(&record.name);
            let ns = record
                .namespace
                .as_ref()
                .map(|ns| String::from_utf8_lossy(ns).into_owned());
            format!("\"{}\"", fqname(ns.as_deref(), &name))
        })
        .collect();
    Some(names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_writes_its_own_file() {
        assert_eq!(Action::Add.interface_file(), ".load");
        assert_eq!(Action::Replace.interface_file(), ".replace");
        assert_eq!(Action::Remove.interface_file(), ".remove");
        assert_eq!(Action::Replace.verb(), "replace");
        assert_eq!(Action::Remove.done(), "removed");
    }

    #[test]
    fn removal_is_the_name_and_its_nul() {
        assert_eq!(removal_payload("foo"), b"foo\0");
        assert_eq!(fqname(Some("ns1"), "baz"), ":ns1://baz");
        assert_eq!(
            removal_payload(&fqname(Some("ns1"), "baz")),
            b":ns1://baz\0"
        );
        assert_eq!(fqname(None, "/usr/bin/x"), "/usr/bin/x");
    }

    /// A blob of two records, made by the compiler.
    fn two_records() -> Vec<u8> {
        let features = FeatureSet::from_text(
            b"policy {versions {v7 {yes\n}\n}\nset_load {yes\n}\n}\nfile {mask {read write\n}\n}\n"
                .to_vec(),
        )
        .unwrap();
        let session = crate::compile::Session::new(
            crate::resolve::Options::default(),
            crate::features::FeatureSources::both(features),
        );
        let input = crate::resolve::Input::Text {
            name: "t".into(),
            text: "profile a { /x r, }\nprofile b { /y r, }\n".into(),
        };
        session.compile_input(&input).blob.expect("compiles")
    }

    #[test]
    fn sets_go_in_one_write_else_one_per_record() {
        let blob = two_records();
        assert_eq!(Interface::load_writes(&blob, true), vec![&blob[..]]);
        let writes = Interface::load_writes(&blob, false);
        assert_eq!(writes.len(), 2);
        assert_eq!(writes.concat(), blob);
        assert!(writes[1].starts_with(b"\x04\x08\x00version\x00"));
        assert_eq!(record_names(&blob).unwrap(), "\"a\", \"b\"");
        // Bytes aaprof cannot split still go to the kernel, whole.
        assert_eq!(Interface::load_writes(b"junk", false), vec![&b"junk"[..]]);
    }

    #[test]
    fn writes_reach_the_interface_files() {
        let dir = tempfile::tempdir().unwrap();
        for action in [Action::Add, Action::Replace, Action::Remove] {
            std::fs::write(dir.path().join(action.interface_file()), b"").unwrap();
        }
        let kernel = FeatureSet::from_text(b"policy {set_load {yes\n}\n}\n".to_vec()).unwrap();
        let iface = Interface::new(dir.path(), &kernel).unwrap();
        assert!(iface.set_load());
        let blob = two_records();
        iface.load(Action::Replace, &blob, "t").unwrap();
        assert_eq!(std::fs::read(dir.path().join(".replace")).unwrap(), blob);
        iface.remove("a").unwrap();
        assert_eq!(std::fs::read(dir.path().join(".remove")).unwrap(), b"a\0");
        let missing = tempfile::tempdir().unwrap();
        assert!(Interface::new(missing.path(), &kernel).is_err());
    }

    #[test]
    fn refusals_name_the_errno_and_the_reason() {
        let error = LoadError {
            verb: "load",
            what: "\"foo\"".into(),
            errno: Some(libc::EEXIST),
            source: std::io::Error::from_raw_os_error(libc::EEXIST),
            kernel_reasons: vec!["profile already exists".into()],
        };
        let text = error.to_string();
        assert!(
            text.starts_with("cannot load \"foo\": EEXIST (errno 17): "),
            "{text}"
        );
        assert!(text.contains("--replace"), "{text}");
        assert!(
            text.ends_with("; the kernel says: profile already exists"),
            "{text}"
        );
    }
}
