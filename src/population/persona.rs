//! Persona files: a device set, a weekly schedule and a daily routine whose
//! times are offsets from the start of the working day.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{InputError, Pos, did_you_mean};
use crate::scenario::catalogue::built_in_apps;
use crate::scenario::model::{App, Client, UserType};
use crate::scenario::resolve::parse_yaml;
use crate::time::{Seconds, parse_duration, parse_time};

type S<T> = serde_saphyr::Spanned<T>;

const BUILT_IN: [(&str, &str); 6] = [
    ("office_worker.yaml", include_str!("../../personas/office_worker.yaml")),
    ("hybrid_worker.yaml", include_str!("../../personas/hybrid_worker.yaml")),
    ("frontline_worker.yaml", include_str!("../../personas/frontline_worker.yaml")),
    ("administrator.yaml", include_str!("../../personas/administrator.yaml")),
    ("mobile_user.yaml", include_str!("../../personas/mobile_user.yaml")),
    ("guest.yaml", include_str!("../../personas/guest.yaml")),
];

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// Routine steps act for the persona's user on one of its devices.
const ROUTINE_ACTIONS: [&str; 8] =
    ["sign_in_device", "lock", "unlock", "sign_out_device", "use", "background", "close_browser", "open_browser"];

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// 0 = Monday … 6 = Sunday.
    pub days: Vec<u8>,
    pub start: Seconds,
    pub start_jitter: Seconds,
    pub day_off_share: f64,
    pub sick_share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutineStep {
    pub at: Seconds,
    pub until: Option<Seconds>,
    pub action: String,
    pub device: Option<String>,
    /// Other fields, written as they are (app, client, on_prompt).
    pub fields: Vec<(&'static str, String)>,
    /// Random extra delay for this step and the rest of the day.
    pub jitter: Seconds,
    pub on: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct Persona {
    pub name: String,
    pub description: String,
    pub share: Option<f64>,
    /// The user's attributes as a YAML flow map.
    pub user_line: String,
    /// (device key, attributes as YAML flow-map entries).
    pub devices: Vec<(String, String)>,
    /// (app key, the `apps:` entry line).
    pub app_lines: Vec<(String, String)>,
    /// The persona's custom apps, sorted by key.
    pub apps: Vec<App>,
    pub user_type: UserType,
    pub roles: Vec<String>,
    pub groups: Vec<String>,
    pub stay_signed_in: bool,
    pub schedule: Schedule,
    pub routine: Vec<RoutineStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersona {
    name: S<String>,
    description: Option<String>,
    share: Option<S<f64>>,
    user: Option<RawUser>,
    devices: S<BTreeMap<String, S<RawDevice>>>,
    #[serde(default)]
    apps: BTreeMap<String, S<RawApp>>,
    schedule: RawSchedule,
    routine: Vec<S<RawStep>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    stay_signed_in: Option<bool>,
    #[serde(rename = "type")]
    user_type: Option<S<String>>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDevice {
    join: Option<S<String>>,
    platform: Option<S<String>>,
    sign_in: Option<S<String>>,
    browser: Option<S<String>>,
    compliant: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApp {
    name: String,
    app_id: String,
    fresh_token_each_use: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    days: Vec<S<String>>,
    start: S<String>,
    start_jitter: Option<S<String>>,
    day_off_share: Option<S<f64>>,
    sick_share: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    at: S<String>,
    #[serde(rename = "do")]
    action: S<String>,
    device: Option<S<String>>,
    app: Option<S<String>>,
    client: Option<S<String>>,
    until: Option<S<String>>,
    on_prompt: Option<S<String>>,
    jitter: Option<S<String>>,
    on: Option<Vec<S<String>>>,
}

/// The six documented built-in personas (docs/personas.md).
pub fn built_in_personas() -> Vec<Persona> {
    BUILT_IN
        .iter()
        .map(|(file, text)| {
            let path = Path::new("personas").join(file);
            let raw: RawPersona =
                parse_yaml(&path, text).unwrap_or_else(|e| panic!("built-in persona: {}", e.render()));
            resolve(&Ctx { path: &path, text }, raw).unwrap_or_else(|e| panic!("built-in persona: {}", e.render()))
        })
        .collect()
}

/// A persona file: a YAML list of personas (each may give its `share` of users).
pub fn load_personas(path: &Path) -> Result<Vec<Persona>, InputError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| InputError::new(path, None, format!("cannot read the file: {e}")))?;
    let raw: Vec<RawPersona> = parse_yaml(path, &text)?;
    if raw.is_empty() {
        return Err(InputError::new(path, None, "the persona file lists no personas"));
    }
    let ctx = Ctx { path, text: &text };
    raw.into_iter().map(|p| resolve(&ctx, p)).collect()
}

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn error<T>(&self, at: &S<T>, message: impl Into<String>) -> InputError {
        InputError::new(self.path, Pos::from_location(&at.referenced), message).with_source(self.text)
    }

    fn one_of(&self, value: &S<String>, what: &str, allowed: &[&str]) -> Result<String, InputError> {
        if allowed.contains(&value.value.as_str()) {
            return Ok(value.value.clone());
        }
        Err(self
            .error(value, format!("unknown {what} `{}`; expected one of {}", value.value, allowed.join(", ")))
            .with_help(did_you_mean(&value.value, allowed.iter().copied())))
    }

    fn duration(&self, value: &S<String>) -> Result<Seconds, InputError> {
        parse_duration(&value.value).map_err(|e| self.error(value, e))
    }

    fn offset(&self, value: &S<String>) -> Result<Seconds, InputError> {
        parse_time(&value.value, 0).map_err(|e| self.error(value, e))
    }

    fn share(&self, value: Option<&S<f64>>) -> Result<f64, InputError> {
        match value {
            None => Ok(0.0),
            Some(v) if (0.0..=1.0).contains(&v.value) => Ok(v.value),
            Some(v) => Err(self.error(v, format!("`{}` is not a share; expected a number from 0 to 1", v.value))),
        }
    }

    fn weekdays(&self, list: &[S<String>]) -> Result<Vec<u8>, InputError> {
        list.iter().map(|d| self.one_of(d, "day", &WEEKDAYS).map(|name| weekday_index(&name))).collect()
    }
}

fn weekday_index(name: &str) -> u8 {
    WEEKDAYS.iter().position(|d| *d == name).unwrap_or(0) as u8
}

fn resolve(ctx: &Ctx, raw: RawPersona) -> Result<Persona, InputError> {
    let devices = raw
        .devices
        .value
        .iter()
        .map(|(key, d)| Ok((key.clone(), device_attributes(ctx, &d.value)?)))
        .collect::<Result<Vec<_>, InputError>>()?;
    if devices.is_empty() {
        return Err(ctx.error(&raw.devices, "a persona needs at least one device"));
    }
    let mut app_keys: Vec<String> = built_in_apps().into_iter().map(|a| a.key).collect();
    app_keys.extend(raw.apps.keys().cloned());
    let app_lines = raw
        .apps
        .iter()
        .map(|(key, a)| {
            let fresh =
                a.value.fresh_token_each_use.map(|f| format!(", fresh_token_each_use: {f}")).unwrap_or_default();
            (key.clone(), format!("  {key}: {{ name: \"{}\", app_id: {}{fresh} }}", a.value.name, a.value.app_id))
        })
        .collect();
    let schedule = raw.schedule;
    let share = raw.share.as_ref().map(|s| ctx.share(Some(s))).transpose()?;
    let device_keys: Vec<&str> = devices.iter().map(|(k, _)| k.as_str()).collect();
    let app_refs: Vec<&str> = app_keys.iter().map(String::as_str).collect();
    let routine =
        raw.routine.iter().map(|s| routine_step(ctx, &s.value, &device_keys, &app_refs)).collect::<Result<_, _>>()?;
    let apps = raw
        .apps
        .iter()
        .map(|(key, a)| App {
            key: key.clone(),
            name: a.value.name.clone(),
            app_id: a.value.app_id.to_lowercase(),
            fresh_token_each_use: a.value.fresh_token_each_use.unwrap_or(false),
            cae: false,
            approved_client_app: false,
            app_protection: false,
        })
        .collect();
    let user = raw.user.as_ref();
    Ok(Persona {
        apps,
        user_type: if user.and_then(|u| u.user_type.as_ref()).is_some_and(|t| t.value == "guest") {
            UserType::Guest
        } else {
            UserType::Member
        },
        roles: user.map(|u| u.roles.clone()).unwrap_or_default(),
        groups: user.map(|u| u.groups.clone()).unwrap_or_default(),
        stay_signed_in: user.and_then(|u| u.stay_signed_in).unwrap_or(false),
        name: raw.name.value.clone(),
        description: raw.description.unwrap_or_default(),
        share,
        user_line: user_line(ctx, raw.user.as_ref())?,
        devices,
        app_lines,
        schedule: Schedule {
            days: ctx.weekdays(&schedule.days)?,
            start: ctx.offset(&schedule.start)?,
            start_jitter: schedule.start_jitter.as_ref().map(|j| ctx.duration(j)).transpose()?.unwrap_or(0),
            day_off_share: ctx.share(schedule.day_off_share.as_ref())?,
            sick_share: ctx.share(schedule.sick_share.as_ref())?,
        },
        routine,
    })
}

fn user_line(ctx: &Ctx, user: Option<&RawUser>) -> Result<String, InputError> {
    let Some(u) = user else { return Ok("{}".to_string()) };
    let mut parts = Vec::new();
    if let Some(t) = &u.user_type {
        parts.push(format!("type: {}", ctx.one_of(t, "user type", &["member", "guest"])?));
    }
    if let Some(k) = u.stay_signed_in {
        parts.push(format!("stay_signed_in: {k}"));
    }
    if !u.roles.is_empty() {
        parts.push(format!("roles: [{}]", u.roles.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ")));
    }
    if !u.groups.is_empty() {
        parts.push(format!("groups: [{}]", u.groups.iter().map(|g| format!("\"{g}\"")).collect::<Vec<_>>().join(", ")));
    }
    Ok(format!("{{ {} }}", parts.join(", ")))
}

fn device_attributes(ctx: &Ctx, d: &RawDevice) -> Result<String, InputError> {
    let mut parts = Vec::new();
    type Field<'a> = (&'a str, &'a Option<S<String>>, &'a [&'a str]);
    let fields: [Field; 4] = [
        ("join", &d.join, &["entra_joined", "hybrid_joined", "registered", "unregistered"]),
        ("platform", &d.platform, &["windows", "macOS", "iOS", "android", "linux"]),
        ("sign_in", &d.sign_in, &["password", "windows_hello"]),
        ("browser", &d.browser, &["edge", "chrome_sso", "chrome", "firefox", "safari"]),
    ];
    for (key, value, allowed) in fields {
        if let Some(v) = value {
            parts.push(format!("{key}: {}", ctx.one_of(v, key, allowed)?));
        }
    }
    if let Some(c) = d.compliant {
        parts.push(format!("compliant: {c}"));
    }
    Ok(parts.join(", "))
}

fn routine_step(ctx: &Ctx, s: &RawStep, devices: &[&str], apps: &[&str]) -> Result<RoutineStep, InputError> {
    let action = ctx.one_of(&s.action, "routine action", &ROUTINE_ACTIONS)?;
    let device = s.device.as_ref().map(|d| ctx.one_of(d, "device", devices)).transpose()?;
    if device.is_none() {
        return Err(ctx.error(&s.action, format!("`{action}` needs `device` (one of the persona's devices)")));
    }
    let mut fields = Vec::new();
    if let Some(app) = &s.app {
        fields.push(("app", ctx.one_of(app, "app", apps)?));
    }
    if let Some(client) = &s.client {
        fields.push(("client", ctx.one_of(client, "client", &Client::NAMES)?));
    }
    if let Some(on_prompt) = &s.on_prompt {
        fields.push(("on_prompt", ctx.one_of(on_prompt, "on_prompt", &["answer", "fail", "abandon"])?));
    }
    let at = ctx.offset(&s.at)?;
    let until = s.until.as_ref().map(|u| ctx.offset(u)).transpose()?;
    if let (Some(u), Some(text)) = (until, &s.until)
        && u <= at
    {
        return Err(ctx.error(text, format!("`until` ({}) must be after `at` ({})", text.value, s.at.value)));
    }
    Ok(RoutineStep {
        at,
        until,
        action,
        device,
        fields,
        jitter: s.jitter.as_ref().map(|j| ctx.duration(j)).transpose()?.unwrap_or(0),
        on: s.on.as_ref().map(|days| ctx.weekdays(days)).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_built_in_personas_load() {
        let names: Vec<String> = built_in_personas().into_iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            ["office_worker", "hybrid_worker", "frontline_worker", "administrator", "mobile_user", "guest"]
        );
    }

    #[test]
    fn persona_errors_point_at_the_value() {
        let dir = std::env::temp_dir().join(format!("casim-persona-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.yaml");
        std::fs::write(
            &path,
            "- name: p\n  devices: { pc: {} }\n  schedule: { days: [mon], start: \"09:00\" }\n  routine:\n    - { at: \"00:00\", do: use, device: pc, app: sharepont }\n",
        )
        .unwrap();
        let err = load_personas(&path).unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 5, column: 48 }));
        assert_eq!(err.help.as_deref(), Some("did you mean `sharepoint`?"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
