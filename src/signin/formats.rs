//! Other shapes of the same records: Log Analytics rows (`ndjson`), CSV and a
//! terminal table. Each is derived from the Graph record so they cannot disagree.

use serde_json::{Map, Value, json};

/// Log Analytics columns (`SigninLogs` / `AADNonInteractiveUserSignInLogs`).
pub fn to_log_analytics(graph: &Value) -> Value {
    let g = |key: &str| graph.get(key).cloned().unwrap_or(Value::Null);
    let interactive = graph["isInteractive"].as_bool().unwrap_or(false);
    let status = &graph["status"];
    let mut row = Map::new();
    let mut put = |k: &str, v: Value| {
        row.insert(k.to_string(), v);
    };
    put("TimeGenerated", g("createdDateTime"));
    put("Type", json!(if interactive { "SigninLogs" } else { "AADNonInteractiveUserSignInLogs" }));
    put("Category", json!(if interactive { "SignInLogs" } else { "NonInteractiveUserSignInLogs" }));
    put("Id", g("id"));
    put("OriginalRequestId", g("originalRequestId"));
    put("CorrelationId", g("correlationId"));
    put("UniqueTokenIdentifier", g("uniqueTokenIdentifier"));
    put("SessionId", g("sessionId"));
    put("ResultType", json!(status["errorCode"].as_u64().unwrap_or(0).to_string()));
    put("ResultDescription", status["failureReason"].clone());
    put("ResultSignature", json!(if status["errorCode"].as_u64() == Some(0) { "SUCCESS" } else { "FAILURE" }));
    put("UserPrincipalName", g("userPrincipalName"));
    put("UserDisplayName", g("userDisplayName"));
    put("UserId", g("userId"));
    put("UserType", g("userType"));
    put("AppDisplayName", g("appDisplayName"));
    put("AppId", g("appId"));
    put("ResourceDisplayName", g("resourceDisplayName"));
    put("ResourceIdentity", g("resourceId"));
    put("ResourceTenantId", g("resourceTenantId"));
    put("HomeTenantId", g("homeTenantId"));
    put("IPAddress", g("ipAddress"));
    put("ClientAppUsed", g("clientAppUsed"));
    put("ClientCredentialType", g("clientCredentialType"));
    put("IsInteractive", json!(interactive));
    put("IncomingTokenType", g("incomingTokenType"));
    put("TokenIssuerType", g("tokenIssuerType"));
    put("AuthenticationRequirement", g("authenticationRequirement"));
    put("AuthenticationDetails", g("authenticationDetails"));
    put("ConditionalAccessStatus", g("conditionalAccessStatus"));
    put("ConditionalAccessPolicies", g("appliedConditionalAccessPolicies"));
    put("SessionLifetimePolicies", g("sessionLifetimePolicies"));
    put("DeviceDetail", g("deviceDetail"));
    put("LocationDetails", g("location"));
    put("Location", graph["location"]["countryOrRegion"].clone());
    put("Status", g("status"));
    put("CrossTenantAccessType", g("crossTenantAccessType"));
    Value::Object(row)
}

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

pub fn to_csv_row(graph: &Value) -> String {
    CSV_COLUMNS.iter().map(|c| csv_field(&csv_value(graph, c))).collect::<Vec<_>>().join(",")
}

fn csv_value(graph: &Value, column: &str) -> String {
    let v = match column {
        "errorCode" | "failureReason" | "additionalDetails" => &graph["status"][column],
        "sessionLifetimePolicies" => {
            let list = graph[column]
                .as_array()
                .map(|l| l.iter().filter_map(|p| p["expirationRequirement"].as_str()).collect::<Vec<_>>().join(";"));
            return list.unwrap_or_default();
        }
        _ => &graph[column],
    };
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// RFC 4180: quote fields holding a comma, a quote or a line break; double quotes.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

pub fn table_header() -> String {
    format!(
        "{:<20}  {:<4}  {:<24}  {:<30}  {:<8}  {:>6}  {:<10}  {}",
        "TIME", "KIND", "USER", "APP", "CLIENT", "ERROR", "CA", "DETAIL"
    )
}

/// A fixed-width line: tables are written as records arrive, so widths cannot
/// be measured first.
pub fn to_table_row(graph: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let interactive = graph["isInteractive"].as_bool().unwrap_or(false);
    let client = if graph["clientAppUsed"] == "Browser" { "browser" } else { "native" };
    let detail = graph["status"]["additionalDetails"]
        .as_str()
        .map(str::to_string)
        .or_else(|| graph["status"]["failureReason"].as_str().filter(|r| !r.is_empty()).map(str::to_string))
        .unwrap_or_else(|| s(&graph["incomingTokenType"]));
    format!(
        "{:<20}  {:<4}  {:<24}  {:<30}  {:<8}  {:>6}  {:<10}  {}",
        s(&graph["createdDateTime"]),
        if interactive { "int" } else { "non" },
        truncate(&s(&graph["userPrincipalName"]), 24),
        truncate(&s(&graph["appDisplayName"]), 30),
        client,
        graph["status"]["errorCode"],
        s(&graph["conditionalAccessStatus"]),
        detail
    )
}

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

    #[test]
    fn csv_quotes_what_rfc_4180_says_to_quote() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }
}
