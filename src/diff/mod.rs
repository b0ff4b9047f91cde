//! `aaprof diff`: the semantic difference between two policies (sources or
//! blobs), per profile and class: what the new one allows that the old did
//! not and the reverse, each with the shortest example input and, from
//! source, the rules responsible on each side.
//!
//! DFAs are compared by a lockstep walk ([`dfa`]), so policies that differ
//! only in bytes (numbering, packing, table order, xtable order) are
//! equivalent. Permissions are read in the kernel's bits through
//! [`crate::query::access`], so packed and table formats compare alike.

pub mod describe;
pub mod dfa;
mod fields;
mod record_fields;
pub mod report;
mod triage;

use crate::blob::ProfileRecord;
use crate::blob::dump::escape;
use crate::encode::EncodeTarget;
use crate::model::Profile;
use crate::query::access::{DfaKind, PdbView, file_names, policy_names};
use crate::query::explain::{RuleMatch, matching_rules};
use crate::query::{LoadedPolicy, Probe};
use crate::tables::read::START_STATE;
use dfa::{Change, Whom, dfa_findings};
use serde::Serialize;
pub use triage::{DfaVerdict, compare_records};

/// One difference of one profile.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `file`, `network`, `signal`, `capability`, `attachment`, `flags`, …
    pub class: String,
    pub change: Change,
    pub whom: Whom,
    /// Permission names concerned.
    pub perms: Vec<String>,
    /// The shortest example (a path, a request, a capability name).
    pub example: String,
    pub detail: Option<String>,
    /// From source: the rules matching the example in each policy.
    pub old_rules: Option<Vec<RuleMatch>>,
    pub new_rules: Option<Vec<RuleMatch>>,
}

/// The differences of one profile present in both policies.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileDiff {
    pub name: String,
    pub findings: Vec<Finding>,
    /// Changes met after a walk had kept its [`dfa::MAX_FINDINGS`]
    /// examples (counted per state, so repeats count again).
    pub unlisted: usize,
}

/// Everything that differs between two policies.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDiff {
    pub only_old: Vec<String>,
    pub only_new: Vec<String>,
    /// Profiles in both, with at least one difference.
    pub profiles: Vec<ProfileDiff>,
    /// Errors that kept a profile from being compared (invalid DFA).
    pub errors: Vec<String>,
}

impl PolicyDiff {
    /// No difference at all: same profiles granting the same everywhere.
    pub fn is_equivalent(&self) -> bool {
        self.only_old.is_empty()
            && self.only_new.is_empty()
            && self.profiles.is_empty()
            && self.errors.is_empty()
    }
}

/// One side of a profile comparison.
struct Side<'a> {
    record: &'a ProfileRecord,
    source: Option<(&'a Profile, &'a EncodeTarget)>,
}

impl Side<'_> {
    fn rules(&self, probe: &Probe) -> Option<Vec<RuleMatch>> {
        self.source
            .map(|(profile, target)| matching_rules(profile, target, probe))
    }
}

/// Compares every profile of `old` and `new` by name.
pub fn diff_policies(old: &LoadedPolicy, new: &LoadedPolicy) -> PolicyDiff {
    let (old_names, new_names) = (old.names(), new.names());
    let mut diff = PolicyDiff {
        only_old: old_names
            .iter()
            .filter(|n| !new_names.contains(n))
            .cloned()
            .collect(),
        only_new: new_names
            .iter()
            .filter(|n| !old_names.contains(n))
            .cloned()
            .collect(),
        profiles: Vec::new(),
        errors: Vec::new(),
    };
    for name in old_names.iter().filter(|n| new_names.contains(n)) {
        let (Some((ro, so)), Some((rn, sn))) = (side(old, name), side(new, name)) else {
            continue;
        };
        let (o, n) = (
            Side {
                record: ro,
                source: so,
            },
            Side {
                record: rn,
                source: sn,
            },
        );
        match diff_profile(name, &o, &n) {
            Ok(profile) if profile.findings.is_empty() && profile.unlisted == 0 => {}
            Ok(profile) => diff.profiles.push(profile),
            Err(e) => diff.errors.push(format!("profile {name}: {e}")),
        }
    }
    diff
}

/// Permission names, or the bits in hex when none of them has a name
/// (derived kernel bits such as getattr/open).
fn named_or_hex(names: Vec<String>, bits: u32) -> Vec<String> {
    if names.is_empty() && bits != 0 {
        vec![format!("{bits:#x}")]
    } else {
        names
    }
}

/// A profile's record and, from source, its model and target.
type SideParts<'a> = (&'a ProfileRecord, Option<(&'a Profile, &'a EncodeTarget)>);

