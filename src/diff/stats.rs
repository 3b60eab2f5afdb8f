//! The numbers of `casim diff`: each scenario is simulated under both policy
//! sets and its outcomes folded into per-user records; `Collector::finish`
//! turns them into the summary (docs/diff.md lists every field).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::engine::{Outcome, Reason};
use crate::scenario::Scenario;
use crate::time::{DAY, HOUR, Instant, rfc3339};

/// How many of the largest changes the summary lists.
pub const LARGEST: usize = 10;

/// Percentile `p` (0..=100) of `sorted` (ascending), by linear interpolation
/// between closest ranks (numpy's default, Excel's PERCENTILE.INC); 0 for an
/// empty list.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p / 100.0;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// The most prompts inside any half-open 60-minute window `[t, t + 60m)`, and
/// the instant of the first prompt of the first such window. `times` ascending.
pub fn max_in_hour(times: &[Instant]) -> (usize, Option<Instant>) {
    let mut best = (0, None);
    let mut start = 0;
    for (end, &t) in times.iter().enumerate() {
        while t - times[start] >= HOUR {
            start += 1;
        }
        let count = end - start + 1;
        if count > best.0 {
            best = (count, Some(times[start]));
        }
    }
    best
}

/// Rounds to three decimals, so that what `--fail-if` compares is what is shown.
fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Distribution of prompts per user-day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Distribution {
    pub mean: f64,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

impl Distribution {
    pub fn of(values: &mut [f64]) -> Distribution {
        if values.is_empty() {
            return Distribution::default();
        }
        values.sort_by(f64::total_cmp);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Distribution {
            mean: round3(mean),
            median: round3(percentile(values, 50.0)),
            p95: round3(percentile(values, 95.0)),
            max: round3(values[values.len() - 1]),
        }
    }

    fn minus(self, other: Distribution) -> Distribution {
        Distribution {
            mean: round3(self.mean - other.mean),
            median: round3(self.median - other.median),
            p95: round3(self.p95 - other.p95),
            max: round3(self.max - other.max),
        }
    }
}

/// Where the busiest hour of one run was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub scenario: String,
    pub user: String,
    /// RFC 3339 instant of the window's first prompt.
    pub from: String,
}

/// Report-only findings of one run (R-CA-1, R-CA-3).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportOnly {
    /// Every finding.
    pub findings: usize,
    /// `reportOnlyInterrupted`: a report-only policy would have prompted.
    pub interrupted: usize,
    /// `reportOnlyFailure`: a report-only policy would have blocked.
    pub failure: usize,
}

/// The summary of one run (all scenarios under one policy set).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The policy file as given on the command line.
    pub policies: String,
    pub scenarios: usize,
    pub users: usize,
    /// (user, active day) pairs: the denominator of `prompts_per_user_day`.
    pub user_days: usize,
    pub prompts: usize,
    pub prompts_per_user_day: Distribution,
    /// Prompts by reason; every reason is present.
    pub prompts_by_reason: BTreeMap<&'static str, usize>,
    pub users_prompted: usize,
    pub blocked: usize,
    pub users_blocked: usize,
    /// MFA-fatigue signal: the most prompts one user saw inside 60 minutes.
    pub max_prompts_in_hour: usize,
    /// Where that was; `null` when nobody was prompted.
    pub max_prompts_in_hour_window: Option<Window>,
    pub report_only: ReportOnly,
    pub deferred: usize,
    pub findings: usize,
    /// R-CA-6: workload identities' token requests that a policy blocked.
    pub workload_requests_blocked: usize,
}

/// One (scenario, user, app) with prompts or blocks in either run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub scenario: String,
    pub user: String,
    pub app: String,
    pub prompts_before: usize,
    pub prompts_after: usize,
    pub change: i64,
    pub blocked_before: usize,
    pub blocked_after: usize,
    pub reasons_before: BTreeMap<&'static str, usize>,
    pub reasons_after: BTreeMap<&'static str, usize>,
    /// The change by reason in words, largest first: `["+2 sign_in_frequency", "-1 no_session"]`.
    pub reasons: Vec<String>,
}

