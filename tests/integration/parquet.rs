//! Parquet sign-in logs (issue 14, item 3; docs/logs.md, docs/replay.md):
//! `casim logs --format parquet -o FILE` holds the rows of `--format ndjson`
//! in Log Analytics' columns and types, and `casim replay` of the file
//! prints byte for byte what the replay of its NDJSON twin prints.

use std::path::{Path, PathBuf};

use parquet::basic::{LogicalType, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;

use crate::common::{Scratch, casim};

const SIF: &str = "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n";

fn ok_in(dir: &Path, args: &[&str], env: (&str, &str)) -> Vec<u8> {
    let output = assert_cmd::Command::cargo_bin("casim")
        .unwrap()
        .current_dir(dir)
        .env(env.0, env.1)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "casim {args:?} failed:\n{stderr}");
    output.stdout
}

/// A generated population's logs as `ndjson/logs` and `parquet/logs`: the
/// same name (replay's output names its file), no extension (Parquet is
/// known by its magic bytes).
fn twins(scratch: &Scratch, users: &str) -> (PathBuf, PathBuf) {
    let generated = casim(&["generate", "--users", users, "--days", "3", "--seed", "5"]);
    let generated = scratch.write_bytes("generated.yaml", &generated.stdout);
    let ndjson = casim(&["logs", generated.to_str().unwrap(), "--format", "ndjson"]);
    assert_eq!(ndjson.status.code(), Some(0));
    let ndjson_dir = scratch.dir.join("ndjson");
    scratch.write_bytes("ndjson/logs", &ndjson.stdout);
    let parquet_dir = scratch.dir.join("parquet");
    std::fs::create_dir_all(&parquet_dir).unwrap();
    let file = parquet_dir.join("logs");
    let out = casim(&["logs", generated.to_str().unwrap(), "--format", "parquet", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    (ndjson_dir, parquet_dir)
}

#[test]
fn a_parquet_file_replays_byte_for_byte_like_its_ndjson_twin() {
    let scratch = Scratch::new("parquet-replay");
    let (ndjson, parquet) = twins(&scratch, "12");
    let sif = scratch.write("sif.yaml", SIF);
    let sif = sif.to_str().unwrap();
    for args in [
        &["replay", "logs", "--policies", sif][..],
        &["replay", "logs", "--policies", sif, "--format", "json"],
        &["replay", "logs", "--baseline", "none", "--proposed", sif],
        &["replay", "logs", "--baseline", "none", "--proposed", sif, "--format", "json"],
        &["replay", "logs", "--policies", sif, "--calibrate"],
    ] {
        let twin = ok_in(&ndjson, args, ("CASIM_REPLAY_MEMORY", "1000000000"));
        assert!(twin.len() > 200, "{args:?}");
        assert!(ok_in(&parquet, args, ("CASIM_REPLAY_MEMORY", "1000000000")) == twin, "{args:?}");
        // Sorted in runs kept in temporary files: still the same.
        assert!(ok_in(&parquet, args, ("CASIM_REPLAY_MEMORY", "4000")) == twin, "spilled, {args:?}");
    }
}

/// Log Analytics' type of each column of the reference.
fn reference_types() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(crate::common::repo("tests/fixtures/log-analytics/columns.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("table "))
        .filter_map(|l| l.split_once(' ').map(|(n, t)| (n.to_string(), t.trim().to_string())))
        .collect()
}

/// Every column is a reference column, typed as Log Analytics' export types
/// it; every row holds its NDJSON twin's values.
#[test]
fn parquet_rows_hold_the_ndjson_rows_in_log_analytics_types() {
    let scratch = Scratch::new("parquet-columns");
    let (ndjson, parquet) = twins(&scratch, "3");
    let reader = SerializedFileReader::new(std::fs::File::open(parquet.join("logs")).unwrap()).unwrap();
    let reference = reference_types();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    for column in schema.columns() {
        let name = column.name();
        let types: Vec<&str> = reference.iter().filter(|(n, _)| n == name).map(|(_, t)| t.as_str()).collect();
        assert!(!types.is_empty(), "{name} is not a Log Analytics column");
        let logical = column.logical_type_ref();
        let physical = column.physical_type();
        for ty in types {
            let fits = match ty {
                "string" | "dynamic" => physical == Physical::BYTE_ARRAY && logical == Some(&LogicalType::String),
                "datetime" => {
                    physical == Physical::INT64
                        && matches!(logical, Some(LogicalType::Timestamp(t)) if t.is_adjusted_to_u_t_c)
                }
                "bool" => physical == Physical::BOOLEAN,
                "long" => physical == Physical::INT64 && logical.is_none(),
                "real" => physical == Physical::DOUBLE,
                other => panic!("{other}"),
            };
            assert!(fits, "{name}: {physical:?} {logical:?} for {ty}");
        }
    }
    let lines = std::fs::read_to_string(ndjson.join("logs")).unwrap();
    let rows: Vec<_> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), lines.lines().count());
    for (row, line) in rows.iter().zip(lines.lines()) {
        let twin: serde_json::Map<String, Value> = serde_json::from_str(line).unwrap();
        let mut held = 0;
        for (name, field) in row.get_column_iter() {
            let want = twin.get(name);
            match (field, want) {
                (Field::Null, None) => continue,
                (Field::Str(s), Some(Value::String(w))) => assert_eq!(s, w, "{name}"),
                (Field::Str(s), Some(w)) => assert_eq!(&serde_json::from_str::<Value>(s).unwrap(), w, "{name}"),
                (Field::TimestampMicros(us), Some(Value::String(w))) => {
                    let t = chrono::DateTime::parse_from_rfc3339(w).unwrap();
                    assert_eq!(*us, t.timestamp_micros(), "{name}");
                }
                (Field::Bool(b), Some(Value::Bool(w))) => assert_eq!(b, w, "{name}"),
                (Field::Long(n), Some(w)) => assert_eq!(Some(*n), w.as_i64(), "{name}"),
                (f, w) => panic!("{name}: {f:?} for {w:?}"),
            }
            held += 1;
        }
        assert_eq!(held, twin.len(), "every NDJSON column is in the row");
    }
}

#[test]
fn parquet_needs_a_file_and_takes_no_groups() {
    let scratch = Scratch::new("parquet-flags");
    let scenario = crate::common::repo("scenarios/example-1-continuous-work.yaml");
    let out = casim(&["logs", &scenario, "--format", "parquet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs -o FILE"));
    assert!(out.stdout.is_empty(), "no binary on standard output");
    let file = scratch.dir.join("l.parquet");
    let out = casim(&["logs", &scenario, "--format", "parquet", "--aggregate", "1h", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!file.exists());
    // -o takes the text formats too, the same bytes as standard output.
    let text = scratch.dir.join("l.ndjson");
    assert_eq!(casim(&["logs", &scenario, "--format", "ndjson", "-o", text.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(std::fs::read(&text).unwrap(), casim(&["logs", &scenario, "--format", "ndjson"]).stdout);
}

#[test]
fn a_bad_or_piped_parquet_file_exits_2_naming_it() {
    let scratch = Scratch::new("parquet-bad");
    let (_, parquet) = twins(&scratch, "2");
    let whole = std::fs::read(parquet.join("logs")).unwrap();
    let refused = |file: &Path, expected: &str| {
        let out = casim(&["replay", file.to_str().unwrap(), "--policies", "none"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(file.file_name().unwrap().to_str().unwrap()) && stderr.contains(expected), "{stderr}");
    };
    let cut = scratch.write_bytes("cut.parquet", &whole[..whole.len() / 2]);
    refused(&cut, "not a readable Parquet file");
    let mut flipped = whole.clone();
    for b in flipped[8..whole.len() / 2].iter_mut().step_by(97) {
        *b ^= 0x5a;
    }
    let flipped = scratch.write_bytes("flipped.parquet", &flipped);
    refused(&flipped, "not a readable Parquet file");
    // Metadata that makes the parquet crate panic (found by mutation): still an error, with no panic message.
    let damaged =
        std::path::PathBuf::from(crate::common::repo("fuzz/regressions/signin_logs/parquet-damaged-row-group.parquet"));
    refused(&damaged, "damaged");
    // Parquet, but not sign-ins.
    let other = scratch.dir.join("other.parquet");
    write_other(&other);
    refused(&other, "row 1: this is not sign-in logs");
    let out = assert_cmd::Command::cargo_bin("casim")
        .unwrap()
        .args(["replay", "/dev/stdin", "--policies", "none"])
        .write_stdin(whole)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot come from a pipe"));
    let out = assert_cmd::Command::cargo_bin("casim")
        .unwrap()
        .args(["replay", "--stdin", "--policies", "none"])
        .write_stdin(std::fs::read(parquet.join("logs")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot come from a pipe"));
}

/// A Parquet file of something else: a name and a size per row.
fn write_other(path: &Path) {
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::writer::SerializedFileWriter;
    let schema = parquet::schema::parser::parse_message_type(
        "message other { required binary name (STRING); required int64 size; }",
    )
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema.into(), Default::default()).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut name = group.next_column().unwrap().unwrap();
    name.typed::<ByteArrayType>().write_batch(&[ByteArray::from("a"), ByteArray::from("b")], None, None).unwrap();
    name.close().unwrap();
    let mut size = group.next_column().unwrap().unwrap();
    size.typed::<Int64Type>().write_batch(&[1, 2], None, None).unwrap();
    size.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
}

/// `casim run --format parquet`: a row per prompt, the JSON items' keys as
/// columns in their order, the same values.
#[test]
fn prompts_as_parquet_hold_the_json_prompts() {
    let scratch = Scratch::new("parquet-prompts");
    let generated = casim(&["generate", "--users", "6", "--days", "3", "--seed", "5"]);
    let generated = scratch.write_bytes("generated.yaml", &generated.stdout);
    let sif = scratch.write("sif.yaml", SIF);
    let (generated, sif) = (generated.to_str().unwrap(), sif.to_str().unwrap());
    let json = casim(&["run", generated, "--policies", sif, "--format", "json"]);
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let file = scratch.dir.join("prompts.parquet");
    let out = casim(&["run", generated, "--policies", sif, "--format", "parquet", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let reader = SerializedFileReader::new(std::fs::File::open(&file).unwrap()).unwrap();
    let rows: Vec<_> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
    let items = json["prompts"].as_array().unwrap();
    assert!(items.len() > 10);
    assert_eq!(rows.len(), items.len());
    for (row, item) in rows.iter().zip(items) {
        let item = item.as_object().unwrap();
        let names: Vec<&String> = row.get_column_iter().map(|(n, _)| n).collect();
        assert_eq!(names, item.keys().collect::<Vec<_>>(), "the JSON keys, in order");
        for (name, field) in row.get_column_iter() {
            match (field, &item[name]) {
                (Field::Null, Value::Null) => {}
                (Field::Str(s), Value::String(w)) => assert_eq!(s, w, "{name}"),
                (Field::TimestampMicros(us), Value::String(w)) => {
                    assert_eq!(*us, chrono::DateTime::parse_from_rfc3339(w).unwrap().timestamp_micros(), "{name}")
                }
                (Field::Bool(b), Value::Bool(w)) => assert_eq!(b, w, "{name}"),
                (Field::Long(n), w) => assert_eq!(Some(*n), w.as_i64(), "{name}"),
                (f, w) => panic!("{name}: {f:?} for {w:?}"),
            }
        }
    }
    let out = casim(&["run", generated, "--format", "parquet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// Kusto's default Parquet writer stores `datetime` as INT96 (docs/replay.md):
/// such a file replays like the same rows with RFC 3339 text.
#[test]
fn int96_timestamps_read_as_their_instant() {
    use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int96, Int96Type};
    use parquet::file::writer::SerializedFileWriter;
    let scratch = Scratch::new("parquet-int96");
    let schema = parquet::schema::parser::parse_message_type(
        "message kusto { optional int96 TimeGenerated; optional binary UserPrincipalName (STRING);
         optional binary AppId (STRING); optional binary ClientAppUsed (STRING); optional boolean IsInteractive;
         optional binary ResultType (STRING); optional binary DeviceDetail (STRING); }",
    )
    .unwrap();
    let path = scratch.dir.join("kusto.parquet");
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(&path).unwrap(), schema.into(), Default::default()).unwrap();
    let mut group = writer.next_row_group().unwrap();
    // 2026-01-05T09:00:00Z: Julian day 2461046, 9 hours of nanoseconds.
    let nanos: u64 = 9 * 3600 * 1_000_000_000;
    let mut time = Int96::new();
    time.set_data(nanos as u32, (nanos >> 32) as u32, 2_461_046);
    let text = |s: &str| vec![ByteArray::from(s)];
    let mut column = group.next_column().unwrap().unwrap();
    column.typed::<Int96Type>().write_batch(&[time], Some(&[1]), None).unwrap();
    column.close().unwrap();
    for value in ["ann@contoso.com", "00000003-0000-0ff1-ce00-000000000000", "Browser"] {
        let mut column = group.next_column().unwrap().unwrap();
        column.typed::<ByteArrayType>().write_batch(&text(value), Some(&[1]), None).unwrap();
        column.close().unwrap();
    }
    let mut column = group.next_column().unwrap().unwrap();
    column.typed::<BoolType>().write_batch(&[true], Some(&[1]), None).unwrap();
    column.close().unwrap();
    for value in ["0", r#"{"deviceId":"","operatingSystem":"Windows10","browser":"Edge 131.0.0"}"#] {
        let mut column = group.next_column().unwrap().unwrap();
        column.typed::<ByteArrayType>().write_batch(&text(value), Some(&[1]), None).unwrap();
        column.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
    let line = r#"{"TimeGenerated":"2026-01-05T09:00:00Z","UserPrincipalName":"ann@contoso.com","AppId":"00000003-0000-0ff1-ce00-000000000000","ClientAppUsed":"Browser","IsInteractive":true,"ResultType":"0","DeviceDetail":"{\"deviceId\":\"\",\"operatingSystem\":\"Windows10\",\"browser\":\"Edge 131.0.0\"}"}"#;
    let twin = scratch.write("twin.ndjson", &format!("{line}\n"));
    let replay = |file: &Path| {
        let out = casim(&["replay", file.to_str().unwrap(), "--policies", "none", "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_object_mut().unwrap().retain(|k, _| k != "scenario" && k != "file");
        v
    };
    let (parquet, ndjson) = (replay(&path), replay(&twin));
    assert_eq!(parquet["prompts"][0]["at"], "2026-01-05T09:00:00Z", "{parquet}");
    assert_eq!(parquet, ndjson);
}
