//! The marks of one user's timeline: the steps' marks and bars, PRT refreshes
//! from the sign-in records, and the run's prompts, blocks and findings with
//! their hover titles (instants as `AT`, written by the page's script).

use super::*;

/// The marks and bars of the user's steps: device state, uses, background work, browser and
/// account events.
/// Long: one arm per action of the scenario format, each drawing its own mark.
pub(super) fn step_marks(b: &mut Builder, steps: &[usize], open: &mut BTreeMap<DeviceIdx, (BarKind, Instant)>) {
    let scenario = b.scenario;
    for &i in steps {
        let step = &scenario.steps[i];
        let t = step.at;
        b.see(t);
        match &step.action {
            Action::SignInDevice { device, .. } => {
                b.close(open, *device, t);
                open.insert(*device, (BarKind::Unlocked, t));
                let words = format!("signed in to {}", b.device_words(*device));
                b.point(LaneKey::Device(*device), t, MarkShape::SignIn, at_then(words));
            }
            Action::Unlock { device, .. } => {
                b.close(open, *device, t);
                open.insert(*device, (BarKind::Unlocked, t));
                let title = at_then(format!("unlocked {}", scenario.devices[*device].id));
                b.point(LaneKey::Device(*device), t, MarkShape::Unlock, title);
            }
            Action::Lock { device } => {
                b.close(open, *device, t);
                open.insert(*device, (BarKind::Locked, t));
                let title = at_then(format!("locked {}", scenario.devices[*device].id));
                b.point(LaneKey::Device(*device), t, MarkShape::Lock, title);
            }
            Action::SignOutDevice { device } => {
                b.close(open, *device, t);
                let title = at_then(format!("signed out of {}", scenario.devices[*device].id));
                b.point(LaneKey::Device(*device), t, MarkShape::SignOut, title);
            }
            Action::Use { device, app, client, until, .. } => {
                let key = LaneKey::App(*device, *app, *client);
                let name = &scenario.apps[*app].name;
                match until {
                    Some(u) if *u > t => {
                        b.see(*u);
                        b.bar(key, t, *u, BarKind::Use);
                    }
                    _ => {
                        let title =
                            at_then(format!("opens {name} ({}) on {}", client.words(), scenario.devices[*device].id));
                        b.point(key, t, MarkShape::Touch, title);
                    }
                }
            }
            Action::UserAction { device, app, .. } => {
                let title = at_then(&scenario.apps[*app].name);
                b.point(LaneKey::App(*device, *app, Client::Browser), t, MarkShape::Touch, title);
            }
            Action::Background { device, app, client, until, .. } => {
                b.see(*until);
                b.bar(LaneKey::App(*device, *app, *client), t, *until, BarKind::Background);
            }
            Action::CloseBrowser { device, .. } => {
                let title = at_then(format!("closed the browser on {}", scenario.devices[*device].id));
                b.point(LaneKey::Device(*device), t, MarkShape::CloseBrowser, title);
            }
            Action::OpenBrowser { device, .. } => {
                let title = at_then(format!("opened the browser on {}", scenario.devices[*device].id));
                b.point(LaneKey::Device(*device), t, MarkShape::OpenBrowser, title);
            }
            Action::Revoke { event, .. } => b.point(LaneKey::Account, t, MarkShape::Account, at_then(event.mark())),
            Action::DisableUser { .. } => b.point(LaneKey::Account, t, MarkShape::Account, at_then("account disabled")),
            Action::EnableUser { .. } => b.point(LaneKey::Account, t, MarkShape::Account, at_then("account enabled")),
            Action::SetCompliant { device, value } => {
                let state = if *value { "compliant" } else { "not compliant" };
                let title = at_then(format!("{} marked {state}", scenario.devices[*device].id));
                b.point(LaneKey::Device(*device), t, MarkShape::Account, title);
            }
            // Workload identities have no user lane; the page lists them apart.
            Action::SetPolicyState { .. } | Action::RequestToken { .. } | Action::Outage { .. } => {}
        }
    }
}

/// PRT refreshes, from the run's successful sign-in records.
pub(super) fn record_marks(b: &mut Builder, shown: &UserPart) {
    let scenario = b.scenario;
    for m in &shown.marks {
        b.see(m.at);
        if let MarkKind::PrtRefresh { interactive } = m.kind {
            let how = if interactive { "at device sign-in or unlock" } else { "in the background" };
            let title =
                at_then(format!("PRT refreshed {how} (Windows Sign In record) on {}", scenario.devices[m.device].id));
            b.point(LaneKey::Device(m.device), m.at, MarkShape::PrtRefresh, title);
        }
    }
}