impl Row {
    fn blocked_change(&self) -> i64 {
        self.blocked_after as i64 - self.blocked_before as i64
    }

    pub fn changed(&self) -> bool {
        self.change != 0 || self.blocked_change() != 0
    }
}

/// What changed from baseline to proposed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub prompts: i64,
    pub prompts_per_user_day: Distribution,
    pub blocked: i64,
    pub max_prompts_in_hour: i64,
    pub report_only_findings: i64,
    pub users_prompts_rose: usize,
    pub users_prompts_fell: usize,
    pub users_newly_blocked: usize,
    pub users_no_longer_blocked: usize,
    /// The ten largest changes by (user, app), largest first.
    pub largest: Vec<Row>,
    /// Every (user, app) with prompts or blocks in either run.
    pub by_user_app: Vec<Row>,
}

/// The whole `casim diff` result, as `--format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub baseline: Summary,
    pub proposed: Summary,
    pub changes: Changes,
}

#[derive(Default)]
struct AppRun {
    prompts: usize,
    blocked: usize,
    reasons: BTreeMap<&'static str, usize>,
}

#[derive(Default)]
struct UserRun {
    prompt_times: Vec<Instant>,
    prompt_days: BTreeMap<i64, usize>,
    blocked: usize,
    apps: BTreeMap<String, AppRun>,
}

impl UserRun {
    fn prompts(&self) -> usize {
        self.prompt_times.len()
    }
}

struct UserRecord {
    scenario: String,
    user: String,
    days: BTreeSet<i64>,
    runs: [UserRun; 2],
}

#[derive(Default)]
struct Totals {
    report_only: ReportOnly,
    deferred: usize,
    findings: usize,
    workload_requests_blocked: usize,
}

/// Folds scenario outcomes, one scenario at a time.
pub struct Collector {
    policies: [String; 2],
    scenarios: usize,
    users: Vec<UserRecord>,
    totals: [Totals; 2],
}

/// How a scenario is named in the summary: its file name without `.yaml`.
pub fn scenario_label(scenario: &Scenario) -> String {
    scenario.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| scenario.name.clone())
}

impl Collector {
    pub fn new(baseline: &str, proposed: &str) -> Collector {
        Collector {
            policies: [baseline.to_string(), proposed.to_string()],
            scenarios: 0,
            users: Vec::new(),
            totals: Default::default(),
        }
    }

    /// Counts one scenario file (a population is one scenario of many users).
    pub fn scenario_done(&mut self) {
        self.scenarios += 1;
    }

    /// Adds the users of one scenario (or of one population member): its
    /// timeline (either copy; both have the same steps) and its outcomes under
    /// the baseline and the proposed policies.
    pub fn add(&mut self, scenario: &Scenario, before: &Outcome, after: &Outcome) {
        let label = scenario_label(scenario);
        let first = self.users.len();
        for u in &scenario.users {
            self.users.push(UserRecord {
                scenario: label.clone(),
                user: u.id.clone(),
                days: BTreeSet::new(),
                runs: Default::default(),
            });
        }
        for step in &scenario.steps {
            if let Some(u) = step.action.user(&scenario.devices) {
                self.users[first + u].days.insert(step.at.div_euclid(DAY));
            }
        }
        for (side, outcome) in [before, after].into_iter().enumerate() {
            for p in &outcome.prompts {
                let record = &mut self.users[first + p.access.user.0];
                let day = p.at.div_euclid(DAY);
                record.days.insert(day);
                let run = &mut record.runs[side];
                run.prompt_times.push(p.at);
                *run.prompt_days.entry(day).or_default() += 1;
                let app = run.apps.entry(scenario.apps[p.access.app].key.clone()).or_default();
                app.prompts += 1;
                *app.reasons.entry(p.reason.name()).or_default() += 1;
            }
            for b in &outcome.blocked {
                let run = &mut self.users[first + b.access.user.0].runs[side];
                run.blocked += 1;
                run.apps.entry(scenario.apps[b.access.app].key.clone()).or_default().blocked += 1;
            }
            let totals = &mut self.totals[side];
            for f in &outcome.report_only {
                totals.report_only.findings += 1;
                match f.result {
                    "reportOnlyInterrupted" => totals.report_only.interrupted += 1,
                    "reportOnlyFailure" => totals.report_only.failure += 1,
                    _ => {}
                }
            }
            totals.deferred += outcome.deferred.len();
            totals.findings += outcome.findings.len();
            totals.workload_requests_blocked +=
                outcome.workload_sign_ins.iter().filter(|w| w.error_code.is_some()).count();
        }
        for record in &mut self.users[first..] {
            for run in &mut record.runs {
                run.prompt_times.sort_unstable();
            }
        }
    }

