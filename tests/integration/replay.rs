//! `casim replay` through the binary (docs/replay.md): logs `casim logs`
//! writes, replayed under the scenario's own policies, give the scenario's
//! prompts; every input shape gives the same replay; skipped records are
//! counted; bad input exits 2 with its line; two policy sets give the diff.

use serde_json::Value;

use crate::common::{Scratch, casim, repo};

/// stdout and stderr of a run that must succeed.
fn ok(args: &[&str]) -> (String, String) {
    let output = casim(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "casim {args:?} failed:\n{stderr}");
    (String::from_utf8(output.stdout).expect("stdout is UTF-8"), stderr)
}

/// (at, user, app, reason) of the prompts of `run`/`replay` JSON; users by
/// their UPN's local part (replay names users by UPN).
fn prompts(json: &str) -> Vec<(String, String, String, String)> {
    let v: Value = serde_json::from_str(json).expect("JSON output");
    let mut all: Vec<_> = v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .map(|p| {
            let user = p["user"].as_str().unwrap().split('@').next().unwrap().to_string();
            let s = |k: &str| p[k].as_str().unwrap().to_string();
            (s("at"), user, s("app"), s("reason"))
        })
        .collect();
    all.sort();
    all
}

/// The scenario's `policies:` block as a policy file of its own.
fn policies_of(scratch: &Scratch, scenario: &str) -> String {
    let text = std::fs::read_to_string(repo(scenario)).unwrap();
    let block: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("policies:"))
        .skip(1)
        .take_while(|l| l.starts_with(' ') || l.is_empty())
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect();
    scratch.write_arg("policies.yaml", &block.join("\n"))
}

/// A scenario's Graph logs (`casim logs`) and its policies, as files in `scratch`.
fn own_logs(scratch: &Scratch, scenario: &str) -> (String, String) {
    let (logs, _) = ok(&["logs", &repo(scenario)]);
    (scratch.write_arg("logs.json", &logs), policies_of(scratch, scenario))
}

/// Logs written by `casim logs` replay into the same prompts as `casim run`,
/// for scenarios whose every fact the logs hold (no lock without a PRT
/// refresh, no browser close, no revocation: docs/replay.md).
#[test]
fn logs_replay_into_the_prompts_of_the_run() {
    for scenario in [
        "scenarios/example-1-continuous-work.yaml",
        "scenarios/example-3-scenario-2.yaml",
        "scenarios/registered-device.yaml",
    ] {
        let scratch = Scratch::new("replay");
        let (logs, _) = ok(&["logs", &repo(scenario)]);
        let logs = scratch.write_arg("logs.json", &logs);
        let policies = policies_of(&scratch, scenario);
        let (run, _) = ok(&["run", &repo(scenario), "--format", "json"]);
        let (replayed, stderr) = ok(&["replay", &logs, "--policies", &policies, "--format", "json"]);
        assert_eq!(prompts(&replayed), prompts(&run), "{scenario}\n{stderr}");
        assert!(stderr.contains("0 records skipped"), "{stderr}");
    }
}

/// Logs name no role: a policy scoped to one is said to match nobody, and
/// the same policy for all users replays the run's prompts.
#[test]
fn roles_are_not_in_the_logs_and_replay_says_so() {
    let scratch = Scratch::new("replay-roles");
    let scenario = "scenarios/work-week.yaml";
    let (logs, by_role) = own_logs(&scratch, scenario);
    let (replayed, stderr) = ok(&["replay", &logs, "--policies", &by_role, "--format", "json"]);
    assert!(prompts(&replayed).is_empty());
    assert!(stderr.contains("names groups or roles, which sign-in logs do not give"), "{stderr}");
    let text =
        std::fs::read_to_string(&by_role).unwrap().replace("{ include: [\"role:Global Administrator\"] }", "all");
    let for_all = scratch.write_arg("all.yaml", &text);
    let (run, _) = ok(&["run", &repo(scenario), "--policies", &for_all, "--format", "json"]);
    let (replayed, _) = ok(&["replay", &logs, "--policies", &for_all, "--format", "json"]);
    assert_eq!(prompts(&replayed), prompts(&run));
    assert_eq!(prompts(&run).len(), 10);
}

/// Graph JSON, Graph NDJSON and Log Analytics NDJSON of the same records
/// replay alike; the summary says what was assumed.
/// A small generated population of every persona, and a SIF 4h policy file, in `scratch`.
fn small_population(scratch: &Scratch) -> (String, String) {
    let (generated, _) = ok(&["generate", "--users", "8", "--days", "2", "--seed", "2"]);
    let generated = scratch.write_arg("generated.yaml", &generated);
    let policies = scratch
        .write_arg("sif.yaml", "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n");
    (generated, policies)
}

