//! File-DFA rules: file, link and change_profile rules and the implied
//! /proc access rules, as (expression, record) pairs (§4.1, §5.5).

use super::bits::{
    AUDIT_MASK, CHANGE_PROFILE, EXEC_INDEX_MASK, EXEC_INDEX_SHIFT, EXEC_INHERIT, EXEC_MMAP,
    EXEC_PUX, EXEC_UNSAFE, INDEX_LOCAL, INDEX_PROFILE, INDEX_UNCONFINED, LINK_SUBSET, MAY_APPEND,
    MAY_EXEC, MAY_LINK, MAY_LOCK, MAY_READ, MAY_WRITE, ONEXEC, OTHER_SHIFT, halves,
};
use super::entry_merge::{self, MergedLink, Plan};
use super::entry_order::entry_key;
use super::error::EncodeError;
use super::record::{FileRecord, RuleMode, RulePerms};
use super::target::EncodeTarget;
use super::xtable::XTable;
use crate::aare::{self, GlobStyle};
use crate::expr::{ByteSet, Expr};
use crate::model::{
    ChangeProfileRule, ExecFallback, ExecMode, FileAccess, FileRule, LinkRule, Profile, Qualifiers,
    RuleKind, Verdict,
};

/// The path matched by a bare `file,` rule.
pub(super) const ALL_FILES: &str = "/{**,}";
/// The exec condition of a change_profile rule that names none.
const ANY_EXECUTABLE: &str = "/**";
/// Implied rules for profiles that can change hat (§5.5 implied access).
const CHANGEHAT_PATH: &str = "/proc/[0-9]*/attr/{apparmor/,}current";
const CHANGEPROFILE_PATH: &str = "/proc/*/attr/{apparmor/,}{current,exec}";
const PROC_PROBE_PATH: &str = "/proc/*/attr/apparmor/";
const ENABLED_PATH: &str = "/sys/module/apparmor/parameters/enabled";

/// The file DFA's rules and the exec-name table they reference.
#[derive(Debug, Clone, Default)]
pub struct FileEncoding {
    /// Rules in insertion order; build the file DFA from these.
    pub rules: Vec<(Expr, FileRecord)>,
    /// Named transition targets. Later encoders (pivot_root `-> profile`)
    /// may add to it; serialize it after the file DFA.
    pub xtable: XTable,
    /// For each entry of `rules`, the index of the profile rule it came
    /// from (`None` for the implied /proc access rules); `lint` uses it to
    /// ask what each rule adds to the automaton.
    pub sources: Vec<Option<usize>>,
}

/// Encodes the file-DFA side of one profile (its own rules, not its
/// children's).
pub fn encode_file_rules(
    profile: &Profile,
    target: &EncodeTarget,
) -> Result<FileEncoding, EncodeError> {
    let mut out = FileEncoding::default();
    let slots = assign_slots(profile, &mut out.xtable)?;
    let mut has_change_profile = false;
    let plans = entry_merge::plan(&profile.rules);
    for (index, ((rule, slot), plan)) in profile.rules.iter().zip(slots).zip(plans).enumerate() {
        let q = &rule.qualifiers;
        let encoded = match (plan, &rule.kind) {
            (Plan::Drop, _) => continue,
            (
                Plan::ChangeProfile {
                    change,
                    exec_bits,
                    link_bits,
                    link_pair,
                },
                _,
            ) => {
                has_change_profile = true;
                merged_file_link(q, &change, link_bits, &mut out.rules)
                    .and_then(|()| {
                        change_profile_rule(q, &change, exec_bits, target, &mut out.rules)
                    })
                    .and_then(|()| match &link_pair {
                        Some(link) => merged_link(link, &mut out.rules),
                        None => Ok(()),
                    })
            }
            (Plan::Keep, RuleKind::File(file)) => file_rule(q, file, slot, &mut out.rules),
            (Plan::Keep, RuleKind::Link(link)) => link_rule(q, link, &mut out.rules),
            (Plan::Keep, RuleKind::All) => all_rule(q, &mut out.rules),
            (Plan::Keep, RuleKind::ChangeProfile(change)) => {
                has_change_profile = true;
                change_profile_rule(q, change, 0, target, &mut out.rules)
            }
            _ => Ok(()),
        };
        encoded.map_err(|e| e.at(&rule.origin))?;
        out.sources.resize(out.rules.len(), Some(index));
    }
    if has_change_profile {
        proc_access(CHANGEPROFILE_PATH, &mut out.rules)?;
    }
    if profile.is_hat || !profile.children.is_empty() {
        proc_access(CHANGEHAT_PATH, &mut out.rules)?;
    }
    out.sources.resize(out.rules.len(), None);
    in_entry_order(profile, &mut out);
    Ok(out)
}

