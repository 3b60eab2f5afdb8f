//! CSV exports (Log Analytics' "Export to CSV", the admin center's download):
//! a header row naming the columns, then one record per row, read by the
//! `csv` crate (RFC 4180: quoted fields, doubled quotes, line breaks inside
//! quotes). Each row becomes an object keyed by its header, so the record
//! reader matches columns as it matches JSON keys, whatever their order.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{InputError, Pos};

/// Hands each row of `input` to `each` as an object, with the line it
/// starts on, one at a time; `interactive` marks rows without an
/// interactive column as interactive (the admin center's interactive file).
pub fn for_each_row(
    path: &Path,
    input: impl Read,
    interactive: bool,
    each: &mut dyn FnMut(usize, Value) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = reader.headers().map_err(|e| error(path, &e))?.clone();
    if headers.len() < 2 {
        return Err(InputError::new(
            path,
            Some(Pos { line: 1, column: 1 }),
            "this is not sign-in logs: expected JSON, NDJSON or a CSV header row",
        ));
    }
    let marks = interactive && !headers.iter().any(|h| super::read::same_key(h, "isInteractive"));
    let mut row = csv::StringRecord::new();
    while reader.read_record(&mut row).map_err(|e| error(path, &e))? {
        let line = row.position().map_or(0, |p| p.line() as usize);
        let mut obj: Map<String, Value> =
            headers.iter().zip(row.iter()).map(|(h, v)| (h.to_string(), Value::String(v.to_string()))).collect();
        if marks {
            obj.insert("isInteractive".into(), Value::Bool(true));
        }
        each(line, Value::Object(obj))?;
    }
    Ok(())
}

fn error(path: &Path, e: &csv::Error) -> InputError {
    let line = e.position().map_or(1, |p| p.line() as usize);
    InputError::new(path, Some(Pos { line, column: 1 }), format!("not CSV sign-in logs: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(path: &Path, text: &str) -> Result<Vec<(usize, Value)>, InputError> {
        let mut out = Vec::new();
        for_each_row(path, text.as_bytes(), false, &mut |line, v| {
            out.push((line, v));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn quoted_fields_and_json_columns_read_back() {
        let text = "TimeGenerated,UserPrincipalName,DeviceDetail\n\"2026-01-05T09:00:00Z\",ann@contoso.com,\"{\"\"deviceId\"\":\"\"d1\"\"}\"\n";
        let rows = rows(Path::new("t.csv"), text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1["DeviceDetail"], "{\"deviceId\":\"d1\"}");
    }

    #[test]
    fn a_row_of_another_width_is_an_error_at_its_line() {
        let e = rows(Path::new("t.csv"), "a,b\n1,2\n3\n").unwrap_err().render();
        assert!(e.contains("t.csv:3"), "{e}");
    }
}
