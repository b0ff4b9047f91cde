//! One feature set: the text of a features file (or a flattened
//! `/sys/kernel/security/apparmor/features` directory), with libapparmor's
//! lookups and its cache id.

use super::lookup;
use super::murmur::murmur3_x86_32;
use super::tree::FeatureNode;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// libapparmor's buffer size: a features text must be shorter than this.
pub const MAX_TEXT: usize = 8192;

/// Where the running kernel lists its AppArmor features.
pub const KERNEL_FEATURES_DIR: &str = "/sys/kernel/security/apparmor/features";

/// Seed of the features-id hash (§7).
const ID_SEED: u32 = 5381;

#[derive(Debug, Error)]
pub enum FeatureError {
    #[error("cannot read features from {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unknown built-in feature set `{name}` (known: {known})")]
    UnknownBuiltin { name: String, known: String },
    #[error("features text of {len} bytes is too large (libapparmor's limit is {} bytes)", MAX_TEXT - 1)]
    TooLarge { len: usize },
}

/// A kernel or policy feature set.
///
/// Holds the text exactly as libapparmor keeps it: a features file's
/// content verbatim (not re-flattened — the 4.1 parser's `.features` cache
/// file is byte-identical to the `-M` file), cut at the first NUL byte.
/// Lookups ([`FeatureSet::supports`]) scan this text with libapparmor's
/// quirks, so decisions match apparmor_parser's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSet {
    text: Vec<u8>,
}

impl FeatureSet {
    /// A feature set from text (a features file's content or an `abi` file).
    pub fn from_text(text: impl Into<Vec<u8>>) -> Result<FeatureSet, FeatureError> {
        let mut text = text.into();
        if let Some(nul) = text.iter().position(|&b| b == 0) {
            text.truncate(nul);
        }
        if text.len() >= MAX_TEXT {
            return Err(FeatureError::TooLarge { len: text.len() });
        }
        Ok(FeatureSet { text })
    }

    /// Loads a features file, or flattens a features directory (the sysfs
    /// layout) the way libapparmor does; `builtin:NAME` names one of
    /// [`super::builtin::BUILTINS`] instead of a file.
    pub fn load(path: &Path) -> Result<FeatureSet, FeatureError> {
        if let Some(name) = path.to_str().and_then(super::builtin::strip_prefix) {
            return super::builtin::load(name);
        }
        let io = |source| FeatureError::Io {
            path: path.to_path_buf(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            let mut text = Vec::new();
            flatten_dir(path, &mut text)?;
            FeatureSet::from_text(text)
        } else {
            FeatureSet::from_text(std::fs::read(path).map_err(io)?)
        }
    }

    /// The running kernel's features (`/sys/kernel/security/apparmor/features`),
    /// which apparmor_parser uses when no kernel features are given.
    pub fn from_running_kernel() -> Result<FeatureSet, FeatureError> {
        FeatureSet::load(Path::new(KERNEL_FEATURES_DIR))
    }

    /// Whether `path` names a built-in set (`builtin:NAME`) rather than a file.
    pub fn is_builtin(path: &Path) -> bool {
        path.to_str()
            .and_then(super::builtin::strip_prefix)
            .is_some()
    }

    /// The text lookups and the id are computed from.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// `aa_features_supports`: is the `/`-separated feature present?
    /// E.g. `policy/versions/v7`, `caps/mask/bpf`,
    /// `policy/permstable32_version/0x000002`.
    pub fn supports(&self, path: &str) -> bool {
        lookup::supports(&self.text, path)
    }

    /// `aa_features_value`: the raw text of a leaf block, e.g.
    /// `caps/mask` → `"chown dac_override …\n"`.
    pub fn value(&self, path: &str) -> Option<String> {
        lookup::value(&self.text, path).map(|v| String::from_utf8_lossy(v).into_owned())
    }

    /// The whitespace-separated words of [`FeatureSet::value`].
    pub fn words(&self, path: &str) -> Vec<String> {
        self.value(path)
            .map(|v| v.split_ascii_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The text parsed into a tree (exact key paths, for display).
    pub fn tree(&self) -> FeatureNode {
        FeatureNode::parse(&self.text)
    }

    /// The features id: MurmurHash3 x86/32, seed 5381, of the text, as 8
    /// lowercase hex digits. apparmor_parser names cache directories
    /// `<id>.<n>` after the kernel feature set (§7).
    pub fn id(&self) -> String {
        format!("{:08x}", murmur3_x86_32(&self.text, ID_SEED))
    }
}

/// libapparmor's flattening of a features directory: for each entry (dot
/// files skipped) `name {` + file content or flattened subdirectory + `}\n`.
/// Entries are taken in byte order of their names. [unverified: the order
/// libapparmor's directory walk uses]
fn flatten_dir(dir: &Path, out: &mut Vec<u8>) -> Result<(), FeatureError> {
    let io = |source| FeatureError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b" {");
        if path.is_dir() {
            flatten_dir(&path, out)?;
        } else {
            let content = std::fs::read(&path).map_err(|source| FeatureError::Io {
                path: path.clone(),
                source,
            })?;
            out.extend_from_slice(&content);
        }
        out.extend_from_slice(b"}\n");
        if out.len() >= MAX_TEXT {
            return Err(FeatureError::TooLarge { len: out.len() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_stops_at_nul_and_size_is_limited() {
        let set = FeatureSet::from_text(b"a {yes\n}\n\0b {yes\n}\n".to_vec()).unwrap();
        assert!(set.supports("a"));
        assert!(!set.supports("b"));
        assert!(FeatureSet::from_text(vec![b'x'; MAX_TEXT]).is_err());
    }

    #[test]
    fn directory_is_flattened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("policy/versions")).unwrap();
        std::fs::write(dir.path().join("policy/versions/v7"), "yes\n").unwrap();
        std::fs::write(dir.path().join("capability"), "0xffffff\n").unwrap();
        let set = FeatureSet::load(dir.path()).unwrap();
        assert_eq!(
            set.text(),
            b"capability {0xffffff\n}\npolicy {versions {v7 {yes\n}\n}\n}\n"
        );
        assert!(set.supports("policy/versions/v7"));
    }

    #[test]
    fn words_of_a_leaf() {
        let set = FeatureSet::from_text(b"caps {mask {chown\tkill\n}\n}\n".to_vec()).unwrap();
        assert_eq!(set.words("caps/mask"), ["chown", "kill"]);
        assert!(set.words("caps/none").is_empty());
    }
}
