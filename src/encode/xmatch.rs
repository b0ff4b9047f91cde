//! The attachment (xmatch) DFA's rules and `xmatch_len` (§2.2).

use super::bits::MAY_EXEC;
use super::error::EncodeError;
use super::record::{PolicyRecord, RulePerms};
use super::target::EncodeTarget;
use crate::aare::{self, GlobStyle};
use crate::expr::Expr;
use crate::model::Profile;

/// The xmatch DFA input: build it with packed accept words (never a perms
/// table); accepting states get ACCEPT 0x1, ACCEPT2 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xmatch {
    pub rules: Vec<(Expr, PolicyRecord)>,
    /// The `xmatch_len` word written after the DFA.
    pub len: u32,
}

/// The attachment text of a profile: its explicit attachment, or, for a
/// profile (not a hat) whose name is a path, the name's last `//`
/// component, slash-filtered. Parser 5.0 builds an xmatch DFA for any
/// attachment, literal or not.
pub fn attachment(profile: &Profile) -> Option<String> {
    if let Some(explicit) = &profile.attachment {
        return Some(aare::filter_slashes(explicit));
    }
    // A name is an attachment when it is a path or a pattern; hats declared
    // at top level with a path name (`hat /a//b {`) attach too. A pattern
    // as 5.0.2 classifies it: escaped glob characters are literal text
    // (`profile h\* {` does not attach, `profile h* {` does).
    let last = profile.last_name_part();
    let pattern = aare::convert(last, GlobStyle::Default)
        .is_ok_and(|glob| glob.kind != aare::PatternKind::Basic);
    if !profile.name.starts_with('/') && !pattern {
        return None;
    }
    Some(aare::filter_slashes(last))
}

/// The xmatch rules of a profile, or `None` when it has no attachment.
///
/// Each xattr condition (when the kernel supports them) extends the
/// attachment with an optional `separator \0 value` part, so the profile
/// still attaches without the xattr; the parser applies them in reverse
/// declaration order, nesting each later one inside the earlier part.
pub fn encode_xmatch(
    profile: &Profile,
    target: &EncodeTarget,
) -> Result<Option<Xmatch>, EncodeError> {
    // A profile with xattr conditions but no path name or attachment
    // attaches by its name (5.0.2, whether or not the kernel knows xattrs).
    let by_name = || {
        (!profile.xattrs.is_empty()).then(|| {
            let last = profile.last_name_part();
            aare::filter_slashes(last)
        })
    };
    let Some(text) = attachment(profile).or_else(by_name) else {
        // 5.0.2 converts a name that is no attachment all the same, so a
        // name that is no valid pattern (`profile foo} {`) is an error.
        if profile.attachment.is_none() {
            let last = profile.last_name_part();
            aare::convert(last, GlobStyle::Default).map_err(|source| EncodeError::Pattern {
                pattern: last.to_string(),
                source,
            })?;
        }
        return Ok(None);
    };
    let glob = aare::convert(&text, GlobStyle::Default).map_err(|source| EncodeError::Pattern {
        pattern: text.clone(),
        source,
    })?;
    let mut len = aare::min_len(&glob.expr) as u32;
    let mut exprs = vec![glob.expr];
    // Alias alternatives attach too; `xmatch_len` is the shortest of all.
    for alt in &profile.alt_names {
        let alt = aare::filter_slashes(alt);
        let glob =
            aare::convert(&alt, GlobStyle::Default).map_err(|source| EncodeError::Pattern {
                pattern: alt.clone(),
                source,
            })?;
        len = len.min(aare::min_len(&glob.expr) as u32);
        exprs.push(glob.expr);
    }
    if target.xattr_attach && !profile.xattrs.is_empty() {
        let separator = if target.out_of_band {
            Expr::OutOfBand
        } else {
            Expr::Byte(0)
        };
        let mut tail: Option<Expr> = None;
        // Build from the innermost (first declared) outwards.
        for xattr in &profile.xattrs {
            let value_text = xattr.value.as_deref().unwrap_or("**");
            let value = aare::convert_xattr_value(value_text)
                .map_err(|source| EncodeError::Pattern {
                    pattern: value_text.to_owned(),
                    source,
                })?
                .expr;
            let mut part = vec![separator.clone(), Expr::Byte(0), value];
            if let Some(inner) = tail.take() {
                part.push(Expr::Optional(Box::new(inner)));
            }
            tail = Some(Expr::Concat(part));
        }
        if let Some(tail) = tail {
            for expr in &mut exprs {
                let name = std::mem::replace(expr, Expr::Concat(Vec::new()));
                *expr = Expr::Concat(vec![name, Expr::Optional(Box::new(tail.clone()))]);
            }
        }
    }
    let record = PolicyRecord::Rule(RulePerms::allow(MAY_EXEC));
    Ok(Some(Xmatch {
        rules: exprs.into_iter().map(|e| (e, record)).collect(),
        len,
    }))
}

