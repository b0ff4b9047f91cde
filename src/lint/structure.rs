//! Checks on what the linted file's text says:
//!
//! - `missing-local-include`: a profile, hat or child profile whose own
//!   body (its `if` and qualifier blocks included, its nested profiles
//!   not) has no include of a `local/` file, the hook distributions and
//!   apparmor.d leave for site changes (`include if exists <local/NAME>`);
//! - `abi-missing`: profiles without an `abi` rule (in the file or its
//!   includes), whose meaning then depends on the compiler's default ABI;
//! - `include-empty`: an include that brings in nothing: `include if
//!   exists` finding no file, a directory without files, or files holding
//!   no statement. `local/` targets are exempt: they are empty or absent
//!   by design until a site adds to them.

use super::Context;
use crate::diagnostics::{Diagnostic, Location};
use crate::resolve::{Found, locate};
use crate::syntax::{Else, Include, IncludeTarget, Item, ProfileDecl, Span};
use std::path::Path;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let items = &cx.parsed.items;
    let mut profiles = Vec::new();
    collect_profiles(items, &mut profiles);
    for profile in &profiles {
        if !has_local_include(&profile.items) {
            out.push(
                Diagnostic::warning(
                    "missing-local-include",
                    format!(
                        "profile {} has no `include if exists <local/...>` for site-specific rules",
                        header_name(profile)
                    ),
                    Some(header_location(cx, profile)),
                )
                .with_label("no local include"),
            );
        }
    }
    if let Some(first) = profiles.first()
        && cx.loaded.policy.abi.is_none()
    {
        out.push(
            Diagnostic::warning(
                "abi-missing",
                "the file has no `abi` rule: its meaning depends on the compiler's default policy ABI (add e.g. `abi <abi/4.0>,`)",
                Some(header_location(cx, first)),
            )
            .with_label("no abi"),
        );
    }
    let mut includes = Vec::new();
    collect_includes(items, &mut includes);
    for include in includes {
        if let Some(why) = empty_include(cx, include) {
            out.push(
                Diagnostic::warning(
                    "include-empty",
                    why,
                    Some(Location {
                        source: cx.parsed.source.clone(),
                        span: include.span,
                        file_only: false,
                    }),
                )
                .with_label("includes nothing"),
            );
        }
    }
}

/// Every profile declaration, nested ones included, in source order.
fn collect_profiles<'a>(items: &'a [Item], out: &mut Vec<&'a ProfileDecl>) {
    for item in items {
        match item {
            Item::Profile(p) => {
                out.push(p);
                collect_profiles(&p.items, out);
            }
            Item::If(block) => for_each_branch(block, &mut |b| collect_profiles(b, out)),
            Item::QualifierBlock(q) => collect_profiles(&q.items, out),
            _ => {}
        }
    }
}

/// Calls `f` with the items of every branch of an `if` chain.
fn for_each_branch<'a>(block: &'a crate::syntax::IfBlock, f: &mut dyn FnMut(&'a [Item])) {
    f(&block.then);
    match &block.otherwise {
        Some(Else::If(next)) => for_each_branch(next, f),
        Some(Else::Block(items)) => f(items),
        None => {}
    }
}

/// Whether a body includes a `local/` file, outside nested profiles.
fn has_local_include(items: &[Item]) -> bool {
    items.iter().any(|item| match item {
        Item::Include(include) => is_local(&include.target),
        Item::If(block) => {
            let mut found = false;
            for_each_branch(block, &mut |b| found |= has_local_include(b));
            found
        }
        Item::QualifierBlock(q) => has_local_include(&q.items),
        _ => false,
    })
}

fn is_local(target: &IncludeTarget) -> bool {
    let name = match target {
        IncludeTarget::Angle(name) | IncludeTarget::Path(name) => name,
    };
    name.starts_with("local/") || name.contains("/local/")
}

/// Every include of the file, in profiles and blocks too.
fn collect_includes<'a>(items: &'a [Item], out: &mut Vec<&'a Include>) {
    for item in items {
        match item {
            Item::Include(include) => out.push(include),
            Item::Profile(p) => collect_includes(&p.items, out),
            Item::If(block) => for_each_branch(block, &mut |b| collect_includes(b, out)),
            Item::QualifierBlock(q) => collect_includes(&q.items, out),
            _ => {}
        }
    }
}

/// Why an include brings in nothing, or `None`.
fn empty_include(cx: &Context<'_>, include: &Include) -> Option<String> {
    if is_local(&include.target) {
        return None;
    }
    let shown = match &include.target {
        IncludeTarget::Angle(name) => format!("<{name}>"),
        IncludeTarget::Path(name) => format!("\"{name}\""),
    };
    match locate(&include.target, &cx.session.resolve) {
        Found::Missing if include.if_exists => Some(format!(
            "`include if exists {shown}` finds no file in the search path: it includes nothing"
        )),
        // A plain include of a missing file is an error `check` reports.
        Found::Missing => None,
        Found::Dir(files) if files.is_empty() => Some(format!(
            "include {shown} names an empty directory: it includes nothing"
        )),
        Found::Dir(files) => files
            .iter()
            .all(|f| holds_nothing(cx, f))
            .then(|| format!("include {shown}: every file in the directory is empty")),
        Found::File(file) => holds_nothing(cx, &file).then(|| {
            format!("include {shown} names a file with no rules (only comments or blanks)")
        }),
    }
}

/// A file that parses to no statement (only comments and blank lines).
fn holds_nothing(cx: &Context<'_>, path: &Path) -> bool {
    cx.session
        .cache
        .get(path)
        .is_ok_and(|parsed| parsed.is_clean() && parsed.items.is_empty())
}

/// The profile's name as written (first header token), or `^hat`.
fn header_name(profile: &ProfileDecl) -> String {
    let text = profile
        .header
        .first()
        .and_then(|t| t.text())
        .unwrap_or("(unnamed)");
    text.to_string()
}

/// The header line of a profile, from its first character to the line end.
fn header_location(cx: &Context<'_>, profile: &ProfileDecl) -> Location {
    let text = &cx.parsed.source.text;
    let start = profile.span.start as usize;
    let end = text[start.min(text.len())..]
        .find(['\n', '{'])
        .map_or(text.len(), |i| start + i);
    let end = text[start..end].trim_end().len() + start;
    Location {
        source: cx.parsed.source.clone(),
        span: Span {
            start: start as u32,
            end: end as u32,
        },
        file_only: false,
    }
}
