//! A policy to reason about: the profile records of a blob, either read
//! from a blob file (aaprof's or apparmor_parser's) or compiled from
//! source, in which case the resolved model is kept too, so answers can
//! name the rules behind them.

use crate::blob::{ProfileRecord, ReadError, read_records};
use crate::compile::{Session, encode_target};
use crate::diagnostics::Diagnostic;
use crate::encode::EncodeTarget;
use crate::model::{Policy, Profile};
use crate::resolve::Input;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a policy cannot be loaded.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a valid policy blob: {source}")]
    Blob { path: PathBuf, source: ReadError },
    #[error("{path}: compressed blobs are not supported; decompress it first (zstd -d)")]
    Compressed { path: PathBuf },
    /// The source has errors; the diagnostics say which.
    #[error("{path}: the policy does not compile")]
    Policy {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
}

/// The resolved source of a compiled policy and the target it was encoded
/// for (to encode single rules the same way).
#[derive(Debug, Clone)]
pub struct SourcePolicy {
    pub policy: Policy,
    pub target: EncodeTarget,
}

/// A loaded policy. `records` are exactly what the kernel would load;
/// `source` is present when it was compiled from text.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    pub records: Vec<ProfileRecord>,
    pub source: Option<SourcePolicy>,
}

/// Whether `bytes` start like a policy blob (the `version` element, §1.5).
pub fn is_blob(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x04\x08\x00version\x00")
}

/// parser 5.0's compressed output (§1.7).
fn is_compressed(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && bytes[0] == 1
        && bytes[2..8] == [0; 6]
        && bytes[8..12] == [0x28, 0xb5, 0x2f, 0xfd]
}

/// The full name of a record: `:ns:name` when it has a namespace.
pub fn record_name(record: &ProfileRecord) -> String {
    let name = String::from_utf8_lossy(&record.name);
    match &record.namespace {
        Some(ns) => format!(":{}:{name}", String::from_utf8_lossy(ns)),
        None => name.into_owned(),
    }
}

impl LoadedPolicy {
    /// Reads a blob or compiles a source file with `session` (its search
    /// path and features), deciding by the file's first bytes.
    pub fn load(path: &Path, session: &Session) -> Result<LoadedPolicy, LoadError> {
        let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if is_compressed(&bytes) {
            return Err(LoadError::Compressed {
                path: path.to_path_buf(),
            });
        }
        if is_blob(&bytes) {
            return Self::from_blob(&bytes).map_err(|source| LoadError::Blob {
                path: path.to_path_buf(),
                source,
            });
        }
        let input = Input::Path(path.to_path_buf());
        Self::compile(&input, session).map_err(|diagnostics| LoadError::Policy {
            path: path.to_path_buf(),
            diagnostics,
        })
    }

    /// The records of a blob; no source.
    pub fn from_blob(bytes: &[u8]) -> Result<LoadedPolicy, ReadError> {
        Ok(LoadedPolicy {
            records: read_records(bytes)?,
            source: None,
        })
    }

    /// Compiles one input, keeping its model. Errors are the diagnostics.
    pub fn compile(input: &Input, session: &Session) -> Result<LoadedPolicy, Vec<Diagnostic>> {
        let (compiled, model) = session.compile_input_with_model(input);
        let (Some(blob), Some((policy, features))) = (compiled.blob, model) else {
            return Err(compiled.diagnostics);
        };
        let records = read_records(&blob).map_err(|e| {
            vec![Diagnostic::error(
                "compile",
                format!("aaprof wrote an unreadable blob: {e}"),
                None,
            )]
        })?;
        Ok(LoadedPolicy {
            records,
            source: Some(SourcePolicy {
                policy,
                target: encode_target(&features),
            }),
        })
    }

    /// The record of the profile `name` (`a`, `a//hat`, `:ns:a`).
    pub fn record(&self, name: &str) -> Option<&ProfileRecord> {
        self.records.iter().find(|r| record_name(r) == name)
    }

    /// Every profile name, in record order.
    pub fn names(&self) -> Vec<String> {
        self.records.iter().map(record_name).collect()
    }

    /// The source profile of `name`, when compiled from source.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        let source = self.source.as_ref()?;
        let (namespace, path) = match name.strip_prefix(':').and_then(|n| n.split_once(':')) {
            Some((ns, rest)) => (Some(ns), rest),
            None => (None, name),
        };
        let mut parts = path.split("//");
        let first = parts.next()?;
        let mut profile = source
            .policy
            .profiles
            .iter()
            .find(|p| p.name == first && p.namespace.as_deref() == namespace)?;
        for part in parts {
            profile = profile.children.iter().find(|p| p.name == part)?;
        }
        Some(profile)
    }
}
