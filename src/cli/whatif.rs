//! `casim whatif`: one sign-in instant, like Microsoft's What If tool. Every
//! policy with `policyApplies` and all its `analysisReasons`, then the
//! combined outcome (R-CA-2) and the session controls in force (R-SIF-4).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::Failure;
use super::output::{Mode, print};
use super::policies::print_warnings;
use crate::domain::{Client, InsiderRisk, Join, Risk};
use crate::policy::conditions::AuthFlow;
use crate::policy::matching::LegacyClient;
use crate::report;
use crate::scenario::{self, Scenario};
use crate::whatif::{self, Inputs};

pub(super) const AFTER_HELP: &str = "Without --scenario, --user is a UPN or an object id and --app a built-in app key
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
  casim whatif --policies scenarios/graph/baseline-blocks.json --user alice@contoso.com --app sharepoint
  casim whatif --policies scenarios/graph/baseline-blocks.json --user alice@contoso.com --app office --ip 203.0.113.7 --country FR
  casim whatif --scenario scenarios/work-week.yaml --user vera --app exchange --device laptop --format json
  casim whatif --policies scenarios/graph/baseline-blocks.json --user bob@contoso.com --app azure_portal --device-filter-props trustType=AzureAD,isCompliant=true
  casim whatif --policies scenarios/graph/baseline-blocks.json --user alice@contoso.com --app office --auth-flow device_code_flow
  casim whatif --policies scenarios/graph/baseline-blocks.json --user alice@contoso.com --app exchange --client exchange_active_sync
  casim whatif --policies scenarios/graph/baseline-blocks.json --service-principal 0f6a3c2e-55d1-4c8f-9d47-8a1f5f2b7c11 --app graph";

#[derive(Args)]
pub(super) struct WhatIfArgs {
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
pub(super) fn whatif(args: WhatIfArgs) -> Result<ExitCode, (Failure, &'static str)> {
    run(&args).map_err(|e| (e, COMMAND))
}

fn run(args: &WhatIfArgs) -> Result<ExitCode, Failure> {
    let inputs = inputs(args);
    let mut sc = base_scenario(args)?;
    let user = whatif::find_user(&mut sc, &inputs)?;
    let app = whatif::find_app(&mut sc, &args.app)?;
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
    let instant = whatif::sign_in(&sc, &inputs, user, app)?;
    let result = instant.evaluate(&sc, args.mfa);
    let text = match args.format {
        Format::Text => report::whatif::text(&sc, &instant, &result),
        Format::Json => {
            serde_json::to_string_pretty(&report::whatif::json_result(&sc, &instant, &result)).unwrap_or_default()
        }
    };
    let mode = if args.format == Format::Json { Mode::Data } else { Mode::Text };
    print(mode, &format!("{text}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// The flags as the library's description of the sign-in.
fn inputs(args: &WhatIfArgs) -> Inputs {
    Inputs {
        user: args.user.clone(),
        service_principal: args.service_principal.clone(),
        service_principal_risk: args.service_principal_risk.map(|r| risk(Some(r))).unwrap_or(Risk::None),
        agent: args.agent,
        from_scenario: args.scenario.is_some(),
        device: args.device.clone(),
        client: match args.client {
            None | Some(ClientArg::ExchangeActiveSync | ClientArg::Other) => None,
            Some(ClientArg::Browser) => Some(Client::Browser),
            Some(ClientArg::Mobile) => Some(Client::Mobile),
            Some(ClientArg::MobileAndDesktop | ClientArg::Desktop) => Some(Client::Desktop),
        },
        legacy_client: match args.client {
            Some(ClientArg::ExchangeActiveSync) => Some(LegacyClient::ExchangeActiveSync),
            Some(ClientArg::Other) => Some(LegacyClient::Other),
            _ => None,
        },
        platform: args.platform.clone(),
        ip: args.ip,
        country: args.country.clone(),
        device_join: args.device_join.map(|j| match j {
            JoinArg::EntraJoined => Join::EntraJoined,
            JoinArg::HybridJoined => Join::HybridJoined,
            JoinArg::Registered => Join::Registered,
            JoinArg::Unregistered => Join::Unregistered,
        }),
        device_compliant: args.device_compliant,
        device_filter_props: args.device_filter_props.clone(),
        sign_in_risk: risk(args.sign_in_risk),
        user_risk: args.user_risk.map(|r| risk(Some(r))),
        user_action: args.user_action.clone(),
        auth_context: args.auth_context.clone(),
        auth_flow: args.auth_flow.map(|f| match f {
            AuthFlowArg::DeviceCodeFlow => AuthFlow::DeviceCodeFlow,
            AuthFlowArg::AuthenticationTransfer => AuthFlow::AuthenticationTransfer,
        }),
        insider_risk: args.insider_risk.map(|r| match r {
            InsiderRiskArg::None => InsiderRisk::None,
            InsiderRiskArg::Minor => InsiderRisk::Minor,
            InsiderRiskArg::Moderate => InsiderRisk::Moderate,
            InsiderRiskArg::Elevated => InsiderRisk::Elevated,
        }),
        at: args.at.clone(),
        compliant_network: args.compliant_network,
        methods: args.methods.clone(),
        methods_used: args.methods_used.clone(),
        groups: args.group.clone(),
        roles: args.role.clone(),
        guest_type: args.guest_type.clone(),
    }
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

fn risk(r: Option<RiskArg>) -> Risk {
    match r {
        None | Some(RiskArg::None) => Risk::None,
        Some(RiskArg::Low) => Risk::Low,
        Some(RiskArg::Medium) => Risk::Medium,
        Some(RiskArg::High) => Risk::High,
    }
}
