//! A deliberately small reader for simple conformance profiles: profile
//! headers (name, attachment, flags, xattrs, hats, nesting) and the rule
//! forms the encoder handles. Anything else makes it give up (`None`), so
//! the tests only compare cases it understands completely.

use super::parse_rule;
use aaprof::model::{
    CapabilityRule, Origin, Policy, Profile, ProfileFlags, ProfileMode, Qualifiers, RlimitRule,
    Rule, RuleKind, Verdict, Xattr,
};

pub fn parse_policy(text: &str) -> Option<Policy> {
    let mut stack: Vec<Profile> = Vec::new();
    let mut policy = Policy::default();
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if raw.trim_start().starts_with("#include") || raw.contains("include ") {
            return None;
        }
        if line.is_empty() {
            continue;
        }
        if line == "}" {
            let done = stack.pop()?;
            match stack.last_mut() {
                Some(parent) => parent.children.push(done),
                None => policy.profiles.push(done),
            }
        } else if let Some(header) = line.strip_suffix('{') {
            stack.push(parse_header(header)?);
        } else if let Some(rule) = line.strip_suffix(',') {
            if line.contains('@') || line.contains('"') || rule.contains(',') {
                return None;
            }
            stack.last_mut()?.rules.push(parse_body_rule(rule.trim())?);
        } else {
            return None;
        }
    }
    stack.is_empty().then_some(policy)
}

/// Removes `key=(...)` or `key=word` from the header; returns its items.
fn take_list(header: &mut String, key: &str) -> Option<Option<Vec<String>>> {
    let Some(start) = header.find(&format!("{key}=")) else {
        return Some(None);
    };
    let after = start + key.len() + 1;
    let (items, end) = if header[after..].starts_with('(') {
        let close = after + header[after..].find(')')?;
        (header[after + 1..close].to_owned(), close + 1)
    } else {
        let end = header[after..]
            .find(char::is_whitespace)
            .map_or(header.len(), |n| after + n);
        (header[after..end].to_owned(), end)
    };
    header.replace_range(start..end, " ");
    Some(Some(
        items
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|item| !item.is_empty())
            .map(|item| item.replace('"', ""))
            .collect(),
    ))
}

fn parse_header(header: &str) -> Option<Profile> {
    let mut header = header.to_owned();
    let flags = take_list(&mut header, "flags")?;
    let xattrs = take_list(&mut header, "xattrs")?;
    if header.contains(['@', '"', '=']) {
        return None;
    }
    let tokens: Vec<&str> = header.split_whitespace().collect();
    let mut profile = Profile::default();
    let (name, attachment) = match tokens.as_slice() {
        ["profile", name] => (*name, None),
        ["profile", name, attach] => (*name, Some(*attach)),
        ["hat", name] => {
            profile.is_hat = true;
            (*name, None)
        }
        [name] if name.starts_with('^') => {
            profile.is_hat = true;
            (&name[1..], None)
        }
        // Qualifier blocks (`audit {`) are not profiles.
        [name]
            if [
                "audit", "deny", "allow", "owner", "other", "prompt", "quiet",
            ]
            .contains(name) =>
        {
            return None;
        }
        [name] => (*name, None),
        _ => return None,
    };
    match name.strip_prefix(':') {
        Some(rest) => {
            let split = rest.find(':')?;
            profile.namespace = Some(rest[..split].to_owned());
            let own = &rest[split + 1..];
            profile.name = own.strip_prefix("//").unwrap_or(own).to_owned();
        }
        None => profile.name = name.to_owned(),
    }
    profile.attachment = attachment.map(str::to_owned);
    for (index, flag) in flags.unwrap_or_default().iter().enumerate() {
        // The parser honours `debug` only as the first flag.
        if flag == "debug" && index > 0 {
            continue;
        }
        set_flag(&mut profile.flags, flag)?;
    }
    for item in xattrs.unwrap_or_default() {
        let (name, value) = match item.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (item.clone(), None),
        };
        profile.xattrs.push(Xattr { name, value });
    }
    Some(profile)
}

