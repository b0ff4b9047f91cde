//! File rules (path-first, mode-first, bare `file`), their permission
//! letters and exec modes, and `link` rules.

use super::RuleError;
use crate::model::{
    ExecFallback, ExecMode, FileAccess, FileRule, LinkRule, Qualifiers, RuleKind, Verdict,
};
use crate::syntax::{Span, Token, TokenKind};

/// `[file] PATH MODES [-> TARGET]`, `[file] MODES PATH [-> TARGET]` or
/// a bare `file`. `args` excludes the `file` keyword when present; `raw`
/// holds the same tokens before variable expansion. The target after `->`
/// comes unexpanded: it names a profile as written,
/// unless it is a link target, which `link_target` expands and checks.
pub(crate) fn file(
    args: &[Token],
    raw: &[Token],
    head: Span,
    q: &Qualifiers,
    link_target: &dyn Fn(&Token) -> Result<Token, RuleError>,
) -> Result<Vec<RuleKind>, RuleError> {
    // `safe`/`unsafe` in front of a mode-first rule set the exec mode's
    // environment scrubbing explicitly.
    let (safety, args, raw) = match args.split_first() {
        Some((first, rest)) if matches!(first.word(), Some("safe" | "unsafe")) => {
            (first.word(), rest, raw.get(1..).unwrap_or(&[]))
        }
        _ => (None, args, raw),
    };
    let (main, target) = split_arrow(args)?;
    // `MODES subset PATH [-> TARGET]`: 5.0.2's mode-first grammar takes a
    // link rule's `subset` (the keyword as written, not a quoted word or a
    // variable) between the permissions and the path.
    let subset = matches!(main, [_, _, _])
        && raw.first().is_some_and(is_mode_word)
        && raw.get(1).and_then(Token::word) == Some("subset");
    let without_subset: Vec<Token>;
    let without_subset_raw: Vec<Token>;
    let (main, raw) = if subset {
        without_subset = [main[0].clone(), main[2].clone()].to_vec();
        without_subset_raw = raw
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, t)| t.clone())
            .collect();
        (&without_subset[..], &without_subset_raw[..])
    } else {
        (main, raw)
    };
    // The target as written, before any variable expansion.
    let written_target = split_arrow(raw).ok().and_then(|(_, t)| t);
    // An exec target as written: 5.0.2 expands no variable in it, but its
    // lexer decodes the escapes (`-> a\x41b` names `aAb`).
    let exec_target_text = || {
        written_target
            .or(target)
            .and_then(|t| t.text())
            .map(crate::syntax::lexical::decode_escapes)
    };
    if main.is_empty() {
        if let Some(word) = safety {
            return Err((
                format!("`{word}` must be followed by a path and an exec mode"),
                head,
            ));
        }
        if target.is_some() {
            return Err(("`->` without a file rule".into(), head));
        }
        if q.verdict == Verdict::Deny {
            return Err((
                "a bare `file` rule cannot be denied (it grants ix)".into(),
                head,
            ));
        }
        // `file,`: every file, with the permissions apparmor_parser's
        // debug dump shows for it (`rwalkmx` on `/{**,}`, exec inherit).
        return Ok(vec![RuleKind::File(FileRule {
            path: None,
            access: FileAccess {
                read: true,
                write: true,
                append: true,
                mmap_exec: true,
                lock: true,
                link: true,
                exec: Some(ExecMode::Inherit),
            },
            exec_target: None,
        })]);
    }
    // Which of the two is the path is the lexer's call: a word of
    // permission letters only is read as permissions.
    let (path_tok, mode_tok, mode_first) = match main {
        [a, b] if raw.first().is_some_and(is_mode_word) => (b, a, true),
        [a, b] => (a, b, false),
        [a] => {
            return Err((
                format!("missing permissions for `{}`", a.text().unwrap_or("")),
                a.span,
            ));
        }
        [_, _, extra, ..] => {
            return Err((
                format!("unexpected `{}` in file rule", token_text(extra)),
                extra.span,
            ));
        }
        [] => return Err(("empty file rule".into(), head)),
    };
    let raw_path = &raw[usize::from(mode_first)];
    if !is_path_token(raw_path) {
        return Err((not_a_path(raw_path), raw_path.span));
    }
    let path = path_tok.text().unwrap_or("").to_string();
    let modes = match &mode_tok.kind {
        TokenKind::Word(m) if KEYWORDS.contains(&m.as_str()) => {
            return Err((
                format!("`{m}` is a keyword here, not file permissions"),
                mode_tok.span,
            ));
        }
        TokenKind::Word(m) => m.clone(),
        _ => return Err(("expected file permissions".into(), mode_tok.span)),
    };
    let deny = q.verdict == Verdict::Deny;
    // `unsafe` gives a bare `x` the unsafe bit, which 5.0.2 counts as an
    // exec qualifier: `unsafe /a x,` is an exec grant of its own.
    let unsafe_word = safety == Some("unsafe");
    let mut access =
        parse_modes_with(&modes, deny, deny || unsafe_word).map_err(|m| (m, mode_tok.span))?;
    // Only a rule whose permissions are all link permissions may be a
    // subset link (checked on the permissions as written); without a
    // target it is the plain `PATH l` rule, which already asks for a
    // subset.
    let link_only = FileAccess {
        link: true,
        ..FileAccess::default()
    };
    if subset && access != link_only {
        return Err(("subset can only be used with link rules".into(), head));
    }
    if let Some(s) = safety {
        // 5.0.2's grammar: `safe`/`unsafe` need an `x` (of the rule as
        // written, before `owner` or a block narrows it), and in a deny
        // rule `unsafe` is an exec qualifier before `x`.
        if access.exec.is_none() {
            return Err(("unsafe rule missing exec permissions".into(), head));
        }
        if deny && unsafe_word {
            return Err((
                "in deny rules `x` must not be preceded by an exec qualifier (`unsafe` is one)"
                    .into(),
                head,
            ));
        }
        let safe = s == "safe";
        access.exec = match access.exec {
            Some(ExecMode::Plain) if !safe => Some(ExecMode::PlainUnsafe),
            Some(ExecMode::Profile { fallback, .. }) => Some(ExecMode::Profile { safe, fallback }),
            Some(ExecMode::Child { fallback, .. }) => Some(ExecMode::Child { safe, fallback }),
            Some(ExecMode::Unconfined { .. }) => Some(ExecMode::Unconfined { safe }),
            Some(ExecMode::Inherit) if !safe => Some(ExecMode::InheritUnsafe),
            other => other,
        };
    }
    let mut out = Vec::new();
    if target.is_some()
        && access.link
        && !mode_first
        && q.verdict != Verdict::Deny
        && let Some(mode) = access.exec.and_then(deprecated_link_exec)
    {
        // The deprecated `PATH l<x> -> TARGET`: the target belongs to the
        // exec transition and `l` stays a link to anywhere.
        access.exec = Some(mode);
        return Ok(vec![RuleKind::File(FileRule {
            path: Some(path),
            access,
            exec_target: exec_target_text(),
        })]);
    }
    // 5.0.2 takes a namespaced label after `->` in a mode-first rule with
    // link permission as a named profile transition, which a link cannot
    // be (the target as written, so not through a variable; with an exec
    // permission too, the link/exec conflict below is reported first).
    if mode_first
        && access.link
        && access.exec.is_none()
        && let Some(t) = target
        && written_target
            .and_then(Token::text)
            .is_some_and(names_a_namespace)
    {
        return Err((
            "link permissions are not allowed on a named profile transition".into(),
            t.span,
        ));
    }
    let exec_target = match target {
        None => None,
        // The old link form `PATH l -> TARGET` (with other permissions
        // for PATH alongside).
        // `MODES PATH -> TARGET` with `l` and no exec mode reads as the
        // path-first form (5.0.2: `rl /a -> /b,` = `/a rl -> /b,`).
        Some(t) if access.link && mode_first && access.exec.is_some() => {
            return Err((
                "a link permission cannot be combined with an exec target here; use a `link` rule"
                    .into(),
                t.span,
            ));
        }
        Some(t) if access.link => {
            let t = link_target(t)?;
            out.push(RuleKind::Link(LinkRule {
                subset,
                link: path.clone(),
                target: t.text().unwrap_or("").to_string(),
            }));
            access.link = false;
            if access == FileAccess::default() {
                return Ok(out);
            }
            None
        }
        // 5.0.2 takes a target on any rule: without exec permission
        // (`/a r -> b`, `deny /a r -> b`) it only takes an xtable slot; an
        // allowed ix/ux puts that slot in its exec index (see
        // encode::file::assign_slots).
        Some(t) => {
            let named = matches!(
                access.exec,
                Some(ExecMode::Profile { .. }) | Some(ExecMode::Child { .. })
            );
            if named && q.verdict == Verdict::Deny {
                return Err(("deny rules cannot name an exec target".into(), t.span));
            }
            Some(exec_target_text().unwrap_or_default())
        }
    };
    out.insert(
        0,
        RuleKind::File(FileRule {
            path: Some(path),
            access,
            exec_target,
        }),
    );
    Ok(out)
}

