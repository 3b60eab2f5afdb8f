//! What one user's timeline shows, in time and words: lanes (the account, each
//! device, each app and client on a device), bars (device state, use, valid
//! sessions) and marks (prompts, PRT refreshes, device events). Nothing here
//! knows about pixels; `timeline` draws it.

use std::collections::BTreeMap;

use crate::domain::{AppIdx, Client, DeviceIdx, Join, UserIdx};
use crate::engine::state::Access;
use crate::engine::{self, Blocked, Deferral, Finding, Options, Outcome, Prompt, ReportOnlyFinding};
use crate::scenario::Scenario;
use crate::scenario::model::Action;
use crate::signin::{Resource, SignInEvent};
use crate::time::{Instant, Zone};

mod marks;

pub(super) use marks::{app_name, detail_words};
use marks::{outcome_marks, record_marks, step_marks};

/// A successful sign-in record, reduced to what the timeline draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub at: Instant,
    pub user: UserIdx,
    pub device: DeviceIdx,
    pub kind: MarkKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A "Windows Sign In" record: the device sign-in or unlock refreshed the PRT (R-PRT-1).
    PrtRefresh { interactive: bool },
    /// A token issued for an app.
    Token { app: AppIdx, client: Client },
}

/// One simulation: the outcome and the successful sign-in records.
#[derive(Debug, Default)]
pub struct Run {
    pub outcome: Outcome,
    pub marks: Vec<Mark>,
    /// Successful sign-in records past `MAX_MARKS`, counted, not drawn.
    pub marks_dropped: u64,
}

/// The sign-in records one page draws: a page is read by a person, and
/// memory must follow live state, not a long timeline's history (issue 9).
pub(super) const MAX_MARKS: usize = 200_000;

/// Simulates `scenario` (not a `population:`; see `html::render`) and keeps
/// the first `MAX_MARKS` successful sign-in records as `Mark`s.
pub fn collect(scenario: &Scenario) -> Run {
    let mut marks = Vec::new();
    let mut dropped = 0u64;
    let mut sink = |e: SignInEvent| {
        if e.error_code.is_some() {
            return;
        }
        if marks.len() >= MAX_MARKS {
            dropped += 1;
            return;
        }
        let kind = match e.resource {
            Resource::WindowsSignIn => MarkKind::PrtRefresh { interactive: e.interactive },
            Resource::App(app) => MarkKind::Token { app, client: e.client },
        };
        marks.push(Mark { at: e.at, user: e.user, device: e.device, kind });
    };
    let outcome = engine::simulate_with_sink(scenario, Options::default(), &mut sink);
    Run { outcome, marks, marks_dropped: dropped }
}

/// The part of a run that concerns one user.
#[derive(Debug, Default, Clone)]
pub struct UserPart {
    pub prompts: Vec<Prompt>,
    pub blocked: Vec<Blocked>,
    pub report_only: Vec<ReportOnlyFinding>,
    pub deferred: Vec<Deferral>,
    pub findings: Vec<Finding>,
    /// The names of the run's policies, which its findings' indices point into.
    pub policies: Vec<String>,
    pub marks: Vec<Mark>,
}

impl UserPart {
    /// The name of a policy the part's findings point to.
    pub fn policy(&self, policy: Option<usize>) -> Option<&str> {
        policy.and_then(|i| self.policies.get(i)).map(String::as_str)
    }
}

/// Splits a run by user, in the order of `scenario`'s users; `scenario` is
/// the one the run simulated, whose indices and policy names it holds.
pub fn split(scenario: &Scenario, run: Run) -> Vec<UserPart> {
    let policies: Vec<String> = scenario.policies.iter().map(|p| p.name.clone()).collect();
    let mut parts = vec![UserPart { policies, ..UserPart::default() }; scenario.users.len()];
    let Run { outcome, marks, .. } = run;
    for p in outcome.prompts {
        if let Some(part) = parts.get_mut(p.access.user.0) {
            part.prompts.push(p);
        }
    }
    for b in outcome.blocked {
        if let Some(part) = parts.get_mut(b.access.user.0) {
            part.blocked.push(b);
        }
    }
    for f in outcome.report_only {
        if let Some(part) = parts.get_mut(f.access.user.0) {
            part.report_only.push(f);
        }
    }
    for d in outcome.deferred {
        if let Some(part) = parts.get_mut(d.access.user.0) {
            part.deferred.push(d);
        }
    }
    for f in outcome.findings {
        if let Some(part) = parts.get_mut(f.access.user.0) {
            part.findings.push(f);
        }
    }
    for m in marks {
        if let Some(p) = parts.get_mut(m.user) {
            p.marks.push(m);
        }
    }
    parts
}

