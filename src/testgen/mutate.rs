//! Near-valid inputs from valid profile text (issue 12): one small edit a
//! person might make by mistake, chosen deterministically from a seed.
//!
//! The text is split into tokens (runs of word characters, single
//! punctuation characters, whitespace); comment lines other than
//! `#include` are left alone. One mutation is applied:
//! a token deleted, duplicated, swapped with its neighbour or replaced by
//! another AppArmor word; a comma dropped; a rule wrapped onto two lines;
//! two rules joined on one line; a typo (one character the lexer treats
//! specially inserted, replaced or deleted).

use crate::model::access;
use crate::resolve::build::names;

/// The edits the mutator makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mutation {
    Delete,
    Duplicate,
    Swap,
    Replace,
    DropComma,
    Wrap,
    Join,
    Typo,
}

impl Mutation {
    pub const ALL: [Mutation; 8] = [
        Mutation::Delete,
        Mutation::Duplicate,
        Mutation::Swap,
        Mutation::Replace,
        Mutation::DropComma,
        Mutation::Wrap,
        Mutation::Join,
        Mutation::Typo,
    ];
}

/// Characters a typo brings in: the ones AppArmor's lexer reads specially
/// in some state (quotes, escapes, comments, braces, variables, labels,
/// globs, operators, blanks and line ends of every kind).
const TYPO_CHARS: &[char] = &[
    '"', '\\', '#', '{', '}', '(', ')', ',', '=', '@', '$', '^', ':', '&', '*', '?', '[', ']', '<',
    '>', '-', '+', '!', '/', '.', ' ', '\t', '\n', '\r',
];

/// One mutant: the new text and what was done, for reports
/// (`replace "r" by "bind" at line 5`).
#[derive(Debug, Clone)]
pub struct Mutant {
    pub text: String,
    pub mutation: Mutation,
    pub description: String,
}

/// Keywords of the language, besides the class vocabularies.
const KEYWORDS: &[&str] = &[
    "profile",
    "hat",
    "if",
    "else",
    "defined",
    "not",
    "and",
    "or",
    "in",
    "true",
    "false",
    "owner",
    "audit",
    "quiet",
    "deny",
    "allow",
    "priority",
    "file",
    "link",
    "subset",
    "capability",
    "network",
    "unix",
    "dbus",
    "signal",
    "ptrace",
    "mount",
    "umount",
    "remount",
    "pivot_root",
    "change_profile",
    "safe",
    "unsafe",
    "set",
    "rlimit",
    "userns",
    "mqueue",
    "io_uring",
    "all",
    "alias",
    "include",
    "abi",
    "flags",
    "xattrs",
    "peer",
    "label",
    "addr",
    "type",
    "protocol",
    "bus",
    "path",
    "interface",
    "member",
    "name",
    "fstype",
    "vfstype",
    "options",
    "oldroot",
    "ip",
    "port",
    "infinity",
    "->",
    "<=",
    "=",
    "+=",
    "r",
    "w",
    "a",
    "l",
    "k",
    "m",
    "x",
    "ix",
    "px",
    "Px",
    "cx",
    "Cx",
    "ux",
    "Ux",
    "pix",
    "Pix",
    "cix",
    "Cix",
    "rw",
    "rwk",
    "mr",
    "ro",
    "bind",
    "nosuid",
    "tcp",
    "udp",
    "inet",
    "inet6",
    "stream",
    "dgram",
    "@{HOME}",
    "@{PROC}",
    "/**",
    "/tmp/",
    "rtmin+3",
    "none",
    "system",
    "session",
    "posix",
    "sysv",
    "nofile",
    "cpu",
    "ext4",
    "tmpfs",
];

/// Every word the replacement may insert.
pub fn apparmor_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = KEYWORDS.to_vec();
    for table in [
        names::CAPABILITIES,
        names::NETWORK_DOMAINS,
        names::NETWORK_TYPES,
        names::PROFILE_FLAGS,
    ] {
        words.extend_from_slice(table);
    }
    words.extend(crate::model::signal_names());
    for class in [
        access::PTRACE,
        access::SIGNAL,
        access::NET,
        access::DBUS,
        access::MQUEUE,
        access::IO_URING,
        access::USERNS,
    ] {
        words.extend(class.words.iter().map(|(word, _)| *word));
    }
    words.sort_unstable();
    words.dedup();
    words
}

/// A token: a byte range of the text and whether it is whitespace.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    space: bool,
}

