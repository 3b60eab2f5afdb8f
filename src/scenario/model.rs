//! A scenario after parsing and resolution: every id is an index, every time an
//! instant, every default applied. The engine reads only these types.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::domain::{App, AppIdx, Client, Device, DeviceIdx, Methods, PolicyIdx, RevocationEvent, User, UserIdx};
use crate::policy::Policy;
use crate::policy::locations::NamedLocation;
use crate::time::{Clock, DAY, HOUR, Instant, MINUTE, Seconds, Zone};

pub use super::raw::{Evaluation, Kmsi, OnPrompt, PolicyStateName};

pub use crate::domain::{Browser, DeviceSignIn, Join, Platform, Risk, UserType};

#[derive(Debug, Clone)]
pub struct Scenario {
    pub path: PathBuf,
    pub name: String,
    pub source: Option<String>,
    pub description: Option<String>,
    pub start: Instant,
    /// `timezone:`: the clock of the timeline's times and of text outputs (UTC without).
    pub zone: Zone,
    pub seed: u64,
    pub settings: Settings,
    pub users: Vec<User>,
    /// Workload identities (`workload_identities:`) that request tokens on their own.
    pub workloads: Vec<Workload>,
    pub devices: Vec<Device>,
    pub apps: Vec<App>,
    pub policies: Vec<Policy>,
    /// Group names and their object ids (`groups:`), to read Graph exports.
    pub groups: BTreeMap<String, String>,
    /// Named locations (`named_locations:` and those of imported exports).
    pub named_locations: Vec<NamedLocation>,
    /// What loading read but ignored (e.g. beta-only Graph fields), for stderr.
    pub warnings: Vec<String>,
    /// Steps with repeats expanded, in timeline order (not sorted by time).
    pub steps: Vec<Step>,
    pub expect: Option<Expect>,
    pub limits: Limits,
    /// A population (personas and counts) simulated user by user instead of `users` and `steps`.
    pub population: Option<crate::scenario::population::Population>,
}

impl Scenario {
    /// How text outputs write this scenario's instants (`time::Clock`).
    pub fn clock(&self) -> Clock {
        Clock::new(self.start, self.zone)
    }

    /// The users simulated (a population's generated users, else the
    /// scenario's) and the days each is simulated for: a population's
    /// `days`, else the calendar days from the start to the last step, at
    /// least one (`casim run --stats`).
    pub fn users_and_days(&self) -> (u64, u64) {
        match &self.population {
            Some(p) => (p.user_count() as u64, u64::from(p.days)),
            None => {
                let last = self.steps.iter().map(|st| st.at).max().unwrap_or(self.start);
                (self.users.len() as u64, ((last - self.start).div_euclid(DAY) + 1).max(1) as u64)
            }
        }
    }

    /// Whether this is a population: a `population:` scenario, or users who
    /// follow personas (a file `casim generate` wrote). `casim run` prints a
    /// population's summary by group unless asked for every prompt.
    pub fn is_population(&self) -> bool {
        self.population.is_some() || self.users.iter().any(|u| u.persona.is_some())
    }
}

/// Model knobs (MODEL.md); each default is the documented value.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub evaluation: Evaluation,
    /// R-TOK-1: access token lifetime in `interaction` mode.
    pub access_token_lifetime: Seconds,
    /// R-PRT-1: the PRT is refreshed at most this often.
    pub prt_refresh_interval: Seconds,
    /// R-ET-1: a full authentication this recent satisfies every time.
    pub every_time_skew: Seconds,
    /// R-SIF-2 / R-PB-5 / R-PRT-7: idle window of refresh tokens, persistent cookies and PRTs.
    pub default_session_window: Seconds,
    /// R-PB-1 / R-PB-5: a non-persistent session cookie dies after this long idle.
    pub session_cookie_idle: Seconds,
    /// R-SIF-4: apps in one browser session share the shortest sign-in frequency.
    pub browser_shared_sif: bool,
    /// R-PB-1: whether the tenant shows "Stay signed in?".
    pub kmsi: Kmsi,
    /// R-TOK-3: the organization's token lifetime policy (`AccessTokenLifetime`), if any.
    pub token_lifetime_policy: Option<Seconds>,
    /// R-TOK-4: CAE-capable native clients get long-lived tokens (20–28 hours).
    pub long_lived_cae_tokens: bool,
    /// R-CAE-1: how long after a critical event (a revocation) CAE apps enforce it.
    pub cae_event_latency: Seconds,
    /// R-WEB-1..3: how long a confidential client's own web session lasts.
    pub web_session: WebSession,
    /// R-RMFA-1..3: "Remember multifactor authentication on trusted devices", its days; off when `None`.
    pub remember_mfa: Option<Seconds>,
    /// R-ET-5: apps (by key) whose every-time skew is not `every_time_skew`.
    pub every_time_skew_by_app: Vec<(String, Seconds)>,
    /// R-PRT-8: idle window of PRTs on devices that are not Windows; `None`: `default_session_window`.
    pub prt_idle_non_windows: Option<Seconds>,
}

