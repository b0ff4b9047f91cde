//! Where a variable reference (`@{name}`) stands in a string, and what
//! 5.0.2 makes of the text it encloses.
//!
//! The scan is 5.0.2's, measured on variants: a backslash escapes the next
//! `@` or `}` (two backslashes cancel); after an unescaped `@{` the next
//! character belongs to the name whatever it is (`@{}}` encloses `}`); a
//! later `@{` before the closing `}` starts the reference afresh (`@{a@{b}`
//! refers to `b`, after the literal `@{a`); without a closing `}` there is
//! no reference (`/x@{a` is literal text).

use super::VarError;

/// One reference found in a string: the text before it, its name (the
/// text between `@{` and `}`) and the text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Reference<'a> {
    pub before: &'a str,
    pub name: &'a str,
    pub after: &'a str,
}

/// The first reference of `text` to close, if any.
pub(super) fn first_reference(text: &str) -> Option<Reference<'_>> {
    let bytes = text.as_bytes();
    let mut start = None;
    let mut escaped = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => escaped = !escaped,
            b'@' if escaped => escaped = false,
            b'@' if bytes.get(i + 1) == Some(&b'{') => {
                start = Some(i);
                // The `{` and the name's first character are not looked at.
                i += 3;
                continue;
            }
            b'}' if escaped => escaped = false,
            b'}' => {
                if let Some(start) = start {
                    return Some(Reference {
                        before: &text[..start],
                        name: &text[start + 2..i],
                        after: &text[i + 1..],
                    });
                }
            }
            _ => escaped = false,
        }
        i += 1;
    }
    None
}

/// What the text of a reference names, where 5.0.2 checks it strictly:
/// in a variable's values. It must start with a letter and go on with
/// letters, digits and `_`.
pub(super) fn value_reference(name: &str) -> Result<&str, VarError> {
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(VarError::BadStart(format!("@{{{name}}}")));
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(VarError::BadChars(format!("@{{{name}}}")));
    }
    Ok(name)
}

/// What the text of a reference in a rule's string means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RuleReference<'a> {
    /// A variable to substitute.
    Variable(&'a str),
    /// Not a variable: a name that starts with a letter and reaches a `,`
    /// before any other character that is no letter, digit or `_`
    /// (`@{V,x}`, `@{V,x.y}`). 5.0.2 then stops expanding the string: this
    /// and every later reference stay as written (`@{V,x}@{W}` keeps
    /// `@{W}`).
    EndOfExpansion,
}

/// Reads the text of a reference in a rule's string: as in a value, except
/// that a comma ends the expansion instead of being an error (`@{,x}`,
/// `@{1V,x}` and `@{V.x,y}` are still errors).
pub(super) fn rule_reference(name: &str) -> Result<RuleReference<'_>, VarError> {
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(VarError::BadStart(format!("@{{{name}}}")));
    }
    for c in chars {
        match c {
            ',' => return Ok(RuleReference::EndOfExpansion),
            c if c.is_ascii_alphanumeric() || c == '_' => {}
            _ => return Err(VarError::BadChars(format!("@{{{name}}}"))),
        }
    }
    Ok(RuleReference::Variable(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Option<(&str, &str, &str)> {
        first_reference(text).map(|r| (r.before, r.name, r.after))
    }

    #[test]
    fn the_first_reference_to_close_is_found() {
        assert_eq!(parts("/a/@{V}/b"), Some(("/a/", "V", "/b")));
        assert_eq!(parts("@{A}@{B}"), Some(("", "A", "@{B}")));
        // A later `@{` starts afresh.
        assert_eq!(parts("@{a@{b}"), Some(("@{a", "b", "")));
        assert_eq!(parts("@{a,@{b}}"), Some(("@{a,", "b", "}")));
        // The name's first character is taken as it is.
        assert_eq!(parts("@{}}"), Some(("", "}", "")));
        assert_eq!(parts("{@{},a}"), Some(("{", "},a", "")));
        assert_eq!(parts("@{@{a}}"), Some(("", "@{a", "}")));
        assert_eq!(parts("@{}@{}"), None);
        assert_eq!(parts("@{}"), None);
        assert_eq!(parts("@{"), None);
    }

    #[test]
    fn escapes_and_unclosed_references_are_text() {
        assert_eq!(parts("/x@{a"), None);
        assert_eq!(parts("\\@{a}"), None);
        assert_eq!(parts("@{a\\}"), None);
        assert_eq!(parts("\\\\@{a}"), Some(("\\\\", "a", "")));
        assert_eq!(parts("@{a\\\\}"), Some(("", "a\\\\", "")));
        assert_eq!(parts("@{}\\}"), None);
    }

    #[test]
    fn names_are_checked_per_context() {
        assert_eq!(value_reference("Va_1"), Ok("Va_1"));
        for bad in ["1V", "_V", "}", ",x", "@{a"] {
            assert!(
                matches!(value_reference(bad), Err(VarError::BadStart(_))),
                "{bad}"
            );
            assert!(
                matches!(rule_reference(bad), Err(VarError::BadStart(_))),
                "{bad}"
            );
        }
        for bad in ["V.x", "V.x,y", "V*,x", "V-x"] {
            assert!(
                matches!(value_reference(bad), Err(VarError::BadChars(_))),
                "{bad}"
            );
            assert!(
                matches!(rule_reference(bad), Err(VarError::BadChars(_))),
                "{bad}"
            );
        }
        assert!(matches!(value_reference("V,x"), Err(VarError::BadChars(_))));
        assert_eq!(rule_reference("V,x.y"), Ok(RuleReference::EndOfExpansion));
        assert_eq!(rule_reference("V"), Ok(RuleReference::Variable("V")));
    }
}