/// The xattr names in the order the record lists them (reverse
/// declaration order, verified against 5.0.2 output).
pub fn xattr_names(profile: &Profile) -> Vec<String> {
    profile
        .xattrs
        .iter()
        .rev()
        .map(|x| x.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Xattr;

    fn named(name: &str) -> Profile {
        Profile {
            name: name.to_owned(),
            ..Profile::default()
        }
    }

    #[test]
    fn attachment_sources() {
        assert_eq!(attachment(&named("foo")), None);
        assert_eq!(
            attachment(&named("/usr/bin/foo")).as_deref(),
            Some("/usr/bin/foo")
        );
        assert_eq!(attachment(&named("/foo//**")).as_deref(), Some("**"));
        // 5.0.2 (change_hat/new_style4): `hat /a//HAT1 {` attaches to `HAT1`.
        let mut hat = named("/a//HAT1");
        hat.is_hat = true;
        assert_eq!(attachment(&hat).as_deref(), Some("HAT1"));
        let mut plain_hat = named("HAT1");
        plain_hat.is_hat = true;
        assert_eq!(attachment(&plain_hat), None);
        // A pattern name attaches even without a leading `/` (profile/re_ok3).
        assert_eq!(attachment(&named("a *")).as_deref(), Some("a *"));
        // Escaped glob characters are literal: no pattern, no attachment.
        assert_eq!(attachment(&named("a\\*")), None);
        assert_eq!(attachment(&named("a\\{b,c\\}")), None);
        assert_eq!(attachment(&named("a\\\\*")).as_deref(), Some("a\\\\*"));
        let mut explicit = named("dnsmasq");
        explicit.attachment = Some("/usr/{bin,sbin}/dnsmasq".to_owned());
        let xmatch = encode_xmatch(&explicit, &EncodeTarget::default())
            .unwrap()
            .unwrap();
        assert_eq!(xmatch.len, 16);
    }

    #[test]
    fn alias_names_attach_and_shorten_xmatch_len() {
        let mut profile = named("whoami");
        profile.attachment = Some("/{,usr/}bin/whoami".to_owned());
        profile.alt_names = vec!["/usr//bin/gnuwhoami".to_owned(), "/b/w".to_owned()];
        let xmatch = encode_xmatch(&profile, &EncodeTarget::default())
            .unwrap()
            .unwrap();
        let expr = |text| aare::convert(text, GlobStyle::Default).unwrap().expr;
        let rules: Vec<&Expr> = xmatch.rules.iter().map(|(e, _)| e).collect();
        assert_eq!(
            rules,
            [
                &expr("/{,usr/}bin/whoami"),
                &expr("/usr/bin/gnuwhoami"),
                &expr("/b/w")
            ]
        );
        assert_eq!(xmatch.len, 4);
    }

    #[test]
    fn xattrs_nest_in_reverse_declaration_order() {
        let mut profile = named("t");
        profile.attachment = Some("/usr/bin/*".to_owned());
        profile.xattrs = vec![
            Xattr {
                name: "user.foo".to_owned(),
                value: Some("bar*".to_owned()),
            },
            Xattr {
                name: "security.x".to_owned(),
                value: None,
            },
        ];
        let target = EncodeTarget {
            xattr_attach: true,
            out_of_band: true,
            ..EncodeTarget::default()
        };
        let xmatch = encode_xmatch(&profile, &target).unwrap().unwrap();
        let path = aare::convert("/usr/bin/*", GlobStyle::Default)
            .unwrap()
            .expr;
        let value = |text| aare::convert(text, GlobStyle::Null).unwrap().expr;
        // 4.1 tree: path (accept | oob \0 .* (accept | oob \0 bar[^/]*))
        let inner = Expr::Concat(vec![Expr::OutOfBand, Expr::Byte(0), value("bar*")]);
        let outer = Expr::Concat(vec![
            Expr::OutOfBand,
            Expr::Byte(0),
            value("**"),
            Expr::Optional(Box::new(inner)),
        ]);
        assert_eq!(
            xmatch.rules[0].0,
            Expr::Concat(vec![path, Expr::Optional(Box::new(outer))])
        );
        assert_eq!(xmatch.len, 10);
        assert_eq!(xattr_names(&profile), ["security.x", "user.foo"]);
    }
}
