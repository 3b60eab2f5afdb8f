//! `casim whatif`: one sign-in instant, like Microsoft's What If tool. Every
//! policy with `policyApplies` and all its `analysisReasons`, then the
//! combined outcome (R-CA-2) and the session controls in force (R-SIF-4).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

mod output;

use super::Failure;
use super::output::{Mode, print};
use super::policies::print_warnings;
use crate::domain::{
    App, AuthMethod, Browser, Client, Device, DeviceSignIn, GuestKind, InsiderRisk, Join, MethodSet, Platform, Risk,
    User, UserAction, UserType,
};
use crate::policy::apps::auth_context;
use crate::policy::conditions::{AuthFlow, ServicePrincipal};
use crate::policy::describe::sif_short;
use crate::policy::device_filter::{DeviceFilterRule, DeviceProperties, PropertyValue};
use crate::policy::grants::GrantOutcome;
use crate::policy::matching::LegacyClient;
use crate::policy::whatif::{self, WhatIf, reasons_text};
use crate::policy::{Grant, GrantFacts, PersistentBrowser, SignInContext};
use crate::scenario::{self, Scenario};

pub const AFTER_HELP: &str = "Without --scenario, --user is a UPN or an object id and --app a built-in app key
(sharepoint, exchange, teams, office, azure_portal, graph, intune_enrollment, avd) or an app id.
With --scenario, they are the scenario's user and app ids (UPNs, object ids and app ids work too),
--device takes the facts of one of its devices, and --policies is optional.

Defaults: browser client, windows platform, an unregistered device, IP 192.0.2.1 (a documentation
address in no named location), unknown country, not on a compliant network, no sign-in, user or
insider risk, no device code flow or authentication transfer, no MFA yet, the user's methods are
password and Authenticator push (plus --methods), an unknown instant (a policy with a `times`
condition then answers notEnoughInformation; give --at).

With --service-principal, the sign-in is a workload identity's (client credentials) instead of a
user's: policies for users do not apply, policies with clientApplications do.

Examples:
  casim whatif --policies export.json --user alice@contoso.com --app sharepoint
  casim whatif --policies export.json --user alice@contoso.com --app office --ip 203.0.113.7 --country FR
  casim whatif --scenario office.yaml --user alice --app exchange --device laptop --format json
  casim whatif --policies export.json --user bob@contoso.com --app azure_portal --device-filter-props trustType=AzureAD,isCompliant=true
  casim whatif --policies export.json --user alice@contoso.com --app office --auth-flow device_code_flow
  casim whatif --policies export.json --user alice@contoso.com --app exchange --client exchange_active_sync
  casim whatif --policies export.json --service-principal 0f6a3c2e-55d1-4c8f-9d47-8a1f5f2b7c11 --app graph";

