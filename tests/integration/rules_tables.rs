//! Issue 12: the behaviours where casim follows Microsoft's tables and
//! support material to the letter (R-REV-4, R-DEF-4, R-PB-*, R-ET-*,
//! R-PROMPT-*), on small inline scenarios with exact times.

use std::path::Path;

use casim::engine::{self, Options, Outcome};
use casim::scenario::Scenario;
use casim::time::relative;

use crate::common::{refused, scenario};

fn run(yaml: &str) -> (Scenario, Outcome) {
    crate::common::simulated(yaml, false)
}

/// (relative time, user, app, reason) of every prompt.
fn prompts(yaml: &str) -> Vec<(String, String, String, &'static str)> {
    let (s, outcome) = run(yaml);
    outcome
        .prompts
        .iter()
        .map(|p| {
            let named = p.access.named(&s);
            (relative(p.at, s.start), named.user.to_string(), named.app.to_string(), p.reason.name())
        })
        .collect()
}

/// The message of a scenario casim refuses.
fn refusal(yaml: &str) -> String {
    refused(yaml).render()
}

// ----- R-REV-4 ---------------------------------------------------------------

/// One member with a password cookie (Firefox, unregistered PC), a confidential
/// web app resting on it, and a Windows Hello PRT for Teams; `row` at 10:00.
fn one_row(user: &str, row: &str) -> String {
    format!(
        "
name: t
users: {{ a: {user} }}
devices:
  home: {{ owner: a, browser: firefox }}
  laptop: {{ owner: a, join: entra_joined, sign_in: windows_hello }}
apps:
  payroll: {{ name: Payroll, app_id: 6f1c3a52-2d0b-4c58-9d0e-3b1f5d7a9c11 }}
timeline:
  - {{ at: '09:00', do: sign_in_device, device: laptop }}
  - {{ at: '09:00', do: use, device: home, app: exchange }}
  - {{ at: '09:00', do: use, device: home, app: payroll, client: confidential }}
  - {{ at: '09:00', do: use, device: laptop, app: teams, client: desktop }}
  - {row}
  - {{ at: '11:30', do: use, device: home, app: payroll, client: confidential }}
  - {{ at: '11:30', do: use, device: home, app: exchange }}
  - {{ at: '11:30', do: use, device: laptop, app: teams, client: desktop }}
"
    )
}

/// The prompts after the 09:00 sign-ins, as (app, reason).
fn after_row(user: &str, row: &str) -> Vec<(String, &'static str)> {
    prompts(&one_row(user, row)).into_iter().filter(|p| p.0 != "09:00").map(|p| (p.2, p.3)).collect()
}

fn revoked(apps: &[&str]) -> Vec<(String, &'static str)> {
    apps.iter().map(|a| (a.to_string(), "revoked")).collect()
}

/// R-REV-4: the user's own password change spares the confidential client's
/// refresh token ("Stays alive"); only the password-based cookie goes.
#[test]
fn rev_4_a_users_password_change_spares_confidential_clients() {
    let row = "{ at: '10:00', do: password_change, user: a }";
    assert_eq!(after_row("{}", row), revoked(&["exchange"]));
}

/// R-REV-4: every row of the table, through what the user meets at 11:30.
#[test]
fn rev_4_each_row_revokes_the_columns_the_table_marks() {
    let rows: [(&str, &[&str]); 8] = [
        ("{ at: '10:00', do: password_expires, user: a }", &[]),
        ("{ at: '10:00', do: self_service_password_reset, user: a }", &["exchange"]),
        ("{ at: '10:00', do: admin_password_reset, user: a, portal: azure_portal }", &["exchange"]),
        // The admin centers also revoke the PRT (a non-password token) and the
        // confidential token; the browser sign-in Payroll then makes serves Exchange.
        ("{ at: '10:00', do: admin_password_reset, user: a, portal: entra_admin_center }", &["payroll", "teams"]),
        ("{ at: '10:00', do: admin_password_reset, user: a, portal: m365_admin_center }", &["payroll", "teams"]),
        ("{ at: '10:00', do: admin_password_reset, user: a }", &["payroll", "teams"]),
        ("{ at: '10:00', do: revoke_own_sessions, user: a }", &["payroll", "teams"]),
        ("{ at: '10:00', do: single_sign_out, device: home }", &["exchange"]),
    ];
    for (row, apps) in rows {
        assert_eq!(after_row("{}", row), revoked(apps), "{row}");
    }
}

