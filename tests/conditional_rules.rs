//! apparmor_parser 5.0.2's rules for conditionals, booleans and variable
//! assignments (issue 12), as variants written for this test, each with the
//! reference's answer: rejected, the `if` branch taken, the `else` branch
//! taken, or the sha256 of the blob it writes (under `upstream-all`
//! features). The profiles exercise:
//! - comparisons: `in` (subset), `==`/`!=` (set equality of text), and the
//!   orderings: numbers as `strtol(s, &end, 0)` reads them (octal, hex,
//!   leading blanks; out of range is an error), sets ordered
//!   lexicographically, a number against a non-number an error;
//! - which sides are variables (`"@{A}"` is, `x@{A}` is not), the
//!   condition tokens (`{x` is a word, `#` no comment, `and(` a word),
//!   `or` < `and` < `not` precedence, every part evaluated, conditions in
//!   untaken branches evaluated too;
//! - boolean assignments taking expressions; `=`, `?=`, `:=`, `+=` on
//!   booleans and sets, which share one namespace; expansions frozen once a
//!   condition has expanded a variable; where assignments and `if` stand.
//!
//! Needs `../shared/features/upstream-all.txt`; skips without it.

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use sha2::{Digest, Sha256};

/// What apparmor_parser 5.0.2 answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    Reject,
    /// The blob of `/usr/bin/foo { /a r, }`: the `if` branch.
    Then,
    /// The blob of `/usr/bin/foo { /b r, }`: the `else` branch.
    Else,
    Blob(&'static str),
}
use Expected::*;

const THEN_SHA256: &str = "10f9ab06cc11a6344656b09e3225760b024b889c1d8fc4c54ddea48efce10fd8";
const ELSE_SHA256: &str = "8cb3219d636433cd21b1c3fe8ba554dde91580ef7ea5e79de6674ca05081eff6";

/// Variables every condition case may use.
const PREAMBLE: &str = r#"@{E} = ""
@{N} = 10
@{S} = /path/foo/
@{MN} = 10 2 3.1
@{MS} = /path/foo/ /path/bar/
@{A} = a
${T} = true
"#;

