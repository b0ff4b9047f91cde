//! Why a DFA cannot be written as kernel tables.

/// A table-writing failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TablesError {
    /// An accept table does not have one entry per state.
    #[error("{table} has {got} entries but the DFA has {states} states")]
    AcceptLength {
        table: &'static str,
        got: usize,
        states: usize,
    },
    /// 16-bit state tables hold at most 65534 states.
    #[error(
        "the DFA has {states} states; 16-bit state tables hold fewer than 65535 \
         (the kernel must advertise policy/state32 for more)"
    )]
    TooManyStates { states: usize },
    /// A BASE index does not fit in its 24 bits.
    #[error("the DFA's transition table needs {slots} slots, more than BASE can address")]
    TooManySlots { slots: usize },
}
