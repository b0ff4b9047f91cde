//! The element reader, with the kernel's optional-field semantics (§1.2):
//! every element read either succeeds or leaves the position where it was,
//! so an absent optional field costs nothing and the next mandatory read
//! reports the real problem.

use super::code::{Code, aligned_blob_pad};
use super::error::ReadError;

/// A cursor over a whole input buffer (possibly several records).
///
/// Invariant: `pos <= data.len()` and `record_start <= pos`. Offsets in
/// errors are absolute positions in `data`.
#[derive(Debug, Clone)]
pub struct StreamReader<'a> {
    data: &'a [u8],
    pos: usize,
    record_start: usize,
}

impl<'a> StreamReader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        StreamReader {
            data,
            pos: 0,
            record_start: 0,
        }
    }

    /// Absolute offset of the next element.
    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Marks the current position as the start of a record: DFA alignment
    /// padding is counted from here.
    pub fn start_record(&mut self) {
        self.record_start = self.pos;
    }

    /// Runs `read`; if it fails, restores the position and returns `None`.
    /// This is the kernel's treatment of optional fields.
    pub fn optional<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, ReadError>,
    ) -> Option<T> {
        self.attempt(read).ok()
    }

    /// Runs `read`; if it fails, restores the position and passes the error on.
    pub fn attempt<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        let saved = self.pos;
        let result = read(self);
        if result.is_err() {
            self.pos = saved;
        }
        result
    }

    /// The name carried by the next element, if it starts with a
    /// well-formed NAME. Does not move.
    pub fn peek_name(&self) -> Option<&'a [u8]> {
        let mut probe = self.clone();
        match probe.take_code() {
            Ok(Code::Name) => probe.counted_text("NAME").ok(),
            _ => None,
        }
    }

    /// True if the next element is a NAME equal to `name`.
    pub fn next_is_named(&self, name: &str) -> bool {
        self.peek_name() == Some(name.as_bytes())
    }

    fn take(&mut self, what: &'static str, n: usize) -> Result<&'a [u8], ReadError> {
        let available = self.data.len() - self.pos;
        if n > available {
            return Err(ReadError::Truncated {
                offset: self.pos,
                what,
                needed: n,
                available,
            });
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn take_array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ReadError> {
        let bytes = self.take(what, N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    fn take_code(&mut self) -> Result<Code, ReadError> {
        let offset = self.pos;
        let [byte] = self.take_array::<1>("type code")?;
        Code::from_byte(byte).ok_or_else(|| ReadError::UnexpectedElement {
            offset,
            expected: "an element".into(),
            found: format!("unknown type code {byte:#04x}"),
        })
    }

    /// A u16 length, then that many bytes whose last one must be NUL;
    /// returns them without the NUL.
    fn counted_text(&mut self, what: &'static str) -> Result<&'a [u8], ReadError> {
        let offset = self.pos;
        let len = u16::from_le_bytes(self.take_array::<2>(what)?) as usize;
        let bytes = self.take(what, len)?;
        match bytes.split_last() {
            Some((0, text)) => Ok(text),
            _ => Err(ReadError::Unterminated { offset, what }),
        }
    }

    /// Describes the element at the current position for an error message.
    fn describe_next(&self) -> String {
        let Some(&byte) = self.data.get(self.pos) else {
            return "end of input".into();
        };
        match Code::from_byte(byte) {
            Some(Code::Name) => match self.peek_name() {
                Some(name) => format!("NAME \"{}\"", name.escape_ascii()),
                None => "a malformed NAME".into(),
            },
            Some(code) => code.label().into(),
            None => format!("unknown type code {byte:#04x}"),
        }
    }

    fn unexpected(&self, expected: String) -> ReadError {
        ReadError::UnexpectedElement {
            offset: self.pos,
            expected,
            found: self.describe_next(),
        }
    }

    /// The name part of an element: with `Some(name)` a NAME equal to it
    /// must come next; with `None` a NAME, if present, is skipped.
    fn name(&mut self, expected: Option<&str>, code: Code) -> Result<(), ReadError> {
        let is_name = self.data.get(self.pos) == Some(&(Code::Name as u8));
        match (expected, is_name) {
            (_, true) => {
                let start = self.pos;
                self.pos += 1;
                let found = self.counted_text("NAME")?;
                if let Some(want) = expected
                    && found != want.as_bytes()
                {
                    self.pos = start;
                    return Err(self.unexpected(format!("NAME \"{want}\"")));
                }
                Ok(())
            }
            (Some(want), false) => {
                Err(self.unexpected(format!("NAME \"{want}\" then {}", code.label())))
            }
            (None, false) => Ok(()),
        }
    }

    /// Name (if asked for) and type code of one element.
    fn header(&mut self, name: Option<&str>, code: Code) -> Result<(), ReadError> {
        self.name(name, code)?;
        if self.data.get(self.pos) != Some(&(code as u8)) {
            let expected = match name {
                Some(name) => format!("{} after NAME \"{name}\"", code.label()),
                None => code.label().to_string(),
            };
            return Err(self.unexpected(expected));
        }
        self.pos += 1;
        Ok(())
    }

    pub fn u8(&mut self, name: Option<&str>) -> Result<u8, ReadError> {
        self.attempt(|r| {
            r.header(name, Code::U8)?;
            Ok(r.take_array::<1>("U8")?[0])
        })
    }

    pub fn u16(&mut self, name: Option<&str>) -> Result<u16, ReadError> {
        self.attempt(|r| {
            r.header(name, Code::U16)?;
            Ok(u16::from_le_bytes(r.take_array("U16")?))
        })
    }

    pub fn u32(&mut self, name: Option<&str>) -> Result<u32, ReadError> {
        self.attempt(|r| {
            r.header(name, Code::U32)?;
            Ok(u32::from_le_bytes(r.take_array("U32")?))
        })
    }

    pub fn u64(&mut self, name: Option<&str>) -> Result<u64, ReadError> {
        self.attempt(|r| {
            r.header(name, Code::U64)?;
            Ok(u64::from_le_bytes(r.take_array("U64")?))
        })
    }

    /// A STRING's bytes without the terminating NUL (embedded NULs kept).
    pub fn string(&mut self, name: Option<&str>) -> Result<&'a [u8], ReadError> {
        self.attempt(|r| {
            r.header(name, Code::String)?;
            r.counted_text("STRING")
        })
    }

    pub fn blob(&mut self, name: Option<&str>) -> Result<&'a [u8], ReadError> {
        self.attempt(|r| {
            r.header(name, Code::Blob)?;
            let len = u32::from_le_bytes(r.take_array("BLOB length")?) as usize;
            r.take("BLOB", len)
        })
    }

    /// A DFA blob (§1.4): returns the payload after the alignment padding,
    /// whose length is recomputed from the record-relative offset exactly
    /// as a writer computes it. Non-zero padding is an error, so a
    /// successfully read blob re-encodes to the same bytes.
    pub fn aligned_blob(&mut self, name: Option<&str>) -> Result<&'a [u8], ReadError> {
        self.attempt(|r| {
            r.name(name, Code::Blob)?;
            let pad = aligned_blob_pad(r.pos - r.record_start);
            let offset = r.pos;
            r.header(None, Code::Blob)?;
            let len = u32::from_le_bytes(r.take_array("BLOB length")?) as usize;
            let payload_offset = r.pos;
            let bytes = r.take("BLOB", len)?;
            if len < pad {
                return Err(ReadError::ShortAlignedBlob { offset, len, pad });
            }
            if let Some(i) = bytes[..pad].iter().position(|&b| b != 0) {
                return Err(ReadError::NonzeroPadding {
                    offset: payload_offset + i,
                });
            }
            Ok(&bytes[pad..])
        })
    }

    pub fn struct_start(&mut self, name: Option<&str>) -> Result<(), ReadError> {
        self.attempt(|r| r.header(name, Code::Struct))
    }

    /// STRUCTEND is never named.
    pub fn struct_end(&mut self) -> Result<(), ReadError> {
        self.attempt(|r| r.header(None, Code::StructEnd))
    }

    /// Opens an ARRAY and returns its element count.
    pub fn array_start(&mut self, name: Option<&str>) -> Result<u16, ReadError> {
        self.attempt(|r| {
            r.header(name, Code::Array)?;
            Ok(u16::from_le_bytes(r.take_array("ARRAY count")?))
        })
    }

    pub fn array_end(&mut self) -> Result<(), ReadError> {
        self.attempt(|r| r.header(None, Code::ArrayEnd))
    }

    /// An error at the current position.
    pub fn invalid(&self, what: impl Into<String>) -> ReadError {
        ReadError::Invalid {
            offset: self.pos,
            what: what.into(),
        }
    }

    /// An error naming the element that is unexpected here.
    pub fn unexpected_here(&self, expected: &str) -> ReadError {
        self.unexpected(expected.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::write::StreamWriter;

    #[test]
    fn named_lookup_rewinds_on_a_different_name() {
        let mut w = StreamWriter::new();
        w.u32(Some("flags"), 3);
        let bytes = w.finish().unwrap();
        let mut r = StreamReader::new(&bytes);
        assert_eq!(r.optional(|r| r.u32(Some("kill"))), None);
        assert_eq!(r.pos(), 0, "a failed optional read must not move");
        assert_eq!(r.u32(Some("flags")), Ok(3));
        assert!(r.at_end());
    }

    #[test]
    fn named_lookup_rewinds_on_a_different_type() {
        let mut w = StreamWriter::new();
        w.string(Some("kill"), b"9");
        let bytes = w.finish().unwrap();
        let mut r = StreamReader::new(&bytes);
        let err = r.u32(Some("kill")).unwrap_err();
        assert_eq!(r.pos(), 0);
        assert!(err.to_string().contains("U32 after NAME \"kill\""), "{err}");
        assert_eq!(r.string(Some("kill")), Ok(&b"9"[..]));
    }

    #[test]
    fn unnamed_read_skips_a_name_like_the_kernel() {
        let mut w = StreamWriter::new();
        w.u16(Some("anything"), 0xBEEF);
        let bytes = w.finish().unwrap();
        assert_eq!(StreamReader::new(&bytes).u16(None), Ok(0xBEEF));
    }

    #[test]
    fn missing_name_is_reported_with_its_offset() {
        let mut w = StreamWriter::new();
        w.u8(None, 1);
        w.u32(None, 2);
        let bytes = w.finish().unwrap();
        let mut r = StreamReader::new(&bytes);
        r.u8(None).unwrap();
        let err = r.u32(Some("flags")).unwrap_err();
        assert_eq!(err.offset(), 2);
    }

    #[test]
    fn strings_must_end_in_nul() {
        let bytes = b"\x05\x02\x00ab";
        let err = StreamReader::new(bytes).string(None).unwrap_err();
        assert_eq!(
            err,
            ReadError::Unterminated {
                offset: 1,
                what: "STRING"
            }
        );
        let empty = b"\x05\x00\x00";
        assert!(StreamReader::new(empty).string(None).is_err());
    }

    #[test]
    fn truncation_is_an_error_not_a_panic() {
        let mut w = StreamWriter::new();
        w.u64(Some("x"), u64::MAX);
        w.string(Some("s"), b"hello");
        w.blob(None, &[1, 2, 3]);
        let bytes = w.finish().unwrap();
        for cut in 0..bytes.len() {
            let mut r = StreamReader::new(&bytes[..cut]);
            let ok =
                r.u64(Some("x")).is_ok() && r.string(Some("s")).is_ok() && r.blob(None).is_ok();
            assert!(!ok, "a read of {cut} bytes cannot succeed");
        }
    }

    #[test]
    fn aligned_blob_round_trips_at_every_record_offset() {
        for lead in 0..16usize {
            let mut w = StreamWriter::new();
            for _ in 0..lead {
                w.u8(None, 0);
            }
            w.aligned_blob(Some("aadfa"), &[9; 16]);
            let record = w.finish().unwrap();
            // Put an odd-length prefix before the record: padding is still
            // counted from the record start.
            let mut input = vec![0xFF; 3];
            input.extend_from_slice(&record);
            let mut r = StreamReader::new(&input);
            r.take("prefix", 3).unwrap();
            r.start_record();
            for _ in 0..lead {
                r.u8(None).unwrap();
            }
            assert_eq!(r.aligned_blob(Some("aadfa")), Ok(&[9u8; 16][..]));
        }
    }

    #[test]
    fn aligned_blob_rejects_dirty_padding() {
        let mut w = StreamWriter::new();
        w.aligned_blob(Some("aadfa"), &[9; 8]);
        let mut bytes = w.finish().unwrap();
        bytes[14] = 1; // first padding byte (payload starts at 16)
        let err = StreamReader::new(&bytes)
            .aligned_blob(Some("aadfa"))
            .unwrap_err();
        assert_eq!(err, ReadError::NonzeroPadding { offset: 14 });
    }
}
