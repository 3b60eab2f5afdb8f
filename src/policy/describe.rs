//! Policies in words, for `casim policies show` and What If.

use std::fmt::Write as _;

use super::grants::Grant;
use super::locations::{LocationKind, LocationRef, MFA_TRUSTED_IPS, NamedLocation};
use super::model::*;
use super::roles;
use crate::domain::{App, Platform, User};
use crate::time;

/// What ids are called: the scenario's users, apps and named locations.
#[derive(Clone, Copy)]
pub struct Names<'a> {
    pub users: &'a [User],
    pub apps: &'a [App],
    pub locations: &'a [NamedLocation],
}

/// A policy as a block of lines: a heading, then one line per part.
pub fn describe(p: &Policy, names: Names) -> String {
    let mut out = format!("{} ({})", p.name, p.state.words());
    let mut line = |label: &str, text: String| {
        let _ = write!(out, "\n  {label:<11}{text}");
    };
    if let Some(origin) = &p.origin {
        line("from", origin.clone());
    }
    if let Some(t) = &p.template_id {
        line("template", t.clone());
    }
    line("users", users(&p.users, names));
    line("resources", resources(&p.apps, names));
    for c in conditions(p, names) {
        line("condition", c);
    }
    line("grant", p.grant.as_ref().map(grant).unwrap_or_else(|| "none".into()));
    line("session", session(p));
    for n in &p.not_simulated {
        line("kept", format!("{n} (not simulated)"));
    }
    for u in unknown_ids(p) {
        line("unknown", u);
    }
    for i in &p.ignored {
        line("ignored", i.clone());
    }
    out
}

pub fn users(u: &UserCondition, names: Names) -> String {
    let one = |r: &UserRef| match r {
        UserRef::All => "all users".to_string(),
        UserRef::User(i) => names.users.get(*i).map(|u| u.id.clone()).unwrap_or_else(|| format!("user #{i}")),
        UserRef::Group(g) => format!("group {g}"),
        UserRef::Role(r) => format!("role {}", roles::display(r)),
        UserRef::Guests => "guests and external users".to_string(),
    };
    let mut include: Vec<String> = u.include.iter().map(one).collect();
    include.extend(u.include_guests.as_ref().map(guests));
    include.extend(u.unknown_include.iter().map(|id| format!("user {id}")));
    let mut exclude: Vec<String> = u.exclude.iter().map(one).collect();
    exclude.extend(u.exclude_guests.as_ref().map(guests));
    exclude.extend(u.unknown_exclude.iter().map(|id| format!("user {id}")));
    include_exclude(include, exclude, "nobody")
}

fn guests(g: &GuestCondition) -> String {
    let kinds: Vec<&str> = g.kinds.iter().map(|k| k.graph_name()).collect();
    let tenants = match &g.tenants {
        None => String::new(),
        Some(t) => format!(" from tenants {}", t.join(", ")),
    };
    format!("guests of kinds {}{tenants}", kinds.join(", "))
}

fn include_exclude(include: Vec<String>, exclude: Vec<String>, empty: &str) -> String {
    let mut text = if include.is_empty() { empty.to_string() } else { include.join(", ") };
    if !exclude.is_empty() {
        let _ = write!(text, " except {}", exclude.join(", "));
    }
    text
}

pub fn resources(a: &AppCondition, names: Names) -> String {
    let app = |i: &usize| names.apps.get(*i).map(|a| a.key.clone()).unwrap_or_else(|| format!("app #{i}"));
    let mut include: Vec<String> = Vec::new();
    if a.all {
        include.push("all resources".into());
    }
    include.extend(a.include.iter().map(app));
    include.extend(a.include_groups.iter().map(|g| g.words().to_string()));
    include.extend(a.unknown_include.iter().map(|id| format!("app {id}")));
    include.extend(a.user_actions.iter().map(|u| format!("user action: {}", u.words())));
    include.extend(a.auth_contexts.iter().map(|c| format!("authentication context {c}")));
    if a.gsa_traffic {
        include.push("Global Secure Access traffic profiles (casim simulates no GSA traffic)".into());
    }
    if let Some((FilterMode::Include, rule)) = &a.filter {
        include.push(format!("apps matching `{rule}` (custom security attributes: not enough information)"));
    }
    let mut exclude: Vec<String> = a.exclude.iter().map(app).collect();
    exclude.extend(a.exclude_groups.iter().map(|g| g.words().to_string()));
    if let Some((FilterMode::Exclude, rule)) = &a.filter {
        exclude.push(format!("apps matching `{rule}` (custom security attributes: not enough information)"));
    }
    exclude.extend(a.unknown_exclude.iter().map(|id| format!("app {id}")));
    include_exclude(include, exclude, "none")
}

