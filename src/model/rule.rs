//! Typed rules, one variant per rule class.
//!
//! Patterns are AARE text (variables expanded, aliases applied). Optional
//! conditionals are `None` when the rule leaves them open ("any").

use super::Origin;

/// One rule with its qualifiers and origin.
#[derive(Debug, Clone)]
pub struct Rule {
    pub qualifiers: Qualifiers,
    pub kind: RuleKind,
    pub origin: Origin,
}

impl Rule {
    /// A rule without qualifiers or origin, as unit tests build them.
    #[cfg(test)]
    pub(crate) fn bare(kind: RuleKind) -> Rule {
        Rule {
            qualifiers: Qualifiers::default(),
            kind,
            origin: Origin::default(),
        }
    }

    /// A file rule granting only exec `mode` on `path`, as unit tests
    /// build them.
    #[cfg(test)]
    pub(crate) fn exec_file(path: &str, mode: ExecMode, target: Option<&str>) -> Rule {
        Rule::bare(RuleKind::File(FileRule {
            path: Some(path.into()),
            access: FileAccess {
                exec: Some(mode),
                ..FileAccess::default()
            },
            exec_target: target.map(str::to_owned),
        }))
    }
}

/// `allow` (the default), `deny` or 5.0's `prompt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    #[default]
    Allow,
    Deny,
    Prompt,
}

/// `owner` / `other` file-ownership condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ownership {
    #[default]
    Any,
    Owner,
    Other,
}

/// The qualifiers in front of a rule (or inherited from a `{ ... }` block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Qualifiers {
    pub audit: bool,
    pub quiet: bool,
    pub verdict: Verdict,
    /// True when `allow` or `deny` was spelled out (for diagnostics only).
    pub explicit_verdict: bool,
    pub owner: Ownership,
    /// `priority=N`; 0 when absent.
    pub priority: i32,
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    File(FileRule),
    Link(LinkRule),
    Capability(CapabilityRule),
    Network(NetworkRule),
    Unix(UnixRule),
    Dbus(DbusRule),
    Mount(MountRule),
    Umount(UmountRule),
    Remount(MountRule),
    PivotRoot(PivotRootRule),
    Ptrace(PtraceRule),
    Signal(SignalRule),
    ChangeProfile(ChangeProfileRule),
    Rlimit(RlimitRule),
    Userns(UsernsRule),
    Mqueue(MqueueRule),
    IoUring(IoUringRule),
    /// `all,`: every class allowed.
    All,
}

/// File permission letters, as parsed (before encoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileAccess {
    pub read: bool,
    pub write: bool,
    pub append: bool,
    /// `m`
    pub mmap_exec: bool,
    /// `k`
    pub lock: bool,
    /// `l`
    pub link: bool,
    /// Exec permission with its transition mode, if any `x` mode was given.
    pub exec: Option<ExecMode>,
}

/// The exec transition modes. `unsafe` = lowercase (environment not
/// scrubbed) for p/c/u; `fallback_inherit` / `fallback_unconfined` are the
/// `pix`/`cix` and `pux`/`cux` fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecMode {
    /// `ix`
    Inherit,
    /// `unsafe ix`: inherit, with the environment-unscrubbed bit that
    /// apparmor_parser 5.0.2 sets for the explicit `unsafe` keyword.
    InheritUnsafe,
    /// `px`/`Px`, `pix`/`Pix`, `pux`/`PUx`
    Profile { safe: bool, fallback: ExecFallback },
    /// `cx`/`Cx`, `cix`/`Cix`, `cux`/`CUx`
    Child { safe: bool, fallback: ExecFallback },
    /// `ux`/`Ux`
    Unconfined { safe: bool },
    /// bare `x` (only valid in deny rules)
    Plain,
    /// `unsafe PATH x`: a bare `x` with the environment-unscrubbed bit and
    /// no transition of its own (exec index 0); 5.0.2 accepts it outside
    /// deny rules.
    PlainUnsafe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExecFallback {
    #[default]
    None,
    Inherit,
    Unconfined,
}

/// A file rule: `[file] PATH ACCESS [-> TARGET],` or `ACCESS PATH ...`, or
/// a bare `file,` (path `None`: every file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRule {
    pub path: Option<String>,
    pub access: FileAccess,
    /// Exec transition target (`-> name`).
    pub exec_target: Option<String>,
}

/// `link [subset] LINK -> TARGET,`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRule {
    pub subset: bool,
    pub link: String,
    pub target: String,
}

/// `capability [names],`; empty list = every capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityRule {
    pub capabilities: Vec<String>,
}

/// A peer or local address condition of a fine-grained network rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkAddress {
    pub ip: Option<String>,
    pub port: Option<String>,
}