#[derive(Args)]
pub struct WhatIfArgs {
    /// Policies: YAML list, Graph JSON file or EntraExporter folder.
    #[arg(long, value_name = "PATH")]
    policies: Option<PathBuf>,
    /// The user: UPN or object id (or a scenario user id with --scenario).
    #[arg(long, required_unless_present = "service_principal", conflicts_with = "service_principal")]
    user: Option<String>,
    /// A workload identity signs in instead of a user: its object id or app id.
    #[arg(long, value_name = "ID")]
    service_principal: Option<String>,
    /// The workload identity's risk (default none).
    #[arg(long, value_enum, requires = "service_principal")]
    service_principal_risk: Option<RiskArg>,
    /// The workload identity is an agent identity (agentIdRiskLevels apply).
    #[arg(long, requires = "service_principal")]
    agent: bool,
    /// The app: built-in key or app id (or a scenario app key with --scenario).
    #[arg(long)]
    app: String,
    /// Resolve users, groups, apps and named locations against this scenario.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// A scenario device whose facts the sign-in has (needs --scenario).
    #[arg(long, requires = "scenario")]
    device: Option<String>,
    /// How the user reaches the app (default browser).
    #[arg(long, value_enum)]
    client: Option<ClientArg>,
    /// windows, macOS, iOS, android or linux.
    #[arg(long)]
    platform: Option<String>,
    /// The sign-in's public IP address (IPv4 or IPv6).
    #[arg(long)]
    ip: Option<IpAddr>,
    /// Two-letter country or region of the sign-in.
    #[arg(long)]
    country: Option<String>,
    /// The device's join type (default unregistered).
    #[arg(long, value_enum, conflicts_with = "device_filter_props")]
    device_join: Option<JoinArg>,
    /// Whether the device is compliant.
    #[arg(long, conflicts_with = "device_filter_props")]
    device_compliant: Option<bool>,
    /// Device properties for filters, e.g. trustType=AzureAD,isCompliant=true,extensionAttribute1=x.
    #[arg(long, value_name = "K=V,...")]
    device_filter_props: Option<String>,
    /// The sign-in's risk level (default none).
    #[arg(long, value_enum)]
    sign_in_risk: Option<RiskArg>,
    /// The user's risk level (default: the scenario user's, else none).
    #[arg(long, value_enum)]
    user_risk: Option<RiskArg>,
    /// register_security_info or register_device instead of accessing the app.
    #[arg(long)]
    user_action: Option<String>,
    /// An authentication context the app requests (c1 to c99).
    #[arg(long)]
    auth_context: Option<String>,
    /// The sign-in uses device code flow or authentication transfer.
    #[arg(long, value_enum)]
    auth_flow: Option<AuthFlowArg>,
    /// The user's insider risk (default: the scenario user's, else none).
    #[arg(long, value_enum)]
    insider_risk: Option<InsiderRiskArg>,
    /// The sign-in's instant (RFC 3339), for policies with a `times` condition.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// The sign-in comes through Global Secure Access from a compliant network.
    #[arg(long)]
    compliant_network: bool,
    /// Methods the user has, comma-separated (e.g. fido2,windows_hello_for_business), beyond password and Authenticator push.
    #[arg(long, value_name = "M,...")]
    methods: Option<String>,
    /// The combination the session's MFA used (e.g. password,sms), for authentication strengths.
    #[arg(long, value_name = "M,...")]
    methods_used: Option<String>,
    /// The sign-in has already satisfied MFA.
    #[arg(long)]
    mfa: bool,
    /// A group of the user (without --scenario); repeat for more.
    #[arg(long)]
    group: Vec<String>,
    /// A directory role of the user, by name or template id (without --scenario).
    #[arg(long)]
    role: Vec<String>,
    /// The user is a guest or external user of this kind (e.g. b2b_collaboration_guest).
    #[arg(long)]
    guest_type: Option<String>,
    /// Output format; json is close to Graph's whatIfAnalysisResult.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum ClientArg {
    Browser,
    MobileAndDesktop,
    Desktop,
    Mobile,
    /// Exchange ActiveSync (legacy authentication).
    ExchangeActiveSync,
    /// Other legacy clients (IMAP, POP, SMTP, older Office clients).
    Other,
}

#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum AuthFlowArg {
    DeviceCodeFlow,
    AuthenticationTransfer,
}

#[derive(Clone, Copy, ValueEnum)]
enum InsiderRiskArg {
    None,
    Minor,
    Moderate,
    Elevated,
}

#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum JoinArg {
    EntraJoined,
    HybridJoined,
    Registered,
    Unregistered,
}

#[derive(Clone, Copy, ValueEnum)]
enum RiskArg {
    None,
    Low,
    Medium,
    High,
}

const COMMAND: &str = "whatif";
const NO_IP: &str = "192.0.2.1";

pub fn whatif(args: WhatIfArgs) -> Result<ExitCode, (Failure, &'static str)> {
    run(&args).map_err(|e| (e, COMMAND))
}

/// The sign-in the command describes, resolved.
struct Instant {
    user: usize,
    app: usize,
    device: Device,
    client: Client,
    props: Option<Props>,
    sign_in_risk: Risk,
    user_risk: Risk,
    user_action: Option<UserAction>,
    auth_context: Option<String>,
    legacy_client: Option<LegacyClient>,
    auth_flow: Option<AuthFlow>,
    insider_risk: InsiderRisk,
    at: Option<i64>,
    service_principal: Option<ServicePrincipal>,
    used: Option<MethodSet>,
}

