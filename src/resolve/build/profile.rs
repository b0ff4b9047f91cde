//! Profile headers (name, namespace, attachment, xattrs, flags) and the
//! per-profile checks (duplicate names).

use super::exec_conflict::exec_conflict;
use super::names::PROFILE_FLAGS;
use super::rule::{build_rule, build_rules, check_as_written, rule_expands};
use super::{Env, RuleError};
use crate::model::{
    Origin, Profile, ProfileFlags, ProfileMode, Xattr, errno_number, signal_number,
};
use crate::resolve::vars::Locals;
use crate::resolve::walk::{Place, RawProfile};
use crate::syntax::lexical::decode_escapes;
use crate::syntax::{ProfileKeyword, Span, Token, TokenKind};

/// What a child needs to know about its parent.
pub(crate) struct Parent<'a> {
    pub full_name: &'a str,
}

/// The origin record of a place and span.
pub(crate) fn origin(place: &Place, span: Span) -> Origin {
    let (line, column) = place.source.line_col(span.start);
    Origin {
        file: place.source.name.clone(),
        line,
        column,
        included_from: place
            .chain
            .iter()
            .map(|s| (s.file.clone(), s.line, s.column))
            .collect::<Vec<_>>()
            .into(),
    }
}

/// Builds one profile and its children; `None` when the header is unusable
/// (the error is in `env.diagnostics`).
pub(crate) fn build_profile(
    raw: &RawProfile,
    parent: Option<&Parent>,
    env: &mut Env,
) -> Option<Profile> {
    let mut profile = match header(raw, parent, env) {
        Ok(p) => p,
        Err((msg, span)) => {
            env.diagnostics.push(raw.place.error("profile", msg, span));
            return None;
        }
    };
    profile.alt_names = alt_names(&profile, &env.aliases);
    let full_name = match parent {
        Some(p) => format!("{}//{}", p.full_name, profile.name),
        None => profile.name.clone(),
    };
    // A name that is a path stands for the attachment in these variables,
    // for hats too (`hat /a/*/c` or `^/a/*/c`: 5.0.2 defines
    // `@{exec_path}` there, though a hat's blob has no attachment).
    // Its last `//` part, as for the attachment itself (`profile /a//c`
    // gives `c`, see `encode::attachment`).
    let attach = profile
        .attachment
        .clone()
        .or_else(|| (profile.name.starts_with('/')).then(|| profile.last_name_part().to_string()));
    let mut locals = Locals::new();
    // Inside patterns the name is literal text: its glob characters are
    // escaped (apparmor_parser writes `/run/a\{b,c\}` for profile `a{b,c}`).
    locals.insert("profile_name", Some(escape_glob(&full_name)));
    locals.insert("attach_path", attach.clone());
    locals.insert("exec_path", attach);
    let reported = env.diagnostics.len();
    profile.rules = build_rules(&raw.rules, &locals, &profile.name, env);
    // 5.0.2 stops at a merged entry's conflict, before its automaton.
    let merge_conflict = env.diagnostics[reported..]
        .iter()
        .any(|d| d.code == "conflict");
    if !merge_conflict && let Some(conflict) = exec_conflict(&profile) {
        let msg = format!("profile {full_name}: {conflict}");
        env.diagnostics.push(raw.place.error("rule", msg, raw.span));
    }
    let me = Parent {
        full_name: &full_name,
    };
    for child in &raw.children {
        if let Some(c) = build_profile(child, Some(&me), env) {
            profile.children.push(c);
        }
    }
    check_duplicates(&profile.children, &raw.children, env);
    Some(profile)
}

/// Reports the errors apparmor_parser finds while reading the rules and
/// profile headers of a branch not taken (an unknown capability, a bad
/// flag); the checks it runs on the finished profile (exec conflicts,
/// duplicate names) do not apply, and nothing is kept. It expands
/// variables only in the rules it keeps, so a rule whose variables do not
/// expand here is not checked.
pub(crate) fn check_untaken(raw: &RawProfile, env: &mut Env) {
    let locals = Locals::new();
    for rule in &raw.rules {
        if !rule_expands(rule, &locals, env) {
            if let Err((msg, span)) = check_as_written(rule) {
                env.diagnostics.push(rule.place.error("rule", msg, span));
            }
            continue;
        }
        if let Err((msg, span)) = build_rule(rule, &locals, env) {
            env.diagnostics.push(rule.place.error("rule", msg, span));
        }
    }
    let parent = Parent { full_name: "" };
    for child in &raw.children {
        if let Err((msg, span)) = header(child, Some(&parent), env) {
            env.diagnostics
                .push(child.place.error("profile", msg, span));
        }
        check_untaken(child, env);
    }
}

