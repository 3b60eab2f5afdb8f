//! Sign-in records as admins export them, read into the facts replay needs:
//! Graph list responses (and their pages, one file each), JSON arrays and
//! NDJSON of Graph `signIn` objects; Log Analytics rows of `SigninLogs` and
//! `AADNonInteractiveUserSignInLogs` (PascalCase columns, nested columns as
//! objects or as strings holding JSON), as JSON, NDJSON or CSV; the Azure
//! Monitor diagnostic-settings envelope (`{"records": [{"properties": …}]}`).
//! Keys are matched case-insensitively, whatever their order.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{InputError, Pos};
use crate::time::Instant;

/// How the user reached the app, as replay can tell from a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClientKind {
    Browser,
    /// "Mobile Apps and Desktop clients".
    Native,
    /// A web app that holds a client credential (`clientCredentialType`).
    Confidential,
}

/// One sign-in record: what replay rebuilds a timeline from.
#[derive(Debug, Clone)]
pub struct LogRecord {
    pub at: Instant,
    /// The user's UPN in lower case, or their object id without one.
    pub user: String,
    pub user_id: Option<String>,
    pub guest: bool,
    pub app_id: String,
    pub app_name: String,
    pub client: ClientKind,
    pub interactive: bool,
    /// The client presented the PRT (`incomingTokenType` `primaryRefreshToken`).
    pub from_prt: bool,
    pub error: u32,
    pub device_id: String,
    pub device_name: String,
    pub os: String,
    pub browser: String,
    pub trust: String,
    pub compliant: Option<bool>,
    /// The sign-in was made with Windows Hello for Business (`authenticationDetails`).
    pub hello: bool,
    pub ip: Option<IpAddr>,
    pub country: Option<String>,
}

/// Why a record was skipped (docs/replay.md): counted by cause, never dropped silently.
pub const SKIP_CAUSES: [&str; 5] = [
    "no time (createdDateTime / TimeGenerated)",
    "no user (userPrincipalName / userId)",
    "no application (appId / appDisplayName)",
    "a client casim does not simulate (legacy authentication, Exchange ActiveSync, other clients)",
    "a service principal or managed identity sign-in, not a user's",
];

/// What reading the files gave.
#[derive(Debug, Default)]
pub struct Read {
    pub records: Vec<LogRecord>,
    /// Skipped records by cause (an index into `SKIP_CAUSES`).
    pub skipped: BTreeMap<usize, u64>,
    /// The first ten skipped records: where they are and why.
    pub first_skipped: Vec<(String, usize)>,
    /// Records whose status was missing, taken as successes.
    pub status_assumed: u64,
}

impl Read {
    fn skip(&mut self, place: String, cause: usize) {
        *self.skipped.entry(cause).or_default() += 1;
        if self.first_skipped.len() < 10 {
            self.first_skipped.push((place, cause));
        }
    }
}

/// Reads every file; a file that is not sign-in logs is an error naming its first offending line.
pub fn read_files(paths: &[impl AsRef<Path>]) -> Result<Read, InputError> {
    let mut read = Read::default();
    for path in paths {
        let path = path.as_ref();
        let text =
            std::fs::read_to_string(path).map_err(|e| InputError::new(path, None, format!("cannot read: {e}")))?;
        read_text(path, &text, &mut read)?;
    }
    Ok(read)
}

/// Reads one file's text into `read`.
pub fn read_text(path: &Path, text: &str, read: &mut Read) -> Result<(), InputError> {
    let trimmed = text.trim_start_matches('\u{feff}');
    let first = trimmed.trim_start().chars().next();
    let objects: Vec<(usize, Value)> = match first {
        None => return Err(not_logs(path, 1, "the file is empty")),
        Some('{') | Some('[') => json_objects(path, trimmed)?,
        Some(_) => super::csv::rows(path, trimmed)?,
    };
    for (line, value) in objects {
        let Value::Object(obj) = value else {
            return Err(not_logs(path, line, "a record is a JSON object"));
        };
        if !looks_like_sign_in(&obj) {
            return Err(not_logs(path, line, "a sign-in record (createdDateTime or TimeGenerated, and a user or app)"));
        }
        let place = format!("{}:{line}", path.display());
        match record(&obj) {
            Ok((r, assumed)) => {
                read.status_assumed += u64::from(assumed);
                read.records.push(r);
            }
            Err(cause) => read.skip(place, cause),
        }
    }
    Ok(())
}

