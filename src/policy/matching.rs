//! Condition matching (R-CA-1): a policy applies to a sign-in when every
//! configured condition matches, exclusions winning over inclusions. Each
//! failing condition is named as Microsoft's What If names it (Graph
//! `whatIfAnalysisReasons`).
//!
//! R-CA-4: a condition whose input the sign-in lacks (a `times` condition
//! without an instant, an application or service principal filter on custom
//! security attributes casim does not carry) is never treated as matching:
//! the policy does not apply and the reason is `notEnoughInformation`, as
//! Graph's What If answers. Inputs with a documented default (no
//! authentication flow, insider risk `none`, not on a compliant network) are
//! not missing: they are that default.

use std::net::IpAddr;

use super::apps::app_has_id;

use super::conditions::{AuthFlow, ServicePrincipal};
use super::device_filter::{DeviceProperties, PropertyValue};
use super::locations::{NamedLocation, Whereabouts};
use super::model::*;
use crate::domain::{
    App, AppIdx, Client, Device, GuestKind, InsiderRisk, Join, Platform, Risk, User, UserAction, UserIdx, UserType,
};

/// What a sign-in looks like to condition matching.
pub struct SignInContext<'a> {
    pub user_idx: UserIdx,
    pub user: &'a User,
    pub app: AppIdx,
    pub app_info: &'a App,
    pub client: Client,
    /// A legacy client (Exchange ActiveSync or another legacy protocol)
    /// instead of `client`'s modern client type.
    pub legacy_client: Option<LegacyClient>,
    pub device: &'a Device,
    /// Device properties for the device filter, when given directly (What If);
    /// otherwise they come from `device`.
    pub device_props: Option<&'a dyn DeviceProperties>,
    pub ip: IpAddr,
    /// Two-letter country of the sign-in, when known.
    pub country: Option<&'a str>,
    /// Through Global Secure Access from a compliant network (default false).
    pub compliant_network: bool,
    pub sign_in_risk: Risk,
    pub user_risk: Risk,
    /// The user's insider risk (default none).
    pub insider_risk: InsiderRisk,
    /// Device code flow or authentication transfer (default: neither).
    pub auth_flow: Option<AuthFlow>,
    /// The instant of the sign-in, for `times`; `None` when unknown.
    pub at: Option<crate::time::Instant>,
    /// A workload identity signing in instead of `user`.
    pub service_principal: Option<&'a ServicePrincipal>,
    /// The sign-in is a user action rather than access to `app`.
    pub user_action: Option<UserAction>,
    /// The app asks for this authentication context (`c1`…`c99`).
    pub auth_context: Option<&'a str>,
    pub named_locations: &'a [NamedLocation],
}

/// Legacy authentication clients (Graph `clientAppTypes` `exchangeActiveSync`
/// and `other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyClient {
    ExchangeActiveSync,
    Other,
}

impl LegacyClient {
    pub fn name(self) -> &'static str {
        match self {
            LegacyClient::ExchangeActiveSync => "exchange_active_sync",
            LegacyClient::Other => "other",
        }
    }

    pub fn graph_name(self) -> &'static str {
        match self {
            LegacyClient::ExchangeActiveSync => "exchangeActiveSync",
            LegacyClient::Other => "other",
        }
    }

    /// Whether a policy's legacy `clientAppTypes` entry covers this client:
    /// `exchangeActiveSync` includes supported and unsupported platforms
    /// (`easSupported`, the deprecated `easUnsupported`).
    pub fn covered_by(self, graph_value: &str) -> bool {
        let v = graph_value.to_ascii_lowercase();
        match self {
            LegacyClient::ExchangeActiveSync => {
                matches!(v.as_str(), "exchangeactivesync" | "eassupported" | "easunsupported")
            }
            LegacyClient::Other => v == "other",
        }
    }
}

/// Whether a condition holds, fails, or cannot be decided (R-CA-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Holds,
    Fails,
    Unknown,
}

