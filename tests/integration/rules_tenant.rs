//! Tenant-wide behaviours of issue 12 (items 9, 16, 15, 10): token lifetimes
//! (R-TOK-3..5), downstream token requests (R-DOWN-*), resilience defaults
//! during an outage (R-RES-*) and continuous access evaluation (R-CAE-*), on
//! small inline scenarios with exact times, in the style of `rules.rs`.

use casim::engine::{self, Options, Outcome, TraceEvent};
use casim::scenario::Scenario;
use casim::time::relative;

use crate::common::refused;

fn run(yaml: &str) -> (Scenario, Outcome) {
    crate::common::simulated(yaml, true)
}

/// (relative time, app, reason) of every prompt.
fn prompts(yaml: &str) -> Vec<(String, String, &'static str)> {
    let (s, outcome) = run(yaml);
    outcome
        .prompts
        .iter()
        .map(|p| (relative(p.at, s.start), p.access.named(&s).app.to_string(), p.reason.name()))
        .collect()
}

fn p(at: &str, app: &str, reason: &'static str) -> (String, String, &'static str) {
    (at.to_string(), app.to_string(), reason)
}

/// (relative instant, lifetime in minutes) of every access token issued.
fn tokens(yaml: &str) -> Vec<(String, i64)> {
    let (s, outcome) = run(yaml);
    outcome
        .trace
        .iter()
        .filter_map(|t| match t.event {
            TraceEvent::TokenIssued { until, .. } => Some((relative(t.at, s.start), (until - t.at) / 60)),
            _ => None,
        })
        .collect()
}

fn t(at: &str, minutes: i64) -> (String, i64) {
    (at.to_string(), minutes)
}

const PC: &str = "
name: t
users: { a: {}, b: {} }
devices:
  pc: { owner: a, join: unregistered, browser: chrome }
  pc_b: { owner: b, join: unregistered, browser: chrome }
apps:
  payroll: { name: Payroll, app_id: 6f1a6c0e-0000-4000-8000-000000000001 }
";

fn with(settings: &str, rest: &str) -> String {
    format!("{PC}{settings}\n{rest}")
}

fn uses(app: &str, client: &str) -> String {
    format!("timeline:\n  - {{ at: '09:00', do: use, device: pc, app: {app}, client: {client}, until: '17:00' }}\n")
}

// ----- R-TOK-3: configurable token lifetime policies ---------------------------

/// R-TOK-3: the organization's policy replaces the default lifetime.
#[test]
fn tok_3_an_organization_policy_sets_every_apps_lifetime() {
    let yaml = with("settings: { token_lifetime_policy: 4h }", &uses("payroll", "desktop"));
    assert_eq!(tokens(&yaml), [t("09:00", 240), t("13:00", 240)]);
    let yaml = with("settings: { token_lifetime_policy: 10m }", &uses("exchange", "desktop"));
    assert_eq!(tokens(&yaml).len(), 48, "every 10 minutes from 09:00 to 16:50");
}

/// R-TOK-3: a policy assigned to the app, and the organization's before it.
#[test]
fn tok_3_an_app_policy_applies_unless_the_organization_has_one() {
    let app = "apps:\n  custom: { name: C, app_id: 6f1a6c0e-0000-4000-8000-000000000002, token_lifetime_policy: 3h }\n";
    let base = format!(
        "{}{app}",
        PC.replace("apps:\n  payroll: { name: Payroll, app_id: 6f1a6c0e-0000-4000-8000-000000000001 }\n", "")
    );
    let yaml = format!("{base}{}", uses("custom", "desktop"));
    assert_eq!(tokens(&yaml), [t("09:00", 180), t("12:00", 180), t("15:00", 180)]);
    let yaml = format!("{base}settings: {{ token_lifetime_policy: 5h }}\n{}", uses("custom", "desktop"));
    assert_eq!(tokens(&yaml), [t("09:00", 300), t("14:00", 300)], "the organization's policy is enforced first");
    let yaml = format!("{base}{}", uses("sharepoint", "desktop"));
    assert_eq!(tokens(&yaml)[0], t("09:00", 60), "another app keeps the default");
}

/// R-TOK-3: SharePoint's browser sessions are not reached; its native clients are.
#[test]
fn tok_3_sharepoint_in_a_browser_keeps_the_default() {
    let settings = "settings: { token_lifetime_policy: 4h }";
    assert_eq!(tokens(&with(settings, &uses("sharepoint", "browser")))[0], t("09:00", 60));
    assert_eq!(tokens(&with(settings, &uses("sharepoint", "desktop")))[0], t("09:00", 240));
    assert_eq!(tokens(&with(settings, &uses("exchange", "browser")))[0], t("09:00", 240));
}

