//! `casim run --trace`: the engine's traced events (`engine::Traced`), one
//! line each, with the instant, in the order the engine met them. The
//! sentences are the ones the engine used to build, so traces read as before.

use std::fmt::Write as _;

use crate::domain::{Client, DeviceIdx, UserIdx};
use crate::engine::lineage::Credential;
use crate::engine::state::Access;
use crate::engine::{TraceEvent, Traced};
use crate::scenario::Scenario;
use crate::scenario::model::{Action, OnPrompt};
use crate::time;

/// The trace's lines, without a final line feed. `scenario` is the one the
/// trace came from (a population's user's own), whose indices it holds.
pub(crate) fn render(scenario: &Scenario, trace: &[Traced]) -> String {
    let mut out = String::new();
    trace.iter().for_each(|t| line(&mut out, scenario, t));
    out
}

fn line(out: &mut String, sc: &Scenario, t: &Traced) {
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = write!(out, "{}  {}", time::rfc3339(t.at), words(sc, &t.event));
}

/// The sentence of one event; the rule ids are the ones the engine applied.
fn words(sc: &Scenario, event: &TraceEvent) -> String {
    let rel = |t| sc.clock().show(t);
    match event {
        TraceEvent::Step(i) => {
            format!("step (line {}): {}", sc.steps[*i].line, describe_action(sc, &sc.steps[*i].action))
        }
        TraceEvent::TokenIssued { access, until } => {
            format!("token issued to {} until {}", access_words(sc, *access), rel(*until))
        }
        TraceEvent::ClaimChallenge { access } => format!(
            "claim challenge: {} refuses the token of {} from its new location (R-CAE-2)",
            sc.apps[access.app].key,
            access_words(sc, *access)
        ),
        TraceEvent::PrtRefreshed { credential, mfa_claim } => {
            let credential = match credential {
                Credential::Password => "Password",
                Credential::WindowsHello => "WindowsHello",
            };
            format!("PRT refreshed ({credential}{}) (R-PRT-1)", if *mfa_claim { ", MFA claim" } else { "" })
        }
        TraceEvent::PrtNotRefreshed { since, interval } => format!(
            "PRT not refreshed: last refresh {} ago < {} (R-PRT-1)",
            time::duration(*since),
            time::duration(*interval)
        ),
        TraceEvent::NoPrtRefresh => {
            "no PRT refresh: unlock and sign-in do not refresh the PRT of this device (R-PRT-3)".into()
        }
        TraceEvent::Prompt { access, reason, detail, rule } => {
            format!("PROMPT {} {}: {detail} [{rule}]", access_words(sc, *access), reason.name())
        }
        TraceEvent::JoinsPrompt { raised } => {
            format!("joins the prompt raised at {} on this device (R-DEF-3)", rel(*raised))
        }
        TraceEvent::PromptWaits => "the prompt waits for the user's next interaction with the device (R-DEF-3)".into(),
        TraceEvent::PromptAnswered { raised } => format!("prompt raised at {} answered (R-DEF-3)", rel(*raised)),
        TraceEvent::SignInNotCompleted(on_prompt) => {
            let what = match on_prompt {
                OnPrompt::Answer => "Answer",
                OnPrompt::Fail => "Fail",
                OnPrompt::Abandon => "Abandon",
            };
            format!("the user did not complete the sign-in ({what}); the use ends (R-PROMPT-2)")
        }
        TraceEvent::Blocked { access, code, detail } => {
            format!("blocked {} ({code}): {detail}", access_words(sc, *access))
        }
        TraceEvent::ReportOnly { policy, detail } => format!("report-only `{}`: {detail}", sc.policies[*policy].name),
        TraceEvent::Deferred { rule, detail } => format!("deferred ({rule}): {detail}"),
        TraceEvent::CookieDropped => "session cookie dropped: it was not persistent (R-PB-3)".into(),
        TraceEvent::SpaRefreshLapsed => {
            "the single-page app's refresh token reached its fixed 24-hour lifetime (700084, R-SPA-2)".into()
        }
        TraceEvent::Revoked { cause, rule, count } => format!("{cause}: {count} session artifacts revoked ({rule})"),
        TraceEvent::BackgroundStopped(access) => {
            format!("background activity of {} stopped: no usable session", access_words(sc, *access))
        }
        TraceEvent::Workload { workload, app, blocking, detail } => format!(
            "workload {} → {}: {} ({detail})",
            sc.workloads[*workload].identity.key,
            sc.apps[*app].key,
            if blocking.is_some() { "failure" } else { "success" }
        ),
    }
}

/// "alice on laptop (sharepoint browser)".
fn access_words(sc: &Scenario, access: Access) -> String {
    let Access { user, device, client, app } = access;
    format!("{} on {} ({} {})", sc.users[user].id, sc.devices[device].id, sc.apps[app].key, client.name())
}