/// `link [subset] LINK -> TARGET`; `raw` holds the arguments before
/// variable expansion.
pub(crate) fn link(args: &[Token], raw: &[Token], head: Span) -> Result<RuleKind, RuleError> {
    let (main, target) = split_arrow(args)?;
    let (subset, main, raw) = match main.split_first() {
        Some((first, rest)) if first.word() == Some("subset") => {
            (true, rest, raw.get(1..).unwrap_or(&[]))
        }
        _ => (false, main, raw),
    };
    let link = match main {
        [one] if raw.first().is_some_and(is_path_token) => one.text().unwrap_or("").to_string(),
        [_] => {
            let raw_one = &raw[0];
            return Err((not_a_path(raw_one), raw_one.span));
        }
        [] => return Err(("link rule needs a path".into(), head)),
        [_, extra, ..] => {
            return Err((
                format!("unexpected `{}` in link rule", token_text(extra)),
                extra.span,
            ));
        }
    };
    let Some(target) = target else {
        return Err(("link rule needs `-> TARGET`".into(), head));
    };
    Ok(RuleKind::Link(LinkRule {
        subset,
        link,
        target: target.text().unwrap_or("").to_string(),
    }))
}

/// Whether a label names a profile in a namespace as 5.0.2 reads one:
/// an optional `&` (stacking), then `:NS:NAME` or `:NS://NAME` with both
/// parts non-empty (`:ns`, `::b` and `:ns:` name none).
fn names_a_namespace(label: &str) -> bool {
    let label = label.strip_prefix('&').unwrap_or(label);
    let Some(rest) = label.strip_prefix(':') else {
        return false;
    };
    let Some(end) = rest.find(':') else {
        return false;
    };
    let name = &rest[end + 1..];
    let name = name.strip_prefix("//").unwrap_or(name);
    end > 0 && !name.is_empty()
}