/// R-TOK-3: a sign-in frequency policy keeps the default lifetime variation.
#[test]
fn tok_3_a_sign_in_frequency_keeps_the_default_lifetime() {
    let policy =
        "policies:\n  - { name: SIF, users: { include: [b] }, apps: all, session: { sign_in_frequency: 8h } }\n";
    let timeline = "timeline:
  - { at: '09:00', do: use, device: pc, app: payroll, client: desktop, until: '12:00' }
  - { at: '09:00', do: use, device: pc_b, app: payroll, client: desktop, until: '12:00' }
";
    let yaml = with("settings: { token_lifetime_policy: 4h }", &format!("{policy}{timeline}"));
    // a: 09:00 (4h); b: 09:00, 10:00, 11:00 (1h each).
    let mut lifetimes: Vec<i64> = tokens(&yaml).into_iter().map(|(_, m)| m).collect();
    lifetimes.sort();
    assert_eq!(lifetimes, [60, 60, 60, 240]);
}

/// R-TOK-3: a revocation reaches a non-CAE app at its next token request,
/// which the policy's lifetime puts off (scenarios/token-lifetime-policy.yaml).
#[test]
fn tok_3_a_longer_lifetime_delays_noticing_a_revocation() {
    let timeline = "timeline:
  - { at: '09:00', do: use, device: pc, app: payroll, client: desktop, until: '17:00' }
  - { at: '10:30', do: revoke_sessions, user: a }
";
    let default = with("", timeline);
    assert_eq!(prompts(&default), [p("09:00", "payroll", "no_session"), p("11:00", "payroll", "revoked")]);
    let policy = with("settings: { token_lifetime_policy: 4h }", timeline);
    assert_eq!(prompts(&policy), [p("09:00", "payroll", "no_session"), p("13:00", "payroll", "revoked")]);
}

/// R-TOK-3: in token mode the policy replaces the random 60–90 minutes.
#[test]
fn tok_3_in_token_mode_the_policy_overrides_the_variation() {
    let yaml = with("settings: { evaluation: token, token_lifetime_policy: 2h }", &uses("payroll", "desktop"));
    assert_eq!(tokens(&yaml), [t("09:00", 120), t("11:00", 120), t("13:00", 120), t("15:00", 120)]);
    let yaml = with("settings: { evaluation: token }", &uses("payroll", "desktop"));
    assert!(tokens(&yaml).iter().all(|(_, m)| (60..=90).contains(m)));
}

/// R-TOK-3: Entra's range, 10 minutes to one day, with the key's position;
/// a misspelt key gets the nearest one.
#[test]
fn tok_3_lifetimes_outside_entras_range_and_unknown_keys_are_errors() {
    let e = refused(&with("settings: { token_lifetime_policy: 5m }", &uses("payroll", "desktop")));
    assert!(e.message.contains("`token_lifetime_policy: 5m` is outside Entra's range"), "{}", e.message);
    let pos = e.pos.expect("a position");
    assert_eq!((pos.line, pos.column), (9, 36));
    let e = refused(&with("settings: { token_lifetime_policy: 25h }", &uses("payroll", "desktop")));
    assert!(e.message.contains("10m to 1d (R-TOK-3)"), "{}", e.message);
    let app = "apps:\n  custom: { name: C, app_id: 6f1a6c0e-0000-4000-8000-000000000002, token_lifetime_policy: 2d }\n";
    let e = refused(&format!("{PC}{app}{}", uses("custom", "desktop")));
    assert!(e.render().contains("token_lifetime_policy: 2d"), "{}", e.render());
    let e = refused(&with("settings: { token_lifetime_polcy: 4h }", &uses("payroll", "desktop")));
    assert!(e.render().contains("token_lifetime_policy"), "{}", e.render());
}

// ----- R-TOK-4: long-lived tokens in CAE sessions ---------------------------------

/// R-TOK-4: CAE-capable native clients of CAE apps get 28-hour tokens; browsers and other apps do not.
#[test]
fn tok_4_cae_sessions_get_long_lived_tokens() {
    let on = "settings: { long_lived_cae_tokens: true }";
    assert_eq!(tokens(&with(on, &uses("exchange", "desktop"))), [t("09:00", 28 * 60)]);
    assert_eq!(tokens(&with(on, &uses("exchange", "browser")))[0], t("09:00", 60));
    assert_eq!(tokens(&with(on, &uses("azure_portal", "desktop")))[0], t("09:00", 60));
    assert_eq!(tokens(&with("", &uses("exchange", "desktop")))[0], t("09:00", 60), "off by default");
}

