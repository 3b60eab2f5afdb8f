//! Generated scenarios as documents serialized by serde-saphyr: persona and
//! app names are data, quoted as YAML needs, never pasted into YAML text.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_saphyr::{FlowMap, FlowSeq};

use super::persona::{Persona, RoutineStep};
use crate::domain::UserType;
use crate::time::{self, Instant};

/// A YAML map in insertion order (users in generation order, as before).
pub(crate) struct Entries<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Entries<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<V> Entries<V> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(serde::Serialize)]
pub(crate) struct ScenarioDoc {
    pub name: String,
    pub seed: u64,
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<&'static str>,
    pub users: Entries<FlowMap<UserDoc>>,
    pub devices: Entries<FlowMap<DeviceDoc>>,
    #[serde(skip_serializing_if = "Entries::is_empty")]
    pub apps: Entries<FlowMap<AppDoc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<FlowSeq<Vec<()>>>,
    pub timeline: FlowSeqIfEmpty<StepDoc>,
}

/// A list written one flow map per line, or `[]` when empty.
pub(crate) struct FlowSeqIfEmpty<T>(pub Vec<FlowMap<T>>);

impl<T: Serialize> Serialize for FlowSeqIfEmpty<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() { FlowSeq(Vec::<()>::new()).serialize(serializer) } else { self.0.serialize(serializer) }
    }
}

#[derive(serde::Serialize)]
pub(crate) struct UserDoc {
    persona: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    user_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stay_signed_in: Option<bool>,
    #[serde(skip_serializing_if = "no_items")]
    roles: FlowSeq<Vec<String>>,
    #[serde(skip_serializing_if = "no_items")]
    groups: FlowSeq<Vec<String>>,
}

#[derive(serde::Serialize)]
pub(crate) struct DeviceDoc {
    owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    join: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sign_in: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    browser: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compliant: Option<bool>,
}

#[derive(serde::Serialize)]
pub(crate) struct AppDoc {
    name: String,
    app_id: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    fresh_token_each_use: bool,
}

#[derive(serde::Serialize)]
pub(crate) struct StepDoc {
    at: String,
    #[serde(rename = "do")]
    action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
}

fn no_items<T>(list: &FlowSeq<Vec<T>>) -> bool {
    list.0.is_empty()
}

impl ScenarioDoc {
    pub(super) fn new(name: String, seed: u64, start: Instant) -> ScenarioDoc {
        ScenarioDoc {
            name,
            seed,
            start: time::rfc3339(start),
            timezone: None,
            users: Entries(Vec::new()),
            devices: Entries(Vec::new()),
            apps: Entries(Vec::new()),
            policies: None,
            timeline: FlowSeqIfEmpty(Vec::new()),
        }
    }

    /// Adds `user`, following `persona`, with the persona's devices and apps.
    pub(super) fn add_user(&mut self, persona: &Persona, user: &str) {
        let user_doc = UserDoc {
            persona: persona.name.clone(),
            user_type: (persona.user_type == UserType::Guest).then_some("guest"),
            stay_signed_in: persona.stay_signed_in.then_some(true),
            roles: FlowSeq(persona.roles.clone()),
            groups: FlowSeq(persona.groups.clone()),
        };
        self.users.0.push((user.to_string(), FlowMap(user_doc)));
        for (key, d) in &persona.devices {
            let device = DeviceDoc {
                owner: user.to_string(),
                join: d.join.clone(),
                platform: d.platform.clone(),
                sign_in: d.sign_in.clone(),
                browser: d.browser.clone(),
                compliant: d.compliant,
            };
            self.devices.0.push((format!("{user}-{key}"), FlowMap(device)));
        }
        for app in &persona.apps {
            if !self.apps.0.iter().any(|(k, _)| k == &app.key) {
                let doc = AppDoc {
                    name: app.name.clone(),
                    app_id: app.app_id.clone(),
                    fresh_token_each_use: app.fresh_token_each_use,
                };
                self.apps.0.push((app.key.clone(), FlowMap(doc)));
            }
        }
    }

    /// A routine step of `user` happening at `at` (and ending at `until`).
    pub(super) fn add_step(&mut self, step: &RoutineStep, user: &str, at: Instant, until: Option<Instant>) {
        self.timeline.0.push(FlowMap(StepDoc {
            at: time::rfc3339(at),
            action: step.action.clone(),
            device: step.device.as_ref().map(|d| format!("{user}-{d}")),
            app: step.app.clone(),
            client: step.client.clone(),
            on_prompt: step.on_prompt.clone(),
            until: until.map(time::rfc3339),
        }));
    }

    pub(super) fn to_yaml(&self) -> Result<String, String> {
        serde_saphyr::to_string(self).map_err(|e| format!("cannot write the scenario as YAML: {e}"))
    }
}

/// A persona's template: one user named `user`, its devices and apps, and
/// `steps` happening from `start`.
pub(crate) fn template(
    persona: &Persona,
    user: &str,
    steps: &[&RoutineStep],
    seed: u64,
    start: Instant,
) -> ScenarioDoc {
    let mut doc = ScenarioDoc::new(user.to_string(), seed, start);
    doc.add_user(persona, user);
    for step in steps {
        doc.add_step(step, user, start + step.at, step.until.map(|u| start + u));
    }
    doc
}
