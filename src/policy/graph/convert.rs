//! One Graph `conditionalAccessPolicy` (or named location) into casim's model.

use super::walk::{Field, Result, each_string};
use super::{Directory, Ignored};
use crate::domain::{GuestKind, InsiderRisk, Platform, PlatformEntry, UserAction, is_guid, parse_platform};
use crate::policy::apps::{AppGroup, app_has_id, auth_context};
use crate::policy::conditions::{AuthFlow, WorkloadCondition};
use crate::policy::device_filter::DeviceFilterRule;
use crate::policy::grants::Strength;
use crate::policy::locations::{IpRange, LocationCondition, LocationKind, LocationRef, NamedLocation, is_country_code};
use crate::policy::model::*;

/// What a policy's ids resolve against.
pub(super) struct Cx<'a> {
    pub dir: &'a Directory<'a>,
    pub locations: &'a [NamedLocation],
    /// Authentication strength policies exported beside the policies.
    pub strengths: &'a [Strength],
    /// Groups exported beside the policies: (display name, object id).
    pub groups: &'a [(String, String)],
}

/// Fields casim reads; any other non-empty field is reported as ignored.
const POLICY_KEYS: [&str; 12] = [
    "id",
    "displayName",
    "description",
    "state",
    "createdDateTime",
    "modifiedDateTime",
    "templateId",
    "conditions",
    "grantControls",
    "sessionControls",
    "deletedDateTime",
    super::schema::LOCATION_INFO,
];
const CONDITION_KEYS: [&str; 14] = [
    "users",
    "applications",
    "clientAppTypes",
    "platforms",
    "locations",
    "devices",
    "signInRiskLevels",
    "userRiskLevels",
    "insiderRiskLevels",
    "authenticationFlows",
    "clientApplications",
    "servicePrincipalRiskLevels",
    "agentIdRiskLevels",
    "times",
];

pub(super) fn policy(cx: &Cx, f: &Field, ignored: &mut Ignored) -> Result<Policy> {
    f.object()?;
    let name = match f.get("displayName") {
        Some(n) => n.str()?.to_string(),
        None => {
            f.get("id").and_then(|i| i.node.as_str().map(String::from)).unwrap_or_else(|| format!("policy {}", f.path))
        }
    };
    let mut p = Policy::new(name.clone());
    p.users = UserCondition::default();
    p.apps = AppCondition::default();
    p.origin = Some(format!("{} {}", f.file.display(), f.path));
    p.id = f.get("id").map(|i| i.str().map(str::to_lowercase)).transpose()?;
    p.template_id = f.get("templateId").map(|i| i.str().map(str::to_lowercase)).transpose()?;
    if let Some(s) = f.get("state") {
        p.state = state(&s)?;
    }
    report_unknown(f, &POLICY_KEYS, "", &name, ignored);
    if let Some(c) = f.get("conditions") {
        conditions(cx, &c, &mut p, ignored)?;
    }
    if let Some(g) = f.get("grantControls") {
        p.grant = super::controls::grant(cx, &g, &mut p, ignored)?;
    }
    if let Some(s) = f.get("sessionControls") {
        super::controls::session(&s, &mut p, ignored)?;
    }
    Ok(p)
}

/// Reports the non-empty members of `f` not in `known` (and not `@odata.*`).
pub(super) fn report_unknown(f: &Field, known: &[&str], prefix: &str, policy: &str, ignored: &mut Ignored) {
    for (key, value) in f.members() {
        if key.eq_ignore_ascii_case("AdditionalProperties") {
            // Graph PowerShell's parked properties belong to `f` (json::Node::get).
            report_unknown(&value, known, prefix, policy, ignored);
            continue;
        }
        let is_known = known.iter().any(|k| k.eq_ignore_ascii_case(key));
        if !is_known && !key.starts_with('@') && !key.contains("@odata") && !value.node.is_empty() {
            ignored.field(&format!("{prefix}{key}"), policy);
        }
    }
}

