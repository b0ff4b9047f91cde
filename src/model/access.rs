//! Access words of the rule classes that name their permissions with
//! words (ptrace, signal, unix/network, dbus, mqueue, io_uring, userns):
//! one table per class, word → policy-DB permission bits, read by the
//! checker (which words a rule may name) and the encoder (what they grant).
//!
//! Rules of the language, as apparmor_parser 5.0.2 applies them:
//! - a rule names its access with ONE token: a bare word of its class or a
//!   parenthesised list (`(send, receive)`, `(send receive)`, commas and
//!   blanks mixed, duplicates allowed, items may be quoted);
//! - `wr` is the same as `rw` in every class that knows `rw`;
//! - io_uring ignores words of a list it does not know (`io_uring (foo)`
//!   is `io_uring ()`), while every other class rejects them;
//! - userns takes no list at all, only the bare word `create`;
//! - no access (or an empty list) grants the class's `all` bits.

/// One class's access vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct AccessWords {
    /// Every word the class accepts and the permission bits it grants.
    pub words: &'static [(&'static str, u32)],
    /// What a rule naming no access grants.
    pub all: u32,
    /// Whether a parenthesised list is allowed at all.
    pub lists: bool,
    /// Whether unknown words inside a list are ignored (io_uring) rather
    /// than rejected.
    pub ignores_unknown: bool,
}

impl AccessWords {
    /// The bits of one word, `None` if the class does not know it.
    pub fn bits(&self, word: &str) -> Option<u32> {
        self.words.iter().find(|(w, _)| *w == word).map(|(_, b)| *b)
    }

    /// Whether the class knows `word`.
    pub fn knows(&self, word: &str) -> bool {
        self.bits(word).is_some()
    }

    /// The permission bits a rule's access words grant: the union of its
    /// words' bits, or `all` when it names none.
    pub fn grant(&self, words: &[String]) -> u32 {
        if words.is_empty() {
            return self.all;
        }
        words
            .iter()
            .filter_map(|w| self.bits(w))
            .fold(0, |acc, b| acc | b)
    }
}

/// A class without access words (condition lists such as `peer=(...)`).
pub const NO_ACCESS: AccessWords = AccessWords {
    words: &[],
    all: 0,
    lists: false,
    ignores_unknown: false,
};

pub const PTRACE_TRACE: u32 = 0x2;
pub const PTRACE_READ: u32 = 0x4;
pub const PTRACE_TRACEDBY: u32 = 0x8;
pub const PTRACE_READBY: u32 = 0x10;

pub const PTRACE: AccessWords = AccessWords {
    words: &[
        ("trace", PTRACE_TRACE),
        ("write", PTRACE_TRACE),
        ("w", PTRACE_TRACE),
        ("read", PTRACE_READ),
        ("r", PTRACE_READ),
        ("rw", PTRACE_READ | PTRACE_TRACE),
        ("wr", PTRACE_READ | PTRACE_TRACE),
        ("tracedby", PTRACE_TRACEDBY),
        ("readby", PTRACE_READBY),
    ],
    all: PTRACE_TRACE | PTRACE_READ | PTRACE_TRACEDBY | PTRACE_READBY,
    lists: true,
    ignores_unknown: false,
};

pub const SIGNAL_SEND: u32 = 0x2;
pub const SIGNAL_RECEIVE: u32 = 0x4;

pub const SIGNAL: AccessWords = AccessWords {
    words: &[
        ("send", SIGNAL_SEND),
        ("write", SIGNAL_SEND),
        ("w", SIGNAL_SEND),
        ("receive", SIGNAL_RECEIVE),
        ("read", SIGNAL_RECEIVE),
        ("r", SIGNAL_RECEIVE),
        ("rw", SIGNAL_SEND | SIGNAL_RECEIVE),
        ("wr", SIGNAL_SEND | SIGNAL_RECEIVE),
    ],
    all: SIGNAL_SEND | SIGNAL_RECEIVE,
    lists: true,
    ignores_unknown: false,
};

