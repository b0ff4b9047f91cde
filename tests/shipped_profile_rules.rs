//! Language rules found by comparing Debian's shipped profiles and
//! upstream's tests with apparmor_parser 5.0.2, each pinned by variants
//! written for this project: (features file, body of `profile x { ... }`,
//! the sha256 of 5.0.2's blob or `None` when it rejects the profile).
//!
//! The features files come from `../shared`; the test skips with a note
//! when it is missing. When the reference parser is there too, every
//! expectation is first confirmed against it.

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

type Case = (&'static str, &'static str, Option<&'static str>);

/// On a kernel whose `caps/mask` lacks perfmon, bpf or checkpoint_restore
/// (upstream-all), a rule naming one grants, denies or audits sys_admin
/// instead; `capability,` keeps every bit; kernels listing them keep them.
const CAPABILITY_BACKMAP: &[Case] = &[
    (
        "upstream-all",
        "capability perfmon, capability setuid,",
        Some("830b9b532ac7b25102a3eb049784bdde345393d4adb4c18659be2723044d132c"),
    ),
    (
        "upstream-all",
        "capability bpf,",
        Some("ada37fe277c579fb5685b7aa9414557a9d56a5c6576fcdd6c906b29a8555abff"),
    ),
    (
        "upstream-all",
        "capability checkpoint_restore,",
        Some("ada37fe277c579fb5685b7aa9414557a9d56a5c6576fcdd6c906b29a8555abff"),
    ),
    (
        "upstream-all",
        "deny capability perfmon, capability sys_admin,",
        Some("c4f3d2e902a5bf3c8c9b1270c3e56259429c24111881213cea083e561c23459d"),
    ),
    (
        "upstream-all",
        "audit capability bpf,",
        Some("aa6e621616762a6e816cf29ba1fba6ea3a3b2c9457c0dff36c904dfb224f9f8f"),
    ),
    (
        "upstream-all",
        "capability, deny capability perfmon,",
        Some("12d6f803e936582fc758f4be39fb5d47d800ed732b4bfcdbefb6f981a143d2fc"),
    ),
    (
        "upstream-all",
        "audit deny capability checkpoint_restore, capability sys_admin,",
        Some("7e854a7e40bb98794387a9e03c8b80f0f2a05a64b598df6b61525506dd303c74"),
    ),
    (
        "upstream-all",
        "capability syslog, capability perfmon,",
        Some("cf4168795c322ec118035bed0ac9afbb53d117073cded9ae2b55297331c0db9d"),
    ),
    (
        "debian-6.12",
        "capability perfmon, capability bpf,",
        Some("5b1c34b1c6c4d60820348d2ed89ca6721f0fca1aa80c32702ac2e3629ef68e25"),
    ),
    (
        "af-inet",
        "deny capability bpf, capability sys_admin,",
        Some("2de0403b0246e3410f6061781003efacb87c121c35fb0721ecf66398b7ccd5b9"),
    ),
];

/// Where a network rule also stands for unix rules (a kernel with
/// `network/af_unix`, e.g. af-inet), a deny network rule's audit keyword
/// works the other way round on those unix rules: quiet without `audit`,
/// not with it. Its own network entries, and kernels without af_unix
/// (debian-6.12), keep the usual meaning.
const DENY_NETWORK_UNIX: &[Case] = &[
    (
        "af-inet",
        "deny network,",
        Some("c53ea8d806c742b16644c33dfc790584cfe7c3e02891562d092b5a6172d4a31b"),
    ),
    (
        "af-inet",
        "deny network unix,",
        Some("18d1a6fb71e5cdd2f4667806a1b7b2b3e74d890b5053bc75ccaf12fa5640cdc9"),
    ),
    (
        "af-inet",
        "audit deny network unix,",
        Some("7b0c550b48dbfe1829eaf82ba9c495cc95d4d61d77d254ed3f9428b3b6e5ea7d"),
    ),
    (
        "af-inet",
        "deny network unix stream,",
        Some("033a777b7e2fdd219fd0c94240811a41737e73b9182037fea11a322c14cef78c"),
    ),
    (
        "af-inet",
        "deny network stream,",
        Some("ac5d44e06518c7e4debb874582e813714a12fae9ab3ec70809a085b855823cbd"),
    ),
    (
        "af-inet",
        "audit deny network,",
        Some("7d6ad21c6c3f3bbfae14d11e54fccd51f10148c0c6507d6dcb962f25f2b7204c"),
    ),
    (
        "af-inet",
        "network unix, deny network unix dgram,",
        Some("e1bbcb9328a9974f9665e59c36c5a5076f70b684d41c7501d264294b389dc012"),
    ),
    (
        "af-inet",
        "audit deny network unix, unix,",
        Some("4f0835449d6dd998fb2088e479e4fbc35a357d5014af861320e749914b931889"),
    ),
    (
        "af-inet",
        "deny network inet,",
        Some("956cc5fb0d48e048fd183fa3d8bfd6f46720a9a734a1cab65f1e099b8123f796"),
    ),
    (
        "af-inet",
        "deny network, network unix,",
        Some("c53ea8d806c742b16644c33dfc790584cfe7c3e02891562d092b5a6172d4a31b"),
    ),
    (
        "af-inet",
        "deny network unix, deny unix (send) type=stream,",
        Some("f5d96aecfb248bd758bfd21adb4aba3b40e0576a446a7ddf8d83e3ab7fa8f416"),
    ),
    (
        "af-inet",
        "audit deny network unix, audit network unix stream,",
        Some("7b0c550b48dbfe1829eaf82ba9c495cc95d4d61d77d254ed3f9428b3b6e5ea7d"),
    ),
    (
        "debian-6.12",
        "deny network unix,",
        Some("9570801d20982d94bc94c73de991c73ee5785dcdeb8f2d7012711499f73b508b"),
    ),
    (
        "debian-6.12",
        "audit deny network,",
        Some("3957dda5361a6f41340f5d6bb25d0c5f6e775d6d26bd4cca2248b98cf2811380"),
    ),
];

/// Audit and quiet bits of a unix rule cover the bits it grants in each
/// state, except the socket-option state, which is audited or quieted for
/// setopt and getopt together.
const UNIX_AUDIT_QUIET: &[Case] = &[
    (
        "af-inet",
        "deny unix (send),",
        Some("72bc046c61af9ea7ed786ed9e142f1c0f440e572e4b9430f08652b333a59e04f"),
    ),
    (
        "af-inet",
        "deny unix (send receive) type=stream,",
        Some("b3b9f23690783cb68ecf0edefacd2573e4cd9c6fc82ce93fc74bf37dad89053c"),
    ),
    (
        "af-inet",
        "deny unix (getattr),",
        Some("16e88ec6993c5e3ef126471593fe24468a25dbf540f1d23b030c7ca5d71b70ea"),
    ),
    (
        "af-inet",
        "deny unix (setopt),",
        Some("b9b1ce3b6b4f2fe56f8f8470ab60ae46701cc27344ac5c4275016b3cbdfd4c6e"),
    ),
    (
        "af-inet",
        "deny unix (create, setopt),",
        Some("eb16d2e9fb60587d05086af9014ef59eeb86dd853dfd8662946c179973f35c13"),
    ),
    (
        "af-inet",
        "audit unix (setopt),",
        Some("b9a9109e0070d20e418f62cdad8c5838d8b1918a450bc19586e0e5814d03d949"),
    ),
    (
        "af-inet",
        "audit unix (getopt, send),",
        Some("5cb1a69e9a0bef737558c6e822fa02d1162ba3c693215f80504834f0eee59bda"),
    ),
    (
        "af-inet",
        "deny unix (setopt) addr=@foo,",
        Some("a6efe1c3880eca6ec7d947c61d858ba902bc94a2d3d62b8c821640e90e1b8df9"),
    ),
    (
        "af-inet",
        "deny unix (send) peer=(addr=@foo),",
        Some("20cc6476bc82fa819e67cad302d43ef25f549d082c2ea101c814fa773cf1d0c8"),
    ),
    (
        "af-inet",
        "deny unix (accept) peer=(label=foo),",
        Some("7555bc3ba5afd76d21d39838a10e5f44bef2ada8cc631ad3f8240d0409303440"),
    ),
    (
        "af-inet",
        "audit unix, deny unix (getopt),",
        Some("eb9a204aace2ca32943c4410c73fcdf127f1b9f18f4cc3e219899c98b3f3df1f"),
    ),
    (
        "af-inet",
        "unix, deny unix (send receive) type=seqpacket,",
        Some("f355e2f3ae7a1ae88ca0c56f7715e9bf94bb134c5ca8798f28e0393cc4239774"),
    ),
];

/// A mount rule with only optional flags (`options in`) and neither
/// source nor fstype also gives the remount-shaped rule (any source, any
/// fstype, the remount mask), even without `remount` among the options:
/// so `options in (bind, nosuid) -> /m` allows bind and nosuid together.
const MOUNT_OPTIONAL_FLAGS_REMOUNT_SHAPE: &[Case] = &[
    (
        "debian-6.12",
        "mount options in (bind, nosuid) -> /mnt/x,",
        Some("3918091fc300202c5103a6d58230762c8c402ca23fe6866cfe9f9e3c394eab60"),
    ),
    (
        "debian-6.12",
        "mount options in (nosuid, move) -> /mnt/x,",
        Some("d5ec856470b01ee6bbc77408957ad4a4a024d133694a94c6b5db3a0ef6dd625f"),
    ),
    (
        "debian-6.12",
        "mount options in (nosuid, private) -> /mnt/x,",
        Some("ad528a0529fccf7f56af1ff30f3210db13f51c41c8bbe69ac3d34f1375879526"),
    ),
    (
        "debian-6.12",
        "mount options in (nosuid, ro, bind) -> /mnt/x,",
        Some("751e6c42dd1e96636f577b576542ca7ac8b206b53b348f99ec4eb33824b5e2c5"),
    ),
    (
        "debian-6.12",
        "mount options in (rw, bind, nosuid, nodev, noexec) -> /run/netns/cni-*,",
        Some("bc334d2ba966ad39f3c30a36afed7154b0062811426dd2582091f87a75107e99"),
    ),
    (
        "debian-6.12",
        "mount options in (bind, nosuid) /src -> /mnt/x,",
        Some("d370f6612d34a735ad3fdd0943b99811cff38b75abb2a225d65a944082f122a9"),
    ),
    (
        "debian-6.12",
        "mount options in (private) -> /mnt/x,",
        Some("2c30e6ff2d1de67684fc7a3244a0d14a9d9491c35d675454dc038f33ce1d20a1"),
    ),
    (
        "debian-6.12",
        "mount fstype=tmpfs options in (bind, nosuid) -> /mnt/x,",
        Some("d241aa5946ce92aed569a2f659fc100e6193233d837bad8e1e4a0aa8197ac0db"),
    ),
    (
        "debian-6.12",
        "mount options in (nosuid, rbind),",
        Some("633b8680f75b6c2e4eb0fcf4b52a93f3ed8a4cfd1c67aa8fdbc662901a90a996"),
    ),
];

/// The files the include cases read (relative to the search directory).
const INCLUDE_FILES: &[(&str, &str)] = &[
    ("inc/a", "  /foo r,\n"),
    ("inc/b", "  /bar r,\n  include <inc/a>\n"),
    ("inc/vars", "@{V} = x\n"),
    ("inc/broken", "  /bad r r r {\n"),
    ("incdir/one", "  /d1 r,\n"),
    ("incdir/two", "  /d2 r,\n"),
];

/// 5.0.2 reads a file once per scope (the file's top level; each profile,
/// child and hat afresh, the parent's scope resuming after a child) and
/// skips later includes of it. It expands includes before evaluating
/// conditionals, so an include in a branch not taken still counts (and a
/// missing or broken file there is an error): a file first named in a
/// branch not taken is lost to a later include of it.
const INCLUDE_ONCE_PER_SCOPE: &[(&str, &str, Option<&str>)] = &[
    // first read in a branch not taken: the later include is skipped
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/a>
  }
  include <inc/a>
}
"#,
        Some("217f66a44a8e3dc96264f2fe37df546e0a72e46b0d6b6086546a921044881ece"),
    ),
    // read through another include in a branch not taken
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/b>
  }
  include <inc/a>
}
"#,
        Some("217f66a44a8e3dc96264f2fe37df546e0a72e46b0d6b6086546a921044881ece"),
    ),
    // `include if exists` is skipped too; the else branch stays
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/a>
  } else {
    /x r,
  }
  include if exists <inc/a>
}
"#,
        Some("ed7dadbed9c889988b5cd28e445a44be655b94809c9d201df185aa430945697c"),
    ),
    // a child profile is a scope of its own
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/a>
  }
  profile c {
    include <inc/a>
  }
}
"#,
        Some("090acd032f041a230d35bd61fc783f164fd58d0f0da9a527ac7e5f0afe610307"),
    ),
    // so is a sibling profile
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/a>
  }
}
profile q {
  include <inc/a>
}
"#,
        Some("9a56c272e3229c2253daf3898745db64b8e7db8ccac43d5926021f43c90309e8"),
    ),
    // the top level dedupes too (no redefinition error)
    (
        "debian-6.12",
        r#"include <inc/vars>
include <inc/vars>
profile p {
  /@{V} r,
}
"#,
        Some("ed7dadbed9c889988b5cd28e445a44be655b94809c9d201df185aa430945697c"),
    ),
    // a directory include reads each file (first in a branch not taken)
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <incdir>
  }
  include <incdir/one>
  include <incdir/two>
}
"#,
        Some("217f66a44a8e3dc96264f2fe37df546e0a72e46b0d6b6086546a921044881ece"),
    ),
    // a directory include skips the files already read
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <incdir/one>
  }
  include <incdir>
}
"#,
        Some("2b1b36497ae8d07d533eeba1b19b5995c10571f87ddf12f174704ddfecfca2a9"),
    ),
    // the parent scope resumes after a child profile
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/a>
  }
  profile c {
    /c r,
  }
  include <inc/a>
}
"#,
        Some("f1968d0fb3d448a7304a0fb95a16bb403714c82a806485490e22e0406afeea6b"),
    ),
    // a child scope does not mark files in its parent
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  profile c {
    if "kde" in @{DE} {
      include <inc/a>
    }
  }
  include <inc/a>
}
"#,
        Some("5de724fd2ed5d78a47968cb8477eb2d69752c61e314a199000d9be88ff695f8a"),
    ),
    // `include if exists` in a branch not taken marks the file
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include if exists <inc/a>
  }
  include <inc/a>
}
"#,
        Some("217f66a44a8e3dc96264f2fe37df546e0a72e46b0d6b6086546a921044881ece"),
    ),
    // read at profile level first, the taken branch skips it
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  include <inc/a>
  if "kde" in @{DE} {
  } else {
    include <inc/a>
    /z r,
  }
}
"#,
        Some("b1f3321d31a6cd2e905b100c46faa0415a8a5a6016652dbe0b907883e4612061"),
    ),
    // the top-level scope lasts across profiles
    (
        "debian-6.12",
        r#"include <inc/vars>
profile p {
  /@{V} r,
}
include <inc/vars>
profile q {
  /@{V} r,
}
"#,
        Some("4f90d82f9cdf0db9d67af2fbce199afda070da52eface60eb509b2d15616ef60"),
    ),
    // a hat is a scope of its own
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/a>
  }
  ^hat {
    include <inc/a>
  }
}
"#,
        Some("1eb59821c618920a888d9bbecb5e087c194d58eb57c3ec9ac546c902c0d697a3"),
    ),
    // a missing include in a branch not taken is an error
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/missing>
  }
  /x r,
}
"#,
        None,
    ),
    // a broken include in a branch not taken is an error
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    include <inc/broken>
  }
  /x r,
}
"#,
        None,
    ),
    // a child profile in a branch not taken has its own scope
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    profile c {
      include <inc/a>
    }
  }
  include <inc/a>
}
"#,
        Some("c3d16ddc83e664ef816415a0d9a07d0e408a812570babba33b283bd182c65f97"),
    ),
    // nested branches not taken mark it for a later taken branch
    (
        "debian-6.12",
        r#"@{DE} = gnome
profile p {
  if "kde" in @{DE} {
    if "gnome" in @{DE} {
      include <inc/a>
    }
  } else if "gnome" in @{DE} {
    include <inc/a>
  }
}
"#,
        Some("217f66a44a8e3dc96264f2fe37df546e0a72e46b0d6b6086546a921044881ece"),
    ),
];

