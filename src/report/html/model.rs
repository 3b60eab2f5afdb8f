//! What one user's timeline shows, in time and words: lanes (the account, each
//! device, each app and client on a device), bars (device state, use, valid
//! sessions) and marks (prompts, PRT refreshes, device events). Nothing here
//! knows about pixels; `timeline` draws it.

use std::collections::BTreeMap;

use crate::domain::{AppIdx, Client, DeviceIdx, Join, UserIdx};
use crate::engine::{self, Blocked, Deferral, Finding, Options, Outcome, Prompt, PromptResult, ReportOnlyFinding};
use crate::scenario::Scenario;
use crate::scenario::model::Action;
use crate::signin::{Resource, SignInEvent};
use crate::time::{self, Instant};

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
    pub marks: Vec<Mark>,
}

/// Splits a run by user, in the scenario's user order.
pub fn split(scenario: &Scenario, run: Run) -> Vec<UserPart> {
    let index: BTreeMap<&str, UserIdx> = scenario.users.iter().enumerate().map(|(i, u)| (u.id.as_str(), i)).collect();
    let mut parts = vec![UserPart::default(); scenario.users.len()];
    let Run { outcome, marks, .. } = run;
    let part = |user: &str| index.get(user).copied();
    for p in outcome.prompts {
        if let Some(u) = part(&p.user) {
            parts[u].prompts.push(p);
        }
    }
    for b in outcome.blocked {
        if let Some(u) = part(&b.user) {
            parts[u].blocked.push(b);
        }
    }
    for f in outcome.report_only {
        if let Some(u) = part(&f.user) {
            parts[u].report_only.push(f);
        }
    }
    for d in outcome.deferred {
        if let Some(u) = part(&d.user) {
            parts[u].deferred.push(d);
        }
    }
    for f in outcome.findings {
        if let Some(u) = part(&f.user) {
            parts[u].findings.push(f);
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
    pub title: String,
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
    pub title: String,
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

/// "Tue 6 Jan 15:00 (1d 15:00)": the calendar instant (UTC) and the scenario's relative time.
pub(super) fn when(t: Instant, start: Instant) -> String {
    let calendar = chrono::DateTime::<chrono::Utc>::from_timestamp(t, 0)
        .map(|d| d.format("%a %-d %b %H:%M").to_string())
        .unwrap_or_else(|| t.to_string());
    let seconds = if t % 60 != 0 { format!(":{:02}", t.rem_euclid(60)) } else { String::new() };
    format!("{calendar}{seconds} UTC ({})", time::relative(t, start))
}

fn clock(t: Instant, start: Instant) -> String {
    time::relative(t, start)
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
                Some((t, format!("{}\npolicy `{}` set to {state:?}", when(t, start), scenario.policies[*policy].name)))
            }
            _ => None,
        })
        .collect();

    let extent = b.extent;
    UserView { lanes: b.finish(), policy_changes, extent }
}

