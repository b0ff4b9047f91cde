//! `set rlimit` rules to the profile's rlimits record (§2.7). How a value
//! reads is [`crate::model::rlimit`], shared with the checker.

use super::error::EncodeError;
use crate::model::RlimitRule;

use crate::model::rlimit::rlimit_value;
pub use crate::model::rlimit::{RLIMIT_COUNT, rlimit_index, rlimit_name};

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
        self.values[index] =
            rlimit_value(index, &rule.value).map_err(|reason| EncodeError::RlimitValue {
                name: rule.resource.clone(),
                value: rule.value.clone(),
                reason,
            })?;
        self.mask |= 1 << index;
        Ok(())
    }

    /// Whether the record is written at all.
    pub fn is_empty(&self) -> bool {
        self.mask == 0
    }
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