/// Splits `A B -> T` into (`[A, B]`, `Some(T)`).
fn split_arrow(args: &[Token]) -> Result<(&[Token], Option<&Token>), RuleError> {
    match args.iter().position(|t| t.kind == TokenKind::Arrow) {
        None => Ok((args, None)),
        Some(i) => match &args[i + 1..] {
            [t] if t.text().is_some() => Ok((&args[..i], Some(t))),
            [] => Err(("`->` needs a target".into(), args[i].span)),
            [t] => Err(("invalid `->` target".into(), t.span)),
            [_, extra, ..] => Err((
                format!("unexpected `{}` after target", token_text(extra)),
                extra.span,
            )),
        },
    }
}

/// Whether a token as written is a path where apparmor_parser's lexer
/// reads one in a file or link rule (its ordinary state): a word starting
/// with `/`, a variable, `:` or `&`, the same in quotes, or a bare
/// identifier that is no keyword (`foo r,` is the relative path `foo`).
/// Nothing is checked after expansion (`@{v} r,` with `@{v}=foo` passes).
/// After `->` any word or quoted string is a target.
fn is_path_token(t: &Token) -> bool {
    let label = |w: &str| {
        w.starts_with(['/', '@', '&', '{']) || (w.starts_with(':') && !w[1..].starts_with('='))
    };
    match &t.kind {
        TokenKind::Quoted(w) => label(w),
        TokenKind::Word(w) | TokenKind::Name(w) => {
            label(w) || (is_identifier(w) && !is_mode_word(t) && !KEYWORDS.contains(&w.as_str()))
        }
        _ => false,
    }
}

/// The words of a rule read in apparmor_parser's ordinary lexer state
/// (`pivot_root`'s new root), as written and before any `->`: there a
/// keyword is its own token and a word of permission letters is a mode,
/// so neither stands where a path is expected (`pivot_root rw,`,
/// `pivot_root unix -> p,` are errors; `pivot_root foo,` is not).
pub(crate) fn check_ordinary_state_words(raw: &[Token]) -> Result<(), RuleError> {
    for t in raw.iter().take_while(|t| t.kind != TokenKind::Arrow) {
        let Some(w) = t.word() else { continue };
        if KEYWORDS.contains(&w) {
            return Err((format!("`{w}` is a keyword here, not a path"), t.span));
        }
        if is_mode_word(t) {
            return Err((
                format!("`{w}` reads as file permissions here, not a path"),
                t.span,
            ));
        }
        // `@name` is the lexer's set variable, a token pivot_root's
        // grammar does not take (file rules do: `@a r,`).
        if w.strip_prefix('@')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            return Err((
                format!(
                    "`{w}` reads as a set variable here, not a path (a variable is `@{{name}}`)"
                ),
                t.span,
            ));
        }
    }
    Ok(())
}

