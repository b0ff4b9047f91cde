//! Subset construction over byte classes (binary-format §3.8 steps 3–4).
//!
//! The result is the unminimised automaton in the parser's state-list
//! order: state 0 is the empty position set (nonmatching), state 1 the
//! start, then states in order of creation, breadth first, each state
//! creating its default successor first and then its other successors in
//! ascending symbol order (out-of-band first).

use std::rc::Rc;

use crate::expr::{ByteSet, Expr};

use super::automaton::Symbol;
use super::classes::Classes;
use super::error::BuildError;
use super::hash::FastMap;
use super::intern::SliceInterner;
use super::positions::{Leaf, Positions};
use super::unminimized::Unminimized;
use super::{Accept, BuildOptions};

/// At most this many position ids (64 MiB) are kept in the union cache.
const FOLLOW_UNIONS_BUDGET: usize = 16 << 20;

/// At most this many positions (leaves of the rules' expressions) go into
/// one automaton: the bound on construction memory (issue 7). Each position
/// costs its followpos set and class entry; the largest real profile needs
/// well under a tenth of this.
pub const MAX_POSITIONS: usize = 1 << 22;

/// Builds the unminimised automaton of `rules`; see the module docs for
/// the state order. The rules are taken by value so that their
/// expressions are freed once flattened into positions, before the
/// automaton grows.
pub fn build_states<R: Accept>(
    rules: Vec<(Expr, R)>,
    options: &BuildOptions,
) -> Result<Unminimized<R>, BuildError<R::Error>> {
    let (exprs, records): (Vec<Expr>, Vec<R>) = rules.into_iter().unzip();
    // Rules with equal records share one accept marker.
    let mut groups: Vec<&R> = Vec::new();
    let mut group_of: FastMap<&R, u32> = FastMap::default();
    let rule_groups: Vec<u32> = records
        .iter()
        .map(|record| {
            *group_of.entry(record).or_insert_with(|| {
                groups.push(record);
                groups.len() as u32 - 1
            })
        })
        .collect();
    drop(group_of);
    let positions = Positions::new(exprs.iter().zip(rule_groups), groups.len() as u32);
    drop(exprs);
    if positions.leaves.len() > MAX_POSITIONS {
        return Err(BuildError::TooManyPositions {
            positions: positions.leaves.len(),
            limit: MAX_POSITIONS,
        });
    }
    let positions = super::bisim::merge_equivalent(positions);
    let classes = Classes::new(&positions.leaves);
    let mut builder = Builder {
        groups,
        all_classes: classes.all(),
        union: Union::default(),
        scratch: Scratch::default(),
        follow_unions: FastMap::default(),
        follow_unions_size: 0,
        positions,
        classes,
        interner: SliceInterner::default(),
        parents: Vec::new(),
        limit: options.max_states.max(2),
    };
    builder.interner.intern(&[]);
    builder.parents.push(None);
    let start = std::mem::take(&mut builder.positions.start);
    if start.is_empty() {
        // No rule can consume anything: the start state is still distinct
        // from the nonmatching one.
        builder.interner.push_unindexed(&[]);
    } else {
        builder.interner.intern(&start);
    }
    builder.parents.push(None);

    let mut automaton = Unminimized::new(builder.classes.members.clone());
    while automaton.len() < builder.interner.len() {
        builder.expand(automaton.len() as u32, &mut automaton)?;
    }
    drop(builder);
    automaton.shrink_to_fit();
    Ok(automaton)
}

struct Builder<'a, R> {
    /// The distinct records, in order of first occurrence among the rules.
    groups: Vec<&'a R>,
    positions: Positions,
    classes: Classes,
    all_classes: ByteSet,
    union: Union,
    scratch: Scratch,
    /// Unions of the followpos sets of position lists.
    follow_unions: FastMap<Box<[u32]>, Rc<[u32]>>,
    /// Position ids held by `follow_unions` (keys and values).
    follow_unions_size: usize,
    /// Position sets to state ids.
    interner: SliceInterner,
    /// How each state was first reached: (parent, symbol), for examples in
    /// error messages; `None` symbol = via the default.
    parents: Vec<Option<(u32, Option<Symbol>)>>,
    limit: usize,
}

