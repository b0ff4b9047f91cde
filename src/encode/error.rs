//! Why a profile cannot be encoded.

use crate::aare::AareError;
use crate::model::Origin;
use thiserror::Error;

use super::xtable::XTableError;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EncodeError {
    #[error("invalid pattern `{}`: {source}", shorten(pattern))]
    Pattern {
        pattern: String,
        #[source]
        source: AareError,
    },
    #[error("`{path}`: in deny rules `x` must not be preceded by an exec qualifier")]
    DenyExecModifier { path: String },
    #[error("`{path}`: `x` must be preceded by an exec qualifier (`i`, `p`, `c` or `u`)")]
    BareExec { path: String },
    #[error(transparent)]
    XTable(#[from] XTableError),
    #[error("the target kernel does not support stacking of named transitions: {target}")]
    StackingUnsupported { target: String },
    #[error("unknown capability `{name}`")]
    UnknownCapability { name: String },
    #[error("unknown signal `{name}`")]
    UnknownSignal { name: String },
    #[error("unknown network family, type or protocol `{name}`")]
    UnknownNetworkName { name: String },
    #[error("invalid network entry: protocol `{protocol}` names no socket of this family")]
    InvalidNetworkEntry { protocol: String },
    #[error("invalid network address or port `{value}`")]
    InvalidNetworkCondition { value: String },
    #[error(
        "mount rule matches no mount: bind, move, remount and propagation mounts take no fstype, and remount no source"
    )]
    MountNotEncodable,
    #[error("unknown rlimit `{name}`")]
    UnknownRlimit { name: String },
    #[error("invalid value `{value}` for rlimit `{name}`: {reason}")]
    RlimitValue {
        name: String,
        value: String,
        reason: String,
    },
    /// Any of the above, placed at the rule that caused it.
    #[error("{source}")]
    AtRule {
        origin: Box<Origin>,
        source: Box<EncodeError>,
    },
}

impl EncodeError {
    /// Places the error at `origin` (the innermost placement wins).
    pub fn at(self, origin: &Origin) -> Self {
        match self {
            placed @ EncodeError::AtRule { .. } => placed,
            other => EncodeError::AtRule {
                origin: Box::new(origin.clone()),
                source: Box::new(other),
            },
        }
    }

    /// The error itself, without its placement.
    pub fn cause(&self) -> &EncodeError {
        match self {
            EncodeError::AtRule { source, .. } => source,
            other => other,
        }
    }

    /// The rule the error was placed at, if any.
    pub fn origin(&self) -> Option<&Origin> {
        match self {
            EncodeError::AtRule { origin, .. } => Some(origin),
            _ => None,
        }
    }
}

/// A pattern as shown in a message: an over-long one (issue 7's pattern
/// bound) is cut to its first 80 characters.
fn shorten(pattern: &str) -> String {
    match pattern.char_indices().nth(80) {
        Some((cut, _)) => format!("{}...", &pattern[..cut]),
        None => pattern.to_string(),
    }
}
