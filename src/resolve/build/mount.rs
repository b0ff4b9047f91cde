//! The mount family (`mount`, `remount`, `umount`) and `pivot_root`.

use super::RuleError;
use super::parts::{is_pathish, no_target, parts, values};
use crate::model::*;
use crate::syntax::{Span, Token, TokenKind};

/// Which of the mount family a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MountKind {
    Mount,
    Remount,
    Umount,
}

pub(crate) fn mount(args: &[Token], head: Span, kind: MountKind) -> Result<RuleKind, RuleError> {
    let p = parts(
        args,
        &access::NO_ACCESS,
        &["options", "option", "fstype", "vfstype"],
    )?;
    let mut options = Vec::new();
    let mut fstype = Vec::new();
    for (key, is_in, value) in &p.conds {
        let is_list = matches!(value.kind, TokenKind::List(_));
        if is_list && values(value).is_empty() && matches!(*key, "options" | "option") {
            return Err((format!("`{key}=()` names no option"), value.span));
        }
        let values: Vec<String> = values(value)
            .into_iter()
            // Inside parentheses commas separate options; an
            // unparenthesised `options=ro,nodev` (or `fstype=ext3,ext4`)
            // is one literal value in 5.0.2, so an unknown option.
            .flat_map(|v| match *key {
                "options" | "option" if is_list => split_outside_braces(&v),
                _ => vec![v],
            })
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
                // `detached` (a move of a detached tree): the source is
                // the empty string, matched exactly.
                [s] if s.word() == Some("detached") => Some(String::new()),
                [s] => Some(text(s)),
                [_, extra, ..] => {
                    return Err(("unexpected token in mount rule".into(), extra.span));
                }
            };
            let mut mountpoint = p.target.map(text);
            let mut source = source;
            // Only `options=` makes the lone path a mount point:
            // 5.0.2 keeps it the source for `options in (private)`.
            let propagation = options
                .iter()
                .filter(|o| !o.is_in)
                .flat_map(|o| o.values.iter())
                .find(|v| PROPAGATION.contains(&v.as_str()));
            // Deprecated form: the lone path is the mount point. With a
            // source and a mount point too, only the encoder can tell
            // (5.0.2 fails "Encoding of mount rule failed" for
            // `options=(rprivate) /a -> /b` but takes `options=(rprivate,
            // nosuid) /a -> /b` as a new mount, and never encodes a rule
            // of a branch not taken).
            if propagation.is_some() && mountpoint.is_none() {
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
            // Any word or string: 5.0.2 takes relative mount points
            // (`umount foo,`, `remount "x",`).
            let mountpoint = match p.words.as_slice() {
                [] => None,
                [s] => Some(text(s)),
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

/// Splits a condition value on the commas of `options=ro,nodev`, but not
/// on those of a glob alternation (`fstype={procfs,sysfs}`).
fn split_outside_braces(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
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

/// A propagation type (`rprivate`) with a source and a mount point names
/// no mount call unless another option makes it a new mount
/// (`rprivate,nosuid`): 5.0.2's encoder fails ("Encoding of mount rule
/// failed"). The compiler's encoder finds the same; this reports it where
/// nothing is encoded (`aaprof check`) and names the option.
pub(crate) fn check_encodable(m: &MountRule, at: Span) -> Result<(), RuleError> {
    let propagation = m
        .options
        .iter()
        .filter(|o| !o.is_in)
        .flat_map(|o| o.values.iter())
        .find(|v| PROPAGATION.contains(&v.as_str()));
    match propagation {
        Some(flag)
            if m.source.is_some()
                && m.mountpoint.is_some()
                && !crate::encode::mount_matches_a_call(m) =>
        {
            Err((
                format!("mount option `{flag}` takes no source (with a mount point)"),
                at,
            ))
        }
        _ => Ok(()),
    }
}

/// 5.0.2 looks mount option words up as written, before variables are
/// expanded: `options=(@{V})` is an unknown option whatever `@{V}` holds,
/// also in a branch not taken (where variables are not expanded at all).
pub(crate) fn options_without_variables(tokens: &[Token]) -> Result<(), RuleError> {
    fn texts(t: &Token) -> Vec<&Token> {
        match &t.kind {
            TokenKind::List(items) => items.iter().flat_map(texts).collect(),
            _ => vec![t],
        }
    }
    for t in tokens {
        if let TokenKind::Cond { key, value, .. } = &t.kind
            && matches!(key.as_str(), "options" | "option")
        {
            for v in texts(value) {
                if let Some(text) = v.text().filter(|w| w.contains('@')) {
                    return Err((format!("unknown mount option `{text}`"), v.span));
                }
            }
        }
    }
    Ok(())
}

fn check_mount_options(opt: &MountOptions, span: Span) -> Result<(), RuleError> {
    for v in &opt.values {
        // Option words are looked up as written: a glob (`ro*`, `*`), a
        // value starting with `=` (`options==ro` reads `=ro`) or one
        // holding a path (`slave/x`) is no option.
        if !MOUNT_OPTIONS.contains(&v.as_str()) {
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
    let p = parts(args, &access::NO_ACCESS, &["oldroot"])?;
    let new_root = match p.words.as_slice() {
        [] => None,
        [w] => Some(w.text().unwrap_or("").to_string()),
        [_, extra, ..] => return Err(("unexpected token in pivot_root rule".into(), extra.span)),
    };
    // pivot_root is read in the lexer's ordinary state: the new root may
    // be any word (`pivot_root foo,`), but a quoted one must look like a
    // path or label, as a file rule's path; oldroot= takes any value.
    if let [w] = p.words.as_slice()
        && let TokenKind::Quoted(q) = &w.kind
        && !is_pathish(q)
    {
        return Err((
            "a quoted new root must start with `/` or a variable".into(),
            w.span,
        ));
    }
    let old_root = p.cond_text("oldroot")?;
    Ok(RuleKind::PivotRoot(PivotRootRule {
        old_root,
        new_root,
        target: p.target.map(|t| t.text().unwrap_or("").to_string()),
    }))
}

#[cfg(test)]
mod tests {
    use super::split_outside_braces;

    #[test]
    fn commas_split_values_but_not_alternations() {
        assert_eq!(split_outside_braces("ro,nodev"), ["ro", "nodev"]);
        assert_eq!(split_outside_braces("{procfs,sysfs}"), ["{procfs,sysfs}"]);
        assert_eq!(split_outside_braces("a\\{,{b,c}x"), ["a\\{", "{b,c}x"]);
    }
}
