//! Source texts and byte spans into them.

use std::path::PathBuf;
use std::sync::Arc;

/// A byte range `[start, end)` in one [`Source`]. Which source is known from
/// context: every AST node lives inside the [`super::ParsedFile`] that owns
/// its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
}

/// One policy text as read: its display name, where it was read from and
/// its content. Guarantees `line_col` is consistent with `text`.
#[derive(Debug)]
pub struct Source {
    /// The name shown in diagnostics: the path as given, or `-` for stdin.
    pub name: Arc<str>,
    /// The file it was read from, if any (stdin has none).
    pub path: Option<PathBuf>,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl Source {
    pub fn new(
        name: impl Into<Arc<str>>,
        path: Option<PathBuf>,
        text: impl Into<Arc<str>>,
    ) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        Source {
            name: name.into(),
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset; offsets
    /// past the end map to the last position.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).max(start);
        let column = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        (line as u32 + 1, column as u32 + 1)
    }

    /// The text a span covers (empty if the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = Source::new("t", None, "ab\ncd\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(1), (1, 2));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(4), (2, 2));
        assert_eq!(s.line_col(100), (3, 1));
    }
}