/// Which steps concern which user, in time order (stable for equal instants).
/// Steps that name only a device (lock, sign-out, compliance) belong to the
/// user signed in to it, else to its owner; policy changes to everyone.
pub(super) fn steps_by_user(scenario: &Scenario) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut order: Vec<usize> = (0..scenario.steps.len()).collect();
    order.sort_by_key(|&i| scenario.steps[i].at);
    let mut per_user = vec![Vec::new(); scenario.users.len()];
    let mut global = Vec::new();
    let mut current: BTreeMap<DeviceIdx, UserIdx> = BTreeMap::new();
    for i in order {
        let user = match &scenario.steps[i].action {
            Action::SignInDevice { user, device } | Action::Unlock { user, device } => {
                current.insert(*device, *user);
                Some(*user)
            }
            Action::Lock { device } | Action::SetCompliant { device, .. } => {
                Some(current.get(device).copied().unwrap_or(scenario.devices[*device].owner))
            }
            Action::SignOutDevice { device } => Some(current.remove(device).unwrap_or(scenario.devices[*device].owner)),
            other => other.user(&scenario.devices),
        };
        match user {
            Some(u) if u < per_user.len() => per_user[u].push(i),
            Some(_) => {}
            None => global.push(i),
        }
    }
    (per_user, global)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum LaneKey {
    Account,
    Device(DeviceIdx),
    App(DeviceIdx, AppIdx, Client),
}

/// A horizontal interval on a lane.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bar {
    pub from: Instant,
    pub to: Instant,
    pub kind: BarKind,
    /// Later bars of the same kind drawn into this one (see `Builder::bar`).
    pub merged: u32,
}

/// Bars a lane holds one by one before later ones closer than the page's
/// resolution join the last: a year of half-hourly uses is a band, not a
/// million rectangles, and the page's memory stays bounded (issue 9).
const BARS_BEFORE_MERGING: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BarKind {
    /// Signed in to the device and unlocked.
    Unlocked,
    /// Signed in to the device, locked.
    Locked,
    /// A `use` step with `until`.
    Use,
    /// A `background` step.
    Background,
    /// A valid session (approximation; see docs/report.md).
    Session,
}

/// Where a mark sits inside its lane: in a diff, baseline marks above, proposed below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Row {
    Middle,
    Top,
    Bottom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MarkShape {
    /// A prompt of the shown run, filled with its reason's colour.
    Prompt,
    /// A prompt of the baseline run (diff), a ring in its reason's colour.
    BaselinePrompt,
    Blocked,
    BaselineBlocked,
    ReportOnly,
    Deferred,
    Finding,
    PrtRefresh,
    SignIn,
    SignOut,
    Lock,
    Unlock,
    CloseBrowser,
    OpenBrowser,
    /// A `use` without `until`, or a user action: one request.
    Touch,
    /// Password change, revocation, disable, enable, compliance change.
    Account,
}

/// A point on a lane with its hover text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Point {
    pub at: Instant,
    pub shape: MarkShape,
    /// The prompt's reason (`Reason::name`) for prompts and report-only findings.
    pub reason: Option<&'static str>,
    pub row: Row,
    /// A prompt answered later (R-DEF-3): drawn as a line to this instant.
    pub answered: Option<Instant>,
    /// Hover text; each `AT` stands for the next of `times`, or for `at` when `times` is empty.
    pub title: String,
    pub times: Vec<Instant>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Lane {
    pub key: LaneKey,
    pub label: String,
    /// The full label, for hovering.
    pub hint: String,
    pub bars: Vec<Bar>,
    pub points: Vec<Point>,
    /// Device and step marks not drawn: too close to the last one of their
    /// shape on a lane that already holds many (see `Builder::point`).
    pub thinned: u32,
}

