//! Deciding one request against one profile record, as the kernel would:
//! walk the request's match string through the file DFA or the policy-DB
//! and read the state's entry (owner or other), or read the capability
//! words.

use super::access::{DfaKind, PdbView, file_names, policy_names};
use super::exec::{ExecTransition, exec_transition};
use super::explain::{RuleMatch, capability_rules, matching_rules};
use super::load::{LoadedPolicy, record_name};
use super::request::{Probe, Request};
use crate::blob::dump::mode_name;
use crate::blob::{Pdb, PermsEntry, ProfileRecord};
use crate::encode::bits::kernel;
use crate::encode::request::{CLASS_FILE, CLASS_MOUNT, CLASS_NETV8};
use crate::tables::read::START_STATE;
use serde::Serialize;
use thiserror::Error;

/// Why a query cannot be answered.
#[derive(Debug, Error)]
pub enum QueryError {
    #[error("no profile `{name}` in the policy (profiles: {})", known.join(", "))]
    NoProfile { name: String, known: Vec<String> },
    #[error("profile `{name}`: its {which} DFA is invalid: {message}")]
    BadDfa {
        name: String,
        which: &'static str,
        message: String,
    },
}

/// The kernel's verdict on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Deny,
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Decision::Allow => "allow",
            Decision::Deny => "deny",
        })
    }
}

/// The answer to one request.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub profile: String,
    pub request: Request,
    /// `allow` only when every wanted permission is granted; `deny` also
    /// when no rule grants it.
    pub decision: Decision,
    /// The wanted permissions granted and not granted.
    pub granted: Vec<String>,
    pub missing: Vec<String>,
    /// The request is logged when allowed (`audit` rules).
    pub audit: bool,
    /// A denial is not logged (deny rules are quiet unless `audit deny`).
    pub quiet: bool,
    /// A deny rule removes it (known from permission tables and from
    /// source; packed blobs keep only `quiet`).
    pub explicit_deny: bool,
    /// For an allowed `x`: the transition.
    pub exec: Option<ExecTransition>,
    /// For file requests: the decision for the other ownership (task owns
    /// the file vs not), when it differs.
    pub other_owner_decision: Option<Decision>,
    /// Profile mode (`enforce`, `complain`, …).
    pub mode: &'static str,
    /// The policy mediates the request's class (else the kernel allows it
    /// without looking at rules).
    pub mediated: bool,
    /// Caveats: unmediated class, complain mode, implied rules.
    pub notes: Vec<String>,
    /// From source: the rules that grant or deny the wanted permissions.
    pub rules: Option<Vec<RuleMatch>>,
}

fn names(probe: &Probe, bits: u32) -> Vec<String> {
    match probe.class {
        None => file_names(bits),
        Some(class) => policy_names(class, bits),
    }
}

fn view<'a>(
    name: &str,
    which: &'static str,
    pdb: &'a Pdb,
    kind: DfaKind,
) -> Result<PdbView<'a>, QueryError> {
    PdbView::new(pdb, kind).map_err(|e| QueryError::BadDfa {
        name: name.to_string(),
        which,
        message: e.to_string(),
    })
}

/// Answers `request` for profile `name` of `policy`.
pub fn query(policy: &LoadedPolicy, name: &str, request: &Request) -> Result<Answer, QueryError> {
    let record = policy.record(name).ok_or_else(|| QueryError::NoProfile {
        name: name.to_string(),
        known: policy.names(),
    })?;
    let mut answer = match request.probe() {
        None => capability(record, request),
        Some(probe) => probed(record, request, &probe)?,
    };
    answer.profile = record_name(record);
    if record.flags.mode == 1 {
        answer.notes.push(
            "the profile is in complain mode: the kernel allows and logs what the rules deny"
                .into(),
        );
    }
    if let (Some(profile), Some(source)) = (policy.profile(name), policy.source.as_ref()) {
        let rules = match (request, request.probe()) {
            (Request::Capability { name, number }, _) => {
                capability_rules(profile, name, *number, source.target.caps_as_sys_admin)
            }
            (_, Some(probe)) => matching_rules(profile, &source.target, &probe),
            _ => Vec::new(),
        };
        let deciding = || rules.iter().filter(|r| r.only_for.is_none());
        answer.explicit_deny |= deciding().any(|r| r.verdict == "deny");
        if answer.decision == Decision::Allow
            && answer.mediated
            && !deciding().any(|r| r.verdict != "deny")
        {
            answer.notes.push("granted by no rule of the profile itself: an implied rule (change_hat/change_profile access)".into());
        }
        answer.rules = Some(rules);
    }
    Ok(answer)
}

fn base(record: &ProfileRecord, request: &Request, decision: Decision) -> Answer {
    Answer {
        profile: String::new(),
        request: request.clone(),
        decision,
        granted: Vec::new(),
        missing: Vec::new(),
        audit: false,
        quiet: false,
        explicit_deny: false,
        exec: None,
        other_owner_decision: None,
        mode: mode_name(record.flags.mode),
        mediated: true,
        notes: Vec::new(),
        rules: None,
    }
}

fn capability(record: &ProfileRecord, request: &Request) -> Answer {
    let Request::Capability { name, number } = request else {
        unreachable!("only capability requests have no probe")
    };
    let bit = 1u64 << number;
    let caps = &record.caps;
    let allowed = caps.allow & bit != 0;
    let mut answer = base(
        record,
        request,
        if allowed {
            Decision::Allow
        } else {
            Decision::Deny
        },
    );
    let list = if allowed {
        &mut answer.granted
    } else {
        &mut answer.missing
    };
    list.push(name.clone());
    answer.audit = caps.audit & bit != 0;
    answer.quiet = caps.quiet & bit != 0;
    answer
}

