//! Subset construction over byte classes (binary-format §3.8 steps 3–4).
//!
//! The result is the unminimised automaton in the parser's state-list
//! order: state 0 is the empty position set (nonmatching), state 1 the
//! start, then states in order of creation, breadth first, each state
//! creating its default successor first and then its other successors in
//! ascending symbol order (out-of-band first).

use std::collections::HashMap;

use hashbrown::HashTable;

use crate::expr::{ByteSet, Expr};

use super::automaton::{State, Symbol};
use super::classes::Classes;
use super::error::BuildError;
use super::positions::{Leaf, Positions, sort_dedup};
use super::{Accept, BuildOptions};

/// An unminimised automaton in the parser's state-list order.
#[derive(Debug)]
pub struct Unminimized<R> {
    /// State 0 nonmatching, 1 start; byte transitions equal to the default
    /// are not stored.
    pub states: Vec<State<R>>,
    /// Byte classes: every state's byte transitions are uniform on each.
    pub classes: Vec<ByteSet>,
}

/// Builds the unminimised automaton of `rules`; see the module docs for
/// the state order.
pub fn build_states<R: Accept>(
    rules: &[(Expr, R)],
    options: &BuildOptions,
) -> Result<Unminimized<R>, BuildError<R::Error>> {
    // Rules with equal records share one accept marker.
    let mut groups: Vec<&R> = Vec::new();
    let mut group_of: HashMap<&R, u32> = HashMap::new();
    let rule_groups: Vec<u32> = rules
        .iter()
        .map(|(_, record)| {
            *group_of.entry(record).or_insert_with(|| {
                groups.push(record);
                groups.len() as u32 - 1
            })
        })
        .collect();
    let positions = Positions::new(
        rules.iter().map(|(expr, _)| expr).zip(rule_groups),
        groups.len() as u32,
    );
    let positions = super::bisim::merge_equivalent(positions);
    let classes = Classes::new(&positions.leaves);
    let mut builder = Builder {
        groups,
        all_classes: classes.all(),
        buckets: vec![Vec::new(); classes.members.len()],
        positions,
        classes,
        interner: Interner::default(),
        parents: Vec::new(),
        limit: options.max_states.max(2),
    };
    builder.interner.intern(&[]);
    builder.parents.push(None);
    let start = std::mem::take(&mut builder.positions.start);
    if start.is_empty() {
        // No rule can consume anything: the start state is still distinct
        // from the nonmatching one.
        builder.interner.push_unindexed(Box::default());
    } else {
        builder.interner.intern(&start);
    }
    builder.parents.push(None);

    let mut states = Vec::new();
    while states.len() < builder.interner.sets.len() {
        let state = builder.expand(states.len() as u32)?;
        states.push(state);
    }
    Ok(Unminimized {
        states,
        classes: builder.classes.members,
    })
}

struct Builder<'a, R> {
    /// The distinct records, in order of first occurrence among the rules.
    groups: Vec<&'a R>,
    positions: Positions,
    classes: Classes,
    all_classes: ByteSet,
    /// Per class: the successor positions being collected for one state.
    buckets: Vec<Vec<u32>>,
    interner: Interner,
    /// How each state was first reached: (parent, symbol), for examples in
    /// error messages; `None` symbol = via the default.
    parents: Vec<Option<(u32, Option<Symbol>)>>,
    limit: usize,
}

