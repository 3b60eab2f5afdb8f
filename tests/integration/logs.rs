//! `casim logs` and `casim explain` through the binary (R-LOG-1..4): the Graph
//! list shape, the records the documented examples must produce, the Log
//! Analytics and CSV shapes, filters, aggregation (R-LOG-2), determinism
//! (R-DET-1), the activity-details page and the error exits.

use std::path::Path;

use serde_json::Value;

use crate::common::{Scratch, casim, ok};

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

/// stdout of a run that must succeed.
/// stderr of a run that must exit with status 2 (and print nothing on stdout).
fn fails(args: &[&str]) -> String {
    let output = casim(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "casim {args:?} should exit 2; stderr:\n{stderr}");
    assert!(output.stdout.is_empty(), "casim {args:?} printed records before failing");
    stderr
}

/// The `value` list of `casim logs --format json`.
fn records(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["logs"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let doc: Value = serde_json::from_str(&ok(&all)).expect("logs --format json is one JSON document");
    doc["value"].as_array().expect("a `value` list").clone()
}

fn at(r: &Value) -> &str {
    r["createdDateTime"].as_str().expect("createdDateTime")
}

fn ndjson(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad ndjson line {l}: {e}"))).collect()
}

const EXAMPLE_2: &str = "scenarios/example-2-background-upload.yaml";
const EXAMPLE_3_2: &str = "scenarios/example-3-scenario-2.yaml";
const NATIVE: &str = "scenarios/native-background-refresh.yaml";
const REPORT_ONLY: &str = "scenarios/report-only.yaml";
const BENCH: &str = "bench/year-one-user.yaml";

/// Two users; bob works in SharePoint in a browser, alice has Outlook desktop
/// syncing in the background (renewed every 30 minutes); a custom app whose
/// name needs CSV quoting; a disabled policy.
const TWO_USERS: &str = r#"
name: two users
start: 2026-01-05T00:00:00Z
settings: { access_token_lifetime: 30m }
users:
  alice: { upn: alice@contoso.com }
  bob: { upn: Bob.Smith@contoso.com }
devices:
  laptop: { owner: alice, join: entra_joined, browser: edge }
  pc: { owner: bob, join: entra_joined, browser: edge }
apps:
  payroll: { name: 'Contoso "Payroll", EU', app_id: 7f3c2d10-5e4b-4a8c-9d2e-1b6f0a9c8e71 }
policies:
  - name: SIF 8 hours
    users: all
    apps: all
    session: { sign_in_frequency: 8h }
  - name: Old block
    state: disabled
    users: all
    apps: all
    grant: block
timeline:
  - { at: "08:00", do: sign_in_device, device: laptop }
  - { at: "08:00", do: background, device: laptop, app: exchange, client: desktop, until: "11:00" }
  - { at: "09:00", do: sign_in_device, device: pc }
  - { at: "09:00", do: use, device: pc, app: sharepoint, client: browser, until: "10:30" }
  - { at: "09:15", do: use, device: pc, app: payroll, client: browser }
"#;

// ----- the Graph list ------------------------------------------------------------

/// R-LOG-4.
#[test]
fn json_is_a_graph_list_response_in_time_order() {
    let text = ok(&["logs", &repo(EXAMPLE_2), "--format", "json"]);
    let doc: Value = serde_json::from_str(&text).expect("one JSON document");
    assert_eq!(doc["@odata.context"], "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns");
    let value = doc["value"].as_array().expect("value is a list");
    assert!(value.len() >= 6, "{value:?}");
    let times: Vec<&str> = value.iter().map(at).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "records are written in time order");
    for r in value {
        for key in ["id", "correlationId", "userPrincipalName", "appId", "resourceId", "ipAddress", "status"] {
            assert!(!r[key].is_null(), "{key} missing in {r}");
        }
        let kind = if r["isInteractive"] == true { "interactiveUser" } else { "nonInteractiveUser" };
        assert_eq!(r["signInEventTypes"][0], kind);
    }
    let ids: std::collections::BTreeSet<&str> = value.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), value.len(), "request ids are unique");
}

#[test]
fn a_scenario_with_no_record_is_an_empty_list() {
    let scratch = Scratch::new("empty");
    let file = scratch.write_arg(
        "empty.yaml",
        "name: empty\nusers:\n  alice: {}\ndevices:\n  laptop: { owner: alice, join: entra_joined }\ntimeline:\n  - { at: \"00:00\", do: lock, device: laptop }\n",
    );
    let doc: Value = serde_json::from_str(&ok(&["logs", &file])).expect("valid JSON");
    assert_eq!(doc["value"], Value::Array(vec![]));
}