fn set_flag(flags: &mut ProfileFlags, flag: &str) -> Option<()> {
    let mode = |mode| Some(mode);
    match flag {
        "complain" => flags.mode = mode(ProfileMode::Complain),
        "enforce" => flags.mode = mode(ProfileMode::Enforce),
        "kill" => flags.mode = mode(ProfileMode::Kill),
        "unconfined" => flags.mode = mode(ProfileMode::Unconfined),
        "audit" => flags.audit = true,
        "debug" => flags.debug = true,
        "mediate_deleted" => flags.mediate_deleted = true,
        "delegate_deleted" => flags.delegate_deleted = true,
        "attach_disconnected" => flags.attach_disconnected = true,
        "no_attach_disconnected" => flags.no_attach_disconnected = true,
        "chroot_relative" => flags.chroot_relative = true,
        "namespace_relative" => flags.namespace_relative = true,
        "chroot_attach" => flags.chroot_attach = true,
        "chroot_no_attach" => flags.chroot_no_attach = true,
        _ => return None,
    }
    Some(())
}

fn parse_body_rule(text: &str) -> Option<Rule> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    // Qualifiers, kept as text for the rule language (which knows them).
    let mut quals: Vec<&str> = Vec::new();
    while let Some(&word) = words.first() {
        let is_qualifier = ["audit", "deny", "allow", "owner", "other", "file"].contains(&word)
            || word.starts_with("priority=");
        if !is_qualifier {
            break;
        }
        if word != "file" {
            quals.push(word);
        }
        words.remove(0);
    }
    let mut q = Qualifiers::default();
    for qual in &quals {
        match *qual {
            "audit" => q.audit = true,
            "deny" => q.verdict = Verdict::Deny,
            _ if qual.starts_with("priority=") => q.priority = qual[9..].parse().ok()?,
            _ => {}
        }
    }
    let kind = match *words.first()? {
        "capability" => RuleKind::Capability(CapabilityRule {
            capabilities: words[1..].iter().map(|w| w.to_string()).collect(),
        }),
        "set" if words.len() == 5 && words[1] == "rlimit" && words[3] == "<=" => {
            RuleKind::Rlimit(RlimitRule {
                resource: words[2].to_owned(),
                value: words[4].to_owned(),
            })
        }
        "link" => {
            let shape_ok = match words.len() {
                4 => words[2] == "->",
                5 => words[1] == "subset" && words[3] == "->",
                _ => false,
            };
            if !shape_ok {
                return None;
            }
            let text = [quals.as_slice(), words.as_slice()].concat().join(" ");
            return Some(parse_rule(&text));
        }
        _ => return path_rule(&quals, &words),
    };
    Some(Rule {
        qualifiers: q,
        kind,
        origin: Origin::default(),
    })
}

/// A file rule in path-first or perms-first form, optionally with
/// `unsafe`/`safe` before the perms.
fn path_rule(quals: &[&str], words: &[&str]) -> Option<Rule> {
    let mut words: Vec<&str> = words.to_vec();
    let mut forced: Option<bool> = None;
    if let Some(&word) = words.first()
        && (word == "unsafe" || word == "safe")
    {
        forced = Some(word == "safe");
        words.remove(0);
    }
    if words.len() < 2 {
        return None;
    }
    let (path, perms) = if words[0].starts_with('/') {
        (words[0], words[1].to_owned())
    } else if words[1].starts_with('/') {
        (words[1], words[0].to_owned())
    } else {
        return None;
    };
    let rest = &words[2..];
    let arrow_ok = match rest.len() {
        0 => true,
        2 => rest[0] == "->",
        _ => false,
    };
    if !arrow_ok || !perms.chars().all(|c| "rwamklxiIpPcCuU".contains(c)) {
        return None;
    }
    if forced.is_some()
        && !words[0].starts_with('/')
        && !perms.contains(['p', 'P', 'c', 'C', 'u', 'U'])
    {
        // `unsafe ix` sets the unsafe bit on ix, which the model cannot say.
        return None;
    }
    if forced.is_some() && words[0].starts_with('/') {
        return None;
    }
    let perms: String = match forced {
        Some(safe) => perms
            .chars()
            .map(|c| {
                if "pcu".contains(c.to_ascii_lowercase()) {
                    if safe {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                } else {
                    c
                }
            })
            .collect(),
        None => perms,
    };
    let mut text: Vec<&str> = quals.to_vec();
    text.push(path);
    text.push(&perms);
    text.extend_from_slice(rest);
    Some(parse_rule(&text.join(" ")))
}
