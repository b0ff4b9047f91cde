//! Profiles, their flags and attachments.

use super::{Origin, Rule};

/// Everything one input file defines: its top-level profiles in source order
/// (the back end sorts them into the parser's emission order).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The `abi <...>` rule's target, if the file (or an include) had one.
    pub abi: Option<String>,
    pub profiles: Vec<Profile>,
}

/// One profile, hat or child profile, with its nested profiles.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Namespace from `:ns:name` or `:ns://name`, without the colons.
    pub namespace: Option<String>,
    /// The profile's own name, without parent and namespace: `firefox`,
    /// `/usr/bin/foo`, or a hat's name without `^`.
    pub name: String,
    /// Explicit attachment (`profile name /usr/bin/foo {`), AARE text.
    pub attachment: Option<String>,
    /// Alternative attachments made by `alias` rules whose source is a
    /// prefix of the attachment (or of the name when there is none), AARE
    /// text in the parser's order (last matching alias first). The xmatch
    /// DFA accepts each of them as well as the attachment.
    pub alt_names: Vec<String>,
    /// Declared with `^name` or `hat name`.
    pub is_hat: bool,
    pub flags: ProfileFlags,
    /// `xattrs=(name=value ...)`: name and optional value pattern, in
    /// declaration order.
    pub xattrs: Vec<Xattr>,
    /// Rules in source order, includes inlined.
    pub rules: Vec<Rule>,
    /// Hats and child profiles in source order.
    pub children: Vec<Profile>,
    pub origin: Origin,
}

impl Profile {
    /// The part of the name after its last `//` (the whole name without
    /// one), split left to right as 5.0.2 does (`/a///c` gives `/c`): the
    /// text that attaches when the name is a path.
    pub fn last_name_part(&self) -> &str {
        self.name.split("//").last().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xattr {
    pub name: String,
    pub value: Option<String>,
}

/// Profile mode, as written in the flags struct (§2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileMode {
    #[default]
    Enforce,
    Complain,
    Kill,
    Unconfined,
    /// 5.0 `prompt` profile mode.
    Prompt,
    /// 5.0 `default_allow`.
    DefaultAllow,
}

/// The parsed `flags=(...)` list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileFlags {
    /// `None` when no mode flag was given.
    pub mode: Option<ProfileMode>,
    pub audit: bool,
    pub debug: bool,
    pub interruptible: bool,
    pub mediate_deleted: bool,
    pub delegate_deleted: bool,
    pub attach_disconnected: bool,
    pub no_attach_disconnected: bool,
    /// `attach_disconnected.path=...`
    pub attach_disconnected_path: Option<String>,
    /// `attach_disconnected.ipc=...`
    pub attach_disconnected_ipc: Option<String>,
    pub chroot_relative: bool,
    pub namespace_relative: bool,
    pub chroot_attach: bool,
    pub chroot_no_attach: bool,
    /// `kill.signal=...` as a signal number.
    pub kill_signal: Option<u32>,
    /// `error=...` as an errno value.
    pub error: Option<u32>,
}
