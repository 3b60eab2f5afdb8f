//! The tenant as the logs show it: its users and apps, listed while the
//! records stream past (a line each, never the records), and the template
//! every user's scenario is built from, with the policies of a set resolved
//! once against all users and apps.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::read::LogRecord;
use crate::domain::{App, AppIdx, UserIdx, UserType};
use crate::error::InputError;
use crate::policy::UserRef;
use crate::scenario::{self, Scenario};
use crate::time::{DAY, Instant};

/// A user as their earliest record names them.
#[derive(Debug, Clone)]
struct Seen {
    at: Instant,
    object_id: Option<String>,
    guest: bool,
}

/// Users and apps of the records read so far.
#[derive(Debug, Default)]
pub struct Directory {
    users: BTreeMap<String, Seen>,
    /// Each app's key (`app_key`) and display name (the least, when records disagree).
    apps: BTreeMap<String, (String, String)>,
    first: Option<Instant>,
}

/// The key replay knows an app by: its id, or without one its name.
pub fn app_key(r: &LogRecord) -> String {
    if r.app_id.is_empty() { r.app_name.to_ascii_lowercase() } else { r.app_id.clone() }
}

impl Directory {
    /// A record's instant: the logs' first day is the timeline's start,
    /// whichever shard the record's user is in.
    pub fn note_time(&mut self, at: Instant) {
        self.first = Some(self.first.map_or(at, |t| t.min(at)));
    }

    /// A record of a user being replayed.
    pub fn note(&mut self, r: &LogRecord) {
        self.note_time(r.at);
        let seen = Seen { at: r.at, object_id: r.user_id.clone(), guest: r.guest };
        match self.users.get_mut(&r.user) {
            Some(s) if s.at <= r.at => {}
            Some(s) => *s = seen,
            None => {
                self.users.insert(r.user.clone(), seen);
            }
        }
        let name = if r.app_name.is_empty() { &r.app_id } else { &r.app_name };
        let known = if r.app_id.is_empty() { None } else { self.apps.get_mut(r.app_id.as_str()) };
        match known {
            Some((_, least)) if name < least => *least = name.clone(),
            Some(_) => {}
            None => {
                self.apps.entry(app_key(r)).or_insert_with(|| (r.app_id.clone(), name.clone()));
            }
        }
    }

    pub fn users(&self) -> usize {
        self.users.len()
    }

    /// The scenario every user's is built from: all users in order of their
    /// UPN (the order records are replayed in), the built-in apps and the
    /// logs' others, the logs' first day as its start; no policies yet.
    pub fn template(&self, path: &Path, start: Option<Instant>) -> (Scenario, AppTable) {
        let mut sc = scenario::empty(path);
        sc.name = format!("replay of {}", path.display());
        let first = start.or(self.first);
        sc.start = first.map_or(crate::time::DEFAULT_START, |t| t - t.rem_euclid(DAY));
        sc.users = self.users.iter().map(|(upn, s)| user(upn, s)).collect();
        let mut table = BTreeMap::new();
        let mut keys: BTreeSet<String> = sc.apps.iter().map(|a| a.key.clone()).collect();
        for (key, (app_id, name)) in &self.apps {
            // Without an id (a download that dropped the column), a built-in app's display name names it.
            let built_in = sc.apps.iter().position(|a| {
                if app_id.is_empty() {
                    a.name.eq_ignore_ascii_case(name)
                } else {
                    a.app_id.eq_ignore_ascii_case(app_id)
                }
            });
            let index = built_in.unwrap_or_else(|| {
                let app = persona_app(app_id, &keys)
                    .unwrap_or_else(|| App::custom(unique_slug(name, app_id, &keys), name.clone(), app_id.clone()));
                keys.insert(app.key.clone());
                sc.apps.push(app);
                sc.apps.len() - 1
            });
            table.insert(key.clone(), index);
        }
        (sc, AppTable(table))
    }
}

/// A built-in persona's custom app with this id (the administrator's `pim`),
/// under its key and with its token behaviour, unless another app has the key:
/// logs replayed from a generated population name apps as its run does.
fn persona_app(app_id: &str, taken: &BTreeSet<String>) -> Option<App> {
    if app_id.is_empty() {
        return None;
    }
    scenario::population::built_in_personas()
        .into_iter()
        .flat_map(|p| p.apps)
        .find(|a| a.app_id.eq_ignore_ascii_case(app_id) && !taken.contains(&a.key))
}

