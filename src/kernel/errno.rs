//! What an errno from AppArmor's policy interface means. The kernel
//! answers a load, replace or remove with one error number; this table
//! says, for each it returns there, what went wrong in terms of policy
//! (apparmor_parser prints a similar line per errno).

/// `ENOTSUPP`: the kernel-internal "operation not supported" (524),
/// which leaks to userspace from some unpack paths; no libc names it.
const ENOTSUPP: i32 = 524;

/// The name and meaning of every errno the policy interface returns.
const TABLE: &[(i32, &str, &str)] = &[
    (
        libc::EPERM,
        "EPERM",
        "not permitted: managing policy needs CAP_MAC_ADMIN in the AppArmor policy namespace (run as root)",
    ),
    (
        libc::EACCES,
        "EACCES",
        "access denied: managing policy needs CAP_MAC_ADMIN (run as root), and policy may be locked (apparmor.lock_policy)",
    ),
    (
        libc::EEXIST,
        "EEXIST",
        "a profile of that name is already loaded (--replace replaces it)",
    ),
    (libc::ENOENT, "ENOENT", "no profile of that name is loaded"),
    (
        libc::EPROTO,
        "EPROTO",
        "the kernel could not read the policy data (a malformed blob, a short write, or data compiled for other kernel features)",
    ),
    (
        libc::EPROTONOSUPPORT,
        "EPROTONOSUPPORT",
        "this kernel does not support the policy's format version (compile for its features)",
    ),
    (
        libc::EBADMSG,
        "EBADMSG",
        "the policy data failed the kernel's consistency checks",
    ),
    (
        libc::EINVAL,
        "EINVAL",
        "the kernel found the policy invalid",
    ),
    (
        libc::ENOMEM,
        "ENOMEM",
        "the kernel ran out of memory for the policy",
    ),
    (
        libc::E2BIG,
        "E2BIG",
        "the policy is larger than the kernel accepts",
    ),
    (
        libc::EFAULT,
        "EFAULT",
        "the kernel could not copy the policy (bad address)",
    ),
    (
        libc::ESPIPE,
        "ESPIPE",
        "the write did not start at offset 0",
    ),
    (
        libc::EOPNOTSUPP,
        "EOPNOTSUPP",
        "the kernel does not support something the policy uses",
    ),
    (
        ENOTSUPP,
        "ENOTSUPP",
        "the kernel does not support something the policy uses",
    ),
    (
        libc::ENOSPC,
        "ENOSPC",
        "the kernel has no room for more policy",
    ),
    (libc::EBUSY, "EBUSY", "the policy interface is busy"),
];

/// The symbolic name of `errno` (`EEXIST`), if it is one the policy
/// interface returns.
pub fn name(errno: i32) -> Option<&'static str> {
    TABLE.iter().find(|e| e.0 == errno).map(|e| e.1)
}

/// What `errno` means for policy loading, if it is one the interface
/// returns.
pub fn meaning(errno: i32) -> Option<&'static str> {
    TABLE.iter().find(|e| e.0 == errno).map(|e| e.2)
}

/// The message for a failed write: `EEXIST (errno 17): <meaning>`, or
/// the OS's own text for errors outside the table and errors without an
/// errno.
pub fn describe(errno: &Option<i32>, error: &std::io::Error) -> String {
    match errno.and_then(|n| Some((n, name(n)?, meaning(n)?))) {
        Some((n, name, meaning)) => format!("{name} (errno {n}): {meaning}"),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_named_once() {
        for (i, (n, name, _)) in TABLE.iter().enumerate() {
            assert!(
                TABLE[i + 1..].iter().all(|e| e.0 != *n && e.1 != *name),
                "{name} twice"
            );
        }
    }

    #[test]
    fn known_errnos_have_names_and_meanings() {
        assert_eq!(name(17), Some("EEXIST"));
        assert_eq!(name(2), Some("ENOENT"));
        assert_eq!(name(71), Some("EPROTO"));
        assert_eq!(name(93), Some("EPROTONOSUPPORT"));
        assert_eq!(name(524), Some("ENOTSUPP"));
        let eproto = std::io::Error::from_raw_os_error(71);
        assert!(describe(&Some(71), &eproto).starts_with("EPROTO (errno 71): "));
        assert!(meaning(libc::ENOENT).unwrap().contains("no profile"));
    }

    #[test]
    fn other_errors_keep_the_os_text() {
        let error = std::io::Error::from_raw_os_error(libc::EROFS);
        assert_eq!(describe(&Some(libc::EROFS), &error), error.to_string());
        let plain = std::io::Error::other("no errno here");
        assert_eq!(describe(&None, &plain), "no errno here");
    }
}
