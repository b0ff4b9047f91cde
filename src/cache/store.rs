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

    /// The cached blob of `input` if its entry is fresh: recorded in the
    /// same role (so an owner's blob is the one apparmor_parser would
    /// load), same fingerprint now, blob file intact. Never parses the
    /// profile.
    pub fn lookup(&self, input: &Path, role: Role, session: &Session) -> Option<Vec<u8>> {
        let name = role.file_name(input)?;
        let entry = self.old.entries.get(&entry_key(input))?;
        if entry.input != input || entry.file != name {
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

    /// The names of the warnings recorded for `input`'s entry (empty when
    /// there is none).
    pub fn recorded_warnings(&self, input: &Path) -> &[String] {
        self.old
            .entries
            .get(&entry_key(input))
            .map_or(&[], |e| e.warnings.as_slice())
    }

    /// Writes the blob of a successful compile of `input` in its role and
    /// records its entry (for [`Store::commit`]).
    pub fn record(
        &self,
        input: &Path,
        role: Role,
        compiled: &Compiled,
        blob: &[u8],
        session: &Session,
    ) -> Result<(), CacheError> {
        let Some(name) = role.file_name(input) else {
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
            file: name.clone(),
            includes,
            abi: compiled.abi.clone(),
            digest: print.digest,
            blob: hex(&sha256(blob)),
            warnings: compiled
                .diagnostics
                .iter()
                .filter(|d| !d.is_error())
                .map(|d| d.code.to_string())
                .collect(),
        };
        self.new
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .insert(entry_key(input), entry);
        Ok(())
    }

    /// Makes the recorded blobs durable, then writes the manifest.
    pub fn commit(self) -> Result<PathBuf, CacheError> {
        sync_dir(&self.dir).map_err(CacheError::io(&self.dir))?;
        let mut manifest = self.new.into_inner().unwrap_or_else(|p| p.into_inner());
        drop_overwritten(&mut manifest, &self.old);
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

/// The manifest key of an input: its path as given.
fn entry_key(input: &Path) -> String {
    input.to_string_lossy().into_owned()
}

/// An input's place in the cache for one run. apparmor_parser names a
/// cache file by the profile file's basename, so when several inputs of a
/// run share a basename the last one on the command line wins the file
/// (apparmor_parser writes each in turn; the last write stays, and it
/// then serves that blob for all of them). aaprof gives the file to the
/// last input too ([`Role::Owner`]) and keeps the others' blobs in private
/// dot files ([`Role::Shadowed`]: never loaded by apparmor_parser or
/// libapparmor), so every input has its own entry and a second run reuses
/// all of them instead of recompiling the shadowed ones each time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Shadowed,
}

impl Role {
    /// The roles of a run's inputs, in order (`None` marks inputs that are
    /// not files, such as stdin: they have no cache entry).
    pub fn of_run<'a>(inputs: impl IntoIterator<Item = Option<&'a Path>>) -> Vec<Role> {
        let inputs: Vec<Option<&Path>> = inputs.into_iter().collect();
        let mut last = std::collections::HashMap::new();
        for (i, input) in inputs.iter().enumerate() {
            if let Some(name) = input.and_then(entry_name) {
                last.insert(name, i);
            }
        }
        inputs
            .iter()
            .enumerate()
            .map(|(i, input)| match input.and_then(entry_name) {
                Some(name) if last.get(&name) != Some(&i) => Role::Shadowed,
                _ => Role::Owner,
            })
            .collect()
    }

    /// The file holding the blob of `input` in this role.
    pub fn file_name(self, input: &Path) -> Option<String> {
        let base = entry_name(input)?;
        Some(match self {
            Role::Owner => base,
            Role::Shadowed => {
                let id = hex(&sha256(input.as_os_str().as_encoded_bytes()));
                format!(".aaprof-shadowed-{base}-{}", &id[..16])
            }
        })
    }
}

/// Drops the records whose blob file a new record of another input has
/// overwritten this run (their blob hash would no longer match anyway;
/// dropping keeps the manifest from collecting dead entries).
fn drop_overwritten(manifest: &mut Manifest, old: &Manifest) {
    let rewritten: std::collections::HashMap<String, String> = manifest
        .entries
        .iter()
        .filter(|(key, entry)| old.entries.get(*key) != Some(entry))
        .map(|(key, entry)| (entry.file.clone(), key.clone()))
        .collect();
    manifest.entries.retain(|key, entry| {
        rewritten
            .get(&entry.file)
            .is_none_or(|writer| writer == key)
    });
}
