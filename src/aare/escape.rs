//! Backslash escapes inside globs.
//!
//! The glob converter copies numeric and control escapes through to the
//! regex stage, which turns them into bytes; every other escaped character
//! stands for itself. Decoding both stages at once gives [`Escape`].

/// What a backslash escape denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Escape {
    /// A numeric (`\NNN`, `\xHH`, `\dNNN`) or control (`\n`, `\t`, `\r`,
    /// `\a`, `\e`, `\f`) escape: always the literal byte, in any context.
    Byte(u8),
    /// Any other escaped character: the character itself, with the
    /// backslash dropped (context decides whether it is then special).
    Char(u8),
}

/// Decodes the escape whose backslash is at `src[at - 1]`; `at` must be in
/// bounds. Returns the escape and how many bytes after the backslash it
/// used.
pub(super) fn decode(src: &[u8], at: usize) -> (Escape, usize) {
    let first = src[at];
    let rest = &src[at + 1..];
    let numeric = match first {
        b'x' => digits(rest, 16, 2),
        b'd' => digits(rest, 10, 3),
        b'0'..=b'7' => digits(&src[at..], 8, 3).map(|(value, used)| (value, used - 1)),
        _ => None,
    };
    if let Some((value, used)) = numeric {
        return (Escape::Byte(value), used + 1);
    }
    let control = match first {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'a' => Some(0x07),
        b'e' => Some(0x1b),
        b'f' => Some(0x0c),
        _ => None,
    };
    match control {
        Some(byte) => (Escape::Byte(byte), 1),
        None => (Escape::Char(first), 1),
    }
}

/// Reads up to `max` digits of `radix` from the start of `text`, stopping
/// before a digit that would push the value past 255. `None` when there is
/// no digit at all (the escape then stands for its letter).
fn digits(text: &[u8], radix: u32, max: usize) -> Option<(u8, usize)> {
    let mut value: u32 = 0;
    let mut used = 0;
    for &byte in text.iter().take(max) {
        let Some(digit) = char::from(byte).to_digit(radix) else {
            break;
        };
        let next = value * radix + digit;
        if next > 255 {
            break;
        }
        value = next;
        used += 1;
    }
    // `used` counts digits; the value fits in a byte by construction.
    (used > 0).then_some((value as u8, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(text: &str) -> (Escape, usize) {
        decode(text.as_bytes(), 0)
    }

    #[test]
    fn numeric_escapes_are_bytes() {
        assert_eq!(esc("x41"), (Escape::Byte(0x41), 3));
        assert_eq!(esc("x4g"), (Escape::Byte(0x04), 2));
        assert_eq!(esc("101"), (Escape::Byte(0o101), 3));
        // At most three octal digits: `\0001` is NUL then '1'.
        assert_eq!(esc("0001"), (Escape::Byte(0), 3));
        assert_eq!(esc("d065"), (Escape::Byte(65), 4));
        // `\d300` stops before the value would exceed a byte.
        assert_eq!(esc("d300"), (Escape::Byte(30), 3));
        assert_eq!(esc("777"), (Escape::Byte(0o77), 2));
    }

    #[test]
    fn letters_without_digits_stand_for_themselves() {
        assert_eq!(esc("x"), (Escape::Char(b'x'), 1));
        assert_eq!(esc("dz"), (Escape::Char(b'd'), 1));
        assert_eq!(esc("q"), (Escape::Char(b'q'), 1));
        assert_eq!(esc("*"), (Escape::Char(b'*'), 1));
    }

    #[test]
    fn control_escapes() {
        assert_eq!(esc("n"), (Escape::Byte(b'\n'), 1));
        assert_eq!(esc("e"), (Escape::Byte(0x1b), 1));
        assert_eq!(esc("a"), (Escape::Byte(0x07), 1));
    }
}
