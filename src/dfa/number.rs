//! The parser's state numbering (binary-format §3.8, key result).

use super::automaton::{Dfa, NONMATCHING, START, State};

/// Numbers a minimised automaton (state 0 nonmatching, 1 start): 0 and 1
/// keep their numbers, then states are numbered as a breadth-first walk
/// from the start first sees them, visiting each state's default successor
/// before its explicit transitions in ascending symbol order. States the
/// walk never sees are dropped.
pub fn number<R>(states: Vec<State<R>>) -> Dfa<R> {
    const UNSEEN: u32 = u32::MAX;
    let mut numbers = vec![UNSEEN; states.len()];
    numbers[NONMATCHING as usize] = NONMATCHING;
    numbers[START as usize] = START;
    let mut order = vec![NONMATCHING, START];
    let mut next = 1;
    while next < order.len() {
        let state = &states[order[next] as usize];
        let successors = std::iter::once(state.default)
            .chain(state.transitions.iter().map(|&(_, target)| target));
        for target in successors {
            if numbers[target as usize] == UNSEEN {
                numbers[target as usize] = order.len() as u32;
                order.push(target);
            }
        }
        next += 1;
    }

    let mut slots: Vec<Option<State<R>>> = states.into_iter().map(Some).collect();
    let states = order
        .iter()
        .map(|&old| {
            let state = slots[old as usize]
                .take()
                .expect("each state numbered once");
            State {
                record: state.record,
                default: numbers[state.default as usize],
                transitions: state
                    .transitions
                    .into_iter()
                    .map(|(symbol, target)| (symbol, numbers[target as usize]))
                    .collect(),
            }
        })
        .collect();
    Dfa { states }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dfa::automaton::Symbol;

    fn state(default: u32, transitions: &[(u8, u32)]) -> State<u32> {
        State {
            record: 0,
            default,
            transitions: transitions
                .iter()
                .map(|&(byte, target)| (Symbol::Byte(byte), target))
                .collect(),
        }
    }

    #[test]
    fn default_first_then_ascending_symbols() {
        // start(1): default 4, 'a'→3, 'b'→2; state 4 → 5 on 'z'.
        let states = vec![
            state(0, &[]),
            state(4, &[(b'a', 3), (b'b', 2)]),
            state(0, &[]),
            state(0, &[]),
            state(0, &[(b'z', 5)]),
            state(0, &[]),
            state(0, &[]), // unreachable
        ];
        let dfa = number(states);
        assert_eq!(dfa.states.len(), 6);
        // old 4 → 2, old 3 → 3, old 2 → 4, old 5 → 5
        assert_eq!(dfa.states[1].default, 2);
        assert_eq!(
            dfa.states[1].transitions,
            vec![(Symbol::Byte(b'a'), 3), (Symbol::Byte(b'b'), 4)]
        );
        assert_eq!(dfa.states[2].transitions, vec![(Symbol::Byte(b'z'), 5)]);
    }
}
