//! The numbers of `casim diff`: each scenario is simulated under both policy
//! sets and its outcomes folded, user by user, into exact histograms,
//! counters, the ten largest changes and a `Rows` section of every (user,
//! app) row; `Collector::finish` turns them into the summary (docs/diff.md
//! lists every field). Nothing grows with the population but the rows'
//! section, which leaves memory for a temporary file (issue 11).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};

use super::breakdown::{self, Breakdown, Runs, Tags};
use crate::spill::{Frozen, Spill};

use crate::engine::{Outcome, Reason};
use crate::scenario::Scenario;
use crate::time::{DAY, HOUR, Instant, Zone, rfc3339};

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
    /// The same instant on the scenario's clock (`2026-03-26T14:45:00+01:00`),
    /// only with a `timezone:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_from: Option<String>,
    /// How text writes it: the local calendar time with a `timezone:`.
    #[serde(skip)]
    pub shown: Option<String>,
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
    /// R-PROMPT-2: answers that took an MFA challenge (a prompt answered with
    /// password and MFA, or an MFA step-up), the burden a prompt count hides.
    pub mfa_challenges: usize,
    pub mfa_challenges_per_user_day: Distribution,
    pub users_mfa_challenged: usize,
    /// The fatigue signal counting both: the most prompts plus MFA challenges
    /// one user met inside 60 minutes.
    pub max_prompts_and_mfa_in_hour: usize,
    pub report_only: ReportOnly,
    pub deferred: usize,
    pub findings: usize,
    /// R-CA-6: workload identities' token requests that a policy blocked.
    pub workload_requests_blocked: usize,
}

/// One (scenario, user, app) with prompts or blocks in either run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub scenario: String,
    pub user: String,
    pub app: String,
    pub prompts_before: usize,
    pub prompts_after: usize,
    pub change: i64,
    pub blocked_before: usize,
    pub blocked_after: usize,
    pub reasons_before: BTreeMap<String, usize>,
    pub reasons_after: BTreeMap<String, usize>,
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
#[derive(Debug, Serialize)]
pub struct Changes {
    /// The numbers, printed first as the object's own fields.
    #[serde(flatten)]
    pub figures: ChangeFigures,
    /// The ten largest changes by (user, app), largest first.
    pub largest: Vec<Row>,
    /// Every (user, app) with prompts or blocks in either run.
    pub by_user_app: Rows,
}

/// The numbers of `Changes`: what `--fail-if` compares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeFigures {
    pub prompts: i64,
    pub prompts_per_user_day: Distribution,
    pub blocked: i64,
    pub max_prompts_in_hour: i64,
    pub mfa_challenges: i64,
    pub mfa_challenges_per_user_day: Distribution,
    pub max_prompts_and_mfa_in_hour: i64,
    pub report_only_findings: i64,
    pub users_prompts_rose: usize,
    pub users_prompts_fell: usize,
    pub users_newly_blocked: usize,
    pub users_no_longer_blocked: usize,
}

/// Every (user, app) row, in scenario, user and app order, kept as JSON
/// lines in a section (memory, then a temporary file) and read back as
/// often as a renderer needs.
#[derive(Debug, Default)]
pub struct Rows {
    lines: Frozen,
    len: usize,
    changed: usize,
    with_blocked: bool,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Rows whose prompts or blocks changed.
    pub fn changed(&self) -> usize {
        self.changed
    }

    /// Whether any row has a blocked access in either run.
    pub fn with_blocked(&self) -> bool {
        self.with_blocked
    }

    /// Hands every row to `each`, in order.
    pub fn for_each(&self, mut each: impl FnMut(Row) -> io::Result<()>) -> io::Result<()> {
        for line in self.lines.reader()?.lines() {
            let row = serde_json::from_str(&line?).map_err(io::Error::other)?;
            each(row)?;
        }
        Ok(())
    }
}

/// A JSON array, row by row from the section.
impl Serialize for Rows {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.len))?;
        let mut failed = None;
        let read = self.for_each(|row| {
            if failed.is_none() {
                failed = seq.serialize_element(&row).err();
            }
            Ok(())
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(S::Error::custom)?;
        seq.end()
    }
}

/// The rows while they are collected.
#[derive(Default)]
struct RowsWriter {
    lines: Spill,
    len: usize,
    changed: usize,
    with_blocked: bool,
}

impl RowsWriter {
    fn push(&mut self, row: &Row) -> io::Result<()> {
        let line = serde_json::to_string(row).map_err(io::Error::other)?;
        self.lines.write(line.as_bytes())?;
        self.lines.write(b"\n")?;
        self.len += 1;
        self.changed += usize::from(row.changed());
        self.with_blocked |= row.blocked_before > 0 || row.blocked_after > 0;
        Ok(())
    }

