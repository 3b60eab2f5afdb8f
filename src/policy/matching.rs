//! Condition matching (R-CA-1): a policy applies to a sign-in when every
//! configured condition matches, exclusions winning over inclusions. Each
//! failing condition is named as Microsoft's What If names it (Graph
//! `whatIfAnalysisReasons`).

use std::net::IpAddr;

use super::apps::{UserAction, app_has_id};
use super::device_filter::{DeviceProperties, PropertyValue};
use super::locations::NamedLocation;
use super::model::*;
use crate::scenario::model::{App, AppIdx, Client, Device, Join, Platform, Risk, User, UserIdx, UserType};

/// What a sign-in looks like to condition matching.
pub struct SignInContext<'a> {
    pub user_idx: UserIdx,
    pub user: &'a User,
    pub app: AppIdx,
    pub app_info: &'a App,
    pub client: Client,
    pub device: &'a Device,
    /// Device properties for the device filter, when given directly (What If);
    /// otherwise they come from `device`.
    pub device_props: Option<&'a dyn DeviceProperties>,
    pub ip: IpAddr,
    /// Two-letter country of the sign-in, when known.
    pub country: Option<&'a str>,
    pub sign_in_risk: Risk,
    pub user_risk: Risk,
    /// The sign-in is a user action rather than access to `app`.
    pub user_action: Option<UserAction>,
    /// The app asks for this authentication context (`c1`…`c99`).
    pub auth_context: Option<&'a str>,
    pub named_locations: &'a [NamedLocation],
}

/// Why a policy does not apply (Graph `whatIfAnalysisReasons` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AnalysisReason {
    Users,
    Application,
    UserActions,
    AuthenticationContext,
    DevicePlatform,
    Devices,
    ClientApps,
    Location,
    SignInRisk,
    UserRisk,
    PolicyNotEnabled,
}

impl AnalysisReason {
    /// The conditions, in the order they are checked and reported.
    const CONDITIONS: [AnalysisReason; 10] = [
        AnalysisReason::Users,
        AnalysisReason::Application,
        AnalysisReason::UserActions,
        AnalysisReason::AuthenticationContext,
        AnalysisReason::DevicePlatform,
        AnalysisReason::Devices,
        AnalysisReason::ClientApps,
        AnalysisReason::Location,
        AnalysisReason::SignInRisk,
        AnalysisReason::UserRisk,
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
            AnalysisReason::PolicyNotEnabled => "policyNotEnabled",
        }
    }
}

impl Policy {
    /// R-CA-1: every configured condition must match; exclusions win.
    pub fn applies(&self, cx: &SignInContext) -> bool {
        AnalysisReason::CONDITIONS.iter().all(|&c| self.holds(c, cx))
    }

    /// Every condition that does not match (empty when the policy applies).
    /// The policy's state is not a condition: see `analysis`.
    pub fn failures(&self, cx: &SignInContext) -> Vec<AnalysisReason> {
        AnalysisReason::CONDITIONS.iter().copied().filter(|&c| !self.holds(c, cx)).collect()
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

    fn holds(&self, condition: AnalysisReason, cx: &SignInContext) -> bool {
        match condition {
            AnalysisReason::Users => self.users_match(cx),
            AnalysisReason::Application => self.resources_match(cx),
            AnalysisReason::UserActions => self.user_actions_match(cx),
            AnalysisReason::AuthenticationContext => self.auth_context_matches(cx),
            AnalysisReason::DevicePlatform => self.platform_matches(cx.device.platform),
            AnalysisReason::Devices => self.device_filter_matches(cx),
            AnalysisReason::ClientApps => self.client_matches(cx.client),
            AnalysisReason::Location => {
                self.locations.as_ref().is_none_or(|l| l.matches(cx.ip, cx.country, cx.named_locations))
            }
            AnalysisReason::SignInRisk => risk_matches(&self.sign_in_risk, cx.sign_in_risk),
            AnalysisReason::UserRisk => risk_matches(&self.user_risk, cx.user_risk),
            AnalysisReason::PolicyNotEnabled => true,
        }
    }

    fn users_match(&self, cx: &SignInContext) -> bool {
        let u = &self.users;
        let hit = |r: &UserRef| user_ref_matches(r, cx.user_idx, cx.user);
        let guests = |g: &Option<GuestCondition>| g.as_ref().is_some_and(|g| guest_matches(g, cx.user));
        (u.include.iter().any(hit) || guests(&u.include_guests))
            && !(u.exclude.iter().any(hit) || guests(&u.exclude_guests))
    }

    /// Resources: a policy on resources applies to access to a resource, not
    /// to a user action; a policy only on user actions or authentication
    /// contexts leaves this condition out; a policy on nothing (`None`) fails it.
    fn resources_match(&self, cx: &SignInContext) -> bool {
        let a = &self.apps;
        let targets_resources =
            a.all || !a.include.is_empty() || !a.include_groups.is_empty() || !a.unknown_include.is_empty();
        if !targets_resources {
            return !a.user_actions.is_empty() || !a.auth_contexts.is_empty();
        }
        if cx.user_action.is_some() {
            return false;
        }
        let app = cx.app_info;
        let included = a.all || a.include.contains(&cx.app) || a.include_groups.iter().any(|g| g.contains(app));
        let excluded = a.exclude.contains(&cx.app)
            || a.exclude_groups.iter().any(|g| g.contains(app))
            || a.unknown_exclude.iter().any(|id| app_has_id(app, id));
        included && !excluded
    }

    fn user_actions_match(&self, cx: &SignInContext) -> bool {
        let actions = &self.apps.user_actions;
        actions.is_empty() || cx.user_action.is_some_and(|a| actions.contains(&a))
    }

    fn auth_context_matches(&self, cx: &SignInContext) -> bool {
        let contexts = &self.apps.auth_contexts;
        contexts.is_empty() || cx.auth_context.is_some_and(|c| contexts.iter().any(|x| x == c))
    }

    fn client_matches(&self, client: Client) -> bool {
        let wanted = if client.is_native() { ClientAppType::MobileAndDesktop } else { ClientAppType::Browser };
        self.client_apps.as_ref().is_none_or(|types| types.contains(&wanted))
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
        UserRef::Role(role) => {
            let wanted = super::roles::canonical(role);
            user.roles.iter().any(|ur| super::roles::canonical(ur) == wanted)
        }
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
            device,
            device_props: None,
            ip: device.ip,
            country: device.country.as_deref(),
            sign_in_risk: Risk::None,
            user_risk: sc.users[0].risk,
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
