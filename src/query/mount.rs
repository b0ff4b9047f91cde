//! The mount-class requests of `aaprof query`: `mount POINT [source=DEV]
//! [fstype=TYPE] [options=WORD,...]`, `umount POINT` and
//! `pivot_root NEW_ROOT [oldroot=OLD]`, with the option words mount rules
//! use (`ro`, `nosuid`, `bind`, `rbind`, `make-private`, …).

use super::request::{Request, RequestError, malformed, split_words, value};
use crate::encode::request::{self as enc, MountCall};

/// The flags an `options=` list sets (comma-separated words; `rw` sets
/// nothing, it only clears `ro`).
pub fn option_flags(list: &str) -> Result<u32, RequestError> {
    let mut flags = 0;
    for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let (set, clear) = enc::mount_option_bits(word)
            .ok_or_else(|| malformed("mount", format!("unknown mount option `{word}`")))?;
        flags = (flags | set) & !clear;
    }
    Ok(flags)
}

fn absolute(class: &'static str, path: &str) -> Result<String, RequestError> {
    if path.starts_with('/') {
        Ok(path.to_string())
    } else {
        Err(malformed(
            class,
            format!("`{path}` is not an absolute path"),
        ))
    }
}

/// `mount POINT [source=DEV] [fstype=TYPE] [options=WORD,...]`.
pub fn parse_mount(rest: &[String]) -> Result<Request, RequestError> {
    let (plain, keyed) = split_words("mount", rest, &["source", "fstype", "options"])?;
    let [point] = plain.as_slice() else {
        return Err(malformed(
            "mount",
            "give one mount point: `mount /mnt/ [source=/dev/sdb1] [fstype=ext4] [options=ro,nosuid]`",
        ));
    };
    let flags = option_flags(value(&keyed, "options", ""))?;
    Ok(Request::Mount {
        point: absolute("mount", point)?,
        source: value(&keyed, "source", "").to_string(),
        fstype: value(&keyed, "fstype", "").to_string(),
        flags,
    })
}

/// `umount POINT`.
pub fn parse_umount(rest: &[String]) -> Result<Request, RequestError> {
    match rest {
        [point] => Ok(Request::Umount {
            point: absolute("umount", point)?,
        }),
        _ => Err(malformed("umount", "give one mount point: `umount /mnt/`")),
    }
}

/// `pivot_root NEW_ROOT [oldroot=OLD]`.
pub fn parse_pivot_root(rest: &[String]) -> Result<Request, RequestError> {
    let (plain, keyed) = split_words("pivot_root", rest, &["oldroot"])?;
    let [new_root] = plain.as_slice() else {
        return Err(malformed(
            "pivot_root",
            "give the new root: `pivot_root /new/ [oldroot=/new/old/]`",
        ));
    };
    Ok(Request::PivotRoot {
        new_root: absolute("pivot_root", new_root)?,
        old_root: value(&keyed, "oldroot", "").to_string(),
    })
}

/// The option words of `flags` as one `options=` value (`rw` for none).
pub fn options_text(flags: u32) -> String {
    let mut words = enc::mount_option_words(flags).unwrap_or_default();
    if flags & 1 == 0 {
        words.insert(0, "rw");
    }
    words.join(",")
}

/// Which call the kernel makes for these flags, as a word for notes.
pub fn call_name(flags: u32) -> &'static str {
    match enc::mount_call(flags) {
        MountCall::Remount => "remount",
        MountCall::Bind => "bind mount",
        MountCall::ChangeType => "change of propagation type",
        MountCall::Move => "move",
        MountCall::New => "new mount",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn mount_requests() {
        let request = parse_mount(&words(
            "/mnt/ source=/dev/sdb1 fstype=ext4 options=ro,nosuid",
        ))
        .unwrap();
        assert_eq!(
            request,
            Request::Mount {
                point: "/mnt/".into(),
                source: "/dev/sdb1".into(),
                fstype: "ext4".into(),
                flags: 0b11,
            }
        );
        // `rw` clears `ro`.
        assert_eq!(option_flags("ro,rw").unwrap(), 0);
        assert_eq!(options_text(0b11), "ro,nosuid");
        assert_eq!(options_text((1 << 12) | (1 << 14)), "rw,rbind");
        assert_eq!(call_name(1 << 13), "move");
        for bad in ["", "mnt", "/m options=fly", "/m colour=red", "/a /b"] {
            assert!(parse_mount(&words(bad)).is_err(), "{bad}");
        }
        assert!(parse_umount(&words("/m /n")).is_err());
        assert!(parse_pivot_root(&words("/n oldroot=/n/o")).is_ok());
        assert!(parse_pivot_root(&words("n")).is_err());
    }
}
