//! YAML policies (SCENARIO-FORMAT.md, policies) resolved into the policy
//! model, and the scenario-level `named_locations:`. Every entry is checked
//! and a misspelling gets the nearest valid word.

use std::collections::BTreeSet;

use super::*;
use crate::domain::{AppIdx, GuestKind, InsiderRisk, PlatformEntry, UserAction, is_guid, parse_platform};
use crate::policy::apps::{AppGroup, app_has_id, auth_context};
use crate::policy::conditions::{AgentTargets, AuthFlow, WorkloadCondition};
use crate::policy::locations::{IpRange, LocationCondition, LocationKind, LocationRef, MFA_TRUSTED_IPS, NamedLocation};
use crate::policy::{ClientAppType, GuestCondition, RiskLevel, SessionControls, SifSetting, SifUnit, Strength, roles};

const CLIENT_APP_NAMES: [&str; 5] = ["all", "browser", "mobile_and_desktop", "exchange_active_sync", "other"];
const PLATFORM_NAMES: [&str; 7] = ["all", "windows", "macOS", "iOS", "android", "linux", "windowsPhone"];
const LOCATION_WORDS: [&str; 3] = ["all", "all_trusted", "mfa_trusted_ips"];
const GRANT_NAMES: [&str; 9] = [
    "mfa",
    "block",
    "compliant_device",
    "domain_joined_device",
    "approved_application",
    "compliant_application",
    "password_change",
    "risk_remediation",
    "authentication_strength",
];

pub fn resolve_policies(r: &Resolver, raw: &[S<RawPolicy>]) -> Result<Vec<Policy>> {
    let mut names = BTreeSet::new();
    let mut out = Vec::new();
    for p in raw {
        if !names.insert(p.value.name.value.clone()) {
            return Err(r.error(
                &p.value.name.referenced,
                format!("a policy named `{}` already exists; names must be unique", p.value.name.value),
            ));
        }
        out.push(resolve_policy(r, p)?);
    }
    Ok(out)
}

fn resolve_policy(r: &Resolver, raw: &S<RawPolicy>) -> Result<Policy> {
    let p = &raw.value;
    let workloads = p.workloads.as_ref().map(|w| resolve_workloads(r, w)).transpose()?;
    let users = match (&p.users, &p.workloads) {
        (Some(u), None) => resolve_user_condition(r, u)?,
        (None, Some(_)) => UserCondition::default(),
        (Some(u), Some(_)) => {
            return Err(r.error(
                &u.referenced,
                format!("policy `{}` targets users or workload identities, not both (as Graph)", p.name.value),
            ));
        }
        (None, None) => {
            return Err(r.error(
                &raw.referenced,
                format!("policy `{}` needs `users` (e.g. `users: all`) or `workloads`", p.name.value),
            ));
        }
    };
    if let (Some(risk), None) = (&p.service_principal_risk, &p.workloads) {
        let at = risk.first().map(|x| &x.referenced).unwrap_or(&raw.referenced);
        return Err(r.error(at, "`service_principal_risk` applies to workload identities: add `workloads`"));
    }
    let apps = p.apps.as_ref().ok_or_else(|| {
        r.error(&raw.referenced, format!("policy `{}` needs `apps` (e.g. `apps: all`)", p.name.value))
    })?;
    let session = p.session.as_ref();
    let sif = session.and_then(|s| s.sign_in_frequency.as_ref()).map(|s| resolve_sif(r, s)).transpose()?;
    let persistent_browser = session.and_then(|s| s.persistent_browser);
    let disable_resilience_defaults = session.and_then(|s| s.disable_resilience_defaults).unwrap_or(false);
    let (client_apps, legacy_client_apps) = resolve_client_apps(r, &p.client_apps)?;
    let mut ignored = Vec::new();
    let (platforms, exclude_platforms) = match &p.platforms {
        Some(t) => resolve_platforms(r, t, &mut ignored)?,
        None => (None, Vec::new()),
    };
    Ok(Policy {
        name: p.name.value.clone(),
        id: p.id.clone(),
        state: p.state.as_ref().map(|s| s.value.into()).unwrap_or(PolicyState::Enabled),
        users,
        apps: resolve_app_condition(r, apps)?,
        client_apps,
        legacy_client_apps,
        platforms,
        exclude_platforms,
        locations: p.locations.as_ref().map(|l| resolve_locations(r, l)).transpose()?,
        device_filter: p.device_filter.as_ref().map(|f| resolve_device_filter(r, f)).transpose()?,
        sign_in_risk: resolve_risks(r, &p.sign_in_risk)?,
        user_risk: resolve_risks(r, &p.user_risk)?,
        insider_risk: resolve_named(r, &p.insider_risk, "insider risk level", &InsiderRisk::NAMES[1..], |t| {
            InsiderRisk::parse(t).filter(|x| *x != InsiderRisk::None)
        })?,
        auth_flows: resolve_named(
            r,
            &p.authentication_flows,
            "authentication flow",
            &AuthFlow::NAMES,
            AuthFlow::parse,
        )?,
        times: None,
        workloads,
        service_principal_risk: resolve_risks(r, &p.service_principal_risk)?,
        // A risk condition on a policy for workloads reads agents' risk too.
        agent_risk: resolve_risks(r, &p.service_principal_risk)?,
        grant: p.grant.as_ref().map(|g| resolve_grant(r, g)).transpose()?,
        sif: sif.as_ref().and_then(SifSetting::to_sif),
        persistent_browser,
        session: SessionControls {
            sign_in_frequency: sif,
            persistent_browser,
            disable_resilience_defaults,
            ..SessionControls::default()
        },
        template_id: None,
        ignored,
        not_simulated: Vec::new(),
        origin: None,
    })
}

