//! Resolution: includes, variables, conditionals and aliases, from the AST
//! to the [`crate::model`].