/// R-TOK-4: a token lifetime policy is not honoured in a CAE session; a
/// sign-in frequency keeps the default lifetime.
#[test]
fn tok_4_cae_sessions_ignore_token_lifetime_policies_but_not_sign_in_frequency() {
    let on = "settings: { long_lived_cae_tokens: true, token_lifetime_policy: 2h }";
    assert_eq!(tokens(&with(on, &uses("teams", "mobile")))[0], t("09:00", 28 * 60));
    assert_eq!(tokens(&with(on, &uses("payroll", "mobile")))[0], t("09:00", 120));
    let sif = "policies:\n  - { name: SIF, users: all, apps: all, session: { sign_in_frequency: 12h } }\n";
    let yaml = with("settings: { long_lived_cae_tokens: true }", &format!("{sif}{}", uses("exchange", "desktop")));
    assert_eq!(tokens(&yaml)[0], t("09:00", 60));
}

/// R-TOK-4: in token mode a long-lived token lives 20 to 28 hours.
#[test]
fn tok_4_in_token_mode_long_lived_tokens_spread_over_20_to_28_hours() {
    for seed in 0..20 {
        let yaml = with(
            &format!("seed: {seed}\nsettings: {{ evaluation: token, long_lived_cae_tokens: true }}"),
            &uses("exchange", "desktop"),
        );
        let minutes = tokens(&yaml)[0].1;
        assert!((20 * 60..=28 * 60).contains(&minutes), "seed {seed}: {minutes}");
    }
}

// ----- R-TOK-5: two-hour tokens without Conditional Access --------------------------

/// R-TOK-5: Teams and Microsoft 365 get two-hour tokens while no policy is enforced.
#[test]
fn tok_5_teams_and_office_get_two_hours_in_a_tenant_without_conditional_access() {
    assert_eq!(tokens(&with("", &uses("teams", "desktop")))[0], t("09:00", 120));
    assert_eq!(tokens(&with("", &uses("office", "browser")))[0], t("09:00", 120));
    assert_eq!(tokens(&with("", &uses("exchange", "desktop")))[0], t("09:00", 60));
    let report_only =
        "policies:\n  - { name: MFA, state: report_only, users: all, apps: [azure_portal], grant: mfa }\n";
    assert_eq!(tokens(&with("", &format!("{report_only}{}", uses("teams", "desktop"))))[0], t("09:00", 120));
    let enforced = report_only.replace("report_only", "enabled");
    assert_eq!(tokens(&with("", &format!("{enforced}{}", uses("teams", "desktop"))))[0], t("09:00", 60));
}

/// R-TOK-5: enabling a policy mid-run ends the two-hour default at the next token.
#[test]
fn tok_5_follows_the_policies_state_and_custom_apps_can_declare_it() {
    let policy = "policies:\n  - { name: MFA, state: disabled, users: all, apps: [azure_portal], grant: mfa }\n";
    let timeline = "timeline:
  - { at: '09:00', do: use, device: pc, app: teams, client: desktop, until: '14:00' }
  - { at: '10:00', do: set_policy_state, policy: MFA, state: enabled }
";
    assert_eq!(
        tokens(&with("", &format!("{policy}{timeline}"))),
        [t("09:00", 120), t("11:00", 60), t("12:00", 60), t("13:00", 60)]
    );
    let app =
        "apps:\n  custom: { name: C, app_id: 6f1a6c0e-0000-4000-8000-000000000002, token_lifetime_without_ca: 90m }\n";
    let yaml = format!("{PC}{app}{}", uses("custom", "desktop"))
        .replace("apps:\n  payroll: { name: Payroll, app_id: 6f1a6c0e-0000-4000-8000-000000000001 }\n", "");
    assert_eq!(tokens(&yaml)[0], t("09:00", 90));
}

// ----- R-DOWN-1: downstream resources ----------------------------------------------

/// (relative time, app, reason, policy, rule) of every prompt.
fn prompts_with_rules(yaml: &str) -> Vec<(String, String, &'static str, String, String)> {
    let (s, outcome) = run(yaml);
    outcome
        .prompts
        .iter()
        .map(|p| {
            let policy = p.policy.map(|i| s.policies[i].name.clone()).unwrap_or_default();
            (relative(p.at, s.start), p.access.named(&s).app.to_string(), p.reason.name(), policy, p.rule.to_string())
        })
        .collect()
}

