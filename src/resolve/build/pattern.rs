//! Syntax checks on AARE patterns (globs) that apparmor_parser rejects:
//! unbalanced `{}` or `[]`, empty character classes, alternations without
//! a comma.

/// apparmor_parser's limit on `{}` nesting in one pattern.
const MAX_ALTERNATION_DEPTH: usize = 49;

/// Checks one pattern; the error says what is wrong.
pub(crate) fn check_pattern(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    // One entry per open `{`: whether a comma was seen at that level.
    let mut braces: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => {
                let mut j = i + 1;
                if bytes.get(j) == Some(&b'^') {
                    j += 1;
                }
                if bytes.get(j) == Some(&b']') {
                    return Err(format!("empty character class in `{text}`"));
                }
                while j < bytes.len() && bytes[j] != b']' {
                    if bytes[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if j >= bytes.len() {
                    return Err(format!("unclosed `[` in `{text}`"));
                }
                i = j;
            }
            b']' => return Err(format!("unbalanced `]` in `{text}`")),
            b'{' if braces.len() >= MAX_ALTERNATION_DEPTH => {
                return Err(format!(
                    "alternations nested deeper than {MAX_ALTERNATION_DEPTH} in `{text}`"
                ));
            }
            b'{' => braces.push(false),
            b',' => {
                if let Some(last) = braces.last_mut() {
                    *last = true;
                }
            }
            b'}' => match braces.pop() {
                None => return Err(format!("unbalanced `}}` in `{text}`")),
                Some(false) => return Err(format!("alternation without `,` in `{text}`")),
                Some(true) => {}
            },
            _ => {}
        }
        i += 1;
    }
    if !braces.is_empty() {
        return Err(format!("unclosed `{{` in `{text}`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_pattern;

    #[test]
    fn accepts_and_rejects() {
        assert!(check_pattern("/a/{b,c}/**").is_ok());
        assert!(check_pattern("/a{,/**}").is_ok());
        assert!(check_pattern("/a/[^ab]\\{").is_ok());
        assert!(check_pattern("/a/{b").is_err());
        assert!(check_pattern("/a/b}").is_err());
        assert!(check_pattern("/a/[]b").is_err());
        assert!(check_pattern("/one{en}try").is_err());
        assert!(check_pattern("abcd]efg").is_err());
    }
}
