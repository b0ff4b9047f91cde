//! The fixed vocabularies of the language the checker alone needs:
//! capability and network names, profile flags. Access words
//! live in [`crate::model::access`], signals and errno names in
//! `crate::model::vocabulary`, shared with the encoder.

/// Linux capability names as the language spells them.
pub const CAPABILITIES: &[&str] = &crate::model::CAPABILITY_NAMES;

/// Address families accepted by `network`.
pub const NETWORK_DOMAINS: &[&str] = &[
    "unspec",
    "unix",
    "inet",
    "ax25",
    "ipx",
    "appletalk",
    "netrom",
    "bridge",
    "atmpvc",
    "x25",
    "inet6",
    "rose",
    "netbeui",
    "security",
    "key",
    "netlink",
    "packet",
    "ash",
    "econet",
    "atmsvc",
    "rds",
    "sna",
    "irda",
    "pppox",
    "wanpipe",
    "llc",
    "ib",
    "mpls",
    "can",
    "tipc",
    "bluetooth",
    "iucv",
    "rxrpc",
    "isdn",
    "phonet",
    "ieee802154",
    "caif",
    "alg",
    "nfc",
    "vsock",
    "kcm",
    "qipcrtr",
    "smc",
    "xdp",
    "mctp",
];

/// Socket types accepted by `network`.
pub const NETWORK_TYPES: &[&str] = &["stream", "dgram", "seqpacket", "rdm", "raw", "packet"];

/// Profile flags that take no value.
pub const PROFILE_FLAGS: &[&str] = &[
    "complain",
    "enforce",
    "kill",
    "unconfined",
    "prompt",
    "default_allow",
    "audit",
    "debug",
    "interruptible",
    "mediate_deleted",
    "delegate_deleted",
    "attach_disconnected",
    "no_attach_disconnected",
    "chroot_relative",
    "namespace_relative",
    "chroot_attach",
    "chroot_no_attach",
];