fn state(f: &Field) -> Result<PolicyState> {
    match f.str()? {
        "enabled" => Ok(PolicyState::Enabled),
        "disabled" => Ok(PolicyState::Disabled),
        "enabledForReportingButNotEnforced" => Ok(PolicyState::ReportOnly),
        other => Err(f.error(format!(
            "`{other}` is not a policy state; expected enabled, disabled or enabledForReportingButNotEnforced"
        ))),
    }
}

fn conditions(cx: &Cx, c: &Field, p: &mut Policy, ignored: &mut Ignored) -> Result<()> {
    c.object()?;
    report_unknown(c, &CONDITION_KEYS, "conditions.", &p.name, ignored);
    if let Some(u) = c.get("users") {
        p.users = users(cx, &u, &p.name, ignored)?;
    }
    if let Some(a) = c.get("applications") {
        p.apps = applications(cx, &a, &p.name, ignored, &mut p.not_simulated)?;
    }
    if let Some(t) = c.get("clientAppTypes") {
        client_app_types(&t, p)?;
    }
    if let Some(pl) = c.get("platforms") {
        platforms(&pl, p)?;
    }
    if let Some(l) = c.get("locations") {
        p.locations = Some(locations(cx, &l, p)?);
    }
    if let Some(d) = c.get("devices") {
        devices(&d, p, ignored)?;
    }
    p.sign_in_risk = risks(c, "signInRiskLevels")?;
    p.user_risk = risks(c, "userRiskLevels")?;
    p.service_principal_risk = risks(c, "servicePrincipalRiskLevels")?;
    p.agent_risk = flag_values(c, "agentIdRiskLevels", "agent identity risk level", &["low", "medium", "high"], |t| {
        RiskLevel::parse(t).filter(|l| matches!(l, RiskLevel::Low | RiskLevel::Medium | RiskLevel::High))
    })?;
    p.insider_risk = flag_values(c, "insiderRiskLevels", "insider risk level", &InsiderRisk::NAMES[1..], |t| {
        InsiderRisk::parse(t).filter(|r| *r != InsiderRisk::None)
    })?;
    if let Some(f) = c.get("authenticationFlows") {
        f.object()?;
        p.auth_flows =
            flag_values(&f, "transferMethods", "authentication flow", &AuthFlow::GRAPH_NAMES, AuthFlow::parse)?;
    }
    if let Some(w) = c.get("clientApplications") {
        let cond = workloads(&w)?;
        if let Some(rule) = &cond.filter {
            p.not_simulated.push(format!(
                "service principal filter `{rule}` on custom security attributes: workload sign-ins answer notEnoughInformation"
            ));
        }
        p.workloads = Some(cond);
    }
    if let Some(t) = c.get("times") {
        p.times = Some(super::times::times(&t)?);
    }
    Ok(())
}

