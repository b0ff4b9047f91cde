//! 5.0's conditional comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`)
//! between value sets, as apparmor_parser 5.0.2 evaluates them.
//!
//! Each side is a *set* of strings (duplicates merged, bytewise sorted): a
//! variable's values, or the one literal value.
//! - `in`: the left set is a subset of the right one.
//! - `==` / `!=`: the sets are (not) equal, as text (`0x10 == 16` is
//!   false).
//! - orderings: a side is a *number* when its set holds exactly one
//!   non-empty value that C's `strtol(s, &end, 0)` reads entirely (leading
//!   blanks, sign, `0x` hex, `0` octal: `010 < 9`). Two numbers compare as
//!   numbers; two non-numbers compare as sorted sets, lexicographically
//!   (`{a, b} < {b}`); a number and a non-number are an error. A value out
//!   of `long` range is an error even when not all of it is a number.

use crate::syntax::CompareOp;
use std::collections::BTreeSet;
use thiserror::Error;

/// The values of one side of a comparison.
pub type ValueSet = BTreeSet<String>;

/// Why an ordering comparison is an error.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CompareError {
    #[error("can only compare numbers with numbers")]
    Mixed,
    #[error("value `{0}` is out of the valid range")]
    OutOfRange(String),
}

/// Evaluates `left OP right`.
pub fn compare(left: &ValueSet, op: CompareOp, right: &ValueSet) -> Result<bool, CompareError> {
    let ordering = match op {
        CompareOp::In => return Ok(left.is_subset(right)),
        CompareOp::Eq => return Ok(left == right),
        CompareOp::Ne => return Ok(left != right),
        _ => {
            let l = as_number(left)?;
            let r = as_number(right)?;
            match (l, r) {
                (Some(a), Some(b)) => a.cmp(&b),
                (None, None) => left.iter().cmp(right.iter()),
                _ => return Err(CompareError::Mixed),
            }
        }
    };
    Ok(match op {
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Gt => ordering.is_gt(),
        _ => ordering.is_ge(),
    })
}

/// The number a side denotes, if it is one (see the module comment).
fn as_number(set: &ValueSet) -> Result<Option<i64>, CompareError> {
    let mut values = set.iter();
    let (Some(only), None) = (values.next(), values.next()) else {
        return Ok(None);
    };
    if only.is_empty() {
        return Ok(None);
    }
    match strtol(only) {
        Strtol::Number(n) => Ok(Some(n)),
        Strtol::Partial => Ok(None),
        Strtol::OutOfRange => Err(CompareError::OutOfRange(only.clone())),
    }
}

/// What C's `strtol(text, &end, 0)` makes of a text.
#[derive(Debug, PartialEq, Eq)]
enum Strtol {
    /// The whole text is a number.
    Number(i64),
    /// No digits, or characters after them.
    Partial,
    /// The digits overflow a 64-bit `long` (`errno == ERANGE`).
    OutOfRange,
}