/// `abi <default>,` selects 5.0.2's built-in default ABI (a 5.4 kernel
/// with the out-of-tree network patches), not the kernel's features: no
/// network_v8, userns, mqueue or io_uring mediation on newer kernels.
const DEFAULT_ABI: &[(&str, &str, Option<&str>)] = &[
    (
        "debian-6.12",
        "abi <default>,\nprofile x {\n  network inet stream, mount, signal, ptrace, dbus, userns, io_uring, mqueue, unix, /foo rw,\n}\n",
        Some("746451aa7b076588dc5737366ca3eab9d4a6d33c19773d10dce54ec495c3e7a1"),
    ),
    (
        "debian-6.12",
        "abi <default>,\nprofile x {\n  network,\n}\n",
        Some("b960d54159b6d4aa027e1f56620e0ef258419b2f59de87b3843e89a010281c79"),
    ),
    (
        "af-inet",
        "abi <default>,\nprofile x {\n  network inet stream, mount, signal, ptrace, dbus, userns, io_uring, mqueue, unix, /foo rw,\n}\n",
        Some("aaf5bb121c999ba5a23659b7038eb301f8051004f58fa1584aa5212c7cb14855"),
    ),
    (
        "af-inet",
        "abi <default>,\nprofile x {\n  network,\n}\n",
        Some("059ca19eb5c5812b2641f8cc16a3616376007abd4acab08ab5109092cc77f553"),
    ),
    (
        "upstream-all",
        "abi <default>,\nprofile x {\n  network inet stream, mount, signal, ptrace, dbus, userns, io_uring, mqueue, unix, /foo rw,\n}\n",
        Some("a4f308e6b15508e1134c20eb4fc63d3ae9b36ed05db0bd631c58b013d0d0650a"),
    ),
    (
        "upstream-all",
        "abi <default>,\nprofile x {\n  network,\n}\n",
        Some("95df87664f602241f3b07f27274a130bf76d841a5576dea45ca20d80f7b20a32"),
    ),
    (
        "debian-6.12-permstable",
        "abi <default>,\nprofile x {\n  network inet stream, mount, signal, ptrace, dbus, userns, io_uring, mqueue, unix, /foo rw,\n}\n",
        Some("18d4712e9792dc028a90cbe93b540c03bc209806868fe63b0d9bf7f8a59dca37"),
    ),
    (
        "debian-6.12-permstable",
        "abi <default>,\nprofile x {\n  network,\n}\n",
        Some("d908b7a47dcabd5c006096824492b130f1aa1bf61fa7e5bab502a079293e3cb7"),
    ),
];

