//! What If at one instant (`casim whatif`): the sign-in the command
//! describes, built into a world to evaluate: a scenario (loaded or empty)
//! with the user and app it names, synthetic when the scenario lacks them,
//! and the device, client, risks and other facts of that one sign-in. The
//! policies' answer is `policy::whatif`'s.

use std::net::IpAddr;

use crate::domain::{
    App, AuthMethod, Browser, Client, Device, DeviceSignIn, GuestKind, InsiderRisk, Join, MethodSet, Platform, Risk,
    User, UserAction, UserType,
};
pub use crate::error::Problem;
use crate::policy::apps::auth_context;
use crate::policy::conditions::{AuthFlow, ServicePrincipal};
use crate::policy::device_filter::{DeviceFilterRule, DeviceProperties, PropertyValue};
use crate::policy::matching::LegacyClient;
use crate::policy::whatif::{self, WhatIf};
use crate::policy::{GrantFacts, SignInContext};
use crate::scenario::Scenario;

const NO_IP: &str = "192.0.2.1";

/// The sign-in as the command describes it, before resolution: names and
/// texts as given, `None` where the command leaves the default.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// UPN, object id or (with a scenario) user id; `None` for a workload identity.
    pub user: Option<String>,
    /// A workload identity signs in instead of a user: its object id or app id.
    pub service_principal: Option<String>,
    pub service_principal_risk: Risk,
    pub agent: bool,
    /// The names are a loaded scenario's: an unknown user is an error, not a new user.
    pub from_scenario: bool,
    /// A scenario device whose facts the sign-in has.
    pub device: Option<String>,
    /// The client; default browser, or desktop for a legacy client.
    pub client: Option<Client>,
    pub legacy_client: Option<LegacyClient>,
    pub platform: Option<String>,
    pub ip: Option<IpAddr>,
    pub country: Option<String>,
    pub device_join: Option<Join>,
    pub device_compliant: Option<bool>,
    pub device_filter_props: Option<String>,
    pub sign_in_risk: Risk,
    /// Default: the user's.
    pub user_risk: Option<Risk>,
    pub user_action: Option<String>,
    pub auth_context: Option<String>,
    pub auth_flow: Option<AuthFlow>,
    /// Default: the user's.
    pub insider_risk: Option<InsiderRisk>,
    /// RFC 3339.
    pub at: Option<String>,
    pub compliant_network: bool,
    /// Methods the user has beyond the scenario's (or the default ones).
    pub methods: Option<String>,
    /// The combination the session's MFA used.
    pub methods_used: Option<String>,
    /// A synthetic user's groups, roles and guest kind.
    pub groups: Vec<String>,
    pub roles: Vec<String>,
    pub guest_type: Option<String>,
}

/// The sign-in the command describes, resolved.
pub struct SignIn {
    pub user: usize,
    pub app: usize,
    pub device: Device,
    pub client: Client,
    pub props: Option<Props>,
    pub sign_in_risk: Risk,
    pub user_risk: Risk,
    pub user_action: Option<UserAction>,
    pub auth_context: Option<String>,
    pub legacy_client: Option<LegacyClient>,
    pub auth_flow: Option<AuthFlow>,
    pub insider_risk: InsiderRisk,
    pub at: Option<i64>,
    pub service_principal: Option<ServicePrincipal>,
    pub used: Option<MethodSet>,
}

impl SignIn {
    /// Every policy of `sc` for this sign-in, and their combined outcome.
    pub fn evaluate<'a>(&'a self, sc: &'a Scenario, mfa: bool) -> WhatIf<'a> {
        let cx = context(sc, self);
        let mut facts = GrantFacts::of(&sc.users[self.user], &self.device, &sc.apps[self.app], self.client, mfa);
        facts.used = self.used;
        whatif::evaluate(&sc.policies, &cx, facts)
    }
}

