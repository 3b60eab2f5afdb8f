//! `casim diff`: the summary numbers on hand-computed cases, the JSON field
//! names docs/diff.md promises, and the exit codes of `--fail-if`.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::{Scratch, casim};

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths")
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `none` in place of a policies path: no policy at all (an empty file is an error).
const NO_POLICY: &str = casim::scenario::NO_POLICIES;

const SIF_1H: &str = "\
- name: Sign-in frequency 1 hour
  users: all
  apps: all
  session: { sign_in_frequency: 1h }
";

/// Runs `casim diff --format json` and returns the parsed report.
fn diff_json(baseline: &Path, proposed: &Path, paths: &[&Path]) -> Value {
    let mut args = vec!["diff", "--baseline", p(baseline), "--proposed", p(proposed), "--format", "json"];
    args.extend(paths.iter().map(|x| p(x)));
    let out = casim(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", stdout(&out)))
}

fn num(v: &Value, path: &str) -> f64 {
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part).unwrap_or_else(|| panic!("no `{path}` (at `{part}`) in {v:#}"));
    }
    cur.as_f64().unwrap_or_else(|| panic!("`{path}` is not a number: {cur}"))
}

/// Example 1 (alice works in SharePoint 00:00-01:30 on a joined laptop): no
/// policy, then a 1-hour sign-in frequency. By hand: no prompt before (the PRT
/// gives Edge a session, the default window is 90 days); one at 01:00 after
/// (R-SIF-5). One user, one active day.
#[test]
fn example_1_without_a_policy_then_with_a_one_hour_sif() {
    let s = Scratch::new("example1");
    let (none, sif) = (std::path::PathBuf::from(NO_POLICY), s.write("sif.yaml", SIF_1H));
    let scenario = repo("scenarios/example-1-continuous-work.yaml");
    let r = diff_json(&none, &sif, &[&scenario]);

    for side in ["baseline", "proposed"] {
        assert_eq!(num(&r, &format!("{side}.scenarios")), 1.0);
        assert_eq!(num(&r, &format!("{side}.users")), 1.0);
        assert_eq!(num(&r, &format!("{side}.user_days")), 1.0);
    }
    assert_eq!(num(&r, "baseline.prompts"), 0.0);
    assert_eq!(num(&r, "proposed.prompts"), 1.0);
    assert_eq!(num(&r, "proposed.prompts_by_reason.sign_in_frequency"), 1.0);
    assert_eq!(num(&r, "baseline.prompts_per_user_day.max"), 0.0);
    for stat in ["mean", "median", "p95", "max"] {
        assert_eq!(num(&r, &format!("proposed.prompts_per_user_day.{stat}")), 1.0, "{stat}");
        assert_eq!(num(&r, &format!("changes.prompts_per_user_day.{stat}")), 1.0, "{stat}");
    }
    assert_eq!(num(&r, "proposed.max_prompts_in_hour"), 1.0);
    assert_eq!(r["proposed"]["max_prompts_in_hour_window"]["user"], "alice");
    assert_eq!(r["proposed"]["max_prompts_in_hour_window"]["from"], "2026-01-05T01:00:00Z");
    assert_eq!(r["baseline"]["max_prompts_in_hour_window"], Value::Null);
    assert_eq!(num(&r, "changes.prompts"), 1.0);
    assert_eq!(num(&r, "changes.users_prompts_rose"), 1.0);
    assert_eq!(num(&r, "changes.users_prompts_fell"), 0.0);
    assert_eq!(num(&r, "changes.users_newly_blocked"), 0.0);

    let largest = r["changes"]["largest"].as_array().expect("largest is a list");
    assert_eq!(largest.len(), 1, "{largest:#?}");
    let row = &largest[0];
    assert_eq!(row["scenario"], "example-1-continuous-work");
    assert_eq!(row["user"], "alice");
    assert_eq!(row["app"], "sharepoint");
    assert_eq!((row["prompts_before"].as_u64(), row["prompts_after"].as_u64()), (Some(0), Some(1)));
    assert_eq!(row["change"], 1);
    assert_eq!(row["reasons"], serde_json::json!(["+1 sign_in_frequency"]));
    assert_eq!(r["changes"]["by_user_app"].as_array().map(Vec::len), Some(1));

    // The text output says the same in a table.
    let out = casim(&["diff", "--baseline", p(&none), "--proposed", p(&sif), p(&scenario)]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("casim diff: 1 scenario, 1 user, 1 user-day"), "{text}");
    let line = text.lines().find(|l| l.contains("alice") && l.contains("sharepoint")).expect("alice's row");
    assert!(line.contains("+1 sign_in_frequency"), "{line}");
    let prompts = text.lines().find(|l| l.trim_start().starts_with("prompts ")).expect("the prompts line");
    assert_eq!(prompts.split_whitespace().collect::<Vec<_>>(), ["prompts", "0", "1", "+1"]);
}