/// A rule block takes no priority but the default: `priority=0` (also
/// `-0`) passes, any other value is an error, even on an empty block.
const BLOCK_PRIORITY: &[Case] = &[
    (
        "upstream-all",
        "priority=0 { /a r, }",
        Some("f2140a5528ddded19f84e910f21d2ce20bd0a4c2922755345b150072cc3f0025"),
    ),
    (
        "upstream-all",
        "priority=-0 audit { /a r, }",
        Some("57528214a3273485194cafa2c8d3d7b8a689db16f9a621fb69e0d85cb53242aa"),
    ),
    ("upstream-all", "priority=1 { }", None),
    ("upstream-all", "priority=+2 { /a r, }", None),
];

/// rlimit rules in a conditional branch (taken or else, nested, in a hat)
/// are checked, then dropped: the blob is the profile's without them.
const RLIMIT_IN_CONDITIONALS: &[Case] = &[
    (
        "upstream-all",
        "if true { set rlimit nofile <= 10, }",
        Some("7e854a7e40bb98794387a9e03c8b80f0f2a05a64b598df6b61525506dd303c74"),
    ),
    (
        "upstream-all",
        "if false { /a r, } else { set rlimit nofile <= 10, }",
        Some("7e854a7e40bb98794387a9e03c8b80f0f2a05a64b598df6b61525506dd303c74"),
    ),
    (
        "upstream-all",
        "if true { set rlimit nofile <= 10, } set rlimit cpu <= 5,",
        Some("caf92ddd210b0c7f5c446322948557555255f058c66c9a4c000d6bfb62dd6177"),
    ),
    (
        "upstream-all",
        "^h { if true { set rlimit nofile <= 10, } }",
        Some("56828fe531d2cbb7b3a98ec0b56e4c688880d2f0b9f69ee79a09aa54d080a7db"),
    ),
    ("upstream-all", "if true { set rlimit bogus <= 10, }", None),
    (
        "debian-6.12",
        "if true { set rlimit nofile <= 10, }",
        Some("3957dda5361a6f41340f5d6bb25d0c5f6e775d6d26bd4cca2248b98cf2811380"),
    ),
    (
        "debian-6.12",
        "if false { /a r, } else { set rlimit nofile <= 10, }",
        Some("3957dda5361a6f41340f5d6bb25d0c5f6e775d6d26bd4cca2248b98cf2811380"),
    ),
    (
        "debian-6.12",
        "if true { set rlimit nofile <= 10, } set rlimit cpu <= 5,",
        Some("2945a85e6e7a73c0f8faf104d06e7ecda33d1979831be4bbb681f4c49789c870"),
    ),
    (
        "debian-6.12",
        "^h { if true { set rlimit nofile <= 10, } }",
        Some("bc873253c8480dbbdad980f9129f9561823f620a45e3289af288f3f9204eacdb"),
    ),
    ("debian-6.12", "if true { set rlimit bogus <= 10, }", None),
];

