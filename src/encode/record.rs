//! Permission records carried by rules and DFA states, and how the records
//! of the rules accepting in one state combine (binary-format §4.6).
//!
//! A rule contributes a [`RulePerms`]; a state holds the [`StatePerms`]
//! that [`combine`] computes from all of them. [`FileRecord`] and
//! [`PolicyRecord`] wrap both for the two DFA kinds, whose combination
//! rules differ only in exec handling.

use super::bits::AUDIT_MASK;
use super::bits::{
    ALL_EXEC_TYPE, EXEC_INHERIT, EXEC_MMAP, EXEC_TYPE, MAY_EXEC, OTHER_EXEC, OTHER_SHIFT, USER_EXEC,
};
use crate::dfa::Accept;
use crate::model::{Qualifiers, Verdict};
use thiserror::Error;

/// Lowest priority of any rule: the parser's internal minimum (policy
/// priorities are −1000..=1000, mediates entries use ±1001).
pub const MIN_INTERNAL_PRIORITY: i32 = -1001;
/// Highest priority of any rule.
pub const MAX_INTERNAL_PRIORITY: i32 = 1001;

/// How a rule's permissions apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleMode {
    Allow,
    Deny,
    Prompt,
}

/// What one rule contributes to the states it accepts in: the parser's
/// permission node. Two rules with equal `RulePerms` are interchangeable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RulePerms {
    pub mode: RuleMode,
    /// `priority=N`, or ±1001 for internal rules.
    pub priority: i32,
    /// The rule's whole expression has no wildcard
    /// ([`crate::aare::is_exact`]); an exact rule's bits 0 and 14 rank above
    /// wildcard allows of equal priority (in the policydb too), and in the
    /// file DFA it then decides the exec type.
    pub exact: bool,
    /// Permission bits (packed layout).
    pub perms: u32,
    /// Allow/prompt rules: the audited bits. Deny rules: the quieted bits
    /// (every denied bit unless the rule is `audit deny`).
    pub audit: u32,
}

impl RulePerms {
    /// The record of a rule with these qualifiers granting `perms`.
    /// `audit_bits` are the bits to audit (allow/prompt rules marked
    /// `audit`) or to quiet (deny rules not marked `audit`: an explicit
    /// deny is quiet by default); usually `perms` itself. The `quiet`
    /// qualifier is not used. [unsure: 5.0 `quiet` on allow rules]
    pub fn for_rule(q: &Qualifiers, exact: bool, perms: u32, audit_bits: u32) -> RulePerms {
        let mode = match q.verdict {
            Verdict::Allow => RuleMode::Allow,
            Verdict::Deny => RuleMode::Deny,
            Verdict::Prompt => RuleMode::Prompt,
        };
        let marked = match mode {
            RuleMode::Deny => !q.audit,
            RuleMode::Allow | RuleMode::Prompt => q.audit,
        };
        RulePerms {
            mode,
            priority: q.priority,
            exact,
            perms,
            // Only the first seven bits of each half can be audited or
            // quieted (§4.1); the rest (change_profile, exec types) never
            // reach a state's audit/quiet record, so deny-only states of
            // such rules stay non-accepting, as in 5.0.2.
            audit: if marked { audit_bits & AUDIT_MASK } else { 0 },
        }
    }

    /// A plain allow rule at priority 0.
    pub fn allow(perms: u32) -> RulePerms {
        RulePerms {
            mode: RuleMode::Allow,
            priority: 0,
            exact: false,
            perms,
            audit: 0,
        }
    }
}

/// The permissions of one DFA state after combining and after the denied
/// bits have been removed from allow and prompt (the parser's "filter deny"
/// step, which runs before minimisation).
///
/// `deny` keeps the denied bits for the permission-table index order only:
/// equality, hashing and ordering ignore it, so states that differ only in
/// what was denied still merge, as the parser's do.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatePerms {
    pub allow: u32,
    pub prompt: u32,
    pub audit: u32,
    pub quiet: u32,
    /// The bits denied in this state (not part of its identity).
    pub deny: u32,
}

impl StatePerms {
    fn key(&self) -> (u32, u32, u32, u32) {
        (self.allow, self.prompt, self.audit, self.quiet)
    }
}

impl PartialEq for StatePerms {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for StatePerms {}

impl std::hash::Hash for StatePerms {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for StatePerms {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StatePerms {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl StatePerms {
    /// True when the state accepts (has any permission information).
    pub fn is_accept(&self) -> bool {
        (self.allow | self.prompt | self.audit | self.quiet) != 0
    }
}

/// The file half in which an exec conflict arose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    User,
    Other,
}

impl std::fmt::Display for Half {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Half::User => "owner",
            Half::Other => "other",
        })
    }
}

/// Why rule records cannot combine.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CombineError {
    #[error(
        "rules matching the same path have conflicting exec modes for {half} (0x{existing:x} vs 0x{incoming:x})"
    )]
    ExecConflict {
        half: Half,
        existing: u32,
        incoming: u32,
    },
    #[error("an already combined state record was given where rule records are expected")]
    StateAsInput,
}