// ----- the documented examples --------------------------------------------------

#[test]
fn example_2_background_renewals_are_deferred_and_the_user_reauthenticates_at_02_45() {
    let all = records(&[&repo(EXAMPLE_2)]);
    for hour in ["2026-01-05T01:00:00Z", "2026-01-05T02:00:00Z"] {
        let r = all
            .iter()
            .find(|r| at(r) == hour && r["isInteractive"] == false)
            .unwrap_or_else(|| panic!("no non-interactive renewal at {hour}"));
        assert_eq!(r["status"]["errorCode"], 0, "{r}");
        assert_eq!(r["clientAppUsed"], "Browser");
        let details = r["status"]["additionalDetails"].as_str().expect("additionalDetails explains the deferral");
        assert!(details.contains("deferred") && details.contains("R-DEF-1"), "{details}");
    }
    let answer = all
        .iter()
        .find(|r| at(r) == "2026-01-05T02:45:00Z" && r["isInteractive"] == true && r["status"]["errorCode"] == 0)
        .expect("an interactive success at 02:45");
    let lifetimes: Vec<&str> = answer["sessionLifetimePolicies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["expirationRequirement"].as_str().unwrap())
        .collect();
    assert_eq!(lifetimes, ["signInFrequencyPeriodicReauthentication"]);
    assert_eq!(answer["conditionalAccessStatus"], "success");
    assert!(
        !all.iter()
            .any(|r| at(r) > "2026-01-05T00:00:00Z" && at(r) < "2026-01-05T02:45:00Z" && r["isInteractive"] == true),
        "nobody signs in interactively while the upload runs"
    );
}

#[test]
fn a_native_background_refresh_refused_by_sif_is_a_non_interactive_70043() {
    let all = records(&[&repo(NATIVE)]);
    let refusals: Vec<&Value> = all.iter().filter(|r| r["status"]["errorCode"] == 70043).collect();
    let times: Vec<&str> = refusals.iter().map(|r| at(r)).collect();
    assert_eq!(times, ["2026-01-05T11:00:00Z", "2026-01-05T14:00:00Z"]);
    for r in refusals {
        assert_eq!(r["isInteractive"], false, "{r}");
        assert_eq!(r["signInEventTypes"][0], "nonInteractiveUser");
        assert_eq!(r["clientAppUsed"], "Mobile Apps and Desktop clients");
        assert_eq!(r["conditionalAccessStatus"], "failure");
        assert!(r["status"]["failureReason"].as_str().unwrap().contains("sign-in frequency"), "{r}");
    }
}

/// R-CA-3.
#[test]
fn report_only_policies_have_report_only_results_and_disabled_ones_not_enabled() {
    let all = records(&[&repo(REPORT_ONLY)]);
    let result = |time: &str, app: &str, policy: &str| -> String {
        let r = all
            .iter()
            .find(|r| at(r) == time && r["appDisplayName"] == app)
            .unwrap_or_else(|| panic!("no {app} record at {time}"));
        let p = r["appliedConditionalAccessPolicies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["displayName"] == policy)
            .unwrap_or_else(|| panic!("{policy} not listed in {r}"));
        p["result"].as_str().unwrap().to_string()
    };
    assert_eq!(
        result("2026-01-05T09:00:00Z", "Office 365 SharePoint Online", "Proposed SIF 1 hour"),
        "reportOnlySuccess"
    );
    assert_eq!(
        result("2026-01-05T10:00:00Z", "Office 365 SharePoint Online", "Proposed SIF 1 hour"),
        "reportOnlyInterrupted"
    );
    assert_eq!(
        result("2026-01-05T09:30:00Z", "Azure Portal", "Proposed block of the Azure portal"),
        "reportOnlyFailure"
    );
    assert_eq!(
        result("2026-01-05T09:00:00Z", "Office 365 SharePoint Online", "Proposed block of the Azure portal"),
        "reportOnlyNotApplied"
    );
    // Report-only results never change the sign-in's own status.
    assert!(all.iter().all(|r| r["conditionalAccessStatus"] == "notApplied" && r["status"]["errorCode"] == 0));

    let scratch = Scratch::new("disabled");
    let file = scratch.write_arg("two.yaml", TWO_USERS);
    let two = records(&[&file, "--app", "sharepoint"]);
    assert!(!two.is_empty());
    for r in &two {
        let results: Vec<(&str, &str)> = r["appliedConditionalAccessPolicies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["displayName"].as_str().unwrap(), p["result"].as_str().unwrap()))
            .collect();
        assert_eq!(results, [("SIF 8 hours", "success"), ("Old block", "notEnabled")], "{r}");
    }
}

#[test]
fn policies_flag_replaces_the_scenario_policies() {
    let scratch = Scratch::new("policies");
    let policies = scratch.write_arg(
        "proposed.yaml",
        "- name: Proposed block\n  state: disabled\n  users: all\n  apps: all\n  grant: block\n",
    );
    let all = records(&[&repo(EXAMPLE_2), "--policies", &policies, "--non-interactive"]);
    assert!(!all.is_empty());
    for r in &all {
        assert_eq!(r["appliedConditionalAccessPolicies"][0]["displayName"], "Proposed block");
        assert_eq!(r["appliedConditionalAccessPolicies"][0]["result"], "notEnabled");
        assert!(r["status"]["additionalDetails"].is_null(), "no SIF policy, nothing deferred: {r}");
    }
}

#[test]
fn a_confidential_client_keeps_the_ip_address_of_the_original_issuance() {
    let scratch = Scratch::new("r-log-3");
    let file = scratch.write_arg(
        "moves.yaml",
        r#"name: moving laptop
users:
  mia: {}
devices:
  laptop: { owner: mia, join: entra_joined, ip: 198.51.100.10, country: FR }
apps:
  payroll: { name: Contoso Payroll, app_id: 7d1f5a2c-4b3e-4c8a-9f21-1a2b3c4d5e6f }
timeline:
  - { at: "09:00", do: sign_in_device, device: laptop }
  - { at: "09:00", do: use, device: laptop, app: payroll, client: confidential }
  - { at: "09:00", do: background, device: laptop, app: payroll, client: confidential, until: "13:00" }
  - { at: "10:30", do: use, device: laptop, app: sharepoint, client: browser, ip: 203.0.113.99 }
"#,
    );
    let all = records(&[&file]);
    let sharepoint =
        all.iter().find(|r| r["appDisplayName"] == "Office 365 SharePoint Online").expect("a SharePoint record");
    assert_eq!(sharepoint["ipAddress"], "203.0.113.99", "the device moved at 10:30");
    assert_eq!(sharepoint["location"]["countryOrRegion"], "FR");
    let later: Vec<&Value> = all
        .iter()
        .filter(|r| {
            r["appDisplayName"] == "Contoso Payroll" && r["isInteractive"] == false && at(r) > "2026-01-05T10:30:00Z"
        })
        .collect();
    assert!(!later.is_empty(), "the web app keeps refreshing after the move");
    for r in later {
        assert_eq!(r["clientCredentialType"], "clientSecret");
        assert_eq!(r["ipAddress"], "198.51.100.10", "R-LOG-3: the original issuance's address: {r}");
    }
}

// ----- filters ------------------------------------------------------------------

#[test]
fn kind_filters_split_the_log_in_two() {
    let all = records(&[&repo(EXAMPLE_2)]);
    let interactive = records(&[&repo(EXAMPLE_2), "--interactive"]);
    let non = records(&[&repo(EXAMPLE_2), "--non-interactive"]);
    let explicit_all = records(&[&repo(EXAMPLE_2), "--all"]);
    assert!(!interactive.is_empty() && !non.is_empty());
    assert!(interactive.iter().all(|r| r["isInteractive"] == true));
    assert!(non.iter().all(|r| r["isInteractive"] == false));
    assert_eq!(interactive.len() + non.len(), all.len());
    assert_eq!(explicit_all, all);
}

#[test]
fn user_filter_takes_an_id_or_a_upn() {
    let scratch = Scratch::new("user");
    let file = scratch.write_arg("two.yaml", TWO_USERS);
    let by_id = records(&[&file, "--user", "bob"]);
    let by_upn = records(&[&file, "--user", "bob.smith@CONTOSO.com"]);
    assert!(!by_id.is_empty());
    assert!(by_id.iter().all(|r| r["userPrincipalName"] == "bob.smith@contoso.com"), "{by_id:?}");
    assert_eq!(by_id, by_upn);
    let alice = records(&[&file, "--user", "alice"]);
    assert!(alice.iter().all(|r| r["userPrincipalName"] == "alice@contoso.com"));
    assert_eq!(alice.len() + by_id.len(), records(&[&file]).len());
}

#[test]
fn app_filter_takes_a_key_an_app_id_or_a_display_name() {
    let scratch = Scratch::new("app");
    let file = scratch.write_arg("two.yaml", TWO_USERS);
    let by_key = records(&[&file, "--app", "exchange"]);
    assert!(by_key.len() >= 3, "{by_key:?}");
    assert!(by_key.iter().all(|r| r["appId"] == "00000002-0000-0ff1-ce00-000000000000"));
    assert_eq!(records(&[&file, "--app", "00000002-0000-0ff1-ce00-000000000000"]), by_key);
    assert_eq!(records(&[&file, "--app", "Office 365 Exchange Online"]), by_key);
    let payroll = records(&[&file, "--app", "payroll"]);
    assert_eq!(payroll.len(), 1);
    assert_eq!(payroll[0]["appDisplayName"], "Contoso \"Payroll\", EU");
    let device = records(&[&file, "--app", "windows_sign_in"]);
    assert_eq!(device.len(), 2, "one device sign-in per laptop");
    assert!(device.iter().all(|r| r["appDisplayName"] == "Windows Sign In"));
}

#[test]
fn from_is_inclusive_and_to_exclusive_in_every_time_form() {
    // The answer at the 12:00 unlock and its resumed sync are left out: `--to` is exclusive.
    let window = records(&[&repo(NATIVE), "--from", "10:00", "--to", "12:00"]);
    let times: Vec<&str> = window.iter().map(at).collect();
    assert_eq!(times, ["2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z"]);
    let same = records(&[&repo(NATIVE), "--from", "0d 10:00", "--to", "2026-01-05T12:00:00Z"]);
    assert_eq!(same, window);
    let next_day = records(&[&repo(BENCH), "--from", "1d 09:00", "--to", "1d 11:00"]);
    let times: Vec<&str> = next_day.iter().map(at).collect();
    assert_eq!(times, ["2026-01-06T09:00:00Z", "2026-01-06T10:00:00Z"]);
}

// ----- other formats ------------------------------------------------------------

/// R-LOG-4.
#[test]
fn ndjson_rows_are_log_analytics_rows_in_their_two_tables() {
    let rows = ndjson(&ok(&["logs", &repo(NATIVE), "--format", "ndjson"]));
    assert_eq!(rows.len(), records(&[&repo(NATIVE)]).len());
    for row in &rows {
        let interactive = row["IsInteractive"].as_bool().expect("IsInteractive");
        let table = if interactive { "SigninLogs" } else { "AADNonInteractiveUserSignInLogs" };
        assert_eq!(row["Type"], table, "{row}");
        assert!(row["ResultType"].is_string(), "ResultType is a string: {row}");
        assert!(row["TimeGenerated"].is_string() && row["UserPrincipalName"] == "noah@contoso.com");
    }
    let refused: Vec<&Value> = rows.iter().filter(|r| r["ResultType"] == "70043").collect();
    assert_eq!(refused.len(), 2);
    assert!(refused.iter().all(|r| r["Type"] == "AADNonInteractiveUserSignInLogs" && r["ResultSignature"] == "None"));
    assert!(rows.iter().any(|r| r["Type"] == "SigninLogs" && r["ResultType"] == "0"));
}

/// A strict RFC 4180 reader: CRLF line ends, quoted fields with doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF ends a CSV line; RFC 4180 wants CRLF"),
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted && field.is_empty() && row.is_empty(), "the last line ends with CRLF");
    rows
}

#[test]
fn csv_follows_rfc_4180() {
    let scratch = Scratch::new("csv");
    let file = scratch.write_arg("two.yaml", TWO_USERS);
    let text = ok(&["logs", &file, "--format", "csv"]);
    assert!(text.contains("\"Contoso \"\"Payroll\"\", EU\""), "quotes are doubled inside a quoted field:\n{text}");
    let rows = parse_csv(&text);
    assert_eq!(rows[0][0], "createdDateTime");
    assert_eq!(rows.len() - 1, records(&[&file]).len());
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "every row has as many fields as the header");
    let app = rows[0].iter().position(|c| c == "appDisplayName").unwrap();
    assert!(rows.iter().any(|r| r[app] == "Contoso \"Payroll\", EU"));
}

