//! Diagnostics: every problem found in a policy, with where it is
//! (`file:line:col`, the source line, the include chain), rendered by miette
//! for humans, or as JSON, SARIF 2.1.0 or GitHub Actions annotations for
//! tools. Every diagnostic has a stable code ([`Code`], `AA1xxx` errors,
//! `AA2xxx` warnings); warnings belong to apparmor_parser's warning classes
//! ([`WarnClass`]) and [`WarnSettings`] decides which are shown or errors.

mod code;
mod github;
mod render;
mod sarif;
mod warn;

pub use code::Code;
pub use github::render_github;
pub use render::{render_human, render_json, render_to_string};
pub use sarif::render_sarif;
pub use warn::{UnknownClass, WarnClass, WarnSettings};

use crate::syntax::{Source, Span};
use std::fmt;
use std::sync::Arc;

/// How bad a diagnostic is. Any `Error` means the policy must not be
/// compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source text.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Arc<Source>,
    pub span: Span,
    /// The diagnostic concerns the file as a whole, no line of it (a
    /// features or back-end error): renderers name the file and give no
    /// line, column or snippet; `span` is empty at the start.
    pub file_only: bool,
}

impl Location {
    /// The whole of `source`, no line in particular.
    pub fn file(source: Arc<Source>) -> Location {
        Location {
            source,
            span: Span { start: 0, end: 0 },
            file_only: true,
        }
    }

    /// 1-based line and column of the start.
    pub fn line_col(&self) -> (u32, u32) {
        self.source.line_col(self.span.start)
    }

    /// The rest of line `line` from character column `column` (both
    /// 1-based, clamped to the text): for messages about a construct known
    /// by its position only, such as a profile header.
    pub fn line_from(source: Arc<Source>, line: u32, column: u32) -> Location {
        let text: &str = &source.text;
        let mut start = 0usize;
        for _ in 1..line.max(1) {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => break,
            }
        }
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let from = text[start..line_end]
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(line_end, |(i, _)| start + i);
        Location {
            span: Span {
                start: from as u32,
                end: line_end as u32,
            },
            source,
            file_only: false,
        }
    }

    /// 1-based line and column just past the end (SARIF's exclusive
    /// `endColumn`); the start for an empty span.
    pub fn end_line_col(&self) -> (u32, u32) {
        self.source.line_col(self.span.end.max(self.span.start))
    }
}

/// One include step: the file holding an include rule and that rule's
/// 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeSite {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

/// One problem found in a policy. `location` is `None` only for problems
/// that belong to no text (e.g. an unreadable input).
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable short identifier (`syntax`, `undefined-variable`, ...).
    pub code: &'static str,
    pub message: String,
    /// Short text shown under the caret.
    pub label: Option<String>,
    pub location: Option<Location>,
    /// The include chain that led to the location's file, outermost first.
    pub included_from: Arc<[IncludeSite]>,
}

impl Diagnostic {
    /// An error at a place.
    pub fn error(
        code: &'static str,
        message: impl Into<String>,
        location: Option<Location>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            label: None,
            location,
            included_from: Arc::from(Vec::new()),
        }
    }

    /// A warning at a place (its class comes from the code's row).
    pub fn warning(
        code: &'static str,
        message: impl Into<String>,
        location: Option<Location>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, location)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_chain(mut self, chain: Arc<[IncludeSite]>) -> Self {
        self.included_from = chain;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The stable code of the diagnostic's name.
    pub fn stable_code(&self) -> Code {
        Code::from_name(self.code)
    }

    /// The warning class governing it (also for a warning made an error by
    /// `--Werror`); `None` for errors proper.
    pub fn warn_class(&self) -> Option<WarnClass> {
        self.stable_code().warn_class()
    }

    /// Where the diagnostic sits in the input file that was loaded: the
    /// first include site for text read through includes, else its own
    /// line and column. Sorting by it lists diagnostics in input order.
    pub fn input_position(&self) -> (u32, u32) {
        match (self.included_from.first(), &self.location) {
            (Some(site), _) => (site.line, site.column),
            (None, Some(loc)) if !loc.file_only => loc.line_col(),
            (None, _) => (0, 0),
        }
    }

    /// `file:line:col` of the location, `file` for a whole-file one, or
    /// `-` when there is none.
    pub fn position(&self) -> String {
        match &self.location {
            Some(loc) if loc.file_only => loc.source.name.to_string(),
            Some(loc) => {
                let (line, col) = loc.line_col();
                format!("{}:{}:{}", loc.source.name, line, col)
            }
            None => "-".to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{} {}",
            self.stable_code().id(),
            self.code
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.included_from.is_empty() {
            return None;
        }
        let chain: Vec<String> = self
            .included_from
            .iter()
            .rev()
            .map(|s| format!("included from {}:{}:{}", s.file, s.line, s.column))
            .collect();
        Some(Box::new(chain.join("\n")))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.location
            .as_ref()
            .filter(|l| !l.file_only)
            .map(|l| &*l.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let loc = self.location.as_ref().filter(|l| !l.file_only)?;
        let len = (loc.span.end.saturating_sub(loc.span.start)) as usize;
        let label = miette::LabeledSpan::new(self.label.clone(), loc.span.start as usize, len);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Lets miette show a [`Source`] with its file name in the frame.
impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner =
            self.text
                .as_ref()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}
