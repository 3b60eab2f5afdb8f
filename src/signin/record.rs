//! Microsoft Graph's `signIn` resource (beta) for one `SignInEvent` (R-LOG-4).

use serde_json::{Value, json};

use super::{Resource, SignInEvent, failure_reason};
use crate::ids;
use crate::policy::{Grant, Sif};
use crate::scenario::Scenario;
use crate::scenario::model::{Browser, Client, Device, Join, Platform, User, UserType};
use crate::time;

/// Purpose tags for `ids::guid`, so that ids of different kinds never collide.
mod purpose {
    pub const REQUEST: u64 = 1;
    pub const CORRELATION: u64 = 3;
    pub const TENANT: u64 = 20;
    pub const USER: u64 = 21;
    pub const DEVICE: u64 = 22;
    pub const SESSION: u64 = 24;
    pub const POLICY: u64 = 25;
    pub const GUEST_HOME: u64 = 26;
}

/// Graph's `id` (request id) of the record with this serial.
pub fn request_id(scenario: &Scenario, serial: u64) -> String {
    ids::guid(scenario.seed, purpose::REQUEST, serial)
}

pub fn tenant_id(scenario: &Scenario) -> String {
    ids::guid(scenario.seed, purpose::TENANT, 0)
}

pub fn user_id(scenario: &Scenario, user: &User) -> String {
    user.object_id.clone().unwrap_or_else(|| ids::guid(scenario.seed, purpose::USER, ids::of_str(&user.id)))
}

pub fn policy_id(scenario: &Scenario, index: usize) -> String {
    let p = &scenario.policies[index];
    p.id.clone().unwrap_or_else(|| ids::guid(scenario.seed, purpose::POLICY, ids::of_str(&p.name)))
}

