//! `unused-variable`: a variable the linted file defines (`=`, `?=`,
//! `:=`) that nothing uses: no token of the file, no condition and no file
//! it includes refers to it. `+=` extends a variable defined elsewhere and
//! is never reported. Files without a profile (tunables) define variables
//! for others, so they are not judged.

use super::Context;
use crate::diagnostics::{Diagnostic, Location};
use crate::resolve::Found;
use crate::syntax::{CondExpr, Else, IfBlock, Item, Operand, Token, TokenKind, VarDef, VarOp};
use std::collections::BTreeSet;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let items = &cx.parsed.items;
    if !items.iter().any(declares_profile) {
        return;
    }
    let mut defs = Vec::new();
    let mut used = Uses::default();
    walk(items, &mut defs, &mut used);
    let included = included_texts(cx);
    for def in defs {
        if matches!(def.op, VarOp::Append) || used.refers_to(&def.name) {
            continue;
        }
        let reference = format!("@{{{}}}", def.name);
        if included.iter().any(|text| text.contains(&reference)) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                "unused-variable",
                format!("variable @{{{}}} is defined but never used", def.name),
                Some(Location {
                    source: cx.parsed.source.clone(),
                    span: def.span,
                    file_only: false,
                }),
            )
            .with_label("unused"),
        );
    }
}

fn declares_profile(item: &Item) -> bool {
    match item {
        Item::Profile(_) => true,
        Item::If(block) => {
            let mut found = false;
            branches(block, &mut |b| found |= b.iter().any(declares_profile));
            found
        }
        Item::QualifierBlock(q) => q.items.iter().any(declares_profile),
        _ => false,
    }
}

fn branches<'a>(block: &'a IfBlock, f: &mut dyn FnMut(&'a [Item])) {
    f(&block.then);
    match &block.otherwise {
        Some(Else::If(next)) => branches(next, f),
        Some(Else::Block(items)) => f(items),
        None => {}
    }
}

/// The texts that may refer to variables, and the names conditions use.
#[derive(Default)]
struct Uses {
    texts: Vec<String>,
    names: BTreeSet<String>,
}

impl Uses {
    fn refers_to(&self, name: &str) -> bool {
        let reference = format!("@{{{name}}}");
        self.names.contains(name) || self.texts.iter().any(|t| t.contains(&reference))
    }

    fn token(&mut self, token: &Token) {
        match &token.kind {
            TokenKind::Word(s) | TokenKind::Quoted(s) | TokenKind::Name(s) => {
                self.texts.push(s.clone())
            }
            TokenKind::Cond { value, .. } => self.token(value),
            TokenKind::List(items) => items.iter().for_each(|t| self.token(t)),
            TokenKind::Arrow | TokenKind::Le => {}
        }
    }

    fn cond(&mut self, cond: &CondExpr) {
        match cond {
            CondExpr::Defined { name, .. } => {
                self.names.insert(name.clone());
            }
            CondExpr::Compare { left, right, .. } => {
                for side in [left, right] {
                    match side {
                        Operand::Var(name) => {
                            self.names.insert(name.clone());
                        }
                        Operand::Literal(text) => self.texts.push(text.clone()),
                    }
                }
            }
            CondExpr::Not(inner) => self.cond(inner),
            CondExpr::And(a, b) | CondExpr::Or(a, b) => {
                self.cond(a);
                self.cond(b);
            }
            CondExpr::Bool { .. } | CondExpr::Value { .. } | CondExpr::Invalid { .. } => {}
        }
    }
}

fn walk<'a>(items: &'a [Item], defs: &mut Vec<&'a VarDef>, used: &mut Uses) {
    for item in items {
        match item {
            Item::VarDef(def) => {
                defs.push(def);
                def.values.iter().for_each(|t| used.token(t));
            }
            Item::BoolDef(def) => used.cond(&def.value),
            Item::Alias(alias) => {
                used.token(&alias.from);
                used.token(&alias.to);
            }
            Item::Rule(rule) => rule.tokens.iter().for_each(|t| used.token(t)),
            Item::Profile(p) => {
                p.header.iter().for_each(|t| used.token(t));
                walk(&p.items, defs, used);
            }
            Item::QualifierBlock(q) => {
                q.qualifiers.iter().for_each(|t| used.token(t));
                walk(&q.items, defs, used);
            }
            Item::If(block) => {
                let mut next = Some(block);
                while let Some(b) = next {
                    used.cond(&b.cond);
                    walk(&b.then, defs, used);
                    next = match &b.otherwise {
                        Some(Else::If(inner)) => Some(inner),
                        Some(Else::Block(rest)) => {
                            walk(rest, defs, used);
                            None
                        }
                        None => None,
                    };
                }
            }
            Item::Abi(_) | Item::Include(_) => {}
        }
    }
}

/// The text of every file the load read through includes (abstractions
/// use the profile's variables, e.g. `@{exec_path}`).
fn included_texts(cx: &Context<'_>) -> Vec<std::sync::Arc<str>> {
    let mut out = Vec::new();
    for (_, found) in &cx.loaded.includes {
        let files: Vec<&std::path::PathBuf> = match found {
            Found::File(f) => vec![f],
            Found::Dir(files) => files.iter().collect(),
            Found::Missing => Vec::new(),
        };
        for file in files {
            if let Ok(parsed) = cx.session.cache.get(file) {
                out.push(parsed.source.text.clone());
            }
        }
    }
    out
}
