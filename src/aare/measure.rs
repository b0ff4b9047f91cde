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
            if let Some(factored) = factor_suffix(branches) {
                return measure(&factored);
            }
            let parts: Vec<Measure> = branches.iter().map(measure).collect();
            of(
                parts.iter().map(|part| part.len).min().unwrap_or(0),
                parts.iter().any(|part| part.oob),
            )
        }
    }
}

/// The parser measures its simplified tree, in which an alternation's
/// common trailing items are factored out (`(a|b)c` for `ac|bc`): after a
/// branch that may contain the out-of-band symbol, the shared tail no longer
/// counts. `None` when the branches share no trailing item.
fn factor_suffix(branches: &[Expr]) -> Option<Expr> {
    let mut flat = Vec::new();
    flatten_alt(branches, &mut flat);
    let seqs: Vec<Vec<&Expr>> = flat.iter().map(|b| sequence(b)).collect();
    let shortest = seqs.iter().map(Vec::len).min()?;
    let common = (1..=shortest)
        .take_while(|&k| {
            let item = seqs[0][seqs[0].len() - k];
            seqs.iter().all(|s| s[s.len() - k] == item)
        })
        .count();
    if common == 0 {
        return None;
    }
    let first = &seqs[0];
    let rests = seqs
        .iter()
        .map(|s| Expr::Concat(s[..s.len() - common].iter().map(|&e| e.clone()).collect()))
        .collect();
    let mut items = vec![Expr::Alt(rests)];
    items.extend(first[first.len() - common..].iter().map(|&e| e.clone()));
    Some(Expr::Concat(items))
}

fn flatten_alt<'a>(branches: &'a [Expr], out: &mut Vec<&'a Expr>) {
    for branch in branches {
        match branch {
            Expr::Alt(inner) => flatten_alt(inner, out),
            other => out.push(other),
        }
    }
}

/// A branch as its sequence of items, nested concatenations flattened.
fn sequence(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Empty => Vec::new(),
        Expr::Concat(items) => items.iter().flat_map(sequence).collect(),
        other => vec![other],
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
