//! Document symbols: profiles, hats and child profiles (nested), includes,
//! `abi`, variables and booleans, from the compiler's syntax tree.

use super::text::LineIndex;
use super::tree::{is_hat, profile_name};
use super::workspace::Workspace;
use crate::syntax::{Else, IncludeTarget, Item, ParsedFile};
use lsp_types::{DocumentSymbol, SymbolKind, Uri};

/// The symbols of an open document, nested as the profiles are.
pub fn document_symbols(ws: &Workspace, uri: &Uri) -> Option<Vec<DocumentSymbol>> {
    let parsed = ws.parsed(uri)?;
    Some(symbols_of(&parsed))
}

pub fn symbols_of(parsed: &ParsedFile) -> Vec<DocumentSymbol> {
    let index = LineIndex::new(&parsed.source.text);
    let mut out = Vec::new();
    collect(&parsed.items, &index, &mut out);
    out
}

/// How an include reads (`include <abstractions/base>`).
pub fn include_label(target: &IncludeTarget) -> String {
    match target {
        IncludeTarget::Angle(n) => format!("<{n}>"),
        IncludeTarget::Path(p) => format!("\"{p}\""),
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be given
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp_types::Range,
    selection: lsp_types::Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

fn collect(items: &[Item], index: &LineIndex, out: &mut Vec<DocumentSymbol>) {
    for item in items {
        let range = index.range(item.span());
        match item {
            Item::Profile(p) => {
                let mut children = Vec::new();
                collect(&p.items, index, &mut children);
                let name = profile_name(p).unwrap_or_else(|| "(unnamed profile)".into());
                let (kind, detail) = if is_hat(p) {
                    (SymbolKind::METHOD, "hat".to_string())
                } else {
                    let attachment = p
                        .header
                        .get(1)
                        .and_then(|t| t.text())
                        .filter(|t| t.starts_with('/') || t.starts_with('@'));
                    (
                        SymbolKind::CLASS,
                        match attachment {
                            Some(a) => format!("profile {a}"),
                            None => "profile".to_string(),
                        },
                    )
                };
                let selection = p.header.first().map_or(range, |t| index.range(t.span));
                out.push(symbol(name, Some(detail), kind, range, selection, children));
            }
            Item::Include(inc) => out.push(symbol(
                format!("include {}", include_label(&inc.target)),
                inc.if_exists.then(|| "if exists".to_string()),
                SymbolKind::FILE,
                range,
                range,
                Vec::new(),
            )),
            Item::Abi(abi) => out.push(symbol(
                if abi.angle {
                    format!("abi <{}>", abi.name)
                } else {
                    format!("abi \"{}\"", abi.name)
                },
                None,
                SymbolKind::NAMESPACE,
                range,
                range,
                Vec::new(),
            )),
            Item::VarDef(def) => out.push(symbol(
                format!("@{{{}}}", def.name),
                Some(
                    def.values
                        .iter()
                        .filter_map(|t| t.text())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                SymbolKind::VARIABLE,
                range,
                range,
                Vec::new(),
            )),
            Item::BoolDef(def) => out.push(symbol(
                format!("${{{}}}", def.name),
                None,
                SymbolKind::BOOLEAN,
                range,
                range,
                Vec::new(),
            )),
            Item::QualifierBlock(q) => collect(&q.items, index, out),
            Item::If(block) => {
                let mut block = block;
                loop {
                    collect(&block.then, index, out);
                    match &block.otherwise {
                        Some(Else::If(next)) => block = next,
                        Some(Else::Block(items)) => {
                            collect(items, index, out);
                            break;
                        }
                        None => break,
                    }
                }
            }
            Item::Alias(_) | Item::Rule(_) => {}
        }
    }
}
