//! A scenario file's bytes through the reader: decode, parse, resolve.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| casim::fuzzing::scenario(data));
