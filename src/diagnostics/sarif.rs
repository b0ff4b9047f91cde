//! SARIF 2.1.0 output, as GitHub code scanning ingests it: one run, the
//! tool's rules (one per [`Code`], so `ruleIndex` is stable), one result
//! per diagnostic with its region, and the include chain as related
//! locations. `tests/check_formats.rs` validates the output against the
//! OASIS schema.

use super::{Code, Diagnostic, IncludeSite};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The base id relative artifact URIs are resolved against: the working
/// directory of the run, recorded in `originalUriBaseIds`.
const SRCROOT: &str = "%SRCROOT%";

/// The whole SARIF log for every diagnostic of a run (pretty JSON).
pub fn render_sarif(diagnostics: &[Diagnostic]) -> String {
    let cwd = std::env::current_dir().ok();
    let rules: Vec<Value> = Code::all().map(rule).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| result(d, cwd.as_deref()))
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "aaprof",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(cwd) = &cwd {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": directory_uri(cwd) } });
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn rule(code: Code) -> Value {
    let level = if code.is_warning() {
        "warning"
    } else {
        "error"
    };
    let mut tags = vec!["apparmor".to_string()];
    if let Some(class) = code.warn_class() {
        tags.push(format!("warn={class}"));
    }
    json!({
        "id": code.id(),
        "name": pascal_case(code.name()),
        "shortDescription": { "text": code.summary() },
        "fullDescription": { "text": format!("{} ({}): {}", code.id(), code.name(), code.summary()) },
        "defaultConfiguration": { "level": level },
        "properties": { "tags": tags },
    })
}

fn result(d: &Diagnostic, cwd: Option<&Path>) -> Value {
    let code = d.stable_code();
    let rule_index = Code::all().position(|c| c == code).unwrap_or(0);
    let mut result = json!({
        "ruleId": code.id(),
        "ruleIndex": rule_index,
        "level": if d.is_error() { "error" } else { "warning" },
        "message": { "text": d.message },
    });
    if let Some(loc) = d.location.as_ref().filter(|l| l.file_only) {
        // The file as a whole: an artifact without a region.
        result["locations"] = json!([{
            "physicalLocation": { "artifactLocation": artifact(&loc.source.name, cwd) }
        }]);
    } else if let Some(loc) = &d.location {
        let (line, column) = loc.line_col();
        let (end_line, end_column) = loc.end_line_col();
        // SARIF regions end after their start; an empty span marks one
        // character.
        let (end_line, end_column) = if (end_line, end_column) <= (line, column) {
            (line, column + 1)
        } else {
            (end_line, end_column)
        };
        let region = json!({
            "startLine": line, "startColumn": column,
            "endLine": end_line, "endColumn": end_column,
        });
        result["locations"] = json!([{
            "physicalLocation": {
                "artifactLocation": artifact(&loc.source.name, cwd),
                "region": region,
            }
        }]);
    }
    if !d.included_from.is_empty() {
        let related: Vec<Value> = d
            .included_from
            .iter()
            .rev()
            .enumerate()
            .map(|(i, site)| include_site(i, site, cwd))
            .collect();
        result["relatedLocations"] = Value::Array(related);
    }
    result
}

/// One include step, innermost first, as a related location.
fn include_site(id: usize, site: &IncludeSite, cwd: Option<&Path>) -> Value {
    json!({
        "id": id,
        "message": { "text": format!("included from {}:{}:{}", site.file, site.line, site.column) },
        "physicalLocation": {
            "artifactLocation": artifact(&site.file, cwd),
            "region": { "startLine": site.line.max(1), "startColumn": site.column.max(1) },
        },
    })
}

/// The artifact location of a source name: relative to the working
/// directory (with `uriBaseId`) when the file is under it, else an
/// absolute `file:` URI; `-` (standard input) stays `-`.
fn artifact(name: &str, cwd: Option<&Path>) -> Value {
    match relative_to_cwd(name, cwd) {
        Place::Relative(rel) => json!({ "uri": percent_encode(&rel), "uriBaseId": SRCROOT }),
        Place::Absolute(abs) => json!({ "uri": format!("file://{}", percent_encode(&abs)) }),
        Place::Stdin => json!({ "uri": "-" }),
    }
}

/// Where a source name points, as the output formats want it.
pub(super) enum Place {
    /// A path relative to the working directory, `/`-separated.
    Relative(String),
    /// An absolute path outside the working directory.
    Absolute(String),
    Stdin,
}

/// Classifies a diagnostic's file name (the path as given on the command
/// line or found through the search path).
pub(super) fn relative_to_cwd(name: &str, cwd: Option<&Path>) -> Place {
    if name == "-" {
        return Place::Stdin;
    }
    let path = Path::new(name);
    if path.is_relative() {
        return Place::Relative(name.trim_start_matches("./").to_string());
    }
    if let Some(cwd) = cwd
        && let Ok(rel) = path.strip_prefix(cwd)
        && !rel.as_os_str().is_empty()
    {
        return Place::Relative(rel.to_string_lossy().into_owned());
    }
    Place::Absolute(name.to_string())
}

fn directory_uri(dir: &Path) -> String {
    let mut text = PathBuf::from(dir).to_string_lossy().into_owned();
    if !text.ends_with('/') {
        text.push('/');
    }
    format!("file://{}", percent_encode(&text))
}

/// RFC 3986 percent-encoding of a path: unreserved bytes and `/` stay.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_or_file_uris() {
        let cwd = Path::new("/work/repo");
        assert!(matches!(
            relative_to_cwd("/work/repo/p/a b", Some(cwd)),
            Place::Relative(r) if r == "p/a b"
        ));
        assert!(matches!(relative_to_cwd("./x", Some(cwd)), Place::Relative(r) if r == "x"));
        assert!(matches!(
            relative_to_cwd("/etc/x", Some(cwd)),
            Place::Absolute(_)
        ));
        assert!(matches!(relative_to_cwd("-", Some(cwd)), Place::Stdin));
        assert_eq!(percent_encode("p/a b%"), "p/a%20b%25");
        assert_eq!(pascal_case("rule-not-enforced"), "RuleNotEnforced");
    }
}
