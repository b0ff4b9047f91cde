//! Text rendering of a [`BlobDump`]: one `key value` line per present
//! field, nested by indentation.

use super::dump::{BlobDump, DfaDump, PdbDump, RecordDump, StateDump};
use std::fmt::Write;

impl BlobDump {
    /// The dump as text, one line per field.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "blob: {} bytes, {}",
            self.size,
            count(self.records.len(), "record", "records")
        );
        for (i, record) in self.records.iter().enumerate() {
            record_text(&mut out, i, record);
        }
        out
    }
}

fn line(out: &mut String, indent: usize, key: &str, value: impl std::fmt::Display) {
    let text = format!("{:indent$}{key:<16} {value}", "", indent = indent);
    let _ = writeln!(out, "{}", text.trim_end());
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

fn record_text(out: &mut String, index: usize, r: &RecordDump) {
    let _ = writeln!(out, "record {index}: offset {}, {} bytes", r.offset, r.size);
    let v = &r.version;
    let mut version = format!("{:#010x} (kabi {}", v.word, v.kabi);
    if v.kabi > 5 || v.word != v.kabi {
        let _ = write!(
            version,
            ", parser ABI {}, policy version {}",
            v.parser_abi, v.policy_version
        );
    }
    if v.force_complain {
        version.push_str(", force complain");
    }
    version.push(')');
    line(out, 2, "version", version);
    if let Some(ns) = &r.namespace {
        line(out, 2, "namespace", quoted(ns));
    }
    line(out, 2, "name", quoted(&r.name));
    for (key, value) in [("rename", &r.rename), ("attach", &r.attach)] {
        if let Some(value) = value {
            line(out, 2, key, quoted(value));
        }
    }
    if let Some(xmatch) = &r.xmatch {
        line(
            out,
            2,
            "xmatch",
            format!("min length {}", r.xmatch_len.unwrap_or(0)),
        );
        pdb_text(out, 4, xmatch);
    }
    for (key, value) in [
        ("disconnected", &r.disconnected),
        ("disconnected_ipc", &r.disconnected_ipc),
    ] {
        if let Some(value) = value {
            line(out, 2, key, quoted(value));
        }
    }
    if let Some(signal) = r.kill {
        line(out, 2, "kill", signal);
    }
    if let Some(errno) = r.error {
        line(out, 2, "error", errno);
    }
    line(
        out,
        2,
        "flags",
        format!(
            "{:#x}{}, mode {} ({}), audit {}",
            r.flags.flags,
            if r.flags.flags & 1 != 0 { " (hat)" } else { "" },
            r.flags.mode,
            r.mode,
            r.flags.audit
        ),
    );
    if let Some(path_flags) = r.path_flags {
        line(out, 2, "path_flags", format!("{path_flags:#x}"));
    }
    let c = &r.caps;
    let mut caps = format!(
        "allow {:#x}, audit {:#x}, quiet {:#x}",
        c.allow, c.audit, c.quiet
    );
    if c.reserved != [0, 0] {
        let _ = write!(caps, ", reserved {:#x} {:#x}", c.reserved[0], c.reserved[1]);
    }
    if !c.caps64 {
        caps.push_str(", no caps64");
    }
    line(out, 2, "caps", caps);
    if let Some((low, high)) = r.capsx {
        line(out, 2, "capsx", format!("{low:#x} {high:#x}"));
    }
    for (key, list) in [("identity", &r.identity), ("xattrs", &r.xattrs)] {
        if let Some(list) = list {
            let items: Vec<String> = list.iter().map(|s| quoted(s)).collect();
            line(out, 2, key, items.join(" "));
        }
    }
    if let Some(rlimits) = &r.rlimits {
        let set: Vec<String> = rlimits
            .values
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 32 && rlimits.mask & (1 << i) != 0)
            .map(|(i, v)| format!("{i}={v}"))
            .collect();
        line(
            out,
            2,
            "rlimits",
            format!(
                "mask {:#x}, {} values; set: {}",
                rlimits.mask,
                rlimits.values.len(),
                set.join(" ")
            ),
        );
    }
    if let Some(entries) = &r.secmark {
        for (audit, deny, label) in entries {
            line(
                out,
                2,
                "secmark",
                format!("audit {audit} deny {deny} {}", quoted(label)),
            );
        }
    }
    if let Some(families) = &r.net_allowed_af {
        let used: Vec<String> = families
            .iter()
            .enumerate()
            .filter(|(_, m)| **m != [0, 0, 0])
            .map(|(af, m)| format!("{af}:{:#x}/{:#x}/{:#x}", m[0], m[1], m[2]))
            .collect();
        line(
            out,
            2,
            "net_allowed_af",
            format!(
                "{} families; allow/audit/quiet of non-zero ones: {}",
                families.len(),
                used.join(" ")
            ),
        );
    }
    if let Some(pdb) = &r.policydb {
        line(out, 2, "policydb", "");
        pdb_text(out, 4, pdb);
    }
    if let Some(pdb) = &r.file {
        line(out, 2, "file", "");
        pdb_text(out, 4, pdb);
    }
    for (key, value) in r.data.iter().flatten() {
        line(
            out,
            2,
            "data",
            format!("{} = {}", quoted(key), quoted(value)),
        );
    }
}