/// Swapping baseline and proposed negates every change.
#[test]
fn swapping_the_policy_sets_negates_the_changes() {
    let s = Scratch::new("swap");
    let (none, sif) = (std::path::PathBuf::from(NO_POLICY), s.write("sif.yaml", SIF_1H));
    let scenario = repo("scenarios/example-3-scenario-2.yaml");
    let forward = diff_json(&none, &sif, &[&scenario]);
    let back = diff_json(&sif, &none, &[&scenario]);
    assert!(num(&forward, "changes.prompts") > 0.0, "a 1h SIF adds prompts to example 3");
    assert_eq!(num(&forward, "changes.prompts"), -num(&back, "changes.prompts"));
    assert_eq!(num(&forward, "changes.users_prompts_rose"), num(&back, "changes.users_prompts_fell"));
    assert_eq!(forward["proposed"]["prompts"], back["baseline"]["prompts"]);
}

const TWO_NAMED_DISABLED: &str = "\
- { name: SIF 1 hour, state: disabled, users: all, apps: all, session: { sign_in_frequency: 1h } }
- { name: No persistent browser sessions, state: disabled, users: all, apps: all,
    session: { persistent_browser: never } }
";

fn prompts_of_run(policies: &Path, folder: &Path) -> (usize, usize) {
    let out = casim(&["run", p(folder), "--policies", p(policies), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let runs: Value = serde_json::from_slice(&out.stdout).expect("run's JSON");
    let runs = runs.as_array().expect("several scenarios make a list");
    let count = |key: &str| runs.iter().map(|r| r[key].as_array().map_or(0, Vec::len)).sum();
    (count("prompts"), count("blocked"))
}

/// Over the whole bundled library: diff's totals equal `casim run
/// --policies`'s, users are counted per scenario, and identical policy sets
/// change nothing.
#[test]
fn the_bundled_library_under_two_policy_files() {
    let s = Scratch::new("library");
    // Two scenarios switch policies on by name, so both files define those names.
    let base = s.write("base.yaml", TWO_NAMED_DISABLED);
    let proposed = s.write(
        "proposed.yaml",
        &format!(
            "{TWO_NAMED_DISABLED}- {{ name: Block the Azure portal, users: all, apps: [azure_portal], grant: block }}\n"
        ),
    );
    let library = repo("scenarios");
    let r = diff_json(&base, &proposed, &[&library]);

    let files: Vec<PathBuf> = std::fs::read_dir(&library)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|f| f.extension().is_some_and(|x| x == "yaml"))
        .collect();
    // A population's users are its generated members.
    let users: usize = files
        .iter()
        .map(|f| casim::scenario::load(f).unwrap_or_else(|e| panic!("{}", e.render())))
        .map(|s| s.population.as_ref().map_or(s.users.len(), |p| p.users().len()))
        .sum();
    assert_eq!(num(&r, "proposed.scenarios") as usize, files.len());
    assert_eq!(num(&r, "proposed.users") as usize, users);

    let (base_prompts, base_blocked) = prompts_of_run(&base, &library);
    let (prop_prompts, prop_blocked) = prompts_of_run(&proposed, &library);
    assert_eq!(num(&r, "baseline.prompts") as usize, base_prompts);
    assert_eq!(num(&r, "baseline.blocked") as usize, base_blocked);
    assert_eq!(num(&r, "proposed.prompts") as usize, prop_prompts);
    assert_eq!(num(&r, "proposed.blocked") as usize, prop_blocked);
    // Users of the Azure portal are now blocked (work-week's vera, every-time-browser's dana, ...).
    assert!(num(&r, "changes.users_newly_blocked") >= 2.0, "{:#}", r["changes"]);
    let largest = r["changes"]["largest"].as_array().expect("a list");
    assert!(largest.len() <= 10);
    assert!(largest.iter().any(|row| row["app"] == "azure_portal" && row["blocked_after"].as_u64() > Some(0)));
    // Sorted by the size of the prompt change, largest first.
    let sizes: Vec<i64> = largest.iter().map(|row| row["change"].as_i64().expect("change").abs()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");

    let same = diff_json(&base, &base, &[&library]);
    assert_eq!(same["baseline"]["prompts"], same["proposed"]["prompts"]);
    assert_eq!(num(&same, "changes.prompts"), 0.0);
    assert_eq!(num(&same, "changes.users_prompts_rose"), 0.0);
    assert_eq!(same["changes"]["largest"], serde_json::json!([]));
    assert!(num(&same, "baseline.user_days") >= num(&same, "baseline.users") - 1.0);
}

/// The MFA-fatigue signal: every-time reauthentication on four apps opened
/// 09:00, 09:10, 09:20 and 09:50, then 10:05: at most four prompts fall inside
/// one 60-minute window (09:00-09:59 and 09:10-10:09 both hold four).
#[test]
fn the_busiest_hour_counts_prompts_in_a_sliding_sixty_minute_window() {
    let s = Scratch::new("fatigue");
    let scenario = s.write(
        "fatigue.yaml",
        "\
name: fatigue
users:
  fay: {}
  gus: {}
devices:
  laptop: { owner: fay, join: entra_joined, browser: edge }
  pc: { owner: gus, join: entra_joined, browser: edge }
policies: []
timeline:
  - { at: \"09:00\", do: sign_in_device, device: laptop }
  - { at: \"09:00\", do: use, device: laptop, app: sharepoint }
  - { at: \"09:10\", do: use, device: laptop, app: exchange }
  - { at: \"09:20\", do: use, device: laptop, app: teams }
  - { at: \"09:50\", do: use, device: laptop, app: azure_portal }
  - { at: \"10:05\", do: use, device: laptop, app: sharepoint }
  - { at: \"1d 09:00\", do: sign_in_device, device: pc }
  - { at: \"1d 09:00\", do: use, device: pc, app: sharepoint }
",
    );
    let none = std::path::PathBuf::from(NO_POLICY);
    let every_time = s.write(
        "every-time.yaml",
        "- { name: Every time, users: all, apps: all, session: { sign_in_frequency: every_time } }\n",
    );
    let r = diff_json(&none, &every_time, &[&scenario]);
    assert_eq!(num(&r, "baseline.max_prompts_in_hour"), 0.0);
    assert_eq!(num(&r, "proposed.prompts"), 6.0, "{:#}", r["changes"]["by_user_app"]);
    assert_eq!(num(&r, "proposed.max_prompts_in_hour"), 4.0);
    assert_eq!(r["proposed"]["max_prompts_in_hour_window"]["user"], "fay");
    assert_eq!(r["proposed"]["max_prompts_in_hour_window"]["from"], "2026-01-05T09:00:00Z");
    assert_eq!(num(&r, "changes.max_prompts_in_hour"), 4.0);
    // Two user-days (fay on day 0, gus on day 1) with 5 and 1 prompts.
    assert_eq!(num(&r, "proposed.user_days"), 2.0);
    assert_eq!(num(&r, "proposed.prompts_per_user_day.mean"), 3.0);
    assert_eq!(num(&r, "proposed.prompts_per_user_day.median"), 3.0);
    assert_eq!(num(&r, "proposed.prompts_per_user_day.p95"), 4.8);
    assert_eq!(num(&r, "proposed.prompts_per_user_day.max"), 5.0);
    // fay's sharepoint row: two every-time prompts.
    let rows = r["changes"]["by_user_app"].as_array().expect("a list");
    let fay_sp = rows.iter().find(|x| x["user"] == "fay" && x["app"] == "sharepoint").expect("fay's sharepoint");
    assert_eq!(fay_sp["prompts_after"], 2);
    assert_eq!(fay_sp["reasons_after"]["every_time"], 2);
    assert_eq!(r["changes"]["largest"][0]["user"], "fay");
    assert_eq!(r["changes"]["largest"][0]["app"], "sharepoint");
}

/// The stable field names of docs/diff.md.
#[test]
fn json_field_names_are_stable() {
    let s = Scratch::new("fields");
    let (none, sif) = (std::path::PathBuf::from(NO_POLICY), s.write("sif.yaml", SIF_1H));
    let r = diff_json(&none, &sif, &[&repo("scenarios/report-only.yaml")]);
    let keys = |v: &Value| -> Vec<String> { v.as_object().expect("an object").keys().cloned().collect() };
    assert_eq!(keys(&r), ["baseline", "proposed", "by_group", "changes"]);
    // The scenario's users have devices and neither personas nor groups.
    assert_eq!(keys(&r["by_group"]), ["join", "platform"]);
    let group = &r["by_group"]["join"][0];
    assert_eq!(keys(group), ["value", "users", "user_days", "baseline", "proposed", "change"]);
    let figures =
        ["prompts", "prompts_per_user_day", "users_prompted", "mfa_challenges", "users_mfa_challenged", "blocked"];
    assert_eq!(keys(&group["proposed"]), figures);
    assert_eq!(
        keys(&group["change"]),
        ["prompts", "prompts_per_user_day_mean", "users_prompted", "mfa_challenges", "blocked"]
    );
    let summary = [
        "policies",
        "scenarios",
        "users",
        "user_days",
        "prompts",
        "prompts_per_user_day",
        "prompts_by_reason",
        "users_prompted",
        "blocked",
        "users_blocked",
        "max_prompts_in_hour",
        "max_prompts_in_hour_window",
        "mfa_challenges",
        "mfa_challenges_per_user_day",
        "users_mfa_challenged",
        "max_prompts_and_mfa_in_hour",
        "report_only",
        "deferred",
        "findings",
        "workload_requests_blocked",
    ];
    assert_eq!(keys(&r["baseline"]), summary);
    assert_eq!(keys(&r["proposed"]), summary);
    assert_eq!(keys(&r["proposed"]["prompts_per_user_day"]), ["mean", "median", "p95", "max"]);
    assert_eq!(keys(&r["proposed"]["report_only"]), ["findings", "interrupted", "failure"]);
    assert_eq!(keys(&r["proposed"]["max_prompts_in_hour_window"]), ["scenario", "user", "from"]);
    let mut reasons = keys(&r["proposed"]["prompts_by_reason"]);
    reasons.sort();
    let mut all: Vec<String> = casim::engine::Reason::NAMES.iter().map(|s| s.to_string()).collect();
    all.sort();
    assert_eq!(reasons, all);
    assert_eq!(
        keys(&r["changes"]),
        [
            "prompts",
            "prompts_per_user_day",
            "blocked",
            "max_prompts_in_hour",
            "mfa_challenges",
            "mfa_challenges_per_user_day",
            "max_prompts_and_mfa_in_hour",
            "report_only_findings",
            "users_prompts_rose",
            "users_prompts_fell",
            "users_newly_blocked",
            "users_no_longer_blocked",
            "largest",
            "by_user_app",
        ]
    );
    assert_eq!(
        keys(&r["changes"]["by_user_app"][0]),
        [
            "scenario",
            "user",
            "app",
            "prompts_before",
            "prompts_after",
            "change",
            "blocked_before",
            "blocked_after",
            "reasons_before",
            "reasons_after",
            "reasons",
        ]
    );
    // report-only.yaml's own policies are replaced: no report-only findings either way.
    assert_eq!(num(&r, "baseline.report_only.findings"), 0.0);
    // Its report-only policies, used as the proposed set, are counted.
    let own = s.write(
        "report-only.yaml",
        "\
- { name: Proposed SIF 1 hour, state: report_only, users: all, apps: all, session: { sign_in_frequency: 1h } }
- { name: Proposed block, state: report_only, users: all, apps: [azure_portal], grant: block }
",
    );
    let r = diff_json(&none, &own, &[&repo("scenarios/report-only.yaml")]);
    assert_eq!(num(&r, "proposed.prompts"), 0.0, "report-only changes nothing");
    assert_eq!(num(&r, "proposed.report_only.interrupted"), 1.0);
    assert_eq!(num(&r, "proposed.report_only.failure"), 1.0);
    assert_eq!(num(&r, "proposed.report_only.findings"), 2.0);
    assert_eq!(num(&r, "changes.report_only_findings"), 2.0);
}

fn fail_if(expr: &str) -> Output {
    let s = Scratch::new(&format!(
        "failif-{:x}",
        expr.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b.into()))
    ));
    let (none, sif) = (std::path::PathBuf::from(NO_POLICY), s.write("sif.yaml", SIF_1H));
    let scenario = repo("scenarios/example-1-continuous-work.yaml");
    casim(&["diff", "--baseline", p(&none), "--proposed", p(&sif), p(&scenario), "--fail-if", expr])
}

#[test]
fn fail_if_true_exits_1_and_says_which_condition_held() {
    let out = fail_if("prompts_per_user_day.p95 > 0.5 or users_newly_blocked > 0");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("the condition holds"), "{err}");
    assert!(err.contains("true   prompts_per_user_day.p95 > 0.5    (1 > 0.5)"), "{err}");
    assert!(err.contains("false  users_newly_blocked > 0    (0 > 0)"), "{err}");
    assert!(err.contains("prompts_per_user_day.p95 = proposed.prompts_per_user_day.p95 = 1"), "{err}");
    // The report is still printed.
    assert!(stdout(&out).contains("casim diff:"));

    let out = fail_if("proposed.prompts - baseline.prompts >= 1 and not changes.users_prompts_rose == 0");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn fail_if_false_exits_0() {
    let out = fail_if("prompts_per_user_day.p95 > 3");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not hold"), "{}", stderr(&out));
    let out = fail_if("(max_prompts_in_hour > 1 or baseline.prompts > 0) and 2 * changes.prompts > 10");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn fail_if_unknown_field_exits_2_with_the_fields_and_a_suggestion() {
    let out = fail_if("prompts_per_user_day.p59 > 3");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--fail-if:1:1: unknown field `prompts_per_user_day.p59`"), "{err}");
    assert!(err.contains("did you mean `prompts_per_user_day.p95`?"), "{err}");
    assert!(err.contains("fields of `baseline.` and `proposed.`:"), "the list of fields: {err}");
    assert!(err.contains("prompts_per_user_day.median"), "{err}");
    assert!(err.contains("fields of `changes.`:"), "{err}");
    assert!(err.contains("users_newly_blocked"), "{err}");
    assert!(stdout(&out).is_empty(), "nothing runs: {}", stdout(&out));
}

#[test]
fn fail_if_syntax_error_exits_2_with_the_column() {
    let out = fail_if("prompts > 3 &&");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--fail-if:1:13:"), "{err}");
    assert!(err.contains("write `and`"), "{err}");
    let out = fail_if("(prompts > 3");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("expected `)`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--fail-if:1:13:"), "{}", stderr(&out));
    let out = fail_if("prompts");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a condition"), "{}", stderr(&out));
}

#[test]
fn a_missing_policy_file_or_scenario_is_input_error_2() {
    let s = Scratch::new("missing");
    let sif = s.write("sif.yaml", SIF_1H);
    let scenario = repo("scenarios/example-1-continuous-work.yaml");
    let out = casim(&["diff", "--baseline", "nope.yaml", "--proposed", p(&sif), p(&scenario)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.yaml"), "{}", stderr(&out));
    let out = casim(&["diff", "--baseline", p(&sif), "--proposed", p(&sif), "no-such-dir/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-dir"), "{}", stderr(&out));
}

/// A `population:` scenario is diffed member by member: the numbers equal
/// those of the same population written out by `casim generate`.
#[test]
fn a_population_gives_the_numbers_of_its_generated_file() {
    let s = Scratch::new("population");
    let (none, sif) = (std::path::PathBuf::from(NO_POLICY), s.write("sif.yaml", SIF_1H));
    let generated = s.dir.join("generated.yaml");
    let out = casim(&[
        "generate",
        "--persona",
        "office_worker",
        "--users",
        "30",
        "--days",
        "14",
        "--seed",
        "11",
        "-o",
        p(&generated),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let compact = diff_json(&none, &sif, &[&repo("scenarios/population-office.yaml")]);
    let written = diff_json(&none, &sif, &[&generated]);
    for field in [
        "proposed.users",
        "proposed.user_days",
        "proposed.prompts",
        "proposed.prompts_per_user_day.mean",
        "proposed.prompts_per_user_day.p95",
        "proposed.max_prompts_in_hour",
        "baseline.prompts",
        "changes.users_prompts_rose",
    ] {
        assert_eq!(num(&compact, field), num(&written, field), "{field}");
    }
    assert_eq!(num(&compact, "proposed.users"), 30.0);
    // Weekdays only, less days off: fewer user-days than 30 x 14, more than 30 x 8.
    let days = num(&compact, "proposed.user_days");
    assert!(days > 240.0 && days < 420.0, "{days}");
    assert!(num(&compact, "proposed.prompts") > 0.0);
    assert_eq!(
        compact["changes"]["by_user_app"].as_array().map(Vec::len),
        written["changes"]["by_user_app"].as_array().map(Vec::len)
    );
}

#[test]
fn help_explains_fail_if_with_examples() {
    let out = casim(&["diff", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Examples:"), "{text}");
    assert!(text.contains("casim diff --baseline"), "{text}");
    assert!(text.contains("--fail-if 'prompts_per_user_day.p95 > 3'"), "{text}");
    assert!(text.contains("docs/diff.md"), "{text}");
}

/// Ties are grouped: three users whose SharePoint prompts rose by the same change
/// are one line of the largest changes, and the fourth user's different change
/// keeps its own line (issue 15: "largest changes groups identical changes").
#[test]
fn identical_changes_are_one_line_of_the_largest_changes() {
    let s = Scratch::new("diff-groups");
    let mut yaml = String::from("name: ties\nusers:\n");
    for u in ["ann", "ben", "cat", "dan"] {
        yaml.push_str(&format!("  {u}: {{}}\n"));
    }
    yaml.push_str("devices:\n");
    for u in ["ann", "ben", "cat", "dan"] {
        yaml.push_str(&format!("  {u}-pc: {{ owner: {u}, join: entra_joined, browser: edge }}\n"));
    }
    yaml.push_str("timeline:\n");
    for u in ["ann", "ben", "cat"] {
        yaml.push_str(&format!("  - {{ at: \"08:00\", do: sign_in_device, device: {u}-pc }}\n"));
        yaml.push_str(&format!(
            "  - {{ at: \"08:00\", do: use, device: {u}-pc, app: sharepoint, client: browser, until: \"11:30\" }}\n"
        ));
    }
    yaml.push_str("  - { at: \"08:00\", do: sign_in_device, device: dan-pc }\n");
    yaml.push_str(
        "  - { at: \"08:00\", do: use, device: dan-pc, app: sharepoint, client: browser, until: \"09:30\" }\n",
    );
    let scenario = s.write("ties.yaml", &yaml);
    let proposed = s.write("sif.yaml", SIF_1H);
    let out = casim(&["diff", "--baseline", NO_POLICY, "--proposed", p(&proposed), p(&scenario)]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    let section: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("largest changes")).skip(2).take(2).collect();
    assert!(section[0].contains("ann and 2 more") && section[0].contains("sharepoint"), "{text}");
    assert!(section[1].contains(" dan ") && !section[1].contains("more"), "{text}");
    let json = diff_json(Path::new(NO_POLICY), &proposed, &[&scenario]);
    assert_eq!(json["changes"]["largest"].as_array().map(Vec::len), Some(4), "JSON keeps every row");
}