/// R-CA-6: `workloads: all` is every service principal of the tenant; names
/// are keys of `workload_identities:` or object/app ids (GUIDs).
fn resolve_workloads(r: &Resolver, t: &S<Targets>) -> Result<WorkloadCondition> {
    let name = |e: &S<String>| -> Result<String> {
        let known = r.workloads.iter().any(|w| w.identity.key == e.value);
        if known || crate::domain::is_guid(&e.value) {
            Ok(e.value.to_lowercase())
        } else {
            let keys: Vec<&str> = r.workloads.iter().map(|w| w.identity.key.as_str()).collect();
            Err(r.unknown(&e.referenced, "workload identity", &e.value, &keys))
        }
    };
    // casim's YAML names agents and other service principals in one list.
    let include: Vec<String> = t.value.include.iter().map(name).collect::<Result<_>>()?;
    let exclude: Vec<String> = t.value.exclude.iter().map(name).collect::<Result<_>>()?;
    Ok(WorkloadCondition {
        all_in_tenant: t.value.all,
        include: include.clone(),
        exclude: exclude.clone(),
        filter: None,
        agents: AgentTargets { all: t.value.all, include, exclude, filter: None },
    })
}

/// The groups policies may name: the scenario's `groups:` and users' groups.
fn known_groups<'a>(r: &'a Resolver) -> BTreeSet<&'a str> {
    let from_users = r.users.iter().flat_map(|u| u.groups.iter().map(String::as_str));
    from_users.chain(r.groups.keys().map(String::as_str)).collect()
}

fn resolve_user_condition(r: &Resolver, t: &S<Targets>) -> Result<UserCondition> {
    let mut cond = UserCondition::default();
    let mut named_none = false;
    if t.value.all {
        cond.include.push(UserRef::All);
    }
    for e in &t.value.include {
        match user_entry(r, e)? {
            UserEntry::None => named_none = true,
            UserEntry::Ref(x) => cond.include.push(x),
            UserEntry::Guests(kind) => add_guest_kind(&mut cond.include_guests, kind),
            UserEntry::Unknown(id) => cond.unknown_include.push(id),
        }
    }
    for e in &t.value.exclude {
        match user_entry(r, e)? {
            UserEntry::None => {}
            UserEntry::Ref(x) => cond.exclude.push(x),
            UserEntry::Guests(kind) => add_guest_kind(&mut cond.exclude_guests, kind),
            UserEntry::Unknown(id) => cond.unknown_exclude.push(id),
        }
    }
    let includes_any = !cond.include.is_empty() || cond.include_guests.is_some() || !cond.unknown_include.is_empty();
    if !includes_any && !named_none {
        return Err(
            r.error(&t.referenced, "`users` includes nobody; expected `all` or a list such as `include: [alice]`")
        );
    }
    Ok(cond)
}

enum UserEntry {
    None,
    Ref(UserRef),
    /// `guests:<kind>`; `None` for plain `guests` handled as `UserRef::Guests`.
    Guests(GuestKind),
    Unknown(String),
}

