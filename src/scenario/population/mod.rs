//! Populations: personas (a device set, a weekly schedule and a daily routine)
//! and the generator that turns them into a scenario with seeded variation:
//! start times, lunch breaks, days off and sick spells.

mod doc;
mod persona;

use std::collections::BTreeMap;
use std::path::Path;

pub use persona::{Persona, PersonaDevice, RoutineStep, built_in_personas, load_personas, personas_from_str};

use crate::domain::{App, User};
use crate::ids;
use crate::time::{self, DAY, Instant, Seconds, Zone};

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
    /// Each persona's template scenario (`template_yaml`, read and validated
    /// when the population scenario is), in `mix` order.
    pub templates: Vec<crate::scenario::Scenario>,
    /// The clock the personas' schedules follow (`population: { timezone: }`,
    /// else the scenario's `timezone:`, else UTC).
    pub zone: Zone,
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

    /// How many users `users` names.
    pub fn user_count(&self) -> usize {
        self.mix.iter().map(|m| m.users).sum()
    }

    /// Every generated user as (persona index, user name), in output order.
    pub fn users(&self) -> Vec<(usize, String)> {
        self.users_in(0..self.user_count())
    }

    /// The generated users at places `range` of `users`, named on demand: a
    /// run keeps one chunk's names, not a million (issue 11).
    pub fn users_in(&self, range: std::ops::Range<usize>) -> Vec<(usize, String)> {
        let mut out = Vec::with_capacity(range.len());
        let mut first = 0;
        for (i, m) in self.mix.iter().enumerate() {
            let (from, to) = (range.start.max(first), range.end.min(first + m.users));
            out.extend((from..to).map(|u| (i, format!("{}-{:04}", m.persona.name, u - first + 1))));
            first += m.users;
        }
        out
    }

    /// A persona's template: one user named after the persona, its devices and
    /// apps, and each routine step once (in routine order), as YAML so that it
    /// goes through the same validation as any scenario file.
    pub fn template_yaml(&self, persona: usize, seed: u64, start: Instant) -> Result<String, String> {
        let p = &self.mix[persona].persona;
        let steps: Vec<&RoutineStep> = p.routine.iter().collect();
        doc::template(p, &p.name, &steps, seed, start).to_yaml()
    }

    /// One user's scenario as YAML (what `casim generate` writes for that user).
    pub fn user_scenario_yaml(&self, persona: usize, user: &str, seed: u64, start: Instant) -> Result<String, String> {
        let p = &self.mix[persona].persona;
        let mut doc = doc::template(p, user, &[], seed, start);
        for_each_step(p, user, self.days, seed, (start, self.zone), |_, step, at, until| {
            doc.add_step(step, user, at, until)
        });
        doc.to_yaml()
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
        adfs_persistent_sso: false,
        guest_kind: None,
        home_tenant: None,
        methods: crate::domain::default_user_methods(),
        insider_risk: Default::default(),
        persona: Some(persona.name.clone()),
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
    // In u128: `users` comes from the command line, up to usize::MAX, and
    // is refused later (`check_size`), after the split.
    let share = |w: usize| (users as u128 * w as u128 / total as u128) as usize;
    let mut counts: Vec<usize> = weights.iter().map(|w| share(*w)).collect();
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

/// Writes a population scenario (YAML) for `days` days from `start`, in UTC.
pub fn generate(mix: &[Mix], days: u32, seed: u64, start: Instant) -> Result<String, String> {
    generate_in(mix, days, seed, start, Zone::UTC)
}

/// `generate` with the personas' schedules on the clock of `zone` (written as
/// the scenario's `timezone:` when one is set).
pub fn generate_in(mix: &[Mix], days: u32, seed: u64, start: Instant, zone: Zone) -> Result<String, String> {
    let total: usize = mix.iter().map(|m| m.users).sum();
    let mut doc = doc::ScenarioDoc::new(format!("Generated population: {total} users, {days} days"), seed, start);
    doc.policies = Some(serde_saphyr::FlowSeq(Vec::new()));
    doc.timezone = zone.name();
    let mut timeline = doc::ScenarioDoc::new(String::new(), seed, start);
    for m in mix {
        for n in 1..=m.users {
            let user = format!("{}-{n:04}", m.persona.name);
            doc.add_user(&m.persona, &user);
            for_each_step(&m.persona, &user, days, seed, (start, zone), |_, step, at, until| {
                timeline.add_step(step, &user, at, until)
            });
        }
    }
    doc.timeline = timeline.timeline;
    let text = doc.to_yaml()?;
    Ok(format!("# Generated by `casim generate` (seed {seed}): {total} users over {days} days.\n{text}"))
}

/// Calls `emit(routine index, step, at, until)` for every step of the user's
/// days. Days, weekdays and the schedule are read on the local clock of the
/// zone (`clock`: the start and the zone), from local midnight of the date of
/// `start`: an office worker starting at 08:30
/// starts at 08:30 local time in winter and in summer. A generated time the
/// clocks skip moves forward by the gap (`Zone::generated`).
pub fn for_each_step(
    persona: &Persona,
    user: &str,
    days: u32,
    seed: u64,
    clock: (Instant, Zone),
    mut emit: impl FnMut(usize, &RoutineStep, Instant, Option<Instant>),
) {
    let (start, zone) = clock;
    // With a zone, days are the local calendar days from the date of `start`
    // on that clock; without one, they count from `start` itself, as before.
    let origin = if zone.is_set() { zone.wall(start).div_euclid(DAY) * DAY } else { start };
    let mut draws = Draws { seed, user: ids::of_str(user), counter: 0 };
    let schedule = &persona.schedule;
    let mut sick_days_left = 0;
    for day in 0..i64::from(days) {
        let weekday = weekday_of(origin + day * DAY);
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
        let day_start = origin + day * DAY + schedule.start + draws.up_to(schedule.start_jitter);
        let mut drift = 0;
        for (i, step) in persona.routine.iter().enumerate() {
            if step.on.as_ref().is_some_and(|on| !on.contains(&weekday)) {
                continue;
            }
            drift += draws.up_to(step.jitter);
            let base = day_start + drift;
            emit(i, step, zone.generated(base + step.at), step.until.map(|u| zone.generated(base + u)));
        }
    }
}

/// 0 = Monday … 6 = Sunday.
fn weekday_of(t: Instant) -> u8 {
    // 1970-01-01 was a Thursday.
    ((t.div_euclid(DAY) + 3).rem_euclid(7)) as u8
}

/// The default cap on users × days: about 35 s of simulation on two cores
/// (docs/performance.md) and, written by `generate`, several gigabytes.
pub const DEFAULT_MAX_USER_DAYS: u64 = 10_000_000;
/// The environment variable that raises (or lowers) the cap.
pub const MAX_USER_DAYS_VAR: &str = "CASIM_MAX_USER_DAYS";
/// The last instant casim writes and reads: 9999-12-31T23:59:59Z.
pub const LAST_INSTANT: Instant = 253_402_300_799;

/// Which input a refused population size is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culprit {
    Users,
    Days,
}