fn not_a_path(t: &Token) -> String {
    let text = t.text().unwrap_or("");
    if KEYWORDS.contains(&text) {
        format!("`{text}` is a keyword here, not a path")
    } else {
        format!("`{text}` is not a path: a path starts with `/` or a variable (or is a plain name)")
    }
}

/// `[A-Za-z][A-Za-z0-9_]*`: a word the lexer reads as a name.
fn is_identifier(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_alphabetic())
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A word of file permission letters only, as the lexer's MODES reads
/// them (`r`, `rw`, `pix`, `Pux`, `cx`, ...; never `all`).
fn is_mode_word(t: &Token) -> bool {
    matches!(&t.kind, TokenKind::Word(w) if crate::syntax::lexical::is_mode_letters(w))
}

/// apparmor_parser 5.0.2's keywords: words its lexer (ordinary state)
/// always hands on as their own token, never as a name or as permissions,
/// so none of them is a relative path (`r unix,`, `owner or cx,`) nor a
/// mode (`/foo all,`, though `all` is spelt in permission letters). The
/// list is the reference's answer to `r WORD,` for every identifier in its
/// binary and every word of the language's vocabularies: these are
/// rejected, all others read as paths (`include`, `quiet`, `change_hat`,
/// `kill`, `complain` are names there).
pub(crate) const KEYWORDS: &[&str] = &[
    "abi",
    "alias",
    "all",
    "allow",
    "and",
    "audit",
    "bind",
    "capability",
    "change_profile",
    "dbus",
    "defined",
    "delete",
    "deny",
    "eavesdrop",
    "else",
    "file",
    "hat",
    "if",
    "in",
    "io_uring",
    "link",
    "mount",
    "mqueue",
    "network",
    "not",
    "open",
    "or",
    "other",
    "override_creds",
    "owner",
    "peer",
    "pivot_root",
    "priority",
    "profile",
    "prompt",
    "ptrace",
    "read",
    "readby",
    "receive",
    "remount",
    "rewrite",
    "rlimit",
    "safe",
    "send",
    "set",
    "signal",
    "sqpoll",
    "subset",
    "trace",
    "tracedby",
    "umount",
    "unix",
    "unmount",
    "unsafe",
    "user",
    "userns",
    "write",
];

fn token_text(t: &Token) -> String {
    match &t.kind {
        TokenKind::Word(w) | TokenKind::Quoted(w) | TokenKind::Name(w) => w.clone(),
        TokenKind::Arrow => "->".into(),
        TokenKind::Le => "<=".into(),
        TokenKind::Cond { key, .. } => format!("{key}="),
        TokenKind::List(_) => "(...)".into(),
    }
}

/// Parses permission letters: `r w a m k l`, `x` with its transition
/// prefix (`i p P c C u U`, combined as `pix`, `PUx`, ...).
/// A bare `x` is allowed in deny rules and where `bare_x` (the rule has
/// the `unsafe` keyword).
fn parse_modes_with(modes: &str, deny: bool, bare_x: bool) -> Result<FileAccess, String> {
    let mut access = FileAccess::default();
    let mut pending = String::new();
    for c in modes.chars() {
        if !pending.is_empty()
            && !matches!(c, 'i' | 'I' | 'p' | 'P' | 'c' | 'C' | 'u' | 'U' | 'x' | 'X')
        {
            return Err(format!(
                "exec qualifier `{pending}` must be followed by `x` in `{modes}`"
            ));
        }
        match c {
            'r' | 'R' => access.read = true,
            'w' | 'W' => access.write = true,
            'a' => access.append = true,
            'm' | 'M' => access.mmap_exec = true,
            'k' => access.lock = true,
            'l' | 'L' => access.link = true,
            'i' | 'I' | 'p' | 'P' | 'c' | 'C' | 'u' | 'U' => pending.push(c),
            'x' | 'X' => {
                let mode =
                    exec_mode(&pending).ok_or_else(|| format!("invalid exec mode `{pending}x`"))?;
                pending.clear();
                if deny && mode != ExecMode::Plain {
                    return Err(
                        "deny rules allow only a bare `x`, without an exec qualifier".into(),
                    );
                }
                match access.exec {
                    Some(old) if old != mode => {
                        return Err(format!("conflicting exec modes in `{modes}`"));
                    }
                    _ => access.exec = Some(mode),
                }
            }
            _ => return Err(format!("invalid file permission `{c}` in `{modes}`")),
        }
    }
    if !pending.is_empty() {
        return Err(format!(
            "exec qualifier `{pending}` without `x` in `{modes}`"
        ));
    }
    if access.write && access.append {
        return Err("conflicting permissions: `w` and `a`".into());
    }
    if access.exec == Some(ExecMode::Plain) && !bare_x {
        return Err("`x` needs an exec mode (ix, px, cx, ux, ...) outside deny rules".into());
    }
    Ok(access)
}