/// The user the sign-in names (added to `sc` when it has no such user),
/// with the extra methods it has.
pub fn find_user(sc: &mut Scenario, args: &Inputs) -> Result<usize, Problem> {
    let user = user_index(sc, args)?;
    if let Some(m) = &args.methods {
        let extra = method_set(m, "--methods")?;
        sc.users[user].methods = extra.methods().fold(sc.users[user].methods, MethodSet::with);
    }
    Ok(user)
}

fn user_index(sc: &mut Scenario, args: &Inputs) -> Result<usize, Problem> {
    let Some(user) = args.user.as_deref() else {
        // A workload identity: a placeholder user no user condition reads.
        let sp = args.service_principal.as_deref().unwrap_or("workload");
        sc.users.push(synthetic_user(args, sp)?);
        return Ok(sc.users.len() - 1);
    };
    let wanted = user.trim();
    let lower = wanted.to_lowercase();
    let found = sc
        .users
        .iter()
        .position(|u| u.id == wanted || u.upn == lower || u.object_id.as_deref() == Some(lower.as_str()));
    if let Some(i) = found {
        return Ok(i);
    }
    if args.from_scenario {
        let known: Vec<&str> = sc.users.iter().map(|u| u.id.as_str()).collect();
        return Err(Problem::new(
            format!("the scenario has no user `{wanted}`; known: {}", known.join(", ")),
            crate::error::did_you_mean(wanted, known.iter().copied()),
        ));
    }
    sc.users.push(synthetic_user(args, wanted)?);
    Ok(sc.users.len() - 1)
}

fn synthetic_user(args: &Inputs, name: &str) -> Result<User, Problem> {
    let text = name.trim().to_lowercase();
    let is_id = crate::domain::is_guid(&text);
    let guest_kind = match &args.guest_type {
        None => None,
        Some(t) => Some(GuestKind::parse(t).ok_or_else(|| {
            Problem::new(
                format!("`{t}` is not a guest type"),
                crate::error::did_you_mean(t, GuestKind::NAMES.iter().copied()),
            )
        })?),
    };
    Ok(User {
        id: text.clone(),
        upn: if is_id { format!("{text}@unknown") } else { text.clone() },
        object_id: is_id.then(|| text.clone()),
        user_type: if guest_kind.is_some() { UserType::Guest } else { UserType::Member },
        groups: args.groups.clone(),
        roles: args.roles.clone(),
        risk: Risk::None,
        stay_signed_in: false,
        adfs_persistent_sso: false,
        guest_kind,
        home_tenant: None,
        methods: crate::domain::default_user_methods(),
        insider_risk: InsiderRisk::None,
        persona: None,
    })
}

pub fn find_app(sc: &mut Scenario, text: &str) -> Result<usize, Problem> {
    let t = text.trim();
    if let Some(i) = sc.apps.iter().position(|a| a.key == t || crate::policy::apps::app_has_id(a, t)) {
        return Ok(i);
    }
    if crate::domain::is_guid(t) {
        sc.apps.push(App {
            key: t.to_lowercase(),
            name: format!("app {}", t.to_lowercase()),
            app_id: t.to_lowercase(),
            fresh_token_each_use: false,
            cae: false,
            approved_client_app: false,
            app_protection: false,
            lifetimes: crate::domain::TokenLifetimes::default(),
            downstream: Vec::new(),
        });
        return Ok(sc.apps.len() - 1);
    }
    // A bundle member Microsoft publishes by name (e.g. "Microsoft Forms").
    let member = crate::policy::apps::AppGroup::ALL.iter().find_map(|g| g.member_named(t));
    if let Some((id, name)) = member {
        if let Some(i) = id.and_then(|id| sc.apps.iter().position(|a| a.app_id.eq_ignore_ascii_case(id))) {
            return Ok(i);
        }
        sc.apps.push(App {
            key: name.to_string(),
            name: name.to_string(),
            // Without a published id the member is known by its name only.
            app_id: id.unwrap_or_default().to_string(),
            fresh_token_each_use: false,
            cae: false,
            approved_client_app: false,
            app_protection: false,
            lifetimes: crate::domain::TokenLifetimes::default(),
            downstream: Vec::new(),
        });
        return Ok(sc.apps.len() - 1);
    }
    let keys: Vec<&str> = sc.apps.iter().map(|a| a.key.as_str()).collect();
    Err(Problem::new(
        format!(
            "unknown app `{t}`; expected an app key ({}), an app id, or an app Microsoft lists in Office 365 or the admin portals by name",
            keys.join(", ")
        ),
        crate::error::did_you_mean(t, keys.iter().copied()),
    ))
}

