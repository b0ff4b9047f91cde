//! `set rlimit` rules to the profile's rlimits record (§2.7). Units and
//! ranges as apparmor.d(5) documents them, checked against the 4.1 parser.

use super::error::EncodeError;
use crate::model::RlimitRule;

/// Number of rlimits on Linux (the array length written).
pub const RLIMIT_COUNT: usize = 16;

/// Resource names in rlimit-number order (`ofile` is an alias of nofile).
const RLIMIT_NAMES: [&str; RLIMIT_COUNT] = [
    "cpu",
    "fsize",
    "data",
    "stack",
    "core",
    "rss",
    "nproc",
    "nofile",
    "memlock",
    "as",
    "locks",
    "sigpending",
    "msgqueue",
    "nice",
    "rtprio",
    "rttime",
];

/// The set limits: `mask` bit r set ⇔ `values[r]` was specified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rlimits {
    pub mask: u32,
    pub values: [u64; RLIMIT_COUNT],
}

impl Rlimits {
    /// Applies a rule; a later rule for the same resource overrides.
    pub fn add(&mut self, rule: &RlimitRule) -> Result<(), EncodeError> {
        let index = rlimit_index(&rule.resource).ok_or_else(|| EncodeError::UnknownRlimit {
            name: rule.resource.clone(),
        })?;
        self.values[index] = parse_value(index, &rule.resource, rule.value.trim())?;
        self.mask |= 1 << index;
        Ok(())
    }

    /// Whether the record is written at all.
    pub fn is_empty(&self) -> bool {
        self.mask == 0
    }
}

/// The rlimit number of a resource name.
/// The name of rlimit `index` (`nofile` for 7), if any.
pub fn rlimit_name(index: usize) -> Option<&'static str> {
    RLIMIT_NAMES.get(index).copied()
}

pub fn rlimit_index(name: &str) -> Option<usize> {
    if name == "ofile" {
        return Some(7);
    }
    RLIMIT_NAMES.iter().position(|&known| known == name)
}

/// Which kind of value a resource takes.
enum Kind {
    Size,
    Count,
    /// Seconds (cpu) or microseconds (rttime), from a time with a unit.
    Time {
        base_us: u64,
    },
    Nice,
}

fn kind(index: usize) -> Kind {
    match index {
        0 => Kind::Time { base_us: 1_000_000 },
        15 => Kind::Time { base_us: 1 },
        13 => Kind::Nice,
        1 | 2 | 3 | 4 | 5 | 8 | 9 | 12 => Kind::Size,
        _ => Kind::Count,
    }
}

fn parse_value(index: usize, name: &str, value: &str) -> Result<u64, EncodeError> {
    let bad = |reason| EncodeError::RlimitValue {
        name: name.to_owned(),
        value: value.to_owned(),
        reason,
    };
    if value == "infinity" {
        return Ok(u64::MAX);
    }
    let kind = kind(index);
    if let Kind::Nice = kind {
        let nice: i64 = value.parse().map_err(|_| bad("not a number"))?;
        if !(-20..=19).contains(&nice) {
            return Err(bad("out of range (-20 .. 19)"));
        }
        // Stored as 20 + nice, as the parser writes it.
        return Ok((20 + nice) as u64);
    }
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(bad("not a number"));
    }
    let number = parse_number(&value[..digits]).ok_or_else(|| bad("number too large"))?;
    let unit = &value[digits..];
    let scale = match kind {
        Kind::Count | Kind::Nice if unit.is_empty() => 1,
        Kind::Count | Kind::Nice => return Err(bad("no unit allowed")),
        Kind::Size => match unit {
            "" => 1,
            "K" | "KB" => 1 << 10,
            "M" | "MB" => 1 << 20,
            "G" | "GB" => 1 << 30,
            _ => return Err(bad("unknown size unit (K, KB, M, MB, G, GB)")),
        },
        Kind::Time { base_us } => {
            let unit_us = if unit.is_empty() {
                base_us
            } else {
                time_unit_us(unit).ok_or_else(|| bad("unknown time unit"))?
            };
            let micros = number
                .checked_mul(unit_us)
                .ok_or_else(|| bad("value too large"))?;
            let converted = micros / base_us;
            if converted == 0 {
                return Err(bad("below the minimum of one unit (1s for cpu)"));
            }
            return Ok(converted);
        }
    };
    number
        .checked_mul(scale)
        .ok_or_else(|| bad("value too large"))
}

/// Decimal, or octal with a leading zero (the parser uses strtoll base 0).
fn parse_number(digits: &str) -> Option<u64> {
    if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse().ok()
    }
}

fn time_unit_us(unit: &str) -> Option<u64> {
    Some(match unit {
        "us" | "microsecond" | "microseconds" => 1,
        "ms" | "millisecond" | "milliseconds" => 1_000,
        "s" | "sec" | "second" | "seconds" => 1_000_000,
        "min" | "minute" | "minutes" => 60_000_000,
        "h" | "hour" | "hours" => 3_600_000_000,
        "d" | "day" | "days" => 86_400_000_000,
        "week" | "weeks" => 604_800_000_000,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(resource: &str, value: &str) -> Result<u64, EncodeError> {
        let mut limits = Rlimits::default();
        limits.add(&RlimitRule {
            resource: resource.to_owned(),
            value: value.to_owned(),
        })?;
        let index = rlimit_index(resource).unwrap();
        assert_eq!(limits.mask, 1 << index);
        Ok(limits.values[index])
    }

    #[test]
    fn spec_example() {
        let mut limits = Rlimits::default();
        limits
            .add(&RlimitRule {
                resource: "nofile".to_owned(),
                value: "1024".to_owned(),
            })
            .unwrap();
        assert_eq!(limits.mask, 0x80);
        assert_eq!(limits.values[7], 1024);
    }

    /// Values observed from the 4.1 parser.
    #[test]
    fn values_match_the_parser() {
        let cases = [
            ("fsize", "1K", 1024),
            ("fsize", "1KB", 1024),
            ("fsize", "2M", 2 << 20),
            ("fsize", "3G", 3 << 30),
            ("fsize", "010", 8),
            ("msgqueue", "1GB", 1 << 30),
            ("data", "infinity", u64::MAX),
            ("cpu", "1", 1),
            ("cpu", "2minutes", 120),
            ("cpu", "1h", 3600),
            ("cpu", "1500ms", 1),
            ("cpu", "1week", 604_800),
            ("rttime", "1", 1),
            ("rttime", "1ms", 1000),
            ("rttime", "2s", 2_000_000),
            ("nice", "-5", 15),
            ("nice", "19", 39),
            ("nice", "-20", 0),
            ("ofile", "5", 5),
            ("rtprio", "5", 5),
        ];
        for (resource, text, expected) in cases {
            assert_eq!(value(resource, text), Ok(expected), "{resource} <= {text}");
        }
    }

    #[test]
    fn invalid_values() {
        for (resource, text) in [
            ("cpu", "1ms"),
            ("cpu", "1m"),
            ("nofile", "1K"),
            ("fsize", "1T"),
            ("stack", "1k"),
            ("nice", "20"),
            ("nice", "-21"),
            ("locks", "1w"),
            ("nofile", ""),
        ] {
            assert!(
                matches!(value(resource, text), Err(EncodeError::RlimitValue { .. })),
                "{resource} <= {text}"
            );
        }
        assert!(matches!(
            value("bogus", "1"),
            Err(EncodeError::UnknownRlimit { .. })
        ));
    }
}
