//! Policy unit tests: `aaprof test SPEC...`.
//!
//! A spec file names a policy and lists what it must decide, one
//! expectation per line in `aaprof query`'s request syntax, prefixed by the
//! verdict (`allow file /etc/passwd r`, `deny network inet raw`, `audit
//! ...`, `exec /usr/bin/kid -> globs//kid`). [`parse`] reads spec files
//! (with their includes) into [`Expectation`]s, [`run`] answers each with
//! [`crate::query::query`] (each policy compiled once per run) and
//! [`junit`] writes the outcomes as JUnit XML. Records of an audit log
//! (`audit-log FILE`, `--audit`) become expectations too: the access a
//! record logged must now be allowed ([`crate::audit`]).
//!
//! The syntax, line by line (`#` starts a comment, blank lines are
//! ignored, words may be "double quoted"):
//!
//! ```text
//! policy PATH                 source file or blob, relative to the spec file
//! features FILE|builtin:NAME  features file (relative) or a built-in set
//! include-dir DIR             add an include search directory (repeatable)
//! profile NAME                the profile the following lines ask
//! include FILE                read another spec file here (relative)
//! audit-log FILE              every record of an audit log must now be allowed
//! allow REQUEST               the request is allowed
//! deny REQUEST                the request is denied
//! audit REQUEST               allowed and logged (an `audit` rule)
//! exec PATH -> [MODE] [TARGET]  executing PATH is allowed with this
//!                             transition (`ix`, `Px`, `Cx`, `ux`, …; the
//!                             profile it changes to, or `unconfined`)
//! ```
//!
//! Settings (`policy`, `features`, `include-dir`, `profile`) apply to the
//! lines after them; an included file starts with the includer's settings
//! and its own changes end with it.

pub mod junit;
pub mod parse;
pub mod run;

use crate::audit::AuditRecord;
use crate::query::Request;
use std::path::PathBuf;

pub use parse::{SpecError, load_specs};
pub use run::{Outcome, PolicyKey, Status, Summary, run};

/// Where an expectation was written: a spec (or audit log) file and line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What an expectation wants of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Allow,
    Deny,
    /// Allowed and audited.
    Audit,
    /// Executing is allowed, with this transition mode and/or target.
    Exec {
        mode: Option<String>,
        target: Option<String>,
    },
    /// An audit record's access must now be allowed.
    Record(Box<AuditRecord>),
}

impl Expected {
    /// The verdict word a spec line starts with.
    pub fn word(&self) -> &'static str {
        match self {
            Expected::Allow => "allow",
            Expected::Deny => "deny",
            Expected::Audit => "audit",
            Expected::Exec { .. } => "exec",
            Expected::Record(_) => "record:",
        }
    }
}

/// One expectation, with the settings in force where it was written.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub location: Location,
    pub expected: Expected,
    pub request: Request,
    /// The line as written (after the verdict word), for reports.
    pub text: String,
    pub policy: PolicyKey,
    /// `None`: the policy's only profile.
    pub profile: Option<String>,
}

/// The settings of a spec file at one line.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub policy: Option<PathBuf>,
    pub features: Option<String>,
    pub include_dirs: Vec<PathBuf>,
    pub profile: Option<String>,
}