/// Puts the rules in the order 5.0.2 adds its entries to the automaton
/// (see [`super::entry_order`]); the implied /proc rules, which never
/// carry exec bits, stay last. Stable: one rule's records keep their order.
fn in_entry_order(profile: &Profile, out: &mut FileEncoding) {
    let keys: Vec<_> = out
        .sources
        .iter()
        .map(|source| source.and_then(|i| entry_key(&profile.rules[i])))
        .collect();
    let priority = |i: usize| out.rules[i].1.rule().map_or(0, |r| r.priority);
    let mut order: Vec<usize> = (0..out.rules.len()).collect();
    order.sort_by(|&a, &b| match (&keys[a], &keys[b]) {
        (Some(ka), Some(kb)) => ka.cmp_at(priority(a), kb, priority(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        return;
    }
    let mut rules: Vec<Option<(Expr, FileRecord)>> = out.rules.drain(..).map(Some).collect();
    out.rules = order
        .iter()
        .map(|&i| rules[i].take().expect("each once"))
        .collect();
    out.sources = order.iter().map(|&i| out.sources[i]).collect();
}

/// Exec targets take xtable slots walking the rules from last to first
/// (the parser keeps its rule list in reverse), reusing equal names.
fn assign_slots(profile: &Profile, xtable: &mut XTable) -> Result<Vec<Option<u32>>, EncodeError> {
    let mut slots = vec![None; profile.rules.len()];
    for (index, rule) in profile.rules.iter().enumerate().rev() {
        let RuleKind::File(file) = &rule.kind else {
            continue;
        };
        let Some(target) = &file.exec_target else {
            continue;
        };
        // 5.0.2 gives every `->` target a slot, also where no px/cx uses
        // it (`/a r -> b`, `/a ix -> b`, `deny /a r -> b`).
        let mode = match file.access.exec {
            Some(mode @ (ExecMode::Profile { .. } | ExecMode::Child { .. }))
                if rule.qualifiers.verdict != Verdict::Deny =>
            {
                mode
            }
            _ => {
                if !file.access.link {
                    let slot = xtable
                        .slot(target)
                        .map_err(|e| EncodeError::from(e).at(&rule.origin))?;
                    // An allowed ix/ux carries the slot in its exec index
                    // (`/a ix -> b`), whatever its own mode says.
                    if file.access.exec.is_some() && rule.qualifiers.verdict != Verdict::Deny {
                        slots[index] = Some(slot);
                    }
                }
                continue;
            }
        };
        let path = file.path.as_deref().unwrap_or(ALL_FILES);
        slots[index] = Some(match transition_name(&profile.name, path, target, mode) {
            None => INDEX_LOCAL,
            Some(name) => xtable
                .slot(&name)
                .map_err(|e| EncodeError::from(e).at(&rule.origin))?,
        });
    }
    Ok(slots)
}

/// The xtable entry for `path <mode> -> target` in profile `profile_name`
/// (its own name, not the hierarchical one), or `None` when the target is
/// the local child named like the executable (exec index 3).
pub(super) fn transition_name(
    profile_name: &str,
    path: &str,
    target: &str,
    mode: ExecMode,
) -> Option<String> {
    if target.starts_with(':') {
        return Some(target.to_owned());
    }
    if let Some(split) = target.find("//") {
        // The parser compares the profile name with the text from the `//`
        // on, over the length of the text before it; only when they differ
        // (always, in practice) does it look at the child name.
        let prefix_differs = split > 0
            && profile_name.as_bytes().get(..split) != target.as_bytes().get(split..2 * split);
        if prefix_differs && &target[split + 2..] == path {
            return None;
        }
    }
    if matches!(mode, ExecMode::Child { .. }) {
        if target == path {
            return None;
        }
        return Some(format!("{profile_name}//{target}"));
    }
    Some(target.to_owned())
}

fn rule_mode(verdict: Verdict) -> RuleMode {
    match verdict {
        Verdict::Allow => RuleMode::Allow,
        Verdict::Deny => RuleMode::Deny,
        Verdict::Prompt => RuleMode::Prompt,
    }
}

/// A rule record for a file-DFA rule (see [`RulePerms::for_rule`]).
fn record(q: &Qualifiers, expr: &Expr, perms: u32, audit_bits: u32) -> FileRecord {
    FileRecord::Rule(RulePerms::for_rule(
        q,
        aare::is_exact(expr),
        perms,
        audit_bits,
    ))
}

/// Converts a path glob: slashes filtered, default globbing.
fn path_expr(path: &str) -> Result<Expr, EncodeError> {
    aare::convert_path(path)
        .map(|glob| glob.expr)
        .map_err(|source| EncodeError::Pattern {
            pattern: path.to_owned(),
            source,
        })
}

/// Converts a label or other non-path glob (no slash filtering).
fn label_expr(text: &str) -> Result<Expr, EncodeError> {
    aare::convert(text, GlobStyle::Default)
        .map(|glob| glob.expr)
        .map_err(|source| EncodeError::Pattern {
            pattern: text.to_owned(),
            source,
        })
}

/// `a \0 b`
fn pair(first: Expr, second: Expr) -> Expr {
    Expr::Concat(vec![first, Expr::Byte(0), second])
}

/// `/[^/].*`: any absolute link target (§5.5).
fn any_link_target() -> Expr {
    Expr::Concat(vec![
        Expr::Byte(b'/'),
        Expr::NotClass(ByteSet::single(b'/')),
        Expr::Star(Box::new(Expr::Any)),
    ])
}

/// The bits of one half for the permission letters, exec mode and slot.
fn access_half(
    access: &FileAccess,
    slot: Option<u32>,
    verdict: Verdict,
    path: &str,
) -> Result<u32, EncodeError> {
    let mut half = 0;
    for (set, bits) in [
        (access.read, MAY_READ),
        (access.write, MAY_WRITE | MAY_APPEND),
        (access.append, MAY_APPEND),
        (access.link, MAY_LINK),
        (access.lock, MAY_LOCK),
        (access.mmap_exec, EXEC_MMAP),
    ] {
        if set {
            half |= bits;
        }
    }
    if let Some(mode) = access.exec {
        half |= exec_bits(mode, slot, verdict, path)?;
    }
    Ok(half)
}

pub(super) fn exec_bits(
    mode: ExecMode,
    slot: Option<u32>,
    verdict: Verdict,
    path: &str,
) -> Result<u32, EncodeError> {
    let with_fallback = |safe: bool, fallback: ExecFallback, index: u32| {
        let mut bits = MAY_EXEC | (index << EXEC_INDEX_SHIFT);
        if !safe {
            bits |= EXEC_UNSAFE;
        }
        match fallback {
            ExecFallback::None => {}
            ExecFallback::Inherit => bits |= EXEC_INHERIT,
            ExecFallback::Unconfined => bits |= EXEC_PUX,
        }
        bits
    };
    let bits = match (verdict, mode) {
        (Verdict::Deny, ExecMode::Plain) => return Ok(MAY_EXEC),
        (Verdict::Deny, _) => {
            return Err(EncodeError::DenyExecModifier {
                path: path.to_owned(),
            });
        }
        (_, ExecMode::Plain) => {
            return Err(EncodeError::BareExec {
                path: path.to_owned(),
            });
        }
        // `ix` implies `m`, but parser 5.0 adds it only when combining the
        // state (4.1 put it in the rule), so an exact `px` overriding a
        // wildcard `ix` leaves no `m` behind.
        (_, ExecMode::Inherit) => MAY_EXEC | EXEC_INHERIT,
        (_, ExecMode::InheritUnsafe) => MAY_EXEC | EXEC_INHERIT | EXEC_UNSAFE,
        (_, ExecMode::PlainUnsafe) => MAY_EXEC | EXEC_UNSAFE,
        (_, ExecMode::Unconfined { safe }) => {
            with_fallback(safe, ExecFallback::None, INDEX_UNCONFINED)
        }
        (_, ExecMode::Profile { safe, fallback }) => with_fallback(safe, fallback, INDEX_PROFILE),
        (_, ExecMode::Child { safe, fallback }) => with_fallback(safe, fallback, INDEX_LOCAL),
    };
    Ok(match slot {
        Some(slot) => (bits & !EXEC_INDEX_MASK) | (slot << EXEC_INDEX_SHIFT),
        None => bits,
    })
}

fn file_rule(
    q: &Qualifiers,
    file: &FileRule,
    slot: Option<u32>,
    out: &mut Vec<(Expr, FileRecord)>,
) -> Result<(), EncodeError> {
    let path = file.path.as_deref().unwrap_or(ALL_FILES);
    let mut access = file.access;
    if file.path.is_none() && access == FileAccess::default() {
        // Bare `file,`: everything, executing with inherit.
        access = FileAccess {
            read: true,
            write: true,
            append: false,
            mmap_exec: true,
            lock: true,
            link: true,
            exec: Some(ExecMode::Inherit),
        };
    }
    let expr = path_expr(path)?;
    let mut perms = halves(q.owner, access_half(&access, slot, q.verdict, path)?);
    let link_bits = halves(q.owner, MAY_LINK);
    if perms & link_bits != 0 {
        // `l -> target` (parser 5.0) links to the named target only and
        // without the subset test; a bare `l` allows any absolute target as
        // long as it is a subset.
        let (second, pair_perms) = match (&file.exec_target, access.exec) {
            (Some(target), None) => (path_expr(target)?, link_bits),
            _ => (any_link_target(), link_bits | subset_bit(link_bits)),
        };
        let pair_expr = pair(expr.clone(), second);
        let pair_record = record(q, &pair_expr, pair_perms, link_bits);
        out.push((pair_expr, pair_record));
        if q.verdict == Verdict::Deny {
            // A denied link is denied through the pair only.
            perms &= !link_bits;
        }
    }
    // A rule left without permissions (`owner { other /a r, }`, see
    // resolve::build::block) still puts its path into 5.0.2's automaton.
    let emptied = file.path.is_some() && file.access == FileAccess::default();
    if perms != 0 || emptied {
        let base = record(q, &expr, perms, perms);
        out.push((expr, base));
    }
    Ok(())
}

/// The parser derives the subset test bit by shifting the link bits and
/// masking with the user half's subset bit, so only an owner-applicable
/// link gets it (`/x l,` pairs carry 0x40030, not 0xC0030).
fn subset_bit(link_bits: u32) -> u32 {
    (link_bits << 1) & LINK_SUBSET
}

fn link_rule(
    q: &Qualifiers,
    link: &LinkRule,
    out: &mut Vec<(Expr, FileRecord)>,
) -> Result<(), EncodeError> {
    if q.verdict != Verdict::Deny {
        let from = path_expr(&link.link)?;
        let link_bits = halves(q.owner, MAY_LINK);
        let base = record(q, &from, link_bits, link_bits);
        out.push((from, base));
    }
    link_pair_rule(q, link, out)
}

/// What a link rule merged into a change_profile entry still encodes.
fn merged_link(link: &MergedLink, out: &mut Vec<(Expr, FileRecord)>) -> Result<(), EncodeError> {
    link_pair_rule(&link.qualifiers, &link.pair, out)
}

/// The link pair a change_profile entry gets from the `l` of file rules
/// merged into it: the entry's name (the change target, unfiltered, as the
/// parser keeps change_profile names) to any absolute target, with the
/// subset test, as a plain `l` rule's pair.
fn merged_file_link(
    q: &Qualifiers,
    change: &ChangeProfileRule,
    link_bits: u32,
    out: &mut Vec<(Expr, FileRecord)>,
) -> Result<(), EncodeError> {
    if link_bits == 0 {
        return Ok(());
    }
    let mut name = change.target.clone().unwrap_or_else(|| "**".to_owned());
    if change.stack {
        name.insert(0, '&');
    }
    let pair_expr = pair(label_expr(&name)?, any_link_target());
    let pair_record = record(q, &pair_expr, link_bits | subset_bit(link_bits), link_bits);
    out.push((pair_expr, pair_record));
    Ok(())
}

/// The `link \0 target` pair of a link rule.
fn link_pair_rule(
    q: &Qualifiers,
    link: &LinkRule,
    out: &mut Vec<(Expr, FileRecord)>,
) -> Result<(), EncodeError> {
    let from = path_expr(&link.link)?;
    let to = path_expr(&link.target)?;
    let link_bits = halves(q.owner, MAY_LINK);
    let mut pair_perms = link_bits;
    if link.subset {
        pair_perms |= subset_bit(link_bits);
    }
    let pair_expr = pair(from, to);
    let pair_record = record(q, &pair_expr, pair_perms, link_bits);
    out.push((pair_expr, pair_record));
    Ok(())
}

/// `exec_bits`: `x` bits of file rules merged into this one (see
/// [`entry_merge`]), granted on the exec-and-target pair.
fn change_profile_rule(
    q: &Qualifiers,
    change: &ChangeProfileRule,
    exec_bits: u32,
    target: &EncodeTarget,
    out: &mut Vec<(Expr, FileRecord)>,
) -> Result<(), EncodeError> {
    let mut target_text = change.target.clone().unwrap_or_else(|| "**".to_owned());
    if change.stack {
        target_text.insert(0, '&');
    }
    // A stacking target (`&name`) needs `domain/stack` in both sets;
    // 5.0.2 refuses the rule otherwise, whatever its qualifiers.
    if target_text.starts_with('&') && !target.stacking {
        return Err(EncodeError::StackingUnsupported {
            target: target_text,
        });
    }
    let target_expr = match split_namespace(&target_text) {
        Some((ns, name)) if !target.stacking => pair(label_expr(ns)?, label_expr(name)?),
        _ => label_expr(&target_text)?,
    };
    let exec_expr = label_expr(change.exec.as_deref().unwrap_or(ANY_EXECUTABLE))?;

    let both = |half: u32| half | (half << OTHER_SHIFT);
    let mut onexec_perms = ONEXEC | exec_bits;
    if change.exec.is_some() {
        onexec_perms |= both(MAY_EXEC);
        if change.exec_mode.as_deref() == Some("unsafe") {
            onexec_perms |= both(EXEC_UNSAFE);
        }
    }
    let combined = pair(exec_expr.clone(), target_expr.clone());
    let target_perms = CHANGE_PROFILE | ONEXEC;
    out.push((
        target_expr.clone(),
        record(q, &target_expr, target_perms, target_perms),
    ));
    out.push((exec_expr.clone(), record(q, &exec_expr, ONEXEC, ONEXEC)));
    out.push((
        combined.clone(),
        // The exec bits added for the condition are never audited or
        // quieted (5.0.2's blobs show ACCEPT2 0 on these states).
        record(q, &combined, onexec_perms, ONEXEC),
    ));
    Ok(())
}

/// The file part of `all,`: every path with `rwlkm`, the link pair, and
/// `ix` two priority steps lower so explicit exec rules override it
/// without a conflict. `deny all,` denies `rwakm` (owner half only), the
/// pair and `x`, all without quieting — so on its own it leaves no
/// accepting state, as 5.0.2's output shows. (Rule words from the 4.1
/// parser's dump.)
fn all_rule(q: &Qualifiers, out: &mut Vec<(Expr, FileRecord)>) -> Result<(), EncodeError> {
    let both = |half: u32| half | (half << OTHER_SHIFT);
    let expr = path_expr(ALL_FILES)?;
    let pair_expr = pair(expr.clone(), any_link_target());
    let base_half = MAY_READ | MAY_WRITE | MAY_APPEND | MAY_LOCK | EXEC_MMAP;
    let (base, link_pair, exec) = if q.verdict == Verdict::Deny {
        (base_half, MAY_LINK | LINK_SUBSET, both(MAY_EXEC))
    } else {
        (
            both(base_half | MAY_LINK),
            both(MAY_LINK) | LINK_SUBSET,
            both(MAY_EXEC | EXEC_INHERIT),
        )
    };
    // `audit all,` audits what each string grants, except the pair's
    // subset test bit, which is no permission (5.0.2, all/ok_06: pair
    // ACCEPT2 0x40010 for ACCEPT 0x40030).
    let rule = |expr: &Expr, perms: u32, audited: u32, priority: i32| {
        // Marked iff `audit` for deny too: `deny all,` denies without
        // quieting, `audit deny all,` quiets (5.0.2 turns the audit
        // meaning of deny round for `all`, see `turn_deny_audit`).
        let audit = q.audit;
        FileRecord::Rule(RulePerms {
            mode: rule_mode(q.verdict),
            priority,
            exact: aare::is_exact(expr),
            perms,
            // Only the first seven bits of each half are audited, as for
            // every rule (`RulePerms::for_rule`): the `ix` rule's inherit
            // type bit is not, so a path whose `audit ... ix` rule
            // overrides it leaves a state equal to the `all` one (5.0.2
            // merges them: `audit all, audit /etc/ ix,`).
            audit: if audit { audited & AUDIT_MASK } else { 0 },
        })
    };
    out.push((expr.clone(), rule(&expr, base, base, q.priority)));
    let pair_audit = link_pair & !LINK_SUBSET;
    out.push((
        pair_expr.clone(),
        rule(&pair_expr, link_pair, pair_audit, q.priority),
    ));
    out.push((expr.clone(), rule(&expr, exec, exec, q.priority - 2)));
    Ok(())
}

/// `:ns:name` or `:ns://name` → (`ns`, `name`).
fn split_namespace(label: &str) -> Option<(&str, &str)> {
    let rest = label.strip_prefix(':')?;
    let end = rest.find(':')?;
    let name = &rest[end + 1..];
    Some((&rest[..end], name.strip_prefix("//").unwrap_or(name)))
}

/// The owner-only read/write rules a profile needs to change hat or
/// profile through /proc.
fn proc_access(write_path: &str, out: &mut Vec<(Expr, FileRecord)>) -> Result<(), EncodeError> {
    let plain = Qualifiers::default();
    for (path, perms) in [
        (PROC_PROBE_PATH, MAY_READ),
        (ENABLED_PATH, MAY_READ),
        (write_path, MAY_WRITE),
    ] {
        let expr = path_expr(path)?;
        let rec = record(&plain, &expr, perms, perms);
        out.push((expr, rec));
    }
    Ok(())
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
