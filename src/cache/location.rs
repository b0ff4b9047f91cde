//! Which `<features-id>.<N>` directory a features text uses.

use super::CacheError;
use super::write::{sync_dir, write_file_atomically};
use crate::features::FeatureSet;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// Collisions tolerated before giving up (apparmor_parser has no limit,
/// but a thousand colliding 32-bit hashes means something else is wrong).
const MAX_N: u32 = 1000;

/// The directory under `loc` for `features`, without creating anything:
/// the first `<id>.<N>` that does not exist, has no `.features`, or has
/// a `.features` equal to the features text.
pub fn cache_dir(loc: &Path, features: &FeatureSet) -> Result<PathBuf, CacheError> {
    let id = features.id();
    for n in 0..MAX_N {
        let dir = loc.join(format!("{id}.{n}"));
        match std::fs::read(dir.join(".features")) {
            Ok(text) if text == features.text() => return Ok(dir),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(dir),
            Err(e) => return Err(CacheError::io(&dir)(e)),
        }
    }
    Err(CacheError::Io {
        path: loc.join(format!("{id}.*")),
        source: std::io::Error::other("too many features-id collisions"),
    })
}

/// [`cache_dir`], created if needed (mode 0700, as apparmor_parser) with
/// its `.features` file (mode 0644).
pub fn open_cache_dir(loc: &Path, features: &FeatureSet) -> Result<PathBuf, CacheError> {
    std::fs::create_dir_all(loc).map_err(CacheError::io(loc))?;
    let dir = cache_dir(loc, features)?;
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => sync_dir(loc).map_err(CacheError::io(loc))?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(CacheError::io(&dir)(e)),
    }
    let features_file = dir.join(".features");
    if std::fs::read(&features_file).ok().as_deref() != Some(features.text()) {
        write_file_atomically(&features_file, features.text(), 0o644, None)
            .map_err(CacheError::io(&features_file))?;
        sync_dir(&dir).map_err(CacheError::io(&dir))?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collision_takes_the_next_number() {
        let loc = tempfile::tempdir().unwrap();
        let a = FeatureSet::from_text("caps {mask {chown}}\n").unwrap();
        let first = open_cache_dir(loc.path(), &a).unwrap();
        assert_eq!(first, loc.path().join(format!("{}.0", a.id())));
        // Fake a collision: same id directory, other features text.
        std::fs::write(first.join(".features"), "other").unwrap();
        let second = open_cache_dir(loc.path(), &a).unwrap();
        assert_eq!(second, loc.path().join(format!("{}.1", a.id())));
        assert_eq!(std::fs::read(second.join(".features")).unwrap(), a.text());
        assert_eq!(cache_dir(loc.path(), &a).unwrap(), second);
    }
}
