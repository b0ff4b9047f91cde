//! Finding things in the syntax tree: the statement and token under the
//! cursor, every statement of a file in order, the variable reference at
//! an offset. Only the compiler's own tree is read; nothing is re-parsed.

use crate::syntax::{Else, Item, ProfileDecl, ProfileKeyword, Span, Token, TokenKind};

/// Calls `f` on every item, depth first, with the enclosing profiles
/// (outermost first). Both branches of conditionals are visited.
pub fn walk<'a>(items: &'a [Item], f: &mut dyn FnMut(&'a Item, &[&'a ProfileDecl])) {
    fn go<'a>(
        items: &'a [Item],
        stack: &mut Vec<&'a ProfileDecl>,
        f: &mut dyn FnMut(&'a Item, &[&'a ProfileDecl]),
    ) {
        for item in items {
            f(item, stack);
            match item {
                Item::Profile(p) => {
                    stack.push(p);
                    go(&p.items, stack, f);
                    stack.pop();
                }
                Item::QualifierBlock(q) => go(&q.items, stack, f),
                Item::If(block) => {
                    let mut block = block;
                    loop {
                        go(&block.then, stack, f);
                        match &block.otherwise {
                            Some(Else::If(next)) => block = next,
                            Some(Else::Block(items)) => {
                                go(items, stack, f);
                                break;
                            }
                            None => break,
                        }
                    }
                }
                _ => {}
            }
        }
    }
    go(items, &mut Vec::new(), f);
}

fn contains(span: Span, offset: usize) -> bool {
    (span.start as usize) <= offset && offset <= span.end as usize
}

/// The innermost statement holding `offset` (a profile only when the
/// offset is in its header or on no statement of its body), with the
/// profiles around it.
pub fn item_at(items: &[Item], offset: usize) -> Option<(&Item, Vec<&ProfileDecl>)> {
    let mut best: Option<(&Item, Vec<&ProfileDecl>)> = None;
    walk(items, &mut |item, stack| {
        if contains(item.span(), offset) && !matches!(item, Item::If(_) | Item::QualifierBlock(_)) {
            best = Some((item, stack.to_vec()));
        }
    });
    best
}

/// The token holding `offset`, descending into conditions and lists.
pub fn token_at(tokens: &[Token], offset: usize) -> Option<&Token> {
    let token = tokens.iter().find(|t| contains(t.span, offset))?;
    match &token.kind {
        TokenKind::Cond { value, .. } if contains(value.span, offset) => {
            token_at(std::slice::from_ref(value), offset).or(Some(token))
        }
        TokenKind::List(items) => token_at(items, offset).or(Some(token)),
        _ => Some(token),
    }
}

/// Every word token (conditions and lists opened), in order.
pub fn words(tokens: &[Token]) -> Vec<&Token> {
    let mut out = Vec::new();
    for t in tokens {
        match &t.kind {
            TokenKind::Cond { value, .. } => out.extend(words(std::slice::from_ref(value))),
            TokenKind::List(items) => out.extend(words(items)),
            _ => out.push(t),
        }
    }
    out
}

/// The name a profile declares (`^hat` without its caret), if any.
pub fn profile_name(p: &ProfileDecl) -> Option<String> {
    let first = p.header.first()?.text()?;
    Some(first.strip_prefix('^').unwrap_or(first).to_string())
}

/// Whether a profile is a hat (`hat name` or `^name`).
pub fn is_hat(p: &ProfileDecl) -> bool {
    p.keyword == Some(ProfileKeyword::Hat)
        || p.header
            .first()
            .and_then(Token::text)
            .is_some_and(|t| t.starts_with('^'))
}

/// The `@{NAME}` (or `${NAME}`) reference of `text` covering byte
/// `offset` of it: the name and its byte range in `text`, braces and
/// sigil included.
pub fn var_ref_at(text: &str, offset: usize) -> Option<(String, std::ops::Range<usize>)> {
    var_refs(text)
        .into_iter()
        .find(|(_, r)| r.start <= offset && offset <= r.end)
}

/// Every `@{NAME}` / `${NAME}` reference in `text` (escaped ones skipped).
pub fn var_refs(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if (bytes[i] == b'@' || bytes[i] == b'$')
            && bytes[i + 1] == b'{'
            && let Some(len) = text[i + 2..].find('}')
        {
            let name = &text[i + 2..i + 2 + len];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push((name.to_string(), i..i + 3 + len));
            }
            i += 3 + len;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variable_references() {
        let text = r"@{HOME}/x\@{no} ${b} @{}";
        let refs = var_refs(text);
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0], ("HOME".to_string(), 0..7));
        assert_eq!(refs[1].0, "b");
        assert_eq!(var_ref_at(text, 3).unwrap().0, "HOME");
        assert!(var_ref_at(text, 8).is_none());
    }
}
