//! Reasoning about compiled policy without a kernel: `aaprof query`.
//!
//! A [`LoadedPolicy`] holds the profile records of a blob (read from a file
//! or compiled from source, then also with the resolved model). A
//! [`Request`] (`file /etc/shadow w`, `capability sys_admin`, …) becomes a
//! [`Probe`]: the match string the kernel walks and the permission bits it
//! needs. [`query`] walks it and reads the state's entry as the kernel does
//! ([`access`] normalises packed words and permission tables to the same
//! kernel bits), and from source names the rules responsible ([`explain`]:
//! each rule encoded alone by the compiler's own encoder).
//!
//! `aaprof diff` ([`crate::diff`]) reads states through the same
//! [`access`] module.

pub mod access;
pub mod exec;
pub mod explain;
pub mod load;
pub mod lookup;
pub mod mount;
pub mod report;
pub mod request;

pub use access::{DfaKind, PdbView};
pub use exec::ExecTransition;
pub use explain::RuleMatch;
pub use load::{LoadError, LoadedPolicy, SourcePolicy, record_name};
pub use lookup::{Answer, Decision, QueryError, query};
pub use request::{Probe, Request, RequestError};
