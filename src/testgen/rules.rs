//! One rule of each class, with qualifiers: files, links, capabilities,
//! mounts, change_profile, rlimits, `all` and the namespaced classes (the
//! IPC and network classes are in `ipc.rs`).

use super::Gen;

const CAPABILITIES: &[&str] = &[
    "chown",
    "dac_override",
    "net_admin",
    "sys_ptrace",
    "setuid",
    "sys_admin",
    "kill",
    "bpf",
    "mknod",
    "net_raw",
    "checkpoint_restore",
    "audit_read",
];
const EXEC_MODES: &[&str] = &[
    "ix", "px", "Px", "cx", "Cx", "ux", "Ux", "pix", "Pix", "cix", "Cix", "pux", "PUx", "cux",
    "CUx",
];

/// Which exec permissions a file rule may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exec {
    /// Exec modes (`ix`, `Px`, ...): an allow rule.
    Modes,
    /// A bare `x`: a deny rule.
    BareX,
    /// None: a rule in a `deny { }` block takes neither.
    None,
}

impl Gen<'_, '_> {
    /// One rule line with its qualifiers, comma included.
    pub(super) fn rule(&mut self) -> String {
        // rlimit and change_profile rules take no qualifiers.
        if self.one_in(16) {
            return self.rlimit_rule();
        }
        let mut prefix = self.qualifiers();
        let exec = match prefix.contains("deny ") {
            true => Exec::BareX,
            false => Exec::Modes,
        };
        let body = self.unqualified_rule(exec);
        // network and all rules take no priority (now and then they get
        // one anyway, for the error path).
        let no_priority = body.starts_with("network") || body == "all,";
        if no_priority && prefix.starts_with("priority=") && !self.one_in(20) {
            prefix = prefix
                .split_once(' ')
                .map_or("", |(_, rest)| rest)
                .to_string();
        }
        format!("{prefix}{body}")
    }

    /// A rule without `priority=`/`audit`/`allow`/`deny` (those come from
    /// the rule's or its block's qualifiers; `exec` says which exec
    /// permissions fit them).
    pub(super) fn unqualified_rule(&mut self, exec: Exec) -> String {
        match self.range(0, 17) {
            0..=4 => self.file_rule(exec),
            5 => {
                let caps = self.some_of(CAPABILITIES, 0, 3).replace(',', "");
                match caps.is_empty() {
                    true => "capability,".into(),
                    false => format!("capability {caps},"),
                }
            }
            6 => self.network_rule(),
            7 => self.unix_rule(),
            8 => self.dbus_rule(),
            9 => self.signal_rule(),
            10 => self.ptrace_rule(),
            11 => self.mount_rule(),
            12 => self.namespace_rule(),
            13 => self.change_profile_rule(),
            14 => match self.v5() && self.one_in(2) {
                true => "all,".into(),
                false => "file,".into(),
            },
            15 => {
                let owner = if self.one_in(4) { "owner " } else { "" };
                let (from, to) = (self.path(), self.literal_path());
                let subset = if self.one_in(2) { "subset " } else { "" };
                format!("{owner}link {subset}{from} -> {to},")
            }
            _ => self.file_rule(exec),
        }
    }

    /// In apparmor's order: on 5.0 `priority=N`, then `audit`, then
    /// `allow` or `deny`. (5.0.2 has no `quiet` qualifier.)
    pub(super) fn qualifiers(&mut self) -> String {
        let mut out = String::new();
        if self.v5() && self.one_in(10) {
            out.push_str(self.pick(&[
                "priority=1 ",
                "priority=-5 ",
                "priority=+3 ",
                "priority=0 ",
            ]));
        }
        if self.one_in(6) {
            out.push_str("audit ");
        }
        match self.range(0, 7) {
            0 => out.push_str("deny "),
            1 => out.push_str("allow "),
            _ => {}
        }
        out
    }

    /// `[owner] [file] PATH PERMS [-> TARGET],` (or permissions first).
    /// A deny rule takes a bare `x` rather than an exec mode.
    fn file_rule(&mut self, exec: Exec) -> String {
        let owner = if self.one_in(5) { "owner " } else { "" };
        let file = if self.one_in(8) { "file " } else { "" };
        let path = match self.one_in(12) {
            true => format!("\"{} x\"", self.literal_path()),
            false => self.path(),
        };
        let mut perms = String::new();
        for (perm, chance) in [("r", 2), ("w", 3), ("k", 5), ("l", 6), ("m", 5)] {
            if self.one_in(chance) {
                perms.push_str(perm);
            }
        }
        if !perms.contains('w') && self.one_in(6) {
            perms.push('a');
        }
        let mut target = String::new();
        if exec == Exec::BareX {
            if self.one_in(3) {
                perms.push('x');
            }
        } else if exec == Exec::Modes && self.one_in(3) {
            let mode = self.pick(EXEC_MODES);
            perms.push_str(mode);
            // `l` with an exec target needs a `link` rule instead.
            if mode.contains(['p', 'P', 'c', 'C']) && !perms.contains('l') && self.one_in(3) {
                target = format!(" -> {}", self.pick(&["p0", "p0_c0", "foo", "&p1"]));
            }
        }
        if perms.is_empty() {
            perms.push('r');
        }
        match self.one_in(8) {
            true => format!("{owner}{file}{perms} {path}{target},"),
            false => format!("{owner}{file}{path} {perms}{target},"),
        }
    }