fn add_guest_kind(slot: &mut Option<GuestCondition>, kind: GuestKind) {
    let g = slot.get_or_insert_with(|| GuestCondition { kinds: Vec::new(), tenants: None });
    if !g.kinds.contains(&kind) {
        g.kinds.push(kind);
    }
}

fn user_entry(r: &Resolver, e: &S<String>) -> Result<UserEntry> {
    let v = e.value.as_str();
    Ok(match v {
        "all" => UserEntry::Ref(UserRef::All),
        "none" => UserEntry::None,
        "guests" => UserEntry::Ref(UserRef::Guests),
        _ if v.starts_with("guests:") => {
            let kind = &v["guests:".len()..];
            UserEntry::Guests(
                GuestKind::parse(kind)
                    .ok_or_else(|| r.unknown(&e.referenced, "guest type", kind, &GuestKind::NAMES))?,
            )
        }
        _ if v.starts_with("group:") => UserEntry::Ref(UserRef::Group(group_ref(r, e, &v["group:".len()..])?)),
        _ if v.starts_with("role:") => UserEntry::Ref(UserRef::Role(role_ref(r, e, &v["role:".len()..])?)),
        _ if is_guid(v) => match r.users.iter().position(|u| u.object_id.as_deref() == Some(&v.to_lowercase())) {
            Some(i) => UserEntry::Ref(UserRef::User(i)),
            None => UserEntry::Unknown(v.to_lowercase()),
        },
        _ => UserEntry::Ref(UserRef::User(r.user_idx(e)?)),
    })
}

fn group_ref(r: &Resolver, e: &S<String>, g: &str) -> Result<String> {
    if is_guid(g) {
        let name = r.groups.iter().find(|(_, id)| id.eq_ignore_ascii_case(g)).map(|(n, _)| n.clone());
        return Ok(name.unwrap_or_else(|| g.to_lowercase()));
    }
    let groups = known_groups(r);
    if groups.contains(g) {
        Ok(g.to_string())
    } else {
        let known: Vec<&str> = groups.iter().copied().collect();
        Err(r.unknown(&e.referenced, "group", g, &known))
    }
}

fn role_ref(r: &Resolver, e: &S<String>, role: &str) -> Result<String> {
    let held = r.users.iter().flat_map(|u| u.roles.iter()).any(|x| roles::same(x, role));
    if is_guid(role) || held || roles::lookup(role).is_some() {
        return Ok(role.to_string());
    }
    let mut known: BTreeSet<String> = r.users.iter().flat_map(|u| u.roles.iter().cloned()).collect();
    known.extend(roles::names().map(String::from));
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    Err(r.unknown(&e.referenced, "role", role, &known))
}

fn resolve_app_condition(r: &Resolver, t: &S<Targets>) -> Result<AppCondition> {
    let mut cond = AppCondition { all: t.value.all, ..AppCondition::default() };
    let mut named_none = false;
    for e in &t.value.include {
        let v = e.value.as_str();
        if v == "all" {
            cond.all = true;
        } else if v == "none" {
            named_none = true;
        } else if let Some(action) = v.strip_prefix("action:") {
            let a = UserAction::parse(action)
                .ok_or_else(|| r.unknown(&e.referenced, "user action", action, &UserAction::NAMES))?;
            cond.user_actions.push(a);
        } else if let Some(ctx) = v.strip_prefix("auth_context:") {
            let c = auth_context(ctx).ok_or_else(|| {
                r.error(&e.referenced, format!("`{ctx}` is not an authentication context; expected c1 to c99"))
            })?;
            cond.auth_contexts.push(c);
        } else {
            app_entry(r, e, &mut cond.include, &mut cond.include_groups, &mut cond.unknown_include)?;
        }
    }
    for e in &t.value.exclude {
        app_entry(r, e, &mut cond.exclude, &mut cond.exclude_groups, &mut cond.unknown_exclude)?;
    }
    let targets = cond.all
        || !cond.include.is_empty()
        || !cond.include_groups.is_empty()
        || !cond.unknown_include.is_empty()
        || !cond.user_actions.is_empty()
        || !cond.auth_contexts.is_empty();
    if !targets && !named_none {
        return Err(r.error(&t.referenced, "`apps` includes no app; expected `all` or a list such as `[sharepoint]`"));
    }
    Ok(cond)
}