/// Punctuation that forms a token of its own.
fn is_punctuation(c: char) -> bool {
    matches!(c, '{' | '}' | '(' | ')' | ',' | '=' | '"' | '<' | '>')
}

/// The tokens of `text`, comments (other than `#include`) as whitespace.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let space = c.is_whitespace() || (c == '#' && !text[start..].starts_with("#include"));
        if c == '#' && space {
            // A comment runs to the end of its line.
            while let Some(&(i, n)) = chars.peek() {
                if n == '\n' {
                    break;
                }
                end = i + n.len_utf8();
                chars.next();
            }
        } else if c.is_whitespace() {
            while let Some(&(i, n)) = chars.peek() {
                if !n.is_whitespace() {
                    break;
                }
                end = i + n.len_utf8();
                chars.next();
            }
        } else if !is_punctuation(c) {
            while let Some(&(i, n)) = chars.peek() {
                if n.is_whitespace() || is_punctuation(n) {
                    break;
                }
                end = i + n.len_utf8();
                chars.next();
            }
        }
        out.push(Token { start, end, space });
    }
    out
}

/// A small deterministic PRNG (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The 1-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// One mutant of `text` from `seed`; `None` when the text offers nothing
/// to mutate (no tokens, or no place for any mutation).
pub fn mutate(text: &str, seed: u64) -> Option<Mutant> {
    let mut rng = Rng(seed);
    let first = rng.below(Mutation::ALL.len());
    // The seed's mutation, or the next one that applies to this text.
    (0..Mutation::ALL.len()).find_map(|k| {
        let mutation = Mutation::ALL[(first + k) % Mutation::ALL.len()];
        apply(text, mutation, &mut rng)
    })
}

