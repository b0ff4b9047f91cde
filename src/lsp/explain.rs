//! Short explanations of the language's words for hover and completion.
//! Which words exist comes from the compiler's vocabulary tables
//! (`model::vocabulary`, the checker's name lists); this file only adds
//! a sentence to each.

use crate::model::{CAPABILITY_NAMES, signal_names, signal_number};
use crate::resolve::build::names::{NETWORK_DOMAINS, NETWORK_TYPES, PROFILE_FLAGS};

/// Rule keywords, qualifiers and statement words.
pub const KEYWORDS: &[(&str, &str)] = &[
    (
        "profile",
        "Declares a profile: `profile NAME [ATTACHMENT] [xattrs=(...)] [flags=(...)] { ... }`. A profile nested in another is a child profile (`px`/`cx` targets).",
    ),
    (
        "hat",
        "Declares a hat (also `^NAME { ... }`): a sub-profile the task enters with change_hat.",
    ),
    (
        "include",
        "Inserts another file here: `<name>` is searched in the include path then the base directory, `\"path\"` is a path. `include if exists` skips a missing file.",
    ),
    (
        "abi",
        "Selects the policy ABI (the features file the rules are written against): `abi <abi/4.0>,`.",
    ),
    (
        "alias",
        "`alias /FROM -> /TO,`: rules on paths under /FROM also apply under /TO.",
    ),
    (
        "if",
        "A conditional block (`if ${bool} {`, `if defined @{var}`, `if @{V} == x`): its rules count only when the condition holds.",
    ),
    (
        "else",
        "The branch of a conditional taken when the condition does not hold.",
    ),
    (
        "defined",
        "`defined @{var}`: true when the set variable exists.",
    ),
    (
        "file",
        "A file rule: `[file] PATH PERMS [-> TARGET],`; bare `file,` allows every file access.",
    ),
    (
        "owner",
        "Qualifier: the rule applies only to files the task owns (fsuid equals the file's uid).",
    ),
    (
        "deny",
        "Qualifier: removes the permissions from what other rules grant, and does not log the denial (unless `audit deny`).",
    ),
    ("allow", "Qualifier: grants the permissions (the default)."),
    (
        "audit",
        "Qualifier: log the accesses the rule allows (with deny: log the denials).",
    ),
    (
        "prompt",
        "Qualifier (5.0): ask a user-space agent instead of allowing.",
    ),
    (
        "priority",
        "Qualifier `priority=N` (5.0): rules of higher priority override lower ones on overlap.",
    ),
    (
        "capability",
        "Grants POSIX capabilities: `capability NAME...,` (none named: all).",
    ),
    (
        "network",
        "Grants socket access: `network [ACCESS] [FAMILY] [TYPE|PROTOCOL] [ip=..] [port=..] [peer=(..)],`.",
    ),
    (
        "unix",
        "Mediates unix domain sockets: `unix [ACCESS] [type=..] [addr=..] [peer=(label=.., addr=..)],`.",
    ),
    (
        "dbus",
        "Mediates D-Bus messages: `dbus [ACCESS] [bus=..] [path=..] [interface=..] [member=..] [peer=(name=.., label=..)],`.",
    ),
    (
        "mount",
        "Allows mount(2): `mount [fstype=..] [options=(..)] SOURCE -> MOUNTPOINT,`.",
    ),
    (
        "remount",
        "Allows remounting a mount point: `remount [options=(..)] MOUNTPOINT,`.",
    ),
    ("umount", "Allows unmounting: `umount MOUNTPOINT,`."),
    ("unmount", "Allows unmounting (same as umount)."),
    (
        "pivot_root",
        "Allows pivot_root(2): `pivot_root [oldroot=..] NEWROOT [-> PROFILE],`.",
    ),
    (
        "ptrace",
        "Mediates ptrace between tasks: `ptrace [trace|read|tracedby|readby] [peer=LABEL],`.",
    ),
    (
        "signal",
        "Mediates signals: `signal [send|receive] [set=(NAMES)] [peer=LABEL],`.",
    ),
    (
        "change_profile",
        "Allows the task to change to another profile: `change_profile [EXEC] -> PROFILE,`.",
    ),
    (
        "set",
        "`set rlimit NAME <= VALUE,`: sets a resource limit when the profile is entered.",
    ),
    ("rlimit", "A resource limit (`set rlimit nofile <= 1024,`)."),
    (
        "userns",
        "`userns [create],`: allows creating user namespaces.",
    ),
    (
        "mqueue",
        "Mediates POSIX and SysV message queues: `mqueue [ACCESS] [type=posix|sysv] [NAME],`.",
    ),
    (
        "io_uring",
        "Mediates io_uring: `io_uring [sqpoll|override_creds] [label=..],`.",
    ),
    ("all", "`all,`: allows every access of every class (5.0)."),
    (
        "link",
        "`link [subset] LINK -> TARGET,`: allows creating hard links.",
    ),
    (
        "flags",
        "`flags=(..)` on a profile header: mode (enforce, complain, kill, unconfined, prompt) and behaviour flags.",
    ),
    (
        "xattrs",
        "`xattrs=(NAME=VALUE ..)` on a profile header: the executable's extended attributes must match to attach.",
    ),
    (
        "peer",
        "`peer=LABEL`: the other task's or socket's profile the rule applies to.",
    ),
];

