//! Regular expressions over bytes: the input of DFA construction.
//!
//! AARE globs (`crate::aare`) and the per-class match strings of the rule
//! encoder are built directly as [`Expr`] trees; no stage goes through
//! textual regex syntax.
//!
//! The node kinds mirror the distinctions that decide the shape of the
//! parser's automaton: a byte set written as a positive class *names* its
//! members, a negated class names the bytes it excludes, and `.` names
//! nothing. A DFA state's default ("otherwise") successor is the successor
//! on a byte that none of the state's positions name (binary-format §3.8)
//! — precisely, the union of what follows its `.`/`[^…]` positions, which
//! stays the default even if every byte happens to be named — so these
//! must stay distinct even where they match the same bytes (`[^a]` is not
//! `[\x00-`b-\xff]`).

/// A set of bytes as a 256-bit bitmap.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    pub const EMPTY: ByteSet = ByteSet([0; 4]);
    pub const FULL: ByteSet = ByteSet([u64::MAX; 4]);

    pub fn single(byte: u8) -> ByteSet {
        let mut set = ByteSet::EMPTY;
        set.insert(byte);
        set
    }

    pub fn insert(&mut self, byte: u8) {
        self.0[usize::from(byte >> 6)] |= 1 << (byte & 63);
    }

    pub fn insert_range(&mut self, low: u8, high: u8) {
        for byte in low..=high {
            self.insert(byte);
        }
    }

    pub fn contains(&self, byte: u8) -> bool {
        self.0[usize::from(byte >> 6)] & (1 << (byte & 63)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|word| word.count_ones() as usize).sum()
    }

    pub fn union(&self, other: &ByteSet) -> ByteSet {
        ByteSet(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    pub fn intersection(&self, other: &ByteSet) -> ByteSet {
        ByteSet(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    pub fn complement(&self) -> ByteSet {
        ByteSet(std::array::from_fn(|i| !self.0[i]))
    }

    /// The members in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        // Scans set bits word by word: DFA construction iterates byte sets
        // per state, so this must not test all 256 bytes.
        self.0.iter().enumerate().flat_map(|(index, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                Some((index as u32 * 64 + bit) as u8)
            })
        })
    }

    /// The smallest member, if any.
    pub fn first(&self) -> Option<u8> {
        self.iter().next()
    }

    /// Whether every member of `self` is in `other`.
    pub fn is_subset(&self, other: &ByteSet) -> bool {
        self.intersection(&other.complement()).is_empty()
    }
}

impl std::fmt::Debug for ByteSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// A regular expression over bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// Matches the empty string.
    Empty,
    /// One literal byte (names it).
    Byte(u8),
    /// One byte from the set (`[...]`; names every member).
    Class(ByteSet),
    /// One byte not in the set (`[^...]`; names the excluded bytes).
    NotClass(ByteSet),
    /// Any one byte (`.`; names nothing).
    Any,
    /// The out-of-band symbol (xattr separator, §2.2); it is not a byte.
    OutOfBand,
    Concat(Vec<Expr>),
    Alt(Vec<Expr>),
    /// Zero or more.
    Star(Box<Expr>),
    /// One or more.
    Plus(Box<Expr>),
    /// Zero or one (`(x|)`).
    Optional(Box<Expr>),
}

impl Expr {
    /// A literal byte string.
    pub fn literal(bytes: &[u8]) -> Expr {
        match bytes {
            [byte] => Expr::Byte(*byte),
            _ => Expr::Concat(bytes.iter().map(|&byte| Expr::Byte(byte)).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_set_operations() {
        let mut set = ByteSet::single(b'/');
        set.insert(0);
        assert!(set.contains(b'/') && set.contains(0) && !set.contains(b'a'));
        assert_eq!(set.len(), 2);
        assert_eq!(set.complement().len(), 254);
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![0, b'/']);
        assert!(set.intersection(&set.complement()).is_empty());
        assert_eq!(set.union(&set.complement()), ByteSet::FULL);
    }
}