/// An app key, app id, `office365` or `admin_portals`; an unknown GUID is
/// kept (it matches no app).
fn app_entry(
    r: &Resolver,
    e: &S<String>,
    apps: &mut Vec<AppIdx>,
    groups: &mut Vec<AppGroup>,
    unknown: &mut Vec<String>,
) -> Result<()> {
    let v = e.value.as_str();
    match v {
        "office365" => groups.push(AppGroup::Office365),
        "admin_portals" => groups.push(AppGroup::AdminPortals),
        "all_agent_resources" => groups.push(AppGroup::AllAgentIdResources),
        _ => match r.apps.iter().position(|a| a.key == v || app_has_id(a, v)) {
            Some(i) => apps.push(i),
            None if is_guid(v) => unknown.push(v.to_lowercase()),
            None => {
                let mut keys: Vec<&str> = r.apps.iter().map(|a| a.key.as_str()).collect();
                keys.extend(["office365", "admin_portals", "all_agent_resources"]);
                return Err(r.unknown(&e.referenced, "app", v, &keys));
            }
        },
    }
    Ok(())
}

fn resolve_client_apps(
    r: &Resolver,
    raw: &Option<Vec<S<String>>>,
) -> Result<(Option<Vec<ClientAppType>>, Vec<String>)> {
    let Some(list) = raw else { return Ok((None, Vec::new())) };
    let mut modern = Vec::new();
    let mut legacy = Vec::new();
    for e in list {
        match e.value.as_str() {
            "all" => return Ok((None, Vec::new())),
            "browser" => modern.push(ClientAppType::Browser),
            "mobile_and_desktop" | "mobileAppsAndDesktopClients" => modern.push(ClientAppType::MobileAndDesktop),
            "exchange_active_sync" | "exchangeActiveSync" | "easSupported" => legacy.push("exchangeActiveSync".into()),
            "other" => legacy.push("other".into()),
            other => return Err(r.unknown(&e.referenced, "client app type", other, &CLIENT_APP_NAMES)),
        }
    }
    Ok((Some(modern), legacy))
}

/// `platforms: [windows, iOS]` or `{ include: [all], exclude: [iOS] }`.
fn resolve_platforms(
    r: &Resolver,
    t: &S<Targets>,
    ignored: &mut Vec<String>,
) -> Result<(Option<Vec<Platform>>, Vec<Platform>)> {
    let mut include = Some(Vec::new());
    if t.value.all || (t.value.include.is_empty() && !t.value.exclude.is_empty()) {
        include = None;
    }
    for e in &t.value.include {
        match platform(r, e)? {
            PlatformEntry::All => include = None,
            PlatformEntry::One(p) => include.iter_mut().for_each(|list| list.push(p)),
            PlatformEntry::WindowsPhone => ignored.push("platform windowsPhone (no casim device runs it)".into()),
        }
    }
    let mut exclude = Vec::new();
    for e in &t.value.exclude {
        match platform(r, e)? {
            PlatformEntry::One(p) => exclude.push(p),
            PlatformEntry::WindowsPhone => {}
            PlatformEntry::All => return Err(r.error(&e.referenced, "`all` cannot be excluded")),
        }
    }
    Ok((include, exclude))
}

fn platform(r: &Resolver, e: &S<String>) -> Result<PlatformEntry> {
    parse_platform(&e.value).ok_or_else(|| r.unknown(&e.referenced, "platform", &e.value, &PLATFORM_NAMES))
}

fn resolve_locations(r: &Resolver, t: &S<Targets>) -> Result<LocationCondition> {
    let mut cond = LocationCondition::default();
    if t.value.all || (t.value.include.is_empty() && !t.value.exclude.is_empty()) {
        cond.include.push(LocationRef::All);
    }
    for e in &t.value.include {
        cond.include.push(location_entry(r, e)?);
    }
    for e in &t.value.exclude {
        cond.exclude.push(location_entry(r, e)?);
    }
    Ok(cond)
}

fn location_entry(r: &Resolver, e: &S<String>) -> Result<LocationRef> {
    let v = e.value.as_str();
    Ok(match v {
        "all" => LocationRef::All,
        "all_trusted" => LocationRef::AllTrusted,
        "mfa_trusted_ips" => LocationRef::Named(MFA_TRUSTED_IPS.into()),
        _ if is_guid(v) => LocationRef::Named(v.to_lowercase()),
        _ => match r
            .location_keys
            .get(v)
            .or_else(|| r.named_locations.iter().find(|l| l.name == v || l.id == v).map(|l| &l.id))
        {
            Some(id) => LocationRef::Named(id.clone()),
            None => {
                let mut known: Vec<&str> = LOCATION_WORDS.to_vec();
                known.extend(r.location_keys.keys().map(String::as_str));
                known.extend(r.named_locations.iter().map(|l| l.name.as_str()));
                known.sort_unstable();
                known.dedup();
                return Err(r.unknown(&e.referenced, "location", v, &known));
            }
        },
    })
}

