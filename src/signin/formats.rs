//! Other shapes of the same records: casim's CSV and a terminal table (Log
//! Analytics rows, the diagnostic envelope and the admin center's CSV have
//! their own files). Each is derived from the Graph record (`record::SignIn`)
//! so they cannot disagree; aggregated groups (`aggregate`) have their own lines.

use std::borrow::Cow;

use serde_json::Value;

use crate::terminal::escape;

use super::record::SignIn;

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 16] = [
    "createdDateTime",
    "id",
    "correlationId",
    "userPrincipalName",
    "appDisplayName",
    "resourceDisplayName",
    "clientAppUsed",
    "isInteractive",
    "incomingTokenType",
    "ipAddress",
    "errorCode",
    "failureReason",
    "additionalDetails",
    "conditionalAccessStatus",
    "authenticationRequirement",
    "sessionLifetimePolicies",
];

pub fn csv_header() -> String {
    CSV_COLUMNS.join(",")
}

pub fn to_csv_row(s: &SignIn) -> String {
    let mut line = String::with_capacity(512);
    for (i, c) in CSV_COLUMNS.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&csv_field(&csv_value(s, c)));
    }
    line
}

fn csv_value<'s>(s: &'s SignIn, column: &str) -> Cow<'s, str> {
    let b = Cow::Borrowed;
    match column {
        "createdDateTime" => b(&s.created_date_time),
        "id" => b(&s.id),
        "correlationId" => b(&s.correlation_id),
        "userPrincipalName" => b(s.user_principal_name),
        "appDisplayName" => b(s.app_display_name),
        "resourceDisplayName" => b(s.resource_display_name),
        "clientAppUsed" => b(s.client_app_used),
        "isInteractive" => b(if s.is_interactive { "true" } else { "false" }),
        "incomingTokenType" => b(s.incoming_token_type),
        "ipAddress" => b(&s.ip_address),
        "errorCode" => Cow::Owned(s.status.error_code.to_string()),
        "failureReason" => b(s.status.failure_reason),
        "additionalDetails" => b(s.status.additional_details.unwrap_or("")),
        "conditionalAccessStatus" => b(s.conditional_access_status),
        "authenticationRequirement" => b(s.authentication_requirement),
        "sessionLifetimePolicies" => Cow::Owned(
            s.session_lifetime_policies.iter().map(|p| p.expiration_requirement).collect::<Vec<_>>().join(";"),
        ),
        _ => b(""),
    }
}

/// RFC 4180: quote fields holding a comma, a quote or a line break; double quotes.
/// A field a spreadsheet would run as a formula (first character `=`, `+`,
/// `-`, `@`, tab or carriage return) gets a leading `'` and is quoted, as
/// OWASP's CSV injection guidance says. casim writes no negative numbers, so
/// the rule has no exception for them (docs/output.md).
pub fn csv_field(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("\"'{}\"", text.replace('"', "\"\"")))
    } else if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

pub fn table_header() -> String {
    table_header_with(UTC_TIME_WIDTH)
}

/// The TIME column: `2026-01-05T09:00:00Z`, or with a `timezone:` the
/// longest local time, `Thu 18 Jan 09:00:30 +05:45`.
const UTC_TIME_WIDTH: usize = 20;
pub const LOCAL_TIME_WIDTH: usize = 26;

/// The header with a TIME column `time_width` wide.
pub fn table_header_with(time_width: usize) -> String {
    format!(
        "{:<time_width$}  {:<36}  {:<4}  {:<24}  {:<30}  {:<8}  {:>6}  {:<10}  {}",
        "TIME", "REQUEST ID", "KIND", "USER", "APP", "CLIENT", "ERROR", "CA", "DETAIL"
    )
}

/// What a table line shows of a record.
struct TableLine<'a> {
    time: &'a str,
    time_width: usize,
    id: &'a str,
    interactive: bool,
    user: &'a str,
    app: &'a str,
    client_app_used: &'a str,
    error_code: u64,
    ca: &'a str,
    additional_details: Option<&'a str>,
    failure_reason: &'a str,
    incoming: &'a str,
}

/// A fixed-width line: tables are written as records arrive, so widths cannot
/// be measured first.
fn table_line(l: TableLine) -> String {
    let client = if l.client_app_used == "Browser" { "browser" } else { "native" };
    let detail = l.additional_details.or(Some(l.failure_reason).filter(|r| !r.is_empty())).unwrap_or(l.incoming);
    let time_width = l.time_width;
    format!(
        "{:<time_width$}  {:<36}  {:<4}  {:<24}  {:<30}  {:<8}  {:>6}  {:<10}  {}",
        l.time,
        l.id,
        if l.interactive { "int" } else { "non" },
        truncate(&escape(l.user), 24),
        truncate(&escape(l.app), 30),
        client,
        l.error_code,
        l.ca,
        escape(detail)
    )
}

pub fn to_table_row(s: &SignIn) -> String {
    to_table_row_with(s, &s.created_date_time, UTC_TIME_WIDTH)
}

/// The line with `time` (a local time) in place of `createdDateTime`.
pub fn to_table_row_at(s: &SignIn, time: &str) -> String {
    to_table_row_with(s, time, LOCAL_TIME_WIDTH)
}

fn to_table_row_with(s: &SignIn, time: &str, time_width: usize) -> String {
    table_line(TableLine {
        time,
        time_width,
        id: &s.id,
        interactive: s.is_interactive,
        user: s.user_principal_name,
        app: s.app_display_name,
        client_app_used: s.client_app_used,
        error_code: u64::from(s.status.error_code),
        ca: s.conditional_access_status,
        additional_details: s.status.additional_details,
        failure_reason: s.status.failure_reason,
        incoming: s.incoming_token_type,
    })
}

