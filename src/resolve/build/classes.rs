//! Every rule class other than file and link: token shapes and value checks.

use super::RuleError;
use super::names::*;
use crate::model::*;
use crate::syntax::{Span, Token, TokenKind};

/// A class's tokens sorted out: leading access words, `key=value`
/// conditions, other words, and what follows `->`.
#[derive(Default)]
struct Parts<'a> {
    access: Vec<String>,
    conds: Vec<(&'a str, bool, &'a Token)>,
    words: Vec<&'a Token>,
    target: Option<&'a Token>,
}

impl<'a> Parts<'a> {
    fn cond(&self, key: &str) -> Option<&'a Token> {
        self.conds
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }

    fn cond_text(&self, key: &str) -> Result<Option<String>, RuleError> {
        match self.cond(key) {
            None => Ok(None),
            Some(v) => match (&v.kind, v.text()) {
                (_, Some(t)) => Ok(Some(t.to_string())),
                (TokenKind::List(items), None) if items.len() == 1 && items[0].text().is_some() => {
                    Ok(items[0].text().map(str::to_string))
                }
                _ => Err((format!("`{key}=` takes a single value"), v.span)),
            },
        }
    }
}

/// Splits the tokens of a rule. `access` is the class's access vocabulary;
/// `keys` its condition names. Access words come first (a word or a
/// parenthesised list); each condition may appear once.
fn parts<'a>(args: &'a [Token], access: &[&str], keys: &[&str]) -> Result<Parts<'a>, RuleError> {
    let mut p = Parts::default();
    let mut i = 0;
    while i < args.len() {
        let t = &args[i];
        match &t.kind {
            TokenKind::Word(w)
                if p.conds.is_empty() && p.words.is_empty() && access.contains(&w.as_str()) =>
            {
                p.access.push(w.clone());
            }
            TokenKind::List(items) if p.conds.is_empty() && p.words.is_empty() => {
                for item in items {
                    match item.word() {
                        Some(w) if access.contains(&w) => p.access.push(w.to_string()),
                        _ => {
                            return Err((
                                format!("invalid access `{}`", item.text().unwrap_or("(...)")),
                                item.span,
                            ));
                        }
                    }
                }
            }
            TokenKind::Cond { key, is_in, value } => {
                if !keys.contains(&key.as_str()) {
                    return Err((format!("unknown condition `{key}`"), t.span));
                }
                let repeatable = matches!(
                    key.as_str(),
                    "set" | "options" | "option" | "fstype" | "vfstype"
                );
                if !repeatable && p.cond(key).is_some() {
                    return Err((format!("condition `{key}` given twice"), t.span));
                }
                p.conds.push((key, *is_in, value));
            }
            TokenKind::Arrow => {
                match &args[i + 1..] {
                    [target] => p.target = Some(target),
                    [] => return Err(("`->` needs a target".into(), t.span)),
                    [_, extra, ..] => {
                        return Err(("unexpected token after target".into(), extra.span));
                    }
                }
                break;
            }
            TokenKind::Word(_) | TokenKind::Quoted(_) => p.words.push(t),
            _ => return Err(("unexpected token".into(), t.span)),
        }
        i += 1;
    }
    Ok(p)
}

fn no_words(p: &Parts, what: &str) -> Result<(), RuleError> {
    match p.words.first() {
        Some(w) => Err((
            format!("unexpected `{}` in {what} rule", w.text().unwrap_or("")),
            w.span,
        )),
        None => Ok(()),
    }
}

fn no_target(p: &Parts, what: &str) -> Result<(), RuleError> {
    match p.target {
        Some(t) => Err((format!("{what} rules take no `->`"), t.span)),
        None => Ok(()),
    }
}

/// Values of a condition: one word, or a parenthesised list.
fn values(t: &Token) -> Vec<String> {
    match &t.kind {
        TokenKind::List(items) => items
            .iter()
            .filter_map(|i| i.text().map(str::to_string))
            .collect(),
        _ => t.text().map(|s| vec![s.to_string()]).unwrap_or_default(),
    }
}

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

