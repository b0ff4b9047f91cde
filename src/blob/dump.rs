//! A readable view of a blob for `aaprof dump`: every record field, DFA
//! statistics, perms tables, xtables and optionally every DFA state. The
//! same view is rendered as text ([`BlobDump::to_text`]) or JSON (serde).

use super::decode::read_record_spans;
use super::error::ReadError;
use super::packed::describe_file_accept;
use super::record::{Caps, Pdb, PermsTable, ProfileRecord, RecordFlags, Rlimits};
use super::verify::{PdbKind, verify_pdb};
use crate::tables::read::{DfaTables, TableInfo};
use serde::Serialize;

/// Text with non-printable bytes escaped (`\x00`, `\\`, `\"`), so names
/// with embedded NULs or invalid UTF-8 stay readable and unambiguous.
pub fn escape(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

fn escaped(bytes: &Option<Vec<u8>>) -> Option<String> {
    bytes.as_deref().map(escape)
}

fn escaped_list(list: &Option<Vec<Vec<u8>>>) -> Option<Vec<String>> {
    list.as_ref()
        .map(|items| items.iter().map(|b| escape(b)).collect())
}

/// A whole blob.
#[derive(Debug, Clone, Serialize)]
pub struct BlobDump {
    pub size: usize,
    pub records: Vec<RecordDump>,
}

/// The version word split into its fields (§1.5).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct VersionDump {
    pub word: u32,
    pub kabi: u32,
    pub force_complain: bool,
    pub parser_abi: u32,
    pub policy_version: u32,
}

impl VersionDump {
    fn new(word: u32) -> Self {
        VersionDump {
            word,
            kabi: word & 0x3ff,
            force_complain: word & (1 << 11) != 0,
            parser_abi: (word >> 12) & 0xff,
            policy_version: (word >> 20) & 0xff,
        }
    }
}

/// One record; text fields escaped, absent optional fields `None`.
#[derive(Debug, Clone, Serialize)]
pub struct RecordDump {
    pub offset: usize,
    pub size: usize,
    pub version: VersionDump,
    pub namespace: Option<String>,
    pub name: String,
    pub rename: Option<String>,
    pub attach: Option<String>,
    pub xmatch: Option<PdbDump>,
    pub xmatch_len: Option<u32>,
    pub disconnected: Option<String>,
    pub disconnected_ipc: Option<String>,
    pub kill: Option<u32>,
    pub error: Option<u32>,
    pub flags: RecordFlags,
    pub mode: &'static str,
    pub path_flags: Option<u32>,
    pub caps: Caps,
    pub capsx: Option<(u32, u32)>,
    pub identity: Option<Vec<String>>,
    pub xattrs: Option<Vec<String>>,
    pub rlimits: Option<Rlimits>,
    pub secmark: Option<Vec<(u8, u8, String)>>,
    pub net_allowed_af: Option<Vec<[u16; 3]>>,
    pub policydb: Option<PdbDump>,
    pub file: Option<PdbDump>,
    /// `data` entries: key and value bytes, escaped.
    pub data: Option<Vec<(String, String)>>,
}

/// A pdb: its perms table, xtable and DFA.
#[derive(Debug, Clone, Serialize)]
pub struct PdbDump {
    pub perms: Option<PermsTable>,
    pub permsv: Option<u32>,
    pub start: Option<u32>,
    pub dfa_start: Option<u32>,
    pub xtable: Option<Vec<String>>,
    /// Why the kernel would reject the perms table or xtable given this
    /// DFA (dangling ACCEPT or x-index, inconsistent entry).
    pub error: Option<String>,
    pub dfa: DfaDump,
}

/// DFA statistics, and with `--states` every state.
#[derive(Debug, Clone, Serialize)]
pub struct DfaDump {
    pub bytes: usize,
    /// Why the kernel would reject this DFA; the statistics are then absent.
    pub error: Option<String>,
    pub flags: u16,
    pub declared_size: u32,
    pub states: usize,
    pub slots: usize,
    pub explicit_transitions: usize,
    pub accepting_states: usize,
    pub state_width: u16,
    pub tables: Vec<TableInfo>,
    pub state_list: Option<Vec<StateDump>>,
}

/// One DFA state.
#[derive(Debug, Clone, Serialize)]
pub struct StateDump {
    pub state: u32,
    pub accept: u32,
    pub accept2: Option<u32>,
    pub default: u32,
    pub diff_encoded: bool,
    pub oob: Option<u32>,
    /// Explicit transitions grouped into runs of consecutive symbols with
    /// the same target: (first symbol, last symbol, target).
    pub transitions: Vec<(u8, u8, u32)>,
    /// True if the symbols are equivalence classes (EQUIV table present).
    pub classes: bool,
    /// The accept words read as packed file permissions (file DFAs in the
    /// packed format, accepting states only).
    pub meaning: Option<String>,
}

/// Profile mode names for the packed mode value (§2.4).
pub fn mode_name(mode: u32) -> &'static str {
    match mode {
        0 => "enforce",
        1 => "complain",
        2 => "kill",
        3 => "unconfined",
        4 => "user",
        _ => "unknown",
    }
}

impl BlobDump {
    /// Decodes a blob. Stream-level problems are errors; a DFA that fails
    /// verification is reported inside its [`DfaDump`] (see
    /// [`BlobDump::dfa_errors`]) so the rest still shows.
    pub fn new(data: &[u8], with_states: bool) -> Result<BlobDump, ReadError> {
        let records = read_record_spans(data)?
            .into_iter()
            .map(|(span, record)| RecordDump::new(span.start, span.len(), &record, with_states))
            .collect();
        Ok(BlobDump {
            size: data.len(),
            records,
        })
    }

