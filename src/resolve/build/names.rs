//! The fixed vocabularies of the language: capability, signal, rlimit and
//! network names, and each rule class's access words.

/// Linux capability names as the language spells them.
pub const CAPABILITIES: &[&str] = &crate::model::CAPABILITY_NAMES;

/// Signal names accepted in `set=` (besides `rtmin+N`).
pub const SIGNALS: &[&str] = &[
    "hup", "int", "quit", "ill", "trap", "abrt", "bus", "fpe", "kill", "usr1", "segv", "usr2",
    "pipe", "alrm", "term", "stkflt", "chld", "cont", "stop", "stp", "ttin", "ttou", "urg", "xcpu",
    "xfsz", "vtalrm", "prof", "winch", "io", "pwr", "sys", "emt", "exists", "lost",
];

/// Signal numbers by name for `kill.signal=` (Linux x86 numbering).
pub fn signal_number(name: &str) -> Option<u32> {
    let n = match name {
        "hup" => 1,
        "int" => 2,
        "quit" => 3,
        "ill" => 4,
        "trap" => 5,
        "abrt" => 6,
        "bus" => 7,
        "fpe" => 8,
        "kill" => 9,
        "usr1" => 10,
        "segv" => 11,
        "usr2" => 12,
        "pipe" => 13,
        "alrm" => 14,
        "term" => 15,
        "stkflt" => 16,
        "chld" => 17,
        "cont" => 18,
        "stop" => 19,
        "stp" => 20,
        "ttin" => 21,
        "ttou" => 22,
        "urg" => 23,
        "xcpu" => 24,
        "xfsz" => 25,
        "vtalrm" => 26,
        "prof" => 27,
        "winch" => 28,
        "io" => 29,
        "pwr" => 30,
        "sys" => 31,
        "emt" => 32,
        "lost" => 33,
        _ => return None,
    };
    Some(n)
}

/// How an rlimit's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RlimitUnit {
    /// Plain count.
    Count,
    /// Bytes, with optional K/M/G suffix (`KB`, `MB`, ...).
    Size,
    /// CPU seconds, with time suffixes from seconds up.
    Seconds,
    /// Realtime microseconds, with time suffixes.
    Micros,
    /// Nice value, -20..=19.
    Nice,
}

/// rlimit resource names and their value kind.
pub fn rlimit(name: &str) -> Option<RlimitUnit> {
    Some(match name {
        "cpu" => RlimitUnit::Seconds,
        "rttime" => RlimitUnit::Micros,
        "fsize" | "data" | "stack" | "core" | "rss" | "as" | "memlock" | "msgqueue" => {
            RlimitUnit::Size
        }
        "nofile" | "ofile" | "nproc" | "locks" | "sigpending" | "rtprio" => RlimitUnit::Count,
        "nice" => RlimitUnit::Nice,
        _ => return None,
    })
}

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

/// Access words of `network` rules.
pub const NETWORK_ACCESS: &[&str] = &[
    "create",
    "accept",
    "bind",
    "connect",
    "listen",
    "read",
    "write",
    "send",
    "receive",
    "getsockname",
    "getpeername",
    "getsockopt",
    "setsockopt",
    "fcntl",
    "ioctl",
    "shutdown",
    "getpeersec",
    "getattr",
    "setattr",
    "getopt",
    "setopt",
    "r",
    "w",
    "rw",
];

pub const UNIX_ACCESS: &[&str] = &[
    "create", "bind", "listen", "accept", "connect", "shutdown", "getattr", "setattr", "getopt",
    "setopt", "send", "receive", "read", "write", "r", "w", "rw",
];

pub const PTRACE_ACCESS: &[&str] = &[
    "trace", "read", "tracedby", "readby", "write", "r", "w", "rw",
];

pub const SIGNAL_ACCESS: &[&str] = &["send", "receive", "read", "write", "r", "w", "rw"];

pub const MQUEUE_ACCESS: &[&str] = &[
    "r", "w", "rw", "wr", "read", "write", "create", "open", "delete", "getattr", "setattr",
];

pub const IO_URING_ACCESS: &[&str] = &["sqpoll", "override_creds"];

pub const USERNS_ACCESS: &[&str] = &["create"];

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