/// A population casim refuses to generate, with what to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub culprit: Culprit,
    pub message: String,
    pub help: Option<String>,
}

fn refuse(culprit: Culprit, message: String, help: Option<String>) -> Refusal {
    Refusal { culprit, message, help }
}

/// The cap on users × days: `CASIM_MAX_USER_DAYS` when set, else the default.
pub fn max_user_days() -> Result<u64, Refusal> {
    match std::env::var(MAX_USER_DAYS_VAR) {
        Err(_) => Ok(DEFAULT_MAX_USER_DAYS),
        Ok(v) => v.trim().parse().map_err(|_| {
            refuse(Culprit::Users, format!("{MAX_USER_DAYS_VAR}=`{v}` is not a whole number of user-days"), None)
        }),
    }
}

/// Checks that a population can be generated before anything is: at least
/// one user, users × days within the cap, every generated time before the
/// end of year 9999.
pub fn check_size(mix: &[Mix], days: u32, start: Instant) -> Result<(), Refusal> {
    let users = mix.iter().try_fold(0u64, |sum, m| sum.checked_add(m.users as u64));
    let Some(users) = users.filter(|n| *n > 0) else {
        return Err(match users {
            Some(_) => refuse(Culprit::Users, "the population has no users; it needs at least one".into(), None),
            None => refuse(Culprit::Users, "the number of users is too large to count".into(), None),
        });
    };
    if days == 0 {
        return Err(refuse(Culprit::Days, "`days` must be at least 1".into(), None));
    }
    let cap = max_user_days()?;
    let user_days = users.checked_mul(u64::from(days));
    if user_days.is_none_or(|n| n > cap) {
        let product = user_days.map(|n| format!(" = {n} user-days")).unwrap_or_default();
        return Err(refuse(
            Culprit::Users,
            format!("{users} users × {days} days{product} is over the limit of {cap} user-days"),
            Some(format!(
                "the default limit is {DEFAULT_MAX_USER_DAYS}; set {MAX_USER_DAYS_VAR} to raise it (docs/personas.md)"
            )),
        ));
    }
    let busy: Vec<&Persona> = mix.iter().filter(|m| m.users > 0).map(|m| &m.persona).collect();
    // The latest a day's last step can end, from the start of that day.
    let extent = busy.iter().map(|p| day_extent(p)).max().unwrap_or(0);
    let last_day_start = start.saturating_add(i64::from(days - 1).saturating_mul(DAY));
    if last_day_start.saturating_add(extent) > LAST_INSTANT {
        let most = (LAST_INSTANT - start.min(LAST_INSTANT) - extent.min(LAST_INSTANT)).div_euclid(DAY) + 1;
        return Err(refuse(
            Culprit::Days,
            format!(
                "{days} days from {} run past 9999-12-31, the last date casim handles; at most {} days fit",
                time::rfc3339(start),
                most.max(0)
            ),
            None,
        ));
    }
    Ok(())
}

