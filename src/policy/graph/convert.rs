//! One Graph `conditionalAccessPolicy` (or named location) into casim's model.

use super::walk::{Field, Result, each_string};
use super::{Directory, Ignored};
use crate::policy::apps::{AppGroup, UserAction, app_has_id, auth_context};
use crate::policy::device_filter::DeviceFilterRule;
use crate::policy::grants::{Grant, Strength};
use crate::policy::locations::{IpRange, LocationCondition, LocationKind, LocationRef, NamedLocation, is_country_code};
use crate::policy::model::*;
use crate::scenario::model::Platform;
use crate::scenario::resolve::{PlatformEntry, is_guid, parse_platform};

/// What a policy's ids resolve against.
pub struct Cx<'a> {
    pub dir: &'a Directory<'a>,
    pub locations: &'a [NamedLocation],
}

/// Fields casim reads; any other non-empty field is reported as ignored.
const POLICY_KEYS: [&str; 11] = [
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
];
const CONDITION_KEYS: [&str; 8] = [
    "users",
    "applications",
    "clientAppTypes",
    "platforms",
    "locations",
    "devices",
    "signInRiskLevels",
    "userRiskLevels",
];

pub fn policy(cx: &Cx, f: &Field, ignored: &mut Ignored) -> Result<Policy> {
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
        p.grant = grant(&g, &name, ignored)?;
    }
    if let Some(s) = f.get("sessionControls") {
        session(&s, &mut p, ignored)?;
    }
    Ok(p)
}

/// Reports the non-empty members of `f` not in `known` (and not `@odata.*`).
fn report_unknown(f: &Field, known: &[&str], prefix: &str, policy: &str, ignored: &mut Ignored) {
    for (key, value) in f.members() {
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
        p.apps = applications(cx, &a, &p.name, ignored)?;
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
    Ok(())
}

fn keyword(text: &str, words: &[&'static str]) -> Option<&'static str> {
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
    match keyword(text, &["All", "None", "GuestsOrExternalUsers"]) {
        Some("All") => refs.push(UserRef::All),
        Some("None") => {}
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
                "`{text}` is not a user object id; expected a GUID, All, None or GuestsOrExternalUsers"
            )));
        }
    }
    Ok(())
}

