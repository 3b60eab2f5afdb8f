//! `--format admin-csv`: the CSV file the Entra admin center's sign-in logs
//! *Download* writes, one file per tab (`--interactive`: "User sign-ins
//! (interactive)", `--non-interactive`: "User sign-ins (non-interactive)"),
//! both with the same columns.
//!
//! Microsoft documents the download (CSV or JSON, times in UTC:
//! https://learn.microsoft.com/entra/identity/monitoring-health/howto-download-logs)
//! but not its columns. The header below is the one public scripts that read
//! these files compare against, character for character, quotes included
//! (bitpusher2k/M365IRScripts, 02-ProcessEntraSignInLog.ps1, v2.9 of
//! 2024-10-14), with the two owner-tenant columns later downloads add after
//! "Application ID " and "Resource tenant ID" (docs/logs.md, "admin-csv",
//! lists what is confirmed and what is not). The oddities are the portal's:
//! a space ending "Application ID " and "Resource ID ", two spaces in
//! "Autonomous system  number", "Incoming token type" twice.

use std::borrow::Cow;

use super::formats::csv_field;
use super::record::SignIn;

/// What casim writes in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// Nothing casim models: left empty.
    Empty,
    Date,
    RequestId,
    UserAgent,
    CorrelationId,
    UserId,
    User,
    Username,
    UserType,
    CrossTenantAccessType,
    IncomingTokenType,
    UniqueTokenIdentifier,
    ClientCredentialType,
    Application,
    ApplicationId,
    Resource,
    ResourceId,
    ResourceTenantId,
    HomeTenantId,
    IpAddress,
    Location,
    Status,
    ErrorCode,
    FailureReason,
    ClientApp,
    DeviceId,
    Browser,
    OperatingSystem,
    Compliant,
    Managed,
    JoinType,
    MfaResult,
    MfaMethod,
    AuthenticationRequirement,
    SessionId,
    FlaggedForReview,
    TokenIssuerType,
    ConditionalAccess,
}

use Field as F;

/// The download's columns, in its order.
const COLUMNS: &[(&str, Field)] = &[
    ("Date (UTC)", F::Date),
    ("Request ID", F::RequestId),
    ("User agent", F::UserAgent),
    ("Correlation ID", F::CorrelationId),
    ("User ID", F::UserId),
    ("User", F::User),
    ("Username", F::Username),
    ("User type", F::UserType),
    ("Cross tenant access type", F::CrossTenantAccessType),
    ("Incoming token type", F::IncomingTokenType),
    ("Authentication Protocol", F::Empty),
    ("Unique token identifier", F::UniqueTokenIdentifier),
    ("Original transfer method", F::Empty),
    ("Client credential type", F::ClientCredentialType),
    ("Token Protection - Sign In Session", F::Empty),
    ("Token Protection - Sign In Session StatusCode", F::Empty),
    ("Application", F::Application),
    ("Application ID ", F::ApplicationId),
    ("App owner tenant ID", F::Empty),
    ("Resource", F::Resource),
    ("Resource ID ", F::ResourceId),
    ("Resource tenant ID", F::ResourceTenantId),
    ("Resource owner tenant ID", F::Empty),
    ("Home tenant ID", F::HomeTenantId),
    ("Home tenant name", F::Empty),
    ("IP address", F::IpAddress),
    ("Location", F::Location),
    ("Status", F::Status),
    ("Sign-in error code", F::ErrorCode),
    ("Failure reason", F::FailureReason),
    ("Client app", F::ClientApp),
    ("Device ID", F::DeviceId),
    ("Browser", F::Browser),
    ("Operating System", F::OperatingSystem),
    ("Compliant", F::Compliant),
    ("Managed", F::Managed),
    ("Join Type", F::JoinType),
    ("Multifactor authentication result", F::MfaResult),
    ("Multifactor authentication auth method", F::MfaMethod),
    ("Multifactor authentication auth detail", F::Empty),
    ("Authentication requirement", F::AuthenticationRequirement),
    ("Sign-in identifier", F::Username),
    ("Session ID", F::SessionId),
    ("IP address (seen by resource)", F::Empty),
    ("Through Global Secure Access", F::Empty),
    ("Global Secure Access IP address", F::Empty),
    ("Autonomous system  number", F::Empty),
    ("Flagged for review", F::FlaggedForReview),
    ("Token issuer type", F::TokenIssuerType),
    ("Incoming token type", F::IncomingTokenType),
    ("Token issuer name", F::Empty),
    ("Latency", F::Empty),
    ("Conditional Access", F::ConditionalAccess),
    ("Managed Identity type", F::Empty),
    ("Associated Resource Id", F::Empty),
    ("Federated Token Id", F::Empty),
    ("Federated Token Issuer", F::Empty),
];

/// The column names, in order.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|(name, _)| *name)
}

/// The header line (without its CRLF): every name quoted, as the download writes it.
pub fn header() -> String {
    let mut line = String::with_capacity(1200);
    for (i, name) in column_names().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_quoted(&mut line, name);
    }
    line
}

/// Errors the sign-in log shows as *Interrupted* rather than *Failure*: the
/// user is asked for something (MFA, "Stay signed in?", a device) and the
/// sign-in goes on. casim's choice; Microsoft lists no codes.
const INTERRUPTS: [u32; 5] = [50074, 50076, 50078, 50097, 50140];