fn conditions(p: &Policy, names: Names) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(types) = &p.client_apps {
        let mut list: Vec<String> = types
            .iter()
            .map(|t| match t {
                ClientAppType::Browser => "browser".to_string(),
                ClientAppType::MobileAndDesktop => "mobile apps and desktop clients".to_string(),
            })
            .collect();
        list.extend(p.legacy_client_apps.iter().map(|l| format!("{l} (legacy)")));
        out.push(format!("client apps: {}", list.join(", ")));
    }
    if p.platforms.is_some() || !p.exclude_platforms.is_empty() {
        let include = match &p.platforms {
            None => vec!["any platform".to_string()],
            Some(list) => list.iter().map(|x| platform(*x).to_string()).collect(),
        };
        let exclude = p.exclude_platforms.iter().map(|x| platform(*x).to_string()).collect();
        out.push(format!("platforms: {}", include_exclude(include, exclude, "none")));
    }
    if let Some(l) = &p.locations {
        let one = |r: &LocationRef| location(r, names.locations);
        let text = include_exclude(l.include.iter().map(one).collect(), l.exclude.iter().map(one).collect(), "none");
        out.push(format!("locations: {text}"));
    }
    if let Some(f) = &p.device_filter {
        let mode = match f.mode {
            FilterMode::Include => "only devices matching",
            FilterMode::Exclude => "all devices except those matching",
        };
        out.push(format!("device filter: {mode} `{}`", f.text));
    }
    let risks = [
        ("sign-in risk", &p.sign_in_risk),
        ("user risk", &p.user_risk),
        ("service principal risk", &p.service_principal_risk),
        ("agent identity risk", &p.agent_risk),
    ];
    for (label, levels) in risks {
        if let Some(levels) = levels {
            let list: Vec<&str> = levels.iter().map(|l| l.name()).collect();
            out.push(format!("{label}: {}", list.join(", ")));
        }
    }
    if let Some(levels) = &p.insider_risk {
        let list: Vec<&str> = levels.iter().map(|l| l.name()).collect();
        out.push(format!("insider risk: {}", list.join(", ")));
    }
    if let Some(flows) = &p.auth_flows {
        let list: Vec<&str> = flows.iter().map(|f| f.words()).collect();
        out.push(format!("authentication flows: {}", list.join(", ")));
    }
    if let Some(t) = &p.times {
        out.push(format!("times: {}", t.words()));
    }
    if let Some(w) = &p.workloads {
        out.push(format!("workload identities: {}", workloads(w)));
    }
    out
}

fn workloads(w: &crate::policy::conditions::WorkloadCondition) -> String {
    let mut include: Vec<String> = Vec::new();
    if w.all_in_tenant {
        include.push("all service principals in the tenant".into());
    }
    include.extend(w.include.iter().map(|id| format!("service principal {id}")));
    if let Some(rule) = &w.filter {
        include.push(format!("service principals matching `{rule}` (not enough information)"));
    }
    if w.agents.all {
        include.push("all agent identities".into());
    }
    include.extend(w.agents.include.iter().map(|id| format!("agent identity {id}")));
    if let Some(rule) = &w.agents.filter {
        include.push(format!("agent identities matching `{rule}` (not enough information)"));
    }
    let mut exclude: Vec<String> = w.exclude.iter().map(|id| format!("service principal {id}")).collect();
    exclude.extend(w.agents.exclude.iter().map(|id| format!("agent identity {id}")));
    include_exclude(include, exclude, "none")
}

/// Graph's name of a platform.
pub fn platform(p: Platform) -> &'static str {
    match p {
        Platform::Windows => "windows",
        Platform::MacOs => "macOS",
        Platform::Ios => "iOS",
        Platform::Android => "android",
        Platform::Linux => "linux",
    }
}

fn location(r: &LocationRef, named: &[NamedLocation]) -> String {
    match r {
        LocationRef::All => "any location".into(),
        LocationRef::AllTrusted => "all trusted locations".into(),
        LocationRef::Named(id) => match named.iter().find(|l| &l.id == id) {
            Some(l) => format!("{} ({})", l.name, location_kind(l)),
            None if id == MFA_TRUSTED_IPS => "MFA trusted IPs (none defined)".into(),
            None => format!("location {id} (not defined: matches no sign-in)"),
        },
    }
}

