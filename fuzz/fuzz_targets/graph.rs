//! A Graph export file's bytes through the policy reader, against a scenario
//! with the built-in apps only (what `casim policies` reads them against).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| casim::fuzzing::graph_export(data));