/// A timeline step as the scenario file says it, with names for indices.
fn describe_action(sc: &Scenario, action: &Action) -> String {
    let dev = |d: &DeviceIdx| sc.devices[*d].id.clone();
    let user = |u: &UserIdx| sc.users[*u].id.clone();
    let rel = |t| sc.clock().show(t);
    let access = |u, d, c, a| access_words(sc, Access::of(u, d, c, a));
    match action {
        Action::SignInDevice { device, .. } => format!("sign_in_device {}", dev(device)),
        Action::Lock { device } => format!("lock {}", dev(device)),
        Action::Unlock { device, .. } => format!("unlock {}", dev(device)),
        Action::SignOutDevice { device } => format!("sign_out_device {}", dev(device)),
        Action::Use { user, device, app, client, until, .. } => format!(
            "use {}{}",
            access(*user, *device, *client, *app),
            until.map(|u| format!(" until {}", rel(u))).unwrap_or_default()
        ),
        Action::Background { user, device, app, client, until } => {
            format!("background {} until {}", access(*user, *device, *client, *app), rel(*until))
        }
        Action::UserAction { user, device, app, .. } => {
            format!("{} {}", sc.apps[*app].key, access(*user, *device, Client::Browser, *app))
        }
        Action::CloseBrowser { device, .. } => format!("close_browser {}", dev(device)),
        Action::OpenBrowser { device, .. } => format!("open_browser {}", dev(device)),
        Action::Revoke { user: u, event } => format!("{} {}", event.action(), user(u)),
        Action::DisableUser { user: u } => format!("disable_user {}", user(u)),
        Action::EnableUser { user: u } => format!("enable_user {}", user(u)),
        Action::SetCompliant { device, value } => format!("set_compliant {} {value}", dev(device)),
        Action::SetPolicyState { policy, state } => {
            format!("set_policy_state `{}` {state:?}", sc.policies[*policy].name)
        }
        Action::RequestToken { workload, app } => {
            format!("request_token {} for {}", sc.workloads[*workload].identity.key, sc.apps[*app].key)
        }
        Action::Outage { until } => format!("outage until {}", sc.clock().show(*until)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::engine::{self, Options};

    fn trace_of(yaml: &str) -> Vec<String> {
        let s = crate::scenario::from_str(Path::new("t.yaml"), yaml).expect("a valid scenario");
        let mut lines = Vec::new();
        let options = Options { trace: true, ..Options::default() };
        let folded: Result<(), std::convert::Infallible> = engine::simulate_each(
            &s,
            options,
            |user, outcome| super::render(user, &outcome.trace),
            |text| {
                lines.extend(text.lines().map(str::to_string));
                Ok(())
            },
        );
        let Ok(()) = folded;
        lines
    }

    /// R-PRT-3, R-TOK-1, R-SIF-1, R-PROMPT-2, R-REV-1: the sentences `--trace`
    /// has always printed, names and instants read from the scenario.
    #[test]
    fn events_read_as_the_engine_used_to_write_them() {
        let lines = trace_of(
            "name: t\nstart: 2026-01-05T00:00:00Z\nusers: { alice: {} }\n\
             devices: { laptop: { owner: alice, join: registered, browser: firefox } }\n\
             policies: [ { name: SIF 1h, users: all, apps: all, session: { sign_in_frequency: 1h } } ]\n\
             timeline:\n\
             - { at: \"09:00\", do: sign_in_device, device: laptop }\n\
             - { at: \"09:00\", do: use, device: laptop, app: sharepoint }\n\
             - { at: \"11:00\", do: use, device: laptop, app: sharepoint, on_prompt: abandon }\n\
             - { at: \"12:00\", do: revoke_sessions, user: alice }\n",
        );
        assert_eq!(lines[0], "2026-01-05T09:00:00Z  step (line 7): sign_in_device laptop");
        assert_eq!(
            lines[1],
            "2026-01-05T09:00:00Z  no PRT refresh: unlock and sign-in do not refresh the PRT of this device (R-PRT-3)"
        );
        assert_eq!(lines[2], "2026-01-05T09:00:00Z  step (line 8): use alice on laptop (sharepoint browser)");
        assert_eq!(lines[4], "2026-01-05T09:00:00Z  token issued to alice on laptop (sharepoint browser) until 10:00");
        assert!(lines[6].starts_with(
            "2026-01-05T11:00:00Z  PROMPT alice on laptop (sharepoint browser) sign_in_frequency: sign-in frequency 1h exceeded: last sign-in 09:00"
        ));
        assert!(lines[6].ends_with("[R-SIF-1]"));
        assert_eq!(
            lines[7],
            "2026-01-05T11:00:00Z  the user did not complete the sign-in (Abandon); the use ends (R-PROMPT-2)"
        );
        assert_eq!(
            lines[9],
            "2026-01-05T12:00:00Z  an administrator revoked the sessions: 1 session artifacts revoked (R-REV-1)"
        );
        assert_eq!(lines.len(), 10);
    }

    /// Each generated user of a population is simulated in a scenario of
    /// their own: their lines name them, not the first user.
    #[test]
    fn population_lines_name_each_generated_user() {
        let lines = trace_of(
            "name: p\nseed: 3\nstart: 2026-01-05T00:00:00Z\n\
             population: { personas: { office_worker: 2, mobile_user: 1 }, days: 1 }\npolicies: []\n",
        );
        let users = ["mobile_user-0001", "office_worker-0001", "office_worker-0002"];
        let mut blocks: Vec<&str> = lines
            .iter()
            .filter(|l| l.contains(" step "))
            .filter_map(|l| users.iter().copied().find(|u| l.contains(&format!(" {u}"))))
            .collect();
        blocks.dedup();
        // One block per user, in the population's order (its personas' order).
        assert_eq!(blocks, users);
    }
}
