//! Focused tests of the client-side rules of issue 12: persistent browser
//! `never` at the next round trip (R-PB-6), single-page apps (R-SPA-*), the
//! web app's own session (R-WEB-*), remembered MFA (R-RMFA-*), when "Stay
//! signed in?" is not shown (R-PB-*), and PRTs of non-Windows devices
//! (R-PRT-8..). Each scenario is inline, each prompt exact.

use std::path::Path;

use casim::engine::Outcome;
use casim::scenario::Scenario;
use casim::time::relative;

use crate::common::{Scratch, casim};

fn run(yaml: &str) -> (Scenario, Outcome) {
    crate::common::simulated(yaml, false)
}

/// (relative time, user, reason, rule) of every prompt.
fn prompts(yaml: &str) -> Vec<(String, String, &'static str, &'static str)> {
    let (s, outcome) = run(yaml);
    outcome
        .prompts
        .iter()
        .map(|p| (relative(p.at, s.start), p.access.named(&s).user.to_string(), p.reason.name(), p.rule.id()))
        .collect()
}

/// (relative time, rule) of every finding.
fn findings(yaml: &str) -> Vec<(String, &'static str)> {
    let (s, outcome) = run(yaml);
    outcome.findings.iter().map(|f| (relative(f.at, s.start), f.rule.id())).collect()
}

fn p(at: &str, user: &str, reason: &'static str, rule: &'static str) -> (String, String, &'static str, &'static str) {
    (at.to_string(), user.to_string(), reason, rule)
}

fn f(at: &str, rule: &'static str) -> (String, &'static str) {
    (at.to_string(), rule)
}

// ----- R-PB-6 ----------------------------------------------------------------

/// A member who said yes to "Stay signed in?" at 09:00 in Firefox, and a
/// `never` policy switched on at 09:30.
const NEVER_LATER: &str = "
name: t
users: { w: { stay_signed_in: true } }
devices: { pc: { owner: w, browser: firefox } }
policies: [ { name: never, state: disabled, users: all, apps: all, session: { persistent_browser: never } } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '09:30', do: set_policy_state, policy: never, state: enabled }
";

fn never_later(rest: &str) -> String {
    format!("{NEVER_LATER}{rest}")
}

/// R-PB-6: the first token request after the policy rewrites the cookie as a
/// session cookie, so the next close drops it.
#[test]
fn pb_6_a_round_trip_under_never_makes_the_cookie_die_with_the_browser() {
    let yaml = never_later(
        "  - { at: '10:30', do: use, device: pc, app: sharepoint }
  - { at: '11:00', do: close_browser, device: pc }
  - { at: '12:00', do: use, device: pc, app: sharepoint }
",
    );
    assert_eq!(
        prompts(&yaml),
        vec![p("09:00", "w", "no_session", "R-TOK-1"), p("12:00", "w", "browser_closed", "R-PB-3")]
    );
    assert_eq!(findings(&yaml), vec![f("10:30", "R-PB-6")]);
}

/// R-PB-4 before R-PB-6: interactions served by a valid access token do not go
/// back to Entra ID, so the cookie is still persistent when the browser closes.
#[test]
fn pb_6_without_a_round_trip_the_persistent_cookie_survives_the_close() {
    let yaml = never_later(
        "  - { at: '09:45', do: use, device: pc, app: sharepoint }
  - { at: '09:50', do: close_browser, device: pc }
  - { at: '12:00', do: use, device: pc, app: sharepoint }
  - { at: '12:10', do: close_browser, device: pc }
  - { at: '12:20', do: use, device: pc, app: sharepoint }
",
    );
    // 12:00 signs in silently from the surviving cookie and converts it; 12:10
    // drops it; 12:20 is asked again.
    assert_eq!(
        prompts(&yaml),
        vec![p("09:00", "w", "no_session", "R-TOK-1"), p("12:20", "w", "browser_closed", "R-PB-3")]
    );
    assert_eq!(findings(&yaml), vec![f("09:45", "R-PB-4"), f("12:00", "R-PB-6")]);
}

/// R-PB-6 with R-DEF-1: a background renewal is a round trip too.
#[test]
fn pb_6_a_background_renewal_in_the_browser_is_a_round_trip() {
    let yaml = never_later(
        "  - { at: '09:00', do: background, device: pc, app: sharepoint, until: '10:30' }
  - { at: '11:00', do: close_browser, device: pc }
  - { at: '12:00', do: use, device: pc, app: sharepoint }
",
    );
    assert_eq!(findings(&yaml), vec![f("10:00", "R-PB-6")]);
    assert_eq!(
        prompts(&yaml),
        vec![p("09:00", "w", "no_session", "R-TOK-1"), p("12:00", "w", "browser_closed", "R-PB-3")]
    );
}

