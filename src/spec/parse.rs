//! Reading spec files: words per line, settings, includes (relative to the
//! including file, cycles refused), expectations.

use super::{Expectation, Expected, Location, PolicyKey, Settings};
use crate::audit;
use crate::query::Request;
use std::path::{Path, PathBuf};

/// How deep includes may nest (a cycle is caught earlier; this bounds
/// chains of distinct files).
const MAX_DEPTH: usize = 32;

/// The exec modes a transition can have, as `query` names them.
pub const EXEC_MODES: &[&str] = &[
    "ix", "ux", "Ux", "px", "Px", "cx", "Cx", "pix", "Pix", "cix", "Cix", "pux", "Pux", "cux",
    "Cux",
];

/// A spec that cannot be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// `file:line`, or just the file when no line is at fault.
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for SpecError {}

fn error(place: impl ToString, message: impl Into<String>) -> SpecError {
    SpecError {
        place: place.to_string(),
        message: message.into(),
    }
}

/// What reading specs gives: the expectations in order, the settings at
/// the end of the last top-level file, and notes about audit records that
/// were skipped (`file:line: why`).
#[derive(Debug, Default)]
pub struct Loaded {
    pub expectations: Vec<Expectation>,
    pub last: Settings,
    pub skipped: Vec<String>,
}

/// Reads each spec file in turn, every one starting from `base` (the
/// command line's settings).
pub fn load_specs(paths: &[PathBuf], base: &Settings) -> Result<Loaded, SpecError> {
    let mut loaded = Loaded::default();
    for path in paths {
        let mut settings = base.clone();
        let mut stack = Vec::new();
        read_file(path, None, &mut settings, &mut stack, &mut loaded)?;
        loaded.last = settings;
    }
    Ok(loaded)
}

/// Splits a line into words: blanks separate, `"..."` groups (with `\"`
/// and `\\` inside), `#` outside quotes starts a comment.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            break;
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '"' {
                    loop {
                        match chars.next() {
                            None => return Err("unterminated quote".into()),
                            Some('"') => break,
                            Some('\\') => match chars.next() {
                                Some(e @ ('"' | '\\')) => word.push(e),
                                Some(other) => {
                                    word.push('\\');
                                    word.push(other);
                                }
                                None => return Err("unterminated quote".into()),
                            },
                            Some(other) => word.push(other),
                        }
                    }
                } else {
                    word.push(c);
                }
            }
            words.push(word);
        }
    }
    Ok(words)
}

/// A word as a spec line writes it: quoted when it holds a blank, a
/// quote or a `#` (so reports show what the line said).
pub fn shown(word: &str) -> String {
    if word.is_empty() || word.contains(|c: char| c.is_whitespace() || c == '"' || c == '#') {
        format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        word.to_string()
    }
}

/// The words of a line joined as written.
fn joined(words: &[String]) -> String {
    words.iter().map(|w| shown(w)).collect::<Vec<_>>().join(" ")
}

/// `path` relative to the directory of `file` (absolute paths and
/// `builtin:` names as they are).
fn relative(file: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match file.parent() {
        Some(dir) => tidy(&dir.join(path)),
        None => path.to_path_buf(),
    }
}

/// `a/./b/../c` as `a/c`, by the text alone (for messages; a `..` after
/// a symlink then names another directory than the kernel would, which a
/// spec's own relative paths do not rely on).
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

fn read_file(
    path: &Path,
    from: Option<&Location>,
    settings: &mut Settings,
    stack: &mut Vec<(PathBuf, String)>,
    out: &mut Loaded,
) -> Result<(), SpecError> {
    let place = || match from {
        Some(location) => location.to_string(),
        None => path.display().to_string(),
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| error(place(), format!("cannot read {}: {e}", path.display())))?;
    let identity = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(start) = stack.iter().position(|(p, _)| *p == identity) {
        let mut chain: Vec<String> = stack[start..]
            .iter()
            .map(|(_, shown)| shown.clone())
            .collect();
        chain.push(path.display().to_string());
        return Err(error(
            place(),
            format!("include cycle: {}", chain.join(" -> ")),
        ));
    }
    if stack.len() >= MAX_DEPTH {
        return Err(error(
            place(),
            format!("includes nest deeper than {MAX_DEPTH} files"),
        ));
    }
    stack.push((identity, path.display().to_string()));
    let file = path.display().to_string();
    for (index, line) in text.lines().enumerate() {
        let location = Location {
            file: file.clone(),
            line: index + 1,
        };
        let words = words(line).map_err(|e| error(&location, e))?;
        read_line(path, &location, &words, settings, stack, out)?;
    }
    stack.pop();
    Ok(())
}

/// The one argument of a setting line.
fn one<'a>(location: &Location, words: &'a [String]) -> Result<&'a str, SpecError> {
    match words {
        [keyword, value] => {
            let _ = keyword;
            Ok(value)
        }
        [keyword, ..] => Err(error(
            location,
            format!("`{keyword}` takes exactly one argument"),
        )),
        [] => unreachable!("empty lines are skipped before"),
    }
}

