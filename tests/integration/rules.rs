//! One or more focused tests per rule family of MODEL.md, on small inline
//! scenarios. The bundled scenarios cover the documented examples; these pin
//! the edges (exact boundaries, precedence, settings).

use std::path::Path;

use casim::engine::{self, Options, Outcome};
use casim::scenario::Scenario;
use casim::time::relative;

use crate::common::scenario;

fn run(yaml: &str) -> (Scenario, Outcome) {
    crate::common::simulated(yaml, false)
}

/// (relative time, user, reason) of every prompt.
fn prompts(yaml: &str) -> Vec<(String, String, &'static str)> {
    let (s, outcome) = run(yaml);
    outcome
        .prompts
        .iter()
        .map(|p| (relative(p.at, s.start), p.access.named(&s).user.to_string(), p.reason.name()))
        .collect()
}

/// (user, instant, reason) of every prompt of a population, user by user.
fn population_prompts(yaml: &str) -> Vec<(String, i64, &'static str)> {
    let s = scenario(yaml);
    let mut all = Vec::new();
    let folded: Result<(), std::convert::Infallible> = engine::simulate_each(
        &s,
        Options::default(),
        |user, outcome| -> Vec<(String, i64, &'static str)> {
            outcome.prompts.iter().map(|p| (p.access.named(user).user.to_string(), p.at, p.reason.name())).collect()
        },
        |prompts| {
            all.extend(prompts);
            Ok(())
        },
    );
    let Ok(()) = folded;
    all
}

fn p(at: &str, user: &str, reason: &'static str) -> (String, String, &'static str) {
    (at.to_string(), user.to_string(), reason)
}

const HOME_PC: &str = "
name: t
users: { a: {} }
devices: { pc: { owner: a, join: unregistered, browser: chrome } }
";

const JOINED: &str = "
name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, browser: edge } }
";

fn with(base: &str, rest: &str) -> String {
    format!("{base}{rest}")
}

// ----- R-TOK ---------------------------------------------------------------

/// R-TOK-1.
#[test]
fn tok_1_a_valid_token_serves_interactions_and_is_renewed_hourly() {
    let (_, outcome) = run(&with(
        HOME_PC,
        "timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint, client: desktop, until: '12:00' }
  - { at: '09:30', do: use, device: pc, app: sharepoint, client: desktop }
",
    ));
    assert_eq!(outcome.prompts.len(), 1, "only the first sign-in prompts");
    // The 12:00 renewal falls on `until`, which is exclusive (R-DET-2).
    assert_eq!(outcome.stats.token_requests, 3, "09:00, 10:00, 11:00");
}

/// R-TOK-2.
#[test]
fn tok_2_apps_with_a_fresh_token_per_connection_request_one_at_every_use() {
    let steps = |app: &str| {
        format!(
            "timeline:
  - {{ at: '09:00', do: use, device: pc, app: {app}, client: desktop }}
  - {{ at: '09:03', do: use, device: pc, app: {app}, client: desktop }}
  - {{ at: '09:06', do: use, device: pc, app: {app}, client: desktop }}
"
        )
    };
    assert_eq!(run(&with(HOME_PC, &steps("avd"))).1.stats.token_requests, 3);
    assert_eq!(run(&with(HOME_PC, &steps("sharepoint"))).1.stats.token_requests, 1);
}

// ----- R-SIF ---------------------------------------------------------------

const SIF_1H: &str = "policies: [ { name: SIF, users: all, apps: all, session: { sign_in_frequency: 1h } } ]\n";

/// R-SIF-1.
#[test]
fn sif_1_a_session_expires_exactly_when_now_minus_auth_reaches_the_frequency() {
    let got = prompts(&with(
        HOME_PC,
        &format!(
            "{SIF_1H}timeline:
  - {{ at: '09:00', do: use, device: pc, app: sharepoint }}
  - {{ at: '09:59:59', do: use, device: pc, app: sharepoint }}
  - {{ at: '10:00', do: use, device: pc, app: sharepoint }}
"
        ),
    ));
    assert_eq!(got, vec![p("09:00", "a", "no_session"), p("10:00", "a", "sign_in_frequency")]);
}