fn location_kind(l: &NamedLocation) -> String {
    let trusted = if l.trusted { ", trusted" } else { "" };
    match &l.kind {
        LocationKind::Ip(ranges) => {
            let list: Vec<String> = ranges.iter().map(ToString::to_string).collect();
            format!("{}{trusted}", list.join(" "))
        }
        LocationKind::Countries { codes, include_unknown, .. } => {
            let unknown = if *include_unknown { " + unknown" } else { "" };
            let list = if codes.is_empty() { "none listed".to_string() } else { codes.join(" ") };
            format!("countries {list}{unknown}{trusted}")
        }
        LocationKind::CompliantNetwork => format!("compliant network through Global Secure Access{trusted}"),
    }
}

pub fn grant(g: &Grant) -> String {
    match g {
        Grant::AllOf(list) => format!("require all of: {}", words(list)),
        Grant::AnyOf(list) => format!("require one of: {}", words(list)),
        Grant::Block => "block access".into(),
        other => format!("require {}", other.words()),
    }
}

fn words(list: &[Grant]) -> String {
    list.iter().map(Grant::words).collect::<Vec<_>>().join(", ")
}

/// Session controls in words, `none` when there are none.
pub fn session(p: &Policy) -> String {
    let s = &p.session;
    let mut parts = Vec::new();
    if let Some(f) = &s.sign_in_frequency {
        parts.push(sif_words(f));
    }
    if let Some(b) = s.persistent_browser {
        let mode = if b == PersistentBrowser::Always { "always" } else { "never" };
        let inert =
            if p.effective_persistent_browser().is_none() { " (inert: needs all resources, R-PB-2)" } else { "" };
        parts.push(format!("persistent browser {mode}{inert}"));
    }
    if s.app_enforced_restrictions {
        parts.push("app enforced restrictions (kept, not simulated)".into());
    }
    if let Some(t) = &s.cloud_app_security {
        parts.push(format!("Conditional Access App Control {t} (kept, not simulated)"));
    }
    if let Some(m) = &s.continuous_access_evaluation {
        parts.push(format!("continuous access evaluation {m} (kept, not simulated)"));
    }
    if s.disable_resilience_defaults {
        parts.push("resilience defaults disabled (kept, not simulated)".into());
    }
    if s.secure_sign_in_session {
        parts.push("secure sign-in session (kept, not simulated)".into());
    }
    if parts.is_empty() { "none".into() } else { parts.join("; ") }
}

pub fn sif_words(f: &SifSetting) -> String {
    let state = if f.enabled { "" } else { " (disabled)" };
    let who = if f.secondary_only { ", secondary authentication only" } else { "" };
    if f.every_time {
        return format!("sign-in frequency every time{who}{state}");
    }
    let value = match (f.value, f.unit) {
        (Some(v), Some(SifUnit::Hours)) => plural(v, "hour"),
        (Some(v), Some(SifUnit::Days)) => plural(v, "day"),
        _ => "(no value)".into(),
    };
    format!("sign-in frequency {value}{who}{state}")
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// A SIF value as a duration (`1h`, `7d`) for compact output.
pub fn sif_short(s: Sif) -> String {
    match s {
        Sif::EveryTime => "every time".into(),
        Sif::Periodic(d) => time::duration(d),
    }
}

fn unknown_ids(p: &Policy) -> Vec<String> {
    let mut out = Vec::new();
    let u = &p.users;
    for (label, ids) in [
        ("users included", &u.unknown_include),
        ("users excluded", &u.unknown_exclude),
        ("apps included", &p.apps.unknown_include),
        ("apps excluded", &p.apps.unknown_exclude),
    ] {
        if !ids.is_empty() {
            out.push(format!("{label} by ids this scenario does not know (they match nobody): {}", ids.join(", ")));
        }
    }
    let groups: Vec<&str> = u
        .include
        .iter()
        .chain(&u.exclude)
        .filter_map(|r| match r {
            UserRef::Group(g) if crate::domain::is_guid(g) => Some(g.as_str()),
            _ => None,
        })
        .collect();
    if !groups.is_empty() {
        out.push(format!(
            "groups without a name in `groups:` (only users listing the id are members): {}",
            groups.join(", ")
        ));
    }
    let roles: Vec<&str> = u
        .include
        .iter()
        .chain(&u.exclude)
        .filter_map(|r| match r {
            UserRef::Role(x) if roles::lookup(x).is_none() => Some(x.as_str()),
            _ => None,
        })
        .collect();
    if !roles.is_empty() {
        out.push(format!("roles not in casim's table (matched by the exact text): {}", roles.join(", ")));
    }
    out
}