/// The marks and bars of the user's steps: device state, uses, background work, browser and
/// account events.
/// Long: one arm per action of the scenario format, each drawing its own mark.
fn step_marks(b: &mut Builder, steps: &[usize], open: &mut BTreeMap<DeviceIdx, (BarKind, Instant)>) {
    let scenario = b.scenario;
    let start = scenario.start;
    for &i in steps {
        let step = &scenario.steps[i];
        let t = step.at;
        b.see(t);
        match &step.action {
            Action::SignInDevice { device, .. } => {
                b.close(open, *device, t);
                open.insert(*device, (BarKind::Unlocked, t));
                let words = format!("signed in to {}", b.device_words(*device));
                b.point(LaneKey::Device(*device), t, MarkShape::SignIn, format!("{}\n{words}", when(t, start)));
            }
            Action::Unlock { device, .. } => {
                b.close(open, *device, t);
                open.insert(*device, (BarKind::Unlocked, t));
                let title = format!("{}\nunlocked {}", when(t, start), scenario.devices[*device].id);
                b.point(LaneKey::Device(*device), t, MarkShape::Unlock, title);
            }
            Action::Lock { device } => {
                b.close(open, *device, t);
                open.insert(*device, (BarKind::Locked, t));
                let title = format!("{}\nlocked {}", when(t, start), scenario.devices[*device].id);
                b.point(LaneKey::Device(*device), t, MarkShape::Lock, title);
            }
            Action::SignOutDevice { device } => {
                b.close(open, *device, t);
                let title = format!("{}\nsigned out of {}", when(t, start), scenario.devices[*device].id);
                b.point(LaneKey::Device(*device), t, MarkShape::SignOut, title);
            }
            Action::Use { device, app, client, until, .. } => {
                let key = LaneKey::App(*device, *app, *client);
                let name = &scenario.apps[*app].name;
                match until {
                    Some(u) if *u > t => {
                        b.see(*u);
                        let title =
                            format!("{name} ({}) in use\n{} to {}", client.words(), when(t, start), clock(*u, start));
                        b.bar(key, t, *u, BarKind::Use, title);
                    }
                    _ => {
                        let title = format!(
                            "{}\nopens {name} ({}) on {}",
                            when(t, start),
                            client.words(),
                            scenario.devices[*device].id
                        );
                        b.point(key, t, MarkShape::Touch, title);
                    }
                }
            }
            Action::UserAction { device, app, .. } => {
                let title = format!("{}\n{}", when(t, start), scenario.apps[*app].name);
                b.point(LaneKey::App(*device, *app, Client::Browser), t, MarkShape::Touch, title);
            }
            Action::Background { device, app, client, until, .. } => {
                b.see(*until);
                let title = format!(
                    "{} ({}) works in the background\n{} to {}",
                    scenario.apps[*app].name,
                    client.words(),
                    when(t, start),
                    clock(*until, start)
                );
                b.bar(LaneKey::App(*device, *app, *client), t, *until, BarKind::Background, title);
            }
            Action::CloseBrowser { device, .. } => {
                let title = format!("{}\nclosed the browser on {}", when(t, start), scenario.devices[*device].id);
                b.point(LaneKey::Device(*device), t, MarkShape::CloseBrowser, title);
            }
            Action::OpenBrowser { device, .. } => {
                let title = format!("{}\nopened the browser on {}", when(t, start), scenario.devices[*device].id);
                b.point(LaneKey::Device(*device), t, MarkShape::OpenBrowser, title);
            }
            Action::PasswordChange { .. } => {
                b.point(LaneKey::Account, t, MarkShape::Account, format!("{}\npassword changed", when(t, start)))
            }
            Action::RevokeSessions { .. } => b.point(
                LaneKey::Account,
                t,
                MarkShape::Account,
                format!("{}\nan administrator revoked the sessions", when(t, start)),
            ),
            Action::DisableUser { .. } => {
                b.point(LaneKey::Account, t, MarkShape::Account, format!("{}\naccount disabled", when(t, start)))
            }
            Action::EnableUser { .. } => {
                b.point(LaneKey::Account, t, MarkShape::Account, format!("{}\naccount enabled", when(t, start)))
            }
            Action::SetCompliant { device, value } => {
                let state = if *value { "compliant" } else { "not compliant" };
                let title = format!("{}\n{} marked {state}", when(t, start), scenario.devices[*device].id);
                b.point(LaneKey::Device(*device), t, MarkShape::Account, title);
            }
            // Workload identities have no user lane; the page lists them apart.
            Action::SetPolicyState { .. } | Action::RequestToken { .. } => {}
        }
    }
}

/// PRT refreshes, from the run's successful sign-in records.
fn record_marks(b: &mut Builder, shown: &UserPart) {
    let (scenario, start) = (b.scenario, b.scenario.start);
    for m in &shown.marks {
        b.see(m.at);
        if let MarkKind::PrtRefresh { interactive } = m.kind {
            let how = if interactive { "at device sign-in or unlock" } else { "in the background" };
            let title = format!(
                "{}\nPRT refreshed {how} (Windows Sign In record) on {}",
                when(m.at, start),
                scenario.devices[m.device].id
            );
            b.point(LaneKey::Device(m.device), m.at, MarkShape::PrtRefresh, title);
        }
    }
}

