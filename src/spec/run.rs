//! Answering expectations: each policy is loaded once per run (keyed by
//! path, features and include directories) and every expectation is
//! decided by [`crate::query::query`], the same engine as `aaprof query`.

use super::{Expectation, Expected};
use crate::audit::{self, Suggestion};
use crate::query::{Answer, Decision, LoadedPolicy, query};
use std::collections::HashMap;
use std::path::PathBuf;

/// What makes two expectations ask the same compiled policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PolicyKey {
    pub policy: PathBuf,
    /// A features file or `builtin:NAME`; `None`: the command line's.
    pub features: Option<String>,
    pub include_dirs: Vec<PathBuf>,
}

/// How one expectation came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pass,
    /// The answer differs from the expectation: why.
    Fail(String),
    /// The expectation could not be asked (policy not loadable, no such
    /// profile): why.
    Error(String),
}

/// One expectation with its answer.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub expectation: &'a Expectation,
    pub status: Status,
    pub answer: Option<Answer>,
    /// For an audit record still denied: the narrowest rule that would
    /// allow it.
    pub suggestion: Option<Suggestion>,
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome<'_>]) -> Summary {
        let mut summary = Summary::default();
        for outcome in outcomes {
            match outcome.status {
                Status::Pass => summary.passed += 1,
                Status::Fail(_) => summary.failed += 1,
                Status::Error(_) => summary.errors += 1,
            }
        }
        summary
    }
}

/// Answers every expectation; `load` compiles or reads a policy (called
/// once per distinct key).
pub fn run<'a>(
    expectations: &'a [Expectation],
    load: &mut dyn FnMut(&PolicyKey) -> Result<LoadedPolicy, String>,
) -> Vec<Outcome<'a>> {
    let mut cache: HashMap<PolicyKey, Result<LoadedPolicy, String>> = HashMap::new();
    let mut reported: Vec<PolicyKey> = Vec::new();
    let mut outcomes = Vec::new();
    for expectation in expectations {
        let loaded = cache
            .entry(expectation.policy.clone())
            .or_insert_with(|| load(&expectation.policy));
        let outcome = match loaded {
            Ok(policy) => decide(expectation, policy),
            Err(message) => {
                // The loader's message once; later expectations refer to it.
                let message = if reported.contains(&expectation.policy) {
                    format!(
                        "policy {} did not load (see above)",
                        expectation.policy.policy.display()
                    )
                } else {
                    reported.push(expectation.policy.clone());
                    message.clone()
                };
                Outcome {
                    expectation,
                    status: Status::Error(message),
                    answer: None,
                    suggestion: None,
                }
            }
        };
        outcomes.push(outcome);
    }
    outcomes
}

/// The profile an expectation asks: its own, else the policy's only one.
fn profile_of(expectation: &Expectation, policy: &LoadedPolicy) -> Result<String, String> {
    if let Some(name) = &expectation.profile {
        return Ok(name.clone());
    }
    match policy.names().as_slice() {
        [only] => Ok(only.clone()),
        names => Err(format!(
            "no profile: write `profile NAME` before this line (profiles: {})",
            names.join(", ")
        )),
    }
}

fn decide<'a>(expectation: &'a Expectation, policy: &LoadedPolicy) -> Outcome<'a> {
    let mut outcome = Outcome {
        expectation,
        status: Status::Pass,
        answer: None,
        suggestion: None,
    };
    let answer = match profile_of(expectation, policy)
        .and_then(|name| query(policy, &name, &expectation.request).map_err(|e| e.to_string()))
    {
        Ok(answer) => answer,
        Err(message) => {
            outcome.status = Status::Error(message);
            return outcome;
        }
    };
    outcome.status = verdict(&expectation.expected, &answer);
    if let (Status::Fail(_), Expected::Record(record)) = (&outcome.status, &expectation.expected) {
        outcome.suggestion = audit::suggest(record, &answer);
    }
    outcome.answer = Some(answer);
    outcome
}

/// The profile an exec transition changes to, spelled as a name.
pub fn exec_target(answer: &Answer, path: &str) -> Option<(String, String)> {
    let exec = answer.exec.as_ref()?;
    let target = match exec.target.as_str() {
        "(the current profile)" => answer.profile.clone(),
        "(the profile named like the program)" => path.to_string(),
        "(the child profile named like the program)" => format!("{}//{path}", answer.profile),
        other => other.to_string(),
    };
    Some((exec.mode.clone(), target))
}

