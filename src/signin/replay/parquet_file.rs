//! Parquet exports of sign-in logs (a data lake's, Spark's, `casim logs
//! --format parquet`), row group by row group, each row as the object its
//! NDJSON line would be: column names as keys, a null column left out,
//! timestamps as RFC 3339 text, nested groups, lists and maps as JSON. So the
//! record reader takes a Parquet row exactly as it takes that line.
//!
//! A Parquet file is read from its end (the footer says where each column
//! is), so it must be a file that can seek, never a pipe.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use chrono::{DateTime, SecondsFormat, Utc};
use parquet::file::reader::{ChunkReader, FileReader};
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::record::{Field, Row};
use serde_json::{Map, Number, Value};

use crate::error::InputError;

/// Every Parquet file starts (and ends) with these four bytes.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// What to tell someone who piped a Parquet file in.
pub const NOT_A_PIPE: &str = "a Parquet file is read from its end (its footer says where each column is), so it cannot come from a pipe or a device: save it to a file and give the file";

/// Hands each row of the Parquet file `input` to `each`, with its number
/// (from 1), one row group at a time.
pub fn for_each_row(
    path: &Path,
    input: impl ChunkReader + 'static,
    each: &mut dyn FnMut(usize, Value) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let reader = guarded(path, "", || SerializedFileReader::new(input))?;
    let mut number = 0;
    for g in 0..reader.num_row_groups() {
        let at = format!("row group {}: ", g + 1);
        let group = guarded(path, &at, || reader.get_row_group(g))?;
        let mut rows = guarded(path, &at, || group.get_row_iter(None))?;
        while let Some(row) = guarded(path, &at, || rows.next().transpose())? {
            number += 1;
            each(number, Value::Object(object(row)))?;
        }
    }
    Ok(())
}

/// A call into the parquet crate, its error or panic as the file's error.
/// The crate checks what it reads, but damaged metadata still makes it
/// panic (an offset out of range, a negative length): a damaged file must be
/// an error, not a crash, and not a panic message either.
fn guarded<T>(path: &Path, at: &str, f: impl FnOnce() -> parquet::errors::Result<T>) -> Result<T, InputError> {
    quiet_panic_hook();
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    match result {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(corrupt(path, &format!("{at}{e}"))),
        Err(_) => Err(corrupt(path, &format!("{at}its metadata or pages are damaged"))),
    }
}

thread_local! {
    /// Set while the parquet crate runs on this thread: its panics are caught
    /// and reported as the file's error, so the hook prints nothing for them.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Wraps the panic hook once: silent inside `guarded`, the hook as it was elsewhere.
fn quiet_panic_hook() {
    static WRAP: Once = Once::new();
    WRAP.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// A row's error says "row N", where a text file's says its line.
pub fn at_row(mut e: InputError) -> InputError {
    if let Some(pos) = e.pos.take() {
        e.message = format!("row {}: {}", pos.line, e.message);
    }
    e
}

fn corrupt(path: &Path, what: &str) -> InputError {
    InputError::new(path, None, format!("not a readable Parquet file: {what}")).with_help(Some(
        "give a whole Parquet file of SigninLogs or AADNonInteractiveUserSignInLogs rows (docs/replay.md)".into(),
    ))
}

/// A row as a JSON object, its null columns left out as NDJSON leaves them.
fn object(row: Row) -> Map<String, Value> {
    row.into_columns().into_iter().filter(|(_, f)| !matches!(f, Field::Null)).map(|(k, f)| (k, value(f))).collect()
}

fn value(field: Field) -> Value {
    match field {
        Field::Null => Value::Null,
        Field::Bool(b) => Value::Bool(b),
        Field::Byte(n) => n.into(),
        Field::Short(n) => n.into(),
        Field::Int(n) => n.into(),
        Field::Long(n) => n.into(),
        Field::UByte(n) => n.into(),
        Field::UShort(n) => n.into(),
        Field::UInt(n) => n.into(),
        Field::ULong(n) => n.into(),
        Field::Float16(n) => real(f64::from(n)),
        Field::Float(n) => real(f64::from(n)),
        Field::Double(n) => real(n),
        Field::Str(s) => Value::String(s),
        Field::Bytes(b) => std::str::from_utf8(b.data()).map_or(Value::Null, |s| Value::String(s.into())),
        Field::Date(days) => DateTime::from_timestamp(i64::from(days) * 86_400, 0)
            .map_or(Value::Null, |t| Value::String(t.format("%Y-%m-%d").to_string())),
        Field::TimestampMillis(ms) => time(DateTime::from_timestamp_millis(ms)),
        Field::TimestampMicros(us) => time(DateTime::from_timestamp_micros(us)),
        Field::Group(row) => Value::Object(row.into_columns().into_iter().map(|(k, f)| (k, value(f))).collect()),
        Field::ListInternal(list) => Value::Array(list.elements().iter().cloned().map(value).collect()),
        Field::MapInternal(map) => {
            Value::Object(map.entries().iter().map(|(k, v)| (key(k), value(v.clone()))).collect())
        }
        // Nothing a sign-in record holds: kept as null rather than guessed at.
        Field::Decimal(_) | Field::TimeMillis(_) | Field::TimeMicros(_) => Value::Null,
    }
}

fn real(n: f64) -> Value {
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

fn time(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| Value::String(t.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
}

fn key(field: &Field) -> String {
    match value(field.clone()) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_file_is_an_error_naming_it() {
        let e = {
            let mut each = |_: usize, _: Value| Ok(());
            for_each_row(Path::new("t.parquet"), bytes::Bytes::from_static(b"PAR1 not really"), &mut each)
        };
        let text = e.expect_err("refused").render();
        assert!(text.contains("t.parquet") && text.contains("not a readable Parquet file"), "{text}");
    }
}
