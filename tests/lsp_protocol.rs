//! `aaprof lsp` through the protocol, in memory (`lsp-server`'s
//! `Connection::memory`): a client sends what an editor sends and the
//! answers on the profiles of `fixtures/lsp/` are checked against values
//! derived by hand (the grant on `/etc/demo/secret` is what `aaprof query`
//! answers: `r` granted, `w` removed by the deny rule).

use aaprof::cli::PolicySettingsArgs;
use aaprof::lsp::text::{path_to_uri, uri_to_path};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/lsp")
}

fn uri(name: &str) -> String {
    path_to_uri(&fixtures().join(name)).as_str().to_string()
}

struct Client {
    conn: Connection,
    next: i32,
    /// Notifications received while waiting for something else.
    notes: Vec<Notification>,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Client {
    fn start() -> Client {
        let (server, client) = Connection::memory();
        let handle =
            std::thread::spawn(move || aaprof::lsp::run(server, PolicySettingsArgs::default()));
        let mut client = Client {
            conn: client,
            next: 0,
            notes: Vec::new(),
            server: Some(handle),
        };
        let result = client.request(
            "initialize",
            json!({
                "capabilities": {},
                "initializationOptions": {"aaprof": {
                    "includePaths": [fixtures()],
                    "baseDir": fixtures(),
                    "configFile": "/dev/null",
                    "featuresFile": "builtin:upstream-all",
                    "debounceMs": 20,
                }},
            }),
        );
        let caps = &result["capabilities"];
        for cap in [
            "hoverProvider",
            "definitionProvider",
            "referencesProvider",
            "documentSymbolProvider",
            "documentFormattingProvider",
        ] {
            assert_eq!(caps[cap], json!(true), "{cap}");
        }
        client.notify("initialized", json!({}));
        client
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .unwrap();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => {
                    return r
                        .response_result
                        .unwrap_or_else(|e| json!({"error": e.message}));
                }
                Message::Notification(n) => self.notes.push(n),
                _ => {}
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self
            .notes
            .iter()
            .position(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
        {
            let n = self.notes.remove(i);
            return n.params["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            if let Message::Notification(n) = self.recv() {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                    return n.params["diagnostics"].as_array().unwrap().clone();
                }
                self.notes.push(n);
            }
        }
    }

    /// The diagnostics last published for `uri` once the server is quiet
    /// (debounced re-checks done), older ones dropped.
    fn settled_diagnostics(&mut self, uri: &str) -> Vec<Value> {
        std::thread::sleep(Duration::from_millis(300));
        while let Ok(message) = self.conn.receiver.try_recv() {
            if let Message::Notification(n) = message {
                self.notes.push(n);
            }
        }
        let mut last = None;
        self.notes.retain(|n| {
            let hit = n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri;
            if hit {
                last = Some(n.params["diagnostics"].as_array().unwrap().clone());
            }
            !hit
        });
        last.unwrap_or_else(|| self.diagnostics(uri))
    }

    fn open(&mut self, name: &str) -> String {
        let u = uri(name);
        let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "apparmor", "version": 1, "text": text}}),
        );
        u
    }

    fn at(&mut self, method: &str, u: &str, line: u32, character: u32) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}}),
        )
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let result = self.server.take().unwrap().join().unwrap();
        assert_eq!(result, Ok(()));
    }
}

