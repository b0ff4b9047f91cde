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
        // 5.0.2 opens nothing for an empty name (`include ""` is "Could
        // not open ''", never the working directory).
        IncludeTarget::Path(path) if path.is_empty() => Found::Missing,
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
        Ok(meta) if meta.is_dir() => Found::Dir(directory_files(path).unwrap_or_default()),
        Ok(_) => Found::File(path.to_path_buf()),
        Err(_) => Found::Missing,
    }
}

/// The files of a policy directory, as apparmor_parser reads one (an
/// included directory, a directory on the command line, a directory of
/// blobs or of features files), in name order: no dot files or packaging
/// and editor leftovers ([`is_ignored_name`]), and nothing that is a
/// directory once symbolic links are followed. A link to a file counts as
/// the file; a dangling link is kept, so reading it fails as 5.0.2's
/// does (it reports the directory and goes on with the other files).
/// An unreadable directory lists nothing; callers that must say so check
/// it themselves.
pub fn directory_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ignored = entry.file_name().to_str().is_none_or(is_ignored_name);
        if ignored || std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        files.push(path);
    }
    files.sort();
    Ok(files)
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
    fn an_empty_name_is_never_found() {
        let options = Options {
            cwd: Some(std::env::temp_dir()),
            ..Options::default()
        };
        let found = locate(&IncludeTarget::Path(String::new()), &options);
        assert_eq!(found, Found::Missing);
    }

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
