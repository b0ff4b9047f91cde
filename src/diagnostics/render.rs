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
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = format!("{}: error: {}\n", diagnostic.position(), diagnostic.message);
    }
    // miette names the file only in the frame; put `file:line:col` first so
    // the position can be found with grep.
    format!("{}: {}\n{}", diagnostic.position(), diagnostic.message, out)
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
/// when the diagnostic has no place), `code` (`AA1012`), `name` (`rule`),
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
