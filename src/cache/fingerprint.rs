//! Fingerprints: one hash over everything a cache entry was built from.

use super::manifest::Target;
use crate::compile::Session;
use crate::resolve::{Found, locate};
use crate::syntax::IncludeTarget;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Hashes file contents, each path once per run (1,300 profiles share a
/// few hundred abstractions). Thread-safe; the lock is not held while a
/// file is read, so two threads may occasionally hash the same file.
#[derive(Debug, Default)]
pub struct FileHasher {
    memo: Mutex<HashMap<PathBuf, Option<Hash>>>,
}

impl FileHasher {
    pub fn new() -> FileHasher {
        FileHasher::default()
    }

    /// The SHA-256 of the file's content; `None` if it cannot be read.
    pub fn hash(&self, path: &Path) -> Option<Hash> {
        if let Some(known) = self.lock().get(path) {
            return *known;
        }
        let hash = std::fs::read(path).ok().map(|bytes| sha256(&bytes));
        self.lock().insert(path.to_path_buf(), hash);
        hash
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Hash>>> {
        self.memo.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

/// Lowercase hex of a digest.
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds length-prefixed fields, so no two field sequences hash alike.
struct Fields(Sha256);

impl Fields {
    fn new(tag: &str) -> Fields {
        let mut f = Fields(Sha256::new());
        f.put(tag.as_bytes());
        f
    }
    fn put(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
    fn path(&mut self, path: &Path) {
        self.put(path.as_os_str().as_encoded_bytes());
    }
    fn file(&mut self, path: &Path, hasher: &FileHasher) {
        self.path(path);
        match hasher.hash(path) {
            Some(h) => self.put(&h),
            None => self.put(b"unreadable"),
        }
    }
    fn finish(self) -> Hash {
        self.0.finalize().into()
    }
}

/// Everything of a run that changes every blob: aaprof's version, the
/// search path, the working directory for relative includes, and the
/// feature texts.
pub fn options_digest(session: &Session) -> Hash {
    let mut f = Fields::new("aaprof-cache-options-1");
    f.put(env!("CARGO_PKG_VERSION").as_bytes());
    for dir in &session.resolve.include_dirs {
        f.path(dir);
    }
    f.put(b"base");
    f.path(&session.resolve.base_dir);
    match &session.resolve.cwd {
        Some(cwd) => f.path(cwd),
        None => f.path(&std::env::current_dir().unwrap_or_default()),
    }
    let kernel = session
        .features
        .kernel
        .as_ref()
        .or(session.default_kernel.as_ref());
    for set in [
        kernel,
        session.features.pinned.as_ref(),
        session.features.override_abi.as_ref(),
    ] {
        match set {
            Some(set) => f.put(set.text()),
            None => f.put(b"none"),
        }
    }
    f.finish()
}

/// An entry's fingerprint and the files it covered (for the blob's mtime).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub digest: String,
    pub files: Vec<PathBuf>,
}

/// The fingerprint of input file `input` that, when compiled, met the
/// include `targets` and `abi` rule: each target is resolved *now* with
/// the session's search path. `None` when the input cannot be read.
pub fn fingerprint(
    options: &Hash,
    input: &Path,
    targets: &[Target],
    abi: Option<&str>,
    session: &Session,
    hasher: &FileHasher,
) -> Option<Fingerprint> {
    hasher.hash(input)?;
    let mut f = Fields::new("aaprof-cache-entry-1");
    f.put(options);
    f.file(input, hasher);
    let mut files = vec![input.to_path_buf()];
    for target in targets {
        let include = IncludeTarget::from(target);
        match &include {
            IncludeTarget::Angle(n) => f.put(format!("<{n}>").as_bytes()),
            IncludeTarget::Path(p) => f.put(format!("\"{p}\"").as_bytes()),
        }
        let resolved = match locate(&include, &session.resolve) {
            Found::File(file) => vec![file],
            Found::Dir(list) => {
                f.put(b"dir");
                list
            }
            Found::Missing => {
                f.put(b"missing");
                Vec::new()
            }
        };
        for file in resolved {
            f.file(&file, hasher);
            files.push(file);
        }
    }
    match abi {
        Some(name @ ("kernel" | "default")) => f.put(name.as_bytes()),
        Some(name) => {
            let path = session.abi_path(name);
            f.put(name.as_bytes());
            f.file(&path, hasher);
            files.push(path);
        }
        None => f.put(b"no abi"),
    }
    Some(Fingerprint {
        digest: hex(&f.finish()),
        files,
    })
}

/// The include targets of a compile, deduplicated in first-seen order
/// (an abstraction included by many rules is checked once).
pub fn unique_targets(includes: &[(IncludeTarget, Found)]) -> Vec<Target> {
    let mut seen = std::collections::HashSet::new();
    includes
        .iter()
        .map(|(t, _)| Target::from(t))
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::FeatureSources;

    #[test]
    fn changes_with_content_resolution_and_options() {
        let dir = tempfile::tempdir().unwrap();
        let (inc, base) = (dir.path().join("inc"), dir.path().join("base"));
        std::fs::create_dir_all(inc.join("abstractions")).unwrap();
        std::fs::create_dir_all(base.join("abstractions")).unwrap();
        std::fs::write(base.join("abstractions/a"), "/a r,\n").unwrap();
        let input = dir.path().join("p");
        std::fs::write(&input, "profile p { include <abstractions/a> }\n").unwrap();
        let mut session = Session::new(
            crate::resolve::Options::default(),
            FeatureSources::default(),
        );
        session.resolve.include_dirs = vec![inc.clone()];
        session.resolve.base_dir = base.clone();
        let targets = [Target::Angle("abstractions/a".into())];
        let print = |session: &Session| {
            let opts = options_digest(session);
            fingerprint(&opts, &input, &targets, None, session, &FileHasher::new())
                .unwrap()
                .digest
        };
        let first = print(&session);
        assert_eq!(print(&session), first, "deterministic");
        std::fs::write(base.join("abstractions/a"), "/b r,\n").unwrap();
        let edited = print(&session);
        assert_ne!(edited, first);
        // A file earlier in the search path now shadows the old one.
        std::fs::write(inc.join("abstractions/a"), "/b r,\n").unwrap();
        assert_ne!(print(&session), edited);
        session.resolve.include_dirs.clear();
        assert_eq!(print(&session), {
            let mut s = Session::new(session.resolve.clone(), FeatureSources::default());
            s.resolve.include_dirs.clear();
            print(&s)
        });
        assert_ne!(print(&session), edited, "options are part of the digest");
        assert!(
            fingerprint(
                &[0; 32],
                &dir.path().join("none"),
                &[],
                None,
                &session,
                &FileHasher::new()
            )
            .is_none()
        );
    }
}
