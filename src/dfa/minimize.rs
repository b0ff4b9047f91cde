//! Minimisation (binary-format §3.8 step 6) by Hopcroft's partition
//! refinement over byte classes, O(m log n).
//!
//! Two states merge iff their records are equal and they lead to
//! equivalent states on every symbol — language equivalence with records
//! as outputs, which is what the reference output shows (a state with an
//! explicit transition to a state equivalent to its default merges with
//! one without it). The start state is never merged. Symbols are compared
//! per byte class (every byte of a class behaves the same in every state),
//! plus the out-of-band symbol.
//!
//! Memory is what bounds the largest profiles, so the automaton is never
//! expanded into a transition list: successors are read from the compact
//! [`Unminimized`] form, and only the incoming transitions of each state
//! are stored (8 bytes each). Transitions into the nonmatching state are
//! not stored at all (they are most of a path automaton's): the block
//! holding state 0 is never used as a splitter, which is sound because the
//! automaton is complete, so being stable with respect to every other
//! block implies being stable with respect to that one.

use super::Accept;
use super::automaton::{State, Symbol};
use super::hash::FastMap;
use super::refine::Partition;
use super::unminimized::Unminimized;

/// Minimises `automaton` (state 0 nonmatching, 1 start). The result keeps
/// the state-list order: each class of states is represented by its first
/// state, with that state's default successor, and classes are listed in
/// order of their representatives, so 0 and 1 keep their roles. A byte
/// transition is explicit iff it differs from the default.
pub fn minimize<R: Accept>(automaton: &Unminimized<R>) -> Vec<State<R>> {
    let partition = coarsest_partition(automaton);
    rebuild(automaton, &partition)
}

/// Label of a transition: its byte class, or `oob_label` for out-of-band.
type Label = u16;

/// The states' equivalence classes.
fn coarsest_partition<R: Accept>(automaton: &Unminimized<R>) -> Partition {
    let count = automaton.len();
    let mut partition = initial_partition(automaton);
    let incoming = Incoming::new(automaton);

    let mut queued = vec![false; partition.len()];
    let mut worklist: Vec<u32> = Vec::new();
    let nonmatching = partition.set_of(0);
    for block in 0..partition.len() as u32 {
        if block != nonmatching {
            queued[block as usize] = true;
            worklist.push(block);
        }
    }

    let classes = automaton.classes.len() as Label;
    let mut tails_by_label: Vec<Vec<u32>> = vec![Vec::new(); usize::from(classes) + 1];
    let mut used_labels: Vec<Label> = Vec::new();
    let mut default_tails: Vec<u32> = Vec::new();
    let mut splits: Vec<(u32, u32)> = Vec::new();
    while let Some(splitter) = worklist.pop() {
        queued[splitter as usize] = false;
        default_tails.clear();
        for &state in partition.members(splitter) {
            default_tails.extend(incoming.by_default(state));
            for (tail, label) in incoming.explicit(state) {
                let bucket = &mut tails_by_label[usize::from(label)];
                if bucket.is_empty() {
                    used_labels.push(label);
                }
                bucket.push(tail);
            }
        }
        // A default transition stands for every class its tail has no
        // explicit transition on, so then every class is a candidate.
        if !default_tails.is_empty() {
            used_labels.clear();
            used_labels.extend(0..=classes);
        }
        for &label in &used_labels {
            let bucket = &mut tails_by_label[usize::from(label)];
            for &tail in bucket.iter() {
                partition.mark(tail);
            }
            bucket.clear();
            if label < classes {
                for &tail in &default_tails {
                    if !automaton.has_explicit(tail, label as u8) {
                        partition.mark(tail);
                    }
                }
            }
            partition.split(|old, new| splits.push((old, new)));
            queued.resize(partition.len(), false);
            for (old, new) in splits.drain(..) {
                // Stability with respect to the old block and one half
                // implies it for the other half, so one half suffices
                // unless the old block was still waiting; the block
                // holding state 0 is never queued (see the module docs).
                let pick = if queued[old as usize] || partition.set_of(0) == old {
                    new
                } else if partition.set_of(0) == new {
                    old
                } else {
                    new
                };
                if !queued[pick as usize] {
                    queued[pick as usize] = true;
                    worklist.push(pick);
                }
            }
        }
        used_labels.clear();
    }
    debug_assert_eq!(
        (0..count as u32)
            .map(|s| partition.set_of(s))
            .max()
            .map(|m| m as usize + 1),
        Some(partition.len())
    );
    partition
}

/// States grouped by record; the start state alone in block 0.
fn initial_partition<R: Accept>(automaton: &Unminimized<R>) -> Partition {
    let mut keys: FastMap<&R, u32> = FastMap::default();
    let mut block_of = Vec::with_capacity(automaton.len());
    let mut blocks = 1u32;
    for (id, record) in automaton.records.iter().enumerate() {
        if id == 1 {
            block_of.push(0);
            continue;
        }
        let block = *keys.entry(record).or_insert_with(|| {
            blocks += 1;
            blocks - 1
        });
        block_of.push(block);
    }
    Partition::from_blocks(&block_of, blocks as usize)
}

