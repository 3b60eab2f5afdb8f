//! Persona files: a device set, a weekly schedule and a daily routine whose
//! times are offsets from the start of the working day.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::domain::{App, Client, UserType, is_guid};
use crate::error::{InputError, Pos, did_you_mean};
use crate::scenario::catalogue::built_in_apps;
use crate::scenario::resolve::parse_yaml;
use crate::time::{Seconds, parse_duration, parse_offset};

type S<T> = serde_saphyr::Spanned<T>;

const BUILT_IN: [(&str, &str); 6] = [
    ("office_worker.yaml", include_str!("../../../personas/office_worker.yaml")),
    ("hybrid_worker.yaml", include_str!("../../../personas/hybrid_worker.yaml")),
    ("frontline_worker.yaml", include_str!("../../../personas/frontline_worker.yaml")),
    ("administrator.yaml", include_str!("../../../personas/administrator.yaml")),
    ("mobile_user.yaml", include_str!("../../../personas/mobile_user.yaml")),
    ("guest.yaml", include_str!("../../../personas/guest.yaml")),
];

/// The longest `jitter` and `start_jitter`.
const MAX_JITTER: Seconds = crate::time::DAY;

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
    pub app: Option<String>,
    pub client: Option<String>,
    pub on_prompt: Option<String>,
    /// Random extra delay for this step and the rest of the day.
    pub jitter: Seconds,
    pub on: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct Persona {
    pub name: String,
    pub description: String,
    pub share: Option<f64>,
    /// (device key, device), sorted by key.
    pub devices: Vec<(String, PersonaDevice)>,
    /// The persona's custom apps, sorted by key.
    pub apps: Vec<App>,
    pub user_type: UserType,
    pub roles: Vec<String>,
    pub groups: Vec<String>,
    pub stay_signed_in: bool,
    pub schedule: Schedule,
    pub routine: Vec<RoutineStep>,
}

/// A persona's device as the scenario format spells its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonaDevice {
    pub join: Option<String>,
    pub platform: Option<String>,
    pub sign_in: Option<String>,
    pub browser: Option<String>,
    pub compliant: Option<bool>,
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
    app_id: S<String>,
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

/// The six documented built-in personas (docs/personas.md), loaded once.
pub fn built_in_personas() -> Vec<Persona> {
    static BUILT_INS: OnceLock<Vec<Persona>> = OnceLock::new();
    BUILT_INS
        .get_or_init(|| {
            BUILT_IN
                .iter()
                .flat_map(|(file, text)| {
                    let path = Path::new("personas").join(file);
                    // Compiled in and tested (`the_six_built_in_personas_load`).
                    parse_yaml(&path, text)
                        .and_then(|raw| personas_from_raw(&Ctx { path: &path, text }, vec![raw]))
                        .unwrap_or_else(|e| unreachable!("built-in persona: {}", e.render()))
                })
                .collect()
        })
        .clone()
}

/// A persona file: a YAML list of personas (each may give its `share` of users).
pub fn load_personas(path: &Path) -> Result<Vec<Persona>, InputError> {
    let text = crate::error::read_input(path)?;
    personas_from_str(path, &text)
}

/// Parses and validates a persona file's text (`path` only names it in
/// errors). A persona is accepted only when the scenario reader accepts what
/// it generates, so that `generate` and `population:` never meet a refusal
/// later, with no position to show.
pub fn personas_from_str(path: &Path, text: &str) -> Result<Vec<Persona>, InputError> {
    let raw: Vec<RawPersona> = parse_yaml(path, text)?;
    if raw.is_empty() {
        return Err(InputError::new(path, None, "the persona file lists no personas"));
    }
    personas_from_raw(&Ctx { path, text }, raw)
}

fn personas_from_raw(ctx: &Ctx, raw: Vec<RawPersona>) -> Result<Vec<Persona>, InputError> {
    let ctx = *ctx;
    let mut personas: Vec<Persona> = Vec::new();
    for p in raw {
        if personas.iter().any(|x| x.name == p.name.value) {
            return Err(
                ctx.error(&p.name, format!("persona `{}` is defined twice; names must be unique", p.name.value))
            );
        }
        let persona = resolve(&ctx, &p)?;
        validate_with_scenario_rules(&ctx, &p, &persona)?;
        personas.push(persona);
    }
    Ok(personas)
}

