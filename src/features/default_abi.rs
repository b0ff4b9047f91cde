//! The policy ABI `abi <default>,` selects: apparmor_parser 5.0.2's
//! built-in default, the interface of a 5.4 kernel with the out-of-tree
//! network patches (network rules in the per-family table and unix
//! sockets; no `network_v8`, user namespace, mqueue or io_uring
//! mediation). Measured against 5.0.2: its blobs for `abi <default>`
//! equal those for that kernel's ABI file under every features file here.

use super::set::FeatureSet;

/// The default ABI as features text, one feature per line (the masks list
/// the names of the vocabulary the 5.4 interface had).
const DEFAULT_ABI_TEXT: &str = "\
query {label {multi_transaction {yes\n} data {yes\n} perms {allow deny audit quiet\n}}}
dbus {mask {acquire send receive\n}}
signal {mask {hup int quit ill trap abrt bus fpe kill usr1 segv usr2 pipe alrm term stkflt chld cont stop stp ttin ttou urg xcpu xfsz vtalrm prof winch io pwr sys emt lost\n}}
ptrace {mask {read trace\n}}
caps {mask {chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap linux_immutable net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner sys_module sys_rawio sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice sys_resource sys_time sys_tty_config mknod lease audit_write audit_control setfcap mac_override mac_admin syslog wake_alarm block_suspend audit_read\n}}
rlimit {mask {cpu fsize data stack core rss nproc nofile memlock as locks sigpending msgqueue nice rtprio rttime\n}}
capability {0xffffff\n}
namespaces {pivot_root {no\n} profile {yes\n}}
mount {mask {mount umount pivot_root\n}}
network {af_unix {yes\n} af_mask {unspec unix inet ax25 ipx appletalk netrom bridge atmpvc x25 inet6 rose netbeui security key netlink packet ash econet atmsvc rds sna irda pppox wanpipe llc ib mpls can tipc bluetooth iucv rxrpc isdn phonet ieee802154 caif alg nfc vsock kcm qipcrtr smc xdp\n}}
file {mask {create read write exec append mmap_exec link lock\n}}
domain {version {1.2\n} attach_conditions {xattr {yes\n}} computed_longest_left {yes\n} post_nnp_subset {yes\n} fix_binfmt_elf_mmap {yes\n} stack {yes\n} change_profile {yes\n} change_onexec {yes\n} change_hatv {yes\n} change_hat {yes\n}}
policy {set_load {yes\n} versions {v8 {yes\n} v7 {yes\n} v6 {yes\n} v5 {yes\n}}}
";

/// The feature set of `abi <default>,`.
pub fn default_abi() -> FeatureSet {
    FeatureSet::from_text(DEFAULT_ABI_TEXT).expect("the built-in default ABI parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_abi_has_the_5_4_interface() {
        let set = default_abi();
        for path in [
            "network/af_unix",
            "mount",
            "dbus",
            "signal",
            "ptrace",
            "domain/stack",
        ] {
            assert!(set.supports(path), "{path}");
        }
        for path in [
            "network_v8",
            "namespaces/mask/userns_create",
            "ipc",
            "io_uring",
        ] {
            assert!(!set.supports(path), "{path}");
        }
    }
}