/// Escapes the characters a glob would interpret.
/// The names `alias` rules give a profile: for every alias (in the
/// parser's sorted order: by source, then target) whose source text is a
/// literal prefix of the attachment (or the name, when there is no
/// attachment), the target followed by the rest; the last alias comes first
/// as apparmor_parser prepends each alternative.
fn alt_names(profile: &Profile, aliases: &[(String, String)]) -> Vec<String> {
    let name = profile.attachment.as_deref().unwrap_or(&profile.name);
    let mut sorted: Vec<&(String, String)> = aliases.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted
        .into_iter()
        .rev()
        .filter_map(|(from, to)| {
            name.strip_prefix(from.as_str())
                .map(|rest| format!("{to}{rest}"))
        })
        .collect()
}

/// The profile name as literal pattern text: its glob characters escaped,
/// while an escape already in the name (a backslash and the character after
/// it) is kept as written, so `/\{a,b\},c` stays as it is and `/a\]b` does
/// not become an unbalanced `]` (5.0.2 reads the name's own escapes the same
/// way in the expansion as in a rule).
fn escape_glob(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(c);
            out.extend(chars.next());
            continue;
        }
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Profile names as declared, before variable expansion, in
/// apparmor_parser's `-N` order: siblings sorted by name, each followed
/// by its hats and children (`a`, `a//hat`, `:ns://b`).
pub(crate) fn declared_names(raws: &[RawProfile]) -> Vec<String> {
    let mut out = Vec::new();
    declared_level(raws, None, &mut out);
    out
}

fn declared_level(raws: &[RawProfile], parent: Option<&str>, out: &mut Vec<String>) {
    // Sorted as apparmor_parser sorts: profiles outside namespaces first,
    // then by namespace, then by name.
    let mut level: Vec<(Option<String>, String, &RawProfile)> = raws
        .iter()
        .filter_map(|r| {
            let tok = r.header.iter().find(|t| {
                t.text().is_some() && !matches!(t.word().map(str::trim_end), Some("+" | "^"))
            })?;
            let mut name = tok.text()?.to_string();
            let mut namespace = None;
            if let Some((ns, rest)) = name.strip_prefix(':').and_then(|r| r.split_once(':')) {
                namespace = Some(ns.to_string());
                name = rest.strip_prefix("//").unwrap_or(rest).to_string();
            }
            Some((namespace, name, r))
        })
        .collect();
    level.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (namespace, name, raw) in level {
        let name = match namespace {
            Some(ns) => format!(":{ns}://{name}"),
            None => name,
        };
        let full = match parent {
            Some(p) => format!("{p}//{name}"),
            None => name,
        };
        out.push(full.clone());
        declared_level(&raw.children, Some(&full), out);
    }
}

/// Reports profiles declared twice at one level.
pub(crate) fn check_duplicates(built: &[Profile], raws: &[RawProfile], env: &mut Env) {
    let mut seen: Vec<(&Option<String>, &str)> = Vec::new();
    for p in built {
        let key = (&p.namespace, p.name.as_str());
        if seen.contains(&key) {
            let raw = raws
                .iter()
                .rev()
                .find(|r| origin(&r.place, r.span) == p.origin);
            let (place, span) = match raw {
                Some(r) => (r.place.clone(), r.span),
                None => continue,
            };
            let kind = if p.is_hat { "hat" } else { "profile" };
            env.diagnostics.push(place.error(
                "duplicate-profile",
                format!("{kind} `{}` is defined more than once", p.name),
                Span::new(span.start as usize, span.start as usize + 1),
            ));
        } else {
            seen.push(key);
        }
    }
}

