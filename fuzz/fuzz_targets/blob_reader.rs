//! The blob reader on arbitrary bytes: dump, decode, parse and run every
//! DFA; whatever decodes must re-encode to the same records.
#![no_main]

use aaprof::blob::dump::BlobDump;
use aaprof::blob::{read_records, write_records};
use aaprof::tables::read::DfaTables;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = BlobDump::new(data, true).map(|dump| dump.to_text());
    let Ok(records) = read_records(data) else {
        return;
    };
    for record in &records {
        let pdbs = [
            record.xmatch.as_ref().map(|x| &x.pdb),
            record.policydb.as_ref(),
            record.file.as_ref(),
        ];
        for pdb in pdbs.into_iter().flatten() {
            if let Ok(dfa) = DfaTables::parse(&pdb.dfa) {
                for state in 0..dfa.state_count().min(4096) as u32 {
                    let _ = dfa.transitions(state);
                    let _ = dfa.run(state, b"/etc/passwd\0x");
                }
            }
        }
    }
    let again = write_records(&records).expect("decoded records re-encode");
    assert_eq!(read_records(&again).expect("re-encoded blob decodes"), records);
});
