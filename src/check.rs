//! `casim check`: compares a run with the scenario's `expect:` block.

use std::fmt::Write as _;

use crate::engine::Outcome;
use crate::scenario::Scenario;
use crate::scenario::model::ExpectedEvent;
use crate::time::relative;

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

/// `None` when the outcome meets the expectations, else a readable diff.
pub fn compare(scenario: &Scenario, outcome: &Outcome) -> Option<String> {
    let expect = scenario.expect.as_ref()?;
    let mut diff = String::new();
    if let Some(expected) = &expect.prompts {
        let actual: Vec<Actual> = outcome
            .prompts
            .iter()
            .map(|p| Actual {
                at: p.at,
                user: p.user.clone(),
                app: p.app.clone(),
                reason: Some(p.reason.name().to_string()),
            })
            .collect();
        compare_lists("prompts", expected, &actual, scenario.start, &mut diff);
    }
    if let Some(expected) = &expect.blocked {
        let actual: Vec<Actual> = outcome
            .blocked
            .iter()
            .map(|b| Actual { at: b.at, user: b.user.clone(), app: b.app.clone(), reason: None })
            // R-CA-6: a blocked workload identity is named in place of the user.
            .chain(outcome.workload_sign_ins.iter().filter(|w| w.error_code.is_some()).map(|w| Actual {
                at: w.at,
                user: w.workload.clone(),
                app: w.app.clone(),
                reason: None,
            }))
            .collect::<Vec<_>>();
        let mut actual = actual;
        actual.sort_by_key(|a| a.at);
        compare_lists("blocked", expected, &actual, scenario.start, &mut diff);
    }
    (!diff.is_empty()).then_some(diff)
}

fn compare_lists(what: &str, expected: &[ExpectedEvent], actual: &[Actual], start: i64, out: &mut String) {
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

fn describe_expected(e: &ExpectedEvent, start: i64) -> String {
    let mut s = relative(e.at, start);
    for part in [&e.user, &e.app, &e.reason].into_iter().flatten() {
        let _ = write!(s, " {part}");
    }
    s
}

fn describe_actual(a: &Actual, start: i64) -> String {
    let mut s = format!("{} {} {}", relative(a.at, start), a.user, a.app);
    if let Some(r) = &a.reason {
        let _ = write!(s, " {r}");
    }
    s
}