/// (app id, app name, resource id, resource name) of the record.
pub fn app_and_resource(scenario: &Scenario, resource: Resource) -> (String, String, String, String) {
    match resource {
        Resource::WindowsSignIn => (
            super::WINDOWS_SIGN_IN_APP_ID.into(),
            "Windows Sign In".into(),
            "00000002-0000-0000-c000-000000000000".into(),
            "Windows Azure Active Directory".into(),
        ),
        Resource::App(a) => {
            let app = &scenario.apps[a];
            if app.key == "azure_portal" {
                let api = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
                (app.app_id.clone(), app.name.clone(), api.into(), "Windows Azure Service Management API".into())
            } else {
                (app.app_id.clone(), app.name.clone(), app.app_id.clone(), app.name.clone())
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
        None => {}
    }
}

fn applied_policies(scenario: &Scenario, event: &SignInEvent) -> Vec<Value> {
    event
        .policies
        .iter()
        .map(|r| {
            let policy = &scenario.policies[r.policy];
            let mut grants = Vec::new();
            grant_controls(policy.grant.as_ref(), &mut grants);
            let mut sessions = Vec::new();
            if policy.sif.is_some() {
                sessions.push("SignInFrequency");
            }
            if policy.persistent_browser.is_some() {
                sessions.push("PersistentBrowserSessionMode");
            }
            let applied = !matches!(r.result, "notApplied" | "notEnabled" | "reportOnlyNotApplied");
            json!({
                "id": policy_id(scenario, r.policy),
                "displayName": policy.name,
                "enforcedGrantControls": if applied { grants } else { Vec::new() },
                "enforcedSessionControls": if applied { sessions } else { Vec::new() },
                "result": r.result,
            })
        })
        .collect()
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
        Browser::Edge => "Edge 131.0.0",
        Browser::ChromeSso | Browser::Chrome => "Chrome 131.0.0",
        Browser::Firefox => "Firefox 133.0",
        Browser::Safari => "Safari 18.1",
    }
}

fn device_detail(scenario: &Scenario, device: &Device, client: Client, compliant: bool) -> Value {
    let registered = device.join != Join::Unregistered;
    json!({
        "deviceId": if registered { ids::guid(scenario.seed, purpose::DEVICE, ids::of_str(&device.id)) } else { String::new() },
        "displayName": if registered { device.id.as_str() } else { "" },
        "operatingSystem": operating_system(device.platform),
        "browser": if client.is_native() { "" } else { browser_name(device.browser) },
        "isCompliant": compliant,
        "isManaged": matches!(device.join, Join::EntraJoined | Join::HybridJoined),
        "trustType": trust_type(device.join),
    })
}

/// One `signIn` object.
pub fn to_graph(scenario: &Scenario, event: &SignInEvent) -> Value {
    let user = &scenario.users[event.user];
    let device = &scenario.devices[event.device];
    let tenant = tenant_id(scenario);
    let home_tenant = if user.user_type == UserType::Guest {
        ids::guid(scenario.seed, purpose::GUEST_HOME, ids::of_str(&user.id))
    } else {
        tenant.clone()
    };
    let (app_id, app_name, resource_id, resource_name) = app_and_resource(scenario, event.resource);
    let id = request_id(scenario, event.serial);
    json!({
        "id": id,
        "createdDateTime": time::rfc3339(event.at),
        "userDisplayName": user.id,
        "userPrincipalName": user.upn,
        "userId": user_id(scenario, user),
        "userType": if user.user_type == UserType::Guest { "guest" } else { "member" },
        "appId": app_id,
        "appDisplayName": app_name,
        "resourceId": resource_id,
        "resourceDisplayName": resource_name,
        "resourceTenantId": tenant,
        "homeTenantId": home_tenant,
        "ipAddress": event.ip.to_string(),
        "clientAppUsed": client_app_used(event.client),
        "clientCredentialType": if event.client == Client::Confidential { "clientSecret" } else { "none" },
        "isInteractive": event.interactive,
        "signInEventTypes": [if event.interactive { "interactiveUser" } else { "nonInteractiveUser" }],
        "correlationId": ids::guid(scenario.seed, purpose::CORRELATION, event.session),
        "uniqueTokenIdentifier": ids::token_identifier(scenario.seed, event.serial),
        "originalRequestId": id,
        "sessionId": ids::guid(scenario.seed, purpose::SESSION, event.session),
        "incomingTokenType": event.incoming.graph_name(),
        "tokenIssuerType": "AzureAD",
        "authenticationRequirement": if event.multi_factor { "multiFactorAuthentication" } else { "singleFactorAuthentication" },
        "authenticationDetails": event.steps.iter().map(|s| json!({
            "authenticationStepDateTime": time::rfc3339(event.at),
            "authenticationMethod": s.method,
            "authenticationMethodDetail": "",
            "authenticationStepRequirement": s.requirement,
            "authenticationStepResultDetail": s.detail,
            "succeeded": s.succeeded,
        })).collect::<Vec<_>>(),
        "conditionalAccessStatus": conditional_access_status(event),
        "appliedConditionalAccessPolicies": applied_policies(scenario, event),
        "sessionLifetimePolicies": event.session_lifetime.iter().map(|(requirement, detail)| json!({
            "expirationRequirement": requirement,
            "detail": detail,
        })).collect::<Vec<_>>(),
        "deviceDetail": device_detail(scenario, device, event.client, event.device_compliant),
        "crossTenantAccessType": if user.user_type == UserType::Guest { "b2bCollaboration" } else { "none" },
        "status": {
            "errorCode": event.error_code,
            "failureReason": failure_reason(event.error_code),
            "additionalDetails": event.additional_details,
        },
        "location": {
            "city": "",
            "state": "",
            "countryOrRegion": device.country.clone().unwrap_or_default(),
        },
    })
}

/// Words for a policy's sign-in frequency, for `sessionLifetimePolicies`.
pub fn sif_words(sif: Sif) -> String {
    match sif {
        Sif::Periodic(s) => format!("Sign-in frequency of {} exceeded", time::duration(s)),
        Sif::EveryTime => "Reauthentication required every time".to_string(),
    }
}
