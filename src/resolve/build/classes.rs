//! The remaining rule classes: capability, ptrace, signal, change_profile,
//! change_hat, set rlimit, userns, mqueue, io_uring. Networking and mount
//! rules live in `net` and `mount`.

use super::RuleError;
pub(crate) use super::dbus::dbus;
pub(crate) use super::mount::{MountKind, mount, pivot_root};
use super::names::*;
pub(crate) use super::net::{network, unix};
use super::parts::{no_target, no_words, parts, values};
use crate::model::*;
use crate::syntax::{Span, Token, TokenKind};

pub(crate) fn capability(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let mut caps = Vec::new();
    for t in args {
        match t.word() {
            Some(w) if CAPABILITIES.contains(&w) => caps.push(w.to_string()),
            Some(w) => return Err((format!("unknown capability `{w}`"), t.span)),
            None => return Err(("expected a capability name".into(), t.span)),
        }
    }
    Ok(RuleKind::Capability(CapabilityRule { capabilities: caps }))
}

pub(crate) fn ptrace(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, &access::PTRACE, &["peer"])?;
    no_words(&p, "ptrace")?;
    no_target(&p, "ptrace")?;
    Ok(RuleKind::Ptrace(PtraceRule {
        access: p.access.clone(),
        peer: p.cond_text("peer")?,
    }))
}

pub(crate) fn signal(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, &access::SIGNAL, &["set", "peer"])?;
    no_words(&p, "signal")?;
    no_target(&p, "signal")?;
    let mut signals = Vec::new();
    for (_, is_in, set) in p.conds.iter().filter(|(k, _, _)| *k == "set") {
        if *is_in {
            return Err(("use set=(...), not set in (...)".into(), set.span));
        }
        if let TokenKind::List(items) = &set.kind
            && let Some(bad) = items.iter().find(|i| i.text().is_none())
        {
            return Err(("invalid signal".into(), bad.span));
        }
        // Each value is one name: commas separate the items of a list
        // only (`set=hup,int` names the unknown signal `hup,int`).
        for s in values(set) {
            if !valid_signal(&s) {
                return Err((format!("unknown signal `{s}`"), set.span));
            }
            signals.push(s);
        }
    }
    Ok(RuleKind::Signal(SignalRule {
        access: p.access.clone(),
        signals,
        peer: p.cond_text("peer")?,
    }))
}

fn valid_signal(s: &str) -> bool {
    signal_number(s).is_some()
}

/// `safe`/`unsafe` before a change_profile exec condition: one bare word.
const EXEC_MODES: access::AccessWords = access::AccessWords {
    words: &[("safe", 0), ("unsafe", 0)],
    ..access::NO_ACCESS
};

/// `change_profile [safe|unsafe] [EXEC] [-> [&]TARGET]`; `raw` holds the
/// arguments before variable expansion.
pub(crate) fn change_profile(
    args: &[Token],
    raw: &[Token],
    _head: Span,
) -> Result<RuleKind, RuleError> {
    let p = parts(args, &EXEC_MODES, &[])?;
    let exec_mode = match p.access.as_slice() {
        [] => None,
        [m] => Some(m.clone()),
        _ => return Err(("only one of safe/unsafe".into(), args[0].span)),
    };
    let exec = match p.words.as_slice() {
        [] => None,
        [w] => {
            let t = w.text().unwrap_or("");
            // 5.0.2 checks the condition as written: a variable passes
            // whatever it holds (`@{v}` with `@{v}=r`).
            let written = raw
                .iter()
                .find(|r| r.span == w.span)
                .and_then(|r| r.text())
                .unwrap_or(t);
            // As written, quotes removed: `/...` or `@{...`, not `{/a,/b}`
            // nor `@v`.
            if !(written.starts_with('/') || written.starts_with("@{")) {
                return Err((
                    "change_profile exec condition must be an absolute path".into(),
                    w.span,
                ));
            }
            Some(t.to_string())
        }
        [_, extra, ..] => {
            return Err(("unexpected token in change_profile rule".into(), extra.span));
        }
    };
    if exec_mode.is_some() && exec.is_none() {
        return Err(("safe/unsafe needs an exec condition".into(), args[0].span));
    }
    let (target, stack) = match p.target {
        None => (None, false),
        Some(t) => {
            let text = t.text().unwrap_or("");
            match text.strip_prefix('&') {
                Some(rest) => (Some(rest.to_string()), true),
                None => (Some(text.to_string()), false),
            }
        }
    };
    // An empty target (`-> ""`, `-> &`) is an empty name, as 5.0.2 takes it.
    Ok(RuleKind::ChangeProfile(ChangeProfileRule {
        exec_mode,
        exec,
        target,
        stack,
    }))
}