impl Settings {
    /// R-ET-1, R-ET-5: the every-time skew of the app `key`.
    pub fn every_time_skew_of(&self, key: &str) -> Seconds {
        self.every_time_skew_by_app.iter().find(|(k, _)| k == key).map_or(self.every_time_skew, |(_, s)| *s)
    }
}

/// R-WEB-1..3: `settings.web_session`, what ends a confidential client's own
/// web session (its cookie) besides closing the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebSession {
    /// Nothing but closing the browser (R-WEB-1).
    #[default]
    Browser,
    /// The ID token's expiry, one hour after the session was made (R-WEB-2).
    IdToken,
    /// This long without a request in its second half (R-WEB-3).
    Sliding(Seconds),
}

impl WebSession {
    /// The words `settings.web_session` takes besides a duration.
    pub const NAMES: [&'static str; 2] = ["browser", "id_token"];
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            evaluation: Evaluation::Interaction,
            access_token_lifetime: HOUR,
            prt_refresh_interval: 4 * HOUR,
            every_time_skew: 5 * MINUTE,
            default_session_window: 90 * DAY,
            session_cookie_idle: 24 * HOUR,
            browser_shared_sif: true,
            kmsi: Kmsi::Shown,
            token_lifetime_policy: None,
            long_lived_cae_tokens: false,
            cae_event_latency: 0,
            web_session: WebSession::Browser,
            remember_mfa: None,
            every_time_skew_by_app: Vec::new(),
            prt_idle_non_windows: None,
        }
    }
}

/// Safety limits (docs/limits.md): checked before the work they bound starts
/// (the engine's event cap while it runs), so that no input runs unbounded.
/// A scenario raises them with a `limits:` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Every timeline instant lies within this long after `start`.
    pub max_span: Seconds,
    /// Steps after expanding repeat blocks.
    pub max_steps: u64,
    /// Events one engine run may process (per user of a population).
    pub max_events: u64,
}

impl Limits {
    pub const DEFAULT_MAX_SPAN: Seconds = 400 * DAY;
    pub const DEFAULT_MAX_STEPS: u64 = 1_000_000;
    pub const DEFAULT_MAX_EVENTS: u64 = 20_000_000;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_span: Limits::DEFAULT_MAX_SPAN,
            max_steps: Limits::DEFAULT_MAX_STEPS,
            max_events: Limits::DEFAULT_MAX_EVENTS,
        }
    }
}

/// A service principal or agent identity of the scenario, and the address it
/// calls from (it has no device).
#[derive(Debug, Clone)]
pub struct Workload {
    pub identity: crate::policy::conditions::ServicePrincipal,
    pub ip: std::net::IpAddr,
    pub country: Option<String>,
}

impl Workload {
    /// The user side of a workload's sign-in context: no user condition reads
    /// it (R-CA-6), so it only names the workload.
    pub fn as_user(&self) -> User {
        User {
            id: self.identity.key.clone(),
            upn: self.identity.key.clone(),
            object_id: self.identity.object_id.clone(),
            user_type: UserType::Member,
            groups: Vec::new(),
            roles: Vec::new(),
            risk: Risk::None,
            stay_signed_in: false,
            adfs_persistent_sso: false,
            guest_kind: None,
            home_tenant: None,
            methods: Methods::default(),
            insider_risk: crate::domain::InsiderRisk::None,
            persona: None,
        }
    }

