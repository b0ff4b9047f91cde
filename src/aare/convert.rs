//! The glob-to-expression converter (binary-format §6), done in one pass
//! over the glob text.

use super::class;
use super::error::AareError;
use super::escape::{self, Escape};
use crate::expr::{ByteSet, Expr};

/// Deepest `{...}` nesting the parser accepts.
pub const MAX_ALTERNATION_DEPTH: usize = 49;

/// Longest glob text (variables expanded) converted. Real profiles' lines
/// stay under 1.2 KiB, but a variable of many values becomes one long
/// alternation: upstream's `vars_stress_02` test expands to 32 KiB, which
/// apparmor_parser accepts. At 256 KiB a pattern still builds in a few
/// seconds; the position bound caps the memory of many such rules.
pub const MAX_PATTERN_BYTES: usize = 256 << 10;

/// How `*`, `**` and `?` translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GlobStyle {
    /// Paths and labels: wildcards never match NUL, `*`/`?` never match `/`.
    #[default]
    Default,
    /// xattr values and abstract unix names: wildcards may match NUL.
    Null,
}

/// The parser's pattern classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// No wildcard, class or alternation: matches exactly its own text.
    Basic,
    /// The only special construct is a final `**`.
    TailGlob,
    /// Anything else.
    Regex,
}

/// A converted glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    pub expr: Expr,
    pub kind: PatternKind,
}

/// Converts AARE glob text (variables already expanded) to an expression.
pub fn convert(text: &str, style: GlobStyle) -> Result<Glob, AareError> {
    convert_bytes(text.as_bytes(), style)
}

/// Converts a file path glob: slashes filtered, default globbing — the
/// `P(path)` of binary-format §5.4 for paths (not for labels or names,
/// which are not slash-filtered).
pub fn convert_path(path: &str) -> Result<Glob, AareError> {
    convert(&filter_slashes(path), GlobStyle::Default)
}

/// [`convert`] for glob text that is not UTF-8.
pub fn convert_bytes(text: &[u8], style: GlobStyle) -> Result<Glob, AareError> {
    convert_with(text, style, false)
}

/// Converts an xattr value (`xattrs=(name=VALUE)`) the way 5.0.2 does.
///
/// 5.0.2 converts xattr values like any glob but ignores the conversion's
/// verdict and keeps the regex text written so far, which its regex parser
/// then accepts or rejects. The conversion stops at its first error, so a
/// value is still accepted, cut after the error, when what was written is
/// balanced:
/// - a `{...}` without a comma at the top level (`{x}`, `a{b{c,d}}`,
///   `{}`) counts as the group it was written as, and the rest of the
///   value is ignored (`{d}zz` is `d`);
/// - a `]` with no `[`, outside any group, is a literal `]` and ends the
///   value (`a]b` is `a]`);
/// - a trailing `\` outside any group is dropped.
///
/// Every other error (a group or class left open, a single-item group
/// inside another group, a stray `}`) leaves unbalanced text and 5.0.2
/// rejects the profile; so does this function.
pub fn convert_xattr_value(text: &str) -> Result<Glob, AareError> {
    convert_with(text.as_bytes(), GlobStyle::Null, true)
}

fn convert_with(text: &[u8], style: GlobStyle, xattr_leniency: bool) -> Result<Glob, AareError> {
    if text.len() > MAX_PATTERN_BYTES {
        return Err(AareError::TooLong {
            len: text.len(),
            max: MAX_PATTERN_BYTES,
        });
    }
    let mut parser = Parser {
        src: text,
        pos: 0,
        style,
        kind: PatternKind::Basic,
        xattr_leniency,
        stopped: false,
    };
    let items = parser.sequence(0)?;
    // At depth 0 the only thing that stops a sequence early is a `}`
    // (or, for an xattr value, the first tolerated error).
    if parser.pos < text.len() && !parser.stopped {
        return Err(AareError::UnmatchedCloseBrace {
            position: parser.pos,
        });
    }
    Ok(Glob {
        expr: concat(items),
        kind: parser.kind,
    })
}

/// Collapses runs of `/` to one, except a leading `//` followed by a
/// character other than `/` (binary-format §6).
pub fn filter_slashes(path: &str) -> String {
    let bytes = path.as_bytes();
    let keep_double = bytes.len() > 2 && bytes[0] == b'/' && bytes[1] == b'/' && bytes[2] != b'/';
    let mut out = String::with_capacity(path.len());
    if keep_double {
        out.push('/');
    }
    let mut previous_slash = false;
    for ch in path.chars() {
        if ch == '/' && previous_slash {
            continue;
        }
        previous_slash = ch == '/';
        out.push(ch);
    }
    out
}

