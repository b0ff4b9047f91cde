//! The positions of the combined rule expression and their followpos sets
//! (Aho–Sethi–Ullman), the raw material of subset construction.
//!
//! The combined expression is `(e₀·#₀) | (e₁·#₁) | …` where `#ᵢ` is the
//! accept marker of rule i's group.

use crate::expr::{ByteSet, Expr};
use smallvec::{SmallVec, smallvec};

/// firstpos/lastpos lists: most are one or two positions, so they live
/// inline (two allocations per leaf were a tenth of construction time).
type PositionList = SmallVec<[u32; 4]>;

/// What one position (a leaf of the combined expression) matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Leaf {
    /// One byte from `matches`. `wildcard` is set for `.` and `[^…]`: they
    /// name no byte they match, so they feed the state's default successor.
    Bytes { matches: ByteSet, wildcard: bool },
    /// The out-of-band symbol.
    Oob,
    /// The accept marker of accept group `group` (matches nothing).
    Accept { group: u32 },
}

/// Positions and followpos of a rule set.
#[derive(Debug, Default)]
pub struct Positions {
    pub leaves: Vec<Leaf>,
    /// Sorted, duplicate-free followpos set of each position.
    pub follow: Vec<Vec<u32>>,
    /// Sorted firstpos of the whole expression: the start state.
    pub start: Vec<u32>,
}

/// nullable / firstpos / lastpos of a subexpression.
struct Summary {
    nullable: bool,
    first: PositionList,
    last: PositionList,
}

impl Positions {
    /// Flattens rules given as (expression, accept group) pairs. Positions
    /// `0..groups` are the groups' accept markers: rules of one group share
    /// one marker (as the parser's rules with equal permissions do), so
    /// ascending accept positions are in group order.
    pub fn new<'a>(rules: impl IntoIterator<Item = (&'a Expr, u32)>, groups: u32) -> Positions {
        let mut positions = Positions::default();
        for group in 0..groups {
            positions.leaf(Leaf::Accept { group });
        }
        let mut start = Vec::new();
        for (expr, group) in rules {
            let body = positions.summarize(expr);
            positions.link(&body.last, &[group]);
            start.extend_from_slice(&body.first);
            if body.nullable {
                start.push(group);
            }
        }
        sort_dedup(&mut start);
        positions.start = start;
        for set in &mut positions.follow {
            sort_dedup(set);
        }
        positions
    }

    fn leaf(&mut self, leaf: Leaf) -> Summary {
        let position = self.leaves.len() as u32;
        self.leaves.push(leaf);
        self.follow.push(Vec::new());
        Summary {
            nullable: false,
            first: smallvec![position],
            last: smallvec![position],
        }
    }

    /// followpos(p) ⊇ `to` for every p in `from`.
    fn link(&mut self, from: &[u32], to: &[u32]) {
        for &position in from {
            self.follow[position as usize].extend_from_slice(to);
        }
    }

    fn summarize(&mut self, expr: &Expr) -> Summary {
        match expr {
            Expr::Empty => Summary {
                nullable: true,
                first: PositionList::new(),
                last: PositionList::new(),
            },
            Expr::Byte(byte) => self.leaf(Leaf::Bytes {
                matches: ByteSet::single(*byte),
                wildcard: false,
            }),
            Expr::Class(set) => self.leaf(Leaf::Bytes {
                matches: *set,
                wildcard: false,
            }),
            Expr::NotClass(set) => self.leaf(Leaf::Bytes {
                matches: set.complement(),
                wildcard: true,
            }),
            Expr::Any => self.leaf(Leaf::Bytes {
                matches: ByteSet::FULL,
                wildcard: true,
            }),
            Expr::OutOfBand => self.leaf(Leaf::Oob),
            Expr::Concat(items) => {
                let mut whole = Summary {
                    nullable: true,
                    first: PositionList::new(),
                    last: PositionList::new(),
                };
                for item in items {
                    let part = self.summarize(item);
                    self.link(&whole.last, &part.first);
                    if whole.nullable {
                        whole.first.extend_from_slice(&part.first);
                    }
                    if part.nullable {
                        whole.last.extend_from_slice(&part.last);
                    } else {
                        whole.last = part.last;
                    }
                    whole.nullable &= part.nullable;
                }
                sort_dedup_list(&mut whole.first);
                sort_dedup_list(&mut whole.last);
                whole
            }
            Expr::Alt(items) => {
                // `Alt([])` is read as `()`, the empty string.
                let mut whole = Summary {
                    nullable: items.is_empty(),
                    first: PositionList::new(),
                    last: PositionList::new(),
                };
                for item in items {
                    let part = self.summarize(item);
                    whole.nullable |= part.nullable;
                    whole.first.extend_from_slice(&part.first);
                    whole.last.extend_from_slice(&part.last);
                }
                sort_dedup_list(&mut whole.first);
                sort_dedup_list(&mut whole.last);
                whole
            }
            Expr::Star(inner) => {
                let mut part = self.summarize(inner);
                self.link(&part.last, &part.first);
                part.nullable = true;
                part
            }
            Expr::Plus(inner) => {
                let part = self.summarize(inner);
                self.link(&part.last, &part.first);
                part
            }
            Expr::Optional(inner) => {
                let mut part = self.summarize(inner);
                part.nullable = true;
                part
            }
        }
    }
}

pub fn sort_dedup(set: &mut Vec<u32>) {
    set.sort_unstable();
    set.dedup();
}

fn sort_dedup_list(list: &mut PositionList) {
    list.sort_unstable();
    list.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn followpos_of_concat_and_star() {
        // a·b*·c then accept: positions #=0 a=1 b=2 c=3
        let expr = Expr::Concat(vec![
            Expr::Byte(b'a'),
            Expr::Star(Box::new(Expr::Byte(b'b'))),
            Expr::Byte(b'c'),
        ]);
        let positions = Positions::new([(&expr, 0)], 1);
        assert_eq!(positions.start, vec![1]);
        assert_eq!(positions.follow[1], vec![2, 3]);
        assert_eq!(positions.follow[2], vec![2, 3]);
        assert_eq!(positions.follow[3], vec![0]);
        assert_eq!(positions.leaves[0], Leaf::Accept { group: 0 });
    }

    #[test]
    fn nullable_rule_puts_accept_in_start() {
        let expr = Expr::Optional(Box::new(Expr::Byte(b'x')));
        // Groups 0 and 1 are positions 0 and 1; x = 2, y = 3.
        let positions = Positions::new([(&expr, 0), (&Expr::Byte(b'y'), 1)], 2);
        assert_eq!(positions.start, vec![0, 2, 3]);
    }
}
