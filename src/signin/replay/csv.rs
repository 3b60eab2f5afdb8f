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
    let headers = column_names(path, &headers)?;
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

/// The columns as the record reader knows them. Log Analytics' "Export to
/// CSV" names each datetime column with the time zone it shows its values
/// in: `TimeGenerated [UTC]` is `TimeGenerated`; any other zone (`[Local
/// Time]`, `[UTC+01:00]`) is an error, as those times carry no offset.
fn column_names(path: &Path, headers: &csv::StringRecord) -> Result<Vec<String>, InputError> {
    let mut names = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let zoned = h.strip_suffix(']').and_then(|h| h.rsplit_once(" ["));
        let Some((name, zone)) = zoned.filter(|(_, z)| is_zone(z)) else {
            names.push(h.to_string());
            continue;
        };
        if !zone.eq_ignore_ascii_case("UTC") {
            let help = format!("export again with the display time zone set to UTC: the column reads `{name} [UTC]`");
            return Err(InputError::new(
                path,
                Some(Pos { line: 1, column: column_of(headers, i) }),
                format!("column `{h}` holds times in the portal's display time zone, without an offset"),
            )
            .with_help(Some(help)));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// A time zone as the portal names one: `UTC`, `UTC+01:00`, `Local Time`.
fn is_zone(text: &str) -> bool {
    text.eq_ignore_ascii_case("Local Time") || text.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("UTC"))
}

/// The 1-based column where header `i` starts, counting the commas before it.
fn column_of(headers: &csv::StringRecord, i: usize) -> usize {
    headers.iter().take(i).map(|h| h.chars().count() + 1).sum::<usize>() + 1
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
    fn datetime_columns_named_with_their_zone_read_as_utc_or_not_at_all() {
        let text = "TimeGenerated [UTC],UserPrincipalName\n2026-01-05T09:00:00Z,ann@contoso.com\n";
        let read = rows(Path::new("t.csv"), text).unwrap();
        assert_eq!(read[0].1["TimeGenerated"], "2026-01-05T09:00:00Z");
        let text = "UserPrincipalName,TimeGenerated [Local Time]\nann@contoso.com,1/5/2026 10:00:00 AM\n";
        let e = rows(Path::new("t.csv"), text).unwrap_err();
        assert_eq!(e.pos, Some(Pos { line: 1, column: 19 }));
        assert!(e.message.contains("`TimeGenerated [Local Time]`"), "{}", e.message);
        assert!(e.help.as_deref().is_some_and(|h| h.contains("`TimeGenerated [UTC]`")), "{:?}", e.help);
        assert!(rows(Path::new("t.csv"), "TimeGenerated [UTC+01:00],User\n1,2\n").is_err());
        // A bracket that names no zone is part of the column's name.
        let read = rows(Path::new("t.csv"), "TimeGenerated,Notes [draft]\n1,2\n").unwrap();
        assert_eq!(read[0].1["Notes [draft]"], "2");
    }

    #[test]
    fn a_row_of_another_width_is_an_error_at_its_line() {
        let e = rows(Path::new("t.csv"), "a,b\n1,2\n3\n").unwrap_err().render();
        assert!(e.contains("t.csv:3"), "{e}");
    }
}