/// The same line for a record already turned into JSON (an expanded group's member).
pub fn value_to_table_row(graph: &Value) -> String {
    fn s(v: &Value) -> &str {
        v.as_str().unwrap_or("")
    }
    table_line(TableLine {
        time: s(&graph["createdDateTime"]),
        time_width: UTC_TIME_WIDTH,
        id: s(&graph["id"]),
        interactive: graph["isInteractive"].as_bool().unwrap_or(false),
        user: s(&graph["userPrincipalName"]),
        app: s(&graph["appDisplayName"]),
        client_app_used: s(&graph["clientAppUsed"]),
        error_code: graph["status"]["errorCode"].as_u64().unwrap_or(0),
        ca: s(&graph["conditionalAccessStatus"]),
        additional_details: graph["status"]["additionalDetails"].as_str(),
        failure_reason: s(&graph["status"]["failureReason"]),
        incoming: s(&graph["incomingTokenType"]),
    })
}

/// The CSV columns of an aggregated group (R-LOG-2); `--expand` adds `signIns`
/// (the members' request ids, separated by `;`).
pub const AGGREGATE_CSV_COLUMNS: [&str; 8] = [
    "firstDateTime",
    "lastDateTime",
    "signInCount",
    "appDisplayName",
    "userPrincipalName",
    "ipAddress",
    "errorCode",
    "resourceDisplayName",
];

pub fn aggregate_csv_header(expand: bool) -> String {
    let mut header = AGGREGATE_CSV_COLUMNS.join(",");
    if expand {
        header.push_str(",signIns");
    }
    header
}

/// One group of `aggregate::Aggregator` as a CSV line.
pub fn aggregate_to_csv_row(group: &Value, expand: bool) -> String {
    let mut fields: Vec<String> =
        AGGREGATE_CSV_COLUMNS.iter().map(|c| csv_field(&group_value(group, c)).into_owned()).collect();
    if expand {
        fields.push(csv_field(&group_ids(group).join(";")).into_owned());
    }
    fields.join(",")
}

fn group_value(group: &Value, column: &str) -> String {
    let v = if column == "errorCode" { &group["status"]["errorCode"] } else { &group[column] };
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn group_ids(group: &Value) -> Vec<&str> {
    group["signIns"].as_array().map(|ids| ids.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

pub fn aggregate_table_header() -> String {
    format!(
        "{:<20}  {:<20}  {:>5}  {:<30}  {:<24}  {:<15}  {:>6}  {}",
        "FIRST", "LAST", "COUNT", "APP", "USER", "IP", "ERROR", "RESOURCE"
    )
}

/// One group as a fixed-width line (groups are written as windows close).
pub fn aggregate_to_table_row(group: &Value) -> String {
    let s = |c: &str| group_value(group, c);
    format!(
        "{:<20}  {:<20}  {:>5}  {:<30}  {:<24}  {:<15}  {:>6}  {}",
        s("firstDateTime"),
        s("lastDateTime"),
        s("signInCount"),
        truncate(&escape(&s("appDisplayName")), 30),
        truncate(&escape(&s("userPrincipalName")), 24),
        s("ipAddress"),
        s("errorCode"),
        escape(&s("resourceDisplayName"))
    )
}

/// Table cells are cut to their column (the table is written as records
/// arrive, so it cannot measure first); `--format csv` or `json` has them whole.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_quotes_what_rfc_4180_says_to_quote() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("carriage\rreturn"), "\"carriage\rreturn\"");
    }

    #[test]
    fn csv_cells_that_start_a_formula_are_neutralised() {
        assert_eq!(csv_field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assert_eq!(csv_field("+1"), "\"'+1\"");
        assert_eq!(csv_field("-2+3"), "\"'-2+3\"");
        assert_eq!(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_field("\tx"), "\"'\tx\"");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        // Only the first character counts: a formula needs to start the cell.
        assert_eq!(csv_field("a=b-c"), "a=b-c");
        assert_eq!(csv_field("user@contoso.com"), "user@contoso.com");
    }

    #[test]
    fn csv_lines_come_from_the_graph_record() {
        use crate::signin::record::test_support::{Fixture, event};
        let fx = Fixture::new();
        let recorder = fx.recorder();
        let e = event(3, fx.scenario.start, fx.app("pay"), 70043);
        let graph = recorder.sign_in(&e);
        let csv = to_csv_row(&graph);
        assert!(csv.contains(",\"Pay, \"\"EU\"\"\","), "{csv}");
        // 15 separators, and the comma inside the quoted app and resource names.
        assert_eq!(csv.matches(',').count(), CSV_COLUMNS.len() - 1 + 2, "{csv}");
        assert_eq!(to_table_row(&graph), value_to_table_row(&serde_json::to_value(&graph).unwrap()));
    }

    #[test]
    fn aggregated_groups_have_their_own_columns() {
        let group = json!({"firstDateTime": "2026-01-05T01:00:00Z", "lastDateTime": "2026-01-05T01:30:00Z",
            "signInCount": 2, "appDisplayName": "App, with comma", "userPrincipalName": "a@x", "ipAddress": "192.0.2.1",
            "status": {"errorCode": 70043}, "resourceDisplayName": "R", "signIns": ["i1", "i2"]});
        assert_eq!(aggregate_csv_header(false).split(',').count(), 8);
        assert_eq!(
            aggregate_to_csv_row(&group, false),
            "2026-01-05T01:00:00Z,2026-01-05T01:30:00Z,2,\"App, with comma\",a@x,192.0.2.1,70043,R"
        );
        assert!(aggregate_to_csv_row(&group, true).ends_with(",R,i1;i2"));
        let row = aggregate_to_table_row(&group);
        assert!(row.contains("    2  App, with comma") && row.contains(" 70043  R"), "{row}");
    }
}
