//! Log Analytics rows (`--format ndjson`): the columns of `SigninLogs` and
//! `AADNonInteractiveUserSignInLogs`, each with the type its table declares,
//! in the order the Azure Monitor table reference lists them, and what casim
//! writes in each.
//!
//! The two tables type the same column differently: `DeviceDetail`,
//! `LocationDetails`, `Status` and `ConditionalAccessPolicies` are `dynamic`
//! (a JSON object or array) in `SigninLogs` but `string` (JSON text) in
//! `AADNonInteractiveUserSignInLogs`, and both tables hold
//! `AuthenticationDetails` and `SessionLifetimePolicies` as JSON text. So a
//! value is written by the type of its column, never by its own shape.

use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};

use super::record::SignIn;

/// A column type of the Azure Monitor table reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    String,
    Dynamic,
    Bool,
    DateTime,
    Long,
    Real,
}

impl Ty {
    /// As the reference spells it.
    pub fn name(self) -> &'static str {
        match self {
            Ty::String => "string",
            Ty::Dynamic => "dynamic",
            Ty::Bool => "bool",
            Ty::DateTime => "datetime",
            Ty::Long => "long",
            Ty::Real => "real",
        }
    }
}

/// What casim writes in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Left out: casim cannot derive it (docs/logs.md, "What casim cannot derive").
    Absent,
    AppDisplayName,
    AppId,
    AuthenticationDetails,
    AuthenticationRequirement,
    Category,
    ClientAppUsed,
    ConditionalAccessPolicies,
    ConditionalAccessStatus,
    CorrelationId,
    CreatedDateTime,
    CrossTenantAccessType,
    DeviceDetail,
    /// `DurationMs`: 0, as in Microsoft's sample record ("unmapped").
    DurationMs,
    /// `FlaggedForReview`: false; no user of a simulation flags a sign-in.
    FlaggedForReview,
    HomeTenantId,
    Id,
    /// `Identity`: the user's display name, as in Microsoft's sample record.
    Identity,
    IpAddress,
    IsInteractive,
    /// `Level`: "4" (the sample record's `Level: 4`, informational).
    Level,
    /// `Location`: the two-letter country of the sign-in.
    Location,
    LocationDetails,
    OperationName,
    OperationVersion,
    OriginalRequestId,
    /// `Resource`, `ResourceGroup`, `ResourceProvider`: `Microsoft.aadiam`,
    /// the provider of the diagnostic record's `resourceId`.
    Aadiam,
    ResourceDisplayName,
    /// `ResourceId` of `SigninLogs`: the diagnostic record's `resourceId`,
    /// `/tenants/<tenant>/providers/Microsoft.aadiam`, not the app.
    ResourcePath,
    /// `ResourceIdentity`: the id of the resource signed in to.
    ResourceIdentity,
    ResourceTenantId,
    ResultDescription,
    ResultSignature,
    ResultType,
    ServicePrincipalId,
    SessionLifetimePolicies,
    SignInEventTypes,
    SourceSystem,
    Status,
    /// `AADTenantId`: the directory's tenant.
    TenantId,
    TokenIssuerName,
    TokenIssuerType,
    /// `Type`: the table's name.
    Table,
    UniqueTokenIdentifier,
    UserAgent,
    UserDisplayName,
    UserId,
    /// `AlternateSignInName`, `SignInIdentifier`, `UserPrincipalName`.
    UserPrincipalName,
    UserType,
    /// `TenantId`: "The Log Analytics workspace ID".
    WorkspaceId,
}

/// One column: its name and type as the reference gives them, and what casim writes.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Ty,
    pub field: Field,
}

const fn col(name: &'static str, ty: Ty, field: Field) -> Column {
    Column { name, ty, field }
}

use Field as F;
use Ty::{Bool, DateTime, Dynamic, Long, Real, String as Str};