fn pr(
    at: &str,
    app: &str,
    reason: &'static str,
    policy: &str,
    rule: &str,
) -> (String, String, &'static str, String, String) {
    (at.to_string(), app.to_string(), reason, policy.to_string(), rule.to_string())
}

const JOINED: &str = "
name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, browser: edge } }
";

/// R-DOWN-1: Exchange's every-time policy prompts inside Teams at each of its token requests.
#[test]
fn down_1_exchanges_every_time_prompts_inside_teams() {
    let yaml = format!(
        "{JOINED}policies:
  - {{ name: Exchange every time, users: all, apps: [exchange], grant: mfa, session: {{ sign_in_frequency: every_time }} }}
timeline:
  - {{ at: '08:55', do: sign_in_device, device: laptop }}
  - {{ at: '09:00', do: use, device: laptop, app: teams, client: desktop, until: '11:30' }}
  - {{ at: '09:00', do: use, device: laptop, app: office, client: browser }}
"
    );
    let every = |at| pr(at, "teams", "every_time", "Exchange every time", "R-DOWN-1");
    assert_eq!(
        prompts_with_rules(&yaml),
        [every("09:00"), every("10:00"), every("11:00")],
        "Office.com has no downstream"
    );
}

/// R-DOWN-1: a policy on Teams itself keeps its own rule; one on SharePoint reaches Teams too.
#[test]
fn down_1_only_policies_reached_through_a_downstream_resource_cite_it() {
    let timeline = "timeline:
  - { at: '08:55', do: sign_in_device, device: laptop }
  - { at: '09:00', do: use, device: laptop, app: teams, client: desktop, until: '10:30' }
";
    let own =
        format!("{JOINED}policies:\n  - {{ name: Teams MFA, users: all, apps: [teams], grant: mfa }}\n{timeline}");
    assert_eq!(prompts_with_rules(&own), [pr("09:00", "teams", "mfa_required", "Teams MFA", "R-CA-2")]);
    let spo = format!(
        "{JOINED}policies:\n  - {{ name: SharePoint MFA, users: all, apps: [sharepoint], grant: mfa }}\n{timeline}"
    );
    assert_eq!(prompts_with_rules(&spo), [pr("09:00", "teams", "mfa_required", "SharePoint MFA", "R-DOWN-1")]);
    let sif = format!(
        "{JOINED}policies:\n  - {{ name: SharePoint 1h, users: all, apps: [sharepoint], session: {{ sign_in_frequency: 1h }} }}\n{timeline}"
    );
    // The PRT refreshed at 08:55 reaches SharePoint's frequency at 09:55, while Teams is in use.
    assert_eq!(prompts_with_rules(&sif), [pr("09:55", "teams", "sign_in_frequency", "SharePoint 1h", "R-DOWN-1")]);
}

/// R-DOWN-1: a block on Exchange blocks Teams; Outlook is blocked as itself.
#[test]
fn down_1_a_block_on_a_downstream_resource_blocks_the_calling_app() {
    let yaml = format!(
        "{JOINED}policies:
  - {{ name: Block Exchange, users: all, apps: [exchange], grant: block }}
timeline:
  - {{ at: '08:55', do: sign_in_device, device: laptop }}
  - {{ at: '09:00', do: use, device: laptop, app: teams, client: desktop }}
  - {{ at: '09:05', do: use, device: laptop, app: exchange, client: desktop }}
  - {{ at: '09:10', do: use, device: laptop, app: azure_portal, client: desktop }}
"
    );
    let (s, outcome) = run(&yaml);
    let blocked: Vec<(String, String, String, u32)> = outcome
        .blocked
        .iter()
        .map(|b| (relative(b.at, s.start), b.access.named(&s).app.to_string(), b.rule.to_string(), b.error_code.code()))
        .collect();
    assert_eq!(
        blocked,
        [
            ("09:00".to_string(), "teams".to_string(), "R-DOWN-1".to_string(), 53003),
            ("09:05".to_string(), "exchange".to_string(), "R-CA-2".to_string(), 53003)
        ]
    );
}