/// `network [perms] [domain] [type|protocol] [ip=..] [port=..] [peer=(..)],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkRule {
    /// Access words (`create`, `send`, ...); empty = all.
    pub access: Vec<String>,
    pub domain: Option<String>,
    pub sock_type: Option<String>,
    pub protocol: Option<String>,
    pub local: NetworkAddress,
    pub peer: NetworkAddress,
    /// `interface=` or `label=` was given. No supported kernel mediates
    /// interfaces, so 5.0.2 drops them; but, like address conditions, they
    /// still confine a rule without family to inet and inet6 (a peer
    /// `label=` does not).
    pub skb_conditions: bool,
    /// The local `label=` (fine-grained inet encoding only).
    pub label: Option<String>,
    /// The peer's `label=` (fine-grained inet encoding only).
    pub peer_label: Option<String>,
    /// A block (`if`/`else`, `audit {`, `owner {`, ...) closes after this
    /// rule somewhere in its input file. 5.0.2 empties its old network
    /// table at every block, so such a rule is missing from
    /// `net_allowed_af`; the policy DB still has it.
    pub before_a_block: bool,
}

/// `unix [perms] [type=..] [protocol=..] [addr=..] [label=..] [attr=..]
/// [opt=..] [peer=(label=.. addr=..)],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnixRule {
    pub access: Vec<String>,
    pub sock_type: Option<String>,
    pub protocol: Option<String>,
    pub addr: Option<String>,
    pub label: Option<String>,
    pub attr: Option<String>,
    pub opt: Option<String>,
    pub peer_label: Option<String>,
    pub peer_addr: Option<String>,
}

/// `dbus [access] [bus=..] [path=..] [interface=..] [member=..]
/// [name=..] [peer=(name=.. label=..)],`
///
/// Its form follows from its conditions: a *message* rule (send/receive)
/// names a path, interface, member or peer; a *service* rule (bind) names
/// its own bus name; a rule naming at most the bus covers every access.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DbusRule {
    /// The accesses listed (`access::DBUS_*` bits); 0 when the rule
    /// lists none (or an empty list), which implies those of its form.
    pub access: u32,
    pub bus: Option<String>,
    /// Slash-filtered (`/a//b` is `/a/b`).
    pub path: Option<String>,
    pub interface: Option<String>,
    pub member: Option<String>,
    /// `name=` outside `peer=(..)`: the name a service rule binds.
    pub name: Option<String>,
    pub peer_name: Option<String>,
    pub peer_label: Option<String>,
}

impl DbusRule {
    /// Whether a condition makes this a message (send/receive) rule.
    pub fn is_message(&self) -> bool {
        self.path.is_some()
            || self.interface.is_some()
            || self.member.is_some()
            || self.peer_name.is_some()
            || self.peer_label.is_some()
    }

    /// Whether `name=` makes this a service (bind) rule.
    pub fn is_service(&self) -> bool {
        self.name.is_some()
    }

    /// The accesses the rule grants: those listed, or else those its form
    /// implies (send and receive for a message rule, bind for a service
    /// rule, every access otherwise).
    pub fn perms(&self) -> u32 {
        use super::access::{DBUS_ALL, DBUS_BIND, DBUS_RECEIVE, DBUS_SEND};
        if self.access != 0 {
            self.access
        } else if self.is_message() {
            DBUS_SEND | DBUS_RECEIVE
        } else if self.is_service() {
            DBUS_BIND
        } else {
            DBUS_ALL
        }
    }
}

/// A mount conditional: `options=(a,b)` vs `options in (a,b)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountOptions {
    /// `in` = any subset may be given; `=` = exactly these.
    pub is_in: bool,
    pub values: Vec<String>,
}

/// `mount [conds] [source] [-> mountpoint],` and `remount`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MountRule {
    pub fstype: Vec<MountOptions>,
    pub options: Vec<MountOptions>,
    pub source: Option<String>,
    pub mountpoint: Option<String>,
}

/// `umount [conds] [mountpoint],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UmountRule {
    pub fstype: Vec<MountOptions>,
    pub options: Vec<MountOptions>,
    pub mountpoint: Option<String>,
}

/// `pivot_root [oldroot=..] [newroot] [-> profile],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PivotRootRule {
    pub old_root: Option<String>,
    pub new_root: Option<String>,
    pub target: Option<String>,
}

/// `ptrace [access] [peer=..],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PtraceRule {
    pub access: Vec<String>,
    pub peer: Option<String>,
}

/// `signal [access] [set=(..)] [peer=..],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignalRule {
    pub access: Vec<String>,
    pub signals: Vec<String>,
    pub peer: Option<String>,
}

/// `change_profile [exec-cond] [-> [&]target],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeProfileRule {
    /// `safe` / `unsafe` exec mode keyword, if given.
    pub exec_mode: Option<String>,
    pub exec: Option<String>,
    pub target: Option<String>,
    /// `&` stacking.
    pub stack: bool,
}

/// `set rlimit NAME <= VALUE,`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RlimitRule {
    pub resource: String,
    /// As written (`1024`, `10M`, `infinity`, `20s`, `-5`).
    pub value: String,
}

/// `userns [create],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsernsRule {
    pub access: Vec<String>,
}

/// `mqueue [access] [type=posix|sysv] [label=..] [name],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MqueueRule {
    pub access: Vec<String>,
    pub mq_type: Option<String>,
    pub label: Option<String>,
    pub name: Option<String>,
}

/// `io_uring [access] [label=..],`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IoUringRule {
    pub access: Vec<String>,
    pub label: Option<String>,
}
