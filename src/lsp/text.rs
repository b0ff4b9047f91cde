//! Positions and addresses as the protocol spells them: line and UTF-16
//! column (`Position`), `file://` URIs; and the byte offsets and paths the
//! compiler uses.

use crate::syntax::Span;
use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Line starts of one text, to turn byte offsets into positions and back.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The position of a byte offset (clamped to the text; an offset
    /// inside a character counts from its start).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column: usize = self.text[start..]
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .map(|(_, c)| c.len_utf16())
            .sum();
        Position::new(line as u32, column as u32)
    }

    /// The byte offset of a position (a column past the line's end is the
    /// line's end; a line past the last is the end of the text).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let mut units = 0usize;
        for (i, c) in self.text[start..line_end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        line_end
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(
            self.position(span.start as usize),
            self.position(span.end.max(span.start) as usize),
        )
    }

    /// The position of a 1-based line and character column (the
    /// compiler's `file:line:col`).
    pub fn line_col(&self, line: u32, column: u32) -> Position {
        let Some(&start) = self.starts.get(line.saturating_sub(1) as usize) else {
            return self.position(self.text.len());
        };
        let offset = self.text[start..]
            .char_indices()
            .take_while(|(_, c)| *c != '\n')
            .nth(column.saturating_sub(1) as usize)
            .map_or_else(
                || {
                    self.text[start..]
                        .find('\n')
                        .map_or(self.text.len(), |i| start + i)
                },
                |(i, _)| start + i,
            );
        self.position(offset)
    }
}

/// The path of a `file:` URI (percent escapes decoded); `None` for other
/// schemes (an editor's unsaved `untitled:` buffer).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only the local host (empty or `localhost`).
    let path = match rest.strip_prefix("localhost") {
        Some(p) if p.starts_with('/') => p,
        _ if rest.starts_with('/') => rest,
        _ => return None,
    };
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(out)))
}

/// The `file:` URI of an absolute path (bytes outside the unreserved set
/// and `/` percent-encoded).
pub fn path_to_uri(path: &Path) -> Uri {
    use std::os::unix::ffi::OsStrExt;
    let mut text = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            text.push(b as char);
        } else {
            text.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&text).expect("a percent-encoded file URI is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "ab\nx\u{1F600}y\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position::new(0, 0));
        assert_eq!(index.position(3), Position::new(1, 0));
        // The emoji is two UTF-16 units and four bytes.
        assert_eq!(index.position(8), Position::new(1, 3));
        assert_eq!(index.offset(Position::new(1, 3)), 8);
        assert_eq!(index.offset(Position::new(1, 99)), 9);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.line_col(2, 3), Position::new(1, 3));
    }

    #[test]
    fn uris_round_trip() {
        let path = Path::new("/etc/apparmor.d/a b%c");
        let uri = path_to_uri(path);
        assert_eq!(uri.as_str(), "file:///etc/apparmor.d/a%20b%25c");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        let untitled = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&untitled), None);
    }
}