/// R-PB-6 with R-PB-5: once a session cookie, the cookie idles out after 24
/// hours, where a persistent one would have lasted 90 days.
#[test]
fn pb_6_the_converted_cookie_takes_the_session_cookie_idle_window() {
    let converted = never_later(
        "  - { at: '10:30', do: use, device: pc, app: sharepoint }\n  - { at: '1d 10:30', do: use, device: pc, app: sharepoint }\n",
    );
    assert_eq!(
        prompts(&converted),
        vec![p("09:00", "w", "no_session", "R-TOK-1"), p("1d 10:30", "w", "inactive", "R-PB-5")]
    );
    let kept = converted.replace("state: enabled", "state: disabled");
    assert_eq!(prompts(&kept), vec![p("09:00", "w", "no_session", "R-TOK-1")]);
    assert!(findings(&kept).is_empty());
}

/// R-PB-2, R-PB-6: a cookie made by a sign-in under `never` is a session
/// cookie from the start; nothing to convert, nothing reported.
#[test]
fn pb_6_a_cookie_made_under_never_is_not_reported() {
    let yaml = "
name: t
users: { w: { stay_signed_in: true } }
devices: { pc: { owner: w, browser: firefox } }
policies: [ { name: never, users: all, apps: all, session: { persistent_browser: never } } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '10:30', do: use, device: pc, app: sharepoint }
";
    assert!(findings(yaml).is_empty());
}

// ----- R-SPA ----------------------------------------------------------------

const SPA: &str = "
name: t
users: { a: {} }
devices: { pc: { owner: a, join: unregistered, browser: chrome } }
apps: { payroll: { name: Payroll, app_id: 5a1e7c3b-2d4f-4e6a-8b9c-0d1e2f3a4b5c } }
";

fn spa(rest: &str) -> String {
    format!("{SPA}{rest}")
}

