//! Minimisation (binary-format §3.8 step 6) by partition refinement
//! (Valmari–Lehtinen, O(m log n)).
//!
//! Two states merge iff their records are equal and they lead to
//! equivalent states on every symbol — language equivalence with records
//! as outputs, which is what the reference output shows (a state with an
//! explicit transition to a state equivalent to its default merges with
//! one without it). The start state is never merged; states that can never
//! reach an accepting state are folded into the nonmatching state first.
//! Symbols are compared per byte class: every byte of a class behaves the
//! same in every state.

use super::hash::FastMap;

use crate::expr::ByteSet;

use super::Accept;
use super::automaton::{State, Symbol};
use super::refine::Partition;

/// Minimises an automaton in state-list order (state 0 nonmatching, 1
/// start) whose byte transitions are uniform on each of `classes`. The
/// result keeps that order: each class of states is represented by its
/// first state, with that state's default successor, and classes are
/// listed in order of their representatives, so 0 and 1 keep their roles.
/// A byte transition is explicit iff it differs from the default.
pub fn minimize<R: Accept>(states: Vec<State<R>>, classes: &[ByteSet]) -> Vec<State<R>> {
    let states = fold_dead(states);
    let count = states.len();
    // Label 0 = OOB, label k + 1 = byte class k.
    let class_bytes: Vec<u8> = classes.iter().map(|c| c.first().unwrap_or(0)).collect();

    let mut keys: FastMap<&R, u32> = FastMap::default();
    let mut block_of = Vec::with_capacity(count);
    // Block 0 is reserved for the start state.
    let mut blocks = 1u32;
    for (id, state) in states.iter().enumerate() {
        if id == 1 {
            block_of.push(0);
            continue;
        }
        let block = *keys.entry(&state.record).or_insert_with(|| {
            blocks += 1;
            blocks - 1
        });
        block_of.push(block);
    }

    // Transitions as (tail, label, head), without those into the
    // nonmatching state (a missing transition means the same).
    let mut tails = Vec::new();
    let mut heads = Vec::new();
    let mut labels: Vec<u16> = Vec::new();
    for (id, state) in states.iter().enumerate() {
        if let Some(&(Symbol::Oob, target)) = state.transitions.first() {
            push_live(&mut tails, &mut heads, &mut labels, id, 0, target);
        }
        for (class, &byte) in class_bytes.iter().enumerate() {
            let target = target_on(state, byte);
            push_live(
                &mut tails,
                &mut heads,
                &mut labels,
                id,
                class as u16 + 1,
                target,
            );
        }
    }
    let mut by_label: Vec<u32> = (0..tails.len() as u32).collect();
    by_label.sort_unstable_by_key(|&t| labels[t as usize]);
    let mut cord_of = vec![0u32; tails.len()];
    let mut cords = 0u32;
    for (index, &t) in by_label.iter().enumerate() {
        if index > 0 && labels[t as usize] != labels[by_label[index - 1] as usize] {
            cords += 1;
        }
        cord_of[t as usize] = cords;
    }
    let cord_count = if tails.is_empty() {
        0
    } else {
        cords as usize + 1
    };

    // Incoming transitions per state.
    let mut incoming_start = vec![0u32; count + 1];
    for &head in &heads {
        incoming_start[head as usize + 1] += 1;
    }
    for index in 1..incoming_start.len() {
        incoming_start[index] += incoming_start[index - 1];
    }
    let mut incoming = vec![0u32; tails.len()];
    let mut fill = incoming_start.clone();
    for (t, &head) in heads.iter().enumerate() {
        incoming[fill[head as usize] as usize] = t as u32;
        fill[head as usize] += 1;
    }

    let mut partition = Partition::from_blocks(&block_of, blocks as usize);
    let mut cords = Partition::from_blocks(&cord_of, cord_count);
    let (mut block, mut cord) = (1usize, 0usize);
    while cord < cords.len() {
        for &t in cords.members(cord as u32) {
            partition.mark(tails[t as usize]);
        }
        partition.split();
        cord += 1;
        while block < partition.len() {
            for &state in partition.members(block as u32) {
                let range = incoming_start[state as usize]..incoming_start[state as usize + 1];
                for &t in &incoming[range.start as usize..range.end as usize] {
                    cords.mark(t);
                }
            }
            cords.split();
            block += 1;
        }
    }

    rebuild(states, &partition, classes)
}