/// Applies `mutation` at a random place where it fits.
fn apply(text: &str, mutation: Mutation, rng: &mut Rng) -> Option<Mutant> {
    let tokens = tokens(text);
    let words: Vec<usize> = (0..tokens.len()).filter(|&i| !tokens[i].space).collect();
    let tok = |i: usize| &text[tokens[i].start..tokens[i].end];
    let splice =
        |start: usize, end: usize, with: &str| format!("{}{with}{}", &text[..start], &text[end..]);
    let mutant = |text: String, description: String| Mutant {
        text,
        mutation,
        description,
    };
    match mutation {
        Mutation::Delete | Mutation::Duplicate | Mutation::Replace => {
            let i = *words.get(rng.below(words.len().max(1)))?;
            let t = tokens[i];
            let line = line_of(text, t.start);
            let word = tok(i);
            Some(match mutation {
                Mutation::Delete => mutant(
                    splice(t.start, t.end, ""),
                    format!("delete `{word}` at line {line}"),
                ),
                Mutation::Duplicate => mutant(
                    splice(t.start, t.end, &format!("{word} {word}")),
                    format!("duplicate `{word}` at line {line}"),
                ),
                _ => {
                    let all = apparmor_words();
                    let with = all[rng.below(all.len())];
                    mutant(
                        splice(t.start, t.end, with),
                        format!("replace `{word}` by `{with}` at line {line}"),
                    )
                }
            })
        }
        Mutation::Swap => {
            if words.len() < 2 {
                return None;
            }
            let k = rng.below(words.len() - 1);
            let (a, b) = (tokens[words[k]], tokens[words[k + 1]]);
            let (x, y) = (tok(words[k]), tok(words[k + 1]));
            let text2 = format!(
                "{}{y}{}{x}{}",
                &text[..a.start],
                &text[a.end..b.start],
                &text[b.end..]
            );
            let line = line_of(text, a.start);
            Some(mutant(
                text2,
                format!("swap `{x}` and `{y}` at line {line}"),
            ))
        }
        Mutation::DropComma => {
            let commas: Vec<usize> = words.iter().copied().filter(|&i| tok(i) == ",").collect();
            let i = *commas.get(rng.below(commas.len().max(1)))?;
            let line = line_of(text, tokens[i].start);
            Some(mutant(
                splice(tokens[i].start, tokens[i].end, ""),
                format!("drop the comma at line {line}"),
            ))
        }
        Mutation::Wrap => {
            // A space between two words of one line becomes a newline.
            let gaps: Vec<usize> = (1..tokens.len().saturating_sub(1))
                .filter(|&i| {
                    tokens[i].space
                        && !tokens[i - 1].space
                        && !tokens[i + 1].space
                        && !tok(i).contains('\n')
                        && !tok(i).starts_with('#')
                })
                .collect();
            let i = *gaps.get(rng.below(gaps.len().max(1)))?;
            let line = line_of(text, tokens[i].start);
            let indent = "    ";
            Some(mutant(
                splice(tokens[i].start, tokens[i].end, &format!("\n{indent}")),
                format!("wrap line {line} after `{}`", tok(i - 1)),
            ))
        }
        Mutation::Typo => {
            // Anywhere outside a comment, at a character boundary, in a
            // text with something to mistype.
            if words.is_empty() {
                return None;
            }
            let places: Vec<usize> = tokens
                .iter()
                .filter(|t| !text[t.start..].starts_with('#') || !t.space)
                .flat_map(|t| {
                    text[t.start..t.end]
                        .char_indices()
                        .map(move |(i, _)| t.start + i)
                })
                .collect();
            let at = *places.get(rng.below(places.len().max(1)))?;
            let c = TYPO_CHARS[rng.below(TYPO_CHARS.len())];
            let here = text[at..].chars().next().map_or(0, char::len_utf8);
            let line = line_of(text, at);
            let (text2, what) = match rng.below(3) {
                0 => (splice(at, at, &c.to_string()), format!("insert {c:?}")),
                1 => (
                    splice(at, at + here, &c.to_string()),
                    format!("replace by {c:?}"),
                ),
                _ => (splice(at, at + here, ""), "delete a character".to_string()),
            };
            (text2 != text).then(|| mutant(text2, format!("typo: {what} at line {line}")))
        }
        Mutation::Join => {
            // A newline after a comma becomes a space.
            let joins: Vec<usize> = (1..tokens.len())
                .filter(|&i| tokens[i].space && tok(i).contains('\n') && tok(i - 1) == ",")
                .collect();
            let i = *joins.get(rng.below(joins.len().max(1)))?;
            let line = line_of(text, tokens[i].start);
            Some(mutant(
                splice(tokens[i].start, tokens[i].end, " "),
                format!("join line {line} with the next"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# a comment, with words\n#include <tunables/global>\nprofile p {\n  /tmp/** rw,\n  capability chown,\n}\n";

    #[test]
    fn tokens_split_words_punctuation_and_skip_comments() {
        let words: Vec<&str> = tokens(TEXT)
            .iter()
            .filter(|t| !t.space)
            .map(|t| &TEXT[t.start..t.end])
            .collect();
        assert_eq!(
            words,
            [
                "#include",
                "<",
                "tunables/global",
                ">",
                "profile",
                "p",
                "{",
                "/tmp/**",
                "rw",
                ",",
                "capability",
                "chown",
                ",",
                "}"
            ]
        );
    }

    #[test]
    fn every_mutation_changes_the_text_and_is_deterministic() {
        for mutation in Mutation::ALL {
            let a = apply(TEXT, mutation, &mut Rng(3)).expect("applies");
            let b = apply(TEXT, mutation, &mut Rng(3)).expect("applies");
            assert_eq!(a.text, b.text);
            assert_ne!(a.text, TEXT, "{mutation:?}");
            assert!(
                a.text.starts_with("# a comment, with words\n"),
                "{mutation:?}"
            );
        }
    }

    #[test]
    fn each_mutation_does_what_it_says() {
        let text = "p {\n  /a r,\n  /b w,\n}\n";
        let m = apply(text, Mutation::DropComma, &mut Rng(0)).unwrap();
        assert_eq!(m.text.matches(',').count(), 1);
        let m = apply(text, Mutation::Join, &mut Rng(0)).unwrap();
        assert_eq!(m.text.lines().count(), 3);
        let m = apply(text, Mutation::Wrap, &mut Rng(0)).unwrap();
        assert_eq!(m.text.lines().count(), 5);
        let m = apply(text, Mutation::Swap, &mut Rng(0)).unwrap();
        assert_eq!(m.text.len(), text.len());
        for seed in 0..20 {
            let m = apply(text, Mutation::Typo, &mut Rng(seed)).unwrap();
            assert!(m.text.len().abs_diff(text.len()) <= 1, "{}", m.description);
        }
    }

    #[test]
    fn nothing_to_mutate_gives_none() {
        assert!(mutate("", 1).is_none());
        assert!(mutate("# only a comment\n", 1).is_none());
        assert!(mutate("p {\n}\n", 5).is_some());
    }

    #[test]
    fn the_word_list_has_every_vocabulary() {
        let words = apparmor_words();
        for w in [
            "chown",
            "rtmin+3",
            "inet6",
            "eavesdrop",
            "sqpoll",
            "default_allow",
            "priority",
        ] {
            assert!(words.contains(&w), "{w}");
        }
    }
}
