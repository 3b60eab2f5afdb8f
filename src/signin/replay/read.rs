//! Sign-in records as admins export them, read into the facts replay needs:
//! Graph list responses (and their pages, one file each), JSON arrays and
//! NDJSON of Graph `signIn` objects; Log Analytics rows of `SigninLogs` and
//! `AADNonInteractiveUserSignInLogs` (PascalCase columns, nested columns as
//! objects or as strings holding JSON), as JSON, NDJSON or CSV; the Azure
//! Monitor diagnostic-settings envelope (`{"records": [{"properties": …}]}`).
//! Keys are matched case-insensitively, whatever their order.

use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::net::IpAddr;
use std::path::Path;

use serde_json::{Map, Value};

use super::json_stream::{self, ScanError};
use super::parquet_file;
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

/// What reading the files gave besides the records, which went to the sink.
#[derive(Debug, Default)]
pub struct Read {
    /// Records read and handed on.
    pub records: u64,
    /// Skipped records by cause (an index into `SKIP_CAUSES`).
    pub skipped: BTreeMap<usize, u64>,
    /// The first ten skipped records: where they are and why.
    pub first_skipped: Vec<(String, usize)>,
    /// Records whose status was missing, taken as successes.
    pub status_assumed: u64,
    /// Records that said neither way whether they were interactive, taken
    /// as non-interactive (an admin-center CSV whose name does not say).
    pub interactive_assumed: u64,
    /// Records without a client app (`clientAppUsed`), taken as mobile and desktop clients.
    pub client_assumed: u64,
    /// Records of users of other shards (`--shard`), read and left out.
    pub outside_shard: u64,
}

impl Read {
    fn skip(&mut self, place: String, cause: usize) {
        *self.skipped.entry(cause).or_default() += 1;
        if self.first_skipped.len() < 10 {
            self.first_skipped.push((place, cause));
        }
    }
}

/// The path that names standard input (`casim replay --stdin`).
pub const STDIN: &str = "-";

/// Reads every file, record by record, handing each to `sink` (never a
/// file whole: issue 13, item 9); a file that is not sign-in logs is an
/// error naming its first offending line.
pub fn read_files(paths: &[impl AsRef<Path>], sink: &mut dyn FnMut(LogRecord)) -> Result<Read, InputError> {
    let mut read = Read::default();
    for path in paths {
        let path = path.as_ref();
        if path.as_os_str() == STDIN {
            // Parquet needs seeking: `read_from` refuses it here, naming why.
            read_from(path, io::BufReader::with_capacity(1 << 18, io::stdin().lock()), &mut read, sink)?;
            continue;
        }
        read_file(path, &mut read, sink)?;
    }
    Ok(read)
}