/// `SigninLogs`, column by column in the reference's order:
/// https://learn.microsoft.com/azure/azure-monitor/reference/tables/signinlogs
/// (source: MicrosoftDocs/azure-reference-other,
/// azure-monitor-ref/tables/includes/signinlogs-include.md). `TenantId` is not
/// in that list; it is one of the standard columns every table has
/// (https://learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns)
/// and stands where the other table lists it.
pub const SIGNIN_LOGS: &[Column] = &[
    col("AADTenantId", Str, F::TenantId),
    col("AlternateSignInName", Str, F::UserPrincipalName),
    col("AppDisplayName", Str, F::AppDisplayName),
    col("AppId", Str, F::AppId),
    col("AppliedConditionalAccessPolicies", Str, F::Absent),
    col("AppliedEventListeners", Dynamic, F::Absent),
    col("AuthenticationContextClassReferences", Str, F::Absent),
    col("AuthenticationDetails", Str, F::AuthenticationDetails),
    col("AuthenticationMethodsUsed", Str, F::Absent),
    col("AuthenticationProcessingDetails", Str, F::Absent),
    col("AuthenticationProtocol", Str, F::Absent),
    col("AuthenticationRequirement", Str, F::AuthenticationRequirement),
    col("AuthenticationRequirementPolicies", Str, F::Absent),
    col("AutonomousSystemNumber", Str, F::Absent),
    col("_BilledSize", Real, F::Absent),
    col("Category", Str, F::Category),
    col("ClientAppUsed", Str, F::ClientAppUsed),
    col("ConditionalAccessPolicies", Dynamic, F::ConditionalAccessPolicies),
    col("ConditionalAccessStatus", Str, F::ConditionalAccessStatus),
    col("CorrelationId", Str, F::CorrelationId),
    col("CreatedDateTime", DateTime, F::CreatedDateTime),
    col("CrossTenantAccessType", Str, F::CrossTenantAccessType),
    col("DeviceDetail", Dynamic, F::DeviceDetail),
    col("DurationMs", Long, F::DurationMs),
    col("FlaggedForReview", Bool, F::FlaggedForReview),
    col("HomeTenantId", Str, F::HomeTenantId),
    col("Id", Str, F::Id),
    col("Identity", Str, F::Identity),
    col("IPAddress", Str, F::IpAddress),
    col("IPAddressFromResourceProvider", Str, F::Absent),
    col("_IsBillable", Str, F::Absent),
    col("IsInteractive", Bool, F::IsInteractive),
    col("IsRisky", Bool, F::Absent),
    col("Level", Str, F::Level),
    col("Location", Str, F::Location),
    col("LocationDetails", Dynamic, F::LocationDetails),
    col("MfaDetail", Dynamic, F::Absent),
    col("NetworkLocationDetails", Str, F::Absent),
    col("OperationName", Str, F::OperationName),
    col("OperationVersion", Str, F::OperationVersion),
    col("OriginalRequestId", Str, F::OriginalRequestId),
    col("ProcessingTimeInMilliseconds", Str, F::Absent),
    col("Resource", Str, F::Aadiam),
    col("ResourceDisplayName", Str, F::ResourceDisplayName),
    col("ResourceGroup", Str, F::Aadiam),
    col("ResourceId", Str, F::ResourcePath),
    col("ResourceIdentity", Str, F::ResourceIdentity),
    col("ResourceProvider", Str, F::Aadiam),
    col("ResourceServicePrincipalId", Str, F::Absent),
    col("ResourceTenantId", Str, F::ResourceTenantId),
    col("ResultDescription", Str, F::ResultDescription),
    col("ResultSignature", Str, F::ResultSignature),
    col("ResultType", Str, F::ResultType),
    col("RiskDetail", Str, F::Absent),
    col("RiskEventTypes", Str, F::Absent),
    col("RiskEventTypes_V2", Str, F::Absent),
    col("RiskLevel", Str, F::Absent),
    col("RiskLevelAggregated", Str, F::Absent),
    col("RiskLevelDuringSignIn", Str, F::Absent),
    col("RiskState", Str, F::Absent),
    col("ServicePrincipalId", Str, F::ServicePrincipalId),
    col("ServicePrincipalName", Str, F::Absent),
    col("SessionLifetimePolicies", Str, F::SessionLifetimePolicies),
    col("SignInIdentifier", Str, F::UserPrincipalName),
    col("SignInIdentifierType", Str, F::Absent),
    col("SourceSystem", Str, F::SourceSystem),
    col("Status", Dynamic, F::Status),
    col("TenantId", Str, F::WorkspaceId),
    col("TimeGenerated", DateTime, F::CreatedDateTime),
    col("TokenIssuerName", Str, F::TokenIssuerName),
    col("TokenIssuerType", Str, F::TokenIssuerType),
    col("Type", Str, F::Table),
    col("UniqueTokenIdentifier", Str, F::UniqueTokenIdentifier),
    col("UserAgent", Str, F::UserAgent),
    col("UserDisplayName", Str, F::UserDisplayName),
    col("UserId", Str, F::UserId),
    col("UserPrincipalName", Str, F::UserPrincipalName),
    col("UserType", Str, F::UserType),
];

