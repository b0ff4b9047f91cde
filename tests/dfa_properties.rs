//! Property tests of the automaton against an independent matcher,
//! regex-automata (`dfa_common::oracle`):
//!
//! * random expression trees: the built, minimised and numbered automaton
//!   accepts exactly what the rules' expressions match, with the OR of the
//!   records of every matching rule;
//! * random AARE globs, through aaprof's whole chain (`aare` → `expr` →
//!   `dfa`), against regex-automata fed the oracle's own translation of
//!   the glob text: the same strings are accepted, and where several
//!   rules overlap each string gets the OR of their permissions.

#[path = "dfa_common/mod.rs"]
mod common;

use aaprof::aare::{GlobStyle, convert};
use aaprof::dfa::{Accept, BuildOptions, Dfa, build_dfa};
use aaprof::expr::{ByteSet, Expr};
use common::oracle::{Oracle, expr_regex, glob_regex};
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

/// The OR of the bits of the rules the oracle says match all of `input`.
fn expected(oracle: &Oracle, bits: &[u32], input: &[u8]) -> u32 {
    oracle
        .matching(input)
        .into_iter()
        .fold(0, |all, rule| all | bits[rule])
}

/// Checks every input against the oracle; `Err` names the first one the
/// automaton answers differently.
fn agree(dfa: &Dfa<Bits>, oracle: &Oracle, bits: &[u32], inputs: &[Vec<u8>]) -> Result<(), String> {
    for input in inputs {
        let want = expected(oracle, bits, input);
        let got = dfa.matches(input).0;
        if got != want {
            return Err(format!(
                "input {:?}: automaton {got:#x}, regex-automata {want:#x}",
                String::from_utf8_lossy(input)
            ));
        }
    }
    Ok(())
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

/// One piece of glob text. Sequences of pieces are joined as text, so
/// star pieces side by side make longer runs (`*` `**` is `***`).
fn glob_piece() -> impl Strategy<Value = String> {
    let member = prop::sample::select(vec!["a", "b", "/", ".", "z", "a-b", "a-z", "-"]);
    let class = (any::<bool>(), prop::collection::vec(member, 1..3)).prop_map(|(negated, m)| {
        // `-` is a member only in first place.
        let mut body: Vec<&str> = m.into_iter().filter(|&x| x != "-").collect();
        if body.is_empty() {
            body.push("-");
        }
        format!("[{}{}]", if negated { "^" } else { "" }, body.concat())
    });
    prop_oneof![
        4 => prop::sample::select(vec!["a", "b", "/", "/", "."]).prop_map(str::to_string),
        2 => prop::sample::select(vec!["*", "**", "?"]).prop_map(str::to_string),
        1 => prop::sample::select(vec![
            r"\*", r"\?", r"\{", r"\}", r"\,", r"\\", r"\[", r"\/", r"\x61", r"\141", r"\d098", r"\x2f",
        ])
        .prop_map(str::to_string),
        1 => class,
    ]
}

fn glob() -> impl Strategy<Value = String> {
    let sequence =
        |piece: BoxedStrategy<String>| prop::collection::vec(piece, 0..5).prop_map(|p| p.concat());
    let leaf = sequence(glob_piece().boxed()).boxed();
    leaf.prop_recursive(3, 16, 3, move |inner| {
        let alternation = prop::collection::vec(inner.clone(), 2..4)
            .prop_map(|branches| format!("{{{}}}", branches.join(",")));
        prop::collection::vec(prop_oneof![3 => glob_piece(), 1 => alternation], 1..5)
            .prop_map(|p| p.concat())
    })
}

/// Input strings over the bytes the globs name, plus ones they do not.
fn inputs() -> impl Strategy<Value = Vec<Vec<u8>>> {
    let alphabet = vec![b'a', b'b', b'/', b'.', b'*', b'z', b',', b'-', 0];
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(alphabet), 0..7),
        1..24,
    )
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
            rules.into_iter().map(|(e, bit)| (e, Bits(1 << bit))).collect();
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        let oracle = Oracle::new(&rules.iter().map(|(e, _)| expr_regex(e)).collect::<Vec<_>>());
        let bits: Vec<u32> = rules.iter().map(|(_, b)| b.0).collect();
        if let Err(why) = agree(&dfa, &oracle, &bits, &inputs) {
            return Err(TestCaseError::fail(why));
        }
        // Numbering: every state but 0 is reachable, 0 has no transitions.
        prop_assert!(dfa.states[0].transitions.is_empty());
        prop_assert_eq!(dfa.states[0].default, 0);
    }

    #[test]
    fn aare_globs_match_like_regex_automata(
        globs in prop::collection::vec(glob(), 1..5),
        inputs in inputs(),
    ) {
        // Rule i grants bit i; overlapping rules OR their bits.
        let rules: Vec<(Expr, Bits)> = globs
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let converted = convert(g, GlobStyle::Default)
                    .unwrap_or_else(|e| panic!("glob {g:?} rejected: {e}"));
                (converted.expr, Bits(1 << i))
            })
            .collect();
        let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
        let oracle = Oracle::new(&globs.iter().map(|g| glob_regex(g)).collect::<Vec<_>>());
        let bits: Vec<u32> = rules.iter().map(|(_, b)| b.0).collect();
        // Besides the random strings, each glob's own text and its text
        // with the stars dropped are likely near-matches.
        let mut all = inputs;
        for g in &globs {
            all.push(g.as_bytes().to_vec());
            all.push(g.replace('*', "").into_bytes());
        }
        if let Err(why) = agree(&dfa, &oracle, &bits, &all) {
            return Err(TestCaseError::fail(format!("globs {globs:?}: {why}")));
        }
    }
}