fn run(args: &WhatIfArgs) -> Result<ExitCode, Failure> {
    let mut sc = base_scenario(args)?;
    let user = find_user(&mut sc, args)?;
    if let Some(m) = &args.methods {
        let extra = method_set(m, "--methods")?;
        sc.users[user].methods = extra.methods().fold(sc.users[user].methods, MethodSet::with);
    }
    let app = find_app(&mut sc, &args.app)?;
    if let Some(path) = &args.policies {
        if !path.exists() {
            return Err(crate::error::InputError::new(path, None, "no such file or folder").into());
        }
        let set = scenario::load_policies(path, &sc)?;
        scenario::attach_policies(&mut sc, set);
    } else if args.scenario.is_none() {
        return Err(Failure::usage("`casim whatif` needs --policies PATH (or --scenario FILE with policies)", None));
    }
    print_warnings(&sc);
    let instant = sign_in(&sc, args, user, app)?;
    let cx = context(&sc, &instant);
    let mut facts = GrantFacts::of(&sc.users[user], &instant.device, &sc.apps[app], instant.client, args.mfa);
    facts.used = instant.used;
    let result = whatif::evaluate(&sc.policies, &cx, facts);
    let text = match args.format {
        Format::Text => output::text(&sc, &instant, &result),
        Format::Json => serde_json::to_string_pretty(&output::json_result(&sc, &instant, &result)).unwrap_or_default(),
    };
    let mode = if args.format == Format::Json { Mode::Data } else { Mode::Text };
    print(mode, &format!("{text}\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn base_scenario(args: &WhatIfArgs) -> Result<Scenario, Failure> {
    match &args.scenario {
        Some(file) if !file.exists() => Err(crate::error::InputError::new(file, None, "no such file or folder").into()),
        Some(file) => {
            if !args.group.is_empty() || !args.role.is_empty() || args.guest_type.is_some() {
                return Err(Failure::usage(
                    "--group, --role and --guest-type describe a user without --scenario; with a scenario, its user's groups and roles count",
                    None,
                ));
            }
            Ok(scenario::load(file)?)
        }
        None => Ok(scenario::empty(args.policies.as_deref().unwrap_or(std::path::Path::new("whatif")))),
    }
}

fn find_user(sc: &mut Scenario, args: &WhatIfArgs) -> Result<usize, Failure> {
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
    if args.scenario.is_some() {
        let known: Vec<&str> = sc.users.iter().map(|u| u.id.as_str()).collect();
        return Err(Failure::usage(
            format!("the scenario has no user `{wanted}`; known: {}", known.join(", ")),
            crate::error::did_you_mean(wanted, known.iter().copied()),
        ));
    }
    sc.users.push(synthetic_user(args, wanted)?);
    Ok(sc.users.len() - 1)
}

fn synthetic_user(args: &WhatIfArgs, name: &str) -> Result<User, Failure> {
    let text = name.trim().to_lowercase();
    let is_id = crate::domain::is_guid(&text);
    let guest_kind = match &args.guest_type {
        None => None,
        Some(t) => Some(GuestKind::parse(t).ok_or_else(|| {
            Failure::usage(
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
        groups: args.group.clone(),
        roles: args.role.clone(),
        risk: Risk::None,
        stay_signed_in: false,
        guest_kind,
        home_tenant: None,
        methods: crate::domain::default_user_methods(),
        insider_risk: InsiderRisk::None,
    })
}

fn find_app(sc: &mut Scenario, text: &str) -> Result<usize, Failure> {
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
        });
        return Ok(sc.apps.len() - 1);
    }
    let keys: Vec<&str> = sc.apps.iter().map(|a| a.key.as_str()).collect();
    Err(Failure::usage(
        format!(
            "unknown app `{t}`; expected an app key ({}), an app id, or an app Microsoft lists in Office 365 or the admin portals by name",
            keys.join(", ")
        ),
        crate::error::did_you_mean(t, keys.iter().copied()),
    ))
}

fn sign_in(sc: &Scenario, args: &WhatIfArgs, user: usize, app: usize) -> Result<Instant, Failure> {
    let mut device = base_device(sc, args, user)?;
    if let Some(p) = &args.platform {
        device.platform = parse_platform(p)?;
    }
    if let Some(ip) = args.ip {
        device.ip = ip;
    }
    if let Some(c) = &args.country {
        if !crate::policy::locations::is_country_code(c) {
            return Err(Failure::usage(
                format!("`{c}` is not a two-letter country code"),
                Some("e.g. US, FR, BR".into()),
            ));
        }
        device.country = Some(c.to_ascii_uppercase());
    }
    if let Some(j) = args.device_join {
        device.join = match j {
            JoinArg::EntraJoined => Join::EntraJoined,
            JoinArg::HybridJoined => Join::HybridJoined,
            JoinArg::Registered => Join::Registered,
            JoinArg::Unregistered => Join::Unregistered,
        };
    }
    if let Some(c) = args.device_compliant {
        device.compliant = c;
    }
    let props = args.device_filter_props.as_deref().map(Props::parse).transpose()?;
    if let Some(p) = &props {
        p.apply(&mut device);
    }
    device.compliant_network |= args.compliant_network;
    Ok(Instant {
        user,
        app,
        client: match args.client {
            None | Some(ClientArg::Browser) => Client::Browser,
            Some(ClientArg::Mobile) => Client::Mobile,
            Some(ClientArg::MobileAndDesktop | ClientArg::Desktop) => Client::Desktop,
            // Legacy protocols are native clients for grants (no browser session).
            Some(ClientArg::ExchangeActiveSync | ClientArg::Other) => Client::Desktop,
        },
        legacy_client: match args.client {
            Some(ClientArg::ExchangeActiveSync) => Some(LegacyClient::ExchangeActiveSync),
            Some(ClientArg::Other) => Some(LegacyClient::Other),
            _ => None,
        },
        auth_flow: args.auth_flow.map(|f| match f {
            AuthFlowArg::DeviceCodeFlow => AuthFlow::DeviceCodeFlow,
            AuthFlowArg::AuthenticationTransfer => AuthFlow::AuthenticationTransfer,
        }),
        insider_risk: match args.insider_risk {
            None => sc.users[user].insider_risk,
            Some(InsiderRiskArg::None) => InsiderRisk::None,
            Some(InsiderRiskArg::Minor) => InsiderRisk::Minor,
            Some(InsiderRiskArg::Moderate) => InsiderRisk::Moderate,
            Some(InsiderRiskArg::Elevated) => InsiderRisk::Elevated,
        },
        at: args
            .at
            .as_deref()
            .map(|t| crate::time::parse_rfc3339(t).map_err(|e| Failure::usage(format!("--at: {e}"), None)))
            .transpose()?,
        service_principal: args.service_principal.as_deref().map(|id| ServicePrincipal {
            key: id.trim().to_lowercase(),
            object_id: Some(id.trim().to_lowercase()),
            app_id: Some(id.trim().to_lowercase()),
            risk: args.service_principal_risk.map(|r| risk(Some(r))).unwrap_or(Risk::None),
            agent: args.agent,
        }),
        used: args.methods_used.as_deref().map(|m| method_set(m, "--methods-used")).transpose()?,
        device,
        props,
        sign_in_risk: risk(args.sign_in_risk),
        user_risk: args.user_risk.map(|r| risk(Some(r))).unwrap_or(sc.users[user].risk),
        user_action: args.user_action.as_deref().map(parse_action).transpose()?,
        auth_context: args
            .auth_context
            .as_deref()
            .map(|c| {
                auth_context(c).ok_or_else(|| {
                    Failure::usage(format!("`{c}` is not an authentication context"), Some("expected c1 to c99".into()))
                })
            })
            .transpose()?,
    })
}

fn method_set(text: &str, flag: &str) -> Result<MethodSet, Failure> {
    MethodSet::parse(text).map_err(|e| {
        let word = text.split(',').map(str::trim).find(|p| AuthMethod::parse(p).is_none()).unwrap_or(text);
        Failure::usage(format!("{flag}: {e}"), crate::error::did_you_mean(word, AuthMethod::NAMES.iter().copied()))
    })
}

fn base_device(sc: &Scenario, args: &WhatIfArgs, user: usize) -> Result<Device, Failure> {
    if let Some(id) = &args.device {
        return sc.devices.iter().find(|d| &d.id == id).cloned().ok_or_else(|| {
            let known: Vec<&str> = sc.devices.iter().map(|d| d.id.as_str()).collect();
            Failure::usage(
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
    })
}

fn parse_platform(text: &str) -> Result<Platform, Failure> {
    match crate::domain::parse_platform(text) {
        Some(crate::domain::PlatformEntry::One(p)) => Ok(p),
        _ => Err(Failure::usage(
            format!("`{text}` is not a device platform casim simulates"),
            Some("expected windows, macOS, iOS, android or linux".into()),
        )),
    }
}

fn parse_action(text: &str) -> Result<UserAction, Failure> {
    UserAction::parse(text).ok_or_else(|| {
        Failure::usage(
            format!("`{text}` is not a user action"),
            Some("expected register_security_info or register_device (or their urn:user: names)".into()),
        )
    })
}

fn risk(r: Option<RiskArg>) -> Risk {
    match r {
        None | Some(RiskArg::None) => Risk::None,
        Some(RiskArg::Low) => Risk::Low,
        Some(RiskArg::Medium) => Risk::Medium,
        Some(RiskArg::High) => Risk::High,
    }
}

fn context<'a>(sc: &'a Scenario, i: &'a Instant) -> SignInContext<'a> {
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
struct Props(Vec<(&'static str, String)>);

impl Props {
    fn parse(text: &str) -> Result<Props, Failure> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                Failure::usage(
                    format!("`{part}` is not NAME=VALUE"),
                    Some("e.g. trustType=AzureAD,isCompliant=true".into()),
                )
            })?;
            let key = key.trim().trim_start_matches("device.");
            // The rule parser knows the property names (and suggests near misses).
            let rule = DeviceFilterRule::parse(&format!("device.{key} -eq \"x\"")).map_err(|e| {
                Failure::usage(
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
