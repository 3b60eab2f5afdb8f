//! A sign-in log file's bytes through `casim replay`'s reader, sort and
//! rebuilder (`casim::fuzzing::signin_logs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| casim::fuzzing::signin_logs(data));
