//! Record-by-record comparison of two blobs (`aaprof dump --compare`), for
//! triaging a blob that differs from a reference: which records and fields
//! differ, and for DFAs whether the difference is only in encoding or in
//! what they grant. Fields read as `diff` shows them (names, not numbers).

use super::fields::field_findings;
use super::record_fields::strings_text;
use super::report::headline;
use crate::blob::compare::{Difference, Matcher, first_difference, input_text};
use crate::blob::dump::escape;
use crate::blob::{Pdb, ProfileRecord};
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
        if l.version != r.version {
            let _ = writeln!(out, "  version: {} vs {}", l.version, r.version);
        }
        if l.namespace != r.namespace {
            let text = |n: &Option<Vec<u8>>| {
                n.as_deref()
                    .map_or_else(|| "none".to_string(), |n| format!("\"{}\"", escape(n)))
            };
            let _ = writeln!(
                out,
                "  namespace: {} vs {}",
                text(&l.namespace),
                text(&r.namespace)
            );
        }
        for finding in field_findings(l, r, None, None) {
            let _ = writeln!(out, "  {}", headline(&finding));
            if let Some(detail) = &finding.detail {
                let _ = writeln!(out, "    {detail}");
            }
        }
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
                    if lp.xtable != rp.xtable {
                        let _ = writeln!(
                            out,
                            "  {what} xtable: {} vs {}",
                            strings_text(&lp.xtable),
                            strings_text(&rp.xtable)
                        );
                    }
                    if lp.permsv != rp.permsv {
                        let version =
                            |v: Option<u32>| v.map_or_else(|| "none".into(), |v| v.to_string());
                        let _ = writeln!(
                            out,
                            "  {what} permsv: {} vs {}",
                            version(lp.permsv),
                            version(rp.permsv)
                        );
                    }
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
        changed[0].caps.allow |= 1 << 21;
        let report = compare_records(&records, &changed);
        // Fields read by name, as `diff` shows them, never as Rust values.
        assert!(
            report.contains("  mode: changed, e.g. mode\n    complain became enforce\n"),
            "{report}"
        );
        assert!(
            report.contains("capability: new allows sys_admin, e.g. capability sys_admin"),
            "{report}"
        );
        assert!(
            !report.contains("RecordFlags") && !report.contains("Some("),
            "{report}"
        );
        assert!(
            report.contains("xmatch: present on one side only"),
            "{report}"
        );
        assert!(!report.contains("file"), "{report}");
    }
}
