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

/// The parser measures its simplified tree, in which alternation
/// branches sharing trailing items are factored (`(a|b)c` for `ac|bc`) and
/// then branches sharing leading items (`a(b|c)` for `ab|ac`): after a
/// branch that may contain the out-of-band symbol, a shared tail no longer
/// counts. `None` when no two branches share a leading or trailing item.
fn factor_suffix(branches: &[Expr]) -> Option<Expr> {
    let mut flat = Vec::new();
    flatten_alt(branches, &mut flat);
    let mut seqs: Vec<Vec<Expr>> = Vec::new();
    for branch in flat {
        let seq: Vec<Expr> = sequence(branch).into_iter().cloned().collect();
        if !seqs.contains(&seq) {
            seqs.push(seq);
        }
    }
    let before = seqs.len();
    let seqs = group(seqs, false);
    let seqs = group(seqs, true);
    (seqs.len() < before).then(|| alt_of(seqs))
}

fn alt_of(mut seqs: Vec<Vec<Expr>>) -> Expr {
    if seqs.len() == 1 {
        return Expr::Concat(seqs.remove(0));
    }
    Expr::Alt(seqs.into_iter().map(Expr::Concat).collect())
}

/// Merges branches that share their first (`leading`) or last item, in
/// first-appearance order, factoring the longest shared run.
fn group(seqs: Vec<Vec<Expr>>, leading: bool) -> Vec<Vec<Expr>> {
    let edge = |s: &Vec<Expr>| {
        if leading {
            s.first().cloned()
        } else {
            s.last().cloned()
        }
    };
    let mut out: Vec<Vec<Expr>> = Vec::new();
    let mut used = vec![false; seqs.len()];
    for i in 0..seqs.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let Some(key) = edge(&seqs[i]) else {
            out.push(seqs[i].clone());
            continue;
        };
        let mut members = vec![seqs[i].clone()];
        for j in i + 1..seqs.len() {
            if !used[j] && edge(&seqs[j]).as_ref() == Some(&key) {
                used[j] = true;
                members.push(seqs[j].clone());
            }
        }
        if members.len() == 1 {
            out.extend(members);
            continue;
        }
        let shortest = members.iter().map(Vec::len).min().unwrap_or(0);
        let at = |s: &Vec<Expr>, k: usize| {
            if leading {
                s[k].clone()
            } else {
                s[s.len() - 1 - k].clone()
            }
        };
        let common = (0..shortest)
            .take_while(|&k| members.iter().all(|m| at(m, k) == at(&members[0], k)))
            .count();
        let rests: Vec<Vec<Expr>> = members
            .iter()
            .map(|m| {
                if leading {
                    m[common..].to_vec()
                } else {
                    m[..m.len() - common].to_vec()
                }
            })
            .collect();
        let inner = alt_of(group(group(rests, false), true));
        let shared: Vec<Expr> = if leading {
            members[0][..common].to_vec()
        } else {
            members[0][members[0].len() - common..].to_vec()
        };
        let merged = if leading {
            shared.into_iter().chain([inner]).collect()
        } else {
            [inner].into_iter().chain(shared).collect()
        };
        out.push(merged);
    }
    out
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
