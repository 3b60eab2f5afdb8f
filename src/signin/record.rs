//! Microsoft Graph's `signIn` resource (beta) for one `SignInEvent` (R-LOG-4).

use serde::Serialize;
use serde_json::Value;

use super::{Resource, SignInEvent, user_agent};
use crate::domain::error_code::failure_reason;
use crate::domain::{App, Browser, Client, ErrorCode, Join, Platform, User, UserAction, UserType};
use crate::ids;
use crate::policy::{Grant, Sif};
use crate::scenario::Scenario;
use crate::time;

/// Purpose tags for `ids::guid`, so that ids of different kinds never collide.
mod purpose {
    pub(super) const REQUEST: u64 = 1;
    pub(super) const CORRELATION: u64 = 3;
    pub(super) const TENANT: u64 = 20;
    pub(super) const USER: u64 = 21;
    pub(super) const DEVICE: u64 = 22;
    pub(super) const SESSION: u64 = 24;
    pub(super) const POLICY: u64 = 25;
    pub(super) const GUEST_HOME: u64 = 26;
    pub(super) const WORKSPACE: u64 = 27;
    pub(super) const USER_ACTION_APP: u64 = 28;
}

/// Graph's `id` (request id) of the record with this serial.
pub fn request_id(scenario: &Scenario, serial: u64) -> String {
    ids::guid(run_seed(scenario), purpose::REQUEST, serial)
}

/// Per-sign-in ids (request, correlation, session, token) come from the seed and
/// the scenario's name, so two scenarios of one library never share them;
/// identities (tenant, users, policies) come from the seed alone.
fn run_seed(scenario: &Scenario) -> u64 {
    scenario.seed ^ ids::of_str(&scenario.name)
}

pub fn tenant_id(scenario: &Scenario) -> String {
    ids::guid(scenario.seed, purpose::TENANT, 0)
}

/// The Log Analytics workspace id (`TenantId` of a row: "The Log Analytics
/// workspace ID", not the directory's tenant).
pub fn workspace_id(scenario: &Scenario) -> String {
    ids::guid(scenario.seed, purpose::WORKSPACE, 0)
}

pub fn user_id(scenario: &Scenario, user: &User) -> String {
    user.object_id.clone().unwrap_or_else(|| ids::guid(scenario.seed, purpose::USER, ids::of_str(&user.id)))
}

pub fn policy_id(scenario: &Scenario, index: usize) -> String {
    let p = &scenario.policies[index];
    p.id.clone().unwrap_or_else(|| ids::guid(scenario.seed, purpose::POLICY, ids::of_str(&p.name)))
}

/// Device Registration Service, the resource a device registration or join
/// signs in to. Microsoft names this id as both the client id to exclude in
/// Conditional Access and the *Resource ID* to filter sign-in logs on:
/// https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows
pub const DEVICE_REGISTRATION_SERVICE: (&str, &str) =
    ("01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9", "Device Registration Service");

/// The app id a `register_security_info` record carries. Microsoft documents
/// no application id for the security info registration pages (the id of
/// "My Signins" appears only in third-party material), so this is a
/// GUID-shaped stand-in, the same in every scenario, derived from the action's
/// URN (docs/logs.md, "Application ids").
pub fn security_info_app_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| ids::guid(0, purpose::USER_ACTION_APP, ids::of_str(UserAction::RegisterSecurityInfo.urn())))
}

/// The app id and name the records of an app carry: a user action's synthetic
/// app (whose scenario-side id is its `urn:user:` URN) gets a GUID, every other
/// app its own id.
pub fn record_app(app: &App) -> (&str, &str) {
    match UserAction::parse(&app.app_id) {
        Some(UserAction::RegisterDevice) => DEVICE_REGISTRATION_SERVICE,
        Some(UserAction::RegisterSecurityInfo) => (security_info_app_id(), app.name.as_str()),
        _ => (app.app_id.as_str(), app.name.as_str()),
    }
}

/// (app id, app name, resource id, resource name) of the record.
pub fn app_and_resource(scenario: &Scenario, resource: Resource) -> (&str, &str, &str, &str) {
    match resource {
        Resource::WindowsSignIn => (
            super::WINDOWS_SIGN_IN_APP_ID,
            "Windows Sign In",
            "00000002-0000-0000-c000-000000000000",
            "Windows Azure Active Directory",
        ),
        Resource::App(a) => {
            let app = &scenario.apps[a];
            if app.key == "azure_portal" {
                let api = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
                (&app.app_id, &app.name, api, "Windows Azure Service Management API")
            } else {
                let (id, name) = record_app(app);
                (id, name, id, name)
            }
        }
    }
}

