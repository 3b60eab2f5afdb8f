//! The policy model the engine evaluates: conditions, grant controls and
//! session controls of a Conditional Access policy (REFERENCE.md,
//! conditionalAccessPolicy), whether it came from YAML or from Graph JSON.

use super::apps::AppGroup;

use super::conditions::{AuthFlow, TimeCondition, WorkloadCondition};
use super::device_filter::DeviceFilterRule;
use super::grants::Grant;
use super::locations::LocationCondition;
use crate::domain::{AppIdx, GuestKind, InsiderRisk, Platform, Risk, UserAction, UserIdx};
use crate::time::Seconds;

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyState {
    Enabled,
    ReportOnly,
    Disabled,
}

impl PolicyState {
    pub fn graph_name(self) -> &'static str {
        match self {
            PolicyState::Enabled => "enabled",
            PolicyState::ReportOnly => "enabledForReportingButNotEnforced",
            PolicyState::Disabled => "disabled",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            PolicyState::Enabled => "on",
            PolicyState::ReportOnly => "report-only",
            PolicyState::Disabled => "off",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum UserRef {
    All,
    User(UserIdx),
    /// A group by name, or by GUID when the scenario has no name for it.
    Group(String),
    /// A directory role by name or template id (see `roles`).
    Role(String),
    /// Every guest or external user (Graph `GuestsOrExternalUsers`).
    Guests,
}

/// Graph `conditionalAccessGuestsOrExternalUsers`.
#[derive(Debug, Clone, PartialEq)]
pub struct GuestCondition {
    pub kinds: Vec<GuestKind>,
    /// `None`: users from any external tenant; else these tenant ids only.
    pub tenants: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserCondition {
    pub include: Vec<UserRef>,
    pub exclude: Vec<UserRef>,
    pub include_guests: Option<GuestCondition>,
    pub exclude_guests: Option<GuestCondition>,
    /// Object ids the scenario does not know (a real tenant's ids in an
    /// export): they match nobody, and `policies show` lists them.
    pub unknown_include: Vec<String>,
    pub unknown_exclude: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppCondition {
    /// All resources (`All`).
    pub all: bool,
    pub include: Vec<AppIdx>,
    pub exclude: Vec<AppIdx>,
    pub include_groups: Vec<AppGroup>,
    pub exclude_groups: Vec<AppGroup>,
    /// App ids the scenario does not know: they match no app.
    pub unknown_include: Vec<String>,
    pub unknown_exclude: Vec<String>,
    /// A policy for user actions applies to those actions instead of resources.
    pub user_actions: Vec<UserAction>,
    /// Authentication contexts (`c1`…`c99`) the policy protects.
    pub auth_contexts: Vec<String>,
    /// `applicationFilter` (custom security attributes) as written: casim
    /// apps carry no attributes, so it is "not enough information".
    pub filter: Option<(FilterMode, String)>,
    /// Global Secure Access traffic profiles (`networkAccess`, the deprecated
    /// `globalSecureAccess`): casim simulates no GSA traffic.
    pub gsa_traffic: bool,
}

impl AppCondition {
    /// All resources without exclusions (R-PB-2).
    pub fn targets_all_resources(&self) -> bool {
        self.all
            && self.exclude.is_empty()
            && self.exclude_groups.is_empty()
            && self.unknown_exclude.is_empty()
            && self.filter.is_none()
    }

    /// Whether the policy names any resource (rather than only user actions,
    /// authentication contexts or nothing).
    pub fn targets_resources(&self) -> bool {
        self.all
            || !self.include.is_empty()
            || !self.include_groups.is_empty()
            || !self.unknown_include.is_empty()
            || self.gsa_traffic
            || self.filter.as_ref().is_some_and(|(mode, _)| *mode == FilterMode::Include)
    }
}

/// Risk levels a policy condition lists (Graph `riskLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RiskLevel {
    None,
    Low,
    Medium,
    High,
    /// Risk hidden from the admin; no casim sign-in has it.
    Hidden,
}

impl RiskLevel {
    pub const NAMES: [&'static str; 5] = ["none", "low", "medium", "high", "hidden"];

    pub fn parse(text: &str) -> Option<RiskLevel> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" => Some(RiskLevel::None),
            "low" => Some(RiskLevel::Low),
            "medium" => Some(RiskLevel::Medium),
            "high" => Some(RiskLevel::High),
            "hidden" => Some(RiskLevel::Hidden),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn matches(self, risk: Risk) -> bool {
        matches!(
            (self, risk),
            (RiskLevel::None, Risk::None)
                | (RiskLevel::Low, Risk::Low)
                | (RiskLevel::Medium, Risk::Medium)
                | (RiskLevel::High, Risk::High)
        )
    }
}

/// Sign-in frequency (R-SIF-1, R-ET-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sif {
    Periodic(Seconds),
    EveryTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SifUnit {
    Hours,
    Days,
}

/// Graph `signInFrequencySessionControl` as written, for `show` and `lint`.
#[derive(Debug, Clone, PartialEq)]
pub struct SifSetting {
    pub enabled: bool,
    pub every_time: bool,
    pub value: Option<i64>,
    pub unit: Option<SifUnit>,
    /// `authenticationType`: true for `secondaryAuthentication`.
    pub secondary_only: bool,
}

impl SifSetting {
    /// The engine's view: `None` when disabled.
    pub fn to_sif(&self) -> Option<Sif> {
        if !self.enabled {
            return None;
        }
        if self.every_time {
            return Some(Sif::EveryTime);
        }
        let unit = match self.unit? {
            SifUnit::Hours => crate::time::HOUR,
            SifUnit::Days => crate::time::DAY,
        };
        self.value.filter(|v| *v > 0).map(|v| Sif::Periodic(v.saturating_mul(unit)))
    }

    /// Within the portal's range: hours 1–23, days 1–365 (REFERENCE.md).
    pub fn in_range(&self) -> bool {
        match (self.unit, self.value) {
            _ if self.every_time => true,
            (Some(SifUnit::Hours), Some(v)) => (1..=23).contains(&v),
            (Some(SifUnit::Days), Some(v)) => (1..=365).contains(&v),
            _ => false,
        }
    }
}

/// Session controls beyond the two the engine uses, kept and shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionControls {
    pub sign_in_frequency: Option<SifSetting>,
    /// `persistentBrowser` as written, even when R-PB-2 makes it inert.
    pub persistent_browser: Option<PersistentBrowser>,
    pub app_enforced_restrictions: bool,
    /// `cloudAppSecurity.cloudAppSecurityType` when enabled.
    pub cloud_app_security: Option<String>,
    /// `continuousAccessEvaluation.mode` (beta).
    pub continuous_access_evaluation: Option<String>,
    pub disable_resilience_defaults: bool,
    pub secure_sign_in_session: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceFilter {
    pub mode: FilterMode,
    pub rule: DeviceFilterRule,
    /// The rule as written.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub id: Option<String>,
    pub state: PolicyState,
    pub users: UserCondition,
    pub apps: AppCondition,
    /// `None`: all client app types. Legacy types (Exchange ActiveSync,
    /// other clients) are in `legacy_client_apps`: no casim sign-in uses them.
    pub client_apps: Option<Vec<ClientAppType>>,
    pub legacy_client_apps: Vec<String>,
    /// Included platforms; `None`: all.
    pub platforms: Option<Vec<Platform>>,
    pub exclude_platforms: Vec<Platform>,
    pub locations: Option<LocationCondition>,
    pub device_filter: Option<DeviceFilter>,
    pub sign_in_risk: Option<Vec<RiskLevel>>,
    pub user_risk: Option<Vec<RiskLevel>>,
    /// `insiderRiskLevels`; `None`: any.
    pub insider_risk: Option<Vec<InsiderRisk>>,
    /// `authenticationFlows.transferMethods`; `None`: any flow, or none.
    pub auth_flows: Option<Vec<AuthFlow>>,
    /// `times` (beta); `None`: any time.
    pub times: Option<TimeCondition>,
    /// `clientApplications`: a policy for workload identities instead of users.
    pub workloads: Option<WorkloadCondition>,
    /// `servicePrincipalRiskLevels`; `None`: any.
    pub service_principal_risk: Option<Vec<RiskLevel>>,
    /// `agentIdRiskLevels`; `None`: any.
    pub agent_risk: Option<Vec<RiskLevel>>,
    pub grant: Option<Grant>,
    /// What the engine enforces (from `session.sign_in_frequency`).
    pub sif: Option<Sif>,
    pub persistent_browser: Option<PersistentBrowser>,
    pub session: SessionControls,
    pub template_id: Option<String>,
    /// Things read but not modelled, in words, for `policies show`.
    pub ignored: Vec<String>,
    /// Controls and conditions kept but not simulated, in words: every output
    /// that shows this policy lists them ("kept, not simulated").
    pub not_simulated: Vec<String>,
    /// Where the policy was read, e.g. `export.json $[2]`, for diagnostics.
    pub origin: Option<String>,
}

impl Policy {
    /// A policy for all users and all resources with no controls.
    pub fn new(name: impl Into<String>) -> Policy {
        Policy {
            name: name.into(),
            id: None,
            state: PolicyState::Enabled,
            users: UserCondition { include: vec![UserRef::All], ..UserCondition::default() },
            apps: AppCondition { all: true, ..AppCondition::default() },
            client_apps: None,
            legacy_client_apps: Vec::new(),
            platforms: None,
            exclude_platforms: Vec::new(),
            locations: None,
            device_filter: None,
            sign_in_risk: None,
            user_risk: None,
            insider_risk: None,
            auth_flows: None,
            times: None,
            workloads: None,
            service_principal_risk: None,
            agent_risk: None,
            grant: None,
            sif: None,
            persistent_browser: None,
            session: SessionControls::default(),
            template_id: None,
            ignored: Vec::new(),
            not_simulated: Vec::new(),
            origin: None,
        }
    }

    /// R-PB-2: persistent browser only works on a policy for all resources.
    pub fn effective_persistent_browser(&self) -> Option<PersistentBrowser> {
        self.persistent_browser.filter(|_| self.apps.targets_all_resources())
    }

    pub fn requires_mfa(&self) -> bool {
        self.grant.as_ref().is_some_and(Grant::mentions_mfa)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAppType {
    Browser,
    MobileAndDesktop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterMode {
    Include,
    Exclude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersistentBrowser {
    Always,
    Never,
}