/// A Graph flags enum: one comma-separated string (`"minor,moderate"`), or
/// an array of them as some exports write it. `unknownFutureValue` and
/// `none` select nothing.
fn flag_values<T>(
    parent: &Field,
    key: &str,
    what: &str,
    names: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<Vec<T>>> {
    let Some(f) = parent.get(key) else { return Ok(None) };
    let parts: Vec<(Field, String)> = match f.node.as_str() {
        Some(text) => text.split(',').map(|p| (f.clone(), p.trim().to_string())).collect(),
        None => f
            .elements()?
            .into_iter()
            .map(|e| e.str().map(|t| (e.clone(), t.trim().to_string())))
            .collect::<Result<_>>()?,
    };
    let mut values = Vec::new();
    for (at, part) in parts {
        if part.is_empty() || part.eq_ignore_ascii_case("unknownFutureValue") || part.eq_ignore_ascii_case("none") {
            continue;
        }
        let v = parse(&part).ok_or_else(|| {
            at.error(format!("`{part}` is not an {what}; expected {}", names.join(", ")))
                .with_help(crate::error::did_you_mean(&part, names.iter().copied()))
        })?;
        values.push(v);
    }
    Ok((!values.is_empty()).then_some(values))
}

/// Graph `conditionalAccessClientApplications`: service principals and agent identities.
fn workloads(w: &Field) -> Result<WorkloadCondition> {
    w.object()?;
    let mut cond = WorkloadCondition::default();
    each_string(w, "includeServicePrincipals", |f, t| {
        match keyword(t, &["ServicePrincipalsInMyTenant", "None"]) {
            Some("ServicePrincipalsInMyTenant") => cond.all_in_tenant = true,
            Some(_) => {}
            None if is_guid(t) => cond.include.push(t.to_lowercase()),
            None => {
                return Err(f.error(format!(
                    "`{t}` is not a service principal; expected a GUID, ServicePrincipalsInMyTenant or None"
                )));
            }
        }
        Ok(())
    })?;
    each_string(w, "excludeServicePrincipals", |f, t| {
        if !is_guid(t) {
            return Err(f.error(format!("`{t}` is not a service principal object id (a GUID)")));
        }
        cond.exclude.push(t.to_lowercase());
        Ok(())
    })?;
    if let Some(filter) = w.get("servicePrincipalFilter") {
        let rule = filter.get("rule").map(|r| r.str().map(str::to_string)).transpose()?;
        cond.filter = Some(rule.unwrap_or_default());
    }
    each_string(w, "includeAgentIdServicePrincipals", |f, t| {
        match keyword(t, &["All", "None"]) {
            Some("All") => cond.agents.all = true,
            Some(_) => {}
            None if is_guid(t) => cond.agents.include.push(t.to_lowercase()),
            None => return Err(f.error(format!("`{t}` is not an agent identity; expected a GUID, All or None"))),
        }
        Ok(())
    })?;
    each_string(w, "excludeAgentIdServicePrincipals", |f, t| {
        if !is_guid(t) {
            return Err(f.error(format!("`{t}` is not an agent identity object id (a GUID)")));
        }
        cond.agents.exclude.push(t.to_lowercase());
        Ok(())
    })?;
    if let Some(filter) = w.get("agentIdServicePrincipalFilter").filter(|f| !f.node.is_null()) {
        let rule = filter.get("rule").map(|r| r.str().map(str::to_string)).transpose()?;
        cond.agents.filter = Some(rule.unwrap_or_default());
    }
    Ok(cond)
}

pub(super) fn keyword(text: &str, words: &[&'static str]) -> Option<&'static str> {
    words.iter().copied().find(|w| w.eq_ignore_ascii_case(text.trim()))
}

fn users(cx: &Cx, u: &Field, policy: &str, ignored: &mut Ignored) -> Result<UserCondition> {
    u.object()?;
    let known = [
        "includeUsers",
        "excludeUsers",
        "includeGroups",
        "excludeGroups",
        "includeRoles",
        "excludeRoles",
        "includeGuestsOrExternalUsers",
        "excludeGuestsOrExternalUsers",
    ];
    report_unknown(u, &known, "conditions.users.", policy, ignored);
    let mut cond = UserCondition::default();
    each_string(u, "includeUsers", |f, t| user_id(cx, f, t, &mut cond.include, &mut cond.unknown_include))?;
    each_string(u, "excludeUsers", |f, t| user_id(cx, f, t, &mut cond.exclude, &mut cond.unknown_exclude))?;
    each_string(u, "includeGroups", |f, t| group_id(cx, f, t, &mut cond.include))?;
    each_string(u, "excludeGroups", |f, t| group_id(cx, f, t, &mut cond.exclude))?;
    each_string(u, "includeRoles", |f, t| role_id(f, t, &mut cond.include))?;
    each_string(u, "excludeRoles", |f, t| role_id(f, t, &mut cond.exclude))?;
    cond.include_guests = u.get("includeGuestsOrExternalUsers").map(|g| guests(&g)).transpose()?;
    cond.exclude_guests = u.get("excludeGuestsOrExternalUsers").map(|g| guests(&g)).transpose()?;
    Ok(cond)
}

fn user_id(cx: &Cx, f: &Field, text: &str, refs: &mut Vec<UserRef>, unknown: &mut Vec<String>) -> Result<()> {
    match keyword(text, &["All", "None", "GuestsOrExternalUsers", "AllAgentIdUsers"]) {
        Some("All") => refs.push(UserRef::All),
        Some("None") => {}
        // Agent users (in Microsoft's own templates): casim's users are people,
        // so like an unknown user id it matches none of them.
        Some("AllAgentIdUsers") => unknown.push("AllAgentIdUsers".to_string()),
        Some(_) => refs.push(UserRef::Guests),
        None if is_guid(text) => {
            let id = text.to_lowercase();
            match cx.dir.users.iter().position(|u| u.object_id.as_deref() == Some(id.as_str())) {
                Some(i) => refs.push(UserRef::User(i)),
                None => unknown.push(id),
            }
        }
        None => {
            return Err(f.error(format!(
                "`{text}` is not a user object id; expected a GUID, All, None, GuestsOrExternalUsers or AllAgentIdUsers"
            )));
        }
    }
    Ok(())
}

fn group_id(cx: &Cx, f: &Field, text: &str, refs: &mut Vec<UserRef>) -> Result<()> {
    if !is_guid(text) {
        return Err(f.error(format!("`{text}` is not a group object id (a GUID)")));
    }
    // The scenario's `groups:` name it first; else a group exported beside the policies.
    let name = cx.dir.groups.iter().find(|(_, id)| id.eq_ignore_ascii_case(text)).map(|(n, _)| n.clone());
    let name = name.or_else(|| cx.groups.iter().find(|(_, id)| id.eq_ignore_ascii_case(text)).map(|(n, _)| n.clone()));
    refs.push(UserRef::Group(name.unwrap_or_else(|| text.to_lowercase())));
    Ok(())
}

fn role_id(f: &Field, text: &str, refs: &mut Vec<UserRef>) -> Result<()> {
    if !is_guid(text) {
        return Err(f.error(format!("`{text}` is not a directory role template id (a GUID)")));
    }
    refs.push(UserRef::Role(text.to_lowercase()));
    Ok(())
}

/// Graph `conditionalAccessGuestsOrExternalUsers`.
fn guests(g: &Field) -> Result<GuestCondition> {
    g.object()?;
    let mut kinds = Vec::new();
    if let Some(types) = g.get("guestOrExternalUserTypes") {
        for part in types.str()?.split(',').map(str::trim).filter(|s| !s.is_empty() && *s != "none") {
            let kind = GuestKind::parse(part).ok_or_else(|| {
                types.error(format!(
                    "`{part}` is not a guest or external user type; expected one of {}",
                    GuestKind::GRAPH_NAMES.join(", ")
                ))
            })?;
            kinds.push(kind);
        }
    }
    let tenants = match g.get("externalTenants") {
        None => None,
        Some(t) => match t.get("membershipKind").map(|k| k.str().map(str::to_string)).transpose()?.as_deref() {
            Some("enumerated") => {
                let mut members = Vec::new();
                each_string(&t, "members", |_, id| {
                    members.push(id.to_lowercase());
                    Ok(())
                })?;
                Some(members)
            }
            _ => None,
        },
    };
    Ok(GuestCondition { kinds, tenants })
}

fn applications(
    cx: &Cx,
    a: &Field,
    policy: &str,
    ignored: &mut Ignored,
    notes: &mut Vec<String>,
) -> Result<AppCondition> {
    a.object()?;
    let known = [
        "includeApplications",
        "excludeApplications",
        "includeUserActions",
        "includeAuthenticationContextClassReferences",
        "applicationFilter",
        "networkAccess",
        "globalSecureAccess",
    ];
    report_unknown(a, &known, "conditions.applications.", policy, ignored);
    let mut c = AppCondition::default();
    each_string(a, "includeApplications", |f, t| {
        if keyword(t, &["All"]).is_some() {
            c.all = true;
            Ok(())
        } else {
            app_id(cx, f, t, &mut c.include, &mut c.include_groups, &mut c.unknown_include)
        }
    })?;
    each_string(a, "excludeApplications", |f, t| {
        app_id(cx, f, t, &mut c.exclude, &mut c.exclude_groups, &mut c.unknown_exclude)
    })?;
    each_string(a, "includeUserActions", |f, t| {
        let action = UserAction::parse(t).ok_or_else(|| {
            f.error(format!(
                "`{t}` is not a user action; expected urn:user:registersecurityinfo, urn:user:registerdevice or urn:user:accountrecovery"
            ))
        })?;
        c.user_actions.push(action);
        Ok(())
    })?;
    each_string(a, "includeAuthenticationContextClassReferences", |f, t| {
        let ctx = auth_context(t)
            .ok_or_else(|| f.error(format!("`{t}` is not an authentication context; expected c1 to c99")))?;
        c.auth_contexts.push(ctx);
        Ok(())
    })?;
    if let Some(f) = a.get("applicationFilter") {
        let (mode, rule) = filter(&f)?;
        notes.push(format!(
            "application filter ({}) `{rule}` on custom security attributes: casim apps carry none, so where it decides the policy answers notEnoughInformation",
            if mode == FilterMode::Include { "include" } else { "exclude" }
        ));
        c.filter = Some((mode, rule));
    }
    // Present, even as `{}`, these target Global Secure Access traffic profiles.
    c.gsa_traffic = ["networkAccess", "globalSecureAccess"].iter().any(|k| a.get(k).is_some());
    Ok(c)
}

/// Graph `conditionalAccessFilter`: `{ mode: include|exclude, rule }`, the
/// rule as written.
fn filter(f: &Field) -> Result<(FilterMode, String)> {
    let rule = f.get("rule").ok_or_else(|| f.error("a filter needs a `rule`"))?.str()?.to_string();
    Ok((filter_mode(f)?, rule))
}

/// The `mode` of a `conditionalAccessFilter` (devices, applications).
fn filter_mode(f: &Field) -> Result<FilterMode> {
    f.object()?;
    match f.get("mode").map(|m| m.str().map(str::to_ascii_lowercase)).transpose()?.as_deref() {
        Some("include") => Ok(FilterMode::Include),
        Some("exclude") => Ok(FilterMode::Exclude),
        other => {
            let at = f.get("mode").unwrap_or_else(|| f.clone());
            Err(at.error(format!("filter mode must be include or exclude, found {}", other.unwrap_or("nothing"))))
        }
    }
}

fn app_id(
    cx: &Cx,
    f: &Field,
    text: &str,
    apps: &mut Vec<usize>,
    groups: &mut Vec<AppGroup>,
    unknown: &mut Vec<String>,
) -> Result<()> {
    const KEYWORDS: [&str; 5] = ["None", "All", "Office365", "MicrosoftAdminPortals", "AllAgentIdResources"];
    match keyword(text, &KEYWORDS) {
        Some("None") => {}
        Some("All") => return Err(f.error("`All` cannot be excluded")),
        Some(word) => groups.extend(AppGroup::from_graph_name(word)),
        None if is_guid(text) => match cx.dir.apps.iter().position(|a| app_has_id(a, text)) {
            Some(i) => apps.push(i),
            None => unknown.push(text.to_lowercase()),
        },
        None => {
            return Err(f
                .error(format!("`{text}` is not an app id; expected a GUID or one of {}", KEYWORDS.join(", ")))
                .with_help(crate::error::did_you_mean(text, KEYWORDS.iter().copied())));
        }
    }
    Ok(())
}

/// Graph `conditionalAccessClientApp`, in any case (exports differ).
const CLIENT_APP_TYPES: [&str; 7] =
    ["all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "easSupported", "other", "easUnsupported"];

fn client_app_types(t: &Field, p: &mut Policy) -> Result<()> {
    let mut modern = Vec::new();
    let mut all = false;
    for item in t.elements()? {
        let text = item.str()?;
        match keyword(text, &CLIENT_APP_TYPES) {
            Some("all") => all = true,
            Some("browser") => modern.push(ClientAppType::Browser),
            Some("mobileAppsAndDesktopClients") => modern.push(ClientAppType::MobileAndDesktop),
            Some(legacy) => p.legacy_client_apps.push(legacy.to_string()),
            None if text == "unknownFutureValue" => {}
            None => {
                return Err(item
                    .error(format!(
                        "`{text}` is not a client app type; expected all, browser, mobileAppsAndDesktopClients, exchangeActiveSync, easSupported or other"
                    ))
                    .with_help(crate::error::did_you_mean(text, CLIENT_APP_TYPES.iter().copied())));
            }
        }
    }
    let configured = !modern.is_empty() || !p.legacy_client_apps.is_empty();
    p.client_apps = (configured && !all).then_some(modern);
    Ok(())
}

fn platforms(f: &Field, p: &mut Policy) -> Result<()> {
    let mut include: Option<Vec<Platform>> = Some(Vec::new());
    let mut any = false;
    each_string(f, "includePlatforms", |item, t| {
        any = true;
        match platform(item, t)? {
            PlatformEntry::All => include = None,
            PlatformEntry::One(x) => include.iter_mut().for_each(|l| l.push(x)),
            PlatformEntry::WindowsPhone => p.ignored.push("platform windowsPhone (no casim device runs it)".into()),
        }
        Ok(())
    })?;
    p.platforms = if any { include } else { None };
    each_string(f, "excludePlatforms", |item, t| {
        match platform(item, t)? {
            PlatformEntry::One(x) => p.exclude_platforms.push(x),
            PlatformEntry::WindowsPhone => {}
            PlatformEntry::All => return Err(item.error("`all` cannot be excluded")),
        }
        Ok(())
    })
}

fn platform(f: &Field, text: &str) -> Result<PlatformEntry> {
    parse_platform(text).ok_or_else(|| {
        f.error(format!(
            "`{text}` is not a device platform; expected android, iOS, windows, windowsPhone, macOS, linux or all"
        ))
    })
}

fn locations(cx: &Cx, f: &Field, p: &mut Policy) -> Result<LocationCondition> {
    let mut cond = LocationCondition::default();
    each_string(f, "includeLocations", |item, t| {
        cond.include.push(location(cx, item, t, p)?);
        Ok(())
    })?;
    each_string(f, "excludeLocations", |item, t| {
        cond.exclude.push(location(cx, item, t, p)?);
        Ok(())
    })?;
    Ok(cond)
}

fn location(cx: &Cx, f: &Field, text: &str, p: &mut Policy) -> Result<LocationRef> {
    match keyword(text, &["All", "AllTrusted"]) {
        Some("All") => Ok(LocationRef::All),
        Some(_) => Ok(LocationRef::AllTrusted),
        None if is_guid(text) => {
            let id = text.to_lowercase();
            if !cx.locations.iter().any(|l| l.id == id) {
                p.ignored.push(format!("named location {id} is not defined here: it matches no sign-in"));
            }
            Ok(LocationRef::Named(id))
        }
        None => match cx.dir.location_keys.get(text) {
            Some(id) => Ok(LocationRef::Named(id.clone())),
            None => {
                Err(f.error(format!("`{text}` is not a location; expected All, AllTrusted or a named location id")))
            }
        },
    }
}

fn devices(d: &Field, p: &mut Policy, ignored: &mut Ignored) -> Result<()> {
    let known = ["deviceFilter", "includeDevices", "excludeDevices", "includeDeviceStates", "excludeDeviceStates"];
    report_unknown(d, &known, "conditions.devices.", &p.name, ignored);
    device_states(d, p)?;
    let Some(filter) = d.get("deviceFilter") else { return Ok(()) };
    if p.device_filter.is_some() {
        return Err(filter.error("a policy has either a device filter or device states, not both"));
    }
    let mode = filter_mode(&filter)?;
    let rule_field = filter.get("rule").ok_or_else(|| filter.error("a device filter needs a `rule`"))?;
    let text = rule_field.str()?;
    let rule = DeviceFilterRule::parse(text).map_err(|e| {
        // The rule's first character is one column after the opening quote.
        let err = rule_field
            .error_at(e.column, format!("device filter rule, column {} of the rule: {}", e.column, e.message));
        err.with_help(e.suggestion.map(|s| format!("did you mean `{s}`?")))
    })?;
    p.device_filter = Some(DeviceFilter { mode, rule, text: text.to_string() });
    Ok(())
}

/// The deprecated device state condition (`includeDevices`/`excludeDevices`,
/// older `includeDeviceStates`/`excludeDeviceStates`: `All`, `Compliant`,
/// `DomainJoined`) as the device filter it stands for, so it is evaluated
/// like one: excluding compliant and hybrid joined devices is the filter
/// `device.isCompliant -eq True -or device.trustType -eq "ServerAD"` in
/// exclude mode (Learn, "Migrate from device state to filter for devices").
fn device_states(d: &Field, p: &mut Policy) -> Result<()> {
    let states = |keys: [&str; 2]| -> Result<Vec<&'static str>> {
        let mut out = Vec::new();
        for key in keys {
            each_string(d, key, |f, t| {
                let state = keyword(t, &["All", "Compliant", "DomainJoined"]).ok_or_else(|| {
                    f.error(format!("`{t}` is not a device state; expected All, Compliant or DomainJoined"))
                })?;
                out.push(state);
                Ok(())
            })?;
        }
        Ok(out)
    };
    let include = states(["includeDevices", "includeDeviceStates"])?;
    let exclude = states(["excludeDevices", "excludeDeviceStates"])?;
    let term = |s: &str| match s {
        "Compliant" => Some("device.isCompliant -eq True"),
        "DomainJoined" => Some(r#"device.trustType -eq "ServerAD""#),
        _ => None,
    };
    let (mode, list) = if !exclude.is_empty() {
        (FilterMode::Exclude, exclude)
    } else if include.iter().any(|s| *s != "All") {
        (FilterMode::Include, include)
    } else {
        return Ok(());
    };
    let terms: Vec<&str> = list.iter().filter_map(|s| term(s)).collect();
    if terms.is_empty() {
        return Ok(());
    }
    let text = terms.join(" -or ");
    let rule = DeviceFilterRule::parse(&text).map_err(|e| d.error(format!("device states: {}", e.message)))?;
    p.device_filter = Some(DeviceFilter { mode, rule, text });
    Ok(())
}

fn risks(c: &Field, key: &str) -> Result<Option<Vec<RiskLevel>>> {
    let mut levels = Vec::new();
    each_string(c, key, |f, t| {
        if t == "unknownFutureValue" {
            return Ok(());
        }
        let level = RiskLevel::parse(t)
            .ok_or_else(|| f.error(format!("`{t}` is not a risk level; expected low, medium, high, hidden or none")))?;
        levels.push(level);
        Ok(())
    })?;
    Ok((!levels.is_empty()).then_some(levels))
}

/// Graph `ipNamedLocation` or `countryNamedLocation`.
pub(super) fn named_location(f: &Field) -> Result<NamedLocation> {
    f.object()?;
    let id_field = f.get("id").ok_or_else(|| f.error("a named location needs its `id` (policies refer to it)"))?;
    let id = id_field.str()?.to_lowercase();
    let name = f.get("displayName").map(|n| n.str().map(str::to_string)).transpose()?.unwrap_or_else(|| id.clone());
    let trusted = f.get("isTrusted").map(|t| t.bool()).transpose()?.unwrap_or(false);
    let odata = f.get("@odata.type").and_then(|t| t.node.as_str().map(str::to_ascii_lowercase)).unwrap_or_default();
    let kind = if odata.contains("compliantnetwork") || f.get("compliantNetworkType").is_some() {
        LocationKind::CompliantNetwork
    } else if let Some(ranges) = f.get("ipRanges") {
        let mut out = Vec::new();
        for r in ranges.elements()? {
            let cidr = r.get("cidrAddress").ok_or_else(|| r.error("an IP range needs `cidrAddress`"))?;
            out.push(IpRange::parse(cidr.str()?).map_err(|e| cidr.error(e))?);
        }
        LocationKind::Ip(out)
    } else {
        let mut codes = Vec::new();
        each_string(f, "countriesAndRegions", |c, t| {
            if !is_country_code(t) {
                return Err(c.error(format!("`{t}` is not a two-letter country or region code")));
            }
            codes.push(t.to_ascii_uppercase());
            Ok(())
        })?;
        let include_unknown =
            f.get("includeUnknownCountriesAndRegions").map(|b| b.bool()).transpose()?.unwrap_or(false);
        let by_gps = f.get("countryLookupMethod").and_then(|m| m.node.as_str().map(|s| s == "authenticatorAppGps"));
        LocationKind::Countries { codes, include_unknown, by_gps: by_gps.unwrap_or(false) }
    };
    Ok(NamedLocation { id, name, trusted, kind })
}