#[test]
fn table_lists_request_ids() {
    let text = ok(&["logs", &repo(EXAMPLE_2), "--format", "table"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("TIME") && lines[0].contains("REQUEST ID"), "{}", lines[0]);
    let all = records(&[&repo(EXAMPLE_2)]);
    assert_eq!(lines.len(), all.len() + 1);
    for (line, r) in lines[1..].iter().zip(&all) {
        assert!(line.contains(r["id"].as_str().unwrap()), "{line}");
    }
}

// ----- aggregation (R-LOG-2) ----------------------------------------------------

fn groups(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["logs"];
    all.extend_from_slice(args);
    let doc: Value = serde_json::from_str(&ok(&all)).expect("one JSON document");
    doc["value"].as_array().expect("value").clone()
}

#[test]
fn aggregate_groups_a_year_of_hourly_renewals_by_day() {
    let days = groups(&[&repo(BENCH), "--aggregate", "24h"]);
    assert_eq!(days.len(), 365, "one group per day of background sync");
    for (i, g) in days.iter().enumerate() {
        assert_eq!(g["signInCount"], 24, "day {i}: {g}");
        assert_eq!(g["signIns"].as_array().unwrap().len(), 24);
        assert!(g["firstDateTime"].as_str().unwrap().ends_with("T00:00:00Z"), "{g}");
        assert!(g["lastDateTime"].as_str().unwrap().ends_with("T23:00:00Z"), "{g}");
        assert_eq!(g["appDisplayName"], "Office 365 Exchange Online");
    }
    let ids: Vec<Value> = days.iter().flat_map(|g| g["signIns"].as_array().unwrap().clone()).collect();
    let non = records(&[&repo(BENCH), "--non-interactive", "--from", "00:00", "--to", "1d 00:00"]);
    let first_day: Vec<Value> = non.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(&ids[..24], &first_day[..], "a group lists its members' request ids in time order");
}

#[test]
fn aggregate_groups_by_app_user_ip_status_and_resource() {
    let scratch = Scratch::new("aggregate");
    let file = scratch.write_arg("two.yaml", TWO_USERS);
    // alice's Outlook renews every 30 minutes from 08:00 to 10:30: two records an hour.
    let hours = groups(&[&file, "--aggregate", "1h", "--user", "alice"]);
    let counts: Vec<(&str, u64)> =
        hours.iter().map(|g| (g["firstDateTime"].as_str().unwrap(), g["signInCount"].as_u64().unwrap())).collect();
    assert_eq!(
        counts,
        [("2026-01-05T08:00:00Z", 2), ("2026-01-05T09:00:00Z", 2), ("2026-01-05T10:00:00Z", 2)],
        "{hours:?}"
    );
    // Same hour, different user or app: separate groups.
    let all = groups(&[&file, "--aggregate", "1h"]);
    let nine: Vec<&Value> = all
        .iter()
        .filter(|g| {
            g["firstDateTime"].as_str().unwrap() >= "2026-01-05T09:00:00Z"
                && g["firstDateTime"].as_str().unwrap() < "2026-01-05T10:00:00Z"
        })
        .collect();
    assert!(nine.len() >= 2, "{nine:?}");
    // A different status splits a window: 10:00 succeeds, 11:00 is refused (70043).
    let native = groups(&[&repo(NATIVE), "--aggregate", "6h"]);
    let shape: Vec<(u64, u64)> = native
        .iter()
        .map(|g| (g["signInCount"].as_u64().unwrap(), g["status"]["errorCode"].as_u64().unwrap()))
        .collect();
    assert_eq!(shape, [(2, 0), (1, 70043), (2, 0), (1, 70043)]);
    // No interactive record is ever aggregated.
    let ids: Vec<Value> = native.iter().flat_map(|g| g["signIns"].as_array().unwrap().clone()).collect();
    let interactive: Vec<Value> = records(&[&repo(NATIVE), "--interactive"]).iter().map(|r| r["id"].clone()).collect();
    assert!(ids.iter().all(|id| !interactive.contains(id)));
}

#[test]
fn aggregate_windows_align_to_utc_multiples_not_to_the_start() {
    let scratch = Scratch::new("align");
    let file = scratch.write_arg(
        "late.yaml",
        r#"name: late start
start: 2026-01-05T03:00:00Z
users:
  alice: {}
devices:
  laptop: { owner: alice, join: entra_joined }
timeline:
  - { at: "00:00", do: sign_in_device, device: laptop }
  - { at: "00:00", do: background, device: laptop, app: exchange, client: desktop, until: "06:00" }
"#,
    );
    let six = groups(&[&file, "--aggregate", "6h"]);
    let shape: Vec<(&str, &str, u64)> = six
        .iter()
        .map(|g| {
            (
                g["firstDateTime"].as_str().unwrap(),
                g["lastDateTime"].as_str().unwrap(),
                g["signInCount"].as_u64().unwrap(),
            )
        })
        .collect();
    // Records at 03:00..08:00 UTC: the 00:00-06:00 window holds 03, 04, 05; the 06:00-12:00 one 06, 07, 08.
    assert_eq!(
        shape,
        [("2026-01-05T03:00:00Z", "2026-01-05T05:00:00Z", 3), ("2026-01-05T06:00:00Z", "2026-01-05T08:00:00Z", 3)]
    );
}

#[test]
fn aggregate_in_every_format_and_expanded() {
    let csv = ok(&["logs", &repo(NATIVE), "--aggregate", "6h", "--format", "csv"]);
    let rows = parse_csv(&csv);
    assert_eq!(
        rows[0],
        [
            "firstDateTime",
            "lastDateTime",
            "signInCount",
            "appDisplayName",
            "userPrincipalName",
            "ipAddress",
            "errorCode",
            "resourceDisplayName"
        ]
    );
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[2][2], "1");
    assert_eq!(rows[2][6], "70043");
    let lines = ndjson(&ok(&["logs", &repo(NATIVE), "--aggregate", "6h", "--format", "ndjson"]));
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["signInCount"], 2);
    let table = ok(&["logs", &repo(NATIVE), "--aggregate", "6h", "--format", "table"]);
    assert_eq!(table.lines().count(), 5);
    assert!(table.lines().nth(2).unwrap().contains("70043"));

    let expanded = groups(&[&repo(NATIVE), "--aggregate", "6h", "--expand"]);
    let members = expanded[0]["records"].as_array().expect("--expand adds the member records");
    assert_eq!(members.len(), 2);
    assert_eq!(members[0]["id"], expanded[0]["signIns"][0]);
    assert_eq!(members[1]["createdDateTime"], "2026-01-05T10:00:00Z");
    assert!(groups(&[&repo(NATIVE), "--aggregate", "6h"])[0].get("records").is_none());
    let expanded_csv = parse_csv(&ok(&["logs", &repo(NATIVE), "--aggregate", "6h", "--expand", "--format", "csv"]));
    assert_eq!(expanded_csv[0].last().unwrap(), "signIns");
    assert_eq!(expanded_csv[1].last().unwrap().split(';').count(), 2);
}