#[test]
fn every_input_shape_replays_alike() {
    let scratch = Scratch::new("replay-shapes");
    let (generated, policies) = small_population(&scratch);
    let mut outputs = Vec::new();
    for format in ["json", "ndjson"] {
        let (logs, _) = ok(&["logs", &generated, "--format", format]);
        let file = scratch.write_arg(&format!("logs.{format}"), &logs);
        let (replayed, stderr) = ok(&["replay", &file, "--policies", &policies, "--format", "json", "--explain"]);
        assert!(stderr.contains("sessions begun before the logs"), "{stderr}");
        outputs.push(prompts(&replayed));
    }
    // Graph records as NDJSON, one object per line, in reverse order: order does not matter.
    let (logs, _) = ok(&["logs", &generated, "--format", "json"]);
    let v: Value = serde_json::from_str(&logs).unwrap();
    let lines: Vec<String> = v["value"].as_array().unwrap().iter().rev().map(|r| r.to_string()).collect();
    let file = scratch.write_arg("graph.ndjson", &lines.join("\n"));
    let (replayed, _) = ok(&["replay", &file, "--policies", &policies, "--format", "json"]);
    outputs.push(prompts(&replayed));
    assert!(!outputs[0].is_empty());
    assert_eq!(outputs[0], outputs[1], "Graph JSON and Log Analytics NDJSON");
    assert_eq!(outputs[0], outputs[2], "Graph JSON and reversed Graph NDJSON");
}

