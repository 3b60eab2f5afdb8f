//! Populations summarised by group (issue 15, item 3): `casim run` prints a
//! population's summary and its tables by persona, group, join type and
//! platform unless `--every-prompt`; `diff` and `report` count the same groups.

use serde_json::Value;

use super::common::{Scratch, casim, ok};

/// Three users: alice in two groups, bob in one, carol in none and without a
/// persona; one device each. Under SIF 1h alice and bob see 3 prompts on one
/// day, carol 2 and then 3 on two days (the `--every-prompt` list below).
const GROUPS: &str = r#"name: groups
users:
  alice: { persona: analyst, groups: [finance, sales] }
  bob: { persona: analyst, groups: [finance] }
  carol: {}
devices:
  laptop: { owner: alice, join: entra_joined, platform: windows, browser: edge }
  phone: { owner: bob, join: registered, platform: iOS }
  kiosk: { owner: carol, join: unregistered, platform: windows, browser: edge }
policies:
  - { name: SIF 1h, users: all, apps: all, session: { sign_in_frequency: 1h } }
timeline:
  - { at: "00:00", do: sign_in_device, device: laptop }
  - { at: "00:00", do: use, device: laptop, app: sharepoint, client: browser, until: "03:30" }
  - { at: "00:00", do: use, device: phone, app: exchange, client: mobile, until: "02:30" }
  - { at: "00:00", do: use, device: kiosk, app: sharepoint, client: browser, until: "01:30" }
  - { at: "1d 00:00", do: use, device: kiosk, app: sharepoint, client: browser, until: "1d 02:30" }
"#;

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("JSON")
}

/// The row of `value` in a `by_group` list.
fn group<'a>(list: &'a Value, value: &str) -> &'a Value {
    list.as_array().and_then(|l| l.iter().find(|g| g["value"] == value)).unwrap_or_else(|| panic!("{value} in {list}"))
}

#[test]
fn a_scenario_with_personas_prints_its_summary_by_group() {
    let s = Scratch::new("groups-run");
    let file = s.write_arg("groups.yaml", GROUPS);
    let text = ok(&["run", &file]);
    assert!(!text.contains("TIME "), "no table of prompts:\n{text}");
    assert!(text.contains("population: 3 users, 4 user-days\n"), "{text}");
    assert!(
        text.contains("prompts: 11 (3 users prompted); per user-day: mean 2.75, median 3, p95 3, max 3\n"),
        "{text}"
    );
    assert!(text.contains("prompts by reason: no_session 2, sign_in_frequency 9\n"), "{text}");
    for (title, row) in [
        ("by persona:", "  analyst           2          2        6             3     3    3         2    0        0"),
        ("by persona:", "  (no persona)      1          2        5           2.5  2.95    3         1    0        0"),
        ("by group:", "  finance         2          2        6             3     3    3         2    0        0"),
        ("by group:", "  sales           1          1        3             3     3    3         1    0        0"),
        (
            "by device join type:",
            "  unregistered          1          2        5           2.5  2.95    3         1    0        0",
        ),
        (
            "by device platform:",
            "  windows              2          3        8         2.667    3    3         2    0        0",
        ),
    ] {
        let table = text.split(title).nth(1).unwrap_or_else(|| panic!("{title} in\n{text}"));
        let table = table.split("\n\n").next().unwrap_or_default();
        assert!(table.lines().any(|l| l == row), "{row:?} under {title}\n{text}");
    }
    assert!(text.contains("--every-prompt lists every prompt"), "{text}");

    let every = ok(&["run", &file, "--every-prompt"]);
    assert!(every.starts_with("== groups"), "{every}");
    assert_eq!(every.lines().filter(|l| l.contains("sign-in frequency 1h exceeded")).count(), 9, "{every}");
    assert!(!every.contains("by persona:"), "{every}");
}

