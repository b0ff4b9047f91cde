//! Interning `u32` slices (position sets, bisimulation keys) to dense ids,
//! each slice stored once in one flat arena: no allocation per slice, which
//! dominated construction time when every set was its own `Box`.

use std::hash::Hasher;

use hashbrown::HashTable;

use super::hash::FastHasher;

/// Slices interned to ids `0, 1, 2, …` in order of first insertion.
#[derive(Default)]
pub struct SliceInterner {
    arena: Vec<u32>,
    /// `arena[ends[id - 1]..ends[id]]` is slice `id`.
    ends: Vec<usize>,
    hashes: Vec<u64>,
    table: HashTable<u32>,
}

impl SliceInterner {
    /// The id of `slice`, and whether it was new.
    pub fn intern(&mut self, slice: &[u32]) -> (u32, bool) {
        let hash = hash_slice(slice);
        if let Some(&id) = self.table.find(hash, |&id| self.get(id) == slice) {
            return (id, false);
        }
        let id = self.push_unindexed(slice);
        self.hashes[id as usize] = hash;
        let hashes = &self.hashes;
        self.table
            .insert_unique(hash, id, |&id| hashes[id as usize]);
        (id, true)
    }

    /// Adds a slice that lookups never find (a state distinct from an
    /// equal one).
    pub fn push_unindexed(&mut self, slice: &[u32]) -> u32 {
        self.arena.extend_from_slice(slice);
        self.ends.push(self.arena.len());
        self.hashes.push(0);
        (self.ends.len() - 1) as u32
    }

    /// Slice `id`.
    pub fn get(&self, id: u32) -> &[u32] {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.arena[start..self.ends[id]]
    }

    /// How many slices are held.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

fn hash_slice(slice: &[u32]) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write_usize(slice.len());
    for &value in slice {
        hasher.write_u32(value);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_slices_share_an_id_and_unindexed_ones_do_not() {
        let mut interner = SliceInterner::default();
        assert_eq!(interner.intern(&[]), (0, true));
        assert_eq!(interner.intern(&[1, 2]), (1, true));
        assert_eq!(interner.push_unindexed(&[1, 2]), 2);
        assert_eq!(interner.intern(&[1, 2]), (1, false));
        assert_eq!(interner.intern(&[2]), (3, true));
        assert_eq!(interner.get(1), &[1, 2]);
        assert_eq!(interner.get(0), &[] as &[u32]);
        assert_eq!(interner.len(), 4);
    }
}
