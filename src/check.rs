//! `casim check`: compares a run with the scenario's `expect:` block.

use std::fmt::Write as _;

use crate::engine::{self, Options, Outcome};
use crate::error::InputError;
use crate::scenario::Scenario;
use crate::scenario::model::ExpectedEvent;
use crate::time::Clock;

/// An actual prompt or block reduced to what `expect:` can say about it.
struct Actual {
    at: i64,
    user: String,
    app: String,
    reason: Option<String>,
}

impl Actual {
    fn matches(&self, e: &ExpectedEvent) -> bool {
        self.at == e.at
            && e.user.as_ref().is_none_or(|u| *u == self.user)
            && e.app.as_ref().is_none_or(|a| *a == self.app)
            && e.reason.as_ref().is_none_or(|r| Some(r) == self.reason.as_ref())
    }
}

/// What a run showed that `expect:` can speak of, gathered outcome by
/// outcome (a population's come user by user, each with its own scenario).
#[derive(Default)]
pub struct Actuals {
    prompts: Vec<Actual>,
    blocked: Vec<Actual>,
}

impl Actuals {
    /// Adds what `outcome` showed; `scenario` names its indices.
    pub fn add(&mut self, scenario: &Scenario, outcome: &Outcome) {
        if scenario.expect.is_none() {
            return;
        }
        self.prompts.extend(outcome.prompts.iter().map(|p| {
            let named = p.access.named(scenario);
            Actual {
                at: p.at,
                user: named.user.to_string(),
                app: named.app.to_string(),
                reason: Some(p.reason.name().to_string()),
            }
        }));
        self.blocked.extend(outcome.blocked.iter().map(|b| {
            let named = b.access.named(scenario);
            Actual { at: b.at, user: named.user.to_string(), app: named.app.to_string(), reason: None }
        }));
        // R-CA-6: a blocked workload identity is named in place of the user.
        self.blocked.extend(outcome.workload_sign_ins.iter().filter(|w| w.error_code.is_some()).map(|w| Actual {
            at: w.at,
            user: scenario.workloads[w.workload].identity.key.clone(),
            app: scenario.apps[w.app].key.clone(),
            reason: None,
        }));
    }
}

/// Runs `scenario` (a population user by user) and compares what it showed
/// with its `expect:` block: `None` when it passes, else a readable diff. A
/// run stopped at its event cap is an error, never a verdict.
pub fn run(scenario: &Scenario) -> Result<Option<String>, InputError> {
    let mut all = Actuals::default();
    engine::simulate_each(
        scenario,
        Options::default(),
        |s, outcome| {
            engine::check_event_limit(s, &outcome)?;
            let mut one = Actuals::default();
            one.add(s, &outcome);
            Ok(one)
        },
        |one: Result<Actuals, InputError>| {
            let one = one?;
            all.prompts.extend(one.prompts);
            all.blocked.extend(one.blocked);
            Ok(())
        },
    )?;
    Ok(compare(scenario, all))
}

/// `None` when what the run showed meets the expectations, else a readable diff.
pub fn compare(scenario: &Scenario, actuals: Actuals) -> Option<String> {
    let expect = scenario.expect.as_ref()?;
    let Actuals { prompts, mut blocked } = actuals;
    let mut diff = String::new();
    if let Some(expected) = &expect.prompts {
        compare_lists("prompts", expected, &prompts, scenario.clock(), &mut diff);
    }
    if let Some(expected) = &expect.blocked {
        blocked.sort_by_key(|a| a.at);
        compare_lists("blocked", expected, &blocked, scenario.clock(), &mut diff);
    }
    (!diff.is_empty()).then_some(diff)
}

fn compare_lists(what: &str, expected: &[ExpectedEvent], actual: &[Actual], start: Clock, out: &mut String) {
    let same = expected.len() == actual.len() && expected.iter().zip(actual).all(|(e, a)| a.matches(e));
    if same {
        return;
    }
    let _ = writeln!(out, "    {what}: expected {}, got {}", expected.len(), actual.len());
    for i in 0..expected.len().max(actual.len()) {
        let (e, a) = (expected.get(i), actual.get(i));
        let ok = matches!((e, a), (Some(e), Some(a)) if a.matches(e));
        let mark = if ok { "   " } else { " ! " };
        let left = e.map(|e| describe_expected(e, start)).unwrap_or_else(|| "(nothing)".into());
        let right = a.map(|a| describe_actual(a, start)).unwrap_or_else(|| "(nothing)".into());
        let _ = writeln!(out, "   {mark}expected {left:<44} | actual {right}");
    }
}

fn describe_expected(e: &ExpectedEvent, start: Clock) -> String {
    let mut s = start.show(e.at);
    for part in [&e.user, &e.app, &e.reason].into_iter().flatten() {
        let _ = write!(s, " {part}");
    }
    s
}

fn describe_actual(a: &Actual, start: Clock) -> String {
    let mut s = format!("{} {} {}", start.show(a.at), a.user, a.app);
    if let Some(r) = &a.reason {
        let _ = write!(s, " {r}");
    }
    s
}