pub(crate) fn network(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(
        args,
        NETWORK_ACCESS,
        &["ip", "port", "peer", "interface", "label"],
    )?;
    no_target(&p, "network")?;
    let mut rule = NetworkRule {
        access: p.access.clone(),
        ..Default::default()
    };
    for w in &p.words {
        let text = w.word().unwrap_or("");
        if rule.domain.is_none()
            && rule.sock_type.is_none()
            && rule.protocol.is_none()
            && NETWORK_DOMAINS.contains(&text)
        {
            rule.domain = Some(text.to_string());
        } else if rule.sock_type.is_none()
            && rule.protocol.is_none()
            && NETWORK_TYPES.contains(&text)
        {
            rule.sock_type = Some(text.to_string());
        } else if rule.protocol.is_none()
            && rule.sock_type.is_none()
            && NETWORK_PROTOCOLS.contains(&text)
        {
            rule.protocol = Some(text.to_string());
        } else {
            return Err((
                format!("invalid network family, type or protocol `{text}`"),
                w.span,
            ));
        }
    }
    if let Some(ip) = p.cond("ip") {
        rule.local.ip = Some(check_ip(ip)?);
    }
    if let Some(port) = p.cond("port") {
        rule.local.port = Some(check_port(port)?);
    }
    if let Some(peer) = p.cond("peer") {
        let TokenKind::List(items) = &peer.kind else {
            return Err(("peer= takes a list: peer=(ip=.. port=..)".into(), peer.span));
        };
        let pp = parts(items, &[], &["ip", "port", "label"])?;
        no_words(&pp, "network peer")?;
        const NO_PEER: &[&str] = &[
            "bind", "listen", "getopt", "setopt", "getattr", "setattr", "shutdown", "create",
        ];
        if let Some(a) = rule.access.iter().find(|a| NO_PEER.contains(&a.as_str())) {
            return Err((format!("network `{a}` cannot have a peer"), peer.span));
        }
        if let Some(ip) = pp.cond("ip") {
            rule.peer.ip = Some(check_ip(ip)?);
        }
        if let Some(port) = pp.cond("port") {
            rule.peer.port = Some(check_port(port)?);
        }
    }
    let fine = rule.local != NetworkAddress::default() || rule.peer != NetworkAddress::default();
    if fine
        && let Some(d) = &rule.domain
        && d != "inet"
        && d != "inet6"
    {
        return Err((
            "ip=/port= apply only to inet and inet6".into(),
            args[0].span,
        ));
    }
    Ok(RuleKind::Network(rule))
}

fn check_ip(t: &Token) -> Result<String, RuleError> {
    let text = t.text().unwrap_or("");
    let bad = || Err((format!("invalid ip address `{text}`"), t.span));
    if text == "none" {
        return Ok(text.to_string());
    }
    let (addr, mask) = match text.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (text, None),
    };
    let parsed: Result<std::net::IpAddr, _> = addr.parse();
    let Ok(ip) = parsed else {
        return bad();
    };
    if let Some(mask) = mask {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        match mask.parse::<u32>() {
            Ok(m) if m <= max => {}
            _ => return bad(),
        }
    }
    Ok(text.to_string())
}

fn check_port(t: &Token) -> Result<String, RuleError> {
    let text = t.text().unwrap_or("");
    let ok = |s: &str| s.parse::<u16>().is_ok();
    let valid = match text.split_once('-') {
        Some((a, b)) => ok(a) && ok(b) && a.parse::<u16>().ok() <= b.parse::<u16>().ok(),
        None => ok(text),
    };
    if valid {
        Ok(text.to_string())
    } else {
        Err((format!("invalid port `{text}`"), t.span))
    }
}

