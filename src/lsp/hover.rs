//! Hover: what a word means (keywords, capabilities, permission letters,
//! network families and types, signals, flags), what a variable expands
//! to, and for a file rule what its profile grants on that path once
//! every rule is combined (the compiled policy asked through `query`, the
//! deny rules that take part named).

use super::explain;
use super::text::LineIndex;
use super::tree::{item_at, profile_name, token_at, var_ref_at};
use super::workspace::Workspace;
use crate::model::{Ownership, Profile, RuleKind};
use crate::query::{Request, query};
use crate::resolve::{Found, VarTable, locate};
use crate::syntax::{Item, Token, TokenKind};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position, Uri};
use std::fmt::Write;

/// At most this many values of a variable are listed.
const MAX_VALUES: usize = 40;

pub fn hover(ws: &mut Workspace, uri: &Uri, position: Position) -> Option<Hover> {
    let parsed = ws.parsed(uri)?;
    let text: &str = &parsed.source.text;
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let (item, _) = item_at(&parsed.items, offset)?;
    let span = item.span();
    let own = text.get(span.start as usize..span.end as usize)?;
    let markdown = if let Some((name, range)) = var_ref_at(own, offset - span.start as usize) {
        variable(ws, uri, &name, own.as_bytes()[range.start] == b'$')
    } else {
        match item {
            Item::Include(inc) => Some(match locate(&inc.target, ws.options()) {
                Found::File(p) => format!("include: `{}`", p.display()),
                Found::Dir(files) => format!("include: directory of {} files", files.len()),
                Found::Missing => "include: no such file in the include path".to_string(),
            }),
            Item::Abi(abi) => Some(format!(
                "{}\n\nfeatures file: `{}`",
                explain::keyword("abi").unwrap_or_default(),
                ws.session.abi_path(&abi.name).display()
            )),
            Item::Alias(_) => explain::keyword("alias").map(String::from),
            Item::Profile(p) => profile_word(p, offset),
            Item::Rule(rule) => {
                let line = index.position(offset).line + 1;
                rule_word(ws, uri, &rule.tokens, offset, line)
            }
            Item::VarDef(def) => variable(ws, uri, &def.name, false),
            Item::BoolDef(def) => variable(ws, uri, &def.name, true),
            _ => None,
        }
    }?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: None,
    })
}

/// What a variable (or boolean) stands for after every include and
/// assignment of the document's last check.
fn variable(ws: &Workspace, uri: &Uri, name: &str, boolean: bool) -> Option<String> {
    let vars: &VarTable = ws.vars(uri)?;
    if boolean || vars.bool_value(name).is_ok() {
        return Some(match vars.bool_value(name) {
            Ok(b) => format!("`${{{name}}}` = `{b}`"),
            Err(e) => e.to_string(),
        });
    }
    Some(match vars.values(name, &Default::default()) {
        Ok(values) => {
            let mut out = format!("`@{{{name}}}`: {} value(s)\n", values.len());
            for v in values.iter().take(MAX_VALUES) {
                let _ = writeln!(out, "- `{v}`");
            }
            if values.len() > MAX_VALUES {
                let _ = writeln!(out, "- … {} more", values.len() - MAX_VALUES);
            }
            out
        }
        Err(e) => e.to_string(),
    })
}

fn profile_word(p: &crate::syntax::ProfileDecl, offset: usize) -> Option<String> {
    let Some(token) = token_at(&p.header, offset) else {
        return explain::keyword(if super::tree::is_hat(p) {
            "hat"
        } else {
            "profile"
        })
        .map(String::from);
    };
    if let TokenKind::Cond { key, .. } = &token.kind {
        return explain::keyword(key).map(String::from);
    }
    let word = token.text()?;
    if let Some(flag) = explain::flag(word) {
        return Some(flag);
    }
    Some(format!(
        "{} `{}`",
        if super::tree::is_hat(p) {
            "hat"
        } else {
            "profile"
        },
        profile_name(p).unwrap_or_default()
    ))
}

const QUALIFIERS: &[&str] = &[
    "allow", "deny", "audit", "owner", "prompt", "quiet", "other",
];

/// The rule's class keyword (`None` for a file rule without `file`).
fn class_of(tokens: &[Token]) -> Option<&str> {
    tokens
        .iter()
        .filter_map(Token::word)
        .find(|w| !QUALIFIERS.contains(w) && !w.starts_with("priority"))
        .filter(|w| explain::keyword(w).is_some() && *w != "file")
}

fn rule_word(
    ws: &mut Workspace,
    uri: &Uri,
    tokens: &[Token],
    offset: usize,
    line: u32,
) -> Option<String> {
    let token = token_at(tokens, offset)?;
    let class = class_of(tokens);
    if let TokenKind::Cond { key, value, .. } = &token.kind {
        if key == "set" && class == Some("signal") {
            return value.text().and_then(explain::signal);
        }
        return explain::keyword(key).map(String::from);
    }
    let word = token.text()?;
    if token.word().is_some()
        && let Some(k) = explain::keyword(word)
        && (QUALIFIERS.contains(&word) || Some(word) == class || word == "file")
    {
        return Some(k.to_string());
    }
    match class {
        Some("capability") => explain::capability(word),
        Some("network") => {
            explain::network_word(word).or_else(|| explain::keyword(word).map(String::from))
        }
        Some("signal") => {
            explain::signal(word).or_else(|| explain::keyword(word).map(String::from))
        }
        Some(_) => explain::keyword(word).map(String::from),
        None => {
            if let Some(perms) = explain::file_perms(word)
                && !word.starts_with('/')
            {
                return Some(perms);
            }
            file_grants(ws, uri, line).or_else(|| Some(format!("file rule on `{word}`")))
        }
    }
}