/// Compares an answer with what the expectation wants.
pub fn verdict(expected: &Expected, answer: &Answer) -> Status {
    let got = answer.decision;
    let missing = || {
        if answer.missing.is_empty() {
            String::new()
        } else {
            format!(" (not granted: {})", answer.missing.join(" "))
        }
    };
    match expected {
        Expected::Allow if got == Decision::Deny => {
            Status::Fail(format!("expected allow, got deny{}", missing()))
        }
        Expected::Record(record) if got == Decision::Deny => Status::Fail(format!(
            "{}{}",
            if record.kind == "DENIED" {
                "still denied"
            } else {
                "now denied"
            },
            missing()
        )),
        Expected::Allow | Expected::Record(_) => Status::Pass,
        Expected::Deny if got == Decision::Allow => Status::Fail("expected deny, got allow".into()),
        Expected::Deny => Status::Pass,
        Expected::Audit if got == Decision::Deny => {
            Status::Fail(format!("expected allow with audit, got deny{}", missing()))
        }
        Expected::Audit if !answer.audit => {
            Status::Fail("expected allow with audit, got allow without audit".into())
        }
        Expected::Audit => Status::Pass,
        Expected::Exec { .. } if got == Decision::Deny => {
            Status::Fail("expected the exec to be allowed, got deny".into())
        }
        Expected::Exec { mode, target } => {
            let path = match &answer.request {
                crate::query::Request::Exec { path, .. } => path.as_str(),
                _ => "",
            };
            let Some((got_mode, got_target)) = exec_target(answer, path) else {
                return Status::Fail("allowed, but names no exec transition".into());
            };
            let mode_ok = mode.as_ref().is_none_or(|m| *m == got_mode);
            let target_ok = target.as_ref().is_none_or(|t| *t == got_target);
            if mode_ok && target_ok {
                Status::Pass
            } else {
                let want = [mode.as_deref(), target.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                Status::Fail(format!(
                    "expected exec -> {want}, got {got_mode} -> {got_target}"
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{ExecTransition, Request};

    fn answer(decision: Decision, audit: bool, exec: Option<(&str, &str)>) -> Answer {
        Answer {
            profile: "p".into(),
            request: Request::Exec {
                path: "/bin/x".into(),
                owner: false,
            },
            decision,
            granted: vec![],
            missing: if decision == Decision::Deny {
                vec!["x".into()]
            } else {
                vec![]
            },
            audit,
            quiet: false,
            explicit_deny: false,
            exec: exec.map(|(mode, target)| ExecTransition {
                mode: mode.into(),
                target: target.into(),
            }),
            other_owner_decision: None,
            mode: "enforce",
            mediated: true,
            notes: vec![],
            rules: None,
        }
    }

    #[test]
    fn each_policy_is_loaded_once_and_its_error_reported_once() {
        use crate::spec::{Expectation, Location};
        let key = |name: &str| PolicyKey {
            policy: PathBuf::from(name),
            features: None,
            include_dirs: Vec::new(),
        };
        let expectation = |line: usize, policy: &str| Expectation {
            location: Location {
                file: "t.spec".into(),
                line,
            },
            expected: Expected::Allow,
            request: Request::Userns,
            text: "userns create".into(),
            policy: key(policy),
            profile: None,
        };
        let expectations = [
            expectation(1, "a"),
            expectation(2, "b"),
            expectation(3, "a"),
        ];
        let mut calls = Vec::new();
        let outcomes = run(&expectations, &mut |k: &PolicyKey| {
            calls.push(k.policy.clone());
            Err(format!("{} does not compile", k.policy.display()))
        });
        assert_eq!(calls, [PathBuf::from("a"), PathBuf::from("b")]);
        let statuses: Vec<&Status> = outcomes.iter().map(|o| &o.status).collect();
        assert_eq!(
            statuses,
            [
                &Status::Error("a does not compile".into()),
                &Status::Error("b does not compile".into()),
                &Status::Error("policy a did not load (see above)".into()),
            ]
        );
    }

    #[test]
    fn verdicts() {
        use Decision::{Allow, Deny};
        let plain = answer(Allow, false, None);
        assert_eq!(verdict(&Expected::Allow, &plain), Status::Pass);
        assert!(matches!(verdict(&Expected::Deny, &plain), Status::Fail(_)));
        assert_eq!(
            verdict(&Expected::Audit, &plain),
            Status::Fail("expected allow with audit, got allow without audit".into())
        );
        assert_eq!(
            verdict(&Expected::Audit, &answer(Allow, true, None)),
            Status::Pass
        );
        assert_eq!(
            verdict(&Expected::Allow, &answer(Deny, false, None)),
            Status::Fail("expected allow, got deny (not granted: x)".into())
        );
        let exec = |mode: Option<&str>, target: Option<&str>| Expected::Exec {
            mode: mode.map(String::from),
            target: target.map(String::from),
        };
        let ix = answer(Allow, false, Some(("ix", "(the current profile)")));
        assert_eq!(verdict(&exec(Some("ix"), Some("p")), &ix), Status::Pass);
        let child = answer(Allow, false, Some(("Cx", "p//kid")));
        assert_eq!(verdict(&exec(None, Some("p//kid")), &child), Status::Pass);
        assert_eq!(
            verdict(&exec(Some("Px"), None), &child),
            Status::Fail("expected exec -> Px, got Cx -> p//kid".into())
        );
        let named = answer(
            Allow,
            false,
            Some(("Px", "(the profile named like the program)")),
        );
        assert_eq!(
            verdict(&exec(Some("Px"), Some("/bin/x")), &named),
            Status::Pass
        );
        assert!(matches!(
            verdict(&exec(None, None), &plain),
            Status::Fail(_)
        ));
    }
}
