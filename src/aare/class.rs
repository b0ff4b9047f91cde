//! Bracket expressions: `[abc]`, `[^/]`, `[a-z]`.
//!
//! The glob stage copies the class text through and the regex stage reads
//! it; the quirks of that pair are reproduced here (checked against the 4.1
//! parser's expression dumps): escapes whose backslash the glob stage drops
//! become active again (`[\^a]` is negated, `[a\-z]` is a range), `\,`
//! yields both a backslash and a comma, `[` is an ordinary member, a
//! dangling `-` after a member (`[a-]`, `[a-c-e]`) is an error, and a
//! reversed range (`[z-a]`) is accepted.

use super::error::AareError;
use super::escape::{self, Escape};
use crate::expr::{ByteSet, Expr};

/// One lexical item of a class body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Member(u8),
    Dash,
}

/// Parses the class whose `[` is at `src[open]`. Returns the node and the
/// index just past the closing `]`.
pub(super) fn parse(src: &[u8], open: usize) -> Result<(Expr, usize), AareError> {
    let mut pos = open + 1;
    let mut negated = false;
    match src.get(pos..) {
        Some([b'^', ..]) => {
            negated = true;
            pos += 1;
        }
        Some([b'\\', b'^', ..]) => {
            negated = true;
            pos += 2;
        }
        _ => {}
    }

    let mut items: Vec<(Item, usize)> = Vec::new();
    loop {
        let Some(&byte) = src.get(pos) else {
            return Err(AareError::UnclosedClass { position: open });
        };
        match byte {
            b']' => break,
            b'*' | b'?' => {
                return Err(AareError::GlobInClass {
                    position: pos,
                    found: char::from(byte),
                });
            }
            b'-' => {
                items.push((Item::Dash, pos));
                pos += 1;
            }
            b'\\' => {
                if pos + 1 >= src.len() {
                    return Err(AareError::TrailingBackslash { position: pos });
                }
                let (escape, used) = escape::decode(src, pos + 1);
                match escape {
                    Escape::Byte(value) => items.push((Item::Member(value), pos)),
                    Escape::Char(b'-') => items.push((Item::Dash, pos)),
                    Escape::Char(b',') => {
                        items.push((Item::Member(b'\\'), pos));
                        items.push((Item::Member(b','), pos));
                    }
                    Escape::Char(value) => items.push((Item::Member(value), pos)),
                }
                pos += 1 + used;
            }
            _ => {
                items.push((Item::Member(byte), pos));
                pos += 1;
            }
        }
    }
    let close = pos;
    if items.is_empty() {
        return Err(AareError::EmptyClass { position: open });
    }

    let set = members(&items)?;
    let node = if negated {
        Expr::NotClass(set)
    } else {
        Expr::Class(set)
    };
    Ok((node, close + 1))
}

/// Resolves ranges: a dash is literal only as the first item.
fn members(items: &[(Item, usize)]) -> Result<ByteSet, AareError> {
    let mut set = ByteSet::EMPTY;
    let mut index = 0;
    while index < items.len() {
        match items[index] {
            (Item::Dash, _) if index == 0 => {
                set.insert(b'-');
                index += 1;
            }
            (Item::Dash, position) => return Err(AareError::InvalidRange { position }),
            (Item::Member(low), _) => match items.get(index + 1) {
                Some(&(Item::Dash, position)) => match items.get(index + 2) {
                    Some(&(Item::Member(high), _)) => {
                        set.insert_range(low.min(high), low.max(high));
                        index += 3;
                    }
                    _ => return Err(AareError::InvalidRange { position }),
                },
                _ => {
                    set.insert(low);
                    index += 1;
                }
            },
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> Result<Expr, AareError> {
        parse(text.as_bytes(), 0).map(|(expr, end)| {
            assert_eq!(end, text.len(), "class should end at the text end");
            expr
        })
    }

    fn set(bytes: &[u8]) -> ByteSet {
        let mut set = ByteSet::EMPTY;
        bytes.iter().for_each(|&byte| set.insert(byte));
        set
    }

    #[test]
    fn plain_and_negated() {
        assert_eq!(class("[abc]"), Ok(Expr::Class(set(b"abc"))));
        assert_eq!(class("[^/]"), Ok(Expr::NotClass(set(b"/"))));
        assert_eq!(class("[a]"), Ok(Expr::Class(set(b"a"))));
    }

    #[test]
    fn ranges() {
        let mut az = ByteSet::EMPTY;
        az.insert_range(b'a', b'z');
        assert_eq!(class("[a-z]"), Ok(Expr::Class(az)));
        assert_eq!(class("[z-a]"), Ok(Expr::Class(az)));
        assert_eq!(class("[a\\-z]"), Ok(Expr::Class(az)));
        let mut controls = ByteSet::EMPTY;
        controls.insert_range(0, 0x1f);
        assert_eq!(class("[\\x00-\\x1f]"), Ok(Expr::Class(controls)));
        assert_eq!(class("[-a]"), Ok(Expr::Class(set(b"-a"))));
        assert!(matches!(class("[a-]"), Err(AareError::InvalidRange { .. })));
        assert!(matches!(
            class("[a-c-e]"),
            Err(AareError::InvalidRange { .. })
        ));
    }

    #[test]
    fn escapes_inside() {
        assert_eq!(class("[\\]]"), Ok(Expr::Class(set(b"]"))));
        assert_eq!(class("[\\\\]"), Ok(Expr::Class(set(b"\\"))));
        assert_eq!(class("[b\\,]"), Ok(Expr::Class(set(b"b\\,"))));
        assert_eq!(class("[\\^a]"), Ok(Expr::NotClass(set(b"a"))));
        assert_eq!(class("[{,}]"), Ok(Expr::Class(set(b"{,}"))));
        assert_eq!(class("[[a]"), Ok(Expr::Class(set(b"[a"))));
        assert_eq!(class("[\\n\\t]"), Ok(Expr::Class(set(b"\n\t"))));
    }

    #[test]
    fn errors() {
        assert!(matches!(
            class("[]"),
            Err(AareError::EmptyClass { position: 0 })
        ));
        assert!(matches!(class("[^]"), Err(AareError::EmptyClass { .. })));
        assert!(matches!(
            class("[ab"),
            Err(AareError::UnclosedClass { position: 0 })
        ));
        assert!(matches!(
            class("[a*]"),
            Err(AareError::GlobInClass {
                position: 2,
                found: '*'
            })
        ));
        assert!(matches!(
            class("[a\\"),
            Err(AareError::TrailingBackslash { .. })
        ));
    }
}