/// R-REV-4: a B2B guest's sessions revoked in the resource tenant keep
/// working; revoked in their home tenant, they end.
#[test]
fn rev_4_guests_are_revoked_in_their_home_tenant_only() {
    let here = "{ at: '10:00', do: revoke_sessions, user: a }";
    assert_eq!(after_row("{ type: guest }", here), revoked(&[]));
    let home = "{ at: '10:00', do: revoke_sessions, user: a, tenant: home }";
    assert_eq!(after_row("{ type: guest }", home), revoked(&["payroll", "teams"]));
    // An internal guest's home tenant is this one.
    let internal = "{ type: guest, guest_type: internal_guest }";
    assert_eq!(after_row(internal, here), revoked(&["payroll", "teams"]));
    assert_eq!(after_row("{}", here), revoked(&["payroll", "teams"]));
}

#[test]
fn rev_4_bad_rows_are_refused_with_the_nearest_word() {
    let portal = refusal(&one_row("{}", "{ at: '10:00', do: admin_password_reset, user: a, portal: entra_admin }"));
    assert!(portal.contains("entra_admin_center"), "{portal}");
    let member = refusal(&one_row("{}", "{ at: '10:00', do: revoke_sessions, user: a, tenant: resource }"));
    assert!(member.contains("`tenant: resource` is for B2B guests"), "{member}");
    let tenant = refusal(&one_row("{ type: guest }", "{ at: '10:00', do: revoke_sessions, user: a, tenant: hom }"));
    assert!(tenant.contains("home"), "{tenant}");
    let field = refusal(&one_row("{}", "{ at: '10:00', do: password_change, user: a, portal: azure_portal }"));
    assert!(field.contains("portal"), "{field}");
}

// ----- R-DEF-4 ---------------------------------------------------------------

/// Outlook syncing from 09:00 under a 2-hour frequency; the user locks at
/// 09:30 and is back at `back`.
fn outlook(back: &str, join: &str) -> String {
    format!(
        "
name: t
users: {{ a: {{}} }}
devices: {{ laptop: {{ owner: a, join: {join} }} }}
policies:
  - {{ name: SIF 2h, users: all, apps: [exchange], session: {{ sign_in_frequency: 2h }} }}
timeline:
  - {{ at: '09:00', do: sign_in_device, device: laptop }}
  - {{ at: '09:00', do: use, device: laptop, app: exchange, client: desktop, until: '09:30' }}
  - {{ at: '09:00', do: background, device: laptop, app: exchange, client: desktop, until: '12:30' }}
  - {{ at: '09:30', do: lock, device: laptop }}
  - {{ at: '{back}', do: unlock, device: laptop }}
"
    )
}

/// R-DEF-4: an unlock that refreshes the PRT (4 hours after the last
/// refresh) withdraws the prompt raised at 11:00.
#[test]
fn def_4_an_unlock_that_refreshes_the_prt_withdraws_the_waiting_prompt() {
    let (s, outcome) = run(&outlook("13:00", "entra_joined"));
    assert!(outcome.prompts.is_empty(), "{:?}", outcome.prompts);
    let withdrawn: Vec<_> = outcome.deferred.iter().filter(|d| d.rule.id() == "R-DEF-4").collect();
    assert_eq!(withdrawn.len(), 1);
    assert_eq!(relative(withdrawn[0].at, s.start), "13:00");
    assert_eq!(outcome.withdrawn, [0]);
}

/// R-DEF-4: an unlock within 4 hours of the refresh leaves the session
/// expired, and the prompt is answered there (R-DEF-3).
#[test]
fn def_4_an_unlock_without_a_refresh_answers_the_prompt() {
    let (s, outcome) = run(&outlook("12:00", "entra_joined"));
    let answered: Vec<_> = outcome.prompts.iter().map(|p| (relative(p.at, s.start), p.answered_at)).collect();
    assert_eq!(answered, [("11:00".to_string(), Some(s.start + 12 * 3_600))]);
    assert!(outcome.withdrawn.is_empty());
}

