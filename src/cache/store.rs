//! One run's view of a cache directory: look entries up, record new ones,
//! commit the manifest.

use super::CacheError;
use super::fingerprint::{
    FileHasher, Hash, fingerprint, hex, options_digest, sha256, unique_targets,
};
use super::location::{cache_dir, open_cache_dir};
use super::manifest::{Entry, Manifest};
use super::write::{sync_dir, write_blob};
use crate::compile::{Compiled, Session};
use crate::features::FeatureSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An open cache directory. `lookup` and `record` may be called from many
/// threads; nothing is visible to a later run until [`Store::commit`]
/// writes the manifest (blobs are renamed in place as they are recorded,
/// each atomically, and an entry whose blob changed without its manifest
/// record is stale, never wrongly fresh).
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    old: Manifest,
    new: Mutex<Manifest>,
    options: Hash,
    hasher: FileHasher,
}

impl Store {
    /// Opens (creating if needed) the directory for `kernel` under `loc`.
    pub fn open(loc: &Path, kernel: &FeatureSet, session: &Session) -> Result<Store, CacheError> {
        Ok(Store::with_dir(open_cache_dir(loc, kernel)?, session))
    }

    /// The directory for `kernel` under `loc`, read only: nothing is
    /// created, and a missing directory has no fresh entry. For checking
    /// a shipped cache; never [`Store::commit`] it.
    pub fn inspect(
        loc: &Path,
        kernel: &FeatureSet,
        session: &Session,
    ) -> Result<Store, CacheError> {
        Ok(Store::with_dir(cache_dir(loc, kernel)?, session))
    }

    fn with_dir(dir: PathBuf, session: &Session) -> Store {
        let old = Manifest::load(&dir);
        let new = Manifest {
            format: old.format,
            entries: old.entries.clone(),
        };
        Store {
            dir,
            old,
            new: Mutex::new(new),
            options: options_digest(session),
            hasher: FileHasher::new(),
        }
    }

    /// The cache directory (`<loc>/<features-id>.<N>`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cached blob of `input` if its entry is fresh: same input path,
    /// same fingerprint now, blob file intact. Never parses the profile.
    pub fn lookup(&self, input: &Path, session: &Session) -> Option<Vec<u8>> {
        let name = entry_name(input)?;
        let entry = self.old.entries.get(&name)?;
        if entry.input != input {
            return None;
        }
        let now = fingerprint(
            &self.options,
            input,
            &entry.includes,
            entry.abi.as_deref(),
            session,
            &self.hasher,
        )?;
        if now.digest != entry.digest {
            return None;
        }
        let blob = std::fs::read(self.dir.join(&name)).ok()?;
        (hex(&sha256(&blob)) == entry.blob).then_some(blob)
    }

    /// Writes the blob of a successful compile of `input` and records its
    /// entry (for [`Store::commit`]).
    pub fn record(
        &self,
        input: &Path,
        compiled: &Compiled,
        blob: &[u8],
        session: &Session,
    ) -> Result<(), CacheError> {
        let Some(name) = entry_name(input) else {
            return Ok(());
        };
        let includes = unique_targets(&compiled.includes);
        let Some(print) = fingerprint(
            &self.options,
            input,
            &includes,
            compiled.abi.as_deref(),
            session,
            &self.hasher,
        ) else {
            return Ok(());
        };
        let mtime = print
            .files
            .iter()
            .filter_map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
            .max();
        write_blob(&self.dir, &name, blob, mtime).map_err(CacheError::io(&self.dir.join(&name)))?;
        let entry = Entry {
            input: input.to_path_buf(),
            includes,
            abi: compiled.abi.clone(),
            digest: print.digest,
            blob: hex(&sha256(blob)),
        };
        self.new
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .insert(name, entry);
        Ok(())
    }

    /// Makes the recorded blobs durable, then writes the manifest.
    pub fn commit(self) -> Result<PathBuf, CacheError> {
        sync_dir(&self.dir).map_err(CacheError::io(&self.dir))?;
        let manifest = self.new.into_inner().unwrap_or_else(|p| p.into_inner());
        if manifest != self.old {
            manifest.save(&self.dir)?;
            sync_dir(&self.dir).map_err(CacheError::io(&self.dir))?;
        }
        Ok(self.dir)
    }
}

/// The cache file name of an input: its basename, as apparmor_parser.
pub fn entry_name(input: &Path) -> Option<String> {
    input.file_name().map(|n| n.to_string_lossy().into_owned())
}