/// R-SIF-3.
#[test]
fn sif_3_an_mfa_instant_older_than_the_frequency_expires_even_with_a_fresh_first_factor() {
    let (_, outcome) = run("
name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, sign_in: password, browser: edge } }
policies: [ { name: MFA 4h, users: all, apps: [sharepoint], grant: mfa, session: { sign_in_frequency: 4h } } ]
timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
  - { at: '09:05', do: use, device: laptop, app: sharepoint }
  - { at: '13:00', do: lock, device: laptop }
  - { at: '13:01', do: unlock, device: laptop }
  - { at: '13:02', do: use, device: laptop, app: sharepoint }
  - { at: '13:10', do: use, device: laptop, app: sharepoint }
");
    let got: Vec<_> = outcome.prompts.iter().map(|p| (p.reason.name(), p.rule.id())).collect();
    // 13:01: the unlock refreshes the PRT's first factor, not its MFA (R-PRT-4);
    // at 13:10 the MFA done at 09:05 is 4h05 old.
    assert_eq!(got, vec![("mfa_required", "R-CA-2"), ("sign_in_frequency", "R-SIF-3")]);
}

/// R-SIF-4.
#[test]
fn sif_4_shared_browser_frequency_can_be_switched_off() {
    let yaml = |shared: bool| {
        format!(
            "
name: t
settings: {{ browser_shared_sif: {shared} }}
users: {{ a: {{}} }}
devices: {{ pc: {{ owner: a, join: unregistered, browser: chrome }} }}
policies: [ {{ name: portal, users: all, apps: [azure_portal], session: {{ sign_in_frequency: 1h }} }} ]
timeline:
  - {{ at: '09:00', do: use, device: pc, app: sharepoint, until: '11:30' }}
  - {{ at: '09:30', do: use, device: pc, app: azure_portal }}
"
        )
    };
    assert_eq!(prompts(&yaml(true)).len(), 3, "no_session, then SharePoint at 10:00 and 11:00");
    assert_eq!(prompts(&yaml(false)), vec![p("09:00", "a", "no_session")]);
}

/// R-SIF-6.
#[test]
fn sif_6_token_mode_prompts_between_one_and_two_and_a_half_hours_after_the_auth_instant() {
    for seed in 0..20 {
        let (_, outcome) = run(&format!(
            "
name: t
seed: {seed}
settings: {{ evaluation: token }}
users: {{ a: {{}} }}
devices: {{ pc: {{ owner: a, join: unregistered, browser: chrome }} }}
{SIF_1H}timeline:
  - {{ at: '09:00', do: use, device: pc, app: sharepoint, until: '20:00' }}
"
        ));
        let sif_prompts: Vec<_> = outcome.prompts.iter().filter(|p| p.reason.name() == "sign_in_frequency").collect();
        assert!(!sif_prompts.is_empty(), "seed {seed}");
        for prompt in sif_prompts {
            let age = prompt.at - prompt.expired_auth_instant.unwrap();
            assert!((3600..=9000).contains(&age), "seed {seed}: prompt {age}s after the auth instant");
        }
    }
}

// ----- R-PRT ---------------------------------------------------------------

/// R-PRT-1.
#[test]
fn prt_1_unlock_refreshes_at_most_every_four_hours() {
    let (_, outcome) = run(&with(
        JOINED,
        "timeline:
  - { at: '08:00', do: sign_in_device, device: laptop }
  - { at: '09:00', do: unlock, device: laptop }
  - { at: '11:59', do: unlock, device: laptop }
  - { at: '12:00', do: unlock, device: laptop }
  - { at: '13:00', do: unlock, device: laptop }
",
    ));
    assert_eq!(outcome.stats.prt_refreshes, 2, "08:00 and 12:00");
}

/// R-PRT-5.
#[test]
fn prt_5_edge_signs_in_silently_from_the_prt_and_firefox_prompts() {
    let got = prompts(
        "
name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, browser: edge }, other: { owner: a, join: entra_joined, browser: firefox } }
timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
  - { at: '09:00', do: sign_in_device, device: other }
  - { at: '09:05', do: use, device: laptop, app: sharepoint }
  - { at: '09:05', do: use, device: other, app: sharepoint }
",
    );
    assert_eq!(got, vec![p("09:05", "a", "no_session")], "only the browser without PRT SSO prompts");
}