    fn finish(self) -> io::Result<Rows> {
        Ok(Rows { lines: self.lines.freeze()?, len: self.len, changed: self.changed, with_blocked: self.with_blocked })
    }
}

/// The whole `casim diff` result, as `--format json` prints it.
#[derive(Debug, Serialize)]
pub struct Report {
    pub baseline: Summary,
    pub proposed: Summary,
    /// Both runs' figures by persona, group, device join type and platform.
    pub by_group: Breakdown,
    pub changes: Changes,
}

/// Exact counts of whole values (prompts in one user-day → how many
/// user-days saw that many): the distribution's figures come out as from the
/// full sorted list, and two histograms add up exactly.
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    /// The counts of values below `SMALL`, by value: summaries add one value
    /// per user-day and group, nearly all of them small, and an array takes
    /// them without a tree's search (issue 11).
    small: Vec<u64>,
    large: BTreeMap<u64, u64>,
}

const SMALL: u64 = 64;

impl PartialEq for Histogram {
    fn eq(&self, other: &Histogram) -> bool {
        self.entries().eq(other.entries())
    }
}

impl Eq for Histogram {}

impl Histogram {
    pub fn add(&mut self, value: u64) {
        self.add_n(value, 1);
    }

    /// `value`, `times` times.
    pub fn add_n(&mut self, value: u64, times: u64) {
        if times == 0 {
            return;
        }
        if value < SMALL {
            let i = value as usize;
            if self.small.len() <= i {
                self.small.resize(i + 1, 0);
            }
            self.small[i] += times;
        } else {
            *self.large.entry(value).or_default() += times;
        }
    }