fn header(raw: &RawProfile, parent: Option<&Parent>, env: &Env) -> Result<Profile, RuleError> {
    let locals = Locals::new();
    let expand = |text: &str, span: Span| -> Result<String, RuleError> {
        env.vars
            .expand_pattern(text, &locals)
            .map_err(|e| (e.to_string(), span))
    };
    let mut plain: Vec<&Token> = Vec::new();
    let mut flags = ProfileFlags::default();
    let mut xattrs = Vec::new();
    // Name and attachment come before `xattrs=`/`flags=`: 5.0.2 rejects
    // `profile foo flags=(complain) /a`.
    let mut options_seen = false;
    let mut flags_seen = false;
    check_identities_order(&raw.header)?;
    for t in &raw.header {
        super::rule::no_empty_quote_in_group(t)?;
        super::rule::condition_lists("profile", t)?;
        match &t.kind {
            TokenKind::Word(w) if w.trim_end() == "+" => {}
            TokenKind::Word(_) | TokenKind::Quoted(_) if options_seen => {
                return Err((
                    "the attachment must come before xattrs=(...) and flags=(...)".into(),
                    t.span,
                ));
            }
            TokenKind::Word(_) | TokenKind::Quoted(_) => plain.push(t),
            TokenKind::List(_) | TokenKind::Cond { .. } if flags_seen && is_flags(t) => {
                return Err(("flags given twice".into(), t.span));
            }
            TokenKind::List(items) => parse_flags(items, t.span, &mut flags, env)?,
            TokenKind::Cond {
                key,
                value,
                is_in: false,
                ..
            } if key == "flags" => match &value.kind {
                TokenKind::List(items) => parse_flags(items, value.span, &mut flags, env)?,
                _ => return Err(("flags must be a list: flags=(...)".into(), value.span)),
            },
            TokenKind::Cond { key, .. } if key == "xattrs" && flags != ProfileFlags::default() => {
                return Err(("xattrs=(...) must come before flags=(...)".into(), t.span));
            }
            TokenKind::Cond {
                key,
                value,
                is_in: false,
                ..
            } if key == "xattrs" => match &value.kind {
                TokenKind::List(items) => xattrs = parse_xattrs(items)?,
                _ => return Err(("xattrs must be a list: xattrs=(...)".into(), value.span)),
            },
            TokenKind::Cond { key, value, .. } if key == "identities" => {
                if matches!(&value.kind, TokenKind::List(items) if items.is_empty()) {
                    return Err(("empty identities list".into(), value.span));
                }
                check_identities(value)?;
            }
            TokenKind::Cond { key, .. } => {
                return Err((format!("unknown profile option `{key}=`"), t.span));
            }
            _ => return Err(("unexpected token in profile header".into(), t.span)),
        }
        options_seen |= matches!(&t.kind, TokenKind::List(_) | TokenKind::Cond { .. });
        flags_seen |= is_flags(t);
    }
    // `^NAME`: the caret is a token of its own (the grammar puts the name
    // right after it).
    let caret = raw.keyword.is_none() && plain.len() > 1 && plain[0].word() == Some("^");
    if caret {
        plain.remove(0);
    }
    let Some(name_tok) = plain.first() else {
        return Err(("profile has no name".into(), raw.span));
    };
    // The grammar's empty name: a line end or blank where the name belongs.
    if name_tok.word() == Some("") && name_tok.span.start == name_tok.span.end {
        let after = match raw.keyword {
            Some(ProfileKeyword::Profile) => "on the line of `profile`",
            Some(ProfileKeyword::Hat) => "on the line of `hat`",
            None => "right after `^`",
        };
        let at = name_tok.span.start as usize;
        return Err((
            format!("expected the profile name {after}"),
            Span::new(at, at + 1),
        ));
    }
    // Variables in the name expand, as they do in apparmor_parser's built
    // profiles (its `-N` listing, before expansion, is `declared_names`),
    // after the lexer has decoded its escapes (`profile a\x41b` is `aAb`).
    let expanded_name = expand(
        &decode_escapes(name_tok.text().unwrap_or("")),
        name_tok.span,
    )?;
    let mut name = expanded_name.clone();
    let is_hat = raw.keyword == Some(ProfileKeyword::Hat) || caret;
    // A hat outside any profile is loaded as a profile with the hat flag
    // (5.0.2 accepts `^hat {}` and `hat h {}` at top level).
    if parent.is_some() && raw.keyword.is_none() && !is_hat {
        return Err((
            "a child profile needs the `profile` keyword".into(),
            name_tok.span,
        ));
    }
    let mut namespace = None;
    if let Some(rest) = name.strip_prefix(':') {
        let Some((ns, rest)) = rest.split_once(':') else {
            return Err((
                format!("namespace in `{name}` is not closed with `:`"),
                name_tok.span,
            ));
        };
        if ns.is_empty() {
            return Err(("empty namespace name".into(), name_tok.span));
        }
        namespace = Some(ns.to_string());
        name = rest.strip_prefix("//").unwrap_or(rest).to_string();
    }
    if name.is_empty() {
        return Err(("profile has an empty name".into(), name_tok.span));
    }
    if raw.keyword.is_none()
        && !is_hat
        && namespace.is_none()
        && !expanded_name.starts_with('/')
        && !expanded_name.starts_with("{/")
    {
        return Err((
            format!("profile name `{name}` must start with `/` or use the `profile` keyword"),
            name_tok.span,
        ));
    }
    if is_hat && !xattrs.is_empty() {
        return Err(("hat profiles can't use xattrs matches".into(), raw.span));
    }
    let attachment = match plain.get(1) {
        Some(t) => {
            // Checked before expansion: a path or a variable.
            let text = t.text().unwrap_or("");
            if !text.starts_with('/') && !text.starts_with("@{") {
                return Err((
                    "profile attachment must begin with `/` or a variable".into(),
                    t.span,
                ));
            }
            Some(expand(text, t.span)?)
        }
        None => None,
    };
    if let Some(extra) = plain.get(2) {
        return Err((
            format!(
                "unexpected `{}` in profile header",
                extra.text().unwrap_or("")
            ),
            extra.span,
        ));
    }
    Ok(Profile {
        namespace,
        name,
        attachment,
        alt_names: Vec::new(),
        is_hat,
        flags,
        xattrs,
        rules: Vec::new(),
        children: Vec::new(),
        origin: origin(&raw.place, raw.span),
    })
}