/// One line per capability, in `CAPABILITY_NAMES` order.
const CAPABILITY_TEXT: [&str; 41] = [
    "change file owners and groups (chown)",
    "bypass file read, write and execute permission checks",
    "bypass file read and directory search permission checks",
    "bypass permission checks that need the file's owner (chmod, utime, ...)",
    "keep set-user/group-ID bits when modifying a file",
    "send signals to any process",
    "change group IDs freely",
    "change user IDs freely",
    "change capability sets of other processes / the bounding set",
    "set the immutable and append-only file attributes",
    "bind to ports below 1024",
    "broadcast and listen to multicast (unused)",
    "network administration: interfaces, routes, firewall, ...",
    "use RAW and PACKET sockets, bind to any address",
    "lock memory (mlock, mlockall, SHM_LOCK)",
    "bypass System V IPC permission checks",
    "load and unload kernel modules",
    "raw I/O: ioperm, iopl, /dev/mem, ...",
    "use chroot(2)",
    "trace any process (ptrace)",
    "configure process accounting (acct)",
    "a wide range of system administration operations",
    "reboot and kexec",
    "raise priority and set scheduling of any process",
    "override resource limits and quotas",
    "set the system clock",
    "configure tty devices (vhangup, ...)",
    "create device and special files (mknod)",
    "take file leases",
    "write to the kernel audit log",
    "configure kernel auditing",
    "set file capabilities",
    "override the LSM (MAC) policy",
    "configure the LSM (MAC) policy; load AppArmor profiles",
    "read and clear the kernel log (syslog)",
    "trigger wake-up alarms",
    "block system suspend (epoll wakeup)",
    "read the audit log over netlink",
    "performance monitoring (perf_event_open)",
    "use bpf(2)",
    "checkpoint and restore processes",
];

/// Socket types.
const TYPE_TEXT: &[(&str, &str)] = &[
    (
        "stream",
        "connection-oriented byte stream (SOCK_STREAM; TCP for inet)",
    ),
    ("dgram", "datagrams (SOCK_DGRAM; UDP for inet)"),
    (
        "seqpacket",
        "connection-oriented record stream (SOCK_SEQPACKET)",
    ),
    ("rdm", "reliably delivered messages (SOCK_RDM)"),
    ("raw", "raw protocol access (SOCK_RAW)"),
    ("packet", "packet socket type (SOCK_PACKET, obsolete)"),
];

const FLAG_TEXT: &[(&str, &str)] = &[
    (
        "complain",
        "mode: allow what the rules do not and log it (learning)",
    ),
    ("enforce", "mode: enforce the rules (the default)"),
    ("kill", "mode: kill the task on a denial"),
    (
        "unconfined",
        "mode: no confinement (rules only for transitions)",
    ),
    ("prompt", "mode: ask a user-space agent on a denial (5.0)"),
    (
        "default_allow",
        "mode: allow by default, only deny rules restrict",
    ),
    ("audit", "log every access the profile allows"),
    ("debug", "debug output for this profile"),
    ("interruptible", "the profile's prompts may be interrupted"),
    ("mediate_deleted", "mediate files after they are deleted"),
    ("delegate_deleted", "delegate access to deleted files"),
    (
        "attach_disconnected",
        "paths of objects outside the namespace are attached at the root",
    ),
    ("no_attach_disconnected", "do not attach disconnected paths"),
    ("chroot_relative", "paths are relative to the chroot"),
    (
        "namespace_relative",
        "paths are relative to the mount namespace (the default)",
    ),
    ("chroot_attach", "attach disconnected paths to the chroot"),
    (
        "chroot_no_attach",
        "do not attach disconnected paths to the chroot",
    ),
];

