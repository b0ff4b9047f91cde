//! The final, numbered automaton handed to table packing.

/// An input symbol of the automaton: a byte, or the out-of-band symbol that
/// separates xattr values from the path (binary-format §2.2, §3.4).
///
/// `Oob` orders before every byte, as the parser's symbol −1 does; the
/// explicit transitions of a [`State`] are sorted in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    Oob,
    Byte(u8),
}

impl Symbol {
    /// The parser's integer for the symbol: −1 for `Oob`, else the byte.
    pub fn code(self) -> i32 {
        match self {
            Symbol::Oob => -1,
            Symbol::Byte(byte) => i32::from(byte),
        }
    }
}

/// The number of the nonmatching (trap) state in every [`Dfa`].
pub const NONMATCHING: u32 = 0;
/// The number of the start state in every [`Dfa`].
pub const START: u32 = 1;

/// One state of a numbered [`Dfa`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State<R> {
    /// The combined record of the rules accepting here (`R::none()` when
    /// none does).
    pub record: R,
    /// The "otherwise" successor: taken on every symbol without an explicit
    /// transition (except `Oob`, which has no default).
    pub default: u32,
    /// Explicit transitions, strictly ascending by symbol; no byte
    /// transition equals `default`.
    pub transitions: Vec<(Symbol, u32)>,
}

/// A minimised automaton numbered as the reference parser numbers it
/// (binary-format §3.8).
///
/// Guarantees: there are at least two states; state [`NONMATCHING`] (0) has
/// no transitions, default 0 and record `R::none()`; state [`START`] (1) is
/// the start state; every other state is reachable from the start, and the
/// numbers follow a breadth-first walk from the start visiting a state's
/// default successor first and then its explicit transitions in ascending
/// symbol order. Every target is a valid state number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dfa<R> {
    pub states: Vec<State<R>>,
}

impl<R> Dfa<R> {
    /// The state reached from `state` on `symbol`.
    pub fn step(&self, state: u32, symbol: Symbol) -> u32 {
        let state = &self.states[state as usize];
        match state.transitions.binary_search_by(|(s, _)| s.cmp(&symbol)) {
            Ok(index) => state.transitions[index].1,
            Err(_) if symbol == Symbol::Oob => NONMATCHING,
            Err(_) => state.default,
        }
    }

    /// The state reached from the start on `input`.
    pub fn walk(&self, input: impl IntoIterator<Item = Symbol>) -> u32 {
        input
            .into_iter()
            .fold(START, |state, symbol| self.step(state, symbol))
    }

    /// The record of the state reached from the start on the bytes.
    pub fn matches(&self, input: &[u8]) -> &R {
        let state = self.walk(input.iter().map(|&byte| Symbol::Byte(byte)));
        &self.states[state as usize].record
    }

    /// Whether any state has an out-of-band transition.
    pub fn has_oob(&self) -> bool {
        self.states
            .iter()
            .any(|state| matches!(state.transitions.first(), Some((Symbol::Oob, _))))
    }
}
