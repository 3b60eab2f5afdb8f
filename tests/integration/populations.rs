//! Populations and `casim generate` never panic: impossible sizes and spans,
//! personas the scenario reader would refuse, and names holding YAML syntax
//! are located errors (exit 2) or are written safely.

use crate::common::{Scratch, casim};

fn stderr_of(args: &[&str]) -> String {
    let out = casim(args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "stdout: {}\nstderr: {stderr}", String::from_utf8_lossy(&out.stdout));
    stderr.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn counts_past_the_cap_are_located_errors_that_name_the_limit() {
    let s = Scratch::new("pop-cap");
    let file = s.write_arg(
        "p.yaml",
        "name: p\npopulation:\n  personas: { office_worker: 18446744073709551615 }\n  days: 4294967295\n",
    );
    let err = stderr_of(&["validate", &file]);
    assert!(err.contains("p.yaml:3:3"), "{err}");
    assert!(err.contains("over the limit of 10000000 user-days"), "{err}");
    assert!(err.contains("CASIM_MAX_USER_DAYS"), "{err}");
}

#[test]
fn days_past_year_9999_are_refused_at_days() {
    let s = Scratch::new("pop-9999");
    let file = s.write_arg("p.yaml", "name: p\npopulation:\n  personas: { office_worker: 1 }\n  days: 3000000\n");
    let err = stderr_of(&["validate", &file]);
    assert!(err.contains("p.yaml:4:9"), "{err}");
    assert!(err.contains("run past 9999-12-31"), "{err}");
}

#[test]
fn generate_refuses_no_users_and_ranges_without_a_working_day() {
    let err = stderr_of(&["generate", "--users", "0", "--days", "3"]);
    assert!(err.contains("--users: the population has no users"), "{err}");
    // 2026-01-05 is a Monday; guests work on Tuesdays and Thursdays.
    let err = stderr_of(&["generate", "--persona", "guest", "--users", "2", "--days", "1"]);
    assert!(err.contains("--days: no persona works"), "{err}");
    let err = stderr_of(&["generate", "--users", "18446744073709551615", "--days", "30"]);
    assert!(err.contains("over the limit"), "{err}");
}

const PERSONA_TAIL: &str = "  devices: { pc: { join: entra_joined } }
  schedule: { days: [mon, tue], start: \"09:00\" }
  routine:
";

#[test]
fn personas_the_scenario_reader_refuses_are_refused_where_they_are_written() {
    let s = Scratch::new("pop-refused");
    let cases = [
        // `use` needs an app: the scenario reader says so, at the step.
        (format!("- name: a\n{PERSONA_TAIL}    - {{ at: \"00:00\", do: use, device: pc }}\n"), "p.yaml:5:7", "app"),
        (
            format!(
                "- name: a\n  apps: {{ x: {{ name: X, app_id: nope }} }}\n{PERSONA_TAIL}    - {{ at: \"00:00\", do: lock, device: pc }}\n"
            ),
            "p.yaml:2:",
            "not a GUID",
        ),
        (
            format!(
                "- name: a\n{PERSONA_TAIL}    - {{ at: \"00:00\", do: lock, device: pc }}\n- name: a\n{PERSONA_TAIL}    - {{ at: \"00:00\", do: lock, device: pc }}\n"
            ),
            "p.yaml:6:9",
            "defined twice",
        ),
        (
            format!("- name: a\n{PERSONA_TAIL}    - {{ at: \"00:00\", do: lock, device: pc, jitter: 2d }}\n"),
            "p.yaml:5:",
            "longer than the limit of 1d",
        ),
    ];
    for (text, at, says) in cases {
        let file = s.write_arg("p.yaml", &text);
        let err = stderr_of(&["generate", "--personas", &file, "--users", "2", "--days", "7"]);
        assert!(err.contains(at) && err.contains(says), "expected {at} and {says:?}:\n{err}\n{text}");
    }
}

#[test]
fn names_holding_yaml_syntax_do_not_inject_lines() {
    let s = Scratch::new("pop-inject");
    let persona = format!(
        "- name: \"x: y\\n- evil\"\n  user: {{ groups: ['g\\'], roles: ['x\"'] }}\n{PERSONA_TAIL}    - {{ at: \"00:00\", do: sign_in_device, device: pc }}\n"
    );
    let personas = s.write_arg("personas.yaml", &persona);
    let out_file = s.path_arg("out.yaml");
    let out = casim(&["generate", "--personas", &personas, "--users", "3", "--days", "7", "-o", &out_file]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let scenario = casim::scenario::load(std::path::Path::new(&out_file)).unwrap_or_else(|e| panic!("{}", e.render()));
    let ids: Vec<&str> = scenario.users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["x: y\n- evil-0001", "x: y\n- evil-0002", "x: y\n- evil-0003"]);
    assert_eq!(scenario.users[0].groups, ["g\\"]);
    assert_eq!(scenario.users[0].roles, ["x\""]);
    assert_eq!(scenario.steps.len(), 6, "two working days, one step each, three users");
}

/// R-DET-1, issue 11: a population's users run in parallel, chunk by chunk,
/// and their outputs are folded in user order, so `run` (text and JSON) and
/// `diff` print the same bytes on one thread as on several, across chunk
/// boundaries (600 users are three chunks).
#[test]
fn population_outputs_do_not_depend_on_the_thread_count() {
    use casim::engine::Options;
    use casim::report::run::{self, Format};
    let yaml = "name: mixed\nseed: 4\n\
        population: { personas: { office_worker: 100, hybrid_worker: 100, mobile_user: 100, administrator: 100, frontline_worker: 100, guest: 100 }, days: 3 }\n\
        policies:\n  - { name: SIF 8h, users: all, apps: all, session: { sign_in_frequency: 8h } }\n  - { name: MFA, users: all, apps: all, grant: mfa }\n";
    let scenario = casim::scenario::from_str(std::path::Path::new("mixed.yaml"), yaml).expect("a valid population");
    let outputs = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
        pool.install(|| {
            let text = run::render(&scenario, Format::Text, Options::default()).expect("a run");
            let json = run::render(&scenario, Format::Json, Options::default()).expect("a run");
            let mut collector = casim::diff::Collector::new("a", "b");
            casim::diff::simulate_pair(&mut collector, &scenario, &scenario).expect("a diff");
            let diff = serde_json::to_string(&collector.finish().expect("kept rows")).expect("a report");
            (text, json, diff)
        })
    };
    let one = outputs(1);
    assert!(one.0.lines().count() > 600, "the run prompts many users:\n{}", &one.0[..one.0.len().min(500)]);
    assert_eq!(one, outputs(3));
}