/// Long: one What If flag after another, each read into the sign-in context.
pub fn sign_in(sc: &Scenario, args: &Inputs, user: usize, app: usize) -> Result<SignIn, Problem> {
    let mut device = base_device(sc, args, user)?;
    if let Some(p) = &args.platform {
        device.platform = parse_platform(p)?;
    }
    if let Some(ip) = args.ip {
        device.ip = ip;
    }
    if let Some(c) = &args.country {
        if !crate::policy::locations::is_country_code(c) {
            return Err(Problem::new(
                format!("`{c}` is not a two-letter country code"),
                Some("e.g. US, FR, BR".into()),
            ));
        }
        device.country = Some(c.to_ascii_uppercase());
    }
    if let Some(j) = args.device_join {
        device.join = j;
    }
    if let Some(c) = args.device_compliant {
        device.compliant = c;
    }
    let props = args.device_filter_props.as_deref().map(Props::parse).transpose()?;
    if let Some(p) = &props {
        p.apply(&mut device);
    }
    device.compliant_network |= args.compliant_network;
    Ok(SignIn {
        user,
        app,
        // Legacy protocols are native clients for grants (no browser session).
        client: args.client.unwrap_or(if args.legacy_client.is_some() { Client::Desktop } else { Client::Browser }),
        legacy_client: args.legacy_client,
        auth_flow: args.auth_flow,
        insider_risk: args.insider_risk.unwrap_or(sc.users[user].insider_risk),
        at: args
            .at
            .as_deref()
            .map(|t| crate::time::parse_rfc3339(t).map_err(|e| Problem::new(format!("--at: {e}"), None)))
            .transpose()?,
        service_principal: args.service_principal.as_deref().map(|id| ServicePrincipal {
            key: id.trim().to_lowercase(),
            object_id: Some(id.trim().to_lowercase()),
            app_id: Some(id.trim().to_lowercase()),
            risk: args.service_principal_risk,
            agent: args.agent,
        }),
        used: args.methods_used.as_deref().map(|m| method_set(m, "--methods-used")).transpose()?,
        device,
        props,
        sign_in_risk: args.sign_in_risk,
        user_risk: args.user_risk.unwrap_or(sc.users[user].risk),
        user_action: args.user_action.as_deref().map(parse_action).transpose()?,
        auth_context: args
            .auth_context
            .as_deref()
            .map(|c| {
                auth_context(c).ok_or_else(|| {
                    Problem::new(format!("`{c}` is not an authentication context"), Some("expected c1 to c99".into()))
                })
            })
            .transpose()?,
    })
}

fn method_set(text: &str, flag: &str) -> Result<MethodSet, Problem> {
    MethodSet::parse(text).map_err(|e| {
        let word = text.split(',').map(str::trim).find(|p| AuthMethod::parse(p).is_none()).unwrap_or(text);
        Problem::new(format!("{flag}: {e}"), crate::error::did_you_mean(word, AuthMethod::NAMES.iter().copied()))
    })
}