/// Prompts, blocks, report-only findings, deferrals and findings of the run shown, and in a
/// diff the baseline's prompts and blocks above them. Prompts carry no hover
/// text here: the page writes it from the prompt's fields (`data::prompts`).
/// Long: one loop per kind of finding, in drawing order (later ones drawn on top).
pub(super) fn outcome_marks(b: &mut Builder, shown: &UserPart, baseline: Option<&UserPart>) {
    let (scenario, diff) = (b.scenario, baseline.is_some());
    let shown_row = if diff { Row::Bottom } else { Row::Middle };
    let prompt = |p: &Prompt, shape, row| Point {
        at: p.at,
        shape,
        reason: Some(p.reason.name()),
        row,
        answered: p.answered_at.filter(|a| *a > p.at),
        title: String::new(),
        times: Vec::new(),
    };
    for p in &shown.prompts {
        b.see(p.at);
        if let Some(a) = p.answered_at {
            b.see(a);
        }
        let key = b.lane_of(p.access);
        b.push_point(key, prompt(p, MarkShape::Prompt, shown_row));
    }
    for x in &shown.blocked {
        b.see(x.at);
        let key = b.lane_of(x.access);
        let (title, times) = blocked_title(scenario, shown, x, if diff { "proposed: " } else { "" });
        b.push_point(
            key,
            Point { at: x.at, shape: MarkShape::Blocked, reason: None, row: shown_row, answered: None, title, times },
        );
    }
    for f in &shown.report_only {
        b.see(f.at);
        let key = b.lane_of(f.access);
        let what =
            f.reason.map(|r| format!("would have prompted: {}", r.name())).unwrap_or("would have blocked".into());
        let mut times = vec![f.at];
        let detail = detail_words(&f.detail, &mut times);
        let title = format!("{AT}\nreport-only policy `{}` {what} ({})\n{detail}", shown.policies[f.policy], f.result);
        let point = Point {
            at: f.at,
            shape: MarkShape::ReportOnly,
            reason: f.reason.map(|r| r.name()),
            row: shown_row,
            answered: None,
            title,
            times,
        };
        b.push_point(key, point);
    }
    // Deferrals before findings: later marks are drawn on top.
    for (notices, word, shape) in
        [(&shown.deferred, "deferred", MarkShape::Deferred), (&shown.findings, "finding", MarkShape::Finding)]
    {
        for d in notices {
            b.see(d.at);
            let key = b.lane_of(d.access);
            let policy = shown.policy(d.policy).map(|p| format!(" [policy `{p}`]")).unwrap_or_default();
            let mut times = vec![d.at];
            let detail = detail_words(&d.detail, &mut times);
            let title = format!("{AT}\n{word}: {detail}{policy} ({})", d.rule);
            b.push_point(key, Point { at: d.at, shape, reason: None, row: shown_row, answered: None, title, times });
        }
    }
    if let Some(base) = baseline {
        for p in &base.prompts {
            b.see(p.at);
            let key = b.lane_of(p.access);
            b.push_point(key, prompt(p, MarkShape::BaselinePrompt, Row::Top));
        }
        for x in &base.blocked {
            b.see(x.at);
            let key = b.lane_of(x.access);
            let (title, times) = blocked_title(scenario, base, x, "baseline: ");
            let point = Point {
                at: x.at,
                shape: MarkShape::BaselineBlocked,
                reason: None,
                row: Row::Top,
                answered: None,
                title,
                times,
            };
            b.push_point(key, point);
        }
    }
}

/// `detail`'s words with `AT` for each instant, the instants appended to `times`.
pub(in crate::report::html) fn detail_words(detail: &crate::engine::Detail, times: &mut Vec<Instant>) -> String {
    let mut out = Vec::with_capacity(128);
    crate::report::words::push_timed(&mut out, detail, &mut |out: &mut Vec<u8>, at, _start| {
        let mut buf = [0; 4];
        out.extend_from_slice(AT.encode_utf8(&mut buf).as_bytes());
        times.push(at);
    });
    String::from_utf8_lossy(&out).into_owned()
}

/// A block's hover text and its instants.
fn blocked_title(scenario: &Scenario, part: &UserPart, x: &Blocked, label: &str) -> (String, Vec<Instant>) {
    let policy = part.policy(x.policy).map(|p| format!("\npolicy: {p}")).unwrap_or_default();
    let n = x.access.named(scenario);
    let mut times = vec![x.at];
    let detail = detail_words(&x.detail, &mut times);
    let title = format!(
        "{label}blocked · {AT}\n{} ({}) on {}: AADSTS{}\n{detail}{policy}\nrule: {}",
        app_name(scenario, n.app),
        n.client.words(),
        n.device,
        x.error_code,
        x.rule
    );
    (title, times)
}

pub(in crate::report::html) fn app_name<'a>(scenario: &'a Scenario, key: &'a str) -> &'a str {
    scenario.apps.iter().find(|a| a.key == key).map(|a| a.name.as_str()).unwrap_or(key)
}
