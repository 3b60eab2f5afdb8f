//! Turns a parsed document into a `Scenario`: checks every id, time, duration
//! and range, expands repeats, and reports the first problem with its position.

mod policies;
mod population;
mod quick_step;
mod timeline;

use timeline::*;

use std::collections::BTreeMap;
use std::path::Path;

use super::catalogue::built_in_apps;
use super::model::*;
use super::raw::*;
use crate::domain::{
    App, AppIdx, AuthMethod, Client, Device, DeviceIdx, InsiderRisk, Methods, REASON_NAMES, User, UserIdx, is_guid,
};
use crate::error::{ErrorKind, InputError, Located, Pos, did_you_mean};
use crate::policy::conditions::{AuthFlow, ServicePrincipal};
use crate::policy::device_filter::DeviceFilterRule;
use crate::policy::locations::{NamedLocation, merge_locations};
use crate::policy::{AppCondition, DeviceFilter, Grant, Policy, PolicyState, UserCondition, UserRef};
use crate::time::{
    Clock, DAY, DEFAULT_START, HOUR, Instant, Seconds, Zone, parse_duration, parse_local, parse_rfc3339,
};

pub use policies::resolve_policies;

/// Entra's range for an access token's lifetime (configurable token lifetimes:
/// AccessTokenLifetime, 10 minutes to 1 day). The floor also bounds how often
/// a `use` or `background` renews its token (R-TOK-1), so events per day.
const MIN_ACCESS_TOKEN_LIFETIME: Seconds = 10 * 60;
const MAX_ACCESS_TOKEN_LIFETIME: Seconds = DAY;

pub type Result<T> = std::result::Result<T, InputError>;

/// Resolution context for one file: where errors point and which ids exist.
pub struct Resolver<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub users: Vec<User>,
    pub workloads: Vec<Workload>,
    pub apps: Vec<App>,
    pub devices: Vec<Device>,
    /// Group name → object id (`groups:`).
    pub groups: BTreeMap<String, String>,
    pub named_locations: Vec<NamedLocation>,
    /// `named_locations:` keys → location ids.
    pub location_keys: BTreeMap<String, String>,
    /// The start and zone times are read on (`time::Clock`).
    pub clock: Clock,
}

thread_local! {
    /// The device this thread's last step named: steps come in runs on one
    /// device (a generated user's day), so it is looked at before searching.
    /// A hint only, whatever scenario set it: checked before use.
    static LAST_DEVICE: std::cell::Cell<DeviceIdx> = const { std::cell::Cell::new(0) };
}

impl<'a> Resolver<'a> {
    pub fn error(&self, loc: &(impl Located + ?Sized), message: impl Into<String>) -> InputError {
        InputError::new(self.path, Pos::from_location(loc), message).with_source(self.text)
    }

    fn unknown(&self, loc: &(impl Located + ?Sized), what: &str, word: &str, known: &[&str]) -> InputError {
        let listing = match known.len() {
            0 => format!("; the scenario defines no {what}"),
            1..=12 => format!("; known: {}", known.join(", ")),
            _ => String::new(),
        };
        self.error(loc, format!("unknown {what} `{word}`{listing}"))
            .with_help(did_you_mean(word, known.iter().copied()))
            .with_kind(ErrorKind::Unknown { what: what.to_string(), name: word.to_string() })
    }

    /// Users and devices come from YAML maps, so they are sorted by id: a
    /// binary search keeps resolving large timelines fast.
    fn user_idx(&self, id: &impl Text) -> Result<UserIdx> {
        self.users.binary_search_by(|u| u.id.as_str().cmp(id.text())).map_err(|_| {
            let names: Vec<&str> = self.users.iter().map(|u| u.id.as_str()).collect();
            self.unknown(&id.place(), "user", id.text(), &names)
        })
    }

    fn workload_idx(&self, id: &impl Text) -> Result<usize> {
        self.workloads.iter().position(|w| w.identity.key == id.text()).ok_or_else(|| {
            let names: Vec<&str> = self.workloads.iter().map(|w| w.identity.key.as_str()).collect();
            self.unknown(&id.place(), "workload identity", id.text(), &names)
        })
    }

