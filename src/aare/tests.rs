//! Conversion tests: the §6 rules and examples, and quirks checked against
//! the 4.1 parser's `-D rule-exprs` dumps.

use super::*;
use crate::expr::{ByteSet, Expr};

fn default(glob: &str) -> Glob {
    convert(glob, GlobStyle::Default).unwrap_or_else(|err| panic!("{glob}: {err}"))
}

fn expr(glob: &str) -> Expr {
    default(glob).expr
}

fn lit(text: &str) -> Vec<Expr> {
    text.bytes().map(Expr::Byte).collect()
}

fn seq(parts: Vec<Vec<Expr>>) -> Expr {
    Expr::Concat(parts.into_iter().flatten().collect())
}

fn not(bytes: &[u8]) -> Expr {
    let mut set = ByteSet::EMPTY;
    bytes.iter().for_each(|&byte| set.insert(byte));
    Expr::NotClass(set)
}

fn star(inner: Expr) -> Expr {
    Expr::Star(Box::new(inner))
}

/// `[^/\x00]`
fn component_byte() -> Expr {
    not(b"/\0")
}

/// `[^\x00]`
fn path_byte() -> Expr {
    not(b"\0")
}

#[test]
fn literal_paths_are_basic() {
    let glob = default("/etc/foo");
    assert_eq!(glob.expr, Expr::literal(b"/etc/foo"));
    assert_eq!(glob.kind, PatternKind::Basic);
    assert_eq!(expr("a"), Expr::Byte(b'a'));
    assert_eq!(expr(""), Expr::Empty);
}

#[test]
fn single_star_stays_in_component() {
    assert_eq!(
        expr("/foo*"),
        seq(vec![lit("/foo"), vec![star(component_byte())]])
    );
}

#[test]
fn slash_star_needs_one_byte() {
    // `/*` → `/[^/\x00][^/\x00]*`
    assert_eq!(
        expr("/k/*"),
        seq(vec![
            lit("/k/"),
            vec![component_byte(), star(component_byte())]
        ])
    );
    // `/**` → `/[^/\x00][^\x00]*`
    let glob = default("/r/**");
    assert_eq!(
        glob.expr,
        seq(vec![lit("/r/"), vec![component_byte(), star(path_byte())]])
    );
    assert_eq!(glob.kind, PatternKind::TailGlob);
    // `/**/` keeps the special case; `/*/` too.
    assert_eq!(
        expr("/o/**/p"),
        seq(vec![
            lit("/o/"),
            vec![component_byte(), star(path_byte())],
            lit("/p")
        ])
    );
    assert_eq!(
        expr("/home/*/**"),
        seq(vec![
            lit("/home/"),
            vec![component_byte(), star(component_byte())],
            lit("/"),
            vec![component_byte(), star(path_byte())],
        ])
    );
}

#[test]
fn star_runs_pair_up() {
    // `/s/***` → `/s/[^/\x00][^\x00]*[^/\x00]*`
    assert_eq!(
        expr("/s/***"),
        seq(vec![
            lit("/s/"),
            vec![component_byte(), star(path_byte()), star(component_byte())]
        ])
    );
    assert_eq!(default("/s/***").kind, PatternKind::TailGlob);
    // Not followed by `/` or the end: no special case.
    assert_eq!(
        expr("/k/**{,a}"),
        seq(vec![
            lit("/k/"),
            vec![
                star(path_byte()),
                Expr::Alt(vec![Expr::Empty, Expr::Byte(b'a')])
            ]
        ])
    );
}

#[test]
fn spec_examples() {
    // `/foo/**.ext` → `/foo/[^\x00]*\.ext`
    assert_eq!(
        expr("/foo/**.ext"),
        seq(vec![lit("/foo/"), vec![star(path_byte())], lit(".ext")])
    );
    // `{alpha,beta}` → `(alpha|beta)`
    assert_eq!(
        expr("{alpha,beta}"),
        Expr::Alt(vec![Expr::literal(b"alpha"), Expr::literal(b"beta")])
    );
    // `blor?t` → `blor[^/\x00]t`
    assert_eq!(
        expr("blor?t"),
        seq(vec![lit("blor"), vec![component_byte()], lit("t")])
    );
    // `b[{a,b}]t` → `b[{a,b}]t`
    let mut set = ByteSet::EMPTY;
    b"{a,b}".iter().for_each(|&byte| set.insert(byte));
    assert_eq!(
        expr("b[{a,b}]t"),
        seq(vec![lit("b"), vec![Expr::Class(set)], lit("t")])
    );
}

