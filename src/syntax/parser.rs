//! pest glue: runs the grammar and builds the AST from its pairs.

use super::ast::*;
use super::{ParsedFile, Source, Span};
use crate::diagnostics::{Diagnostic, Location};
use pest::Parser;
use pest::iterators::Pair;
use pest_derive::Parser;
use std::sync::Arc;

#[derive(Parser)]
#[grammar = "../grammar/apparmor.pest"]
struct AppArmorParser;

/// Most syntax errors reported for one file before giving up.
const MAX_SYNTAX_ERRORS: usize = 10;

/// Parses one source text. Never panics; syntax errors become
/// diagnostics. After each error the offending line is blanked out (byte
/// offsets kept) and the parse retried, so several errors can be reported.
pub fn parse(source: Arc<Source>) -> ParsedFile {
    if let Some(offset) = too_deep(&source.text) {
        let d = Diagnostic::error(
            "syntax",
            format!("blocks or lists nested deeper than {MAX_NESTING} levels"),
            Some(Location {
                source: source.clone(),
                span: Span::new(offset, offset + 1),
                file_only: false,
            }),
        );
        return ParsedFile {
            source,
            items: Vec::new(),
            errors: vec![d],
        };
    }
    let mut text = source.text.to_string();
    let mut errors = Vec::new();
    // Blanking a line may leave the parser stuck at the same token (two
    // unfinished rules before one `}`): one report per place.
    let mut last_offset = None;
    while errors.len() < MAX_SYNTAX_ERRORS {
        match AppArmorParser::parse(Rule::file, &text) {
            Ok(mut pairs) => {
                let file = pairs.next();
                if let Some(f) = &file {
                    errors.extend(lexical_errors(&source, f.clone()));
                }
                let items = file
                    .map(|f| f.into_inner().filter_map(item).collect())
                    .unwrap_or_default();
                return ParsedFile {
                    source,
                    items,
                    errors,
                };
            }
            Err(error) => {
                let at = error_offset(&error);
                if last_offset != Some(at) {
                    errors.push(syntax_error(&source, error));
                }
                last_offset = Some(at);
                if !blank_line_at(&mut text, at) {
                    break;
                }
            }
        }
    }
    ParsedFile {
        source,
        items: Vec::new(),
        errors,
    }
}

fn error_offset(error: &pest::error::Error<Rule>) -> usize {
    match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// Blanks the line a syntax error most likely belongs to: the line of
/// `at`, or the previous non-blank line when the error sits at the start
/// of a line and that line lacks its final `,`. Braces standing alone are
/// kept so the block structure survives. Returns false when nothing could
/// be blanked (no progress possible).
fn blank_line_at(text: &mut String, at: usize) -> bool {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let line_start = |end: usize| {
        bytes[..end]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let mut start = line_start(at);
    if bytes[start..at].iter().all(|b| b.is_ascii_whitespace()) && start > 0 {
        let before = &text[..start];
        let trimmed = before.trim_end();
        let previous = line_start(trimmed.len());
        let is_comment = trimmed[previous..].trim_start().starts_with('#');
        if !trimmed.is_empty() && !trimmed.ends_with([',', '{', '}']) && !is_comment {
            start = previous;
        }
    }
    let end = bytes[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| start + i);
    let mut line = bytes[start..end].to_vec();
    let mut changed = false;
    for i in 0..line.len() {
        let standalone_brace = matches!(line[i], b'{' | b'}')
            && (i == 0 || line[i - 1].is_ascii_whitespace())
            && (i + 1 == line.len() || line[i + 1].is_ascii_whitespace());
        if !standalone_brace && !line[i].is_ascii_whitespace() {
            line[i] = b' ';
            changed = true;
        }
    }
    if !changed {
        return false;
    }
    let mut all = std::mem::take(text).into_bytes();
    all[start..end].copy_from_slice(&line);
    // Only ASCII bytes were written over whole lines, so this stays UTF-8.
    *text = String::from_utf8_lossy(&all).into_owned();
    true
}

/// Deepest nesting of `{}` blocks or `()` lists accepted. The parser
/// recurses per level, so this bounds its stack use; real policy nests a
/// handful of levels.
const MAX_NESTING: usize = 128;

/// The offset where brace or parenthesis nesting first exceeds
/// [`MAX_NESTING`], counted over the raw text (comments and quotes
/// included, which can only overcount).
fn too_deep(text: &str) -> Option<usize> {
    let (mut braces, mut parens) = (0usize, 0usize);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' => braces += 1,
            b'}' => braces = braces.saturating_sub(1),
            b'(' => parens += 1,
            b')' => parens = parens.saturating_sub(1),
            _ => continue,
        }
        if braces > MAX_NESTING || parens > MAX_NESTING {
            return Some(i);
        }
    }
    None
}