pub const NET_SEND: u32 = 0x2;
pub const NET_RECEIVE: u32 = 0x4;
pub const NET_CREATE: u32 = 0x10;
pub const NET_SHUTDOWN: u32 = 0x20;
pub const NET_CONNECT: u32 = 0x40;
pub const NET_SETATTR: u32 = 0x100;
pub const NET_GETATTR: u32 = 0x200;
pub const NET_ACCEPT: u32 = 0x10_0000;
pub const NET_BIND: u32 = 0x20_0000;
pub const NET_LISTEN: u32 = 0x40_0000;
pub const NET_SETOPT: u32 = 0x100_0000;
pub const NET_GETOPT: u32 = 0x200_0000;
/// Every network permission (before the packed-word remap).
pub const NET_ALL: u32 = NET_SEND
    | NET_RECEIVE
    | NET_CREATE
    | NET_SHUTDOWN
    | NET_CONNECT
    | NET_SETATTR
    | NET_GETATTR
    | NET_ACCEPT
    | NET_BIND
    | NET_LISTEN
    | NET_SETOPT
    | NET_GETOPT;

/// `network` and `unix` rules share one vocabulary. The socket-call names
/// of older documentation (`getsockname`, `ioctl`, ...) are not in it:
/// 5.0.2 rejects them.
pub const NET: AccessWords = AccessWords {
    words: &[
        ("send", NET_SEND),
        ("write", NET_SEND),
        ("w", NET_SEND),
        ("receive", NET_RECEIVE),
        ("read", NET_RECEIVE),
        ("r", NET_RECEIVE),
        ("rw", NET_SEND | NET_RECEIVE),
        ("wr", NET_SEND | NET_RECEIVE),
        ("create", NET_CREATE),
        ("shutdown", NET_SHUTDOWN),
        ("connect", NET_CONNECT),
        ("setattr", NET_SETATTR),
        ("getattr", NET_GETATTR),
        ("accept", NET_ACCEPT),
        ("bind", NET_BIND),
        ("listen", NET_LISTEN),
        ("setopt", NET_SETOPT),
        ("getopt", NET_GETOPT),
    ],
    all: NET_ALL,
    lists: true,
    ignores_unknown: false,
};

/// D-Bus access bits, as the kernel and dbus-daemon read them.
pub const DBUS_SEND: u32 = 0x2;
pub const DBUS_RECEIVE: u32 = 0x4;
pub const DBUS_EAVESDROP: u32 = 0x20;
pub const DBUS_BIND: u32 = 0x40;
/// Every D-Bus access: what a rule with neither an access list nor a
/// message or service condition grants (a rule's form narrows what no
/// access implies: see `DbusRule::perms`).
pub const DBUS_ALL: u32 = DBUS_SEND | DBUS_RECEIVE | DBUS_EAVESDROP | DBUS_BIND;

/// The dbus words: also every bare access a dbus rule may give (5.0.2's
/// lexer knows no other mode string outside parentheses). Inside a list,
/// strings of mode letters are allowed too: see [`dbus_access_bits`].
pub const DBUS: AccessWords = AccessWords {
    words: &[
        ("send", DBUS_SEND),
        ("write", DBUS_SEND),
        ("w", DBUS_SEND),
        ("receive", DBUS_RECEIVE),
        ("read", DBUS_RECEIVE),
        ("r", DBUS_RECEIVE),
        ("rw", DBUS_SEND | DBUS_RECEIVE),
        ("wr", DBUS_SEND | DBUS_RECEIVE),
        ("bind", DBUS_BIND),
        ("eavesdrop", DBUS_EAVESDROP),
    ],
    all: DBUS_ALL,
    lists: true,
    ignores_unknown: false,
};

