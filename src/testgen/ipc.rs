//! Network, unix, dbus, signal and ptrace rules.

use super::Gen;

const SIGNALS: &[&str] = &[
    "hup", "int", "term", "kill", "usr1", "rtmin+3", "stop", "exists", "winch", "emt",
];

impl Gen<'_, '_> {
    pub(super) fn network_rule(&mut self) -> String {
        let access = match self.one_in(5) {
            true => match self.one_in(2) {
                true => format!(" {}", self.pick(&["create", "bind", "send", "rw"])),
                false => format!(
                    " ({})",
                    self.some_of(&["create", "connect", "send", "receive", "getopt"], 1, 3)
                ),
            },
            false => String::new(),
        };
        let domain = self.pick(&[
            "",
            " inet",
            " inet6",
            " unix",
            " netlink",
            " packet",
            " bluetooth",
            " alg",
        ]);
        // A protocol only where the family has it, but now and then one it
        // lacks, to reach the invalid-entry error path.
        let inet = matches!(domain, "" | " inet" | " inet6");
        let kind = if inet || self.one_in(16) {
            self.pick(&[
                "",
                " stream",
                " dgram",
                " raw",
                " seqpacket",
                " tcp",
                " udp",
                " icmp",
            ])
        } else {
            self.pick(&["", " stream", " dgram", " raw", " seqpacket", " rdm"])
        };
        // 5.0's fine-grained inet conditions.
        let mut conds = String::new();
        if self.v5() && matches!(domain, " inet" | " inet6") && self.one_in(4) {
            conds = match (domain, self.range(0, 3)) {
                (" inet", 0) => " ip=127.0.0.1".into(),
                (" inet6", 0) => " ip=::1".into(),
                (_, 1) => format!(" port={}", self.pick(&["80", "1024-2048"])),
                (_, 2) => " peer=(port=443)".into(),
                _ => " ip=none".into(),
            };
        }
        format!("network{access}{domain}{kind}{conds},")
    }

    pub(super) fn unix_rule(&mut self) -> String {
        let mut rule = String::from("unix");
        // Only the peer-facing permissions may name a peer.
        let peer = self.one_in(3);
        if self.one_in(2) {
            let perms = match peer {
                true => self.some_of(&["send", "receive", "connect"], 1, 2),
                false => self.some_of(
                    &[
                        "send", "receive", "bind", "listen", "connect", "accept", "create",
                        "getattr", "setopt", "shutdown",
                    ],
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
            rule.push_str(self.pick(&[
                " peer=(label=foo)",
                " peer=(addr=@baz)",
                " peer=(label=p0, addr=@x)",
            ]));
        }
        rule + ","
    }

    pub(super) fn dbus_rule(&mut self) -> String {
        let bus = self.pick(&["", " bus=session", " bus=system", " bus=(session)"]);
        match self.range(0, 4) {
            0 => format!(
                "dbus {}{bus} path={} interface=org.foo member={},",
                self.pick(&["send", "receive", "(send, receive)", "r", "(read write)"]),
                self.pick(&["/org/foo", "/org/*", "/org/{a,b}/x", "\"/org/q\""]),
                self.pick(&["Get", "Set*", "{A,B}", "(Foo)"])
            ),
            1 => format!("dbus bind{bus} name=org.{},", self.pick(&["foo", "bar*"])),
            2 => format!("dbus eavesdrop{bus},"),
            3 => format!("dbus{bus},"),
            _ => format!(
                "dbus send{bus} peer=(name=org.{} label={}),",
                self.pick(&["baz", "x*"]),
                self.pick(&["unconfined", "p0"])
            ),
        }
    }

    pub(super) fn signal_rule(&mut self) -> String {
        let mut rule = String::from("signal");
        if self.one_in(2) {
            let perms = self.some_of(&["send", "receive", "r", "w"], 1, 2);
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

    pub(super) fn ptrace_rule(&mut self) -> String {
        let perms = match self.one_in(4) {
            true => String::new(),
            false => format!(
                " ({})",
                self.some_of(&["read", "trace", "readby", "tracedby", "r", "w"], 1, 2)
            ),
        };
        let peer = self.pick(&["", " peer=foo", " peer=unconfined", " peer=p0"]);
        format!("ptrace{perms}{peer},")
    }
}
