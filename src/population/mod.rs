//! Populations: personas (a device set, a weekly schedule and a daily routine)
//! and the generator that turns them into a scenario with seeded variation:
//! start times, lunch breaks, days off and sick spells.

mod persona;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

pub use persona::{Persona, RoutineStep, built_in_personas, load_personas};

use crate::ids;
use crate::scenario::model::{App, User};
use crate::time::{self, DAY, Instant};

/// How many users follow each persona.
#[derive(Debug, Clone)]
pub struct Mix {
    pub persona: Persona,
    pub users: usize,
}

/// A scenario's `population:`: personas, counts and days. Users are generated
/// and simulated one at a time (see `engine::simulate`).
#[derive(Debug, Clone)]
pub struct Population {
    pub mix: Vec<Mix>,
    pub days: u32,
}

impl Population {
    /// One user per persona, named after it: what policies may refer to
    /// (groups, roles, guests) when they are resolved.
    pub fn representatives(&self) -> Vec<User> {
        let mut users: Vec<User> = self.mix.iter().map(|m| user_of(&m.persona, &m.persona.name)).collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        users
    }

    /// The personas' custom apps, sorted by key, each once.
    pub fn custom_apps(&self) -> Vec<App> {
        let apps: BTreeMap<String, App> =
            self.mix.iter().flat_map(|m| m.persona.apps.iter().map(|a| (a.key.clone(), a.clone()))).collect();
        apps.into_values().collect()
    }

    /// Every generated user as (persona index, user name), in output order.
    pub fn users(&self) -> Vec<(usize, String)> {
        self.mix
            .iter()
            .enumerate()
            .flat_map(|(i, m)| (1..=m.users).map(move |n| (i, format!("{}-{n:04}", m.persona.name))))
            .collect()
    }

    /// A persona's template: one user named after the persona, its devices and
    /// apps, and each routine step once (in routine order), as YAML so that it
    /// goes through the same validation as any scenario file.
    pub fn template_yaml(&self, persona: usize, seed: u64, start: Instant) -> String {
        let p = &self.mix[persona].persona;
        let mut out = self.head_yaml(persona, &p.name, seed, start);
        for step in &p.routine {
            write_step(&mut out, step, &p.name, start);
        }
        if p.routine.is_empty() {
            out.push_str("  []\n");
        }
        out
    }

    /// One user's scenario as YAML (what `casim generate` writes for that user).
    pub fn user_scenario_yaml(&self, persona: usize, user: &str, seed: u64, start: Instant) -> String {
        let p = &self.mix[persona].persona;
        let mut out = self.head_yaml(persona, user, seed, start);
        let before = out.len();
        write_user_timeline(&mut out, p, user, self.days, seed, start);
        if out.len() == before {
            out.push_str("  []\n");
        }
        out
    }

    fn head_yaml(&self, persona: usize, user: &str, seed: u64, start: Instant) -> String {
        let p = &self.mix[persona].persona;
        let mut out = format!(
            "name: \"{user}\"\nseed: {seed}\nstart: {}\nusers:\n  {user}: {}\ndevices:\n",
            time::rfc3339(start),
            p.user_line
        );
        for (device, attributes) in &p.devices {
            let _ = writeln!(out, "  {user}-{device}: {{ owner: {user}, {attributes} }}");
        }
        if !p.app_lines.is_empty() {
            out.push_str("apps:\n");
            for (_, line) in &p.app_lines {
                let _ = writeln!(out, "{line}");
            }
        }
        out.push_str("timeline:\n");
        out
    }
}

fn user_of(persona: &Persona, id: &str) -> User {
    User {
        id: id.to_string(),
        upn: format!("{id}@contoso.com").to_lowercase(),
        object_id: None,
        user_type: persona.user_type,
        groups: persona.groups.clone(),
        roles: persona.roles.clone(),
        risk: Default::default(),
        stay_signed_in: persona.stay_signed_in,
        guest_kind: None,
        home_tenant: None,
        methods: crate::policy::strengths::default_user_methods(),
        insider_risk: Default::default(),
    }
}

/// The default mix of the built-in personas, in per-mille shares.
const DEFAULT_SHARES: [(&str, usize); 6] = [
    ("office_worker", 500),
    ("hybrid_worker", 200),
    ("frontline_worker", 100),
    ("mobile_user", 100),
    ("administrator", 50),
    ("guest", 50),
];

/// Splits `users` among personas: by `share` when the personas give one
/// (built-ins use the default mix), the rounding remainder going to the first.
pub fn split(personas: Vec<Persona>, users: usize) -> Vec<Mix> {
    let weights: Vec<usize> = personas
        .iter()
        .map(|p| {
            p.share.map(|s| (s * 1000.0).round() as usize).unwrap_or_else(|| {
                DEFAULT_SHARES
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map(|(_, w)| *w)
                    .unwrap_or(1000 / personas.len().max(1))
            })
        })
        .collect();
    let total: usize = weights.iter().sum::<usize>().max(1);
    let mut counts: Vec<usize> = weights.iter().map(|w| users * w / total).collect();
    let assigned: usize = counts.iter().sum();
    if let Some(first) = counts.first_mut() {
        *first += users - assigned;
    }
    personas.into_iter().zip(counts).map(|(persona, users)| Mix { persona, users }).collect()
}

/// Deterministic draws for one user (R-DET-1): a hash of the seed, the user and a counter.
struct Draws {
    seed: u64,
    user: u64,
    counter: u64,
}

impl Draws {
    fn next(&mut self) -> u64 {
        self.counter += 1;
        ids::hash(self.seed, self.user, self.counter)
    }

    /// A uniform duration in [0, max].
    fn up_to(&mut self, max: i64) -> i64 {
        if max <= 0 { 0 } else { (self.next() % (max as u64 + 1)) as i64 }
    }

