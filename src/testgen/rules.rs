//! One rule of each class, with qualifiers.

use super::{Gen, Language};

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
];
const EXEC_MODES: &[&str] = &[
    "ix", "px", "Px", "cx", "Cx", "ux", "Ux", "pix", "Pix", "cix", "Cix", "pux", "PUx",
];
const SIGNALS: &[&str] = &["hup", "int", "term", "kill", "usr1", "rtmin+3", "stop"];

impl Gen<'_, '_> {
    /// One rule line, comma included.
    pub(super) fn rule(&mut self) -> String {
        let kind = self.range(0, 15);
        // rlimit rules take no qualifiers.
        let prefix = if kind == 14 {
            String::new()
        } else {
            // 5.0.2 takes no priority on network rules.
            self.qualifiers(kind != 6)
        };
        let deny = prefix.contains("deny ");
        let body = match kind {
            0..=4 => self.file_rule(deny),
            5 => format!(
                "capability {},",
                self.some_of(CAPABILITIES, 0, 3).replace(',', "")
            ),
            6 => self.network_rule(),
            7 => self.unix_rule(),
            8 => self.dbus_rule(),
            9 => self.signal_rule(),
            10 => format!(
                "ptrace ({}) peer={},",
                self.some_of(&["read", "trace", "readby", "tracedby"], 1, 2),
                self.pick(&["foo", "unconfined", "p0"])
            ),
            11 => self.mount_rule(),
            12 => self
                .pick(&["userns,", "userns create,", "mqueue,", "io_uring,"])
                .to_string(),
            13 => match self.range(0, 2) {
                0 => format!(
                    "change_profile -> {},",
                    self.pick(&["p0", "foo", "p1//bar"])
                ),
                1 => format!("change_profile {} -> p0,", self.literal_path()),
                _ => "change_profile,".into(),
            },
            14 => match self.one_in(2) {
                true => format!(
                    "set rlimit {} <= {},",
                    self.pick(&["nofile", "nproc", "cpu"]),
                    self.pick(&["1024", "10", "infinity"])
                ),
                false => format!(
                    "set rlimit {} <= {},",
                    self.pick(&["as", "stack", "data"]),
                    self.pick(&["1M", "64K", "infinity"])
                ),
            },
            _ => {
                let (from, to) = (self.path(), self.literal_path());
                let subset = if self.one_in(2) { "subset " } else { "" };
                format!("link {subset}{from} -> {to},")
            }
        };
        format!("{prefix}{body}")
    }

