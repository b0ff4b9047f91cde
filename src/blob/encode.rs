//! Serializes [`ProfileRecord`]s (§1.5, §2) in the exact element order the
//! parser uses; each record gets its own buffer so DFA padding counts from
//! the record start.

use super::error::WriteError;
use super::record::{Caps, Pdb, PermsTable, ProfileRecord};
use super::write::StreamWriter;

/// Serializes records back to back: a `-S` blob or a cache file.
///
/// Fails only if a length does not fit the stream's fields (a string of
/// 64 KiB or more, an array of more than 65535 elements, a DFA of 4 GiB).
pub fn write_records(records: &[ProfileRecord]) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::new();
    for record in records {
        out.extend_from_slice(&write_record(record)?);
    }
    Ok(out)
}

/// Serializes one record, starting with its `version` header.
pub fn write_record(record: &ProfileRecord) -> Result<Vec<u8>, WriteError> {
    let mut w = StreamWriter::new();
    w.u32(Some("version"), record.version);
    if let Some(ns) = &record.namespace {
        w.string(Some("namespace"), ns);
    }
    w.struct_start(Some("profile"));
    w.string(None, &record.name);
    if let Some(rename) = &record.rename {
        w.string(Some("rename"), rename);
    }
    if let Some(attach) = &record.attach {
        w.string(Some("attach"), attach);
    }
    if let Some(xmatch) = &record.xmatch {
        write_pdb(&mut w, &xmatch.pdb);
        w.u32(None, xmatch.len);
    }
    if let Some(path) = &record.disconnected {
        w.string(Some("disconnected"), path);
    }
    if let Some(path) = &record.disconnected_ipc {
        w.string(Some("disconnected_ipc"), path);
    }
    if let Some(signal) = record.kill {
        w.u32(Some("kill"), signal);
    }
    if let Some(errno) = record.error {
        w.u32(Some("error"), errno);
    }
    w.struct_start(Some("flags"));
    w.u32(None, record.flags.flags);
    w.u32(None, record.flags.mode);
    w.u32(None, record.flags.audit);
    w.struct_end();
    if let Some(path_flags) = record.path_flags {
        w.u32(Some("path_flags"), path_flags);
    }
    write_caps(&mut w, &record.caps);
    if let Some((low, high)) = record.capsx {
        w.struct_start(Some("capsx"));
        w.u32(None, low);
        w.u32(None, high);
        w.struct_end();
    }
    if let Some(labels) = &record.identity {
        w.array_start(Some("identity"), labels.len());
        for label in labels {
            w.string(None, label);
        }
        w.array_end();
    }
    if let Some(names) = &record.xattrs {
        w.struct_start(Some("xattrs"));
        w.array_start(None, names.len());
        for name in names {
            w.string(None, name);
        }
        w.array_end();
        w.struct_end();
    }
    if let Some(rlimits) = &record.rlimits {
        w.struct_start(Some("rlimits"));
        w.u32(None, rlimits.mask);
        w.array_start(None, rlimits.values.len());
        for &value in &rlimits.values {
            w.u64(None, value);
        }
        w.array_end();
        w.struct_end();
    }
    if let Some(entries) = &record.secmark {
        w.struct_start(Some("secmark"));
        w.array_start(None, entries.len());
        for entry in entries {
            w.u8(None, entry.audit);
            w.u8(None, entry.deny);
            w.string(None, &entry.label);
        }
        w.array_end();
        w.struct_end();
    }
    if let Some(families) = &record.net_allowed_af {
        w.array_start(Some("net_allowed_af"), families.len());
        for masks in families {
            for &mask in masks {
                w.u16(None, mask);
            }
        }
        w.array_end();
    }
    if let Some(pdb) = &record.policydb {
        w.struct_start(Some("policydb"));
        write_pdb(&mut w, pdb);
        w.struct_end();
    }
    if let Some(pdb) = &record.file {
        write_pdb(&mut w, pdb);
    }
    if let Some(pairs) = &record.data {
        w.struct_start(Some("data"));
        for (key, value) in pairs {
            w.string(None, key);
            w.blob(None, value);
        }
        w.struct_end();
    }
    w.struct_end();
    w.finish()
}

fn write_caps(w: &mut StreamWriter, caps: &Caps) {
    let low = |v: u64| v as u32;
    let high = |v: u64| (v >> 32) as u32;
    w.u32(None, low(caps.allow));
    w.u32(None, low(caps.audit));
    w.u32(None, low(caps.quiet));
    w.u32(None, caps.reserved[0]);
    let needs_high = [caps.allow, caps.audit, caps.quiet]
        .iter()
        .any(|&v| high(v) != 0)
        || caps.reserved[1] != 0;
    if caps.caps64 || needs_high {
        w.struct_start(Some("caps64"));
        w.u32(None, high(caps.allow));
        w.u32(None, high(caps.audit));
        w.u32(None, high(caps.quiet));
        w.u32(None, caps.reserved[1]);
        w.struct_end();
    }
}

/// The pdb sub-layout (§2.3): [perms [permsv]] aadfa [start] [dfa_start]
/// [xtable].
pub(super) fn write_pdb(w: &mut StreamWriter, pdb: &Pdb) {
    if let Some(perms) = &pdb.perms {
        write_perms(w, perms);
    }
    if let Some(version) = pdb.permsv {
        w.u32(Some("permsv"), version);
    }
    w.aligned_blob(Some("aadfa"), &pdb.dfa);
    if let Some(state) = pdb.start {
        w.u32(Some("start"), state);
    }
    if let Some(state) = pdb.dfa_start {
        w.u32(Some("dfa_start"), state);
    }
    if let Some(entries) = &pdb.xtable {
        w.struct_start(Some("xtable"));
        w.array_start(None, entries.len());
        for entry in entries {
            w.string(None, entry);
        }
        w.array_end();
        w.struct_end();
    }
}

fn write_perms(w: &mut StreamWriter, perms: &PermsTable) {
    w.struct_start(Some("perms"));
    w.u32(Some("version"), perms.version);
    w.array_start(None, perms.entries.len());
    for entry in &perms.entries {
        for word in entry.to_words() {
            w.u32(None, word);
        }
    }
    w.array_end();
    w.struct_end();
}