impl From<bool> for Verdict {
    fn from(b: bool) -> Verdict {
        if b { Verdict::Holds } else { Verdict::Fails }
    }
}

/// Why a policy does not apply (Graph `whatIfAnalysisReasons` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AnalysisReason {
    Users,
    /// The workload identity is not targeted (or a user policy met a workload).
    WorkloadIdentities,
    Application,
    UserActions,
    AuthenticationContext,
    DevicePlatform,
    Devices,
    ClientApps,
    Location,
    SignInRisk,
    UserRisk,
    InsiderRisk,
    AuthenticationFlow,
    Time,
    PolicyNotEnabled,
    /// A condition's input is missing (R-CA-4).
    NotEnoughInformation,
}

impl AnalysisReason {
    /// The conditions, in the order they are checked and reported.
    const CONDITIONS: [AnalysisReason; 14] = [
        AnalysisReason::Users,
        AnalysisReason::WorkloadIdentities,
        AnalysisReason::Application,
        AnalysisReason::UserActions,
        AnalysisReason::AuthenticationContext,
        AnalysisReason::DevicePlatform,
        AnalysisReason::Devices,
        AnalysisReason::ClientApps,
        AnalysisReason::Location,
        AnalysisReason::SignInRisk,
        AnalysisReason::UserRisk,
        AnalysisReason::InsiderRisk,
        AnalysisReason::AuthenticationFlow,
        AnalysisReason::Time,
    ];

    pub fn graph_name(self) -> &'static str {
        match self {
            AnalysisReason::Users => "users",
            AnalysisReason::Application => "application",
            AnalysisReason::UserActions => "userActions",
            AnalysisReason::AuthenticationContext => "authenticationContext",
            AnalysisReason::DevicePlatform => "devicePlatform",
            AnalysisReason::Devices => "devices",
            AnalysisReason::ClientApps => "clientApps",
            AnalysisReason::Location => "location",
            AnalysisReason::SignInRisk => "signInRisk",
            AnalysisReason::UserRisk => "userRisk",
            AnalysisReason::WorkloadIdentities => "workloadIdentities",
            AnalysisReason::InsiderRisk => "insiderRisk",
            AnalysisReason::AuthenticationFlow => "authenticationFlow",
            AnalysisReason::Time => "time",
            AnalysisReason::PolicyNotEnabled => "policyNotEnabled",
            AnalysisReason::NotEnoughInformation => "notEnoughInformation",
        }
    }
}

impl Policy {
    /// R-CA-1: every configured condition must match; exclusions win. A
    /// condition that cannot be decided does not match (R-CA-4).
    pub fn applies(&self, cx: &SignInContext) -> bool {
        AnalysisReason::CONDITIONS.iter().all(|&c| self.holds(c, cx) == Verdict::Holds)
    }

    /// Every condition that does not match (empty when the policy applies),
    /// then `notEnoughInformation` if one could not be decided. The policy's
    /// state is not a condition: see `analysis`.
    pub fn failures(&self, cx: &SignInContext) -> Vec<AnalysisReason> {
        let verdicts: Vec<(AnalysisReason, Verdict)> =
            AnalysisReason::CONDITIONS.iter().map(|&c| (c, self.holds(c, cx))).collect();
        let mut out: Vec<AnalysisReason> =
            verdicts.iter().filter(|(_, v)| *v == Verdict::Fails).map(|(c, _)| *c).collect();
        if verdicts.iter().any(|(_, v)| *v == Verdict::Unknown) {
            out.push(AnalysisReason::NotEnoughInformation);
        }
        out
    }

    /// What If's analysis: `policyNotEnabled` for a disabled policy, then
    /// every failing condition.
    pub fn analysis(&self, state: PolicyState, cx: &SignInContext) -> Vec<AnalysisReason> {
        let mut reasons = Vec::new();
        if state == PolicyState::Disabled {
            reasons.push(AnalysisReason::PolicyNotEnabled);
        }
        reasons.extend(self.failures(cx));
        reasons
    }