/// Runs the persona through the scenario reader, as a template scenario: its
/// user, devices and apps with no step, then with each routine step alone,
/// so that a refusal points at the persona or at the step it comes from.
fn validate_with_scenario_rules(ctx: &Ctx, raw: &RawPersona, persona: &Persona) -> Result<(), InputError> {
    let check = |steps: &[&RoutineStep]| -> Result<(), InputError> {
        let doc = super::doc::template(persona, &persona.name, steps, 0, crate::time::DEFAULT_START);
        let text = doc.to_yaml().map_err(|e| InputError::new(ctx.path, None, e))?;
        crate::scenario::from_str(Path::new(&persona.name), &text).map(|_| ())
    };
    let refused =
        |e: InputError| format!("persona `{}`: the scenario reader refuses this: {}", persona.name, e.message);
    check(&[]).map_err(|e| {
        let help = e.help.clone();
        ctx.error(&raw.name, refused(e)).with_help(help)
    })?;
    for (step, raw_step) in persona.routine.iter().zip(&raw.routine) {
        check(&[step]).map_err(|e| {
            let help = e.help.clone();
            ctx.error(raw_step, refused(e)).with_help(help)
        })?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
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

    /// A time of the routine: an offset from the start of the working day, so
    /// an instant, a weekday or a date (which scenario steps take) has no meaning here.
    fn offset(&self, value: &S<String>) -> Result<Seconds, InputError> {
        parse_offset(&value.value).map_err(|e| self.error(value, e))
    }

    /// A random delay: at most a day, so that a user's days keep their order
    /// and generated times stay far from the end of the calendar.
    fn jitter(&self, value: Option<&S<String>>) -> Result<Seconds, InputError> {
        let Some(value) = value else { return Ok(0) };
        let d = self.duration(value)?;
        if d > MAX_JITTER {
            return Err(self.error(value, format!("jitter `{}` is longer than the limit of 1d", value.value)));
        }
        Ok(d)
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

fn resolve(ctx: &Ctx, raw: &RawPersona) -> Result<Persona, InputError> {
    let devices = raw
        .devices
        .value
        .iter()
        .map(|(key, d)| Ok((key.clone(), device(ctx, key, d)?)))
        .collect::<Result<Vec<_>, InputError>>()?;
    if devices.is_empty() {
        return Err(ctx.error(&raw.devices, "a persona needs at least one device"));
    }
    let built_ins = built_in_apps();
    let mut apps: Vec<App> = Vec::new();
    for (key, a) in &raw.apps {
        if built_ins.iter().any(|b| &b.key == key) {
            return Err(ctx.error(a, format!("app `{key}` is a built-in app; give the custom app another key")));
        }
        let id = &a.value.app_id;
        if !is_guid(&id.value) {
            return Err(ctx.error(
                id,
                format!("`{}` is not a GUID; expected e.g. 00000000-0000-0000-0000-000000000000", id.value),
            ));
        }
        let app_id = id.value.to_lowercase();
        if let Some(other) = built_ins.iter().chain(&apps).find(|x| x.app_id == app_id) {
            return Err(ctx.error(id, format!("app id {app_id} is already used by `{}`", other.key)));
        }
        apps.push(App {
            key: key.clone(),
            name: a.value.name.clone(),
            app_id,
            fresh_token_each_use: a.value.fresh_token_each_use.unwrap_or(false),
            cae: false,
            approved_client_app: false,
            app_protection: false,
            lifetimes: crate::domain::TokenLifetimes::default(),
            downstream: Vec::new(),
        });
    }
    let mut app_keys: Vec<&str> = built_ins.iter().map(|a| a.key.as_str()).collect();
    app_keys.extend(raw.apps.keys().map(String::as_str));
    let schedule = &raw.schedule;
    let share = raw.share.as_ref().map(|s| ctx.share(Some(s))).transpose()?;
    let device_keys: Vec<&str> = devices.iter().map(|(k, _)| k.as_str()).collect();
    let routine =
        raw.routine.iter().map(|s| routine_step(ctx, &s.value, &device_keys, &app_keys)).collect::<Result<_, _>>()?;
    let user = raw.user.as_ref();
    let user_type = match user.and_then(|u| u.user_type.as_ref()) {
        Some(t) if ctx.one_of(t, "user type", &["member", "guest"])? == "guest" => UserType::Guest,
        _ => UserType::Member,
    };
    Ok(Persona {
        apps,
        user_type,
        roles: user.map(|u| u.roles.clone()).unwrap_or_default(),
        groups: user.map(|u| u.groups.clone()).unwrap_or_default(),
        stay_signed_in: user.and_then(|u| u.stay_signed_in).unwrap_or(false),
        name: raw.name.value.clone(),
        description: raw.description.clone().unwrap_or_default(),
        share,
        devices,
        schedule: Schedule {
            days: ctx.weekdays(&schedule.days)?,
            start: ctx.offset(&schedule.start)?,
            start_jitter: ctx.jitter(schedule.start_jitter.as_ref())?,
            day_off_share: ctx.share(schedule.day_off_share.as_ref())?,
            sick_share: ctx.share(schedule.sick_share.as_ref())?,
        },
        routine,
    })
}

fn device(ctx: &Ctx, key: &str, d: &S<RawDevice>) -> Result<PersonaDevice, InputError> {
    let pick = |value: &Option<S<String>>, what: &str, allowed: &[&str]| {
        value.as_ref().map(|v| ctx.one_of(v, what, allowed)).transpose()
    };
    let raw = &d.value;
    let device = PersonaDevice {
        join: pick(&raw.join, "join", &["entra_joined", "hybrid_joined", "registered", "unregistered"])?,
        platform: pick(&raw.platform, "platform", &["windows", "macOS", "iOS", "android", "linux"])?,
        sign_in: pick(&raw.sign_in, "sign_in", &["password", "windows_hello"])?,
        browser: pick(&raw.browser, "browser", &["edge", "chrome_sso", "chrome", "firefox", "safari"])?,
        compliant: raw.compliant,
    };
    if device.compliant == Some(true) && device.join.as_deref().unwrap_or("unregistered") == "unregistered" {
        return Err(ctx.error(
            d,
            format!("device `{key}` is unregistered and so cannot be compliant; compliance needs `join: registered`, `entra_joined` or `hybrid_joined`"),
        ));
    }
    Ok(device)
}

fn routine_step(ctx: &Ctx, s: &RawStep, devices: &[&str], apps: &[&str]) -> Result<RoutineStep, InputError> {
    let action = ctx.one_of(&s.action, "routine action", &ROUTINE_ACTIONS)?;
    let device = s.device.as_ref().map(|d| ctx.one_of(d, "device", devices)).transpose()?;
    if device.is_none() {
        return Err(ctx.error(&s.action, format!("`{action}` needs `device` (one of the persona's devices)")));
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
        app: s.app.as_ref().map(|a| ctx.one_of(a, "app", apps)).transpose()?,
        client: s.client.as_ref().map(|c| ctx.one_of(c, "client", &Client::NAMES)).transpose()?,
        on_prompt: s
            .on_prompt
            .as_ref()
            .map(|o| ctx.one_of(o, "on_prompt", &["answer", "fail", "abandon"]))
            .transpose()?,
        jitter: ctx.jitter(s.jitter.as_ref())?,
        on: s.on.as_ref().map(|days| ctx.weekdays(days)).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in personas are plain YAML, read quickly as serde-saphyr reads them.
    #[test]
    fn built_in_personas_are_read_quickly() {
        for (file, text) in BUILT_IN {
            assert!(crate::scenario::plain_yaml::tests::agrees::<RawPersona>(file, text), "{file}");
        }
    }

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