#[test]
fn the_json_summary_agrees_with_the_prompts_it_keeps() {
    let s = Scratch::new("groups-json");
    let file = s.write_arg("groups.yaml", GROUPS);
    let run = json(&["run", &file, "--format", "json"]);
    let prompts = run["prompts"].as_array().expect("the contract's prompts stay");
    let of = |users: &[&str]| prompts.iter().filter(|p| users.iter().any(|u| p["user"] == *u)).count();
    let summary = &run["summary"];
    assert_eq!(summary["prompts"], prompts.len());
    assert_eq!(summary["users"], 3);
    assert_eq!(summary["user_days"], 4);
    assert_eq!(summary["prompts_by_reason"]["sign_in_frequency"], 9);
    let by = &summary["by_group"];
    assert_eq!(group(&by["persona"], "analyst")["prompts"], of(&["alice", "bob"]));
    assert_eq!(group(&by["persona"], "(no persona)")["prompts"], of(&["carol"]));
    assert_eq!(group(&by["group"], "finance")["prompts"], of(&["alice", "bob"]));
    assert_eq!(group(&by["group"], "sales")["users"], 1);
    assert_eq!(group(&by["join"], "registered")["prompts"], of(&["bob"]));
    assert_eq!(group(&by["platform"], "windows")["prompts_per_user_day"]["max"], 3.0);

    // A scenario without personas lists its prompts and has no summary.
    let plain = GROUPS.replace("persona: analyst, ", "");
    let plain = s.write_arg("plain.yaml", &plain);
    assert!(json(&["run", &plain, "--format", "json"]).get("summary").is_none());
    assert!(ok(&["run", &plain]).starts_with("== groups"));
    assert!(ok(&["run", &plain]).contains("TIME "));
}

#[test]
fn diff_and_report_count_each_group_under_both_policy_sets() {
    let s = Scratch::new("groups-diff");
    let file = s.write_arg("groups.yaml", GROUPS);
    let sif4 =
        s.write_arg("sif4.yaml", "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n");
    let sif1 =
        s.write_arg("sif1.yaml", "- { name: SIF 1h, users: all, apps: all, session: { sign_in_frequency: 1h } }\n");
    let diff = json(&["diff", "--baseline", &sif4, "--proposed", &sif1, &file, "--format", "json"]);
    let personas = &diff["by_group"]["persona"];
    let total: u64 = personas.as_array().unwrap().iter().map(|g| g["proposed"]["prompts"].as_u64().unwrap()).sum();
    assert_eq!(total, diff["proposed"]["prompts"].as_u64().unwrap(), "personas partition the users");
    let analyst = group(personas, "analyst");
    assert_eq!(analyst["proposed"]["prompts"], 6);
    let change = analyst["proposed"]["prompts"].as_i64().unwrap() - analyst["baseline"]["prompts"].as_i64().unwrap();
    assert_eq!(analyst["change"]["prompts"], change);
    let text = ok(&["diff", "--baseline", &sif4, "--proposed", &sif1, &file]);
    assert!(text.contains("by persona:\n  PERSONA "), "{text}");

    let page = s.path_arg("report.html");
    ok(&["report", &file, "-o", &page]);
    let html = std::fs::read_to_string(&page).expect("the report");
    assert!(html.contains("<h3>By persona</h3>"), "a table by persona in the report");
    assert!(html.contains("<td>analyst</td><td>2</td><td>6</td>"), "analyst's row");
}

#[test]
fn population_shards_merge_into_the_summary_and_every_prompt() {
    let s = Scratch::new("groups-merge");
    let population = s.write_arg(
        "mixed.yaml",
        "name: mixed\nseed: 2\npopulation: { personas: { office_worker: 4, hybrid_worker: 4, frontline_worker: 3 }, days: 2 }\npolicies:\n  - { name: SIF 8h, users: all, apps: all, session: { sign_in_frequency: 8h } }\n",
    );
    for extra in [&[][..], &["--every-prompt"][..]] {
        let mut run = vec!["run", population.as_str()];
        run.extend_from_slice(extra);
        let whole = ok(&run);
        assert_eq!(whole.contains("by persona:"), extra.is_empty(), "{whole}");
        let mut files = Vec::new();
        for k in 1..=3 {
            let shard = format!("{k}/3");
            let mut args = run.clone();
            args.extend(["--format", "partial", "--shard", &shard]);
            let name = format!("{}-{k}.partial", extra.len());
            files.push(s.write_arg(&name, &ok(&args)));
        }
        let mut merge = vec!["merge"];
        merge.extend(files.iter().map(String::as_str));
        assert_eq!(ok(&merge), whole, "{extra:?}");
    }
    let mixed: Vec<String> = ["0-1.partial", "0-2.partial", "1-3.partial"].iter().map(|f| s.path_arg(f)).collect();
    let mut merge = vec!["merge"];
    merge.extend(mixed.iter().map(String::as_str));
    let out = casim(&merge);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--every-prompt"), "{stderr}");
}
