//! Kernel DFA tables: comb packing (BASE/DEFAULT/NEXT/CHECK), accept tables
//! and the DFA blob (binary-format §3).

mod error;
pub mod pack;
pub mod read;
pub mod write;

pub use error::TablesError;
pub use pack::{Packed, pack};
pub use write::{WriteOptions, write_dfa};