fn read_line(
    path: &Path,
    location: &Location,
    words: &[String],
    settings: &mut Settings,
    stack: &mut Vec<(PathBuf, String)>,
    out: &mut Loaded,
) -> Result<(), SpecError> {
    let Some(keyword) = words.first() else {
        return Ok(());
    };
    match keyword.as_str() {
        "policy" => settings.policy = Some(relative(path, one(location, words)?)),
        "features" => {
            let value = one(location, words)?;
            settings.features = Some(if value.starts_with("builtin:") {
                value.to_string()
            } else {
                relative(path, value).display().to_string()
            });
        }
        "include-dir" => settings
            .include_dirs
            .push(relative(path, one(location, words)?)),
        "profile" => settings.profile = Some(one(location, words)?.to_string()),
        "include" => {
            let target = relative(path, one(location, words)?);
            // The included file's setting changes end with it.
            let mut inner = settings.clone();
            read_file(&target, Some(location), &mut inner, stack, out)?;
        }
        "audit-log" => {
            let log = relative(path, one(location, words)?);
            let policy = policy_key(location, settings)?;
            read_log(&log, location, &policy, out)?;
        }
        "allow" | "deny" | "audit" => {
            let expected = match keyword.as_str() {
                "allow" => Expected::Allow,
                "deny" => Expected::Deny,
                _ => Expected::Audit,
            };
            let request =
                Request::parse(&words[1..]).map_err(|e| error(location, e.to_string()))?;
            push(location, settings, expected, request, &words[1..], out)?;
        }
        "exec" => {
            let (request, expected) = exec_line(location, &words[1..])?;
            push(location, settings, expected, request, &words[1..], out)?;
        }
        other => {
            return Err(error(
                location,
                format!(
                    "unknown line `{other}`: expected policy, features, include-dir, profile, \
                     include, audit-log, allow, deny, audit or exec"
                ),
            ));
        }
    }
    Ok(())
}

/// `exec PATH [owner] [-> [MODE] [TARGET]]`.
fn exec_line(location: &Location, words: &[String]) -> Result<(Request, Expected), SpecError> {
    let (request_words, transition) = match words.iter().position(|w| w == "->") {
        Some(arrow) => (&words[..arrow], Some(&words[arrow + 1..])),
        None => (words, None),
    };
    let mut exec_words = vec!["exec".to_string()];
    exec_words.extend(request_words.iter().cloned());
    let request = Request::parse(&exec_words).map_err(|e| error(location, e.to_string()))?;
    let (mode, target) = match transition {
        None => (None, None),
        Some([]) => {
            return Err(error(
                location,
                "give a mode and/or target after `->`, e.g. `-> Cx parent//child`",
            ));
        }
        Some([word]) if EXEC_MODES.contains(&word.as_str()) => (Some(word.clone()), None),
        Some([word]) => (None, Some(word.clone())),
        Some([mode, target]) if EXEC_MODES.contains(&mode.as_str()) => {
            (Some(mode.clone()), Some(target.clone()))
        }
        Some([mode, _]) => {
            return Err(error(
                location,
                format!(
                    "`{mode}` is not an exec mode (known: {})",
                    EXEC_MODES.join(", ")
                ),
            ));
        }
        Some(_) => {
            return Err(error(
                location,
                "after `->` give at most a mode and a target",
            ));
        }
    };
    Ok((request, Expected::Exec { mode, target }))
}

fn policy_key(location: &Location, settings: &Settings) -> Result<PolicyKey, SpecError> {
    let policy = settings.policy.clone().ok_or_else(|| {
        error(
            location,
            "no policy: write `policy PATH` before the first expectation",
        )
    })?;
    Ok(PolicyKey {
        policy,
        features: settings.features.clone(),
        include_dirs: settings.include_dirs.clone(),
    })
}

fn push(
    location: &Location,
    settings: &Settings,
    expected: Expected,
    request: Request,
    words: &[String],
    out: &mut Loaded,
) -> Result<(), SpecError> {
    out.expectations.push(Expectation {
        location: location.clone(),
        expected,
        request,
        text: joined(words),
        policy: policy_key(location, settings)?,
        profile: settings.profile.clone(),
    });
    Ok(())
}

