//! `casim run --format json` (SCENARIO-FORMAT.md, output contract).

use serde::Serialize;

use crate::engine::{Blocked, Deferral, Finding, Outcome, Prompt, ReportOnlyFinding, Stats, WorkloadSignIn};
use crate::scenario::Scenario;

#[derive(Serialize)]
struct RunReport<'a> {
    scenario: &'a str,
    file: String,
    prompts: &'a [Prompt],
    blocked: &'a [Blocked],
    report_only: &'a [ReportOnlyFinding],
    deferred: &'a [Deferral],
    findings: &'a [Finding],
    /// R-CA-6: workload identities' token requests (only when the scenario has some).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    workload_sign_ins: &'a [WorkloadSignIn],
    /// Policies with controls or conditions casim keeps but does not simulate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_simulated: Vec<NotSimulated<'a>>,
    stats: &'a Stats,
}

#[derive(Serialize)]
struct NotSimulated<'a> {
    policy: &'a str,
    controls: &'a [String],
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
        workload_sign_ins: &outcome.workload_sign_ins,
        not_simulated: scenario
            .policies
            .iter()
            .filter(|p| !p.not_simulated.is_empty())
            .map(|p| NotSimulated { policy: &p.name, controls: &p.not_simulated })
            .collect(),
        stats: &outcome.stats,
    };
    serde_json::to_string_pretty(&report).expect("report types always serialize")
}