/// `if COND { /a r, } else { /b r, }` after [`PREAMBLE`].
const CONDITIONS: &[(&str, Expected)] = &[
    (r#""\101" == A"#, Then),
    (r#"\x41 == A"#, Then),
    (r#""\d65\x41" == AA"#, Then),
    (r#""\052" == "\*""#, Then),
    (r#""\0" == "\0""#, Then),
    (r#""a\q" == "a\q""#, Then),
    (r#"9 < 10"#, Then),
    (r#"010 > 9"#, Else),
    (r#"010 < 9"#, Then),
    (r#"0x10 > 9"#, Then),
    (r#"0X1f > 30"#, Then),
    (r#"-5 < 0"#, Then),
    (r#"-0x10 < -15"#, Then),
    (r#"" 10" < 11"#, Then),
    (r#"@{N} >= 10"#, Then),
    (r#"@{N} > 9"#, Then),
    (r#"3.1 < 10"#, Reject),
    (r#"10abc < 9"#, Reject),
    (r#"08 < 9"#, Reject),
    (r#"0x < 9"#, Reject),
    (r#""" < 9"#, Reject),
    (r#""10 " < 11"#, Reject),
    (r#"9223372036854775807 > 9"#, Then),
    (r#"9223372036854775808 > 9"#, Reject),
    (r#"-9223372036854775809 < 9"#, Reject),
    (r#"99999999999999999999abc > 9"#, Reject),
    (r#"99999999999999999999 > /foo"#, Reject),
    (r#"@{S} < 10"#, Reject),
    (r#"@{MN} >= 10"#, Reject),
    (r#"@{E} <= 9"#, Reject),
    (r#"10 > @{MS}"#, Reject),
    (r#"@{MS} < @{S}"#, Then),
    (r#"@{S} < @{MS}"#, Else),
    (r#"@{S} < @{MN}"#, Then),
    (r#"@{E} < @{S}"#, Then),
    (r#"@{E} < @{E}"#, Else),
    (r#"@{MN} >= @{E}"#, Then),
    (r#"@{MN} <= @{MN}"#, Then),
    (r#"@{S} >= @{MS}"#, Then),
    (r#"/path/baz/ > @{MS}"#, Then),
    (r#"0x10 == 16"#, Else),
    (r#""10" == 10"#, Then),
    (r#"@{N} == 10"#, Then),
    (r#"@{MS} == @{MS}"#, Then),
    (r#"@{MS} != @{S}"#, Then),
    (r#"010 != 10"#, Then),
    (r#"@{E} in @{S}"#, Else),
    (r#"@{E} in @{E}"#, Then),
    (r#"10 in @{MN}"#, Then),
    (r#"@{S} in @{MS}"#, Then),
    (r#"@{MS} in @{S}"#, Else),
    (r#"9 in @{MN}"#, Else),
    (r#""@{A}" == a"#, Then),
    (r#"x@{A} == xa"#, Else),
    (r#"@{A}x == @{A}x"#, Then),
    (r#""$A" == a"#, Then),
    (r#""@A" == a"#, Then),
    (r#""@" == a"#, Reject),
    (r#"@{U} == a"#, Reject),
    (r#"a == @{U}"#, Reject),
    (r#""@{1a}" == "@{1a}""#, Then),
    (r#"@{T} == a"#, Reject),
    (r#""$T" == a"#, Reject),
    (r#"true"#, Then),
    (r#"TRUE"#, Then),
    (r#"False"#, Else),
    (r#"foo"#, Reject),
    (r#"@{A}"#, Reject),
    (r#"true or true and false"#, Then),
    (r#"not false and false"#, Else),
    (r#"not true or true"#, Then),
    (r#"(true or true) and false"#, Else),
    (r#"not not true"#, Then),
    (r#"true or ${U}"#, Reject),
    (r#"false and ${U}"#, Reject),
    (r#"${A}"#, Reject),
    (r#"${T} and defined @{A} and defined ${A}"#, Then),
    (r#"defined ${T}"#, Else),
    (r#"defined @{U}"#, Else),
    (r#"not defined @{U}"#, Then),
    (r#"a#b == a#b"#, Then),
    (r#"and == and"#, Reject),
    (r#"not == not"#, Reject),
    (r#"in in in"#, Reject),
    (r#"defined == defined"#, Reject),
    (r#"a<=b"#, Reject),
    (r#"a==a"#, Then),
    (r#"@{A}==a"#, Then),
    (r#"a <b"#, Reject),
    (r#"@{A} >=a"#, Then),
    (r#"not(true)"#, Reject),
    (r#"not (true)"#, Else),
    (r#"(true)and(true)"#, Reject),
    (r#"(a == @{A})"#, Reject),
    (r#"(@{A} == a)"#, Then),
    (r#"/a=b == /a=b"#, Then),
    (r#"a,b == a,b"#, Then),
    (r#"a=b == a=b"#, Reject),
    (r#"&x == &x"#, Then),
    (r#":x == :x"#, Then),
    (r#"{ == {"#, Reject),
    (r#"< == <"#, Reject),
    (r#"${T} == a"#, Reject),
    (r#"a!b == a!b"#, Reject),
    (r#"/f/{a,b} == /f/{a,b}"#, Then),
];

/// A preamble, then `if ${B} { /a r, } else { /b r, }`.
const BOOLEANS: &[(&str, Expected)] = &[
    (
        r#"${B} = true
"#,
        Then,
    ),
    (
        r#"${B} = FALSE
"#,
        Else,
    ),
    (
        r#"${B} = not true
"#,
        Else,
    ),
    (
        r#"${B} = (true)
"#,
        Then,
    ),
    (
        r#"@{X} = 1
${B} = @{X} < 2
"#,
        Then,
    ),
    (
        r#"${A} = true
${B} = ${A}
"#,
        Then,
    ),
    (
        r#"${B} = false or \
 true
"#,
        Then,
    ),
    (
        r#"${B} = true # comment
"#,
        Then,
    ),
    (
        r#"${B} = "true"
"#,
        Then,
    ),
    (
        r#"${B} = true
${B} := false
"#,
        Else,
    ),
    (
        r#"${B} = true
${B} ?= false
"#,
        Then,
    ),
    (
        r#"${B} ?= false
"#,
        Else,
    ),
    (
        r#"${B} = true
${B} += false
"#,
        Reject,
    ),
    (
        r#"${B} += false
"#,
        Reject,
    ),
    (
        r#"${B} = yes
"#,
        Reject,
    ),
    (
        r#"${B} = 1
"#,
        Reject,
    ),
    (
        r#"${B} = true,
"#,
        Reject,
    ),
    (
        r#"${B} = true
${B} = false
"#,
        Reject,
    ),
    (
        r#"@{B} = x
${B} = true
"#,
        Reject,
    ),
    (
        r#"${B} = true
@{B} = x
"#,
        Reject,
    ),
    (
        r#"@{B} = x
${B} := true
"#,
        Then,
    ),
    (
        r#"${B} = true
@{B} += x
"#,
        Reject,
    ),
    (
        r#"${B} = true
${B} ?= ${U}
"#,
        Reject,
    ),
    (
        r#"$B = true
"#,
        Then,
    ),
    (
        r#"${B}=true
"#,
        Then,
    ),
    (
        r#"${B} = defined @{U}
"#,
        Else,
    ),
    (
        r#"@{Y} = a
${B} = defined ${Y}
"#,
        Then,
    ),
];

/// Whole files: assignments, placement, branch structure.
const FILES: &[(&str, &str, Expected)] = &[
    (
        "var_value_parens",
        r#"@{V} = (a) b)
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("9220697b6a4c0c85fceb91603fd8e58443fe65e845b6bb0c848177fb5f1dd122"),
    ),
    (
        "var_value_equals",
        r#"@{V} = a=b =c
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("ab4965a750670ad7858d5e49cf5ff085c2c8b8721f04b4d1f63218fce9c430d4"),
    ),
    (
        "var_value_hash",
        r#"@{V} = a#b # comment
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("999447ef8063be4fa3b94e27aeab45150be281c464e19438d96ad5006a1e463b"),
    ),
    (
        "untaken_cap",
        r#"/usr/bin/foo {
  if false {
    capability bogus,
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_cap",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    capability bogus,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_mode",
        r#"/usr/bin/foo {
  if false {
    /b rwz,
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_mode",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    /b rwz,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_flags",
        r#"/usr/bin/foo {
  if false {
    ^hat flags=(bogus) { }
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_flags",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    ^hat flags=(bogus) { }
  }
}
"#,
        Reject,
    ),
    (
        "untaken_include",
        r#"/usr/bin/foo {
  if false {
    include <nonexistent/x>
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_include",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    include <nonexistent/x>
  }
}
"#,
        Reject,
    ),
    (
        "untaken_var",
        r#"/usr/bin/foo {
  if false {
    @{V} = x
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_var",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    @{V} = x
  }
}
"#,
        Reject,
    ),
    (
        "untaken_undefvar",
        r#"/usr/bin/foo {
  if false {
    /b/@{UNDEF} r,
  } else {
    /a r,
  }
}
"#,
        Then,
    ),
    (
        "untaken_else_undefvar",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    /b/@{UNDEF} r,
  }
}
"#,
        Then,
    ),
    (
        "untaken_net",
        r#"/usr/bin/foo {
  if false {
    network bogus,
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_net",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    network bogus,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_signal",
        r#"/usr/bin/foo {
  if false {
    signal set=(bogus),
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_signal",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    signal set=(bogus),
  }
}
"#,
        Reject,
    ),
    (
        "untaken_mount",
        r#"/usr/bin/foo {
  if false {
    mount options=(bogus),
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_mount",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    mount options=(bogus),
  }
}
"#,
        Reject,
    ),
    (
        "untaken_rlimit",
        r#"/usr/bin/foo {
  if false {
    set rlimit bogus <= 1,
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_rlimit",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    set rlimit bogus <= 1,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_ok",
        r#"/usr/bin/foo {
  if false {
    /b rw,
  } else {
    /a r,
  }
}
"#,
        Then,
    ),
    (
        "untaken_else_ok",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    /b rw,
  }
}
"#,
        Then,
    ),
    (
        "untaken_exec_conflict",
        r#"/usr/bin/foo {
  if false {
    /b ix, /b Px,
  } else {
    /a r,
  }
}
"#,
        Then,
    ),
    (
        "untaken_else_exec_conflict",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    /b ix, /b Px,
  }
}
"#,
        Then,
    ),
    (
        "untaken_hat",
        r#"/usr/bin/foo {
  if false {
    ^hat { /c r, }
  } else {
    /a r,
  }
}
"#,
        Then,
    ),
    (
        "untaken_else_hat",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    ^hat { /c r, }
  }
}
"#,
        Then,
    ),
    (
        "untaken_nested_if",
        r#"/usr/bin/foo {
  if false {
    if true { capability bogus, }
  } else {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_nested_if",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    if true { capability bogus, }
  }
}
"#,
        Reject,
    ),
    (
        "brace_glued",
        r#"/usr/bin/foo {
  if true {/a r, }
}
"#,
        Reject,
    ),
    (
        "else_if_chain",
        r#"/usr/bin/foo {
  if false {
    /a r,
  } else if false {
    /b r,
  } else if true {
    /c r,
  } else {
    /d r,
  }
}
"#,
        Blob("69f5898a815816e7bf577d3edf43ee32786c96b039a1c50736e64480f6e4b6e6"),
    ),
    (
        "untaken_nested_error",
        r#"/usr/bin/foo {
  if false {
    if ${U} {
      /a r,
    }
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_if_error",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else if ${U} {
    /b r,
  }
}
"#,
        Reject,
    ),
    (
        "untaken_else_nested_error",
        r#"/usr/bin/foo {
  if true {
    /a r,
  } else {
    if @{U} == x {
    }
  }
}
"#,
        Reject,
    ),
    (
        "if_in_qualifier_block",
        r#"/usr/bin/foo {
  audit {
    if true {
      /a r,
    }
  }
}
"#,
        Blob("0eb1fb29a8913fcac01fa86296ebb6a4b08f73b407ce669ff7839355a33963d5"),
    ),
    (
        "hat_in_if",
        r#"/usr/bin/foo {
  if true {
    ^hat {
      /a r,
    }
  }
}
"#,
        Blob("6e37d0988e08d5a45b555d5597358e035fdb2101a34b301969e7cfbc293c5a61"),
    ),
    (
        "if_at_top",
        r#"if true {
/usr/bin/foo {
}
}
"#,
        Reject,
    ),
    (
        "if_comment_token",
        r#"/usr/bin/foo {
  if # c
 true {
    /a r,
  }
}
"#,
        Reject,
    ),
    (
        "if_multiline",
        r#"/usr/bin/foo {
  if true
  and
  true {
    /a r,
  }
}
"#,
        Then,
    ),
    (
        "var_0",
        r#"@{V} = x
@{V} := y
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("d3aa1d76f5824a4b2d45f4547398e25575e22fe914b4795849c422f19ba320a7"),
    ),
    (
        "var_1",
        r#"@{V} := y
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("d3aa1d76f5824a4b2d45f4547398e25575e22fe914b4795849c422f19ba320a7"),
    ),
    (
        "var_2",
        r#"@{V} := y
@{V} += z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("b1c7a33348f69d8bd199c31998a6cef8614180eac3db4a0a9b5cc7554f871bbe"),
    ),
    (
        "var_3",
        r#"@{V} := y
@{V} = z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Reject,
    ),
    (
        "var_4",
        r#"@{V} := y
@{V} := z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("1fff4a0240c695cd262a9ec977c28dddaabe3e1acac4cd435452e422c7c9a394"),
    ),
    (
        "var_5",
        r#"@{V} ?= y
@{V} ?= z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("d3aa1d76f5824a4b2d45f4547398e25575e22fe914b4795849c422f19ba320a7"),
    ),
    (
        "var_6",
        r#"@{V} = y
@{V} ?= z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("d3aa1d76f5824a4b2d45f4547398e25575e22fe914b4795849c422f19ba320a7"),
    ),
    (
        "var_7",
        r#"@{V} += y
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Reject,
    ),
    (
        "var_8",
        r#"@{V} =
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Reject,
    ),
    (
        "var_9",
        r#"@{V} = y y
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("d3aa1d76f5824a4b2d45f4547398e25575e22fe914b4795849c422f19ba320a7"),
    ),
    (
        "var_10",
        r#"@{V} = b a
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("f294b8e5a9a3f5529afc74eda514e11fe3cae39211c46099168c64a3c7d2f637"),
    ),
    (
        "var_11",
        r#"@{A} = x
@{V} = @{A} y
${C} = @{V} == x
@{A} += z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("16aeff61d4860e4f2f4969fd029e1ff241204a171bdc05e5086786bce54e7f6f"),
    ),
    (
        "var_12",
        r#"@{A} = x
@{V} = @{A} y
@{A} += z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("54ee225176a891396ba797b75805259dd975636bc67988d329c341e39d22bc78"),
    ),
    (
        "var_13",
        r#"@{V} = x
${C} = @{V} == x
@{V} += z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("ff4906193af53c49771425f8892b5f5c0a3bcf5a3723d161c866b400e8cf4701"),
    ),
    (
        "var_14",
        r#"@{V} = x
${C} = @{V} == x
@{V} := z
/usr/bin/foo {
  /v/@{V} r,
}
"#,
        Blob("1fff4a0240c695cd262a9ec977c28dddaabe3e1acac4cd435452e422c7c9a394"),
    ),
    (
        "var_after_profile",
        r#"/usr/bin/foo {
}
@{V} = x
/usr/bin/bar {
  /v/@{V} r,
}
"#,
        Reject,
    ),
    (
        "var_inside_profile",
        r#"/usr/bin/foo {
  @{V} = x
  /v/@{V} r,
}
"#,
        Reject,
    ),
    (
        "bool_after_profile",
        r#"/usr/bin/foo {
}
${B} = true
/usr/bin/bar {
}
"#,
        Reject,
    ),
    (
        "bool_inside_profile",
        r#"/usr/bin/foo {
  ${B} = true
}
"#,
        Reject,
    ),
    (
        "alias_after_profile",
        r#"/usr/bin/foo {
}
alias /a -> /b,
"#,
        Reject,
    ),
    (
        "two_profiles",
        r#"@{V} = x
/usr/bin/foo {
  /v/@{V} r,
}
/usr/bin/bar {
  /w/@{V} r,
}
"#,
        Blob("72c002f3751ca0cc676a9425650efc130bb1dd46fac0abdbb7cf0da58193e838"),
    ),
];

fn condition_case(cond: &str) -> String {
    format!(
        "{PREAMBLE}/usr/bin/foo {{\n  if {cond} {{\n    /a r,\n  }} else {{\n    /b r,\n  }}\n}}\n"
    )
}

fn boolean_case(preamble: &str) -> String {
    format!(
        "{preamble}/usr/bin/foo {{\n  if ${{B}} {{\n    /a r,\n  }} else {{\n    /b r,\n  }}\n}}\n"
    )
}

#[test]
fn conditionals_booleans_and_variables_follow_apparmor_parser_5_0_2() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let features = shared.join("features/upstream-all.txt");
    if !features.is_file() {
        eprintln!("note: {} missing; skipping", features.display());
        return;
    }
    let set = FeatureSet::load(&features).expect("features file");
    let session = Session::new(resolve::Options::default(), FeatureSources::both(set));
    let cases = CONDITIONS
        .iter()
        .map(|(c, e)| (format!("if {c}"), condition_case(c), *e))
        .chain(
            BOOLEANS
                .iter()
                .map(|(p, e)| (format!("${{B}} after {p:?}"), boolean_case(p), *e)),
        )
        .chain(
            FILES
                .iter()
                .map(|(n, t, e)| (n.to_string(), t.to_string(), *e)),
        );
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, text, expected) in cases {
        total += 1;
        let compiled = session.compile_input(&Input::Text {
            name: "-".into(),
            text,
        });
        let got = compiled.blob.as_ref().map(|blob| {
            Sha256::digest(blob)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        });
        let want = match expected {
            Reject => None,
            Then => Some(THEN_SHA256),
            Else => Some(ELSE_SHA256),
            Blob(sha) => Some(sha),
        };
        if got.as_deref() == want {
            continue;
        }
        let error = compiled
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.message.clone());
        failures.push(match (want, got) {
            (None, _) => format!("{name}: accepted, 5.0.2 rejects"),
            (Some(_), None) => format!(
                "{name}: rejected ({}), 5.0.2 accepts",
                error.unwrap_or_default()
            ),
            (Some(_), Some(_)) => format!("{name}: blob differs (expected {expected:?})"),
        });
    }
    assert!(
        failures.is_empty(),
        "{} of {total} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
