//! Rendering diagnostics: miette's graphical report for humans, JSON lines
//! for tools.

use super::Diagnostic;
use miette::{GraphicalReportHandler, GraphicalTheme};

/// Renders one diagnostic as miette's graphical report, without colours
/// when `color` is false (stable text for tests and pipes).
pub fn render_to_string(diagnostic: &Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    let rendered = if snippet_is_readable(diagnostic) {
        handler.render_report(&mut out, diagnostic)
    } else {
        handler.render_report(&mut out, &WithoutSnippet(diagnostic))
    };
    if rendered.is_err() {
        out = format!("{}: error: {}\n", diagnostic.position(), diagnostic.message);
    }
    // miette names the file only in the frame; put `file:line:col` first so
    // the position can be found with grep.
    format!("{}: {}\n{}", diagnostic.position(), diagnostic.message, out)
}

/// Longest source line shown in a snippet: a generated or corrupt file
/// with a 100 kB line must not turn one diagnostic into 100 kB of output.
const MAX_SNIPPET_LINE: usize = 512;

/// Whether the lines miette would quote (the span's lines and one line of
/// context either side) are all short enough to show.
fn snippet_is_readable(diagnostic: &Diagnostic) -> bool {
    let Some(loc) = &diagnostic.location else {
        return true;
    };
    let text: &str = &loc.source.text;
    let start = (loc.span.start as usize).min(text.len());
    let end = (loc.span.end as usize).clamp(start, text.len());
    let bytes = text.as_bytes();
    let mut first = bytes[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap_or(0);
    first = bytes[..first]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap_or(0);
    let mut last = end;
    for _ in 0..2 {
        last = bytes[(last + 1).min(bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| last + 1 + p);
    }
    bytes[first..last.min(bytes.len())]
        .split(|&b| b == b'\n')
        .all(|line| line.len() <= MAX_SNIPPET_LINE)
}

/// A diagnostic rendered without its source snippet (see
/// [`snippet_is_readable`]); the `file:line:col` header still places it.
struct WithoutSnippet<'a>(&'a Diagnostic);

impl std::fmt::Debug for WithoutSnippet<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for WithoutSnippet<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.0, f)
    }
}

impl std::error::Error for WithoutSnippet<'_> {}

impl miette::Diagnostic for WithoutSnippet<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.0)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.help()
    }
}

/// Writes every diagnostic to stderr for a human reader.
pub fn render_human(diagnostics: &[Diagnostic]) {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal();
    for d in diagnostics {
        eprint!("{}", render_to_string(d, color));
    }
}

/// One JSON object per diagnostic, one per line: `file`, `line`,
/// `column`, `end_line`, `end_column` (1-based, end exclusive; `-` and 0
/// when the diagnostic has no place, the file and 0 when it concerns the
/// whole file), `code` (`AA1012`), `name` (`rule`),
/// `severity`, `class` (the warning class or null), `message` and
/// `included_from` (the include chain, outermost first).
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&json_value(d).to_string());
        out.push('\n');
    }
    out
}

/// The JSON object of one diagnostic (see [`render_json`]).
pub fn json_value(d: &Diagnostic) -> serde_json::Value {
    let (file, (line, column), (end_line, end_column)) = match &d.location {
        Some(loc) if loc.file_only => (loc.source.name.to_string(), (0, 0), (0, 0)),
        Some(loc) => (
            loc.source.name.to_string(),
            loc.line_col(),
            loc.end_line_col(),
        ),
        None => ("-".to_string(), (0, 0), (0, 0)),
    };
    let chain: Vec<_> = d
        .included_from
        .iter()
        .map(|s| serde_json::json!({"file": &*s.file, "line": s.line, "column": s.column}))
        .collect();
    serde_json::json!({
        "file": file,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "code": d.stable_code().id(),
        "name": d.code,
        "severity": if d.is_error() { "error" } else { "warning" },
        "class": d.warn_class().map(|c| c.name()),
        "message": d.message,
        "included_from": chain,
    })
}