/// Prompts, blocks, report-only findings, deferrals and findings of the run shown, and in a
/// diff the baseline's prompts and blocks above them.
/// Long: one loop per kind of finding, in drawing order (later ones drawn on top).
fn outcome_marks(b: &mut Builder, shown: &UserPart, baseline: Option<&UserPart>) {
    let (scenario, diff, start) = (b.scenario, baseline.is_some(), b.scenario.start);
    let shown_row = if diff { Row::Bottom } else { Row::Middle };
    for (n, p) in shown.prompts.iter().enumerate() {
        b.see(p.at);
        if let Some(a) = p.answered_at {
            b.see(a);
        }
        let key = b.lane_of(&p.device, &p.app, p.client);
        let label = if diff { "proposed" } else { "prompt" };
        let title = prompt_title(scenario, p, &format!("{label} {}", n + 1));
        b.push_point(
            key,
            Point {
                at: p.at,
                shape: MarkShape::Prompt,
                reason: Some(p.reason.name()),
                row: shown_row,
                answered: p.answered_at.filter(|a| *a > p.at),
                title,
            },
        );
    }
    for x in &shown.blocked {
        b.see(x.at);
        let key = b.lane_of(&x.device, &x.app, x.client);
        let title = blocked_title(scenario, x, if diff { "proposed: " } else { "" });
        b.push_point(
            key,
            Point { at: x.at, shape: MarkShape::Blocked, reason: None, row: shown_row, answered: None, title },
        );
    }
    for f in &shown.report_only {
        b.see(f.at);
        let key = b.lane_of(&f.device, &f.app, f.client);
        let what =
            f.reason.map(|r| format!("would have prompted: {}", r.name())).unwrap_or("would have blocked".into());
        let title =
            format!("{}\nreport-only policy `{}` {what} ({})\n{}", when(f.at, start), f.policy, f.result, f.detail);
        let point = Point {
            at: f.at,
            shape: MarkShape::ReportOnly,
            reason: f.reason.map(|r| r.name()),
            row: shown_row,
            answered: None,
            title,
        };
        b.push_point(key, point);
    }
    for d in &shown.deferred {
        b.see(d.at);
        let key = b.lane_of(&d.device, &d.app, d.client);
        let policy = d.policy.as_deref().map(|p| format!(" [policy `{p}`]")).unwrap_or_default();
        let title = format!("{}\ndeferred: {}{policy} ({})", when(d.at, start), d.detail, d.rule);
        b.push_point(
            key,
            Point { at: d.at, shape: MarkShape::Deferred, reason: None, row: shown_row, answered: None, title },
        );
    }
    for f in &shown.findings {
        b.see(f.at);
        let key = b.lane_of(&f.device, &f.app, f.client);
        let policy = f.policy.as_deref().map(|p| format!(" [policy `{p}`]")).unwrap_or_default();
        let title = format!("{}\nfinding: {}{policy} ({})", when(f.at, start), f.detail, f.rule);
        b.push_point(
            key,
            Point { at: f.at, shape: MarkShape::Finding, reason: None, row: shown_row, answered: None, title },
        );
    }
    if let Some(base) = baseline {
        for (n, p) in base.prompts.iter().enumerate() {
            b.see(p.at);
            let key = b.lane_of(&p.device, &p.app, p.client);
            let title = prompt_title(scenario, p, &format!("baseline {}", n + 1));
            let point = Point {
                at: p.at,
                shape: MarkShape::BaselinePrompt,
                reason: Some(p.reason.name()),
                row: Row::Top,
                answered: None,
                title,
            };
            b.push_point(key, point);
        }
        for x in &base.blocked {
            b.see(x.at);
            let key = b.lane_of(&x.device, &x.app, x.client);
            let title = blocked_title(scenario, x, "baseline: ");
            let point = Point {
                at: x.at,
                shape: MarkShape::BaselineBlocked,
                reason: None,
                row: Row::Top,
                answered: None,
                title,
            };
            b.push_point(key, point);
        }
    }
}