pub(crate) fn unix(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(
        args,
        UNIX_ACCESS,
        &["type", "protocol", "addr", "label", "attr", "opt", "peer"],
    )?;
    no_words(&p, "unix")?;
    no_target(&p, "unix")?;
    let mut rule = UnixRule {
        access: p.access.clone(),
        sock_type: p.cond_text("type")?,
        protocol: p.cond_text("protocol")?,
        addr: p.cond_text("addr")?,
        label: p.cond_text("label")?,
        attr: p.cond_text("attr")?,
        opt: p.cond_text("opt")?,
        ..Default::default()
    };
    if let Some(t) = &rule.sock_type
        && !["stream", "dgram", "seqpacket"].contains(&t.as_str())
        && !t.contains(['{', '*', '[', '?'])
    {
        return Err((
            format!("invalid unix socket type `{t}`"),
            p.cond("type").map(|c| c.span).unwrap_or_default(),
        ));
    }
    if let Some(a) = &rule.addr {
        check_unix_addr(a, p.cond("addr"))?;
    }
    if let Some(peer) = p.cond("peer") {
        let TokenKind::List(items) = &peer.kind else {
            return Err((
                "peer= takes a list: peer=(label=.. addr=..)".into(),
                peer.span,
            ));
        };
        let pp = parts(items, &[], &["label", "addr"])?;
        no_words(&pp, "unix peer")?;
        const NO_PEER: &[&str] = &[
            "bind", "listen", "getopt", "setopt", "getattr", "setattr", "shutdown", "create",
        ];
        if let Some(a) = rule.access.iter().find(|a| NO_PEER.contains(&a.as_str())) {
            return Err((format!("unix `{a}` cannot have a peer"), peer.span));
        }
        rule.peer_label = pp.cond_text("label")?;
        rule.peer_addr = pp.cond_text("addr")?;
        if let Some(a) = &rule.peer_addr {
            check_unix_addr(a, pp.cond("addr"))?;
        }
    }
    Ok(RuleKind::Unix(rule))
}

fn check_unix_addr(addr: &str, tok: Option<&Token>) -> Result<(), RuleError> {
    if addr.starts_with('@')
        || addr.starts_with('/')
        || addr == "none"
        || addr == "auto"
        || addr.starts_with('{')
        || addr.starts_with('*')
    {
        Ok(())
    } else {
        Err((
            format!("invalid unix address `{addr}`"),
            tok.map(|t| t.span).unwrap_or_default(),
        ))
    }
}

pub(crate) fn dbus(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(
        args,
        DBUS_ACCESS,
        &["bus", "path", "interface", "member", "name", "peer"],
    )?;
    no_words(&p, "dbus")?;
    no_target(&p, "dbus")?;
    let mut rule = DbusRule {
        access: p.access.clone(),
        bus: p.cond_text("bus")?,
        path: p.cond_text("path")?,
        interface: p.cond_text("interface")?,
        member: p.cond_text("member")?,
        name: p.cond_text("name")?,
        ..Default::default()
    };
    if let Some(peer) = p.cond("peer") {
        let TokenKind::List(items) = &peer.kind else {
            return Err((
                "peer= takes a list: peer=(name=.. label=..)".into(),
                peer.span,
            ));
        };
        let pp = parts(items, &[], &["name", "label"])?;
        no_words(&pp, "dbus peer")?;
        rule.peer_name = pp.cond_text("name")?;
        rule.peer_label = pp.cond_text("label")?;
    }
    let has = |a: &str| rule.access.iter().any(|x| x == a);
    let message_access = has("send")
        || has("receive")
        || has("r")
        || has("w")
        || has("rw")
        || has("read")
        || has("write");
    if rule.name.is_some() && (message_access || has("eavesdrop")) {
        return Err((
            "`name=` applies only to bind".into(),
            p.cond("name").map(|c| c.span).unwrap_or_default(),
        ));
    }
    if has("bind")
        && (rule.path.is_some()
            || rule.interface.is_some()
            || rule.member.is_some()
            || rule.peer_name.is_some()
            || rule.peer_label.is_some())
    {
        return Err(("bind rules take only bus= and name=".into(), args[0].span));
    }
    if has("eavesdrop")
        && (rule.path.is_some()
            || rule.interface.is_some()
            || rule.member.is_some()
            || rule.peer_name.is_some()
            || rule.peer_label.is_some()
            || rule.name.is_some())
    {
        return Err(("eavesdrop rules take only bus=".into(), args[0].span));
    }
    Ok(RuleKind::Dbus(rule))
}

/// Which of the mount family a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MountKind {
    Mount,
    Remount,
    Umount,
}