    fn device_idx(&self, id: &impl Text) -> Result<DeviceIdx> {
        let last = LAST_DEVICE.get();
        if self.devices.get(last).is_some_and(|d| d.id == id.text()) {
            return Ok(last);
        }
        let found = self.devices.binary_search_by(|d| d.id.as_str().cmp(id.text()));
        if let Ok(i) = found {
            LAST_DEVICE.set(i);
        }
        found.map_err(|_| {
            let names: Vec<&str> = self.devices.iter().map(|d| d.id.as_str()).collect();
            self.unknown(&id.place(), "device", id.text(), &names)
        })
    }

    pub(crate) fn user_action_app(&self, name: &str) -> Option<AppIdx> {
        self.apps.iter().position(|a| a.is_user_action() && a.key == name)
    }

    fn app_idx(&self, id: &impl Text) -> Result<AppIdx> {
        let id_text = id.text();
        let named = |a: &App| !a.is_user_action() && (a.key == id_text || a.app_id.eq_ignore_ascii_case(id_text));
        self.apps.iter().position(named).ok_or_else(|| {
            let keys: Vec<&str> = self.apps.iter().filter(|a| !a.is_user_action()).map(|a| a.key.as_str()).collect();
            self.unknown(&id.place(), "app", id_text, &keys)
        })
    }

    /// A time of the timeline, `base` being the start or a repetition's start:
    /// read on the scenario's local clock (`Clock::wall_base`).
    fn time(&self, text: &impl Text, base: Instant) -> Result<Instant> {
        self.clock.parse(text.text(), base).map_err(|e| self.error(&text.place(), e))
    }

    /// `timezone:`: an IANA name, UTC when absent.
    fn zone(&self, text: Option<&S<String>>) -> Result<Zone> {
        let Some(text) = text else { return Ok(Zone::UTC) };
        Zone::parse(&text.value).map_err(|nearest| {
            self.error(
                &text.referenced,
                format!(
                    "unknown time zone `{}`; expected an IANA name such as Europe/Paris or America/New_York",
                    text.value
                ),
            )
            .with_help(nearest.map(|n| format!("did you mean `{n}`?")))
            .with_kind(ErrorKind::Unknown { what: "time zone".to_string(), name: text.value.clone() })
        })
    }

    /// `start:`: an RFC 3339 instant, or a local date (`2026-01-05`, its
    /// midnight) or date and time (`2026-01-05 08:00`) on the scenario's
    /// clock; without it, 2026-01-05 00:00 on that clock (`DEFAULT_START` in UTC).
    fn start(&self, text: Option<&S<String>>) -> Result<Instant> {
        let zone = self.clock.zone;
        let Some(s) = text else { return Ok(zone.instant(DEFAULT_START).unwrap_or(DEFAULT_START)) };
        let value = s.value.trim();
        let local_date = value.len() >= 10 && value.as_bytes()[4] == b'-' && !value.contains('T');
        if !local_date {
            return parse_rfc3339(&s.value).map_err(|e| self.error(&s.referenced, e));
        }
        let text = if value.len() == 10 { format!("{value} 00:00") } else { value.to_string() };
        parse_local(&text, 0, zone).map_err(|e| self.error(&s.referenced, e))
    }

    fn duration(&self, text: &impl Text) -> Result<Seconds> {
        parse_duration(text.text()).map_err(|e| self.error(&text.place(), e))
    }

    fn positive_duration(&self, text: &Option<impl Text>, default: Seconds) -> Result<Seconds> {
        let Some(text) = text else { return Ok(default) };
        let d = self.duration(text)?;
        if d <= 0 {
            return Err(self.error(&text.place(), format!("`{}` must be longer than zero", text.text())));
        }
        Ok(d)
    }
}

/// Parses YAML into `T`, mapping serde-saphyr's errors to positioned diagnostics.
/// Plain YAML (all that `casim generate` writes) is read by a quicker reader
/// that gives the same values and positions, and leaves the rest, errors
/// included, to serde-saphyr (issue 11).
pub fn parse_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    match super::plain_yaml::from_str(text) {
        Some(value) => Ok(value),
        None => read_yaml(path, text),
    }
}

