//! The per-process cache of parsed files.

use crate::syntax::{ParsedFile, Source, parse};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What reading and parsing one path gave: the parsed file, or the I/O
/// error's text.
pub type CachedFile = Result<Arc<ParsedFile>, String>;

/// A thread-safe cache that reads and parses each file once per process,
/// shared by every load of a run (e.g. 1,300 profiles compiled in
/// parallel, all including the same abstractions).
///
/// The map lock is held only to find or insert a slot; reading and parsing
/// happen outside it, in the slot's `OnceLock`, so threads parsing
/// different files never wait on each other and threads wanting the same
/// file wait for the single parse.
#[derive(Debug, Default)]
pub struct SourceCache {
    slots: Mutex<HashMap<PathBuf, Arc<OnceLock<CachedFile>>>>,
}

impl SourceCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The parsed file at `path` (read and parsed on first request). The
    /// diagnostic name of the source is the path as given.
    pub fn get(&self, path: &Path) -> CachedFile {
        let slot = self.lock().entry(path.to_path_buf()).or_default().clone();
        slot.get_or_init(|| {
            let text = std::fs::read(path).map_err(|e| e.to_string())?;
            let text = String::from_utf8_lossy(&text).into_owned();
            let source = Source::new(path.display().to_string(), Some(path.to_path_buf()), text);
            Ok(Arc::new(parse(Arc::new(source))))
        })
        .clone()
    }

    /// Makes `text` the content of `path` for every later [`Self::get`]
    /// (an editor's unsaved buffer, for `aaprof lsp`). The text is parsed
    /// again only when it differs from what the cache holds for the path,
    /// so a file is parsed once per content. Returns whether it changed.
    pub fn set_text(&self, path: &Path, text: &str) -> bool {
        if let Ok(parsed) = self.get_cached(path)
            && &*parsed.source.text == text
        {
            return false;
        }
        let source = Source::new(path.display().to_string(), Some(path.to_path_buf()), text);
        let slot = OnceLock::new();
        let _ = slot.set(Ok(Arc::new(parse(Arc::new(source)))));
        self.lock().insert(path.to_path_buf(), Arc::new(slot));
        true
    }

    /// Drops what the cache holds for `path`: the next [`Self::get`] reads
    /// the file again (a buffer closed, a file changed on disk).
    pub fn forget(&self, path: &Path) {
        self.lock().remove(path);
    }

    /// The entry for `path` if it was already read, without reading it.
    fn get_cached(&self, path: &Path) -> CachedFile {
        let slot = self.lock().get(path).cloned();
        match slot.as_deref().and_then(OnceLock::get) {
            Some(cached) => cached.clone(),
            None => Err("not cached".into()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<OnceLock<CachedFile>>>> {
        match self.slots.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Number of distinct paths requested so far.
    pub fn len(&self) -> usize {
        self.slots.lock().map(|s| s.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, "/a r,\n").unwrap();
        let cache = SourceCache::new();
        let first = cache.get(&path).unwrap();
        let second = cache.get(&path).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(cache.len(), 1);
        assert!(cache.get(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn set_text_overrides_the_file_and_parses_each_content_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, "/a r,\n").unwrap();
        let cache = SourceCache::new();
        let disk = cache.get(&path).unwrap();
        assert!(!cache.set_text(&path, "/a r,\n"));
        assert!(Arc::ptr_eq(&disk, &cache.get(&path).unwrap()));
        assert!(cache.set_text(&path, "/b r,\n"));
        let edited = cache.get(&path).unwrap();
        assert_eq!(&*edited.source.text, "/b r,\n");
        assert!(!cache.set_text(&path, "/b r,\n"));
        assert!(Arc::ptr_eq(&edited, &cache.get(&path).unwrap()));
        cache.forget(&path);
        assert_eq!(&*cache.get(&path).unwrap().source.text, "/a r,\n");
    }
}
