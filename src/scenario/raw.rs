//! The scenario document exactly as written (see SCENARIO-FORMAT.md). Every
//! struct denies unknown keys; values that need checking later keep their
//! source position through `Spanned`.

use std::collections::BTreeMap;
use std::fmt;

use crate::domain::{Browser, DeviceSignIn, Join, Platform, Risk, UserType};
use serde::Deserialize;

use crate::policy::{FilterMode, PersistentBrowser};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
pub type S<T> = serde_saphyr::Spanned<T>;

/// A value of a timeline step and where it starts: `S` without the spans
/// and the second location casim never reads, 56 bytes smaller per value. A
/// generated population has hundreds of thousands of steps with a dozen
/// optional values each (issue 11: their `S` took 470 MB for 8,000 users).
/// Read like `S` from serde-saphyr; the quick reader (`plain_yaml`) gives
/// the position directly.
#[derive(Debug, Clone, PartialEq)]
pub struct P<T> {
    pub value: T,
    pub referenced: Position,
}

/// A line and column, from 1 (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl crate::error::Located for Position {
    fn line(&self) -> u64 {
        u64::from(self.line)
    }

    fn column(&self) -> u64 {
        u64::from(self.column)
    }
}

impl Position {
    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    fn of(loc: &serde_saphyr::Location) -> Position {
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Position { line: narrow(loc.line()), column: narrow(loc.column()) }
    }
}

/// The newtype name `plain_yaml` answers with the value's line, column and
/// value (a three-element sequence); any other reader reads an `S`.
pub(crate) const POSITIONED: &str = "__casim_positioned";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for P<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for PVisitor<T> {
            type Value = P<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<P<T>, D::Error> {
                let s = S::<T>::deserialize(d)?;
                Ok(P { referenced: Position::of(&s.referenced), value: s.value })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<P<T>, A::Error> {
                let missing = || de::Error::custom("a positioned value");
                let line: u32 = seq.next_element()?.ok_or_else(missing)?;
                let column: u32 = seq.next_element()?.ok_or_else(missing)?;
                let value: T = seq.next_element()?.ok_or_else(missing)?;
                Ok(P { value, referenced: Position { line, column } })
            }
        }
        deserializer.deserialize_newtype_struct(POSITIONED, PVisitor(std::marker::PhantomData))
    }
}

/// Text of the scenario and where it starts, whether kept as `S` or `P`.
pub trait Text {
    fn text(&self) -> &str;
    fn place(&self) -> Position;
}

impl Text for S<String> {
    fn text(&self) -> &str {
        &self.value
    }

    fn place(&self) -> Position {
        Position::of(&self.referenced)
    }
}

impl<T: AsRef<str>> Text for P<T> {
    fn text(&self) -> &str {
        self.value.as_ref()
    }

    fn place(&self) -> Position {
        self.referenced
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: S<String>,
    pub description: Option<String>,
    pub source: Option<String>,
    pub start: Option<S<String>>,
    /// An IANA time zone (`Europe/Paris`): the clock of the timeline and of text outputs.
    pub timezone: Option<S<String>>,
    pub seed: Option<u64>,
    pub settings: Option<RawSettings>,
    pub users: Option<S<BTreeMap<String, S<RawUser>>>>,
    /// Service principals and agent identities that sign in on their own
    /// (client credentials), for policies on workload identities.
    #[serde(default)]
    pub workload_identities: BTreeMap<String, S<RawWorkload>>,
    /// A population described by personas and counts instead of users and a timeline.
    pub population: Option<S<RawPopulation>>,
    #[serde(default)]
    pub devices: BTreeMap<String, S<RawDevice>>,
    #[serde(default)]
    pub apps: BTreeMap<String, S<RawApp>>,
    /// Group names and their object ids, to read Graph exports.
    #[serde(default)]
    pub groups: BTreeMap<String, S<String>>,
    #[serde(default)]
    pub named_locations: BTreeMap<String, S<RawNamedLocation>>,
    #[serde(default)]
    pub policies: RawPolicies,
    pub timeline: Option<RawTimeline>,
    pub expect: Option<RawExpect>,
    /// Raises (or lowers) casim's safety limits for this scenario (docs/limits.md).
    pub limits: Option<S<RawLimits>>,
}

/// `limits: { max_span: 800d, max_steps: 2000000, max_events: 50000000 }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    pub max_span: Option<S<String>>,
    pub max_steps: Option<S<u64>>,
    pub max_events: Option<S<u64>>,
}