/// Parses YAML into `T` with serde-saphyr.
pub(super) fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|e| {
        let (message, help) = crate::error::explain_serde_message(&e.to_string());
        let mut pos = e.location().as_ref().and_then(Pos::from_location);
        let mut help = help;
        // The parser's own words about tabs; a message naming a key (`tables`) is not one.
        if message.contains("tab")
            && !message.contains('`')
            && let Some(tab) = pos.and_then(|p| tab_near(text, p))
        {
            pos = Some(tab);
            help = Some(format!(
                "line {} holds a tab (shown as →) at column {}: YAML indents with spaces only",
                tab.line, tab.column
            ));
        }
        InputError::new(path, pos, message).with_help(help).with_source(text)
    })
}

/// The tab a YAML tab error is about: the first on the reported line, else on
/// the lines just after it (the parser may stop before the line it refuses).
fn tab_near(text: &str, reported: Pos) -> Option<Pos> {
    let from = reported.line.saturating_sub(1);
    text.lines().enumerate().skip(from).take(3).find_map(|(n, line)| {
        let column = line.chars().position(|c| c == '\t')?;
        Some(Pos { line: n + 1, column: column + 1 })
    })
}

/// serde-saphyr's default budget (250,000 nodes) suits configuration files;
/// generated populations are far larger. Alias and nesting limits stay as they are.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 400_000_000;
    budget.max_nodes = 200_000_000;
    budget.max_total_scalar_bytes = 4 << 30;
    budget.max_reader_input_bytes = None;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Long: the resolution order is the point (users, workloads, devices, apps,
/// locations, policies, timeline), each step depending on the ones before it.
pub fn resolve_scenario(path: &Path, text: &str, raw: RawScenario) -> Result<Scenario> {
    let mut r = Resolver {
        path,
        text,
        users: Vec::new(),
        workloads: Vec::new(),
        apps: built_in_apps(),
        devices: Vec::new(),
        groups: BTreeMap::new(),
        named_locations: Vec::new(),
        location_keys: BTreeMap::new(),
        clock: Clock::default(),
    };
    r.clock.zone = r.zone(raw.timezone.as_ref())?;
    let start = r.start(raw.start.as_ref())?;
    r.clock.start = start;
    let raw_settings = raw.settings.unwrap_or_default();
    let mut settings = resolve_settings(&r, &raw_settings)?;
    let limits = resolve_limits(&r, raw.limits.as_ref())?;
    let bounds = Bounds { start, limits };
    r.groups = raw.groups.iter().map(|(name, id)| Ok((name.clone(), guid(&r, id)?))).collect::<Result<_>>()?;
    let population = match (&raw.population, &raw.users, &raw.timeline) {
        (Some(p), None, None) if raw.devices.is_empty() => {
            let population = population::resolve_population(&r, p, start, raw.seed.unwrap_or(0), &limits)?;
            // Representative users let policies name the personas' groups and roles.
            r.users = population.representatives();
            let new: Vec<App> =
                population.custom_apps().into_iter().filter(|a| !r.apps.iter().any(|x| x.key == a.key)).collect();
            r.apps.extend(new);
            Some(population)
        }
        (Some(p), _, _) => {
            return Err(r.error(
                &p.referenced,
                "a scenario with `population:` has no `users`, `devices` or `timeline`: they come from the personas",
            ));
        }
        (None, Some(users), Some(_)) => {
            if users.value.is_empty() {
                return Err(r.error(&users.referenced, "`users` is empty; a scenario needs at least one user"));
            }
            r.users = users.value.iter().map(|(id, u)| resolve_user(&r, id, u)).collect::<Result<_>>()?;
            None
        }
        // A scenario of workload identities only needs no user.
        (None, None, Some(_)) if !raw.workload_identities.is_empty() => None,
        (None, None, _) => {
            return Err(InputError::new(
                path,
                Some(Pos { line: 1, column: 1 }),
                "missing key `users` (or `population`)",
            )
            .with_source(text));
        }
        (None, Some(_), None) => {
            return Err(
                InputError::new(path, Some(Pos { line: 1, column: 1 }), "missing key `timeline`").with_source(text)
            );
        }
    };
    let seed = raw.seed.unwrap_or(0);
    r.workloads =
        raw.workload_identities.iter().map(|(id, w)| resolve_workload(&r, id, w, seed)).collect::<Result<_>>()?;
    r.devices = raw.devices.iter().map(|(id, d)| resolve_device(&r, id, d, seed)).collect::<Result<_>>()?;
    for (key, app) in &raw.apps {
        let resolved = resolve_app(&r, key, app)?;
        r.apps.push(resolved);
    }
    // After every app is known: a downstream resource may be declared below its caller.
    for (key, app) in &raw.apps {
        let downstream = resolve_downstream(&r, key, app)?;
        if let Some(a) = r.apps.iter_mut().find(|a| a.key == *key) {
            a.downstream = downstream;
        }
    }
    settings.every_time_skew_by_app = every_time_skews(&r, &raw_settings)?;
    r.named_locations = policies::resolve_named_locations(&r, &raw.named_locations)?;
    r.location_keys =
        raw.named_locations.keys().zip(&r.named_locations).map(|(k, l)| (k.clone(), l.id.clone())).collect();
    let mut warnings = Vec::new();
    let policies = match &raw.policies {
        RawPolicies::List(list) => resolve_policies(&r, list)?,
        RawPolicies::Graph(file) => {
            let set = graph_policies(&r, file)?;
            merge_locations(&mut r.named_locations, set.named_locations);
            warnings = set.warnings;
            set.policies
        }
    };
    if population.is_some() {
        population::forbid_user_references(&r, &raw.policies, &policies)?;
    }
    let policy_names: Vec<String> = policies.iter().map(|p| p.name.clone()).collect();
    let steps = resolve_timeline(&mut r, raw.timeline.as_ref(), &policy_names, &bounds)?;
    let expect = raw.expect.map(|e| resolve_expect(&r, e, start)).transpose()?;
    Ok(Scenario {
        path: path.to_path_buf(),
        name: raw.name.value,
        source: raw.source,
        description: raw.description,
        start,
        zone: r.clock.zone,
        seed: raw.seed.unwrap_or(0),
        settings,
        users: if population.is_some() { Vec::new() } else { r.users },
        workloads: r.workloads,
        devices: r.devices,
        apps: r.apps,
        policies,
        groups: r.groups,
        named_locations: r.named_locations,
        warnings,
        steps,
        expect,
        limits,
        population,
    })
}

fn resolve_settings(r: &Resolver, raw: &RawSettings) -> Result<Settings> {
    let d = Settings::default();
    Ok(Settings {
        evaluation: raw.evaluation.unwrap_or(d.evaluation),
        access_token_lifetime: access_token_lifetime(r, &raw.access_token_lifetime, d.access_token_lifetime)?,
        prt_refresh_interval: r.positive_duration(&raw.prt_refresh_interval, d.prt_refresh_interval)?,
        every_time_skew: r.positive_duration(&raw.every_time_skew, d.every_time_skew)?,
        default_session_window: r.positive_duration(&raw.default_session_window, d.default_session_window)?,
        session_cookie_idle: r.positive_duration(&raw.session_cookie_idle, d.session_cookie_idle)?,
        browser_shared_sif: raw.browser_shared_sif.unwrap_or(d.browser_shared_sif),
        kmsi: raw.kmsi.unwrap_or(d.kmsi),
        token_lifetime_policy: token_lifetime(r, "token_lifetime_policy", &raw.token_lifetime_policy, "R-TOK-3")?,
        long_lived_cae_tokens: raw.long_lived_cae_tokens.unwrap_or(d.long_lived_cae_tokens),
        cae_event_latency: cae_event_latency(r, &raw.cae_event_latency, d.cae_event_latency)?,
        web_session: web_session(r, &raw.web_session)?,
        remember_mfa: remember_mfa(r, &raw.remember_mfa)?,
        every_time_skew_by_app: Vec::new(),
        prt_idle_non_windows: raw
            .prt_idle_non_windows
            .as_ref()
            .map(|_| r.positive_duration(&raw.prt_idle_non_windows, 0))
            .transpose()?,
    })
}

/// R-RMFA-1: the tenant setting takes whole days, 1 to 365 (the portal's range).
fn remember_mfa(r: &Resolver, text: &Option<S<String>>) -> Result<Option<Seconds>> {
    let Some(t) = text else { return Ok(None) };
    let days = r.positive_duration(text, 0)?;
    if days % DAY != 0 || !(DAY..=365 * DAY).contains(&days) {
        return Err(r.error(
            &t.referenced,
            format!(
                "`remember_mfa: {}` must be whole days from 1d to 365d, the tenant setting's range (R-RMFA-1)",
                t.text()
            ),
        ));
    }
    Ok(Some(days))
}

/// R-WEB-1..3: `browser`, `id_token`, or a duration for a sliding session.
fn web_session(r: &Resolver, text: &Option<S<String>>) -> Result<WebSession> {
    let Some(t) = text else { return Ok(WebSession::default()) };
    match t.text() {
        "browser" => Ok(WebSession::Browser),
        "id_token" => Ok(WebSession::IdToken),
        word if word.starts_with(|c: char| c.is_ascii_digit()) => {
            Ok(WebSession::Sliding(r.positive_duration(text, 0)?))
        }
        word => {
            let nearest = did_you_mean(word, WebSession::NAMES.iter().copied());
            let help = nearest.map_or("or a duration such as 14d for a sliding session".to_string(), |n| {
                format!("{n} (or a duration such as 14d for a sliding session)")
            });
            Err(r.unknown(&t.referenced, "web_session", word, &WebSession::NAMES).with_help(Some(help)))
        }
    }
}

/// R-ET-5: `every_time_skew_by_app`, once the apps are known: each key an
/// app of the scenario, each skew longer than zero.
fn every_time_skews(r: &Resolver, raw: &RawSettings) -> Result<Vec<(String, Seconds)>> {
    raw.every_time_skew_by_app
        .iter()
        .map(|(key, skew)| {
            let app = r.app_idx(&S { value: key.clone(), ..skew.clone() })?;
            Ok((r.apps[app].key.clone(), r.positive_duration(&Some(skew.clone()), 0)?))
        })
        .collect()
}

fn access_token_lifetime(r: &Resolver, text: &Option<S<String>>, default: Seconds) -> Result<Seconds> {
    Ok(token_lifetime(r, "access_token_lifetime", text, "R-TOK-1")?.unwrap_or(default))
}

/// R-CAE-1: "latency of up to 15 minutes might be observed" (CAE page); zero
/// is the goal, "near real time".
fn cae_event_latency(r: &Resolver, text: &Option<S<String>>, default: Seconds) -> Result<Seconds> {
    let Some(text) = text else { return Ok(default) };
    let latency = r.duration(text)?;
    if !(0..=15 * 60).contains(&latency) {
        return Err(r.error(
            &text.referenced,
            format!(
                "`cae_event_latency: {}` is outside 0s to 15m, the latency the CAE page gives (R-CAE-1)",
                text.value
            ),
        ));
    }
    Ok(latency)
}

/// A lifetime written `key: text`, held to Entra's range for `AccessTokenLifetime`.
fn token_lifetime(r: &Resolver, key: &str, text: &Option<S<String>>, rule: &str) -> Result<Option<Seconds>> {
    let Some(text) = text else { return Ok(None) };
    let lifetime = r.duration(text)?;
    if !(MIN_ACCESS_TOKEN_LIFETIME..=MAX_ACCESS_TOKEN_LIFETIME).contains(&lifetime) {
        return Err(r.error(
            &text.referenced,
            format!("`{key}: {}` is outside Entra's range for access tokens, 10m to 1d ({rule})", text.value),
        ));
    }
    Ok(Some(lifetime))
}

fn guid(r: &Resolver, text: &S<String>) -> Result<String> {
    if is_guid(&text.value) {
        Ok(text.value.to_lowercase())
    } else {
        Err(r.error(
            &text.referenced,
            format!("`{}` is not a GUID; expected e.g. 00000000-0000-0000-0000-000000000000", text.value),
        ))
    }
}

fn resolve_user(r: &Resolver, id: &str, raw: &S<RawUser>) -> Result<User> {
    let u = &raw.value;
    Ok(User {
        id: id.to_string(),
        upn: u.upn.clone().unwrap_or_else(|| format!("{id}@contoso.com")).to_lowercase(),
        object_id: u.object_id.as_ref().map(|o| guid(r, o)).transpose()?,
        user_type: u.user_type.unwrap_or_default(),
        groups: u.groups.iter().map(|g| group_name(r, g)).collect(),
        roles: u.roles.clone(),
        risk: u.risk.unwrap_or_default(),
        stay_signed_in: u.stay_signed_in.unwrap_or(false),
        adfs_persistent_sso: u.adfs_persistent_sso.unwrap_or(false),
        guest_kind: u.guest_type.map(guest_kind),
        home_tenant: u.home_tenant.as_ref().map(|t| guid(r, t)).transpose()?,
        methods: methods(r, &u.methods)?,
        insider_risk: match &u.insider_risk {
            None => InsiderRisk::None,
            Some(t) => InsiderRisk::parse(&t.value)
                .ok_or_else(|| r.unknown(&t.referenced, "insider risk level", &t.value, &InsiderRisk::NAMES))?,
        },
        persona: u.persona.clone(),
    })
}

/// A group named by object id is known by its name when `groups:` has it.
fn group_name(r: &Resolver, group: &str) -> String {
    r.groups
        .iter()
        .find(|(_, id)| id.eq_ignore_ascii_case(group))
        .map(|(n, _)| n.clone())
        .unwrap_or_else(|| group.to_string())
}

fn guest_kind(t: GuestType) -> crate::domain::GuestKind {
    use crate::domain::GuestKind as K;
    match t {
        GuestType::InternalGuest => K::InternalGuest,
        GuestType::B2bCollaborationGuest => K::B2bCollaborationGuest,
        GuestType::B2bCollaborationMember => K::B2bCollaborationMember,
        GuestType::B2bDirectConnectUser => K::B2bDirectConnectUser,
        GuestType::OtherExternalUser => K::OtherExternalUser,
        GuestType::ServiceProvider => K::ServiceProvider,
    }
}

/// R-CA-5: the methods a user has: password and Authenticator push, plus
/// those the scenario lists (Graph `authenticationMethodModes` names, in
/// snake_case or Graph's spelling).
fn methods(r: &Resolver, list: &[S<String>]) -> Result<Methods> {
    let mut set = crate::domain::default_user_methods();
    for m in list {
        let method = AuthMethod::parse(&m.value)
            .ok_or_else(|| r.unknown(&m.referenced, "authentication method", &m.value, &AuthMethod::NAMES))?;
        set = set.with(method);
    }
    Ok(set)
}

/// `policies: { graph: PATH }`: the export, relative to the scenario file.
fn graph_policies(r: &Resolver, file: &S<String>) -> Result<crate::policy::graph::PolicySet> {
    let path = r.path.parent().unwrap_or(Path::new(".")).join(&file.value);
    if !path.exists() {
        return Err(r.error(&file.referenced, format!("no such file or folder: {}", path.display())));
    }
    crate::policy::graph::load(&path, &directory(r))
}

/// What Graph ids resolve against.
pub fn directory<'a>(r: &'a Resolver) -> crate::policy::graph::Directory<'a> {
    crate::policy::graph::Directory {
        users: &r.users,
        apps: &r.apps,
        groups: &r.groups,
        named_locations: &r.named_locations,
        location_keys: &r.location_keys,
    }
}