    /// Each value held and how many times, in value order.
    fn entries(&self) -> impl DoubleEndedIterator<Item = (u64, u64)> + '_ {
        let small = self.small.iter().enumerate().filter(|(_, n)| **n > 0).map(|(v, n)| (v as u64, *n));
        small.chain(self.large.iter().map(|(v, n)| (*v, *n)))
    }

    pub fn count(&self) -> u64 {
        self.entries().map(|(_, n)| n).sum()
    }

    /// The `k`-th smallest value (0-based); `k` below `count()`.
    fn nth(&self, k: u64) -> f64 {
        let mut seen = 0;
        for (value, n) in self.entries() {
            seen += n;
            if k < seen {
                return value as f64;
            }
        }
        0.0
    }

    /// Percentile `p` as `percentile` gives it over the sorted values.
    fn percentile(&self, p: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return 0.0;
        }
        let h = (n - 1) as f64 * p / 100.0;
        let lo = h.floor() as u64;
        let hi = (lo + 1).min(n - 1);
        let (a, b) = (self.nth(lo), self.nth(hi));
        a + (h - lo as f64) * (b - a)
    }

    pub fn distribution(&self) -> Distribution {
        let n = self.count();
        if n == 0 {
            return Distribution::default();
        }
        // Whole values: the sum is exact, as the list's f64 sum was.
        let sum: u64 = self.entries().map(|(v, c)| v * c).sum();
        Distribution {
            mean: round3(sum as f64 / n as f64),
            median: round3(self.percentile(50.0)),
            p95: round3(self.percentile(95.0)),
            max: round3(self.entries().next_back().map_or(0, |(v, _)| v) as f64),
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
struct AppRun {
    prompts: usize,
    blocked: usize,
    #[serde(deserialize_with = "reason_names")]
    reasons: BTreeMap<&'static str, usize>,
}

/// Reason counts read back from a partial result: each name one of `Reason::NAMES`.
fn reason_names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<&'static str, usize>, D::Error> {
    let owned = BTreeMap::<String, usize>::deserialize(d)?;
    owned
        .into_iter()
        .map(|(name, n)| {
            let known = Reason::NAMES.iter().find(|r| **r == name);
            known.map(|r| (*r, n)).ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not a reason")))
        })
        .collect()
}

#[derive(Default, Serialize, Deserialize)]
struct UserRun {
    prompt_times: Vec<Instant>,
    prompt_days: BTreeMap<i64, usize>,
    /// When the user completed an MFA challenge, and how many a day.
    #[serde(default)]
    mfa_times: Vec<Instant>,
    #[serde(default)]
    mfa_days: BTreeMap<i64, usize>,
    blocked: usize,
    apps: BTreeMap<String, AppRun>,
    /// The same, device by device, for the summaries by group.
    #[serde(default)]
    devices: Runs,
}

impl UserRun {
    fn prompts(&self) -> usize {
        self.prompt_times.len()
    }
}

/// One user of the scenario being added, under both runs.
#[derive(Serialize, Deserialize)]
struct UserRecord {
    user: String,
    #[serde(default)]
    tags: Tags,
    days: BTreeSet<i64>,
    runs: [UserRun; 2],
}

/// One scenario's (or population member's, or replayed user's) share of a
/// diff: its users under both runs and the counts that are not per user.
/// What `Collector::add` folds, and what a partial result keeps per user
/// (`casim merge`, docs/scale.md).
#[derive(Serialize, Deserialize)]
pub struct Share {
    label: String,
    users: Vec<UserRecord>,
    /// Per run: report-only findings, interrupted, failure; deferred; findings; workload requests blocked.
    counts: [[usize; 6]; 2],
    /// The scenario's `timezone:`, for the busiest hour's local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zone: Option<String>,
}

impl Share {
    /// `scenario`'s share under the baseline's and the proposed policies' outcomes.
    pub fn of(scenario: &Scenario, before: &Outcome, after: &Outcome) -> Share {
        let counts = [before, after].map(|o| {
            let ro = |r: &str| o.report_only.iter().filter(|f| f.result == r).count();
            [
                o.report_only.len(),
                ro("reportOnlyInterrupted"),
                ro("reportOnlyFailure"),
                o.deferred.len(),
                o.findings.len(),
                o.workload_sign_ins.iter().filter(|w| w.error_code.is_some()).count(),
            ]
        });
        let zone = scenario.zone.name().map(str::to_string);
        Share { label: scenario_label(scenario), users: records(scenario, [before, after]), counts, zone }
    }
}

/// One run's figures over every user folded so far.
#[derive(Default)]
struct Side {
    per_day: Histogram,
    prompts: usize,
    prompts_by_reason: BTreeMap<&'static str, usize>,
    users_prompted: usize,
    blocked: usize,
    users_blocked: usize,
    fatigue: (usize, Option<Window>),
    mfa_per_day: Histogram,
    mfa: usize,
    users_mfa: usize,
    interruptions: usize,
    report_only: ReportOnly,
    deferred: usize,
    findings: usize,
    workload_requests_blocked: usize,
}

/// Folds scenario outcomes, one scenario (or population member) at a time.
pub struct Collector {
    policies: [String; 2],
    scenarios: usize,
    users: usize,
    sides: [Side; 2],
    /// Users whose prompts rose, fell; newly blocked, no longer blocked.
    moved: [usize; 4],
    /// The largest changes so far, with their place among all rows (ties keep row order).
    largest: Vec<(usize, Row)>,
    rows: RowsWriter,
    by_group: Breakdown,
    /// The first error keeping the rows, reported by `finish`.
    failed: Option<io::Error>,
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
            users: 0,
            sides: Default::default(),
            moved: [0; 4],
            largest: Vec::new(),
            rows: RowsWriter::default(),
            by_group: Breakdown::new(2),
            failed: None,
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
        self.add_share(Share::of(scenario, before, after));
    }

    /// Adds a share, made here or read back from a partial result.
    pub fn add_share(&mut self, share: Share) {
        for record in &share.users {
            let zone = share.zone.as_deref().and_then(|z| Zone::parse(z).ok()).unwrap_or(Zone::UTC);
            self.fold_user(&share.label, record, zone);
        }
        for (side, c) in self.sides.iter_mut().zip(share.counts) {
            side.report_only.findings += c[0];
            side.report_only.interrupted += c[1];
            side.report_only.failure += c[2];
            side.deferred += c[3];
            side.findings += c[4];
            side.workload_requests_blocked += c[5];
        }
    }

    fn fold_user(&mut self, label: &str, record: &UserRecord, zone: Zone) {
        self.users += 1;
        for (side, run) in self.sides.iter_mut().zip(&record.runs) {
            for day in &record.days {
                side.per_day.add(run.prompt_days.get(day).copied().unwrap_or(0) as u64);
                side.mfa_per_day.add(run.mfa_days.get(day).copied().unwrap_or(0) as u64);
            }
            side.mfa += run.mfa_times.len();
            side.users_mfa += usize::from(!run.mfa_times.is_empty());
            let mut both: Vec<Instant> = run.prompt_times.iter().chain(&run.mfa_times).copied().collect();
            both.sort_unstable();
            side.interruptions = side.interruptions.max(max_in_hour(&both).0);
            side.prompts += run.prompts();
            side.users_prompted += usize::from(run.prompts() > 0);
            side.blocked += run.blocked;
            side.users_blocked += usize::from(run.blocked > 0);
            for app in run.apps.values() {
                for (reason, n) in &app.reasons {
                    *side.prompts_by_reason.entry(reason).or_default() += n;
                }
            }
            // The first user with the most prompts in an hour keeps the window.
            let (count, from) = max_in_hour(&run.prompt_times);
            if count > side.fatigue.0 {
                let user = record.user.clone();
                let window = |t| Window {
                    scenario: label.to_string(),
                    user,
                    from: rfc3339(t),
                    local_from: zone.is_set().then(|| zone.rfc3339(t).as_str().to_string()),
                    shown: zone.is_set().then(|| zone.calendar(t).as_str().to_string()),
                };
                side.fatigue = (count, from.map(window));
            }
        }
        self.by_group.add(&record.tags, &record.days, &[&record.runs[0].devices, &record.runs[1].devices]);
        let [b, a] = &record.runs;
        self.moved[0] += usize::from(a.prompts() > b.prompts());
        self.moved[1] += usize::from(a.prompts() < b.prompts());
        self.moved[2] += usize::from(b.blocked == 0 && a.blocked > 0);
        self.moved[3] += usize::from(b.blocked > 0 && a.blocked == 0);
        for row in rows(label, record) {
            if row.changed() {
                self.offer_largest(row.clone());
            }
            if self.failed.is_none() {
                self.failed = self.rows.push(&row).err();
            }
        }
    }

    /// Keeps the `LARGEST` largest changes by prompts, then blocks, each
    /// absolute; ties keep the order rows came in.
    fn offer_largest(&mut self, row: Row) {
        let key = |r: &Row| (r.change.unsigned_abs(), r.blocked_change().unsigned_abs());
        let place = self.rows.len;
        self.largest.push((place, row));
        self.largest.sort_by(|(pa, a), (pb, b)| key(b).cmp(&key(a)).then(pa.cmp(pb)));
        self.largest.truncate(LARGEST);
    }

    fn summary(&self, side: usize) -> Summary {
        let s = &self.sides[side];
        let mut prompts_by_reason: BTreeMap<&'static str, usize> = Reason::NAMES.iter().map(|r| (*r, 0)).collect();
        for (reason, n) in &s.prompts_by_reason {
            *prompts_by_reason.entry(reason).or_default() += n;
        }
        Summary {
            policies: self.policies[side].clone(),
            scenarios: self.scenarios,
            users: self.users,
            user_days: s.per_day.count() as usize,
            prompts: s.prompts,
            prompts_per_user_day: s.per_day.distribution(),
            prompts_by_reason,
            users_prompted: s.users_prompted,
            blocked: s.blocked,
            users_blocked: s.users_blocked,
            max_prompts_in_hour: s.fatigue.0,
            max_prompts_in_hour_window: s.fatigue.1.clone(),
            mfa_challenges: s.mfa,
            mfa_challenges_per_user_day: s.mfa_per_day.distribution(),
            users_mfa_challenged: s.users_mfa,
            max_prompts_and_mfa_in_hour: s.interruptions,
            report_only: s.report_only.clone(),
            deferred: s.deferred,
            findings: s.findings,
            workload_requests_blocked: s.workload_requests_blocked,
        }
    }

    /// The report; an error when the rows could not be kept.
    pub fn finish(self) -> io::Result<Report> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let baseline = self.summary(0);
        let proposed = self.summary(1);
        let [rose, fell, newly_blocked, unblocked] = self.moved;
        let figures = ChangeFigures {
            prompts: proposed.prompts as i64 - baseline.prompts as i64,
            prompts_per_user_day: proposed.prompts_per_user_day.minus(baseline.prompts_per_user_day),
            blocked: proposed.blocked as i64 - baseline.blocked as i64,
            max_prompts_in_hour: proposed.max_prompts_in_hour as i64 - baseline.max_prompts_in_hour as i64,
            mfa_challenges: proposed.mfa_challenges as i64 - baseline.mfa_challenges as i64,
            mfa_challenges_per_user_day: proposed
                .mfa_challenges_per_user_day
                .minus(baseline.mfa_challenges_per_user_day),
            max_prompts_and_mfa_in_hour: proposed.max_prompts_and_mfa_in_hour as i64
                - baseline.max_prompts_and_mfa_in_hour as i64,
            report_only_findings: proposed.report_only.findings as i64 - baseline.report_only.findings as i64,
            users_prompts_rose: rose,
            users_prompts_fell: fell,
            users_newly_blocked: newly_blocked,
            users_no_longer_blocked: unblocked,
        };
        let changes = Changes {
            figures,
            largest: self.largest.into_iter().map(|(_, row)| row).collect(),
            by_user_app: self.rows.finish()?,
        };
        Ok(Report { baseline, proposed, by_group: self.by_group, changes })
    }
}

