//! `signal` rules: `\x0a[set]` + peer label, or the LABEL-class
//! alternative `(\x10\x0a|\x0a.)` + label when no set is given (§5.4).

use super::error::EncodeError;
use super::mediates::CLASS_SIGNAL;
use super::pdb::{any_plus, glob_or, rule};
use super::record::PolicyRecord;
use crate::expr::{ByteSet, Expr};
use crate::model::{Qualifiers, SignalRule, access};

pub use crate::model::signal_number;

/// Appends the policy rule of one signal rule.
pub fn encode_signal(
    q: &Qualifiers,
    signal: &SignalRule,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = access::SIGNAL.grant(&signal.access);
    let peer = glob_or(signal.peer.as_deref(), any_plus)?;
    let prefix = if signal.signals.is_empty() {
        Expr::Alt(vec![
            Expr::literal(&[0x10, CLASS_SIGNAL]),
            Expr::Concat(vec![Expr::Byte(CLASS_SIGNAL), Expr::Any]),
        ])
    } else {
        let mut set = ByteSet::default();
        for name in &signal.signals {
            let number = signal_number(name)
                .ok_or_else(|| EncodeError::UnknownSignal { name: name.clone() })?;
            set.insert(number);
        }
        Expr::Concat(vec![Expr::Byte(CLASS_SIGNAL), Expr::Class(set)])
    };
    out.push(rule(q, Expr::Concat(vec![prefix, peer]), perms));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::access::SIGNAL_SEND;

    #[test]
    fn set_and_peer() {
        // §5.4: `signal (send) set=(hup, term) peer=foo,` →
        // `\x0a[\x01\x0f]foo` perms 0x2.
        let rule = SignalRule {
            access: vec!["send".into()],
            signals: vec!["hup".into(), "term".into()],
            peer: Some("foo".into()),
        };
        let mut out = Vec::new();
        encode_signal(&Qualifiers::default(), &rule, &mut out).unwrap();
        let Expr::Concat(parts) = &out[0].0 else {
            panic!("concatenation expected")
        };
        let mut set = ByteSet::default();
        set.insert(1);
        set.insert(15);
        assert_eq!(
            parts[0],
            Expr::Concat(vec![Expr::Byte(10), Expr::Class(set)])
        );
        let PolicyRecord::Rule(perms) = out[0].1 else {
            panic!("rule record expected")
        };
        assert_eq!(perms.perms, SIGNAL_SEND);
    }

    #[test]
    fn realtime_signals() {
        assert_eq!(signal_number("rtmin+3"), Some(131));
        assert_eq!(signal_number("rtmin+33"), None);
        assert_eq!(signal_number("nope"), None);
    }
}
