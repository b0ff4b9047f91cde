//! `set rlimit NAME <= VALUE,`: the resource names and how a value is read,
//! shared by the checker (which reports a bad value at its rule) and the
//! encoder (which writes the number).
//!
//! The value is a number with an optional unit, written joined (`10K`) or
//! as a separate word (`10 K`); `infinity` stands for RLIM_INFINITY. The
//! number is read as C's `strtoll(.., 0)` reads it, as apparmor_parser
//! 5.0.2 does: a leading `0` makes it octal (`010` is 8, `09` is 0), a
//! number beyond i64 saturates, `-0` is 0. Then, per resource kind:
//! - sizes take no unit or `K`/`KB`, `M`/`MB`, `G`/`GB` (powers of 1024,
//!   case-sensitive), the product wrapping like the parser's 64-bit one;
//! - counts take no unit;
//! - cpu (seconds) and rttime (microseconds) take a time unit (`us`, `ms`,
//!   `s`, `min`, `h`, `d`, `week` and their long forms); without a unit
//!   the number is taken as is (even 0), with one the value converted to
//!   the base must be at least 1 (`cpu <= 999ms` is an error);
//! - nice takes no unit, must lie in -20..=19, and is stored as 20 + nice.

/// Number of rlimits on Linux (the array length written).
pub const RLIMIT_COUNT: usize = 16;

/// How a resource's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RlimitKind {
    Size,
    Count,
    /// CPU time in seconds.
    Cpu,
    /// Realtime CPU time in microseconds.
    Rttime,
    Nice,
}

/// Resource names in rlimit-number order and the kind of their value.
const RLIMITS: [(&str, RlimitKind); RLIMIT_COUNT] = [
    ("cpu", RlimitKind::Cpu),
    ("fsize", RlimitKind::Size),
    ("data", RlimitKind::Size),
    ("stack", RlimitKind::Size),
    ("core", RlimitKind::Size),
    ("rss", RlimitKind::Size),
    ("nproc", RlimitKind::Count),
    ("nofile", RlimitKind::Count),
    ("memlock", RlimitKind::Size),
    ("as", RlimitKind::Size),
    ("locks", RlimitKind::Count),
    ("sigpending", RlimitKind::Count),
    ("msgqueue", RlimitKind::Size),
    ("nice", RlimitKind::Nice),
    ("rtprio", RlimitKind::Count),
    ("rttime", RlimitKind::Rttime),
];

/// The rlimit number of a resource name (`ofile` is nofile's old name).
pub fn rlimit_index(name: &str) -> Option<usize> {
    if name == "ofile" {
        return Some(7);
    }
    RLIMITS.iter().position(|(known, _)| *known == name)
}

/// The name of rlimit number `index` (`nofile` for 7), if any.
pub fn rlimit_name(index: usize) -> Option<&'static str> {
    RLIMITS.get(index).map(|(name, _)| *name)
}

/// The kind of value resource number `index` takes.
pub fn rlimit_kind(index: usize) -> RlimitKind {
    RLIMITS[index].1
}

/// Time units and their length in microseconds.
const TIME_UNITS: &[(&str, i64)] = &[
    ("us", 1),
    ("microsecond", 1),
    ("microseconds", 1),
    ("ms", 1_000),
    ("millisecond", 1_000),
    ("milliseconds", 1_000),
    ("s", 1_000_000),
    ("sec", 1_000_000),
    ("second", 1_000_000),
    ("seconds", 1_000_000),
    ("min", 60_000_000),
    ("minute", 60_000_000),
    ("minutes", 60_000_000),
    ("h", 3_600_000_000),
    ("hour", 3_600_000_000),
    ("hours", 3_600_000_000),
    ("d", 86_400_000_000),
    ("day", 86_400_000_000),
    ("days", 86_400_000_000),
    ("week", 604_800_000_000),
    ("weeks", 604_800_000_000),
];

/// Size units and their factor.
const SIZE_UNITS: &[(&str, i64)] = &[
    ("K", 1 << 10),
    ("KB", 1 << 10),
    ("M", 1 << 20),
    ("MB", 1 << 20),
    ("G", 1 << 30),
    ("GB", 1 << 30),
];

