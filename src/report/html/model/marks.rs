//! The marks of one user's timeline: the steps' marks and bars, PRT refreshes
//! from the sign-in records, and the run's prompts, blocks and findings with
//! their hover titles.

use super::*;

/// The marks and bars of the user's steps: device state, uses, background work, browser and
/// account events.
/// Long: one arm per action of the scenario format, each drawing its own mark.
pub(super) fn step_marks(b: &mut Builder, steps: &[usize], open: &mut BTreeMap<DeviceIdx, (BarKind, Instant)>) {
    let scenario = b.scenario;
    let start = scenario.clock();
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
            Action::Revoke { event, .. } => {
                b.point(LaneKey::Account, t, MarkShape::Account, format!("{}\n{}", when(t, start), event.mark()))
            }
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
            Action::SetPolicyState { .. } | Action::RequestToken { .. } | Action::Outage { .. } => {}
        }
    }
}

/// PRT refreshes, from the run's successful sign-in records.
pub(super) fn record_marks(b: &mut Builder, shown: &UserPart) {
    let (scenario, start) = (b.scenario, b.scenario.clock());
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
pub(super) fn outcome_marks(b: &mut Builder, shown: &UserPart, baseline: Option<&UserPart>) {
    let (scenario, diff, start) = (b.scenario, baseline.is_some(), b.scenario.clock());
    let shown_row = if diff { Row::Bottom } else { Row::Middle };
    for (n, p) in shown.prompts.iter().enumerate() {
        b.see(p.at);
        if let Some(a) = p.answered_at {
            b.see(a);
        }
        let key = b.lane_of(p.access);
        let label = if diff { "proposed" } else { "prompt" };
        let title = prompt_title(scenario, shown, p, &format!("{label} {}", n + 1));
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
        let key = b.lane_of(x.access);
        let title = blocked_title(scenario, shown, x, if diff { "proposed: " } else { "" });
        b.push_point(
            key,
            Point { at: x.at, shape: MarkShape::Blocked, reason: None, row: shown_row, answered: None, title },
        );
    }
    for f in &shown.report_only {
        b.see(f.at);
        let key = b.lane_of(f.access);
        let what =
            f.reason.map(|r| format!("would have prompted: {}", r.name())).unwrap_or("would have blocked".into());
        let title = format!(
            "{}\nreport-only policy `{}` {what} ({})\n{}",
            when(f.at, start),
            shown.policies[f.policy],
            f.result,
            f.detail
        );
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
    // Deferrals before findings: later marks are drawn on top.
    for (notices, word, shape) in
        [(&shown.deferred, "deferred", MarkShape::Deferred), (&shown.findings, "finding", MarkShape::Finding)]
    {
        for d in notices {
            b.see(d.at);
            let key = b.lane_of(d.access);
            let policy = shown.policy(d.policy).map(|p| format!(" [policy `{p}`]")).unwrap_or_default();
            let title = format!("{}\n{word}: {}{policy} ({})", when(d.at, start), d.detail, d.rule);
            b.push_point(key, Point { at: d.at, shape, reason: None, row: shown_row, answered: None, title });
        }
    }
    if let Some(base) = baseline {
        for (n, p) in base.prompts.iter().enumerate() {
            b.see(p.at);
            let key = b.lane_of(p.access);
            let title = prompt_title(scenario, base, p, &format!("baseline {}", n + 1));
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
            let key = b.lane_of(x.access);
            let title = blocked_title(scenario, base, x, "baseline: ");
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

pub(super) fn prompt_title(scenario: &Scenario, part: &UserPart, p: &Prompt, label: &str) -> String {
    let start = scenario.clock();
    let n = p.access.named(scenario);
    let mut s = format!(
        "{label} · {}\n{} in {} ({}) on {}\nreason: {}\n{}",
        when(p.at, start),
        p.kind.name().replace('_', " "),
        app_name(scenario, n.app),
        n.client.words(),
        n.device,
        p.reason.name(),
        p.detail
    );
    if let Some(policy) = part.policy(p.policy) {
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
        (PromptResult::Unavailable, _) => s.push_str("\nno sign-in possible during the outage"),
        _ => {}
    }
    if let Some(answer) = p.stay_signed_in {
        s.push_str(&format!("\n\"Stay signed in?\" {}", if answer { "yes" } else { "no" }));
    }
    s
}

pub(super) fn blocked_title(scenario: &Scenario, part: &UserPart, x: &Blocked, label: &str) -> String {
    let policy = part.policy(x.policy).map(|p| format!("\npolicy: {p}")).unwrap_or_default();
    let n = x.access.named(scenario);
    format!(
        "{label}blocked · {}\n{} ({}) on {}: AADSTS{}\n{}{policy}\nrule: {}",
        when(x.at, scenario.clock()),
        app_name(scenario, n.app),
        n.client.words(),
        n.device,
        x.error_code,
        x.detail,
        x.rule
    )
}

pub(super) fn app_name<'a>(scenario: &'a Scenario, key: &'a str) -> &'a str {
    scenario.apps.iter().find(|a| a.key == key).map(|a| a.name.as_str()).unwrap_or(key)
}