/// Each user of `scenario` with their active days and both runs' prompts,
/// blocks and apps, in the scenario's user order.
fn records(scenario: &Scenario, outcomes: [&Outcome; 2]) -> Vec<UserRecord> {
    // User-days are the scenario's local calendar days (UTC without `timezone:`).
    let mut days = breakdown::active_days(scenario);
    let devices = outcomes.map(|o| breakdown::runs(scenario, o, &mut days));
    let mut users: Vec<UserRecord> = scenario
        .users
        .iter()
        .zip(breakdown::tags(scenario))
        .zip(days)
        .map(|((u, tags), days)| UserRecord { user: u.id.clone(), tags, days, runs: Default::default() })
        .collect();
    for (side, runs) in devices.into_iter().enumerate() {
        for (record, runs) in users.iter_mut().zip(runs) {
            record.runs[side].devices = runs;
        }
    }
    let zone = scenario.zone;
    for (side, outcome) in outcomes.into_iter().enumerate() {
        for p in &outcome.prompts {
            let record = &mut users[p.access.user.0];
            let day = zone.wall(p.at).div_euclid(DAY);
            let run = &mut record.runs[side];
            run.prompt_times.push(p.at);
            *run.prompt_days.entry(day).or_default() += 1;
            if p.answer.is_some_and(|a| a.challenged()) {
                let when = p.answered_at.unwrap_or(p.at);
                run.mfa_times.push(when);
                *run.mfa_days.entry(zone.wall(when).div_euclid(DAY)).or_default() += 1;
            }
            let app = run.apps.entry(scenario.apps[p.access.app].key.clone()).or_default();
            app.prompts += 1;
            *app.reasons.entry(p.reason.name()).or_default() += 1;
        }
        for b in &outcome.blocked {
            let run = &mut users[b.access.user.0].runs[side];
            run.blocked += 1;
            run.apps.entry(scenario.apps[b.access.app].key.clone()).or_default().blocked += 1;
        }
    }
    for record in &mut users {
        for run in &mut record.runs {
            run.prompt_times.sort_unstable();
            run.mfa_times.sort_unstable();
        }
    }
    users
}

