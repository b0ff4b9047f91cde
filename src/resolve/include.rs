//! Finding the file(s) an include names, as apparmor_parser does.

use super::Options;
use crate::syntax::IncludeTarget;
use std::path::{Path, PathBuf};

/// Where an include led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// One file.
    File(PathBuf),
    /// A directory: every file in it, in name order.
    Dir(Vec<PathBuf>),
    /// Nothing at any candidate location.
    Missing,
}

/// Resolves an include target: `<name>` through the include path (`-I`,
/// in order) then the base directory; `"path"` and bare paths as given,
/// relative to the working directory when relative.
pub fn locate(target: &IncludeTarget, options: &Options) -> Found {
    match target {
        IncludeTarget::Angle(name) => {
            let name = Path::new(name);
            if name.is_absolute() {
                return examine(name);
            }
            options
                .include_dirs
                .iter()
                .chain(std::iter::once(&options.base_dir))
                .map(|dir| examine(&dir.join(name)))
                .find(|f| *f != Found::Missing)
                .unwrap_or(Found::Missing)
        }
        IncludeTarget::Path(path) => {
            let path = Path::new(path);
            if path.is_absolute() {
                examine(path)
            } else {
                match &options.cwd {
                    Some(cwd) => examine(&cwd.join(path)),
                    None => examine(path),
                }
            }
        }
    }
}

fn examine(path: &Path) -> Found {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Found::Dir(directory_files(path)),
        Ok(_) => Found::File(path.to_path_buf()),
        Err(_) => Found::Missing,
    }
}

/// The regular files of a directory that apparmor_parser would load:
/// no dot files, no packaging or editor leftovers, no subdirectories.
fn directory_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| !t.is_dir()).unwrap_or(false))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !is_ignored_name(n))
        })
        .collect();
    files.sort();
    files
}

/// Names apparmor_parser skips in directories.
pub fn is_ignored_name(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".dpkg-new",
        ".dpkg-old",
        ".dpkg-dist",
        ".dpkg-bak",
        ".dpkg-remove",
        ".pacsave",
        ".pacnew",
        ".rpmnew",
        ".rpmsave",
        ".orig",
        ".rej",
        "~",
    ];
    name.starts_with('.') || SUFFIXES.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_leftovers_and_dotfiles() {
        assert!(is_ignored_name(".hidden"));
        assert!(is_ignored_name("foo.dpkg-new"));
        assert!(is_ignored_name("foo~"));
        assert!(!is_ignored_name("foo"));
    }

    #[test]
    fn angle_searches_include_dirs_then_base() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        std::fs::write(b.path().join("x"), "").unwrap();
        let options = Options {
            include_dirs: vec![a.path().to_path_buf()],
            base_dir: b.path().to_path_buf(),
            ..Options::default()
        };
        assert_eq!(
            locate(&IncludeTarget::Angle("x".into()), &options),
            Found::File(b.path().join("x"))
        );
        assert_eq!(
            locate(&IncludeTarget::Angle("y".into()), &options),
            Found::Missing
        );
    }
}