fn not_logs(path: &Path, line: usize, expected: &str) -> InputError {
    InputError::new(path, Some(Pos { line, column: 1 }), format!("this is not sign-in logs: expected {expected}"))
        .with_help(Some(
            "give Graph signIn records (a list response, an array or NDJSON), Log Analytics rows of SigninLogs or AADNonInteractiveUserSignInLogs (JSON, NDJSON or CSV), or the diagnostic-settings envelope (docs/replay.md)".into(),
        ))
}

/// The records of a JSON document (a list response, an envelope, an array
/// or one record) or of NDJSON, each with the line it starts on.
fn json_objects(path: &Path, text: &str) -> Result<Vec<(usize, Value)>, InputError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut out = Vec::new();
    // Lines are counted from the last value on, so NDJSON reads in linear time.
    let mut counted = (0, 1);
    loop {
        let start = stream.byte_offset();
        let Some(next) = stream.next() else { break };
        let line = line_of(text, start, &mut counted);
        let value = next.map_err(|e| {
            // serde_json counts lines from the start of the text.
            InputError::new(
                path,
                Some(Pos { line: e.line().max(line), column: e.column().max(1) }),
                format!("not JSON: {e}"),
            )
        })?;
        match value {
            Value::Object(mut obj) if obj.contains_key("value") || obj.contains_key("records") => {
                let list = obj.remove("value").or_else(|| obj.remove("records")).unwrap_or(Value::Null);
                let Value::Array(items) = list else {
                    return Err(not_logs(path, line, "`value` or `records` to be a list"));
                };
                out.extend(items.into_iter().map(|v| (line, unwrap_envelope(v))));
            }
            Value::Array(items) => out.extend(items.into_iter().map(|v| (line, unwrap_envelope(v)))),
            other => out.push((line, unwrap_envelope(other))),
        }
    }
    Ok(out)
}

/// The line a value starts on, `offset` being where the previous one ended;
/// `counted` is the (offset, line) reached so far, offsets only growing.
fn line_of(text: &str, offset: usize, counted: &mut (usize, usize)) -> usize {
    let offset = offset.min(text.len());
    let skip = text[offset..].len() - text[offset..].trim_start().len();
    let to = (offset + skip).max(counted.0);
    counted.1 += text.as_bytes()[counted.0..to].iter().filter(|&&b| b == b'\n').count();
    counted.0 = to;
    counted.1
}

/// A diagnostic-settings record carries the sign-in in `properties`, its time in `time`.
fn unwrap_envelope(value: Value) -> Value {
    let Value::Object(mut obj) = value else { return value };
    match obj.remove("properties") {
        Some(Value::Object(mut props)) if obj.contains_key("category") || obj.contains_key("operationName") => {
            if !props.keys().any(|k| k.eq_ignore_ascii_case("createdDateTime"))
                && let Some(time) = obj.remove("time")
            {
                props.insert("createdDateTime".into(), time);
            }
            Value::Object(props)
        }
        Some(other) => {
            obj.insert("properties".into(), other);
            Value::Object(obj)
        }
        None => Value::Object(obj),
    }
}

/// The value under the first of `names` (case-insensitive, spaces and
/// punctuation ignored, so CSV headers match too).
fn get<'a>(obj: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|name| obj.iter().find(|(k, _)| same_key(k, name)).map(|(_, v)| v))
}

fn same_key(key: &str, name: &str) -> bool {
    let mut k = key.chars().filter(|c| c.is_ascii_alphanumeric());
    let mut n = name.chars().filter(|c| c.is_ascii_alphanumeric());
    loop {
        match (k.next(), n.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(&b) => {}
            _ => return false,
        }
    }
}

fn text<'a>(obj: &'a Map<String, Value>, names: &[&str]) -> Option<&'a str> {
    get(obj, names).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// A nested column: an object, or a string holding one (Log Analytics).
