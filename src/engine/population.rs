//! Populations are simulated user by user: users are independent, so each one
//! runs in its own engine, in parallel, and outcomes are merged in user order
//! (R-DET-1). Each user's outcome goes to the caller with the user's own
//! scenario, which names its indices, and is dropped once folded: memory
//! follows one chunk of users, never the population's history (issue 11).
//!
//! Each persona is parsed and validated once, as a template scenario; a user's
//! scenario is the template renamed, with the user's generated steps.

use rayon::prelude::*;

use crate::ids;
use crate::scenario::Scenario;
use crate::scenario::model::{Action, Step};
use crate::scenario::population::{self, Population};

/// User-days simulated between two folds: what bounds the results held at
/// once, which grow with each user's days (issue 11: 1,000 users × 365 days
/// in chunks of 256 users held 127 MB, in chunks of 21 they hold a fifth).
const USER_DAYS_PER_CHUNK: usize = 256 * 30;

/// Users simulated between two folds for a population of `days` days: at
/// least a few per thread, so that the cores stay busy.
pub fn chunk(days: u32) -> usize {
    let floor = 4 * rayon::current_num_threads();
    (USER_DAYS_PER_CHUNK / (days.max(1) as usize)).clamp(floor.min(256), 256)
}

/// The one population loop of `run`, `diff` and `report`: every generated
/// user of the first population, built as a scenario under each of `runs`
/// (the same population under other policies, say) and handed with their
/// place in the population to `each`, `chunk` users at a time in parallel.
/// `fold` then takes the results in user order (R-DET-1), and its first
/// error ends the loop. Each persona's template is built once per run.
pub fn for_each_user<R: Send, E>(
    runs: &[(&Scenario, &Population)],
    chunk: usize,
    each: impl Fn(usize, Vec<Scenario>) -> R + Sync,
    fold: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    for_each_user_lent(runs, chunk, |i, users| each(i, users.to_vec()), fold)
}

/// `for_each_user`, each user's scenarios (one a run) lent to `each`: a
/// worker keeps a copy of the templates and makes it each of its users in
/// turn, where cloning a template for every user took a quarter of the
/// instructions of making a user's scenario (issue 11).
pub fn for_each_user_lent<R: Send, E>(
    runs: &[(&Scenario, &Population)],
    chunk: usize,
    each: impl Fn(usize, &[Scenario]) -> R + Sync,
    mut fold: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let Some((_, first)) = runs.first() else { return Ok(()) };
    // By persona, then run: a user's scenarios side by side.
    let templates: Vec<Vec<Scenario>> =
        (0..first.mix.len()).map(|i| runs.iter().map(|(s, p)| template(s, p, i)).collect()).collect();
    let chunk = chunk.max(1);
    for c in 0..first.user_count().div_ceil(chunk) {
        let part = first.users_in(c * chunk..((c + 1) * chunk).min(first.user_count()));
        let results: Vec<R> = part
            .par_iter()
            .enumerate()
            .map_init(
                || templates.clone(),
                |own, (i, (persona, name))| {
                    let users = &mut own[*persona];
                    for (r, (user, (s, p))) in users.iter_mut().zip(runs).enumerate() {
                        make_user(user, s, p, &templates[*persona][r], *persona, name);
                    }
                    each(c * chunk + i, users)
                },
            )
            .collect();
        for r in results {
            fold(r)?;
        }
    }
    Ok(())
}

/// A persona's template scenario with the population scenario's apps,
/// policies, named locations and settings.
pub fn template(scenario: &Scenario, population: &Population, persona: usize) -> Scenario {
    let mut t = population.templates[persona].clone();
    // The resolver added every persona app to the scenario's apps; an app it
    // lacks would be a resolver bug, and the template's own index is kept.
    let to_population: Vec<usize> = t
        .apps
        .iter()
        .enumerate()
        .map(|(i, a)| scenario.apps.iter().position(|x| x.key == a.key).unwrap_or(i))
        .collect();
    for step in &mut t.steps {
        if let Action::Use { app, .. } | Action::Background { app, .. } | Action::UserAction { app, .. } =
            &mut step.action
        {
            *app = to_population[*app];
        }
    }
    t.apps = scenario.apps.clone();
    t.settings = scenario.settings.clone();
    t.policies = scenario.policies.clone();
    t.named_locations = scenario.named_locations.clone();
    t.groups = scenario.groups.clone();
    t.limits = scenario.limits;
    t.zone = scenario.zone;
    t.name = scenario.name.clone();
    t.path = scenario.path.clone();
    t
}