pub fn client_app_used(client: Client) -> &'static str {
    if client.is_native() { "Mobile Apps and Desktop clients" } else { "Browser" }
}

/// R-CA-3: `success` when an enforced policy applied and was satisfied,
/// `failure` when one failed, `notApplied` otherwise.
pub fn conditional_access_status(event: &SignInEvent) -> &'static str {
    if event.policies.iter().any(|p| p.result == "failure") {
        "failure"
    } else if event.policies.iter().any(|p| p.result == "success") {
        "success"
    } else {
        "notApplied"
    }
}

fn grant_controls(grant: Option<&Grant>, out: &mut Vec<&'static str>) {
    match grant {
        Some(Grant::Mfa) => out.push("Mfa"),
        Some(Grant::Block) => out.push("Block"),
        Some(Grant::CompliantDevice) => out.push("RequireCompliantDevice"),
        Some(Grant::AllOf(list) | Grant::AnyOf(list)) => list.iter().for_each(|g| grant_controls(Some(g), out)),
        Some(other) => out.extend(other.log_name()),
        None => {}
    }
}

fn trust_type(join: Join) -> &'static str {
    match join {
        Join::EntraJoined => "Azure AD joined",
        Join::HybridJoined => "Hybrid Azure AD joined",
        Join::Registered => "Azure AD registered",
        Join::Unregistered => "",
    }
}

fn operating_system(platform: Platform) -> &'static str {
    match platform {
        Platform::Windows => "Windows10",
        Platform::MacOs => "MacOs",
        Platform::Ios => "Ios",
        Platform::Android => "Android",
        Platform::Linux => "Linux",
    }
}

fn browser_name(browser: Browser) -> &'static str {
    match browser {
        Browser::Edge | Browser::EdgeSignedOut => "Edge 131.0.0",
        Browser::ChromeSso | Browser::Chrome => "Chrome 131.0.0",
        Browser::Firefox | Browser::FirefoxWindowsSso => "Firefox 133.0",
        Browser::Safari | Browser::SafariSsoExtension => "Safari 18.1",
    }
}

/// One `signIn` object (Graph beta), field for field in Graph's order. It
/// borrows from the scenario and the `Recorder`, so that writing a record
/// allocates little more than its generated ids: logs of millions of records
/// are serialized straight from it (`serde_json::to_writer`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignIn<'a> {
    pub id: String,
    pub created_date_time: String,
    pub user_display_name: &'a str,
    pub user_principal_name: &'a str,
    pub user_id: String,
    pub user_type: &'static str,
    pub app_id: &'a str,
    pub app_display_name: &'a str,
    pub resource_id: &'a str,
    pub resource_display_name: &'a str,
    pub resource_tenant_id: &'a str,
    pub home_tenant_id: String,
    pub ip_address: String,
    pub client_app_used: &'static str,
    pub user_agent: &'a str,
    pub client_credential_type: &'static str,
    pub is_interactive: bool,
    pub sign_in_event_types: [&'static str; 1],
    pub correlation_id: String,
    pub unique_token_identifier: String,
    pub original_request_id: String,
    pub session_id: String,
    pub incoming_token_type: &'static str,
    pub token_issuer_type: &'static str,
    pub authentication_requirement: &'static str,
    pub authentication_details: Vec<AuthenticationDetail>,
    pub conditional_access_status: &'static str,
    pub applied_conditional_access_policies: Vec<AppliedPolicy<'a>>,
    pub session_lifetime_policies: Vec<SessionLifetimePolicy<'a>>,
    pub device_detail: DeviceDetail<'a>,
    pub cross_tenant_access_type: &'static str,
    /// Non-nullable in Graph's beta `signIn`; empty for a user's sign-in, as
    /// in Microsoft's sample record (reference-azure-monitor-sign-ins-log-schema).
    pub service_principal_id: &'static str,
    pub status: Status<'a>,
    pub location: Location<'a>,
    /// The Log Analytics workspace the rows of this record go to (`TenantId`);
    /// not a Graph property.
    #[serde(skip)]
    pub workspace_id: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationDetail {
    pub authentication_step_date_time: String,
    pub authentication_method: &'static str,
    pub authentication_method_detail: &'static str,
    pub authentication_step_requirement: &'static str,
    pub authentication_step_result_detail: &'static str,
    pub succeeded: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedPolicy<'a> {
    pub id: &'a str,
    pub display_name: &'a str,
    pub enforced_grant_controls: &'a [&'static str],
    pub enforced_session_controls: &'a [&'static str],
    pub result: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionLifetimePolicy<'a> {
    pub expiration_requirement: &'static str,
    pub detail: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceDetail<'a> {
    pub device_id: String,
    pub display_name: &'a str,
    pub operating_system: &'static str,
    pub browser: &'static str,
    pub is_compliant: bool,
    pub is_managed: bool,
    pub trust_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status<'a> {
    pub error_code: u32,
    pub failure_reason: &'static str,
    pub additional_details: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location<'a> {
    pub city: &'static str,
    pub state: &'static str,
    pub country_or_region: &'a str,
}

