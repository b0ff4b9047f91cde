//! The subset construction's output: an automaton over byte classes, kept
//! compact because it is the largest structure of a compilation (tens of
//! thousands of states for a big profile, before minimisation merges them).
//!
//! Each state stores its record, its default successor, its out-of-band
//! successor and only the byte classes whose successor differs from the
//! default, all states' in one arena (no allocation per state).

use crate::expr::ByteSet;

/// An unminimised automaton in the parser's state-list order: state 0 is
/// the nonmatching state (empty position set), state 1 the start.
///
/// Guarantees: every successor is a valid state number; each state's
/// explicit transitions are strictly ascending by class and none equals the
/// state's default; every state's byte transitions are uniform on each of
/// [`classes`](Self::classes).
#[derive(Debug)]
pub struct Unminimized<R> {
    /// Each state's record.
    pub records: Vec<R>,
    defaults: Vec<u32>,
    /// Out-of-band successor; 0 when the state has none.
    oob: Vec<u32>,
    /// State `s`'s explicit transitions are `explicit[offsets[s]..offsets[s + 1]]`.
    offsets: Vec<u32>,
    explicit_classes: Vec<u8>,
    explicit_targets: Vec<u32>,
    /// Byte classes, numbered in order of their smallest byte.
    pub classes: Vec<ByteSet>,
}

impl<R> Unminimized<R> {
    /// An automaton with no states yet over `classes`.
    pub fn new(classes: Vec<ByteSet>) -> Self {
        Unminimized {
            records: Vec::new(),
            defaults: Vec::new(),
            oob: Vec::new(),
            offsets: vec![0],
            explicit_classes: Vec::new(),
            explicit_targets: Vec::new(),
            classes,
        }
    }

    /// Appends a state; `explicit` holds (class, successor) pairs ascending
    /// by class, each different from `default`.
    pub fn push(&mut self, record: R, default: u32, oob: Option<u32>, explicit: &[(u8, u32)]) {
        debug_assert!(explicit.windows(2).all(|pair| pair[0].0 < pair[1].0));
        debug_assert!(explicit.iter().all(|&(_, target)| target != default));
        self.records.push(record);
        self.defaults.push(default);
        self.oob.push(oob.unwrap_or(0));
        for &(class, target) in explicit {
            self.explicit_classes.push(class);
            self.explicit_targets.push(target);
        }
        self.offsets.push(self.explicit_targets.len() as u32);
    }

    /// Releases the arenas' spare capacity (construction is done).
    pub fn shrink_to_fit(&mut self) {
        self.records.shrink_to_fit();
        self.defaults.shrink_to_fit();
        self.oob.shrink_to_fit();
        self.offsets.shrink_to_fit();
        self.explicit_classes.shrink_to_fit();
        self.explicit_targets.shrink_to_fit();
    }

    /// The number of states.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are no states (never true of a built automaton).
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The default successor of `state`.
    pub fn default(&self, state: u32) -> u32 {
        self.defaults[state as usize]
    }

    /// The out-of-band successor of `state`, if it has one.
    pub fn oob(&self, state: u32) -> Option<u32> {
        Some(self.oob[state as usize]).filter(|&target| target != 0)
    }

    /// The explicit (class, successor) pairs of `state`, ascending by class.
    pub fn explicit(&self, state: u32) -> impl Iterator<Item = (u8, u32)> + '_ {
        let range =
            self.offsets[state as usize] as usize..self.offsets[state as usize + 1] as usize;
        self.explicit_classes[range.clone()]
            .iter()
            .copied()
            .zip(self.explicit_targets[range].iter().copied())
    }

    /// Whether `state` has an explicit transition on `class`.
    pub fn has_explicit(&self, state: u32, class: u8) -> bool {
        let range =
            self.offsets[state as usize] as usize..self.offsets[state as usize + 1] as usize;
        self.explicit_classes[range].binary_search(&class).is_ok()
    }

    /// The successor of `state` on every class, in class order, written to
    /// `successors` (cleared first).
    pub fn successors_into(&self, state: u32, successors: &mut Vec<u32>) {
        successors.clear();
        successors.resize(self.classes.len(), self.defaults[state as usize]);
        for (class, target) in self.explicit(state) {
            successors[usize::from(class)] = target;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_states_compactly_and_answers_successors() {
        let classes = vec![ByteSet::single(b'a'), ByteSet::single(b'b'), ByteSet::EMPTY];
        let mut automaton = Unminimized::new(classes);
        automaton.push("none", 0, None, &[]);
        automaton.push("start", 0, Some(2), &[(1, 2)]);
        automaton.push("end", 2, None, &[(0, 1), (2, 0)]);
        assert_eq!(automaton.len(), 3);
        assert_eq!(automaton.oob(1), Some(2));
        assert_eq!(automaton.oob(2), None);
        assert_eq!(
            automaton.explicit(2).collect::<Vec<_>>(),
            vec![(0, 1), (2, 0)]
        );
        let mut successors = Vec::new();
        automaton.successors_into(1, &mut successors);
        assert_eq!(successors, vec![0, 2, 0]);
        automaton.successors_into(2, &mut successors);
        assert_eq!(successors, vec![1, 2, 0]);
    }
}