pub(crate) fn rlimit(args: &[Token], head: Span) -> Result<RuleKind, RuleError> {
    let args = split_le(args);
    // The unit may be a word of its own: `set rlimit rss <= 10 K,`.
    let (kw, name, le, value, unit) = match args.as_slice() {
        [kw, name, le, value] => (kw, name, le, value, None),
        [kw, name, le, value, unit] => (kw, name, le, value, Some(unit)),
        _ => return Err(("expected `set rlimit NAME <= VALUE`".into(), head)),
    };
    if kw.word() != Some("rlimit") {
        return Err(("expected `rlimit` after `set`".into(), kw.span));
    }
    if le.kind != TokenKind::Le {
        return Err(("expected `<=`".into(), le.span));
    }
    let resource = name.word().unwrap_or("");
    let Some(index) = rlimit::rlimit_index(resource) else {
        return Err((format!("unknown rlimit `{resource}`"), name.span));
    };
    let mut text = value
        .word()
        .ok_or(("expected an rlimit value".to_string(), value.span))?
        .to_string();
    if let Some(unit) = unit {
        let u = unit
            .word()
            .ok_or(("expected a unit".to_string(), unit.span))?;
        text = format!("{text} {u}");
    }
    if let Err(reason) = rlimit::rlimit_value(index, &text) {
        return Err((
            format!("invalid value `{text}` for rlimit {resource}: {reason}"),
            value.span,
        ));
    }
    Ok(RuleKind::Rlimit(RlimitRule {
        resource: resource.to_string(),
        value: text,
    }))
}

/// `cpu<=10` and `cpu<= 10` are `cpu <= 10`: a `<=` inside a word
/// separates it, as 5.0.2's lexer does.
fn split_le(args: &[Token]) -> Vec<Token> {
    let mut out = Vec::with_capacity(args.len() + 2);
    for t in args {
        match t.word().and_then(|w| w.split_once("<=")) {
            Some((before, after)) => {
                let piece = |text: &str| Token {
                    kind: TokenKind::Word(text.to_string()),
                    span: t.span,
                };
                if !before.is_empty() {
                    out.push(piece(before));
                }
                out.push(Token {
                    kind: TokenKind::Le,
                    span: t.span,
                });
                if !after.is_empty() {
                    out.push(piece(after));
                }
            }
            None => out.push(t.clone()),
        }
    }
    out
}

pub(crate) fn userns(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, &access::USERNS, &[])?;
    no_words(&p, "userns")?;
    no_target(&p, "userns")?;
    Ok(RuleKind::Userns(UsernsRule { access: p.access }))
}

pub(crate) fn mqueue(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, &access::MQUEUE, &["type", "label"])?;
    no_target(&p, "mqueue")?;
    let mq_type = p.cond_text("type")?;
    if let Some(t) = &mq_type
        && t != "posix"
        && t != "sysv"
    {
        return Err((
            format!("invalid mqueue type `{t}`"),
            p.cond("type").map(|c| c.span).unwrap_or_default(),
        ));
    }
    let name = match p.words.as_slice() {
        [] => None,
        [w] => Some(w.text().unwrap_or("").to_string()),
        [_, extra, ..] => return Err(("unexpected token in mqueue rule".into(), extra.span)),
    };
    if let Some(n) = &name {
        let posix = n.starts_with('/');
        let sysv = !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '-');
        let ok = match mq_type.as_deref() {
            Some("posix") => posix,
            Some(_) => sysv,
            None => posix || sysv,
        };
        if !ok {
            return Err((format!("invalid message queue name `{n}`"), p.words[0].span));
        }
    }
    Ok(RuleKind::Mqueue(MqueueRule {
        access: p.access.clone(),
        mq_type,
        label: p.cond_text("label")?,
        name,
    }))
}

pub(crate) fn io_uring(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, &access::IO_URING, &["label"])?;
    no_words(&p, "io_uring")?;
    no_target(&p, "io_uring")?;
    Ok(RuleKind::IoUring(IoUringRule {
        access: p.access.clone(),
        label: p.cond_text("label")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals() {
        assert!(valid_signal("rtmin+32"));
        assert!(!valid_signal("rtmin+33"));
        assert!(!valid_signal("nohup"));
    }
}