/// Every state's incoming transitions, except those into state 0, grouped
/// by head: default transitions (one per tail, standing for every class
/// without an explicit transition) apart from explicit ones (tail, label),
/// so memory is proportional to the compact automaton, not to states ×
/// classes.
struct Incoming {
    default_starts: Vec<u32>,
    default_tails: Vec<u32>,
    explicit_starts: Vec<u32>,
    explicit_tails: Vec<u32>,
    explicit_labels: Vec<Label>,
}

impl Incoming {
    fn new<R>(automaton: &Unminimized<R>) -> Incoming {
        let count = automaton.len();
        let oob_label = automaton.classes.len() as Label;
        let explicit_of = |state: u32| {
            automaton
                .explicit(state)
                .map(|(class, head)| (Label::from(class), head))
                .chain(automaton.oob(state).map(|head| (oob_label, head)))
        };

        let mut default_starts = vec![0u32; count + 1];
        let mut explicit_starts = vec![0u32; count + 1];
        for state in 0..count as u32 {
            default_starts[automaton.default(state) as usize + 1] += 1;
            for (_, head) in explicit_of(state) {
                explicit_starts[head as usize + 1] += 1;
            }
        }
        // Transitions into state 0 are left out.
        default_starts[1] = 0;
        explicit_starts[1] = 0;
        for index in 1..=count {
            default_starts[index] += default_starts[index - 1];
            explicit_starts[index] += explicit_starts[index - 1];
        }

        let mut default_tails = vec![0u32; default_starts[count] as usize];
        let mut explicit_tails = vec![0u32; explicit_starts[count] as usize];
        let mut explicit_labels = vec![0 as Label; explicit_tails.len()];
        let mut default_fill = default_starts.clone();
        let mut explicit_fill = explicit_starts.clone();
        for state in 0..count as u32 {
            let head = automaton.default(state) as usize;
            if head != 0 {
                default_tails[default_fill[head] as usize] = state;
                default_fill[head] += 1;
            }
            for (label, head) in explicit_of(state) {
                let head = head as usize;
                if head != 0 {
                    let slot = explicit_fill[head] as usize;
                    explicit_fill[head] += 1;
                    explicit_tails[slot] = state;
                    explicit_labels[slot] = label;
                }
            }
        }
        Incoming {
            default_starts,
            default_tails,
            explicit_starts,
            explicit_tails,
            explicit_labels,
        }
    }

    /// The states whose default successor is `head`.
    fn by_default(&self, head: u32) -> impl Iterator<Item = u32> + '_ {
        let range = self.default_starts[head as usize] as usize
            ..self.default_starts[head as usize + 1] as usize;
        self.default_tails[range].iter().copied()
    }

    /// The (tail, label) pairs of the explicit transitions into `head`.
    fn explicit(&self, head: u32) -> impl Iterator<Item = (u32, Label)> + '_ {
        let range = self.explicit_starts[head as usize] as usize
            ..self.explicit_starts[head as usize + 1] as usize;
        self.explicit_tails[range.clone()]
            .iter()
            .copied()
            .zip(self.explicit_labels[range].iter().copied())
    }
}

/// The quotient automaton: one state per class, represented by (and with
/// the default successor of) its first member.
fn rebuild<R: Accept>(automaton: &Unminimized<R>, partition: &Partition) -> Vec<State<R>> {
    let count = automaton.len();
    let mut representative = vec![u32::MAX; partition.len()];
    let mut new_id = vec![u32::MAX; count];
    let mut kept = 0u32;
    for id in 0..count as u32 {
        let class = partition.set_of(id) as usize;
        if representative[class] == u32::MAX {
            representative[class] = id;
            new_id[id as usize] = kept;
            kept += 1;
        }
    }
    let number = |id: u32| {
        let rep = representative[partition.set_of(id) as usize];
        new_id[rep as usize]
    };
    let mut successors = Vec::new();
    let mut states = Vec::with_capacity(kept as usize);
    for id in (0..count as u32).filter(|&id| new_id[id as usize] != u32::MAX) {
        let default = number(automaton.default(id));
        let mut transitions = Vec::new();
        if let Some(target) = automaton.oob(id).map(number).filter(|&t| t != 0) {
            transitions.push((Symbol::Oob, target));
        }
        automaton.successors_into(id, &mut successors);
        for (members, &target) in automaton.classes.iter().zip(&successors) {
            let target = number(target);
            if target != default {
                transitions.extend(members.iter().map(|byte| (Symbol::Byte(byte), target)));
            }
        }
        transitions.sort_unstable_by_key(|&(symbol, _)| symbol);
        states.push(State {
            record: automaton.records[id as usize].clone(),
            default,
            transitions,
        });
    }
    states
}
