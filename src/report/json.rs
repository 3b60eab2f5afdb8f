//! `casim run --format json` (SCENARIO-FORMAT.md, output contract).

use serde::{Serialize, Serializer};

use crate::engine::{Blocked, Deferral, Finding, Outcome, Prompt, ReportOnlyFinding, Stats};
use crate::scenario::Scenario;
use crate::time::{self, Instant};

pub fn instant<S: Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&time::rfc3339(*t))
}

pub fn opt_instant<S: Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&time::rfc3339(*t)),
        None => s.serialize_none(),
    }
}

#[derive(Serialize)]
struct RunReport<'a> {
    scenario: &'a str,
    file: String,
    prompts: &'a [Prompt],
    blocked: &'a [Blocked],
    report_only: &'a [ReportOnlyFinding],
    deferred: &'a [Deferral],
    findings: &'a [Finding],
    stats: &'a Stats,
}

/// One JSON object per scenario, pretty-printed, keys in a fixed order.
pub fn render(scenario: &Scenario, outcome: &Outcome) -> String {
    let report = RunReport {
        scenario: &scenario.name,
        file: scenario.path.display().to_string(),
        prompts: &outcome.prompts,
        blocked: &outcome.blocked,
        report_only: &outcome.report_only,
        deferred: &outcome.deferred,
        findings: &outcome.findings,
        stats: &outcome.stats,
    };
    serde_json::to_string_pretty(&report).expect("report types always serialize")
}