/// What every record of a scenario shares, computed once: the tenant and the
/// policies' ids and controls.
pub struct Recorder<'s> {
    scenario: &'s Scenario,
    tenant: String,
    workspace: String,
    policies: Vec<PolicyFacts>,
    /// Per device, its browser's user agent.
    user_agents: Vec<String>,
}

struct PolicyFacts {
    id: String,
    grants: Vec<&'static str>,
    sessions: Vec<&'static str>,
}

impl<'s> Recorder<'s> {
    pub fn new(scenario: &'s Scenario) -> Recorder<'s> {
        let policies = scenario
            .policies
            .iter()
            .enumerate()
            .map(|(i, policy)| {
                let mut grants = Vec::new();
                grant_controls(policy.grant.as_ref(), &mut grants);
                let mut sessions = Vec::new();
                if policy.sif.is_some() {
                    sessions.push("SignInFrequency");
                }
                if policy.persistent_browser.is_some() {
                    sessions.push("PersistentBrowserSessionMode");
                }
                PolicyFacts { id: policy_id(scenario, i), grants, sessions }
            })
            .collect();
        let user_agents = scenario.devices.iter().map(|d| user_agent::browser(d.platform, d.browser)).collect();
        Recorder { scenario, tenant: tenant_id(scenario), workspace: workspace_id(scenario), policies, user_agents }
    }

    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// The `signIn` of one event.
    /// Long: one Graph `signIn` record, field by field in the order Graph lists them.
    pub fn sign_in<'r>(&'r self, event: &'r SignInEvent) -> SignIn<'r> {
        let scenario = self.scenario;
        let user = &scenario.users[event.user];
        let device = &scenario.devices[event.device];
        let seed = scenario.seed;
        let guest = user.user_type == UserType::Guest;
        let home_tenant =
            if guest { ids::guid(seed, purpose::GUEST_HOME, ids::of_str(&user.id)) } else { self.tenant.clone() };
        let (app_id, app_name, resource_id, resource_name) = app_and_resource(scenario, event.resource);
        let id = request_id(scenario, event.serial);
        let created = time::rfc3339(event.at);
        let registered = device.join != Join::Unregistered;
        SignIn {
            original_request_id: id.clone(),
            id,
            user_display_name: &user.id,
            user_principal_name: &user.upn,
            user_id: user_id(scenario, user),
            user_type: if guest { "guest" } else { "member" },
            app_id,
            app_display_name: app_name,
            resource_id,
            resource_display_name: resource_name,
            resource_tenant_id: &self.tenant,
            home_tenant_id: home_tenant,
            ip_address: event.ip.to_string(),
            client_app_used: client_app_used(event.client),
            user_agent: match (event.resource, event.client) {
                (Resource::WindowsSignIn, _) => user_agent::WINDOWS_SIGN_IN,
                (_, Client::Browser) => &self.user_agents[event.device],
                _ => "",
            },
            client_credential_type: if event.client == Client::Confidential { "clientSecret" } else { "none" },
            is_interactive: event.interactive,
            sign_in_event_types: [if event.interactive { "interactiveUser" } else { "nonInteractiveUser" }],
            correlation_id: ids::guid(run_seed(scenario), purpose::CORRELATION, event.session),
            unique_token_identifier: ids::token_identifier(run_seed(scenario), event.serial),
            session_id: ids::guid(run_seed(scenario), purpose::SESSION, event.session),
            incoming_token_type: event.incoming.graph_name(),
            token_issuer_type: if event.backup_auth { "AzureADBackupAuth" } else { "AzureAD" },
            authentication_requirement: if event.multi_factor {
                "multiFactorAuthentication"
            } else {
                "singleFactorAuthentication"
            },
            authentication_details: event
                .steps
                .iter()
                .map(|s| AuthenticationDetail {
                    authentication_step_date_time: created.clone(),
                    authentication_method: s.method,
                    authentication_method_detail: "",
                    authentication_step_requirement: s.requirement,
                    authentication_step_result_detail: s.detail,
                    succeeded: s.succeeded,
                })
                .collect(),
            conditional_access_status: conditional_access_status(event),
            applied_conditional_access_policies: event
                .policies
                .iter()
                .map(|r| {
                    let facts = &self.policies[r.policy];
                    let applied = !matches!(r.result, "notApplied" | "notEnabled" | "reportOnlyNotApplied");
                    AppliedPolicy {
                        id: &facts.id,
                        display_name: &scenario.policies[r.policy].name,
                        enforced_grant_controls: if applied { &facts.grants } else { &[] },
                        enforced_session_controls: if applied { &facts.sessions } else { &[] },
                        result: r.result,
                    }
                })
                .collect(),
            session_lifetime_policies: event
                .session_lifetime
                .iter()
                .map(|(requirement, detail)| SessionLifetimePolicy { expiration_requirement: requirement, detail })
                .collect(),
            device_detail: DeviceDetail {
                device_id: if registered {
                    ids::guid(seed, purpose::DEVICE, ids::of_str(&device.id))
                } else {
                    String::new()
                },
                display_name: if registered { &device.id } else { "" },
                operating_system: operating_system(device.platform),
                browser: if event.client.is_native() { "" } else { browser_name(device.browser) },
                is_compliant: event.device_compliant,
                is_managed: matches!(device.join, Join::EntraJoined | Join::HybridJoined),
                trust_type: trust_type(device.join),
            },
            cross_tenant_access_type: if guest { "b2bCollaboration" } else { "none" },
            service_principal_id: "",
            workspace_id: &self.workspace,
            status: Status {
                error_code: event.error_code.map_or(0, ErrorCode::code),
                failure_reason: failure_reason(event.error_code),
                additional_details: event.additional_details.as_deref(),
            },
            location: Location { city: "", state: "", country_or_region: event.country.as_deref().unwrap_or("") },
            created_date_time: created,
        }
    }
}

/// One `signIn` object as JSON. Writing many records? Use one `Recorder`.
pub fn to_graph(scenario: &Scenario, event: &SignInEvent) -> Value {
    serde_json::to_value(Recorder::new(scenario).sign_in(event)).expect("sign-in records always serialize")
}

/// Words for a policy's sign-in frequency, for `sessionLifetimePolicies`.
pub fn sif_words(sif: Sif) -> String {
    match sif {
        Sif::Periodic(s) => format!("Sign-in frequency of {} exceeded", time::duration(s)),
        Sif::EveryTime => "Reauthentication required every time".to_string(),
    }
}

/// Scenarios and events for the unit tests of `record`, `formats` and `aggregate`.
#[cfg(test)]
pub(crate) mod test_support {
    use super::Recorder;
    use crate::domain::Client;
    use crate::scenario::Scenario;
    use crate::signin::{Incoming, PRIMARY_FROM_TOKEN, Resource, SignInEvent};
    use crate::time::Instant;

