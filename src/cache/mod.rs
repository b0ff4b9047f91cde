//! The policy cache: apparmor_parser's `--write-cache` directory layout,
//! with freshness decided by content rather than by mtime.
//!
//! # Layout (binary-format §7; what apparmor_parser and libapparmor load)
//!
//! ```text
//! <cache-loc>/<features-id>.<N>/          mode 0700
//!     .features                           the kernel features text, mode 0644
//!     <basename of each profile file>     its blob, exactly as `-S` writes it, mode 0600,
//!                                         mtime = newest mtime of the files it was built from
//!     .aaprof-manifest.json               aaprof's freshness records (below)
//!     .aaprof-shadowed-<basename>-<hash>  blobs of inputs whose basename a later
//!                                         input of the run owns (store::Role)
//! ```
//!
//! `<features-id>` is [`FeatureSet::id`](crate::features::FeatureSet::id);
//! `N` starts at 0 and is bumped past any directory whose `.features`
//! differs (a hash collision), see [`location`].
//!
//! # Manifest (`.aaprof-manifest.json`)
//!
//! One JSON file per cache directory, a dot file so libapparmor's
//! "load every file in the cache directory" skips it:
//!
//! ```json
//! { "format": 2,
//!   "entries": { "<profile path as given>": {
//!       "input":    "<profile path as given>",
//!       "file":     "<blob file: the basename, or .aaprof-shadowed-<basename>-<hash>>",
//!       "includes": [ {"Angle": "abstractions/base"}, {"Path": "/etc/x"} ],
//!       "abi":      "abi/4.0" | null,
//!       "digest":   "<sha256 hex: the entry's fingerprint>",
//!       "blob":     "<sha256 hex of the blob file>" } } }
//! ```
//!
//! The fingerprint ([`fingerprint::fingerprint`]) hashes, in order: the
//! options digest (aaprof version, include path, base dir, working dir,
//! kernel / policy / override features texts), the input path and content,
//! then for every include target met while compiling: the target, what it
//! resolves to *now* (file, directory listing, or missing) and each
//! resolved file's content, then the `abi` file's path and content. So an
//! entry is fresh exactly when everything the compile read is unchanged —
//! including a new file shadowing an include in an earlier search
//! directory, a new file in an included directory, or an `include if
//! exists` target appearing. By induction over the walk, equal contents
//! and equal resolutions give the same walk, hence the same blob, and
//! checking never parses a profile: it re-runs `locate` on the recorded
//! targets and hashes files (each file once per run, see
//! [`fingerprint::FileHasher`]).
//!
//! Why one manifest per directory rather than one per entry: a check of
//! 1,300 entries reads one small file instead of 1,300, and the manifest
//! names only include *targets* (no per-file hashes), so it stays small.
//! The blob's own hash is kept so an interrupted run (blob renamed, manifest
//! not yet rewritten) is detected: the entry's blob hash no longer matches
//! and the entry is rebuilt. Every file is written to a dot-named
//! temporary file and renamed, then the directory is fsynced, so an
//! interrupted run leaves the previous cache valid.

pub mod fingerprint;
pub mod location;
pub mod manifest;
pub mod store;
pub mod write;

pub use fingerprint::{FileHasher, Fingerprint, fingerprint, options_digest};
pub use location::{cache_dir, open_cache_dir};
pub use manifest::{Entry, MANIFEST_NAME, Manifest, Target};
pub use store::Store;
pub use write::{write_blob, write_file_atomically};

use std::path::PathBuf;
use thiserror::Error;

/// apparmor_parser's compiled-in default cache location.
pub const DEFAULT_CACHE_LOC: &str = "/var/cache/apparmor";

#[derive(Debug, Error)]
pub enum CacheError {
    #[error("cannot access cache {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cache manifest {} is not valid: {message}", path.display())]
    Manifest { path: PathBuf, message: String },
}

impl CacheError {
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> CacheError + '_ {
        move |source| CacheError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