/// `population: { personas: { office_worker: 9000, guest: 100 }, days: 30 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    pub personas: BTreeMap<String, S<usize>>,
    /// A persona file (docs/personas.md), relative to the scenario; default: the built-ins.
    pub personas_file: Option<S<String>>,
    pub days: S<u32>,
    /// The IANA time zone the personas' schedules follow; default: the scenario's `timezone:`.
    pub timezone: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub evaluation: Option<Evaluation>,
    pub access_token_lifetime: Option<S<String>>,
    pub prt_refresh_interval: Option<S<String>>,
    pub every_time_skew: Option<S<String>>,
    pub default_session_window: Option<S<String>>,
    pub session_cookie_idle: Option<S<String>>,
    pub browser_shared_sif: Option<bool>,
    pub kmsi: Option<Kmsi>,
    /// R-TOK-3: `AccessTokenLifetime` of the organization's default token lifetime policy.
    pub token_lifetime_policy: Option<S<String>>,
    /// R-TOK-4: CAE-capable clients negotiate CAE-aware sessions with long-lived tokens.
    pub long_lived_cae_tokens: Option<bool>,
    /// R-CAE-1: how long CAE apps take to learn of a critical event (0s to 15m).
    pub cae_event_latency: Option<S<String>>,
    /// `browser`, `id_token` or a duration (R-WEB-1..3).
    pub web_session: Option<S<String>>,
    /// Whole days, `1d` to `365d` (R-RMFA-1..3).
    pub remember_mfa: Option<S<String>>,
    /// R-PRT-8: idle window of PRTs on non-Windows devices.
    pub prt_idle_non_windows: Option<S<String>>,
    /// R-ET-5: a longer every-time skew for some apps (`{ avd: 15m }`).
    #[serde(default)]
    pub every_time_skew_by_app: BTreeMap<String, S<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Evaluation {
    #[default]
    Interaction,
    Token,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kmsi {
    #[default]
    Shown,
    Hidden,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUser {
    pub upn: Option<String>,
    pub object_id: Option<S<String>>,
    #[serde(rename = "type")]
    pub user_type: Option<UserType>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    pub risk: Option<Risk>,
    pub stay_signed_in: Option<bool>,
    /// R-PB-8: AD FS persistent SSO for this (federated) user.
    pub adfs_persistent_sso: Option<bool>,
    pub guest_type: Option<GuestType>,
    pub home_tenant: Option<S<String>>,
    /// Authentication methods the user has (R-CA-5), beyond password and
    /// Authenticator push.
    #[serde(default)]
    pub methods: Vec<S<String>>,
    /// Insider risk (Purview Adaptive Protection): none, minor, moderate, elevated.
    pub insider_risk: Option<S<String>>,
    /// The persona the user follows, a label summaries group by.
    pub persona: Option<String>,
}

/// A workload identity: which ids policies name it by, its risk, and where it
/// calls from.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    /// The application (client) id.
    pub app_id: Option<S<String>>,
    /// The service principal's object id.
    pub object_id: Option<S<String>>,
    /// Identity Protection's service principal (or agent identity) risk.
    pub risk: Option<Risk>,
    /// An agent identity rather than an application's service principal.
    pub agent: Option<bool>,
    pub ip: Option<S<String>>,
    pub country: Option<S<String>>,
}

/// Graph `guestOrExternalUserTypes`, in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuestType {
    InternalGuest,
    B2bCollaborationGuest,
    B2bCollaborationMember,
    B2bDirectConnectUser,
    OtherExternalUser,
    ServiceProvider,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDevice {
    pub owner: S<String>,
    pub join: Option<Join>,
    pub platform: Option<Platform>,
    pub compliant: Option<bool>,
    pub sign_in: Option<DeviceSignIn>,
    pub browser: Option<Browser>,
    /// The public IP address sign-ins from this device come from.
    pub ip: Option<S<String>>,
    /// ISO 3166 two-letter country or region of that address.
    pub country: Option<S<String>>,
    /// Sign-ins go through Global Secure Access from the tenant's compliant
    /// network (named location "All Compliant Network Locations").
    pub compliant_network: Option<bool>,
    /// R-PB-7: browser sign-ins use seamless SSO / integrated Windows authentication.
    pub seamless_sso: Option<bool>,
    /// R-PB-7: Entra ID detects the device as shared.
    pub shared: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApp {
    pub name: String,
    pub app_id: S<String>,
    pub fresh_token_each_use: Option<bool>,
    /// Whether the app supports continuous access evaluation (R-REV-3).
    pub cae: Option<bool>,
    pub approved_client_app: Option<bool>,
    pub app_protection: Option<bool>,
    /// R-TOK-3: `AccessTokenLifetime` of a token lifetime policy assigned to the app.
    pub token_lifetime_policy: Option<S<String>>,
    /// R-TOK-5: its access-token lifetime in a tenant that uses no Conditional Access.
    pub token_lifetime_without_ca: Option<S<String>>,
    /// R-DOWN-1: apps it asks tokens for when the user signs in to it.
    pub downstream: Option<Vec<S<String>>>,
}

/// A named location: IP ranges or countries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNamedLocation {
    pub id: Option<S<String>>,
    pub name: Option<String>,
    #[serde(default)]
    pub ip_ranges: Vec<S<String>>,
    #[serde(default)]
    pub countries: Vec<S<String>>,
    pub include_unknown_countries: Option<bool>,
    pub trusted: Option<bool>,
}

/// `policies:` is a list of policies or `{ graph: PATH }`.
#[derive(Debug)]
pub enum RawPolicies {
    List(Vec<S<RawPolicy>>),
    Graph(S<String>),
}

impl Default for RawPolicies {
    fn default() -> Self {
        RawPolicies::List(Vec::new())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GraphRef {
    graph: S<String>,
}

impl<'de> Deserialize<'de> for RawPolicies {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PoliciesVisitor;
        impl<'de> Visitor<'de> for PoliciesVisitor {
            type Value = RawPolicies;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of policies, or `{ graph: PATH }` naming a Graph export")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPolicies, A::Error> {
                let mut list = Vec::new();
                while let Some(item) = seq.next_element::<S<RawPolicy>>()? {
                    list.push(item);
                }
                Ok(RawPolicies::List(list))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPolicies, A::Error> {
                let r = GraphRef::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawPolicies::Graph(r.graph))
            }
        }
        deserializer.deserialize_any(PoliciesVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub name: S<String>,
    pub id: Option<String>,
    pub state: Option<S<PolicyStateName>>,
    pub users: Option<S<Targets>>,
    /// Workload identities (keys of `workload_identities:`, or ids) instead of users (R-CA-6).
    pub workloads: Option<S<Targets>>,
    pub apps: Option<S<Targets>>,
    pub client_apps: Option<Vec<S<String>>>,
    pub platforms: Option<S<Targets>>,
    pub locations: Option<S<Targets>>,
    pub sign_in_risk: Option<Vec<S<String>>>,
    pub user_risk: Option<Vec<S<String>>>,
    pub insider_risk: Option<Vec<S<String>>>,
    /// Service principal (or agent identity) risk levels, for policies on workloads.
    pub service_principal_risk: Option<Vec<S<String>>>,
    pub authentication_flows: Option<Vec<S<String>>>,
    pub device_filter: Option<RawDeviceFilter>,
    pub grant: Option<S<RawGrant>>,
    pub session: Option<RawSession>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PolicyStateName {
    #[serde(rename = "enabled")]
    Enabled,
    #[serde(rename = "report_only", alias = "enabledForReportingButNotEnforced")]
    ReportOnly,
    #[serde(rename = "disabled")]
    Disabled,
}

impl From<PolicyStateName> for crate::policy::PolicyState {
    fn from(name: PolicyStateName) -> crate::policy::PolicyState {
        match name {
            PolicyStateName::Enabled => crate::policy::PolicyState::Enabled,
            PolicyStateName::ReportOnly => crate::policy::PolicyState::ReportOnly,
            PolicyStateName::Disabled => crate::policy::PolicyState::Disabled,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeviceFilter {
    pub mode: FilterMode,
    pub rule: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub sign_in_frequency: Option<S<String>>,
    pub persistent_browser: Option<PersistentBrowser>,
    /// R-RES-1: sign-ins in scope are blocked during an Entra outage.
    pub disable_resilience_defaults: Option<bool>,
}

/// `all`, a list of entries, or `{ include: [...], exclude: [...] }`.
#[derive(Debug, Default)]
pub struct Targets {
    pub all: bool,
    pub include: Vec<S<String>>,
    pub exclude: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsMap {
    #[serde(default)]
    include: Vec<S<String>>,
    #[serde(default)]
    exclude: Vec<S<String>>,
}

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TargetsVisitor;
        impl<'de> Visitor<'de> for TargetsVisitor {
            type Value = Targets;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`all`, a list of ids, or a map with `include` and `exclude`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Targets, E> {
                if v == "all" {
                    Ok(Targets { all: true, ..Targets::default() })
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Targets, A::Error> {
                let mut include = Vec::new();
                while let Some(item) = seq.next_element::<S<String>>()? {
                    include.push(item);
                }
                Ok(Targets { all: false, include, exclude: Vec::new() })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Targets, A::Error> {
                let m = TargetsMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Targets { all: false, include: m.include, exclude: m.exclude })
            }
        }
        deserializer.deserialize_any(TargetsVisitor)
    }
}

/// A grant: a control name, or `{ all_of: [...] }` / `{ any_of: [...] }`.
#[derive(Debug)]
pub enum RawGrant {
    /// The control's name; its position is the enclosing `Spanned`'s.
    Control(String),
    AllOf(Vec<S<RawGrant>>),
    AnyOf(Vec<S<RawGrant>>),
    /// `{ authentication_strength: mfa|passwordless_mfa|phishing_resistant_mfa|GUID }`
    Strength(S<String>),
    /// `{ terms_of_use: ID }`
    TermsOfUse(S<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantMap {
    all_of: Option<Vec<S<RawGrant>>>,
    any_of: Option<Vec<S<RawGrant>>>,
    authentication_strength: Option<S<String>>,
    terms_of_use: Option<S<String>>,
}

impl<'de> Deserialize<'de> for RawGrant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GrantVisitor;
        impl<'de> Visitor<'de> for GrantVisitor {
            type Value = RawGrant;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a grant control (mfa, block, compliant_device, …) or a map with `all_of`, `any_of`, `authentication_strength` or `terms_of_use`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawGrant, E> {
                Ok(RawGrant::Control(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawGrant, A::Error> {
                let m = GrantMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match (m.all_of, m.any_of, m.authentication_strength, m.terms_of_use) {
                    (Some(list), None, None, None) => Ok(RawGrant::AllOf(list)),
                    (None, Some(list), None, None) => Ok(RawGrant::AnyOf(list)),
                    (None, None, Some(s), None) => Ok(RawGrant::Strength(s)),
                    (None, None, None, Some(t)) => Ok(RawGrant::TermsOfUse(t)),
                    _ => Err(de::Error::custom(
                        "a grant map needs exactly one of `all_of`, `any_of`, `authentication_strength` or `terms_of_use`",
                    )),
                }
            }
        }
        deserializer.deserialize_any(GrantVisitor)
    }
}

/// A timeline entry: a step (`at` + `do`) or a repeat block (`repeat` + `steps`).
/// Its text is `String`s as serde reads it, or slices of the scenario's text
/// as the quick reader reads a step (`plain_yaml`: no allocation per value).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry<T = String> {
    pub at: Option<P<T>>,
    #[serde(rename = "do")]
    pub action: Option<P<T>>,
    pub user: Option<P<T>>,
    /// The workload identity of a `request_token` step.
    pub workload: Option<P<T>>,
    pub device: Option<P<T>>,
    pub app: Option<P<T>>,
    pub client: Option<P<T>>,
    pub until: Option<P<T>>,
    pub value: Option<P<bool>>,
    pub policy: Option<P<T>>,
    pub state: Option<P<PolicyStateName>>,
    pub on_prompt: Option<P<OnPrompt>>,
    /// The device's IP address from this step on (the device moved).
    pub ip: Option<P<T>>,
    /// The device's country from this step on.
    pub country: Option<P<T>>,
    /// Identity Protection's sign-in risk of this access (R-CA-1).
    pub sign_in_risk: Option<P<Risk>>,
    /// The authentication context (`c1`…`c99`) the app asks for during this use.
    pub auth_context: Option<P<T>>,
    /// The flow this use signs in with: device_code_flow or authentication_transfer.
    pub authentication_flow: Option<P<T>>,
    /// R-PB-7: this use's sign-ins include a user or admin consent.
    pub consent: Option<P<bool>>,
    /// Where an `admin_password_reset` was made (R-REV-4).
    pub portal: Option<P<T>>,
    /// Whose tenant a guest's `revoke_sessions` is made in: `home` or `resource` (R-REV-4).
    pub tenant: Option<P<T>>,
    pub repeat: Option<P<RawRepeat>>,
    pub steps: Option<Vec<P<RawEntry<T>>>>,
}

/// `timeline:` as read: its entries, or, from the quick reader, where its
/// block list lies, to be read entry by entry as the steps are resolved
/// (issue 11: the 300,000 entries of a generated population are never all
/// held at once; they took most of the memory of reading it).
#[derive(Debug)]
pub enum RawTimeline {
    Entries(Vec<P<RawEntry>>),
    Deferred(crate::scenario::plain_yaml::ListAt),
}

/// The newtype name `plain_yaml` answers, for a block list, with where it
/// lies (`ListAt`, a sequence of numbers); any other reader reads the entries.
pub(crate) const DEFERRED_LIST: &str = "__casim_deferred_list";

impl<'de> Deserialize<'de> for RawTimeline {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimelineVisitor;
        impl<'de> Visitor<'de> for TimelineVisitor {
            type Value = RawTimeline;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of steps")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<RawTimeline, D::Error> {
                Vec::deserialize(d).map(RawTimeline::Entries)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawTimeline, A::Error> {
                crate::scenario::plain_yaml::ListAt::read(seq).map(RawTimeline::Deferred)
            }
        }
        deserializer.deserialize_newtype_struct(DEFERRED_LIST, TimelineVisitor)
    }
}

impl<T> RawEntry<T> {
    /// The text value written `key` (its name in YAML), for the quick reader
    /// (`plain_yaml`), which reads the steps `casim generate` writes, text
    /// values only, without serde; `None` for a value of another type or an
    /// unknown key, which the entry is then read by serde for.
    /// The keys `text_field` knows.
    pub(crate) const TEXT_FIELDS: [&'static str; 15] = [
        "at",
        "do",
        "user",
        "workload",
        "device",
        "app",
        "client",
        "until",
        "policy",
        "ip",
        "country",
        "auth_context",
        "authentication_flow",
        "portal",
        "tenant",
    ];

    pub(crate) fn text_field(&mut self, key: &str) -> Option<&mut Option<P<T>>> {
        Some(match key {
            "at" => &mut self.at,
            "do" => &mut self.action,
            "user" => &mut self.user,
            "workload" => &mut self.workload,
            "device" => &mut self.device,
            "app" => &mut self.app,
            "client" => &mut self.client,
            "until" => &mut self.until,
            "policy" => &mut self.policy,
            "ip" => &mut self.ip,
            "country" => &mut self.country,
            "auth_context" => &mut self.auth_context,
            "authentication_flow" => &mut self.authentication_flow,
            "portal" => &mut self.portal,
            "tenant" => &mut self.tenant,
            _ => return None,
        })
    }
}

/// R-PROMPT-2: how the user responds to prompts during a `use` step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OnPrompt {
    #[default]
    Answer,
    Fail,
    Abandon,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRepeat {
    pub every: P<String>,
    pub count: P<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    pub prompts: Option<Vec<S<RawExpectedPrompt>>>,
    pub blocked: Option<Vec<S<RawExpectedBlock>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpectedPrompt {
    pub at: S<String>,
    pub user: Option<S<String>>,
    pub app: Option<S<String>>,
    pub reason: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpectedBlock {
    pub at: S<String>,
    pub user: Option<S<String>>,
    /// A blocked workload identity's token request (R-CA-6).
    pub workload: Option<S<String>>,
    pub app: Option<S<String>>,
}

/// A standalone policy file for `--policies`: a YAML list of policies.
pub type RawPolicyList = Vec<S<RawPolicy>>;
