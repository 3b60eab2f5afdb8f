//! A persona file's bytes: every persona file casim accepts must generate a
//! scenario that casim reads back (docs/personas.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    casim::scenario::population::fuzz_personas(data);
});