// ----- determinism (R-DET-1) ----------------------------------------------------

#[test]
fn output_is_byte_identical_across_runs_and_ids_follow_the_seed() {
    for format in ["json", "ndjson", "csv", "table"] {
        let a = ok(&["logs", &repo(EXAMPLE_2), "--format", format]);
        let b = ok(&["logs", &repo(EXAMPLE_2), "--format", format]);
        assert_eq!(a, b, "{format} differs between two runs");
    }
    let scratch = Scratch::new("seed");
    let original = std::fs::read_to_string(repo(EXAMPLE_2)).unwrap();
    let seeded = scratch.write_arg("seeded.yaml", &original.replace("start: 2026", "seed: 7\nstart: 2026"));
    let before = records(&[&repo(EXAMPLE_2)]);
    let after = records(&[&seeded]);
    assert_eq!(before.len(), after.len());
    for (x, y) in before.iter().zip(&after) {
        assert_eq!(at(x), at(y), "the seed changes ids, not what happens");
        assert_eq!(x["status"], y["status"]);
        assert_ne!(x["id"], y["id"]);
        assert_ne!(x["correlationId"], y["correlationId"]);
    }
}

// ----- explain ------------------------------------------------------------------

#[test]
fn explain_prompt_1_of_example_3_scenario_2_shows_the_portal_sections_and_the_prt_refresh() {
    let text = ok(&["explain", &repo(EXAMPLE_3_2), "--prompt", "1"]);
    for section in [
        "Basic info",
        "Location",
        "Device info",
        "Authentication details",
        "Conditional Access",
        "Report-only",
        "Session lifetime policies",
        "Why (casim)",
    ] {
        assert!(text.lines().any(|l| l == section), "no `{section}` section:\n{text}");
    }
    let answer = records(&[&repo(EXAMPLE_3_2), "--interactive", "--from", "05:45"])
        .into_iter()
        .find(|r| r["status"]["errorCode"] == 0)
        .expect("the answer at 05:45");
    for fact in [
        answer["id"].as_str().unwrap(),
        answer["correlationId"].as_str().unwrap(),
        "2026-01-05T05:45:00Z",
        "alice@contoso.com",
        "Office 365 SharePoint Online",
        "00000003-0000-0ff1-ce00-000000000000",
        "Azure AD joined",
        "Sign-in frequency 1 hour: success",
        "users: all users; apps: all resources",
        "signInFrequencyPeriodicReauthentication",
        "Correct password",
        "sign_in_frequency",
        "last sign-in 04:45 (PRT refreshed at unlock)",
        "PRT refreshed at unlock at 2026-01-05T04:45:00Z",
        "R-PRT-2",
    ] {
        assert!(text.contains(fact), "explain does not show `{fact}`:\n{text}");
    }
    let applied = text.lines().find(|l| l.contains("Applied because")).expect("an applied policy");
    assert!(applied.ends_with("users: all users; apps: all resources"), "{applied}");
}