/// R-PRT-6.
#[test]
fn prt_6_a_wam_answer_refreshes_the_prt_and_a_browser_answer_only_its_cookie() {
    let base = "
name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, browser: firefox } }
policies: [ { name: SIF 1h, users: all, apps: all, session: { sign_in_frequency: 1h } } ]
timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
";
    // Answered in Teams through WAM at 10:30: the PRT is new, so Outlook at 11:00 needs nothing.
    let wam = prompts(&format!(
        "{base}  - {{ at: '10:30', do: use, device: laptop, app: teams, client: desktop }}
  - {{ at: '11:00', do: use, device: laptop, app: exchange, client: desktop }}
"
    ));
    assert_eq!(wam, vec![p("10:30", "a", "sign_in_frequency")], "{wam:?}");
    // Answered in the browser at 10:30: the PRT keeps 09:00, so Outlook at 11:00 prompts.
    let browser = prompts(&format!(
        "{base}  - {{ at: '10:30', do: use, device: laptop, app: sharepoint }}
  - {{ at: '11:00', do: use, device: laptop, app: exchange, client: desktop }}
"
    ));
    assert_eq!(browser.len(), 2, "{browser:?}");
    assert_eq!(browser[1], p("11:00", "a", "sign_in_frequency"), "{browser:?}");
}

/// R-PRT-7.
/// R-REV-2.
#[test]
fn prt_7_a_password_change_invalidates_the_password_prt_until_the_next_unlock() {
    let got = prompts(
        "
name: t
users: { a: {}, b: {} }
devices:
  la: { owner: a, join: entra_joined, sign_in: password }
  lb: { owner: b, join: entra_joined, sign_in: password }
timeline:
  - { at: '09:00', do: sign_in_device, device: la }
  - { at: '09:00', do: sign_in_device, device: lb }
  - { at: '09:00', do: use, device: la, app: teams, client: desktop }
  - { at: '09:00', do: use, device: lb, app: teams, client: desktop }
  - { at: '10:00', do: password_change, user: a }
  - { at: '10:00', do: password_change, user: b }
  - { at: '10:30', do: use, device: la, app: teams, client: desktop }
  - { at: '10:20', do: lock, device: lb }
  - { at: '10:30', do: unlock, device: lb }
  - { at: '10:31', do: use, device: lb, app: teams, client: desktop }
",
    );
    // b signs in to Windows with the new password: a new PRT, no app prompt.
    assert_eq!(got, vec![p("10:30", "a", "revoked")]);
}

// ----- R-DEF ---------------------------------------------------------------

/// R-DEF-3.
#[test]
fn def_3_a_background_prompt_is_answered_at_once_when_the_user_is_at_the_device() {
    let (_, outcome) = run(&with(
        JOINED,
        "policies: [ { name: SIF, users: all, apps: [exchange], session: { sign_in_frequency: 1h } } ]
timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
  - { at: '09:00', do: background, device: laptop, app: exchange, client: desktop, until: '12:00' }
  - { at: '09:00', do: use, device: laptop, app: teams, client: desktop, until: '12:00' }
",
    ));
    let first = &outcome.prompts[0];
    assert_eq!((first.rule.id(), first.error_code.map(|c| c.code())), ("R-DEF-3", Some(70043)));
    assert_eq!(first.answered_at, Some(first.at), "Teams is in use on the device: answered at once");
    // The answer refreshed the PRT and the sync went on: refused again an hour later.
    let times: Vec<_> = outcome.prompts.iter().map(|p| (p.at - outcome.prompts[0].at) / 3600).collect();
    assert_eq!(times, vec![0, 1]);
}

// ----- R-PB ----------------------------------------------------------------

