//! Byte classes: the coarsest partition of 0..=255 in which every position
//! either matches all bytes of a class or none, so successors are computed
//! once per class instead of once per byte.

use std::collections::HashMap;

use crate::expr::ByteSet;

use super::positions::Leaf;

/// The byte classes of a rule set and, per position, the classes it
/// matches. Class ids are < 256 so a set of classes is a [`ByteSet`].
#[derive(Debug)]
pub struct Classes {
    /// The bytes of each class, ascending; classes are numbered in order of
    /// their smallest byte.
    pub members: Vec<ByteSet>,
    /// Per position: the classes it matches (empty for non-byte leaves).
    pub matched: Vec<ByteSet>,
}

impl Classes {
    pub fn new(leaves: &[Leaf]) -> Classes {
        let mut distinct: Vec<ByteSet> = leaves
            .iter()
            .filter_map(|leaf| match leaf {
                Leaf::Bytes { matches, .. } => Some(*matches),
                _ => None,
            })
            .collect();
        distinct.sort_unstable();
        distinct.dedup();

        let mut class_of = [0u16; 256];
        for set in &distinct {
            // Split every class by membership in `set`.
            let mut renumber: HashMap<(u16, bool), u16> = HashMap::new();
            for byte in 0..=255u8 {
                let key = (class_of[usize::from(byte)], set.contains(byte));
                let next = renumber.len() as u16;
                class_of[usize::from(byte)] = *renumber.entry(key).or_insert(next);
            }
        }
        // Renumbering above assigns ids in order of first byte already, but
        // make that explicit for readers of `members`.
        let mut order: HashMap<u16, u8> = HashMap::new();
        let mut members = Vec::new();
        let mut final_class = [0u8; 256];
        for byte in 0..=255u8 {
            let raw = class_of[usize::from(byte)];
            let id = *order.entry(raw).or_insert_with(|| {
                members.push(ByteSet::EMPTY);
                (members.len() - 1) as u8
            });
            final_class[usize::from(byte)] = id;
            members[usize::from(id)].insert(byte);
        }
        let matched = leaves
            .iter()
            .map(|leaf| match leaf {
                Leaf::Bytes { matches, .. } => {
                    let mut classes = ByteSet::EMPTY;
                    for byte in matches.iter() {
                        classes.insert(final_class[usize::from(byte)]);
                    }
                    classes
                }
                _ => ByteSet::EMPTY,
            })
            .collect();
        Classes { members, matched }
    }

    /// Every class id as a set.
    pub fn all(&self) -> ByteSet {
        let mut all = ByteSet::EMPTY;
        for id in 0..self.members.len() {
            all.insert(id as u8);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_split_by_every_set() {
        let mut slash_nul = ByteSet::single(b'/');
        slash_nul.insert(0);
        let leaves = vec![
            Leaf::Bytes {
                matches: ByteSet::single(b'a'),
                wildcard: false,
            },
            Leaf::Bytes {
                matches: slash_nul.complement(),
                wildcard: true,
            },
            Leaf::Accept { group: 0 },
        ];
        let classes = Classes::new(&leaves);
        // {0,'/'}, {'a'}, everything else.
        assert_eq!(classes.members.len(), 3);
        let class_of = |byte: u8| classes.members.iter().position(|m| m.contains(byte));
        assert_eq!(class_of(0), class_of(b'/'));
        assert_ne!(class_of(1), class_of(b'a'));
        assert_eq!(classes.matched[0].len(), 1);
        assert_eq!(classes.matched[1].len(), 2);
        assert!(classes.matched[2].is_empty());
    }
}
