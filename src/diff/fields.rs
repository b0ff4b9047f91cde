//! Differences outside the DFAs: capabilities (one finding per
//! capability), the legacy network table (per family and socket type) and
//! every other record field (flags, rlimits, …) as a readable old/new
//! pair ([`super::record_fields`]).

use super::Finding;
use super::dfa::{Change, Whom};
use super::record_fields::{
    capabilities_text, flags_text, net_table_findings, path_flags_text, rlimits_text, signal_text,
    string_text, strings_text,
};
use crate::blob::ProfileRecord;
use crate::encode::EncodeTarget;
use crate::model::{CAPABILITY_NAMES, Profile};
use crate::query::explain::capability_rules;

fn capability_name(n: u32) -> String {
    CAPABILITY_NAMES
        .get(n as usize)
        .map_or_else(|| format!("capability {n}"), |s| s.to_string())
}

fn finding(class: &str, change: Change, example: String, detail: Option<String>) -> Finding {
    Finding {
        class: class.into(),
        change,
        whom: Whom::Everyone,
        perms: Vec::new(),
        example,
        detail,
        old_rules: None,
        new_rules: None,
    }
}

/// Capability and field findings of one profile.
pub fn field_findings(
    old: &ProfileRecord,
    new: &ProfileRecord,
    old_source: Option<(&Profile, &EncodeTarget)>,
    new_source: Option<(&Profile, &EncodeTarget)>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let (co, cn) = (&old.caps, &new.caps);
    for n in 0..64u32 {
        let bit = 1u64 << n;
        let change = match (co.allow & bit != 0, cn.allow & bit != 0) {
            (false, true) => Change::Allows,
            (true, false) => Change::Revokes,
            _ if (co.audit ^ cn.audit | co.quiet ^ cn.quiet) & bit != 0 => Change::Logging,
            _ => continue,
        };
        let name = capability_name(n);
        let mut f = finding("capability", change, format!("capability {name}"), None);
        f.perms = vec![name.clone()];
        let rules =
            |(p, t): (&Profile, &EncodeTarget)| capability_rules(p, &name, n, t.caps_as_sys_admin);
        f.old_rules = old_source.map(rules);
        f.new_rules = new_source.map(rules);
        out.push(f);
    }
    let mut field = |name: &str, o: String, n: String| {
        if o != n {
            out.push(finding(
                name,
                Change::Other,
                name.to_string(),
                Some(format!("{o} became {n}")),
            ));
        }
    };
    field(
        "mode",
        crate::blob::dump::mode_name(old.flags.mode).into(),
        crate::blob::dump::mode_name(new.flags.mode).into(),
    );
    field("flags", flags_text(&old.flags), flags_text(&new.flags));
    field(
        "path_flags",
        path_flags_text(old.path_flags),
        path_flags_text(new.path_flags),
    );
    field(
        "rlimits",
        rlimits_text(&old.rlimits),
        rlimits_text(&new.rlimits),
    );
    field(
        "xattrs",
        strings_text(&old.xattrs),
        strings_text(&new.xattrs),
    );
    field(
        "disconnected",
        string_text(&old.disconnected),
        string_text(&new.disconnected),
    );
    field(
        "disconnected_ipc",
        string_text(&old.disconnected_ipc),
        string_text(&new.disconnected_ipc),
    );
    field("kill", signal_text(old.kill), signal_text(new.kill));
    let errno = |e: Option<u32>| e.map_or_else(|| "none".to_string(), |n| format!("errno {n}"));
    field("error", errno(old.error), errno(new.error));
    let capsx = |c: Option<(u32, u32)>| {
        c.map_or_else(
            || "none".to_string(),
            |(low, high)| capabilities_text(u64::from(low) | u64::from(high) << 32),
        )
    };
    field("capsx", capsx(old.capsx), capsx(new.capsx));
    let xmatch_len = |x: Option<u32>| x.map_or_else(|| "none".to_string(), |n| n.to_string());
    field(
        "xmatch_len",
        xmatch_len(old.xmatch.as_ref().map(|x| x.len)),
        xmatch_len(new.xmatch.as_ref().map(|x| x.len)),
    );
    out.extend(net_table_findings(&old.net_allowed_af, &new.net_allowed_af));
    out
}