/// `AADNonInteractiveUserSignInLogs`, column by column in the reference's order:
/// https://learn.microsoft.com/azure/azure-monitor/reference/tables/aadnoninteractiveusersigninlogs
/// (source: MicrosoftDocs/azure-reference-other,
/// azure-monitor-ref/tables/includes/aadnoninteractiveusersigninlogs-include.md).
/// The table has no `AADTenantId`; its `TenantId` is the workspace.
pub const NON_INTERACTIVE_USER_SIGNIN_LOGS: &[Column] = &[
    col("AlternateSignInName", Str, F::UserPrincipalName),
    col("AppDisplayName", Str, F::AppDisplayName),
    col("AppId", Str, F::AppId),
    col("AppliedEventListeners", Dynamic, F::Absent),
    col("AuthenticationContextClassReferences", Str, F::Absent),
    col("AuthenticationDetails", Str, F::AuthenticationDetails),
    col("AuthenticationMethodsUsed", Str, F::Absent),
    col("AuthenticationProcessingDetails", Str, F::Absent),
    col("AuthenticationProtocol", Str, F::Absent),
    col("AuthenticationRequirement", Str, F::AuthenticationRequirement),
    col("AuthenticationRequirementPolicies", Str, F::Absent),
    col("AutonomousSystemNumber", Str, F::Absent),
    col("_BilledSize", Real, F::Absent),
    col("Category", Str, F::Category),
    col("ClientAppUsed", Str, F::ClientAppUsed),
    col("ConditionalAccessPolicies", Str, F::ConditionalAccessPolicies),
    col("ConditionalAccessStatus", Str, F::ConditionalAccessStatus),
    col("CorrelationId", Str, F::CorrelationId),
    col("CreatedDateTime", DateTime, F::CreatedDateTime),
    col("CrossTenantAccessType", Str, F::CrossTenantAccessType),
    col("DeviceDetail", Str, F::DeviceDetail),
    col("DurationMs", Long, F::DurationMs),
    col("HomeTenantId", Str, F::HomeTenantId),
    col("Id", Str, F::Id),
    col("Identity", Str, F::Identity),
    col("IPAddress", Str, F::IpAddress),
    col("_IsBillable", Str, F::Absent),
    col("IsInteractive", Bool, F::IsInteractive),
    col("IsRisky", Bool, F::Absent),
    col("Level", Str, F::Level),
    col("Location", Str, F::Location),
    col("LocationDetails", Str, F::LocationDetails),
    col("MfaDetail", Str, F::Absent),
    col("NetworkLocationDetails", Str, F::Absent),
    col("OperationName", Str, F::OperationName),
    col("OperationVersion", Str, F::OperationVersion),
    col("OriginalRequestId", Str, F::OriginalRequestId),
    col("ProcessingTimeInMs", Str, F::Absent),
    col("ResourceDisplayName", Str, F::ResourceDisplayName),
    col("ResourceGroup", Str, F::Aadiam),
    col("ResourceIdentity", Str, F::ResourceIdentity),
    col("ResourceServicePrincipalId", Str, F::Absent),
    col("ResourceTenantId", Str, F::ResourceTenantId),
    col("ResultDescription", Str, F::ResultDescription),
    col("ResultSignature", Str, F::ResultSignature),
    col("ResultType", Str, F::ResultType),
    col("RiskDetail", Str, F::Absent),
    col("RiskEventTypes", Str, F::Absent),
    col("RiskEventTypes_V2", Str, F::Absent),
    col("RiskLevelAggregated", Str, F::Absent),
    col("RiskLevelDuringSignIn", Str, F::Absent),
    col("RiskState", Str, F::Absent),
    col("ServicePrincipalId", Str, F::ServicePrincipalId),
    col("SessionLifetimePolicies", Str, F::SessionLifetimePolicies),
    col("SignInEventTypes", Str, F::SignInEventTypes),
    col("SignInIdentifierType", Str, F::Absent),
    col("SourceSystem", Str, F::SourceSystem),
    col("Status", Str, F::Status),
    col("TenantId", Str, F::WorkspaceId),
    col("TimeGenerated", DateTime, F::CreatedDateTime),
    col("TokenIssuerName", Str, F::TokenIssuerName),
    col("TokenIssuerType", Str, F::TokenIssuerType),
    col("Type", Str, F::Table),
    col("UniqueTokenIdentifier", Str, F::UniqueTokenIdentifier),
    col("UserAgent", Str, F::UserAgent),
    col("UserDisplayName", Str, F::UserDisplayName),
    col("UserId", Str, F::UserId),
    col("UserPrincipalName", Str, F::UserPrincipalName),
    col("UserType", Str, F::UserType),
];

