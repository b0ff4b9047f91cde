//! Atomic cache writes: a dot-named temporary file beside the target
//! (libapparmor skips dot files, so a leftover is never loaded), fsynced,
//! renamed over the target; callers fsync the directory after a batch.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// Writes `bytes` to `path` with permission bits `mode` and, if given,
/// modification time `mtime`; readers see either the old or the new file.
pub fn write_file_atomically(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    mtime: Option<SystemTime>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // The process id keeps processes apart, the counter the threads of one
    // (parallel compiles may write two inputs sharing a basename at once).
    static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);
    let serial = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.aaprof-{}-{serial}", std::process::id()));
    let result = (|| {
        // Recorded so that Ctrl-C removes it (cli::interrupt).
        let (mut file, _guard) = crate::cli::interrupt::create_temp(&temp, |temp| {
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(mode)
                .open(temp)
        })?;
        file.write_all(bytes)?;
        if let Some(mtime) = mtime {
            file.set_modified(mtime)?;
        }
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Writes one cache blob: mode 0600 and the mtime of the newest source,
/// as apparmor_parser does (its own mtime-based check then accepts it).
pub fn write_blob(
    dir: &Path,
    name: &str,
    blob: &[u8],
    mtime: Option<SystemTime>,
) -> std::io::Result<()> {
    write_file_atomically(&dir.join(name), blob, 0o600, mtime)
}

/// Makes the renames inside `dir` durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn replaces_with_mode_and_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let when = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        write_blob(dir.path(), "p", b"old", None).unwrap();
        write_blob(dir.path(), "p", b"new", Some(when)).unwrap();
        let path = dir.path().join("p");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(meta.modified().unwrap(), when);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }
}
