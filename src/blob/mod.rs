//! The serialized policy stream (binary-format §1, §2): the profile-record
//! writer and, beside it, a reader that decodes any blob.
//!
//! * [`write`](mod@write) / [`read`](mod@read): typed stream elements (NAME, U32, STRING, aligned
//!   DFA BLOB, STRUCT, ARRAY …) with the kernel's optional-field semantics.
//! * [`record`]: [`ProfileRecord`], every field of a profile record.
//! * [`write_records`] / [`read_records`]: whole blobs. For every blob
//!   `apparmor_parser` writes, `write_records(&read_records(b)?)? == b`.
//! * [`verify_pdb`]: the kernel's checks between a DFA and its perms
//!   table / xtable; [`dump`]: the readable view behind `aaprof dump`;
//!   [`compare`]: whether two DFAs grant the same on every input;
//!   [`selfcheck`]: every reader over untrusted bytes (fuzzing).
//!
//! ```
//! use aaprof::blob::{Caps, Pdb, ProfileRecord, RecordFlags, read_records, write_records};
//!
//! let record = ProfileRecord {
//!     version: 0x0020_2007, // Features::version_word(false) for a v7 kernel
//!     name: b"t".to_vec(),
//!     flags: RecordFlags { flags: 0, mode: 1, audit: 0 }, // complain
//!     caps: Caps::new(0, 0, 0), // allow, audit, quiet; caps64 written
//!     policydb: Some(Pdb::packed(vec![0; 8])), // the DFA table set bytes
//!     file: Some(Pdb { dfa: vec![0; 8], xtable: Some(vec![b"t//child".to_vec()]), ..Pdb::default() }),
//!     ..ProfileRecord::default()
//! };
//! let blob = write_records(&[record.clone()]).unwrap();
//! assert_eq!(read_records(&blob).unwrap(), vec![record]);
//! ```

pub mod code;
pub mod compare;
mod decode;
pub mod dump;
mod dump_text;
mod encode;
pub mod error;
pub mod packed;
pub mod read;
pub mod record;
pub mod selfcheck;
pub mod verify;
pub mod write;

pub use decode::{read_record_spans, read_records};
pub use encode::{write_record, write_records};
pub use error::{ReadError, WriteError};
pub use record::{
    Caps, Pdb, PermsEntry, PermsTable, ProfileRecord, RecordFlags, Rlimits, Secmark, Xmatch,
};
pub use verify::{PdbError, PdbKind, verify_pdb};
