//! An independent matcher for the DFA tests: regex-automata. Two
//! translations into its regex syntax (byte mode, no Unicode), written
//! here without aaprof's AARE code:
//!
//! * [`expr_regex`]: an [`Expr`] tree, node for node;
//! * [`glob_regex`]: AARE glob text with the default glob style, as
//!   apparmor.d(5) and apparmor_parser define it: `?` one byte but `/` or
//!   NUL, `*` any run of such bytes, `**` any run of bytes but NUL, and
//!   after a `/` a star run that ends its path component (next byte `/` or
//!   end of text) must match at least one byte, so `/a/*` misses `/a/`;
//!   `[..]`/`[^..]` byte classes (a negated one matches `/` and NUL too),
//!   `{a,b}` alternation (branches may be empty), and backslash escapes
//!   (`\xHH`, `\dDDD`, octal `\OOO`, or the character itself).
//!
//! [`Oracle`] then answers, for many patterns at once, which of them match
//! a whole input.

use aaprof::expr::{ByteSet, Expr};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternSet, meta};

/// Patterns compiled together; each matches a whole input or not.
pub struct Oracle {
    regex: meta::Regex,
    count: usize,
}

impl Oracle {
    /// Compiles the patterns (regex syntax as produced by this module);
    /// every pattern is reported, not only the leftmost-first.
    pub fn new(patterns: &[String]) -> Oracle {
        let anchored: Vec<String> = patterns.iter().map(|p| format!(r"\A(?:{p})\z")).collect();
        let regex = meta::Regex::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::All)
                    .utf8_empty(false),
            )
            .build_many(&anchored)
            .unwrap_or_else(|e| panic!("oracle patterns {anchored:?}: {e}"));
        Oracle {
            regex,
            count: patterns.len(),
        }
    }

    /// The indices of the patterns that match all of `input`.
    pub fn matching(&self, input: &[u8]) -> Vec<usize> {
        let mut set = PatternSet::new(self.count);
        let search = Input::new(input).anchored(Anchored::Yes);
        self.regex.which_overlapping_matches(&search, &mut set);
        set.iter().map(|id| id.as_usize()).collect()
    }
}

/// A byte as a regex literal.
fn byte(b: u8) -> String {
    format!(r"\x{b:02X}")
}

/// A byte set as a class body (`\x61\x62`), ranges not merged.
fn members(set: &ByteSet) -> String {
    (0..=255u8).filter(|&b| set.contains(b)).map(byte).collect()
}

/// A class that matches no byte at all.
const NOTHING: &str = r"[^\x00-\xFF]";

/// The regex of an expression tree.
pub fn expr_regex(expr: &Expr) -> String {
    let group = |inner: &Expr, op: &str| format!("(?:{}){op}", expr_regex(inner));
    match expr {
        Expr::Empty => "(?:)".into(),
        Expr::Byte(b) => byte(*b),
        Expr::Class(set) if *set == ByteSet::EMPTY => NOTHING.into(),
        Expr::Class(set) => format!("[{}]", members(set)),
        Expr::NotClass(set) if *set == ByteSet::EMPTY => r"[\x00-\xFF]".into(),
        Expr::NotClass(set) => format!("[^{}]", members(set)),
        Expr::Any => r"[\x00-\xFF]".into(),
        // Matches no input byte: only the kernel's out-of-band step.
        Expr::OutOfBand => NOTHING.into(),
        Expr::Concat(items) => items
            .iter()
            .map(|i| format!("(?:{})", expr_regex(i)))
            .collect(),
        Expr::Alt(items) if items.is_empty() => "(?:)".into(),
        Expr::Alt(items) => {
            let options: Vec<String> = items.iter().map(expr_regex).collect();
            format!("(?:{})", options.join("|"))
        }
        Expr::Optional(inner) => group(inner, "?"),
        Expr::Star(inner) => group(inner, "*"),
        Expr::Plus(inner) => group(inner, "+"),
    }
}

/// One byte of a path component: neither `/` nor NUL.
const COMPONENT_BYTE: &str = r"[^/\x00]";

