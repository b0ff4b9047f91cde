//! The blob reader on arbitrary bytes: dump, decode, parse and run every
//! DFA; whatever decodes must re-encode to the same records.
#![no_main]

use aaprof::blob::selfcheck::exercise_readers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exercise_readers(data, 4096).expect("whatever decodes round-trips");
});