fn syntax_error(source: &Arc<Source>, error: pest::error::Error<Rule>) -> Diagnostic {
    let start = error_offset(&error);
    // Point at the offending token rather than a single character.
    let rest = source.text.get(start..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace())
        .unwrap_or(rest.len())
        .max(1)
        .min(rest.len());
    let found = rest.get(..len).unwrap_or("");
    let message = if found.is_empty() {
        "syntax error: unexpected end of input".to_string()
    } else {
        format!("syntax error: unexpected `{found}`")
    };
    // The usual cause of an error at the start of a line is a rule on an
    // earlier line that lacks its final comma.
    let before = source.text.get(..start).unwrap_or("");
    let trimmed = before.trim_end();
    let missing_comma = before.len() != trimmed.len()
        && before[trimmed.len()..].contains('\n')
        && !trimmed.ends_with([',', '{', '}'])
        && !trimmed.is_empty();
    let label = if missing_comma {
        "not valid here: does the rule before end with `,`?"
    } else {
        "not valid here"
    };
    Diagnostic::error(
        "syntax",
        message,
        Some(Location {
            source: source.clone(),
            span: Span::new(start, start + len),
            file_only: false,
        }),
    )
    .with_label(label)
}

/// Text the grammar matches only to report it: what apparmor_parser's
/// lexer stops at with "unexpected character", and names of permission
/// letters glued to what follows (see [`super::lexical`]).
fn lexical_errors(source: &Arc<Source>, file: Pair<Rule>) -> Vec<Diagnostic> {
    file.into_inner()
        .flatten()
        .filter_map(|p| {
            let start = p.as_span().start();
            let (message, label, span) = match p.as_rule() {
                Rule::bad_angle => (
                    "invalid `<...>` name: expected a name without quotes, tabs or line \
                     ends, or `<\"name\">`"
                        .to_string(),
                    "unexpected `<`",
                    Span::new(start, start + 1),
                ),
                Rule::init_stray => (
                    format!(
                        "unexpected character `{}`: outside the rule classes with words of \
                         their own, a word starts with a letter, `/`, `@`, `:` or `&`",
                        p.as_str().chars().next().unwrap_or(' ')
                    ),
                    "unexpected character",
                    Span::new(start, start + 1),
                ),
                Rule::userns_hash => (
                    "unexpected character `#`: a userns rule takes no comment before its comma"
                        .to_string(),
                    "unexpected character",
                    span(&p),
                ),
                Rule::init_assign => (
                    "a variable followed by an assignment operator starts an assignment, \
                     which cannot stand inside a rule"
                        .to_string(),
                    "assignment inside a rule",
                    span(&p),
                ),
                Rule::init_include => (
                    "`include` and a blank start an include, which cannot stand inside a \
                     rule (a comma is missing before it?)"
                        .to_string(),
                    "include inside a rule",
                    span(&p),
                ),
                Rule::init_name => (
                    format!(
                        "`{}` is read as a name here, not as permissions: permissions end \
                         at a blank or a comma",
                        p.as_str()
                    ),
                    "permissions must be followed by a blank or `,`",
                    super::lexical::glued_mode_name(&source.text, span(&p))?,
                ),
                _ => return None,
            };
            Some(
                Diagnostic::error(
                    "syntax",
                    message,
                    Some(Location {
                        source: source.clone(),
                        span,
                        file_only: false,
                    }),
                )
                .with_label(label),
            )
        })
        .collect()
}

fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn item(pair: Pair<Rule>) -> Option<Item> {
    let sp = span(&pair);
    Some(match pair.as_rule() {
        Rule::include => Item::Include(include(pair)?),
        Rule::abi => {
            let inner = pair.into_inner().next()?;
            if inner.as_rule() == Rule::bad_angle {
                return None;
            }
            let angle = inner.as_rule() == Rule::angle_path;
            let name = match inner.as_rule() {
                Rule::angle_path => angle_text(inner),
                Rule::quoted => unquote(inner.as_str()),
                _ => inner.as_str().to_string(),
            };
            Item::Abi(Abi {
                name,
                angle,
                span: sp,
            })
        }
        Rule::alias => {
            let mut it = pair.into_inner().map(token);
            let from = it.next()?;
            let to = it.next()?;
            Item::Alias(Alias { from, to, span: sp })
        }
        Rule::var_def => {
            let mut it = pair.into_inner();
            let name = var_name(it.next()?.as_str());
            let op = var_op(it.next()?.as_str());
            let values = it
                .next()
                .map(|v| {
                    v.into_inner()
                        .filter_map(|p| p.into_inner().next().map(token))
                        .collect()
                })
                .unwrap_or_default();
            Item::VarDef(VarDef {
                name,
                op,
                values,
                span: sp,
            })
        }
        Rule::bool_def => {
            let mut it = pair.into_inner();
            let name = var_name(it.next()?.as_str());
            let op = var_op(it.next()?.as_str());
            let value = bool_value(it.next()?);
            Item::BoolDef(BoolDef {
                name,
                op,
                value,
                span: sp,
            })
        }
        Rule::if_block => Item::If(if_block(pair)?),
        Rule::qualifier_block => {
            let mut qualifiers = Vec::new();
            let mut items = Vec::new();
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::qualifier => qualifiers.push(Token {
                        span: span(&p),
                        kind: TokenKind::Word(p.as_str().to_string()),
                    }),
                    Rule::block => items = block(p),
                    _ => {}
                }
            }
            Item::QualifierBlock(QualifierBlock {
                qualifiers,
                items,
                span: sp,
            })
        }
        Rule::profile => {
            let mut keyword = None;
            let mut header = Vec::new();
            let mut items = Vec::new();
            for p in pair.into_inner() {
                if p.as_rule() == Rule::profile_header {
                    for h in p.into_inner() {
                        if h.as_rule() != Rule::profile_intro {
                            header.push(token(h));
                            continue;
                        }
                        for part in h.into_inner() {
                            match part.as_rule() {
                                Rule::profile_kw => {
                                    keyword = Some(if part.as_str() == "hat" {
                                        ProfileKeyword::Hat
                                    } else {
                                        ProfileKeyword::Profile
                                    });
                                }
                                // `^`: a token of its own, read with the
                                // name after it by resolution.
                                _ => header.push(token(part)),
                            }
                        }
                    }
                } else if let Some(i) = item(p) {
                    items.push(i);
                }
            }
            Item::Profile(ProfileDecl {
                keyword,
                header,
                items,
                span: sp,
            })
        }
        Rule::rule => Item::Rule(RuleDecl {
            tokens: rule_tokens(pair),
            span: sp,
        }),
        _ => return None,
    })
}

