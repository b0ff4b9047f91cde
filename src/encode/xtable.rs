//! The profile's exec-transition name table (§2.10).

use thiserror::Error;

/// Slots 0–3 are fixed exec indices; named targets use 4..16.
pub const FIRST_NAMED_SLOT: u32 = 4;
/// The exec index has 4 bits.
pub const SLOT_COUNT: u32 = 16;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum XTableError {
    #[error(
        "too many named exec transitions: at most {} targets, `{name}` would be the {}th",
        SLOT_COUNT - FIRST_NAMED_SLOT,
        SLOT_COUNT - FIRST_NAMED_SLOT + 1
    )]
    Full { name: String },
}

/// Named transition targets in slot order (slot = index + 4). Guarantees at
/// most 12 entries and no duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XTable {
    names: Vec<String>,
}

impl XTable {
    /// The slot of `name`, adding it if new.
    pub fn slot(&mut self, name: &str) -> Result<u32, XTableError> {
        if let Some(index) = self.names.iter().position(|known| known == name) {
            return Ok(FIRST_NAMED_SLOT + index as u32);
        }
        if self.names.len() as u32 >= SLOT_COUNT - FIRST_NAMED_SLOT {
            return Err(XTableError::Full {
                name: name.to_owned(),
            });
        }
        self.names.push(name.to_owned());
        Ok(FIRST_NAMED_SLOT + self.names.len() as u32 - 1)
    }

    /// The target names, slot 4 first.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The entries as serialized (without the STRING framing, each without
    /// its terminating NUL): a `:ns:name` entry has its second `:` replaced
    /// by NUL so the kernel can split namespace and name.
    pub fn entries(&self) -> Vec<Vec<u8>> {
        self.names.iter().map(|name| entry_bytes(name)).collect()
    }
}

fn entry_bytes(name: &str) -> Vec<u8> {
    let mut bytes = name.as_bytes().to_vec();
    if bytes.first() == Some(&b':')
        && let Some(second) = bytes[1..].iter().position(|&b| b == b':')
    {
        bytes[second + 1] = 0;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_in_first_use_order_with_reuse() {
        let mut table = XTable::default();
        assert_eq!(table.slot("bar"), Ok(4));
        assert_eq!(table.slot("t//foo"), Ok(5));
        assert_eq!(table.slot("bar"), Ok(4));
        assert_eq!(table.names(), ["bar", "t//foo"]);
    }

    #[test]
    fn at_most_twelve() {
        let mut table = XTable::default();
        for n in 0..12 {
            assert_eq!(table.slot(&format!("p{n}")), Ok(4 + n));
        }
        assert!(matches!(table.slot("p12"), Err(XTableError::Full { .. })));
        assert_eq!(table.slot("p3"), Ok(7));
    }

    #[test]
    fn namespace_entries_split_with_nul() {
        let mut table = XTable::default();
        table.slot(":ns:name").unwrap();
        table.slot("plain:colon").unwrap();
        assert_eq!(
            table.entries(),
            vec![b":ns\0name".to_vec(), b"plain:colon".to_vec()]
        );
    }
}
