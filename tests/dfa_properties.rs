//! Property test: the built, minimised and numbered automaton accepts
//! exactly what the rules' expressions match, with the OR of the records
//! of every matching rule.

use std::collections::BTreeSet;

use aaprof::dfa::{Accept, BuildOptions, build_dfa};
use aaprof::expr::{ByteSet, Expr};
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Bits(u32);

impl Accept for Bits {
    type Error = std::convert::Infallible;

    fn none() -> Self {
        Bits(0)
    }

    fn combine(accepting: &[&Self]) -> Result<Self, Self::Error> {
        Ok(Bits(accepting.iter().fold(0, |all, one| all | one.0)))
    }
}

/// End offsets of the matches of `expr` starting at `start` in `input`.
fn ends(expr: &Expr, input: &[u8], start: usize) -> BTreeSet<usize> {
    let one = |matches: bool| {
        if matches {
            BTreeSet::from([start + 1])
        } else {
            BTreeSet::new()
        }
    };
    let byte = input.get(start).copied();
    match expr {
        Expr::Empty => BTreeSet::from([start]),
        Expr::Byte(b) => one(byte == Some(*b)),
        Expr::Class(set) => one(byte.is_some_and(|b| set.contains(b))),
        Expr::NotClass(set) => one(byte.is_some_and(|b| !set.contains(b))),
        Expr::Any => one(byte.is_some()),
        Expr::OutOfBand => BTreeSet::new(),
        Expr::Concat(items) => items.iter().fold(BTreeSet::from([start]), |at, item| {
            at.iter()
                .flat_map(|&from| ends(item, input, from))
                .collect()
        }),
        Expr::Alt(items) if items.is_empty() => BTreeSet::from([start]),
        Expr::Alt(items) => items
            .iter()
            .flat_map(|item| ends(item, input, start))
            .collect(),
        Expr::Optional(inner) => {
            let mut all = ends(inner, input, start);
            all.insert(start);
            all
        }
        Expr::Star(inner) | Expr::Plus(inner) => {
            let mut reached = BTreeSet::new();
            let mut frontier = ends(inner, input, start);
            while let Some(&at) = frontier.iter().next() {
                frontier.remove(&at);
                if reached.insert(at) {
                    frontier.extend(ends(inner, input, at).into_iter().filter(|&e| e > at));
                }
            }
            if matches!(expr, Expr::Star(_)) {
                reached.insert(start);
            }
            reached
        }
    }
}

fn leaf() -> impl Strategy<Value = Expr> {
    let set = prop::collection::vec(prop::sample::select(vec![b'a', b'b', b'/', 0]), 1..3)
        .prop_map(|bytes| {
            let mut set = ByteSet::EMPTY;
            bytes.into_iter().for_each(|b| set.insert(b));
            set
        });
    prop_oneof![
        prop::sample::select(vec![b'a', b'b', b'/']).prop_map(Expr::Byte),
        set.clone().prop_map(Expr::Class),
        set.prop_map(Expr::NotClass),
        Just(Expr::Any),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Expr::Concat),
            prop::collection::vec(inner.clone(), 1..3).prop_map(Expr::Alt),
            inner.clone().prop_map(|e| Expr::Star(Box::new(e))),
            inner.clone().prop_map(|e| Expr::Plus(Box::new(e))),
            inner.prop_map(|e| Expr::Optional(Box::new(e))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn automaton_matches_expressions(
        rules in prop::collection::vec((expr(), 1u32..4), 1..4),
        inputs in prop::collection::vec(
            prop::collection::vec(prop::sample::select(vec![b'a', b'b', b'/', 0, b'z']), 0..6),
            1..12,
        ),
    ) {
        let rules: Vec<(Expr, Bits)> =
            rules.into_iter().map(|(e, bits)| (e, Bits(1 << bits))).collect();
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        for input in &inputs {
            let expected = rules
                .iter()
                .filter(|(e, _)| ends(e, input, 0).contains(&input.len()))
                .fold(0, |all, (_, bits)| all | bits.0);
            prop_assert_eq!(dfa.matches(input), &Bits(expected), "input {:?}", input);
        }
        // Numbering: every state but 0 is reachable, 0 has no transitions.
        prop_assert!(dfa.states[0].transitions.is_empty());
        prop_assert_eq!(dfa.states[0].default, 0);
    }
}
