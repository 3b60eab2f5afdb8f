//! Sign-in log records as Entra writes them (R-LOG-1..4): the engine emits a
//! `SignInEvent` for every token issuance and interactive sign-in; `record`
//! turns it into Microsoft Graph's `signIn` shape, `formats` into Log
//! Analytics rows, CSV and a table, and `aggregate` groups non-interactive
//! records as the portal does.

pub mod aggregate;
pub mod filter;
pub mod formats;
pub mod record;

use std::net::IpAddr;

use crate::domain::{AppIdx, Client, DeviceIdx, PolicyIdx, UserIdx};
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
    /// 0 on success, else the AADSTS code.
    pub error_code: u32,
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
    pub rules: Vec<&'static str>,
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

/// The `failureReason` words for an error code (REFERENCE.md, error codes).
pub fn failure_reason(code: u32) -> &'static str {
    match code {
        0 => "",
        70043 => "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
        70044 => "The session has expired or is invalid due to sign-in frequency checks by conditional access.",
        50078 => "Presented multi-factor authentication has expired due to policies configured by your administrator.",
        50074 => "Strong Authentication is required.",
        50076 => {
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource."
        }
        50140 => "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
        50173 => "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
        50133 => "Session is invalid due to expiration or recent password change.",
        700082 => "The refresh token has expired due to inactivity.",
        53003 => "Access has been blocked by Conditional Access policies.",
        53000 => "Device is not in required device state: compliant.",
        50057 => "The user account is disabled.",
        50126 => "Error validating credentials due to invalid username or password.",
        50058 => "A silent sign-in request was sent but no user is signed in.",
        _ => "Other.",
    }
}
