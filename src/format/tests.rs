//! Layout cases, each with the expected text written by hand from the
//! rules in the module documentation.

use super::{FormatError, FormatOptions, format_text};

fn fmt(text: &str) -> String {
    format_text("test", text, FormatOptions::default()).unwrap()
}

#[test]
fn indentation_follows_nesting_and_rules_get_one_line_each() {
    let input = "profile foo   /usr/bin/foo flags=(complain) {\n\
                 /etc/hosts r, /etc/passwd   r ,\n\
                 \t^hat {\n  capability   chown,\n}\n\
                 }\n";
    let expected = "profile foo /usr/bin/foo flags=(complain) {\n  \
                    /etc/hosts r,\n  /etc/passwd r,\n  ^hat {\n    capability chown,\n  }\n}\n";
    assert_eq!(fmt(input), expected);
}

#[test]
fn comments_and_blank_line_groups_are_kept() {
    let input = "# header\n\n\n\ninclude <tunables/global>\n\
                 profile a { # about a\n\n  # files\n  /a r,   # trailing\n\n\n  /b r,\n\n  # last\n\n}\n\n\n";
    let expected = "# header\n\ninclude <tunables/global>\n\
                    profile a { # about a\n  # files\n  /a r, # trailing\n\n  /b r,\n\n  # last\n}\n";
    assert_eq!(fmt(input), expected);
}

#[test]
fn a_rule_spanning_lines_is_joined_unless_it_holds_a_comment() {
    assert_eq!(
        fmt("profile a {\n  signal\n     (send,   receive)\n     peer=b,\n}\n"),
        "profile a {\n  signal (send, receive) peer=b,\n}\n"
    );
    assert_eq!(
        fmt("profile a {\n      /a # why\n r,\n}\n"),
        "profile a {\n  /a # why\n r,\n}\n"
    );
}

#[test]
fn quoted_strings_and_escapes_keep_their_spaces() {
    assert_eq!(
        fmt("profile a {\n\"/a  b\"   r,\n/c\\ \\ d r,\n}\n"),
        "profile a {\n  \"/a  b\" r,\n  /c\\ \\ d r,\n}\n"
    );
}

#[test]
fn conditionals_chain_else_on_the_closing_brace() {
    let input = "${b} = true\nprofile a {\nif ${b}   {\n/a r,\n}\nelse if defined @{v} {\n/b r,\n}\n  else\n{\n/c r,\n}\n}\n";
    let expected = "${b} = true\nprofile a {\n  if ${b} {\n    /a r,\n  } else if defined @{v} {\n    /b r,\n  } else {\n    /c r,\n  }\n}\n";
    assert_eq!(fmt(input), expected);
}

#[test]
fn qualifier_blocks_and_include_spellings() {
    let input = "profile a {\n#include <abstractions/base>\ninclude   if exists <local/a>\naudit   deny {\n/a w,\n}\n}\n";
    let expected = "profile a {\n  #include <abstractions/base>\n  include if exists <local/a>\n  audit deny {\n    /a w,\n  }\n}\n";
    assert_eq!(fmt(input), expected);
}

#[test]
fn indent_width_is_an_option() {
    let options = FormatOptions { indent_width: 4 };
    assert_eq!(
        format_text("t", "profile a {\n/a r,\n}\n", options).unwrap(),
        "profile a {\n    /a r,\n}\n"
    );
}

#[test]
fn formatting_is_idempotent_on_these_cases() {
    for input in [
        "# c\nprofile a { # x\n  /a r, # y\n\n\n  ^h {\n  }\n}\n",
        "@{HOME} = /home/*/ /root/\nprofile b /b {\n  owner @{HOME}/** rw,\n}\n",
    ] {
        let once = fmt(input);
        assert_eq!(fmt(&once), once, "{input:?}");
    }
}

#[test]
fn syntax_errors_are_refused() {
    let error = format_text("t", "profile a {\n  /a r\n", FormatOptions::default()).unwrap_err();
    assert!(matches!(error, FormatError::Syntax(_)), "{error:?}");
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n"), "");
    assert_eq!(fmt("# only\n\n# two\n"), "# only\n\n# two\n");
}

#[test]
fn a_body_fragment_is_indented_one_level() {
    assert_eq!(
        fmt(
            "abi <abi/4.0>,\n# base\n/etc/ld.so.cache   r,\ninclude if exists <abstractions/base.d>\n"
        ),
        "  abi <abi/4.0>,\n  # base\n  /etc/ld.so.cache r,\n  include if exists <abstractions/base.d>\n"
    );
    assert_eq!(fmt("@{HOME}=/home/*/\n"), "@{HOME}=/home/*/\n");
}

#[test]
fn a_header_holding_a_comment_is_kept_as_written() {
    let input = "k#\n#\n/usr/bin/foo {\n /a r,\n}\n";
    let once = fmt(input);
    assert_eq!(once, "k#\n#\n/usr/bin/foo {\n  /a r,\n}\n");
    assert_eq!(fmt(&once), once);
}

#[test]
fn rules_joined_by_a_comma_or_brace_get_a_line_each() {
    // 5.0.2's lexer ends a name at the comma: `/c r,deny /d r,` is two
    // rules, `file,}` a rule then the block's end.
    assert_eq!(
        fmt("profile p {\n  /c r,deny /d r,\n  capability chown,deny /e r,\n  file,}\n"),
        "profile p {\n  /c r,\n  deny /d r,\n  capability chown,\n  deny /e r,\n  file,\n}\n"
    );
    assert_eq!(
        fmt("profile a {}\nprofile b {\n  /a r, {/b r,}\n  ^h {}}\n"),
        "profile a {\n}\nprofile b {\n  /a r,\n  {\n    /b r,\n  }\n  ^h {\n  }\n}\n"
    );
}

#[test]
fn the_word_open_is_written_as_a_brace() {
    assert_eq!(
        fmt("profile a open\n  deny /a r,\n  audit open /b r, }\n}\n"),
        "profile a {\n  deny /a r,\n  audit {\n    /b r,\n  }\n}\n"
    );
}

#[test]
fn a_quoted_value_may_end_in_a_backslash() {
    let text = "profile a {\n  dbus path=\"/a\\\",\n}\n";
    assert_eq!(fmt(text), text);
}