/// The successor of `state` on `byte`.
fn target_on<R>(state: &State<R>, byte: u8) -> u32 {
    match state
        .transitions
        .binary_search_by(|(symbol, _)| symbol.cmp(&Symbol::Byte(byte)))
    {
        Ok(index) => state.transitions[index].1,
        Err(_) => state.default,
    }
}

fn push_live(
    tails: &mut Vec<u32>,
    heads: &mut Vec<u32>,
    labels: &mut Vec<u16>,
    tail: usize,
    label: u16,
    head: u32,
) {
    if head != 0 {
        tails.push(tail as u32);
        heads.push(head);
        labels.push(label);
    }
}

/// Redirects every transition into a state that cannot reach an accepting
/// (non-`none`) state to state 0, and strips such states, so they become
/// copies of the nonmatching state.
fn fold_dead<R: Accept>(mut states: Vec<State<R>>) -> Vec<State<R>> {
    let none = R::none();
    let count = states.len();
    let mut predecessors: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (id, state) in states.iter().enumerate() {
        predecessors[state.default as usize].push(id as u32);
        for &(_, target) in &state.transitions {
            predecessors[target as usize].push(id as u32);
        }
    }
    let mut live = vec![false; count];
    let mut queue: Vec<u32> = Vec::new();
    for (id, state) in states.iter().enumerate() {
        if state.record != none {
            live[id] = true;
            queue.push(id as u32);
        }
    }
    while let Some(id) = queue.pop() {
        for &pred in &predecessors[id as usize] {
            if !live[pred as usize] {
                live[pred as usize] = true;
                queue.push(pred);
            }
        }
    }
    if live.iter().skip(2).all(|&alive| alive) {
        return states;
    }
    for (id, state) in states.iter_mut().enumerate() {
        if !live[id] && id != 1 {
            state.default = 0;
            state.transitions.clear();
            continue;
        }
        if !live[state.default as usize] {
            state.default = 0;
        }
        let default = state.default;
        state.transitions.retain_mut(|(symbol, target)| {
            if !live[*target as usize] {
                *target = 0;
            }
            match symbol {
                Symbol::Oob => *target != 0,
                Symbol::Byte(_) => *target != default,
            }
        });
    }
    states
}

/// The quotient automaton: one state per class, represented by (and with
/// the default successor of) its first member.
fn rebuild<R: Accept>(
    states: Vec<State<R>>,
    partition: &Partition,
    classes: &[ByteSet],
) -> Vec<State<R>> {
    let mut representative = vec![u32::MAX; partition.len()];
    let mut new_id = vec![u32::MAX; states.len()];
    let mut kept = 0u32;
    for id in 0..states.len() as u32 {
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
    states
        .into_iter()
        .enumerate()
        .filter(|&(id, _)| new_id[id] != u32::MAX)
        .map(|(_, state)| {
            let default = number(state.default);
            let mut transitions = Vec::new();
            if let Some(&(Symbol::Oob, target)) = state.transitions.first() {
                transitions.push((Symbol::Oob, number(target)));
            }
            for members in classes {
                let target = number(target_on(&state, members.first().unwrap_or(0)));
                if target != default {
                    transitions.extend(members.iter().map(|byte| (Symbol::Byte(byte), target)));
                }
            }
            transitions.sort_unstable_by_key(|&(symbol, _)| symbol);
            State {
                record: state.record,
                default,
                transitions,
            }
        })
        .collect()
}