/// The two tables of user sign-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    SigninLogs,
    NonInteractiveUserSignInLogs,
}

impl Table {
    pub fn of(interactive: bool) -> Table {
        if interactive { Table::SigninLogs } else { Table::NonInteractiveUserSignInLogs }
    }

    /// The table's name (the `Type` column).
    pub fn name(self) -> &'static str {
        match self {
            Table::SigninLogs => "SigninLogs",
            Table::NonInteractiveUserSignInLogs => "AADNonInteractiveUserSignInLogs",
        }
    }

    /// The diagnostic settings category that feeds the table (`Category`).
    pub fn category(self) -> &'static str {
        match self {
            Table::SigninLogs => "SignInLogs",
            Table::NonInteractiveUserSignInLogs => "NonInteractiveUserSignInLogs",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::SigninLogs => SIGNIN_LOGS,
            Table::NonInteractiveUserSignInLogs => NON_INTERACTIVE_USER_SIGNIN_LOGS,
        }
    }
}

/// "Sign-in activity": the `OperationName` of every sign-in (both tables' reference).
pub const OPERATION_NAME: &str = "Sign-in activity";
/// The `operationVersion` of Microsoft's sample diagnostic record.
pub const OPERATION_VERSION: &str = "1.0";
/// "This value is always *None*" (reference-azure-monitor-sign-ins-log-schema).
pub const RESULT_SIGNATURE: &str = "None";
/// The provider of the diagnostic record's `resourceId`.
pub const AADIAM: &str = "Microsoft.aadiam";
/// `SourceSystem` of Entra ID's rows.
pub const SOURCE_SYSTEM: &str = "Azure AD";

/// `UserType` as Log Analytics rows and diagnostic records write it: `Member`
/// or `Guest`, where Graph writes `member` or `guest`.
pub fn user_type(graph: &str) -> &'static str {
    if graph == "guest" { "Guest" } else { "Member" }
}

/// The Log Analytics row of a record, in the table its kind goes to.
pub struct Row<'r> {
    table: Table,
    s: &'r SignIn<'r>,
}

pub fn row<'r>(s: &'r SignIn<'r>) -> Row<'r> {
    Row { table: Table::of(s.is_interactive), s }
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut map = ser.serialize_map(None)?;
        for c in self.table.columns() {
            self.cell(c, &mut map)?;
        }
        map.end()
    }
}

