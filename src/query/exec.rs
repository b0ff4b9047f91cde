//! The exec transition a file entry's xindex names (binary-format §2.10,
//! §4.4): the mode as a profile writes it (`ix`, `Px`, `cux`, …) and the
//! target profile.

use crate::encode::bits::kernel::{X_CHILD, X_INHERIT, X_NAME, X_TABLE, X_UNCONFINED, X_UNSAFE};
use serde::Serialize;

/// One exec transition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ExecTransition {
    /// The exec mode as written in a rule: `ix`, `ux`/`Ux`, `px`/`Px`,
    /// `cx`/`Cx`, with `i`/`u` fallbacks (`Pix`, `cux`, …). Lowercase
    /// first letter = the environment is not scrubbed.
    pub mode: String,
    /// The profile it changes to: a named target from the xtable, or a
    /// description of the implied one.
    pub target: String,
}

impl std::fmt::Display for ExecTransition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} -> {}", self.mode, self.target)
    }
}

/// Decodes a kernel xindex; `None` when it names no transition. A table
/// index is resolved with `xtable` (`None` there gives `?N`).
pub fn exec_transition(
    xindex: u32,
    xtable: impl Fn(usize) -> Option<Vec<u8>>,
) -> Option<ExecTransition> {
    let unsafe_ = xindex & X_UNSAFE != 0;
    let inherit = xindex & X_INHERIT != 0;
    let unconfined = xindex & X_UNCONFINED != 0;
    let named = xindex & (X_NAME | X_TABLE) != 0;
    if !named {
        return match (inherit, unconfined) {
            (true, _) => Some(ExecTransition {
                mode: "ix".into(),
                target: "(the current profile)".into(),
            }),
            (false, true) => Some(ExecTransition {
                mode: if unsafe_ { "ux" } else { "Ux" }.into(),
                target: "unconfined".into(),
            }),
            (false, false) => None,
        };
    }
    let index = (xindex & 0x00FF_FFFF) as usize;
    let (child, target) = if xindex & X_TABLE != 0 {
        let name = xtable(index)
            .map(|n| String::from_utf8_lossy(&n).replace('\0', ":"))
            .unwrap_or_else(|| format!("?{index}"));
        (name.contains("//"), name)
    } else if xindex & X_CHILD != 0 {
        (true, "(the child profile named like the program)".into())
    } else {
        (false, "(the profile named like the program)".into())
    };
    let mut mode = String::from(match (child, unsafe_) {
        (true, true) => "c",
        (true, false) => "C",
        (false, true) => "p",
        (false, false) => "P",
    });
    if inherit {
        mode.push('i');
    } else if unconfined {
        mode.push('u');
    }
    mode.push('x');
    Some(ExecTransition { mode, target })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: usize) -> Option<Vec<u8>> {
        None
    }

    #[test]
    fn modes() {
        assert_eq!(exec_transition(0, none), None);
        assert_eq!(exec_transition(X_INHERIT, none).unwrap().mode, "ix");
        assert_eq!(exec_transition(X_UNCONFINED, none).unwrap().mode, "Ux");
        assert_eq!(exec_transition(X_NAME, none).unwrap().mode, "Px");
        assert_eq!(
            exec_transition(X_NAME | X_CHILD | X_UNSAFE | X_INHERIT, none)
                .unwrap()
                .mode,
            "cix"
        );
        let table = exec_transition(X_TABLE | 1, |i| {
            [b"a".to_vec(), b"t//kid".to_vec()].get(i).cloned()
        })
        .unwrap();
        assert_eq!(
            (table.mode.as_str(), table.target.as_str()),
            ("Cx", "t//kid")
        );
    }
}
