//! Test-only parser for the reference parser's regex syntax as printed by
//! `apparmor_parser -D rule-exprs` (left of `->`): `.`, `[…]`, `[^…]`,
//! `(…|…)`, `*`, `+`, `?` and the backslash escapes of binary-format §5.2.
//! Used only to feed real-world rule sets to the DFA benchmarks.

use aaprof::expr::{ByteSet, Expr};

pub fn parse(text: &[u8]) -> Option<Expr> {
    let mut at = 0;
    let expr = alternation(text, &mut at)?;
    (at == text.len()).then_some(expr)
}

fn alternation(text: &[u8], at: &mut usize) -> Option<Expr> {
    let mut options = vec![sequence(text, at)?];
    while text.get(*at) == Some(&b'|') {
        *at += 1;
        options.push(sequence(text, at)?);
    }
    Some(if options.len() == 1 {
        options.pop()?
    } else {
        Expr::Alt(options)
    })
}

fn sequence(text: &[u8], at: &mut usize) -> Option<Expr> {
    let mut items = Vec::new();
    while let Some(&byte) = text.get(*at) {
        let atom = match byte {
            b'|' | b')' => break,
            b'(' => {
                *at += 1;
                let inner = alternation(text, at)?;
                if text.get(*at) != Some(&b')') {
                    return None;
                }
                *at += 1;
                inner
            }
            b'[' => class(text, at)?,
            b'.' => {
                *at += 1;
                Expr::Any
            }
            b'\\' => Expr::Byte(escape(text, at)?),
            _ => {
                *at += 1;
                Expr::Byte(byte)
            }
        };
        let atom = match text.get(*at) {
            Some(b'*') => Expr::Star(Box::new(atom)),
            Some(b'+') => Expr::Plus(Box::new(atom)),
            Some(b'?') => Expr::Optional(Box::new(atom)),
            _ => {
                items.push(atom);
                continue;
            }
        };
        *at += 1;
        items.push(atom);
    }
    Some(Expr::Concat(items))
}

fn class(text: &[u8], at: &mut usize) -> Option<Expr> {
    *at += 1;
    let negated = text.get(*at) == Some(&b'^');
    if negated {
        *at += 1;
    }
    let mut set = ByteSet::EMPTY;
    let mut first = true;
    loop {
        let byte = *text.get(*at)?;
        if byte == b']' && !first {
            *at += 1;
            break;
        }
        first = false;
        let low = if byte == b'\\' {
            escape(text, at)?
        } else {
            *at += 1;
            byte
        };
        if text.get(*at) == Some(&b'-') && text.get(*at + 1).is_some_and(|&b| b != b']') {
            *at += 1;
            let high = if text[*at] == b'\\' {
                escape(text, at)?
            } else {
                *at += 1;
                text[*at - 1]
            };
            set.insert_range(low, high);
        } else {
            set.insert(low);
        }
    }
    Some(if negated {
        Expr::NotClass(set)
    } else {
        Expr::Class(set)
    })
}

/// One escape starting at the backslash; returns its byte.
fn escape(text: &[u8], at: &mut usize) -> Option<u8> {
    *at += 1;
    let byte = *text.get(*at)?;
    *at += 1;
    let digits = |at: &mut usize, radix: u32, max: usize| {
        let start = *at;
        while *at < text.len() && *at - start < max && (text[*at] as char).is_digit(radix) {
            *at += 1;
        }
        u32::from_str_radix(std::str::from_utf8(&text[start..*at]).ok()?, radix)
            .ok()
            .map(|value| value as u8)
    };
    match byte {
        b'x' => digits(at, 16, 2),
        b'd' => digits(at, 10, 3),
        b'0'..=b'7' => {
            *at -= 1;
            digits(at, 8, 3)
        }
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'a' => Some(7),
        b'e' => Some(27),
        b'f' => Some(12),
        other => Some(other),
    }
}
