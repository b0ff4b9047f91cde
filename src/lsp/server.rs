//! The message loop: requests answered in order, document changes
//! applied at once and checked after a quiet interval (debounce), so a
//! burst of keystrokes costs one check.

use super::config::Settings;
use super::diagnostics::{Publisher, convert};
use super::text::uri_to_path;
use super::workspace::Workspace;
use super::{complete, format, hover, navigate, symbols};
use crate::cli::PolicySettingsArgs;
use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CompletionOptions, ConfigurationItem, ConfigurationParams, HoverProviderCapability,
    InitializeParams, OneOf, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Quiet time after the last change before a document is checked again.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(50);

/// What the server tells the client it can do.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["<", "/", "{", "@", "$", "(", " ", "="]
                    .map(String::from)
                    .to_vec(),
            ),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

pub struct Server {
    conn: Connection,
    ws: Workspace,
    /// The flags `aaprof lsp` was started with (settings override them).
    base: PolicySettingsArgs,
    publisher: Publisher,
    /// Documents to check, each with the time it becomes due.
    pending: HashMap<Uri, Instant>,
    debounce: Duration,
    /// Our `workspace/configuration` requests awaiting an answer.
    config_requests: Vec<RequestId>,
    next_id: i32,
}

/// Runs the protocol on `conn` until `shutdown` and `exit`.
pub fn run(conn: Connection, base: PolicySettingsArgs) -> Result<(), String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let mut notes = Vec::new();
    let settings = match params
        .initialization_options
        .as_ref()
        .map(Settings::from_json)
    {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            notes.push(e);
            Settings::default()
        }
        None => Settings::default(),
    };
    let ws = match Workspace::new(&settings.apply(&base)) {
        Ok(ws) => ws,
        Err(e) => {
            notes.push(format!("aaprof settings: {e}; using the command line's"));
            Workspace::new(&base)?
        }
    };
    let result = lsp_types::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "aaprof".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    conn.initialize_finish(id, serde_json::to_value(result).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        conn,
        ws,
        base,
        publisher: Publisher::default(),
        pending: HashMap::new(),
        debounce: settings
            .debounce_ms
            .map_or(DEFAULT_DEBOUNCE, Duration::from_millis),
        config_requests: Vec::new(),
        next_id: 0,
    };
    for note in notes {
        server.show_message(&note);
    }
    server.main_loop()
}