#[test]
fn explain_by_request_id_shows_that_record() {
    let all = records(&[&repo(NATIVE)]);
    let refusal = all.iter().find(|r| r["status"]["errorCode"] == 70043).expect("a 70043");
    let id = refusal["id"].as_str().unwrap();
    let text = ok(&["explain", &repo(NATIVE), id]);
    assert!(text.contains(id));
    assert!(text.contains("70043") && text.contains("No (nonInteractiveUser)"), "{text}");
    assert!(text.contains("Prompt                          1 of 2"), "{text}");
    // The same id in capitals names the same record.
    assert_eq!(ok(&["explain", &repo(NATIVE), &id.to_uppercase()]), text);
    // An unanswered prompt shows its refusal.
    let second = ok(&["explain", &repo(NATIVE), "--prompt", "2"]);
    assert!(second.contains("2026-01-05T14:00:00Z") && second.contains("not by the end of the timeline"), "{second}");
}

/// The session an MFA answer made is worded with its MFA claim, as the
/// record's authentication details show it (issue 15: not "(Password)").
#[test]
fn explain_words_the_artifact_an_mfa_answer_made_with_its_mfa() {
    let proposed = repo("examples/policies/proposed.yaml");
    let text = ok(&["explain", &repo(EXAMPLE_3_2), "--policies", &proposed, "--prompt", "1"]);
    assert!(text.contains("MFA successfully completed"), "{text}");
    let after = text.split("Artifacts behind this record's new session").nth(1).expect("the new session's artifacts");
    let newest = after.lines().nth(1).expect("its newest artifact");
    assert!(newest.ends_with("(Password + MFA at 2026-01-05T00:00:00Z)"), "{newest}");
    let before = text.split("Artifacts behind the expired session").nth(1).expect("the expired session's artifacts");
    assert!(before.lines().nth(1).expect("an artifact").ends_with("(Password)"), "{text}");
}

