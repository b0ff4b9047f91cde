//! The serialized policy stream (binary-format §1, §2): the profile-record
//! writer and, beside it, a reader that decodes any blob.
//!
//! * [`write`] / [`read`]: typed stream elements (NAME, U32, STRING, aligned
//!   DFA BLOB, STRUCT, ARRAY …) with the kernel's optional-field semantics.
//! * [`record`]: [`ProfileRecord`], every field of a profile record.
//! * [`write_records`] / [`read_records`]: whole blobs. For every blob
//!   `apparmor_parser` writes, `write_records(&read_records(b)?)? == b`.

pub mod code;
mod decode;
pub mod dump;
mod dump_text;
mod encode;
pub mod error;
pub mod read;
pub mod record;
pub mod verify;
pub mod write;

pub use decode::{read_record_spans, read_records};
pub use encode::{write_record, write_records};
pub use error::{ReadError, WriteError};
pub use record::{
    Caps, Pdb, PermsEntry, PermsTable, ProfileRecord, RecordFlags, Rlimits, Secmark, Xmatch,
};
pub use verify::{PdbError, PdbKind, verify_pdb};