impl Server {
    fn main_loop(&mut self) -> Result<(), String> {
        loop {
            let due = self.pending.values().min().copied();
            let message = match due {
                Some(due) => {
                    match self
                        .conn
                        .receiver
                        .recv_timeout(due.saturating_duration_since(Instant::now()))
                    {
                        Ok(m) => Some(m),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return Ok(()),
                    }
                }
                None => match self.conn.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Some(Message::Request(request)) => {
                    if self
                        .conn
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    self.request(request);
                }
                Some(Message::Notification(n)) => self.notification(n),
                Some(Message::Response(r)) => self.response(r),
                None => {}
            }
            self.run_due();
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // The client went away: the loop ends at the next receive.
        let _ = self.conn.sender.send(message.into());
    }

    fn show_message(&self, text: &str) {
        self.send(Notification::new(
            notif::ShowMessage::METHOD.into(),
            lsp_types::ShowMessageParams {
                typ: lsp_types::MessageType::WARNING,
                message: text.into(),
            },
        ));
    }

    /// Checks every document whose quiet time is over.
    fn run_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .pending
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.pending.remove(&uri);
            self.refresh(&uri);
        }
    }

    /// Checks a document now and publishes what changed.
    pub fn refresh(&mut self, uri: &Uri) {
        if self.ws.check(uri).is_none() {
            return;
        }
        let Some(analysis) = self.ws.analyses.get(uri) else {
            return;
        };
        let per_file = convert(&analysis.diagnostics, uri, &self.ws);
        let changed = self.publisher.update(uri, per_file);
        self.publish(changed);
    }

    fn publish(&self, changed: Vec<(Uri, Vec<lsp_types::Diagnostic>)>) {
        for (uri, diagnostics) in changed {
            let version = self.ws.docs.get(&uri).map(|d| d.version);
            self.send(Notification::new(
                notif::PublishDiagnostics::METHOD.into(),
                PublishDiagnosticsParams {
                    uri,
                    diagnostics,
                    version,
                },
            ));
        }
    }

    /// Schedules a check of `uri` and of every open document that reads
    /// its file.
    fn schedule(&mut self, uri: &Uri, delay: Duration) {
        let due = Instant::now() + delay;
        self.pending.insert(uri.clone(), due);
        if let Some(path) = uri_to_path(uri) {
            for dependent in self.ws.dependents(&path) {
                self.pending.insert(dependent, due);
            }
        }
    }

    /// Answers a request about a document with the latest text checked.
    fn flush(&mut self, uri: &Uri) {
        if self.pending.remove(uri).is_some() {
            self.refresh(uri);
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidOpenTextDocumentParams>(
                    notif::DidOpenTextDocument::METHOD,
                ) {
                    let uri = p.text_document.uri;
                    self.ws
                        .open(uri.clone(), p.text_document.text, p.text_document.version);
                    // The first check at once; documents including this
                    // one see the buffer after the quiet time.
                    self.refresh(&uri);
                    self.schedule_dependents(&uri);
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    notif::DidChangeTextDocument::METHOD,
                ) {
                    let uri = p.text_document.uri;
                    if self
                        .ws
                        .change(&uri, p.text_document.version, p.content_changes)
                        .is_some()
                    {
                        self.schedule(&uri, self.debounce);
                    }
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidCloseTextDocumentParams>(
                    notif::DidCloseTextDocument::METHOD,
                ) {
                    let uri = p.text_document.uri;
                    self.ws.close(&uri);
                    self.pending.remove(&uri);
                    let changed = self.publisher.remove(&uri);
                    self.publish(changed);
                    self.schedule_dependents(&uri);
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeWatchedFilesParams>(
                    notif::DidChangeWatchedFiles::METHOD,
                ) {
                    for change in p.changes {
                        if let Some(path) = uri_to_path(&change.uri) {
                            self.ws.file_changed(&path);
                            self.schedule_dependents(&change.uri);
                        }
                    }
                }
            }
            notif::DidChangeConfiguration::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeConfigurationParams>(
                    notif::DidChangeConfiguration::METHOD,
                ) {
                    if p.settings.is_null() || p.settings.as_object().is_some_and(|o| o.is_empty())
                    {
                        self.ask_configuration();
                    } else {
                        self.configure(&p.settings);
                    }
                }
            }
            _ => {}
        }
    }

    fn schedule_dependents(&mut self, uri: &Uri) {
        if let Some(path) = uri_to_path(uri) {
            let due = Instant::now() + self.debounce;
            for dependent in self.ws.dependents(&path) {
                if &dependent != uri {
                    self.pending.insert(dependent, due);
                }
            }
        }
    }

    /// Pulls the `aaprof` section (for clients that send an empty
    /// `didChangeConfiguration`).
    fn ask_configuration(&mut self) {
        self.next_id += 1;
        let id = RequestId::from(format!("aaprof-config-{}", self.next_id));
        self.config_requests.push(id.clone());
        self.send(Request::new(
            id,
            req::WorkspaceConfiguration::METHOD.into(),
            ConfigurationParams {
                items: vec![ConfigurationItem {
                    scope_uri: None,
                    section: Some("aaprof".into()),
                }],
            },
        ));
    }

    fn response(&mut self, r: Response) {
        let Some(i) = self.config_requests.iter().position(|id| *id == r.id) else {
            return;
        };
        self.config_requests.remove(i);
        if let Some(first) = r.response_result.as_ref().ok().and_then(|v| v.get(0))
            && !first.is_null()
        {
            self.configure(&first.clone());
        }
    }

    /// New settings: a fresh session, every open document checked again.
    fn configure(&mut self, value: &serde_json::Value) {
        let applied = Settings::from_json(value).and_then(|settings| {
            if let Some(ms) = settings.debounce_ms {
                self.debounce = Duration::from_millis(ms);
            }
            self.ws.reconfigure(&settings.apply(&self.base))
        });
        if let Err(e) = applied {
            self.show_message(&e);
            return;
        }
        let uris: Vec<Uri> = self.ws.docs.keys().cloned().collect();
        for uri in uris {
            self.refresh(&uri);
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let result = self.answer(request);
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response);
    }

    fn answer(&mut self, r: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        fn params<P: serde::de::DeserializeOwned>(
            r: Request,
            method: &str,
        ) -> Result<P, (ErrorCode, String)> {
            r.extract::<P>(method)
                .map(|(_, p)| p)
                .map_err(|e| (ErrorCode::InvalidParams, format!("{e:?}")))
        }
        let json = |v: Result<serde_json::Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match r.method.as_str() {
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(r, req::HoverRequest::METHOD)?;
                let at = p.text_document_position_params;
                self.flush(&at.text_document.uri);
                json(serde_json::to_value(hover::hover(
                    &mut self.ws,
                    &at.text_document.uri,
                    at.position,
                )))
            }
            req::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(r, req::GotoDefinition::METHOD)?;
                let at = p.text_document_position_params;
                self.flush(&at.text_document.uri);
                let found = navigate::definition(&self.ws, &at.text_document.uri, at.position);
                json(serde_json::to_value(
                    (!found.is_empty()).then_some(lsp_types::GotoDefinitionResponse::Array(found)),
                ))
            }
            req::References::METHOD => {
                let p: lsp_types::ReferenceParams = params(r, req::References::METHOD)?;
                let at = p.text_document_position;
                self.flush(&at.text_document.uri);
                json(serde_json::to_value(navigate::references(
                    &self.ws,
                    &at.text_document.uri,
                    at.position,
                    p.context.include_declaration,
                )))
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams =
                    params(r, req::DocumentSymbolRequest::METHOD)?;
                json(serde_json::to_value(
                    symbols::document_symbols(&self.ws, &p.text_document.uri)
                        .map(lsp_types::DocumentSymbolResponse::Nested),
                ))
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(r, req::Completion::METHOD)?;
                let at = p.text_document_position;
                self.flush(&at.text_document.uri);
                json(serde_json::to_value(
                    complete::complete(&self.ws, &at.text_document.uri, at.position)
                        .map(lsp_types::CompletionResponse::Array),
                ))
            }
            req::Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = params(r, req::Formatting::METHOD)?;
                match format::format(&self.ws, &p.text_document.uri, &p.options) {
                    Ok(edits) => json(serde_json::to_value(edits)),
                    Err(message) => Err((ErrorCode::RequestFailed, message)),
                }
            }
            method => Err((
                ErrorCode::MethodNotFound,
                format!("aaprof lsp does not handle {method}"),
            )),
        }
    }
}