impl<R: Accept> Builder<'_, R> {
    /// Computes state `id`'s record and successors and appends it.
    fn expand(
        &mut self,
        id: u32,
        automaton: &mut Unminimized<R>,
    ) -> Result<(), BuildError<R::Error>> {
        // A copy, not `take`: the set must stay interned while its state
        // is expanded, or a transition back to the state itself (a loop
        // such as `[^/]*` at the start) would intern a duplicate — which
        // minimisation never merges back when it is the start state. The
        // copy goes to a reused buffer.
        let mut set = std::mem::take(&mut self.scratch.current);
        set.clear();
        set.extend_from_slice(self.interner.get(id));
        let result = self.expand_set(id, &set, automaton);
        self.scratch.current = set;
        result
    }

    fn expand_set(
        &mut self,
        id: u32,
        set: &[u32],
        automaton: &mut Unminimized<R>,
    ) -> Result<(), BuildError<R::Error>> {
        let record = self.record(id, set)?;

        let mut named = ByteSet::EMPTY;
        let mut wildcards = std::mem::take(&mut self.scratch.wildcards);
        let mut byte_positions = std::mem::take(&mut self.scratch.byte_positions);
        let mut oob_positions = std::mem::take(&mut self.scratch.oob_positions);
        wildcards.clear();
        byte_positions.clear();
        oob_positions.clear();
        for &position in set {
            match &self.positions.leaves[position as usize] {
                Leaf::Bytes { wildcard, .. } => {
                    let matched = &self.classes.matched[position as usize];
                    let names = if *wildcard {
                        wildcards.push(position);
                        self.all_classes.intersection(&matched.complement())
                    } else {
                        *matched
                    };
                    named = named.union(&names);
                    if !*wildcard {
                        byte_positions.push(position);
                    }
                }
                Leaf::Oob => oob_positions.push(position),
                Leaf::Accept { .. } => {}
            }
        }

        let other = self.follow_union(&wildcards);
        let default = self.successor(id, None, &other)?;
        let mut oob_target = None;
        if !oob_positions.is_empty() {
            let follow = &self.positions.follow;
            let oob = self
                .union
                .of(oob_positions.iter().map(|&p| &follow[p as usize]));
            oob_target = Some(self.successor(id, Some(Symbol::Oob), &oob)?);
        }
        let mut explicit = std::mem::take(&mut self.scratch.explicit);
        explicit.clear();
        // A class's successor is the union over the wildcards matching it
        // plus the union over the literal positions matching it; both
        // recur across classes and states (see `follow_union`).
        let mut matching_wildcards = std::mem::take(&mut self.scratch.matching_wildcards);
        for class in named.iter() {
            let matched = &self.classes.matched;
            matching_wildcards.clear();
            matching_wildcards.extend(
                wildcards
                    .iter()
                    .copied()
                    .filter(|&p| matched[p as usize].contains(class)),
            );
            let every_wildcard = matching_wildcards.len() == wildcards.len();
            let mut literals = std::mem::take(&mut self.scratch.literals);
            literals.clear();
            literals.extend(
                byte_positions
                    .iter()
                    .copied()
                    .filter(|&p| matched[p as usize].contains(class)),
            );
            let members = self.classes.members[usize::from(class)];
            let target = if literals.is_empty() && every_wildcard {
                default
            } else {
                let mut successors = std::mem::take(&mut self.scratch.successors);
                let literal_union = self.follow_union(&literals);
                let wildcard_union = if every_wildcard {
                    other.clone()
                } else {
                    self.follow_union(&matching_wildcards)
                };
                merge_sorted(&wildcard_union, &literal_union, &mut successors);
                let first = Symbol::Byte(members.first().unwrap_or(0));
                let target = self.successor(id, Some(first), &successors);
                self.scratch.successors = successors;
                target?
            };
            self.scratch.literals = literals;
            if target != default {
                explicit.push((class, target));
            }
        }
        automaton.push(record, default, oob_target, &explicit);
        self.scratch.matching_wildcards = matching_wildcards;
        self.scratch.explicit = explicit;
        self.scratch.wildcards = wildcards;
        self.scratch.byte_positions = byte_positions;
        self.scratch.oob_positions = oob_positions;
        Ok(())
    }

    /// The union of the followpos sets of these positions (ascending).
    /// Cached: states share their wildcards, and a literal's successor
    /// positions recur in every state that contains it.
    fn follow_union(&mut self, positions: &[u32]) -> Rc<[u32]> {
        if let Some(union) = self.follow_unions.get(positions) {
            return union.clone();
        }
        let follow = &self.positions.follow;
        let union: Rc<[u32]> = self
            .union
            .of(positions.iter().map(|&p| &follow[p as usize]))
            .into();
        // Bound the cache's memory; starting over only costs time.
        self.follow_unions_size += positions.len() + union.len();
        if self.follow_unions_size > FOLLOW_UNIONS_BUDGET {
            self.follow_unions.clear();
            self.follow_unions_size = positions.len() + union.len();
        }
        self.follow_unions.insert(positions.into(), union.clone());
        union
    }

    fn successor(
        &mut self,
        parent: u32,
        symbol: Option<Symbol>,
        set: &[u32],
    ) -> Result<u32, BuildError<R::Error>> {
        let (id, new) = self.interner.intern(set);
        if new {
            if self.interner.len() > self.limit {
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

/// Reusable buffers for one state's successor computations.
#[derive(Default)]
struct Scratch {
    literals: Vec<u32>,
    successors: Vec<u32>,
    explicit: Vec<(u8, u32)>,
    /// The position set of the state being expanded.
    current: Vec<u32>,
    wildcards: Vec<u32>,
    matching_wildcards: Vec<u32>,
    byte_positions: Vec<u32>,
    oob_positions: Vec<u32>,
}

/// Writes the sorted union of two sorted duplicate-free lists to `merged`.
fn merge_sorted(left: &[u32], right: &[u32], merged: &mut Vec<u32>) {
    merged.clear();
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => {
                merged.push(left[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                merged.push(right[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                merged.push(left[i]);
                i += 1;
                j += 1;
            }
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
}

/// Sorted unions of followpos sets, deduplicated while collecting (the
/// sets overlap heavily, so sorting the concatenation is far slower).
#[derive(Default)]
struct Union {
    /// `stamp[p] == token` iff p is already in the union being built.
    stamp: Vec<u32>,
    token: u32,
}

impl Union {
    fn of<'s>(&mut self, sets: impl Iterator<Item = &'s Vec<u32>>) -> Vec<u32> {
        let mut union = Vec::new();
        self.of_into(sets, &mut union);
        union
    }

    /// Writes the sorted union of `sets` to `union`.
    fn of_into<'s>(&mut self, sets: impl Iterator<Item = &'s Vec<u32>>, union: &mut Vec<u32>) {
        union.clear();
        self.token = self.token.wrapping_add(1);
        if self.token == 0 {
            self.stamp.iter_mut().for_each(|stamp| *stamp = 0);
            self.token = 1;
        }
        for set in sets {
            for &position in set {
                let index = position as usize;
                if index >= self.stamp.len() {
                    self.stamp.resize(index + 1, 0);
                }
                if self.stamp[index] != self.token {
                    self.stamp[index] = self.token;
                    union.push(position);
                }
            }
        }
        union.sort_unstable();
    }
}