/// Everything one user's timeline shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct UserView {
    pub lanes: Vec<Lane>,
    /// Policy state changes (`set_policy_state`): vertical lines across the timeline.
    pub policy_changes: Vec<(Instant, String)>,
    /// First and last instant of anything shown (`None` when the user did nothing).
    pub extent: Option<(Instant, Instant)>,
}

/// "Tue 6 Jan 15:00 UTC", or with `timezone:` the calendar time with its
/// offset ("Tue 6 Jan 16:00 +01:00", as text outputs write it): the one form
/// of an instant on the page. The page's script writes the same (`when` in
/// page.js) for the instants of hover texts and prompt rows; this one is for
/// the few the page writes itself.
pub(super) fn when(zone: Zone, t: Instant) -> String {
    if zone.is_set() {
        return zone.calendar(t).as_str().to_string();
    }
    let calendar = chrono::DateTime::<chrono::Utc>::from_timestamp(t, 0)
        .map(|d| d.format("%a %-d %b %H:%M").to_string())
        .unwrap_or_else(|| t.to_string());
    let seconds = if t % 60 != 0 { format!(":{:02}", t.rem_euclid(60)) } else { String::new() };
    format!("{calendar}{seconds} UTC")
}

/// Where a hover text names an instant: the page's script writes it there
/// (`when` in page.js), so that the words repeat and are stored once.
pub(super) const AT: char = '\u{1}';

/// A step's hover text: its instant, then `words`.
fn at_then(words: impl std::fmt::Display) -> String {
    format!("{AT}\n{words}")
}

/// Builds a user's lanes from their steps (`steps_by_user`). `shown` is the run drawn in full (the proposed one in
/// a diff); `baseline`, in a diff, adds the baseline's prompts and blocks as
/// rings above them.
pub(super) fn build(
    scenario: &Scenario,
    steps: &[usize],
    global: &[usize],
    shown: &UserPart,
    baseline: Option<&UserPart>,
) -> UserView {
    let last_step = steps.iter().map(|&i| scenario.steps[i].at).max().unwrap_or(scenario.start);
    // About a pixel of the timeline's width, at least a minute.
    let resolution = ((last_step - scenario.start) / 4_000).max(60);
    let mut b =
        Builder { scenario, lanes: Vec::new(), index: BTreeMap::new(), devices: Vec::new(), resolution, extent: None };
    let start = scenario.start;

    // Device state: the open interval of each device (kind, since).
    let mut open: BTreeMap<DeviceIdx, (BarKind, Instant)> = BTreeMap::new();
    step_marks(&mut b, steps, &mut open);
    record_marks(&mut b, shown);
    outcome_marks(&mut b, shown, baseline);

    // Devices still signed in at the end: their state lasts to the last instant shown.
    let end = b.extent.map(|(_, z)| z).unwrap_or(start);
    let devices: Vec<DeviceIdx> = open.keys().copied().collect();
    for d in devices {
        b.close(&mut open, d, end);
    }

    b.sessions(shown);

    let policy_changes = global
        .iter()
        .filter_map(|&i| match &scenario.steps[i].action {
            Action::SetPolicyState { policy, state } => {
                let t = scenario.steps[i].at;
                Some((t, at_then(format!("policy `{}` set to {state:?}", scenario.policies[*policy].name))))
            }
            _ => None,
        })
        .collect();

    let extent = b.extent;
    UserView { lanes: b.finish(), policy_changes, extent }
}

struct Builder<'a> {
    scenario: &'a Scenario,
    lanes: Vec<Lane>,
    index: BTreeMap<LaneKey, usize>,
    /// Devices in order of first appearance.
    devices: Vec<DeviceIdx>,
    /// Seconds below which a lane with many bars joins a bar to the last one.
    resolution: Instant,
    /// The first and last instants drawn.
    extent: Option<(Instant, Instant)>,
}