/// The bits of one listed dbus access: a word of [`DBUS`], or else a mode
/// string of `r` (receive) and `w` (send) letters in any number and either
/// case (`rww`, `Rw`, and the empty string, which grants nothing); `Err`
/// carries the first other character. Words are case-sensitive: `READ` is
/// read as letters.
pub fn dbus_access_bits(text: &str) -> Result<u32, char> {
    if let Some(bits) = DBUS.bits(text) {
        return Ok(bits);
    }
    text.chars().try_fold(0, |bits, c| match c {
        'r' | 'R' => Ok(bits | DBUS_RECEIVE),
        'w' | 'W' => Ok(bits | DBUS_SEND),
        other => Err(other),
    })
}

pub const MQUEUE_WRITE: u32 = 0x2;
pub const MQUEUE_READ: u32 = 0x4;
pub const MQUEUE_CREATE: u32 = 0x10;
pub const MQUEUE_DELETE: u32 = 0x20;
pub const MQUEUE_OPEN: u32 = 0x40;
pub const MQUEUE_SETATTR: u32 = 0x100;
pub const MQUEUE_GETATTR: u32 = 0x200;

pub const MQUEUE: AccessWords = AccessWords {
    words: &[
        ("write", MQUEUE_WRITE),
        ("w", MQUEUE_WRITE),
        ("read", MQUEUE_READ),
        ("r", MQUEUE_READ),
        ("rw", MQUEUE_READ | MQUEUE_WRITE),
        ("wr", MQUEUE_READ | MQUEUE_WRITE),
        ("create", MQUEUE_CREATE),
        ("delete", MQUEUE_DELETE),
        ("open", MQUEUE_OPEN),
        ("setattr", MQUEUE_SETATTR),
        ("getattr", MQUEUE_GETATTR),
    ],
    all: MQUEUE_WRITE
        | MQUEUE_READ
        | MQUEUE_CREATE
        | MQUEUE_DELETE
        | MQUEUE_OPEN
        | MQUEUE_SETATTR
        | MQUEUE_GETATTR,
    lists: true,
    ignores_unknown: false,
};

pub const IO_URING_OVERRIDE_CREDS: u32 = 0x8;
pub const IO_URING_SQPOLL: u32 = 0x10;

pub const IO_URING: AccessWords = AccessWords {
    words: &[
        ("sqpoll", IO_URING_SQPOLL),
        ("override_creds", IO_URING_OVERRIDE_CREDS),
    ],
    all: IO_URING_SQPOLL | IO_URING_OVERRIDE_CREDS,
    lists: true,
    ignores_unknown: true,
};

pub const USERNS_CREATE: u32 = 0x8;

pub const USERNS: AccessWords = AccessWords {
    words: &[("create", USERNS_CREATE)],
    all: USERNS_CREATE,
    lists: false,
    ignores_unknown: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wr_is_rw_everywhere_rw_is() {
        for class in [PTRACE, SIGNAL, NET, DBUS, MQUEUE] {
            assert_eq!(class.bits("wr"), class.bits("rw"));
            assert!(class.knows("wr"));
        }
    }

    #[test]
    fn empty_access_grants_all() {
        assert_eq!(PTRACE.grant(&[]), 0x1e);
        assert_eq!(SIGNAL.grant(&["r".into(), "send".into()]), 0x6);
        assert_eq!(NET.grant(&["getopt".into()]), NET_GETOPT);
    }

    #[test]
    fn dbus_access_words_and_mode_letters() {
        assert_eq!(dbus_access_bits("write"), Ok(DBUS_SEND));
        assert_eq!(dbus_access_bits("eavesdrop"), Ok(DBUS_EAVESDROP));
        assert_eq!(dbus_access_bits("wr"), Ok(DBUS_SEND | DBUS_RECEIVE));
        assert_eq!(dbus_access_bits("rwR"), Ok(DBUS_SEND | DBUS_RECEIVE));
        assert_eq!(dbus_access_bits(""), Ok(0));
        assert_eq!(dbus_access_bits("READ"), Err('E'));
        assert_eq!(dbus_access_bits("bogus"), Err('b'));
    }

    #[test]
    fn socket_call_names_are_not_access_words() {
        for w in ["getsockname", "getpeername", "ioctl", "fcntl", "getpeersec"] {
            assert!(!NET.knows(w), "{w}");
        }
    }
}
