//! `aaprof preprocess`: the policy text with every include inlined
//! (apparmor_parser's `-p`).

use super::Options;
use super::cache::SourceCache;
use super::include::{Found, locate};
use crate::syntax::{Else, Include, Item, ParsedFile};
use std::path::PathBuf;

/// The text of `file` with each include replaced by the included text,
/// recursively. Unparsable or missing includes are left as written (the
/// check reports them); cycles are cut.
pub fn preprocess(file: &ParsedFile, options: &Options, cache: &SourceCache) -> String {
    let mut stack = Vec::new();
    if let Some(p) = &file.source.path {
        stack.push(p.clone());
    }
    inline(file, options, cache, &mut stack)
}

fn inline(
    file: &ParsedFile,
    options: &Options,
    cache: &SourceCache,
    stack: &mut Vec<PathBuf>,
) -> String {
    let text = &file.source.text;
    if !file.is_clean() {
        return text.to_string();
    }
    let items = &file.items;
    let mut includes = Vec::new();
    collect_includes(items, &mut includes);
    includes.sort_by_key(|i| i.span.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for inc in includes {
        let (start, end) = (inc.span.start as usize, inc.span.end as usize);
        if start < pos || end > text.len() {
            continue;
        }
        out.push_str(&text[pos..start]);
        let files = match locate(&inc.target, options) {
            Found::File(f) => vec![f],
            Found::Dir(files) => files,
            Found::Missing => Vec::new(),
        };
        if files.is_empty() && !inc.if_exists {
            out.push_str(&text[start..end]);
        }
        for path in files {
            if stack.contains(&path) {
                continue;
            }
            out.push_str(&format!("\n# included from {}\n", path.display()));
            if let Ok(parsed) = cache.get(&path) {
                stack.push(path.clone());
                out.push_str(&inline(&parsed, options, cache, stack));
                stack.pop();
            }
            out.push('\n');
        }
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

fn collect_includes<'a>(items: &'a [Item], out: &mut Vec<&'a Include>) {
    for item in items {
        match item {
            Item::Include(i) => out.push(i),
            Item::Profile(p) => collect_includes(&p.items, out),
            Item::QualifierBlock(b) => collect_includes(&b.items, out),
            Item::If(b) => {
                let mut block = Some(b);
                while let Some(b) = block {
                    collect_includes(&b.then, out);
                    block = match &b.otherwise {
                        Some(Else::If(next)) => Some(next),
                        Some(Else::Block(items)) => {
                            collect_includes(items, out);
                            None
                        }
                        None => None,
                    };
                }
            }
            _ => {}
        }
    }
}