/// A `flags=(...)` option, or its older spelling, a bare `(...)` list.
fn is_flags(t: &Token) -> bool {
    match &t.kind {
        TokenKind::List(_) => true,
        TokenKind::Cond { key, .. } => key == "flags",
        _ => false,
    }
}

fn parse_flags(
    items: &[Token],
    span: Span,
    flags: &mut ProfileFlags,
    env: &Env,
) -> Result<(), RuleError> {
    if items.is_empty() {
        return Err(("empty flags list".into(), span));
    }
    let locals = Locals::new();
    for (index, item) in items.iter().enumerate() {
        match &item.kind {
            // apparmor_parser (4.1 and 5.0.2) honours `debug` only as the
            // first flag: `flags=(audit,debug)` compiles without the bit.
            TokenKind::Word(w) if w == "debug" && index > 0 => {}
            TokenKind::Word(w) => set_flag(w, item.span, flags)?,
            TokenKind::Cond { key, value, .. } => {
                // Flag values are plain words: 5.0.2 rejects quoted ones
                // (`error="EPERM"`, `attach_disconnected.path="/a b"`).
                let Some(v) = value.word() else {
                    return Err((
                        format!("invalid value for profile flag `{key}`"),
                        value.span,
                    ));
                };
                // The lexer has decoded the value's escapes before any
                // expansion (`attach_disconnected.path=/a\x41` is `/aA`).
                let v = env
                    .vars
                    .expand_pattern(&decode_escapes(v), &locals)
                    .map_err(|e| (e.to_string(), value.span))?;
                match key.as_str() {
                    "kill.signal" => {
                        let n = signal_number(&v)
                            .ok_or((format!("unknown signal for kill.signal `{v}`"), value.span))?;
                        set_once(&mut flags.kill_signal, u32::from(n), key, value.span)?;
                    }
                    "error" => {
                        let n = errno_number(&v)
                            .ok_or((format!("unknown error code `{v}`"), value.span))?;
                        set_once(&mut flags.error, n, key, value.span)?;
                    }
                    "attach_disconnected.path" => {
                        if !v.starts_with('/') {
                            return Err((
                                "attach_disconnected.path must be an absolute path".into(),
                                value.span,
                            ));
                        }
                        set_once(&mut flags.attach_disconnected_path, v, key, value.span)?;
                    }
                    "attach_disconnected.ipc" => {
                        if !v.starts_with('/') {
                            return Err((
                                "attach_disconnected.ipc must be an absolute path".into(),
                                value.span,
                            ));
                        }
                        if flags
                            .attach_disconnected_ipc
                            .as_ref()
                            .is_some_and(|old| !old.is_empty() && *old != v)
                        {
                            return Err((
                                "conflicting attach_disconnected.ipc values".into(),
                                value.span,
                            ));
                        }
                        flags.attach_disconnected_ipc = Some(v);
                    }
                    _ => return Err((format!("unknown profile flag `{key}`"), item.span)),
                }
            }
            _ => return Err(("invalid profile flag".into(), item.span)),
        }
    }
    let pairs = [
        (
            flags.mediate_deleted,
            flags.delegate_deleted,
            "mediate_deleted and delegate_deleted",
        ),
        (
            flags.attach_disconnected,
            flags.no_attach_disconnected,
            "attach_disconnected and no_attach_disconnected",
        ),
        (
            flags.chroot_relative,
            flags.namespace_relative,
            "chroot_relative and namespace_relative",
        ),
        (
            flags.chroot_attach,
            flags.chroot_no_attach,
            "chroot_attach and chroot_no_attach",
        ),
    ];
    if flags.attach_disconnected_path.is_some() && flags.no_attach_disconnected {
        return Err((
            "conflicting profile flags: attach_disconnected.path and no_attach_disconnected".into(),
            span,
        ));
    }
    if flags.attach_disconnected_ipc.is_some() && flags.no_attach_disconnected {
        return Err((
            "conflicting profile flags: attach_disconnected.ipc and no_attach_disconnected".into(),
            span,
        ));
    }
    for (a, b, what) in pairs {
        if a && b {
            return Err((format!("conflicting profile flags: {what}"), span));
        }
    }
    Ok(())
}