/// `Status`: Success, Failure or Interrupted.
pub fn status(error_code: u32) -> &'static str {
    match error_code {
        0 => "Success",
        c if INTERRUPTS.contains(&c) => "Interrupted",
        _ => "Failure",
    }
}

/// One record's line (without its CRLF).
pub fn row(s: &SignIn) -> String {
    let mut line = String::with_capacity(1600);
    for (i, (_, field)) in COLUMNS.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        // A cell a spreadsheet would run as a formula is neutralised as in
        // every casim CSV (docs/output.md); `csv_field` quotes it.
        let value = value(s, *field);
        match csv_field(&value) {
            Cow::Owned(quoted) if quoted.starts_with("\"'") => line.push_str(&quoted),
            _ => push_quoted(&mut line, &value),
        }
    }
    line
}

fn push_quoted(line: &mut String, text: &str) {
    line.push('"');
    for c in text.chars() {
        if c == '"' {
            line.push('"');
        }
        line.push(c);
    }
    line.push('"');
}

fn flag(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// The multifactor step of a record: its method and result.
fn mfa_step(s: &SignIn) -> Option<(&'static str, &'static str)> {
    s.authentication_details
        .iter()
        .find(|d| d.authentication_step_requirement == "Multifactor authentication")
        .map(|d| (d.authentication_method, d.authentication_step_result_detail))
}

fn value<'s>(s: &'s SignIn, field: Field) -> Cow<'s, str> {
    let b = Cow::Borrowed;
    match field {
        F::Empty => b(""),
        F::Date => b(&s.created_date_time),
        F::RequestId => b(&s.id),
        F::UserAgent => b(s.user_agent),
        F::CorrelationId => b(&s.correlation_id),
        F::UserId => b(&s.user_id),
        F::User => b(s.user_display_name),
        F::Username => b(s.user_principal_name),
        F::UserType => b(s.user_type),
        F::CrossTenantAccessType => b(s.cross_tenant_access_type),
        F::IncomingTokenType => b(s.incoming_token_type),
        F::UniqueTokenIdentifier => b(&s.unique_token_identifier),
        F::ClientCredentialType => b(s.client_credential_type),
        F::Application => b(s.app_display_name),
        F::ApplicationId => b(s.app_id),
        F::Resource => b(s.resource_display_name),
        F::ResourceId => b(s.resource_id),
        F::ResourceTenantId => b(s.resource_tenant_id),
        F::HomeTenantId => b(&s.home_tenant_id),
        F::IpAddress => b(&s.ip_address),
        F::Location => match s.location.country_or_region {
            "" => b(""),
            country => Cow::Owned(format!("{}, {}, {country}", s.location.city, s.location.state)),
        },
        F::Status => b(status(s.status.error_code)),
        F::ErrorCode => Cow::Owned(s.status.error_code.to_string()),
        F::FailureReason => b(s.status.failure_reason),
        F::ClientApp => b(s.client_app_used),
        F::DeviceId => b(&s.device_detail.device_id),
        F::Browser => b(s.device_detail.browser),
        F::OperatingSystem => b(s.device_detail.operating_system),
        F::Compliant => b(flag(s.device_detail.is_compliant)),
        F::Managed => b(flag(s.device_detail.is_managed)),
        F::JoinType => b(s.device_detail.trust_type),
        F::MfaResult => b(mfa_step(s).map_or("", |(_, result)| result)),
        F::MfaMethod => b(mfa_step(s).map_or("", |(method, _)| method)),
        F::AuthenticationRequirement => b(s.authentication_requirement),
        F::SessionId => b(&s.session_id),
        F::FlaggedForReview => b("false"),
        F::TokenIssuerType => b(s.token_issuer_type),
        F::ConditionalAccess => b(s.conditional_access_status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signin::MFA_DONE;
    use crate::signin::record::test_support::{Fixture, event};

    #[test]
    fn the_header_is_the_downloads_character_for_character() {
        let header = header();
        assert!(header.starts_with("\"Date (UTC)\",\"Request ID\",\"User agent\",\"Correlation ID\","));
        assert!(header.contains(",\"Application ID \",\"App owner tenant ID\",\"Resource\",\"Resource ID \","));
        assert!(header.contains(",\"Autonomous system  number\","));
        assert!(header.ends_with(",\"Federated Token Id\",\"Federated Token Issuer\""));
        assert_eq!(column_names().count(), 57);
        assert_eq!(column_names().filter(|n| *n == "Incoming token type").count(), 2);
    }

    #[test]
    fn a_row_has_one_quoted_cell_per_column_and_the_portals_words() {
        let fx = Fixture::new();
        let mut e = event(2, fx.scenario.start, fx.app("pay"), 50140);
        e.steps.push(MFA_DONE);
        e.country = Some("FR".into());
        let recorder = fx.recorder();
        let s = recorder.sign_in(&e);
        let line = row(&s);
        let cells: Vec<&str> = line.split("\",\"").collect();
        // The app name holds a comma and quotes, so split on the separators only.
        assert_eq!(cells.len(), COLUMNS.len(), "{line}");
        assert!(line.starts_with('"') && line.ends_with('"'));
        assert!(line.contains(",\"Pay, \"\"EU\"\"\","), "{line}");
        assert!(line.contains(",\"Interrupted\",\"50140\","), "{line}");
        assert!(line.contains(",\", , FR\","), "{line}");
        assert!(line.contains(",\"MFA successfully completed\",\"Mobile app notification\","), "{line}");
        assert_eq!(status(0), "Success");
        assert_eq!(status(70044), "Failure");
    }
}