    /// True with probability `share`.
    fn chance(&mut self, share: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < share
    }
}

/// Writes a population scenario (YAML) for `days` days from `start`.
pub fn generate(mix: &[Mix], days: u32, seed: u64, start: Instant) -> String {
    let mut users = String::new();
    let mut devices = String::new();
    let mut apps: BTreeMap<String, String> = BTreeMap::new();
    let mut timeline = String::new();
    let total: usize = mix.iter().map(|m| m.users).sum();
    for m in mix {
        for (key, line) in &m.persona.app_lines {
            apps.insert(key.clone(), line.clone());
        }
        for n in 1..=m.users {
            let user = format!("{}-{n:04}", m.persona.name);
            let _ = writeln!(users, "  {user}: {}", m.persona.user_line);
            for (device, attributes) in &m.persona.devices {
                let _ = writeln!(devices, "  {user}-{device}: {{ owner: {user}, {attributes} }}");
            }
            write_user_timeline(&mut timeline, &m.persona, &user, days, seed, start);
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "# Generated by `casim generate` (seed {seed}): {total} users over {days} days.");
    let _ = writeln!(out, "name: \"Generated population: {total} users, {days} days\"");
    let _ = writeln!(out, "seed: {seed}");
    let _ = writeln!(out, "start: {}", time::rfc3339(start));
    let _ = writeln!(out, "users:\n{users}devices:\n{devices}");
    if !apps.is_empty() {
        out.push_str("apps:\n");
        for line in apps.values() {
            let _ = writeln!(out, "{line}");
        }
    }
    out.push_str("policies: []\ntimeline:\n");
    out.push_str(&timeline);
    if total == 0 {
        out.push_str("  []\n");
    }
    out
}

fn write_user_timeline(out: &mut String, persona: &Persona, user: &str, days: u32, seed: u64, start: Instant) {
    for_each_step(persona, user, days, seed, start, |_, step, base| write_step(out, step, user, base));
}

/// Calls `emit(routine index, step, base)` for every step of the user's days:
/// the step happens at `base + step.at` (and ends at `base + step.until`).
pub fn for_each_step(
    persona: &Persona,
    user: &str,
    days: u32,
    seed: u64,
    start: Instant,
    mut emit: impl FnMut(usize, &RoutineStep, Instant),
) {
    let mut draws = Draws { seed, user: ids::of_str(user), counter: 0 };
    let schedule = &persona.schedule;
    let mut sick_days_left = 0;
    for day in 0..i64::from(days) {
        let weekday = weekday_of(start + day * DAY);
        if !schedule.days.contains(&weekday) {
            continue;
        }
        if sick_days_left > 0 {
            sick_days_left -= 1;
            continue;
        }
        if draws.chance(schedule.sick_share) {
            sick_days_left = draws.up_to(2); // a sick spell of one to three working days
            continue;
        }
        if draws.chance(schedule.day_off_share) {
            continue;
        }
        let day_start = start + day * DAY + schedule.start + draws.up_to(schedule.start_jitter);
        let mut drift = 0;
        for (i, step) in persona.routine.iter().enumerate() {
            if step.on.as_ref().is_some_and(|on| !on.contains(&weekday)) {
                continue;
            }
            drift += draws.up_to(step.jitter);
            emit(i, step, day_start + drift);
        }
    }
}

fn write_step(out: &mut String, step: &RoutineStep, user: &str, base: Instant) {
    let _ = write!(out, "  - {{ at: \"{}\", do: {}", time::rfc3339(base + step.at), step.action);
    if let Some(device) = &step.device {
        let _ = write!(out, ", device: {user}-{device}");
    }
    for (key, value) in &step.fields {
        let _ = write!(out, ", {key}: {value}");
    }
    if let Some(until) = step.until {
        let _ = write!(out, ", until: \"{}\"", time::rfc3339(base + until));
    }
    out.push_str(" }\n");
}

/// 0 = Monday … 6 = Sunday.
fn weekday_of(t: Instant) -> u8 {
    // 1970-01-01 was a Thursday.
    ((t.div_euclid(DAY) + 3).rem_euclid(7)) as u8
}

/// Loads personas from a file, or the built-ins when `path` is `None`.
pub fn personas(path: Option<&Path>) -> Result<Vec<Persona>, crate::error::InputError> {
    match path {
        Some(p) => load_personas(p),
        None => Ok(built_in_personas()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_start_is_a_monday() {
        assert_eq!(weekday_of(time::DEFAULT_START), 0);
        assert_eq!(weekday_of(time::DEFAULT_START + 5 * DAY), 5);
    }

    #[test]
    fn splitting_assigns_every_user() {
        let mix = split(built_in_personas(), 1001);
        assert_eq!(mix.iter().map(|m| m.users).sum::<usize>(), 1001);
        assert_eq!(mix.iter().find(|m| m.persona.name == "office_worker").map(|m| m.users), Some(501));
    }

    #[test]
    fn generation_is_deterministic_and_seed_dependent() {
        let mix = split(built_in_personas(), 12);
        let a = generate(&mix, 7, 1, time::DEFAULT_START);
        assert_eq!(a, generate(&mix, 7, 1, time::DEFAULT_START));
        assert_ne!(a, generate(&mix, 7, 2, time::DEFAULT_START));
    }

    #[test]
    fn generated_populations_are_valid_scenarios() {
        let mix = split(built_in_personas(), 24);
        let text = generate(&mix, 14, 7, time::DEFAULT_START);
        let scenario =
            crate::scenario::from_str(Path::new("generated.yaml"), &text).unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(scenario.users.len(), 24);
        assert!(scenario.steps.len() > 24 * 5, "{} steps", scenario.steps.len());
    }
}