impl Row<'_> {
    fn cell<M: SerializeMap>(&self, c: &Column, m: &mut M) -> Result<(), M::Error> {
        let s = self.s;
        let put = |m: &mut M, v: &str| text(m, c, v);
        match c.field {
            F::Absent => Ok(()),
            F::AppDisplayName => put(m, s.app_display_name),
            F::AppId => put(m, s.app_id),
            F::AuthenticationDetails => nested(m, c, &s.authentication_details),
            F::AuthenticationRequirement => put(m, s.authentication_requirement),
            F::Category => put(m, self.table.category()),
            F::ClientAppUsed => put(m, s.client_app_used),
            F::ConditionalAccessPolicies => nested(m, c, &s.applied_conditional_access_policies),
            F::ConditionalAccessStatus => put(m, s.conditional_access_status),
            F::CorrelationId => put(m, &s.correlation_id),
            F::CreatedDateTime => put(m, &s.created_date_time),
            F::CrossTenantAccessType => put(m, s.cross_tenant_access_type),
            F::DeviceDetail => nested(m, c, &s.device_detail),
            F::DurationMs => long(m, c, 0),
            F::FlaggedForReview => boolean(m, c, false),
            F::HomeTenantId => put(m, &s.home_tenant_id),
            F::Id => put(m, &s.id),
            F::Identity | F::UserDisplayName => put(m, s.user_display_name),
            F::IpAddress => put(m, &s.ip_address),
            F::IsInteractive => boolean(m, c, s.is_interactive),
            F::Level => put(m, "4"),
            F::Location => put(m, s.location.country_or_region),
            F::LocationDetails => nested(m, c, &s.location),
            F::OperationName => put(m, OPERATION_NAME),
            F::OperationVersion => put(m, OPERATION_VERSION),
            F::OriginalRequestId => put(m, &s.original_request_id),
            F::Aadiam => put(m, AADIAM),
            F::ResourceDisplayName => put(m, s.resource_display_name),
            F::ResourcePath => {
                debug_assert_eq!(c.ty, Ty::String);
                m.serialize_entry(c.name, &format_args!("/tenants/{}/providers/{AADIAM}", s.resource_tenant_id))
            }
            F::ResourceIdentity => put(m, s.resource_id),
            F::ResourceTenantId | F::TenantId => put(m, s.resource_tenant_id),
            F::ResultDescription => put(m, s.status.failure_reason),
            F::ResultSignature => put(m, RESULT_SIGNATURE),
            F::ResultType => {
                debug_assert_eq!(c.ty, Ty::String);
                m.serialize_entry(c.name, &format_args!("{}", s.status.error_code))
            }
            F::ServicePrincipalId => put(m, s.service_principal_id),
            F::SessionLifetimePolicies => nested(m, c, &s.session_lifetime_policies),
            F::SignInEventTypes => nested(m, c, &s.sign_in_event_types),
            F::SourceSystem => put(m, SOURCE_SYSTEM),
            F::Status => nested(m, c, &s.status),
            F::TokenIssuerName => put(m, ""),
            F::TokenIssuerType => put(m, s.token_issuer_type),
            F::Table => put(m, self.table.name()),
            F::UniqueTokenIdentifier => put(m, &s.unique_token_identifier),
            F::UserAgent => put(m, s.user_agent),
            F::UserId => put(m, &s.user_id),
            F::UserPrincipalName => put(m, s.user_principal_name),
            F::UserType => put(m, user_type(s.user_type)),
            F::WorkspaceId => put(m, s.workspace_id),
        }
    }
}

fn text<M: SerializeMap>(m: &mut M, c: &Column, v: &str) -> Result<(), M::Error> {
    debug_assert!(matches!(c.ty, Ty::String | Ty::DateTime), "{} is {}", c.name, c.ty.name());
    m.serialize_entry(c.name, v)
}

fn boolean<M: SerializeMap>(m: &mut M, c: &Column, v: bool) -> Result<(), M::Error> {
    debug_assert_eq!(c.ty, Ty::Bool, "{}", c.name);
    m.serialize_entry(c.name, &v)
}

fn long<M: SerializeMap>(m: &mut M, c: &Column, v: i64) -> Result<(), M::Error> {
    debug_assert_eq!(c.ty, Ty::Long, "{}", c.name);
    m.serialize_entry(c.name, &v)
}

/// A nested Graph value: as JSON in a `dynamic` column, as JSON text in a `string` one.
fn nested<M: SerializeMap, T: Serialize + ?Sized>(m: &mut M, c: &Column, v: &T) -> Result<(), M::Error> {
    match c.ty {
        Ty::Dynamic => m.serialize_entry(c.name, v),
        Ty::String => m.serialize_entry(c.name, &JsonText(v)),
        other => Err(M::Error::custom(format!("{} is {}, not JSON", c.name, other.name()))),
    }
}