fn strtol(text: &str) -> Strtol {
    let bytes = text.as_bytes();
    // isspace(): space, \t, \n, \v, \f, \r
    let mut i = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(bytes.len());
    let negative = match bytes.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let hex_digit_follows = bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
    let radix: u32 = if bytes.get(i) == Some(&b'0')
        && matches!(bytes.get(i + 1), Some(b'x' | b'X'))
        && hex_digit_follows
    {
        i += 2;
        16
    } else if bytes.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let digits_start = i;
    let mut magnitude: u128 = 0;
    let mut overflow = false;
    while let Some(d) = bytes.get(i).and_then(|&b| (b as char).to_digit(radix)) {
        magnitude = magnitude * u128::from(radix) + u128::from(d);
        if magnitude > 1 << 64 {
            overflow = true;
            magnitude = 1 << 64;
        }
        i += 1;
    }
    if i == digits_start {
        return Strtol::Partial;
    }
    let limit: u128 = if negative { 1 << 63 } else { (1 << 63) - 1 };
    if overflow || magnitude > limit {
        return Strtol::OutOfRange;
    }
    if i != bytes.len() {
        return Strtol::Partial;
    }
    let value = if negative {
        (magnitude as i128).wrapping_neg() as i64
    } else {
        magnitude as i64
    };
    Strtol::Number(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> ValueSet {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn membership_and_equality_are_set_relations_of_text() {
        let de = s(&["kde", "gnome"]);
        assert_eq!(compare(&s(&["gnome"]), CompareOp::In, &de), Ok(true));
        assert_eq!(compare(&s(&["xfce"]), CompareOp::In, &de), Ok(false));
        assert_eq!(compare(&s(&[""]), CompareOp::In, &de), Ok(false));
        assert_eq!(
            compare(&s(&["a", "b"]), CompareOp::Eq, &s(&["b", "a"])),
            Ok(true)
        );
        assert_eq!(
            compare(&s(&["0x10"]), CompareOp::Eq, &s(&["16"])),
            Ok(false)
        );
        assert_eq!(compare(&s(&["10"]), CompareOp::Ne, &s(&["010"])), Ok(true));
    }

    #[test]
    fn numbers_are_read_as_strtol_base_0_reads_them() {
        assert_eq!(compare(&s(&["9"]), CompareOp::Lt, &s(&["10"])), Ok(true));
        assert_eq!(compare(&s(&["010"]), CompareOp::Gt, &s(&["9"])), Ok(false));
        assert_eq!(compare(&s(&["0X1f"]), CompareOp::Gt, &s(&["30"])), Ok(true));
        assert_eq!(
            compare(&s(&["-0x10"]), CompareOp::Lt, &s(&["-15"])),
            Ok(true)
        );
        assert_eq!(compare(&s(&[" 10"]), CompareOp::Lt, &s(&["11"])), Ok(true));
        assert_eq!(strtol("08"), Strtol::Partial);
        assert_eq!(strtol("0x"), Strtol::Partial);
        assert_eq!(strtol("10 "), Strtol::Partial);
        assert_eq!(strtol("3.1"), Strtol::Partial);
        assert_eq!(strtol("-"), Strtol::Partial);
        assert_eq!(strtol("9223372036854775807"), Strtol::Number(i64::MAX));
        assert_eq!(strtol("-9223372036854775808"), Strtol::Number(i64::MIN));
        assert_eq!(strtol("9223372036854775808"), Strtol::OutOfRange);
        assert_eq!(strtol("99999999999999999999abc"), Strtol::OutOfRange);
    }

    #[test]
    fn a_number_against_a_non_number_is_an_error() {
        let err = Err(CompareError::Mixed);
        assert_eq!(
            compare(&s(&["/path/foo/"]), CompareOp::Lt, &s(&["10"])),
            err
        );
        assert_eq!(compare(&s(&[""]), CompareOp::Lt, &s(&["9"])), err);
        assert_eq!(compare(&s(&["10", "2"]), CompareOp::Ge, &s(&["10"])), err);
        assert!(matches!(
            compare(&s(&["99999999999999999999"]), CompareOp::Gt, &s(&["/foo"])),
            Err(CompareError::OutOfRange(_))
        ));
        // Set comparisons never parse numbers: no range error.
        assert_eq!(
            compare(
                &s(&["99999999999999999999", "a"]),
                CompareOp::Lt,
                &s(&["b"])
            ),
            Ok(true)
        );
    }

    #[test]
    fn sets_order_lexicographically_by_sorted_values() {
        let one = s(&["/path/foo/"]);
        let mult = s(&["/path/foo/", "/path/bar/"]);
        let nums = s(&["10", "2", "3.1"]);
        let empty = s(&[""]);
        assert_eq!(compare(&mult, CompareOp::Lt, &one), Ok(true));
        assert_eq!(compare(&one, CompareOp::Lt, &mult), Ok(false));
        assert_eq!(compare(&one, CompareOp::Lt, &nums), Ok(true));
        assert_eq!(compare(&empty, CompareOp::Lt, &one), Ok(true));
        assert_eq!(compare(&nums, CompareOp::Ge, &empty), Ok(true));
        assert_eq!(compare(&nums, CompareOp::Le, &nums), Ok(true));
    }
}