fn resolve_device(r: &Resolver, id: &str, raw: &S<RawDevice>, seed: u64) -> Result<Device> {
    let d = &raw.value;
    let ip = match &d.ip {
        Some(ip) => parse_ip(r, ip)?,
        None => crate::ids::documentation_ip(seed, id),
    };
    let country = d.country.as_ref().map(|c| country_code(r, c)).transpose()?;
    if d.compliant == Some(true) && d.join.unwrap_or_default() == Join::Unregistered {
        return Err(r.error(
            &raw.referenced,
            format!("device `{id}` is unregistered and so cannot be compliant; compliance needs `join: registered`, `entra_joined` or `hybrid_joined`"),
        ));
    }
    let browser = d.browser.unwrap_or_default();
    let platform = d.platform.unwrap_or_default();
    if let Some(platforms) = browser.sso_platforms().filter(|p| !p.contains(&platform)) {
        let names: Vec<&str> = platforms.iter().map(|p| p.name()).collect();
        return Err(r.error(
            &raw.referenced,
            format!(
                "device `{id}`: {} exists only on {} (R-PRT-9), not on `platform: {}`",
                browser.name(),
                names.join(" and "),
                platform.name()
            ),
        ));
    }
    Ok(Device {
        id: id.to_string(),
        owner: r.user_idx(&d.owner)?,
        join: d.join.unwrap_or_default(),
        platform: d.platform.unwrap_or_default(),
        compliant: d.compliant.unwrap_or(false),
        compliant_network: d.compliant_network.unwrap_or(false),
        seamless_sso: d.seamless_sso.unwrap_or(false),
        shared: d.shared.unwrap_or(false),
        sign_in: d.sign_in.unwrap_or_default(),
        browser,
        ip,
        country,
    })
}

