//! The printer: walks the syntax tree of one file and writes each node in
//! the canonical layout, with the comments and blank lines of the gaps
//! between nodes put back in place.

use super::FormatError;
use super::trivia::{self, Gap};
use crate::syntax::{Else, IfBlock, Item, Span, Token, lexical};

/// Writes one file. `text` is the source the items were parsed from.
pub struct Printer<'a> {
    text: &'a str,
    indent_unit: String,
    out: String,
}

impl<'a> Printer<'a> {
    pub fn new(text: &'a str, indent_width: usize) -> Printer<'a> {
        Printer {
            text,
            indent_unit: " ".repeat(indent_width),
            out: String::with_capacity(text.len()),
        }
    }

    /// The formatted file: `items` at the top level, then the comments
    /// after the last one. Ends in exactly one line break (an empty file
    /// stays empty). A body fragment (a file with rules outside any
    /// profile: an abstraction, a `local/` override) is indented one level,
    /// as it reads inside the profile that includes it.
    pub fn file(mut self, items: &[Item]) -> Result<String, FormatError> {
        let fragment = items
            .iter()
            .any(|item| matches!(item, Item::Rule(_) | Item::QualifierBlock(_)));
        let depth = usize::from(fragment);
        // The file's header comments stay in the first column.
        let first = items
            .first()
            .map_or(self.text.len(), |i| i.span().start as usize);
        self.gap(0, first, 0, true, items.is_empty())?;
        self.block(items, depth, first, self.text.len())?;
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        Ok(self.out)
    }

    /// `items` at `depth`, the first starting after `from`, the block
    /// closing at `to` (its `}` or the end of the file).
    fn block(
        &mut self,
        items: &[Item],
        depth: usize,
        from: usize,
        to: usize,
    ) -> Result<(), FormatError> {
        let mut cursor = from;
        for (index, item) in items.iter().enumerate() {
            let span = item.span();
            self.gap(cursor, span.start as usize, depth, index == 0, false)?;
            self.item(item, depth)?;
            cursor = span.end as usize;
        }
        self.gap(cursor, to, depth, items.is_empty(), true)
    }

    /// The trivia between `from` and `to`: a trailing comment joins the
    /// line just written; own-line comments go at `depth`; a run of blank
    /// lines becomes one, except at the start or end of a block.
    fn gap(
        &mut self,
        from: usize,
        to: usize,
        depth: usize,
        block_start: bool,
        block_end: bool,
    ) -> Result<(), FormatError> {
        let text = &self.text[from..to];
        let gap = trivia::scan(text, from > 0).map_err(|stray| FormatError::Unrepresented {
            offset: from + stray.0,
        })?;
        let Gap {
            trailing,
            comments,
            blank_before_next,
        } = gap;
        if let Some(comment) = trailing {
            self.out.pop();
            self.out.push(' ');
            self.out.push_str(comment);
            self.out.push('\n');
        }
        let mut at_start = block_start;
        for (blank_before, comment) in comments {
            if blank_before && !at_start {
                self.out.push('\n');
            }
            self.line(depth, comment);
            at_start = false;
        }
        if blank_before_next && !block_end && !at_start {
            self.out.push('\n');
        }
        Ok(())
    }

    fn item(&mut self, item: &Item, depth: usize) -> Result<(), FormatError> {
        match item {
            Item::Profile(profile) => {
                self.braced(profile.span, &profile.header, &profile.items, depth)
            }
            Item::QualifierBlock(block) => {
                self.braced(block.span, &block.qualifiers, &block.items, depth)
            }
            Item::If(block) => self.if_chain(block, depth, ""),
            leaf => {
                let text = statement_text(self.slice(leaf.span()));
                self.line(depth, &text);
                Ok(())
            }
        }
    }

    /// A node of the form `HEADER { ITEMS }`: the header is the text from
    /// the node's start to the opening brace, which follows the last of
    /// the `header` tokens.
    fn braced(
        &mut self,
        span: Span,
        header: &[Token],
        items: &[Item],
        depth: usize,
    ) -> Result<(), FormatError> {
        let header_end = header.last().map_or(span.start, |t| t.span.end) as usize;
        let (open, body_start) = self.open_brace(header_end)?;
        let close = span.end as usize - 1;
        if self.text.as_bytes()[close] != b'}' {
            return Err(FormatError::Unrepresented { offset: close });
        }
        let header = statement_text(&self.text[span.start as usize..open]);
        // A bare block (`{ /a r, }`) has no header to put a blank after.
        if header.is_empty() {
            self.line(depth, "{");
        } else {
            self.line(depth, &format!("{header} {{"));
        }
        self.block(items, depth + 1, body_start, close)?;
        self.line(depth, "}");
        Ok(())
    }

    /// `if COND { ... } else if COND { ... } else { ... }`; `prefix` is
    /// `} else ` for a chained `if`.
    fn if_chain(&mut self, block: &IfBlock, depth: usize, prefix: &str) -> Result<(), FormatError> {
        let start = block.span.start as usize;
        let open = self.open_brace_after_condition(start)?;
        let condition = statement_text(&self.text[start..open]);
        if prefix.is_empty() {
            self.line(depth, &format!("{condition} {{"));
        } else {
            self.continue_line(&format!("{prefix}{condition} {{"));
        }
        let close = self.matching_close(open + 1)?;
        self.block(&block.then, depth + 1, open + 1, close)?;
        self.line(depth, "}");
        let Some(otherwise) = &block.otherwise else {
            return Ok(());
        };
        let else_at = self.skip_blanks(close + 1);
        if !self.text[else_at..].starts_with("else") {
            return Err(FormatError::Unrepresented { offset: else_at });
        }
        match otherwise {
            Else::If(chained) => self.if_chain(chained, depth, "} else "),
            Else::Block(items) => {
                let (_, body_start) = self.open_brace(else_at + "else".len())?;
                let close = self.matching_close(body_start)?;
                self.continue_line("} else {");
                self.block(items, depth + 1, body_start, close)?;
                self.line(depth, "}");
                Ok(())
            }
        }
    }

    /// Replaces the `}` line just written with `text` at the same
    /// indentation (`} else {`).
    fn continue_line(&mut self, text: &str) {
        debug_assert!(self.out.ends_with("}\n"));
        self.out.truncate(self.out.len() - 2);
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Where the `{` opening a body starts and ends: the first non-blank
    /// text at or after `from` must be it, or the word `open`, which
    /// apparmor_parser reads as `{` (written as `{`).
    fn open_brace(&self, from: usize) -> Result<(usize, usize), FormatError> {
        let at = self.skip_blanks(from);
        let rest = &self.text[at..];
        if rest.starts_with('{') {
            return Ok((at, at + 1));
        }
        let word_ends = |r: &str| !r.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        match rest.strip_prefix("open") {
            Some(after) if word_ends(after) => Ok((at, at + "open".len())),
            _ => Err(FormatError::Unrepresented { offset: at }),
        }
    }

    /// The `{` that ends an `if` condition: the first brace at the start
    /// of a token and followed by white space (a brace inside `@{v}` or a
    /// word is not at a token start).
    fn open_brace_after_condition(&self, from: usize) -> Result<usize, FormatError> {
        let bytes = self.text.as_bytes();
        (from..bytes.len())
            .find(|&i| {
                bytes[i] == b'{'
                    && i > 0
                    && matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b')')
                    && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
            })
            .ok_or(FormatError::Unrepresented { offset: from })
    }

    /// The `}` closing a body that starts at `body_start` (just after its
    /// opener): braces are counted outside quoted strings, escapes and
    /// comments.
    fn matching_close(&self, body_start: usize) -> Result<usize, FormatError> {
        let bytes = self.text.as_bytes();
        let mut depth = 1usize;
        let mut i = body_start;
        while i < bytes.len() {
            let byte = bytes[i];
            let token_start = i == 0 || bytes[i - 1].is_ascii_whitespace();
            match byte {
                // An escape pair or a quoted string: skipped whole (an
                // unclosed quote runs to the end, so no `}` closes).
                b'\\' | b'"' => i += lexical::unit_len(&self.text[i..]) - 1,
                b'#' if token_start && !self.text[i..].starts_with("#include") => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Err(FormatError::Unrepresented { offset: body_start })
    }

    fn skip_blanks(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        (from..bytes.len())
            .find(|&i| !bytes[i].is_ascii_whitespace())
            .unwrap_or(bytes.len())
    }

    fn slice(&self, span: Span) -> &'a str {
        &self.text[span.start as usize..span.end as usize]
    }

    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str(&self.indent_unit);
        }
        self.out.push_str(text);
        self.out.push('\n');
    }
}

/// A statement or header in the canonical spacing; one that holds a
/// comment is kept as written (its lines joined would comment out what
/// follows), so only its first line moves to the canonical indentation.
fn statement_text(text: &str) -> String {
    if trivia::has_comment(text) {
        text.trim().to_string()
    } else {
        trivia::collapse_blanks(text)
    }
}