/// R-DOWN-1: custom apps declare theirs; unknown or circular names are errors.
#[test]
fn down_1_custom_apps_declare_downstream_resources() {
    let apps = "apps:
  portal: { name: Portal, app_id: 6f1a6c0e-0000-4000-8000-000000000003, downstream: [api] }
  api: { name: API, app_id: 6f1a6c0e-0000-4000-8000-000000000004 }
";
    let yaml = format!(
        "{JOINED}{apps}policies:
  - {{ name: API every time, users: all, apps: [api], session: {{ sign_in_frequency: every_time }} }}
timeline:
  - {{ at: '08:55', do: sign_in_device, device: laptop }}
  - {{ at: '09:00', do: use, device: laptop, app: portal, client: desktop }}
"
    );
    assert_eq!(prompts_with_rules(&yaml), [pr("09:00", "portal", "every_time", "API every time", "R-DOWN-1")]);
    let e = refused(&format!("{JOINED}{}timeline: []\n", apps.replace("downstream: [api]", "downstream: [apii]")));
    assert!(e.message.contains("unknown app `apii`"), "{}", e.message);
    assert!(e.render().contains("api"), "{}", e.render());
    let pos = e.pos.expect("a position");
    assert_eq!(pos.line, 6);
    let e = refused(&format!("{JOINED}{}timeline: []\n", apps.replace("downstream: [api]", "downstream: [portal]")));
    assert!(e.message.contains("cannot be its own downstream resource"), "{}", e.message);
}

/// R-DOWN-1, R-LOG-1, R-CA-3: each refused Teams request is logged with
/// Exchange's policy as the one that failed, and each answer as met.
#[test]
fn down_1_sign_in_records_name_the_downstream_resources_policy() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/teams-downstream-exchange.yaml");
    let out = crate::common::casim(&["logs", file]);
    let logs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("Graph JSON");
    let teams: Vec<&serde_json::Value> = logs["value"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["appDisplayName"] == "Microsoft Teams")
        .collect();
    assert_eq!(teams.len(), 6, "three refusals and three answers");
    for record in teams {
        let refused = record["status"]["errorCode"] == 50078;
        let policy = &record["appliedConditionalAccessPolicies"][0];
        assert_eq!(policy["displayName"], "Exchange MFA every time");
        assert_eq!(policy["result"], if refused { "failure" } else { "success" });
        assert_eq!(record["conditionalAccessStatus"], if refused { "failure" } else { "success" });
    }
}

// ----- R-RES-1, R-RES-2: an Entra outage ---------------------------------------------

const OUTAGE_BASE: &str = "
name: t
users: { a: {}, g: { type: guest } }
devices:
  laptop: { owner: a, join: entra_joined, browser: edge }
  pc: { owner: a, join: unregistered, browser: chrome }
  guest_pc: { owner: g, join: unregistered, browser: chrome }
";

fn outage(policies: &str, steps: &str) -> String {
    format!("{OUTAGE_BASE}policies:\n{policies}timeline:\n{steps}")
}

const NONE: &str = "  []\n";

const SIF_1H: &str = "  - { name: SIF, users: all, apps: all, session: { sign_in_frequency: 1h } }\n";

/// (relative time, rule) of every deferral.
fn deferred(yaml: &str) -> Vec<(String, String)> {
    let (s, outcome) = run(yaml);
    outcome.deferred.iter().map(|d| (relative(d.at, s.start), d.rule.to_string())).collect()
}

/// R-RES-1: a sign-in frequency that falls due during an outage is extended
/// until the client next goes back to Entra ID after it.
#[test]
fn res_1_a_frequency_due_during_an_outage_is_extended() {
    let steps = "  - { at: '08:00', do: sign_in_device, device: laptop }
  - { at: '08:00', do: use, device: laptop, app: sharepoint, until: '12:00' }
  - { at: '08:30', do: outage, until: '10:30' }
";
    let yaml = outage(SIF_1H, steps);
    assert_eq!(prompts(&yaml), [p("11:00", "sharepoint", "sign_in_frequency")]);
    assert_eq!(deferred(&yaml), [("09:00".to_string(), "R-RES-1".to_string())], "once per auth instant");
    // Without the outage the frequency prompts on time, every hour.
    let hourly = [
        p("09:00", "sharepoint", "sign_in_frequency"),
        p("10:00", "sharepoint", "sign_in_frequency"),
        p("11:00", "sharepoint", "sign_in_frequency"),
    ];
    let plain = outage(SIF_1H, &steps.replace("  - { at: '08:30', do: outage, until: '10:30' }\n", ""));
    assert_eq!(prompts(&plain), hourly);
    // An outage that ends when the frequency falls due (its end is exclusive) changes nothing.
    let before = outage(SIF_1H, &steps.replace("until: '10:30' }", "until: '09:00' }"));
    assert_eq!(prompts(&before), hourly);
}

