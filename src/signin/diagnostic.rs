//! `--format diagnostic`: sign-in records in the envelope Azure Monitor
//! diagnostic settings deliver to an Event Hub (and, one record per line, to
//! a storage account), field for field in the order of Microsoft's sample
//! record: https://learn.microsoft.com/entra/identity/monitoring-health/reference-azure-monitor-sign-ins-log-schema
//! (source: MicrosoftDocs/entra-docs,
//! docs/identity/monitoring-health/reference-azure-monitor-sign-ins-log-schema.md).
//!
//! `properties` is the Graph record (`record::SignIn`) with one difference the
//! sample shows: `userType` is `Member` or `Guest`, as in Log Analytics.

use serde::{Serialize, Serializer};

use super::log_analytics::{AADIAM, OPERATION_NAME, OPERATION_VERSION, RESULT_SIGNATURE, Table};
use super::record::SignIn;

/// The opening of the document: `{"records": [`.
pub const OPEN: &[u8] = b"{\"records\":[";

/// One record of the envelope.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record<'r> {
    time: &'r str,
    resource_id: ResourcePath<'r>,
    operation_name: &'static str,
    operation_version: &'static str,
    category: &'static str,
    tenant_id: &'r str,
    /// The error code as text, `0` on success (the sample's `"50140"`).
    result_type: ErrorText,
    result_signature: &'static str,
    result_description: &'r str,
    duration_ms: u32,
    caller_ip_address: &'r str,
    correlation_id: &'r str,
    identity: &'r str,
    /// 4, informational, as in the sample (a number here, text in Log Analytics).
    #[serde(rename = "Level")]
    level: u8,
    location: &'r str,
    properties: &'r SignIn<'r>,
}

/// `/tenants/<tenant>/providers/Microsoft.aadiam`.
struct ResourcePath<'r>(&'r str);

impl Serialize for ResourcePath<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("/tenants/{}/providers/{AADIAM}", self.0))
    }
}

struct ErrorText(u32);

impl Serialize for ErrorText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// The envelope of a record whose `userType` the caller has already written
/// the envelope's way (`log_analytics::user_type`).
pub fn record<'r>(s: &'r SignIn<'r>) -> Record<'r> {
    Record {
        time: &s.created_date_time,
        resource_id: ResourcePath(s.resource_tenant_id),
        operation_name: OPERATION_NAME,
        operation_version: OPERATION_VERSION,
        category: Table::of(s.is_interactive).category(),
        tenant_id: s.resource_tenant_id,
        result_type: ErrorText(s.status.error_code),
        result_signature: RESULT_SIGNATURE,
        result_description: s.status.failure_reason,
        duration_ms: 0,
        caller_ip_address: &s.ip_address,
        correlation_id: &s.correlation_id,
        identity: s.user_display_name,
        level: 4,
        location: s.location.country_or_region,
        properties: s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signin::log_analytics::user_type;
    use crate::signin::record::test_support::{Fixture, event};
    use serde_json::Value;

    #[test]
    fn the_envelope_has_the_sample_records_fields_in_its_order() {
        let fx = Fixture::new();
        let e = event(5, fx.scenario.start, fx.app("pay"), 70043);
        let recorder = fx.recorder();
        let mut s = recorder.sign_in(&e);
        s.user_type = user_type(s.user_type);
        let text = serde_json::to_string(&record(&s)).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = [
            "time",
            "resourceId",
            "operationName",
            "operationVersion",
            "category",
            "tenantId",
            "resultType",
            "resultSignature",
            "resultDescription",
            "durationMs",
            "callerIpAddress",
            "correlationId",
            "identity",
            "Level",
            "location",
            "properties",
        ];
        // serde_json's map keeps keys sorted; the text keeps the order written.
        let positions: Vec<usize> = expected.iter().map(|k| text.find(&format!("\"{k}\":")).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        expected.sort_unstable();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(v["category"], "NonInteractiveUserSignInLogs");
        assert_eq!(v["resultType"], "70043");
        assert_eq!(v["resultSignature"], "None");
        assert_eq!(v["Level"], 4);
        assert_eq!(v["operationName"], "Sign-in activity");
        assert_eq!(v["properties"]["userType"], "Member");
        assert_eq!(v["properties"]["id"], v["properties"]["originalRequestId"]);
        assert_eq!(v["tenantId"], v["properties"]["resourceTenantId"]);
        assert!(v["resourceId"].as_str().unwrap().ends_with("/providers/Microsoft.aadiam"));
    }
}
