//! AARE globs (`/usr/**`, `{a,b}`, `[^/]`) converted to [`crate::expr::Expr`]
//! (binary-format §6).
