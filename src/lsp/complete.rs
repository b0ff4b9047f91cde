//! Completion from the text before the cursor: rule keywords at the start
//! of a statement, capabilities, network families and types, signal
//! names, profile flags, abstractions on the include path, variables in
//! scope (as the last check left them), file permission letters.

use super::explain;
use super::text::LineIndex;
use super::workspace::Workspace;
use lsp_types::{CompletionItem, CompletionItemKind, Documentation, Position, Uri};
use std::collections::BTreeSet;

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        documentation: detail.map(Documentation::String),
        ..CompletionItem::default()
    }
}

/// Words that start a statement.
const STATEMENT_WORDS: &[&str] = &[
    "include",
    "abi",
    "alias",
    "profile",
    "hat",
    "if",
    "owner",
    "deny",
    "allow",
    "audit",
    "prompt",
    "file",
    "capability",
    "network",
    "unix",
    "dbus",
    "mount",
    "remount",
    "umount",
    "pivot_root",
    "ptrace",
    "signal",
    "change_profile",
    "set",
    "userns",
    "mqueue",
    "io_uring",
    "all",
    "link",
];

pub fn complete(ws: &Workspace, uri: &Uri, position: Position) -> Option<Vec<CompletionItem>> {
    let text = &ws.docs.get(uri)?.text;
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    Some(complete_line(ws, uri, line))
}

/// Completion for the cursor at the end of `line` (the text before it on
/// its line).
pub fn complete_line(ws: &Workspace, uri: &Uri, line: &str) -> Vec<CompletionItem> {
    let trimmed = line.trim_start();
    // An include or abi target: files under the search path.
    for opener in ["include <", "#include <", "include if exists <", "abi <"] {
        if let Some(rest) = trimmed.strip_prefix(opener)
            && !rest.contains('>')
        {
            return include_targets(ws, rest);
        }
    }
    // A variable reference being typed.
    if let Some(at) = line.rfind("@{")
        && !line[at..].contains('}')
    {
        return variables(ws, uri, false);
    }
    if let Some(at) = line.rfind("${")
        && !line[at..].contains('}')
    {
        return variables(ws, uri, true);
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let typing = !line.ends_with(char::is_whitespace) && !words.is_empty();
    let done: &[&str] = if typing {
        &words[..words.len() - 1]
    } else {
        &words
    };
    let class = done.iter().find(|w| {
        !["allow", "deny", "audit", "owner", "prompt"].contains(w) && !w.starts_with("priority")
    });
    if line.contains("flags=(") && !line[line.rfind("flags=(").unwrap_or(0)..].contains(')') {
        return explain::flag_names()
            .map(|f| item(f, CompletionItemKind::ENUM_MEMBER, explain::flag(f)))
            .collect();
    }
    match class.copied() {
        None => STATEMENT_WORDS
            .iter()
            .map(|k| {
                item(
                    k,
                    CompletionItemKind::KEYWORD,
                    explain::keyword(k).map(String::from),
                )
            })
            .collect(),
        Some("capability") => explain::capability_names()
            .map(|c| item(c, CompletionItemKind::ENUM_MEMBER, explain::capability(c)))
            .collect(),
        Some("network") => explain::network_words()
            .chain(["tcp", "udp", "icmp"])
            .map(|w| item(w, CompletionItemKind::ENUM_MEMBER, explain::network_word(w)))
            .collect(),
        Some("signal") => explain::signals()
            .map(|s| item(s, CompletionItemKind::ENUM_MEMBER, explain::signal(s)))
            .chain(
                ["send", "receive", "set=", "peer="]
                    .map(|w| item(w, CompletionItemKind::KEYWORD, None)),
            )
            .collect(),
        Some(path) if path.starts_with('/') || path.starts_with('@') || path == "file" => {
            explain::FILE_PERMS
                .iter()
                .map(|(p, t)| item(p, CompletionItemKind::VALUE, Some(t.to_string())))
                .collect()
        }
        Some(_) => Vec::new(),
    }
}

/// Files and directories under every include directory and the base
/// directory whose names continue `typed` (`abstractions/ba`).
fn include_targets(ws: &Workspace, typed: &str) -> Vec<CompletionItem> {
    let (dir, _) = typed.rsplit_once('/').unwrap_or(("", typed));
    let options = ws.options();
    let mut names = BTreeSet::new();
    for root in options
        .include_dirs
        .iter()
        .chain(std::iter::once(&options.base_dir))
    {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if crate::resolve::is_ignored_name(&name) {
                continue;
            }
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let full = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            names.insert((full, is_dir));
        }
    }
    names
        .into_iter()
        .map(|(name, is_dir)| {
            let kind = if is_dir {
                CompletionItemKind::FOLDER
            } else {
                CompletionItemKind::FILE
            };
            item(&name, kind, None)
        })
        .collect()
}

/// The variables (or booleans) the document's last check defined.
fn variables(ws: &Workspace, uri: &Uri, booleans: bool) -> Vec<CompletionItem> {
    let Some(vars) = ws.vars(uri) else {
        return Vec::new();
    };
    let names: BTreeSet<&str> = if booleans {
        vars.bool_names().collect()
    } else {
        vars.set_names().collect()
    };
    names
        .into_iter()
        .map(|n| {
            let detail = (!booleans)
                .then(|| vars.values(n, &Default::default()).ok())
                .flatten()
                .map(|v| v.iter().take(8).cloned().collect::<Vec<_>>().join(" "));
            // Typed `@{`: the name and the closing brace.
            CompletionItem {
                insert_text: Some(format!("{n}}}")),
                ..item(n, CompletionItemKind::VARIABLE, detail)
            }
        })
        .collect()
}