/// `generate` writes a file for people to run: one where nobody works is a
/// mistake in `--days` or `--persona`. (A `population:` scenario may still
/// be quiet on purpose, e.g. to check that policies load.)
pub fn check_working_day(mix: &[Mix], days: u32, start: Instant) -> Result<(), Refusal> {
    let busy: Vec<&Persona> = mix.iter().filter(|m| m.users > 0).map(|m| &m.persona).collect();
    let works = |p: &Persona, weekday: u8| {
        p.schedule.days.contains(&weekday)
            && p.routine.iter().any(|s| s.on.as_ref().is_none_or(|on| on.contains(&weekday)))
    };
    let any_work = (0..i64::from(days.min(7))).any(|d| {
        let weekday = weekday_of(start + d * DAY);
        busy.iter().any(|p| works(p, weekday))
    });
    if !any_work {
        return Err(refuse(
            Culprit::Days,
            format!(
                "no persona works on any of the {days} day(s) from {}: the population would do nothing",
                time::rfc3339(start)
            ),
            Some("give more days, or personas whose schedule covers these weekdays".into()),
        ));
    }
    Ok(())
}

/// How long after a day's start its last step can end: the schedule's start
/// and jitter, every step's jitter (drift adds up) and the latest step time.
fn day_extent(p: &Persona) -> Seconds {
    let drift: Seconds = p.routine.iter().map(|s| s.jitter).sum();
    let latest = p.routine.iter().map(|s| s.until.unwrap_or(s.at).max(s.at)).max().unwrap_or(0);
    p.schedule.start + p.schedule.start_jitter + drift + latest
}

/// The fuzz target and regression test of persona files: a persona file
/// casim accepts generates a scenario (a few users, a week) that casim reads.
/// Panics when it does not, which is what the fuzzer looks for.
pub fn fuzz_personas(bytes: &[u8]) {
    let path = Path::new("personas.yaml");
    let Ok(personas) = crate::error::decode_input(path, bytes).and_then(|text| personas_from_str(path, &text)) else {
        return;
    };
    let mix = split(personas, 3);
    if check_size(&mix, 7, time::DEFAULT_START).is_err() {
        return;
    }
    let text = generate(&mix, 7, 1, time::DEFAULT_START).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = crate::scenario::from_str(Path::new("generated.yaml"), &text) {
        panic!("an accepted persona file generated a refused scenario: {}\n{text}", e.render());
    }
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
    fn users_are_named_the_same_in_any_range() {
        let population =
            Population { mix: split(built_in_personas(), 1001), days: 1, templates: Vec::new(), zone: Zone::UTC };
        let all = population.users();
        assert_eq!(all.len(), 1001);
        assert_eq!(all[0].1, format!("{}-0001", population.mix[0].persona.name));
        for (from, to) in [(0, 1001), (0, 0), (250, 757), (500, 502), (1000, 1001)] {
            assert_eq!(population.users_in(from..to), all[from..to], "{from}..{to}");
        }
    }

    #[test]
    fn generation_is_deterministic_and_seed_dependent() {
        let mix = split(built_in_personas(), 12);
        let a = generate(&mix, 7, 1, time::DEFAULT_START).unwrap();
        assert_eq!(a, generate(&mix, 7, 1, time::DEFAULT_START).unwrap());
        assert_ne!(a, generate(&mix, 7, 2, time::DEFAULT_START).unwrap());
    }

    #[test]
    fn generated_populations_are_valid_scenarios() {
        let mix = split(built_in_personas(), 24);
        let text = generate(&mix, 14, 7, time::DEFAULT_START).unwrap();
        let scenario =
            crate::scenario::from_str(Path::new("generated.yaml"), &text).unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(scenario.users.len(), 24);
        assert!(scenario.steps.len() > 24 * 5, "{} steps", scenario.steps.len());
    }
}
