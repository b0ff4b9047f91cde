//! GitHub Actions workflow commands: one `::error ...::message` or
//! `::warning ...::message` line per diagnostic, which the runner turns
//! into annotations on the pull request.

use super::Diagnostic;
use super::sarif::{Place, relative_to_cwd};

/// One annotation line per diagnostic. File names are relative to the
/// working directory when under it (the repository checkout in a
/// workflow), the include chain follows the message on further lines.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let cwd = std::env::current_dir().ok();
    let mut out = String::new();
    for d in diagnostics {
        let command = if d.is_error() { "error" } else { "warning" };
        let mut properties = Vec::new();
        let mut message = d.message.clone();
        if let Some(loc) = &d.location {
            let file = match relative_to_cwd(&loc.source.name, cwd.as_deref()) {
                Place::Relative(path) | Place::Absolute(path) => Some(path),
                Place::Stdin => None,
            };
            if let (Some(file), true) = (&file, loc.file_only) {
                // A file-level annotation: no line to point at.
                properties.push(format!("file={}", escape_property(file)));
            } else if let Some(file) = file {
                let (line, column) = loc.line_col();
                let (end_line, end_column) = loc.end_line_col();
                properties.push(format!("file={}", escape_property(&file)));
                properties.push(format!("line={line}"));
                properties.push(format!("col={column}"));
                properties.push(format!("endLine={end_line}"));
                properties.push(format!("endColumn={end_column}"));
            } else {
                // Standard input: the annotation has no file, keep the place.
                message = format!("{}: {message}", d.position());
            }
        }
        let title = format!("{} {}", d.stable_code().id(), d.code);
        properties.push(format!("title={}", escape_property(&title)));
        for site in d.included_from.iter().rev() {
            message.push_str(&format!(
                "\nincluded from {}:{}:{}",
                site.file, site.line, site.column
            ));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out
}

/// Escaping of a command's message (GitHub's `escapeData`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a property value (GitHub's `escapeProperty`): the data
/// escapes plus `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn a_placeless_diagnostic_has_only_a_title() {
        let d = Diagnostic::error("io", "cannot read x: gone", None);
        assert_eq!(
            render_github(&[d]),
            "::error title=AA1016 io::cannot read x: gone\n"
        );
    }
}
