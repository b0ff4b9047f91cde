//! Differences outside the DFAs: capabilities (one finding per
//! capability) and every other record field (flags, rlimits, …) as an
//! old/new pair.

use super::Finding;
use super::dfa::{Change, Whom};
use crate::blob::ProfileRecord;
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
    old_source: Option<&Profile>,
    new_source: Option<&Profile>,
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
        f.old_rules = old_source.map(|p| capability_rules(p, &name, n));
        f.new_rules = new_source.map(|p| capability_rules(p, &name, n));
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
    field(
        "flags",
        format!("{:?}", old.flags),
        format!("{:?}", new.flags),
    );
    field(
        "path_flags",
        format!("{:?}", old.path_flags),
        format!("{:?}", new.path_flags),
    );
    field(
        "rlimits",
        format!("{:?}", old.rlimits),
        format!("{:?}", new.rlimits),
    );
    field(
        "xattrs",
        format!("{:?}", old.xattrs),
        format!("{:?}", new.xattrs),
    );
    field(
        "network (old table)",
        format!("{:?}", old.net_allowed_af),
        format!("{:?}", new.net_allowed_af),
    );
    field(
        "disconnected",
        format!("{:?}", old.disconnected),
        format!("{:?}", new.disconnected),
    );
    field("kill", format!("{:?}", old.kill), format!("{:?}", new.kill));
    field(
        "error",
        format!("{:?}", old.error),
        format!("{:?}", new.error),
    );
    field(
        "capsx",
        format!("{:?}", old.capsx),
        format!("{:?}", new.capsx),
    );
    field(
        "xmatch_len",
        format!("{:?}", old.xmatch.as_ref().map(|x| x.len)),
        format!("{:?}", new.xmatch.as_ref().map(|x| x.len)),
    );
    out
}
