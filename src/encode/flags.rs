//! The profile's flags struct (§2.4) and path_flags (§2.5).

use crate::model::{ProfileFlags, ProfileMode};

/// Flag word bits.
pub const FLAG_HAT: u32 = 0x1;
pub const FLAG_DEBUG1: u32 = 0x2;
pub const FLAG_INTERRUPTIBLE: u32 = 0x8;

/// Kernel path flag values.
pub const PATH_CONNECT_PATH: u32 = 0x4;
pub const PATH_CHROOT_REL: u32 = 0x8;
pub const PATH_CHROOT_NSCONNECT: u32 = 0x10;
pub const PATH_CONNECT_IPC: u32 = 0x20;
pub const PATH_MEDIATE_DELETED: u32 = 0x10000;

/// The three words of the flags struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlagWords {
    pub flags: u32,
    pub mode: u32,
    /// 1 for the profile flag `audit`.
    pub audit: u32,
}

/// Computes the flags struct. `interruptible` only counts when the kernel
/// supports it (`policy/profile/interruptible`).
///
/// Note for the front end: parsers 4.1 and 5.0.2 honour `debug` only when
/// it is the first flag of the list (`flags=(audit,debug)` sets no debug
/// bit); `flags.debug` should be set accordingly.
pub fn flag_words(flags: &ProfileFlags, is_hat: bool, interruptible_supported: bool) -> FlagWords {
    let mut word = 0;
    if is_hat {
        word |= FLAG_HAT;
    }
    if flags.debug {
        word |= FLAG_DEBUG1;
    }
    if flags.interruptible && interruptible_supported {
        word |= FLAG_INTERRUPTIBLE;
    }
    let mode = match flags.mode.unwrap_or_default() {
        ProfileMode::Enforce => 0,
        ProfileMode::Complain => 1,
        ProfileMode::Kill => 2,
        ProfileMode::Unconfined | ProfileMode::DefaultAllow => 3,
        ProfileMode::Prompt => 4,
    };
    FlagWords {
        flags: word,
        mode,
        audit: u32::from(flags.audit),
    }
}

/// The path_flags value, or `None` when no path-related flag is set (the
/// field is then omitted). Some flags are written as present with no bit.
pub fn path_flags(flags: &ProfileFlags) -> Option<u32> {
    let mut value = 0;
    let mut present = false;
    let mut set = |on: bool, bit: u32| {
        if on {
            value |= bit;
            present = true;
        }
    };
    set(
        flags.attach_disconnected || flags.attach_disconnected_path.is_some(),
        PATH_CONNECT_PATH,
    );
    set(flags.chroot_relative, PATH_CHROOT_REL);
    set(flags.chroot_attach, PATH_CHROOT_NSCONNECT);
    set(flags.attach_disconnected_ipc.is_some(), PATH_CONNECT_IPC);
    set(flags.mediate_deleted, PATH_MEDIATE_DELETED);
    set(
        flags.namespace_relative
            || flags.delegate_deleted
            || flags.no_attach_disconnected
            || flags.chroot_no_attach,
        0,
    );
    present.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_and_bits() {
        let flags = ProfileFlags {
            mode: Some(ProfileMode::Complain),
            audit: true,
            debug: true,
            ..ProfileFlags::default()
        };
        assert_eq!(
            flag_words(&flags, true, false),
            FlagWords {
                flags: FLAG_HAT | FLAG_DEBUG1,
                mode: 1,
                audit: 1
            }
        );
        let default_allow = ProfileFlags {
            mode: Some(ProfileMode::DefaultAllow),
            ..ProfileFlags::default()
        };
        assert_eq!(flag_words(&default_allow, false, false).mode, 3);
        assert_eq!(
            flag_words(&ProfileFlags::default(), false, false),
            FlagWords::default()
        );
    }

    #[test]
    fn path_flag_values() {
        assert_eq!(path_flags(&ProfileFlags::default()), None);
        let dnsmasq = ProfileFlags {
            attach_disconnected: true,
            ..ProfileFlags::default()
        };
        assert_eq!(path_flags(&dnsmasq), Some(4));
        let deleted = ProfileFlags {
            mediate_deleted: true,
            ..ProfileFlags::default()
        };
        assert_eq!(path_flags(&deleted), Some(0x10000));
        let relative = ProfileFlags {
            namespace_relative: true,
            ..ProfileFlags::default()
        };
        assert_eq!(path_flags(&relative), Some(0));
    }
}
