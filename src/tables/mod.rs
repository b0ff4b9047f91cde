//! Kernel DFA tables: comb packing (BASE/DEFAULT/NEXT/CHECK), accept tables
//! and the DFA blob (binary-format §3).

pub mod read;
