//! Populations are simulated user by user: users are independent, so each one
//! runs in its own engine, in parallel, and outcomes are merged in user order
//! (R-DET-1). Memory follows one user's state times the number of threads,
//! plus the outcome itself.

use std::path::Path;

use rayon::prelude::*;

use super::{Options, Outcome, sim};
use crate::population::Population;
use crate::scenario::Scenario;
use crate::scenario::model::Action;

/// Users simulated between two merges: bounds the outcomes held at once.
const CHUNK: usize = 4096;

pub fn simulate(scenario: &Scenario, population: &Population, options: Options) -> Outcome {
    let users = population.users();
    let mut out = Outcome::default();
    for chunk in users.chunks(CHUNK) {
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .map(|(persona, name)| simulate_user(scenario, population, *persona, name, options))
            .collect();
        for o in outcomes {
            merge(&mut out, o);
        }
    }
    out
}

/// The scenario of one generated user: their persona's devices and timeline,
/// the population scenario's apps, policies, named locations and settings.
pub fn user_scenario(scenario: &Scenario, population: &Population, persona: usize, name: &str) -> Scenario {
    let text = population.user_scenario_yaml(persona, name, scenario.seed, scenario.start);
    let mut user = crate::scenario::from_str(Path::new(name), &text)
        .unwrap_or_else(|e| panic!("a generated user scenario is valid by construction: {}", e.render()));
    let to_template: Vec<usize> = user
        .apps
        .iter()
        .map(|a| scenario.apps.iter().position(|t| t.key == a.key).expect("population apps include every persona app"))
        .collect();
    for step in &mut user.steps {
        if let Action::Use { app, .. } | Action::Background { app, .. } | Action::UserAction { app, .. } =
            &mut step.action
        {
            *app = to_template[*app];
        }
    }
    user.apps = scenario.apps.clone();
    user.settings = scenario.settings.clone();
    user.policies = scenario.policies.clone();
    user.named_locations = scenario.named_locations.clone();
    user.groups = scenario.groups.clone();
    user.name = scenario.name.clone();
    user.path = scenario.path.clone();
    user
}

fn simulate_user(
    scenario: &Scenario,
    population: &Population,
    persona: usize,
    name: &str,
    options: Options,
) -> Outcome {
    sim::Sim::new(&user_scenario(scenario, population, persona, name), options).run()
}

fn merge(into: &mut Outcome, from: Outcome) {
    into.prompts.extend(from.prompts);
    into.blocked.extend(from.blocked);
    into.report_only.extend(from.report_only);
    into.deferred.extend(from.deferred);
    into.findings.extend(from.findings);
    into.trace.extend(from.trace);
    into.stats.events += from.stats.events;
    into.stats.token_requests += from.stats.token_requests;
    into.stats.prt_refreshes += from.stats.prt_refreshes;
}
