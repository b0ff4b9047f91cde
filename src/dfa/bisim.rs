//! Merging positions before subset construction: those with the same
//! future (forward bisimulation), then those with the same past (backward
//! bisimulation).
//!
//! Positions with the same leaf that are reached by exactly the same
//! inputs (backward bisimilar, e.g. the `**` loops of many rules with one
//! prefix) are in the same DFA states, so merging them changes nothing but
//! the size of every state's position set.
//!
//! Two positions are merged when they match the same bytes the same way
//! (same leaf) and their followpos sets are equal up to merged positions.
//! Every DFA state of the merged positions is then the image of DFA states
//! of the original ones that are equivalent (same record, equivalent
//! successors, same default), so minimisation yields the same automaton and
//! the same state order — but far fewer unminimised states are created.
//! This plays the role of the parser's tree simplification, which factors
//! common suffixes of its rules.

use super::hash::FastMap;
use super::hashcons::{FlatAdjacency, bisimilar_classes};

use super::positions::{Leaf, Positions, sort_dedup};

/// Returns `positions` with forward- and then backward-bisimilar positions
/// merged. Blocks are numbered by their first position, so accept markers
/// (positions `0..groups`) keep their numbers.
pub fn merge_equivalent(positions: Positions) -> Positions {
    // Forward first: merging pasts first unions followpos sets and leaves
    // fewer futures equal.
    let initial = initial_blocks(&positions.leaves, None);
    let (block, blocks) = bisimilar_classes(positions.follow.as_slice(), &initial);
    merge_same_past(quotient(positions, &block, blocks, Members::SameFuture))
}

/// Merges positions with the same leaf, the same start membership and
/// equivalent predecessors.
fn merge_same_past(positions: Positions) -> Positions {
    let count = positions.leaves.len();
    let predecessors = FlatAdjacency::reverse_of(&positions.follow);
    let mut in_start = vec![false; count];
    for &position in &positions.start {
        in_start[position as usize] = true;
    }
    let initial = initial_blocks(&positions.leaves, Some(&in_start));
    let (block, blocks) = bisimilar_classes(&predecessors, &initial);
    quotient(positions, &block, blocks, Members::SamePast)
}

/// What the positions merged into one block have in common.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Members {
    /// Equal followpos images: the first member's stands for all.
    SameFuture,
    /// Equal pasts: the block follows the union of its members.
    SamePast,
}

/// Blocks by leaf (and start membership, if given), numbered by first
/// position.
fn initial_blocks(leaves: &[Leaf], in_start: Option<&[bool]>) -> Vec<u32> {
    let mut ids: FastMap<(&Leaf, bool), u32> = FastMap::default();
    leaves
        .iter()
        .enumerate()
        .map(|(position, leaf)| {
            let fresh = ids.len() as u32;
            let starts = in_start.is_some_and(|starts| starts[position]);
            *ids.entry((leaf, starts)).or_insert(fresh)
        })
        .collect()
}

fn quotient(positions: Positions, block: &[u32], blocks: usize, members: Members) -> Positions {
    let mut leaves: Vec<Option<Leaf>> = vec![None; blocks];
    let mut follow: Vec<Vec<u32>> = vec![Vec::new(); blocks];
    for (position, (leaf, mut successors)) in positions
        .leaves
        .into_iter()
        .zip(positions.follow)
        .enumerate()
    {
        let id = block[position] as usize;
        if leaves[id].is_none() {
            // The first member's list is reused for the block.
            leaves[id] = Some(leaf);
            successors
                .iter_mut()
                .for_each(|next| *next = block[*next as usize]);
            follow[id] = successors;
        } else if members == Members::SamePast {
            follow[id].extend(successors.iter().map(|&r| block[r as usize]));
        }
    }
    for set in &mut follow {
        sort_dedup(set);
    }
    let mut start: Vec<u32> = positions.start.iter().map(|&p| block[p as usize]).collect();
    sort_dedup(&mut start);
    Positions {
        leaves: leaves
            .into_iter()
            .map(|leaf| leaf.expect("every block has a first position"))
            .collect(),
        follow,
        start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Expr;

    #[test]
    fn common_suffixes_merge() {
        // a·x and b·x in one group: the two x positions share a future.
        let ax = Expr::literal(b"ax");
        let bx = Expr::literal(b"bx");
        let positions = Positions::new([(&ax, 0), (&bx, 0)], 1);
        assert_eq!(positions.leaves.len(), 5);
        let merged = merge_equivalent(positions);
        assert_eq!(merged.leaves.len(), 4);
        assert_eq!(merged.leaves[0], Leaf::Accept { group: 0 });
        assert_eq!(merged.start.len(), 2);
        assert_eq!(merged.follow[1], merged.follow[merged.start[1] as usize]);
    }

    #[test]
    fn different_groups_stay_apart() {
        let ax = Expr::literal(b"ax");
        let bx = Expr::literal(b"bx");
        let positions = Positions::new([(&ax, 0), (&bx, 1)], 2);
        let merged = merge_equivalent(positions);
        assert_eq!(merged.leaves.len(), 6);
    }
}