/// R-CA-6: a workload identity is named in policies by its object id or app
/// id (or, in casim's YAML, by its key); it calls from `ip` (a documentation
/// address by default) and has no device.
fn resolve_workload(r: &Resolver, id: &str, raw: &S<RawWorkload>, seed: u64) -> Result<Workload> {
    let w = &raw.value;
    if r.users.iter().any(|u| u.id == id) {
        return Err(r.error(
            &raw.referenced,
            format!("`{id}` names both a user and a workload identity; give the workload another name"),
        ));
    }
    let ip = match &w.ip {
        Some(ip) => parse_ip(r, ip)?,
        None => crate::ids::documentation_ip(seed, id),
    };
    Ok(Workload {
        identity: ServicePrincipal {
            key: id.to_string(),
            object_id: w.object_id.as_ref().map(|g| guid(r, g)).transpose()?,
            app_id: w.app_id.as_ref().map(|g| guid(r, g)).transpose()?,
            risk: w.risk.unwrap_or_default(),
            agent: w.agent.unwrap_or(false),
        },
        ip,
        country: w.country.as_ref().map(|c| country_code(r, c)).transpose()?,
    })
}

fn parse_ip(r: &Resolver, text: &impl Text) -> Result<std::net::IpAddr> {
    text.text().parse().map_err(|_| {
        r.error(
            &text.place(),
            format!("`{}` is not an IP address; expected e.g. 203.0.113.7 or 2001:db8::7", text.text()),
        )
    })
}