    fn rlimit_rule(&mut self) -> String {
        let (limit, values): (&str, &[&str]) = match self.range(0, 4) {
            0 => (
                self.pick(&["nofile", "nproc", "locks", "sigpending"]),
                &["1024", "10", "infinity"],
            ),
            1 => (
                self.pick(&["as", "stack", "data", "fsize", "memlock"]),
                &["1M", "64K", "2G", "infinity"],
            ),
            2 => (self.pick(&["cpu", "rttime"]), &["10s", "2minutes", "1h"]),
            3 => ("nice", &["-5", "10", "0"]),
            _ => ("rtprio", &["5", "0"]),
        };
        format!("set rlimit {limit} <= {},", self.pick(values))
    }

    fn mount_rule(&mut self) -> String {
        match self.range(0, 5) {
            0 => {
                let fstype = self.pick(&[
                    "",
                    " fstype=ext4",
                    " fstype=(tmpfs, proc)",
                    " vfstype in (ext3,ext4)",
                ]);
                let options = self.pick(&[
                    "",
                    " options=(ro, nosuid)",
                    " options=(bind)",
                    " options in (rw,noatime)",
                    " options=(rprivate)",
                ]);
                // Propagation options take no fstype and no source (mostly
                // kept that way; "Encoding of mount rule failed" else).
                let propagation = options.contains("private") && !self.one_in(10);
                let fstype = if propagation { "" } else { fstype };
                let source = match propagation {
                    true => "",
                    false => self.pick(&["", " /dev/sda1", " none", " /dev/sd*"]),
                };
                let target = self.literal_path();
                format!("mount{fstype}{options}{source} -> {target}/,")
            }
            1 => format!("umount {}/,", self.literal_path()),
            2 => format!(
                "remount{} {}/,",
                self.pick(&["", " options=(ro)"]),
                self.literal_path()
            ),
            3 => format!(
                "pivot_root oldroot={}/ {}/{},",
                self.literal_path(),
                self.literal_path(),
                self.pick(&["", " -> p0"])
            ),
            4 => self.pick(&["umount,", "remount,", "pivot_root,"]).into(),
            _ => "mount,".into(),
        }
    }

    fn change_profile_rule(&mut self) -> String {
        // In a qualifier block 5.0.2 rejects an exec condition ("Invalid
        // perms, 'x' must be preceded by exec qualifier"): mostly avoided.
        let forms = match self.in_block && !self.one_in(10) {
            true => [0, 3],
            false => [self.range(0, 3), 0],
        };
        match forms[0] {
            0 => format!(
                "change_profile -> {},",
                self.pick(&["p0", "foo", "p1//bar", "@{V0}"])
            ),
            1 => format!(
                "change_profile {}{} -> p0,",
                self.pick(&["", "safe ", "unsafe "]),
                self.literal_path()
            ),
            2 => format!("change_profile {},", self.path()),
            _ => "change_profile,".into(),
        }
    }

    /// userns, mqueue and io_uring.
    fn namespace_rule(&mut self) -> String {
        match self.range(0, 3) {
            0 => self.pick(&["userns,", "userns create,"]).into(),
            1 => {
                let perms = self.pick(&[
                    "",
                    " r",
                    " (read, write)",
                    " (create open delete)",
                    " (getattr, setattr)",
                ]);
                let kind = self.pick(&["", " type=posix", " type=sysv"]);
                let name = match kind {
                    " type=sysv" => self.pick(&["", " 1234"]),
                    " type=posix" => self.pick(&["", " /foo", " /bar*"]),
                    _ => self.pick(&["", " /foo"]),
                };
                let label = self.pick(&["", "", " label=foo"]);
                format!("mqueue{perms}{kind}{label}{name},")
            }
            _ => {
                let perms = self.pick(&[
                    "",
                    " sqpoll",
                    " override_creds",
                    " (sqpoll, override_creds)",
                ]);
                let label = match perms.is_empty() {
                    true => "",
                    false => self.pick(&["", " label=foo", " label=p0"]),
                };
                format!("io_uring{perms}{label},")
            }
        }
    }

    /// Between `min` and `max` distinct entries of `options`, joined by
    /// `", "` (possibly fewer when the input runs out).
    pub(super) fn some_of(&mut self, options: &[&str], min: usize, max: usize) -> String {
        let count = self.range(min, max.min(options.len()));
        let mut chosen: Vec<&str> = Vec::new();
        for _ in 0..count {
            let pick = self.pick(options);
            if !chosen.contains(&pick) {
                chosen.push(pick);
            }
        }
        chosen.join(", ")
    }
}