    /// Whether the policy's verdict can change with the sign-in's instant alone.
    pub fn depends_on_time(&self) -> bool {
        self.times.is_some()
    }

    fn holds(&self, condition: AnalysisReason, cx: &SignInContext) -> Verdict {
        match condition {
            AnalysisReason::Users => self.users_match(cx),
            AnalysisReason::WorkloadIdentities => self.workload_matches(cx),
            AnalysisReason::Application => self.resources_match(cx),
            AnalysisReason::UserActions => self.user_actions_match(cx).into(),
            AnalysisReason::AuthenticationContext => self.auth_context_matches(cx).into(),
            AnalysisReason::DevicePlatform => self.platform_matches(cx.device.platform).into(),
            AnalysisReason::Devices => self.device_filter_matches(cx).into(),
            AnalysisReason::ClientApps => self.client_matches(cx).into(),
            AnalysisReason::Location => {
                let at = Whereabouts { ip: cx.ip, country: cx.country, compliant_network: cx.compliant_network };
                self.locations.as_ref().is_none_or(|l| l.matches(at, cx.named_locations)).into()
            }
            AnalysisReason::SignInRisk => risk_matches(&self.sign_in_risk, cx.sign_in_risk).into(),
            AnalysisReason::UserRisk => risk_matches(&self.user_risk, cx.user_risk).into(),
            AnalysisReason::InsiderRisk => {
                self.insider_risk.as_ref().is_none_or(|l| l.contains(&cx.insider_risk)).into()
            }
            AnalysisReason::AuthenticationFlow => {
                self.auth_flows.as_ref().is_none_or(|l| cx.auth_flow.is_some_and(|f| l.contains(&f))).into()
            }
            AnalysisReason::Time => match (&self.times, cx.at) {
                (None, _) => Verdict::Holds,
                (Some(_), None) => Verdict::Unknown,
                (Some(t), Some(at)) => t.matches(at).into(),
            },
            AnalysisReason::PolicyNotEnabled | AnalysisReason::NotEnoughInformation => Verdict::Holds,
        }
    }

    /// A policy for workload identities (`clientApplications`) does not
    /// apply to users, and a policy for users does not apply to workloads.
    fn users_match(&self, cx: &SignInContext) -> Verdict {
        if cx.service_principal.is_some() {
            return Verdict::Holds; // judged by `workload_matches`
        }
        let u = &self.users;
        let hit = |r: &UserRef| user_ref_matches(r, cx.user_idx, cx.user);
        let guests = |g: &Option<GuestCondition>| g.as_ref().is_some_and(|g| guest_matches(g, cx.user));
        ((u.include.iter().any(hit) || guests(&u.include_guests))
            && !(u.exclude.iter().any(hit) || guests(&u.exclude_guests)))
        .into()
    }

    fn workload_matches(&self, cx: &SignInContext) -> Verdict {
        let Some(sp) = cx.service_principal else { return Verdict::Holds };
        let Some(w) = self.workloads.as_ref().filter(|w| !w.is_empty()) else { return Verdict::Fails };
        if w.filtered(sp) {
            return Verdict::Unknown;
        }
        let risk = if sp.agent { &self.agent_risk } else { &self.service_principal_risk };
        (w.targets(sp) && risk_matches(risk, sp.risk)).into()
    }