fn hover_text(v: &Value) -> String {
    v["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn locations(v: &Value) -> Vec<(String, u64)> {
    v.as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|l| {
            let path = uri_to_path(&l["uri"].as_str().unwrap().parse().unwrap()).unwrap();
            let rel = path.strip_prefix(fixtures()).unwrap().display().to_string();
            (rel, l["range"]["start"]["line"].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn diagnostics_follow_check_and_the_include_chain() {
    let mut c = Client::start();
    let demo = c.open("demo.profile");
    assert_eq!(c.diagnostics(&demo), Vec::<Value>::new());
    let broken = c.open("broken.profile");
    let abstraction = uri("abstractions/broken");
    // On the abstraction: check's range, code and message.
    let inside = c.diagnostics(&abstraction);
    assert_eq!(inside.len(), 1, "{inside:?}");
    assert_eq!(inside[0]["code"], "AA1012");
    assert_eq!(
        inside[0]["message"],
        "unknown capability `not_a_capability`"
    );
    assert_eq!(
        inside[0]["range"],
        json!({"start": {"line": 1, "character": 13}, "end": {"line": 1, "character": 29}})
    );
    assert_eq!(
        inside[0]["relatedInformation"][0]["location"]["uri"],
        broken
    );
    assert_eq!(
        inside[0]["relatedInformation"][0]["location"]["range"]["start"],
        json!({"line": 2, "character": 2})
    );
    // On the profile: at the include that leads there.
    let outside = c.diagnostics(&broken);
    assert_eq!(outside.len(), 1, "{outside:?}");
    assert_eq!(
        outside[0]["range"]["start"],
        json!({"line": 2, "character": 2})
    );
    assert!(
        outside[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("abstractions/broken:2:14: unknown capability `not_a_capability`")
    );
    assert_eq!(
        outside[0]["relatedInformation"][0]["location"]["uri"],
        abstraction
    );
    // The abstraction opened itself: checked alone every rule would be
    // "outside of a profile"; a fragment shows its syntax errors and what
    // the profiles including it say, so still the one error.
    c.open("abstractions/broken");
    assert_eq!(c.settled_diagnostics(&abstraction), inside);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": abstraction}}),
    );
    assert_eq!(c.settled_diagnostics(&abstraction), inside);

    // An edit: `net_raw` becomes `net_rawx` (line 5, columns 20..20).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": demo, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 5, "character": 20}, "end": {"line": 5, "character": 20}}, "text": "x"}]}),
    );
    let edited = c.diagnostics(&demo);
    assert_eq!(edited.len(), 1, "{edited:?}");
    assert_eq!(edited[0]["message"], "unknown capability `net_rawx`");
    assert_eq!(
        edited[0]["range"]["start"],
        json!({"line": 5, "character": 13})
    );
    // Back as it was: the error goes.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": demo, "version": 3},
               "contentChanges": [{"range": {"start": {"line": 5, "character": 20}, "end": {"line": 5, "character": 21}}, "text": ""}]}),
    );
    assert_eq!(c.diagnostics(&demo), Vec::<Value>::new());
    // Closing the profile clears what it said about the abstraction.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": broken}}),
    );
    let cleared = c.settled_diagnostics(&abstraction);
    assert_eq!(cleared, Vec::<Value>::new());
    c.shutdown();
}

#[test]
fn hover_explains_words_variables_and_grants() {
    let mut c = Client::start();
    let demo = c.open("demo.profile");
    c.diagnostics(&demo);
    let cap = hover_text(&c.at("textDocument/hover", &demo, 5, 15));
    assert!(cap.contains("CAP_NET_RAW, 13"), "{cap}");
    let family = hover_text(&c.at("textDocument/hover", &demo, 6, 11));
    assert!(
        family.contains("address family `inet` (AF_INET)"),
        "{family}"
    );
    let signal = hover_text(&c.at("textDocument/hover", &demo, 7, 19));
    assert!(signal.contains("signal `term` (SIGTERM"), "{signal}");
    let flag = hover_text(&c.at("textDocument/hover", &demo, 3, 36));
    assert!(flag.contains("profile flag `complain`"), "{flag}");
    let perms = hover_text(&c.at("textDocument/hover", &demo, 9, 20));
    assert!(
        perms.contains("- `r`: read") && perms.contains("- `w`: write"),
        "{perms}"
    );
    let var = hover_text(&c.at("textDocument/hover", &demo, 10, 5));
    assert!(var.starts_with("`@{DEMO_DIRS}`: 3 value(s)"), "{var}");
    for v in ["/srv/demo", "/var/lib/demo", "/opt/demo"] {
        assert!(var.contains(&format!("- `{v}`")), "{var}");
    }
    // What the profile grants on /etc/demo/secret: r (the abstraction's
    // rule and line 10), not w (the deny rule of line 9).
    let grant = hover_text(&c.at("textDocument/hover", &demo, 9, 5));
    assert!(
        grant.contains("**`demo`** on `/etc/demo/secret`"),
        "{grant}"
    );
    assert!(grant.contains("- granted: r\n"), "{grant}");
    assert!(grant.contains("(a deny rule removes some)"), "{grant}");
    assert!(
        grant.contains("- deny `deny /etc/demo/secret w,`"),
        "{grant}"
    );
    assert!(grant.contains("- allow `/etc/demo/** r,`"), "{grant}");
    // A glob: an example path, the pattern named (a variable's values as
    // 5.0.2 keeps them: a sorted set).
    let glob = hover_text(&c.at("textDocument/hover", &demo, 10, 15));
    assert!(
        glob.contains(
            "on `/opt/demo/x.conf` (an example of `{/opt/demo,/srv/demo,/var/lib/demo}/*.conf`)"
        ),
        "{glob}"
    );
    assert!(glob.contains("- granted: r w"), "{glob}");
    c.shutdown();
}

