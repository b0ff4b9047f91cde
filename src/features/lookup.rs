//! Feature lookups with libapparmor's exact semantics.
//!
//! apparmor_parser asks "does the feature set support `a/b/c`?" through
//! libapparmor, which scans the flattened text rather than a parsed tree.
//! The scan has quirks that change compiled output, so they are kept:
//!
//! * a component matches at brace depth 0 of the current block wherever
//!   its characters appear followed by a space, brace or the end, so
//!   `mask` matches the tail of `af_mask` and `versions` the tail of
//!   `notify_versions` (binary-format §11);
//! * after a mismatch the scan restarts at the *next* character, so a
//!   component is not found after a partial match of its own prefix
//!   (`network` inside `nnetwork`);
//! * a component may match a plain value word as well as a key, which is
//!   how `namespaces/mask/userns_create` and
//!   `policy/permstable32_version/0x000002` are tested; nothing can follow
//!   a value word, because the next component must start at a `{`;
//! * paths are split on `/`, empty components are dropped, a leading `/`
//!   fails the lookup, and components after the 32nd are ignored;
//! * non-ASCII bytes met during a scan fail the lookup.

/// libapparmor's maximum number of path components.
const MAX_COMPONENTS: usize = 32;

/// C `isspace` in the C locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

fn is_brace(c: u8) -> bool {
    c == b'{' || c == b'}'
}

/// True at the end of the text (libapparmor's NUL) or before a space or brace.
fn ends_word(c: Option<&u8>) -> bool {
    c.is_none_or(|&c| is_brace(c) || is_space(c))
}

/// Finds `component` in the block at `start` (at the top level, the whole
/// text) and returns the position of the first brace after it.
fn walk(text: &[u8], start: usize, component: &[u8], top_level: bool) -> Option<usize> {
    let mut pos = start;
    if !top_level {
        if text.get(pos) != Some(&b'{') {
            return None;
        }
        pos += 1;
    }
    let mut depth = 0u32;
    let mut matched = 0usize;
    while let Some(&c) = text.get(pos) {
        if matched == component.len() {
            break;
        }
        if !c.is_ascii() {
            return None;
        }
        if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            // Leaving the block being searched: not found.
            depth = depth.checked_sub(1)?;
        }
        matched = if depth == 0 && c == component[matched] {
            matched + 1
        } else {
            0
        };
        pos += 1;
        if matched == component.len() && !ends_word(text.get(pos)) {
            matched = 0;
        }
    }
    if matched != component.len() || !ends_word(text.get(pos)) {
        return None;
    }
    while let Some(&c) = text.get(pos) {
        if is_brace(c) {
            break;
        }
        if !c.is_ascii() {
            return None;
        }
        pos += 1;
    }
    Some(pos)
}

/// Position after the last component of `path`, or `None` if the text does
/// not support it.
pub fn lookup(text: &[u8], path: &str) -> Option<usize> {
    if path.starts_with('/') {
        return None;
    }
    let components: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty())
        .take(MAX_COMPONENTS)
        .collect();
    if components.is_empty() {
        return None;
    }
    let mut pos = 0;
    for (i, component) in components.iter().enumerate() {
        pos = walk(text, pos, component.as_bytes(), i == 0)?;
    }
    Some(pos)
}

/// `aa_features_supports`.
pub fn supports(text: &[u8], path: &str) -> bool {
    lookup(text, path).is_some()
}

/// `aa_features_value`: the text between the `{` after `path` and the next
/// brace (so for a block it is the text before its first nested key).
pub fn value<'t>(text: &'t [u8], path: &str) -> Option<&'t [u8]> {
    let pos = lookup(text, path)?;
    if text.get(pos) != Some(&b'{') {
        return None;
    }
    let start = pos + 1;
    let len = text[start..]
        .iter()
        .position(|&c| is_brace(c) || !c.is_ascii())
        .unwrap_or(text.len() - start);
    match text.get(start + len) {
        Some(c) if !c.is_ascii() => None,
        _ => Some(&text[start..start + len]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &[u8] = b"caps {mask {chown kill\n}\n}\nnetwork_v8 {af_mask {unix inet\n}\n}\n\
policy {notify_versions {v3 v5\n}\nversions {v7 {yes\n}\n}\npermstable32_version {0x000002\n}\n}\n\
namespaces {mask {userns_create\n}\n}\n";

    #[test]
    fn keys_and_values_are_found() {
        assert!(supports(TEXT, "caps"));
        assert!(supports(TEXT, "caps/mask"));
        assert!(supports(TEXT, "caps/mask/kill"));
        assert!(supports(TEXT, "namespaces/mask/userns_create"));
        assert!(supports(TEXT, "policy/permstable32_version/0x000002"));
        assert!(!supports(TEXT, "policy/permstable32_version/0x000003"));
        assert!(!supports(TEXT, "caps/mask/kill/more"));
        assert!(!supports(TEXT, "dbus"));
    }

    #[test]
    fn suffix_matches_are_reproduced() {
        // `mask` is found as the tail of `af_mask`.
        assert!(supports(TEXT, "network_v8/mask"));
        // `versions` first matches the tail of `notify_versions`, whose
        // block has no v7: the lookup fails as libapparmor's does.
        assert!(!supports(TEXT, "policy/versions/v7"));
        let plain = b"policy {versions {v7 {yes\n}\n}\n}\n";
        assert!(supports(plain, "policy/versions/v7"));
    }

    #[test]
    fn restart_after_partial_match_skips_the_mismatching_character() {
        assert!(!supports(b"nnetwork {yes\n}\n", "network"));
        assert!(supports(b"xnetwork {yes\n}\n", "network"));
    }

    #[test]
    fn lookups_stay_inside_the_block() {
        let text = b"a {x {yes\n}\n}\nb {y {yes\n}\n}\n";
        assert!(supports(text, "a/x"));
        assert!(!supports(text, "a/y"));
        assert!(!supports(text, "x"), "nested keys are not top-level");
    }

    #[test]
    fn path_syntax() {
        assert!(!supports(TEXT, ""));
        assert!(!supports(TEXT, "/caps"));
        assert!(supports(TEXT, "caps//mask/"));
    }

    #[test]
    fn values_are_the_text_up_to_the_next_brace() {
        assert_eq!(value(TEXT, "caps/mask"), Some(&b"chown kill\n"[..]));
        assert_eq!(value(TEXT, "policy/versions/v7"), None);
        assert_eq!(
            value(TEXT, "caps/mask/kill"),
            None,
            "a value word has no block"
        );
    }
}
