//! What apparmor_parser 5.0.2's lexer decides that the grammar alone does
//! not: text it stops at with "Lexer found unexpected character", and the
//! names it reads as permissions only when a blank or a comma follows.

use super::Span;

/// A word of file permission letters only, as the lexer's MODES reads
/// them (`r`, `rw`, `pix`, `Pux`, `cx`, ...). `all` is never one: the
/// lexer reads it as the keyword of the `all` rule first.
pub fn is_mode_letters(w: &str) -> bool {
    let b = w.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let exec = |j: usize| b.get(j).is_some_and(|c| matches!(c, b'x' | b'X'));
        i += match b[i] {
            b'R' | b'r' | b'W' | b'w' | b'a' | b'L' | b'l' | b'M' | b'm' | b'k' | b'X' | b'x' => 1,
            b'P' | b'p' | b'C' | b'c' if exec(i + 1) => 2,
            b'P' | b'p' | b'C' | b'c'
                if b.get(i + 1).is_some_and(|c| b"IiUu".contains(c)) && exec(i + 2) =>
            {
                3
            }
            b'I' | b'i' | b'U' | b'u' if exec(i + 1) => 2,
            _ => return false,
        };
    }
    !b.is_empty() && w != "all"
}

/// A name of permission letters that the next character keeps from being
/// permissions: the lexer reads permissions only before a blank, a line
/// end or a comma, so `/a px->b,` and `/a r/b,` hold the name `px` or
/// `r`, which no rule takes there. A `#` is left alone: a name glued to a
/// comment is a relative path where a path may stand (`rw#c` then ` r,`).
/// `name` is the name's span in `text`; returns the span to report.
pub fn glued_mode_name(text: &str, name: Span) -> Option<Span> {
    let (start, end) = (name.start as usize, name.end as usize);
    let word = text.get(start..end)?;
    let next = text.get(end..)?.bytes().next()?;
    let ends_mode = next.is_ascii_whitespace() || matches!(next, b',' | b'#' | 0x0b);
    (is_mode_letters(word) && !ends_mode).then_some(Span::new(start, end + 1))
}

/// Whether a name of permission letters is glued to a comment (`rw#c`):
/// the lexer reads permissions only before a blank, a line end or a
/// comma, so it hands such a word on as a name.
pub fn glued_to_comment(name: &pest::Span) -> bool {
    is_mode_letters(name.as_str()) && name.get_input()[name.end()..].starts_with('#')
}

/// The length in bytes of the quoted string at the start of `text` (which
/// begins with `"`), as the lexer takes it: the longest `"…"` whose inner
/// quotes all follow a backslash. `None` when it is never closed.
/// `grammar/apparmor.pest`'s `quoted` is the same rule.
pub fn quoted_len(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    debug_assert_eq!(b.first(), Some(&b'"'));
    let mut close = None;
    for i in 1..b.len() {
        if b[i] == b'"' {
            close = Some(i + 1);
            if b[i - 1] != b'\\' {
                break;
            }
        }
    }
    close
}

/// The length in bytes of the lexical unit at the start of `text` (not
/// empty), for scanners that must not look inside one: a backslash with
/// the character it escapes, a whole quoted string ([`quoted_len`]; to the
/// end when never closed), or one character.
pub fn unit_len(text: &str) -> usize {
    let mut chars = text.chars();
    match chars.next() {
        Some('\\') => 1 + chars.next().map_or(0, char::len_utf8),
        Some('"') => quoted_len(text).unwrap_or(text.len()),
        Some(c) => c.len_utf8(),
        None => 0,
    }
}

