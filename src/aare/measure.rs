//! Properties of converted expressions that the encoder needs.

use crate::expr::Expr;

/// The parser's "minimum match length" of an expression: the profile's
/// `xmatch_len` (§2.2), used by the kernel to rank attachments.
///
/// This is not the true shortest match. The parser counts a literal byte,
/// a positive class and a negated class as 1 and `.` as 0, but treats a
/// negated class as possibly matching the out-of-band symbol, and stops
/// counting after the first item of a sequence that may contain that symbol
/// (it marks the end of the path part). Checked against the 4.1 parser:
/// `/usr/bin/*` measures 10, `/a/**/b` 4, `/a/b?c` 5, `/a[bc]d` 4 and
/// `/usr/{bin,sbin}/dnsmasq` 16.
pub fn min_len(expr: &Expr) -> usize {
    measure(expr).len
}

struct Measure {
    len: usize,
    /// The sub-expression may contain the out-of-band symbol.
    oob: bool,
}

fn measure(expr: &Expr) -> Measure {
    let of = |len, oob| Measure { len, oob };
    match expr {
        Expr::Empty | Expr::Any | Expr::Optional(_) => of(0, false),
        Expr::Byte(_) | Expr::Class(_) => of(1, false),
        Expr::NotClass(_) => of(1, true),
        Expr::OutOfBand => of(0, true),
        Expr::Star(inner) => of(0, measure(inner).oob),
        Expr::Plus(inner) => measure(inner),
        Expr::Concat(items) => {
            let mut len = 0;
            for item in items {
                let part = measure(item);
                len += part.len;
                if part.oob {
                    return of(len, true);
                }
            }
            of(len, false)
        }
        Expr::Alt(branches) => {
            let parts: Vec<Measure> = branches.iter().map(measure).collect();
            of(
                parts.iter().map(|part| part.len).min().unwrap_or(0),
                parts.iter().any(|part| part.oob),
            )
        }
    }
}

/// True when the expression has no repetition, `.` or negated class: the
/// parser's "exact match" test, which gives a rule's exec mode precedence
/// over wildcard rules (§4.6). Positive classes and alternations keep a
/// rule exact.
pub fn is_exact(expr: &Expr) -> bool {
    match expr {
        Expr::Star(_) | Expr::Plus(_) | Expr::Any | Expr::NotClass(_) => false,
        Expr::Empty | Expr::Byte(_) | Expr::Class(_) | Expr::OutOfBand => true,
        Expr::Optional(inner) => is_exact(inner),
        Expr::Concat(items) | Expr::Alt(items) => items.iter().all(is_exact),
    }
}
