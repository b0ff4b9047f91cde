//! The readable form of a [`PolicyDiff`] (`--format text`); JSON is its
//! serde form.

use super::dfa::{Change, Whom};
use super::{Finding, PolicyDiff};
use crate::query::report::rules_text;
use std::fmt::Write;

/// One finding as a line: class, change, permissions, example.
pub(super) fn headline(f: &Finding) -> String {
    let perms = if f.perms.is_empty() {
        String::new()
    } else {
        format!(" {}", f.perms.join(" "))
    };
    let whom = match f.whom {
        Whom::Everyone => "",
        Whom::Owner => " (for the file's owner)",
        Whom::Other => " (for tasks not owning the file)",
    };
    let what = match f.change {
        Change::Allows => format!("new allows{perms}"),
        Change::Revokes => format!("new denies{perms} (old allowed)"),
        Change::Exec => "exec transition changed".to_string(),
        Change::Logging => format!("audit/quiet changed{perms}"),
        Change::Other => "changed".to_string(),
    };
    format!("{}: {what}{whom}, e.g. {}", f.class, f.example)
}

impl PolicyDiff {
    /// The report as text; `equivalent` alone when nothing differs.
    pub fn to_text(&self) -> String {
        if self.is_equivalent() {
            return "equivalent\n".into();
        }
        let mut out = String::new();
        for name in &self.only_old {
            let _ = writeln!(out, "profile {name}: only in old");
        }
        for name in &self.only_new {
            let _ = writeln!(out, "profile {name}: only in new");
        }
        for error in &self.errors {
            let _ = writeln!(out, "error: {error}");
        }
        for profile in &self.profiles {
            let _ = writeln!(out, "profile {}:", profile.name);
            for f in &profile.findings {
                let _ = writeln!(out, "  {}", headline(f));
                if let Some(detail) = &f.detail {
                    let _ = writeln!(out, "    {detail}");
                }
                for (side, rules) in [("old", &f.old_rules), ("new", &f.new_rules)] {
                    if let Some(rules) = rules.as_ref().filter(|r| !r.is_empty()) {
                        let _ = writeln!(out, "    {side} rules:");
                        out.push_str(&rules_text(rules, "      "));
                    }
                }
            }
            if profile.unlisted > 0 {
                let _ = writeln!(out, "  … and {} more differing states", profile.unlisted);
            }
        }
        out
    }
}