/// A rule's tokens in order; the groups the grammar needs to read the
/// text in one lexer state (`->` with its target, a change_profile rule's
/// body) are only grouping, not tokens.
fn rule_tokens(pair: Pair<Rule>) -> Vec<Token> {
    let mut out = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::init_arrow | Rule::cp_body | Rule::own_body | Rule::userns_body => {
                out.extend(p.into_inner().map(token))
            }
            _ => out.push(token(p)),
        }
    }
    out
}

fn block(pair: Pair<Rule>) -> Vec<Item> {
    pair.into_inner().filter_map(item).collect()
}

/// An include statement; `None` for a target reported by
/// [`lexical_errors`], and for an include keyword that only blanks follow
/// up to the end of input (5.0.2 includes nothing then).
fn include(pair: Pair<Rule>) -> Option<Include> {
    let sp = span(&pair);
    let mut if_exists = false;
    let mut target = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::if_exists => if_exists = true,
            Rule::include_target => {
                if let Some(t) = p.into_inner().next() {
                    target = Some(match t.as_rule() {
                        Rule::bad_angle => return None,
                        Rule::angle_path => IncludeTarget::Angle(angle_text(t)),
                        Rule::quoted => IncludeTarget::Path(unquote(t.as_str())),
                        _ => IncludeTarget::Path(t.as_str().to_string()),
                    });
                }
            }
            _ => {}
        }
    }
    Some(Include {
        target: target?,
        if_exists,
        span: sp,
    })
}

/// The name inside `<...>`, blanks around it trimmed, unquoted if it was
/// `<"...">`.
fn angle_text(pair: Pair<Rule>) -> String {
    let text = pair.as_str();
    let inner = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text)
        .trim();
    if inner.len() >= 2 && inner.starts_with('"') && inner.ends_with('"') {
        unquote(inner)
    } else {
        inner.to_string()
    }
}

fn if_block(pair: Pair<Rule>) -> Option<IfBlock> {
    let sp = span(&pair);
    let mut it = pair.into_inner();
    let head = it.next()?;
    let cond = cond_expr(head.into_inner().next()?, 0);
    let then = block(it.next()?);
    let otherwise = it.next().and_then(|e| {
        let inner = e.into_inner().next()?;
        Some(match inner.as_rule() {
            Rule::if_block => Else::If(Box::new(if_block(inner)?)),
            _ => Else::Block(block(inner)),
        })
    });
    Some(IfBlock {
        cond,
        then,
        otherwise,
        span: sp,
    })
}

/// The value of `${B} = ...`: its text (to the end of the line, line
/// continuations blanked) parsed as a condition; spans stay file offsets.
fn bool_value(pair: Pair<Rule>) -> CondExpr {
    let sp = span(&pair);
    let text = blank_comments(pair.as_str())
        .replace("\\\r\n", "   ")
        .replace("\\\n", "  ");
    match AppArmorParser::parse(Rule::bool_value, &text) {
        Ok(mut pairs) => pairs
            .next()
            .and_then(|v| v.into_inner().find(|p| p.as_rule() == Rule::cond_expr))
            .map(|e| cond_expr(e, sp.start as usize))
            .unwrap_or(CondExpr::Invalid {
                text: text.trim().to_string(),
                span: sp,
            }),
        Err(_) => CondExpr::Invalid {
            text: text.trim().to_string(),
            span: sp,
        },
    }
}

/// `text` with every comment (`#` outside quotes, to the line end) made
/// blanks, so offsets into it stay offsets into the file.
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = match c {
            '"' => super::lexical::quoted_len(rest).unwrap_or(rest.len()),
            '#' => rest.find('\n').unwrap_or(rest.len()),
            _ => c.len_utf8(),
        };
        let (token, tail) = rest.split_at(len);
        if c == '#' {
            out.extend(std::iter::repeat_n(' ', token.len()));
        } else {
            out.push_str(token);
        }
        rest = tail;
    }
    out
}

/// A span of a pair parsed from text that starts at `offset` in the file.
fn span_at(pair: &Pair<Rule>, offset: usize) -> Span {
    let s = pair.as_span();
    Span::new(offset + s.start(), offset + s.end())
}