/// The JSON of a value as a string. Serialized through `collect_str`, so
/// serde_json escapes it as it is written, with no string in between: a
/// non-interactive row holds six of these, and a `to_string` each was the
/// largest cost of `--format ndjson` (bench/logs-vs-serde.sh).
struct JsonText<'v, T: ?Sized>(&'v T);

impl<T: Serialize + ?Sized> Serialize for JsonText<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<T: Serialize + ?Sized> std::fmt::Display for JsonText<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// serde_json writes whole UTF-8 pieces (it cuts strings only at
        /// the ASCII characters it escapes), so each piece is a `str`.
        struct Out<'a, 'b>(&'a mut std::fmt::Formatter<'b>);
        impl std::io::Write for Out<'_, '_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                let text = std::str::from_utf8(buf).map_err(std::io::Error::other)?;
                self.0.write_str(text).map_err(std::io::Error::other)?;
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        serde_json::to_writer(Out(f), self.0).map_err(|_| std::fmt::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signin::record::test_support::{Fixture, event};
    use serde_json::Value;

    /// The reference's columns and types, as the two include files list them
    /// (names and types only), so that the tables above are held to the page.
    const REFERENCE: &str = include_str!("../../tests/fixtures/log-analytics/columns.txt");

    fn reference(table: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut current = "";
        for line in REFERENCE.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            if let Some(name) = line.strip_prefix("table ") {
                current = if name == table { table } else { "" };
                continue;
            }
            if current.is_empty() {
                continue;
            }
            let (name, ty) = line.split_once(' ').expect("`Name type`");
            out.push((name.to_string(), ty.trim().to_string()));
        }
        out
    }

    #[test]
    fn the_column_tables_follow_the_reference_name_type_and_order() {
        for table in [Table::SigninLogs, Table::NonInteractiveUserSignInLogs] {
            let ours: Vec<(String, String)> =
                table.columns().iter().map(|c| (c.name.to_string(), c.ty.name().to_string())).collect();
            assert_eq!(ours, reference(table.name()), "{}", table.name());
        }
    }

    #[test]
    fn the_same_record_is_typed_by_each_table() {
        let fx = Fixture::new();
        let recorder = fx.recorder();
        let mut e = event(3, fx.scenario.start, fx.app("pay"), 70043);
        let non = recorder.sign_in(&e);
        let r: Value = serde_json::to_value(row(&non)).unwrap();
        assert_eq!(r["Type"], "AADNonInteractiveUserSignInLogs");
        assert_eq!(r["Category"], "NonInteractiveUserSignInLogs");
        assert_eq!(r["ResultType"], "70043");
        assert_eq!(r["ResultSignature"], "None");
        assert_eq!(r["OperationName"], "Sign-in activity");
        assert_eq!(r["UserType"], "Member");
        assert_eq!(r["DurationMs"], 0);
        // JSON text in this table: the text parses back to Graph's object.
        let device: Value = serde_json::from_str(r["DeviceDetail"].as_str().expect("DeviceDetail is text")).unwrap();
        assert_eq!(device["isCompliant"], true);
        assert!(r["Status"].is_string() && r["LocationDetails"].is_string());
        assert_eq!(r["SignInEventTypes"], "[\"nonInteractiveUser\"]");
        assert!(r.get("AADTenantId").is_none() && r.get("SessionId").is_none());
        e.interactive = true;
        let int = recorder.sign_in(&e);
        let r: Value = serde_json::to_value(row(&int)).unwrap();
        assert_eq!(r["Type"], "SigninLogs");
        assert!(r["DeviceDetail"].is_object() && r["Status"].is_object() && r["LocationDetails"].is_object());
        assert!(r["ConditionalAccessPolicies"].is_array());
        assert!(r["AuthenticationDetails"].is_string() && r["SessionLifetimePolicies"].is_string());
        assert_eq!(r["AADTenantId"], r["ResourceTenantId"]);
        assert_ne!(r["TenantId"], r["AADTenantId"], "TenantId is the workspace");
        assert_eq!(r["FlaggedForReview"], false);
        assert!(r.get("SignInEventTypes").is_none(), "not a SigninLogs column");
        let path = format!("/tenants/{}/providers/Microsoft.aadiam", r["AADTenantId"].as_str().unwrap());
        assert_eq!(r["ResourceId"], path.as_str());
    }
}