/// One generated user's scenario: the template renamed, with their days.
pub fn user_scenario(
    scenario: &Scenario,
    population: &Population,
    template: &Scenario,
    persona: usize,
    name: &str,
) -> Scenario {
    let mut user = template.clone();
    make_user(&mut user, scenario, population, template, persona, name);
    user
}

/// Makes `user`, a copy of `template` or of another of its persona's users,
/// the generated user `name`: their id, devices and days (all that differs
/// between a persona's users), reusing the copy's strings and vectors.
fn make_user(
    user: &mut Scenario,
    scenario: &Scenario,
    population: &Population,
    template: &Scenario,
    persona: usize,
    name: &str,
) {
    let p = &population.mix[persona].persona;
    let u = &mut user.users[0];
    u.id.clear();
    u.id.push_str(name);
    if name.is_ascii() {
        u.upn.clear();
        u.upn.extend(name.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        u.upn.push_str("@contoso.com");
    } else {
        u.upn = format!("{name}@contoso.com").to_lowercase();
    }
    for (device, (key, _)) in user.devices.iter_mut().zip(&p.devices) {
        device.id.clear();
        device.id.push_str(name);
        device.id.push('-');
        device.id.push_str(key);
        device.ip = ids::documentation_ip(scenario.seed, &device.id);
    }
    user.steps.clear();
    let clock = (scenario.start, population.zone);
    population::for_each_step(p, name, population.days, scenario.seed, clock, |i, _, at, step_until| {
        let mut action = template.steps[i].action.clone();
        if let Action::Use { until, .. } = &mut action {
            *until = step_until;
        }
        if let Action::Background { until, .. } = &mut action {
            *until = step_until.unwrap_or(at);
        }
        user.steps.push(Step { at, line: template.steps[i].line, action, ip: None, country: None });
    });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The fast path (template + generated steps) must build exactly the
    /// scenario the YAML path (what `casim generate` writes) builds.
    #[test]
    fn user_scenarios_match_their_generated_yaml() {
        let yaml = "name: t\nseed: 9\npopulation: { personas: { office_worker: 2, hybrid_worker: 1, mobile_user: 1 }, days: 9 }\n";
        // Issue 15: and on a local clock, across the spring DST change in Paris.
        let in_paris = yaml.replace("seed: 9\n", "seed: 9\ntimezone: Europe/Paris\nstart: 2026-03-24\n");
        for yaml in [yaml, in_paris.as_str()] {
            fast_path_matches_yaml(yaml);
        }
    }

    fn fast_path_matches_yaml(yaml: &str) {
        let scenario = crate::scenario::from_str(Path::new("p.yaml"), yaml).unwrap();
        let population = scenario.population.clone().unwrap();
        for (persona, name) in population.users() {
            let t = template(&scenario, &population, persona);
            let fast = user_scenario(&scenario, &population, &t, persona, &name);
            let text = population.user_scenario_yaml(persona, &name, scenario.seed, scenario.start).unwrap();
            let slow = crate::scenario::from_str(Path::new(&name), &text).unwrap();
            let app_keys = |s: &Scenario, steps: &[Step]| {
                steps
                    .iter()
                    .filter_map(|st| match &st.action {
                        Action::Use { app, .. } | Action::Background { app, .. } => Some(s.apps[*app].key.clone()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(fast.steps.len(), slow.steps.len(), "{name}");
            assert_eq!(app_keys(&fast, &fast.steps), app_keys(&slow, &slow.steps), "{name}");
            let times = |steps: &[Step]| steps.iter().map(|s| s.at).collect::<Vec<_>>();
            assert_eq!(times(&fast.steps), times(&slow.steps), "{name}");
            assert_eq!(fast.users[0].id, slow.users[0].id);
            let devices = |s: &Scenario| s.devices.iter().map(|d| (d.id.clone(), d.ip, d.join)).collect::<Vec<_>>();
            assert_eq!(devices(&fast), devices(&slow));
        }
    }
}