fn prompt_title(scenario: &Scenario, p: &Prompt, label: &str) -> String {
    let start = scenario.start;
    let mut s = format!(
        "{label} · {}\n{} in {} ({}) on {}\nreason: {}\n{}",
        when(p.at, start),
        p.kind.name().replace('_', " "),
        app_name(scenario, &p.app),
        p.client.words(),
        p.device,
        p.reason.name(),
        p.detail
    );
    if let Some(policy) = &p.policy {
        s.push_str(&format!("\npolicy: {policy}"));
    }
    s.push_str(&format!("\nrule: {}", p.rule));
    if let Some(code) = p.error_code {
        s.push_str(&format!("\nerror: AADSTS{code}"));
    }
    match (p.result, p.answered_at) {
        (PromptResult::Answered, Some(t)) if t != p.at => s.push_str(&format!("\nanswered {}", when(t, start))),
        (PromptResult::Failed, _) => s.push_str("\nthe user failed the sign-in"),
        (PromptResult::Abandoned, _) => s.push_str("\nthe user abandoned the sign-in"),
        (PromptResult::Unanswered, _) => s.push_str("\nnot answered by the end of the timeline"),
        _ => {}
    }
    if let Some(answer) = p.stay_signed_in {
        s.push_str(&format!("\n\"Stay signed in?\" {}", if answer { "yes" } else { "no" }));
    }
    s
}

fn blocked_title(scenario: &Scenario, x: &Blocked, label: &str) -> String {
    let policy = x.policy.as_deref().map(|p| format!("\npolicy: {p}")).unwrap_or_default();
    format!(
        "{label}blocked · {}\n{} ({}) on {}: AADSTS{}\n{}{policy}\nrule: {}",
        when(x.at, scenario.start),
        app_name(scenario, &x.app),
        x.client.words(),
        x.device,
        x.error_code,
        x.detail,
        x.rule
    )
}

fn app_name<'a>(scenario: &'a Scenario, key: &'a str) -> &'a str {
    scenario.apps.iter().find(|a| a.key == key).map(|a| a.name.as_str()).unwrap_or(key)
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

    fn lane_of(&mut self, device: &str, app: &str, client: Client) -> LaneKey {
        let sc = self.scenario;
        match (sc.devices.iter().position(|d| d.id == device), sc.apps.iter().position(|a| a.key == app)) {
            (Some(d), Some(a)) => LaneKey::App(d, a, client),
            (Some(d), None) => LaneKey::Device(d),
            _ => LaneKey::Account,
        }
    }

    fn bar(&mut self, key: LaneKey, from: Instant, to: Instant, kind: BarKind, title: String) {
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
        lane.bars.push(Bar { from, to, kind, title, merged: 0 });
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
        lane.points.push(Point { at, shape, reason: None, row: Row::Middle, answered: None, title });
    }

    fn push_point(&mut self, key: LaneKey, point: Point) {
        self.lane(key).points.push(point);
    }

    fn close(&mut self, open: &mut BTreeMap<DeviceIdx, (BarKind, Instant)>, device: DeviceIdx, t: Instant) {
        if let Some((kind, since)) = open.remove(&device) {
            let state = if kind == BarKind::Locked { "locked" } else { "signed in, unlocked" };
            let start = self.scenario.start;
            let title =
                format!("{} {state}\n{} to {}", self.scenario.devices[device].id, when(since, start), clock(t, start));
            self.bar(LaneKey::Device(device), since, t, kind, title);
        }
    }

    /// The shaded valid sessions of each app lane (docs/report.md): from a
    /// successful token issuance until the next prompt or block on the lane,
    /// clipped to the lane's use and background intervals.
    fn sessions(&mut self, shown: &UserPart) {
        let start = self.scenario.start;
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
                let title = format!("valid session {} to {}", clock(from, start), clock(to, start));
                shaded.push(Bar { from, to, kind: BarKind::Session, title, merged: 0 });
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

fn join_words(join: Join) -> &'static str {
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
        let t = time::DEFAULT_START + time::DAY + 15 * time::HOUR;
        assert_eq!(when(t, time::DEFAULT_START), "Tue 6 Jan 15:00 UTC (1d 15:00)");
    }
}