impl<R: Accept> Builder<'_, R> {
    fn expand(&mut self, id: u32) -> Result<State<R>, BuildError<R::Error>> {
        let set = std::mem::take(&mut self.interner.sets[id as usize]);
        let result = self.expand_set(id, &set);
        self.interner.sets[id as usize] = set;
        result
    }

    fn expand_set(&mut self, id: u32, set: &[u32]) -> Result<State<R>, BuildError<R::Error>> {
        let record = self.record(id, set)?;

        let mut named = ByteSet::EMPTY;
        let mut other = Vec::new();
        let mut oob = Vec::new();
        for &position in set {
            let follow = &self.positions.follow[position as usize];
            match &self.positions.leaves[position as usize] {
                Leaf::Bytes {
                    wildcard: false, ..
                } => {
                    named = named.union(&self.classes.matched[position as usize]);
                }
                Leaf::Bytes { wildcard: true, .. } => {
                    let excluded = self
                        .all_classes
                        .intersection(&self.classes.matched[position as usize].complement());
                    named = named.union(&excluded);
                    other.extend_from_slice(follow);
                }
                Leaf::Oob => oob.extend_from_slice(follow),
                Leaf::Accept { .. } => {}
            }
        }
        for &position in set {
            if let Leaf::Bytes { wildcard, .. } = self.positions.leaves[position as usize] {
                let matched = &self.classes.matched[position as usize];
                let classes = if wildcard {
                    matched.intersection(&named)
                } else {
                    *matched
                };
                let follow = &self.positions.follow[position as usize];
                for class in classes.iter() {
                    self.buckets[usize::from(class)].extend_from_slice(follow);
                }
            }
        }

        sort_dedup(&mut other);
        let default = self.successor(id, None, &other)?;
        let mut transitions = Vec::new();
        if !oob.is_empty() {
            sort_dedup(&mut oob);
            let target = self.successor(id, Some(Symbol::Oob), &oob)?;
            transitions.push((Symbol::Oob, target));
        }
        for class in named.iter() {
            let mut bucket = std::mem::take(&mut self.buckets[usize::from(class)]);
            sort_dedup(&mut bucket);
            let members = self.classes.members[usize::from(class)];
            let first = Symbol::Byte(members.first().unwrap_or(0));
            let target = self.successor(id, Some(first), &bucket)?;
            bucket.clear();
            self.buckets[usize::from(class)] = bucket;
            if target != default {
                transitions.extend(members.iter().map(|byte| (Symbol::Byte(byte), target)));
            }
        }
        transitions.sort_unstable_by_key(|&(symbol, _)| symbol);
        Ok(State {
            record,
            default,
            transitions,
        })
    }

    fn successor(
        &mut self,
        parent: u32,
        symbol: Option<Symbol>,
        set: &[u32],
    ) -> Result<u32, BuildError<R::Error>> {
        let (id, new) = self.interner.intern(set);
        if new {
            if self.interner.sets.len() > self.limit {
                return Err(BuildError::TooManyStates { limit: self.limit });
            }
            self.parents.push(Some((parent, symbol)));
        }
        Ok(id)
    }

    fn record(&self, id: u32, set: &[u32]) -> Result<R, BuildError<R::Error>> {
        let accepting: Vec<&R> = set
            .iter()
            .filter_map(|&position| match self.positions.leaves[position as usize] {
                Leaf::Accept { group } => Some(self.groups[group as usize]),
                _ => None,
            })
            .collect();
        if accepting.is_empty() {
            return Ok(R::none());
        }
        R::combine(&accepting).map_err(|error| BuildError::Conflict {
            example: self.example(id),
            error,
        })
    }

    /// The bytes along the path by which `id` was first reached.
    fn example(&self, mut id: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        while let Some(Some((parent, symbol))) = self.parents.get(id as usize) {
            if let Some(Symbol::Byte(byte)) = symbol {
                bytes.push(*byte);
            }
            id = *parent;
        }
        bytes.reverse();
        bytes
    }
}

/// Position sets interned to state ids, stored once.
#[derive(Default)]
struct Interner {
    sets: Vec<Box<[u32]>>,
    hashes: Vec<u64>,
    table: HashTable<u32>,
}

impl Interner {
    /// The id of `set`, and whether it was new.
    fn intern(&mut self, set: &[u32]) -> (u32, bool) {
        let hash = hash_set(set);
        let sets = &self.sets;
        if let Some(&id) = self.table.find(hash, |&id| &*sets[id as usize] == set) {
            return (id, false);
        }
        let id = self.push_unindexed(set.into());
        self.hashes[id as usize] = hash;
        let hashes = &self.hashes;
        self.table
            .insert_unique(hash, id, |&id| hashes[id as usize]);
        (id, true)
    }

    /// Adds a state that lookups never find.
    fn push_unindexed(&mut self, set: Box<[u32]>) -> u32 {
        self.sets.push(set);
        self.hashes.push(0);
        (self.sets.len() - 1) as u32
    }
}

/// FxHash-style mixing: fast, and good enough for position sets.
fn hash_set(set: &[u32]) -> u64 {
    let mut hash = set.len() as u64;
    for &position in set {
        hash = (hash.rotate_left(5) ^ u64::from(position)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    hash
}