fn profile_text(body: &str) -> String {
    format!("profile x {{\n  {body}\n}}\n")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 5.0.2's answer for `text`: the blob's sha256, `None` when it rejects it.
fn reference_answer(
    parser: &Path,
    features: &Path,
    text: &str,
    search: Option<&Path>,
) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut command = Command::new(parser);
    command
        .args(["--config-file=/dev/null", "-Q", "-S", "-K", "-q"])
        .arg("--features-file")
        .arg(features);
    if let Some(dir) = search {
        command
            .arg("-I")
            .arg(dir)
            .arg("-b")
            .arg(dir)
            .current_dir(dir);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the reference parser runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(text.as_bytes())
        .expect("write profile");
    let output = child.wait_with_output().expect("reference finishes");
    output.status.success().then(|| sha256_hex(&output.stdout))
}

/// Compiles every case (`profile x { BODY }`) and fails listing those
/// whose verdict or blob differs from the expectation.
fn check(cases: &[Case]) {
    let texts: Vec<(&str, String, Option<&str>)> = cases
        .iter()
        .map(|&(features, body, expected)| (features, profile_text(body), expected))
        .collect();
    check_texts(&texts, None);
}

/// Compiles whole policy texts, with `search` (if any) as include path,
/// base and working directory.
fn check_texts(cases: &[(&str, String, Option<&str>)], search: Option<&Path>) {
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let parser = shared.join("tools/apparmor-parser-5.0");
    let mut sessions: HashMap<&str, Session> = HashMap::new();
    let mut failures = Vec::new();
    for (features, text, expected) in cases {
        let features_file = shared.join(format!("features/{features}.txt"));
        if parser.exists() {
            assert_eq!(
                reference_answer(&parser, &features_file, text, search).as_deref(),
                *expected,
                "the table's expectation for [{features}] `{text}` is not 5.0.2's"
            );
        }
        let session = sessions.entry(features).or_insert_with(|| {
            let set = FeatureSet::load(&features_file).expect("features file");
            let options = match search {
                Some(dir) => resolve::Options {
                    include_dirs: vec![dir.to_path_buf()],
                    base_dir: dir.to_path_buf(),
                    cwd: Some(dir.to_path_buf()),
                    ..resolve::Options::default()
                },
                None => resolve::Options::default(),
            };
            Session::new(options, FeatureSources::both(set))
        });
        let compiled = session.compile_input(&Input::Text {
            name: "-".into(),
            text: text.clone(),
        });
        let got = compiled.blob.as_deref().map(sha256_hex);
        if got.as_deref() != *expected {
            let error = compiled
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| d.message.clone());
            failures.push(format!(
                "[{features}] `{text}`: expected {expected:?}, got {got:?} {error:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn rlimit_rules_in_conditional_branches_are_checked_then_dropped() {
    check(RLIMIT_IN_CONDITIONALS);
}

#[test]
fn rule_blocks_take_only_the_default_priority() {
    check(BLOCK_PRIORITY);
}

#[test]
fn split_capabilities_stand_for_sys_admin_on_kernels_without_them() {
    check(CAPABILITY_BACKMAP);
}

#[test]
fn deny_network_rules_read_audit_inverted_on_their_unix_rules() {
    check(DENY_NETWORK_UNIX);
}

#[test]
fn unix_audit_and_quiet_cover_the_granted_bits() {
    check(UNIX_AUDIT_QUIET);
}

#[test]
fn optional_mount_flags_also_give_the_remount_shaped_rule() {
    check(MOUNT_OPTIONAL_FLAGS_REMOUNT_SHAPE);
}

#[test]
fn includes_are_read_once_per_scope_even_in_branches_not_taken() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in INCLUDE_FILES {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write include");
    }
    let cases: Vec<(&str, String, Option<&str>)> = INCLUDE_ONCE_PER_SCOPE
        .iter()
        .map(|&(features, text, expected)| (features, text.to_owned(), expected))
        .collect();
    check_texts(&cases, Some(dir.path()));
}

#[test]
fn abi_default_is_the_built_in_default_abi() {
    let cases: Vec<(&str, String, Option<&str>)> = DEFAULT_ABI
        .iter()
        .map(|&(features, text, expected)| (features, text.to_owned(), expected))
        .collect();
    check_texts(&cases, None);
}
