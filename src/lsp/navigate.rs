//! Go to definition and find references: include and `abi` targets (as
//! the resolver finds them), variables (their assignments, across the
//! included tunables), profiles and hats by name (exec and
//! `change_profile` targets, peers, hat names).

use super::text::{LineIndex, path_to_uri};
use super::tree::{item_at, profile_name, token_at, var_ref_at, var_refs, walk};
use super::workspace::Workspace;
use crate::resolve::{Found, locate};
use crate::syntax::{Item, ParsedFile, Span};
use lsp_types::{Location, Position, Range, Uri};
use std::sync::Arc;

/// The files a document's names can refer to: itself, every file its last
/// check read through includes (in walk order), then the other open
/// documents.
pub fn scope(ws: &Workspace, uri: &Uri) -> Vec<(Uri, Arc<ParsedFile>)> {
    let mut out: Vec<(Uri, Arc<ParsedFile>)> = Vec::new();
    let mut push = |u: Uri, p: Option<Arc<ParsedFile>>| {
        if let Some(p) = p
            && !out.iter().any(|(x, _)| *x == u)
        {
            out.push((u, p));
        }
    };
    push(uri.clone(), ws.parsed(uri));
    if let Some(analysis) = ws.analyses.get(uri) {
        for (_, found) in &analysis.loaded.includes {
            let files = match found {
                Found::File(p) => std::slice::from_ref(p),
                Found::Dir(files) => files.as_slice(),
                Found::Missing => &[],
            };
            for f in files {
                push(path_to_uri(f), ws.cache().get(f).ok());
            }
        }
    }
    for other in ws.docs.keys() {
        push(other.clone(), ws.parsed(other));
    }
    out
}

/// What the cursor is on, for navigation.
enum Target {
    Var(String),
    Files(Vec<std::path::PathBuf>),
    Name(String),
}

fn target_at(ws: &Workspace, parsed: &ParsedFile, offset: usize) -> Option<Target> {
    let text: &str = &parsed.source.text;
    let (item, _) = item_at(&parsed.items, offset)?;
    let span = item.span();
    let own = text.get(span.start as usize..span.end as usize)?;
    if let Some((name, _)) = var_ref_at(own, offset - span.start as usize) {
        return Some(Target::Var(name));
    }
    match item {
        Item::Include(inc) => Some(Target::Files(match locate(&inc.target, ws.options()) {
            Found::File(p) => vec![p],
            Found::Dir(files) => files,
            Found::Missing => Vec::new(),
        })),
        Item::Abi(abi) => {
            let path = ws.session.abi_path(&abi.name);
            Some(Target::Files(if path.exists() {
                vec![path]
            } else {
                Vec::new()
            }))
        }
        Item::Rule(rule) => {
            let word = token_at(&rule.tokens, offset)?.text()?;
            Some(Target::Name(word.to_string()))
        }
        Item::Profile(p) => {
            let word = token_at(&p.header, offset)?.text()?;
            Some(Target::Name(word.to_string()))
        }
        _ => None,
    }
}

/// The range of `@{NAME}` at the start of an assignment.
fn def_range(index: &LineIndex, span: Span, name: &str) -> Range {
    let end = span.start as usize + name.len() + 3;
    index.range(Span::new(span.start as usize, end.min(span.end as usize)))
}

/// Every assignment of variable or boolean `name` in the scope.
pub fn var_definitions(ws: &Workspace, uri: &Uri, name: &str) -> Vec<Location> {
    let mut out = Vec::new();
    for (file, parsed) in scope(ws, uri) {
        let index = LineIndex::new(&parsed.source.text);
        walk(&parsed.items, &mut |item, _| match item {
            Item::VarDef(d) if d.name == name => {
                out.push(Location::new(file.clone(), def_range(&index, d.span, name)))
            }
            Item::BoolDef(d) if d.name == name => {
                out.push(Location::new(file.clone(), def_range(&index, d.span, name)))
            }
            _ => {}
        });
    }
    out
}