/// R-RES-1: every time is extended too, at each token request of the outage.
#[test]
fn res_1_every_time_is_extended_during_an_outage() {
    let every = "  - { name: ET, users: all, apps: [exchange], session: { sign_in_frequency: every_time } }\n";
    let steps = "  - { at: '08:00', do: sign_in_device, device: laptop }
  - { at: '08:00', do: outage, until: '10:30' }
  - { at: '09:00', do: use, device: laptop, app: exchange, client: desktop, until: '11:30' }
";
    assert_eq!(prompts(&outage(every, steps)), [p("11:00", "exchange", "every_time")]);
}

/// R-RES-1: a policy that disables resilience defaults blocks the sign-ins in
/// its scope during the outage, and only then.
#[test]
fn res_1_disabled_resilience_defaults_block_during_the_outage() {
    let policy =
        "  - { name: No resilience, users: all, apps: [sharepoint], session: { disable_resilience_defaults: true } }\n";
    let steps = "  - { at: '08:00', do: sign_in_device, device: laptop }
  - { at: '08:30', do: outage, until: '10:30' }
  - { at: '09:00', do: use, device: laptop, app: sharepoint }
  - { at: '09:00', do: use, device: laptop, app: exchange }
  - { at: '11:00', do: use, device: laptop, app: sharepoint }
";
    let (s, outcome) = run(&outage(policy, steps));
    let blocked: Vec<(String, String, String)> = outcome
        .blocked
        .iter()
        .map(|b| (relative(b.at, s.start), b.access.named(&s).app.to_string(), b.rule.to_string()))
        .collect();
    assert_eq!(blocked, [("09:00".to_string(), "sharepoint".to_string(), "R-RES-1".to_string())]);
    assert!(outcome.prompts.is_empty());
    assert_eq!(outcome.blocked[0].error_code.code(), 53003);
}

/// R-RES-2: no new session, no guest, no step-up during an outage: the prompt
/// is reported unavailable and the use ends; after it, users sign in again.
#[test]
fn res_2_nobody_signs_in_during_an_outage() {
    let mfa = "  - { name: MFA, users: all, apps: [azure_portal], grant: mfa }\n";
    let steps = "  - { at: '08:00', do: use, device: guest_pc, app: sharepoint, until: '12:00' }
  - { at: '08:00', do: sign_in_device, device: laptop }
  - { at: '08:30', do: outage, until: '10:30' }
  - { at: '09:00', do: use, device: pc, app: exchange, until: '09:30' }
  - { at: '09:10', do: use, device: laptop, app: azure_portal }
  - { at: '11:00', do: use, device: pc, app: exchange }
";
    let policies = format!("{SIF_1H}{mfa}");
    let (s, outcome) = run(&outage(&policies, steps));
    let seen: Vec<(String, String, &str, String, String)> = outcome
        .prompts
        .iter()
        .map(|p| {
            let n = p.access.named(&s);
            (relative(p.at, s.start), n.app.to_string(), p.reason.name(), format!("{:?}", p.result), p.rule.to_string())
        })
        .collect();
    let row = |at: &str, app: &str, reason, result: &str, rule: &str| {
        (at.to_string(), app.to_string(), reason, result.to_string(), rule.to_string())
    };
    assert_eq!(
        seen,
        [
            row("08:00", "sharepoint", "no_session", "Answered", "R-TOK-1"),
            row("09:00", "exchange", "no_session", "Unavailable", "R-RES-2"),
            // The guest's frequency is not extended: the backup service serves no guests.
            row("09:00", "sharepoint", "sign_in_frequency", "Unavailable", "R-RES-2"),
            row("09:10", "azure_portal", "mfa_required", "Unavailable", "R-RES-2"),
            row("11:00", "exchange", "no_session", "Answered", "R-TOK-1"),
        ]
    );
    assert!(outcome.prompts.iter().filter(|p| p.answered_at.is_none()).count() == 3);
}

/// R-RES-1, R-LOG-1: tokens the backup service issues say so in the sign-in logs.
#[test]
fn res_1_backup_tokens_are_logged_with_their_issuer() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/outage-resilience.yaml");
    let out = crate::common::casim(&["logs", file]);
    let logs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("Graph JSON");
    let records = logs["value"].as_array().expect("records");
    let backup: Vec<&str> = records
        .iter()
        .filter(|r| r["tokenIssuerType"] == "AzureADBackupAuth")
        .map(|r| r["createdDateTime"].as_str().expect("a time"))
        .collect();
    assert_eq!(backup, ["2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z"]);
    assert!(records.iter().filter(|r| r["tokenIssuerType"] == "AzureAD").count() > 5);
}