fn base_device(sc: &Scenario, args: &Inputs, user: usize) -> Result<Device, Problem> {
    if let Some(id) = &args.device {
        return sc.devices.iter().find(|d| &d.id == id).cloned().ok_or_else(|| {
            let known: Vec<&str> = sc.devices.iter().map(|d| d.id.as_str()).collect();
            Problem::new(
                format!("the scenario has no device `{id}`; known: {}", known.join(", ")),
                crate::error::did_you_mean(id, known.iter().copied()),
            )
        });
    }
    Ok(Device {
        id: "device".into(),
        owner: user,
        join: Join::Unregistered,
        platform: Platform::Windows,
        compliant: false,
        sign_in: DeviceSignIn::Password,
        browser: Browser::Edge,
        ip: NO_IP.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1))),
        country: None,
        compliant_network: false,
        seamless_sso: false,
        shared: false,
    })
}

fn parse_platform(text: &str) -> Result<Platform, Problem> {
    match crate::domain::parse_platform(text) {
        Some(crate::domain::PlatformEntry::One(p)) => Ok(p),
        _ => Err(Problem::new(
            format!("`{text}` is not a device platform casim simulates"),
            Some("expected windows, macOS, iOS, android or linux".into()),
        )),
    }
}

fn parse_action(text: &str) -> Result<UserAction, Problem> {
    UserAction::parse(text).ok_or_else(|| {
        Problem::new(
            format!("`{text}` is not a user action"),
            Some("expected register_security_info or register_device (or their urn:user: names)".into()),
        )
    })
}

fn context<'a>(sc: &'a Scenario, i: &'a SignIn) -> SignInContext<'a> {
    SignInContext {
        user_idx: i.user,
        user: &sc.users[i.user],
        app: i.app,
        app_info: &sc.apps[i.app],
        client: i.client,
        legacy_client: i.legacy_client,
        device: &i.device,
        device_props: i.props.as_ref().map(|p| p as &dyn DeviceProperties),
        ip: i.device.ip,
        country: i.device.country.as_deref(),
        compliant_network: i.device.compliant_network,
        sign_in_risk: i.sign_in_risk,
        user_risk: i.user_risk,
        insider_risk: i.insider_risk,
        auth_flow: i.auth_flow,
        at: i.at,
        service_principal: i.service_principal.as_ref(),
        user_action: i.user_action,
        auth_context: i.auth_context.as_deref(),
        named_locations: &sc.named_locations,
    }
}

/// `--device-filter-props`: property values for device filters; trustType
/// and isCompliant also set the device's join and compliance for grants.
pub struct Props(Vec<(&'static str, String)>);

impl Props {
    fn parse(text: &str) -> Result<Props, Problem> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                Problem::new(
                    format!("`{part}` is not NAME=VALUE"),
                    Some("e.g. trustType=AzureAD,isCompliant=true".into()),
                )
            })?;
            let key = key.trim().trim_start_matches("device.");
            // The rule parser knows the property names (and suggests near misses).
            let rule = DeviceFilterRule::parse(&format!("device.{key} -eq \"x\"")).map_err(|e| {
                Problem::new(
                    format!("`{key}` is not a device filter property"),
                    e.suggestion.map(|s| format!("did you mean `{s}`?")),
                )
            })?;
            let name = rule.properties().first().copied().unwrap_or("deviceId");
            out.push((name, value.trim().to_string()));
        }
        Ok(Props(out))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    fn apply(&self, device: &mut Device) {
        device.join = match self.get("trustType").map(str::to_ascii_lowercase).as_deref() {
            Some("azuread") => Join::EntraJoined,
            Some("serverad") => Join::HybridJoined,
            Some("workplace") => Join::Registered,
            _ => Join::Unregistered,
        };
        device.compliant = self.get("isCompliant").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    }
}

impl DeviceProperties for Props {
    fn property(&self, name: &str) -> Option<PropertyValue> {
        let v = self.get(name)?;
        Some(match v.to_ascii_lowercase().as_str() {
            "true" => PropertyValue::Bool(true),
            "false" => PropertyValue::Bool(false),
            _ => PropertyValue::Text(v.to_string()),
        })
    }
}
