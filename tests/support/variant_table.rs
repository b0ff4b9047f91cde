//! The language-rule variant tables (`tests/data/language_rules*.tsv`):
//! one profile text per line with apparmor_parser 5.0.2's answer under
//! upstream-all and debian-6.12, written by `scripts/language-rule-rows`.

use sha2::{Digest, Sha256};

/// One row: a name, per features file the expected blob sha256 (`None`
/// where 5.0.2 rejects the text), and the profile text.
pub struct Case {
    pub name: String,
    pub expected: [Option<String>; 2],
    pub text: String,
}

/// The rows of a table (`#` lines are comments).
pub fn cases(data: &str) -> Vec<Case> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.splitn(4, '\t').collect();
            assert_eq!(fields.len(), 4, "malformed line: {line}");
            let expect = |f: &str| (f != "error").then(|| f.to_string());
            Case {
                name: fields[0].to_string(),
                expected: [expect(fields[1]), expect(fields[2])],
                text: unescape(fields[3]),
            }
        })
        .collect()
}

/// The table's escapes: `\n`, `\t`, `\r`, and `\` before any other
/// character standing for that character.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Lowercase hex sha256, as the table holds it.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