pub(crate) fn mount(args: &[Token], head: Span, kind: MountKind) -> Result<RuleKind, RuleError> {
    let p = parts(args, &[], &["options", "option", "fstype", "vfstype"])?;
    let mut options = Vec::new();
    let mut fstype = Vec::new();
    for (key, is_in, value) in &p.conds {
        let values: Vec<String> = values(value)
            .into_iter()
            .flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>())
            .filter(|v| !v.is_empty())
            .collect();
        if *is_in && !matches!(value.kind, TokenKind::List(_)) {
            return Err((
                format!("`{key} in` needs a list: {key} in (...)"),
                value.span,
            ));
        }
        let opt = MountOptions {
            is_in: *is_in,
            values,
        };
        match *key {
            "options" | "option" => {
                check_mount_options(&opt, value.span)?;
                options.push(opt)
            }
            _ => fstype.push(opt),
        }
    }
    let text = |t: &Token| t.text().unwrap_or("").to_string();
    match kind {
        MountKind::Mount => {
            let source = match p.words.as_slice() {
                [] => None,
                [s] => Some(text(s)),
                [_, extra, ..] => {
                    return Err(("unexpected token in mount rule".into(), extra.span));
                }
            };
            let mut mountpoint = p.target.map(text);
            let mut source = source;
            let propagation = options
                .iter()
                .flat_map(|o| o.values.iter())
                .find(|v| PROPAGATION.contains(&v.as_str()));
            if let (Some(flag), Some(src)) = (propagation, p.words.first()) {
                if mountpoint.is_some() {
                    return Err((format!("mount option `{flag}` takes no source"), src.span));
                }
                // Deprecated form: the lone path is the mount point.
                mountpoint = source.take();
            }
            Ok(RuleKind::Mount(MountRule {
                fstype,
                options,
                source,
                mountpoint,
            }))
        }
        MountKind::Remount | MountKind::Umount => {
            no_target(
                &p,
                if kind == MountKind::Remount {
                    "remount"
                } else {
                    "umount"
                },
            )?;
            let mountpoint = match p.words.as_slice() {
                [] => None,
                [s] if s.text().is_some_and(is_pathish) => Some(text(s)),
                [s] => return Err(("mount point must be an absolute path".into(), s.span)),
                [_, extra, ..] => return Err(("unexpected token".into(), extra.span)),
            };
            let _ = head;
            if kind == MountKind::Remount {
                Ok(RuleKind::Remount(MountRule {
                    fstype,
                    options,
                    source: None,
                    mountpoint,
                }))
            } else {
                Ok(RuleKind::Umount(UmountRule {
                    fstype,
                    options,
                    mountpoint,
                }))
            }
        }
    }
}

fn is_pathish(s: &str) -> bool {
    s.starts_with('/') || s.starts_with('{') || s.starts_with('@')
}

const MOUNT_OPTIONS: &[&str] = &[
    "ro",
    "r",
    "read-only",
    "rw",
    "w",
    "suid",
    "nosuid",
    "dev",
    "nodev",
    "exec",
    "noexec",
    "sync",
    "async",
    "remount",
    "mand",
    "nomand",
    "dirsync",
    "symfollow",
    "nosymfollow",
    "atime",
    "noatime",
    "diratime",
    "nodiratime",
    "bind",
    "B",
    "move",
    "M",
    "rbind",
    "R",
    "verbose",
    "silent",
    "loud",
    "acl",
    "noacl",
    "unbindable",
    "make-unbindable",
    "runbindable",
    "make-runbindable",
    "private",
    "make-private",
    "rprivate",
    "make-rprivate",
    "slave",
    "make-slave",
    "rslave",
    "make-rslave",
    "shared",
    "make-shared",
    "rshared",
    "make-rshared",
    "relatime",
    "norelatime",
    "iversion",
    "noiversion",
    "strictatime",
    "nostrictatime",
    "lazytime",
    "nolazytime",
    "user",
    "nouser",
    "defaults",
];

/// Propagation-type changes: they act on a mount point, with no source.
const PROPAGATION: &[&str] = &[
    "unbindable",
    "make-unbindable",
    "runbindable",
    "make-runbindable",
    "private",
    "make-private",
    "rprivate",
    "make-rprivate",
    "slave",
    "make-slave",
    "rslave",
    "make-rslave",
    "shared",
    "make-shared",
    "rshared",
    "make-rshared",
];

