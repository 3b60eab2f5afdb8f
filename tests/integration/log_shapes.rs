//! `casim logs` in Microsoft's shapes through the binary (issue 13, part A):
//! every Log Analytics row of every bundled scenario against the table
//! reference, the diagnostic settings envelope, the admin center's CSV
//! download, Graph's non-nullable properties and the user actions' app ids.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{Scratch, casim, ok, repo};

fn graph(path: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["logs", path, "--format", "json"];
    args.extend_from_slice(extra);
    let doc: Value = serde_json::from_str(&ok(&args)).expect("one JSON document");
    doc["value"].as_array().expect("value").clone()
}

/// The reference's columns per table (name → type), read from the fixture
/// that copies the Azure Monitor pages, not from casim's own list.
fn reference() -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(repo("tests/fixtures/log-analytics/columns.txt")).expect("the fixture");
    let mut tables: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some(name) = line.strip_prefix("table ") {
            current = name.to_string();
            continue;
        }
        let (name, ty) = line.split_once(' ').expect("`Name type`");
        tables.entry(current.clone()).or_default().insert(name.to_string(), ty.to_string());
    }
    tables
}

/// The bundled scenarios `casim logs` takes (a population is written out with
/// `casim generate` first, so its file is not one).
fn bundled_scenarios() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo("scenarios"))
        .expect("scenarios/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| !std::fs::read_to_string(p).expect("a scenario").contains("\npopulation:"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

/// Columns consumers query (issue 13, item 2), in both tables.
const QUERIED: [&str; 11] = [
    "Identity",
    "OperationName",
    "Category",
    "UserAgent",
    "TenantId",
    "SourceSystem",
    "ResultType",
    "ResultDescription",
    "TimeGenerated",
    "Type",
    "UserType",
];

#[test]
fn every_ndjson_row_of_every_bundled_scenario_holds_its_tables_columns_and_types() {
    let tables = reference();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for file in bundled_scenarios() {
        let rows: Vec<Value> = ok(&["logs", &file, "--format", "ndjson"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{file}: bad line {l}: {e}")))
            .collect();
        assert_eq!(rows.len(), graph(&file, &[]).len(), "{file}: one row per record");
        for row in &rows {
            let table = row["Type"].as_str().unwrap_or_else(|| panic!("{file}: no Type in {row}"));
            let columns = tables.get(table).unwrap_or_else(|| panic!("{file}: unknown table {table}"));
            *seen.entry(table.to_string()).or_default() += 1;
            for (name, value) in row.as_object().expect("a row is an object") {
                let ty = columns.get(name).unwrap_or_else(|| panic!("{file}: {name} is not a {table} column"));
                let fits = match ty.as_str() {
                    "string" => value.is_string(),
                    "dynamic" => value.is_object() || value.is_array(),
                    "bool" => value.is_boolean(),
                    "long" => value.is_i64(),
                    "real" => value.is_f64(),
                    "datetime" => value.as_str().is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
                    other => panic!("the fixture has a type {other}"),
                };
                assert!(fits, "{file}: {table}.{name} is {ty}, got {value}");
            }
            for name in QUERIED {
                assert!(row.get(name).is_some(), "{file}: {table} row without {name}: {row}");
            }
            assert_eq!(row["OperationName"], "Sign-in activity");
            assert_eq!(row["SourceSystem"], "Azure AD");
            assert!(row["UserType"] == "Member" || row["UserType"] == "Guest", "{row}");
            let interactive = row["IsInteractive"].as_bool().expect("IsInteractive");
            let (name, category) = if interactive {
                ("SigninLogs", "SignInLogs")
            } else {
                ("AADNonInteractiveUserSignInLogs", "NonInteractiveUserSignInLogs")
            };
            assert_eq!((table, row["Category"].as_str()), (name, Some(category)));
            // The JSON a string column holds is JSON.
            for text_json in ["AuthenticationDetails", "SessionLifetimePolicies"] {
                let text = row[text_json].as_str().expect("text");
                assert!(serde_json::from_str::<Value>(text).is_ok_and(|v| v.is_array()), "{text_json}: {text}");
            }
            let status = match &row["Status"] {
                Value::String(text) => serde_json::from_str(text).expect("Status text is JSON"),
                other => other.clone(),
            };
            assert_eq!(row["ResultType"], status["errorCode"].to_string(), "ResultType is the error code as text");
            if interactive {
                assert!(row["AADTenantId"].is_string() && row["AADTenantId"] != row["TenantId"]);
            }
        }
    }
    assert!(seen.get("SigninLogs").is_some_and(|n| *n > 50), "{seen:?}");
    assert!(seen.get("AADNonInteractiveUserSignInLogs").is_some_and(|n| *n > 50), "{seen:?}");
}

#[test]
fn graph_records_carry_the_non_nullable_properties_and_guid_app_ids() {
    for file in bundled_scenarios() {
        for r in graph(&file, &[]) {
            for key in ["id", "createdDateTime", "userId", "servicePrincipalId"] {
                assert!(r[key].is_string(), "{file}: {key} missing in {r}");
            }
            assert_eq!(r["servicePrincipalId"], "");
            for key in ["appId", "resourceId"] {
                let id = r[key].as_str().expect("an id");
                assert!(
                    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4,
                    "{file}: {key} `{id}` is not a GUID"
                );
            }
            assert!(r["userAgent"].is_string());
        }
    }
}

#[test]
fn a_user_actions_records_name_an_application_and_the_action_still_filters_them() {
    let file = repo("scenarios/conditions-over-time.yaml");
    let action = graph(&file, &["--app", "register_security_info"]);
    assert!(!action.is_empty());
    let id = action[0]["appId"].as_str().unwrap().to_string();
    assert!(!id.starts_with("urn:"), "{id}");
    assert_eq!(graph(&file, &["--app", &id]).len(), action.len(), "--app takes the logged id");
    assert_eq!(graph(&file, &["--app", "urn:user:registersecurityinfo"]).len(), action.len());

    let dir = Scratch::new("register-device");
    let yaml = "name: join\nstart: 2026-01-05T00:00:00Z\nusers:\n  ada: {}\ndevices:\n  pc: { owner: ada, join: unregistered }\n\
                timeline:\n  - { at: \"09:00\", do: register_device, device: pc }\n";
    let join = dir.write_arg("join.yaml", yaml);
    let records = graph(&join, &["--app", "register_device"]);
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| r["appId"] == "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"
        && r["appDisplayName"] == "Device Registration Service"
        && r["resourceId"] == r["appId"]));
    assert_eq!(graph(&join, &["--app", "Device Registration Service"]).len(), records.len());
}

#[test]
fn the_diagnostic_envelope_wraps_each_graph_record() {
    let file = repo("scenarios/example-3-scenario-2.yaml");
    let doc: Value = serde_json::from_str(&ok(&["logs", &file, "--format", "diagnostic"])).expect("one document");
    let records = doc["records"].as_array().expect("records");
    let plain = graph(&file, &[]);
    assert_eq!(records.len(), plain.len());
    for (d, g) in records.iter().zip(&plain) {
        let category = if g["isInteractive"] == true { "SignInLogs" } else { "NonInteractiveUserSignInLogs" };
        assert_eq!(d["category"], category);
        assert_eq!(d["time"], g["createdDateTime"]);
        assert_eq!(d["resultType"], g["status"]["errorCode"].to_string());
        assert_eq!(d["callerIpAddress"], g["ipAddress"]);
        assert_eq!(d["correlationId"], g["correlationId"]);
        assert_eq!(d["tenantId"], g["resourceTenantId"]);
        assert_eq!(d["operationName"], "Sign-in activity");
        assert_eq!(d["resultSignature"], "None");
        assert_eq!(d["Level"], 4);
        assert_eq!(d["durationMs"], 0);
        let mut properties = d["properties"].clone();
        assert_eq!(properties["userType"], "Member");
        properties["userType"] = "member".into();
        assert_eq!(&properties, g, "properties is the Graph record but for userType");
    }
}

/// Cells of a CSV line whose every field is quoted.
fn quoted_cells(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')).expect("a quoted line");
    inner.split("\",\"").map(|c| c.replace("\"\"", "\"")).collect()
}

#[test]
fn admin_csv_is_one_download_per_tab_with_the_portals_header() {
    let file = repo("scenarios/example-3-scenario-2.yaml");
    for (flag, interactive) in [("--interactive", true), ("--non-interactive", false)] {
        let text = ok(&["logs", &file, flag, "--format", "admin-csv"]);
        assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF lines");
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        let header = quoted_cells(lines[0]);
        assert_eq!(header.len(), 57);
        assert_eq!(&header[..4], ["Date (UTC)", "Request ID", "User agent", "Correlation ID"]);
        assert_eq!(header[17], "Application ID ");
        assert_eq!(header[46], "Autonomous system  number");
        let records = graph(&file, &[flag]);
        assert_eq!(lines.len() - 1, records.len());
        assert!(records.iter().all(|r| r["isInteractive"] == interactive));
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        for (line, r) in lines[1..].iter().zip(&records) {
            let cells = quoted_cells(line);
            assert_eq!(cells.len(), header.len(), "{line}");
            assert_eq!(cells[col("Request ID")], r["id"].as_str().unwrap());
            assert_eq!(cells[col("Date (UTC)")], r["createdDateTime"].as_str().unwrap());
            assert_eq!(cells[col("Sign-in error code")], r["status"]["errorCode"].to_string());
            let status = &cells[col("Status")];
            assert!(if r["status"]["errorCode"] == 0 { status == "Success" } else { status != "Success" });
            assert_eq!(cells[col("Application ID ")], r["appId"].as_str().unwrap());
        }
    }
    let output = casim(&["logs", &file, "--format", "admin-csv"]);
    assert_eq!(output.status.code(), Some(2), "admin-csv needs a tab");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--interactive or --non-interactive"));
    assert!(output.stdout.is_empty());
    for format in ["admin-csv", "diagnostic"] {
        let output = casim(&["logs", &file, "--non-interactive", "--aggregate", "1h", "--format", format]);
        assert_eq!(output.status.code(), Some(2), "{format} holds records, not groups");
    }
}
