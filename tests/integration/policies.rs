//! Policies as admins export them (issue 4): every Graph export form, every
//! condition with include and exclude (exclude winning), every grant, What If
//! in text and JSON, lint findings with their exit codes, and errors that
//! name the file, the JSON path and the line.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{Scratch, casim};

const DIRECTORY: &str = "tests/fixtures/graph/directory.yaml";

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    // miette draws a gutter and wraps lines: fold into one line.
    String::from_utf8_lossy(&o.stderr).replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `casim whatif --scenario directory.yaml --policies <yaml> --format json ...`.
fn whatif(policies: &str, args: &[&str]) -> Value {
    let scratch = Scratch::new("policies");
    let file = scratch.write_arg("policies.yaml", policies);
    let directory = repo(DIRECTORY);
    let mut all = vec!["whatif", "--scenario", &directory, "--policies", &file, "--format", "json"];
    all.extend_from_slice(args);
    let out = casim(&all);
    assert_eq!(out.status.code(), Some(0), "casim {all:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("whatif --format json prints JSON")
}

/// Each policy's name with `applies` or its analysis reasons.
fn verdicts(v: &Value) -> Vec<(String, String)> {
    v["value"]
        .as_array()
        .expect("value is an array")
        .iter()
        .map(|r| {
            let name = r["displayName"].as_str().unwrap_or("").to_string();
            let verdict = if r["policyApplies"] == true {
                "applies".to_string()
            } else {
                r["analysisReasons"].as_str().unwrap_or("").to_string()
            };
            (name, verdict)
        })
        .collect()
}

fn assert_verdicts(v: &Value, expected: &[(&str, &str)]) {
    let got = verdicts(v);
    let want: Vec<(String, String)> = expected.iter().map(|(n, r)| (n.to_string(), r.to_string())).collect();
    assert_eq!(got, want, "\n{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

// ----- export forms --------------------------------------------------------------

fn show(path: &str) -> (String, String) {
    let out = casim(&["policies", "show", &repo(path), "--scenario", &repo(DIRECTORY)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (stdout(&out), stderr(&out))
}

#[test]
fn one_policy_object_is_read() {
    let (text, _) = show("tests/fixtures/graph/no-persistent-browser.json");
    assert!(text.starts_with("No persistent browser session (on)"), "{text}");
    assert!(text.contains("template   62e51ccc-c9c3-4554-ac70-066172c81007"), "{text}");
    assert!(
        text.contains(r#"only devices matching `device.trustType -ne "ServerAD" -or device.isCompliant -ne True`"#)
    );
    assert!(text.contains("sign-in frequency 1 hour; persistent browser never"), "{text}");
}

#[test]
fn a_dctoolbox_array_without_ids_is_read() {
    let (text, _) = show("tests/fixtures/graph/dctoolbox-array.json");
    for name in [
        "Report-only: require MFA for all users (report-only)",
        "Block legacy authentication (on)",
        "Office 365: 8 hour",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    assert!(text.contains("client apps: exchangeActiveSync (legacy), other (legacy)"), "{text}");
    assert!(text.contains("resources  Office 365"), "{text}");
}

#[test]
fn a_graph_list_response_brings_its_named_locations_and_evaluates_newer_conditions() {
    let (text, warnings) = show("tests/fixtures/graph/list-response.json");
    assert!(text.contains("Access to EXO requires MFA (on)"), "{text}");
    assert!(text.contains("users      group Finance"), "the group id resolves to its scenario name:\n{text}");
    assert!(text.contains("Named location with unknown countries and regions (countries US GB + unknown)"), "{text}");
    assert!(text.contains("condition  insider risk: elevated"), "{text}");
    assert!(text.contains("condition  authentication flows: device code flow"), "{text}");
    assert!(!warnings.contains("does not model"), "nothing is dropped:\n{warnings}");
}

#[test]
fn an_entraexporter_folder_reads_policies_and_named_locations_only() {
    let (text, _) = show("tests/fixtures/graph/entraexporter");
    assert!(text.contains("Intune enrollment: MFA every time (on)"), "{text}");
    assert!(text.contains("No persistent browser session (on)"), "{text}");
    assert!(!text.contains("Not a policy"), "the Users folder is not read:\n{text}");
    let scenario = repo(DIRECTORY);
    let out = casim(&["validate", &scenario, "--policies", &repo("tests/fixtures/graph/entraexporter")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 policies"), "{}", stdout(&out));
}

#[test]
fn the_graph_docs_sample_keeps_what_it_cannot_resolve_visible() {
    let out = casim(&["policies", "show", &repo("tests/fixtures/graph/graph-docs-sample.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Demo app for documentation (off)"), "{text}");
    assert!(text.contains("users included by ids this scenario does not know (they match nobody): a702a13d"), "{text}");
    assert!(text.contains("except azure_portal"), "797f4846 (Azure management) names the Azure portal:\n{text}");
    assert!(text.contains("role Application Administrator"), "{text}");
    assert!(text.contains("Conditional Access App Control blockDownloads (kept, not simulated)"), "{text}");
    assert!(text.contains("require one of: multifactor authentication, a device marked compliant"), "{text}");
    // With the directory, the object id is Alice.
    let (text, _) = show("tests/fixtures/graph/graph-docs-sample.json");
    assert!(text.contains("users      alice, role Application Administrator"), "{text}");
}

#[test]
fn powershell_pascal_case_keys_are_read() {
    let scratch = Scratch::new("policies");
    let file = scratch.write_arg(
        "ps.json",
        r#"[ { "Id": "0c8f2b1a-3d4e-4f50-8a6b-7c8d9e0f1a2b", "DisplayName": "From PowerShell", "State": "enabled",
    "Conditions": { "Users": { "IncludeUsers": ["All"] }, "Applications": { "IncludeApplications": ["Office365"] },
      "ClientAppTypes": ["all"], "AdditionalProperties": {} },
    "GrantControls": { "Operator": "OR", "BuiltInControls": ["mfa"] }, "AdditionalProperties": {} } ]"#,
    );
    let out = casim(&["policies", "show", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("From PowerShell (on)") && text.contains("resources  Office 365"), "{text}");
    assert!(text.contains("require multifactor authentication"), "{text}");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_scenario_reads_a_graph_export_beside_it() {
    let file = repo("scenarios/graph-template-no-persistent-browser.yaml");
    let out = casim(&["check", &file]);
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("1 passed, 0 failed"));
}

#[test]
fn policies_replace_a_scenarios_own_in_every_form() {
    let scenario = repo("scenarios/example-3-scenario-2.yaml");
    for (form, count) in [
        ("tests/fixtures/graph/no-persistent-browser.json", 1),
        ("tests/fixtures/graph/dctoolbox-array.json", 3),
        ("tests/fixtures/graph/list-response.json", 2),
        ("tests/fixtures/graph/entraexporter", 2),
    ] {
        let out = casim(&["validate", &scenario, "--policies", &repo(form)]);
        assert_eq!(out.status.code(), Some(0), "{form}: {}", stderr(&out));
        assert!(stdout(&out).contains(&format!("{count} policies")), "{form}: {}", stdout(&out));
    }
}

// ----- conditions ------------------------------------------------------------------

const USERS: &str = r#"
- { name: alice by id, users: [alice], apps: all }
- { name: all but alice, users: { include: [all], exclude: [alice] }, apps: all }
- { name: finance by name, users: ["group:Finance"], apps: all }
- { name: finance by id, users: ["group:ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba"], apps: all }
- { name: global admins by template id, users: ["role:62e90394-69f5-4237-9190-012177145e10"], apps: all }
- { name: all but admins, users: { include: [all], exclude: ["role:Global Administrator"] }, apps: all }
- { name: b2b guests, users: ["guests:b2b_collaboration_guest"], apps: all }
- { name: internal guests, users: ["guests:internal_guest"], apps: all }
- { name: by object id, users: [a702a13d-a437-4a07-8a7e-8c052de62dfd], apps: all }
- { name: unknown object id, users: [99999999-9999-4999-8999-999999999999], apps: all }
- { name: nobody, users: { include: [none] }, apps: all }
"#;

#[test]
fn users_groups_roles_and_guests_include_and_exclude() {
    let alice = whatif(USERS, &["--user", "alice", "--app", "sharepoint", "--device", "alice-laptop"]);
    assert_verdicts(
        &alice,
        &[
            ("alice by id", "applies"),
            ("all but alice", "users"),
            ("finance by name", "applies"),
            ("finance by id", "applies"),
            ("global admins by template id", "applies"),
            ("all but admins", "users"),
            ("b2b guests", "users"),
            ("internal guests", "users"),
            ("by object id", "applies"),
            ("unknown object id", "users"),
            ("nobody", "users"),
        ],
    );
    let bob = whatif(USERS, &["--user", "bob", "--app", "sharepoint", "--device", "bob-pc"]);
    let v = verdicts(&bob);
    assert_eq!(v[1], ("all but alice".into(), "applies".into()));
    assert_eq!(v[6], ("b2b guests".into(), "applies".into()));
    assert_eq!(v[7], ("internal guests".into(), "users".into()));
    // A role named by template id in the scenario meets a role named by name in a policy.
    let carol = whatif(
        "- { name: authentication admins, users: [\"role:Authentication Administrator\"], apps: all }",
        &["--user", "carol", "--app", "sharepoint"],
    );
    assert_verdicts(&carol, &[("authentication admins", "applies")]);
}

const APPS: &str = r#"
- { name: sharepoint only, users: all, apps: [sharepoint] }
- { name: all but sharepoint, users: all, apps: { include: [all], exclude: [sharepoint] } }
- { name: office 365, users: all, apps: [office365] }
- { name: office 365 but exchange, users: all, apps: { include: [office365], exclude: [exchange] } }
- { name: admin portals, users: all, apps: [admin_portals] }
- { name: azure management, users: all, apps: [797f4846-ba00-4fd7-ba43-dac1f8f63013] }
- { name: security info, users: all, apps: ["action:register_security_info"] }
- { name: context c1, users: all, apps: ["auth_context:c1"] }
"#;

#[test]
fn resources_user_actions_and_authentication_contexts() {
    let sp = whatif(APPS, &["--user", "alice", "--app", "sharepoint"]);
    assert_verdicts(
        &sp,
        &[
            ("sharepoint only", "applies"),
            ("all but sharepoint", "application"),
            ("office 365", "applies"),
            ("office 365 but exchange", "applies"),
            ("admin portals", "application"),
            ("azure management", "application"),
            ("security info", "userActions"),
            ("context c1", "authenticationContext"),
        ],
    );
    let exo = verdicts(&whatif(APPS, &["--user", "alice", "--app", "exchange"]));
    assert_eq!(exo[3], ("office 365 but exchange".into(), "application".into()));
    let portal = verdicts(&whatif(APPS, &["--user", "alice", "--app", "azure_portal"]));
    assert_eq!(portal[4], ("admin portals".into(), "applies".into()));
    assert_eq!(portal[5], ("azure management".into(), "applies".into()));
    let action =
        verdicts(&whatif(APPS, &["--user", "alice", "--app", "sharepoint", "--user-action", "register_security_info"]));
    assert_eq!(action[0], ("sharepoint only".into(), "application".into()));
    assert_eq!(action[6], ("security info".into(), "applies".into()));
    let ctx = verdicts(&whatif(APPS, &["--user", "alice", "--app", "sharepoint", "--auth-context", "c1"]));
    assert_eq!(ctx[0], ("sharepoint only".into(), "applies".into()));
    assert_eq!(ctx[7], ("context c1".into(), "applies".into()));
}

const CLIENTS_AND_PLATFORMS: &str = r#"
- { name: browser, users: all, apps: all, client_apps: [browser] }
- { name: legacy, users: all, apps: all, client_apps: [exchange_active_sync, other] }
- { name: mobile and desktop, users: all, apps: all, client_apps: [mobile_and_desktop] }
- { name: iOS only, users: all, apps: all, platforms: [iOS] }
- { name: all but iOS, users: all, apps: all, platforms: { include: [all], exclude: [iOS] } }
"#;

#[test]
fn client_app_types_and_device_platforms() {
    let laptop = whatif(CLIENTS_AND_PLATFORMS, &["--user", "alice", "--app", "sharepoint", "--device", "alice-laptop"]);
    assert_verdicts(
        &laptop,
        &[
            ("browser", "applies"),
            ("legacy", "clientApps"),
            ("mobile and desktop", "clientApps"),
            ("iOS only", "devicePlatform"),
            ("all but iOS", "applies"),
        ],
    );
    let phone = whatif(
        CLIENTS_AND_PLATFORMS,
        &["--user", "alice", "--app", "sharepoint", "--device", "alice-phone", "--client", "mobile"],
    );
    assert_verdicts(
        &phone,
        &[
            ("browser", "clientApps"),
            ("legacy", "clientApps"),
            ("mobile and desktop", "applies"),
            ("iOS only", "applies"),
            ("all but iOS", "devicePlatform"),
        ],
    );
}

const LOCATIONS: &str = r#"
- { name: from hq, users: all, apps: all, locations: [hq] }
- { name: outside trusted, users: all, apps: all, locations: { include: [all], exclude: [all_trusted] } }
- { name: branch by id, users: all, apps: all, locations: [d2136c9c-b049-47ae-b9cf-316e04ef7198] }
- { name: blocked countries, users: all, apps: all, locations: [blocked_countries] }
- { name: mfa trusted ips, users: all, apps: all, locations: [mfa_trusted_ips] }
"#;

#[test]
fn ipv4_and_ipv6_ranges_countries_and_trusted_locations() {
    let user = |u, d| whatif(LOCATIONS, &["--user", u, "--app", "sharepoint", "--device", d]);
    assert_verdicts(
        &user("alice", "alice-laptop"),
        &[
            ("from hq", "applies"),
            ("outside trusted", "location"),
            ("branch by id", "location"),
            ("blocked countries", "location"),
            ("mfa trusted ips", "location"),
        ],
    );
    let ipv6 = verdicts(&user("alice", "alice-phone"));
    assert_eq!(ipv6[0], ("from hq".into(), "applies".into()), "2001:db8:abcd:12::1 is in 2001:db8:abcd::/48");
    let branch = verdicts(&user("bob", "bob-pc"));
    assert_eq!(branch[1], ("outside trusted".into(), "applies".into()), "the branch is not trusted");
    assert_eq!(branch[2], ("branch by id".into(), "applies".into()));
    assert_verdicts(
        &user("carol", "carol-pc"),
        &[
            ("from hq", "location"),
            ("outside trusted", "location"),
            ("branch by id", "location"),
            ("blocked countries", "applies"),
            ("mfa trusted ips", "applies"),
        ],
    );
    let moved = verdicts(&whatif(
        LOCATIONS,
        &[
            "--user",
            "alice",
            "--app",
            "sharepoint",
            "--device",
            "alice-laptop",
            "--ip",
            "203.0.114.1",
            "--country",
            "kp",
        ],
    ));
    assert_eq!(moved[0], ("from hq".into(), "location".into()));
    assert_eq!(moved[3], ("blocked countries".into(), "applies".into()));
}

const DEVICES_AND_RISK: &str = r#"
- { name: compliant only, users: all, apps: all, device_filter: { mode: include, rule: 'device.isCompliant -eq True' } }
- { name: all but hybrid, users: all, apps: all, device_filter: { mode: exclude, rule: 'device.trustType -eq "ServerAD"' } }
- { name: risky sign-ins, users: all, apps: all, sign_in_risk: [medium, high] }
- { name: risky users, users: all, apps: all, user_risk: [high] }
"#;

#[test]
fn device_filters_and_risk_levels() {
    let alice = whatif(DEVICES_AND_RISK, &["--user", "alice", "--app", "sharepoint", "--device", "alice-laptop"]);
    assert_verdicts(
        &alice,
        &[
            ("compliant only", "applies"),
            ("all but hybrid", "applies"),
            ("risky sign-ins", "signInRisk"),
            ("risky users", "userRisk"),
        ],
    );
    let bob = verdicts(&whatif(DEVICES_AND_RISK, &["--user", "bob", "--app", "sharepoint", "--device", "bob-pc"]));
    assert_eq!(bob[0], ("compliant only".into(), "devices".into()));
    assert_eq!(bob[1], ("all but hybrid".into(), "devices".into()));
    let carol = whatif(DEVICES_AND_RISK, &["--user", "carol", "--app", "sharepoint", "--sign-in-risk", "high"]);
    let v = verdicts(&carol);
    assert_eq!(v[2], ("risky sign-ins".into(), "applies".into()));
    assert_eq!(v[3], ("risky users".into(), "applies".into()), "carol's user risk is high");
    let props = verdicts(&whatif(
        DEVICES_AND_RISK,
        &["--user", "alice", "--app", "sharepoint", "--device-filter-props", "trustType=ServerAD,isCompliant=true"],
    ));
    assert_eq!(props[0], ("compliant only".into(), "applies".into()));
    assert_eq!(props[1], ("all but hybrid".into(), "devices".into()));
}

const MANY: &str = r#"
- name: many conditions
  state: disabled
  users: [bob]
  apps: [exchange]
  platforms: [android]
  locations: [branch]
  sign_in_risk: [high]
"#;

#[test]
fn what_if_reports_every_failing_condition_in_json_and_text() {
    let v = whatif(MANY, &["--user", "alice", "--app", "sharepoint", "--device", "alice-laptop"]);
    assert_verdicts(
        &v,
        &[("many conditions", "policyNotEnabled,users,application,devicePlatform,location,signInRisk")],
    );
    assert_eq!(v["value"][0]["state"], "disabled");
    assert_eq!(v["signIn"]["ipAddress"], "203.0.113.7");
    assert_eq!(v["outcome"]["result"], "satisfied");
    let scratch = Scratch::new("policies");
    let file = scratch.write_arg("p.yaml", MANY);
    let dir = repo(DIRECTORY);
    let out = casim(&["whatif", "--scenario", &dir, "--policies", &file, "--user", "alice", "--app", "sharepoint"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("not applied: policyNotEnabled, users, application, devicePlatform, location, signInRisk"),
        "{text}"
    );
}

#[test]
fn what_if_without_a_scenario_takes_a_upn_and_an_app_key() {
    let out = casim(&[
        "whatif",
        "--policies",
        &repo("tests/fixtures/graph/dctoolbox-array.json"),
        "--user",
        "dana@contoso.com",
        "--app",
        "exchange",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("whatif_text_without_scenario", stdout(&out));
    let out = casim(&[
        "whatif",
        "--policies",
        &repo("tests/fixtures/graph/no-persistent-browser.json"),
        "--user",
        "a702a13d-a437-4a07-8a7e-8c052de62dfd",
        "--app",
        "00000003-0000-0ff1-ce00-000000000000",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("whatif_json_template", stdout(&out));
}

// ----- grants ----------------------------------------------------------------------

fn outcome(grant: &str, args: &[&str]) -> (String, Option<u64>, String) {
    let policy = format!("- {{ name: g, users: all, apps: all, grant: {grant} }}");
    let v = whatif(&policy, args);
    let o = &v["outcome"];
    let detail = o["blockedBy"][0]["detail"].as_str().unwrap_or("").to_string();
    (o["result"].as_str().unwrap_or("").to_string(), o["errorCode"].as_u64(), detail)
}

#[test]
fn every_grant_control() {
    let alice = ["--user", "alice", "--app", "sharepoint", "--device", "alice-laptop"];
    let phone = ["--user", "alice", "--app", "sharepoint", "--device", "alice-phone", "--client", "mobile"];
    let bob = ["--user", "bob", "--app", "sharepoint", "--device", "bob-pc"];
    let carol = ["--user", "carol", "--app", "sharepoint"];
    let with_mfa = ["--user", "alice", "--app", "sharepoint", "--mfa"];
    let cases: Vec<(&str, &[&str], &str, Option<u64>)> = vec![
        ("mfa", &alice, "mfaRequired", None),
        ("mfa", &with_mfa, "satisfied", None),
        ("block", &alice, "blocked", Some(53003)),
        ("compliant_device", &alice, "satisfied", None),
        ("compliant_device", &phone, "blocked", Some(53000)),
        ("domain_joined_device", &bob, "satisfied", None),
        ("domain_joined_device", &alice, "blocked", Some(53001)),
        ("approved_application", &phone, "satisfied", None),
        ("approved_application", &alice, "blocked", Some(53002)),
        ("compliant_application", &phone, "satisfied", None),
        ("compliant_application", &alice, "blocked", Some(53005)),
        ("password_change", &alice, "passwordChangeRequired", None),
        ("{ authentication_strength: phishing_resistant_mfa }", &alice, "blocked", Some(53003)),
        ("{ authentication_strength: phishing_resistant_mfa }", &carol, "mfaRequired", None),
        ("{ authentication_strength: mfa }", &alice, "mfaRequired", None),
        ("{ terms_of_use: contoso-terms }", &alice, "termsOfUseRequired", None),
        ("{ all_of: [mfa, password_change] }", &alice, "passwordChangeRequired", None),
        ("{ any_of: [compliant_device, mfa] }", &phone, "mfaRequired", None),
        ("{ all_of: [mfa, compliant_device] }", &phone, "blocked", Some(53000)),
    ];
    for (grant, args, result, code) in cases {
        let (got, got_code, detail) = outcome(grant, args);
        assert_eq!((got.as_str(), got_code), (result, code), "grant {grant} with {args:?}: {detail}");
    }
}

#[test]
fn session_controls_merge_to_the_most_restrictive() {
    let policies = r#"
- { name: eight hours, users: all, apps: all, session: { sign_in_frequency: 8h, persistent_browser: always } }
- { name: one hour, users: all, apps: [sharepoint], session: { sign_in_frequency: 1h } }
- { name: never persistent, users: all, apps: all, session: { persistent_browser: never } }
- { name: report-only every time, state: report_only, users: all, apps: all, session: { sign_in_frequency: every_time } }
"#;
    let v = whatif(policies, &["--user", "alice", "--app", "sharepoint"]);
    assert_eq!(v["outcome"]["signInFrequency"]["value"], "1h");
    assert_eq!(v["outcome"]["signInFrequency"]["policy"], "one hour");
    assert_eq!(v["outcome"]["persistentBrowser"]["mode"], "never");
    let v = whatif(policies, &["--user", "alice", "--app", "exchange"]);
    assert_eq!(v["outcome"]["signInFrequency"]["value"], "8h");
}

// ----- lint ------------------------------------------------------------------------

fn lint(file_name: &str, text: &str, extra: &[&str]) -> (i32, String) {
    let scratch = Scratch::new("policies");
    let file = scratch.write_arg(file_name, text);
    let mut args = vec!["policies", "lint", file.as_str()];
    args.extend_from_slice(extra);
    let out = casim(&args);
    (out.status.code().unwrap_or(-1), stdout(&out))
}

fn graph_sif(value: u32, unit: &str, auth: &str) -> String {
    format!(
        r#"{{ "displayName": "sif", "state": "enabled",
  "conditions": {{ "users": {{ "includeUsers": ["All"] }}, "applications": {{ "includeApplications": ["All"] }} }},
  "grantControls": {{ "operator": "OR", "builtInControls": ["mfa"] }},
  "sessionControls": {{ "signInFrequency": {{ "value": {value}, "type": "{unit}", "authenticationType": "{auth}",
    "frequencyInterval": "timeBased", "isEnabled": true }} }} }}"#
    )
}

#[test]
fn lint_errors_are_the_values_entra_refuses() {
    let (code, text) = lint("p.json", &graph_sif(30, "hours", "primaryAndSecondaryAuthentication"), &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("sign-in frequency 30 hours is outside what Entra accepts") && text.contains("[sif-range]"));
    let (code, text) = lint("p.json", &graph_sif(400, "days", "primaryAndSecondaryAuthentication"), &[]);
    assert_eq!(code, 1, "{text}");
    let (code, text) = lint("p.json", &graph_sif(4, "hours", "secondaryAuthentication"), &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Graph error 1104") && text.contains("[sif-1104]"), "{text}");
    let (code, text) = lint("p.yaml", "- { name: p, users: all, apps: all, grant: password_change }", &[]);
    assert_eq!(code, 1, "{text}");
    for check in ["password-change-without-mfa", "password-change-without-user-risk"] {
        assert!(text.contains(check), "{check}: {text}");
    }
    let good = "- { name: p, users: all, apps: all, user_risk: [high], grant: { all_of: [mfa, password_change] } }";
    let (code, text) = lint("p.yaml", good, &[]);
    assert_eq!((code, text.trim()), (0, "0 errors, 0 warnings"));
}

/// R-ET-3, R-PB-2 (lint checks).
#[test]
fn lint_warnings_exit_zero() {
    let cases = [
        (
            "- { name: p, users: all, apps: [sharepoint], session: { persistent_browser: always } }",
            "persistent-browser-scope",
        ),
        ("- { name: p, users: all, apps: all, session: { sign_in_frequency: every_time } }", "every-time-without-mfa"),
        ("- { name: p, users: { include: [none] }, apps: all, grant: mfa }", "includes-nobody"),
        ("- { name: p, users: { include: [all], exclude: [all] }, apps: all, grant: mfa }", "excludes-everybody"),
        (
            "- { name: p, state: report_only, users: all, apps: all, grant: mfa }\n- { name: q, users: all, apps: [graph] }",
            "report-only-enforcement",
        ),
        ("- { name: p, state: report_only, users: all, apps: all, grant: mfa }", "nothing-enforced"),
        (
            "- { name: a, users: all, apps: [sharepoint], session: { sign_in_frequency: 1h } }\n- { name: b, users: all, apps: [exchange], session: { sign_in_frequency: 8h } }",
            "shared-browser-sif",
        ),
    ];
    for (policies, check) in cases {
        let (code, text) = lint("p.yaml", policies, &[]);
        assert_eq!(code, 0, "{check}: {text}");
        assert!(text.contains(&format!("[{check}]")), "{check}: {text}");
        assert!(text.contains("source: "), "every finding names its source: {text}");
    }
    let sif = "- { name: p, users: all, apps: all, grant: mfa, session: { sign_in_frequency: 8h } }";
    let (code, text) = lint("p.yaml", sif, &[]);
    assert_eq!((code, text.trim()), (0, "0 errors, 0 warnings"));
    let (code, text) = lint("p.yaml", sif, &["--remember-mfa", "14"]);
    assert_eq!(code, 0);
    assert!(text.contains("[remember-mfa-with-sif]"), "{text}");
}

#[test]
fn lint_reports_every_finding_of_every_policy() {
    let set = r#"[
  { "displayName": "Too long and secondary", "state": "enabled",
    "conditions": { "users": { "includeUsers": ["None"] }, "applications": { "includeApplications": ["00000003-0000-0ff1-ce00-000000000000"] } },
    "sessionControls": {
      "signInFrequency": { "value": 48, "type": "hours", "authenticationType": "secondaryAuthentication", "frequencyInterval": "timeBased", "isEnabled": true },
      "persistentBrowser": { "mode": "always", "isEnabled": true } } },
  { "displayName": "Every time, no MFA", "state": "enabledForReportingButNotEnforced",
    "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] } },
    "sessionControls": { "signInFrequency": { "frequencyInterval": "everyTime", "authenticationType": "primaryAndSecondaryAuthentication", "isEnabled": true } } }
]"#;
    let (code, text) = lint("set.json", set, &[]);
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("lint_every_finding", text);
    let (_, json) = lint("set.json", set, &["--format", "json"]);
    let v: Value = serde_json::from_str(&json).expect("lint --format json prints JSON");
    assert_eq!(v["errors"], 2);
    assert!(v["findings"].as_array().is_some_and(|f| f.iter().all(|x| x["source"].is_string())));
}

// ----- errors ----------------------------------------------------------------------

fn validate_error(file_name: &str, text: &str) -> (String, String) {
    let scratch = Scratch::new("policies");
    let file = scratch.write_arg(file_name, text);
    let out = casim(&["validate", &repo(DIRECTORY), "--policies", &file]);
    assert_eq!(out.status.code(), Some(2), "bad input exits 2: {}", stderr(&out));
    (file, stderr(&out))
}

#[test]
fn malformed_json_names_the_file_and_line() {
    let (file, err) = validate_error("bad.json", "[\n  { \"displayName\": \"x\",\n    \"state\": \"enabled\",, }\n]");
    assert!(err.contains(&format!("{file}:3:")), "{err}");
    assert!(err.contains("malformed JSON"), "{err}");
}

#[test]
fn impossible_values_name_the_json_path_and_line() {
    let text = r#"[
  { "displayName": "ok", "state": "enabled", "conditions": { "users": { "includeUsers": ["All"] } } },
  { "displayName": "ok too", "state": "enabled", "conditions": { "users": { "includeUsers": ["All"] } } },
  { "displayName": "bad", "state": "enabled",
    "conditions": {
      "users": { "includeUsers": ["alice@contoso.com"] } } }
]"#;
    let (file, err) = validate_error("bad.json", text);
    assert!(err.contains(&format!("{file}:6:")), "{err}");
    assert!(err.contains("$[2].conditions.users.includeUsers[0]"), "{err}");
    assert!(err.contains("`alice@contoso.com` is not a user object id"), "{err}");
    let (_, err) = validate_error("state.json", r#"{ "value": [ { "displayName": "x", "state": "on" } ] }"#);
    assert!(
        err.contains("$.value[0].state") && err.contains("known: enabled, disabled, enabledForReportingButNotEnforced"),
        "{err}"
    );
    let (_, err) = validate_error(
        "sif.json",
        r#"{ "displayName": "x", "state": "enabled", "sessionControls": { "signInFrequency": { "value": "one", "type": "hours", "isEnabled": true } } }"#,
    );
    assert!(
        err.contains("$.sessionControls.signInFrequency.value") && err.contains("expected a whole number"),
        "{err}"
    );
    let (_, err) = validate_error(
        "loc.json",
        r##"{ "@odata.type": "#microsoft.graph.ipNamedLocation", "id": "0824dbaf-6277-4db0-8112-b29fd356f2c4", "ipRanges": [ { "cidrAddress": "12.34.221.11/40" } ] }"##,
    );
    assert!(err.contains("$.ipRanges[0].cidrAddress") && err.contains("prefix length"), "{err}");
    let (_, err) = validate_error("user.json", r#"{ "id": "x", "userPrincipalName": "x@contoso.com" }"#);
    assert!(err.contains("neither a conditionalAccessPolicy"), "{err}");
}

#[test]
fn a_bad_device_filter_in_json_points_into_the_rule() {
    let text = "{ \"displayName\": \"x\", \"state\": \"enabled\",\n  \"conditions\": { \"devices\": { \"deviceFilter\": { \"mode\": \"include\",\n    \"rule\": \"device.trustTyp -eq \\\"ServerAD\\\"\" } } } }";
    let (file, err) = validate_error("filter.json", text);
    assert!(err.contains(&format!("{file}:3:21:")), "the column of `trustTyp`: {err}");
    assert!(err.contains("$.conditions.devices.deviceFilter.rule") && err.contains("device.trustType"), "{err}");
}

#[test]
fn yaml_policy_mistakes_suggest_the_nearest_word() {
    let scratch = Scratch::new("policies");
    let cases = [
        ("- { name: p, users: all, apps: all, sign_in_risks: [high] }", "sign_in_risk"),
        ("- { name: p, users: all, apps: all, locations: [hqq] }", "hq"),
        ("- { name: p, users: all, apps: [ofice365] }", "office365"),
        ("- { name: p, users: all, apps: all, grant: compliant_aplication }", "compliant_application"),
        ("- { name: p, users: [\"guests:b2b_colaboration_guest\"], apps: all }", "b2b_collaboration_guest"),
        ("- { name: p, users: all, apps: [\"action:register_securityinfo\"] }", "register_security_info"),
        (
            "- { name: p, users: all, apps: all, platforms: { include: [all], exclude: [ios, windowsphon] } }",
            "windowsPhone",
        ),
    ];
    for (policies, suggestion) in cases {
        let file = scratch.write_arg("p.yaml", policies);
        let out = casim(&["validate", &repo(DIRECTORY), "--policies", &file]);
        assert_eq!(out.status.code(), Some(2), "{policies}");
        let err = stderr(&out);
        assert!(err.contains(&format!("{file}:1:")), "{err}");
        assert!(err.contains(&format!("did you mean `{suggestion}`?")), "{policies}: {err}");
    }
}

#[test]
fn a_missing_graph_export_is_reported_at_the_scenario_line() {
    let scratch = Scratch::new("policies");
    let file = scratch.write_arg(
        "s.yaml",
        "name: t\nusers:\n  alice: {}\npolicies: { graph: nowhere.json }\ntimeline:\n  - { at: \"09:00\", do: lock, device: d }\ndevices:\n  d: { owner: alice }\n",
    );
    let out = casim(&["validate", &file]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("{file}:4:")) && err.contains("nowhere.json"), "{err}");
}