/// Issue 13, item 9: records beyond the memory budget are sorted in runs
/// kept in temporary files; what replay prints is byte for byte the same,
/// in every output, whatever the budget and whether the records come in
/// time order (users mixed, as `casim logs` writes them) or one JSON
/// document pretty-printed over many lines.
#[test]
fn records_beyond_the_memory_budget_replay_byte_for_byte_alike() {
    let scratch = Scratch::new("replay-spill");
    let (generated, _) = ok(&["generate", "--users", "12", "--days", "3", "--seed", "5"]);
    let generated = scratch.write_arg("generated.yaml", &generated);
    let sif = scratch
        .write_arg("sif.yaml", "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n");
    let (logs, _) = ok(&["logs", &generated, "--format", "json"]);
    let v: Value = serde_json::from_str(&logs).unwrap();
    let pretty = serde_json::to_string_pretty(&v).unwrap();
    assert!(pretty.lines().count() > 10 * v["value"].as_array().unwrap().len());
    let run = |budget: &str, text: &str, args: &[&str]| {
        // One path for every run: the output's title names it.
        let file = scratch.write_arg("graph.json", text);
        let mut all = vec!["replay", file.as_str()];
        all.extend_from_slice(args);
        let output = assert_cmd::Command::cargo_bin("casim")
            .unwrap()
            .env("CASIM_REPLAY_MEMORY", budget)
            .args(&all)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    for args in [
        &["--policies", &sif][..],
        &["--policies", &sif, "--format", "json"],
        &["--baseline", "none", "--proposed", &sif, "--format", "json"],
        &["--policies", &sif, "--calibrate"],
    ] {
        let held = run("1000000000", &logs, args);
        assert!(held.len() > 200, "{args:?}");
        assert!(run("4000", &logs, args) == held, "spilled, {args:?}");
        assert!(run("4000", &pretty, args) == held, "pretty-printed and spilled, {args:?}");
    }
}

#[test]
fn skipped_records_are_counted_and_shown_with_explain() {
    let scratch = Scratch::new("replay-skip");
    let good = r#"{"createdDateTime":"2026-01-05T09:00:00Z","userPrincipalName":"ann@contoso.com","appId":"00000003-0000-0ff1-ce00-000000000000","clientAppUsed":"Browser","isInteractive":true,"status":{"errorCode":0}}"#;
    let legacy = good.replace("\"Browser\"", "\"Exchange ActiveSync\"");
    let file = scratch.write_arg("s.ndjson", &format!("{good}\n{legacy}\n"));
    let (_, stderr) = ok(&["replay", &file, "--policies", "none", "--explain"]);
    assert!(stderr.contains("1 records skipped"), "{stderr}");
    assert!(stderr.contains("skipped 1: a client casim does not simulate"), "{stderr}");
    assert!(stderr.contains("s.ndjson:2"), "{stderr}");
}

#[test]
fn input_that_is_not_sign_in_logs_exits_2_naming_its_line() {
    let scratch = Scratch::new("replay-bad");
    let good = r#"{"createdDateTime":"2026-01-05T09:00:00Z","userPrincipalName":"ann@contoso.com","appId":"x"}"#;
    let file = scratch.write_arg("bad.ndjson", &format!("{good}\n{{\"displayName\": \"a policy\"}}\n"));
    let output = casim(&["replay", &file, "--policies", "none"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.ndjson:2:1") && stderr.contains("not sign-in logs"), "{stderr}");
    let empty = scratch.write_arg("empty.json", "");
    assert_eq!(casim(&["replay", &empty, "--policies", "none"]).status.code(), Some(2));
}

/// `--baseline`/`--proposed` give `casim diff`'s summary, and `--fail-if` its exit status.
#[test]
fn two_policy_sets_give_the_diff_summary() {
    let scratch = Scratch::new("replay-diff");
    let scenario = repo("scenarios/example-1-continuous-work.yaml");
    let (logs, _) = ok(&["logs", &scenario]);
    let logs = scratch.write_arg("logs.json", &logs);
    let sif = policies_of(&scratch, "scenarios/example-1-continuous-work.yaml");
    let (json, _) = ok(&["replay", &logs, "--baseline", "none", "--proposed", &sif, "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let (b, p) = (v["baseline"]["prompts"].as_u64().unwrap(), v["proposed"]["prompts"].as_u64().unwrap());
    assert!(p > b, "{json}");
    let output =
        casim(&["replay", &logs, "--baseline", "none", "--proposed", &sif, "--fail-if", "changes.prompts > 0"]);
    assert_eq!(output.status.code(), Some(1));

    // `casim report --logs` draws the same replay: its summary counts the same prompts.
    let page = scratch.path_arg("replay.html");
    ok(&["report", "--logs", &logs, "--baseline", "none", "--proposed", &sif, "-o", &page]);
    let html = std::fs::read_to_string(&page).unwrap();
    let row = format!("<tr><th>prompts</th><td>{b}</td><td>{p}</td>");
    assert!(html.contains(&row), "{row} not in the report");
    let one = scratch.path_arg("one.html");
    ok(&["report", "--logs", &logs, "--policies", &sif, "-o", &one]);
    let text = std::fs::read_to_string(&one).unwrap();
    assert!(text.contains("replay of ") && text.contains("sign_in_frequency"), "the replayed prompts are drawn");
    let refused = casim(&["report", "--logs", &logs, "-o", &one]);
    assert_eq!(refused.status.code(), Some(2), "logs carry no policies");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--policies"));
    let two = casim(&["report", &logs, &scenario]);
    assert!(String::from_utf8_lossy(&two.stderr).contains("add --logs"));
}

/// The diagnostic-settings envelope and the admin center's two CSV files
/// replay like the Graph list.
#[test]
fn the_diagnostic_envelope_and_the_admin_center_csv_replay_alike() {
    let scratch = Scratch::new("replay-more-shapes");
    let scenario = repo("scenarios/example-3-scenario-2.yaml");
    let policies = policies_of(&scratch, "scenarios/example-3-scenario-2.yaml");
    let replay = |files: &[String]| {
        let mut args = vec!["replay"];
        args.extend(files.iter().map(String::as_str));
        args.extend(["--policies", policies.as_str(), "--format", "json"]);
        prompts(&ok(&args).0)
    };
    let (graph, _) = ok(&["logs", &scenario]);
    let graph = replay(&[scratch.write_arg("graph.json", &graph)]);
    assert_eq!(graph.len(), 1);
    let (diagnostic, _) = ok(&["logs", &scenario, "--format", "diagnostic"]);
    assert_eq!(replay(&[scratch.write_arg("diagnostic.json", &diagnostic)]), graph);
    let (interactive, _) = ok(&["logs", &scenario, "--format", "admin-csv", "--interactive"]);
    let (non, _) = ok(&["logs", &scenario, "--format", "admin-csv", "--non-interactive"]);
    let files = [
        scratch.write_arg("InteractiveSignIns_2026-01-05.csv", &interactive),
        scratch.write_arg("NonInteractiveSignIns_2026-01-05.csv", &non),
    ];
    assert_eq!(replay(&files), graph);
}

/// `--calibrate`: a scenario's own logs, replayed under its own policies,
/// predict exactly the prompts the logs show.
#[test]
fn calibration_against_a_scenarios_own_logs_is_exact() {
    let scratch = Scratch::new("replay-calibrate");
    let (logs, policies) = own_logs(&scratch, "scenarios/example-3-scenario-2.yaml");
    let (json, _) = ok(&["replay", &logs, "--policies", &policies, "--calibrate", "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let all = &v["calibration"][0];
    assert_eq!(all["slice"], "all");
    assert_eq!((all["predicted"].as_u64(), all["logged"].as_u64()), (Some(1), Some(1)), "{json}");
    assert_eq!((all["precision"].as_f64(), all["recall"].as_f64()), (Some(1.0), Some(1.0)));
    let (text, _) = ok(&["replay", &logs, "--policies", &policies, "--calibrate"]);
    assert!(text.contains("PRECISION") && text.contains("reason sign_in_frequency"), "{text}");
    assert_eq!(
        casim(&["replay", &logs, "--calibrate", "--baseline", "none", "--proposed", "none"]).status.code(),
        Some(2)
    );
}

/// A CSV download that lost its interactive column and whose file name does
/// not say, and rows without a client app: what replay assumed is said at
/// every run, not only with `--explain`. Without an app id, a built-in app's
/// display name names it.
#[test]
fn facts_a_download_leaves_out_are_assumed_aloud() {
    let scratch = Scratch::new("replay-assumed");
    let csv = "Date (UTC),User,Username,Application\n\
               2026-01-05T10:00:00Z,Ann,ann@contoso.com,Office 365 SharePoint Online\n";
    let policies =
        scratch.write_arg("p.yaml", "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n");
    let plain = scratch.write_arg("signins.csv", csv);
    let (out, stderr) = ok(&["replay", &plain, "--policies", &policies]);
    assert!(out.contains("no prompts"), "{out}");
    assert!(stderr.contains("1 records say nowhere whether they were interactive"), "{stderr}");
    assert!(stderr.contains("1 records name no client app (clientAppUsed)"), "{stderr}");
    // The admin center's interactive file: its rows are interactive, and the app is `sharepoint`.
    let named = scratch.write_arg("InteractiveSignIns_2026-01-05.csv", csv);
    let (out, stderr) = ok(&["replay", &named, "--policies", &policies, "--format", "json"]);
    assert!(!stderr.contains("say nowhere whether"), "{stderr}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["prompts"][0]["app"], "sharepoint", "{out}");
    assert_eq!(v["prompts"][0]["reason"], "no_session", "{out}");
}

/// A home PC's Chrome, used on Wednesday and again on Friday, closed in between.
fn home_browser(stay_signed_in: bool) -> String {
    format!(
        "name: Home browser\nstart: 2026-01-07T00:00:00Z\n\
         users:\n  ann: {{ stay_signed_in: {stay_signed_in} }}\n\
         devices:\n  home-pc: {{ owner: ann, join: unregistered, platform: windows, browser: chrome }}\n\
         timeline:\n\
         \x20 - {{ at: \"09:00\", do: use, device: home-pc, app: exchange, client: browser, until: \"13:00\" }}\n\
         \x20 - {{ at: \"13:00\", do: close_browser, device: home-pc }}\n\
         \x20 - {{ at: \"2d 08:50\", do: use, device: home-pc, app: exchange, client: browser, until: \"2d 12:00\" }}\n"
    )
}

/// "Stay signed in?" is logged as asked (50140), never as answered: a browser
/// session alive on Friday after a day and a half unused, longer than a
/// session cookie lives (R-PB-5), says Yes, and replay shows no prompt there.
#[test]
fn a_session_that_outlived_a_session_cookie_was_kept_by_a_yes() {
    let scratch = Scratch::new("replay-kmsi");
    let policies =
        scratch.write_arg("p.yaml", "- { name: MFA portal, users: all, apps: [azure_portal], grant: mfa }\n");
    for (answer, said) in [(true, "1 users answered Yes"), (false, "0 users answered Yes")] {
        let scenario = scratch.write_arg("home.yaml", &home_browser(answer));
        let (logs, _) = ok(&["logs", &scenario, "--policies", "none"]);
        let logs = scratch.write_arg("logs.json", &logs);
        let (run, _) = ok(&["run", &scenario, "--policies", &policies, "--format", "json"]);
        let (replayed, stderr) = ok(&["replay", &logs, "--policies", &policies, "--format", "json", "--explain"]);
        assert_eq!(prompts(&replayed), prompts(&run), "Stay signed in? {answer}\n{stderr}");
        assert_eq!(prompts(&run).len(), if answer { 1 } else { 2 }, "{run}");
        assert!(stderr.contains(said), "{stderr}");
    }
}

/// Log Analytics' "Export to CSV" of the NDJSON rows: every column the rows
/// have, dynamic ones as JSON text, and each datetime column named with the
/// zone the portal shows it in (`TimeGenerated [UTC]`), its values as the
/// portal shows them (`1/5/2026, 9:00:00.000 AM`).
fn portal_csv(ndjson: &str) -> String {
    let rows: Vec<serde_json::Map<String, Value>> =
        ndjson.lines().map(|l| serde_json::from_str::<Value>(l).unwrap().as_object().unwrap().clone()).collect();
    let mut columns: Vec<String> = rows.iter().flat_map(|r| r.keys().cloned()).collect();
    columns.sort();
    columns.dedup();
    let dated = ["TimeGenerated", "CreatedDateTime"];
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = columns.iter().map(|c| if dated.contains(&c.as_str()) { format!("{c} [UTC]") } else { c.clone() });
    out.write_record(header).unwrap();
    for row in &rows {
        let cells = columns.iter().map(|c| match row.get(c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) if dated.contains(&c.as_str()) => {
                let t = chrono::DateTime::parse_from_rfc3339(s).unwrap();
                t.format("%-m/%-d/%Y, %-I:%M:%S%.3f %p").to_string()
            }
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        });
        out.write_record(cells).unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

#[test]
fn the_log_analytics_portal_csv_export_replays_like_its_rows() {
    let scratch = Scratch::new("replay-portal-csv");
    let (generated, policies) = small_population(&scratch);
    let (rows, _) = ok(&["logs", &generated, "--format", "ndjson"]);
    let ndjson = scratch.write_arg("logs.ndjson", &rows);
    let export = portal_csv(&rows);
    assert!(export.starts_with("AADTenantId,") && export.contains(",TimeGenerated [UTC],"), "{}", &export[..300]);
    let csv = scratch.write_arg("query_data.csv", &export);
    let (from_rows, _) = ok(&["replay", &ndjson, "--policies", &policies, "--format", "json"]);
    let (from_csv, stderr) = ok(&["replay", &csv, "--policies", &policies, "--format", "json"]);
    assert!(stderr.contains("0 records skipped"), "{stderr}");
    assert!(!prompts(&from_rows).is_empty());
    assert_eq!(prompts(&from_csv), prompts(&from_rows));
    // Shown in another zone, the times cannot be placed: an error at the column.
    let local =
        scratch.write_arg("local.csv", &export.replacen("TimeGenerated [UTC]", "TimeGenerated [Local Time]", 1));
    let out = casim(&["replay", &local, "--policies", &policies]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("local.csv:1:") && stderr.contains("[Local Time]"), "{stderr}");
}

/// `value` as Windows PowerShell's `ConvertTo-Json` writes the Graph SDK's
/// objects: PascalCase properties at every depth, dates as `/Date(ms)/`.
fn powershell(value: &Value) -> Value {
    match value {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = k[..1].to_uppercase() + &k[1..];
                    let v = match (k.as_str(), v) {
                        ("createdDateTime", Value::String(s)) => {
                            let ms = chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis();
                            Value::String(format!("/Date({ms})/"))
                        }
                        _ => powershell(v),
                    };
                    (key, v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(powershell).collect()),
        other => other.clone(),
    }
}

/// The docs' Graph PowerShell command, run in Windows PowerShell 5.1:
/// `ConvertTo-Json` writes PascalCase and `/Date(ms)/`, and `Out-File`
/// writes UTF-16 with a byte order mark. It replays as the Graph JSON does.
#[test]
fn graph_powershell_output_in_utf_16_replays_like_graph_json() {
    let scratch = Scratch::new("replay-powershell");
    let (generated, policies) = small_population(&scratch);
    let (logs, _) = ok(&["logs", &generated, "--format", "json"]);
    let graph = scratch.write_arg("graph.json", &logs);
    let v: Value = serde_json::from_str(&logs).unwrap();
    let text = serde_json::to_string_pretty(&powershell(&v["value"])).unwrap();
    assert!(text.contains("\"CreatedDateTime\": \"/Date(") && text.contains("\"ErrorCode\""), "{}", &text[..400]);
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let file = scratch.write_bytes("signins.json", &utf16).display().to_string();
    let (expected, _) = ok(&["replay", &graph, "--policies", &policies, "--format", "json"]);
    let (replayed, stderr) = ok(&["replay", &file, "--policies", &policies, "--format", "json"]);
    assert!(stderr.contains("0 records skipped"), "{stderr}");
    assert!(!prompts(&expected).is_empty());
    assert_eq!(prompts(&replayed), prompts(&expected));
}
