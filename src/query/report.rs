//! The readable form of an [`Answer`] (`--format text`); JSON is its
//! serde form.

use super::explain::RuleMatch;
use super::lookup::{Answer, Decision};
use std::fmt::Write;

/// Indented lines naming rules: verdict, `file:line`, source text, then
/// the include chain innermost first.
pub fn rules_text(rules: &[RuleMatch], indent: &str) -> String {
    let mut out = String::new();
    for rule in rules {
        let only = match rule.only_for {
            Some("owner") => "  (only for the file's owner)",
            Some(_) => "  (only for tasks not owning the file)",
            None => "",
        };
        let _ = writeln!(
            out,
            "{indent}{:<6} {}  {}{only}",
            rule.verdict, rule.location, rule.text
        );
        for from in rule.included_from.iter().rev() {
            let _ = writeln!(out, "{indent}       included from {from}");
        }
    }
    out
}

impl Answer {
    /// The answer as text, first line `DECISION[ (audit|quiet|explicit deny)…]`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut tags = Vec::new();
        if self.audit {
            tags.push("audit");
        }
        if self.quiet && self.decision == Decision::Deny {
            tags.push("quiet");
        }
        if self.explicit_deny {
            tags.push("explicit deny");
        }
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" ({})", tags.join(", "))
        };
        let _ = writeln!(out, "{}{tags}", self.decision);
        let _ = writeln!(out, "  profile: {} ({})", self.profile, self.mode);
        let _ = writeln!(out, "  request: {}", self.request.text());
        if !self.granted.is_empty() {
            let _ = writeln!(out, "  granted: {}", self.granted.join(" "));
        }
        if !self.missing.is_empty() {
            let _ = writeln!(out, "  not granted: {}", self.missing.join(" "));
        }
        if let Some(exec) = &self.exec {
            let _ = writeln!(out, "  exec: {exec}");
        }
        if let Some(other) = self.other_owner_decision {
            let whom = match &self.request {
                super::Request::File { owner: true, .. }
                | super::Request::Exec { owner: true, .. } => "a task not owning the file",
                _ => "the file's owner",
            };
            let _ = writeln!(out, "  for {whom}: {other}");
        }
        match &self.rules {
            Some(rules) if rules.is_empty() => {
                let _ = writeln!(out, "  rules: none match");
            }
            Some(rules) => {
                let _ = writeln!(out, "  rules:");
                out.push_str(&rules_text(rules, "    "));
            }
            None => {}
        }
        for note in &self.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        out
    }
}
