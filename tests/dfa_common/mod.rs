//! Test-only helpers shared by the DFA integration tests: a
//! packed-permission test record, and thin wrappers over the library's
//! glob converter and blob reader.

#![allow(dead_code)]

pub mod oracle;
pub mod regex;

use aaprof::dfa::Accept;
use aaprof::expr::Expr;

/// Packed ACCEPT/ACCEPT2 words; records combine by OR, which is what the
/// parser does for allow/audit rules without exec modes or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Packed {
    pub accept: u32,
    pub accept2: u32,
}

impl Accept for Packed {
    type Error = std::convert::Infallible;

    fn none() -> Self {
        Packed::default()
    }

    fn combine(accepting: &[&Self]) -> Result<Self, Self::Error> {
        Ok(accepting.iter().fold(Packed::default(), |all, one| Packed {
            accept: all.accept | one.accept,
            accept2: all.accept2 | one.accept2,
        }))
    }
}

/// The packed record of a file rule with the given letters (r w a l k m),
/// `owner` and `audit` qualifiers (§4.1).
pub fn file_perms(letters: &str, owner: bool, audit: bool) -> Packed {
    let mut half = 0u32;
    for letter in letters.chars() {
        half |= match letter {
            'r' => 0x4,
            'w' => 0xA,
            'a' => 0x8,
            'l' => 0x10,
            'k' => 0x20,
            'm' => 0x40,
            other => panic!("test helper does not know permission {other}"),
        };
    }
    let accept = if owner { half } else { half | half << 14 };
    let accept2 = if audit { accept & 0x1F_C07F } else { 0 };
    Packed { accept, accept2 }
}

/// Converts a file-rule path glob with the real converter (`src/aare`:
/// slash filtering, default glob style).
pub fn glob(pattern: &str) -> Expr {
    aaprof::aare::convert_path(pattern)
        .unwrap_or_else(|e| panic!("test glob {pattern}: {e}"))
        .expr
}

/// The file DFA (the last DFA of the last record) of a blob.
pub fn last_dfa(blob: &[u8]) -> Option<Vec<u8>> {
    let records = aaprof::blob::read_records(blob).ok()?;
    Some(records.last()?.file.as_ref()?.dfa.clone())
}