/// R-PB-1.
#[test]
fn pb_1_guests_are_not_asked_to_stay_signed_in() {
    let (s, outcome) = run("
name: t
users: { g: { type: guest, stay_signed_in: true }, m: { stay_signed_in: true } }
devices: { gpc: { owner: g, browser: firefox }, mpc: { owner: m, browser: firefox } }
timeline:
  - { at: '09:00', do: use, device: gpc, app: sharepoint }
  - { at: '09:00', do: use, device: mpc, app: sharepoint }
  - { at: '10:00', do: close_browser, device: gpc }
  - { at: '10:00', do: close_browser, device: mpc }
  - { at: '11:00', do: use, device: gpc, app: sharepoint }
  - { at: '11:00', do: use, device: mpc, app: sharepoint }
");
    let shown: Vec<_> =
        outcome.prompts.iter().map(|p| (p.access.named(&s).user, p.reason.name(), p.stay_signed_in)).collect();
    assert_eq!(shown, vec![("g", "no_session", None), ("m", "no_session", Some(true)), ("g", "browser_closed", None)]);
}

/// R-PB-1.
#[test]
fn pb_1_a_tenant_can_hide_stay_signed_in() {
    let (_, outcome) = run("
name: t
settings: { kmsi: hidden }
users: { m: { stay_signed_in: true } }
devices: { pc: { owner: m, browser: firefox } }
timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '10:00', do: close_browser, device: pc }
  - { at: '11:00', do: use, device: pc, app: sharepoint }
");
    assert_eq!(outcome.prompts.len(), 2);
    assert!(outcome.prompts.iter().all(|p| p.stay_signed_in.is_none()));
}

/// R-PB-5.
#[test]
fn pb_5_session_cookies_die_after_24_hours_idle() {
    let got = prompts(&with(
        HOME_PC,
        "timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '1d 08:59', do: use, device: pc, app: sharepoint }
  - { at: '2d 08:59', do: use, device: pc, app: sharepoint }
",
    ));
    assert_eq!(got, vec![p("09:00", "a", "no_session"), p("2d 08:59", "a", "inactive")]);
}

// ----- R-REV ---------------------------------------------------------------

/// R-REV-3.
#[test]
fn rev_3_apps_without_cae_notice_a_revocation_only_at_their_next_token_request() {
    let got = prompts(&with(
        HOME_PC,
        "timeline:
  - { at: '09:00', do: use, device: pc, app: office }
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '09:10', do: revoke_sessions, user: a }
  - { at: '09:20', do: use, device: pc, app: office }
  - { at: '09:20', do: use, device: pc, app: sharepoint }
  - { at: '10:05', do: use, device: pc, app: office }
",
    ));
    assert_eq!(got, vec![p("09:00", "a", "no_session"), p("09:20", "a", "revoked")]);
    // SharePoint (CAE) noticed at 09:20; the answer re-established the browser
    // session, so Office's renewal at 10:05 succeeds silently.
}

/// R-REV-1.
#[test]
fn rev_1_a_disabled_account_is_blocked_and_signs_in_again_once_enabled() {
    let (_, outcome) = run(&with(
        JOINED,
        "timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
  - { at: '09:00', do: use, device: laptop, app: sharepoint }
  - { at: '09:30', do: disable_user, user: a }
  - { at: '09:40', do: use, device: laptop, app: sharepoint }
  - { at: '10:00', do: enable_user, user: a }
  - { at: '10:10', do: use, device: laptop, app: sharepoint }
",
    ));
    assert_eq!(outcome.blocked.iter().map(|b| b.error_code.code()).collect::<Vec<_>>(), vec![50057]);
    assert_eq!(outcome.prompts.iter().map(|p| p.reason.name()).collect::<Vec<_>>(), vec!["revoked"]);
}

// ----- R-CA / R-PROMPT -----------------------------------------------------

/// R-CA-2.
#[test]
fn ca_2_a_compliant_device_satisfies_either_mfa_or_compliance() {
    let yaml = |compliant: bool| {
        format!(
            "
name: t
users: {{ a: {{}} }}
devices: {{ laptop: {{ owner: a, join: entra_joined, compliant: {compliant} }} }}
policies: [ {{ name: either, users: all, apps: all, grant: {{ any_of: [mfa, compliant_device] }} }} ]
timeline:
  - {{ at: '09:00', do: sign_in_device, device: laptop }}
  - {{ at: '09:00', do: use, device: laptop, app: sharepoint }}
"
        )
    };
    assert!(prompts(&yaml(true)).is_empty());
    assert_eq!(prompts(&yaml(false)), vec![p("09:00", "a", "mfa_required")]);
}

