//! The manifest file: per entry, what its fingerprint covered (see the
//! module docs of [`super`] for the format and why).

use super::CacheError;
use super::write::write_file_atomically;
use crate::syntax::IncludeTarget;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name of the manifest inside a cache directory (a dot file:
/// libapparmor never loads it as policy).
pub const MANIFEST_NAME: &str = ".aaprof-manifest.json";

/// Current manifest format; a manifest of another format is ignored
/// (every entry rebuilt), never misread. Format 2 keys entries by input
/// path (format 1 keyed them by blob name, so two inputs sharing a
/// basename evicted each other on every run).
pub const FORMAT: u32 = 2;

/// All entries of one cache directory, by input path (as given).
#[derive(Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub entries: BTreeMap<String, Entry>,
}

/// One blob's record. `digest` is only meaningful together with the
/// inputs listed here: recomputing it over them now tells freshness.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub input: PathBuf,
    /// The file in the cache directory holding the blob: the input's
    /// basename, or for an input whose basename belongs to a later input
    /// of the same run, a private dot file (see [`super::store::Role`]).
    pub file: String,
    pub includes: Vec<Target>,
    pub abi: Option<String>,
    pub digest: String,
    pub blob: String,
    /// Names of the warnings the compile raised (shown or not), so a run
    /// with `--Werror=CLASS` does not reuse a blob whose compile warned in
    /// that class.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// An include target as written (`<name>` or `"path"`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub enum Target {
    Angle(String),
    Path(String),
}

impl From<&IncludeTarget> for Target {
    fn from(t: &IncludeTarget) -> Target {
        match t {
            IncludeTarget::Angle(n) => Target::Angle(n.clone()),
            IncludeTarget::Path(p) => Target::Path(p.clone()),
        }
    }
}

impl From<&Target> for IncludeTarget {
    fn from(t: &Target) -> IncludeTarget {
        match t {
            Target::Angle(n) => IncludeTarget::Angle(n.clone()),
            Target::Path(p) => IncludeTarget::Path(p.clone()),
        }
    }
}

impl Manifest {
    /// The manifest of cache directory `dir`; an empty one when there is
    /// none, or when it is unreadable as JSON or of another format (the
    /// cache is then rebuilt, which is always safe).
    pub fn load(dir: &Path) -> Manifest {
        let empty = Manifest {
            format: FORMAT,
            entries: BTreeMap::new(),
        };
        let Ok(text) = std::fs::read(dir.join(MANIFEST_NAME)) else {
            return empty;
        };
        match serde_json::from_slice::<Manifest>(&text) {
            Ok(m) if m.format == FORMAT => m,
            _ => empty,
        }
    }

    /// Writes the manifest atomically (mode 0600, like the blobs).
    pub fn save(&self, dir: &Path) -> Result<(), CacheError> {
        let path = dir.join(MANIFEST_NAME);
        let text = serde_json::to_vec(self).map_err(|e| CacheError::Manifest {
            path: path.clone(),
            message: e.to_string(),
        })?;
        write_file_atomically(&path, &text, 0o600, None).map_err(CacheError::io(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::load(dir.path());
        assert!(m.entries.is_empty());
        m.entries.insert(
            "p".into(),
            Entry {
                input: "/x/p".into(),
                file: "p".into(),
                includes: vec![Target::Angle("abstractions/base".into())],
                abi: Some("abi/4.0".into()),
                digest: "d".into(),
                blob: "b".into(),
                warnings: vec!["rule-not-enforced".into()],
            },
        );
        m.save(dir.path()).unwrap();
        assert_eq!(Manifest::load(dir.path()), m);
        std::fs::write(dir.path().join(MANIFEST_NAME), "{not json").unwrap();
        assert!(Manifest::load(dir.path()).entries.is_empty());
    }
}
