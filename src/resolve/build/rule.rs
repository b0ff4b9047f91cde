//! From a raw rule to a typed [`Rule`]: variable expansion, qualifiers,
//! class dispatch, aliases.

use super::profile::origin;
use super::{Env, RuleError, block, classes, file, net, pattern};
use crate::encode::{ExecType, MergeKey, entry_exec_types, merge_key};
use crate::model::{FileRule, LinkRule, Ownership, Qualifiers, Rule, RuleKind, Verdict};
use crate::resolve::vars::Locals;
use crate::resolve::walk::{POLICY_CLASS_KEYWORDS, RawRule, qualifier_rank};
use crate::syntax::{Span, Token, TokenKind};
use std::collections::HashMap;

/// Types every rule of a profile, reporting each bad rule. `profile_name`
/// is the profile's own name (exec transitions to a child name it).
pub(crate) fn build_rules(
    raws: &[RawRule],
    locals: &Locals,
    profile_name: &str,
    env: &mut Env,
) -> Vec<Rule> {
    let mut out = Vec::new();
    let mut conflicts = MergeCheck::default();
    for raw in raws {
        match build_rule(raw, locals, env) {
            Ok(rules) => {
                for rule in &rules {
                    if let Err(msg) = conflicts.add(profile_name, rule) {
                        env.diagnostics
                            .push(raw.place.error("conflict", msg, raw.decl.span));
                    }
                }
                out.extend(rules)
            }
            Err((msg, span)) => env.diagnostics.push(raw.place.error("rule", msg, span)),
        }
    }
    out
}

/// 5.0.2's merge of a profile's file-DFA entries (see
/// `encode::merge_key`: same name from the second character on, same link
/// target or exec condition, rule mode, audit flag and priority): two
/// entries it merges may not give one half (owner, other) different exec
/// types — a path given two transitions, or a change_profile exec
/// condition given both safe and unsafe. Overlaps between different globs
/// need the DFA and are `exec_conflict`'s.
#[derive(Default)]
struct MergeCheck {
    /// Per merged entry, each half's exec type and where it was written.
    entries: HashMap<MergeKey, [Option<(ExecType, String)>; 2]>,
}

impl MergeCheck {
    fn add(&mut self, profile_name: &str, rule: &Rule) -> Result<(), String> {
        let Some(key) = merge_key(rule) else {
            return Ok(());
        };
        let types = entry_exec_types(profile_name, rule);
        if types.iter().all(Option::is_none) {
            return Ok(());
        }
        let at = format!("{}:{}", rule.origin.file, rule.origin.line);
        let merged = self.entries.entry(key).or_default();
        for (half, exec_type) in types.into_iter().enumerate() {
            let Some(exec_type) = exec_type else { continue };
            match &merged[half] {
                Some((seen, other)) if *seen != exec_type => {
                    return Err(match &rule.kind {
                        RuleKind::ChangeProfile(c) => format!(
                            "change_profile for `{}` is both safe and unsafe (see the rule at {other})",
                            c.exec.as_deref().unwrap_or_default()
                        ),
                        _ => format!(
                            "conflicting exec modes for `{}`: the rule at {other} gives a different \
                             transition",
                            entry_path(rule)
                        ),
                    });
                }
                Some(_) => {}
                None => merged[half] = Some((exec_type, at.clone())),
            }
        }
        Ok(())
    }
}

/// The path of a file rule, for messages.
fn entry_path(rule: &Rule) -> &str {
    match &rule.kind {
        RuleKind::File(f) => f.path.as_deref().unwrap_or("/{**,}"),
        _ => "",
    }
}

/// The checks 5.0.2 makes while reading a rule, before any variable is
/// expanded: they apply also where variables do not expand (a branch not
/// taken, see `profile::check_untaken`).
pub(crate) fn check_as_written(raw: &RawRule) -> Result<(), RuleError> {
    if matches!(raw.class_word(), "mount" | "remount" | "umount" | "unmount") {
        super::mount::options_without_variables(&raw.decl.tokens)?;
    }
    Ok(())
}

