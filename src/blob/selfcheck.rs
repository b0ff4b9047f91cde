//! Every reader over untrusted bytes at once, for the fuzz target and the
//! property tests: whatever the bytes, the readers return instead of
//! panicking, and whatever decodes re-encodes to the same records.

use super::{ProfileRecord, WriteError, read_records, write_records};
use crate::blob::dump::BlobDump;
use crate::tables::read::DfaTables;

/// What went wrong with bytes that decoded: the reader and writer disagree.
#[derive(Debug, thiserror::Error)]
pub enum RoundTripError {
    #[error("decoded records do not re-encode: {0}")]
    Encode(#[from] WriteError),
    #[error("re-encoded records do not decode: {0}")]
    Decode(#[from] super::ReadError),
    #[error("re-encoded records decode differently")]
    Differ,
}

/// Dumps `bytes`, decodes them, parses every DFA and steps its first
/// `max_states` states, then checks that decoded records survive a write
/// and read. Bytes that do not decode are fine (`Ok`).
pub fn exercise_readers(bytes: &[u8], max_states: usize) -> Result<(), RoundTripError> {
    let _ = BlobDump::new(bytes, true).map(|dump| dump.to_text());
    let Ok(records) = read_records(bytes) else {
        return Ok(());
    };
    step_every_dfa(&records, max_states);
    let again = read_records(&write_records(&records)?)?;
    if again == records {
        Ok(())
    } else {
        Err(RoundTripError::Differ)
    }
}

fn step_every_dfa(records: &[ProfileRecord], max_states: usize) {
    for record in records {
        let pdbs = [
            record.xmatch.as_ref().map(|x| &x.pdb),
            record.policydb.as_ref(),
            record.file.as_ref(),
        ];
        for pdb in pdbs.into_iter().flatten() {
            if let Ok(dfa) = DfaTables::parse(&pdb.dfa) {
                for state in 0..dfa.state_count().min(max_states) as u32 {
                    let _ = dfa.transitions(state);
                    let _ = dfa.run(state, b"/etc/passwd\0x");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::{Caps, Pdb, RecordFlags};

    #[test]
    fn a_written_record_round_trips_and_garbage_is_not_an_error() {
        let record = ProfileRecord {
            version: 0x0020_2007,
            name: b"t".to_vec(),
            flags: RecordFlags {
                flags: 0,
                mode: 0,
                audit: 0,
            },
            caps: Caps::new(0, 0, 0),
            policydb: Some(Pdb::packed(vec![0; 8])),
            ..ProfileRecord::default()
        };
        let blob = write_records(&[record]).unwrap();
        exercise_readers(&blob, usize::MAX).unwrap();
        exercise_readers(b"\x04\x08\x00version", usize::MAX).unwrap();
    }
}
