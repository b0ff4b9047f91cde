//! Test-only helpers shared by the DFA integration tests: a tiny glob →
//! [`Expr`] converter for plain file-rule paths (binary-format §6, default
//! glob style, no variables), a packed-permission test record, and a
//! reader that pulls the file DFA out of a reference blob.
//!
//! The real glob converter lives in `src/aare`; this one only covers what
//! the hand-written test cases use.

#![allow(dead_code)]

pub mod regex;

use aaprof::dfa::Accept;
use aaprof::expr::{ByteSet, Expr};

/// Packed ACCEPT/ACCEPT2 words; records combine by OR, which is what the
/// parser does for allow/audit rules without exec modes or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Packed {
    pub accept: u32,
    pub accept2: u32,
}

impl Accept for Packed {
    type Error = std::convert::Infallible;

    fn none() -> Self {
        Packed::default()
    }

    fn combine(accepting: &[&Self]) -> Result<Self, Self::Error> {
        Ok(accepting.iter().fold(Packed::default(), |all, one| Packed {
            accept: all.accept | one.accept,
            accept2: all.accept2 | one.accept2,
        }))
    }
}

/// The packed record of a file rule with the given letters (r w a l k m),
/// `owner` and `audit` qualifiers (§4.1).
pub fn file_perms(letters: &str, owner: bool, audit: bool) -> Packed {
    let mut half = 0u32;
    for letter in letters.chars() {
        half |= match letter {
            'r' => 0x4,
            'w' => 0xA,
            'a' => 0x8,
            'l' => 0x10,
            'k' => 0x20,
            'm' => 0x40,
            other => panic!("test helper does not know permission {other}"),
        };
    }
    let accept = if owner { half } else { half | half << 14 };
    let accept2 = if audit { accept & 0x1F_C07F } else { 0 };
    Packed { accept, accept2 }
}

/// Converts a glob (literal bytes, `*`, `**`, `?`, `{a,b}`, `[…]`, `[^…]`,
/// `\c`) to an expression.
pub fn glob(pattern: &str) -> Expr {
    let bytes = pattern.as_bytes();
    let mut at = 0;
    let expr = alternatives(bytes, &mut at, false);
    assert_eq!(at, bytes.len(), "unbalanced braces in {pattern}");
    expr
}

fn not_slash_nul() -> Expr {
    let mut set = ByteSet::single(b'/');
    set.insert(0);
    Expr::NotClass(set)
}

/// Parses a sequence up to `,`/`}` (inside braces) or the end.
fn sequence(bytes: &[u8], at: &mut usize, in_braces: bool) -> Expr {
    let mut items = Vec::new();
    while *at < bytes.len() {
        let byte = bytes[*at];
        match byte {
            b',' | b'}' if in_braces => break,
            b'{' => {
                *at += 1;
                items.push(alternatives(bytes, at, true));
                assert_eq!(bytes.get(*at), Some(&b'}'));
                *at += 1;
            }
            b'*' => {
                let start = *at;
                while bytes.get(*at) == Some(&b'*') {
                    *at += 1;
                }
                let run = *at - start;
                let after_slash = start > 0 && bytes[start - 1] == b'/';
                let before_end = matches!(bytes.get(*at), None | Some(b'/'));
                if after_slash && before_end {
                    items.push(not_slash_nul());
                }
                let repeated = if run >= 2 {
                    Expr::NotClass(ByteSet::single(0))
                } else {
                    not_slash_nul()
                };
                items.push(Expr::Star(Box::new(repeated)));
            }
            b'?' => {
                *at += 1;
                items.push(not_slash_nul());
            }
            b'[' => {
                *at += 1;
                let negated = bytes.get(*at) == Some(&b'^');
                if negated {
                    *at += 1;
                }
                let mut set = ByteSet::EMPTY;
                while bytes[*at] != b']' {
                    let low = class_byte(bytes, at);
                    if bytes.get(*at) == Some(&b'-') && bytes.get(*at + 1) != Some(&b']') {
                        *at += 1;
                        let high = class_byte(bytes, at);
                        set.insert_range(low, high);
                    } else {
                        set.insert(low);
                    }
                }
                *at += 1;
                items.push(if negated {
                    Expr::NotClass(set)
                } else {
                    Expr::Class(set)
                });
            }
            b'\\' => {
                items.push(Expr::Byte(bytes[*at + 1]));
                *at += 2;
            }
            _ => {
                items.push(Expr::Byte(byte));
                *at += 1;
            }
        }
    }
    Expr::Concat(items)
}

/// One class member: a byte or a `\xHH` escape.
fn class_byte(bytes: &[u8], at: &mut usize) -> u8 {
    if bytes[*at] == b'\\' && bytes.get(*at + 1) == Some(&b'x') {
        let hex = std::str::from_utf8(&bytes[*at + 2..*at + 4]).unwrap();
        *at += 4;
        return u8::from_str_radix(hex, 16).unwrap();
    }
    *at += 1;
    bytes[*at - 1]
}

fn alternatives(bytes: &[u8], at: &mut usize, in_braces: bool) -> Expr {
    let mut options = vec![sequence(bytes, at, in_braces)];
    while in_braces && bytes.get(*at) == Some(&b',') {
        *at += 1;
        options.push(sequence(bytes, at, in_braces));
    }
    if options.len() == 1 {
        options.pop().unwrap()
    } else {
        Expr::Alt(options)
    }
}

/// The decoded tables of one DFA blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub flags: u16,
    pub accept: Vec<u32>,
    pub accept2: Vec<u32>,
    pub base: Vec<u32>,
    pub default: Vec<u32>,
    pub next: Vec<u32>,
    pub check: Vec<u32>,
}

/// The bytes of the last `aadfa` blob (the file DFA of the last profile
/// that has one), from the magic to the end of the DFA.
pub fn last_dfa(blob: &[u8]) -> Option<Vec<u8>> {
    let name = b"\x04\x06\x00aadfa\x00\x06";
    let at = blob.windows(name.len()).rposition(|w| w == name)? + name.len();
    let length = u32::from_le_bytes(blob.get(at..at + 4)?.try_into().ok()?) as usize;
    let payload = blob.get(at + 4..at + 4 + length)?;
    let start = payload.iter().position(|&byte| byte != 0)?;
    Some(payload[start..].to_vec())
}

/// Decodes a DFA blob's tables.
pub fn decode(dfa: &[u8]) -> Tables {
    let be32 = |at: usize| u32::from_be_bytes(dfa[at..at + 4].try_into().unwrap());
    let be16 = |at: usize| u16::from_be_bytes(dfa[at..at + 2].try_into().unwrap());
    let header = be32(4) as usize;
    let size = be32(8) as usize;
    let mut tables = Tables {
        flags: be16(12),
        accept: vec![],
        accept2: vec![],
        base: vec![],
        default: vec![],
        next: vec![],
        check: vec![],
    };
    let mut at = header;
    while at < size {
        let id = be16(at);
        let width = be16(at + 2) as usize;
        let count = be32(at + 8) as usize;
        at += 12;
        let words: Vec<u32> = (0..count)
            .map(|i| match width {
                1 => u32::from(dfa[at + i]),
                2 => u32::from(be16(at + 2 * i)),
                _ => be32(at + 4 * i),
            })
            .collect();
        at = (at + width * count).next_multiple_of(8);
        match id {
            1 => tables.accept = words,
            2 => tables.base = words,
            3 => tables.check = words,
            4 => tables.default = words,
            7 => tables.accept2 = words,
            8 => tables.next = words,
            _ => {}
        }
    }
    tables
}