/// Combines the rules accepting in one state (§4.6, 5.0 semantics).
///
/// Each permission bit is decided separately: the highest priority wins;
/// at equal priority deny beats an exact-match exec bit, which beats allow,
/// which beats prompt; contributions at the winning rank are OR-ed. For
/// the file DFA (`file`), an exec bit carries its half's exec-type bits
/// with it, two different exec types meeting at the same rank are an error,
/// and `ix` implies `m` unless `m` was decided at a higher rank. Finally
/// denied bits are removed from allow and prompt.
pub fn combine(rules: &[&RulePerms], file: bool) -> Result<StatePerms, CombineError> {
    let mut rank = [i64::from(MIN_INTERNAL_PRIORITY) * 4; 32];
    let mut acc = Accumulator::default();
    for rule in rules {
        let mut check = rule.perms | rule.audit;
        if file {
            check &= !ALL_EXEC_TYPE;
        }
        while check != 0 {
            let bit = check.trailing_zeros() as usize;
            check &= check - 1;
            acc.apply(rule, bit, &mut rank, file)?;
        }
    }
    if file {
        for shift in [0, OTHER_SHIFT] {
            let exec = MAY_EXEC << shift;
            let inherit = EXEC_INHERIT << shift;
            let (exec_bit, mmap_bit) = (shift as usize, (6 + shift) as usize);
            if acc.allow & exec != 0 && acc.allow & inherit != 0 && rank[mmap_bit] <= rank[exec_bit]
            {
                acc.allow |= EXEC_MMAP << shift;
                rank[mmap_bit] = rank[exec_bit];
            }
        }
    }
    Ok(StatePerms {
        allow: acc.allow & !acc.deny,
        prompt: acc.prompt & !acc.deny,
        audit: acc.audit,
        quiet: acc.quiet,
        deny: acc.deny,
    })
}

#[derive(Default)]
struct Accumulator {
    allow: u32,
    deny: u32,
    prompt: u32,
    audit: u32,
    quiet: u32,
}

impl Accumulator {
    fn clear(&mut self, mask: u32) {
        self.allow &= !mask;
        self.deny &= !mask;
        self.prompt &= !mask;
        self.audit &= !mask;
        self.quiet &= !mask;
    }

    /// Applies one rule's contribution to one permission bit.
    fn apply(
        &mut self,
        rule: &RulePerms,
        bit: usize,
        rank: &mut [i64; 32],
        file: bool,
    ) -> Result<(), CombineError> {
        let mask = 1u32 << bit;
        let is_exec_bit = mask & (USER_EXEC | OTHER_EXEC) != 0;
        let exact_exec = rule.mode == RuleMode::Allow && rule.exact && is_exec_bit;
        let this_rank = i64::from(rule.priority) * 4
            + match rule.mode {
                RuleMode::Deny => 3,
                RuleMode::Allow if exact_exec => 2,
                RuleMode::Allow => 1,
                RuleMode::Prompt => 0,
            };
        if rank[bit] > this_rank {
            return Ok(());
        }
        // An exec bit drags its half's exec type along.
        let xmask = match (file, mask) {
            (true, USER_EXEC) => EXEC_TYPE,
            (true, OTHER_EXEC) => EXEC_TYPE << OTHER_SHIFT,
            _ => 0,
        };
        let amask = mask | xmask;
        if rank[bit] < this_rank {
            rank[bit] = this_rank;
            self.clear(amask);
        }
        let perms = rule.perms & amask;
        let audit = rule.audit & amask;
        match rule.mode {
            RuleMode::Deny => {
                self.deny |= perms;
                self.quiet |= audit;
                self.allow &= !amask;
                self.audit &= !amask;
                self.prompt &= !amask;
                return Ok(());
            }
            _ if xmask != 0 && self.allow & amask != 0 => {
                // An exact rule overrides the type, so it only conflicts
                // with another exact rule (whose type is already in allow).
                check_exec_consistent(self.allow, perms)?;
            }
            _ => {}
        }
        if exact_exec {
            self.allow &= !xmask;
            self.audit &= !xmask;
            self.prompt &= !xmask;
        }
        if rule.mode == RuleMode::Prompt {
            self.prompt |= perms;
        } else {
            self.allow |= perms;
        }
        self.audit |= audit;
        Ok(())
    }
}

/// Two exec grants on one half must agree on the exec type.
fn check_exec_consistent(existing: u32, incoming: u32) -> Result<(), CombineError> {
    for (half, shift) in [(Half::User, 0), (Half::Other, OTHER_SHIFT)] {
        let exec = MAY_EXEC << shift;
        let types = EXEC_TYPE << shift;
        if existing & exec != 0 && incoming & exec != 0 && existing & types != incoming & types {
            return Err(CombineError::ExecConflict {
                half,
                existing: existing & (exec | types),
                incoming: incoming & (exec | types),
            });
        }
    }
    Ok(())
}

/// The record of the file DFA: a rule's contribution or a state's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileRecord {
    Rule(RulePerms),
    State(StatePerms),
}

/// The record of the policydb (and xmatch) DFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyRecord {
    Rule(RulePerms),
    State(StatePerms),
}

macro_rules! impl_accept {
    ($record:ident, $file:expr) => {
        impl $record {
            /// The combined state permissions; `None` for a rule record.
            pub fn state(&self) -> Option<&StatePerms> {
                match self {
                    $record::State(perms) => Some(perms),
                    $record::Rule(_) => None,
                }
            }

            /// The rule's own permissions; `None` for a state record.
            pub fn rule(&self) -> Option<&RulePerms> {
                match self {
                    $record::Rule(rule) => Some(rule),
                    $record::State(_) => None,
                }
            }
        }

        impl Accept for $record {
            type Error = CombineError;

            fn none() -> Self {
                $record::State(StatePerms::default())
            }

            fn combine(accepting: &[&Self]) -> Result<Self, CombineError> {
                let rules = accepting
                    .iter()
                    .map(|record| match record {
                        $record::Rule(rule) => Ok(rule),
                        $record::State(_) => Err(CombineError::StateAsInput),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                combine(&rules, $file).map($record::State)
            }
        }
    };
}

impl_accept!(FileRecord, true);
impl_accept!(PolicyRecord, false);

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