/// Options that cannot be asked for together in `options=(...)`.
const CONFLICTS: &[(&[&str], &[&str])] = &[
    (&["ro", "r", "read-only"], &["rw", "w"]),
    (&["suid"], &["nosuid"]),
    (&["dev"], &["nodev"]),
    (&["exec"], &["noexec"]),
    (&["sync"], &["async"]),
    (&["mand"], &["nomand"]),
    (&["symfollow"], &["nosymfollow"]),
    (&["atime"], &["noatime"]),
    (&["diratime"], &["nodiratime"]),
    (&["relatime"], &["norelatime"]),
    (&["iversion"], &["noiversion"]),
    (&["strictatime"], &["nostrictatime"]),
    (&["lazytime"], &["nolazytime"]),
    (&["acl"], &["noacl"]),
    (&["user"], &["nouser"]),
    (&["verbose", "loud"], &["silent"]),
];

fn check_mount_options(opt: &MountOptions, span: Span) -> Result<(), RuleError> {
    for v in &opt.values {
        if !MOUNT_OPTIONS.contains(&v.as_str()) && !v.contains(['*', '{', '[', '?', '=']) {
            return Err((format!("unknown mount option `{v}`"), span));
        }
    }
    if !opt.is_in {
        let has = |set: &[&str]| opt.values.iter().any(|v| set.contains(&v.as_str()));
        for (a, b) in CONFLICTS {
            if has(a) && has(b) {
                return Err((
                    format!("conflicting mount options `{}` and `{}`", a[0], b[0]),
                    span,
                ));
            }
        }
    }
    Ok(())
}

pub(crate) fn pivot_root(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, &[], &["oldroot"])?;
    let new_root = match p.words.as_slice() {
        [] => None,
        [w] => Some(w.text().unwrap_or("").to_string()),
        [_, extra, ..] => return Err(("unexpected token in pivot_root rule".into(), extra.span)),
    };
    if let Some(n) = &new_root
        && !is_pathish(n)
    {
        return Err(("new root must be an absolute path".into(), p.words[0].span));
    }
    let old_root = p.cond_text("oldroot")?;
    if let Some(o) = &old_root
        && !is_pathish(o)
    {
        return Err((
            "oldroot must be an absolute path".into(),
            p.cond("oldroot").map(|c| c.span).unwrap_or_default(),
        ));
    }
    Ok(RuleKind::PivotRoot(PivotRootRule {
        old_root,
        new_root,
        target: p.target.map(|t| t.text().unwrap_or("").to_string()),
    }))
}

pub(crate) fn ptrace(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, PTRACE_ACCESS, &["peer"])?;
    no_words(&p, "ptrace")?;
    no_target(&p, "ptrace")?;
    Ok(RuleKind::Ptrace(PtraceRule {
        access: p.access.clone(),
        peer: p.cond_text("peer")?,
    }))
}

pub(crate) fn signal(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, SIGNAL_ACCESS, &["set", "peer"])?;
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
        for s in values(set) {
            for s in s.split(',').filter(|s| !s.is_empty()) {
                if !valid_signal(s) {
                    return Err((format!("unknown signal `{s}`"), set.span));
                }
                signals.push(s.to_string());
            }
        }
    }
    Ok(RuleKind::Signal(SignalRule {
        access: p.access.clone(),
        signals,
        peer: p.cond_text("peer")?,
    }))
}

fn valid_signal(s: &str) -> bool {
    if SIGNALS.contains(&s) {
        return true;
    }
    match s.strip_prefix("rtmin+") {
        Some(n) => n.parse::<u32>().is_ok_and(|n| n <= 32) && !n.starts_with('+'),
        None => false,
    }
}