/// The transition 5.0.2 gives an exec mode combined with `l` and a target
/// (link/depricated1-5): every mode names the target profile; `ix`
/// becomes `Pix`, `ux` becomes `px`. `None` for a bare `x`.
fn deprecated_link_exec(mode: ExecMode) -> Option<ExecMode> {
    Some(match mode {
        ExecMode::Plain | ExecMode::PlainUnsafe => return None,
        ExecMode::Inherit | ExecMode::InheritUnsafe => ExecMode::Profile {
            safe: true,
            fallback: ExecFallback::Inherit,
        },
        ExecMode::Unconfined { safe } => ExecMode::Profile {
            safe,
            fallback: ExecFallback::None,
        },
        other => other,
    })
}

fn exec_mode(prefix: &str) -> Option<ExecMode> {
    let profile = |safe, fallback| Some(ExecMode::Profile { safe, fallback });
    let child = |safe, fallback| Some(ExecMode::Child { safe, fallback });
    match prefix {
        "" => Some(ExecMode::Plain),
        "i" | "I" => Some(ExecMode::Inherit),
        "u" => Some(ExecMode::Unconfined { safe: false }),
        "U" => Some(ExecMode::Unconfined { safe: true }),
        "p" => profile(false, ExecFallback::None),
        "P" => profile(true, ExecFallback::None),
        "c" => child(false, ExecFallback::None),
        "C" => child(true, ExecFallback::None),
        "pi" | "pI" => profile(false, ExecFallback::Inherit),
        "Pi" | "PI" => profile(true, ExecFallback::Inherit),
        "ci" | "cI" => child(false, ExecFallback::Inherit),
        "Ci" | "CI" => child(true, ExecFallback::Inherit),
        // The transition letter alone decides scrubbing: 5.0.2 compiles
        // `pUx` unsafe and `Pux` safe (xtrans/simple_ok_pux_1).
        "pu" | "pU" => profile(false, ExecFallback::Unconfined),
        "PU" | "Pu" => profile(true, ExecFallback::Unconfined),
        "cu" | "cU" => child(false, ExecFallback::Unconfined),
        "CU" | "Cu" => child(true, ExecFallback::Unconfined),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exec_modes() {
        assert_eq!(
            parse_modes_with("rix", false, false).unwrap().exec,
            Some(ExecMode::Inherit)
        );
        assert_eq!(
            parse_modes_with("Pix", false, false).unwrap().exec,
            Some(ExecMode::Profile {
                safe: true,
                fallback: ExecFallback::Inherit
            })
        );
        for (modes, safe) in [
            ("rpUx", false),
            ("rPux", true),
            ("cUx", false),
            ("CUx", true),
        ] {
            let exec = parse_modes_with(modes, false, false).unwrap().exec;
            assert!(
                matches!(
                    exec,
                    Some(ExecMode::Profile { safe: s, fallback: ExecFallback::Unconfined }
                        | ExecMode::Child { safe: s, fallback: ExecFallback::Unconfined })
                        if s == safe
                ),
                "{modes}: {exec:?}"
            );
        }
        assert!(parse_modes_with("ixpx", false, false).is_err());
        assert!(parse_modes_with("x", false, false).is_err());
        assert!(parse_modes_with("x", true, true).is_ok());
        // `unsafe /a x,`: the keyword makes the bare `x` valid.
        assert!(parse_modes_with("x", false, true).is_ok());
        assert!(parse_modes_with("ix", true, true).is_err());
        assert!(parse_modes_with("wa", false, false).is_err());
        assert!(parse_modes_with("rz", false, false).is_err());
    }

    #[test]
    fn namespaced_labels() {
        for label in [":ns:b", ":ns://b", "&:ns:b", ":n:s:b", ":ns:/b"] {
            assert!(names_a_namespace(label), "{label}");
        }
        for label in [":ns", ":ns:", "::b", "ns:b", "/a", "a:ns:b", "&b", ":ns://"] {
            assert!(!names_a_namespace(label), "{label}");
        }
    }
}