/// R-CA-1.
#[test]
fn ca_1_disabled_policies_change_nothing() {
    let got = prompts(&with(
        JOINED,
        "policies: [ { name: off, state: disabled, users: all, apps: all, grant: block } ]
timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
  - { at: '09:00', do: use, device: laptop, app: sharepoint }
",
    ));
    assert!(got.is_empty());
}

/// R-PROMPT-1.
#[test]
fn prompt_1_one_sign_in_answers_every_reason_due_at_once() {
    // No session and MFA required: one prompt (no_session), answered with MFA.
    let got = prompts(&with(
        HOME_PC,
        "policies: [ { name: mfa, users: all, apps: all, grant: mfa } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
",
    ));
    assert_eq!(got, vec![p("09:00", "a", "no_session")]);
}

/// R-PROMPT-3.
#[test]
fn prompt_3_a_user_without_a_session_is_prompted_then_blocked_with_one_not_the_other() {
    let policy = "policies: [ { name: no portal, users: all, apps: [azure_portal], grant: block } ]\n";
    let (s, home) = run(&with(
        HOME_PC,
        &format!("{policy}timeline:\n  - {{ at: '09:00', do: use, device: pc, app: azure_portal, until: '10:30' }}\n"),
    ));
    assert_eq!(home.prompts.len(), 1);
    assert_eq!(home.blocked.len(), 1, "blocked once per refused use step");
    let blocking = home.blocked[0].policy.map(|i| s.policies[i].name.as_str());
    assert_eq!((home.blocked[0].error_code.code(), blocking), (53003, Some("no portal")));
    let (_, laptop) = run(&with(
        JOINED,
        &format!(
            "{policy}timeline:\n  - {{ at: '09:00', do: sign_in_device, device: laptop }}\n  - {{ at: '09:00', do: use, device: laptop, app: azure_portal }}\n"
        ),
    ));
    assert!(laptop.prompts.is_empty());
    assert_eq!(laptop.blocked.len(), 1);
}

/// R-DET-2.
#[test]
fn det_2_the_end_of_a_use_interval_is_exclusive() {
    let got = prompts(&with(
        JOINED,
        &format!(
            "{SIF_1H}timeline:
  - {{ at: '09:00', do: sign_in_device, device: laptop }}
  - {{ at: '09:00', do: use, device: laptop, app: sharepoint, until: '10:00' }}
"
        ),
    ));
    assert!(got.is_empty());
}

/// R-PROMPT-2.
#[test]
fn prompt_2_a_failed_or_abandoned_sign_in_ends_the_use_and_the_next_use_prompts_again() {
    let yaml = |response: &str| {
        with(
            HOME_PC,
            &format!(
                "timeline:
  - {{ at: '09:00', do: use, device: pc, app: sharepoint, until: '10:00', on_prompt: {response} }}
  - {{ at: '09:10', do: use, device: pc, app: sharepoint }}
"
            ),
        )
    };
    for (response, result, code) in [("fail", "failed", Some(50126)), ("abandon", "abandoned", None)] {
        let (_, outcome) = run(&yaml(response));
        let got: Vec<_> = outcome
            .prompts
            .iter()
            .map(|p| (p.reason.name(), format!("{:?}", p.result).to_lowercase(), p.error_code.map(|c| c.code())))
            .collect();
        assert_eq!(
            got,
            vec![("no_session", result.to_string(), code), ("no_session", "answered".to_string(), None)],
            "{response}"
        );
        assert_eq!(outcome.stats.token_requests, 1, "{response}: no token after the failed sign-in");
    }
}