/// A name for the app that no other app has: its display name's slug, or
/// with the start of its id when that slug is taken.
fn unique_slug(name: &str, app_id: &str, taken: &BTreeSet<String>) -> String {
    let slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if !taken.contains(&slug) {
        return slug;
    }
    let id: String = app_id.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
    (0..)
        .map(|n| if n == 0 { format!("{slug}_{id}") } else { format!("{slug}_{id}_{n}") })
        .find(|s| !taken.contains(s))
        .unwrap_or(slug)
}

fn user(upn: &str, seen: &Seen) -> crate::domain::User {
    crate::domain::User {
        id: upn.to_string(),
        upn: upn.to_string(),
        object_id: seen.object_id.clone().filter(|id| crate::domain::is_guid(id)),
        user_type: if seen.guest { UserType::Guest } else { UserType::Member },
        groups: Vec::new(),
        roles: Vec::new(),
        risk: Default::default(),
        stay_signed_in: false,
        adfs_persistent_sso: false,
        guest_kind: None,
        home_tenant: None,
        methods: crate::domain::default_user_methods(),
        insider_risk: Default::default(),
        persona: None,
    }
}

/// Each app key of the logs, as an index into the template's apps.
#[derive(Debug, Default)]
pub struct AppTable(BTreeMap<String, AppIdx>);

impl AppTable {
    /// The app of a record the directory noted.
    pub fn of(&self, r: &LogRecord) -> AppIdx {
        *self.0.get(&app_key(r)).expect("the directory noted every record's app while reading")
    }
}

/// The template with the policies of `policies` resolved against its users
/// and apps, and a warning for each policy the logs cannot evaluate fully.
pub fn with_policies(template: &Scenario, policies: &Path) -> Result<Scenario, InputError> {
    let mut sc = template.clone();
    let set = scenario::load_policies(policies, &sc)?;
    scenario::attach_policies(&mut sc, set);
    let blind = directory_blind(&sc);
    sc.warnings.extend(blind);
    Ok(sc)
}

/// Sign-in logs name no group or role: a policy that includes or excludes
/// them is replayed as if nobody were in them, which is said, never silent.
fn directory_blind(sc: &Scenario) -> Vec<String> {
    sc.policies
        .iter()
        .filter(|p| {
            let refs = p.users.include.iter().chain(&p.users.exclude);
            refs.clone().any(|r| matches!(r, UserRef::Group(_) | UserRef::Role(_)))
        })
        .map(|p| {
            format!(
                "policy `{}` names groups or roles, which sign-in logs do not give: replayed as if no user were in them (docs/replay.md)",
                p.name
            )
        })
        .collect()
}

/// One user's scenario: the template's apps, policies and settings, the
/// user (index 0; a policy naming another user names nobody here), and
/// the devices and steps rebuilt for them.
pub fn user_scenario(template: &Scenario, user: UserIdx, rebuilt: super::rebuild::UserSteps) -> Scenario {
    let mut policies = template.policies.clone();
    for p in &mut policies {
        for r in p.users.include.iter_mut().chain(p.users.exclude.iter_mut()) {
            if let UserRef::User(u) = r {
                *u = if *u == user { 0 } else { usize::MAX };
            }
        }
    }
    Scenario {
        path: template.path.clone(),
        name: template.name.clone(),
        source: None,
        description: None,
        start: template.start,
        zone: template.zone,
        seed: template.seed,
        settings: template.settings.clone(),
        users: vec![crate::domain::User { stay_signed_in: rebuilt.stay_signed_in, ..template.users[user].clone() }],
        workloads: Vec::new(),
        devices: rebuilt.devices,
        apps: template.apps.clone(),
        policies,
        groups: template.groups.clone(),
        named_locations: template.named_locations.clone(),
        warnings: Vec::new(),
        limits: rebuilt.limits,
        steps: rebuilt.steps,
        expect: None,
        population: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_apps_name_is_its_slug_or_its_slug_and_id() {
        let taken: BTreeSet<String> = ["teams".to_string(), "my_app".to_string()].into();
        assert_eq!(unique_slug("My App", "abc", &BTreeSet::new()), "my_app");
        assert_eq!(unique_slug("My App", "1234-5678-9abc", &taken), "my_app_12345678");
    }

    #[test]
    fn a_built_in_personas_app_keeps_its_key_and_token_behaviour() {
        let pim =
            persona_app("01FC33A7-78BA-4D2F-A4B7-768E336E890E", &BTreeSet::new()).expect("the administrator's app");
        assert_eq!((pim.key.as_str(), pim.fresh_token_each_use), ("pim", true));
        let taken: BTreeSet<String> = ["pim".to_string()].into();
        assert!(persona_app("01fc33a7-78ba-4d2f-a4b7-768e336e890e", &taken).is_none());
        assert!(persona_app("", &BTreeSet::new()).is_none());
    }
}