#[test]
fn explain_says_which_conditions_made_a_policy_apply() {
    let scratch = Scratch::new("conditions");
    let file = scratch.write_arg(
        "cond.yaml",
        r#"name: conditions
users:
  alice: {}
devices:
  pc: { owner: alice, join: entra_joined, browser: edge }
policies:
  - name: Browser SIF on Windows
    users: all
    apps: [sharepoint]
    client_apps: [browser]
    platforms: [windows]
    session: { sign_in_frequency: 2h }
  - name: Exchange only
    users: all
    apps: [exchange]
    grant: mfa
timeline:
  - { at: "09:00", do: sign_in_device, device: pc }
  - { at: "09:00", do: use, device: pc, app: sharepoint, client: browser }
"#,
    );
    let record = records(&[&file, "--app", "sharepoint"]).remove(0);
    let text = ok(&["explain", &file, record["id"].as_str().unwrap()]);
    let applied = text.lines().find(|l| l.contains("Applied because")).unwrap_or_else(|| panic!("{text}"));
    assert!(applied.contains("apps: sharepoint; client apps: browser; platforms: windows"), "{applied}");
    assert!(text.contains("Exchange only: notApplied"), "{text}");
    let other = text.lines().find(|l| l.trim_start().starts_with("Conditions")).unwrap_or_else(|| panic!("{text}"));
    assert!(other.contains("apps: exchange"), "a policy that did not apply shows its conditions: {other}");
}

