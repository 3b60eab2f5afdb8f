//! The floor of `casim replay` (issue 13, item 9; `bench/replay-scale.sh`):
//! the bare JSON parse of the same NDJSON file, each line read with a
//! buffered reader and parsed into a `serde_json::Value`, nothing else.
//!
//!     target/release/examples/json_floor logs.ndjson
//!
//! Prints `records N, bytes B` on standard error; time it from outside
//! (`/usr/bin/time`), as the script does `casim replay`.

use std::io::BufRead;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path] = args.as_slice() else {
        eprintln!("usage: json_floor FILE.ndjson");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("json_floor: cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let mut input = std::io::BufReader::with_capacity(1 << 18, file);
    let (mut line, mut records, mut bytes) = (Vec::new(), 0u64, 0u64);
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(n) => bytes += n as u64,
            Err(e) => {
                eprintln!("json_floor: {e}");
                return ExitCode::from(1);
            }
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<serde_json::Value>(&line) {
            Ok(v) => {
                records += 1;
                std::hint::black_box(v);
            }
            Err(e) => {
                eprintln!("json_floor: record {}: {e}", records + 1);
                return ExitCode::from(1);
            }
        }
    }
    eprintln!("records {records}, bytes {bytes}");
    ExitCode::SUCCESS
}
