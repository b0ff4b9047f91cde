//! Parses a blob into [`ProfileRecord`]s, following the kernel's reading
//! order (§2.1). Optional fields are detected by their NAME; once a
//! composite optional field's NAME has matched, its content is mandatory,
//! which gives precise errors without accepting anything the kernel
//! rejects.

use super::error::ReadError;
use super::read::StreamReader;
use super::record::{
    Caps, Pdb, PermsEntry, PermsTable, ProfileRecord, RecordFlags, Rlimits, Secmark, Xmatch,
};

/// Parses every record of a blob. The whole input must be consumed.
///
/// Unlike the kernel (which lets later records inherit the first record's
/// version), every record must start with its `version` header, as every
/// parser writes it. DFA contents are not examined here; see
/// [`crate::tables::read::DfaTables::parse`].
pub fn read_records(data: &[u8]) -> Result<Vec<ProfileRecord>, ReadError> {
    Ok(read_record_spans(data)?
        .into_iter()
        .map(|(_, record)| record)
        .collect())
}

/// [`read_records`], with the byte range each record occupies.
pub fn read_record_spans(
    data: &[u8],
) -> Result<Vec<(std::ops::Range<usize>, ProfileRecord)>, ReadError> {
    let mut r = StreamReader::new(data);
    let mut records = Vec::new();
    while !r.at_end() {
        r.start_record();
        let start = r.pos();
        let record = read_record(&mut r)?;
        records.push((start..r.pos(), record));
    }
    Ok(records)
}

fn owned(bytes: &[u8]) -> Vec<u8> {
    bytes.to_vec()
}

fn read_record(r: &mut StreamReader<'_>) -> Result<ProfileRecord, ReadError> {
    let version = r.u32(Some("version"))?;
    let namespace_at = r.pos();
    let namespace = r.optional(|r| r.string(Some("namespace"))).map(owned);
    if namespace.as_ref().is_some_and(Vec::is_empty) {
        return Err(ReadError::Invalid {
            offset: namespace_at,
            what: "empty namespace".into(),
        });
    }
    r.struct_start(Some("profile"))?;
    let name_at = r.pos();
    let name = r.string(None)?.to_vec();
    if name.is_empty() {
        return Err(ReadError::Invalid {
            offset: name_at,
            what: "empty profile name".into(),
        });
    }
    let rename = r.optional(|r| r.string(Some("rename"))).map(owned);
    let attach = r.optional(|r| r.string(Some("attach"))).map(owned);
    let xmatch = match read_pdb(r)? {
        Some(pdb) => Some(Xmatch {
            pdb,
            len: r.u32(None)?,
        }),
        None => None,
    };
    let disconnected = r.optional(|r| r.string(Some("disconnected"))).map(owned);
    let disconnected_ipc = r
        .optional(|r| r.string(Some("disconnected_ipc")))
        .map(owned);
    let kill = r.optional(|r| r.u32(Some("kill")));
    let error = r.optional(|r| r.u32(Some("error")));
    r.struct_start(Some("flags"))?;
    let flags = RecordFlags {
        flags: r.u32(None)?,
        mode: r.u32(None)?,
        audit: r.u32(None)?,
    };
    r.struct_end()?;
    let path_flags = r.optional(|r| r.u32(Some("path_flags")));
    let caps = read_caps(r)?;
    let capsx = if r.next_is_named("capsx") {
        r.struct_start(Some("capsx"))?;
        let words = (r.u32(None)?, r.u32(None)?);
        r.struct_end()?;
        Some(words)
    } else {
        None
    };
    let identity = if r.next_is_named("identity") {
        Some(read_string_array(r, Some("identity"))?)
    } else {
        None
    };
    let xattrs = if r.next_is_named("xattrs") {
        r.struct_start(Some("xattrs"))?;
        let names = read_string_array(r, None)?;
        r.struct_end()?;
        Some(names)
    } else {
        None
    };
    let rlimits = if r.next_is_named("rlimits") {
        Some(read_rlimits(r)?)
    } else {
        None
    };
    let secmark = if r.next_is_named("secmark") {
        Some(read_secmark(r)?)
    } else {
        None
    };
    let net_allowed_af = if r.next_is_named("net_allowed_af") {
        let count = r.array_start(Some("net_allowed_af"))?;
        let mut families = Vec::with_capacity(count.into());
        for _ in 0..count {
            families.push([r.u16(None)?, r.u16(None)?, r.u16(None)?]);
        }
        r.array_end()?;
        Some(families)
    } else {
        None
    };
    let policydb = if r.next_is_named("policydb") {
        r.struct_start(Some("policydb"))?;
        let pdb = read_pdb(r)?.ok_or_else(|| r.unexpected_here("a DFA inside \"policydb\""))?;
        r.struct_end()?;
        Some(pdb)
    } else {
        None
    };
    let file = read_pdb(r)?;
    let data = if r.next_is_named("data") {
        r.struct_start(Some("data"))?;
        let mut pairs = Vec::new();
        while let Some(key) = r.optional(|r| r.string(None)) {
            pairs.push((key.to_vec(), r.blob(None)?.to_vec()));
        }
        r.struct_end()?;
        Some(pairs)
    } else {
        None
    };
    r.struct_end()?;
    Ok(ProfileRecord {
        version,
        namespace,
        name,
        rename,
        attach,
        xmatch,
        disconnected,
        disconnected_ipc,
        kill,
        error,
        flags,
        path_flags,
        caps,
        capsx,
        identity,
        xattrs,
        rlimits,
        secmark,
        net_allowed_af,
        policydb,
        file,
        data,
    })
}

