//! A scenario file's bytes through the reader: decode, parse, resolve.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = casim::scenario::from_bytes(std::path::Path::new("fuzz.yaml"), data);
});