pub(crate) fn build_rule(
    raw: &RawRule,
    locals: &Locals,
    env: &Env,
) -> Result<Vec<Rule>, RuleError> {
    // rlimit values are numbers, never variables: 5.0.2's lexer rejects
    // `set rlimit cpu <= @{X},`.
    let words: Vec<&str> = raw.decl.tokens.iter().filter_map(|t| t.word()).collect();
    if words.windows(2).any(|w| w == ["set", "rlimit"])
        && let Some(t) = raw
            .decl
            .tokens
            .iter()
            .find(|t| t.text().is_some_and(|s| s.contains('@')))
    {
        return Err(("variables cannot be used in rlimit rules".into(), t.span));
    }
    check_as_written(raw)?;
    let mut tokens = Vec::with_capacity(raw.decl.tokens.len());
    let class = raw.class_word();
    // A file rule's `-> TARGET` is read as written unless it is a link
    // target (see `file::file`): 5.0.2 never expands variables in a named
    // transition nor checks its pattern (`/a px -> @{V},` names the
    // profile `@{V}`).
    let file_target = (!is_class_keyword(class))
        .then(|| {
            raw.decl
                .tokens
                .iter()
                .position(|t| t.kind == TokenKind::Arrow)
        })
        .flatten()
        .map(|arrow| arrow + 1);
    for (i, t) in raw.decl.tokens.iter().enumerate() {
        no_empty_quote_in_group(t)?;
        condition_lists(class, t)?;
        // 5.0.2 expands no variable anywhere in a network rule: `@{V}` in
        // `ip=`, `port=`, `interface=` or a label is text (and `{V}` a
        // malformed alternation wherever the label is encoded).
        if Some(i) == file_target || class == "network" {
            tokens.push(t.clone());
        } else {
            tokens.push(expand(t, locals, env)?);
        }
    }
    // Each enclosing block's prefix, checked on its own (a block's non-zero
    // priority was refused when the block was walked).
    let mut blocks = Vec::with_capacity(raw.block_qualifiers.len());
    for prefix in &raw.block_qualifiers {
        let (mut q, mut seen) = (Qualifiers::default(), Seen::default());
        for t in prefix {
            apply_qualifier(t, &mut q, &mut seen)?;
        }
        blocks.push(q);
    }
    let in_block = !raw.block_qualifiers.is_empty();
    let mut quals = Qualifiers::default();
    let mut seen = Seen::default();
    let leading = tokens
        .iter()
        .take_while(|t| qualifier_rank(t).is_some())
        .count();
    let (prefix, rest) = tokens.split_at(leading);
    qualifiers_in_order(prefix)?;
    for t in prefix {
        apply_qualifier(t, &mut quals, &mut seen)?;
    }
    let Some(head) = rest.first() else {
        return Err(("rule has qualifiers but no rule".into(), raw.decl.span));
    };
    let keyword = head.word().unwrap_or("");
    // Tokens and raw tokens correspond one to one (expansion keeps them).
    let raw_access = raw.decl.tokens.get(tokens.len() - rest.len() + 1);
    if let Some(t) = raw_access
        && ACCESS_CLASSES.contains(&keyword)
        && names_variable(t)
    {
        return Err((
            format!("variables are not expanded in the access of a {keyword} rule"),
            t.span,
        ));
    }
    super::order::check_order(keyword, &rest[1..])?;
    check_words_without_equals(
        keyword,
        &raw.decl.tokens[raw.decl.tokens.len() - rest.len()..],
    )?;
    if keyword == "unix" {
        // On the text as written: a variable may expand to anything.
        net::check_unix_addrs_written(&raw.decl.tokens)?;
    }
    // 5.0.2 checks dbus and unix patterns only when it encodes them: on a
    // kernel without that mediation the rules, bad patterns included, are
    // dropped (dbus/bad_regex_*, unix/bad_regex_01 compile on debian).
    // When compiling, the encoder rejects them where the class is mediated.
    // In a qualifier block 5.0.2 drops most classes before converting any
    // pattern (see `block`).
    let dropped = in_block && block::dropped_in_blocks(keyword);
    // So are network labels: only a kernel with fine-grained network
    // rules gets them encoded (`peer=(label=foo{})` compiles for
    // upstream-all and debian-6.12). `check` leaves them to the encoder
    // too: upstream-all, its reference, never encodes them, and they are
    // text (`label=@{profile_name}` is a malformed alternation where it
    // is encoded, see `net::network`).
    let deferred =
        keyword == "network" || env.defer_ipc_patterns && matches!(keyword, "dbus" | "unix");
    // Nor in a branch not taken, where 5.0.2 converts no pattern.
    if !dropped && !deferred && !env.untaken {
        let first = tokens.len() - rest.len();
        rest.iter()
            .enumerate()
            .filter(|(i, _)| Some(first + i) != file_target)
            .try_for_each(|(_, t)| check_patterns(t))?;
    }
    let link_target = |t: &Token| {
        let t = expand(t, locals, env)?;
        if !env.untaken {
            check_patterns(&t)?;
        }
        Ok(t)
    };
    let args = &rest[1..];
    // The same tokens as written (a path's form is judged before expansion).
    let raw_rest = &raw.decl.tokens[tokens.len() - rest.len()..];
    let raw_args = &raw_rest[1..];
    if keyword == "pivot_root" {
        file::check_ordinary_state_words(raw_args)?;
    }
    let kinds = match keyword {
        "file" => file::file(args, raw_args, head.span, &quals, &link_target)?,
        "link" => vec![file::link(args, raw_args, head.span)?],
        "change_profile" => vec![classes::change_profile(args, raw_args, head.span)?],
        "capability" | "network" | "unix" | "dbus" | "mount" | "remount" | "umount" | "unmount"
        | "pivot_root" | "ptrace" | "signal" | "set" | "userns" | "mqueue" | "io_uring" | "all" => {
            vec![class_rule(keyword, args, head.span)?]
        }
        _ => file::file(rest, raw_rest, head.span, &quals, &link_target)?,
    };
    // A mount rule no mount call can match is an error of 5.0.2's encoder:
    // not for a rule it never encodes (a branch not taken, a class a
    // qualifier block drops).
    if !env.untaken && !dropped {
        for kind in &kinds {
            if let RuleKind::Mount(m) = kind {
                super::mount::check_encodable(m, head.span)?;
            }
        }
    }
    let mut out = Vec::new();
    for mut kind in kinds {
        if let RuleKind::Network(network) = &mut kind {
            network.before_a_block = raw.blocks_closed_before < env.blocks_closed;
        }
        // A rule's own qualifiers are checked, a block's never are.
        check_qualifiers(&kind, &quals, &seen, head.span)?;
        // 5.0.2 also drops rlimit rules standing in a conditional branch
        // (after checking them), in every features file.
        if dropped || (raw.in_conditional && matches!(kind, RuleKind::Rlimit(_))) {
            continue;
        }
        let mut own = quals;
        if matches!(kind, RuleKind::ChangeProfile(_)) && own.verdict != Verdict::Deny {
            // Nor does it store an `allow` or `prompt` written on the
            // rule (a block's is kept): `prompt change_profile -> p,`
            // compiles as `change_profile -> p,`, and neither mode keeps
            // it from merging with `/p r,` (see `encode::entry_order`).
            own.verdict = Verdict::Allow;
            own.explicit_verdict = false;
        }
        let (mut qualifiers, kind) = if in_block {
            block::apply_block_prefixes(own, kind, &blocks, head.span)?
        } else {
            (own, kind)
        };
        // 5.0.2's grammar takes a change_profile rule's `priority=` but
        // never stores it: the rule ranks at 0 (`priority=3 change_profile
        // -> p,` loses to `deny change_profile,`).
        if matches!(kind, RuleKind::ChangeProfile(_)) {
            qualifiers.priority = 0;
        }
        let rule = Rule {
            qualifiers,
            kind,
            origin: origin(&raw.place, raw.decl.span),
        };
        out.extend(apply_aliases(rule, &env.aliases));
    }
    Ok(out)
}