fn side<'a>(policy: &'a LoadedPolicy, name: &str) -> Option<SideParts<'a>> {
    let record = policy.record(name)?;
    let source = policy
        .profile(name)
        .zip(policy.source.as_ref().map(|s| &s.target));
    Some((record, source))
}

fn views<'a>(
    old: Option<&'a crate::blob::Pdb>,
    new: Option<&'a crate::blob::Pdb>,
    kind: DfaKind,
) -> Result<(Option<PdbView<'a>>, Option<PdbView<'a>>), String> {
    let parse = |pdb: Option<&'a crate::blob::Pdb>| {
        pdb.map(|p| PdbView::new(p, kind))
            .transpose()
            .map_err(|e| e.to_string())
    };
    Ok((parse(old)?, parse(new)?))
}

fn diff_profile(name: &str, old: &Side<'_>, new: &Side<'_>) -> Result<ProfileDiff, String> {
    let mut out = ProfileDiff {
        name: name.to_string(),
        findings: fields::field_findings(old.record, new.record, old.source, new.source),
        unlisted: 0,
    };
    // File DFA.
    let (fo, fnew) = views(
        old.record.file.as_ref(),
        new.record.file.as_ref(),
        DfaKind::File,
    )?;
    if fo.is_some() || fnew.is_some() {
        let (found, more) = dfa_findings(
            fo.as_ref(),
            fnew.as_ref(),
            (START_STATE, START_STATE),
            DfaKind::File,
        );
        out.unlisted += more;
        for f in found {
            let probe = Probe {
                kind: DfaKind::File,
                bytes: f.input.clone(),
                wanted: if f.bits == 0 { u32::MAX } else { f.bits },
                owner: f.whom == Whom::Owner,
                class: None,
            };
            out.findings.push(Finding {
                class: "file".into(),
                change: f.change,
                whom: f.whom,
                perms: named_or_hex(file_names(f.bits), f.bits),
                example: escape(&f.input),
                detail: f.detail,
                old_rules: old.rules(&probe),
                new_rules: new.rules(&probe),
            });
        }
    }
    // Policy-DB, class by class.
    let (po, pn) = views(
        old.record.policydb.as_ref(),
        new.record.policydb.as_ref(),
        DfaKind::Policy,
    )?;
    if po.is_some() || pn.is_some() {
        let at =
            |v: &Option<PdbView<'_>>, c: u8| v.as_ref().map_or(0, |v| v.run(START_STATE, &[c]));
        for class in 0..=255u8 {
            let start = (at(&po, class), at(&pn, class));
            if start == (0, 0) {
                continue;
            }
            // The class entry itself (mediation) first, then what follows.
            let (found, more) = dfa_findings(po.as_ref(), pn.as_ref(), start, DfaKind::Policy);
            out.unlisted += more;
            for f in found {
                let mut input = vec![class];
                input.extend(&f.input);
                let probe = Probe {
                    kind: DfaKind::Policy,
                    bytes: input.clone(),
                    wanted: if f.bits == 0 { u32::MAX } else { f.bits },
                    owner: false,
                    class: Some(class),
                };
                out.findings.push(Finding {
                    class: describe::class_name(class),
                    change: f.change,
                    whom: f.whom,
                    perms: if f.input.is_empty() && f.bits == crate::encode::bits::MAY_READ {
                        // The class entry's read bit is the "mediates" marker (§5.3).
                        vec!["mediation".to_string()]
                    } else {
                        named_or_hex(policy_names(class, f.bits), f.bits)
                    },
                    example: describe::describe_policy(&input),
                    detail: f.detail,
                    old_rules: old.rules(&probe),
                    new_rules: new.rules(&probe),
                });
            }
        }
    }
    // Attachment.
    let xo = old.record.xmatch.as_ref().map(|x| &x.pdb);
    let xn = new.record.xmatch.as_ref().map(|x| &x.pdb);
    let (ao, an) = views(xo, xn, DfaKind::Policy)?;
    if ao.is_some() || an.is_some() {
        let (found, more) = dfa_findings(
            ao.as_ref(),
            an.as_ref(),
            (START_STATE, START_STATE),
            DfaKind::Policy,
        );
        out.unlisted += more;
        for f in found {
            out.findings.push(Finding {
                class: "attachment".into(),
                change: f.change,
                whom: f.whom,
                perms: Vec::new(),
                example: escape(&f.input),
                detail: f.detail,
                old_rules: None,
                new_rules: None,
            });
        }
    }
    Ok(out)
}