/// R-PB-4.
#[test]
fn pb_4_a_persistent_cookie_outliving_a_never_policy_is_reported_once() {
    let (_, outcome) = run("
name: t
users: { w: { stay_signed_in: true } }
devices: { pc: { owner: w, browser: firefox } }
policies: [ { name: never, state: disabled, users: all, apps: all, session: { persistent_browser: never } } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '09:30', do: set_policy_state, policy: never, state: enabled }
  - { at: '09:40', do: use, device: pc, app: sharepoint }
  - { at: '09:50', do: use, device: pc, app: sharepoint }
  - { at: '11:00', do: close_browser, device: pc }
  - { at: '12:00', do: use, device: pc, app: sharepoint }
  - { at: '12:30', do: use, device: pc, app: exchange }
");
    assert_eq!(outcome.prompts.len(), 1);
    // R-PB-4 while the 09:00 token serves the browser; R-PB-6 at its first
    // round trip to Entra ID (12:00), which ends the persistence.
    assert_eq!(outcome.findings.iter().map(|f| f.rule.id()).collect::<Vec<_>>(), vec!["R-PB-4", "R-PB-6"]);
}

/// R-REV-3.
#[test]
fn rev_3_a_cae_app_in_continuous_use_notices_a_revocation_at_once() {
    let got = prompts(&with(
        HOME_PC,
        "timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint, until: '11:00' }
  - { at: '09:20', do: revoke_sessions, user: a }
",
    ));
    assert_eq!(got, vec![p("09:00", "a", "no_session"), p("09:20", "a", "revoked")]);
}

/// R-REV-1.
#[test]
fn rev_1_a_device_turning_non_compliant_ends_its_sessions_prt_included() {
    let got = prompts(
        "
name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, compliant: true } }
timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
  - { at: '09:00', do: use, device: laptop, app: teams, client: desktop }
  - { at: '10:00', do: set_compliant, device: laptop, value: false }
  - { at: '10:30', do: use, device: laptop, app: teams, client: desktop }
",
    );
    assert_eq!(got, vec![p("10:30", "a", "revoked")]);
}