fn resolve_risks(r: &Resolver, raw: &Option<Vec<S<String>>>) -> Result<Option<Vec<RiskLevel>>> {
    resolve_named(r, raw, "risk level", &RiskLevel::NAMES, RiskLevel::parse)
}

/// A list of enum names (`insider_risk: [elevated]`); empty means any.
fn resolve_named<T>(
    r: &Resolver,
    raw: &Option<Vec<S<String>>>,
    what: &str,
    names: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<Vec<T>>> {
    let Some(list) = raw else { return Ok(None) };
    let values = list
        .iter()
        .map(|e| parse(&e.value).ok_or_else(|| r.unknown(&e.referenced, what, &e.value, names)))
        .collect::<Result<Vec<_>>>()?;
    Ok((!values.is_empty()).then_some(values))
}

fn resolve_device_filter(r: &Resolver, f: &RawDeviceFilter) -> Result<DeviceFilter> {
    let rule = DeviceFilterRule::parse(&f.rule.value).map_err(|e| {
        let mut loc_pos = Pos::from_location(&f.rule.referenced);
        if let Some(p) = loc_pos.as_mut() {
            p.column = column_in_source(r.text, *p, e.column);
        }
        InputError::new(r.path, loc_pos, format!("device filter rule: {}", e.message))
            .with_help(e.suggestion.map(|s| format!("did you mean `{s}`?")))
            .with_source(r.text)
    })?;
    Ok(DeviceFilter { mode: f.mode, rule, text: f.rule.value.clone() })
}

/// Maps a 1-based column inside a scalar's value to its column in the source
/// line, stepping over the opening quote and over escapes (`\"` in double-quoted,
/// `''` in single-quoted scalars), which take more source characters than they yield.
fn column_in_source(text: &str, start: Pos, value_column: usize) -> usize {
    let line: Vec<char> = text.lines().nth(start.line.saturating_sub(1)).unwrap_or("").chars().collect();
    let first = start.column.saturating_sub(1);
    let quote = line.get(first).copied().filter(|c| *c == '"' || *c == '\'');
    let Some(quote) = quote else { return start.column + value_column - 1 };
    let mut source = first + 1;
    for _ in 1..value_column {
        source += match (quote, line.get(source), line.get(source + 1)) {
            ('"', Some('\\'), Some('x')) => 4,
            ('"', Some('\\'), Some('u')) => 6,
            ('"', Some('\\'), Some('U')) => 10,
            ('"', Some('\\'), Some(_)) => 2,
            ('\'', Some('\''), Some('\'')) => 2,
            _ => 1,
        };
    }
    source + 1
}

fn resolve_grant(r: &Resolver, g: &S<RawGrant>) -> Result<Grant> {
    match &g.value {
        RawGrant::Control(name) => match name.as_str() {
            "mfa" => Ok(Grant::Mfa),
            "block" => Ok(Grant::Block),
            "compliant_device" => Ok(Grant::CompliantDevice),
            "domain_joined_device" => Ok(Grant::DomainJoinedDevice),
            "approved_application" => Ok(Grant::ApprovedApplication),
            "compliant_application" => Ok(Grant::CompliantApplication),
            "password_change" => Ok(Grant::PasswordChange),
            "risk_remediation" => Ok(Grant::RiskRemediation),
            "authentication_strength" => Err(r.error(
                &g.referenced,
                "`authentication_strength` takes a strength: `{ authentication_strength: phishing_resistant_mfa }`",
            )),
            other => Err(r.unknown(&g.referenced, "grant control", other, &GRANT_NAMES)),
        },
        RawGrant::Strength(s) => {
            if is_guid(&s.value) {
                return Strength::built_in(&s.value).map(Grant::AuthenticationStrength).ok_or_else(|| {
                    r.error(
                        &s.referenced,
                        format!(
                            "`{}` is not a built-in authentication strength; a custom strength needs its definition (allowedCombinations): read the policies from a Graph export that has it",
                            s.value
                        ),
                    )
                });
            }
            Strength::from_name(&s.value)
                .map(Grant::AuthenticationStrength)
                .ok_or_else(|| r.unknown(&s.referenced, "authentication strength", &s.value, &Strength::NAMES))
        }
        RawGrant::TermsOfUse(t) => Ok(Grant::TermsOfUse(t.value.clone())),
        RawGrant::AllOf(list) | RawGrant::AnyOf(list) => {
            if list.is_empty() {
                return Err(r.error(&g.referenced, "a grant list needs at least one control"));
            }
            let inner = list.iter().map(|x| resolve_grant(r, x)).collect::<Result<Vec<_>>>()?;
            Ok(if matches!(g.value, RawGrant::AllOf(_)) { Grant::AllOf(inner) } else { Grant::AnyOf(inner) })
        }
    }
}

/// R-SIF-1: whole hours 1–23 or whole days 1–365, or `every_time`.
fn resolve_sif(r: &Resolver, text: &S<String>) -> Result<SifSetting> {
    let setting =
        |every_time, value, unit| SifSetting { enabled: true, every_time, value, unit, secondary_only: false };
    if text.value == "every_time" {
        return Ok(setting(true, None, None));
    }
    let range = "sign-in frequency must be whole hours 1h–23h, whole days 1d–365d, or every_time";
    let d = parse_duration(&text.value).map_err(|_| {
        r.error(&text.referenced, format!("`{}` is not a sign-in frequency; {range}", text.value))
            .with_help(did_you_mean(&text.value, ["every_time"]))
    })?;
    if d % DAY == 0 && (1..=365).contains(&(d / DAY)) {
        Ok(setting(false, Some(d / DAY), Some(SifUnit::Days)))
    } else if d % HOUR == 0 && (1..=23).contains(&(d / HOUR)) {
        Ok(setting(false, Some(d / HOUR), Some(SifUnit::Hours)))
    } else {
        Err(r.error(&text.referenced, format!("`{}` is out of range: {range}", text.value)))
    }
}

/// `named_locations:`: IP ranges or countries; the key `mfa_trusted_ips` is
/// the MFA trusted IPs (IPv4 only, as Entra accepts).
pub(super) fn resolve_named_locations(
    r: &Resolver,
    raw: &std::collections::BTreeMap<String, S<RawNamedLocation>>,
) -> Result<Vec<NamedLocation>> {
    raw.iter().map(|(key, l)| resolve_named_location(r, key, l)).collect()
}

fn resolve_named_location(r: &Resolver, key: &str, raw: &S<RawNamedLocation>) -> Result<NamedLocation> {
    let l = &raw.value;
    let mfa_ips = key == "mfa_trusted_ips";
    let id = match (&l.id, mfa_ips) {
        (Some(id), false) => guid(r, id)?,
        (Some(id), true) => return Err(r.error(&id.referenced, "the MFA trusted IPs have a fixed id; remove `id`")),
        (None, true) => MFA_TRUSTED_IPS.to_string(),
        (None, false) => key.to_string(),
    };
    let kind = match (l.ip_ranges.is_empty(), l.countries.is_empty()) {
        (false, true) => LocationKind::Ip(ip_ranges(r, &l.ip_ranges, mfa_ips)?),
        (true, false) if !mfa_ips => LocationKind::Countries {
            codes: l.countries.iter().map(|c| country_code(r, c)).collect::<Result<_>>()?,
            include_unknown: l.include_unknown_countries.unwrap_or(false),
            by_gps: false,
        },
        _ => {
            return Err(r.error(
                &raw.referenced,
                format!("named location `{key}` needs either `ip_ranges` or `countries` (not both)"),
            ));
        }
    };
    if l.include_unknown_countries.is_some() && matches!(kind, LocationKind::Ip(_)) {
        return Err(r.error(&raw.referenced, "`include_unknown_countries` belongs to a location of `countries`"));
    }
    let name = l.name.clone().unwrap_or_else(|| if mfa_ips { "MFA trusted IPs".into() } else { key.to_string() });
    Ok(NamedLocation { id, name, trusted: l.trusted.unwrap_or(false) || mfa_ips, kind })
}

fn ip_ranges(r: &Resolver, raw: &[S<String>], v4_only: bool) -> Result<Vec<IpRange>> {
    raw.iter()
        .map(|t| {
            let range = IpRange::parse(&t.value).map_err(|e| r.error(&t.referenced, e))?;
            if v4_only && range.network.is_ipv6() {
                return Err(r.error(&t.referenced, "the MFA trusted IPs accept IPv4 ranges only"));
            }
            Ok(range)
        })
        .collect()
}