/// Decodes the backslash escapes of a token as apparmor_parser does for
/// every token value (a condition's side, a named exec target): octal `\NNN` (at most three
/// digits, at most 255), `\dNNN`, `\xHH`, `\a \e \f \n \r \t`, `\"` and
/// `\\` stand for their byte, except that a NUL stays written as an escape
/// and glob characters (`*?[]{}^,\`) keep their backslash; any other
/// backslash is an ordinary character.
pub fn decode_escapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' || i + 1 == bytes.len() {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let rest = &bytes[i + 1..];
        let (value, used) = match rest[0] {
            b'0'..=b'7' => number(rest, 8, 3),
            b'd' => shifted(number(&rest[1..], 10, 3)),
            b'x' => shifted(number(&rest[1..], 16, 2)),
            b'\\' => (Some(b'\\'), 1),
            b'"' => (Some(b'"'), 1),
            b'a' => (Some(0x07), 1),
            b'e' => (Some(0x1b), 1),
            b'f' => (Some(0x0c), 1),
            b'n' => (Some(b'\n'), 1),
            b'r' => (Some(b'\r'), 1),
            b't' => (Some(b'\t'), 1),
            _ => (None, 0),
        };
        match value {
            None => {
                out.push(b'\\');
                i += 1;
            }
            Some(0) => {
                out.extend_from_slice(&bytes[i..i + 1 + used]);
                i += 1 + used;
            }
            Some(c) => {
                if b"*?[]{}^,\\".contains(&c) {
                    out.push(b'\\');
                }
                out.push(c);
                i += 1 + used;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Up to `max` digits of `radix`, stopping before the value passes 255:
/// the value and the digits used (`None` without a digit).
fn number(text: &[u8], radix: u32, max: usize) -> (Option<u8>, usize) {
    let mut value = 0u32;
    let mut used = 0;
    for &b in text.iter().take(max) {
        let Some(d) = char::from(b).to_digit(radix) else {
            break;
        };
        if value * radix + d > 255 {
            break;
        }
        value = value * radix + d;
        used += 1;
    }
    if used == 0 {
        (None, 0)
    } else {
        (Some(value as u8), used)
    }
}

/// A number after a one-letter prefix (`d`, `x`): one more byte used.
fn shifted((value, used): (Option<u8>, usize)) -> (Option<u8>, usize) {
    (value, used + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_letters_follow_the_lexer() {
        for w in ["r", "rw", "pix", "PUx", "cx", "ix", "rwlkmax", "Cix"] {
            assert!(is_mode_letters(w), "{w}");
        }
        for w in ["", "all", "p", "pi", "rq", "deny", "px_"] {
            assert!(!is_mode_letters(w), "{w}");
        }
    }

    #[test]
    fn a_mode_ends_at_a_blank_or_comma_only() {
        let at = |text: &str, s: usize, e: usize| glued_mode_name(text, Span::new(s, e));
        assert_eq!(at("/a px->b,", 3, 5), Some(Span::new(3, 6)));
        assert_eq!(at("/a r/b,", 3, 4), Some(Span::new(3, 5)));
        assert_eq!(at("/a r,", 3, 4), None);
        assert_eq!(at("/a r\n,", 3, 4), None);
        assert_eq!(at("rw#c\n r,", 0, 2), None);
        // Not mode letters: a name like any other.
        assert_eq!(at("quiet/a", 0, 5), None);
    }

    #[test]
    fn a_quoted_string_is_the_longest_the_lexer_can_take() {
        assert_eq!(quoted_len(r#""/a" r,"#), Some(4));
        // `\"` closes only when no quote comes later.
        assert_eq!(quoted_len(r#""/a\","#), Some(5));
        assert_eq!(quoted_len(r#""/a\" b "c""#), Some(9));
        assert_eq!(quoted_len(r#""a\"b" c"#), Some(6));
        assert_eq!(quoted_len(r#""abc"#), None);
    }

    #[test]
    fn a_unit_is_an_escape_pair_a_quoted_string_or_one_character() {
        assert_eq!(unit_len(r"\é x"), 3);
        assert_eq!(unit_len("\\"), 1);
        assert_eq!(unit_len(r#""a b" c"#), 5);
        assert_eq!(unit_len(r#""a b"#), 4);
        assert_eq!(unit_len("é"), 2);
    }

    #[test]
    fn condition_tokens_decode_escapes_as_the_lexer_does() {
        assert_eq!(decode_escapes(r"\101\x41\d65"), "AAA");
        assert_eq!(decode_escapes(r#"a\"b\\c"#), r#"a"b\\c"#);
        assert_eq!(decode_escapes(r"\*\q\x\0"), r"\*\q\x\0");
        assert_eq!(decode_escapes(r"\052"), r"\*");
        assert_eq!(decode_escapes(r"\t\400"), "\t 0");
    }
}