fn read_caps(r: &mut StreamReader<'_>) -> Result<Caps, ReadError> {
    let mut low = [0u32; 4];
    for word in &mut low {
        *word = r.u32(None)?;
    }
    let mut high = [0u32; 4];
    let caps64 = r.next_is_named("caps64");
    if caps64 {
        r.struct_start(Some("caps64"))?;
        for word in &mut high {
            *word = r.u32(None)?;
        }
        r.struct_end()?;
    }
    let join = |i: usize| u64::from(low[i]) | (u64::from(high[i]) << 32);
    Ok(Caps {
        allow: join(0),
        audit: join(1),
        quiet: join(2),
        reserved: [low[3], high[3]],
        caps64,
    })
}

/// ARRAY n, n unnamed STRINGs, ARRAYEND.
fn read_string_array(
    r: &mut StreamReader<'_>,
    name: Option<&str>,
) -> Result<Vec<Vec<u8>>, ReadError> {
    let count = r.array_start(name)?;
    let mut out = Vec::with_capacity(count.into());
    for _ in 0..count {
        out.push(r.string(None)?.to_vec());
    }
    r.array_end()?;
    Ok(out)
}

fn read_rlimits(r: &mut StreamReader<'_>) -> Result<Rlimits, ReadError> {
    r.struct_start(Some("rlimits"))?;
    let mask = r.u32(None)?;
    let count = r.array_start(None)?;
    let mut values = Vec::with_capacity(count.into());
    for _ in 0..count {
        values.push(r.u64(None)?);
    }
    r.array_end()?;
    r.struct_end()?;
    Ok(Rlimits { mask, values })
}

fn read_secmark(r: &mut StreamReader<'_>) -> Result<Vec<Secmark>, ReadError> {
    r.struct_start(Some("secmark"))?;
    let count = r.array_start(None)?;
    let mut out = Vec::with_capacity(count.into());
    for _ in 0..count {
        out.push(Secmark {
            audit: r.u8(None)?,
            deny: r.u8(None)?,
            label: r.string(None)?.to_vec(),
        });
    }
    r.array_end()?;
    r.struct_end()?;
    Ok(out)
}

