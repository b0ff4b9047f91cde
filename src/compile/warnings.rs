//! What `check` reports beyond the front end. Warnings about what the
//! target will not enforce: apparmor_parser's
//! `rule-not-enforced` ("dbus rules not enforced") and `abi` ("missing
//! feature abi, falling back to default policy feature abi") classes.
//! Whether they are shown is the caller's business
//! ([`crate::diagnostics::WarnSettings`]).

use super::{CompileError, CompileOptions, Session, Target};
use crate::diagnostics::{Diagnostic, IncludeSite, Location};
use crate::encode::{encode_policy, unenforced_classes};
use crate::features::Features;
use crate::model::{Origin, Policy, Profile};
use crate::resolve::Input;
use std::path::Path;

impl Session {
    /// What `check` adds to the front end's diagnostics once features are
    /// known: the `rule-not-enforced` warnings for the features the
    /// policy's `abi` rule selects, and the errors apparmor_parser finds
    /// only while encoding rules (a mount rule no mount kind matches, too
    /// many exec targets, ...). Nothing when the features cannot be
    /// determined (compiling reports that as an error).
    pub fn check_diagnostics(&self, policy: &Policy) -> Vec<Diagnostic> {
        let Ok(features) = self.features_for(policy.abi.as_deref()) else {
            return Vec::new();
        };
        let mut out = self.unenforced_warnings(policy, &features);
        let target = Target::new(&CompileOptions::new(features));
        if let Err(error) = encode_policy(policy, &target.encode, target.profile) {
            out.push(self.compile_error(&CompileError::Encode(error)));
        }
        out
    }

    /// A compile error as a diagnostic, placed at its rule when it has one.
    pub fn compile_error(&self, error: &CompileError) -> Diagnostic {
        let origin = error.origin();
        let chain: Vec<IncludeSite> = origin.map_or_else(Vec::new, |o| {
            o.included_from
                .iter()
                .map(|(file, line, column)| IncludeSite {
                    file: file.clone(),
                    line: *line,
                    column: *column,
                })
                .collect()
        });
        let location = origin.and_then(|o| self.origin_location(o));
        Diagnostic::error("compile", error.to_string(), location).with_chain(chain.into())
    }

    /// One warning per profile (hats and children included) per rule class
    /// the target does not mediate, at the profile's header.
    pub fn unenforced_warnings(&self, policy: &Policy, features: &Features) -> Vec<Diagnostic> {
        let target = Target::new(&CompileOptions::new(features.clone()));
        let mut out = Vec::new();
        let mut stack: Vec<(String, &Profile)> = policy
            .profiles
            .iter()
            .rev()
            .map(|p| (p.name.clone(), p))
            .collect();
        while let Some((name, profile)) = stack.pop() {
            for class in unenforced_classes(profile, &target.encode) {
                out.push(Diagnostic::warning(
                    "rule-not-enforced",
                    format!("profile {name}: {class} rules not enforced (the target kernel does not mediate {class})"),
                    self.origin_location(&profile.origin),
                ));
            }
            for child in profile.children.iter().rev() {
                stack.push((format!("{name}//{}", child.name), child));
            }
        }
        out
    }

    /// Where an origin points, when its file can be shown (the source
    /// cache holds every file a load read; standard input is not there).
    pub fn origin_location(&self, origin: &Origin) -> Option<Location> {
        if &*origin.file == "-" {
            return None;
        }
        let parsed = self.cache.get(Path::new(&*origin.file)).ok()?;
        Some(Location::line_from(
            parsed.source.clone(),
            origin.line,
            origin.column,
        ))
    }
}

/// apparmor_parser's `abi` warning for a file with no `abi` rule when no
/// policy features were given (`-M`, `--policy-features`,
/// `--override-policy-abi`): its policy features fall back to the default.
/// Placed at the first profile, or unplaced when there is none.
pub fn missing_abi_warning(
    policy: &Policy,
    input: &Input,
    policy_features_given: bool,
    session: &Session,
) -> Option<Diagnostic> {
    if policy.abi.is_some() || policy_features_given {
        return None;
    }
    let input_name = match input {
        Input::Path(path) => path.display().to_string(),
        Input::Text { name, .. } => name.clone(),
    };
    let location = policy
        .profiles
        .first()
        .and_then(|p| session.origin_location(&p.origin));
    Some(Diagnostic::warning(
        "abi-missing",
        format!(
            "File '{input_name}' missing feature abi, falling back to default policy feature abi"
        ),
        location,
    ))
}
