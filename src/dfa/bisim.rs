//! Merging positions with the same future (forward bisimulation) before
//! subset construction.
//!
//! Two positions are merged when they match the same bytes the same way
//! (same leaf) and their followpos sets are equal up to merged positions.
//! Every DFA state of the merged positions is then the image of DFA states
//! of the original ones that are equivalent (same record, equivalent
//! successors, same default), so minimisation yields the same automaton and
//! the same state order — but far fewer unminimised states are created.
//! This plays the role of the parser's tree simplification, which factors
//! common suffixes of its rules.

use std::collections::HashMap;

use super::positions::{Leaf, Positions, sort_dedup};

/// Returns `positions` with bisimilar positions merged. Blocks are
/// numbered by their first position, so accept markers (positions
/// `0..groups`) keep their numbers.
pub fn merge_equivalent(positions: Positions) -> Positions {
    let count = positions.leaves.len();
    let mut block = initial_blocks(&positions.leaves);
    let mut blocks = block.iter().max().map_or(0, |&b| b as usize + 1);
    let mut signature: Vec<u32> = Vec::new();
    loop {
        let mut ids: HashMap<Vec<u32>, u32> = HashMap::with_capacity(blocks * 2);
        let mut next = vec![0u32; count];
        for position in 0..count {
            signature.clear();
            signature.push(block[position]);
            signature.extend(
                positions.follow[position]
                    .iter()
                    .map(|&r| block[r as usize]),
            );
            sort_dedup_tail(&mut signature);
            let fresh = ids.len() as u32;
            next[position] = match ids.get(signature.as_slice()) {
                Some(&id) => id,
                None => {
                    ids.insert(signature.clone(), fresh);
                    fresh
                }
            };
        }
        let stable = ids.len() == blocks;
        blocks = ids.len();
        block = next;
        if stable {
            break;
        }
    }
    quotient(positions, &block, blocks)
}

/// Blocks by leaf alone, numbered by first position.
fn initial_blocks(leaves: &[Leaf]) -> Vec<u32> {
    let mut ids: HashMap<&Leaf, u32> = HashMap::new();
    leaves
        .iter()
        .map(|leaf| {
            let fresh = ids.len() as u32;
            *ids.entry(leaf).or_insert(fresh)
        })
        .collect()
}

/// Sorts and dedups everything after the first element (the own block).
fn sort_dedup_tail(signature: &mut Vec<u32>) {
    let mut tail = signature.split_off(1);
    sort_dedup(&mut tail);
    signature.extend_from_slice(&tail);
}

fn quotient(positions: Positions, block: &[u32], blocks: usize) -> Positions {
    let mut leaves: Vec<Option<Leaf>> = vec![None; blocks];
    let mut follow: Vec<Vec<u32>> = vec![Vec::new(); blocks];
    for (position, (leaf, successors)) in positions
        .leaves
        .into_iter()
        .zip(positions.follow)
        .enumerate()
    {
        let id = block[position] as usize;
        if leaves[id].is_none() {
            follow[id] = successors.iter().map(|&r| block[r as usize]).collect();
            sort_dedup(&mut follow[id]);
            leaves[id] = Some(leaf);
        }
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
