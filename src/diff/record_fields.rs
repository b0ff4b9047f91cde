//! Readable forms of the record fields outside the DFAs, for `diff`: the
//! legacy network table as families, types and access kinds, flags and
//! path flags by name, rlimits as `name=value`, signals and capabilities
//! by name. Never a raw array.

use super::Finding;
use super::dfa::{Change, Whom};
use crate::blob::dump::escape;
use crate::blob::{RecordFlags, Rlimits};
use crate::encode::{
    FLAG_DEBUG1, FLAG_HAT, FLAG_INTERRUPTIBLE, PATH_CHROOT_NSCONNECT, PATH_CHROOT_REL,
    PATH_CONNECT_IPC, PATH_CONNECT_PATH, PATH_MEDIATE_DELETED, family_name, rlimit_name, type_name,
};
use crate::model::{CAPABILITY_NAMES, signal_name};

/// Names of the set bits of `word` from `names`, then any other set bit
/// in hex; `none` when no bit is set.
fn bit_names(word: u32, names: &[(u32, &str)]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut rest = word;
    for &(bit, name) in names {
        if word & bit != 0 {
            out.push(name.to_string());
            rest &= !bit;
        }
    }
    if rest != 0 {
        out.push(format!("{rest:#x}"));
    }
    if out.is_empty() {
        "none".into()
    } else {
        out.join(", ")
    }
}

/// The flags word, the audit flag (the mode is its own field).
pub fn flags_text(flags: &RecordFlags) -> String {
    let mut text = bit_names(
        flags.flags,
        &[
            (FLAG_HAT, "hat"),
            (FLAG_DEBUG1, "debug"),
            (FLAG_INTERRUPTIBLE, "interruptible"),
        ],
    );
    if flags.audit != 0 {
        text = match text.as_str() {
            "none" => "audit".into(),
            _ => format!("{text}, audit"),
        };
    }
    text
}

/// `path_flags`: absent is the kernel's default.
pub fn path_flags_text(path_flags: Option<u32>) -> String {
    match path_flags {
        None => "default".into(),
        Some(word) => bit_names(
            word,
            &[
                (PATH_CONNECT_PATH, "connect_path"),
                (PATH_CHROOT_REL, "chroot_relative"),
                (PATH_CHROOT_NSCONNECT, "chroot_nsconnect"),
                (PATH_CONNECT_IPC, "connect_ipc"),
                (PATH_MEDIATE_DELETED, "mediate_deleted"),
            ],
        ),
    }
}

/// Set limits as `name=value`, in rlimit order.
pub fn rlimits_text(rlimits: &Option<Rlimits>) -> String {
    let Some(r) = rlimits else {
        return "none".into();
    };
    let set: Vec<String> = (0..32usize)
        .filter(|i| r.mask & (1 << i) != 0)
        .map(|i| {
            let name = rlimit_name(i).map_or_else(|| format!("rlimit{i}"), str::to_string);
            let value = r.values.get(i).copied().unwrap_or(0);
            format!("{name}={value}")
        })
        .collect();
    if set.is_empty() {
        "none".into()
    } else {
        set.join(" ")
    }
}

/// A signal by name (`kill.signal=`).
pub fn signal_text(signal: Option<u32>) -> String {
    match signal {
        None => "none".into(),
        Some(n) => u8::try_from(n)
            .ok()
            .and_then(signal_name)
            .unwrap_or_else(|| format!("signal {n}")),
    }
}

/// The capabilities of a 64-bit mask, by name.
pub fn capabilities_text(mask: u64) -> String {
    let names: Vec<String> = (0..64usize)
        .filter(|n| mask & (1 << n) != 0)
        .map(|n| {
            CAPABILITY_NAMES
                .get(n)
                .map_or_else(|| format!("capability{n}"), |s| s.to_string())
        })
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(" ")
    }
}