/// `a or b and c` is `a or (b and c)`; both group left to right.
fn cond_expr(pair: Pair<Rule>, offset: usize) -> CondExpr {
    let mut terms = pair.into_inner().map(|t| cond_and(t, offset));
    let first = terms.next().unwrap_or(CondExpr::Invalid {
        text: String::new(),
        span: Span::default(),
    });
    terms.fold(first, |acc, t| CondExpr::Or(Box::new(acc), Box::new(t)))
}

fn cond_and(pair: Pair<Rule>, offset: usize) -> CondExpr {
    let mut factors = pair.into_inner().map(|t| cond_unary(t, offset));
    let first = factors.next().unwrap_or(CondExpr::Invalid {
        text: String::new(),
        span: Span::default(),
    });
    factors.fold(first, |acc, t| CondExpr::And(Box::new(acc), Box::new(t)))
}

fn cond_unary(pair: Pair<Rule>, offset: usize) -> CondExpr {
    let mut nots = 0;
    let mut factor = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::cond_not => nots += 1,
            _ => factor = Some(cond_factor(p, offset)),
        }
    }
    let mut expr = factor.unwrap_or(CondExpr::Invalid {
        text: String::new(),
        span: Span::default(),
    });
    // `not not x` is `x`; folding keeps long chains from nesting deeply.
    if nots % 2 == 1 {
        expr = CondExpr::Not(Box::new(expr));
    }
    expr
}

fn cond_factor(pair: Pair<Rule>, offset: usize) -> CondExpr {
    let sp = span_at(&pair, offset);
    let Some(inner) = pair.into_inner().next() else {
        return CondExpr::Invalid {
            text: String::new(),
            span: sp,
        };
    };
    let isp = span_at(&inner, offset);
    match inner.as_rule() {
        Rule::cond_paren => match inner.into_inner().next() {
            Some(e) => cond_expr(e, offset),
            None => CondExpr::Invalid {
                text: String::new(),
                span: isp,
            },
        },
        Rule::cond_defined => CondExpr::Defined {
            name: inner
                .into_inner()
                .next()
                .map(|v| var_name(v.as_str()))
                .unwrap_or_default(),
            span: isp,
        },
        Rule::cond_bool => CondExpr::Bool {
            name: var_name(inner.as_str()),
            span: isp,
        },
        Rule::cond_compare => {
            let mut it = inner.into_inner();
            let left = it.next().map(operand);
            let op = it.next().map(|o| compare_op(o.as_str()));
            let right = it.next().map(operand);
            match (left, op, right) {
                (Some(left), Some(op), Some(right)) => CondExpr::Compare {
                    left,
                    op,
                    right,
                    span: isp,
                },
                _ => CondExpr::Invalid {
                    text: String::new(),
                    span: isp,
                },
            }
        }
        _ => CondExpr::Value {
            text: operand_text(inner),
            span: isp,
        },
    }
}

/// The text of a side, as apparmor_parser's lexer hands it on: quotes
/// removed and escapes decoded ([`super::lexical::decode_escapes`]).
fn operand_text(pair: Pair<Rule>) -> String {
    let pair = match pair.as_rule() {
        Rule::cond_lone => match pair.into_inner().next() {
            Some(p) => p,
            None => return String::new(),
        },
        _ => pair,
    };
    match pair.into_inner().next() {
        Some(p) if p.as_rule() == Rule::quoted => {
            let text = p.as_str();
            super::lexical::decode_escapes(text.get(1..text.len().saturating_sub(1)).unwrap_or(""))
        }
        Some(p) => super::lexical::decode_escapes(p.as_str()),
        None => String::new(),
    }
}

fn operand(pair: Pair<Rule>) -> Operand {
    Operand::from_text(&operand_text(pair))
}

