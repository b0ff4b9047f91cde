//! 5.0's conditional comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`)
//! between value sets.

use crate::syntax::CompareOp;
use std::cmp::Ordering;

/// Compares two value sets. `in`: every left value is among the right
/// values. Equality compares the sets. Orderings compare single values,
/// numerically when both are integers, else as text.
pub fn compare(left: &[String], op: CompareOp, right: &[String]) -> bool {
    match op {
        CompareOp::In => left.iter().all(|l| right.contains(l)),
        CompareOp::Eq => same_set(left, right),
        CompareOp::Ne => !same_set(left, right),
        _ => {
            let (Some(l), Some(r)) = (single(left), single(right)) else {
                return false;
            };
            let ord = match (l.parse::<i64>(), r.parse::<i64>()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => l.cmp(r),
            };
            match op {
                CompareOp::Lt => ord == Ordering::Less,
                CompareOp::Le => ord != Ordering::Greater,
                CompareOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }
    }
}

fn single(v: &[String]) -> Option<&str> {
    match v {
        [one] => Some(one),
        _ => None,
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn compares_sets_and_numbers() {
        assert!(compare(
            &s(&["gnome"]),
            CompareOp::In,
            &s(&["kde", "gnome"])
        ));
        assert!(!compare(
            &s(&["xfce"]),
            CompareOp::In,
            &s(&["kde", "gnome"])
        ));
        assert!(compare(&s(&["9"]), CompareOp::Lt, &s(&["10"])));
        assert!(compare(&s(&["a", "b"]), CompareOp::Eq, &s(&["b", "a"])));
    }
}