/// The regex of AARE glob text (default glob style, no slash filtering).
/// Panics on text outside the syntax described in the module comment.
pub fn glob_regex(glob: &str) -> String {
    let text = glob.as_bytes();
    let mut out = String::new();
    let mut at = 0;
    // Whether the last thing translated was a literal `/`: a star run
    // right after one is the whole path component, or its start.
    let mut after_slash = false;
    let mut depth = 0usize;
    while at < text.len() {
        let c = text[at];
        let mut slash = false;
        match c {
            b'*' => {
                let run = text[at..].iter().take_while(|&&b| b == b'*').count();
                let next = text.get(at + run);
                if after_slash && matches!(next, None | Some(b'/')) {
                    out.push_str(COMPONENT_BYTE);
                }
                for _ in 0..run / 2 {
                    out.push_str(r"[^\x00]*");
                }
                if run % 2 == 1 {
                    out.push_str(COMPONENT_BYTE);
                    out.push('*');
                }
                at += run;
                after_slash = false;
                continue;
            }
            b'?' => out.push_str(COMPONENT_BYTE),
            b'[' => {
                let (class, end) = glob_class(text, at);
                out.push_str(&class);
                at = end;
                after_slash = false;
                continue;
            }
            b'{' => {
                depth += 1;
                out.push_str("(?:");
            }
            b',' if depth > 0 => out.push('|'),
            b'}' => {
                depth = depth.checked_sub(1).expect("balanced braces");
                out.push(')');
            }
            b'\\' => {
                let (value, used) = escape(text, at + 1);
                out.push_str(&byte(value));
                // `\/` is a plain slash (its backslash only draws a
                // warning); a numeric escape of `/` is not.
                slash = used == 1 && value == b'/';
                at += 1 + used;
                after_slash = slash;
                continue;
            }
            other => {
                out.push_str(&byte(other));
                slash = other == b'/';
            }
        }
        after_slash = slash;
        at += 1;
    }
    assert_eq!(depth, 0, "unclosed brace in {glob}");
    out
}

/// The escape whose first character after the backslash is `text[at]`:
/// its byte and how many characters it used.
fn escape(text: &[u8], at: usize) -> (u8, usize) {
    let number = |start: usize, radix: u32, max: usize| {
        let mut value = 0u32;
        let mut used = 0;
        while used < max {
            let Some(digit) = text
                .get(start + used)
                .and_then(|&b| (b as char).to_digit(radix))
            else {
                break;
            };
            if value * radix + digit > 255 {
                break;
            }
            value = value * radix + digit;
            used += 1;
        }
        (used > 0).then_some((value as u8, used))
    };
    match text[at] {
        b'x' => number(at + 1, 16, 2).map_or((b'x', 1), |(v, n)| (v, n + 1)),
        b'd' => number(at + 1, 10, 3).map_or((b'd', 1), |(v, n)| (v, n + 1)),
        b'0'..=b'7' => number(at, 8, 3).expect("an octal digit"),
        other => (other, 1),
    }
}

/// A bracket class starting at `text[open]`: members are single bytes or
/// ascending `a-z` ranges, `^` first negates. Returns the regex class and
/// the index after `]`.
fn glob_class(text: &[u8], open: usize) -> (String, usize) {
    let mut at = open + 1;
    let mut out = String::from("[");
    if text.get(at) == Some(&b'^') {
        out.push('^');
        at += 1;
    }
    let mut first = true;
    loop {
        let c = *text.get(at).expect("closed class");
        if c == b']' && !first {
            break;
        }
        first = false;
        if text.get(at + 1) == Some(&b'-') && text.get(at + 2).is_some_and(|&b| b != b']') {
            let high = text[at + 2];
            assert!(c <= high, "descending range in test glob");
            out.push_str(&format!("{}-{}", byte(c), byte(high)));
            at += 3;
        } else {
            out.push_str(&byte(c));
            at += 1;
        }
    }
    out.push(']');
    (out, at + 1)
}
