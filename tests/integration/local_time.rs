//! `timezone:` (issue 15): times read and written on the scenario's local
//! clock across daylight saving changes, personas' schedules on that clock,
//! and JSON that keeps UTC `at` beside the local time.

use casim::time::{HOUR, parse_rfc3339};

use crate::common::{Scratch, casim, scenario, simulated};

fn at(text: &str) -> i64 {
    parse_rfc3339(text).unwrap()
}

/// A persona with no jitter, days off or sick days: its day starts at 09:00 exactly.
const PUNCTUAL: &str = r#"- name: punctual
  devices: { pc: { join: entra_joined, platform: windows, browser: edge } }
  schedule: { days: [mon, tue, wed, thu, fri], start: "09:00", day_off_share: 0, sick_share: 0 }
  routine:
    - { at: "00:00", do: sign_in_device, device: pc }
    - { at: "00:00", do: use, device: pc, app: sharepoint, client: browser, until: "08:00" }
    - { at: "08:00", do: sign_out_device, device: pc }
"#;

/// The instants of a generated user's `sign_in_device` steps, from the YAML
/// `casim generate` would write for them.
fn sign_ins(population_yaml: &str) -> Vec<i64> {
    let s = Scratch::new("tz-population");
    s.write("personas.yaml", PUNCTUAL);
    let path = s.write("p.yaml", population_yaml);
    let sc = casim::scenario::load(&path).unwrap_or_else(|e| panic!("{}", e.render()));
    let population = sc.population.clone().expect("a population");
    let yaml = population.user_scenario_yaml(0, "punctual-0001", sc.seed, sc.start).unwrap();
    yaml.lines()
        .filter(|l| l.contains("do: sign_in_device"))
        .map(|l| {
            let from = l.find("at: ").expect("an `at`") + 4;
            at(l[from..].split([',', ' ']).next().unwrap().trim_matches('"'))
        })
        .collect()
}

#[test]
fn a_personas_first_sign_in_moves_one_hour_in_utc_across_the_dst_change() {
    // Monday 23 March to Friday 3 April 2026; Paris goes from +01:00 to +02:00 on Sunday 29.
    let yaml = "name: p\ntimezone: Europe/Paris\nstart: 2026-03-23\npopulation: { personas: { punctual: 1 }, personas_file: personas.yaml, days: 12 }\n";
    let times = sign_ins(yaml);
    assert_eq!(times.len(), 10, "ten working days");
    assert_eq!(times[0], at("2026-03-23T08:00:00Z"), "Monday before the change: 09:00 +01:00");
    assert_eq!(times[4], at("2026-03-27T08:00:00Z"), "Friday before the change");
    assert_eq!(times[5], at("2026-03-30T07:00:00Z"), "Monday after the change: 09:00 +02:00");
    assert_eq!(times[9], at("2026-04-03T07:00:00Z"));
    // The population's own zone wins over the scenario's; without any, UTC.
    let yaml = "name: p\ntimezone: Europe/Paris\nstart: 2026-03-23T00:00:00Z\npopulation: { personas: { punctual: 1 }, personas_file: personas.yaml, days: 12, timezone: America/New_York }\n";
    let new_york = sign_ins(yaml);
    // Start is Sunday 22 March 20:00 in New York: its days begin that midnight,
    // and Monday 09:00 -04:00 is 13:00Z (New York changed on 8 March).
    assert_eq!(new_york[0], at("2026-03-23T13:00:00Z"));
    let yaml = "name: p\nstart: 2026-03-23T00:00:00Z\npopulation: { personas: { punctual: 1 }, personas_file: personas.yaml, days: 12 }\n";
    let utc = sign_ins(yaml);
    assert_eq!((utc[0], utc[5]), (at("2026-03-23T09:00:00Z"), at("2026-03-30T09:00:00Z")));
}

#[test]
fn start_is_a_local_date_and_defaults_to_local_midnight() {
    let body = "users: { alice: {} }\ndevices: { pc: { owner: alice, join: entra_joined } }\ntimeline: []\n";
    let paris = |start: &str| scenario(&format!("name: t\ntimezone: Europe/Paris\n{start}{body}")).start;
    assert_eq!(paris(""), at("2026-01-04T23:00:00Z"), "Monday 5 January 2026, 00:00 in Paris");
    assert_eq!(paris("start: 2026-03-30\n"), at("2026-03-29T22:00:00Z"));
    assert_eq!(paris("start: \"2026-03-30 08:00\"\n"), at("2026-03-30T06:00:00Z"));
    assert_eq!(paris("start: 2026-03-30T08:00:00Z\n"), at("2026-03-30T08:00:00Z"), "an instant is an instant");
    assert_eq!(scenario(&format!("name: t\n{body}")).start, casim::time::DEFAULT_START, "UTC as before");
}

