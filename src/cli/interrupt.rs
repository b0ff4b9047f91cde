//! Ctrl-C and SIGTERM: an interrupted run leaves no temporary file behind
//! (issue 7).
//!
//! Outputs are written to a dot-named temporary and renamed into place, so
//! a signal can never leave a partial *output*; what it could leave is the
//! temporary itself. Every temporary is therefore created through
//! [`create_temp`], which records it in a registry; the handler [`install`]
//! sets up removes every recorded temporary and exits with status 130.
//!
//! Creation happens under the registry lock and the handler takes the same
//! lock, so a temporary is either recorded before the handler runs (and
//! removed by it) or never created (the interrupted flag is seen first).

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Exit status after SIGINT or SIGTERM (128 + SIGINT, as shells report).
pub const EXIT_INTERRUPTED: i32 = 130;

struct Registry {
    interrupted: bool,
    temps: BTreeSet<PathBuf>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    interrupted: false,
    temps: BTreeSet::new(),
});

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    // A panic elsewhere must not stop the cleanup.
    REGISTRY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Installs the SIGINT/SIGTERM handler (once; later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let mut registry = registry();
        registry.interrupted = true;
        for temp in std::mem::take(&mut registry.temps) {
            let _ = std::fs::remove_file(temp);
        }
        eprintln!("aaprof: interrupted; no output written");
        std::process::exit(EXIT_INTERRUPTED);
    });
}

/// A recorded temporary file. Dropping it forgets it and removes the file
/// if it is still there (after a failed write; after the rename there is
/// nothing left to remove).
#[derive(Debug)]
pub struct TempGuard {
    path: PathBuf,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        let mut registry = registry();
        registry.temps.remove(&self.path);
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Creates the temporary `path` with `open` and records it for removal on
/// interrupt. Fails with [`std::io::ErrorKind::Interrupted`] once a signal
/// has arrived.
pub fn create_temp(
    path: &Path,
    open: impl FnOnce(&Path) -> std::io::Result<File>,
) -> std::io::Result<(File, TempGuard)> {
    let mut registry = registry();
    if registry.interrupted {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ));
    }
    let file = open(path)?;
    registry.temps.insert(path.to_path_buf());
    Ok((
        file,
        TempGuard {
            path: path.to_path_buf(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_is_recorded_until_its_guard_drops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".t.tmp");
        let (_file, guard) = create_temp(&path, |p| File::create(p)).unwrap();
        assert!(registry().temps.contains(&path));
        drop(guard);
        assert!(!registry().temps.contains(&path));
        assert!(!path.exists(), "an unrenamed temporary is removed");
    }
}