#[test]
fn device_steps_act_for_the_named_user() {
    let (s, outcome) = run("
name: t
users: { owner: {}, guest: { stay_signed_in: false } }
devices: { shared: { owner: owner, browser: firefox } }
timeline:
  - { at: '09:00', do: use, device: shared, app: sharepoint }
  - { at: '09:00', do: use, device: shared, user: guest, app: sharepoint }
  - { at: '10:00', do: close_browser, device: shared, user: guest }
  - { at: '11:00', do: use, device: shared, app: sharepoint }
  - { at: '11:00', do: use, device: shared, user: guest, app: sharepoint }
");
    let got: Vec<_> = outcome.prompts.iter().map(|p| (p.access.named(&s).user, p.reason.name())).collect();
    // Only the guest's browser profile was closed.
    assert_eq!(got, vec![("owner", "no_session"), ("guest", "no_session"), ("guest", "browser_closed")]);
}

/// R-CA-1.
#[test]
fn ca_1_an_authentication_context_steps_up_a_session_without_mfa() {
    let got = prompts(&with(
        HOME_PC,
        "policies: [ { name: c1 needs MFA, users: all, apps: [auth_context:c1], grant: mfa } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '09:10', do: use, device: pc, app: sharepoint }
  - { at: '09:20', do: use, device: pc, app: sharepoint, auth_context: c1 }
  - { at: '09:30', do: use, device: pc, app: sharepoint, auth_context: c1 }
",
    ));
    // The token from 09:00 serves 09:10; c1 asks for a new token and MFA once.
    assert_eq!(got, vec![p("09:00", "a", "no_session"), p("09:20", "a", "mfa_required")]);
}

/// R-CA-1.
#[test]
fn ca_1_a_step_can_move_the_device_out_of_a_trusted_location() {
    let got = prompts(
        "
name: t
named_locations: { hq: { ip_ranges: [203.0.113.0/24], trusted: true } }
users: { a: {} }
devices: { pc: { owner: a, browser: firefox, ip: 203.0.113.9 } }
policies: [ { name: mfa away, users: all, apps: all, locations: { include: [all], exclude: [all_trusted] }, grant: mfa } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: exchange }
  - { at: '11:00', do: use, device: pc, app: exchange, ip: 198.51.100.1 }
  - { at: '13:00', do: use, device: pc, app: exchange, ip: 203.0.113.9 }
",
    );
    assert_eq!(got, vec![p("09:00", "a", "no_session"), p("11:00", "a", "mfa_required")]);
}

/// R-CA-1.
#[test]
fn ca_1_user_action_steps_match_only_user_action_policies() {
    let (s, outcome) = run("
name: t
users: { a: {} }
devices: { pc: { owner: a, browser: firefox } }
policies:
  - { name: block apps, users: all, apps: all, grant: block }
  - { name: mfa to register, users: all, apps: [action:register_security_info], grant: mfa }
timeline:
  - { at: '09:00', do: register_security_info, device: pc }
");
    assert!(outcome.blocked.is_empty(), "a policy on all resources does not cover a user action");
    let got: Vec<_> = outcome.prompts.iter().map(|p| (p.access.named(&s).app, p.reason.name())).collect();
    assert_eq!(got, vec![("register_security_info", "no_session")]);
    assert_eq!(outcome.prompts[0].policy, None);
}

/// R-CA-2.
#[test]
fn ca_2_a_password_change_remediates_user_risk_and_revokes_password_sessions() {
    let (s, outcome) = run("
name: t
users: { z: { risk: high } }
devices: { pc: { owner: z, browser: firefox }, tablet: { owner: z, browser: firefox } }
policies: [ { name: risky, users: all, apps: all, user_risk: [high], grant: { all_of: [mfa, password_change] } } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: exchange }
  - { at: '10:30', do: use, device: pc, app: exchange }
  - { at: '10:30', do: use, device: tablet, app: exchange }
");
    let got: Vec<_> = outcome.prompts.iter().map(|p| (p.access.named(&s).device, p.reason.name())).collect();
    // After the change the policy no longer applies: the tablet only signs in.
    assert_eq!(got, vec![("pc", "no_session"), ("pc", "password_change"), ("tablet", "no_session")]);
}

/// R-CA-2.
#[test]
fn ca_2_terms_of_use_are_accepted_once_per_user_and_terms() {
    let got = prompts(&with(
        HOME_PC,
        "policies: [ { name: tou, users: all, apps: all, grant: { terms_of_use: t1 } } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: exchange }
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '2d 09:00', do: use, device: pc, app: exchange }
",
    ));
    assert_eq!(
        got,
        vec![p("09:00", "a", "no_session"), p("09:00", "a", "terms_of_use"), p("2d 09:00", "a", "inactive")]
    );
}

#[test]
fn populations_are_simulated_user_by_user_deterministically() {
    let yaml = "
name: t
seed: 3
population: { personas: { frontline_worker: 5, administrator: 2 }, days: 7 }
policies: [ { name: portal hourly, users: { include: ['role:Global Administrator'] }, apps: [azure_portal], session: { sign_in_frequency: 1h } } ]
";
    let first = population_prompts(yaml);
    let second = population_prompts(yaml);
    assert_eq!(first, second);
    let users: std::collections::BTreeSet<&str> = first.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(users.len(), 7, "every frontline worker closes the browser; every administrator meets the 1h SIF");
    assert!(first.iter().filter(|p| p.0.starts_with("frontline")).all(|p| p.2 != "sign_in_frequency"));
    // Output is in user order (personas by name, then number), each user's prompts in time order.
    let order: Vec<(&str, i64)> = first.iter().map(|p| (p.0.as_str(), p.1)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn a_population_cannot_name_users_in_policies() {
    let err = casim::scenario::from_str(
        Path::new("p.yaml"),
        "
name: t
population: { personas: { guest: 2 }, days: 1 }
policies: [ { name: p, users: { include: [guest] }, apps: all, grant: block } ]
",
    )
    .unwrap_err();
    assert!(err.message.contains("names a user"), "{}", err.message);
}

#[test]
fn large_generated_timelines_load_beyond_the_yaml_default_budget() {
    // serde-saphyr refuses more than 250,000 nodes by default; populations written
    // by `casim generate` are much larger.
    let mut yaml = String::from("name: big\nusers: { a: {} }\ndevices: { pc: { owner: a } }\ntimeline:\n");
    for minute in 0..30_000 {
        yaml.push_str(&format!(
            "  - {{ at: \"{}d {:02}:{:02}\", do: lock, device: pc }}\n",
            minute / 1440,
            minute / 60 % 24,
            minute % 60
        ));
    }
    let s = scenario(&yaml);
    assert_eq!(s.steps.len(), 30_000);
}

/// R-PRT-4.
#[test]
fn prt_4_a_wam_answer_with_windows_hello_carries_an_mfa_claim() {
    let yaml = |sign_in: &str| {
        format!(
            "
name: t
users: {{ a: {{}} }}
devices: {{ laptop: {{ owner: a, join: registered, sign_in: {sign_in} }} }}
policies: [ {{ name: mfa, state: disabled, users: all, apps: all, grant: mfa }} ]
timeline:
  - {{ at: '09:00', do: use, device: laptop, app: teams, client: desktop }}
  - {{ at: '09:30', do: set_policy_state, policy: mfa, state: enabled }}
  - {{ at: '11:00', do: use, device: laptop, app: teams, client: desktop }}
"
        )
    };
    // The first sign-in through WAM creates the PRT (R-PRT-3); with Windows Hello it is multifactor.
    assert_eq!(prompts(&yaml("windows_hello")), vec![p("09:00", "a", "no_session")]);
    assert_eq!(prompts(&yaml("password")), vec![p("09:00", "a", "no_session"), p("11:00", "a", "mfa_required")]);
}

// ----- R-ET-2 --------------------------------------------------------------

/// R-ET-2.
#[test]
fn et_2_every_time_is_evaluated_at_token_requests_not_at_each_interaction() {
    let got = prompts(
        "
name: t
users: { a: {} }
devices: { pc: { owner: a, join: unregistered, browser: chrome } }
policies: [ { name: Every time, users: all, apps: all, grant: mfa, session: { sign_in_frequency: every_time } } ]
timeline:
  - { at: '09:00', do: use, device: pc, app: teams, client: desktop, until: '11:30' }
  - { at: '09:20', do: use, device: pc, app: teams, client: desktop }
",
    );
    // The first sign-in, then one prompt at each hourly token renewal; the
    // 09:20 interaction is served by the valid token.
    let times: Vec<&str> = got.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(times, ["09:00", "10:00", "11:00"], "{got:?}");
}

/// Every rule of docs/model.md has a test that names it, so that
/// `grep -r R-PRT-1 tests/` finds the tests of R-PRT-1.
#[test]
fn every_documented_rule_is_named_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = std::fs::read_to_string(root.join("docs/model.md")).expect("docs/model.md");
    let ids: Vec<&str> = model
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| id.starts_with("R-"))
        .collect();
    assert!(ids.len() > 30, "the headings are read: {ids:?}");
    let tests: String = std::fs::read_dir(root.join("tests/integration"))
        .expect("tests/integration")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    let named = |id: &str| {
        tests.match_indices(id).any(|(i, _)| !tests[i + id.len()..].starts_with(|c: char| c.is_ascii_digit()))
    };
    let missing: Vec<&str> = ids.iter().copied().filter(|id| !named(id)).collect();
    assert!(missing.is_empty(), "rules no test names: {missing:?}");
}

/// R-SIF-2.
#[test]
fn sif_2_without_a_frequency_a_session_unused_for_90_days_expires() {
    let got = prompts(&with(
        HOME_PC,
        "timeline:
  - { at: '09:00', do: use, device: pc, app: teams, client: desktop }
  - { at: '89d 09:00', do: use, device: pc, app: teams, client: desktop }
  - { at: '179d 09:00', do: use, device: pc, app: teams, client: desktop }
",
    ));
    // Used within 90 days, the window rolls on; 90 days unused, it has expired.
    assert_eq!(got, vec![p("09:00", "a", "no_session"), p("179d 09:00", "a", "inactive")], "{got:?}");
}

/// R-DEF-2.
#[test]
fn def_2_a_confidential_client_defers_the_frequency_to_the_next_interactive_sign_in() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = casim::scenario::load(&root.join("scenarios/confidential-client-deferral.yaml"))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let outcome = engine::simulate(&s, Options::default());
    assert!(!outcome.deferred.is_empty(), "the frequency falls due under a confidential client");
    let rules: Vec<String> = outcome.deferred.iter().map(|d| d.rule.to_string()).collect();
    assert!(rules.iter().all(|r| r == "R-DEF-2"), "{rules:?}");
}

/// R-PB-3.
#[test]
fn pb_3_closing_the_browser_drops_a_session_cookie() {
    let got = prompts(&with(
        HOME_PC,
        "timeline:
  - { at: '09:00', do: use, device: pc, app: sharepoint }
  - { at: '09:10', do: close_browser, device: pc }
  - { at: '09:20', do: use, device: pc, app: sharepoint }
",
    ));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1], p("09:20", "a", "browser_closed"), "{got:?}");
}
