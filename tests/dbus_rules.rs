//! dbus rules against apparmor_parser 5.0.2 (issue 12): each variant of
//! the rule language (access words and lists, every condition inside and
//! outside `peer=(..)`, implied accesses per rule form, forms that reject,
//! slash filtering, quoting, variables, parentheses inside values) compiled in a one-rule profile under a dbus
//! features file with packed permissions (`upstream-all`), one with
//! permission tables (`af-inet`) and one without dbus mediation
//! (`debian-6.12`). The expected values are 5.0.2's: the first 16 hex
//! digits of the blob's sha256, or `reject`. Skips without `../shared`.

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use sha2::{Digest, Sha256};

const FEATURES: [&str; 3] = ["upstream-all", "af-inet", "debian-6.12"];

/// Variables the cases may name.
const PREAMBLE: &str = "@{SEND}=send\n@{P}=/x//y /z\n";

/// (rule text inside `/usr/bin/foo { .. }`, 5.0.2's answer per features
/// file in [`FEATURES`] order).
const CASES: &[(&str, [&str; 3])] = &[
    (
        "dbus,",
        ["4e47368e57b8e4b4", "2605974c976dc9b2", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus send,",
        ["294d5ca16f262da6", "29c1dba644c69367", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus receive,",
        ["9005eb69f7cfbe67", "7ca55a0115ef80b7", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus bind,",
        ["05054ab68f702c1f", "1dfbbb0fa3fc38f9", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus eavesdrop,",
        ["dc5554bde3c4cc45", "aad39bbd90fd547c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus r,",
        ["9005eb69f7cfbe67", "7ca55a0115ef80b7", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus w,",
        ["294d5ca16f262da6", "29c1dba644c69367", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus rw,",
        ["ef74b5c92667e9f6", "ec22423192804c7c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus wr,",
        ["ef74b5c92667e9f6", "ec22423192804c7c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus read,",
        ["9005eb69f7cfbe67", "7ca55a0115ef80b7", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus write,",
        ["294d5ca16f262da6", "29c1dba644c69367", "4d7fcd288b39dbdb"],
    ),
    ("dbus rr,", ["reject", "reject", "reject"]),
    ("dbus R,", ["reject", "reject", "reject"]),
    ("dbus Read,", ["reject", "reject", "reject"]),
    ("dbus bogus,", ["reject", "reject", "reject"]),
    ("dbus \"send\",", ["reject", "reject", "reject"]),
    (
        "dbus send receive bus=session,",
        ["reject", "reject", "reject"],
    ),
    (
        "dbus send bus=session receive,",
        ["reject", "reject", "reject"],
    ),
    ("dbus bus=session send,", ["reject", "reject", "reject"]),
    ("dbus send (receive),", ["reject", "reject", "reject"]),
    ("dbus (send) (receive),", ["reject", "reject", "reject"]),
    ("dbus send,receive,", ["reject", "reject", "reject"]),
    (
        "dbus (send receive) bus=session,",
        ["bc0fdf7e54416910", "610022dcf794ca6d", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (send, receive) bus=session,",
        ["bc0fdf7e54416910", "610022dcf794ca6d", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (send,,receive),",
        ["ef74b5c92667e9f6", "ec22423192804c7c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (),",
        ["4e47368e57b8e4b4", "2605974c976dc9b2", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (\"\"),",
        ["4e47368e57b8e4b4", "2605974c976dc9b2", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (\"send\" \"r\"),",
        ["ef74b5c92667e9f6", "ec22423192804c7c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (rww),",
        ["ef74b5c92667e9f6", "ec22423192804c7c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (R),",
        ["9005eb69f7cfbe67", "7ca55a0115ef80b7", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (Rw),",
        ["ef74b5c92667e9f6", "ec22423192804c7c", "4d7fcd288b39dbdb"],
    ),
    ("dbus (SEND),", ["reject", "reject", "reject"]),
    ("dbus (READ),", ["reject", "reject", "reject"]),
    ("dbus (bogus),", ["reject", "reject", "reject"]),
    (
        "dbus (bind eavesdrop),",
        ["02c7039e376ccc6b", "3f7b074a57aedde6", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus ( send , receive , bind , eavesdrop ),",
        ["4e47368e57b8e4b4", "2605974c976dc9b2", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus () path=/a,",
        ["320ef72032d327a3", "00bc97e2cab0d898", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (\"\") name=a,",
        ["c335a0258bc52ab0", "8aac32cde7dfa7ec", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=/a,",
        ["320ef72032d327a3", "00bc97e2cab0d898", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus interface=org.a,",
        ["1e81ef9134fcff11", "d465b3b47e8cc083", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus member=m,",
        ["8d6b2d6eeff1afae", "b5d8c67bb57ba06d", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(name=org.a),",
        ["b8f41771a010e903", "6e9c6061c98c0a37", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(label=unconfined),",
        ["7bb932079705366a", "3a744edb8b48a11e", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(label=a, name=b),",
        ["8d9b4ec1cbbeaeb9", "f75b02d48d3a7d3f", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(),",
        ["4e47368e57b8e4b4", "2605974c976dc9b2", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus bus=session,",
        ["5ac5b72ff93699f7", "63d6ddc1a0fdabfd", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus bus=session peer=(),",
        ["5ac5b72ff93699f7", "63d6ddc1a0fdabfd", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus name=org.a,",
        ["efc968a14fee0c8d", "54a74cd485bd8ad4", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus bus=system name=org.a,",
        ["cdbce734d635a04d", "4adaffa016c71cee", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=/a//b,",
        ["2a9851ffcc48cc77", "1fdab78b230653e1", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=//a///b//,",
        ["6299344e9c108ccb", "df2841182a862c34", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=\"/a//b\",",
        ["2a9851ffcc48cc77", "1fdab78b230653e1", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(path=//a),",
        ["30ef231cfe7792fb", "283199e34d436165", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus member=a//b,",
        ["042058917596f494", "839c2b967351de9d", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(label=/a//b),",
        ["7f43a2d4bcc9a3c3", "a712f1c6ca6f38d8", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus name=a//b,",
        ["4adcfde5503166df", "8d97c69c436e0910", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=(/a),",
        ["320ef72032d327a3", "00bc97e2cab0d898", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus bus=(system),",
        ["29fca7d892e2cfe3", "0f00ff2e2cb5dd84", "4d7fcd288b39dbdb"],
    ),
    ("dbus path=(/a /b),", ["reject", "reject", "reject"]),
    ("dbus path=(),", ["reject", "reject", "reject"]),
    ("dbus path in (/a),", ["reject", "reject", "reject"]),
    ("dbus path:=/a,", ["reject", "reject", "reject"]),
    ("dbus peer=(name:=a),", ["reject", "reject", "reject"]),
    ("dbus peer=(name in (a)),", ["reject", "reject", "reject"]),
    ("dbus label=a,", ["reject", "reject", "reject"]),
    ("dbus foo=a,", ["reject", "reject", "reject"]),
    ("dbus peer=(foo=a),", ["reject", "reject", "reject"]),
    ("dbus other=(name=a),", ["reject", "reject", "reject"]),
    ("dbus path=/a path=/b,", ["reject", "reject", "reject"]),
    (
        "dbus peer=(label=a label=b),",
        ["reject", "reject", "reject"],
    ),
    ("dbus name=b peer=(name=a),", ["reject", "reject", "reject"]),
    ("dbus peer=(name=a) name=b,", ["reject", "reject", "reject"]),
    (
        "dbus peer=(name=a) path=/x,",
        ["reject", "reject", "reject"],
    ),
    (
        "dbus peer=(name=a) peer=(label=b),",
        ["reject", "reject", "reject"],
    ),
    (
        "dbus peer=(path=/a),",
        ["320ef72032d327a3", "00bc97e2cab0d898", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(bus=session),",
        ["5ac5b72ff93699f7", "63d6ddc1a0fdabfd", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus peer=(member=m interface=i),",
        ["ce9b4e9a1524cad7", "d67554d6f15d10ae", "4d7fcd288b39dbdb"],
    ),
    ("dbus peer=(label=\"\"),", ["reject", "reject", "reject"]),
    (
        "dbus peer=(label=\"a b\"),",
        ["be335a7d71c6cec4", "455b44d4980814bd", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=\"\",",
        ["5c35f2c93a4f4e51", "d7967c5eabea1097", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus member=\"\",",
        ["afc9adaf438f4f0d", "a7164b274622a433", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=\"/a b\",",
        ["59f2d191f55f1789", "78b6cbf5a1c7e207", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=/a\\ b,",
        ["59f2d191f55f1789", "78b6cbf5a1c7e207", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=/a/{b,c}/**,",
        ["e01204d498af97c6", "d1f003736d4f1f52", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus member=a{b,c},",
        ["d65aa3384d8fc2ed", "89a9cfdbe594ef0c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus bind name=a,",
        ["c335a0258bc52ab0", "8aac32cde7dfa7ec", "4d7fcd288b39dbdb"],
    ),
    ("dbus bind path=/a,", ["reject", "reject", "reject"]),
    ("dbus bind peer=(name=a),", ["reject", "reject", "reject"]),
    (
        "dbus bind peer=(),",
        ["05054ab68f702c1f", "1dfbbb0fa3fc38f9", "4d7fcd288b39dbdb"],
    ),
    ("dbus send name=a,", ["reject", "reject", "reject"]),
    ("dbus (rw) name=a,", ["reject", "reject", "reject"]),
    (
        "dbus eavesdrop bus=a,",
        ["7ad804d0e0e83e82", "0f6e568f99c547a9", "4d7fcd288b39dbdb"],
    ),
    ("dbus eavesdrop name=a,", ["reject", "reject", "reject"]),
    (
        "dbus eavesdrop peer=(label=a),",
        ["reject", "reject", "reject"],
    ),
    (
        "dbus eavesdrop peer=(),",
        ["dc5554bde3c4cc45", "aad39bbd90fd547c", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (bind eavesdrop) name=a,",
        ["reject", "reject", "reject"],
    ),
    (
        "dbus (send bind),",
        ["b0dc77eaa4ada7d9", "3c3c5663675bfbba", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus (send eavesdrop) bus=s,",
        ["09427c0e47c8dbf7", "93e8ba7287d8b721", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus name=x peer=(label=l),",
        ["reject", "reject", "reject"],
    ),
    (
        "dbus name=x peer=(bus=b),",
        ["e004e38de1d47ead", "1c4a346dee9bfe8b", "4d7fcd288b39dbdb"],
    ),
    (
        "deny dbus peer=(label=a),",
        ["ce98d40be5a65b29", "21c9a4e61abbc7f6", "4d7fcd288b39dbdb"],
    ),
    (
        "audit dbus peer=(label=a),",
        ["6c905b0503b0d3e1", "059f57d7b60c4ee9", "4d7fcd288b39dbdb"],
    ),
    (
        "audit dbus (send bind),",
        ["7ef296ae08026798", "031c76327b1d151f", "4d7fcd288b39dbdb"],
    ),
    (
        "audit deny dbus eavesdrop bus=system,",
        ["6cf52271a629724d", "bfd4648d0fb82af1", "4d7fcd288b39dbdb"],
    ),
    (
        "deny dbus (bind) name=x,",
        ["f05bff427a18f4b7", "577498f1c8b0e898", "4d7fcd288b39dbdb"],
    ),
    (
        "priority=5 dbus path=/a,",
        ["320ef72032d327a3", "00bc97e2cab0d898", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus send bus=session path=/a interface=i member=m peer=(name=n label=l),",
        ["2fe2db13cf733ed7", "a58271f878a18ca9", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus send path=/a/*,\n  dbus receive path=/a/**,\n  deny dbus send path=/a/b,",
        ["c2b7919a67270538", "aa191d7a9dc06ef2", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus bind name=org.*,\n  dbus name=org.a,\n  audit dbus eavesdrop,",
        ["013024986b42d57a", "e6845aa17cf2cc47", "4d7fcd288b39dbdb"],
    ),
    ("dbus (@{SEND}),", ["reject", "reject", "reject"]),
    ("dbus @{SEND},", ["reject", "reject", "reject"]),
    (
        "dbus path=@{P}//q,",
        ["a9a67f127db0e2cf", "eb2e900021fb5b97", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus member=@{SEND},",
        ["23718af452874ef3", "4c66d3d0f1b84815", "4d7fcd288b39dbdb"],
    ),
    ("signal (@{SEND}),", ["reject", "reject", "reject"]),
    ("unix (@{SEND}),", ["reject", "reject", "reject"]),
    (
        "dbus path=/a,peer=(label=b),",
        ["05fee684bc4544e3", "402585d76cef10d8", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=/a(b) member=c)d,",
        ["7d720f5c1c1f3d90", "29cd47bf1d8a25d8", "4d7fcd288b39dbdb"],
    ),
    (
        "dbus path=/a peer=(label=a(b)),",
        ["reject", "reject", "reject"],
    ),
    ("dbus path=(/a(b)),", ["reject", "reject", "reject"]),
    ("dbus path=\"/a\"(b),", ["reject", "reject", "reject"]),
];

fn answer(session: &Session, rule: &str) -> String {
    let text = format!("{PREAMBLE}/usr/bin/foo {{\n  {rule}\n}}\n");
    let compiled = session.compile_input(&Input::Text {
        name: "-".into(),
        text,
    });
    match compiled.blob {
        Some(blob) => Sha256::digest(&blob)
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect(),
        None => "reject".into(),
    }
}

#[test]
fn dbus_rule_variants_match_apparmor_parser_5_0_2() {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let mut failures = Vec::new();
    for (index, features) in FEATURES.iter().enumerate() {
        let path = shared.join("features").join(format!("{features}.txt"));
        let set = FeatureSet::load(&path).expect("features file");
        let session = Session::new(resolve::Options::default(), FeatureSources::both(set));
        for (rule, expected) in CASES {
            let got = answer(&session, rule);
            if got != expected[index] {
                failures.push(format!(
                    "[{features}] {rule:?}: aaprof {got}, 5.0.2 {}",
                    expected[index]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
