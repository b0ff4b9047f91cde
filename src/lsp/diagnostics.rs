//! `aaprof check`'s diagnostics as the protocol's: same code (`AA1004`),
//! same range, the include chain as related information. A diagnostic in
//! an included file is published for that file, and on the checked
//! document at the include that leads to it.

use super::text::{LineIndex, path_to_uri};
use super::workspace::Workspace;
use crate::diagnostics::{Diagnostic, IncludeSite, Severity};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    Uri,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The diagnostics of one checked document, by the file they belong to.
pub type PerFile = HashMap<Uri, Vec<lsp_types::Diagnostic>>;

/// Where a file named in a diagnostic (its display name) lives: the
/// checked buffer itself for text without a path, else the file.
fn file_uri(name: &str, doc: &Uri, ws: &Workspace) -> Uri {
    match ws.docs.get(doc) {
        Some(d) if d.path.is_none() && name == doc.as_str() => doc.clone(),
        _ => path_to_uri(Path::new(name)),
    }
}

/// The position of an include site (`file:line:col`).
fn site_location(site: &IncludeSite, doc: &Uri, ws: &Workspace) -> Location {
    let uri = file_uri(&site.file, doc, ws);
    let text: Option<std::sync::Arc<str>> = match ws.docs.get(doc) {
        Some(d) if d.path.is_none() && &*site.file == doc.as_str() => Some(d.text.as_str().into()),
        _ => ws
            .cache()
            .get(Path::new(&*site.file))
            .ok()
            .map(|p| p.source.text.clone()),
    };
    let position = match &text {
        Some(text) => LineIndex::new(text).line_col(site.line, site.column),
        None => Position::new(site.line.saturating_sub(1), site.column.saturating_sub(1)),
    };
    Location::new(uri, Range::new(position, position))
}

/// Converts the check of `doc` into per-file protocol diagnostics.
pub fn convert(diagnostics: &[Diagnostic], doc: &Uri, ws: &Workspace) -> PerFile {
    let mut out: PerFile = HashMap::new();
    out.entry(doc.clone()).or_default();
    for d in diagnostics {
        let (uri, range) = match &d.location {
            Some(loc) => {
                let uri = match &loc.source.path {
                    Some(path) => path_to_uri(path),
                    None => file_uri(&loc.source.name, doc, ws),
                };
                let range = if loc.file_only {
                    Range::default()
                } else {
                    LineIndex::new(&loc.source.text).range(loc.span)
                };
                (uri, range)
            }
            None => (doc.clone(), Range::default()),
        };
        let chain: Vec<DiagnosticRelatedInformation> = d
            .included_from
            .iter()
            .rev()
            .map(|site| DiagnosticRelatedInformation {
                location: site_location(site, doc, ws),
                message: "included from here".into(),
            })
            .collect();
        let mut message = d.message.clone();
        if let Some(label) = &d.label {
            message.push_str(&format!(" ({label})"));
        }
        let base = lsp_types::Diagnostic {
            range,
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(d.stable_code().id().to_string())),
            source: Some("aaprof".into()),
            message: message.clone(),
            related_information: (!chain.is_empty()).then(|| chain.clone()),
            ..lsp_types::Diagnostic::default()
        };
        if uri != *doc
            && let Some(first) = d.included_from.first()
        {
            // Also on the checked document, at the include leading there.
            let at = site_location(first, doc, ws);
            let mut related = vec![DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), range),
                message: message.clone(),
            }];
            related.extend(chain.iter().skip(1).cloned());
            let (line, column) = d
                .location
                .as_ref()
                .map_or((0, 0), |l| l.source.line_col(l.span.start));
            let file = d.location.as_ref().map_or("", |l| &*l.source.name);
            let line_end = Position::new(at.range.start.line, u32::MAX / 2);
            out.entry(at.uri.clone())
                .or_default()
                .push(lsp_types::Diagnostic {
                    range: Range::new(at.range.start, line_end),
                    message: format!("{file}:{line}:{column}: {message}"),
                    related_information: Some(related),
                    ..base.clone()
                });
        }
        out.entry(uri).or_default().push(base);
    }
    out
}

/// What has been published: per file, each checked document's share, so
/// a file included by several open documents shows the union and a
/// document's re-check replaces only its own share.
#[derive(Default)]
pub struct Publisher {
    shares: HashMap<Uri, BTreeMap<String, Vec<lsp_types::Diagnostic>>>,
}

impl Publisher {
    /// Records `doc`'s new diagnostics; returns the files whose published
    /// set changed, with their full new set.
    pub fn update(
        &mut self,
        doc: &Uri,
        per_file: PerFile,
    ) -> Vec<(Uri, Vec<lsp_types::Diagnostic>)> {
        let key = doc.as_str().to_string();
        let mut touched: Vec<Uri> = self
            .shares
            .iter()
            .filter(|(_, s)| s.contains_key(&key))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in &touched {
            if let Some(s) = self.shares.get_mut(uri) {
                s.remove(&key);
            }
        }
        for (uri, diags) in per_file {
            if !touched.contains(&uri) {
                touched.push(uri.clone());
            }
            self.shares
                .entry(uri)
                .or_default()
                .insert(key.clone(), diags);
        }
        touched
            .into_iter()
            .map(|uri| {
                let mut all: Vec<lsp_types::Diagnostic> = Vec::new();
                for d in self
                    .shares
                    .get(&uri)
                    .into_iter()
                    .flat_map(|s| s.values())
                    .flatten()
                {
                    if !all.contains(d) {
                        all.push(d.clone());
                    }
                }
                (uri, all)
            })
            .collect()
    }

    /// Drops a closed document's share (its own file keeps what other
    /// documents say about it).
    pub fn remove(&mut self, doc: &Uri) -> Vec<(Uri, Vec<lsp_types::Diagnostic>)> {
        self.update(doc, HashMap::new())
    }
}