fn compare_op(s: &str) -> CompareOp {
    match s {
        "==" => CompareOp::Eq,
        "!=" => CompareOp::Ne,
        "<" => CompareOp::Lt,
        "<=" => CompareOp::Le,
        ">" => CompareOp::Gt,
        ">=" => CompareOp::Ge,
        _ => CompareOp::In,
    }
}

fn token(pair: Pair<Rule>) -> Token {
    let sp = span(&pair);
    let kind = match pair.as_rule() {
        Rule::arrow => TokenKind::Arrow,
        Rule::init_name if super::lexical::glued_to_comment(&pair.as_span()) => {
            TokenKind::Name(pair.as_str().to_string())
        }
        Rule::le => TokenKind::Le,
        Rule::quoted => TokenKind::Quoted(unquote(pair.as_str())),
        Rule::list | Rule::value_list | Rule::group_list => {
            TokenKind::List(pair.into_inner().map(token).collect())
        }
        Rule::cond | Rule::list_cond | Rule::group_cond | Rule::priority => {
            let mut it = pair.into_inner();
            let key = it
                .next()
                .map(|k| k.as_str().to_string())
                .unwrap_or_default();
            let op = it.next().map(|e| e.as_str()).unwrap_or("=");
            let (is_in, assign) = (op == "in", op == ":=");
            let value = it
                .next()
                .and_then(|v| v.into_inner().next())
                .map(token)
                .unwrap_or(Token {
                    kind: TokenKind::Word(String::new()),
                    span: sp,
                });
            TokenKind::Cond {
                key,
                is_in,
                assign,
                value: Box::new(value),
            }
        }
        Rule::var_value
        | Rule::cond_value
        | Rule::group_value
        | Rule::value_value
        | Rule::list_cond_value
        | Rule::group_cond_value
        | Rule::priority_value => {
            return match pair.into_inner().next() {
                Some(p) => token(p),
                None => Token {
                    kind: TokenKind::Word(String::new()),
                    span: sp,
                },
            };
        }
        _ => TokenKind::Word(pair.as_str().to_string()),
    };
    Token { kind, span: sp }
}

/// `"text"` → `text`, with `\"` unescaped (other escapes are kept for the
/// pattern layer).
fn unquote(s: &str) -> String {
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s);
    inner.replace("\\\"", "\"")
}

fn var_name(s: &str) -> String {
    let s = s.trim_start_matches(['@', '$']);
    let s = s.strip_prefix('{').unwrap_or(s);
    s.strip_suffix('}').unwrap_or(s).to_string()
}

