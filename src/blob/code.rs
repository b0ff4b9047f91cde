//! The one-byte type codes that start every stream element (§1.1).

/// Element type codes. `List`, `ListEnd` and `Offset` exist in the format
/// but no writer emits them and the kernel rejects them where a value is
/// expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Code {
    U8 = 0x00,
    U16 = 0x01,
    U32 = 0x02,
    U64 = 0x03,
    Name = 0x04,
    String = 0x05,
    Blob = 0x06,
    Struct = 0x07,
    StructEnd = 0x08,
    List = 0x09,
    ListEnd = 0x0A,
    Array = 0x0B,
    ArrayEnd = 0x0C,
    Offset = 0x0D,
}

impl Code {
    /// The code for a byte, if it is one.
    pub fn from_byte(byte: u8) -> Option<Code> {
        Some(match byte {
            0x00 => Code::U8,
            0x01 => Code::U16,
            0x02 => Code::U32,
            0x03 => Code::U64,
            0x04 => Code::Name,
            0x05 => Code::String,
            0x06 => Code::Blob,
            0x07 => Code::Struct,
            0x08 => Code::StructEnd,
            0x09 => Code::List,
            0x0A => Code::ListEnd,
            0x0B => Code::Array,
            0x0C => Code::ArrayEnd,
            0x0D => Code::Offset,
            _ => return None,
        })
    }

    /// The name the format documentation uses.
    pub fn label(self) -> &'static str {
        match self {
            Code::U8 => "U8",
            Code::U16 => "U16",
            Code::U32 => "U32",
            Code::U64 => "U64",
            Code::Name => "NAME",
            Code::String => "STRING",
            Code::Blob => "BLOB",
            Code::Struct => "STRUCT",
            Code::StructEnd => "STRUCTEND",
            Code::List => "LIST",
            Code::ListEnd => "LISTEND",
            Code::Array => "ARRAY",
            Code::ArrayEnd => "ARRAYEND",
            Code::Offset => "OFFSET",
        }
    }
}

/// Alignment of DFA blobs, counted from the start of the record (§1.4).
pub const DFA_ALIGN: usize = 8;

/// The padding an aligned blob needs when its NAME ends at record-relative
/// offset `after_name`: the payload starts after the code byte and the u32
/// length, and must start on a multiple of [`DFA_ALIGN`].
pub fn aligned_blob_pad(after_name: usize) -> usize {
    (DFA_ALIGN - (after_name + 5) % DFA_ALIGN) % DFA_ALIGN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_byte() {
        for byte in 0u8..=0x0D {
            let code = Code::from_byte(byte).expect("codes 0..=0x0D are defined");
            assert_eq!(code as u8, byte);
        }
        assert_eq!(Code::from_byte(0x0E), None);
    }

    #[test]
    fn pad_puts_the_payload_on_an_eight_byte_boundary() {
        // The worked example of §8: NAME"aadfa" ends at 48, payload at 56.
        assert_eq!(aligned_blob_pad(48), 3);
        for after in 0..64 {
            let pad = aligned_blob_pad(after);
            assert!(pad < 8);
            assert_eq!((after + 5 + pad) % 8, 0);
        }
    }
}