#[test]
fn definitions_references_symbols() {
    let mut c = Client::start();
    let demo = c.open("demo.profile");
    c.diagnostics(&demo);
    let include = locations(&c.at("textDocument/definition", &demo, 4, 14));
    assert_eq!(include, vec![("abstractions/demo".to_string(), 0)]);
    let var = locations(&c.at("textDocument/definition", &demo, 10, 5));
    assert_eq!(
        var,
        vec![
            ("tunables/demo".to_string(), 1),
            ("tunables/demo".to_string(), 2)
        ]
    );
    let child = locations(&c.at("textDocument/definition", &demo, 11, 23));
    assert_eq!(child, vec![("demo.profile".to_string(), 13)]);
    let peer = locations(&c.at("textDocument/definition", &demo, 7, 35));
    assert_eq!(peer, vec![("demo.profile".to_string(), 13)]);
    // Uses only; `=` and `+=` are assignments (declarations).
    let mut refs = locations(&c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": demo}, "position": {"line": 10, "character": 5},
               "context": {"includeDeclaration": false}}),
    ));
    refs.sort();
    assert_eq!(
        refs,
        vec![
            ("abstractions/demo".to_string(), 2),
            ("demo.profile".to_string(), 10)
        ]
    );
    let mut all = locations(&c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": demo}, "position": {"line": 10, "character": 5},
               "context": {"includeDeclaration": true}}),
    ));
    all.sort();
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(
        all[2..],
        [
            ("tunables/demo".to_string(), 1),
            ("tunables/demo".to_string(), 2)
        ]
    );
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": demo}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["include <tunables/demo>", "demo"]);
    let profile = &symbols[1];
    assert_eq!(profile["kind"], 5); // Class
    assert_eq!(profile["detail"], "profile /usr/bin/demo");
    let children: Vec<&str> = profile["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["include <abstractions/demo>", "helper"]);
    c.shutdown();
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_and_formatting() {
    let mut c = Client::start();
    let demo = c.open("demo.profile");
    c.diagnostics(&demo);
    let edit = |c: &Client, version: i32, text: &str| {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": demo, "version": version}, "contentChanges": [{"text": text}]}),
        )
    };
    edit(
        &c,
        2,
        "include <tunables/demo>\nprofile p {\n  capability n\n  include <abstractions/\n  /x @{\n  \n  /y \n}\n",
    );
    let caps = labels(&c.at("textDocument/completion", &demo, 2, 14));
    assert!(
        caps.contains(&"net_raw".to_string()) && caps.len() == 41,
        "{caps:?}"
    );
    let files = labels(&c.at("textDocument/completion", &demo, 3, 24));
    assert_eq!(files, ["abstractions/broken", "abstractions/demo"]);
    let vars = labels(&c.at("textDocument/completion", &demo, 4, 7));
    assert_eq!(vars, ["DEMO_DIRS"]);
    let keywords = labels(&c.at("textDocument/completion", &demo, 5, 2));
    assert!(
        keywords.contains(&"capability".to_string()) && keywords.contains(&"include".to_string())
    );
    let perms = labels(&c.at("textDocument/completion", &demo, 6, 5));
    assert!(
        perms.contains(&"rw".to_string()) || perms.contains(&"r".to_string()),
        "{perms:?}"
    );
    edit(&c, 3, "profile p {\n      /x r,\n}\n");
    let formatted = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": demo}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(formatted[0]["newText"], "profile p {\n  /x r,\n}\n");
    edit(&c, 4, "profile p {\n");
    let refused = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": demo}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(
        refused["error"].as_str().unwrap().contains("syntax errors"),
        "{refused}"
    );
    c.shutdown();
}

#[test]
fn bad_settings_are_reported_and_the_flags_used() {
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || {
        aaprof::lsp::run(
            server,
            PolicySettingsArgs {
                config_file: Some("/dev/null".into()),
                ..PolicySettingsArgs::default()
            },
        )
    });
    let mut c = Client {
        conn: client,
        next: 0,
        notes: Vec::new(),
        server: Some(handle),
    };
    let result = c.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": {"featuresFile": "/nonexistent/features"}}),
    );
    assert_eq!(result["serverInfo"]["name"], "aaprof");
    c.notify("initialized", json!({}));
    let message = loop {
        if let Some(n) = c.notes.iter().find(|n| n.method == "window/showMessage") {
            break n.params["message"].as_str().unwrap().to_string();
        }
        if let Message::Notification(n) = c.recv() {
            c.notes.push(n);
        }
    };
    assert!(
        message.contains("features file /nonexistent/features does not exist"),
        "{message}"
    );
    c.shutdown();
}

#[test]
fn new_settings_recheck_the_open_documents() {
    let mut c = Client::start();
    let demo = c.open("demo.profile");
    assert_eq!(c.diagnostics(&demo), Vec::<Value>::new());
    // Without the fixtures on the search path the includes are missing.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"aaprof": {"includePaths": [], "baseDir": "/nonexistent"}}}),
    );
    let missing = c.diagnostics(&demo);
    let codes: Vec<&str> = missing
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // Both includes missing, so the tunable's variable is undefined.
    assert_eq!(codes, ["AA1002", "AA1002", "AA1012"], "{missing:?}");
    assert_eq!(
        missing[0]["message"],
        "could not find include <tunables/demo> (no such file in the include path)"
    );
    c.shutdown();
}