    /// A workload has no device: device conditions see an unregistered,
    /// non-compliant one at the workload's address (R-CA-6).
    pub fn as_device(&self) -> Device {
        Device {
            id: String::new(),
            owner: 0,
            join: Join::Unregistered,
            platform: Platform::default(),
            compliant: false,
            compliant_network: false,
            seamless_sso: false,
            shared: false,
            sign_in: DeviceSignIn::default(),
            browser: Browser::default(),
            ip: self.ip,
            country: self.country.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub at: Instant,
    /// Line of the step in the scenario file, for traces.
    pub line: usize,
    pub action: Action,
    /// The acting device's new IP address, when the step says it moved.
    pub ip: Option<std::net::IpAddr>,
    /// The acting device's new country, when the step says it moved.
    pub country: Option<String>,
}

/// What one access presents beyond its user, device, client and app (R-CA-1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccessFacts {
    pub sign_in_risk: Risk,
    pub auth_context: Option<String>,
    /// Device code flow or authentication transfer; `None`: neither.
    pub auth_flow: Option<crate::policy::conditions::AuthFlow>,
    /// R-PB-7: the sign-in includes a user or admin consent.
    pub consent: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SignInDevice {
        user: UserIdx,
        device: DeviceIdx,
    },
    Lock {
        device: DeviceIdx,
    },
    Unlock {
        user: UserIdx,
        device: DeviceIdx,
    },
    SignOutDevice {
        device: DeviceIdx,
    },
    Use {
        user: UserIdx,
        device: DeviceIdx,
        app: AppIdx,
        client: Client,
        until: Option<Instant>,
        on_prompt: OnPrompt,
        facts: AccessFacts,
    },
    /// A user action (`register_security_info`, `register_device`): an
    /// interactive sign-in to the synthetic app of that action.
    UserAction {
        user: UserIdx,
        device: DeviceIdx,
        app: AppIdx,
        facts: AccessFacts,
    },
    Background {
        user: UserIdx,
        device: DeviceIdx,
        app: AppIdx,
        client: Client,
        until: Instant,
    },
    CloseBrowser {
        user: UserIdx,
        device: DeviceIdx,
    },
    OpenBrowser {
        user: UserIdx,
        device: DeviceIdx,
    },
    /// A row of the revocation table (R-REV-2, R-REV-4): a password change,
    /// reset or expiry, a revocation of sessions, a single sign-out.
    Revoke {
        user: UserIdx,
        event: RevocationEvent,
    },
    DisableUser {
        user: UserIdx,
    },
    EnableUser {
        user: UserIdx,
    },
    SetCompliant {
        device: DeviceIdx,
        value: bool,
    },
    /// A workload identity asks for an access token to `app` with the client
    /// credentials flow (R-CA-6).
    RequestToken {
        workload: usize,
        app: AppIdx,
    },
    SetPolicyState {
        policy: PolicyIdx,
        state: PolicyStateName,
    },
    /// R-RES-1: Entra ID's primary authentication service is down from the
    /// step's instant until `until`; the Backup Authentication Service answers.
    Outage {
        until: Instant,
    },
}

impl Action {
    /// The user a step acts for: its `user`, or the owner of the device a
    /// device-wide step (`lock`, `sign_out_device`, `set_compliant`) acts on.
    pub fn user(&self, devices: &[Device]) -> Option<UserIdx> {
        match self {
            Action::Lock { device } | Action::SignOutDevice { device } | Action::SetCompliant { device, .. } => {
                devices.get(*device).map(|d| d.owner)
            }
            _ => self.named_user(),
        }
    }

    /// The user the step itself names, if it names one.
    pub fn named_user(&self) -> Option<UserIdx> {
        match self {
            Action::Lock { .. }
            | Action::SignOutDevice { .. }
            | Action::SetCompliant { .. }
            | Action::SetPolicyState { .. }
            | Action::RequestToken { .. }
            | Action::Outage { .. } => None,
            Action::SignInDevice { user, .. }
            | Action::Unlock { user, .. }
            | Action::Use { user, .. }
            | Action::UserAction { user, .. }
            | Action::Background { user, .. }
            | Action::CloseBrowser { user, .. }
            | Action::OpenBrowser { user, .. }
            | Action::Revoke { user, .. }
            | Action::DisableUser { user }
            | Action::EnableUser { user } => Some(*user),
        }
    }

    /// The device a step acts on, if any.
    pub fn device(&self) -> Option<DeviceIdx> {
        match self {
            Action::SignInDevice { device, .. }
            | Action::Lock { device }
            | Action::Unlock { device, .. }
            | Action::SignOutDevice { device }
            | Action::Use { device, .. }
            | Action::UserAction { device, .. }
            | Action::Background { device, .. }
            | Action::CloseBrowser { device, .. }
            | Action::OpenBrowser { device, .. }
            | Action::SetCompliant { device, .. }
            | Action::Revoke { event: RevocationEvent::SingleSignOut { device }, .. } => Some(*device),
            _ => None,
        }
    }

    pub const NAMES: [&'static str; 23] = [
        "sign_in_device",
        "lock",
        "unlock",
        "sign_out_device",
        "use",
        "background",
        "close_browser",
        "open_browser",
        "password_change",
        "revoke_sessions",
        "password_expires",
        "self_service_password_reset",
        "admin_password_reset",
        "revoke_own_sessions",
        "single_sign_out",
        "disable_user",
        "enable_user",
        "set_compliant",
        "set_policy_state",
        "register_security_info",
        "register_device",
        "request_token",
        "outage",
    ];
}

#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub prompts: Option<Vec<ExpectedEvent>>,
    pub blocked: Option<Vec<ExpectedEvent>>,
}

/// One expected prompt or block; `None` fields match anything.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedEvent {
    pub at: Instant,
    pub user: Option<String>,
    pub app: Option<String>,
    pub reason: Option<String>,
}