/// A list of byte strings, quoted and escaped.
pub fn strings_text(list: &Option<Vec<Vec<u8>>>) -> String {
    match list {
        None => "none".into(),
        Some(items) => items
            .iter()
            .map(|s| format!("\"{}\"", escape(s)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// An optional byte string, quoted and escaped.
pub fn string_text(value: &Option<Vec<u8>>) -> String {
    value
        .as_ref()
        .map_or_else(|| "none".into(), |s| format!("\"{}\"", escape(s)))
}

fn family_text(family: usize) -> String {
    u16::try_from(family)
        .ok()
        .and_then(family_name)
        .map_or_else(|| format!("family{family}"), str::to_string)
}

/// The socket types of a mask, by name.
fn types_text(mask: u16) -> Vec<String> {
    (0..16u16)
        .filter(|t| mask & (1 << t) != 0)
        .map(|t| type_name(t).map_or_else(|| format!("type{t}"), str::to_string))
        .collect()
}

const CLASS: &str = "network (old table)";

fn net_finding(change: Change, family: usize, types: u16, detail: Option<String>) -> Finding {
    // Every bit (a rule naming no type) reads as the family alone.
    let (names, example) = if types == u16::MAX {
        (
            vec!["any type".to_string()],
            format!("network {}", family_text(family)),
        )
    } else {
        let names = types_text(types);
        let example = format!("network {} {}", family_text(family), names[0]);
        (names, example)
    };
    Finding {
        class: CLASS.into(),
        change,
        whom: Whom::Everyone,
        example,
        perms: names,
        detail,
        old_rules: None,
        new_rules: None,
    }
}

/// The `net_allowed_af` differences: per family, the socket types the new
/// table allows that the old did not, those it no longer allows, and
/// those whose audit or quiet bit changed. A table present on one side
/// only is said so first (an absent table reads as all zero).
pub fn net_table_findings(
    old: &Option<Vec<[u16; 3]>>,
    new: &Option<Vec<[u16; 3]>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if old.is_some() != new.is_some() {
        let side = |t: &Option<Vec<[u16; 3]>>| match t {
            Some(rows) => format!("present ({} families)", rows.len()),
            None => "absent".to_string(),
        };
        out.push(Finding {
            class: CLASS.into(),
            change: Change::Other,
            whom: Whom::Everyone,
            perms: Vec::new(),
            example: "the table".into(),
            detail: Some(format!("{} became {}", side(old), side(new))),
            old_rules: None,
            new_rules: None,
        });
    }
    let rows = |t: &Option<Vec<[u16; 3]>>| t.clone().unwrap_or_default();
    let (old_rows, new_rows) = (rows(old), rows(new));
    for family in 0..old_rows.len().max(new_rows.len()) {
        let o = old_rows.get(family).copied().unwrap_or_default();
        let n = new_rows.get(family).copied().unwrap_or_default();
        if o == n {
            continue;
        }
        let gained = n[0] & !o[0];
        let lost = o[0] & !n[0];
        if gained != 0 {
            out.push(net_finding(Change::Allows, family, gained, None));
        }
        if lost != 0 {
            out.push(net_finding(Change::Revokes, family, lost, None));
        }
        let logging = (o[1] ^ n[1]) | (o[2] ^ n[2]);
        if logging != 0 {
            let column = |i: usize, name: &str| {
                let list = |m: u16| {
                    let names = types_text(m);
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(" ")
                    }
                };
                (o[i] != n[i]).then(|| format!("{name} {} became {}", list(o[i]), list(n[i])))
            };
            let detail: Vec<String> = [column(1, "audit"), column(2, "quiet")]
                .into_iter()
                .flatten()
                .collect();
            out.push(net_finding(
                Change::Logging,
                family,
                logging,
                Some(detail.join("; ")),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_changes_are_named_families_and_types() {
        let mut old = vec![[0u16; 3]; 46];
        let mut new = old.clone();
        old[2] = [0x2, 0, 0]; // inet stream
        new[2] = [0x4, 0, 0x4]; // inet dgram, quiet dgram
        new[10] = [0x43e, 0, 0];
        let findings = net_table_findings(&Some(old), &Some(new));
        let heads: Vec<(Change, &str, Vec<String>)> = findings
            .iter()
            .map(|f| (f.change, f.example.as_str(), f.perms.clone()))
            .collect();
        assert_eq!(
            heads[0],
            (Change::Allows, "network inet dgram", vec!["dgram".into()])
        );
        assert_eq!(
            heads[1],
            (
                Change::Revokes,
                "network inet stream",
                vec!["stream".into()]
            )
        );
        assert_eq!(heads[2].0, Change::Logging);
        assert_eq!(
            findings[2].detail.as_deref(),
            Some("quiet none became dgram")
        );
        assert_eq!(heads[3].1, "network inet6 stream");
        assert_eq!(heads[3].2.len(), 6);
    }

    #[test]
    fn absent_table_is_reported_then_read_as_zero() {
        let mut new = vec![[0u16; 3]; 46];
        new[1] = [0xffff, 0, 0];
        let findings = net_table_findings(&None, &Some(new));
        assert_eq!(
            findings[0].detail.as_deref(),
            Some("absent became present (46 families)")
        );
        assert_eq!(findings[1].example, "network unix");
        assert_eq!(findings[1].perms, ["any type"]);
    }

    #[test]
    fn fields_by_name() {
        let flags = RecordFlags {
            flags: FLAG_HAT | FLAG_INTERRUPTIBLE,
            mode: 1,
            audit: 1,
        };
        assert_eq!(flags_text(&flags), "hat, interruptible, audit");
        assert_eq!(flags_text(&RecordFlags::default()), "none");
        assert_eq!(
            path_flags_text(Some(PATH_CONNECT_PATH | PATH_MEDIATE_DELETED | 0x100)),
            "connect_path, mediate_deleted, 0x100"
        );
        let r = Rlimits {
            mask: 1 << 7,
            values: vec![0, 0, 0, 0, 0, 0, 0, 10],
        };
        assert_eq!(rlimits_text(&Some(r)), "nofile=10");
        assert_eq!(signal_text(Some(9)), "kill");
        assert_eq!(capabilities_text(1 << 21 | 1 << 39), "sys_admin bpf");
    }
}