/// R-DEF-4, R-PRT-3: on a registered device unlock refreshes nothing.
#[test]
fn def_4_a_registered_devices_unlock_does_not_withdraw() {
    let prompts = prompts(&outlook("13:00", "registered"));
    assert_eq!(prompts.first().map(|p| p.3), Some("no_session"));
    assert!(prompts.iter().all(|p| p.0 != "13:00" || p.3 != "sign_in_frequency"), "{prompts:?}");
}

/// R-DEF-4: `casim explain --prompt 1` finds the first prompt of the output,
/// not the withdrawn one the records count.
#[test]
fn def_4_explain_numbers_the_prompts_of_the_output() {
    let yaml = outlook("13:00", "entra_joined").replace("until: '12:30'", "until: '17:00'");
    let s = scenario(&yaml);
    let outcome = engine::simulate(&s, Options::default());
    assert_eq!(outcome.withdrawn, [0]);
    let first = &outcome.prompts[0];
    assert_eq!(relative(first.at, s.start), "15:00");
    let selected = engine::select::select(&s, engine::select::Wanted::Prompt(1)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(relative(selected.event.at, s.start), "15:00");
}

// ----- R-PROMPT-4 ------------------------------------------------------------

/// Exchange needs MFA, SharePoint has a 1-hour frequency, one Chrome session.
fn mfa_and_sif(shared: bool) -> String {
    format!(
        "
name: t
settings: {{ browser_shared_sif: {shared} }}
users: {{ a: {{}} }}
devices: {{ pc: {{ owner: a, browser: chrome }} }}
policies:
  - {{ name: MFA, users: all, apps: [exchange], grant: mfa }}
  - {{ name: SIF, users: all, apps: [sharepoint], session: {{ sign_in_frequency: 1h }} }}
timeline:
  - {{ at: '09:00', do: use, device: pc, app: exchange, until: '12:00' }}
  - {{ at: '09:00', do: use, device: pc, app: sharepoint, until: '12:00' }}
"
    )
}

/// R-PROMPT-4: SharePoint's password-only reauthentication at 10:00 re-creates
/// the cookie without MFA; Exchange's next token request asks for MFA.
#[test]
fn prompt_4_a_browser_reauthentication_without_mfa_drops_the_mfa_claim() {
    let got = prompts(&mfa_and_sif(false));
    let reasons: Vec<(&str, &str, &str)> = got.iter().map(|p| (p.0.as_str(), p.2.as_str(), p.3)).collect();
    assert_eq!(
        reasons,
        [
            ("09:00", "exchange", "no_session"),
            ("10:00", "sharepoint", "sign_in_frequency"),
            ("11:00", "exchange", "mfa_required"),
            ("11:00", "sharepoint", "sign_in_frequency"),
        ]
    );
}

/// R-PROMPT-4 with the shared frequency: the reauthentication falls in
/// Exchange, whose answer does MFA, so the cookie keeps an MFA claim.
#[test]
fn prompt_4_an_answer_that_does_mfa_keeps_the_claim() {
    let got = prompts(&mfa_and_sif(true));
    assert!(got.iter().all(|p| p.3 != "mfa_required"), "{got:?}");
    assert_eq!(got.len(), 3, "{got:?}");
}

// ----- R-ET-4 ----------------------------------------------------------------

fn step_ups(times: &[&str]) -> String {
    let mut yaml = "
name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, browser: edge } }
policies:
  - { name: c1, users: all, apps: [auth_context:c1], grant: mfa, session: { sign_in_frequency: every_time } }
timeline:
  - { at: '09:00', do: sign_in_device, device: laptop }
"
    .to_string();
    for t in times {
        yaml.push_str(&format!("  - {{ at: '{t}', do: use, device: laptop, app: azure_portal, auth_context: c1 }}\n"));
    }
    yaml
}

/// R-ET-4: a step-up that the valid token already satisfies is no request.
#[test]
fn et_4_a_step_up_reuses_a_valid_token_for_the_same_context() {
    let got: Vec<String> = prompts(&step_ups(&["09:10", "09:40", "10:09", "10:10"])).into_iter().map(|p| p.0).collect();
    // The 09:10 token lives until 10:10 (exclusive): 09:40 and 10:09 reuse it.
    assert_eq!(got, ["09:10", "10:10"]);
}

