//! Shared helpers of the encoder cross-checks: a decoder and walker for
//! the file DFA of a blob, a derivative matcher for expressions, and a
//! small rule language that builds model rules.
#![allow(dead_code)]

pub mod mini;
pub mod records;

use aaprof::dfa::Accept;
use aaprof::encode::{EncodeTarget, FileRecord, accept_words, encode_file_rules};
use aaprof::expr::Expr;
use aaprof::model::{
    ChangeProfileRule, ExecFallback, ExecMode, FileAccess, FileRule, LinkRule, Origin, Ownership,
    Profile, Qualifiers, Rule, RuleKind, Verdict,
};
use std::path::PathBuf;

pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Compiles `profile t { <rules> }` with the 4.1 parser; `None` when it
/// rejects the profile or is unavailable.
pub fn compile(rules: &str) -> Option<Vec<u8>> {
    let features = shared().join("features/debian-6.1.txt");
    crate::support::reference_compile(&format!("profile t {{ {rules} }}\n"), &features)
}

/// The decoded tables of one DFA.
pub struct Dfa {
    accept: Vec<u32>,
    accept2: Vec<u32>,
    base: Vec<u32>,
    default: Vec<u32>,
    next: Vec<u32>,
    check: Vec<u32>,
}

pub fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// The file DFA is the last `aadfa` blob of the (single) record.
pub fn file_dfa(blob: &[u8]) -> Dfa {
    let name = b"aadfa\0";
    let at = blob
        .windows(name.len())
        .rposition(|window| window == name)
        .expect("a file DFA");
    dfa_at(blob, at + name.len() + 5)
}

/// Decodes the DFA whose (padded) blob payload starts at `pos`.
pub fn dfa_at(blob: &[u8], mut pos: usize) -> Dfa {
    while be32(blob, pos) != 0x1B5E_783D {
        pos += 1;
    }
    let dfa = &blob[pos..];
    let hsize = be32(dfa, 4) as usize;
    let ssize = be32(dfa, 8) as usize;
    let mut tables: Vec<(u16, Vec<u32>)> = Vec::new();
    let mut offset = hsize;
    while offset < ssize {
        let id = u16::from_be_bytes([dfa[offset], dfa[offset + 1]]);
        let width = u16::from_be_bytes([dfa[offset + 2], dfa[offset + 3]]) as usize;
        let count = be32(dfa, offset + 8) as usize;
        let data = &dfa[offset + 12..];
        let values = (0..count)
            .map(|i| match width {
                1 => u32::from(data[i]),
                2 => u32::from(u16::from_be_bytes([data[2 * i], data[2 * i + 1]])),
                _ => be32(data, 4 * i),
            })
            .collect();
        tables.push((id, values));
        offset += (12 + width * count).div_ceil(8) * 8;
    }
    let table = |id: u16| {
        tables
            .iter()
            .find(|(table_id, _)| *table_id == id)
            .map(|(_, values)| values.clone())
            .unwrap_or_default()
    };
    Dfa {
        accept: table(1),
        accept2: table(7),
        base: table(2),
        default: table(4),
        next: table(8),
        check: table(3),
    }
}

impl Dfa {
    pub fn walk(&self, input: &[u8]) -> (u32, u32) {
        let mut state = 1usize;
        for &byte in input {
            let pos = (self.base[state] & 0xFF_FFFF) as usize + usize::from(byte);
            state = if self.check.get(pos) == Some(&(state as u32)) {
                self.next[pos] as usize
            } else {
                self.default[state] as usize
            };
        }
        (
            self.accept[state],
            self.accept2.get(state).copied().unwrap_or(0),
        )
    }
}

/// Brzozowski derivative matcher; `Alt(vec![])` is the empty language.
pub fn nullable(expr: &Expr) -> bool {
    match expr {
        Expr::Empty | Expr::Star(_) | Expr::Optional(_) => true,
        Expr::Byte(_) | Expr::Class(_) | Expr::NotClass(_) | Expr::Any | Expr::OutOfBand => false,
        Expr::Concat(items) => items.iter().all(nullable),
        Expr::Alt(branches) => branches.iter().any(nullable),
        Expr::Plus(inner) => nullable(inner),
    }
}

pub fn derive(expr: &Expr, byte: u8) -> Expr {
    let accepts = |ok: bool| if ok { Expr::Empty } else { void() };
    match expr {
        Expr::Empty | Expr::OutOfBand => void(),
        Expr::Byte(b) => accepts(*b == byte),
        Expr::Class(set) => accepts(set.contains(byte)),
        Expr::NotClass(set) => accepts(!set.contains(byte)),
        Expr::Any => Expr::Empty,
        Expr::Concat(items) => match items.split_first() {
            None => void(),
            Some((first, rest)) => {
                let rest = concat(rest.to_vec());
                let mut branches = vec![concat(vec![derive(first, byte), rest.clone()])];
                if nullable(first) {
                    branches.push(derive(&rest, byte));
                }
                alt(branches)
            }
        },
        Expr::Alt(branches) => alt(branches.iter().map(|b| derive(b, byte)).collect()),
        Expr::Star(inner) | Expr::Plus(inner) => {
            concat(vec![derive(inner, byte), Expr::Star(inner.clone())])
        }
        Expr::Optional(inner) => derive(inner, byte),
    }
}

/// The empty language.
fn void() -> Expr {
    Expr::Alt(vec![])
}

fn is_void(expr: &Expr) -> bool {
    matches!(expr, Expr::Alt(branches) if branches.is_empty())
}

