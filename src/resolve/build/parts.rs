//! Sorting a rule's tokens into access words, conditions, other words and
//! the `->` target, shared by the rule classes.

use super::RuleError;
use crate::model::access::AccessWords;
use crate::syntax::{Token, TokenKind};

/// A class's tokens sorted out: leading access words, `key=value`
/// conditions, other words, and what follows `->`.
#[derive(Default)]
pub(crate) struct Parts<'a> {
    pub access: Vec<String>,
    pub conds: Vec<(&'a str, bool, &'a Token)>,
    pub words: Vec<&'a Token>,
    pub target: Option<&'a Token>,
}

impl<'a> Parts<'a> {
    pub fn cond(&self, key: &str) -> Option<&'a Token> {
        self.conds
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }

    pub fn cond_text(&self, key: &str) -> Result<Option<String>, RuleError> {
        match self.cond(key) {
            None => Ok(None),
            Some(v) => match (&v.kind, v.text()) {
                (_, Some(t)) => Ok(Some(t.to_string())),
                (TokenKind::List(items), None) if items.len() == 1 && items[0].text().is_some() => {
                    Ok(items[0].text().map(str::to_string))
                }
                _ => Err((format!("`{key}=` takes a single value"), v.span)),
            },
        }
    }
}

/// Splits the tokens of a rule. `access` is the class's access vocabulary
/// (see [`crate::model::access`] for the rules it follows); `keys` its
/// condition names. The access is one leading token, a word of the class
/// or a parenthesised list; each condition may appear once.
pub(crate) fn parts<'a>(
    args: &'a [Token],
    access: &AccessWords,
    keys: &[&str],
) -> Result<Parts<'a>, RuleError> {
    let mut p = Parts::default();
    let mut i = 0;
    while i < args.len() {
        let t = &args[i];
        let first = i == 0;
        match &t.kind {
            TokenKind::Word(w) if first && access.knows(w) => p.access.push(w.clone()),
            TokenKind::List(items) if first && access.lists => {
                p.access = list_access(items, access)?;
            }
            TokenKind::Cond {
                key, is_in, value, ..
            } => {
                if !keys.contains(&key.as_str()) {
                    return Err((format!("unknown condition `{key}`"), t.span));
                }
                let repeatable = matches!(
                    key.as_str(),
                    "set" | "options" | "option" | "fstype" | "vfstype"
                );
                if !repeatable && p.cond(key).is_some() {
                    return Err((format!("condition `{key}` given twice"), t.span));
                }
                p.conds.push((key, *is_in, value));
            }
            TokenKind::Arrow => {
                match &args[i + 1..] {
                    [target] => p.target = Some(target),
                    [] => return Err(("`->` needs a target".into(), t.span)),
                    [_, extra, ..] => {
                        return Err(("unexpected token after target".into(), extra.span));
                    }
                }
                break;
            }
            TokenKind::Word(_) | TokenKind::Quoted(_) | TokenKind::Name(_) => p.words.push(t),
            _ => return Err(("unexpected token".into(), t.span)),
        }
        i += 1;
    }
    Ok(p)
}

/// The words of a parenthesised access list (commas and blanks separate,
/// quotes allowed, duplicates harmless).
fn list_access(items: &[Token], access: &AccessWords) -> Result<Vec<String>, RuleError> {
    let mut words = Vec::new();
    for item in items {
        let Some(text) = item.text() else {
            return Err(("invalid access `(...)`".into(), item.span));
        };
        for w in text.split(',').filter(|w| !w.is_empty()) {
            if access.knows(w) {
                words.push(w.to_string());
            } else if !access.ignores_unknown {
                return Err((format!("invalid access `{w}`"), item.span));
            }
        }
    }
    Ok(words)
}

pub(crate) fn no_words(p: &Parts, what: &str) -> Result<(), RuleError> {
    match p.words.first() {
        Some(w) => Err((
            format!("unexpected `{}` in {what} rule", w.text().unwrap_or("")),
            w.span,
        )),
        None => Ok(()),
    }
}

pub(crate) fn no_target(p: &Parts, what: &str) -> Result<(), RuleError> {
    match p.target {
        Some(t) => Err((format!("{what} rules take no `->`"), t.span)),
        None => Ok(()),
    }
}

/// Values of a condition: one word, or a parenthesised list.
pub(crate) fn values(t: &Token) -> Vec<String> {
    match &t.kind {
        TokenKind::List(items) => items
            .iter()
            .filter_map(|i| i.text().map(str::to_string))
            .collect(),
        _ => t.text().map(|s| vec![s.to_string()]).unwrap_or_default(),
    }
}

/// Paths start with `/`, or with `{`/`@` when an alternation or variable
/// supplies the leading `/`.
pub(crate) fn is_pathish(s: &str) -> bool {
    s.starts_with('/') || s.starts_with('{') || s.starts_with('@')
}