    fn summary(&self, side: usize) -> Summary {
        let mut per_day = Vec::new();
        let mut prompts_by_reason: BTreeMap<&'static str, usize> = Reason::NAMES.iter().map(|r| (*r, 0)).collect();
        let (mut prompts, mut users_prompted, mut blocked, mut users_blocked) = (0, 0, 0, 0);
        let mut fatigue = (0, None);
        for record in &self.users {
            let run = &record.runs[side];
            for day in &record.days {
                per_day.push(run.prompt_days.get(day).copied().unwrap_or(0) as f64);
            }
            prompts += run.prompts();
            users_prompted += usize::from(run.prompts() > 0);
            blocked += run.blocked;
            users_blocked += usize::from(run.blocked > 0);
            for app in run.apps.values() {
                for (reason, n) in &app.reasons {
                    *prompts_by_reason.entry(reason).or_default() += n;
                }
            }
            let (count, from) = max_in_hour(&run.prompt_times);
            if count > fatigue.0 {
                fatigue = (
                    count,
                    from.map(|t| Window {
                        scenario: record.scenario.clone(),
                        user: record.user.clone(),
                        from: rfc3339(t),
                    }),
                );
            }
        }
        let totals = &self.totals[side];
        Summary {
            policies: self.policies[side].clone(),
            scenarios: self.scenarios,
            users: self.users.len(),
            user_days: per_day.len(),
            prompts,
            prompts_per_user_day: Distribution::of(&mut per_day),
            prompts_by_reason,
            users_prompted,
            blocked,
            users_blocked,
            max_prompts_in_hour: fatigue.0,
            max_prompts_in_hour_window: fatigue.1,
            report_only: totals.report_only.clone(),
            deferred: totals.deferred,
            findings: totals.findings,
            workload_requests_blocked: totals.workload_requests_blocked,
        }
    }

    fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let empty = AppRun::default();
        for record in &self.users {
            let apps: BTreeSet<&String> = record.runs.iter().flat_map(|r| r.apps.keys()).collect();
            for app in apps {
                let before = record.runs[0].apps.get(app).unwrap_or(&empty);
                let after = record.runs[1].apps.get(app).unwrap_or(&empty);
                let mut deltas: Vec<(i64, &str)> = Reason::NAMES
                    .iter()
                    .map(|r| {
                        let n = |m: &BTreeMap<&'static str, usize>| m.get(r).copied().unwrap_or(0) as i64;
                        (n(&after.reasons) - n(&before.reasons), *r)
                    })
                    .filter(|(d, _)| *d != 0)
                    .collect();
                deltas.sort_by(|a, b| b.0.abs().cmp(&a.0.abs()).then(b.0.cmp(&a.0)).then(a.1.cmp(b.1)));
                rows.push(Row {
                    scenario: record.scenario.clone(),
                    user: record.user.clone(),
                    app: app.clone(),
                    prompts_before: before.prompts,
                    prompts_after: after.prompts,
                    change: after.prompts as i64 - before.prompts as i64,
                    blocked_before: before.blocked,
                    blocked_after: after.blocked,
                    reasons_before: before.reasons.clone(),
                    reasons_after: after.reasons.clone(),
                    reasons: deltas.iter().map(|(d, r)| format!("{d:+} {r}")).collect(),
                });
            }
        }
        rows
    }

    pub fn finish(self) -> Report {
        let baseline = self.summary(0);
        let proposed = self.summary(1);
        let by_user_app = self.rows();
        let mut largest: Vec<Row> = by_user_app.iter().filter(|r| r.changed()).cloned().collect();
        // Stable sort: ties keep scenario, user and app order.
        largest.sort_by(|a, b| {
            b.change.abs().cmp(&a.change.abs()).then(b.blocked_change().abs().cmp(&a.blocked_change().abs()))
        });
        largest.truncate(LARGEST);
        let (mut rose, mut fell, mut newly_blocked, mut unblocked) = (0, 0, 0, 0);
        for record in &self.users {
            let [b, a] = &record.runs;
            rose += usize::from(a.prompts() > b.prompts());
            fell += usize::from(a.prompts() < b.prompts());
            newly_blocked += usize::from(b.blocked == 0 && a.blocked > 0);
            unblocked += usize::from(b.blocked > 0 && a.blocked == 0);
        }
        let changes = Changes {
            prompts: proposed.prompts as i64 - baseline.prompts as i64,
            prompts_per_user_day: proposed.prompts_per_user_day.minus(baseline.prompts_per_user_day),
            blocked: proposed.blocked as i64 - baseline.blocked as i64,
            max_prompts_in_hour: proposed.max_prompts_in_hour as i64 - baseline.max_prompts_in_hour as i64,
            report_only_findings: proposed.report_only.findings as i64 - baseline.report_only.findings as i64,
            users_prompts_rose: rose,
            users_prompts_fell: fell,
            users_newly_blocked: newly_blocked,
            users_no_longer_blocked: unblocked,
            largest,
            by_user_app,
        };
        Report { baseline, proposed, changes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_ranks() {
        let one_to_twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        // numpy.percentile(range(1, 21), [50, 95]) == [10.5, 19.05]
        assert_eq!(percentile(&one_to_twenty, 50.0), 10.5);
        assert!((percentile(&one_to_twenty, 95.0) - 19.05).abs() < 1e-9);
        assert_eq!(percentile(&one_to_twenty, 100.0), 20.0);
        assert_eq!(percentile(&one_to_twenty, 0.0), 1.0);
        assert_eq!(percentile(&[0.0, 0.0, 1.0, 5.0], 50.0), 0.5);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
        assert_eq!(percentile(&[], 95.0), 0.0);
    }

    #[test]
    fn distribution_of_a_known_list() {
        let mut v = vec![3.0, 0.0, 1.0, 0.0, 1.0, 2.0, 0.0, 9.0, 1.0, 0.0];
        let d = Distribution::of(&mut v);
        // sorted: 0 0 0 0 1 1 1 2 3 9; mean 1.7; median (1+1)/2; p95 at rank 8.55: 3 + 0.55 * 6
        assert_eq!(d, Distribution { mean: 1.7, median: 1.0, p95: 6.3, max: 9.0 });
        assert_eq!(Distribution::of(&mut []), Distribution::default());
    }

    #[test]
    fn the_fatigue_window_is_sixty_minutes_half_open() {
        let m = 60;
        assert_eq!(max_in_hour(&[]), (0, None));
        assert_eq!(max_in_hour(&[100]), (1, Some(100)));
        // 00:00, 00:59 and 01:00: 01:00 is outside the window that starts at 00:00.
        assert_eq!(max_in_hour(&[0, 59 * m, 60 * m]), (2, Some(0)));
        // 00:10, 00:20, 00:30, 01:05, 01:15: the busiest hour is 00:10..01:10 (4 prompts).
        assert_eq!(max_in_hour(&[10 * m, 20 * m, 30 * m, 65 * m, 75 * m]), (4, Some(10 * m)));
        // Hourly prompts never share a window.
        assert_eq!(max_in_hour(&[0, HOUR, 2 * HOUR, 3 * HOUR]), (1, Some(0)));
        // Five prompts in the same minute.
        assert_eq!(max_in_hour(&[5, 5, 5, 5, 5]), (5, Some(5)));
    }
}
