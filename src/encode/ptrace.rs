//! `ptrace` rules: `(\x10|)\x09` + peer label (§5.4).

use super::error::EncodeError;
use super::mediates::CLASS_PTRACE;
use super::pdb::{any_plus, glob_or, rule};
use super::record::PolicyRecord;
use crate::expr::Expr;
use crate::model::{PtraceRule, Qualifiers, access};

/// Appends the policy rule of one ptrace rule.
pub fn encode_ptrace(
    q: &Qualifiers,
    ptrace: &PtraceRule,
    out: &mut Vec<(Expr, PolicyRecord)>,
) -> Result<(), EncodeError> {
    let perms = access::PTRACE.grant(&ptrace.access);
    let expr = Expr::Concat(vec![
        Expr::Optional(Box::new(Expr::Byte(0x10))),
        Expr::Byte(CLASS_PTRACE),
        glob_or(ptrace.peer.as_deref(), any_plus)?,
    ]);
    out.push(rule(q, expr, perms));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::access::PTRACE_READ;

    #[test]
    fn read_with_peer() {
        // §5.4: `ptrace (read) peer=bar,` → `(\x10|)\x09bar` perms 0x4.
        let mut out = Vec::new();
        let rule = PtraceRule {
            access: vec!["read".into()],
            peer: Some("bar".into()),
        };
        encode_ptrace(&Qualifiers::default(), &rule, &mut out).unwrap();
        let expected = Expr::Concat(vec![
            Expr::Optional(Box::new(Expr::Byte(0x10))),
            Expr::Byte(9),
            Expr::literal(b"bar"),
        ]);
        assert_eq!(out[0].0, expected);
        let PolicyRecord::Rule(perms) = out[0].1 else {
            panic!("rule record expected")
        };
        assert_eq!(perms.perms, PTRACE_READ);
    }

    #[test]
    fn bare_rule_grants_everything() {
        let mut out = Vec::new();
        encode_ptrace(&Qualifiers::default(), &PtraceRule::default(), &mut out).unwrap();
        let PolicyRecord::Rule(perms) = out[0].1 else {
            panic!("rule record expected")
        };
        assert_eq!(perms.perms, 0x1e);
    }
}
