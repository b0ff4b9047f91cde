//! DFA construction from [`crate::expr::Expr`] with per-state permission
//! records, minimisation and the parser's state numbering (§3.8).
