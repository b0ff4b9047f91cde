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

/// One JSON object per diagnostic, one per line.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (file, line, column) = match &d.location {
            Some(loc) => {
                let (l, c) = loc.line_col();
                (loc.source.name.to_string(), l, c)
            }
            None => ("-".to_string(), 0, 0),
        };
        let chain: Vec<_> = d
            .included_from
            .iter()
            .map(|s| serde_json::json!({"file": &*s.file, "line": s.line, "column": s.column}))
            .collect();
        let value = serde_json::json!({
            "severity": if d.is_error() { "error" } else { "warning" },
            "code": d.code,
            "message": d.message,
            "file": file,
            "line": line,
            "column": column,
            "included_from": chain,
        });
        out.push_str(&value.to_string());
        out.push('\n');
    }
    out
}
