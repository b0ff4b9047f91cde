//! `aaprof query POLICY REQUEST... --profile NAME`: decide one request
//! (`file /etc/shadow w`, `capability sys_admin`, `network inet stream`,
//! `signal send peer=foo`, `ptrace read peer=foo`, `userns create`) from a
//! blob or a source file, without a kernel.
//!
//! Exit status: 0 allow, 1 deny, 2 usage, I/O or policy errors.

use super::common::{DiagnosticFormat, emit};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs, PolicySettingsArgs};
use crate::audit;
use crate::compile::Session;
use crate::features::FeatureSet;
use crate::query::{Decision, LoadError, LoadedPolicy, Request, query};
use clap::{Args, ValueEnum};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "POLICY is a profile source file or a binary blob (aaprof's or \
apparmor_parser's). REQUEST is one of:\n  file PATH PERMS [owner]    PERMS from rwaxmlk\n  \
capability NAME\n  network FAMILY TYPE [ACCESS...]   (default access: create)\n  \
signal [ACCESS...] [set=SIGNAL] [peer=LABEL]   (defaults: send, term, unconfined)\n  \
ptrace [ACCESS...] [peer=LABEL]   (defaults: trace, unconfined)\n  userns create\n  \
dbus [send|receive|bind|eavesdrop] bus=B [name=N] [peer=LABEL] [path=P] [interface=I] \
[member=M]\n  exec PATH [owner]   (names the transition: ix, Px -> NAME, ...)\n  \
mount POINT [source=DEV] [fstype=TYPE] [options=WORD,...]\n  umount POINT\n  \
pivot_root NEW_ROOT [oldroot=OLD]\n\n\
Exit status: 0 allow, 1 deny, 2 usage, I/O or policy errors."
)]
pub struct QueryArgs {
    /// POLICY then the REQUEST words.
    #[command(flatten)]
    pub input: PolicyInputArgs,
    /// The profile to ask (`name`, `parent//child`); with --audit, the
    /// record's profile unless given.
    #[arg(long, value_name = "NAME", required_unless_present = "audit")]
    pub profile: Option<String>,
    /// Decide the access an AppArmor audit record logged instead of a
    /// REQUEST: one line as auditd, dmesg or journalctl print it. Says
    /// whether the policy still denies it and, if so, the narrowest rule
    /// that would allow it.
    #[arg(long, value_name = "LINE")]
    pub audit: Option<String>,
    /// Output format: text, or one JSON object with `decision`.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// A session reading source the way `compile` does: search path and
/// features from the flags and parser.conf, else the running kernel's.
pub(super) fn session_for(input: &PolicySettingsArgs) -> Result<Session, String> {
    let config = input.config()?;
    let features = config.feature_sources()?;
    let mut session = Session::new(config.options, features);
    if session.features.kernel.is_none() {
        session.default_kernel = FeatureSet::from_running_kernel().ok();
    }
    Ok(session)
}

/// Loads a blob or source file; source errors are printed as diagnostics.
pub(super) fn load(path: &Path, session: &Session) -> Result<LoadedPolicy, String> {
    LoadedPolicy::load(path, session).map_err(|error| {
        if let LoadError::Policy { diagnostics, .. } = &error {
            emit(diagnostics, DiagnosticFormat::Human);
        }
        error.to_string()
    })
}

pub fn run(args: QueryArgs) -> u8 {
    match run_query(&args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("aaprof query: {message}");
            EXIT_USAGE
        }
    }
}

fn run_query(args: &QueryArgs) -> Result<u8, String> {
    if let Some(line) = &args.audit {
        return run_audit(args, line);
    }
    let Some((policy, words)) = args.input.files.split_first() else {
        return Err("give a policy file and a request, e.g. `aaprof query t.bin --profile t file /etc/shadow w`".into());
    };
    let words: Vec<String> = words
        .iter()
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    let request = Request::parse(&words).map_err(|e| e.to_string())?;
    let session = session_for(&args.input.settings)?;
    let loaded = load(policy, &session)?;
    let profile = args.profile.as_deref().unwrap_or_default();
    let answer = query(&loaded, profile, &request).map_err(|e| e.to_string())?;
    match args.format {
        OutputFormat::Text => print!("{}", answer.to_text()),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string(&answer).map_err(|e| e.to_string())?
        ),
    }
    Ok(match answer.decision {
        Decision::Allow => EXIT_OK,
        Decision::Deny => EXIT_POLICY_ERROR,
    })
}

/// `--audit LINE`: the record's access asked of the policy; exit 0 when
/// it is now allowed, 1 when still denied.
fn run_audit(args: &QueryArgs, line: &str) -> Result<u8, String> {
    let [policy] = args.input.files.as_slice() else {
        return Err(
            "with --audit give only the policy file: `aaprof query POLICY --audit LINE`".into(),
        );
    };
    let record = audit::parse_line(line)
        .map_err(|e| format!("--audit: {e}"))?
        .ok_or("--audit: the line holds no AppArmor record (no `apparmor=` field)")?;
    let request = record.request().map_err(|e| format!("--audit: {e}"))?;
    let session = session_for(&args.input.settings)?;
    let loaded = load(policy, &session)?;
    let profile = args
        .profile
        .clone()
        .unwrap_or_else(|| record.profile.clone());
    let answer = query(&loaded, &profile, &request).map_err(|e| e.to_string())?;
    let suggestion = audit::suggest(&record, &answer);
    let verdict = match (answer.decision, record.kind.as_str()) {
        (Decision::Allow, "DENIED") => "now allowed",
        (Decision::Allow, _) => "allowed",
        (Decision::Deny, "DENIED") => "still denied",
        (Decision::Deny, _) => "now denied",
    };
    match args.format {
        OutputFormat::Text => {
            println!("{verdict}: {}", record.summary());
            print!("{}", answer.to_text());
            if let Some(suggestion) = &suggestion {
                print!("{}", suggestion.to_text("  "));
            }
        }
        OutputFormat::Json => {
            let value = serde_json::json!({
                "verdict": verdict,
                "record": {
                    "apparmor": record.kind,
                    "operation": record.operation,
                    "profile": record.profile,
                    "fields": record.fields.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                },
                "answer": answer,
                "suggestion": suggestion,
            });
            println!("{value}");
        }
    }
    Ok(match answer.decision {
        Decision::Allow => EXIT_OK,
        Decision::Deny => EXIT_POLICY_ERROR,
    })
}