    /// Every DFA verification error, with where it is.
    pub fn dfa_errors(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, record) in self.records.iter().enumerate() {
            for (what, pdb) in [
                ("xmatch", &record.xmatch),
                ("policydb", &record.policydb),
                ("file", &record.file),
            ] {
                let Some(pdb) = pdb else { continue };
                if let Some(error) = &pdb.dfa.error {
                    out.push(format!("record {i} ({}) {what} DFA: {error}", record.name));
                }
                if let Some(error) = &pdb.error {
                    out.push(format!("record {i} ({}) {what}: {error}", record.name));
                }
            }
        }
        out
    }
}

impl RecordDump {
    fn new(offset: usize, size: usize, r: &ProfileRecord, with_states: bool) -> Self {
        let pdb = |p: &Pdb, kind| PdbDump::new(p, kind, with_states);
        RecordDump {
            offset,
            size,
            version: VersionDump::new(r.version),
            namespace: escaped(&r.namespace),
            name: escape(&r.name),
            rename: escaped(&r.rename),
            attach: escaped(&r.attach),
            xmatch: r.xmatch.as_ref().map(|x| pdb(&x.pdb, PdbKind::Xmatch)),
            xmatch_len: r.xmatch.as_ref().map(|x| x.len),
            disconnected: escaped(&r.disconnected),
            disconnected_ipc: escaped(&r.disconnected_ipc),
            kill: r.kill,
            error: r.error,
            flags: r.flags,
            mode: mode_name(r.flags.mode),
            path_flags: r.path_flags,
            caps: r.caps,
            capsx: r.capsx,
            identity: escaped_list(&r.identity),
            xattrs: escaped_list(&r.xattrs),
            rlimits: r.rlimits.clone(),
            secmark: r.secmark.as_ref().map(|entries| {
                entries
                    .iter()
                    .map(|e| (e.audit, e.deny, escape(&e.label)))
                    .collect()
            }),
            net_allowed_af: r.net_allowed_af.clone(),
            policydb: r.policydb.as_ref().map(|p| pdb(p, PdbKind::Policy)),
            file: r.file.as_ref().map(|p| pdb(p, PdbKind::File)),
            data: r
                .data
                .as_ref()
                .map(|pairs| pairs.iter().map(|(k, v)| (escape(k), escape(v))).collect()),
        }
    }
}

impl PdbDump {
    fn new(pdb: &Pdb, kind: PdbKind, with_states: bool) -> Self {
        let tables = DfaTables::parse(&pdb.dfa);
        let error = tables
            .as_ref()
            .ok()
            .and_then(|dfa| verify_pdb(pdb, dfa, kind).err())
            .map(|e| e.to_string());
        PdbDump {
            perms: pdb.perms.clone(),
            permsv: pdb.permsv,
            start: pdb.start,
            dfa_start: pdb.dfa_start,
            xtable: escaped_list(&pdb.xtable),
            error,
            dfa: DfaDump::new(
                pdb.dfa.len(),
                tables,
                with_states,
                kind == PdbKind::File && pdb.perms.is_none(),
            ),
        }
    }
}

impl DfaDump {
    fn new(
        bytes: usize,
        tables: Result<DfaTables, crate::tables::read::TableError>,
        with_states: bool,
        packed_file: bool,
    ) -> Self {
        match tables {
            Ok(dfa) => DfaDump {
                bytes,
                error: None,
                flags: dfa.flags,
                declared_size: dfa.declared_size,
                states: dfa.state_count(),
                slots: dfa.slot_count(),
                explicit_transitions: dfa.explicit_count(),
                accepting_states: dfa.accepting_count(),
                state_width: dfa.state_width,
                tables: dfa.layout.clone(),
                state_list: with_states.then(|| states(&dfa, packed_file)),
            },
            Err(error) => DfaDump {
                bytes,
                error: Some(error.to_string()),
                flags: 0,
                declared_size: 0,
                states: 0,
                slots: 0,
                explicit_transitions: 0,
                accepting_states: 0,
                state_width: 0,
                tables: Vec::new(),
                state_list: None,
            },
        }
    }
}

fn states(dfa: &DfaTables, packed_file: bool) -> Vec<StateDump> {
    (0..dfa.state_count() as u32)
        .map(|s| {
            let t = dfa.transitions(s);
            let mut runs: Vec<(u8, u8, u32)> = Vec::new();
            for (symbol, target) in t.explicit {
                match runs.last_mut() {
                    Some((_, last, to)) if *to == target && *last as u16 + 1 == symbol as u16 => {
                        *last = symbol;
                    }
                    _ => runs.push((symbol, symbol, target)),
                }
            }
            let accept = dfa.accept.get(s as usize).copied().unwrap_or(0);
            let accept2 = dfa
                .accept2
                .as_ref()
                .map(|a| a.get(s as usize).copied().unwrap_or(0));
            let meaning = (packed_file && (accept != 0 || accept2.unwrap_or(0) != 0))
                .then(|| describe_file_accept(accept, accept2.unwrap_or(0)));
            StateDump {
                state: s,
                accept,
                accept2,
                meaning,
                default: t.default,
                diff_encoded: t.diff_encoded,
                oob: t.oob,
                transitions: runs,
                classes: dfa.equiv.is_some(),
            }
        })
        .collect()
}
