//! Reading packed file permissions (binary-format §4.1) for display:
//! ACCEPT holds an owner half (bits 0–13) and an other half (14–27) plus
//! onexec (bit 30) and change_profile (bit 31); ACCEPT2 packs audit and
//! quiet bits of the first seven permissions of each half.

/// Permission letters of one 14-bit half, exec qualifiers included.
fn half_text(half: u32) -> String {
    let mut text = String::new();
    for (bit, letter) in [
        (0x4, 'r'),
        (0x2, 'w'),
        (0x8, 'a'),
        (0x40, 'm'),
        (0x10, 'l'),
        (0x20, 'k'),
    ] {
        if half & bit != 0 {
            text.push(letter);
        }
    }
    if half & 0x1 != 0 {
        let index = (half >> 10) & 0xF;
        let kind = match index {
            0 if half & 0x200 != 0 => "ix".to_string(),
            0 => "x".to_string(),
            1 => "ux".to_string(),
            2 => "px".to_string(),
            3 => "cx".to_string(),
            n => format!("x->xtable[{}]", n - 4),
        };
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&kind);
        if index != 0 && half & 0x200 != 0 {
            text.push_str(" inherit-fallback");
        }
        if half & 0x80 != 0 {
            text.push_str(" unconfined-fallback");
        }
        if index != 0 && half & 0x100 == 0 {
            text.push_str(" (scrub env)");
        }
    }
    if text.is_empty() { "-".into() } else { text }
}

/// Seven audit/quiet bits of a half, as letters.
fn flags_text(bits: u32) -> String {
    // The seven low bits of a half: x w r a l k m.
    let letters = ['x', 'w', 'r', 'a', 'l', 'k', 'm'];
    letters
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, c)| *c)
        .collect()
}

/// A readable form of a packed file-DFA accept pair, e.g.
/// `owner rw, other r, audit owner w`.
pub fn describe_file_accept(accept: u32, accept2: u32) -> String {
    let owner = accept & 0x3FFF;
    let other = (accept >> 14) & 0x3FFF;
    let mut parts = if owner == other {
        vec![format!("all {}", half_text(owner))]
    } else {
        vec![
            format!("owner {}", half_text(owner)),
            format!("other {}", half_text(other)),
        ]
    };
    if accept & 0x4000_0000 != 0 {
        parts.push("onexec".into());
    }
    if accept & 0x8000_0000 != 0 {
        parts.push("change_profile".into());
    }
    for (name, shift) in [
        ("audit owner", 0),
        ("quiet owner", 7),
        ("audit other", 14),
        ("quiet other", 21),
    ] {
        let bits = (accept2 >> shift) & 0x7F;
        if bits != 0 {
            parts.push(format!("{name} {}", flags_text(bits)));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        // §4.1: `/etc/foo r,` → 0x10004; `owner /home/*/bar w,` → 0xA.
        assert_eq!(describe_file_accept(0x10004, 0), "all r");
        assert_eq!(describe_file_accept(0xA, 0), "owner wa, other -");
        // `/usr/bin/baz Px,` → 0x801 per half.
        assert_eq!(describe_file_accept(0x0200_4801, 0), "all px (scrub env)");
        // `deny /etc/secret r,` → ACCEPT2 0x00800200 (quiet r both halves).
        assert_eq!(
            describe_file_accept(0, 0x0080_0200),
            "all -, quiet owner r, quiet other r"
        );
        assert_eq!(
            describe_file_accept(0x8000_0000, 0),
            "all -, change_profile"
        );
    }
}
