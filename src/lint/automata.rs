//! One automaton per profile and DFA kind whose states remember *which*
//! encoded rules accept there, so lint can ask, for every rule at once,
//! what the compiled profile would be without it.
//!
//! The entries are the compiler's own (`encode_file_rules`,
//! `encode_policy_rules_traced` plus the mediates entries), built by the
//! compiler's own subset construction (`dfa::build::build_states`); only
//! the record differs: the set of entry numbers accepting in a state
//! instead of their combined permissions. Removing a rule removes its
//! positions, so the state reached by a string in the automaton without
//! the rule accepts exactly the same entries minus the rule's. Hence, for
//! every string, the profile without rule `r` decides
//! `combine(S \ entries(r))` where the full profile decides `combine(S)`,
//! `S` being the state's set: comparing the two over every reachable state
//! is comparing the two compiled automata, with one construction instead
//! of one per rule.

use crate::dfa::build::build_states;
use crate::dfa::{Accept, BuildOptions, Unminimized};
use crate::encode::{
    EncodeTarget, FileRecord, PolicyRecord, RulePerms, StatePerms, combine, encode_file_rules,
    encode_policy_rules_traced, mediates_entries,
};
use crate::expr::Expr;
use crate::model::{Profile, ProfileMode};
use std::collections::VecDeque;
use std::convert::Infallible;

/// The entries (indices into the encoded rule list) accepting in a state,
/// ascending.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Entries(pub Vec<u32>);

impl Accept for Entries {
    type Error = Infallible;

    fn none() -> Self {
        Entries(Vec::new())
    }

    fn combine(accepting: &[&Self]) -> Result<Self, Infallible> {
        let mut all: Vec<u32> = accepting.iter().flat_map(|e| e.0.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        Ok(Entries(all))
    }
}

/// Which of the profile's DFAs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Policy,
}

/// One DFA of one profile with entry provenance.
pub struct Traced {
    pub kind: Kind,
    /// Each entry's permission record, as the compiler made it.
    pub perms: Vec<RulePerms>,
    /// Each entry's profile rule (`None`: implied or mediates entries).
    pub sources: Vec<Option<usize>>,
    pub states: Unminimized<Entries>,
}

/// The DFAs of `profile` named in `kinds`, with provenance; none for a
/// kind whose encoding or construction fails (the compiler reports those)
/// or that no rule contributes to.
pub fn trace(
    profile: &Profile,
    target: &EncodeTarget,
    options: &BuildOptions,
    kinds: &[Kind],
) -> Vec<Traced> {
    let mut out = Vec::new();
    let file = kinds
        .contains(&Kind::File)
        .then(|| encode_file_rules(profile, target).ok())
        .flatten();
    if let Some(file) = file {
        let perms = file
            .rules
            .iter()
            .map(|(_, r)| match r {
                FileRecord::Rule(p) => Some(*p),
                FileRecord::State(_) => None,
            })
            .collect();
        let exprs = file.rules.into_iter().map(|(e, _)| e).collect();
        out.extend(build(Kind::File, exprs, perms, file.sources, options));
    }
    let policy = kinds
        .contains(&Kind::Policy)
        .then(|| encode_policy_rules_traced(profile, target).ok())
        .flatten();
    if let Some((mut rules, sources)) = policy {
        let mut sources: Vec<Option<usize>> = sources.into_iter().map(Some).collect();
        let unconfined = profile.flags.mode == Some(ProfileMode::Unconfined);
        rules.extend(mediates_entries(target, unconfined));
        sources.resize(rules.len(), None);
        let perms = rules
            .iter()
            .map(|(_, r)| match r {
                PolicyRecord::Rule(p) => Some(*p),
                PolicyRecord::State(_) => None,
            })
            .collect();
        let exprs = rules.into_iter().map(|(e, _)| e).collect();
        out.extend(build(Kind::Policy, exprs, perms, sources, options));
    }
    out
}

fn build(
    kind: Kind,
    exprs: Vec<Expr>,
    perms: Vec<Option<RulePerms>>,
    sources: Vec<Option<usize>>,
    options: &BuildOptions,
) -> Option<Traced> {
    // Only rule records come out of the encoders; anything else means an
    // encoder changed shape, and lint says nothing rather than guess.
    let perms: Vec<RulePerms> = perms.into_iter().collect::<Option<_>>()?;
    if sources.iter().all(Option::is_none) {
        return None;
    }
    let rules: Vec<(Expr, Entries)> = exprs
        .into_iter()
        .enumerate()
        .map(|(i, e)| (e, Entries(vec![i as u32])))
        .collect();
    let states = build_states(rules, options).ok()?;
    Some(Traced {
        kind,
        perms,
        sources,
        states,
    })
}

impl Traced {
    /// What the compiled profile decides in a state accepting `entries`
    /// (in insertion order, as the DFA combines them); `None` when the
    /// records conflict (the compiler reports that).
    pub fn decide<'a>(&self, entries: impl Iterator<Item = &'a u32>) -> Option<StatePerms> {
        let mut records: Vec<&RulePerms> = Vec::new();
        for &e in entries {
            let record = &self.perms[e as usize];
            if !records.contains(&record) {
                records.push(record);
            }
        }
        combine(&records, self.kind == Kind::File).ok()
    }

    /// The distinct accepting entry sets of reachable states, each with
    /// one state reaching it (every state of the subset construction is
    /// reachable from the start).
    pub fn distinct_sets(&self) -> Vec<(u32, &Entries)> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (state, record) in self.states.records.iter().enumerate() {
            if !record.0.is_empty() && seen.insert(record) {
                out.push((state as u32, record));
            }
        }
        out
    }

    /// A shortest input reaching `state` from the start (state 1), as
    /// bytes: for each class its smallest byte; the out-of-band
    /// separator of the file DFA is shown as `\0`.
    pub fn witness(&self, state: u32) -> Vec<u8> {
        let n = self.states.len();
        let mut parent: Vec<Option<(u32, u8)>> = vec![None; n];
        let mut seen = vec![false; n];
        let mut queue = VecDeque::new();
        if n > 1 {
            seen[1] = true;
            queue.push_back(1u32);
        }
        let classes = &self.states.classes;
        let mut successors = Vec::new();
        while let Some(s) = queue.pop_front() {
            if s == state {
                break;
            }
            self.states.successors_into(s, &mut successors);
            let mut next: Vec<(u32, u8)> = successors
                .iter()
                .enumerate()
                .filter_map(|(class, &t)| {
                    classes.get(class).and_then(readable_byte).map(|b| (t, b))
                })
                .collect();
            if let Some(t) = self.states.oob(s) {
                next.push((t, 0));
            }
            for (t, b) in next {
                if t != 0 && !seen[t as usize] {
                    seen[t as usize] = true;
                    parent[t as usize] = Some((s, b));
                    queue.push_back(t);
                }
            }
        }
        let mut bytes = Vec::new();
        let mut at = state;
        while let Some((p, b)) = parent[at as usize] {
            bytes.push(b);
            at = p;
        }
        bytes.reverse();
        bytes
    }
}

/// The byte of a class a witness shows: a lowercase letter, digit or
/// other printable byte when the class has one, so witnesses read like
/// paths.
fn readable_byte(set: &crate::expr::ByteSet) -> Option<u8> {
    set.iter().min_by_key(|b| match b {
        b'a'..=b'z' => 0,
        b'0'..=b'9' => 1,
        b'A'..=b'Z' => 2,
        b'/' => 4,
        0x21..=0x7e => 3,
        _ => 5,
    })
}
