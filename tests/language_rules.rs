//! Language-rule variants (issue 12): profile text written for aaprof,
//! each with apparmor_parser 5.0.2's verdict and blob sha256 under the
//! upstream-all and debian-6.12 kernel feature sets
//! (`tests/data/language_rules.tsv`). The classes: access words per rule
//! class, profile flags (errno names, kill.signal, valued-flag conflicts),
//! profile/hat headers (attachments, xattrs, flags order), rlimit values
//! and units, mount options (unparenthesised; looked up as written: no
//! glob, no variable; a propagation type with a source and a mount point
//! only fails where the rule is encoded) and change_profile safe/unsafe
//! conflicts and priorities (5.0.2 ignores `priority=` on change_profile),
//! and the merge of file, link and change_profile entries whose names agree
//! past the first character (`encode::entry_merge`); exec transitions:
//! which merged entries conflict (`x-merge`), the entry order that decides
//! whether a higher-ranked rule settles an exec bit before two conflicting
//! ones meet (`x-order`, `encode::entry_order`), the `safe`/`unsafe`
//! keywords (`x-unsafe`), and the modes a change_profile rule keeps
//! (`cp-mode`);
//! exec targets (kept as
//! written: no variable expanded, no pattern checked, unlike a link
//! target), variable values touching quotes (`a""` is two values) and
//! expanded as a sorted set (`@{B}={a b` gives `{b,{a}`), variable names
//! that are no identifier (`@{a b}`, in any class; `@{a,b}` is an
//! alternation), and profile names
//! that are no attachment but still must be valid patterns (`foo}`);
//! `@{profile_name}` keeping the name's own escapes, and the mode-first
//! file rule's `subset` and namespaced link targets (`l subset /a -> /b`,
//! `l /a -> :ns:b` is an error); a profile or hat name that is no path
//! attaches only when it is a pattern once its escapes are read
//! (`profile h* {` does, `profile h\* {` does not).
//!
//! Runs without `../shared`: the two feature sets are listed below (the
//! kernel's feature facts, laid out compactly), the expectations are in
//! the data file.

mod support;

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use rayon::prelude::*;
use support::variant_table::{cases, sha256};

/// The upstream-all feature set.
const UPSTREAM_ALL: &str = r"dbus {mask {acquire send receive}}
signal {mask {hup int quit ill trap abrt bus fpe kill usr1 segv usr2 pipe alrm term stkflt chld cont stop stp ttin ttou urg xcpu xfsz vtalrm prof winch io pwr sys emt lost}}
ptrace {mask {read trace}}
caps {mask {chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap linux_immutable net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner sys_module sys_rawio sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice sys_resource sys_time sys_tty_config mknod lease audit_write audit_control setfcap mac_override mac_admin syslog wake_alarm block_suspend audit_read}}
rlimit {mask {cpu fsize data stack core rss nproc nofile memlock as locks sigpending msgqueue nice rtprio rttime}}
capability {0xffffff}
namespaces {pivot_root {yes}
profile {yes}}
mount {mask {mount umount}}
network {af_unix {yes}
af_mask {unspec unix inet ax25 ipx appletalk netrom bridge atmpvc x25 inet6 rose netbeui security key netlink packet ash econet atmsvc rds sna irda pppox wanpipe llc ib mpls can tipc bluetooth iucv rxrpc isdn phonet ieee802154 caif alg nfc vsock}}
file {mask {create read write exec append mmap_exec link lock}}
domain {stack {yes}
change_profile {yes}
change_onexec {yes}
change_hatv {yes}
change_hat {yes}}
policy {set_load {yes}
versions {v7 {yes}
v6 {yes}
v5 {yes}}}";

/// The debian-6.12 feature set.
const DEBIAN_6_12: &str = r"capability {0xffffff}
caps {mask {chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap linux_immutable net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner sys_module sys_rawio sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice sys_resource sys_time sys_tty_config mknod lease audit_write audit_control setfcap mac_override mac_admin syslog wake_alarm block_suspend audit_read perfmon bpf checkpoint_restore}}
domain {attach_conditions {xattr {yes}}
change_hat {yes}
change_hatv {yes}
change_onexec {yes}
change_profile {yes}
computed_longest_left {yes}
disconnected.path {yes}
fix_binfmt_elf_mmap {yes}
post_nnp_subset {yes}
stack {yes}
version {1.2}}
file {mask {create read write exec append mmap_exec link lock}}
io_uring {mask {sqpoll override_creds}}
mount {mask {mount umount pivot_root}
move_mount {detached}}
namespaces {mask {userns_create}
pivot_root {no}
profile {yes}}
network_v8 {af_mask {unspec unix inet ax25 ipx appletalk netrom bridge atmpvc x25 inet6 rose netbeui security key netlink packet ash econet atmsvc rds sna irda pppox wanpipe llc ib mpls can tipc bluetooth iucv rxrpc isdn phonet ieee802154 caif alg nfc vsock kcm qipcrtr smc xdp mctp}
tcp-fast-open {yes}}
policy {outofband {0x000001}
permstable32 {allow deny subtree cond kill complain prompt audit quiet hide xindex tag label}
permstable32_version {0x000001}
set_load {yes}
unconfined_restrictions {change_profile {yes}}
versions {v5 {yes}
v6 {yes}
v7 {yes}
v8 {yes}
v9 {yes}}}
ptrace {mask {read trace}}
query {label {data {yes}
multi_transaction {yes}
perms {allow deny audit quiet}}}
rlimit {mask {cpu fsize data stack core rss nproc nofile memlock as locks sigpending msgqueue nice rtprio rttime}}
signal {mask {hup int quit ill trap abrt bus fpe kill usr1 segv usr2 pipe alrm term stkflt chld cont stop stp ttin ttou urg xcpu xfsz vtalrm prof winch io pwr sys emt lost}}";

const DATA: &str = include_str!("data/language_rules.tsv");

#[test]
fn language_rule_variants_match_apparmor_parser_5_0_2() {
    let cases = cases(DATA);
    assert!(cases.len() > 1000, "data file holds {} cases", cases.len());
    let mut failures = Vec::new();
    for (index, (features, text)) in [("upstream-all", UPSTREAM_ALL), ("debian-6.12", DEBIAN_6_12)]
        .into_iter()
        .enumerate()
    {
        let set = FeatureSet::from_text(text).expect("features");
        let session = Session::new(resolve::Options::default(), FeatureSources::both(set));
        let wrong: Vec<String> = cases
            .par_iter()
            .filter_map(|case| {
                let compiled = session.compile_input(&Input::Text {
                    name: "-".into(),
                    text: case.text.clone(),
                });
                let ours = compiled.blob.as_deref().map(sha256);
                let expected = &case.expected[index];
                (ours.as_ref() != expected.as_ref()).then(|| {
                    let why = match (expected, &ours) {
                        (Some(_), None) => format!(
                            "rejected: {}",
                            compiled
                                .diagnostics
                                .iter()
                                .find(|d| d.is_error())
                                .map(|d| d.message.clone())
                                .unwrap_or_default()
                        ),
                        (None, Some(_)) => "accepted, 5.0.2 rejects it".into(),
                        _ => "blob differs".into(),
                    };
                    format!("[{features}] {}: {why}", case.name)
                })
            })
            .collect();
        println!(
            "language rules ({features}): {} of {} cases agree",
            cases.len() - wrong.len(),
            cases.len()
        );
        failures.extend(wrong);
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