/// Profiles and hats declared with `name` (a full `a//b` name matches the
/// last part), or attached to it (`px` on a path without `->`).
fn profile_definitions(ws: &Workspace, uri: &Uri, name: &str) -> Vec<Location> {
    let wanted = name
        .strip_prefix('^')
        .unwrap_or(name)
        .rsplit("//")
        .next()
        .unwrap_or(name);
    let mut out = Vec::new();
    for (file, parsed) in scope(ws, uri) {
        let index = LineIndex::new(&parsed.source.text);
        walk(&parsed.items, &mut |item, _| {
            if let Item::Profile(p) = item {
                let named = profile_name(p).is_some_and(|n| n == wanted);
                let attached = p.header.get(1).and_then(|t| t.text()) == Some(name);
                if named || attached {
                    let span = p.header.first().map_or(p.span, |t| t.span);
                    out.push(Location::new(file.clone(), index.range(span)));
                }
            }
        });
    }
    out
}

pub fn definition(ws: &Workspace, uri: &Uri, position: Position) -> Vec<Location> {
    let Some(parsed) = ws.parsed(uri) else {
        return Vec::new();
    };
    let offset = LineIndex::new(&parsed.source.text).offset(position);
    match target_at(ws, &parsed, offset) {
        Some(Target::Var(name)) => var_definitions(ws, uri, &name),
        Some(Target::Files(files)) => files
            .iter()
            .map(|f| Location::new(path_to_uri(f), Range::default()))
            .collect(),
        Some(Target::Name(name)) => profile_definitions(ws, uri, &name),
        None => Vec::new(),
    }
}

/// Every use of the variable under the cursor in the scope (with its
/// assignments when `declarations`).
pub fn references(
    ws: &Workspace,
    uri: &Uri,
    position: Position,
    declarations: bool,
) -> Vec<Location> {
    let Some(parsed) = ws.parsed(uri) else {
        return Vec::new();
    };
    let offset = LineIndex::new(&parsed.source.text).offset(position);
    let Some(Target::Var(name)) = target_at(ws, &parsed, offset) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (file, parsed) in scope(ws, uri) {
        let text: &str = &parsed.source.text;
        let index = LineIndex::new(text);
        let mut spans: Vec<(Span, bool)> = Vec::new();
        walk(&parsed.items, &mut |item, _| match item {
            Item::Profile(p) => spans.extend(p.header.iter().map(|t| (t.span, false))),
            Item::VarDef(_) | Item::BoolDef(_) => spans.push((item.span(), true)),
            Item::Rule(_) | Item::Alias(_) => spans.push((item.span(), false)),
            Item::If(block) => spans.push((cond_span(&block.cond), false)),
            _ => {}
        });
        for (span, is_def) in spans {
            let Some(own) = text.get(span.start as usize..span.end as usize) else {
                continue;
            };
            for (n, range) in var_refs(own) {
                let is_declaration = is_def && range.start == 0;
                if n == name && (declarations || !is_declaration) {
                    let start = span.start as usize + range.start;
                    let end = span.start as usize + range.end;
                    out.push(Location::new(
                        file.clone(),
                        index.range(Span::new(start, end)),
                    ));
                }
            }
        }
    }
    out
}

fn cond_span(cond: &crate::syntax::CondExpr) -> Span {
    use crate::syntax::CondExpr::*;
    match cond {
        Bool { span, .. }
        | Defined { span, .. }
        | Compare { span, .. }
        | Value { span, .. }
        | Invalid { span, .. } => *span,
        Not(inner) => cond_span(inner),
        And(a, b) | Or(a, b) => {
            let (a, b) = (cond_span(a), cond_span(b));
            Span {
                start: a.start.min(b.start),
                end: a.end.max(b.end),
            }
        }
    }
}