    /// In apparmor's order: on 5.0 `priority=N` (where `priority` allows
    /// it), then `audit`, then `allow` or `deny`. (`quiet` is a word of
    /// the man page that 5.0.2 rejects.)
    fn qualifiers(&mut self, priority: bool) -> String {
        let mut out = String::new();
        let v5 = self.options.language == Language::V5;
        if v5 && priority && self.one_in(12) {
            out.push_str(self.pick(&["priority=1 ", "priority=-5 "]));
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

    /// `[owner] PATH PERMS [-> TARGET],` (or permissions first).
    /// A deny rule takes a bare `x` rather than an exec mode.
    fn file_rule(&mut self, deny: bool) -> String {
        let owner = if self.one_in(5) { "owner " } else { "" };
        let path = self.path();
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
        if deny {
            if self.one_in(3) {
                perms.push('x');
            }
        } else if self.one_in(3) {
            let mode = self.pick(EXEC_MODES);
            perms.push_str(mode);
            // `l` with an exec target needs a `link` rule instead.
            if mode.contains(['p', 'P', 'c', 'C']) && !perms.contains('l') && self.one_in(3) {
                target = format!(" -> {}", self.pick(&["p0", "p0_c0", "foo"]));
            }
        }
        if perms.is_empty() {
            perms.push('r');
        }
        match self.one_in(8) {
            true => format!("{owner}{perms} {path}{target},"),
            false => format!("{owner}{path} {perms}{target},"),
        }
    }

    fn network_rule(&mut self) -> String {
        let domain = self.pick(&["", " inet", " inet6", " unix", " netlink", " packet"]);
        // A protocol only where the family has it, but now and then one it
        // lacks, to reach the invalid-entry error path.
        let inet = matches!(domain, "" | " inet" | " inet6");
        let kind = if inet || self.one_in(16) {
            self.pick(&["", " stream", " dgram", " raw", " seqpacket", " tcp"])
        } else {
            self.pick(&["", " stream", " dgram", " raw", " seqpacket"])
        };
        format!("network{domain}{kind},")
    }

    fn unix_rule(&mut self) -> String {
        let mut rule = String::from("unix");
        // Only the peer-facing permissions may name a peer.
        let peer = self.one_in(3);
        if self.one_in(2) {
            let perms = match peer {
                true => self.some_of(&["send", "receive", "connect"], 1, 2),
                false => self.some_of(
                    &["send", "receive", "bind", "listen", "connect", "accept"],
                    1,
                    3,
                ),
            };
            rule.push_str(&format!(" ({perms})"));
        }
        if self.one_in(2) {
            rule.push_str(self.pick(&[" type=stream", " type=dgram", " type=seqpacket"]));
        }
        if self.one_in(3) {
            rule.push_str(self.pick(&[" addr=@foo", " addr=none", " addr=@bar*"]));
        }
        if peer {
            rule.push_str(self.pick(&[" peer=(label=foo)", " peer=(addr=@baz)"]));
        }
        rule + ","
    }

    fn dbus_rule(&mut self) -> String {
        let bus = self.pick(&["", " bus=session", " bus=system"]);
        match self.range(0, 3) {
            // No access list: a message rule implies send and receive.
            0 => format!(
                "dbus {}{bus} path={} interface=org.foo member={},",
                self.pick(&["send", "receive", "(send, receive)", "", "r", "(rw)"]),
                self.pick(&["/org/foo", "/org/*", "/org/{a,b}/x", "//org//foo/"]),
                self.pick(&["Get", "Set*", "{A,B}"])
            ),
            1 => format!(
                "dbus {}{bus} name=org.{},",
                self.pick(&["bind", ""]),
                self.pick(&["foo", "bar*"])
            ),
            2 => format!(
                "dbus {}{bus},",
                self.pick(&["eavesdrop", "", "(bind, eavesdrop)"])
            ),
            _ => format!(
                "dbus send{bus} peer=(name=org.{} label={}),",
                self.pick(&["baz", "x*"]),
                self.pick(&["unconfined", "p0"])
            ),
        }
    }

    fn signal_rule(&mut self) -> String {
        let mut rule = String::from("signal");
        if self.one_in(2) {
            let perms = self.some_of(&["send", "receive"], 1, 2);
            rule.push_str(&format!(" ({perms})"));
        }
        if self.one_in(2) {
            let set = self.some_of(SIGNALS, 1, 3);
            rule.push_str(&format!(" set=({set})"));
        }
        if self.one_in(2) {
            rule.push_str(self.pick(&[" peer=foo", " peer=p0//*", " peer=unconfined"]));
        }
        rule + ","
    }

    fn mount_rule(&mut self) -> String {
        match self.range(0, 4) {
            0 => {
                let fstype = self.pick(&["", " fstype=ext4", " fstype=(tmpfs, proc)"]);
                let options = self.pick(&["", " options=(ro, nosuid)", " options=bind"]);
                let source = self.pick(&["", " /dev/sda1", " none"]);
                let target = self.literal_path();
                format!("mount{fstype}{options}{source} -> {target}/,")
            }
            1 => format!("umount {}/,", self.literal_path()),
            2 => format!("remount {}/,", self.literal_path()),
            3 => format!(
                "pivot_root oldroot={}/ {}/,",
                self.literal_path(),
                self.literal_path()
            ),
            _ => "mount,".into(),
        }
    }

    /// Between `min` and `max` distinct entries of `options`, joined by
    /// `", "` (possibly fewer when the input runs out).
    fn some_of(&mut self, options: &[&str], min: usize, max: usize) -> String {
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