fn var_op(s: &str) -> VarOp {
    match s {
        "+=" => VarOp::Append,
        "?=" => VarOp::SetDefault,
        ":=" => VarOp::Override,
        _ => VarOp::Set,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<Item> {
        let parsed = parse(Arc::new(Source::new("t", None, text)));
        if let Some(d) = parsed.errors.first() {
            panic!(
                "parse failed: {}",
                crate::diagnostics::render_to_string(d, false)
            );
        }
        parsed.items
    }

    #[test]
    fn parses_profile_with_rules_and_hat() {
        let it = items(
            "#include <tunables/global>\n@{A} = a {b,c}\n/usr/bin/foo flags=(complain) {\n  /a/{b,c} r,\n  ^hat {\n    capability,\n  }\n}\n",
        );
        assert!(
            matches!(&it[0], Item::Include(i) if i.target == IncludeTarget::Angle("tunables/global".into()))
        );
        let Item::VarDef(v) = &it[1] else { panic!() };
        assert_eq!(v.values.len(), 2);
        let Item::Profile(p) = &it[2] else { panic!() };
        assert_eq!(p.header.len(), 2);
        let Item::Rule(r) = &p.items[0] else { panic!() };
        assert_eq!(r.tokens[0].word(), Some("/a/{b,c}"));
        assert!(matches!(&p.items[1], Item::Profile(_)));
    }

    #[test]
    fn parses_conditions_and_lists() {
        let it = items(
            "profile p {\n dbus (send receive) bus=session peer=(name=\"a b\", label=x),\n mount options in (ro, rw) -> /m/,\n}\n",
        );
        let Item::Profile(p) = &it[0] else { panic!() };
        let Item::Rule(r) = &p.items[0] else { panic!() };
        assert!(matches!(&r.tokens[1].kind, TokenKind::List(l) if l.len() == 2));
        assert!(
            matches!(&r.tokens[3].kind, TokenKind::Cond { key, value, .. } if key == "peer" && matches!(value.kind, TokenKind::List(_)))
        );
        let Item::Rule(m) = &p.items[1] else { panic!() };
        assert!(matches!(
            &m.tokens[1].kind,
            TokenKind::Cond { is_in: true, .. }
        ));
    }

    #[test]
    fn parses_conditionals() {
        let it = items(
            "$B = true\n/p {\n if not defined @{X} and ${B} {\n /a r,\n } else if \"gnome\" in @{DE} {\n } else {\n }\n}\n",
        );
        let Item::Profile(p) = &it[1] else { panic!() };
        let Item::If(i) = &p.items[0] else {
            panic!("{:?}", p.items)
        };
        assert!(matches!(i.cond, CondExpr::And(..)));
        assert!(matches!(i.otherwise, Some(Else::If(_))));
    }

    #[test]
    fn conditions_group_or_below_and_below_not() {
        let it = items("/p {\n if true or not true and false {\n }\n}\n");
        let Item::Profile(p) = &it[0] else { panic!() };
        let Item::If(i) = &p.items[0] else { panic!() };
        let CondExpr::Or(_, right) = &i.cond else {
            panic!("{:?}", i.cond)
        };
        assert!(matches!(&**right, CondExpr::And(l, _) if matches!(**l, CondExpr::Not(_))));
    }

    #[test]
    fn condition_words_follow_the_lexer() {
        // `{x` is a word, so the condition never ends.
        let parsed = parse(Arc::new(Source::new(
            "t",
            None,
            "/p {\n if true {/a r, }\n}\n",
        )));
        assert!(!parsed.errors.is_empty());
        // `x@{A}` is literal text, `"@{A}"` the variable.
        let it = items("/p {\n if x@{A} == \"@{A}\" {\n }\n}\n");
        let Item::Profile(p) = &it[0] else { panic!() };
        let Item::If(i) = &p.items[0] else { panic!() };
        assert_eq!(
            i.cond,
            CondExpr::Compare {
                left: Operand::Literal("x@{A}".into()),
                op: CompareOp::Eq,
                right: Operand::Var("A".into()),
                span: match &i.cond {
                    CondExpr::Compare { span, .. } => *span,
                    _ => unreachable!(),
                },
            }
        );
    }

    #[test]
    fn recovers_to_report_several_syntax_errors() {
        let text = "/p {\n  /a r!,\n  /b w,\n  /c rw,,\n}\n";
        let parsed = parse(Arc::new(Source::new("t", None, text)));
        assert_eq!(parsed.errors.len(), 2);
        // The lines in error are skipped; the rest still parses.
        let Some(Item::Profile(p)) = parsed.items.first() else {
            panic!("{:?}", parsed.items)
        };
        assert_eq!(p.items.len(), 1);
    }

    #[test]
    fn one_report_per_place_when_recovery_meets_the_same_token() {
        // Neither unfinished rule ends before the `}`: both blankings leave
        // the parser at that brace.
        let text = "profile p {\n  /x @{\n  /y \n}\n";
        let parsed = parse(Arc::new(Source::new("t", None, text)));
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    }

    #[test]
    fn reports_syntax_error_position() {
        let parsed = parse(Arc::new(Source::new("t", None, "/p {\n  /a r\n}\n")));
        let d = &parsed.errors[0];
        assert_eq!(d.code, "syntax");
        assert!(d.position().starts_with("t:"));
    }
}
