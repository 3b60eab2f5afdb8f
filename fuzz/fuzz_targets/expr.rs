//! `--fail-if` expressions: parse, then resolve and evaluate what parses, so
//! that evaluation (division, comparisons of odd numbers) is fuzzed too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| casim::fuzzing::expression(data));