/// Sets a valued flag; giving it again with another value is an error,
/// the same value is harmless.
fn set_once<T: PartialEq>(
    slot: &mut Option<T>,
    value: T,
    key: &str,
    span: Span,
) -> Result<(), RuleError> {
    match slot {
        Some(old) if *old != value => Err((
            format!("profile flag `{key}` set to conflicting values"),
            span,
        )),
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

fn set_flag(word: &str, span: Span, flags: &mut ProfileFlags) -> Result<(), RuleError> {
    if word == "attach_disconnected.ipc" {
        flags
            .attach_disconnected_ipc
            .get_or_insert_with(String::new);
        return Ok(());
    }
    if !PROFILE_FLAGS.contains(&word) {
        return Err((format!("unknown profile flag `{word}`"), span));
    }
    let mode = match word {
        "default_allow" => Some(ProfileMode::DefaultAllow),
        "complain" => Some(ProfileMode::Complain),
        "enforce" => Some(ProfileMode::Enforce),
        "kill" => Some(ProfileMode::Kill),
        "unconfined" => Some(ProfileMode::Unconfined),
        "prompt" => Some(ProfileMode::Prompt),
        _ => None,
    };
    if let Some(mode) = mode {
        match flags.mode {
            Some(old) if old != mode => {
                return Err((
                    format!("conflicting profile modes: `{word}` with an earlier mode flag"),
                    span,
                ));
            }
            _ => flags.mode = Some(mode),
        }
        return Ok(());
    }
    match word {
        "audit" => flags.audit = true,
        "debug" => flags.debug = true,
        "interruptible" => flags.interruptible = true,
        "mediate_deleted" => flags.mediate_deleted = true,
        "delegate_deleted" => flags.delegate_deleted = true,
        "attach_disconnected" => flags.attach_disconnected = true,
        "no_attach_disconnected" => flags.no_attach_disconnected = true,
        "chroot_relative" => flags.chroot_relative = true,
        "namespace_relative" => flags.namespace_relative = true,
        "chroot_attach" => flags.chroot_attach = true,
        "chroot_no_attach" => flags.chroot_no_attach = true,
        _ => {}
    }
    Ok(())
}

/// `+ identities=(...)`, as 5.0.2's header grammar has it: each
/// `identities=` list is introduced by its own `+` on the same line
/// (`+ identities=(a) + identities=(b)`, written apart or not; the grammar
/// makes that `+` a token ending in the blanks after it), and they stand
/// after any `xattrs=(...)` and before `flags=(...)`. A `+` anywhere else,
/// a bare `identities=` and a non-list value are errors.
fn check_identities_order(header: &[Token]) -> Result<(), RuleError> {
    let is_key =
        |t: &Token, name: &str| matches!(&t.kind, TokenKind::Cond { key, .. } if key == name);
    let introduces = |t: &Token, next: Option<&Token>| match t.word() {
        Some("+") => next.is_some_and(|n| n.span.start == t.span.end && is_key(n, "identities")),
        Some(w) => w.starts_with('+') && w[1..].trim_start_matches([' ', '\t']).is_empty(),
        None => false,
    };
    let mut identities_seen = false;
    let mut flags_seen = false;
    for (i, t) in header.iter().enumerate() {
        let plus = t.word().is_some_and(|w| w.trim_end() == "+");
        if plus {
            if !introduces(t, header.get(i + 1)) {
                return Err(("`+` must be followed by `identities=(...)`".into(), t.span));
            }
            if flags_seen {
                return Err((
                    "`+ identities=(...)` must come before flags=(...)".into(),
                    t.span,
                ));
            }
            if let Some(TokenKind::Cond { value, .. }) = header.get(i + 1).map(|n| &n.kind)
                && !matches!(value.kind, TokenKind::List(_))
            {
                return Err((
                    "identities must be a list: identities=(...)".into(),
                    value.span,
                ));
            }
            identities_seen = true;
        } else if is_key(t, "identities")
            && header[..i]
                .last()
                .is_none_or(|p| p.word().is_none_or(|w| w.trim_end() != "+"))
        {
            return Err(("identities=(...) must follow a `+`".into(), t.span));
        } else if identities_seen && is_key(t, "xattrs") {
            return Err((
                "xattrs=(...) must come before `+ identities=(...)`".into(),
                t.span,
            ));
        }
        flags_seen |= is_flags(t);
    }
    Ok(())
}

/// An identity is a path (which may hold spaces) or a name (which may
/// not): 5.0.2 accepts `identities=("/foo bar")` but rejects
/// `identities=("a a")` (profile/identities/ok_identity_07, bad_identity_05).
fn check_identities(value: &Token) -> Result<(), RuleError> {
    let items = match &value.kind {
        TokenKind::List(items) => items.as_slice(),
        _ => std::slice::from_ref(value),
    };
    for item in items {
        let Some(text) = item.text() else { continue };
        if !text.starts_with('/') && text.chars().any(char::is_whitespace) {
            return Err((
                format!("invalid identity `{text}`: a name has no spaces"),
                item.span,
            ));
        }
    }
    Ok(())
}

/// 5.0.2 takes xattr names and values as written: no variable is expanded
/// (`user.x=@{V}` matches the text `@V`, see `aare::convert_xattr_value`).
fn parse_xattrs(items: &[Token]) -> Result<Vec<Xattr>, RuleError> {
    let mut out = Vec::new();
    for item in items {
        match &item.kind {
            TokenKind::Word(w) | TokenKind::Quoted(w) => out.push(Xattr {
                name: w.clone(),
                value: None,
            }),
            // `key:=value` matches the name alone, as 5.0.2 reads it.
            TokenKind::Cond {
                key, assign: true, ..
            } => out.push(Xattr {
                name: key.clone(),
                value: None,
            }),
            // A value may be a list of one (`a=(x)` is `a=x`).
            TokenKind::Cond { key, value, .. } => out.push(Xattr {
                name: key.clone(),
                value: Some(value.first_of_list().text().unwrap_or("").to_owned()),
            }),
            _ => return Err(("invalid xattr".into(), item.span)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::escape_glob;

    #[test]
    fn profile_name_keeps_its_own_escapes() {
        assert_eq!(escape_glob("/t/*"), "/t/\\*");
        assert_eq!(escape_glob("/{a,b}"), "/\\{a,b\\}");
        // An escape pair in the name is kept, the rest escaped.
        assert_eq!(escape_glob("/\\{a,b\\},c"), "/\\{a,b\\},c");
        assert_eq!(escape_glob("/a\\]b"), "/a\\]b");
        assert_eq!(escape_glob("/a\\\\*b"), "/a\\\\\\*b");
        assert_eq!(escape_glob("/a\\"), "/a\\");
    }
}