/// Builds a sequence node: nothing is [`Expr::Empty`], one item is itself.
pub(crate) fn concat(mut items: Vec<Expr>) -> Expr {
    match items.len() {
        0 => Expr::Empty,
        1 => items.pop().unwrap_or(Expr::Empty),
        _ => Expr::Concat(items),
    }
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    style: GlobStyle,
    kind: PatternKind,
    /// Tolerate at the top level the errors 5.0.2 tolerates in xattr
    /// values ([`convert_xattr_value`]).
    xattr_leniency: bool,
    /// Set when a tolerated error ended the conversion: the rest of the
    /// text is ignored.
    stopped: bool,
}

impl Parser<'_> {
    /// Parses items until the end, or (inside braces) an unescaped `,` or
    /// `}`, which is left for the caller.
    fn sequence(&mut self, depth: usize) -> Result<Vec<Expr>, AareError> {
        let mut items = Vec::new();
        while let Some(&byte) = self.src.get(self.pos) {
            if self.stopped {
                break;
            }
            match byte {
                b'{' => match self.alternation(depth)? {
                    // Only an xattr value's tolerated `{}` is empty.
                    Expr::Empty => {}
                    group => items.push(group),
                },
                b',' | b'}' if depth > 0 => break,
                b'}' => break,
                b'[' => {
                    let (node, end) = class::parse(self.src, self.pos)?;
                    self.kind = PatternKind::Regex;
                    items.push(node);
                    self.pos = end;
                }
                b']' if self.xattr_leniency && depth == 0 => {
                    items.push(Expr::Byte(b']'));
                    self.pos += 1;
                    self.stopped = true;
                }
                b']' => return Err(AareError::UnmatchedCloseBracket { position: self.pos }),
                b'*' => self.stars(&mut items),
                b'?' => {
                    self.kind = PatternKind::Regex;
                    items.push(self.one_component_byte());
                    self.pos += 1;
                }
                b'\\' => {
                    if self.pos + 1 >= self.src.len() {
                        if self.xattr_leniency && depth == 0 {
                            self.pos += 1;
                            self.stopped = true;
                            break;
                        }
                        return Err(AareError::TrailingBackslash { position: self.pos });
                    }
                    let (escape, used) = escape::decode(self.src, self.pos + 1);
                    let (Escape::Byte(value) | Escape::Char(value)) = escape;
                    items.push(Expr::Byte(value));
                    self.pos += 1 + used;
                }
                _ => {
                    items.push(Expr::Byte(byte));
                    self.pos += 1;
                }
            }
        }
        Ok(items)
    }

    /// Parses `{a,b,...}` starting at the `{`.
    fn alternation(&mut self, depth: usize) -> Result<Expr, AareError> {
        let open = self.pos;
        if depth + 1 > MAX_ALTERNATION_DEPTH {
            return Err(AareError::TooDeep {
                position: open,
                max: MAX_ALTERNATION_DEPTH,
            });
        }
        self.kind = PatternKind::Regex;
        self.pos += 1;
        let mut branches = Vec::new();
        loop {
            let branch = self.sequence(depth + 1)?;
            branches.push(concat(branch));
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(AareError::UnclosedBrace { position: open }),
            }
        }
        if branches.len() < 2 {
            if self.xattr_leniency && depth == 0 {
                self.stopped = true;
                return Ok(branches.pop().unwrap_or(Expr::Empty));
            }
            return Err(AareError::SingleItemAlternation { position: open });
        }
        Ok(Expr::Alt(branches))
    }

    /// A run of `*`: pairs are `**`, a leftover is `*`; after a `/` and
    /// before a `/` or the end, the run must match at least one byte.
    fn stars(&mut self, items: &mut Vec<Expr>) {
        let start = self.pos;
        let run = self.src[start..].iter().take_while(|&&b| b == b'*').count();
        let after = start + run;
        let slash_before = start > 0 && self.src[start - 1] == b'/';
        let component_end = after == self.src.len() || self.src[after] == b'/';
        if self.kind == PatternKind::Basic && run >= 2 && after == self.src.len() {
            self.kind = PatternKind::TailGlob;
        } else {
            self.kind = PatternKind::Regex;
        }
        if slash_before && component_end {
            items.push(self.one_component_byte());
        }
        for _ in 0..run / 2 {
            items.push(Expr::Star(Box::new(self.any_byte())));
        }
        if run % 2 == 1 {
            items.push(Expr::Star(Box::new(self.one_component_byte())));
        }
        self.pos = after;
    }

    /// `?`: one byte within a path component.
    fn one_component_byte(&self) -> Expr {
        let mut excluded = ByteSet::single(b'/');
        if self.style == GlobStyle::Default {
            excluded.insert(0);
        }
        Expr::NotClass(excluded)
    }

    /// The repeated part of `**`.
    fn any_byte(&self) -> Expr {
        match self.style {
            GlobStyle::Default => Expr::NotClass(ByteSet::single(0)),
            GlobStyle::Null => Expr::Any,
        }
    }
}