impl Builder<'_> {
    fn see(&mut self, t: Instant) {
        self.extent = Some(match self.extent {
            None => (t, t),
            Some((a, z)) => (a.min(t), z.max(t)),
        });
    }

    fn device_words(&self, d: DeviceIdx) -> String {
        let dev = &self.scenario.devices[d];
        format!("{} ({})", dev.id, join_words(dev.join))
    }

    fn lane(&mut self, key: LaneKey) -> &mut Lane {
        if let Some(&i) = self.index.get(&key) {
            return &mut self.lanes[i];
        }
        let sc = self.scenario;
        let device = match key {
            LaneKey::Account => None,
            LaneKey::Device(d) | LaneKey::App(d, _, _) => Some(d),
        };
        if let Some(d) = device {
            if !self.devices.contains(&d) {
                self.devices.push(d);
            }
            if !matches!(key, LaneKey::Device(_)) {
                self.lane(LaneKey::Device(d));
            }
        }
        let (label, hint) = match key {
            LaneKey::Account => ("account".to_string(), "the user's account".to_string()),
            LaneKey::Device(d) => {
                let dev = &sc.devices[d];
                (
                    dev.id.clone(),
                    format!("{}: {:?} {}, {}", dev.id, dev.platform, join_words(dev.join), dev.browser.name()),
                )
            }
            LaneKey::App(d, a, c) => {
                let app = &sc.apps[a];
                (format!("{} · {}", app.key, c.name()), format!("{} ({}) on {}", app.name, c.words(), sc.devices[d].id))
            }
        };
        self.index.insert(key, self.lanes.len());
        self.lanes.push(Lane { key, label, hint, bars: Vec::new(), points: Vec::new(), thinned: 0 });
        self.lanes.last_mut().expect("just pushed")
    }

    fn lane_of(&mut self, access: Access) -> LaneKey {
        LaneKey::App(access.device.0, access.app.0, access.client)
    }

    /// A bar; its hover text follows from its kind and lane (page.js writes it).
    fn bar(&mut self, key: LaneKey, from: Instant, to: Instant, kind: BarKind) {
        let resolution = self.resolution;
        let lane = self.lane(key);
        if lane.bars.len() >= BARS_BEFORE_MERGING
            && let Some(last) = lane.bars.last_mut()
            && last.kind == kind
            && from >= last.from
            && from - last.to <= resolution
        {
            last.to = last.to.max(to);
            last.merged += 1;
            return;
        }
        lane.bars.push(Bar { from, to, kind, merged: 0 });
    }

    /// A step's or device's mark. Prompts and blocks go through `push_point`
    /// and are always drawn; these thin out like bars (`BARS_BEFORE_MERGING`).
    fn point(&mut self, key: LaneKey, at: Instant, shape: MarkShape, title: String) {
        let resolution = self.resolution;
        let lane = self.lane(key);
        let crowded = lane.points.len() >= BARS_BEFORE_MERGING;
        if crowded && lane.points.iter().rev().find(|p| p.shape == shape).is_some_and(|p| at - p.at <= resolution) {
            lane.thinned += 1;
            return;
        }
        lane.points.push(Point { at, shape, reason: None, row: Row::Middle, answered: None, title, times: Vec::new() });
    }

    fn push_point(&mut self, key: LaneKey, point: Point) {
        self.lane(key).points.push(point);
    }

    fn close(&mut self, open: &mut BTreeMap<DeviceIdx, (BarKind, Instant)>, device: DeviceIdx, t: Instant) {
        if let Some((kind, since)) = open.remove(&device) {
            self.bar(LaneKey::Device(device), since, t, kind);
        }
    }

    /// The shaded valid sessions of each app lane (docs/report.md): from a
    /// successful token issuance until the next prompt or block on the lane,
    /// clipped to the lane's use and background intervals.
    fn sessions(&mut self, shown: &UserPart) {
        for lane in &mut self.lanes {
            let LaneKey::App(d, a, c) = lane.key else { continue };
            let tokens: Vec<Instant> = shown
                .marks
                .iter()
                .filter(|m| m.device == d && m.kind == MarkKind::Token { app: a, client: c })
                .map(|m| m.at)
                .collect();
            let ends: Vec<Instant> = lane
                .points
                .iter()
                .filter(|p| matches!(p.shape, MarkShape::Prompt | MarkShape::Blocked))
                .map(|p| p.at)
                .collect();
            let uses: Vec<(Instant, Instant)> = lane
                .bars
                .iter()
                .filter(|b| matches!(b.kind, BarKind::Use | BarKind::Background))
                .map(|b| (b.from, b.to))
                .collect();
            let valid = valid_intervals(&tokens, &ends);
            let mut shaded = Vec::new();
            for (from, to) in clip(&valid, &uses) {
                shaded.push(Bar { from, to, kind: BarKind::Session, merged: 0 });
            }
            // Sessions first, so that they are drawn under the use bars.
            shaded.append(&mut lane.bars);
            lane.bars = shaded;
        }
    }

    /// Lanes in display order: the account, then each device followed by its apps.
    fn finish(self) -> Vec<Lane> {
        let Builder { lanes, devices, .. } = self;
        let mut slots: Vec<Option<Lane>> = lanes.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(slots.len());
        let mut take = |pred: &dyn Fn(&LaneKey) -> bool, out: &mut Vec<Lane>| {
            for slot in slots.iter_mut() {
                if slot.as_ref().is_some_and(|l| pred(&l.key)) {
                    out.push(slot.take().expect("checked"));
                }
            }
        };
        take(&|k| *k == LaneKey::Account, &mut out);
        for d in devices {
            take(&|k| *k == LaneKey::Device(d), &mut out);
            take(&|k| matches!(k, LaneKey::App(x, _, _) if *x == d), &mut out);
        }
        out
    }
}