fn country_code(r: &Resolver, text: &impl Text) -> Result<String> {
    let value = text.text();
    let ok = value.len() == 2 && value.chars().all(|c| c.is_ascii_alphabetic());
    if ok {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(r.error(&text.place(), format!("`{value}` is not a two-letter country code; expected e.g. US, FR, BR")))
    }
}

fn resolve_app(r: &Resolver, key: &str, raw: &S<RawApp>) -> Result<App> {
    if r.apps.iter().any(|a| a.key == key) {
        return Err(r.error(&raw.referenced, format!("app `{key}` is a built-in app; give the custom app another key")));
    }
    let a = &raw.value;
    let app_id = guid(r, &a.app_id)?;
    if let Some(other) = r.apps.iter().find(|x| x.app_id == app_id) {
        return Err(r.error(&a.app_id.referenced, format!("app id {app_id} is already used by `{}`", other.key)));
    }
    Ok(App {
        key: key.to_string(),
        name: a.name.clone(),
        app_id,
        fresh_token_each_use: a.fresh_token_each_use.unwrap_or(false),
        cae: a.cae.unwrap_or(false),
        approved_client_app: a.approved_client_app.unwrap_or(false),
        app_protection: a.app_protection.unwrap_or(false),
        lifetimes: crate::domain::TokenLifetimes {
            policy: token_lifetime(r, "token_lifetime_policy", &a.token_lifetime_policy, "R-TOK-3")?,
            without_ca: token_lifetime(r, "token_lifetime_without_ca", &a.token_lifetime_without_ca, "R-TOK-5")?,
            policy_native_only: false,
        },
        downstream: Vec::new(),
    })
}

/// R-DOWN-1: the apps a custom app asks tokens for, by key or app id.
fn resolve_downstream(r: &Resolver, key: &str, raw: &S<RawApp>) -> Result<Vec<AppIdx>> {
    let mut list = Vec::new();
    for name in raw.value.downstream.iter().flatten() {
        let idx = r.app_idx(name)?;
        if r.apps[idx].key == key {
            return Err(r.error(&name.referenced, format!("app `{key}` cannot be its own downstream resource")));
        }
        if !list.contains(&idx) {
            list.push(idx);
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_checked() {
        assert!(is_guid("00000003-0000-0ff1-ce00-000000000000"));
        assert!(!is_guid("00000003-0000-0ff1-ce00-00000000000"));
        assert!(!is_guid("not-a-guid"));
    }

    /// `check_step_fields`'s bits cover every field an action takes, so
    /// that a step they pass is one its field-by-field check passes.
    #[test]
    fn every_action_field_has_a_bit() {
        for action in Action::NAMES {
            let (required, optional) = action_fields(action);
            for field in required.iter().chain(optional) {
                assert!(FIELDS.contains(field), "`{action}` takes `{field}`");
            }
        }
    }
}