fn whole(glob: &str, input: &str) -> bool {
    !Oracle::new(&[glob_regex(glob)])
        .matching(input.as_bytes())
        .is_empty()
}

#[test]
fn glob_translation_follows_the_manual() {
    // A star run that is a whole component needs a byte: `/a/*` misses `/a/`.
    assert!(whole("/a/*", "/a/b") && !whole("/a/*", "/a/") && !whole("/a/*", "/a/b/c"));
    assert!(whole("/a/**", "/a/b/c") && !whole("/a/**", "/a/"));
    // Elsewhere a star may match nothing.
    assert!(whole("/a*", "/a") && whole("a/*b", "a/b"));
    assert!(whole("{a,b,}c", "c") && !whole("?", "/") && !whole("*", "a/b"));
    // A negated class is bytes, slash and NUL included.
    assert!(whole("[^a]", "/") && whole("[^a]", "\0"));
    assert!(whole(r"\x61\141\d097\*\/", "aaa*/"));
}

#[test]
fn hand_picked_globs_agree() {
    let globs = ["/a/*", "/a/**", "/a/{b,c}*", "/*/b", "[^/]?", r"/\*/**"];
    let rules: Vec<(Expr, Bits)> = globs
        .iter()
        .enumerate()
        .map(|(i, g)| (convert(g, GlobStyle::Default).unwrap().expr, Bits(1 << i)))
        .collect();
    let dfa = build_dfa(&rules, &BuildOptions::default()).unwrap();
    let oracle = Oracle::new(&globs.iter().map(|g| glob_regex(g)).collect::<Vec<_>>());
    let bits: Vec<u32> = rules.iter().map(|(_, b)| b.0).collect();
    let inputs: Vec<Vec<u8>> = [
        "/a/", "/a/b", "/a/bc", "/a/b/c", "//b", "/x/b", "ab", "/*/", "/*/x",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    agree(&dfa, &oracle, &bits, &inputs).unwrap();
    // The overlap is visible: `/a/bc` is granted by three rules.
    assert_eq!(dfa.matches(b"/a/bc").0, 0b111);
}
