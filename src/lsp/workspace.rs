//! The open documents and what the compiler made of each: the check's
//! diagnostics, the resolved model, the variables, the files it read.
//!
//! Every open buffer with a path is put in the session's source cache in
//! place of the file on disk ([`SourceCache::set_text`]), so a profile
//! that includes an open abstraction sees the unsaved text, and each file
//! is parsed once per content: a keystroke re-parses the edited buffer
//! only; the includes stay parsed.

use super::text::{LineIndex, uri_to_path};
use crate::cli::PolicyConfig;
use crate::cli::PolicySettingsArgs;
use crate::cli::check::{check_input, check_session};
use crate::compile::Session;
use crate::diagnostics::Diagnostic;
use crate::query::LoadedPolicy;
use crate::resolve::{Found, Input, Loaded, SourceCache, VarTable};
use crate::syntax::ParsedFile;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// One open buffer.
#[derive(Debug)]
pub struct Document {
    /// Its file, when it has one (`file:` URI).
    pub path: Option<PathBuf>,
    pub text: String,
    pub version: i32,
}

/// The last check of a document.
#[derive(Debug)]
pub struct Analysis {
    pub version: i32,
    /// What `aaprof check` reports for it (for a body fragment, its
    /// syntax errors only).
    pub diagnostics: Vec<Diagnostic>,
    /// The load (its `vars` moved to [`Workspace::vars`]).
    pub loaded: Loaded,
    /// Every file the check read through includes (to re-check when one
    /// of them changes).
    pub deps: HashSet<PathBuf>,
}

pub struct Workspace {
    pub docs: HashMap<Uri, Document>,
    pub config: PolicyConfig,
    pub session: Session,
    policy_features_given: bool,
    pub analyses: HashMap<Uri, Analysis>,
    /// Compiled policies for hover's queries, per document version
    /// (`None`: it does not compile).
    compiled: HashMap<Uri, (i32, Option<Arc<LoadedPolicy>>)>,
    /// The variables of each document's last check without syntax errors
    /// (text being typed seldom parses; completion and hover still want
    /// the variables in scope).
    vars: HashMap<Uri, VarTable>,
}

impl Workspace {
    /// A workspace reading policy as `aaprof check` with these flags does.
    pub fn new(args: &PolicySettingsArgs) -> Result<Workspace, String> {
        let config = args.config()?;
        let (session, policy_features_given) = check_session(&config)?;
        Ok(Workspace {
            docs: HashMap::new(),
            config,
            session,
            policy_features_given,
            analyses: HashMap::new(),
            compiled: HashMap::new(),
            vars: HashMap::new(),
        })
    }

    /// Takes new settings: a fresh session (and source cache) with the
    /// open buffers put back.
    pub fn reconfigure(&mut self, args: &PolicySettingsArgs) -> Result<(), String> {
        let fresh = Workspace::new(args)?;
        self.config = fresh.config;
        self.session = fresh.session;
        self.policy_features_given = fresh.policy_features_given;
        self.analyses.clear();
        self.compiled.clear();
        self.vars.clear();
        for doc in self.docs.values() {
            if let Some(path) = &doc.path {
                self.session.cache.set_text(path, &doc.text);
            }
        }
        Ok(())
    }