/// Every apparmor record of an audit log as an expectation that its
/// access is now allowed; records naming no request aaprof decides are
/// noted in `skipped`.
pub fn read_log(
    log: &Path,
    from: &Location,
    policy: &PolicyKey,
    out: &mut Loaded,
) -> Result<(), SpecError> {
    let bytes = std::fs::read(log)
        .map_err(|e| error(from, format!("cannot read {}: {e}", log.display())))?;
    let text = String::from_utf8_lossy(&bytes);
    let file = log.display().to_string();
    for (index, line) in text.lines().enumerate() {
        let location = Location {
            file: file.clone(),
            line: index + 1,
        };
        let record = match audit::parse_line(line) {
            Ok(Some(record)) => record,
            Ok(None) => continue,
            Err(e) => {
                out.skipped.push(format!("{location}: {e}"));
                continue;
            }
        };
        // Profile loads and other status records log no access.
        if record.kind == "STATUS" {
            continue;
        }
        let request = match record.request() {
            Ok(request) => request,
            Err(e) => {
                out.skipped.push(format!("{location}: {e}"));
                continue;
            }
        };
        out.expectations.push(Expectation {
            location,
            text: request.text(),
            profile: Some(record.profile.clone()),
            request,
            expected: Expected::Record(Box::new(record)),
            policy: policy.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_quote_and_comment() {
        assert_eq!(
            words(r#"allow file "/tmp/a b" r  # why"#).unwrap(),
            ["allow", "file", "/tmp/a b", "r"]
        );
        assert_eq!(words(r#"x "a\"b\\c""#).unwrap(), ["x", r#"a"b\c"#]);
        assert_eq!(words("  # only a comment").unwrap(), Vec::<String>::new());
        assert!(words(r#"allow file "/tmp r"#).is_err());
    }

    fn location() -> Location {
        Location {
            file: "t.spec".into(),
            line: 3,
        }
    }

    fn split(text: &str) -> Vec<String> {
        words(text).unwrap()
    }

    #[test]
    fn shown_words_read_back_the_same() {
        for word in [
            "/etc/passwd",
            "/tmp/a b",
            r#"/tmp/<a&b>"c'"#,
            r"a\b c",
            "x#y",
            "",
        ] {
            let line = shown(word);
            assert_eq!(words(&line).unwrap(), [word], "{line}");
        }
        assert_eq!(shown("/etc/passwd"), "/etc/passwd");
    }

    #[test]
    fn relative_paths_are_tidied() {
        let spec = Path::new("fixtures/spec/a.spec");
        assert_eq!(
            relative(spec, "../audit/x.log"),
            PathBuf::from("fixtures/audit/x.log")
        );
        assert_eq!(
            relative(spec, "./b/../c.spec"),
            PathBuf::from("fixtures/spec/c.spec")
        );
        assert_eq!(relative(Path::new("a.spec"), "../x"), PathBuf::from("../x"));
        assert_eq!(relative(spec, "/abs/p"), PathBuf::from("/abs/p"));
    }

    #[test]
    fn exec_lines() {
        let (request, expected) =
            exec_line(&location(), &split("/usr/bin/kid -> Cx p//kid")).unwrap();
        assert_eq!(request.text(), "exec /usr/bin/kid");
        assert_eq!(
            expected,
            Expected::Exec {
                mode: Some("Cx".into()),
                target: Some("p//kid".into())
            }
        );
        let (_, expected) = exec_line(&location(), &split("/bin/x -> p//kid")).unwrap();
        assert_eq!(
            expected,
            Expected::Exec {
                mode: None,
                target: Some("p//kid".into())
            }
        );
        let (_, expected) = exec_line(&location(), &split("/bin/x -> ix")).unwrap();
        assert!(matches!(expected, Expected::Exec { mode: Some(m), target: None } if m == "ix"));
        for bad in ["/bin/x ->", "/bin/x -> zx t", "/bin/x -> a b c", "bin/x"] {
            let e = exec_line(&location(), &split(bad)).unwrap_err();
            assert_eq!(e.place, "t.spec:3", "{bad}");
        }
    }

    #[test]
    fn settings_are_needed_and_relative() {
        let mut out = Loaded::default();
        let mut settings = Settings::default();
        let mut stack = Vec::new();
        let path = Path::new("dir/t.spec");
        let err = read_line(
            path,
            &location(),
            &split("allow file /x r"),
            &mut settings,
            &mut stack,
            &mut out,
        )
        .unwrap_err();
        assert!(err.message.contains("no policy"), "{err}");
        for line in [
            "policy p.profile",
            "features f.txt",
            "include-dir inc",
            "profile app",
        ] {
            read_line(
                path,
                &location(),
                &split(line),
                &mut settings,
                &mut stack,
                &mut out,
            )
            .unwrap();
        }
        assert_eq!(settings.policy, Some(PathBuf::from("dir/p.profile")));
        assert_eq!(settings.features.as_deref(), Some("dir/f.txt"));
        assert_eq!(settings.include_dirs, [PathBuf::from("dir/inc")]);
        read_line(
            path,
            &location(),
            &split("features builtin:debian-6.12"),
            &mut settings,
            &mut stack,
            &mut out,
        )
        .unwrap();
        assert_eq!(settings.features.as_deref(), Some("builtin:debian-6.12"));
        read_line(
            path,
            &location(),
            &split("deny capability sys_admin"),
            &mut settings,
            &mut stack,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.expectations.len(), 1);
        assert_eq!(out.expectations[0].profile.as_deref(), Some("app"));
        for bad in [
            "policy",
            "policy a b",
            "allow",
            "allow file x r",
            "deny frobnicate",
            "expect file /x r",
        ] {
            assert!(
                read_line(
                    path,
                    &location(),
                    &split(bad),
                    &mut settings,
                    &mut stack,
                    &mut out
                )
                .is_err(),
                "{bad}"
            );
        }
    }
}