/// A user's rows: one per app with prompts or blocks in either run.
fn rows(label: &str, record: &UserRecord) -> Vec<Row> {
    let empty = AppRun::default();
    let apps: BTreeSet<&String> = record.runs.iter().flat_map(|r| r.apps.keys()).collect();
    let owned = |m: &BTreeMap<&'static str, usize>| m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    apps.into_iter()
        .map(|app| {
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
            Row {
                scenario: label.to_string(),
                user: record.user.clone(),
                app: app.clone(),
                prompts_before: before.prompts,
                prompts_after: after.prompts,
                change: after.prompts as i64 - before.prompts as i64,
                blocked_before: before.blocked,
                blocked_after: after.blocked,
                reasons_before: owned(&before.reasons),
                reasons_after: owned(&after.reasons),
                reasons: deltas.iter().map(|(d, r)| format!("{d:+} {r}")).collect(),
            }
        })
        .collect()
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
    fn a_histogram_gives_the_figures_of_its_sorted_list() {
        let values = [3u64, 0, 1, 0, 1, 2, 0, 9, 1, 0, 4, 4, 17, 0, 2];
        let mut list: Vec<f64> = values.iter().map(|v| *v as f64).collect();
        let mut h = Histogram::default();
        for v in values {
            h.add(v);
        }
        assert_eq!(h.distribution(), Distribution::of(&mut list));
        assert_eq!(h.count(), 15);
        assert_eq!(Histogram::default().distribution(), Distribution::default());
    }

    #[test]
    fn a_histogram_holds_large_values_and_bulk_adds_exactly() {
        // Values either side of the array's end (64), a bulk add and an add of none.
        let values = [0u64, 63, 64, 65, 1_000, 0, 63, 7, 1_000_000];
        let mut list: Vec<f64> = values.iter().map(|v| *v as f64).collect();
        list.extend([5.0; 4]);
        let mut h = Histogram::default();
        values.iter().for_each(|v| h.add(*v));
        h.add_n(5, 4);
        h.add_n(99, 0);
        assert_eq!(h.distribution(), Distribution::of(&mut list));
        assert_eq!(h.count(), 13);
        // Equal contents are equal however they were added.
        let mut g = Histogram::default();
        g.add_n(40, 0);
        g.add(2);
        let mut k = Histogram::default();
        k.add(2);
        assert_eq!(g, k);
        k.add(70);
        assert_ne!(g, k);
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
