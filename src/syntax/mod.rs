//! The pest grammar (`grammar/apparmor.pest`) and the AST with spans.
