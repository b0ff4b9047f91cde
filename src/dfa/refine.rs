//! A refinable partition (Valmari–Lehtinen): sets of elements that can be
//! split by marking elements, in time proportional to the marked ones.

/// A partition of `0..n` into numbered sets.
///
/// Invariant: the elements of set `s` are `elems[first[s]..past[s]]`, and
/// the first `marked[s]` of them are marked.
pub struct Partition {
    elems: Vec<u32>,
    location: Vec<u32>,
    set_of: Vec<u32>,
    first: Vec<u32>,
    past: Vec<u32>,
    marked: Vec<u32>,
    touched: Vec<u32>,
}

impl Partition {
    /// The partition whose set `k` holds the elements with `block_of[e] ==
    /// k`; `count` = number of sets (each must be non-empty).
    pub fn from_blocks(block_of: &[u32], count: usize) -> Partition {
        let mut sizes = vec![0u32; count + 1];
        for &block in block_of {
            sizes[block as usize + 1] += 1;
        }
        for index in 1..sizes.len() {
            sizes[index] += sizes[index - 1];
        }
        let first: Vec<u32> = sizes[..count].to_vec();
        let past: Vec<u32> = sizes[1..].to_vec();
        let mut fill = first.clone();
        let mut elems = vec![0; block_of.len()];
        let mut location = vec![0; block_of.len()];
        for (element, &block) in block_of.iter().enumerate() {
            let slot = fill[block as usize];
            fill[block as usize] += 1;
            elems[slot as usize] = element as u32;
            location[element] = slot;
        }
        Partition {
            elems,
            location,
            set_of: block_of.to_vec(),
            first,
            past,
            marked: vec![0; count],
            touched: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.first.len()
    }

    pub fn set_of(&self, element: u32) -> u32 {
        self.set_of[element as usize]
    }

    /// The elements of set `set`.
    pub fn members(&self, set: u32) -> &[u32] {
        &self.elems[self.first[set as usize] as usize..self.past[set as usize] as usize]
    }

    pub fn mark(&mut self, element: u32) {
        let set = self.set_of[element as usize] as usize;
        let at = self.location[element as usize];
        let boundary = self.first[set] + self.marked[set];
        if at < boundary {
            return;
        }
        let other = self.elems[boundary as usize];
        self.elems[at as usize] = other;
        self.location[other as usize] = at;
        self.elems[boundary as usize] = element;
        self.location[element as usize] = boundary;
        if self.marked[set] == 0 {
            self.touched.push(set as u32);
        }
        self.marked[set] += 1;
    }

    /// Splits every set with marked elements into marked and unmarked
    /// parts; the smaller part becomes a new set (numbered last).
    /// `on_split(old, new)` is called for each set split.
    pub fn split(&mut self, mut on_split: impl FnMut(u32, u32)) {
        while let Some(set) = self.touched.pop() {
            let set = set as usize;
            let boundary = self.first[set] + self.marked[set];
            self.marked[set] = 0;
            if boundary == self.past[set] {
                continue;
            }
            let new = self.first.len();
            if boundary - self.first[set] <= self.past[set] - boundary {
                self.first.push(self.first[set]);
                self.past.push(boundary);
                self.first[set] = boundary;
            } else {
                self.first.push(boundary);
                self.past.push(self.past[set]);
                self.past[set] = boundary;
            }
            self.marked.push(0);
            for index in self.first[new]..self.past[new] {
                self.set_of[self.elems[index as usize] as usize] = new as u32;
            }
            on_split(set as u32, new as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_moves_smaller_part() {
        let mut partition = Partition::from_blocks(&[0, 0, 0, 1], 2);
        partition.mark(2);
        let mut splits = Vec::new();
        partition.split(|old, new| splits.push((old, new)));
        assert_eq!(splits, vec![(0, 2)]);
        assert_eq!(partition.len(), 3);
        assert_eq!(partition.members(2), &[2]);
        assert_eq!(partition.set_of(2), 2);
        let mut rest = partition.members(0).to_vec();
        rest.sort();
        assert_eq!(rest, vec![0, 1]);
        // Marking a whole set splits nothing.
        partition.mark(3);
        partition.split(|_, _| panic!("a whole set does not split"));
        assert_eq!(partition.len(), 3);
    }
}