/// The value written for resource `index` given the rule's value text,
/// or why the text is not a valid value for it.
pub fn rlimit_value(index: usize, text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = split_value(text)?;
    if number == "infinity" {
        return Ok(u64::MAX);
    }
    let n = c_strtoll(number);
    let unit = (!unit.is_empty()).then_some(unit);
    match rlimit_kind(index) {
        RlimitKind::Nice => {
            if let Some(u) = unit {
                return Err(format!("nice takes no unit (`{u}`)"));
            }
            if !(-20..=19).contains(&n) {
                return Err("nice is out of range (-20 .. 19)".into());
            }
            Ok((n + 20) as u64)
        }
        _ if n < 0 => Err("negative value".into()),
        RlimitKind::Count => match unit {
            Some(u) => Err(format!("this resource takes no unit (`{u}`)")),
            None => Ok(n as u64),
        },
        RlimitKind::Size => {
            let factor = match unit {
                None => 1,
                Some(u) => unit_factor(SIZE_UNITS, u)
                    .ok_or_else(|| format!("unknown size unit `{u}` (K, KB, M, MB, G, GB)"))?,
            };
            Ok(n.wrapping_mul(factor) as u64)
        }
        RlimitKind::Cpu => time_value(n, unit, 1_000_000, "cpu's minimum is 1s"),
        RlimitKind::Rttime => time_value(n, unit, 1, "rttime's minimum is 1us"),
    }
}

/// A time in units of `base` microseconds.
fn time_value(n: i64, unit: Option<&str>, base: i64, minimum: &str) -> Result<u64, String> {
    let Some(unit) = unit else {
        return Ok(n as u64);
    };
    let factor =
        unit_factor(TIME_UNITS, unit).ok_or_else(|| format!("unknown time unit `{unit}`"))?;
    let micros = n.wrapping_mul(factor);
    if micros < base {
        return Err(minimum.into());
    }
    Ok((micros / base) as u64)
}

fn unit_factor(table: &[(&str, i64)], unit: &str) -> Option<i64> {
    table.iter().find(|(u, _)| *u == unit).map(|(_, f)| *f)
}

/// Splits `-?digits` (or `infinity`) from the unit that may follow,
/// joined or after blanks.
fn split_value(text: &str) -> Result<(&str, &str), String> {
    if let Some(rest) = text.strip_prefix("infinity") {
        return Ok(("infinity", rest.trim_start()));
    }
    let sign = usize::from(text.starts_with('-'));
    let digits = text[sign..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(format!("`{text}` is not a number"));
    }
    let (number, unit) = text.split_at(sign + digits);
    let unit = unit.trim_start();
    if !unit.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(format!("invalid unit `{unit}`"));
    }
    Ok((number, unit))
}

/// `strtoll(text, .., 0)` over `-?digits`: octal after a leading 0 (up to
/// the first non-octal digit), decimal otherwise, saturating.
fn c_strtoll(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (radix, digits) = match digits.strip_prefix('0') {
        Some(rest) => (8, rest),
        None => (10, digits),
    };
    let mut value: i64 = 0;
    for d in digits.bytes() {
        let d = i64::from(d - b'0');
        if d >= radix {
            break;
        }
        value = value.saturating_mul(radix).saturating_add(d);
    }
    if negative {
        // strtoll saturates at i64::MIN; -i64::MAX is as negative as
        // anything the checks below distinguish.
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(resource: &str, text: &str) -> Result<u64, String> {
        rlimit_value(rlimit_index(resource).unwrap(), text)
    }

    /// Values 5.0.2 writes.
    #[test]
    fn values_match_the_reference() {
        let cases = [
            ("nice", "010", 28),
            ("nice", "-010", 12),
            ("nice", "-0", 20),
            ("nice", "09", 20),
            ("nice", "infinity", u64::MAX),
            ("cpu", "0", 0),
            ("cpu", "1000ms", 1),
            ("cpu", "1500ms", 1),
            ("cpu", "1 min", 60),
            ("cpu", "1week", 604_800),
            ("cpu", "18446744073709551616", i64::MAX as u64),
            ("rttime", "0", 0),
            ("rttime", "10 ms", 10_000),
            ("rttime", "1min", 60_000_000),
            ("rss", "10 K", 10_240),
            ("rss", "1 G", 1 << 30),
            ("rss", "010K", 8192),
            ("rss", "-0", 0),
            ("rss", "9223372036854775807K", 18_446_744_073_709_550_592),
            ("nofile", "09", 0),
            ("nofile", "010", 8),
            ("ofile", "5", 5),
            ("fsize", "3G", 3 << 30),
        ];
        for (resource, text, expected) in cases {
            assert_eq!(value(resource, text), Ok(expected), "{resource} <= {text}");
        }
    }

    #[test]
    fn errors_match_the_reference() {
        for (resource, text) in [
            ("cpu", "999ms"),
            ("cpu", "0s"),
            ("cpu", "18446744073709551615s"),
            ("cpu", "1m"),
            ("rttime", "0ms"),
            ("rss", "1T"),
            ("rss", "1k"),
            ("rss", "1Kb"),
            ("rss", "-5"),
            ("nice", "20"),
            ("nice", "-21"),
            ("nice", "5K"),
            ("nofile", "5 K"),
            ("nofile", "-1"),
            ("nofile", ""),
            ("nofile", "+5"),
        ] {
            assert!(value(resource, text).is_err(), "{resource} <= {text}");
        }
    }
}
