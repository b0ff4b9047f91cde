//! `aaprof-lint:` comments, which switch checks off:
//!
//! ```text
//! # aaprof-lint: disable=CODE[,CODE...]            the whole file
//! /x ux,  # aaprof-lint: disable-line=CODE        this line
//! # aaprof-lint: disable-next-line=CODE           the next line with a statement
//! ```
//!
//! A CODE is a stable id (`AA3004`) or a name (`unconfined-exec`), or
//! `all`; text after the list is a free-form reason. The grammar drops comments, so they are found as the formatter
//! finds them: text the syntax tree does not account for, from a `#` at
//! the start of a token to the end of the line (`#include` is a statement,
//! covered by its node, and quoted `#` lies inside a token).

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::syntax::{Item, ParsedFile, Source, Span};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What a file's comments switch off.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// Codes off for the whole file (`None` in the set: every code).
    file: BTreeSet<Option<Code>>,
    /// Codes off per 1-based line.
    lines: BTreeMap<u32, BTreeSet<Option<Code>>>,
    /// Comments that say `aaprof-lint:` but cannot be read: span and why.
    bad: Vec<(Span, String)>,
}

const MARKER: &str = "aaprof-lint:";

impl Suppressions {
    /// Reads every `aaprof-lint:` comment of a parsed file.
    pub fn read(parsed: &ParsedFile) -> Suppressions {
        let text: &str = &parsed.source.text;
        let comments = comments(text, &covered_spans(&parsed.items));
        let statement_lines = statement_lines(text, &comments);
        let mut out = Suppressions::default();
        for comment in &comments {
            let body = text[comment.start as usize..comment.end as usize]
                .trim_start_matches('#')
                .trim();
            let Some(directive) = body.strip_prefix(MARKER) else {
                continue;
            };
            let line = line_of(text, comment.start);
            let (kind, codes) = match directive.trim().split_once('=') {
                Some((kind, codes)) => (kind.trim(), codes),
                None => (directive.trim(), ""),
            };
            let codes = match parse_codes(codes) {
                Ok(codes) => codes,
                Err(why) => {
                    out.bad.push((*comment, why));
                    continue;
                }
            };
            let target = match kind {
                "disable" => {
                    out.file.extend(codes);
                    continue;
                }
                "disable-line" => line,
                "disable-next-line" => match statement_lines.range(line + 1..).next() {
                    Some(&next) => next,
                    None => continue,
                },
                other => {
                    out.bad.push((
                        *comment,
                        format!(
                            "unknown directive `{other}` (use disable=, disable-line= or disable-next-line=)"
                        ),
                    ));
                    continue;
                }
            };
            out.lines.entry(target).or_default().extend(codes);
        }
        out
    }

    /// Whether a finding of `code` on `line` is switched off.
    pub fn is_off(&self, code: Code, line: u32) -> bool {
        let off = |set: &BTreeSet<Option<Code>>| set.contains(&None) || set.contains(&Some(code));
        off(&self.file) || self.lines.get(&line).is_some_and(off)
    }

    /// The findings not switched off.
    pub fn filter(&self, findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
        findings
            .into_iter()
            .filter(|d| {
                let line = d
                    .location
                    .as_ref()
                    .filter(|l| !l.file_only)
                    .map_or(0, |l| l.line_col().0);
                !self.is_off(d.stable_code(), line)
            })
            .collect()
    }

    /// One `lint-comment` finding per unreadable `aaprof-lint:` comment.
    pub fn lint_comment_findings(&self, source: &Arc<Source>) -> Vec<Diagnostic> {
        self.bad
            .iter()
            .map(|(span, why)| {
                Diagnostic::warning(
                    "lint-comment",
                    format!("aaprof-lint comment not understood: {why}"),
                    Some(Location {
                        source: source.clone(),
                        span: *span,
                        file_only: false,
                    }),
                )
            })
            .collect()
    }
}

/// `CODE[,CODE...]`: ids, names or `all` (`None`), commas optionally
/// followed by blanks; the list ends at the first other blank, and what
/// follows is the author's reason, free text.
fn parse_codes(text: &str) -> Result<Vec<Option<Code>>, String> {
    let mut list = String::new();
    let mut after_comma = true;
    for c in text.trim_start().chars() {
        if c.is_whitespace() {
            if after_comma {
                continue;
            }
            break;
        }
        after_comma = c == ',';
        list.push(c);
    }
    let mut out = Vec::new();
    for word in list.split(',').map(str::trim) {
        if word.is_empty() {
            continue;
        }
        if word == "all" {
            out.push(None);
            continue;
        }
        match Code::parse(word) {
            Some(code) => out.push(Some(code)),
            None => return Err(format!("unknown code `{word}`")),
        }
    }
    if out.is_empty() {
        return Err("no code given (e.g. disable=AA3004 or disable=all)".to_string());
    }
    Ok(out)
}