#[test]
fn explain_rejects_unknown_ids_and_prompts_out_of_range() {
    let stderr = fails(&["explain", &repo(EXAMPLE_2), "00000000-0000-4000-8000-000000000000"]);
    assert!(stderr.contains("00000000-0000-4000-8000-000000000000"), "{stderr}");
    assert!(stderr.contains("casim logs") && stderr.contains("--format table"), "{stderr}");
    let stderr = fails(&["explain", &repo(EXAMPLE_2), "--prompt", "4"]);
    assert!(stderr.contains("raises 1 prompt"), "{stderr}");
    let stderr = fails(&["explain", &repo(NATIVE), "--prompt", "9"]);
    assert!(stderr.contains("raises 2 prompts"), "{stderr}");
    let stderr = fails(&["explain", &repo(REPORT_ONLY), "--prompt", "1"]);
    assert!(stderr.contains("raises no prompt"), "{stderr}");
    fails(&["explain", &repo(EXAMPLE_2), "--prompt", "0"]);
    fails(&["explain", &repo(EXAMPLE_2)]);
}

// ----- errors -------------------------------------------------------------------

#[test]
fn bad_filters_exit_2_with_a_suggestion() {
    let file = repo(EXAMPLE_2);
    let stderr = fails(&["logs", &file, "--user", "alcie"]);
    assert!(stderr.contains("alcie") && stderr.contains("did you mean `alice`?"), "{stderr}");
    let stderr = fails(&["logs", &file, "--app", "sharepont"]);
    assert!(stderr.contains("did you mean `sharepoint`?"), "{stderr}");
    let stderr = fails(&["logs", &file, "--aggregate", "2h"]);
    assert!(stderr.contains("1h, 6h and 24h"), "{stderr}");
    let stderr = fails(&["logs", &file, "--aggregate", "1h", "--interactive"]);
    assert!(stderr.contains("non-interactive"), "{stderr}");
    let stderr = fails(&["logs", &file, "--expand"]);
    assert!(stderr.contains("--aggregate"), "{stderr}");
    let stderr = fails(&["logs", &file, "--from", "9am"]);
    assert!(stderr.contains("--from") && stderr.contains("\"1d 09:00\""), "{stderr}");
    let stderr = fails(&["logs", &file, "--from", "02:00", "--to", "02:00"]);
    assert!(stderr.contains("exclusive"), "{stderr}");
    fails(&["logs", &file, "--interactive", "--non-interactive"]);
    fails(&["logs", &file, "--format", "xml"]);
    let stderr = fails(&["logs", &repo("scenarios")]);
    assert!(stderr.contains("one scenario file"), "{stderr}");
    let stderr = fails(&["logs", &repo("scenarios/no-such-file.yaml")]);
    assert!(stderr.contains("no-such-file.yaml"), "{stderr}");
}

