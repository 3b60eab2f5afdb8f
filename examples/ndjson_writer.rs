//! A plain serde_json writer of given records, the yardstick of `casim logs`
//! (issue 11, item 4; `bench/logs-vs-serde.sh`). Reads NDJSON on standard
//! input, parses each line into a `serde_json::Value` (not timed), and writes
//! it back with `serde_json::to_writer` and a newline to a buffered standard
//! output (timed): the cost of writing the same records with nothing else.
//!
//!     casim logs file.yaml --format ndjson > /tmp/records.ndjson
//!     target/release/examples/ndjson_writer < /tmp/records.ndjson > /dev/null
//!
//! Prints `records N, bytes B, write_seconds S` on standard error; under
//! callgrind, `write_record`'s inclusive count is the writing's instructions.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One record and its newline: the timed part, a function of its own so
/// callgrind can count its instructions (`bench/logs-vs-serde.sh -i`).
#[inline(never)]
fn write_record(out: &mut impl Write, value: &serde_json::Value) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: ndjson_writer < records.ndjson > out.ndjson   (reads standard input; takes no arguments)");
        return ExitCode::from(2);
    }
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let (mut records, mut bytes, mut writing) = (0u64, 0u64, Duration::ZERO);
    for (n, line) in stdin.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("ndjson_writer: cannot read line {}: {e}", n + 1);
                return ExitCode::FAILURE;
            }
        };
        // One record at a time, as casim writes them: memory stays flat.
        let value: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("ndjson_writer: line {} is not JSON: {e}", n + 1);
                return ExitCode::FAILURE;
            }
        };
        let started = Instant::now();
        let written = write_record(&mut out, &value);
        writing += started.elapsed();
        if let Err(e) = written {
            eprintln!("ndjson_writer: cannot write: {e}");
            return ExitCode::FAILURE;
        }
        records += 1;
        bytes += line.len() as u64 + 1;
    }
    let started = Instant::now();
    if let Err(e) = out.flush() {
        eprintln!("ndjson_writer: cannot write: {e}");
        return ExitCode::FAILURE;
    }
    writing += started.elapsed();
    eprintln!("records {records}, bytes {bytes}, write_seconds {:.3}", writing.as_secs_f64());
    ExitCode::SUCCESS
}