fn nested(obj: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    match get(obj, names) {
        Some(Value::Object(m)) => m.clone(),
        Some(Value::String(s)) => match serde_json::from_str(s) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

fn flag(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

const TIME: &[&str] = &["createdDateTime", "TimeGenerated", "Date (UTC)", "Date"];
const USER: &[&str] = &["userPrincipalName", "Username", "User principal name"];
const USER_ID: &[&str] = &["userId", "User ID"];

fn looks_like_sign_in(obj: &Map<String, Value>) -> bool {
    get(obj, TIME).is_some()
        && (get(obj, USER).is_some() || get(obj, USER_ID).is_some() || get(obj, &["appId"]).is_some())
}

/// One record, or the cause it is skipped for; the flag says the status was missing.
fn record(obj: &Map<String, Value>) -> Result<(LogRecord, bool), usize> {
    let at = text(obj, TIME).and_then(parse_time).ok_or(0usize)?;
    let user_id = text(obj, USER_ID).map(str::to_ascii_lowercase);
    let upn = text(obj, USER).map(str::to_ascii_lowercase);
    if text(obj, &["servicePrincipalName"]).is_some() && upn.is_none() {
        return Err(4);
    }
    let user = upn.clone().or_else(|| user_id.clone()).ok_or(1usize)?;
    let app_id = text(obj, &["appId", "Application ID"]).map(str::to_ascii_lowercase);
    let app_name = text(obj, &["appDisplayName", "Application"]).map(str::to_string);
    let (app_id, app_name) = match (app_id, app_name) {
        (None, None) => return Err(2),
        (id, name) => (id.unwrap_or_default(), name.unwrap_or_default()),
    };
    let credential = text(obj, &["clientCredentialType", "Client credential type"]).unwrap_or("");
    let client = match text(obj, &["clientAppUsed", "Client app"]).unwrap_or("") {
        _ if matches!(
            credential,
            "clientSecret" | "certificate" | "clientAssertion" | "federatedIdentityCredential"
        ) =>
        {
            ClientKind::Confidential
        }
        "Browser" => ClientKind::Browser,
        "Mobile Apps and Desktop clients" | "" => ClientKind::Native,
        _ => return Err(3),
    };
    let status = nested(obj, &["status"]);
    let code = get(&status, &["errorCode"]).or_else(|| get(obj, &["ResultType", "Sign-in error code", "errorCode"]));
    let error = code.and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
    let device = nested(obj, &["deviceDetail", "DeviceDetail"]);
    let location = nested(obj, &["location", "LocationDetails"]);
    let hello = match get(obj, &["authenticationDetails", "AuthenticationDetails"]) {
        Some(Value::Array(steps)) => steps.iter().any(is_hello),
        Some(Value::String(s)) => s.contains("Windows Hello for Business"),
        _ => false,
    };
    let r = LogRecord {
        at,
        user,
        user_id,
        guest: text(obj, &["userType", "User type"]).is_some_and(|t| t.eq_ignore_ascii_case("guest")),
        app_id,
        app_name,
        client,
        interactive: flag(get(obj, &["isInteractive", "IsInteractive"])).unwrap_or(false),
        from_prt: text(obj, &["incomingTokenType", "Incoming token type"])
            .is_some_and(|t| t.eq_ignore_ascii_case("primaryRefreshToken")),
        error: error.map_or(0, |e| u32::try_from(e).unwrap_or(u32::MAX)),
        device_id: text(&device, &["deviceId"]).or(text(obj, &["Device ID"])).unwrap_or("").to_ascii_lowercase(),
        device_name: text(&device, &["displayName"]).or(text(obj, &["Device name"])).unwrap_or("").to_string(),
        os: text(&device, &["operatingSystem"]).or(text(obj, &["Operating System"])).unwrap_or("").to_string(),
        browser: text(&device, &["browser"]).or(text(obj, &["Browser"])).unwrap_or("").to_string(),
        trust: text(&device, &["trustType"]).or(text(obj, &["Join Type"])).unwrap_or("").to_string(),
        compliant: flag(get(&device, &["isCompliant"]).or(get(obj, &["Compliant"]))),
        hello,
        ip: text(obj, &["ipAddress", "IPAddress", "IP address"]).and_then(|s| s.parse().ok()),
        country: text(&location, &["countryOrRegion"]).or(text(obj, &["Location"])).map(|c| c.to_ascii_uppercase()),
    };
    Ok((r, error.is_none()))
}

fn is_hello(step: &Value) -> bool {
    step.get("authenticationMethod").and_then(Value::as_str).is_some_and(|m| m.contains("Windows Hello"))
}

/// RFC 3339 with or without fractions, or `YYYY-MM-DD HH:MM:SS` (UTC), to the second.
fn parse_time(s: &str) -> Option<Instant> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()?;
    Some(naive.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Read, InputError> {
        let mut read = Read::default();
        read_text(Path::new("t.json"), text, &mut read).map(|()| read)
    }

    const GRAPH: &str = r#"{"createdDateTime":"2026-01-05T09:00:00.123Z","userPrincipalName":"Ann@Contoso.com","appId":"00000003-0000-0ff1-ce00-000000000000","clientAppUsed":"Browser","isInteractive":true,"status":{"errorCode":0},"deviceDetail":{"deviceId":"","operatingSystem":"Windows10","browser":"Chrome 131.0.0"}}"#;

    #[test]
    fn graph_lists_arrays_and_ndjson_read_the_same() {
        let list = read(&format!("{{\"value\":[{GRAPH},{GRAPH}]}}")).unwrap();
        let array = read(&format!("[{GRAPH},{GRAPH}]")).unwrap();
        let ndjson = read(&format!("{GRAPH}\n{GRAPH}\n")).unwrap();
        for r in [&list, &array, &ndjson] {
            assert_eq!(r.records.len(), 2);
            assert_eq!(r.records[0].user, "ann@contoso.com");
            assert_eq!(r.records[0].client, ClientKind::Browser);
            assert_eq!(r.records[0].at, crate::time::parse_rfc3339("2026-01-05T09:00:00Z").unwrap());
        }
    }

    #[test]
    fn log_analytics_rows_read_with_nested_columns_as_strings() {
        let row = r#"{"TimeGenerated":"2026-01-05T09:00:00Z","UserPrincipalName":"ann@contoso.com","AppId":"x","ClientAppUsed":"Mobile Apps and Desktop clients","IsInteractive":false,"ResultType":"70043","IncomingTokenType":"primaryRefreshToken","DeviceDetail":"{\"deviceId\":\"D1\",\"trustType\":\"Azure AD joined\",\"isCompliant\":true}","LocationDetails":"{\"countryOrRegion\":\"fr\"}"}"#;
        let r = read(row).unwrap();
        let rec = &r.records[0];
        assert_eq!((rec.error, rec.from_prt, rec.client), (70043, true, ClientKind::Native));
        assert_eq!((rec.device_id.as_str(), rec.trust.as_str(), rec.compliant), ("d1", "Azure AD joined", Some(true)));
        assert_eq!(rec.country.as_deref(), Some("FR"));
    }

    #[test]
    fn the_diagnostic_envelope_unwraps_its_properties() {
        let env = format!(
            r#"{{"records":[{{"time":"2026-01-05T09:00:00Z","category":"SignInLogs","properties":{GRAPH}}}]}}"#
        );
        assert_eq!(read(&env).unwrap().records.len(), 1);
    }

    #[test]
    fn skipped_records_are_counted_by_cause() {
        let legacy = GRAPH.replace("\"Browser\"", "\"Exchange ActiveSync\"");
        let no_user = GRAPH.replace("userPrincipalName", "x");
        let r = read(&format!("{legacy}\n{GRAPH}\n{no_user}\n")).unwrap();
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.skipped.get(&3), Some(&1));
        assert_eq!(r.first_skipped[0].0, "t.json:1");
    }

    #[test]
    fn a_file_that_is_not_sign_in_logs_names_its_line() {
        let e = read(&format!("{GRAPH}\n{{\"name\": \"a policy\"}}\n")).unwrap_err().render();
        assert!(e.contains("t.json:2:1") && e.contains("not sign-in logs"), "{e}");
        let e = read(&format!("{GRAPH}\nnot json\n")).unwrap_err().render();
        assert!(e.contains("t.json:2"), "{e}");
    }
}