    pub fn cache(&self) -> &SourceCache {
        &self.session.cache
    }

    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        let path = uri_to_path(&uri);
        if let Some(path) = &path {
            self.session.cache.set_text(path, &text);
        }
        self.docs.insert(
            uri,
            Document {
                path,
                text,
                version,
            },
        );
    }

    /// Applies edits (whole text or ranges) in order. Returns the
    /// document's path, if it has one.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<()> {
        let doc = self.docs.get_mut(uri)?;
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&doc.text);
                    let start = index.offset(range.start);
                    let end = index.offset(range.end).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = version;
        if let Some(path) = &doc.path {
            self.session.cache.set_text(path, &doc.text);
        }
        Some(())
    }

    /// Forgets a closed buffer: its file is read from disk again.
    pub fn close(&mut self, uri: &Uri) {
        if let Some(doc) = self.docs.remove(uri)
            && let Some(path) = doc.path
        {
            self.session.cache.forget(&path);
        }
        self.analyses.remove(uri);
        self.compiled.remove(uri);
        self.vars.remove(uri);
    }

    /// A file changed on disk: read it again unless it is open.
    pub fn file_changed(&mut self, path: &std::path::Path) {
        if !self.docs.values().any(|d| d.path.as_deref() == Some(path)) {
            self.session.cache.forget(path);
        }
    }

    /// The compiler input for a document.
    pub fn input(&self, uri: &Uri) -> Option<Input> {
        let doc = self.docs.get(uri)?;
        Some(match &doc.path {
            Some(path) => Input::Path(path.clone()),
            None => Input::Text {
                name: uri.as_str().to_string(),
                text: doc.text.clone(),
            },
        })
    }

    /// The parsed buffer (from the cache for files).
    pub fn parsed(&self, uri: &Uri) -> Option<Arc<ParsedFile>> {
        crate::resolve::parse_input(&self.input(uri)?, self.cache()).ok()
    }

    /// Checks a document as `aaprof check` does and keeps the result.
    pub fn check(&mut self, uri: &Uri) -> Option<&Analysis> {
        let input = self.input(uri)?;
        let version = self.docs.get(uri)?.version;
        let checked = check_input(
            &input,
            &self.config,
            &self.session,
            self.policy_features_given,
        );
        let mut deps = HashSet::new();
        for (_, found) in &checked.loaded.includes {
            match found {
                Found::File(p) => {
                    deps.insert(p.clone());
                }
                Found::Dir(files) => deps.extend(files.iter().cloned()),
                Found::Missing => {}
            }
        }
        let mut diagnostics = checked.diagnostics;
        // A body fragment (an abstraction: rules outside any profile, as
        // the check itself finds) means something only where it is
        // included; checked alone every rule would be an error. Keep its
        // syntax errors; the documents including it report the rest.
        let fragment = diagnostics
            .iter()
            .any(|d| d.code == "outside-profile" && d.included_from.is_empty());
        if fragment {
            diagnostics.retain(|d| d.code == "syntax" && d.included_from.is_empty());
        }
        let mut loaded = checked.loaded;
        let clean = !diagnostics.iter().any(|d| d.code == "syntax");
        if clean || !self.vars.contains_key(uri) {
            self.vars
                .insert(uri.clone(), std::mem::take(&mut loaded.vars));
        }
        let previous = self.analyses.insert(
            uri.clone(),
            Analysis {
                version,
                diagnostics,
                loaded,
                deps,
            },
        );
        // Freeing a large policy model takes a while: not on the way to
        // the diagnostics.
        if let Some(previous) = previous {
            std::thread::spawn(move || drop(previous));
        }
        self.analyses.get(uri)
    }

    /// The variables in scope at the end of a document's preamble, from
    /// its last check that parsed.
    pub fn vars(&self, uri: &Uri) -> Option<&VarTable> {
        self.vars.get(uri)
    }

    /// The open documents whose last check read `path`.
    pub fn dependents(&self, path: &std::path::Path) -> Vec<Uri> {
        self.analyses
            .iter()
            .filter(|(_, a)| a.deps.contains(path))
            .map(|(u, _)| u.clone())
            .collect()
    }

    /// The document compiled (for hover's queries), once per version.
    pub fn compiled(&mut self, uri: &Uri) -> Option<Arc<LoadedPolicy>> {
        let version = self.docs.get(uri)?.version;
        if let Some((v, policy)) = self.compiled.get(uri)
            && *v == version
        {
            return policy.clone();
        }
        let input = self.input(uri)?;
        let policy = LoadedPolicy::compile(&input, &self.session)
            .ok()
            .map(Arc::new);
        self.compiled.insert(uri.clone(), (version, policy.clone()));
        policy
    }

    /// The search options the workspace resolves with.
    pub fn options(&self) -> &crate::resolve::Options {
        &self.config.options
    }
}
