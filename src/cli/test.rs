//! `aaprof test SPEC...`: policy unit tests (see [`crate::spec`] for the
//! spec syntax), and `--audit LOG`: every AppArmor record of a log must
//! now be allowed.
//!
//! Exit status: 0 every expectation holds, 1 some failed, 2 a spec or
//! policy could not be read (errors win over failures).

use super::query::{load, session_for};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicySettingsArgs};
use crate::spec::parse::{Loaded, read_log};
use crate::spec::{Location, Outcome, PolicyKey, Settings, Status, Summary, junit, load_specs};
use clap::{Args, ValueEnum};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TestFormat {
    /// One line per failed expectation with the rules behind the answer,
    /// then a summary.
    #[default]
    Text,
    /// JUnit XML (one testsuite per spec file) for CI dashboards.
    Junit,
}

#[derive(Debug, Args)]
#[command(
    after_help = "A spec file names the policy and lists expectations, one per line:\n  \
policy PATH                 source file or blob (relative to the spec)\n  \
features FILE|builtin:NAME  features to compile with\n  \
include-dir DIR             include search directory (repeatable)\n  \
profile NAME                the profile the following lines ask\n  \
include FILE                read another spec file here\n  \
audit-log FILE              every record of an audit log must now be allowed\n  \
allow|deny|audit REQUEST    REQUEST in `aaprof query` syntax\n  \
exec PATH -> [MODE] [TARGET]  the exec is allowed with this transition\n\
`#` starts a comment. See README.md, \"Policy unit tests\".\n\n\
Exit status: 0 every expectation holds, 1 some failed, 2 a spec or policy could not be read."
)]
pub struct TestArgs {
    /// Spec files.
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// An audit log (auditd, dmesg or journalctl output) whose AppArmor
    /// records must now be allowed (repeatable); asked of --policy, else
    /// of the policy the last spec names.
    #[arg(long, value_name = "FILE")]
    pub audit: Vec<PathBuf>,
    /// The policy --audit records are asked of (source file or blob).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Search path, parser.conf and features for every policy; a spec's
    /// `features` and `include-dir` lines take precedence.
    #[command(flatten)]
    pub settings: PolicySettingsArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
    /// Also list the expectations that hold.
    #[arg(short, long)]
    pub verbose: bool,
}

pub fn run(args: TestArgs) -> u8 {
    match run_tests(&args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("aaprof test: {message}");
            EXIT_USAGE
        }
    }
}

/// The expectations of the specs and of every `--audit` log.
fn expectations(args: &TestArgs) -> Result<Loaded, String> {
    let mut loaded = load_specs(&args.specs, &Settings::default()).map_err(|e| e.to_string())?;
    for log in &args.audit {
        let policy = match &args.policy {
            Some(policy) => PolicyKey {
                policy: policy.clone(),
                features: None,
                include_dirs: Vec::new(),
            },
            None => PolicyKey {
                policy: loaded.last.policy.clone().ok_or(
                    "--audit needs a policy: give --policy FILE or a spec with a `policy` line",
                )?,
                features: loaded.last.features.clone(),
                include_dirs: loaded.last.include_dirs.clone(),
            },
        };
        let from = Location {
            file: "--audit".into(),
            line: 0,
        };
        read_log(log, &from, &policy, &mut loaded).map_err(|e| e.message)?;
    }
    Ok(loaded)
}

fn run_tests(args: &TestArgs) -> Result<u8, String> {
    if args.specs.is_empty() && args.audit.is_empty() {
        return Err(
            "give spec files (or --audit LOG --policy FILE); see `aaprof test --help`".into(),
        );
    }
    let loaded = expectations(args)?;
    for note in &loaded.skipped {
        eprintln!("aaprof test: skipped {note}");
    }
    if loaded.expectations.is_empty() {
        return Err("the specs hold no expectations".into());
    }
    let mut load_policy = |key: &PolicyKey| {
        let mut settings = args.settings.clone();
        settings.include.extend(key.include_dirs.iter().cloned());
        if let Some(features) = &key.features {
            settings.features_file = Some(PathBuf::from(features));
        }
        let session = session_for(&settings)?;
        load(&key.policy, &session)
    };
    let outcomes = crate::spec::run(&loaded.expectations, &mut load_policy);
    let summary = Summary::of(&outcomes);
    match args.format {
        TestFormat::Text => print!("{}", text(&outcomes, summary, args.verbose)),
        TestFormat::Junit => print!("{}", junit::junit(&outcomes)),
    }
    Ok(if summary.errors > 0 {
        EXIT_USAGE
    } else if summary.failed > 0 {
        EXIT_POLICY_ERROR
    } else {
        EXIT_OK
    })
}

/// The text report: `FAIL file:line: verdict request: why` with the
/// rules indented below, then the summary line.
pub fn text(outcomes: &[Outcome<'_>], summary: Summary, verbose: bool) -> String {
    let mut out = String::new();
    for outcome in outcomes {
        let e = outcome.expectation;
        let head = format!("{}: {} {}", e.location, e.expected.word(), e.text);
        match &outcome.status {
            Status::Pass if verbose => {
                let _ = writeln!(out, "ok   {head}");
            }
            Status::Pass => {}
            Status::Fail(why) => {
                let _ = writeln!(out, "FAIL {head}: {why}");
                for line in junit::details(outcome).lines() {
                    let _ = writeln!(out, "     {line}");
                }
            }
            Status::Error(why) => {
                let _ = writeln!(out, "ERROR {head}: {why}");
            }
        }
    }
    let _ = writeln!(
        out,
        "{} passed, {} failed, {} errors ({} expectations)",
        summary.passed,
        summary.failed,
        summary.errors,
        outcomes.len()
    );
    out
}