pub(crate) fn change_profile(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, &["safe", "unsafe"], &[])?;
    let exec_mode = match p.access.as_slice() {
        [] => None,
        [m] => Some(m.clone()),
        _ => return Err(("only one of safe/unsafe".into(), args[0].span)),
    };
    let exec = match p.words.as_slice() {
        [] => None,
        [w] => {
            let t = w.text().unwrap_or("");
            if !is_pathish(t) {
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
    if target.as_deref() == Some("") {
        return Err((
            "empty change_profile target".into(),
            p.target.map(|t| t.span).unwrap_or_default(),
        ));
    }
    Ok(RuleKind::ChangeProfile(ChangeProfileRule {
        exec_mode,
        exec,
        target,
        stack,
    }))
}

pub(crate) fn change_hat(args: &[Token], head: Span) -> Result<RuleKind, RuleError> {
    match args {
        [t] if t.text().is_some() => Ok(RuleKind::ChangeHat(t.text().unwrap_or("").to_string())),
        _ => Err(("change_hat takes one hat name".into(), head)),
    }
}

pub(crate) fn rlimit(args: &[Token], head: Span) -> Result<RuleKind, RuleError> {
    let [kw, name, le, value] = args else {
        return Err(("expected `set rlimit NAME <= VALUE`".into(), head));
    };
    if kw.word() != Some("rlimit") {
        return Err(("expected `rlimit` after `set`".into(), kw.span));
    }
    if le.kind != TokenKind::Le {
        return Err(("expected `<=`".into(), le.span));
    }
    let resource = name.word().unwrap_or("");
    let Some(unit) = super::names::rlimit(resource) else {
        return Err((format!("unknown rlimit `{resource}`"), name.span));
    };
    let v = value.word().unwrap_or("");
    if !rlimit_value_ok(unit, v) {
        return Err((
            format!("invalid value `{v}` for rlimit {resource}"),
            value.span,
        ));
    }
    Ok(RuleKind::Rlimit(RlimitRule {
        resource: resource.to_string(),
        value: v.to_string(),
    }))
}

fn rlimit_value_ok(unit: RlimitUnit, v: &str) -> bool {
    if v == "infinity" {
        return unit != RlimitUnit::Nice;
    }
    let digits_end = v
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map(|(i, _)| i)
        .unwrap_or(v.len());
    let (num, suffix) = v.split_at(digits_end);
    let Ok(n) = num.parse::<i64>() else {
        return false;
    };
    match unit {
        RlimitUnit::Nice => suffix.is_empty() && (-20..=19).contains(&n),
        _ if n < 0 => false,
        RlimitUnit::Count => suffix.is_empty(),
        RlimitUnit::Size => ["", "K", "KB", "M", "MB", "G", "GB"].contains(&suffix),
        RlimitUnit::Seconds => [
            "", "s", "sec", "second", "seconds", "min", "minute", "minutes", "h", "hour", "hours",
            "d", "day", "days", "week", "weeks",
        ]
        .contains(&suffix),
        RlimitUnit::Micros => [
            "",
            "us",
            "microsecond",
            "microseconds",
            "ms",
            "millisecond",
            "milliseconds",
            "s",
            "sec",
            "second",
            "seconds",
            "min",
            "minute",
            "minutes",
            "h",
            "hour",
            "hours",
            "d",
            "day",
            "days",
            "week",
            "weeks",
        ]
        .contains(&suffix),
    }
}

pub(crate) fn userns(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, USERNS_ACCESS, &[])?;
    no_words(&p, "userns")?;
    no_target(&p, "userns")?;
    Ok(RuleKind::Userns(UsernsRule { access: p.access }))
}

pub(crate) fn mqueue(args: &[Token], _head: Span) -> Result<RuleKind, RuleError> {
    let p = parts(args, MQUEUE_ACCESS, &["type", "label"])?;
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
    let p = parts(args, IO_URING_ACCESS, &["label"])?;
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
    fn rlimit_values() {
        assert!(rlimit_value_ok(RlimitUnit::Size, "2047MB"));
        assert!(rlimit_value_ok(RlimitUnit::Nice, "-10"));
        assert!(!rlimit_value_ok(RlimitUnit::Micros, "60m"));
        assert!(!rlimit_value_ok(RlimitUnit::Count, "-1"));
    }

    #[test]
    fn signals() {
        assert!(valid_signal("rtmin+32"));
        assert!(!valid_signal("rtmin+33"));
        assert!(!valid_signal("nohup"));
    }
}