/// One file: Parquet by its magic bytes (it must be a file that seeks), the
/// rest by their first character (`read_from`).
fn read_file(path: &Path, read: &mut Read, sink: &mut dyn FnMut(LogRecord)) -> Result<(), InputError> {
    let cannot = |e: io::Error| InputError::new(path, None, format!("cannot read: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let seekable = file.metadata().map_err(cannot)?.is_file();
    let mut input = io::BufReader::with_capacity(1 << 18, file);
    if seekable && input.fill_buf().map_err(cannot)?.starts_with(parquet_file::MAGIC) {
        let mut handle =
            |row: usize, value: Value| record_of(path, row, value, read, sink).map_err(parquet_file::at_row);
        return parquet_file::for_each_row(path, input.into_inner(), &mut handle);
    }
    read_from(path, input, read, sink)
}

/// `read_file` of bytes already in memory.
pub(super) fn read_slice(
    path: &Path,
    bytes: &[u8],
    read: &mut Read,
    sink: &mut dyn FnMut(LogRecord),
) -> Result<(), InputError> {
    if bytes.starts_with(parquet_file::MAGIC) {
        let mut handle =
            |row: usize, value: Value| record_of(path, row, value, read, sink).map_err(parquet_file::at_row);
        return parquet_file::for_each_row(path, bytes::Bytes::copy_from_slice(bytes), &mut handle);
    }
    read_from(path, bytes, read, sink)
}

/// Reads one file's text into `read`, its records into `sink`.
pub fn read_text(path: &Path, text: &str, read: &mut Read, sink: &mut dyn FnMut(LogRecord)) -> Result<(), InputError> {
    read_from(path, text.as_bytes(), read, sink)
}

/// Why reading stopped: the cutting into records, or a record.
enum Stop {
    Scan(ScanError),
    Input(Box<InputError>),
}

impl From<ScanError> for Stop {
    fn from(e: ScanError) -> Stop {
        Stop::Scan(e)
    }
}

impl From<InputError> for Stop {
    fn from(e: InputError) -> Stop {
        Stop::Input(Box::new(e))
    }
}

/// Text in UTF-8, or in UTF-16 with its byte order mark (what Windows
/// PowerShell's `Out-File` and `>` write), decoded as it is read.
fn read_from(
    path: &Path,
    mut input: impl BufRead,
    read: &mut Read,
    sink: &mut dyn FnMut(LogRecord),
) -> Result<(), InputError> {
    let io_error = |e: io::Error| InputError::new(path, None, format!("cannot read: {e}"));
    let head = input.fill_buf().map_err(io_error)?;
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        let utf8 = encoding_rs_io::DecodeReaderBytesBuilder::new().build(input);
        return read_utf8(path, &mut io::BufReader::with_capacity(1 << 18, utf8), read, sink);
    }
    read_utf8(path, &mut input, read, sink)
}

fn read_utf8(
    path: &Path,
    input: &mut dyn BufRead,
    read: &mut Read,
    sink: &mut dyn FnMut(LogRecord),
) -> Result<(), InputError> {
    let io_error = |e: io::Error| InputError::new(path, None, format!("cannot read: {e}"));
    if input.fill_buf().map_err(io_error)?.starts_with(b"\xef\xbb\xbf") {
        input.consume(3);
    }
    if input.fill_buf().map_err(io_error)?.starts_with(parquet_file::MAGIC) {
        // Only a pipe or a device gets here: files went to `read_file`'s Parquet reader.
        return Err(InputError::new(path, None, parquet_file::NOT_A_PIPE));
    }
    let first = input.fill_buf().map_err(io_error)?.iter().copied().find(|b| !b.is_ascii_whitespace());
    let mut handle = |line: usize, value: Value| record_of(path, line, value, read, sink);
    match first {
        // A pipeline's partition may hold no record (`--stdin --shard`): nothing to read.
        None if path.as_os_str() == STDIN => Ok(()),
        None => Err(not_logs(path, 1, "the file is empty")),
        Some(b'{') | Some(b'[') => {
            let result = json_stream::for_each_record(input, |line, text: &[u8]| -> Result<(), Stop> {
                let value: Value = serde_json::from_slice(text).map_err(|e| {
                    // serde_json counts lines from the record's first.
                    let at = Pos { line: line + e.line().max(1) - 1, column: e.column().max(1) };
                    InputError::new(path, Some(at), format!("not JSON: {e}"))
                })?;
                Ok(handle(line, value)?)
            });
            result.map_err(|stop| match stop {
                Stop::Input(e) => *e,
                Stop::Scan(e) => scan_error(path, e),
            })
        }
        Some(_) => super::csv::for_each_row(path, input, admin_center_interactive(path), &mut handle),
    }
}

fn scan_error(path: &Path, e: ScanError) -> InputError {
    match e {
        ScanError::Io(e) => InputError::new(path, None, format!("cannot read: {e}")),
        ScanError::Syntax { line, expected } => {
            InputError::new(path, Some(Pos { line, column: 1 }), format!("not JSON: expected {expected}"))
        }
        ScanError::TooLarge { line } => InputError::new(
            path,
            Some(Pos { line, column: 1 }),
            format!(
                "a record longer than {} MiB (the limit for one sign-in record): this is not sign-in logs",
                json_stream::MAX_RECORD_BYTES >> 20
            ),
        ),
    }
}

/// One object of a file: a record handed to `sink`, or a skip counted.
fn record_of(
    path: &Path,
    line: usize,
    value: Value,
    read: &mut Read,
    sink: &mut dyn FnMut(LogRecord),
) -> Result<(), InputError> {
    let Value::Object(obj) = unwrap_envelope(value) else {
        return Err(not_logs(path, line, "a record is a JSON object"));
    };
    if !looks_like_sign_in(&obj) {
        return Err(not_logs(path, line, "a sign-in record (createdDateTime or TimeGenerated, and a user or app)"));
    }
    match record(&obj) {
        Ok((r, assumed)) => {
            read.status_assumed += u64::from(assumed.status);
            read.interactive_assumed += u64::from(assumed.interactive);
            read.client_assumed += u64::from(assumed.client);
            read.records += 1;
            sink(r);
        }
        Err(cause) => read.skip(format!("{}:{line}", path.display()), cause),
    }
    Ok(())
}

/// The admin center downloads interactive and non-interactive sign-ins as
/// two files (`InteractiveSignIns_….csv`, `NonInteractiveSignIns_….csv`)
/// without an interactive column: the file's name says which rows are
/// interactive. Other names leave the rows non-interactive (docs/replay.md).
fn admin_center_interactive(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let non = name.contains("noninteractive") || name.contains("non-interactive") || name.contains("non_interactive");
    !non && name.contains("interactive")
}

fn not_logs(path: &Path, line: usize, expected: &str) -> InputError {
    InputError::new(path, Some(Pos { line, column: 1 }), format!("this is not sign-in logs: expected {expected}"))
        .with_help(Some(
            "give Graph signIn records (a list response, an array or NDJSON), Log Analytics rows of SigninLogs or AADNonInteractiveUserSignInLogs (JSON, NDJSON or CSV), or the diagnostic-settings envelope (docs/replay.md)".into(),
        ))
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

pub(super) fn same_key(key: &str, name: &str) -> bool {
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

/// What a record left unsaid and `record` assumed.
struct Assumed {
    /// No status: a success.
    status: bool,
    /// No interactive flag: non-interactive.
    interactive: bool,
    /// No client app: a native one.
    client: bool,
}

/// One record and what it left unsaid, or the cause it is skipped for.
fn record(obj: &Map<String, Value>) -> Result<(LogRecord, Assumed), usize> {
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
    let used = text(obj, &["clientAppUsed", "Client app"]).unwrap_or("").to_ascii_lowercase();
    let client = match used.as_str() {
        _ if matches!(
            credential,
            "clientSecret" | "certificate" | "clientAssertion" | "federatedIdentityCredential"
        ) =>
        {
            ClientKind::Confidential
        }
        "browser" => ClientKind::Browser,
        "mobile apps and desktop clients" | "" => ClientKind::Native,
        _ => return Err(3),
    };
    let status = nested(obj, &["status"]);
    let code = get(&status, &["errorCode"]).or_else(|| get(obj, &["ResultType", "Sign-in error code", "errorCode"]));
    let error = code.and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
    let device = nested(obj, &["deviceDetail", "DeviceDetail"]);
    let location = nested(obj, &["location", "LocationDetails"]);
    let interactive = flag(get(obj, &["isInteractive", "IsInteractive"]));
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
        interactive: interactive.unwrap_or(false),
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
    Ok((
        r,
        Assumed {
            status: error.is_none(),
            interactive: interactive.is_none(),
            client: used.is_empty() && credential.is_empty(),
        },
    ))
}

fn is_hello(step: &Value) -> bool {
    step.get("authenticationMethod").and_then(Value::as_str).is_some_and(|m| m.contains("Windows Hello"))
}

/// RFC 3339 with or without fractions, `YYYY-MM-DD HH:MM:SS` with or without
/// them (UTC), the Log Analytics portal's `M/D/YYYY, h:mm:ss.fff AM` (its
/// CSV export's `[UTC]` columns), or Windows PowerShell's `/Date(ms)/` (its
/// `ConvertTo-Json` of a date: milliseconds since 1970 UTC), to the second.
fn parse_time(s: &str) -> Option<Instant> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    if let Some(inner) = s.strip_prefix("/Date(").and_then(|r| r.strip_suffix(")/")) {
        // An offset after the milliseconds (`+0100`) says where the date was shown, not when.
        let end = inner.char_indices().skip(1).find(|&(_, c)| c == '+' || c == '-').map_or(inner.len(), |(i, _)| i);
        let ms = inner[..end].parse::<i64>().ok()?;
        return chrono::DateTime::from_timestamp_millis(ms).map(|t| t.timestamp());
    }
    let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%m/%d/%Y, %I:%M:%S%.f %p"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())?;
    Some(naive.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Got {
        records: Vec<LogRecord>,
        skipped: BTreeMap<usize, u64>,
        first_skipped: Vec<(String, usize)>,
    }

    fn read(text: &str) -> Result<Got, InputError> {
        let (mut read, mut records) = (Read::default(), Vec::new());
        read_text(Path::new("t.json"), text, &mut read, &mut |r| records.push(r))?;
        assert_eq!(read.records, records.len() as u64);
        Ok(Got { records, skipped: read.skipped, first_skipped: read.first_skipped })
    }

    const GRAPH: &str = r#"{"createdDateTime":"2026-01-05T09:00:00.123Z","userPrincipalName":"Ann@Contoso.com","appId":"00000003-0000-0ff1-ce00-000000000000","clientAppUsed":"Browser","isInteractive":true,"status":{"errorCode":0},"deviceDetail":{"deviceId":"","operatingSystem":"Windows10","browser":"Chrome 131.0.0"}}"#;

    #[test]
    fn times_read_in_every_shape_an_export_writes_them() {
        let at = 1_767_604_530; // 2026-01-05T09:15:30Z
        for text in [
            "2026-01-05T09:15:30Z",
            "2026-01-05T09:15:30.4711234Z",
            "2026-01-05T10:15:30+01:00",
            "2026-01-05 09:15:30",
            "2026-01-05 09:15:30.478039",
            "2026-01-05T09:15:30.123",
            "1/5/2026, 9:15:30.123 AM",
            "/Date(1767604530123)/",
            "/Date(1767604530000+0100)/",
        ] {
            assert_eq!(parse_time(text), Some(at), "{text}");
        }
        assert_eq!(parse_time("1/5/2026, 9:15:30.123 PM"), Some(at + 12 * 3600));
        assert_eq!(parse_time("5 janvier 2026"), None);
        assert_eq!(parse_time("/Date(soon)/"), None);
        assert_eq!(parse_time("/Date(-1000)/"), Some(-1));
        assert_eq!(parse_time("/Date(9223372036854775807)/"), None, "past what a date can be");
    }

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