fn group_id(cx: &Cx, f: &Field, text: &str, refs: &mut Vec<UserRef>) -> Result<()> {
    if !is_guid(text) {
        return Err(f.error(format!("`{text}` is not a group object id (a GUID)")));
    }
    let name = cx.dir.groups.iter().find(|(_, id)| id.eq_ignore_ascii_case(text)).map(|(n, _)| n.clone());
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

fn applications(cx: &Cx, a: &Field, policy: &str, ignored: &mut Ignored) -> Result<AppCondition> {
    a.object()?;
    let known = [
        "includeApplications",
        "excludeApplications",
        "includeUserActions",
        "includeAuthenticationContextClassReferences",
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
                "`{t}` is not a user action; expected urn:user:registersecurityinfo or urn:user:registerdevice"
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
    Ok(c)
}

fn app_id(
    cx: &Cx,
    f: &Field,
    text: &str,
    apps: &mut Vec<usize>,
    groups: &mut Vec<AppGroup>,
    unknown: &mut Vec<String>,
) -> Result<()> {
    match keyword(text, &["None", "Office365", "MicrosoftAdminPortals", "All"]) {
        Some("None") => {}
        Some("Office365") => groups.push(AppGroup::Office365),
        Some("MicrosoftAdminPortals") => groups.push(AppGroup::AdminPortals),
        Some(_) => return Err(f.error("`All` cannot be excluded")),
        None if is_guid(text) => match cx.dir.apps.iter().position(|a| app_has_id(a, text)) {
            Some(i) => apps.push(i),
            None => unknown.push(text.to_lowercase()),
        },
        None => {
            return Err(f.error(format!(
                "`{text}` is not an app id; expected a GUID, All, None, Office365 or MicrosoftAdminPortals"
            )));
        }
    }
    Ok(())
}

fn client_app_types(t: &Field, p: &mut Policy) -> Result<()> {
    let mut modern = Vec::new();
    let mut all = false;
    for item in t.elements()? {
        match item.str()? {
            "all" => all = true,
            "browser" => modern.push(ClientAppType::Browser),
            "mobileAppsAndDesktopClients" => modern.push(ClientAppType::MobileAndDesktop),
            legacy @ ("exchangeActiveSync" | "easSupported" | "easUnsupported" | "other") => {
                p.legacy_client_apps.push(legacy.to_string())
            }
            other => {
                return Err(item.error(format!(
                    "`{other}` is not a client app type; expected all, browser, mobileAppsAndDesktopClients, exchangeActiveSync, easSupported or other"
                )));
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
    report_unknown(d, &["deviceFilter"], "conditions.devices.", &p.name, ignored);
    let Some(filter) = d.get("deviceFilter") else { return Ok(()) };
    let mode = match filter.get("mode").map(|m| m.str().map(str::to_string)).transpose()?.as_deref() {
        Some("include") => FilterMode::Include,
        Some("exclude") => FilterMode::Exclude,
        other => {
            let at = filter.get("mode").unwrap_or_else(|| filter.clone());
            return Err(at.error(format!(
                "device filter mode must be include or exclude, found {}",
                other.unwrap_or("nothing")
            )));
        }
    };
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

fn grant(g: &Field, policy: &str, ignored: &mut Ignored) -> Result<Option<Grant>> {
    g.object()?;
    let known = ["operator", "builtInControls", "termsOfUse", "authenticationStrength", "customAuthenticationFactors"];
    report_unknown(g, &known, "grantControls.", policy, ignored);
    if g.get("customAuthenticationFactors").is_some_and(|c| !c.node.is_empty()) {
        ignored.field("grantControls.customAuthenticationFactors", policy);
    }
    let mut controls = Vec::new();
    each_string(g, "builtInControls", |f, t| {
        controls.push(built_in_control(f, t)?);
        Ok(())
    })?;
    each_string(g, "termsOfUse", |_, t| {
        controls.push(Grant::TermsOfUse(t.to_lowercase()));
        Ok(())
    })?;
    if let Some(s) = g.get("authenticationStrength") {
        let id = s.get("id").ok_or_else(|| s.error("an authentication strength needs its `id`"))?;
        controls.push(Grant::AuthenticationStrength(Strength::from_id(id.str()?)));
    }
    let and = match g.get("operator") {
        None => false,
        Some(op) => match op.str()?.to_ascii_uppercase().as_str() {
            "AND" => true,
            "OR" => false,
            other => return Err(op.error(format!("`{other}` is not a grant operator; expected AND or OR"))),
        },
    };
    Ok(match controls.len() {
        0 => None,
        1 => controls.pop(),
        _ if and => Some(Grant::AllOf(controls)),
        _ => Some(Grant::AnyOf(controls)),
    })
}

fn built_in_control(f: &Field, text: &str) -> Result<Grant> {
    Ok(match text {
        "block" => Grant::Block,
        "mfa" => Grant::Mfa,
        "compliantDevice" => Grant::CompliantDevice,
        "domainJoinedDevice" => Grant::DomainJoinedDevice,
        "approvedApplication" => Grant::ApprovedApplication,
        "compliantApplication" => Grant::CompliantApplication,
        "passwordChange" => Grant::PasswordChange,
        other => {
            return Err(f.error(format!(
                "`{other}` is not a built-in grant control; expected block, mfa, compliantDevice, domainJoinedDevice, approvedApplication, compliantApplication or passwordChange"
            )));
        }
    })
}

fn session(s: &Field, p: &mut Policy, ignored: &mut Ignored) -> Result<()> {
    s.object()?;
    let known = [
        "signInFrequency",
        "persistentBrowser",
        "applicationEnforcedRestrictions",
        "cloudAppSecurity",
        "continuousAccessEvaluation",
        "disableResilienceDefaults",
        "secureSignInSession",
    ];
    report_unknown(s, &known, "sessionControls.", &p.name, ignored);
    if let Some(f) = s.get("signInFrequency") {
        let setting = sign_in_frequency(&f)?;
        p.sif = setting.to_sif();
        p.session.sign_in_frequency = Some(setting);
    }
    if let Some(b) = s.get("persistentBrowser")
        && enabled(&b)?
    {
        let mode = b.get("mode").ok_or_else(|| b.error("persistent browser needs a `mode`"))?;
        p.persistent_browser = Some(match mode.str()? {
            "always" => PersistentBrowser::Always,
            "never" => PersistentBrowser::Never,
            other => {
                return Err(mode.error(format!("`{other}` is not a persistent browser mode; expected always or never")));
            }
        });
        p.session.persistent_browser = p.persistent_browser;
    }
    other_session_controls(s, p)
}

fn other_session_controls(s: &Field, p: &mut Policy) -> Result<()> {
    if let Some(a) = s.get("applicationEnforcedRestrictions") {
        p.session.app_enforced_restrictions = enabled(&a)?;
    }
    if let Some(c) = s.get("cloudAppSecurity")
        && enabled(&c)?
    {
        let kind = c.get("cloudAppSecurityType").map(|t| t.str().map(str::to_string)).transpose()?;
        p.session.cloud_app_security = Some(kind.unwrap_or_else(|| "mcasConfigured".into()));
    }
    if let Some(c) = s.get("continuousAccessEvaluation") {
        p.session.continuous_access_evaluation = c.get("mode").map(|m| m.str().map(str::to_string)).transpose()?;
    }
    if let Some(d) = s.get("disableResilienceDefaults") {
        p.session.disable_resilience_defaults = d.bool()?;
    }
    if let Some(x) = s.get("secureSignInSession") {
        p.session.secure_sign_in_session = enabled(&x)?;
    }
    Ok(())
}

/// `isEnabled`, true when missing (older exports leave it out).
fn enabled(f: &Field) -> Result<bool> {
    f.object()?;
    f.get("isEnabled").map(|e| e.bool()).transpose().map(|b| b.unwrap_or(true))
}

/// Graph `signInFrequencySessionControl`. Values outside the portal's range
/// are kept (lint reports them); values no policy can hold are errors.
fn sign_in_frequency(f: &Field) -> Result<SifSetting> {
    let is_enabled = enabled(f)?;
    let every_time = match f.get("frequencyInterval").map(|i| i.str().map(str::to_string)).transpose()?.as_deref() {
        None | Some("timeBased") => false,
        Some("everyTime") => true,
        Some(other) => {
            let at = f.get("frequencyInterval").unwrap_or_else(|| f.clone());
            return Err(at.error(format!("`{other}` is not a frequency interval; expected timeBased or everyTime")));
        }
    };
    let secondary_only = match f.get("authenticationType").map(|t| t.str().map(str::to_string)).transpose()?.as_deref()
    {
        None | Some("primaryAndSecondaryAuthentication") => false,
        Some("secondaryAuthentication") => true,
        Some(other) => {
            let at = f.get("authenticationType").unwrap_or_else(|| f.clone());
            return Err(at.error(format!(
                "`{other}` is not an authentication type; expected primaryAndSecondaryAuthentication or secondaryAuthentication"
            )));
        }
    };
    let unit = match f.get("type") {
        None => None,
        Some(t) => Some(match t.str()? {
            "hours" => SifUnit::Hours,
            "days" => SifUnit::Days,
            other => return Err(t.error(format!("`{other}` is not a sign-in frequency unit; expected hours or days"))),
        }),
    };
    let value = f.get("value").map(|v| v.int()).transpose()?;
    if let (Some(v), Some(field)) = (value, f.get("value"))
        && v <= 0
    {
        return Err(field.error(format!("sign-in frequency {v} is not a length of time; expected a positive number")));
    }
    if is_enabled && !every_time && (unit.is_none() || value.is_none()) {
        return Err(f.error("a time-based sign-in frequency needs `type` (hours or days) and `value`"));
    }
    Ok(SifSetting { enabled: is_enabled, every_time, value, unit, secondary_only })
}

/// Graph `ipNamedLocation` or `countryNamedLocation`.
pub fn named_location(f: &Field) -> Result<NamedLocation> {
    f.object()?;
    let id_field = f.get("id").ok_or_else(|| f.error("a named location needs its `id` (policies refer to it)"))?;
    let id = id_field.str()?.to_lowercase();
    let name = f.get("displayName").map(|n| n.str().map(str::to_string)).transpose()?.unwrap_or_else(|| id.clone());
    let trusted = f.get("isTrusted").map(|t| t.bool()).transpose()?.unwrap_or(false);
    let kind = if let Some(ranges) = f.get("ipRanges") {
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