    /// Resources: a policy on resources applies to access to a resource, not
    /// to a user action; a policy only on user actions or authentication
    /// contexts leaves this condition out; a policy on nothing (`None`) fails
    /// it. Global Secure Access traffic is never a casim sign-in.
    fn resources_match(&self, cx: &SignInContext) -> Verdict {
        let a = &self.apps;
        if !a.targets_resources() {
            return (!a.user_actions.is_empty() || !a.auth_contexts.is_empty()).into();
        }
        if cx.user_action.is_some() {
            return Verdict::Fails;
        }
        let app = cx.app_info;
        let included = a.all || a.include.contains(&cx.app) || a.include_groups.iter().any(|g| g.contains(app));
        let excluded = a.exclude.contains(&cx.app)
            || a.exclude_groups.iter().any(|g| g.contains(app))
            || a.unknown_exclude.iter().any(|id| app_has_id(app, id));
        match &a.filter {
            // An app filter reads custom security attributes casim apps do
            // not carry; only decide when the rest already settles it.
            Some(_) if excluded => Verdict::Fails,
            Some((FilterMode::Include, _)) if included => Verdict::Holds,
            Some(_) => Verdict::Unknown,
            None => (included && !excluded).into(),
        }
    }

    fn user_actions_match(&self, cx: &SignInContext) -> bool {
        let actions = &self.apps.user_actions;
        actions.is_empty() || cx.user_action.is_some_and(|a| actions.contains(&a))
    }

    fn auth_context_matches(&self, cx: &SignInContext) -> bool {
        let contexts = &self.apps.auth_contexts;
        contexts.is_empty() || cx.auth_context.is_some_and(|c| contexts.iter().any(|x| x == c))
    }

    /// `clientAppTypes`: `browser` covers casim's browser and confidential
    /// clients, `mobileAppsAndDesktopClients` its desktop and mobile clients,
    /// the legacy types a `legacy_client` sign-in.
    fn client_matches(&self, cx: &SignInContext) -> bool {
        let Some(types) = self.client_apps.as_ref() else { return true };
        match cx.legacy_client {
            Some(legacy) => self.legacy_client_apps.iter().any(|t| legacy.covered_by(t)),
            None => {
                let wanted =
                    if cx.client.is_native() { ClientAppType::MobileAndDesktop } else { ClientAppType::Browser };
                types.contains(&wanted)
            }
        }
    }

    fn platform_matches(&self, platform: Platform) -> bool {
        self.platforms.as_ref().is_none_or(|p| p.contains(&platform)) && !self.exclude_platforms.contains(&platform)
    }

    fn device_filter_matches(&self, cx: &SignInContext) -> bool {
        let Some(f) = &self.device_filter else { return true };
        let view = DeviceView(cx.device);
        let props: &dyn DeviceProperties = cx.device_props.unwrap_or(&view);
        let hit = f.rule.matches(props);
        match f.mode {
            FilterMode::Include => hit,
            FilterMode::Exclude => !hit,
        }
    }
}

fn risk_matches(levels: &Option<Vec<RiskLevel>>, risk: Risk) -> bool {
    levels.as_ref().is_none_or(|l| l.is_empty() || l.iter().any(|level| level.matches(risk)))
}

fn user_ref_matches(r: &UserRef, idx: UserIdx, user: &User) -> bool {
    match r {
        UserRef::All => true,
        UserRef::User(i) => *i == idx,
        UserRef::Group(g) => user.groups.iter().any(|ug| ug.eq_ignore_ascii_case(g)),
        UserRef::Role(role) => user.roles.iter().any(|ur| super::roles::same(ur, role)),
        UserRef::Guests => external_kind(user).is_some(),
    }
}

/// The user's guest or external kind: declared, or a B2B collaboration guest
/// for `type: guest`.
pub fn external_kind(user: &User) -> Option<GuestKind> {
    user.guest_kind.or((user.user_type == UserType::Guest).then_some(GuestKind::B2bCollaborationGuest))
}

fn guest_matches(g: &GuestCondition, user: &User) -> bool {
    let Some(kind) = external_kind(user) else { return false };
    let tenant_ok = match (&g.tenants, &user.home_tenant) {
        (None, _) => true,
        (Some(list), Some(t)) => list.iter().any(|x| x.eq_ignore_ascii_case(t)),
        (Some(_), None) => false,
    };
    g.kinds.contains(&kind) && tenant_ok
}

/// A device's properties as the device filter sees them; unregistered devices are all null.
pub struct DeviceView<'a>(pub &'a Device);

