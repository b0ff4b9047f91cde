//! A small reader for the outer record stream (§1, §2): enough to pull the
//! profile-level fields out of a reference blob.

/// One element of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    Str(Vec<u8>),
    /// Payload offset in the blob and length.
    Blob(usize, usize),
    Struct,
    StructEnd,
    Array(u16),
    ArrayEnd,
}

/// (name, element) pairs in stream order.
pub fn elements(blob: &[u8]) -> Vec<(Option<String>, Element)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let u16_at = |p: usize| u16::from_le_bytes([blob[p], blob[p + 1]]);
    let u32_at = |p: usize| u32::from_le_bytes(blob[p..p + 4].try_into().unwrap());
    while pos < blob.len() {
        let mut name = None;
        if blob[pos] == 0x04 {
            let len = usize::from(u16_at(pos + 1));
            name = Some(String::from_utf8_lossy(&blob[pos + 3..pos + 2 + len]).into_owned());
            pos += 3 + len;
        }
        let code = blob[pos];
        pos += 1;
        let element = match code {
            0x00 => {
                pos += 1;
                Element::U8(blob[pos - 1])
            }
            0x01 => {
                pos += 2;
                Element::U16(u16_at(pos - 2))
            }
            0x02 => {
                pos += 4;
                Element::U32(u32_at(pos - 4))
            }
            0x03 => {
                pos += 8;
                Element::U64(u64::from_le_bytes(blob[pos - 8..pos].try_into().unwrap()))
            }
            0x05 => {
                let len = usize::from(u16_at(pos));
                pos += 2 + len;
                Element::Str(blob[pos - len..pos - 1].to_vec())
            }
            0x06 => {
                let len = u32_at(pos) as usize;
                pos += 4 + len;
                Element::Blob(pos - len, len)
            }
            0x07 => Element::Struct,
            0x08 => Element::StructEnd,
            0x0B => {
                pos += 2;
                Element::Array(u16_at(pos - 2))
            }
            0x0C => Element::ArrayEnd,
            other => panic!("unknown element code {other:#x} at {pos}"),
        };
        out.push((name, element));
    }
    out
}

/// The profile-level fields of one record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordFields {
    pub namespace: Option<String>,
    pub name: String,
    pub xmatch_len: Option<u32>,
    pub flags: [u32; 3],
    pub path_flags: Option<u32>,
    pub caps: [u64; 3],
    pub xattrs: Vec<String>,
    pub rlimits: Option<(u32, Vec<u64>)>,
    /// The file DFA's permission table (14 words per entry), if any.
    pub file_perms: Option<Vec<[u32; 14]>>,
    /// Payload offset of the file DFA blob.
    pub file_dfa: Option<usize>,
}

fn u32_of(element: &Element) -> u32 {
    match element {
        Element::U32(value) => *value,
        other => panic!("expected U32, got {other:?}"),
    }
}

fn string_of(element: &Element) -> String {
    match element {
        Element::Str(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        other => panic!("expected STRING, got {other:?}"),
    }
}

/// Splits the stream into records and reads their fields.
pub fn records(blob: &[u8]) -> Vec<RecordFields> {
    let all = elements(blob);
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        assert_eq!(all[i].0.as_deref(), Some("version"));
        i += 1;
        let mut record = RecordFields::default();
        if all[i].0.as_deref() == Some("namespace") {
            record.namespace = Some(string_of(&all[i].1));
            i += 1;
        }
        assert_eq!(all[i].0.as_deref(), Some("profile"));
        i += 1;
        record.name = string_of(&all[i].1);
        i += 1;
        let mut depth = 1;
        let mut seen_flags = false;
        let mut low_caps = Vec::new();
        while depth > 0 {
            let (name, element) = &all[i];
            match (name.as_deref(), element) {
                (_, Element::Struct) => depth += 1,
                (_, Element::StructEnd) => depth -= 1,
                _ => {}
            }
            match name.as_deref() {
                Some("aadfa") if !seen_flags => {
                    record.xmatch_len = Some(u32_of(&all[i + 1].1));
                }
                // The file pdb's table; the policydb's sits one level deeper.
                Some("perms") if seen_flags && depth == 2 => {
                    let Element::Array(count) = all[i + 2].1 else {
                        panic!("perms array expected");
                    };
                    let entries = (0..usize::from(count))
                        .map(|k| std::array::from_fn(|w| u32_of(&all[i + 3 + 14 * k + w].1)))
                        .collect();
                    record.file_perms = Some(entries);
                }
                // The policydb's DFA sits one struct deeper.
                Some("aadfa") if depth == 1 => {
                    if let Element::Blob(offset, _) = element {
                        record.file_dfa = Some(*offset);
                    }
                }
                Some("flags") => {
                    seen_flags = true;
                    record.flags = [
                        u32_of(&all[i + 1].1),
                        u32_of(&all[i + 2].1),
                        u32_of(&all[i + 3].1),
                    ];
                    // Unnamed caps words follow the optional path_flags.
                    let mut j = i + 5;
                    if all[j].0.as_deref() == Some("path_flags") {
                        record.path_flags = Some(u32_of(&all[j].1));
                        j += 1;
                    }
                    low_caps = (0..3).map(|k| u32_of(&all[j + k].1)).collect();
                }
                Some("caps64") => {
                    for (k, low) in low_caps.iter().enumerate() {
                        let high = u32_of(&all[i + 1 + k].1);
                        record.caps[k] = (u64::from(high) << 32) | u64::from(*low);
                    }
                }
                Some("xattrs") => {
                    let Element::Array(count) = all[i + 1].1 else {
                        panic!("xattrs array expected");
                    };
                    record.xattrs = (0..usize::from(count))
                        .map(|k| string_of(&all[i + 2 + k].1))
                        .collect();
                }
                Some("rlimits") => {
                    let mask = u32_of(&all[i + 1].1);
                    let Element::Array(count) = all[i + 2].1 else {
                        panic!("rlimits array expected");
                    };
                    let values = (0..usize::from(count))
                        .map(|k| match all[i + 3 + k].1 {
                            Element::U64(value) => value,
                            ref other => panic!("U64 expected, got {other:?}"),
                        })
                        .collect();
                    record.rlimits = Some((mask, values));
                }
                _ => {}
            }
            i += 1;
        }
        out.push(record);
    }
    out
}