#[test]
fn a_daily_repeat_keeps_the_local_clock_across_the_change() {
    let (sc, _) = simulated(
        r#"name: t
timezone: Europe/Paris
start: 2026-03-27
users: { alice: {} }
devices: { pc: { owner: alice, join: entra_joined } }
timeline:
  - repeat: { every: 1d, count: 4 }
    steps:
      - { at: "09:00", do: sign_in_device, device: pc }
      - { at: "17:00", do: sign_out_device, device: pc }
"#,
        false,
    );
    let sign_ins: Vec<i64> = sc.steps.iter().step_by(2).map(|s| s.at).collect();
    // Friday and Saturday at +01:00, Sunday and Monday at +02:00.
    assert_eq!(
        sign_ins,
        [
            at("2026-03-27T08:00:00Z"),
            at("2026-03-28T08:00:00Z"),
            at("2026-03-29T07:00:00Z"),
            at("2026-03-30T07:00:00Z")
        ]
    );
    assert_eq!(sc.steps[5].at - sc.steps[4].at, 8 * HOUR);
}

#[test]
fn json_keeps_utc_at_and_adds_the_local_time_only_with_a_timezone() {
    let out = casim(&["run", &crate::common::repo("scenarios/timezone-paris-dst.yaml"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["timezone"], "Europe/Paris");
    let prompts = json["prompts"].as_array().unwrap();
    assert_eq!(prompts[0]["at"], "2026-03-26T13:45:00Z");
    assert_eq!(prompts[0]["local_at"], "2026-03-26T14:45:00+01:00");
    assert_eq!(prompts[1]["at"], "2026-03-30T12:45:00Z");
    assert_eq!(prompts[1]["local_at"], "2026-03-30T14:45:00+02:00");

    let out = casim(&["run", &crate::common::repo("scenarios/example-3-scenario-2.yaml"), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.get("timezone").is_none());
    assert!(json["prompts"][0].get("local_at").is_none(), "{}", json["prompts"][0]);
}

#[test]
fn text_outputs_write_one_local_format_with_its_offset() {
    let file = crate::common::repo("scenarios/timezone-paris-dst.yaml");
    let text = |args: &[&str]| {
        let out = casim(args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let run = text(&["run", &file]);
    assert!(run.contains("\nThu 26 Mar 14:45 +01:00  alice"), "{run}");
    assert!(run.contains("last sign-in Mon 30 Mar 13:45 +02:00"), "{run}");
    let logs = text(&["logs", &file, "--format", "table", "--from", "2026-03-30 09:00"]);
    let first = logs.lines().nth(1).unwrap();
    assert!(first.starts_with("Mon 30 Mar 09:00 +02:00 "), "{logs}");
    let explain = text(&["explain", &file, "--prompt", "2"]);
    assert!(explain.contains("2026-03-30T12:45:00Z (Mon 30 Mar 14:45 +02:00)"), "{explain}");
}

/// docs/scenario-format.md's example of `timezone:` is an excerpt of the bundled
/// scenario (which `casim check` and the snapshots run): each of its lines,
/// comments aside, is a line of that file.
#[test]
fn the_documented_example_is_the_bundled_scenario() {
    let read = |path: &str| std::fs::read_to_string(crate::common::repo(path)).unwrap();
    let doc = read("docs/scenario-format.md");
    let from = doc.find("### Local time (`timezone:`)").expect("the section");
    let block = doc[from..].split("```yaml\n").nth(1).and_then(|b| b.split("```").next()).expect("a YAML block");
    let code = |line: &str| line.split(" #").next().unwrap_or("").trim().to_string();
    let scenario: Vec<String> = read("scenarios/timezone-paris-dst.yaml").lines().map(code).collect();
    for line in block.lines().map(code).filter(|l| !l.is_empty()) {
        assert!(scenario.contains(&line), "`{line}` is not in scenarios/timezone-paris-dst.yaml");
    }
}

#[test]
fn generate_writes_a_population_on_the_local_clock() {
    let s = Scratch::new("tz-generate");
    let file = s.dir.join("g.yaml").display().to_string();
    let args = ["generate", "--persona", "office_worker", "--users", "2", "--days", "1", "--timezone", "Europe/Paris"];
    let out = casim(&[&args[..], &["-o", &file]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\ntimezone: Europe/Paris\n"), "{text}");
    assert!(text.contains("start: \"2026-01-04T23:00:00Z\""), "Monday 00:00 in Paris: {text}");
    let run = casim(&["run", &file]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let wrong = casim(&["generate", "--users", "1", "--days", "1", "--timezone", "Europe/Pari"]);
    assert_eq!(wrong.status.code(), Some(2));
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(err.contains("--timezone: unknown time zone `Europe/Pari`") && err.contains("`Europe/Paris`"), "{err}");
}