/// R-ET-4: another context, or a token issued without one, is a step-up.
#[test]
fn et_4_another_context_is_a_new_request() {
    let yaml = step_ups(&["09:10"]).replace("apps: [auth_context:c1]", "apps: [auth_context:c1, auth_context:c2]")
        + "  - { at: '09:40', do: use, device: laptop, app: azure_portal, auth_context: c2 }\n";
    let got: Vec<String> = prompts(&yaml).into_iter().map(|p| p.0).collect();
    assert_eq!(got, ["09:10", "09:40"]);
}

// ----- R-ET-5 ----------------------------------------------------------------

fn avd(settings: &str) -> String {
    format!(
        "
name: t
{settings}
users: {{ a: {{}} }}
devices: {{ laptop: {{ owner: a, join: entra_joined, sign_in: windows_hello }} }}
policies:
  - {{ name: ET, users: all, apps: [avd, office], session: {{ sign_in_frequency: every_time }} }}
timeline:
  - {{ at: '08:00', do: use, device: laptop, app: avd, client: desktop }}
  - {{ at: '08:10', do: use, device: laptop, app: avd, client: desktop }}
  - {{ at: '08:12', do: use, device: laptop, app: office, client: desktop }}
  - {{ at: '08:14:59', do: use, device: laptop, app: avd, client: desktop }}
  - {{ at: '08:15', do: use, device: laptop, app: avd, client: desktop }}
"
    )
}

/// R-ET-1 by default; R-ET-5 with AVD's 15 minutes, which other apps do not take.
#[test]
fn et_5_a_per_app_skew_applies_to_that_app_only() {
    let default: Vec<String> = prompts(&avd("")).into_iter().map(|p| p.0).collect();
    assert_eq!(default, ["08:00", "08:10", "08:15"]);
    let avd15 = avd("settings: { every_time_skew_by_app: { avd: 15m } }");
    let got: Vec<(String, String)> = prompts(&avd15).into_iter().map(|p| (p.0, p.2)).collect();
    // Office keeps 5 minutes: 08:12 is 12 minutes after the 08:00 sign-in. AVD's
    // 08:10 is within its 15; 08:14:59 and 08:15 are within 15 of the 08:12
    // sign-in, the last full one on the device whatever the app (R-ET-1).
    let want = [("08:00", "avd"), ("08:12", "office")];
    assert_eq!(got, want.map(|(t, a)| (t.to_string(), a.to_string())));
}

#[test]
fn et_5_unknown_apps_and_empty_skews_are_refused() {
    let unknown = refusal(&avd("settings: { every_time_skew_by_app: { avdd: 15m } }"));
    assert!(unknown.contains("unknown app `avdd`") && unknown.contains("did you mean `avd`"), "{unknown}");
    let zero = refusal(&avd("settings: { every_time_skew_by_app: { avd: 0s } }"));
    assert!(zero.contains("must be longer than zero"), "{zero}");
}

// ----- R-PROMPT-5 ------------------------------------------------------------

/// R-PROMPT-5: the 11:00 prompt falls in the middle of the 10:30 token; its
/// answer issues a token, so the next renewal is at 12:00.
#[test]
fn prompt_5_a_prompt_answered_mid_token_issues_a_token() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = casim::scenario::load(&root.join("scenarios/answered-prompt-issues-token.yaml"))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let sharepoint = s.apps.iter().position(|a| a.key == "sharepoint").expect("built in");
    let mut records = Vec::new();
    let mut sink = |e: casim::signin::SignInEvent| {
        if e.resource == casim::signin::Resource::App(sharepoint) && e.error_code.is_none() {
            records.push((relative(e.at, s.start), e.interactive));
        }
    };
    let outcome = engine::simulate_with_sink(&s, Options::default(), &mut sink);
    assert_eq!(outcome.stats.token_requests, 6, "09:00, 09:30, 10:30, 11:00, 12:00, 13:00");
    let want = [("09:30", false), ("10:30", false), ("11:00", true), ("12:00", false), ("13:00", true)];
    assert_eq!(records, want.map(|(t, i)| (t.to_string(), i)));
}
