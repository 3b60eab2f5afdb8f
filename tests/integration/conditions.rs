//! Every Conditional Access condition of Graph's beta policy is evaluated,
//! never dropped (issue 8): block policies scoped by authentication flows,
//! insider risk and times apply only to the sign-ins that have them; policies
//! for workload identities and legacy clients; authentication strengths by
//! combination; controls kept but not simulated are shown wherever the policy
//! is. Fixtures are written from Graph's documented object shapes.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::casim;

const FIXTURES: &str = "tests/fixtures/graph/conditions";

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES).join(name).display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What If in JSON for `--policies fixture` and more flags.
fn whatif(file: &str, args: &[&str]) -> Value {
    let path = fixture(file);
    let mut all = vec!["whatif", "--policies", &path, "--format", "json"];
    all.extend_from_slice(args);
    let out = casim(&all);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

/// (applies, analysis reasons) of the policy called `name`.
fn verdict(result: &Value, name: &str) -> (bool, String) {
    let policies = result["value"].as_array().cloned().unwrap_or_default();
    let p = policies.iter().find(|p| p["displayName"] == name).unwrap_or_else(|| panic!("{name} in {result}"));
    (p["policyApplies"] == true, p["analysisReasons"].as_str().unwrap_or_default().to_string())
}

fn outcome(result: &Value) -> String {
    result["outcome"]["result"].as_str().unwrap_or_default().to_string()
}

const USER: [&str; 4] = ["--user", "alice@contoso.com", "--app", "office"];

#[test]
fn a_device_code_flow_block_applies_only_to_device_code_flow() {
    let plain = whatif("block-device-code-flow.json", &USER);
    assert_eq!(verdict(&plain, "Block device code flow"), (false, "authenticationFlow".into()));
    assert_eq!(outcome(&plain), "satisfied");
    let flow = whatif("block-device-code-flow.json", &[&USER[..], &["--auth-flow", "device_code_flow"]].concat());
    assert_eq!(verdict(&flow, "Block device code flow"), (true, "notSet".into()));
    assert_eq!(outcome(&flow), "blocked");
    let transfer =
        whatif("block-device-code-flow.json", &[&USER[..], &["--auth-flow", "authentication_transfer"]].concat());
    assert!(!verdict(&transfer, "Block device code flow").0, "another flow is not device code flow");
}

#[test]
fn an_insider_risk_block_applies_only_to_users_with_that_risk() {
    let none = whatif("block-insider-risk.json", &USER);
    assert_eq!(verdict(&none, "Block access when insider risk is elevated"), (false, "insiderRisk".into()));
    assert_eq!(outcome(&none), "satisfied", "a flow- or risk-scoped block never blocks everyone");
    let moderate = whatif("block-insider-risk.json", &[&USER[..], &["--insider-risk", "moderate"]].concat());
    assert!(!verdict(&moderate, "Block access when insider risk is elevated").0);
    let elevated = whatif("block-insider-risk.json", &[&USER[..], &["--insider-risk", "elevated"]].concat());
    assert_eq!(verdict(&elevated, "Block access when insider risk is elevated"), (true, "notSet".into()));
    assert_eq!(elevated["signIn"]["insiderRiskLevel"], "elevated");
    let transfer =
        whatif("block-insider-risk.json", &[&USER[..], &["--auth-flow", "authentication_transfer"]].concat());
    assert_eq!(verdict(&transfer, "Block authentication transfer"), (true, "notSet".into()));
}

/// R-CA-4.
#[test]
fn a_working_hours_block_needs_the_instant_and_follows_the_time_zone() {
    let unknown = whatif("working-hours.json", &USER);
    assert_eq!(verdict(&unknown, "Block outside working hours"), (false, "notEnoughInformation".into()));
    // 2026-01-05 is a Monday; the window is 08:00–18:00 at +01.
    let at = |t: &str| whatif("working-hours.json", &[&USER[..], &["--at", t]].concat());
    assert_eq!(verdict(&at("2026-01-05T10:00:00Z"), "Block outside working hours"), (false, "time".into()));
    assert!(verdict(&at("2026-01-05T17:30:00Z"), "Block outside working hours").0, "18:30 at +01");
    assert!(verdict(&at("2026-01-05T06:59:00Z"), "Block outside working hours").0, "07:59 at +01");
    assert!(verdict(&at("2026-01-10T10:00:00Z"), "Block outside working hours").0, "a Saturday");
}

#[test]
fn workload_identity_policies_apply_to_workloads_and_user_policies_do_not() {
    let sp = ["--service-principal", "0f6a3c2e-55d1-4c8f-9d47-8a1f5f2b7c11", "--app", "graph"];
    let calm = whatif("workload-and-legacy.json", &sp);
    assert_eq!(verdict(&calm, "Block risky workload identities"), (false, "workloadIdentities".into()));
    let risky = whatif("workload-and-legacy.json", &[&sp[..], &["--service-principal-risk", "high"]].concat());
    assert_eq!(verdict(&risky, "Block risky workload identities"), (true, "notSet".into()));
    assert!(verdict(&risky, "Block legacy authentication").1.contains("workloadIdentities"));
    let excluded = ["--service-principal", "0f6a3c2e-55d1-4c8f-9d47-8a1f5f2b7c12", "--service-principal-risk", "high"];
    let excluded = whatif("workload-and-legacy.json", &[&excluded[..], &["--app", "graph"]].concat());
    assert!(!verdict(&excluded, "Block risky workload identities").0, "excluded service principal");
    let user = whatif("workload-and-legacy.json", &USER);
    assert_eq!(verdict(&user, "Block risky workload identities"), (false, "users".into()));
}

#[test]
fn legacy_clients_are_inputs_and_client_app_types_read_in_any_case() {
    let modern = whatif("workload-and-legacy.json", &USER);
    assert_eq!(verdict(&modern, "Block legacy authentication"), (false, "clientApps".into()));
    for client in ["exchange_active_sync", "other"] {
        let legacy = whatif("workload-and-legacy.json", &[&USER[..], &["--client", client]].concat());
        assert_eq!(verdict(&legacy, "Block legacy authentication"), (true, "notSet".into()), "{client}");
        assert_eq!(outcome(&legacy), "blocked");
    }
}

/// R-CA-5.
#[test]
fn custom_strengths_are_met_by_their_combinations_only() {
    let none = whatif("strengths-and-session.json", &USER);
    assert_eq!(outcome(&none), "mfaRequired", "password + Authenticator push can satisfy it");
    let push = whatif(
        "strengths-and-session.json",
        &[&USER[..], &["--mfa", "--methods-used", "password,microsoftAuthenticatorPush"]].concat(),
    );
    assert_eq!(outcome(&push), "satisfied");
    let sms = whatif("strengths-and-session.json", &[&USER[..], &["--mfa", "--methods-used", "password,sms"]].concat());
    assert_eq!(outcome(&sms), "mfaRequired", "SMS is not an allowed combination: step up");
    let strength = &push["value"][0]["grantControls"]["authenticationStrength"];
    assert_eq!(strength["allowedCombinations"], serde_json::json!(["password,microsoftAuthenticatorPush", "fido2"]));
}

#[test]
fn controls_not_simulated_are_listed_with_their_policy_everywhere() {
    let json = whatif("strengths-and-session.json", &USER);
    let listed = json["value"][0]["notSimulated"].to_string();
    for control in ["app enforced restrictions", "Defender for Cloud Apps", "token protection"] {
        assert!(listed.contains(control), "{control} in {listed}");
    }
    let text = stdout(&casim(&[
        "whatif",
        "--policies",
        &fixture("strengths-and-session.json"),
        "--user",
        "a@contoso.com",
        "--app",
        "office",
    ]));
    assert!(text.contains("kept, not simulated: token protection"), "{text}");
    let show = stdout(&casim(&["policies", "show", &fixture("strengths-and-session.json")]));
    assert!(
        show.contains("kept       Defender for Cloud Apps session control (blockDownloads) (not simulated)"),
        "{show}"
    );
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example-3-scenario-2.yaml");
    let run = casim(&[
        "run",
        &scenario.display().to_string(),
        "--policies",
        &fixture("strengths-and-session.json"),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&stdout(&run)).unwrap_or_default();
    assert_eq!(report["not_simulated"][0]["policy"], "Admins: SMS-free MFA", "{}", stdout(&run));
    assert!(report["not_simulated"][0]["controls"].to_string().contains("token protection"));
}

#[test]
fn the_baseline_blocks_scenario_blocks_only_what_each_condition_scopes() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/graph-baseline-blocks.yaml");
    let out = casim(&["run", &scenario.display().to_string(), "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap_or_default();
    let blocked: Vec<String> = report["blocked"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|b| {
            format!(
                "{} {} {}",
                b["user"].as_str().unwrap_or(""),
                b["app"].as_str().unwrap_or(""),
                b["policy"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        blocked,
        [
            "alice teams Block device code flow",
            "alice exchange Block authentication transfer",
            "dave sharepoint Block access when insider risk is elevated",
            "alice sharepoint Block outside working hours",
        ],
        "{}",
        stdout(&out)
    );
}

#[test]
fn lint_reports_unenforced_sets_gsa_targets_duplicates_and_rare_inputs() {
    let out = casim(&["policies", "lint", &fixture("lint-set.json"), "--format", "json"]);
    let text = stdout(&out);
    for check in ["nothing-enforced", "duplicate-policy", "gsa-traffic-profile"] {
        assert!(text.contains(check), "{check} missing:\n{text}");
    }
    assert!(!text.contains("targets-nothing"), "a GSA target is not nothing:\n{text}");
    let blocks = stdout(&casim(&["policies", "lint", &fixture("block-insider-risk.json")]));
    assert!(blocks.contains("depends on insider risk"), "{blocks}");
    assert!(blocks.contains("depends on authentication flows"), "{blocks}");
}

#[test]
fn an_unconditional_block_shadows_every_other_policy() {
    let scratch = crate::common::Scratch::new("lint-block");
    let path = scratch.dir.join("set.json");
    let block = r#"[
        {"displayName": "Block all", "state": "enabled",
         "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
         "grantControls": {"operator": "OR", "builtInControls": ["block"]}},
        {"displayName": "MFA", "state": "enabled",
         "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["Office365"]}},
         "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    ]"#;
    std::fs::write(&path, block).expect("write the set");
    let text = stdout(&casim(&["policies", "lint", &path.display().to_string()]));
    assert!(text.contains("`Block all`: the policy blocks every user on every resource"), "{text}");
    assert!(text.contains("`MFA`: `Block all` blocks every sign-in"), "{text}");
}

#[test]
fn unknown_properties_and_values_are_errors_with_the_nearest_name_all_at_once() {
    let scratch = crate::common::Scratch::new("strict");
    let path = scratch.dir.join("typo.json");
    let text = r#"{"displayName": "x", "state": "enabled",
 "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["browsr"]},
 "sessionControls": {"signInFrequncy": {"isEnabled": true}}}"#;
    std::fs::write(&path, text).expect("write");
    let out = casim(&["policies", "lint", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("did you mean `signInFrequency`?") || err.contains("$.sessionControls.signInFrequncy"),
        "{err}"
    );
    assert!(err.contains("typo.json:3:22"), "the unknown property is located at its key:\n{err}");
    assert!(err.contains("`browsr`") && err.contains("mobileAppsAndDesktopClients"), "{err}");
    let template = scratch.dir.join("template.json");
    let text = r#"{"displayName": "t", "state": "enabled", "conditions": {"users": {"includeUsers": ["All"], "excludeGroups": ["<Break glass group>"]}, "applications": {"includeApplications": ["All"]}}}"#;
    std::fs::write(&template, text).expect("write");
    let out = casim(&["policies", "show", &template.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("template") && err.contains("<Break glass group>"), "{err}");
}

/// `(workload, app, result, policy)` of each token request of a run.
fn workload_results(scenario: &Path) -> Vec<String> {
    let out = casim(&["run", &scenario.display().to_string(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap_or_default();
    let list = report["workload_sign_ins"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|w| {
            let field = |k: &str| w[k].as_str().unwrap_or("-").to_string();
            format!("{} {} {} {} {}", field("at"), field("workload"), field("app"), field("result"), field("policy"))
        })
        .collect()
}

/// R-CA-6.
#[test]
fn a_workload_identity_signs_in_on_a_timeline_and_only_workload_policies_apply() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/workload-identities.yaml");
    assert_eq!(
        workload_results(&scenario),
        [
            "2026-01-05T02:00:00Z export-daemon graph success -",
            "2026-01-05T03:00:00Z export-daemon graph failure Block the export daemon outside the datacenter",
            "2026-01-05T04:00:00Z reporting-job graph success -",
        ]
    );
    let out = casim(&["run", &scenario.display().to_string(), "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap_or_default();
    // The user is prompted by the user policy, never blocked by a workload policy.
    assert_eq!(report["blocked"].as_array().map(Vec::len), Some(0), "{report}");
    assert_eq!(report["prompts"][0]["policy"], "Require MFA for all users");
    assert_eq!(report["workload_sign_ins"][2]["report_only"][0], "Block workload identities at high risk");
    // The HTML report lists them too, in a table of their own.
    let scratch = crate::common::Scratch::new("workload-report");
    let page = scratch.dir.join("r.html");
    let out = casim(&["report", &scenario.display().to_string(), "-o", &page.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(html.contains("<h2>Workload identities</h2>"), "{html}");
    assert_eq!(html.matches("<td>export-daemon</td>").count(), 2);
}

#[test]
fn yaml_policies_target_workloads_by_key_with_risk_and_exclusions() {
    let scratch = crate::common::Scratch::new("workloads");
    let text = r#"name: workloads in YAML
workload_identities:
  daemon: { app_id: 7d3e9a21-4b6c-4f8d-9e0a-1b2c3d4e5f60, risk: high }
  quiet: { object_id: 3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f }
  agent: { risk: high, agent: true }
policies:
  - { name: Block risky workloads, workloads: { include: all, exclude: [quiet] }, apps: all, service_principal_risk: [high], grant: block }
  - { name: MFA for users, users: all, apps: all, grant: mfa }
timeline:
  - { at: "01:00", do: request_token, workload: daemon, app: graph }
  - { at: "02:00", do: request_token, workload: quiet, app: graph }
  - { at: "03:00", do: request_token, workload: agent, app: graph }
expect:
  blocked:
    - { at: "01:00", workload: daemon, app: graph }
    - { at: "03:00", workload: agent, app: graph }
"#;
    // `include: all` is not the `all` form: the map takes lists only.
    let wrong = scratch.write("wrong.yaml", text);
    let out = casim(&["validate", &wrong.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let text = text.replace("{ include: all, exclude: [quiet] }", "{ include: [daemon, agent], exclude: [quiet] }");
    let fixed = scratch.write("w.yaml", &text);
    let out = casim(&["check", &fixed.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    let results = workload_results(&fixed);
    assert!(results[1].contains("quiet graph success"), "{results:?}");
    // Unknown workloads are located errors with the nearest key.
    let typo = scratch.write("typo.yaml", &text.replace("workload: quiet", "workload: quite"));
    let out = casim(&["validate", &typo.display().to_string()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("quite") && err.contains("quiet") && err.contains("typo.yaml:"), "{err}");
    // A policy names users or workloads, not both.
    let both = scratch.write("both.yaml", &text.replace("workloads: {", "users: all, workloads: {"));
    let out = casim(&["validate", &both.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not both"));
}

#[test]
fn office_365_members_published_by_name_only_are_matched_by_name() {
    let applies = |app: &str| {
        verdict(&whatif("office365-mfa.json", &["--user", "alice@contoso.com", "--app", app]), "MFA for Office 365")
    };
    // With a published id, by name; without one, by name only; any case.
    for member in ["Microsoft Forms", "sway", "App Studio for Microsoft Teams", "EDU  Assignments"] {
        assert_eq!(applies(member), (true, "notSet".into()), "{member}");
    }
    // Not members: the Azure portal and Microsoft Graph.
    assert!(!applies("azure_portal").0);
    assert!(!applies("graph").0);
    // A scenario app carrying a member's name (its id is the tenant's own) is in Office365.
    let scratch = crate::common::Scratch::new("o365-by-name");
    let scenario = scratch.write(
        "s.yaml",
        "name: o365 by name\nusers: { alice: {} }\ndevices: { laptop: { owner: alice } }\n\
         apps: { studio: { name: App Studio for Microsoft Teams, app_id: 0f2e4d6c-8b1a-4c3e-9d5f-7a6b5c4d3e2f } }\n\
         timeline: []\n",
    );
    let out = casim(&[
        "whatif",
        "--scenario",
        &scenario.display().to_string(),
        "--policies",
        &fixture("office365-mfa.json"),
        "--user",
        "alice",
        "--app",
        "studio",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let result: Value = serde_json::from_str(&stdout(&out)).unwrap_or_default();
    assert_eq!(verdict(&result, "MFA for Office 365"), (true, "notSet".into()));
}

/// Graph PowerShell parks the properties its class lacks in
/// `AdditionalProperties`: they are read as the object's own, never dropped.
#[test]
fn conditions_parked_in_powershell_additional_properties_are_evaluated() {
    let file = "powershell-additional-properties.json";
    let plain = whatif(file, &USER);
    assert_eq!(verdict(&plain, "Block access when insider risk is elevated"), (false, "insiderRisk".into()));
    let risky = whatif(file, &[&USER[..], &["--insider-risk", "elevated"]].concat());
    assert_eq!(outcome(&risky), "blocked");
    let out = casim(&["policies", "show", &fixture(file)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("AdditionalProperties"), "read, not ignored: {err}");
}

/// Agent identities are targeted by the agent lists, with their own risk;
/// other service principals are not.
#[test]
fn agent_identity_policies_target_agents_by_their_own_lists() {
    let sp = |id: &str, agent: bool| {
        let mut args = vec!["--app", "graph", "--service-principal", id, "--service-principal-risk", "high"];
        if agent {
            args.push("--agent");
        }
        let result = whatif("agent-identities.json", &args);
        verdict(&result, "Block high risk agent identities")
    };
    let agent = "0f6a3c2e-55d1-4c8f-9d47-8a1f5f2b7c11";
    assert_eq!(sp(agent, true), (true, "notSet".into()));
    assert_eq!(sp(agent, false), (false, "workloadIdentities".into()), "a service principal is not an agent");
    assert!(!sp("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", true).0, "an excluded agent");
    // The text says what a workload has: no device, no user risk.
    let path = fixture("agent-identities.json");
    let args = ["whatif", "--policies", &path, "--app", "graph", "--service-principal", agent, "--agent"];
    let text = stdout(&casim(&args));
    assert!(text.contains("client credentials from IP 192.0.2.1, unknown country, agent identity risk none"), "{text}");
    assert!(!text.contains("device"), "{text}");
}

/// `riskRemediation` is its own control: Graph pairs it with an
/// authentication strength by AND, not with MFA as `passwordChange`.
#[test]
fn risk_remediation_is_linted_by_its_own_rule() {
    let out = casim(&["policies", "lint", &fixture("risk-remediation.json")]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("risk-remediation-without-strength").count(), 1, "{text}");
    assert!(text.contains("`Remediate without a strength`"), "{text}");
    assert!(!text.contains("password-change-without-mfa"), "{text}");
    let shown = stdout(&casim(&["policies", "show", &fixture("risk-remediation.json")]));
    assert!(shown.contains("Microsoft-managed risk remediation"), "{shown}");
}

/// What Graph beta returns beyond its pages: undocumented properties set to
/// `null` are read past (they set no condition); agent users, the account
/// recovery user action and Verified ID are read; an undocumented property
/// with a value is still an error.
#[test]
fn beta_responses_with_undocumented_nulls_and_new_values_are_read() {
    let out = casim(&["policies", "show", &fixture("beta-preview.json")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`agentz` is not a property"), "{err}");
    assert!(!err.contains("`agents`") && !err.contains("`clients`") && !err.contains("networkAccessSecurity"), "{err}");
    let scratch = crate::common::Scratch::new("beta-preview");
    let text = std::fs::read_to_string(fixture("beta-preview.json")).unwrap_or_default();
    let cut = text.find(",\n    {\n      \"id\": \"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a04\"").unwrap_or(text.len());
    let valid = scratch.write("valid.json", &format!("{}\n  ]\n}}\n", &text[..cut]));
    let path = valid.display().to_string();
    let result = |extra: &[&str]| {
        let mut args = vec!["whatif", "--policies", &path, "--user", "alice@contoso.com", "--format", "json"];
        args.extend_from_slice(extra);
        let out = casim(&args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_str::<Value>(&stdout(&out)).unwrap_or_default()
    };
    let office = result(&["--app", "office"]);
    assert_eq!(verdict(&office, "MFA with undocumented null properties"), (true, "notSet".into()));
    assert!(!verdict(&office, "Block agent users").0, "casim's users are people");
    let recovery = result(&["--app", "office", "--user-action", "account_recovery"]);
    assert!(verdict(&recovery, "Verified ID for account recovery").0);
    assert_eq!(outcome(&recovery), "blocked", "Verified ID is never met: {recovery}");
    let shown = stdout(&casim(&["policies", "show", &path]));
    assert!(shown.contains("Verified ID (verifiedID) (casim treats it as never met) (not simulated)"), "{shown}");
}