/// R-RES-1: the `outage` step and the policy key are checked like any other.
#[test]
fn res_1_outage_steps_and_the_policy_key_are_checked() {
    let e = refused(&outage(NONE, "  - { at: '09:00', do: outage }\n"));
    assert!(e.render().contains("until"), "{}", e.render());
    let e = refused(&outage(NONE, "  - { at: '09:00', do: outage, until: '08:00' }\n"));
    assert!(e.message.contains("must be after `at`"), "{}", e.message);
    let e = refused(&outage(NONE, "  - { at: '09:00', do: outge, until: '10:00' }\n"));
    assert!(e.render().contains("outage"), "{}", e.render());
    let e = refused(&outage(NONE, "  - { at: '09:00', do: outage, until: '10:00', device: laptop }\n"));
    assert!(e.render().contains("device"), "{}", e.render());
    let policy = "  - { name: P, users: all, apps: all, session: { disable_resilience_default: true } }\n";
    let e = refused(&outage(policy, "  - { at: '09:00', do: outage, until: '10:00' }\n"));
    assert!(e.render().contains("disable_resilience_defaults"), "{}", e.render());
}

// ----- R-CAE-1, R-CAE-2: continuous access evaluation -----------------------------

const CAE_BASE: &str = "
name: t
named_locations:
  office: { ip_ranges: [203.0.113.0/24], trusted: true }
users: { a: {} }
devices:
  pc: { owner: a, join: unregistered, browser: chrome, ip: 203.0.113.20 }
apps:
  payroll: { name: Payroll, app_id: 6f1a6c0e-0000-4000-8000-000000000001 }
  lob: { name: LOB, app_id: 6f1a6c0e-0000-4000-8000-000000000002, cae: true }
";

/// (relative time, app, rule) of every block.
fn blocks(yaml: &str) -> Vec<(String, String, String)> {
    let (s, outcome) = run(yaml);
    outcome
        .blocked
        .iter()
        .map(|b| (relative(b.at, s.start), b.access.named(&s).app.to_string(), b.rule.to_string()))
        .collect()
}

fn b(at: &str, app: &str, rule: &str) -> (String, String, String) {
    (at.to_string(), app.to_string(), rule.to_string())
}

/// R-CAE-1: with a latency, CAE apps in use notice a revocation that much later; without, at once.
#[test]
fn cae_1_critical_events_reach_cae_apps_after_the_latency() {
    let steps = |latency: &str| {
        format!(
            "{CAE_BASE}settings: {{ cae_event_latency: {latency} }}
timeline:
  - {{ at: '09:00', do: use, device: pc, app: exchange, client: desktop, until: '12:00' }}
  - {{ at: '09:00', do: use, device: pc, app: payroll, client: desktop, until: '12:00' }}
  - {{ at: '10:20', do: password_change, user: a }}
"
        )
    };
    let first = [p("09:00", "exchange", "no_session"), p("09:00", "payroll", "no_session")];
    let at_once = prompts(&steps("0s"));
    assert_eq!(at_once[..2], first);
    assert_eq!(at_once[2..], [p("10:20", "exchange", "revoked"), p("11:00", "payroll", "revoked")]);
    let later = prompts(&steps("15m"));
    assert_eq!(later[2..], [p("10:35", "exchange", "revoked"), p("11:00", "payroll", "revoked")]);
    // A token request before the latency has run out notices it anyway.
    let long = prompts(&steps("15m").replace("'10:20', do: password_change", "'10:50', do: password_change"));
    assert_eq!(long[2..], [p("11:00", "exchange", "revoked"), p("11:00", "payroll", "revoked")]);
}

/// R-CAE-1: the latency is 0s to 15m, the CAE page's figure.
#[test]
fn cae_1_the_latency_is_checked() {
    let e = refused(&format!("{CAE_BASE}settings: {{ cae_event_latency: 16m }}\ntimeline: []\n"));
    assert!(e.message.contains("`cae_event_latency: 16m` is outside 0s to 15m"), "{}", e.message);
    let e = refused(&format!("{CAE_BASE}settings: {{ cae_event_latency: soon }}\ntimeline: []\n"));
    assert!(e.message.contains("not a duration"), "{}", e.message);
    let e = refused(&format!("{CAE_BASE}settings: {{ cae_event_latencty: 5m }}\ntimeline: []\n"));
    assert!(e.render().contains("cae_event_latency"), "{}", e.render());
}

