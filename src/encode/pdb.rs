//! Building blocks shared by the policy-DB class encoders (§5.2, §5.4):
//! the "default match" fragments, label/name conversion and rule records.

use super::error::EncodeError;
use super::record::{PolicyRecord, RulePerms};
use crate::aare::{self, GlobStyle};
use crate::expr::{ByteSet, Expr};
use crate::model::Qualifiers;

/// `[^\000]*`: any string without NUL (the parser's "default match").
pub fn any() -> Expr {
    Expr::Star(Box::new(Expr::NotClass(ByteSet::single(0))))
}

/// `[^\000]+`: a non-empty string without NUL ("anyone match").
pub fn any_plus() -> Expr {
    Expr::Plus(Box::new(Expr::NotClass(ByteSet::single(0))))
}

/// Converts a label, name or path condition with default globbing
/// (no slash filtering).
pub fn glob(text: &str) -> Result<Expr, EncodeError> {
    aare::convert(text, GlobStyle::Default)
        .map(|glob| glob.expr)
        .map_err(|source| EncodeError::Pattern {
            pattern: text.to_owned(),
            source,
        })
}

/// Converts a path condition (slashes filtered, default globbing).
pub fn path(text: &str) -> Result<Expr, EncodeError> {
    aare::convert_path(text)
        .map(|glob| glob.expr)
        .map_err(|source| EncodeError::Pattern {
            pattern: text.to_owned(),
            source,
        })
}

/// A condition converted with [`glob`], or `default` when absent.
pub fn glob_or(text: Option<&str>, default: fn() -> Expr) -> Result<Expr, EncodeError> {
    match text {
        Some(text) => glob(text),
        None => Ok(default()),
    }
}

/// Parts joined by NUL separators.
pub fn vec_join(parts: Vec<Expr>) -> Expr {
    let mut out = Vec::with_capacity(parts.len() * 2);
    for (index, part) in parts.into_iter().enumerate() {
        if index > 0 {
            out.push(Expr::Byte(0));
        }
        out.push(part);
    }
    Expr::Concat(out)
}

/// The `(Expr, record)` pair of a policy rule granting (or denying) `perms`
/// with the rule's qualifiers; audit/quiet cover every granted bit.
pub fn rule(q: &Qualifiers, expr: Expr, perms: u32) -> (Expr, PolicyRecord) {
    let record = PolicyRecord::Rule(RulePerms::for_rule(q, aare::is_exact(&expr), perms, perms));
    (expr, record)
}