/// A sequence, collapsing to void or dropping empty parts.
fn concat(items: Vec<Expr>) -> Expr {
    if items.iter().any(is_void) {
        return void();
    }
    let mut items: Vec<Expr> = items.into_iter().filter(|e| *e != Expr::Empty).collect();
    match items.len() {
        0 => Expr::Empty,
        1 => items.pop().unwrap(),
        _ => Expr::Concat(items),
    }
}

/// An alternation without void branches or duplicates.
fn alt(branches: Vec<Expr>) -> Expr {
    let mut kept: Vec<Expr> = Vec::new();
    for branch in branches {
        if !is_void(&branch) && !kept.contains(&branch) {
            kept.push(branch);
        }
    }
    if kept.len() == 1 {
        return kept.pop().unwrap();
    }
    Expr::Alt(kept)
}

pub fn matches(expr: &Expr, input: &[u8]) -> bool {
    let mut current = expr.clone();
    for &byte in input {
        current = derive(&current, byte);
    }
    nullable(&current)
}

/// Parses the small rule language of these tests into the model:
/// `[audit] [deny|prompt] [owner|other] [priority=N] PATH PERMS [-> T]`,
/// `link [subset] A -> B`, `change_profile [unsafe] [EXEC] -> T`.
pub fn parse_rule(text: &str) -> Rule {
    let mut q = Qualifiers::default();
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while let Some(&word) = words.first() {
        match word {
            "audit" => q.audit = true,
            "allow" => q.verdict = Verdict::Allow,
            "deny" => q.verdict = Verdict::Deny,
            "prompt" => q.verdict = Verdict::Prompt,
            "owner" => q.owner = Ownership::Owner,
            "other" => q.owner = Ownership::Other,
            _ if word.starts_with("priority=") => q.priority = word[9..].parse().unwrap(),
            _ => break,
        }
        words.remove(0);
    }
    let target = words
        .iter()
        .position(|&w| w == "->")
        .map(|at| words[at + 1].to_owned());
    if let Some(at) = words.iter().position(|&w| w == "->") {
        words.truncate(at);
    }
    let kind = match words[0] {
        "link" => RuleKind::Link(LinkRule {
            subset: words.contains(&"subset"),
            link: words.last().unwrap().to_string(),
            target: target.unwrap(),
        }),
        "change_profile" => RuleKind::ChangeProfile(ChangeProfileRule {
            exec_mode: words.contains(&"unsafe").then(|| "unsafe".to_owned()),
            exec: words
                .iter()
                .find(|w| w.starts_with('/'))
                .map(|w| w.to_string()),
            target,
            stack: false,
        }),
        path => RuleKind::File(FileRule {
            path: Some(path.to_owned()),
            access: access(words[1]),
            exec_target: target,
        }),
    };
    Rule {
        qualifiers: q,
        kind,
        origin: Origin::default(),
    }
}

pub fn access(perms: &str) -> FileAccess {
    let mut access = FileAccess {
        read: perms.contains('r'),
        write: perms.contains('w'),
        append: perms.contains('a'),
        mmap_exec: perms.contains('m'),
        lock: perms.contains('k'),
        link: perms.contains('l'),
        exec: None,
    };
    if let Some(x) = perms.find('x') {
        let modifier: String = perms[..x]
            .chars()
            .filter(|c| "iIpPcCuU".contains(*c))
            .collect();
        let safe = modifier.chars().next().is_some_and(|c| c.is_uppercase());
        let fallback = if modifier.len() < 2 {
            ExecFallback::None
        } else if modifier.ends_with(['i', 'I']) {
            ExecFallback::Inherit
        } else {
            ExecFallback::Unconfined
        };
        access.exec = Some(match modifier.to_lowercase().chars().next() {
            None => ExecMode::Plain,
            Some('i') => ExecMode::Inherit,
            Some('p') => ExecMode::Profile { safe, fallback },
            Some('c') => ExecMode::Child { safe, fallback },
            _ => ExecMode::Unconfined { safe },
        });
    }
    access
}

/// The packed words this crate predicts for `probe` in a profile named
/// `name` with these rules.
pub fn predicted_words(profile: &Profile, probe: &[u8]) -> (u32, u32) {
    let encoded = encode_file_rules(profile, &EncodeTarget::default()).unwrap();
    let accepting: Vec<&FileRecord> = encoded
        .rules
        .iter()
        .filter(|(expr, _)| matches(expr, probe))
        .map(|(_, record)| record)
        .collect();
    let combined = FileRecord::combine(&accepting).unwrap();
    accept_words(combined.state().unwrap())
}

/// A profile named `name` with rules in the test rule language.
pub fn profile(name: &str, rules: &[&str]) -> Profile {
    Profile {
        name: name.to_owned(),
        rules: rules.iter().map(|r| parse_rule(r)).collect(),
        ..Profile::default()
    }
}

/// The packed words predicted for `probe` from already encoded rules.
pub fn predicted_from(rules: &[(Expr, FileRecord)], probe: &[u8]) -> (u32, u32) {
    let accepting: Vec<&FileRecord> = rules
        .iter()
        .filter(|(expr, _)| matches(expr, probe))
        .map(|(_, record)| record)
        .collect();
    let combined = FileRecord::combine(&accepting).unwrap();
    accept_words(combined.state().unwrap())
}

/// The combined state permissions predicted for `probe`.
pub fn predicted_state(rules: &[(Expr, FileRecord)], probe: &[u8]) -> aaprof::encode::StatePerms {
    let accepting: Vec<&FileRecord> = rules
        .iter()
        .filter(|(expr, _)| matches(expr, probe))
        .map(|(_, record)| record)
        .collect();
    *FileRecord::combine(&accepting).unwrap().state().unwrap()
}
