//! Sign-in log records as Entra writes them (R-LOG-1..4): the engine emits a
//! `SignInEvent` for every token issuance and interactive sign-in; `record`
//! turns it into Microsoft Graph's `signIn` shape, `log_analytics` into Log
//! Analytics rows, `diagnostic` into the diagnostic settings envelope,
//! `admin_csv` into the admin center's download, `formats` into casim's CSV
//! and a table, and `aggregate` groups non-interactive records as the portal
//! does.

pub mod admin_csv;
pub mod aggregate;
pub mod diagnostic;
pub mod filter;
pub mod formats;
pub mod log_analytics;
pub mod parquet_rows;
pub mod record;
pub mod replay;
pub mod user_agent;
pub mod writer;

use std::net::IpAddr;

use crate::domain::{AppIdx, Client, DeviceIdx, ErrorCode, PolicyIdx, Rule, UserIdx};
use crate::time::Instant;

/// Windows Sign In, the app of a device sign-in's record.
pub const WINDOWS_SIGN_IN_APP_ID: &str = "38aa3b87-a06d-4817-b275-7a316988d93b";

/// What the token was for: an app of the scenario, or the device sign-in itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    App(AppIdx),
    WindowsSignIn,
}

/// Graph's `incomingTokenType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incoming {
    None,
    PrimaryRefreshToken,
    RefreshToken,
}

impl Incoming {
    pub fn graph_name(self) -> &'static str {
        match self {
            Incoming::None => "none",
            Incoming::PrimaryRefreshToken => "primaryRefreshToken",
            Incoming::RefreshToken => "refreshToken",
        }
    }
}

/// One entry of `authenticationDetails`.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthStep {
    pub method: &'static str,
    pub requirement: &'static str,
    pub detail: &'static str,
    pub succeeded: bool,
}

impl AuthStep {
    pub const fn new(method: &'static str, requirement: &'static str, detail: &'static str) -> AuthStep {
        AuthStep { method, requirement, detail, succeeded: true }
    }
}

pub const PASSWORD: AuthStep = AuthStep::new("Password", "Primary authentication", "Correct password");
pub const WINDOWS_HELLO: AuthStep = AuthStep::new(
    "Windows Hello for Business",
    "Primary authentication",
    "MFA requirement satisfied by claim in the token",
);
pub const PRIMARY_FROM_TOKEN: AuthStep = AuthStep::new(
    "Previously satisfied",
    "Primary authentication",
    "First factor requirement satisfied by claim in the token",
);
pub const MFA_DONE: AuthStep =
    AuthStep::new("Mobile app notification", "Multifactor authentication", "MFA successfully completed");
pub const MFA_FROM_TOKEN: AuthStep = AuthStep::new(
    "Previously satisfied",
    "Multifactor authentication",
    "MFA requirement satisfied by claim in the token",
);

/// R-RMFA-1: the MFA step a remembered device skipped.
pub const MFA_REMEMBERED: AuthStep = AuthStep::new(
    "Previously satisfied",
    "Multifactor authentication",
    "MFA requirement skipped due to remembered device",
);

/// R-CA-3: a policy's result on one sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyResult {
    pub policy: PolicyIdx,
    /// `success`, `failure`, `notApplied`, `notEnabled`, `reportOnly…`.
    pub result: &'static str,
}

/// Everything a sign-in record says, in engine terms. Records are written as
/// they are produced; nothing here refers back to engine state.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInEvent {
    /// Order of the record in the run: the input of its request id.
    pub serial: u64,
    pub at: Instant,
    pub user: UserIdx,
    pub device: DeviceIdx,
    pub client: Client,
    pub resource: Resource,
    pub interactive: bool,
    pub incoming: Incoming,
    /// `None` on success, else the AADSTS error (`status.errorCode`, 0 on success).
    pub error_code: Option<ErrorCode>,
    pub additional_details: Option<String>,
    pub steps: Vec<AuthStep>,
    pub multi_factor: bool,
    /// One entry per policy of the scenario; empty when Conditional Access was not evaluated.
    pub policies: Vec<PolicyResult>,
    /// `sessionLifetimePolicies`: (expirationRequirement, detail).
    pub session_lifetime: Vec<(&'static str, String)>,
    /// The sign-in session: records sharing it share a correlation id.
    pub session: u64,
    pub ip: IpAddr,
    /// The device's compliance at the record's instant.
    pub device_compliant: bool,
    /// The device's country at the record's instant (a step may have moved it).
    pub country: Option<String>,
    /// The index in `Outcome::prompts` of the prompt this record belongs to.
    pub prompt: Option<usize>,
    /// The artifacts behind the evaluated auth instant, newest first, in words
    /// (filled only when the run asks for explanations).
    pub lineage: Vec<String>,
    /// Rule ids that shaped this record.
    pub rules: Vec<Rule>,
    /// R-RES-1: issued by the Backup Authentication Service during an outage.
    pub backup_auth: bool,
}

/// Receives records as the engine produces them.
pub trait SignInSink {
    fn record(&mut self, event: SignInEvent);
}

impl<F: FnMut(SignInEvent)> SignInSink for F {
    fn record(&mut self, event: SignInEvent) {
        self(event)
    }
}
