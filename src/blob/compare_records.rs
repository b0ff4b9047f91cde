//! Record-by-record comparison of two blobs, for triaging a blob that
//! differs from a reference: which records and fields differ, and for DFAs
//! whether the difference is only in encoding or in what they grant.

use super::compare::{Difference, Matcher, first_difference, input_text};
use super::dump::escape;
use super::record::{Pdb, ProfileRecord};
use crate::tables::read::DfaTables;
use std::fmt::Write;

/// How two DFAs of the same role relate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DfaVerdict {
    Identical,
    /// Different bytes, same grants on every input.
    Equivalent,
    Differ(Difference),
    /// One side lacks the DFA, a DFA does not verify, or the two use
    /// different permission formats.
    Incomparable(String),
}

fn verdict(left: &Pdb, right: &Pdb, file: bool) -> DfaVerdict {
    if left == right {
        return DfaVerdict::Identical;
    }
    if left.perms.is_some() != right.perms.is_some() {
        return DfaVerdict::Incomparable("packed vs permission-table format".into());
    }
    let (dl, dr) = match (DfaTables::parse(&left.dfa), DfaTables::parse(&right.dfa)) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => return DfaVerdict::Incomparable(e.to_string()),
    };
    match first_difference(
        &Matcher::new(&dl, left, file),
        &Matcher::new(&dr, right, file),
    ) {
        None => DfaVerdict::Equivalent,
        Some(difference) => DfaVerdict::Differ(difference),
    }
}

/// A text report of the differences between two record lists (empty if
/// they are identical). Records are paired by position.
pub fn compare_records(left: &[ProfileRecord], right: &[ProfileRecord]) -> String {
    let mut out = String::new();
    if left.len() != right.len() {
        let _ = writeln!(out, "record count: {} vs {}", left.len(), right.len());
    }
    for (i, (l, r)) in left.iter().zip(right).enumerate() {
        if l == r {
            continue;
        }
        let _ = writeln!(out, "record {i} (\"{}\"):", escape(&l.name));
        if l.name != r.name {
            let _ = writeln!(out, "  name: \"{}\"", escape(&r.name));
        }
        field(&mut out, "version", &l.version, &r.version);
        text_field(&mut out, "namespace", &l.namespace, &r.namespace);
        field(&mut out, "flags", &l.flags, &r.flags);
        field(&mut out, "path_flags", &l.path_flags, &r.path_flags);
        field(&mut out, "caps", &l.caps, &r.caps);
        field(&mut out, "kill", &l.kill, &r.kill);
        text_field(&mut out, "disconnected", &l.disconnected, &r.disconnected);
        list_field(&mut out, "xattrs", &l.xattrs, &r.xattrs);
        field(&mut out, "rlimits", &l.rlimits, &r.rlimits);
        field(
            &mut out,
            "net_allowed_af",
            &l.net_allowed_af,
            &r.net_allowed_af,
        );
        field(
            &mut out,
            "xmatch_len",
            &l.xmatch.as_ref().map(|x| x.len),
            &r.xmatch.as_ref().map(|x| x.len),
        );
        let pdbs = [
            (
                "xmatch",
                l.xmatch.as_ref().map(|x| &x.pdb),
                r.xmatch.as_ref().map(|x| &x.pdb),
                false,
            ),
            ("policydb", l.policydb.as_ref(), r.policydb.as_ref(), false),
            ("file", l.file.as_ref(), r.file.as_ref(), true),
        ];
        for (what, lp, rp, file) in pdbs {
            match (lp, rp) {
                (None, None) => {}
                (Some(_), None) | (None, Some(_)) => {
                    let _ = writeln!(out, "  {what}: present on one side only");
                }
                (Some(lp), Some(rp)) => {
                    list_field(&mut out, &format!("{what} xtable"), &lp.xtable, &rp.xtable);
                    field(&mut out, &format!("{what} permsv"), &lp.permsv, &rp.permsv);
                    match verdict(lp, rp, file) {
                        DfaVerdict::Identical => {}
                        DfaVerdict::Equivalent => {
                            let _ = writeln!(
                                out,
                                "  {what} DFA: different bytes, same permissions on every input"
                            );
                        }
                        DfaVerdict::Differ(d) => {
                            let _ = writeln!(
                                out,
                                "  {what} DFA: differs on input \"{}\": {} vs {}",
                                input_text(&d.input),
                                d.left,
                                d.right
                            );
                        }
                        DfaVerdict::Incomparable(why) => {
                            let _ = writeln!(out, "  {what} DFA: cannot compare: {why}");
                        }
                    }
                }
            }
        }
    }
    out
}

fn text_field(out: &mut String, name: &str, left: &Option<Vec<u8>>, right: &Option<Vec<u8>>) {
    let show = |t: &Option<Vec<u8>>| t.as_deref().map(escape);
    field(out, name, &show(left), &show(right));
}

fn list_field(
    out: &mut String,
    name: &str,
    left: &Option<Vec<Vec<u8>>>,
    right: &Option<Vec<Vec<u8>>>,
) {
    let show = |t: &Option<Vec<Vec<u8>>>| {
        t.as_ref()
            .map(|items| items.iter().map(|i| escape(i)).collect::<Vec<_>>())
    };
    field(out, name, &show(left), &show(right));
}

fn field<T: PartialEq + std::fmt::Debug>(out: &mut String, name: &str, left: &T, right: &T) {
    if left != right {
        let _ = writeln!(out, "  {name}: {left:?} vs {right:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::read_records;
    use crate::compile::test_support::compile_text;

    #[test]
    fn reports_only_what_differs() {
        let records = read_records(&compile_text(
            "profile foo /bin/foo flags=(complain) {\n  /etc/hosts r,\n}\n",
        ))
        .unwrap();
        assert_eq!(compare_records(&records, &records), "");
        let mut changed = records.clone();
        changed[0].flags.mode = 0;
        changed[0].xmatch = None;
        let report = compare_records(&records, &changed);
        assert!(report.contains("flags:"), "{report}");
        assert!(
            report.contains("xmatch: present on one side only"),
            "{report}"
        );
        assert!(!report.contains("file"), "{report}");
    }
}