/// The profile, by full name, holding the file rule written on `line` of
/// `file`, and the rule's pattern and ownership.
fn find_rule<'a>(
    profiles: &'a [Profile],
    prefix: &str,
    file: &str,
    line: u32,
) -> Option<(String, &'a crate::model::Rule)> {
    for p in profiles {
        let name = if prefix.is_empty() {
            match &p.namespace {
                Some(ns) => format!(":{ns}:{}", p.name),
                None => p.name.clone(),
            }
        } else {
            format!("{prefix}//{}", p.name)
        };
        if let Some(rule) = p.rules.iter().find(|r| {
            &*r.origin.file == file
                && r.origin.line == line
                && r.origin.included_from.is_empty()
                && matches!(&r.kind, RuleKind::File(f) if f.path.is_some())
        }) {
            return Some((name, rule));
        }
        if let Some(found) = find_rule(&p.children, &name, file, line) {
            return Some(found);
        }
    }
    None
}

/// One path the pattern matches: the first alternative of each `{..}`,
/// one character for `*`, `?` and classes, escapes resolved.
pub fn sample_path(pattern: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    // Depth of braces whose first alternative we are in, and how many we
    // are skipping (past a `,` until the closing brace).
    let mut skipping: Vec<bool> = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        let skip = skipping.last().copied().unwrap_or(false);
        match c {
            '\\' => {
                if !skip && let Some(n) = chars.get(i + 1) {
                    out.push(*n);
                }
                i += 2;
                continue;
            }
            '{' => skipping.push(skip),
            '}' => {
                skipping.pop();
            }
            ',' if !skipping.is_empty() => {
                if let Some(top) = skipping.last_mut() {
                    *top = true;
                }
            }
            _ if skip => {}
            '*' => {
                while chars.get(i + 1) == Some(&'*') {
                    i += 1;
                }
                out.push('x');
            }
            '?' => out.push('x'),
            '[' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| i + 1 + p);
                let first = chars.get(i + 1).copied().filter(|c| *c != '^' && *c != ']');
                out.push(first.unwrap_or('x'));
                i = close.unwrap_or(chars.len());
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// What the profile grants on (an example path of) the file rule on
/// `line`, all rules combined, from the compiled policy.
fn file_grants(ws: &mut Workspace, uri: &Uri, line: u32) -> Option<String> {
    let file = ws.parsed(uri)?.source.name.to_string();
    let Some(policy) = ws.compiled(uri) else {
        return Some("The policy does not compile (see the diagnostics): no grant to show.".into());
    };
    let source = policy.source.as_ref()?;
    let (profile, rule) = find_rule(&source.policy.profiles, "", &file, line)?;
    let RuleKind::File(f) = &rule.kind else {
        return None;
    };
    let pattern = f.path.as_deref()?;
    let sample = sample_path(pattern);
    let owner = rule.qualifiers.owner == Ownership::Owner;
    let mut words = vec!["file".to_string(), sample.clone(), "rwamlk".to_string()];
    if owner {
        words.push("owner".into());
    }
    let request = Request::parse(&words).ok()?;
    let answer = query(&policy, &profile, &request).ok()?;
    let mut out = format!(
        "**`{profile}`** on `{sample}`{}{}:\n\n",
        if sample != pattern {
            format!(" (an example of `{pattern}`)")
        } else {
            String::new()
        },
        if owner { ", task owning the file" } else { "" }
    );
    let _ = writeln!(
        out,
        "- granted: {}",
        if answer.granted.is_empty() {
            "nothing".to_string()
        } else {
            answer.granted.join(" ")
        }
    );
    if !answer.missing.is_empty() {
        let _ = writeln!(
            out,
            "- not granted: {}{}",
            answer.missing.join(" "),
            if answer.explicit_deny {
                " (a deny rule removes some)"
            } else {
                ""
            }
        );
    }
    if let Some(exec) = &answer.exec {
        let _ = writeln!(
            out,
            "- exec: {}",
            serde_json::to_string(exec).unwrap_or_default()
        );
    }
    if let Some(rules) = &answer.rules
        && !rules.is_empty()
    {
        let _ = writeln!(out, "\nrules taking part:");
        for r in rules {
            let _ = writeln!(out, "- {} `{}` ({})", r.verdict, r.text, r.location);
        }
    }
    for note in &answer.notes {
        let _ = writeln!(out, "\n_{note}_");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::sample_path;

    #[test]
    fn sample_paths_match_their_pattern() {
        assert_eq!(sample_path("/etc/{passwd,group}"), "/etc/passwd");
        assert_eq!(sample_path("/home/*/.cache/**"), "/home/x/.cache/x");
        assert_eq!(sample_path("/dev/tty[0-9]"), "/dev/tty0");
        assert_eq!(sample_path("/a\\{b"), "/a{b");
        assert_eq!(sample_path("/{,usr/}bin/{a,{b,c}}x"), "/bin/ax");
    }
}