/// R-CAE-2: a CAE app is blocked the moment the device leaves the allowed
/// network; a non-CAE app at its next token request; a move that keeps the
/// policy met changes nothing.
#[test]
fn cae_2_location_policies_are_enforced_at_once_by_cae_apps() {
    let yaml = |ip: &str| {
        format!(
            "{CAE_BASE}policies:
  - {{ name: Office only, users: all, apps: [exchange, payroll, lob], locations: {{ include: [all], exclude: [office] }}, grant: block }}
timeline:
  - {{ at: '09:00', do: use, device: pc, app: exchange, client: desktop, until: '12:00' }}
  - {{ at: '09:00', do: use, device: pc, app: payroll, client: desktop, until: '12:00' }}
  - {{ at: '09:00', do: use, device: pc, app: lob, client: desktop, until: '12:00' }}
  - {{ at: '10:30', do: open_browser, device: pc, ip: {ip} }}
"
        )
    };
    assert_eq!(
        blocks(&yaml("198.51.100.7")),
        [b("10:30", "exchange", "R-CAE-2"), b("10:30", "lob", "R-CAE-2"), b("11:00", "payroll", "R-CA-2")]
    );
    assert!(blocks(&yaml("203.0.113.99")).is_empty(), "still in the office range");
    // A country move reaches a country location too.
    let by_country = yaml("198.51.100.7")
        .replace("office: { ip_ranges: [203.0.113.0/24], trusted: true }", "office: { countries: [FR] }")
        .replace("ip: 203.0.113.20 }", "ip: 203.0.113.20, country: FR }")
        .replace("ip: 198.51.100.7 }", "country: DE }");
    assert_eq!(blocks(&by_country)[0], b("10:30", "exchange", "R-CAE-2"));
}

/// R-CAE-2: a location policy asking for MFA prompts at once in the CAE app;
/// one already met (MFA in the session) and policies without a location do not.
#[test]
fn cae_2_a_step_up_is_asked_at_once_and_only_when_the_policy_is_unmet() {
    let yaml = |grant: &str, locations: &str| {
        format!(
            "{CAE_BASE}policies:
  - {{ name: P, users: all, apps: [exchange], {locations}grant: {grant} }}
timeline:
  - {{ at: '09:00', do: use, device: pc, app: exchange, client: desktop, until: '12:00' }}
  - {{ at: '10:30', do: open_browser, device: pc, ip: 198.51.100.7 }}
"
        )
    };
    let outside = "locations: { include: [all], exclude: [office] }, ";
    let found = prompts_with_rules(&yaml("mfa", outside));
    assert_eq!(
        found,
        [pr("09:00", "exchange", "no_session", "", "R-TOK-1"), pr("10:30", "exchange", "mfa_required", "P", "R-CAE-2")]
    );
    // Everywhere MFA: done at 09:00, so the move changes nothing.
    assert_eq!(prompts_with_rules(&yaml("mfa", "")).len(), 1);
    // A block without a location condition does not wait for a move: blocked at 09:00.
    assert_eq!(blocks(&yaml("block", "")), [b("09:00", "exchange", "R-CA-2")]);
}

/// R-RES-1: Graph's `sessionControls.disableResilienceDefaults` is the YAML key's twin.
#[test]
fn res_1_graph_exports_disable_resilience_defaults_too() {
    let scratch = crate::common::Scratch::new("resilience-graph");
    scratch.write(
        "policy.json",
        r#"{
    "id": "5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b",
    "displayName": "SharePoint without resilience defaults",
    "state": "enabled",
    "conditions": {
        "clientAppTypes": ["all"],
        "applications": { "includeApplications": ["00000003-0000-0ff1-ce00-000000000000"] },
        "users": { "includeUsers": ["All"] }
    },
    "grantControls": null,
    "sessionControls": { "disableResilienceDefaults": true }
}"#,
    );
    let file = scratch.write(
        "s.yaml",
        "name: t
users: { a: {} }
devices: { laptop: { owner: a, join: entra_joined, browser: edge } }
policies: { graph: policy.json }
timeline:
  - { at: '08:00', do: sign_in_device, device: laptop }
  - { at: '08:30', do: outage, until: '10:30' }
  - { at: '09:00', do: use, device: laptop, app: sharepoint }
  - { at: '09:00', do: use, device: laptop, app: exchange }
",
    );
    let s = casim::scenario::load(&file).unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(s.policies[0].session.disable_resilience_defaults);
    let outcome = engine::simulate(&s, Options::default());
    let blocked: Vec<(String, String)> =
        outcome.blocked.iter().map(|b| (b.access.named(&s).app.to_string(), b.rule.to_string())).collect();
    assert_eq!(blocked, [("sharepoint".to_string(), "R-RES-1".to_string())]);
}
