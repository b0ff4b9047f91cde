//! `signal` rules: `\x0a[set]` + peer label, or the LABEL-class
//! alternative `(\x10\x0a|\x0a.)` + label when no set is given (§5.4).

use super::error::EncodeError;
use super::mediates::CLASS_SIGNAL;
use super::pdb::{access_bits, any_plus, glob_or, rule};
use super::record::PolicyRecord;
use crate::expr::{ByteSet, Expr};
use crate::model::{Qualifiers, SignalRule};

pub const SIGNAL_SEND: u32 = 0x2;
pub const SIGNAL_RECEIVE: u32 = 0x4;

pub(super) const ACCESS: &[(&str, u32)] = &[
    ("send", SIGNAL_SEND),
    ("w", SIGNAL_SEND),
    ("write", SIGNAL_SEND),
    ("receive", SIGNAL_RECEIVE),
    ("r", SIGNAL_RECEIVE),
    ("read", SIGNAL_RECEIVE),
    ("rw", SIGNAL_SEND | SIGNAL_RECEIVE),
];

/// Signal names and the numbers the parser matches them as.
pub(super) const SIGNALS: &[(&str, u8)] = &[
    ("hup", 1),
    ("int", 2),
    ("quit", 3),
    ("ill", 4),
    ("trap", 5),
    ("abrt", 6),
    ("bus", 7),
    ("fpe", 8),
    ("kill", 9),
    ("usr1", 10),
    ("segv", 11),
    ("usr2", 12),
    ("pipe", 13),
    ("alrm", 14),
    ("term", 15),
    ("stkflt", 16),
    ("chld", 17),
    ("cont", 18),
    ("stop", 19),
    ("stp", 20),
    ("tstp", 20),
    ("ttin", 21),
    ("ttou", 22),
    ("urg", 23),
    ("xcpu", 24),
    ("xfsz", 25),
    ("vtalrm", 26),
    ("prof", 27),
    ("winch", 28),
    ("io", 29),
    ("poll", 29),
    ("pwr", 30),
    ("sys", 31),
    ("emt", 32),
    ("exists", 35),
];

/// Real-time signals `rtmin+N` are matched as 128 + N.
const RTMIN_BASE: u8 = 128;
const RTMIN_MAX_OFFSET: u8 = 32;

/// The match byte of one signal name, `None` if unknown.
/// The name of signal `number` as the language spells it, if any.
pub fn signal_name(number: u32) -> Option<&'static str> {
    SIGNALS
        .iter()
        .find(|(_, n)| u32::from(*n) == number)
        .map(|(name, _)| *name)
}

pub fn signal_number(name: &str) -> Option<u8> {
    if let Some(offset) = name.strip_prefix("rtmin+") {
        let offset: u8 = offset.parse().ok()?;
        return (offset <= RTMIN_MAX_OFFSET).then_some(RTMIN_BASE + offset);
    }
    SIGNALS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, number)| *number)
}

/// Appends the policy rule of one signal rule.
pub fn encode_signal(
    q: &Qualifiers,
    signal: &SignalRule,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = access_bits(&signal.access, ACCESS, SIGNAL_SEND | SIGNAL_RECEIVE);
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
