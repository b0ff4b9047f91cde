//! What lies between two syntax nodes: blanks, line breaks and comments.
//!
//! The grammar drops comments, so the formatter recovers them from the
//! source text between the spans of consecutive nodes (the "gaps"). A gap
//! holds nothing but trivia in a file that parsed; anything else means the
//! tree does not account for some text, and the formatter refuses the file
//! rather than lose it.

use crate::syntax::lexical;

/// The trivia of one gap, in source order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Gap<'a> {
    /// A comment on the same line as the node before the gap.
    pub trailing: Option<&'a str>,
    /// Comments on lines of their own, each with whether one or more blank
    /// lines stood before it.
    pub comments: Vec<(bool, &'a str)>,
    /// Whether a blank line ends the gap (before the next node).
    pub blank_before_next: bool,
}

/// Text in a gap that is neither blank nor a comment, at this byte offset
/// of the gap.
#[derive(Debug, PartialEq, Eq)]
pub struct Stray(pub usize);

/// Splits `text` (the source between two nodes) into its trivia.
/// `after_node` says whether a node ends where `text` starts (so a comment
/// on the first line trails that node); it is false at the start of a file.
pub fn scan(text: &str, after_node: bool) -> Result<Gap<'_>, Stray> {
    let mut gap = Gap::default();
    let mut offset = 0;
    let mut blank_pending = false;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let content = body.trim_start_matches([' ', '\t']);
        let start = offset + (body.len() - content.len());
        offset += line.len();
        let content = content.trim_end_matches([' ', '\t']);
        if content.is_empty() {
            // The first piece ends the previous node's line: no blank line.
            if index > 0 && line.ends_with('\n') {
                blank_pending = true;
            }
            continue;
        }
        if !content.starts_with('#') {
            return Err(Stray(start));
        }
        if index == 0 && after_node {
            gap.trailing = Some(content);
        } else {
            gap.comments.push((blank_pending, content));
            blank_pending = false;
        }
    }
    gap.blank_before_next = blank_pending;
    Ok(gap)
}

/// Whether `text` (a node's own source) holds a comment: a `#` at the
/// start of a token, outside quotes and escapes. Such a node is kept as
/// written, since joining its lines would comment out what follows.
pub fn has_comment(text: &str) -> bool {
    let mut rest = text;
    let mut token_start = true;
    while let Some(c) = rest.chars().next() {
        if c == '#' && token_start {
            return true;
        }
        token_start = c.is_whitespace();
        rest = &rest[lexical::unit_len(rest)..];
    }
    false
}

/// `text` with every run of unquoted, unescaped white space (line breaks
/// included) made one space, and no space before a final comma.
pub fn collapse_blanks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.trim();
    let mut pending_space = false;
    // Where the last space made from collapsed blanks stands: only such a
    // space may go before the final comma (an escaped one is text).
    let mut collapsed_at = None;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            pending_space = true;
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if pending_space {
            collapsed_at = Some(out.len());
            out.push(' ');
            pending_space = false;
        }
        let len = lexical::unit_len(rest);
        out.push_str(&rest[..len]);
        rest = &rest[len..];
    }
    if out.ends_with(',') && collapsed_at == Some(out.len() - 2) {
        out.remove(out.len() - 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_own_line_comments_and_blank_lines() {
        let gap = scan("  # after\n\n\n  # own\n  # next\n\n  ", true).unwrap();
        assert_eq!(gap.trailing, Some("# after"));
        assert_eq!(gap.comments, vec![(true, "# own"), (false, "# next")]);
        assert!(gap.blank_before_next);
    }

    #[test]
    fn the_first_line_of_a_file_is_no_trailing_comment() {
        let gap = scan("# header\n\n", false).unwrap();
        assert_eq!(gap.comments, vec![(false, "# header")]);
        assert!(gap.blank_before_next);
    }

    #[test]
    fn a_line_break_alone_is_no_blank_line() {
        let gap = scan("\n  ", true).unwrap();
        assert_eq!(gap, Gap::default());
    }

    #[test]
    fn stray_text_is_reported_with_its_offset() {
        assert_eq!(scan("\n  , x", true), Err(Stray(3)));
    }

    #[test]
    fn comments_inside_a_node_are_found_outside_quotes_and_words() {
        assert!(has_comment("/a # note\n r,"));
        assert!(!has_comment("/a#b r,"));
        assert!(!has_comment("\"/a # b\" r,"));
        assert!(!has_comment("/a\\ #b r,"));
        // A quoted string ends where the lexer ends it: `\"` closes one
        // when no later quote exists, and then the `#` starts a comment.
        assert!(has_comment("path=\"/a\\\", # c"));
        assert!(!has_comment("path=\"/a\\\" # c\""));
    }

    #[test]
    fn blanks_collapse_outside_quotes_and_escapes() {
        assert_eq!(collapse_blanks("  /a   rw ,"), "/a rw,");
        assert_eq!(
            collapse_blanks("signal\n    (send,  receive),"),
            "signal (send, receive),"
        );
        assert_eq!(collapse_blanks("\"/a  b\"   r,"), "\"/a  b\" r,");
        assert_eq!(collapse_blanks("/a\\  r,"), "/a\\  r,");
        assert_eq!(
            collapse_blanks("unix addr=@splat\\ ,"),
            "unix addr=@splat\\ ,"
        );
    }
}