#[test]
fn alternations_nest_and_allow_empty_items() {
    assert_eq!(
        expr("/k{a,{b,c}}d"),
        seq(vec![
            lit("/k"),
            vec![Expr::Alt(vec![
                Expr::Byte(b'a'),
                Expr::Alt(vec![Expr::Byte(b'b'), Expr::Byte(b'c')])
            ])],
            lit("d")
        ])
    );
    assert_eq!(
        expr("/k{a,}"),
        seq(vec![
            lit("/k"),
            vec![Expr::Alt(vec![Expr::Byte(b'a'), Expr::Empty])]
        ])
    );
    assert_eq!(default("/usr/{bin,sbin}/x").kind, PatternKind::Regex);
    // `,` outside braces is literal.
    assert_eq!(expr("/m,n"), Expr::literal(b"/m,n"));
}

#[test]
fn alternation_errors() {
    let err = |glob: &str| convert(glob, GlobStyle::Default).unwrap_err();
    assert_eq!(
        err("/k{a}"),
        AareError::SingleItemAlternation { position: 2 }
    );
    assert_eq!(
        err("/k{}"),
        AareError::SingleItemAlternation { position: 2 }
    );
    assert_eq!(err("/k{a"), AareError::UnclosedBrace { position: 2 });
    assert_eq!(err("/k}"), AareError::UnmatchedCloseBrace { position: 2 });
    assert_eq!(err("/k]"), AareError::UnmatchedCloseBracket { position: 2 });
    assert_eq!(err("/k\\"), AareError::TrailingBackslash { position: 2 });
    let deep_ok = format!("{}x{}", "{a,".repeat(49), "}".repeat(49));
    assert!(convert(&deep_ok, GlobStyle::Default).is_ok());
    let too_deep = format!("{}x{}", "{a,".repeat(50), "}".repeat(50));
    assert!(matches!(
        convert(&too_deep, GlobStyle::Default),
        Err(AareError::TooDeep { position: 147, .. })
    ));
}

#[test]
fn escapes() {
    assert_eq!(expr("/c\\*d"), Expr::literal(b"/c*d"));
    assert_eq!(expr("/a\\?b"), Expr::literal(b"/a?b"));
    assert_eq!(expr("/e\\\\f"), Expr::literal(b"/e\\f"));
    assert_eq!(expr("/h\\q\\{\\}\\[\\]"), Expr::literal(b"/hq{}[]"));
    assert_eq!(expr("/g\\x41\\101\\d065\\n"), Expr::literal(b"/gAAA\n"));
    assert_eq!(expr("/foo\\000bar"), Expr::literal(b"/foo\0bar"));
    assert_eq!(expr("/l.+|()^$"), Expr::literal(b"/l.+|()^$"));
    // Escaped characters are literal, so the glob stays basic.
    assert_eq!(default("/c\\*d").kind, PatternKind::Basic);
    // An escaped `*` is not a `/` before the next run.
    assert_eq!(
        expr("/k/\\**"),
        seq(vec![lit("/k/*"), vec![star(component_byte())]])
    );
}

#[test]
fn null_style() {
    let glob = convert("bar*", GlobStyle::Null).unwrap();
    assert_eq!(glob.expr, seq(vec![lit("bar"), vec![star(not(b"/"))]]));
    assert_eq!(
        convert("**", GlobStyle::Null).unwrap().expr,
        star(Expr::Any)
    );
    assert_eq!(
        convert("/**", GlobStyle::Null).unwrap().expr,
        seq(vec![lit("/"), vec![not(b"/"), star(Expr::Any)]])
    );
}

#[test]
fn slash_filtering() {
    assert_eq!(filter_slashes("///k//l"), "/k/l");
    assert_eq!(filter_slashes("//k"), "//k");
    assert_eq!(filter_slashes("///usr"), "/usr");
    assert_eq!(filter_slashes("/a//b///"), "/a/b/");
    assert_eq!(filter_slashes("//"), "/");
    assert_eq!(filter_slashes("a//b"), "a/b");
}

#[test]
fn path_conversion_filters_slashes() {
    assert_eq!(
        convert_path("///usr//bin").unwrap().expr,
        Expr::literal(b"/usr/bin")
    );
}