pub(super) fn join_words(join: Join) -> &'static str {
    match join {
        Join::EntraJoined => "Entra joined",
        Join::HybridJoined => "hybrid joined",
        Join::Registered => "registered",
        Join::Unregistered => "unregistered",
    }
}

/// Validity from each successful token until the next prompt or block after it
/// (a prompt at the token's own instant is the one the token answered).
/// Returns sorted, disjoint intervals; the last may run to `Instant::MAX`.
pub(super) fn valid_intervals(tokens: &[Instant], ends: &[Instant]) -> Vec<(Instant, Instant)> {
    let mut tokens = tokens.to_vec();
    tokens.sort_unstable();
    let mut ends = ends.to_vec();
    ends.sort_unstable();
    let mut out: Vec<(Instant, Instant)> = Vec::new();
    for t in tokens {
        if out.last().is_some_and(|&(_, z)| t < z) {
            continue;
        }
        let end = ends.iter().copied().find(|&e| e > t).unwrap_or(Instant::MAX);
        match out.last_mut() {
            Some(last) if last.1 == t => last.1 = end,
            _ => out.push((t, end)),
        }
    }
    out
}

/// The parts of `valid` inside any of `uses`, merged, in time order.
pub(super) fn clip(valid: &[(Instant, Instant)], uses: &[(Instant, Instant)]) -> Vec<(Instant, Instant)> {
    let mut uses = uses.to_vec();
    uses.sort_unstable();
    let mut merged: Vec<(Instant, Instant)> = Vec::new();
    for (a, z) in uses {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(z),
            _ => merged.push((a, z)),
        }
    }
    let mut out = Vec::new();
    for &(va, vz) in valid {
        for &(ua, uz) in &merged {
            let (a, z) = (va.max(ua), vz.min(uz));
            if a < z {
                out.push((a, z));
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lasts_from_a_token_to_the_next_prompt() {
        // Token at 0, prompt at 60 answered with a token at 60, nothing after.
        assert_eq!(valid_intervals(&[0, 30, 60], &[60]), vec![(0, Instant::MAX)]);
        // A prompt that was not answered ends the session.
        assert_eq!(valid_intervals(&[0, 30], &[60]), vec![(0, 60)]);
        // A prompt before any token starts nothing.
        assert_eq!(valid_intervals(&[100], &[50, 200]), vec![(100, 200)]);
        assert!(valid_intervals(&[], &[5]).is_empty());
    }

    #[test]
    fn sessions_are_shown_only_while_in_use() {
        let valid = [(0, 100), (150, Instant::MAX)];
        let uses = [(10, 50), (40, 120), (200, 300)];
        assert_eq!(clip(&valid, &uses), vec![(10, 100), (200, 300)]);
    }

    #[test]
    fn instants_read_as_calendar_and_relative_time() {
        use crate::time;
        let t = time::DEFAULT_START + time::DAY + 15 * time::HOUR;
        assert_eq!(when(Zone::default(), t), "Tue 6 Jan 15:00 UTC");
        assert_eq!(when(Zone::default(), t + 22), "Tue 6 Jan 15:00:22 UTC");
        let paris = Zone::parse("Europe/Paris").expect("a zone");
        assert_eq!(when(paris, t), "Tue 6 Jan 16:00 +01:00");
    }
}