impl DeviceProperties for DeviceView<'_> {
    fn property(&self, name: &str) -> Option<PropertyValue> {
        let d = self.0;
        if d.join == Join::Unregistered {
            return None;
        }
        let text = |s: &str| Some(PropertyValue::Text(s.to_string()));
        match name {
            "trustType" => text(match d.join {
                Join::EntraJoined => "AzureAD",
                Join::HybridJoined => "ServerAD",
                _ => "Workplace",
            }),
            "isCompliant" => Some(PropertyValue::Bool(d.compliant)),
            "displayName" | "deviceId" => text(&d.id),
            "operatingSystem" => text(platform_os_name(d.platform)),
            "deviceOwnership" => text(if d.join == Join::Registered { "Personal" } else { "Company" }),
            _ => None,
        }
    }
}

fn platform_os_name(p: Platform) -> &'static str {
    match p {
        Platform::Windows => "Windows",
        Platform::MacOs => "MacMDM",
        Platform::Ios => "iOS",
        Platform::Android => "Android",
        Platform::Linux => "Linux",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Scenario, from_str};

    const YAML: &str = r#"
name: t
users:
  alice: { groups: [finance], roles: [Global Administrator], risk: high }
named_locations:
  hq: { ip_ranges: [203.0.113.0/24] }
devices:
  laptop: { owner: alice, join: entra_joined, compliant: true, ip: 203.0.113.9, country: FR }
policies:
  - { name: users, users: { include: ["group:finance"], exclude: ["role:global_administrator"] }, apps: all }
  - { name: apps, users: all, apps: { include: [office365], exclude: [sharepoint] } }
  - { name: platforms, users: all, apps: all, platforms: { include: [windows], exclude: [windows] } }
  - { name: locations, users: all, apps: all, locations: { include: [hq], exclude: [all_trusted, hq] } }
  - { name: filter, users: all, apps: all, device_filter: { mode: exclude, rule: 'device.isCompliant -eq True' } }
  - { name: applies, users: all, apps: all, user_risk: [high], locations: [hq] }
timeline:
  - { at: "09:00", do: use, device: laptop, app: sharepoint }
"#;

    fn context(sc: &Scenario) -> SignInContext<'_> {
        let device = &sc.devices[0];
        SignInContext {
            user_idx: 0,
            user: &sc.users[0],
            app: 0,
            app_info: &sc.apps[0],
            client: Client::Browser,
            legacy_client: None,
            device,
            device_props: None,
            ip: device.ip,
            country: device.country.as_deref(),
            compliant_network: false,
            sign_in_risk: Risk::None,
            user_risk: sc.users[0].risk,
            insider_risk: InsiderRisk::None,
            auth_flow: None,
            at: None,
            service_principal: None,
            user_action: None,
            auth_context: None,
            named_locations: &sc.named_locations,
        }
    }

    #[test]
    fn exclusions_win_in_every_condition_and_applies_means_no_failure() {
        let sc = from_str(std::path::Path::new("t.yaml"), YAML).unwrap_or_else(|e| panic!("{}", e.render()));
        let cx = context(&sc);
        let expected = [
            ("users", vec![AnalysisReason::Users]),
            ("apps", vec![AnalysisReason::Application]),
            ("platforms", vec![AnalysisReason::DevicePlatform]),
            ("locations", vec![AnalysisReason::Location]),
            ("filter", vec![AnalysisReason::Devices]),
            ("applies", vec![]),
        ];
        for (p, (name, reasons)) in sc.policies.iter().zip(expected) {
            assert_eq!(p.name, name);
            assert_eq!(p.failures(&cx), reasons, "{name}");
            assert_eq!(p.applies(&cx), reasons.is_empty(), "{name}");
        }
        let disabled = Policy { state: PolicyState::Disabled, ..sc.policies[5].clone() };
        assert_eq!(disabled.analysis(disabled.state, &cx), vec![AnalysisReason::PolicyNotEnabled]);
    }
}