/// The spans of every node that holds text of its own: statements,
/// profile headers and block qualifiers. Block braces and `if`
/// conditions hold no `#` that is not a comment.
fn covered_spans(items: &[Item]) -> Vec<Span> {
    let mut out = Vec::new();
    fn walk(items: &[Item], out: &mut Vec<Span>) {
        for item in items {
            match item {
                Item::Profile(p) => {
                    out.extend(p.header.iter().map(|t| t.span));
                    walk(&p.items, out);
                }
                Item::QualifierBlock(q) => {
                    out.extend(q.qualifiers.iter().map(|t| t.span));
                    walk(&q.items, out);
                }
                Item::If(block) => {
                    let mut next = Some(block);
                    while let Some(b) = next {
                        walk(&b.then, out);
                        next = match &b.otherwise {
                            Some(crate::syntax::Else::If(inner)) => Some(inner),
                            Some(crate::syntax::Else::Block(rest)) => {
                                walk(rest, out);
                                None
                            }
                            None => None,
                        };
                    }
                }
                other => out.push(other.span()),
            }
        }
    }
    walk(items, &mut out);
    out.sort_by_key(|s| s.start);
    out
}

/// The comments of `text`: from a `#` outside every covered span, at the
/// start of a token, to the end of its line.
fn comments(text: &str, covered: &[Span]) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut next_span = 0;
    let mut i = 0;
    while i < bytes.len() {
        while next_span < covered.len() && (covered[next_span].end as usize) <= i {
            next_span += 1;
        }
        if let Some(span) = covered.get(next_span)
            && (span.start as usize) <= i
        {
            i = span.end as usize;
            continue;
        }
        let token_start =
            i == 0 || bytes[i - 1].is_ascii_whitespace() || b"{},".contains(&bytes[i - 1]);
        if bytes[i] == b'#' && token_start {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            out.push(Span {
                start: i as u32,
                end: end as u32,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// Lines holding something other than blanks and comments.
fn statement_lines(text: &str, comments: &[Span]) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    let mut offset = 0usize;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let code_end = comments
            .iter()
            .find(|c| (c.start as usize) >= start && (c.start as usize) < offset)
            .map_or(offset, |c| c.start as usize);
        if !text[start..code_end].trim().is_empty() {
            out.insert(index as u32 + 1);
        }
    }
    out
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: u32) -> u32 {
    let offset = (offset as usize).min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn read(text: &str) -> Suppressions {
        let parsed = parse(Arc::new(Source::new("t", None, text)));
        assert!(parsed.is_clean(), "{:?}", parsed.errors);
        Suppressions::read(&parsed)
    }

    #[test]
    fn file_line_and_next_line_directives() {
        let s = read(
            "# aaprof-lint: disable=AA3006\n\
             profile p {\n\
             \x20 /a ux, # aaprof-lint: disable-line=unconfined-exec\n\
             \x20 # aaprof-lint: disable-next-line=AA3003,AA3002\n\
             \n\
             \x20 # another comment\n\
             \x20 /b r,\n\
             }\n",
        );
        assert!(s.is_off(Code::UnusedVariable, 99));
        assert!(s.is_off(Code::UnconfinedExec, 3));
        assert!(!s.is_off(Code::UnconfinedExec, 4));
        assert!(s.is_off(Code::RuleRedundant, 7) && s.is_off(Code::RuleShadowed, 7));
        assert!(!s.is_off(Code::RuleRedundant, 6));
        assert!(s.bad.is_empty());
    }

    #[test]
    fn hash_inside_tokens_and_include_is_no_comment() {
        let s = read(
            "#include <tunables/global>\n\
             profile p {\n\
             \x20 \"/a#aaprof-lint: disable=all\" r,\n\
             \x20 /b#c r,\n\
             }\n",
        );
        assert!(!s.is_off(Code::UnconfinedExec, 3));
        assert!(s.file.is_empty() && s.lines.is_empty());
    }

    #[test]
    fn unreadable_directives_are_reported() {
        let s = read(
            "# aaprof-lint: disable=AA9999\n\
             # aaprof-lint: enable=AA3004\n\
             # aaprof-lint: disable=\n\
             profile p { /a r, }\n",
        );
        assert_eq!(s.bad.len(), 3, "{:?}", s.bad);
        assert!(s.file.is_empty());
        let all = read("# aaprof-lint: disable=all\nprofile p { /a r, }\n");
        assert!(all.is_off(Code::WriteExec, 4));
        let reason = read(
            "# aaprof-lint: disable=AA3006, abi-missing   vars for the packagers\nprofile p { /a r, }\n",
        );
        assert!(reason.bad.is_empty(), "{:?}", reason.bad);
        assert!(reason.is_off(Code::UnusedVariable, 1) && reason.is_off(Code::AbiMissing, 1));
        assert!(!reason.is_off(Code::WriteExec, 1));
    }
}
