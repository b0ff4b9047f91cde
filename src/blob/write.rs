//! The typed element writer (§1): one writer per record, so that DFA
//! alignment is counted from the record's first byte.

use super::code::{Code, aligned_blob_pad};
use super::error::WriteError;

/// Appends stream elements to a buffer that starts at a record boundary.
///
/// Length overflows are remembered (the first one wins) instead of being
/// returned by every call, so callers write straight-line code and learn of
/// the problem from [`StreamWriter::finish`]. After an overflow the buffer
/// content is meaningless, but no call panics.
#[derive(Debug, Default)]
pub struct StreamWriter {
    buf: Vec<u8>,
    error: Option<WriteError>,
}

impl StreamWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes written so far, which is also the record-relative offset of
    /// the next element.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The record bytes, or the first length overflow met.
    pub fn finish(self) -> Result<Vec<u8>, WriteError> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.buf),
        }
    }

    fn fail(&mut self, error: WriteError) {
        self.error.get_or_insert(error);
    }

    fn code(&mut self, code: Code) {
        self.buf.push(code as u8);
    }

    /// Writes NAME with `name` (NUL appended) if given.
    fn maybe_name(&mut self, name: Option<&str>) {
        if let Some(name) = name {
            self.counted_text(Code::Name, "NAME", name.as_bytes());
        }
    }

    /// A u16-length-prefixed, NUL-terminated text element.
    fn counted_text(&mut self, code: Code, what: &'static str, text: &[u8]) {
        let Ok(len) = u16::try_from(text.len() + 1) else {
            self.fail(WriteError::TooLong {
                what,
                len: text.len() + 1,
                max: u16::MAX as usize,
            });
            return;
        };
        self.code(code);
        self.buf.extend_from_slice(&len.to_le_bytes());
        self.buf.extend_from_slice(text);
        self.buf.push(0);
    }

    pub fn u8(&mut self, name: Option<&str>, value: u8) {
        self.maybe_name(name);
        self.code(Code::U8);
        self.buf.push(value);
    }

    pub fn u16(&mut self, name: Option<&str>, value: u16) {
        self.maybe_name(name);
        self.code(Code::U16);
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    pub fn u32(&mut self, name: Option<&str>, value: u32) {
        self.maybe_name(name);
        self.code(Code::U32);
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    pub fn u64(&mut self, name: Option<&str>, value: u64) {
        self.maybe_name(name);
        self.code(Code::U64);
        self.buf.extend_from_slice(&value.to_le_bytes());
    }

    /// A STRING holding `text` plus the terminating NUL. `text` may contain
    /// NULs (xtable namespace entries do).
    pub fn string(&mut self, name: Option<&str>, text: &[u8]) {
        self.maybe_name(name);
        self.counted_text(Code::String, "STRING", text);
    }

    /// A BLOB of raw bytes.
    pub fn blob(&mut self, name: Option<&str>, data: &[u8]) {
        self.maybe_name(name);
        self.blob_with_pad(data, 0);
    }

    /// A BLOB whose payload (`data`) starts on a record-relative multiple of
    /// 8, preceded by zero padding that the length includes (§1.4).
    pub fn aligned_blob(&mut self, name: Option<&str>, data: &[u8]) {
        self.maybe_name(name);
        let pad = aligned_blob_pad(self.buf.len());
        self.blob_with_pad(data, pad);
    }

    fn blob_with_pad(&mut self, data: &[u8], pad: usize) {
        let Ok(len) = u32::try_from(data.len() + pad) else {
            self.fail(WriteError::TooLong {
                what: "BLOB",
                len: data.len() + pad,
                max: u32::MAX as usize,
            });
            return;
        };
        self.code(Code::Blob);
        self.buf.extend_from_slice(&len.to_le_bytes());
        self.buf.resize(self.buf.len() + pad, 0);
        self.buf.extend_from_slice(data);
    }

    pub fn struct_start(&mut self, name: Option<&str>) {
        self.maybe_name(name);
        self.code(Code::Struct);
    }

    pub fn struct_end(&mut self) {
        self.code(Code::StructEnd);
    }

    /// Opens an ARRAY of `count` elements; the caller writes them unnamed
    /// and then calls [`StreamWriter::array_end`].
    pub fn array_start(&mut self, name: Option<&str>, count: usize) {
        let Ok(count16) = u16::try_from(count) else {
            self.fail(WriteError::TooMany {
                what: "ARRAY",
                count,
                max: u16::MAX as usize,
            });
            return;
        };
        self.maybe_name(name);
        self.code(Code::Array);
        self.buf.extend_from_slice(&count16.to_le_bytes());
    }

    pub fn array_end(&mut self) {
        self.code(Code::ArrayEnd);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_u32_matches_the_documented_bytes() {
        let mut w = StreamWriter::new();
        w.u32(Some("version"), 5);
        let bytes = w.finish().unwrap();
        assert_eq!(
            bytes,
            b"\x04\x08\x00version\x00\x02\x05\x00\x00\x00".to_vec()
        );
    }

    #[test]
    fn string_keeps_embedded_nuls_and_adds_one() {
        let mut w = StreamWriter::new();
        w.string(None, b":ns\0name");
        assert_eq!(w.finish().unwrap(), b"\x05\x09\x00:ns\0name\0".to_vec());
    }

    #[test]
    fn aligned_blob_pads_relative_to_the_record_start() {
        let mut w = StreamWriter::new();
        w.u8(None, 7); // 2 bytes: the NAME ends at 2 + 9 = 11
        w.aligned_blob(Some("aadfa"), &[0xAA; 8]);
        let bytes = w.finish().unwrap();
        // NAME"aadfa" = 9 bytes, then code + u32 = 5 → 16: no padding.
        assert_eq!(bytes.len(), 2 + 9 + 5 + 8);
        assert_eq!(&bytes[12..16], &8u32.to_le_bytes());
        assert_eq!(&bytes[16..], &[0xAA; 8]);

        let mut w = StreamWriter::new();
        w.aligned_blob(Some("aadfa"), &[0xAA; 8]);
        let bytes = w.finish().unwrap();
        // NAME ends at 9, payload would start at 14: two bytes of padding.
        assert_eq!(&bytes[10..14], &10u32.to_le_bytes());
        assert_eq!(&bytes[14..16], &[0, 0]);
        assert_eq!(bytes.len() % 8, 0);
    }

    #[test]
    fn overlong_string_is_reported_not_truncated() {
        let mut w = StreamWriter::new();
        w.string(None, &vec![b'a'; 70_000]);
        w.u8(None, 1);
        assert!(matches!(
            w.finish(),
            Err(WriteError::TooLong { what: "STRING", .. })
        ));
    }

    #[test]
    fn array_brackets_its_count() {
        let mut w = StreamWriter::new();
        w.array_start(Some("a"), 2);
        w.u16(None, 1);
        w.u16(None, 2);
        w.array_end();
        assert_eq!(
            w.finish().unwrap(),
            b"\x04\x02\x00a\x00\x0b\x02\x00\x01\x01\x00\x01\x02\x00\x0c".to_vec()
        );
    }
}
