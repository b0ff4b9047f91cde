//! `unconfined-exec`: rules through which a confined task can leave
//! confinement: `ux`/`Ux` (run the program unconfined), the `pux`/`cux`
//! fallbacks (unconfined when the named profile does not exist), and
//! `change_profile -> unconfined`. Read from the model, so variables and
//! `file` prefixes are already resolved; `deny` rules grant nothing.

use super::Context;
use crate::diagnostics::Diagnostic;
use crate::model::{ExecFallback, ExecMode, Profile, RuleKind, Verdict};

pub fn check(cx: &Context<'_>, name: &str, profile: &Profile, out: &mut Vec<Diagnostic>) {
    for rule in &profile.rules {
        if rule.qualifiers.verdict == Verdict::Deny {
            continue;
        }
        let why = match &rule.kind {
            RuleKind::File(file) => file.access.exec.and_then(unconfined_mode),
            RuleKind::ChangeProfile(change) => change
                .target
                .as_deref()
                .filter(|t| *t == "unconfined")
                .map(|_| "may change to the unconfined profile"),
            _ => None,
        };
        let (Some(why), Some(location)) = (why, cx.at(&rule.origin)) else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                "unconfined-exec",
                format!("profile {name}: this rule {why}"),
                Some(location),
            )
            .with_label("leaves confinement"),
        );
    }
}

/// Why an exec mode can run a program unconfined, or `None`.
fn unconfined_mode(mode: ExecMode) -> Option<&'static str> {
    match mode {
        ExecMode::Unconfined { safe: false } => {
            Some("runs programs unconfined with an unscrubbed environment (`ux`)")
        }
        ExecMode::Unconfined { safe: true } => Some("runs programs unconfined (`Ux`)"),
        ExecMode::Profile {
            fallback: ExecFallback::Unconfined,
            ..
        } => Some("runs programs unconfined when their profile is missing (`pux`/`PUx`)"),
        ExecMode::Child {
            fallback: ExecFallback::Unconfined,
            ..
        } => Some("runs programs unconfined when the child profile is missing (`cux`/`CUx`)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unconfined_modes_and_fallbacks_are_flagged() {
        assert!(unconfined_mode(ExecMode::Unconfined { safe: true }).is_some());
        assert!(unconfined_mode(ExecMode::Unconfined { safe: false }).is_some());
        let pux = ExecMode::Profile {
            safe: true,
            fallback: ExecFallback::Unconfined,
        };
        let pix = ExecMode::Profile {
            safe: true,
            fallback: ExecFallback::Inherit,
        };
        assert!(unconfined_mode(pux).is_some());
        assert!(unconfined_mode(pix).is_none());
        assert!(unconfined_mode(ExecMode::Inherit).is_none());
        assert!(unconfined_mode(ExecMode::Plain).is_none());
    }
}