/// File permission letters and exec modes.
pub const FILE_PERMS: &[(&str, &str)] = &[
    ("r", "read"),
    ("w", "write (implies append)"),
    ("a", "append"),
    ("m", "memory map executable (mmap PROT_EXEC)"),
    ("k", "lock"),
    ("l", "create hard links"),
    ("x", "execute (only in deny rules; allow rules need a mode)"),
    ("ix", "execute, inheriting the current profile"),
    (
        "px",
        "execute under the profile attached to the file (or `-> NAME`); environment scrubbed with Px",
    ),
    ("Px", "px with the environment scrubbed"),
    ("cx", "execute under a child profile"),
    ("Cx", "cx with the environment scrubbed"),
    ("ux", "execute unconfined"),
    ("Ux", "ux with the environment scrubbed"),
    ("pix", "px, falling back to ix when no profile matches"),
    ("pux", "px, falling back to ux when no profile matches"),
    ("cix", "cx, falling back to ix"),
    ("cux", "cx, falling back to ux"),
];

pub fn keyword(word: &str) -> Option<&'static str> {
    KEYWORDS.iter().find(|(k, _)| *k == word).map(|(_, t)| *t)
}

pub fn capability(word: &str) -> Option<String> {
    let i = CAPABILITY_NAMES.iter().position(|c| *c == word)?;
    Some(format!(
        "capability `{word}` (CAP_{}, {i}): {}",
        word.to_uppercase(),
        CAPABILITY_TEXT[i]
    ))
}

pub fn network_word(word: &str) -> Option<String> {
    if let Some((_, t)) = TYPE_TEXT.iter().find(|(k, _)| *k == word) {
        return Some(format!("socket type `{word}`: {t}"));
    }
    if crate::model::is_network_protocol(word) {
        let sockets: Vec<String> = crate::model::protocol_sockets(word, None)
            .iter()
            .map(|(f, t)| format!("{f} {t}"))
            .collect();
        return Some(format!("protocol `{word}`: sockets {}", sockets.join(", ")));
    }
    NETWORK_DOMAINS
        .contains(&word)
        .then(|| format!("address family `{word}` (AF_{})", word.to_uppercase()))
}

pub fn flag(word: &str) -> Option<String> {
    let word = word.split('=').next().unwrap_or(word);
    let (_, t) = FLAG_TEXT.iter().find(|(k, _)| *k == word)?;
    Some(format!("profile flag `{word}`: {t}"))
}

pub fn signal(word: &str) -> Option<String> {
    let n = signal_number(word)?;
    Some(format!(
        "signal `{word}` (SIG{}, matched as {n})",
        word.to_uppercase()
    ))
}

/// The letters of a file permission word, each explained (`None` when
/// the word is not made of permission letters).
pub fn file_perms(word: &str) -> Option<String> {
    if word.is_empty() || !word.chars().all(|c| "rwamklxiupcPCUIbB".contains(c)) {
        return None;
    }
    let mut lines = Vec::new();
    let mut rest = word;
    while !rest.is_empty() {
        // Longest exec mode first (`pix`, `Px`), then single letters.
        let found = FILE_PERMS
            .iter()
            .filter(|(k, _)| rest.starts_with(k))
            .max_by_key(|(k, _)| k.len());
        match found {
            Some((k, t)) => {
                lines.push(format!("- `{k}`: {t}"));
                rest = &rest[k.len()..];
            }
            None => {
                let c = rest.chars().next()?;
                lines.push(format!("- `{c}`: part of an exec mode"));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Some(format!("file permissions `{word}`:\n{}", lines.join("\n")))
}

/// Every name of each vocabulary, for completion.
pub fn capability_names() -> impl Iterator<Item = &'static str> {
    CAPABILITY_NAMES.iter().copied()
}
pub fn network_words() -> impl Iterator<Item = &'static str> {
    NETWORK_DOMAINS.iter().chain(NETWORK_TYPES).copied()
}
pub fn flag_names() -> impl Iterator<Item = &'static str> {
    PROFILE_FLAGS.iter().copied()
}
pub fn signals() -> impl Iterator<Item = &'static str> {
    signal_names()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_word_is_explained() {
        for c in capability_names() {
            assert!(capability(c).is_some(), "{c}");
        }
        for w in network_words() {
            assert!(network_word(w).is_some(), "{w}");
        }
        for f in flag_names() {
            assert!(flag(f).is_some(), "{f}");
        }
        for s in signals() {
            assert!(signal(s).is_some(), "{s}");
        }
        assert_eq!(
            capability("net_raw").unwrap(),
            "capability `net_raw` (CAP_NET_RAW, 13): use RAW and PACKET sockets, bind to any address"
        );
        let perms = file_perms("rPx").unwrap();
        assert!(
            perms.contains("- `r`: read") && perms.contains("- `Px`"),
            "{perms}"
        );
        assert!(file_perms("/etc").is_none());
    }
}