#[test]
fn a_bad_scenario_is_reported_with_its_line() {
    let scratch = Scratch::new("bad");
    let file = scratch.write_arg(
        "bad.yaml",
        "name: t\nusers:\n  alice: {}\ndevices:\n  laptop: { owner: alice, join: entra_joined }\ntimeline:\n  - { at: \"00:00\", do: unlok, device: laptop }\n",
    );
    let stderr = fails(&["logs", &file]);
    assert!(stderr.contains(&format!("{file}:7:")) && stderr.contains("did you mean `unlock`?"), "{stderr}");
    fails(&["explain", &file, "--prompt", "1"]);
}

#[test]
fn help_shows_examples() {
    for command in ["logs", "explain"] {
        let text = ok(&[command, "--help"]);
        assert!(text.contains("Examples") && text.contains(&format!("casim {command} ")), "{text}");
    }
}

/// R-DEF-1, R-LOG-1: a deferral note belongs to its own request's record. A
/// background refresh that notes a deferral and is then blocked must not
/// hand the note to the next record of another app.
#[test]
fn a_deferral_note_never_reaches_another_request_record() {
    let scratch = Scratch::new("deferral-note");
    let file = scratch.write_arg(
        "s.yaml",
        "name: stale deferral note\nusers: { alice: { upn: alice@contoso.com } }\n\
         devices: { laptop: { owner: alice, join: entra_joined, browser: edge } }\n\
         policies:\n  - { name: SIF 1 hour, users: all, apps: [sharepoint], session: { sign_in_frequency: 1h } }\n\
         \x20 - { name: Block SharePoint, state: disabled, users: all, apps: [sharepoint], grant: block }\n\
         timeline:\n  - { at: \"00:00\", do: sign_in_device, device: laptop }\n\
         \x20 - { at: \"00:00\", do: use, device: laptop, app: sharepoint, until: \"00:10\" }\n\
         \x20 - { at: \"00:00\", do: background, device: laptop, app: sharepoint, until: \"05:00\" }\n\
         \x20 - { at: \"00:10\", do: lock, device: laptop }\n\
         \x20 - { at: \"01:30\", do: set_policy_state, policy: Block SharePoint, state: enabled }\n\
         \x20 - { at: \"03:00\", do: unlock, device: laptop }\n\
         \x20 - { at: \"03:00\", do: use, device: laptop, app: office, client: desktop }\n",
    );
    let all = records(&[&file]);
    // Office.com, not Teams: Teams depends on SharePoint (R-DOWN-1), so its policies would reach it.
    let teams: Vec<&Value> = all.iter().filter(|r| r["appDisplayName"] == "Office 365 (Office.com)").collect();
    assert_eq!(teams.len(), 1, "{all:?}");
    assert!(!teams[0].to_string().contains("deferred"), "{}", teams[0]);
    let deferred = all.iter().filter(|r| r.to_string().contains("enforcement deferred (R-DEF-1)")).count();
    assert_eq!(deferred, 1, "SharePoint's own record keeps its note");
}