#[test]
fn xmatch_lengths() {
    let len = |glob: &str| min_len(&expr(glob));
    assert_eq!(len("/usr/{bin,sbin}/dnsmasq"), 16);
    assert_eq!(len("/usr/bin/*"), 10);
    assert_eq!(len("/usr/bin/foo"), 12);
    assert_eq!(len("/a/b**"), 4);
    assert_eq!(len("/a/b?c"), 5);
    assert_eq!(len("/a[bc]d"), 4);
    assert_eq!(len("/a/**/b"), 4);
    // Common alternation tails are factored out before measuring (4.1):
    // after a branch that stops the count, the shared tail adds nothing.
    assert_eq!(len("/{bin/mkosi,home/*/bin/mkosi}"), 1);
    assert_eq!(len("/{bin/mkosi,home/*/x/mkosi}"), 4);
    assert_eq!(len("/{b/m,h/b/m}"), 4);
    // Tails are factored first, then leading runs across the merged branches.
    assert_eq!(len("/{{,usr/}bin/mimetype,{,usr/}bin/*_perl/mimetype}"), 4);
    assert_eq!(len("/{u/s/d,h/*/s/d,u/s/p,h/*/s/p}"), 2);
    assert_eq!(len("/{a/x*/d,b/y*/d,c/d}"), 2);
    assert_eq!(
        len("/{{,usr/}bin/wechat,opt/w/w.A,tmp/.m??????/user/bin/wechat}"),
        1
    );
    assert_eq!(
        len("/{{,usr/}bin/mkosi,home/*/.local/share/pipx/venvs/*/bin/mkosi}"),
        1
    );
    assert_eq!(
        len(
            "/{{,usr/}bin/glib-compile-schemas,{,usr/}lib{,exec,32,64}/*-linux-gnu*/glib-2.0/glib-compile-schemas}"
        ),
        4
    );
}

#[test]
fn exactness() {
    assert!(is_exact(&expr("/usr/{bin,sbin}/x")));
    assert!(is_exact(&expr("/a[bc]d")));
    assert!(!is_exact(&expr("/a[^b]d")));
    assert!(!is_exact(&expr("/a/*")));
    assert!(!is_exact(&expr("/a/b?")));
}

#[test]
fn bad_input_never_panics() {
    for glob in [
        "[", "\\", "{", "}", "{,", "[^", "[a-", "\\x", "\\d", "**/", "{[}]", "[\\",
    ] {
        let _ = convert(glob, GlobStyle::Default);
        let _ = convert(glob, GlobStyle::Null);
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn conversion_never_panics(glob in "[/ab*?\\[\\]{},\\\\^x0-9d.-]{0,24}") {
            for style in [GlobStyle::Default, GlobStyle::Null] {
                if let Ok(glob) = convert(&glob, style) {
                    let _ = min_len(&glob.expr);
                    let _ = is_exact(&glob.expr);
                }
            }
        }

        #[test]
        fn plain_text_is_basic_and_literal(text in "[/a-z0-9._-]{0,24}") {
            let glob = convert(&text, GlobStyle::Default).unwrap();
            prop_assert_eq!(glob.kind, PatternKind::Basic);
            prop_assert_eq!(min_len(&glob.expr), text.len());
            let expected = match text.len() {
                0 => Expr::Empty,
                _ => Expr::literal(text.as_bytes()),
            };
            prop_assert_eq!(glob.expr, expected);
        }

        #[test]
        fn filtered_paths_have_no_double_slash_past_the_start(path in "[/a]{0,16}") {
            let filtered = filter_slashes(&path);
            prop_assert!(!filtered[1.min(filtered.len())..].contains("//"));
        }
    }
}

/// xattr values: 5.0.2 keeps the regex written up to its first error when
/// it is balanced (checked against 5.0.2's blobs, tests/data/language_rules.tsv).
#[test]
fn xattr_values_keep_what_5_0_2_wrote_before_the_first_error() {
    let xattr = |glob: &str| convert_xattr_value(glob).map(|g| g.expr);
    let null = |glob: &str| convert(glob, GlobStyle::Null).unwrap().expr;
    // A top-level group without a comma is its content; the rest is cut.
    assert_eq!(xattr("{x}"), Ok(null("x")));
    assert_eq!(xattr("{d}zz"), Ok(null("d")));
    assert_eq!(xattr("zz{d}tail"), Ok(null("zzd")));
    assert_eq!(xattr("a{b,c}{d}[x"), Ok(null("a{b,c}d")));
    assert_eq!(xattr("{a{b,c}}"), Ok(null("a{b,c}")));
    assert_eq!(xattr("x{}"), Ok(null("x")));
    assert_eq!(xattr("{}"), Ok(Expr::Empty));
    // A stray `]` at the top level is literal and ends the value.
    assert_eq!(xattr("a]b"), Ok(null("a\\]")));
    // A trailing backslash is dropped.
    assert_eq!(xattr("a\\"), Ok(null("a")));
    // Unbalanced leftovers are rejected, as 5.0.2 does.
    for bad in ["{a,{x}}", "{{x}}", "x}", "{x,y", "[ab", "{a,b]", "{a,b\\"] {
        assert!(xattr(bad).is_err(), "{bad}");
    }
    // Valid values convert as any glob with NUL-matching wildcards.
    assert_eq!(xattr("a*{b,c}"), Ok(null("a*{b,c}")));
    // Elsewhere the errors stay errors.
    assert!(convert("{x}", GlobStyle::Null).is_err());
    assert!(convert("a]", GlobStyle::Null).is_err());
}
