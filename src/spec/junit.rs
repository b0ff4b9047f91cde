//! JUnit XML for CI dashboards: one `<testsuite>` per spec (or audit log)
//! file, one `<testcase>` per expectation, a `<failure>` for a wrong
//! answer and an `<error>` for one that could not be asked. Written by
//! hand: the format needs five elements, and escaping is the one thing to
//! get right ([`escape`]).

use super::run::{Outcome, Status, Summary};
use crate::query::report::rules_text;
use std::fmt::Write;

/// Text as XML 1.0 character data or attribute value: the five special
/// characters as entities, characters XML cannot hold (control
/// characters other than tab, newline, carriage return) as `?`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// The detail text of a failed or erroneous outcome: the answer's rules
/// and, for an audit record, the suggested rule.
pub fn details(outcome: &Outcome<'_>) -> String {
    let mut out = String::new();
    if let Some(answer) = &outcome.answer {
        let _ = writeln!(out, "profile: {}", answer.profile);
        match &answer.rules {
            Some(rules) if rules.is_empty() => out.push_str("rules: none match\n"),
            Some(rules) => {
                out.push_str("rules:\n");
                out.push_str(&rules_text(rules, "  "));
            }
            None => {}
        }
    }
    if let Some(suggestion) = &outcome.suggestion {
        out.push_str(&suggestion.to_text(""));
    }
    out
}

/// The outcomes as one JUnit XML document.
pub fn junit(outcomes: &[Outcome<'_>]) -> String {
    let total = Summary::of(outcomes);
    let mut files: Vec<&str> = Vec::new();
    for outcome in outcomes {
        let file = outcome.expectation.location.file.as_str();
        if !files.contains(&file) {
            files.push(file);
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"aaprof test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        outcomes.len(),
        total.failed,
        total.errors
    );
    for file in files {
        let cases: Vec<&Outcome<'_>> = outcomes
            .iter()
            .filter(|o| o.expectation.location.file == file)
            .collect();
        let summary = Summary::of(&cases.iter().map(|o| (*o).clone()).collect::<Vec<_>>());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            escape(file),
            cases.len(),
            summary.failed,
            summary.errors
        );
        for outcome in cases {
            let e = outcome.expectation;
            let name = format!("{}: {} {}", e.location.line, e.expected.word(), e.text);
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                escape(&name),
                escape(file),
                escape(file),
                e.location.line
            );
            match &outcome.status {
                Status::Pass => out.push_str("/>\n"),
                Status::Fail(message) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        escape(message),
                        escape(&details(outcome))
                    );
                }
                Status::Error(message) => {
                    let _ = writeln!(
                        out,
                        ">\n      <error message=\"{}\"/>\n    </testcase>",
                        escape(message)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{1}b\tc\n"), "a?b\tc\n");
    }
}