/// (relative time, interactive, error code, incoming token type) of every
/// record `casim logs` writes for the scenario.
fn records(yaml: &str) -> Vec<(String, bool, u64, String)> {
    let scratch = Scratch::new("rules-clients");
    let file = scratch.write_arg("s.yaml", yaml);
    let out = casim(&["logs", &file, "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let start = "2026-01-05T";
    json["value"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            let at = r["createdDateTime"].as_str().unwrap_or_default();
            let at = at.strip_prefix(start).map_or(at.to_string(), |t| t[..5].to_string());
            (
                at,
                r["isInteractive"].as_bool().unwrap_or_default(),
                r["status"]["errorCode"].as_u64().unwrap_or(u64::MAX),
                r["incomingTokenType"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// R-SPA-1: the refresh token is redeemed hourly without the user and is
/// not extended by use; the first renewal after 24 hours meets 700084.
#[test]
fn spa_1_renewals_redeem_the_refresh_token_and_do_not_extend_it() {
    let yaml = spa("timeline:
  - { at: '09:00', do: use, device: pc, app: payroll, client: spa, until: '12:00' }
  - { at: '13:00', do: background, device: pc, app: payroll, client: spa, until: '2d 09:00' }
");
    // The session cookie was last presented at 09:00: the background work cannot reload the page.
    assert_eq!(prompts(&yaml), vec![p("09:00", "a", "no_session", "R-TOK-1")]);
    let recs = records(&yaml);
    let refused: Vec<_> = recs.iter().filter(|r| r.2 != 0).map(|r| (r.0.as_str(), r.2, r.3.as_str())).collect();
    // The 50140 interrupt at 09:00, then 700084 at the first renewal at or after 1d 09:00.
    assert_eq!(refused, vec![("09:00", 50140, "none"), ("2026-01-06T09:00:00Z", 700084, "refreshToken")]);
    let renewals = recs.iter().filter(|r| !r.1 && r.2 == 0).count();
    // 10:00, 11:00 (use), 13:00 .. 1d 08:00 (background): 2 + 20.
    assert_eq!(renewals, 22);
    assert!(recs.iter().filter(|r| !r.1 && r.2 == 0).all(|r| r.3 == "refreshToken"));
}

/// R-SPA-2: in a `use`, the lapse sends the page through the browser: silent
/// with a persistent cookie, a sign-in with an idle session cookie.
#[test]
fn spa_2_a_lapse_in_use_is_silent_with_a_usable_cookie_and_a_prompt_without() {
    let base = "
name: t
users: { a: { stay_signed_in: true }, b: {} }
devices:
  pa: { owner: a, join: unregistered, browser: chrome }
  pb: { owner: b, join: unregistered, browser: chrome }
apps: { payroll: { name: Payroll, app_id: 5a1e7c3b-2d4f-4e6a-8b9c-0d1e2f3a4b5c } }
timeline:
  - { at: '09:00', do: use, device: pa, app: payroll, client: spa, until: '17:00' }
  - { at: '09:00', do: use, device: pb, app: payroll, client: spa, until: '17:00' }
  - { at: '1d 08:30', do: use, device: pa, app: payroll, client: spa, until: '1d 10:00' }
  - { at: '1d 08:30', do: use, device: pb, app: payroll, client: spa, until: '1d 10:00' }
";
    assert_eq!(
        prompts(base),
        vec![
            p("09:00", "a", "no_session", "R-TOK-1"),
            p("09:00", "b", "no_session", "R-TOK-1"),
            p("1d 09:30", "b", "inactive", "R-PB-5"),
        ]
    );
    // One 700084 each: the new refresh token is good until 2d 09:30.
    let lapses = records(base).iter().filter(|r| r.2 == 700_084).count();
    assert_eq!(lapses, 2);
}

/// R-SPA-2 and R-PB-3: closing the browser drops the app's token cache and
/// the session cookie; the next use signs in again.
#[test]
fn spa_2_closing_the_browser_drops_the_apps_refresh_token() {
    let yaml = spa("timeline:
  - { at: '09:00', do: use, device: pc, app: payroll, client: spa }
  - { at: '09:30', do: close_browser, device: pc }
  - { at: '09:40', do: use, device: pc, app: payroll, client: spa }
  - { at: '10:30', do: use, device: pc, app: payroll, client: spa }
");
    assert_eq!(
        prompts(&yaml),
        vec![p("09:00", "a", "no_session", "R-TOK-1"), p("09:40", "a", "browser_closed", "R-PB-3")]
    );
}

/// R-SPA-3 against R-DEF-1: the same background work under a 1-hour sign-in
/// frequency is deferred in the browser and refused in a SPA.
#[test]
fn spa_3_background_work_is_refused_not_deferred() {
    let yaml = |client: &str| {
        spa(&format!(
            "policies: [ {{ name: hourly, users: all, apps: [payroll], session: {{ sign_in_frequency: 1h }} }} ]
timeline:
  - {{ at: '09:00', do: use, device: pc, app: payroll, client: {client} }}
  - {{ at: '09:00', do: background, device: pc, app: payroll, client: {client}, until: '13:00' }}
  - {{ at: '12:30', do: use, device: pc, app: payroll, client: {client} }}
"
        ))
    };
    let (_, browser) = run(&yaml("browser"));
    assert_eq!(browser.deferred.iter().map(|d| d.rule.id()).collect::<Vec<_>>(), vec!["R-DEF-1"]);
    let (_, app) = run(&yaml("spa"));
    assert!(app.deferred.is_empty());
    assert_eq!(
        prompts(&yaml("spa")),
        vec![p("09:00", "a", "no_session", "R-TOK-1"), p("12:30", "a", "sign_in_frequency", "R-SIF-1")]
    );
    let refusals: Vec<_> = records(&yaml("spa")).into_iter().filter(|r| !r.1 && r.2 != 0).collect();
    // One refusal at 10:00, then the background work is over.
    assert_eq!(refusals, vec![("10:00".to_string(), false, 70_043, "refreshToken".to_string())]);
}

/// R-SPA-1 with R-CA-1: a SPA is a browser client for `client_apps`.
#[test]
fn spa_1_counts_as_a_browser_for_client_app_conditions() {
    let yaml = |apps: &str| {
        spa(&format!(
            "policies: [ {{ name: blk, users: all, apps: all, client_apps: [{apps}], grant: block }} ]
timeline:
  - {{ at: '09:00', do: use, device: pc, app: payroll, client: spa }}
"
        ))
    };
    assert_eq!(run(&yaml("browser")).1.blocked.len(), 1);
    assert!(run(&yaml("mobile_and_desktop")).1.blocked.is_empty());
}

/// The client list in errors names `spa`; a misspelling suggests it.
#[test]
fn spa_a_misspelt_client_is_an_error_naming_spa() {
    let message = match casim::scenario::from_str(
        Path::new("inline.yaml"),
        &spa("timeline:\n  - { at: '09:00', do: use, device: pc, app: payroll, client: sap }\n"),
    ) {
        Ok(_) => panic!("`sap` is not a client"),
        Err(e) => e.render(),
    };
    assert!(message.contains("inline.yaml:"), "{message}");
    assert!(message.contains("spa"), "{message}");
}

// ----- R-WEB ----------------------------------------------------------------

/// A confidential portal under a sign-in frequency, with `web_session` and
/// the timeline to come.
fn portal(web_session: &str, sif: &str, timeline: &str) -> String {
    format!(
        "
name: t
settings: {{ web_session: {web_session} }}
users: {{ a: {{}} }}
devices: {{ pc: {{ owner: a, join: unregistered, browser: chrome }} }}
apps: {{ portal: {{ name: Portal, app_id: 7c3a9e5d-4f6b-4a8c-9d0e-2f3a4b5c6d7e }} }}
policies: [ {{ name: sif, users: all, apps: [portal], session: {{ sign_in_frequency: {sif} }} }} ]
timeline:
{timeline}"
    )
}

const MORNING: &str = "  - { at: '09:00', do: use, device: pc, app: portal, client: confidential, until: '12:30' }\n";

/// R-WEB-1: `browser` (the default) keeps the web session all morning and
/// defers the frequency (R-DEF-2); closing the browser ends it.
#[test]
fn web_1_browser_keeps_the_web_session_until_the_browser_closes() {
    let yaml = portal("browser", "2h", MORNING);
    assert_eq!(prompts(&yaml), vec![p("09:00", "a", "no_session", "R-TOK-1")]);
    assert_eq!(run(&yaml).1.deferred.iter().map(|d| d.rule.id()).collect::<Vec<_>>(), vec!["R-DEF-2"]);
    let default = yaml.replace("settings: { web_session: browser }\n", "");
    assert_eq!(prompts(&default), prompts(&yaml));
    let closed = portal(
        "browser",
        "2h",
        "  - { at: '09:00', do: use, device: pc, app: portal, client: confidential }
  - { at: '10:00', do: close_browser, device: pc }
  - { at: '11:30', do: use, device: pc, app: portal, client: confidential }
",
    );
    assert_eq!(
        prompts(&closed),
        vec![p("09:00", "a", "no_session", "R-TOK-1"), p("11:30", "a", "browser_closed", "R-PB-3")]
    );
}

/// R-WEB-2: the web session ends every hour; the frequency is enforced at the
/// first end that finds the browser session too old.
#[test]
fn web_2_id_token_sends_the_user_to_entra_id_every_hour() {
    assert_eq!(
        prompts(&portal("id_token", "2h", MORNING)),
        vec![p("09:00", "a", "no_session", "R-TOK-1"), p("11:00", "a", "sign_in_frequency", "R-SIF-1")]
    );
    // With 1 hour, the first end is already due.
    assert_eq!(
        prompts(&portal("id_token", "1h", MORNING)),
        vec![
            p("09:00", "a", "no_session", "R-TOK-1"),
            p("10:00", "a", "sign_in_frequency", "R-SIF-1"),
            p("11:00", "a", "sign_in_frequency", "R-SIF-1"),
            p("12:00", "a", "sign_in_frequency", "R-SIF-1"),
        ]
    );
    assert!(run(&portal("id_token", "2h", MORNING)).1.deferred.is_empty());
}

/// R-WEB-3: a request more than halfway through the window reissues the
/// cookie; one before halfway does not.
#[test]
fn web_3_a_request_past_halfway_renews_the_sliding_session() {
    let uses = |second: &str| {
        portal(
            "1h",
            "1h",
            &format!(
                "  - {{ at: '09:00', do: use, device: pc, app: portal, client: confidential }}
  - {{ at: '{second}', do: use, device: pc, app: portal, client: confidential }}
  - {{ at: '10:20', do: use, device: pc, app: portal, client: confidential }}
"
            ),
        )
    };
    // 09:25 is before halfway: the session ends at 10:00 and 10:20 goes to Entra ID.
    assert_eq!(
        prompts(&uses("09:25")),
        vec![p("09:00", "a", "no_session", "R-TOK-1"), p("10:20", "a", "sign_in_frequency", "R-SIF-1")]
    );
    // 09:35 is past halfway: reissued until 10:35, so 10:20 stays in the app (deferred).
    assert_eq!(prompts(&uses("09:35")), vec![p("09:00", "a", "no_session", "R-TOK-1")]);
}

/// R-WEB-3: continuous use cannot let a sliding session lapse, and its end
/// counts as the last request.
#[test]
fn web_3_continuous_use_renews_until_its_end() {
    let after = |at: &str| {
        portal(
            "1h",
            "1h",
            &format!(
                "  - {{ at: '09:00', do: use, device: pc, app: portal, client: confidential, until: '12:00' }}
  - {{ at: '{at}', do: use, device: pc, app: portal, client: confidential }}
"
            ),
        )
    };
    assert_eq!(prompts(&after("12:40")), vec![p("09:00", "a", "no_session", "R-TOK-1")]);
    assert_eq!(
        prompts(&after("13:10")),
        // The frequency had been deferred on the 09:00 sign-in since 10:00 (R-DEF-2).
        vec![p("09:00", "a", "no_session", "R-TOK-1"), p("13:10", "a", "sign_in_frequency", "R-DEF-2")]
    );
}

/// R-WEB-1: bad values are input errors with their position and the nearest word.
#[test]
fn web_1_bad_values_are_errors_with_position_and_suggestion() {
    let yaml = |value: &str| portal(value, "1h", MORNING);
    let bad = |value: &str| match casim::scenario::from_str(Path::new("inline.yaml"), &yaml(value)) {
        Ok(_) => panic!("`{value}` should be refused"),
        Err(e) => e.render(),
    };
    let typo = bad("id_tokn");
    assert!(typo.contains("inline.yaml:3:"), "{typo}");
    assert!(typo.contains("did you mean `id_token`?"), "{typo}");
    assert!(bad("0h").contains("must be longer than zero"));
    assert!(bad("90x").contains("is not a duration"));
    assert!(casim::scenario::from_str(Path::new("inline.yaml"), &yaml("14d")).is_ok());
}

// ----- R-RMFA ---------------------------------------------------------------

/// One member in Firefox on an unregistered PC (and a guest on another), a
/// policy requiring MFA for Exchange, and the settings and timeline to come.
fn remembering(settings: &str, user: &str, timeline: &str) -> String {
    format!(
        "
name: t
settings: {{ {settings} }}
users: {{ a: {user}, g: {{ type: guest }} }}
devices:
  pc: {{ owner: a, join: unregistered, browser: firefox }}
  gpc: {{ owner: g, join: unregistered, browser: firefox }}
policies:
  - {{ name: mfa, users: all, apps: [exchange], grant: mfa }}
timeline:
{timeline}"
    )
}

/// The authentication step details of every successful interactive answer
/// (the records `casim logs` writes), with their relative time.
fn answer_steps(yaml: &str) -> Vec<(String, Vec<String>)> {
    let scratch = Scratch::new("rules-clients-steps");
    let file = scratch.write_arg("s.yaml", yaml);
    let out = casim(&["logs", &file, "--format", "json", "--interactive"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let start = casim::time::parse_rfc3339("2026-01-05T00:00:00Z").expect("an instant");
    json["value"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|r| r["status"]["errorCode"].as_u64() == Some(0))
        .map(|r| {
            let at = casim::time::parse_rfc3339(r["createdDateTime"].as_str().unwrap_or_default()).expect("an instant");
            let steps = r["authenticationDetails"].as_array().expect("steps").iter();
            (
                relative(at, start),
                steps.map(|d| d["authenticationStepResultDetail"].as_str().unwrap_or_default().to_string()).collect(),
            )
        })
        .collect()
}

const CLOSE_AND_COME_BACK: &str = "  - { at: '09:00', do: use, device: pc, app: exchange }
  - { at: '17:00', do: close_browser, device: pc }
  - { at: '1d 09:00', do: use, device: pc, app: sharepoint }
  - { at: '1d 09:30', do: use, device: pc, app: exchange }
";

/// R-RMFA-1: after the browser closed, the remembered MFA satisfies Exchange's
/// grant; without the setting the user is asked for MFA again.
#[test]
fn rmfa_1_the_browser_remembers_mfa_across_a_close() {
    let on = remembering("remember_mfa: 14d", "{}", CLOSE_AND_COME_BACK);
    assert_eq!(
        prompts(&on),
        vec![p("09:00", "a", "no_session", "R-TOK-1"), p("1d 09:00", "a", "browser_closed", "R-PB-3")]
    );
    let off = remembering("kmsi: shown", "{}", CLOSE_AND_COME_BACK);
    assert_eq!(
        prompts(&off),
        vec![
            p("09:00", "a", "no_session", "R-TOK-1"),
            p("1d 09:00", "a", "browser_closed", "R-PB-3"),
            p("1d 09:30", "a", "mfa_required", "R-CA-2"),
        ]
    );
}

/// R-RMFA-1 in the records: a sign-in that needed MFA skips it on a
/// remembered browser, and a guest is never offered the cookie.
#[test]
fn rmfa_1_a_skipped_mfa_is_logged_and_guests_are_not_remembered() {
    let timeline = "  - { at: '09:00', do: use, device: pc, app: exchange }
  - { at: '09:00', do: use, device: gpc, app: exchange }
  - { at: '17:00', do: close_browser, device: pc }
  - { at: '17:00', do: close_browser, device: gpc }
  - { at: '1d 09:00', do: use, device: pc, app: exchange }
  - { at: '1d 09:00', do: use, device: gpc, app: exchange }
";
    let steps = answer_steps(&remembering("remember_mfa: 14d", "{}", timeline));
    let done = vec!["Correct password".to_string(), "MFA successfully completed".to_string()];
    let skipped = vec!["Correct password".to_string(), "MFA requirement skipped due to remembered device".to_string()];
    // The member (pc) then the guest (gpc), each day in timeline order.
    assert_eq!(
        steps,
        vec![
            ("09:00".to_string(), done.clone()),
            ("09:00".to_string(), done.clone()),
            ("1d 09:00".to_string(), skipped),
            ("1d 09:00".to_string(), done),
        ]
    );
}

/// R-RMFA-2: a persistent browser session and a desktop app are asked for
/// MFA once their MFA is the window old, not a minute before.
#[test]
fn rmfa_2_mfa_older_than_the_window_is_asked_again() {
    let at = |when: &str| {
        remembering(
            "remember_mfa: 3d",
            "{ stay_signed_in: true }",
            &format!(
                "  - {{ at: '09:00', do: use, device: pc, app: exchange }}
  - {{ at: '09:00', do: use, device: pc, app: exchange, client: desktop }}
  - {{ at: '{when}', do: use, device: pc, app: exchange }}
  - {{ at: '{when}', do: use, device: pc, app: exchange, client: desktop }}
"
            ),
        )
    };
    let first = vec![p("09:00", "a", "no_session", "R-TOK-1"), p("09:00", "a", "no_session", "R-TOK-1")];
    assert_eq!(prompts(&at("3d 08:59")), first);
    let mut due = first;
    due.push(p("3d 09:00", "a", "mfa_required", "R-RMFA-2"));
    due.push(p("3d 09:00", "a", "mfa_required", "R-RMFA-2"));
    assert_eq!(prompts(&at("3d 09:00")), due);
}

/// R-RMFA-3: where a sign-in frequency applies, the remembered days play no
/// part: no R-RMFA-2 prompt, and a sign-in asks for MFA again.
#[test]
fn rmfa_3_sign_in_frequency_replaces_remembered_mfa() {
    let with_sif = |timeline: &str, stay: &str| {
        remembering("remember_mfa: 3d", stay, timeline).replace(
            "timeline:",
            "  - { name: monthly, users: all, apps: all, session: { sign_in_frequency: 30d } }\ntimeline:",
        )
    };
    let persistent = with_sif(
        "  - { at: '09:00', do: use, device: pc, app: exchange }\n  - { at: '5d 09:00', do: use, device: pc, app: exchange }\n",
        "{ stay_signed_in: true }",
    );
    assert_eq!(prompts(&persistent), vec![p("09:00", "a", "no_session", "R-TOK-1")]);
    let steps = answer_steps(&with_sif(CLOSE_AND_COME_BACK, "{}"));
    let done = vec!["Correct password".to_string(), "MFA successfully completed".to_string()];
    let step_up = vec![
        "First factor requirement satisfied by claim in the token".to_string(),
        "MFA successfully completed".to_string(),
    ];
    // Unlike rmfa_1's, the browser's remembered MFA does not satisfy Exchange at 1d 09:30.
    assert_eq!(
        steps,
        vec![
            ("09:00".to_string(), done),
            ("1d 09:00".to_string(), vec!["Correct password".to_string()]),
            ("1d 09:30".to_string(), step_up),
        ]
    );
}

/// R-RMFA-1: the setting takes whole days from 1d to 365d.
#[test]
fn rmfa_1_bad_values_are_errors_with_their_position() {
    let bad = |value: &str| match casim::scenario::from_str(
        Path::new("inline.yaml"),
        &remembering(&format!("remember_mfa: {value}"), "{}", CLOSE_AND_COME_BACK),
    ) {
        Ok(_) => panic!("`{value}` should be refused"),
        Err(e) => e.render(),
    };
    for value in ["36h", "400d", "0d"] {
        let message = bad(value);
        assert!(message.contains("inline.yaml:3:"), "{message}");
        assert!(message.contains("1d") || message.contains("longer than zero"), "{message}");
    }
    assert!(bad("often").contains("is not a duration"));
    let settings = |s: &str| remembering(s, "{}", CLOSE_AND_COME_BACK);
    let typo = match casim::scenario::from_str(Path::new("inline.yaml"), &settings("remember_mfaa: 14d")) {
        Ok(_) => panic!("an unknown key"),
        Err(e) => e.render(),
    };
    assert!(typo.contains("remember_mfa"), "{typo}");
}

// ----- R-PB-7, R-PB-8 ---------------------------------------------------------

/// One user who would say yes, on one device, a first sign-in, a close and a
/// return: the return is prompted only if the cookie was a session cookie.
fn kmsi_case(user: &str, device: &str, first_use: &str, policies: &str) -> String {
    format!(
        "
name: t
users: {{ a: {user} }}
devices: {{ pc: {device} }}
policies: {policies}
timeline:
  - {first_use}
  - {{ at: '17:00', do: close_browser, device: pc }}
  - {{ at: '1d 09:00', do: use, device: pc, app: sharepoint }}
"
    )
}

const FIRST: &str = "{ at: '09:00', do: use, device: pc, app: sharepoint }";
const PC: &str = "{ owner: a, join: unregistered, browser: chrome }";

/// (stay_signed_in of the first prompt, reason of the return's prompt if any).
fn kmsi_outcome(yaml: &str) -> (Option<bool>, Option<&'static str>) {
    let (_, outcome) = run(yaml);
    let first = outcome.prompts.first().expect("a first sign-in").stay_signed_in;
    (first, outcome.prompts.get(1).map(|p| p.reason.name()))
}

/// R-PB-1 as the control: asked, yes, persistent, no prompt on return.
#[test]
fn pb_7_the_control_is_asked_and_kept() {
    assert_eq!(kmsi_outcome(&kmsi_case("{ stay_signed_in: true }", PC, FIRST, "[]")), (Some(true), None));
}

/// R-PB-7: seamless SSO, a shared device and a consent each withhold the
/// question: a session cookie, prompted after the close.
#[test]
fn pb_7_seamless_sso_shared_devices_and_consent_withhold_the_question() {
    let yes = "{ stay_signed_in: true }";
    let seamless = "{ owner: a, join: unregistered, browser: chrome, seamless_sso: true }";
    let shared = "{ owner: a, join: unregistered, browser: chrome, shared: true }";
    let consent = "{ at: '09:00', do: use, device: pc, app: sharepoint, consent: true }";
    for yaml in
        [kmsi_case(yes, seamless, FIRST, "[]"), kmsi_case(yes, shared, FIRST, "[]"), kmsi_case(yes, PC, consent, "[]")]
    {
        assert_eq!(kmsi_outcome(&yaml), (None, Some("browser_closed")), "{yaml}");
    }
}

/// R-PB-7: consent belongs to its use only; the next sign-in asks again.
#[test]
fn pb_7_consent_withholds_the_question_for_its_use_only() {
    let yaml = kmsi_case(
        "{ stay_signed_in: true }",
        PC,
        "{ at: '09:00', do: use, device: pc, app: sharepoint, consent: true }",
        "[]",
    );
    let (_, outcome) = run(&yaml);
    let asked: Vec<Option<bool>> = outcome.prompts.iter().map(|p| p.stay_signed_in).collect();
    assert_eq!(asked, vec![None, Some(true)]);
}

/// R-PB-8: AD FS persistent SSO persists the session without asking; a
/// `never` policy overrides it (R-PB-2).
#[test]
fn pb_8_adfs_persistent_sso_is_honoured_unless_never() {
    let adfs = "{ stay_signed_in: false, adfs_persistent_sso: true }";
    assert_eq!(kmsi_outcome(&kmsi_case(adfs, PC, FIRST, "[]")), (None, None));
    let never = "[ { name: never, users: all, apps: all, session: { persistent_browser: never } } ]";
    assert_eq!(kmsi_outcome(&kmsi_case(adfs, PC, FIRST, never)), (None, Some("browser_closed")));
}

/// R-PB-7: the new keys are checked like the others: a value of the wrong
/// type, and `consent` on an action that does not take it, are errors.
#[test]
fn pb_7_keys_are_checked() {
    let render = |yaml: &str| match casim::scenario::from_str(Path::new("inline.yaml"), yaml) {
        Ok(_) => panic!("should be refused:\n{yaml}"),
        Err(e) => e.render(),
    };
    let not_bool = render(&kmsi_case("{}", "{ owner: a, shared: maybe }", FIRST, "[]"));
    assert!(not_bool.contains("inline.yaml:4:"), "{not_bool}");
    let wrong_action = render(&kmsi_case("{}", PC, "{ at: '09:00', do: lock, device: pc, consent: true }", "[]"));
    assert!(wrong_action.contains("consent"), "{wrong_action}");
    let typo = render(&kmsi_case("{}", "{ owner: a, seamles_sso: true }", FIRST, "[]"));
    assert!(typo.contains("seamless_sso"), "{typo}");
}

// ----- R-PRT-8, R-PRT-9 -------------------------------------------------------

/// A registered device of `platform` and `browser`: a sign-in in a native
/// app (the broker's PRT), then the browser, then the app again at `later`.
fn broker(platform: &str, browser: &str, settings: &str, later: &str) -> String {
    format!(
        "
name: t
settings: {{ {settings} }}
users: {{ a: {{}} }}
devices: {{ d: {{ owner: a, join: registered, platform: {platform}, browser: {browser} }} }}
timeline:
  - {{ at: '09:00', do: use, device: d, app: exchange, client: mobile }}
  - {{ at: '09:10', do: use, device: d, app: sharepoint }}
  - {{ at: '{later}', do: use, device: d, app: exchange, client: mobile }}
"
    )
}

/// R-PRT-8: the non-Windows window applies off Windows only, from the last use.
#[test]
fn prt_8_the_non_windows_window_lapses_an_idle_prt_off_windows_only() {
    let first = p("09:00", "a", "no_session", "R-TOK-1");
    let phone = |later: &str| broker("iOS", "safari_sso_extension", "prt_idle_non_windows: 14d", later);
    assert_eq!(prompts(&phone("14d 09:09")), vec![first.clone()]);
    assert_eq!(prompts(&phone("14d 09:10")), vec![first.clone(), p("14d 09:10", "a", "inactive", "R-PRT-8")]);
    // The default window is the PRT page's 90 days.
    assert_eq!(prompts(&broker("iOS", "safari_sso_extension", "kmsi: shown", "15d 09:00")), vec![first.clone()]);
    // Windows keeps it whatever the setting (the 09:10 browser prompt: Edge signed out).
    let windows = broker("windows", "edge_signed_out", "prt_idle_non_windows: 14d", "15d 09:00");
    assert_eq!(prompts(&windows), vec![first, p("09:10", "a", "no_session", "R-TOK-1")]);
}

/// R-PRT-9: which browsers present the device's PRT.
#[test]
fn prt_9_browsers_that_present_the_prt() {
    let browser_prompts = |platform: &str, browser: &str| {
        prompts(&broker(platform, browser, "kmsi: shown", "09:20")).iter().filter(|x| x.0 == "09:10").count()
    };
    assert_eq!(browser_prompts("iOS", "safari_sso_extension"), 0);
    assert_eq!(browser_prompts("macOS", "safari_sso_extension"), 0);
    assert_eq!(browser_prompts("iOS", "safari"), 1);
    assert_eq!(browser_prompts("windows", "firefox_windows_sso"), 0);
    assert_eq!(browser_prompts("windows", "firefox"), 1);
    assert_eq!(browser_prompts("android", "edge"), 0);
    assert_eq!(browser_prompts("android", "edge_signed_out"), 1);
}

/// R-PRT-9, R-PRT-8: a browser where it does not exist, and a bad window, are
/// input errors with their position.
#[test]
fn prt_9_browsers_off_their_platform_and_bad_windows_are_errors() {
    let render = |yaml: &str| match casim::scenario::from_str(Path::new("inline.yaml"), yaml) {
        Ok(_) => panic!("should be refused:\n{yaml}"),
        Err(e) => e.render(),
    };
    let firefox = render(&broker("macOS", "firefox_windows_sso", "kmsi: shown", "09:20"));
    assert!(firefox.contains("inline.yaml:5:") && firefox.contains("windows"), "{firefox}");
    let safari = render(&broker("android", "safari_sso_extension", "kmsi: shown", "09:20"));
    assert!(safari.contains("macOS and iOS"), "{safari}");
    let typo = render(&broker("iOS", "safari_sso_extention", "kmsi: shown", "09:20"));
    assert!(typo.contains("safari_sso_extension"), "{typo}");
    let zero = render(&broker("iOS", "safari", "prt_idle_non_windows: 0d", "09:20"));
    assert!(zero.contains("inline.yaml:3:") && zero.contains("longer than zero"), "{zero}");
}