/// The entry the kernel decides with, or why there is none.
enum Found {
    Entries([PermsEntry; 2], Option<Vec<Vec<u8>>>),
    Unmediated(&'static str),
}

fn probed(record: &ProfileRecord, request: &Request, probe: &Probe) -> Result<Answer, QueryError> {
    let name = record_name(record);
    let found = match probe.kind {
        DfaKind::File => match (&record.file, &record.policydb) {
            (Some(pdb), _) => {
                let v = view(&name, "file", pdb, DfaKind::File)?;
                let state = v.run(START_STATE, &probe.bytes);
                Found::Entries(v.access(state), pdb.xtable.clone())
            }
            // Without a file DFA the kernel matches files in the policy-DB
            // after the file class byte (§2.9).
            (None, Some(pdb)) => {
                let v = view(&name, "policydb", pdb, DfaKind::File)?;
                let start = v.run(START_STATE, &[CLASS_FILE]);
                let state = v.run(start, &probe.bytes);
                Found::Entries(v.access(state), pdb.xtable.clone())
            }
            (None, None) => Found::Entries([PermsEntry::default(); 2], None),
        },
        DfaKind::Policy => policy_entry(record, probe, &name)?,
    };
    let (entries, xtable) = match found {
        Found::Entries(entries, xtable) => (entries, xtable),
        Found::Unmediated(why) => {
            let mut answer = base(record, request, Decision::Allow);
            answer.granted = names(probe, probe.wanted);
            answer.mediated = false;
            answer.notes.push(why.to_string());
            return Ok(answer);
        }
    };
    let pick = |owner: bool| entries[if owner { 0 } else { 1 }];
    let entry = pick(probe.owner);
    let decide = |e: &PermsEntry| {
        if e.allow & probe.wanted == probe.wanted {
            Decision::Allow
        } else {
            Decision::Deny
        }
    };
    let mut answer = base(record, request, decide(&entry));
    answer.granted = names(probe, entry.allow & probe.wanted);
    answer.missing = names(probe, probe.wanted & !entry.allow);
    answer.audit = entry.audit & probe.wanted != 0;
    answer.quiet = entry.quiet & probe.wanted != 0;
    answer.explicit_deny = entry.deny & probe.wanted != 0;
    if probe.kind == DfaKind::Policy
        && entry.allow & kernel::CONT_MATCH != 0
        && answer.decision == Decision::Deny
    {
        answer.notes.push(if probe.class == Some(CLASS_MOUNT) {
            "the policy decides this mount on its data (mount options given as \
             `options=` strings), which query does not model"
                .into()
        } else {
            "the policy decides this access on further fields (protocol, addresses: \
             fine-grained inet), which query does not model; the answer is for the \
             socket-type level only"
                .into()
        });
    }
    if let Request::Mount {
        source,
        fstype,
        flags,
        ..
    } = request
    {
        let call = super::mount::call_name(*flags);
        let dropped = match crate::encode::request::mount_call(*flags) {
            crate::encode::request::MountCall::Remount
            | crate::encode::request::MountCall::ChangeType => {
                !source.is_empty() || !fstype.is_empty()
            }
            crate::encode::request::MountCall::New => false,
            _ => !fstype.is_empty(),
        };
        answer.notes.push(format!(
            "the flags make this a {call}{}",
            if dropped {
                "; the kernel does not match the source or fstype such a call gets"
            } else {
                ""
            }
        ));
    }
    if probe.kind == DfaKind::File {
        let other = decide(&pick(!probe.owner));
        answer.other_owner_decision = (other != answer.decision).then_some(other);
        if entry.allow & probe.wanted & 0x1 != 0 {
            answer.exec = exec_transition(entry.xindex, |i| {
                xtable.as_ref().and_then(|t| t.get(i).cloned())
            });
        }
    }
    Ok(answer)
}

/// The policy-DB entry for a probe, the old `net_allowed_af` table for
/// network requests on kernels without network_v8, or "unmediated" when
/// the policy does not mediate the class (the kernel then allows).
fn policy_entry(record: &ProfileRecord, probe: &Probe, name: &str) -> Result<Found, QueryError> {
    let class = probe.class.unwrap_or(0);
    let view = match &record.policydb {
        Some(pdb) => Some(view(name, "policydb", pdb, DfaKind::Policy)?),
        None => None,
    };
    let class_state = view.as_ref().map_or(0, |v| v.run(START_STATE, &[class]));
    if class_state == 0 {
        if class == CLASS_NETV8
            && let Some(table) = &record.net_allowed_af
        {
            let family = u16::from_be_bytes([probe.bytes[1], probe.bytes[2]]) as usize;
            let sock_type = u16::from_be_bytes([probe.bytes[3], probe.bytes[4]]);
            let [allow, audit, quiet] = table.get(family).copied().unwrap_or_default();
            let bit = 1u16.checked_shl(u32::from(sock_type)).unwrap_or(0);
            let all = |mask: u16| if mask & bit != 0 { probe.wanted } else { 0 };
            let entry = PermsEntry {
                allow: all(allow),
                audit: all(audit),
                quiet: all(quiet),
                ..PermsEntry::default()
            };
            return Ok(Found::Entries([entry; 2], None));
        }
        return Ok(Found::Unmediated(
            "the policy does not mediate this class (no class entry in its policy-DB): the kernel allows it",
        ));
    }
    let view = view.expect("a non-trap class state implies a policy-DB");
    let state = view.run(START_STATE, &probe.bytes);
    Ok(Found::Entries(view.access(state), view.pdb.xtable.clone()))
}