fn pdb_text(out: &mut String, indent: usize, pdb: &PdbDump) {
    if let Some(perms) = &pdb.perms {
        line(
            out,
            indent,
            "perms",
            format!(
                "version {}, {}",
                perms.version,
                count(perms.entries.len(), "entry", "entries")
            ),
        );
        for (i, entry) in perms.entries.iter().enumerate() {
            let names = [
                "reserved", "allow", "deny", "subtree", "cond", "kill", "complain", "prompt",
                "audit", "quiet", "hide", "xindex", "tag", "label",
            ];
            let fields: Vec<String> = names
                .iter()
                .zip(entry.to_words())
                .filter(|(_, w)| *w != 0)
                .map(|(n, w)| format!("{n} {w:#x}"))
                .collect();
            let text = if fields.is_empty() {
                "(none)".to_string()
            } else {
                fields.join(", ")
            };
            let _ = writeln!(out, "{:indent$}  [{i}] {text}", "", indent = indent);
        }
    }
    if let Some(version) = pdb.permsv {
        line(out, indent, "permsv", version);
    }
    if let Some(error) = &pdb.error {
        line(out, indent, "INVALID", error);
    }
    dfa_text(out, indent, &pdb.dfa);
    for (key, state) in [("start", pdb.start), ("dfa_start", pdb.dfa_start)] {
        if let Some(state) = state {
            line(out, indent, key, state);
        }
    }
    if let Some(entries) = &pdb.xtable {
        line(
            out,
            indent,
            "xtable",
            count(entries.len(), "entry", "entries"),
        );
        for (i, entry) in entries.iter().enumerate() {
            let _ = writeln!(
                out,
                "{:indent$}  [{i}] (x-index {}) {}",
                "",
                i + 4,
                quoted(entry),
                indent = indent
            );
        }
    }
}

fn dfa_text(out: &mut String, indent: usize, dfa: &DfaDump) {
    if let Some(error) = &dfa.error {
        line(
            out,
            indent,
            "dfa",
            format!("{} bytes, INVALID: {error}", dfa.bytes),
        );
        return;
    }
    line(
        out,
        indent,
        "dfa",
        format!(
            "{} bytes, flags {:#x}, {} states, {} slots, {} explicit transitions, {} accepting, {}-bit states",
            dfa.bytes,
            dfa.flags,
            dfa.states,
            dfa.slots,
            dfa.explicit_transitions,
            dfa.accepting_states,
            dfa.state_width * 8
        ),
    );
    let tables: Vec<String> = dfa
        .tables
        .iter()
        .map(|t| format!("{} {}x{}", t.id.label(), t.count, t.element_size))
        .collect();
    line(out, indent + 2, "tables", tables.join(", "));
    if dfa.declared_size as usize != dfa.bytes {
        line(out, indent + 2, "declared size", dfa.declared_size);
    }
    for state in dfa.state_list.iter().flatten() {
        state_text(out, indent + 2, state);
    }
}

fn symbol(s: u8, classes: bool) -> String {
    if classes {
        format!("#{s}")
    } else if s.is_ascii_graphic() && s != b'\'' && s != b'\\' {
        format!("'{}'", s as char)
    } else {
        format!("\\x{s:02x}")
    }
}

fn state_text(out: &mut String, indent: usize, s: &StateDump) {
    let mut head = format!("accept {:#x}", s.accept);
    if let Some(accept2) = s.accept2 {
        let _ = write!(head, " accept2 {accept2:#x}");
    }
    let _ = write!(head, " default {}", s.default);
    if s.diff_encoded {
        head.push_str(" (diff-encoded)");
    }
    if let Some(oob) = s.oob {
        let _ = write!(head, " oob -> {oob}");
    }
    if let Some(meaning) = &s.meaning {
        let _ = write!(head, " [{meaning}]");
    }
    line(out, indent, &format!("state {}", s.state), head);
    if s.transitions.is_empty() {
        return;
    }
    let runs: Vec<String> = s
        .transitions
        .iter()
        .map(|&(first, last, to)| {
            if first == last {
                format!("{} -> {to}", symbol(first, s.classes))
            } else {
                format!(
                    "{}-{} -> {to}",
                    symbol(first, s.classes),
                    symbol(last, s.classes)
                )
            }
        })
        .collect();
    for chunk in runs.chunks(8) {
        let _ = writeln!(
            out,
            "{:indent$}    {}",
            "",
            chunk.join(", "),
            indent = indent
        );
    }
}