/// The pdb sub-layout (§2.3). `None` if neither a perms table nor a DFA
/// starts here.
fn read_pdb(r: &mut StreamReader<'_>) -> Result<Option<Pdb>, ReadError> {
    let perms = if r.next_is_named("perms") {
        Some(read_perms(r)?)
    } else {
        None
    };
    let permsv = r.optional(|r| r.u32(Some("permsv")));
    if perms.is_none() && permsv.is_none() && !r.next_is_named("aadfa") {
        return Ok(None);
    }
    let dfa = r.aligned_blob(Some("aadfa"))?.to_vec();
    let start = r.optional(|r| r.u32(Some("start")));
    let dfa_start = r.optional(|r| r.u32(Some("dfa_start")));
    let xtable = if r.next_is_named("xtable") {
        r.struct_start(Some("xtable"))?;
        let entries = read_string_array(r, None)?;
        r.struct_end()?;
        Some(entries)
    } else {
        None
    };
    Ok(Some(Pdb {
        perms,
        permsv,
        dfa,
        start,
        dfa_start,
        xtable,
    }))
}

fn read_perms(r: &mut StreamReader<'_>) -> Result<PermsTable, ReadError> {
    r.struct_start(Some("perms"))?;
    let version = r.u32(Some("version"))?;
    let count = r.array_start(None)?;
    let mut entries = Vec::with_capacity(count.into());
    for _ in 0..count {
        let mut words = [0u32; PermsEntry::WORDS];
        for word in &mut words {
            *word = r.u32(None)?;
        }
        entries.push(PermsEntry::from_words(words));
    }
    r.array_end()?;
    r.struct_end()?;
    Ok(PermsTable { version, entries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::encode::write_records;
    use crate::blob::record::{Caps, Pdb};

    fn sample() -> ProfileRecord {
        ProfileRecord {
            version: 0x0020_2007,
            name: b"t".to_vec(),
            flags: RecordFlags {
                flags: 0,
                mode: 1,
                audit: 0,
            },
            caps: Caps {
                allow: 0x20_0000_2000,
                caps64: true,
                ..Caps::default()
            },
            rlimits: Some(Rlimits {
                mask: 0x80,
                values: (0..16).map(|i| if i == 7 { 1024 } else { 0 }).collect(),
            }),
            policydb: Some(Pdb::packed(vec![0x11; 16])),
            file: Some(Pdb {
                dfa: vec![0x22; 24],
                xtable: Some(vec![b":ns\0name".to_vec()]),
                ..Pdb::default()
            }),
            ..ProfileRecord::default()
        }
    }

    #[test]
    fn records_round_trip() {
        let mut child = sample();
        child.name = b"t//child".to_vec();
        child.namespace = Some(b"ns".to_vec());
        child.kill = Some(9);
        child.path_flags = Some(4);
        child.data = Some(vec![(b"key".to_vec(), vec![0, 1, 2])]);
        if let Some(file) = child.file.as_mut() {
            file.start = Some(1);
            file.dfa_start = Some(2);
        }
        let records = vec![sample(), child];
        let bytes = write_records(&records).unwrap();
        assert_eq!(read_records(&bytes).unwrap(), records);
    }

    #[test]
    fn missing_flags_names_the_offset() {
        let mut w = crate::blob::write::StreamWriter::new();
        w.u32(Some("version"), 5);
        w.struct_start(Some("profile"));
        w.string(None, b"p");
        w.u32(None, 0);
        let bytes = w.finish().unwrap();
        let err = read_records(&bytes).unwrap_err();
        assert_eq!(err.offset(), 16 + 12 + 5, "{err}");
        assert!(err.to_string().contains("NAME \"flags\""), "{err}");
    }

    #[test]
    fn empty_names_are_rejected_where_they_start() {
        let mut record = sample();
        record.name = Vec::new();
        let bytes = write_records(&[record]).unwrap();
        let err = read_records(&bytes).unwrap_err();
        assert_eq!(err.offset(), 16 + 12, "{err}");
        let mut record = sample();
        record.namespace = Some(Vec::new());
        let bytes = write_records(&[record]).unwrap();
        let err = read_records(&bytes).unwrap_err();
        assert_eq!(err.offset(), 16, "{err}");
        assert!(err.to_string().contains("empty namespace"), "{err}");
    }

    #[test]
    fn trailing_garbage_is_rejected() {
        let mut bytes = write_records(&[sample()]).unwrap();
        bytes.push(0x42);
        assert!(read_records(&bytes).is_err());
    }
}