    pub(crate) struct Fixture {
        pub scenario: Scenario,
    }

    impl Fixture {
        /// One user on an Entra-joined PC, and a custom app whose name needs CSV quoting.
        pub(crate) fn new() -> Fixture {
            let yaml = "name: t\nusers:\n  alice: {}\ndevices:\n  pc: { owner: alice, join: entra_joined }\n\
                        apps:\n  pay: { name: 'Pay, \"EU\"', app_id: 7f3c2d10-5e4b-4a8c-9d2e-1b6f0a9c8e71 }\n\
                        timeline:\n  - { at: \"00:00\", do: lock, device: pc }\n";
            let scenario = crate::scenario::from_str(std::path::Path::new("t.yaml"), yaml).expect("a valid scenario");
            Fixture { scenario }
        }

        pub(crate) fn recorder(&self) -> Recorder<'_> {
            Recorder::new(&self.scenario)
        }

        pub(crate) fn app(&self, key: &str) -> usize {
            self.scenario.apps.iter().position(|a| a.key == key).expect("a known app")
        }
    }

    /// A non-interactive desktop token for `app` at `at`.
    pub(crate) fn event(serial: u64, at: Instant, app: usize, error_code: u32) -> SignInEvent {
        SignInEvent {
            serial,
            at,
            user: 0,
            device: 0,
            client: Client::Desktop,
            resource: Resource::App(app),
            interactive: false,
            incoming: Incoming::PrimaryRefreshToken,
            error_code: crate::domain::ErrorCode::from_code(error_code),
            additional_details: None,
            steps: vec![PRIMARY_FROM_TOKEN],
            multi_factor: false,
            policies: Vec::new(),
            session_lifetime: Vec::new(),
            session: 1,
            ip: "192.0.2.7".parse().expect("an IP address"),
            device_compliant: true,
            country: None,
            prompt: None,
            lineage: Vec::new(),
            rules: Vec::new(),
            backup_auth: false,
        }
    }
}