/// Whether `word` is the keyword of a rule class other than file rules
/// (which may start with `file` or with no keyword).
fn is_class_keyword(word: &str) -> bool {
    matches!(word, "link" | "change_profile") || POLICY_CLASS_KEYWORDS.contains(&word)
}

/// Rule classes whose keyword switches apparmor_parser's lexer to a mode
/// of its own where a word may hold `=` (see `grammar/apparmor.pest`,
/// section 5: there a `{` starting a word is text, and where the mode reads
/// words an unquoted one stops at `=`). `set` stands for `set rlimit`.
/// The others (file rules, `link`, `capability`, `pivot_root`,
/// `io_uring`, `userns`, ...) are read in its ordinary state, where a word
/// is a name (letters, digits, `_`) or a path, and `{` opens a block;
/// change_profile's own mode reads any characters.
const OWN_LEXER_STATE: &[&str] = &[
    "network", "unix", "dbus", "mount", "remount", "umount", "unmount", "signal", "ptrace", "set",
    "mqueue",
];

/// In the rule classes apparmor_parser 5.0.2 lexes in a mode of their own
/// ([`OWN_LEXER_STATE`]) an unquoted word stops at `=` unless it starts like a path or label (`/`,
/// `@{var}`, `:`, `&`); the `=` is then an unexpected character, escaped
/// or not (`mount *:\=** -> /m,`). A condition's name is a plain name
/// (letters, digits, `_`, starting with a letter) for the same reason.
fn check_words_without_equals(keyword: &str, tokens: &[Token]) -> Result<(), RuleError> {
    // rlimit's mode reads `<=` joined to its neighbours (`nice<= -5`).
    if !OWN_LEXER_STATE.contains(&keyword) || keyword == "set" {
        return Ok(());
    }
    let label_start = |w: &str| {
        if w.starts_with('/') || w.starts_with('&') {
            return true;
        }
        if let Some(rest) = w.strip_prefix(':') {
            return !rest.starts_with('=');
        }
        // `@{name}` then a character other than `=`, `+` or `?`.
        w.strip_prefix("@{")
            .and_then(|rest| rest.split_once('}'))
            .is_some_and(|(_, after)| after.chars().next().is_some_and(|c| !"=+?".contains(c)))
    };
    let plain_name = |k: &str| {
        let mut chars = k.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    for t in tokens.iter().skip(1) {
        let bad = match &t.kind {
            TokenKind::Word(w) => w.contains('=') && !label_start(w),
            TokenKind::Cond { key, .. } => !plain_name(key),
            _ => false,
        };
        if bad {
            return Err((
                format!(
                    "unexpected `=` in a {keyword} rule: a word that does not start with `/`, `@{{var}}`, `:` or `&` cannot hold `=` (quote it)"
                ),
                t.span,
            ));
        }
    }
    Ok(())
}

/// Types a rule of a non-file class from its keyword and arguments.
fn class_rule(keyword: &str, args: &[Token], head: Span) -> Result<RuleKind, RuleError> {
    Ok(match keyword {
        "capability" => classes::capability(args, head)?,
        "network" => classes::network(args, head)?,
        "unix" => classes::unix(args, head)?,
        "dbus" => classes::dbus(args, head)?,
        "mount" => classes::mount(args, head, classes::MountKind::Mount)?,
        "remount" => classes::mount(args, head, classes::MountKind::Remount)?,
        "umount" | "unmount" => classes::mount(args, head, classes::MountKind::Umount)?,
        "pivot_root" => classes::pivot_root(args, head)?,
        "ptrace" => classes::ptrace(args, head)?,
        "signal" => classes::signal(args, head)?,
        "set" => classes::rlimit(args, head)?,
        "userns" => classes::userns(args, head)?,
        "mqueue" => classes::mqueue(args, head)?,
        "io_uring" => classes::io_uring(args, head)?,
        "all" => {
            if let Some(t) = args.first() {
                return Err(("`all` takes no arguments".into(), t.span));
            }
            RuleKind::All
        }
        _ => return Err((format!("unknown rule `{keyword}`"), head)),
    })
}

/// Which qualifier words were written (for conflict checks).
#[derive(Default)]
struct Seen {
    allow: bool,
    deny: bool,
    prompt: bool,
    owner: bool,
    other: bool,
    priority: bool,
}

/// Qualifiers go in a fixed order, each once: priority, audit/quiet,
/// verdict, owner/other; before a rule and before a block alike
/// (`deny audit {` and `audit audit {` are errors, even around nothing).
pub(crate) fn qualifiers_in_order(qualifiers: &[Token]) -> Result<(), RuleError> {
    let mut last_rank = None;
    for t in qualifiers {
        let rank = qualifier_rank(t);
        if last_rank.is_some_and(|r| Some(r) >= rank) {
            return Err((
                "qualifiers out of order: write priority=, then audit/quiet, then allow/deny/prompt, then owner/other".into(),
                t.span,
            ));
        }
        last_rank = rank;
    }
    Ok(())
}

fn apply_qualifier(t: &Token, q: &mut Qualifiers, seen: &mut Seen) -> Result<(), RuleError> {
    let word = match &t.kind {
        TokenKind::Word(w) => w.clone(),
        TokenKind::Cond { key, value, .. } => format!("{key}={}", value.text().unwrap_or("")),
        _ => String::new(),
    };
    let conflict = |what: &str| Err((format!("conflicting rule qualifiers: {what}"), t.span));
    match word.as_str() {
        "audit" => q.audit = true,
        // The man page's `quiet` qualifier (before a block: `quiet {`):
        // 5.0.2's grammar has no place for it.
        "quiet" => {
            return Err((
                "`quiet` is not a rule qualifier apparmor_parser 5.0.2 accepts".into(),
                t.span,
            ));
        }
        "allow" => {
            if seen.deny || seen.prompt {
                return conflict("allow with deny or prompt");
            }
            seen.allow = true;
            q.verdict = Verdict::Allow;
            q.explicit_verdict = true;
        }
        "deny" => {
            if seen.allow || seen.prompt {
                return conflict("deny with allow or prompt");
            }
            seen.deny = true;
            q.verdict = Verdict::Deny;
            q.explicit_verdict = true;
        }
        "prompt" => {
            if seen.allow || seen.deny {
                return conflict("prompt with allow or deny");
            }
            seen.prompt = true;
            q.verdict = Verdict::Prompt;
            q.explicit_verdict = true;
        }
        "owner" => {
            if seen.other {
                return conflict("owner with other");
            }
            seen.owner = true;
            q.owner = Ownership::Owner;
        }
        "other" => {
            if seen.owner {
                return conflict("other with owner");
            }
            seen.other = true;
            q.owner = Ownership::Other;
        }
        w => {
            let value = w.strip_prefix("priority=").unwrap_or("");
            if seen.priority {
                return conflict("priority given twice");
            }
            let n: i32 = value
                .parse()
                .map_err(|_| (format!("invalid priority `{value}`"), t.span))?;
            if !(-1000..=1000).contains(&n) {
                return Err((format!("priority {n} out of range -1000..1000"), t.span));
            }
            seen.priority = true;
            q.priority = n;
        }
    }
    Ok(())
}

fn check_qualifiers(
    kind: &RuleKind,
    q: &Qualifiers,
    seen: &Seen,
    span: Span,
) -> Result<(), RuleError> {
    let file_like = matches!(kind, RuleKind::File(_) | RuleKind::Link(_));
    if (seen.owner || seen.other) && !file_like {
        return Err(("`owner`/`other` apply only to file rules".into(), span));
    }
    if matches!(kind, RuleKind::Rlimit(_))
        && (q.audit || q.quiet || seen.deny || seen.allow || seen.prompt || seen.priority)
    {
        return Err(("rlimit rules take no qualifiers".into(), span));
    }
    // Network and `all` rules keep no priority in 5.0.2 (the old network
    // table has no place for one); a zero priority is the default.
    if q.priority != 0 {
        match kind {
            RuleKind::Network(_) => {
                return Err(("priority is not allowed on network rules".into(), span));
            }
            RuleKind::All => return Err(("priority is not allowed on `all` rules".into(), span)),
            _ => {}
        }
    }
    Ok(())
}

/// Classes whose first argument is an access (or, for network, a
/// family): apparmor_parser reads it in its grammar, before variables are
/// expanded, so `dbus (@{x})` is an unknown access even when `@{x}` holds
/// `send`.
const ACCESS_CLASSES: &[&str] = &["dbus", "signal", "unix", "network", "ptrace"];

/// Whether an unexpanded word, or an item of an unexpanded list, names a
/// variable.
fn names_variable(t: &Token) -> bool {
    match &t.kind {
        TokenKind::Word(w) => w.contains("@{"),
        TokenKind::List(items) => items
            .iter()
            .any(|i| i.text().is_some_and(|w| w.contains("@{"))),
        _ => false,
    }
}

/// apparmor_parser's lexer has no empty quoted string inside a condition
/// group (`peer=(label="")`, `xattrs=(k="")`): it stops there with
/// "unexpected character". Elsewhere (`path=""`, `("")`) `""` is a value.
pub(super) fn no_empty_quote_in_group(t: &Token) -> Result<(), RuleError> {
    let TokenKind::Cond { value, .. } = &t.kind else {
        return Ok(());
    };
    let TokenKind::List(items) = &value.kind else {
        return Ok(());
    };
    for item in items {
        if let TokenKind::Cond { value, .. } = &item.kind
            && matches!(&value.kind, TokenKind::Quoted(q) if q.is_empty())
        {
            return Err((
                "an empty quoted string cannot be a value inside a condition group".into(),
                value.span,
            ));
        }
    }
    Ok(())
}

/// How apparmor_parser's lexer and grammar read `key=(...)` lists:
/// - a value list needs a value (`set=()`, `options=( , )`, and
///   `label=()` inside a group are errors); only the condition groups
///   `peer=()` and `xattrs=()` may be empty;
/// - in a group (`peer=(...)`, `xattrs=(...)`) a quoted string can only be
///   a value after `key=` (`xattrs=(a= ="b")` reads the value `=`, then
///   stops at the quote);
/// - signal and ptrace rules take no group: their `peer=` is one label.
pub(super) fn condition_lists(keyword: &str, t: &Token) -> Result<(), RuleError> {
    let TokenKind::Cond {
        key, value, assign, ..
    } = &t.kind
    else {
        return Ok(());
    };
    // `:=` assigns variables; 5.0.2 takes it in no condition of a rule or
    // profile header (`flags:=(complain)`, `mount options:=ro`), only
    // inside a group: network's `peer=(label:=...)` (the label to set) and
    // xattrs (where `a:=x` matches the name alone).
    if *assign {
        return Err((format!("`{key}:=`: a condition takes `=`"), t.span));
    }
    let TokenKind::List(items) = &value.kind else {
        return Ok(());
    };
    let group = matches!(key.as_str(), "peer" | "xattrs");
    if group && matches!(keyword, "signal" | "ptrace") {
        return Err((
            format!("a {keyword} rule's `peer=` is one label, not a group `peer=(...)`"),
            t.span,
        ));
    }
    if !group && items.is_empty() {
        return Err((format!("`{key}=()` gives no value"), value.span));
    }
    if !group {
        return Ok(());
    }
    for item in items {
        match &item.kind {
            TokenKind::Quoted(_) => {
                return Err((
                    format!("inside `{key}=(...)` a quoted string can only follow `key=`"),
                    item.span,
                ));
            }
            TokenKind::Cond {
                key: inner, value, ..
            } if matches!(&value.kind, TokenKind::List(v) if v.is_empty()) => {
                return Err((format!("`{inner}=()` gives no value"), value.span));
            }
            // A group's value may be a list of one value only
            // (`peer=(ip=(1.2.3.4))`; `port=(80 81)` is a syntax error).
            TokenKind::Cond {
                key: inner, value, ..
            } if matches!(&value.kind, TokenKind::List(v) if v.len() > 1) => {
                return Err((
                    format!("`{inner}=(...)` inside `{key}=(...)` takes one value"),
                    value.span,
                ));
            }
            TokenKind::Cond {
                key: inner,
                assign: true,
                ..
            } if !(key == "xattrs" || keyword == "network" && inner == "label") => {
                return Err((
                    format!("`{inner}:=` is not allowed in a {keyword} rule's `{key}=(...)`"),
                    item.span,
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks the glob syntax of every text in a token.
fn check_patterns(t: &Token) -> Result<(), RuleError> {
    match &t.kind {
        TokenKind::Word(w) | TokenKind::Quoted(w) | TokenKind::Name(w) => {
            pattern::check_pattern(w).map_err(|m| (m, t.span))
        }
        TokenKind::Cond { value, .. } => check_patterns(value),
        TokenKind::List(items) => items.iter().try_for_each(check_patterns),
        _ => Ok(()),
    }
}

/// Expands variables in every text of a token.
fn expand(t: &Token, locals: &Locals, env: &Env) -> Result<Token, RuleError> {
    let kind = match &t.kind {
        TokenKind::Word(w) => TokenKind::Word(expand_text(w, t.span, locals, env)?),
        TokenKind::Quoted(w) => TokenKind::Quoted(expand_text(w, t.span, locals, env)?),
        TokenKind::Cond {
            key,
            is_in,
            assign,
            value,
        } => TokenKind::Cond {
            key: key.clone(),
            is_in: *is_in,
            assign: *assign,
            value: Box::new(expand(value, locals, env)?),
        },
        TokenKind::List(items) => TokenKind::List(
            items
                .iter()
                .map(|i| expand(i, locals, env))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    };
    Ok(Token { kind, span: t.span })
}

fn expand_text(text: &str, span: Span, locals: &Locals, env: &Env) -> Result<String, RuleError> {
    if !text.contains("@{") {
        return Ok(text.to_string());
    }
    // Every class's strings are expanded, mediated or not, so a bad
    // reference (`@{a b}`, `@{,a}`) is an error in any rule.
    env.vars
        .expand_pattern(text, locals)
        .map_err(|e| (e.to_string(), span))
}

/// Whether every variable in a rule expands.
pub(crate) fn rule_expands(raw: &RawRule, locals: &Locals, env: &Env) -> bool {
    raw.decl
        .tokens
        .iter()
        .all(|t| expand(t, locals, env).is_ok())
}

/// `alias /a -> /b,`: a file rule whose path starts with `/a` also applies
/// to the same path under `/b` (its exec target stays). A link rule gets
/// one copy per alias whose `/a` starts its link or its target, with every
/// such side moved under `/b` (5.0.2: `link /a/x -> /a/y` adds `/b/x ->
/// /b/y` only). Each alias applies to the rule as written, never to
/// another alias's copy.
fn apply_aliases(rule: Rule, aliases: &[(String, String)]) -> Vec<Rule> {
    let moved = |text: &str, from: &str, to: &str| {
        text.strip_prefix(from).map(|rest| format!("{to}{rest}"))
    };
    let mut out = Vec::new();
    for (from, to) in aliases {
        let kind = match &rule.kind {
            RuleKind::File(f) => f.path.as_deref().and_then(|path| {
                let path = moved(path, from, to)?;
                Some(RuleKind::File(FileRule {
                    path: Some(path),
                    ..f.clone()
                }))
            }),
            RuleKind::Link(l) => {
                let link = moved(&l.link, from, to);
                let target = moved(&l.target, from, to);
                (link.is_some() || target.is_some()).then(|| {
                    RuleKind::Link(LinkRule {
                        subset: l.subset,
                        link: link.unwrap_or_else(|| l.link.clone()),
                        target: target.unwrap_or_else(|| l.target.clone()),
                    })
                })
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(Rule {
                kind,
                ..rule.clone()
            });
        }
    }
    out.insert(0, rule);
    out
}
