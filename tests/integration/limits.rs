//! Issue 9, input limits: no input makes casim panic, run unbounded or grow
//! without bound. Every limit's error names the file, line and column (or the
//! flag), the limit, and how to raise it (docs/limits.md).

use std::process::Output;

use crate::common::{Scratch, casim};

/// Folds miette's gutter and wrapping away so that phrases can be searched.
fn flat(text: &str) -> String {
    text.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts exit status 2 and nothing on stdout; returns stderr, flattened.
fn refused(args: &[&str]) -> String {
    let output: Output = casim(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "casim {args:?} should exit 2; stderr:\n{stderr}");
    assert!(
        output.stdout.is_empty(),
        "no output on refused input; stdout:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    flat(&stderr)
}

/// A minified Graph export of `n` policies on one line, the last with
/// `builtInControls` misspelled, so that the error is past column 65,535.
fn one_line_export(min_len: usize) -> String {
    let policy = |i: usize, grant: &str| {
        format!(
            r#"{{"id":"7359d0e0-d8a9-4afa-8a93-{i:012}","displayName":"Policy {i}","state":"enabled","conditions":{{"clientAppTypes":["all"],"applications":{{"includeApplications":["All"]}},"users":{{"includeUsers":["All"]}}}},"grantControls":{{"operator":"OR","{grant}":["mfa"]}}}}"#
        )
    };
    let mut policies = Vec::new();
    while policies.iter().map(String::len).sum::<usize>() < min_len {
        policies.push(policy(policies.len(), "builtInControls"));
    }
    policies.push(policy(policies.len(), "bultInControls"));
    format!(r#"{{"value":[{}]}}"#, policies.join(","))
}

#[test]
fn an_error_past_column_65535_of_a_one_line_export_is_shown_in_a_window() {
    let scratch = Scratch::new("limits-long-json");
    let text = one_line_export(100_000);
    let column = text.find(r#""bultInControls""#).expect("the typo is there") + 1;
    assert!(column > 100_000, "the typo must be past u16 columns: {column}");
    let file = scratch.write_arg("export.json", &text);
    let stderr = refused(&["policies", "show", &file]);
    assert!(stderr.contains(&format!("export.json:1:{column}:")), "{stderr}");
    assert!(stderr.contains("did you mean `builtInControls`?"), "{stderr}");
    // The line is shown cut around the typo, not 100,000 characters wide.
    assert!(stderr.contains(r#"…"#) && stderr.contains(r#""bultInControls":["mfa"]"#), "{stderr}");
    assert!(stderr.len() < 2_000, "the report shows a window, not the whole line: {} bytes", stderr.len());
}

#[test]
fn an_error_past_column_65535_of_a_yaml_line_is_shown_in_a_window() {
    let scratch = Scratch::new("limits-long-yaml");
    let long = "x".repeat(100_000);
    let file = scratch
        .write_arg("long.yaml", &format!("name: t\nusers:\n  alice: {{ upn: \"{long}\", bogus: 1 }}\ntimeline: []\n"));
    let stderr = refused(&["validate", &file]);
    let column = "  alice: { upn: \"".len() + long.len() + "\", ".len() + 1;
    assert!(stderr.contains(&format!("long.yaml:3:{column}: unknown key `bogus`")), "{stderr}");
    assert!(stderr.contains("bogus: 1 }"), "{stderr}");
    assert!(stderr.len() < 2_000, "{} bytes", stderr.len());
}

const HEAD: &str = "\
name: t
users:
  alice: {}
devices:
  laptop: { owner: alice, join: entra_joined }
";

/// Runs `casim run` on HEAD + `rest`, which must be refused within seconds;
/// returns stderr, flattened.
fn run_refused(label: &str, rest: &str) -> String {
    let scratch = Scratch::new(label);
    let file = scratch.write_arg("s.yaml", &format!("{HEAD}{rest}"));
    let started = std::time::Instant::now();
    let stderr = refused(&["run", &file]);
    assert!(started.elapsed().as_secs() < 10, "refused after {:?}", started.elapsed());
    stderr
}

#[test]
fn nested_repeats_of_nothing_end_at_once() {
    let stderr = run_refused(
        "limits-empty-repeats",
        "timeline:\n  - repeat: { every: 1s, count: 30000000 }\n    steps:\n      - repeat: { every: 1s, count: 4000000000 }\n        steps: []\n",
    );
    assert!(stderr.contains("s.yaml:9:26:") && stderr.contains("`limits.max_span`"), "{stderr}");
    // Within the span, a repeat of nothing is no work at all.
    let scratch = Scratch::new("limits-empty-ok");
    let file = scratch.write_arg(
        "s.yaml",
        &format!("{HEAD}timeline:\n  - repeat: {{ every: 1s, count: 30000 }}\n    steps:\n      - repeat: {{ every: 1s, count: 1000 }}\n        steps: []\n"),
    );
    assert_eq!(casim(&["validate", &file]).status.code(), Some(0));
}

#[test]
fn expanded_steps_are_counted_before_expanding() {
    let stderr = run_refused(
        "limits-steps",
        "timeline:\n  - repeat: { every: 1s, count: 4000 }\n    steps:\n      - repeat: { every: 1s, count: 4000 }\n        steps:\n          - { at: \"00:00\", do: lock, device: laptop }\n",
    );
    assert!(stderr.contains("s.yaml:7:33: the timeline expands to 16000000 steps"), "{stderr}");
    assert!(stderr.contains("limit of 1000000 (`limits.max_steps`)"), "{stderr}");
    assert!(stderr.contains("limits: { max_steps: 16000000 }"), "{stderr}");
}

#[test]
fn a_repeat_whose_every_overflows_is_refused_not_wrapped() {
    let stderr = run_refused(
        "limits-overflow",
        "timeline:\n  - repeat: { every: 106751991167300d, count: 3 }\n    steps:\n      - { at: \"00:00\", do: lock, device: laptop }\n",
    );
    assert!(stderr.contains("s.yaml:7:22: `every: 106751991167300d` × `count: 3` runs past"), "{stderr}");
}

#[test]
fn a_use_from_year_0_to_9999_is_past_the_span() {
    let stderr = run_refused(
        "limits-span",
        "start: 0000-01-01T00:00:00Z\ntimeline:\n  - { at: \"00:00\", do: use, device: laptop, app: sharepoint, until: \"9999-12-31T23:59:59Z\" }\n",
    );
    assert!(stderr.contains("s.yaml:8:69: `until`"), "{stderr}");
    assert!(stderr.contains("past the limit of 400d (`limits.max_span`)"), "{stderr}");
    let raised = run_refused(
        "limits-span-raised",
        "limits: { max_span: 10d }\ntimeline:\n  - { at: \"11d 00:00\", do: lock, device: laptop }\n",
    );
    assert!(raised.contains("past the limit of 10d") && raised.contains("max_span: 11d"), "{raised}");
}

#[test]
fn instants_past_year_9999_and_steps_before_start_are_refused() {
    let late = run_refused(
        "limits-y10k",
        "start: 9999-12-31T00:00:00Z\ntimeline:\n  - { at: \"00:00\", do: use, device: laptop, app: sharepoint, until: \"2d 00:00\" }\n",
    );
    assert!(late.contains("s.yaml:8:69: `2d 00:00` is outside the years 0000 to 9999"), "{late}");
    let offset = run_refused("limits-offset", "start: 9999-12-31T23:00:00-05:00\ntimeline: []\n");
    assert!(offset.contains("s.yaml:6:8:") && offset.contains("outside the years 0000 to 9999"), "{offset}");
    let before =
        run_refused("limits-before", "timeline:\n  - { at: \"2026-01-01T00:00:00Z\", do: lock, device: laptop }\n");
    assert!(before.contains("s.yaml:7:11: `at` (2026-01-01T00:00:00Z) is before the scenario's `start`"), "{before}");
}

#[test]
fn access_tokens_live_10_minutes_to_a_day_as_in_entra() {
    let stderr = run_refused(
        "limits-token",
        "settings: { access_token_lifetime: 1s }\ntimeline:\n  - { at: \"00:00\", do: use, device: laptop, app: sharepoint, until: \"300d 00:00\" }\n",
    );
    assert!(stderr.contains("s.yaml:6:36: `access_token_lifetime: 1s` is outside Entra's range"), "{stderr}");
    let stderr = run_refused("limits-token-long", "settings: { access_token_lifetime: 2d }\ntimeline: []\n");
    assert!(stderr.contains("10m to 1d"), "{stderr}");
}

#[test]
fn the_engine_stops_at_the_event_cap_with_an_error() {
    let stderr = run_refused(
        "limits-events",
        "limits: { max_events: 1000 }\ntimeline:\n  - { at: \"00:00\", do: use, device: laptop, app: sharepoint, until: \"300d 00:00\" }\n",
    );
    assert!(stderr.contains("s.yaml: the simulation stopped at"), "{stderr}");
    assert!(stderr.contains("it processed 1000 events, the limit (`limits.max_events`)"), "{stderr}");
    assert!(stderr.contains("limits: { max_events: 2000 }"), "{stderr}");
    // `report` writes no page from a stopped run.
    let scratch = Scratch::new("limits-events-report");
    let file = scratch.write_arg(
        "s.yaml",
        &format!("{HEAD}limits: {{ max_events: 1000 }}\ntimeline:\n  - {{ at: \"00:00\", do: use, device: laptop, app: sharepoint, until: \"300d 00:00\" }}\n"),
    );
    let page = scratch.dir.join("r.html");
    let stderr = refused(&["report", &file, "-o", &page.display().to_string()]);
    assert!(stderr.contains("the simulation stopped at"), "{stderr}");
    assert!(!page.exists(), "no page from an incomplete run");
    let zero = run_refused("limits-zero", "limits: { max_steps: 0 }\ntimeline: []\n");
    assert!(zero.contains("`limits.max_steps` must be at least 1"), "{zero}");
}

#[test]
fn fail_if_nesting_is_refused_before_it_overflows_the_stack() {
    for (expr, wanted) in [
        (format!("{}1 > 0{}", "(".repeat(3_000), ")".repeat(3_000)), "limit of 1000"),
        (format!("{}1 > 0", "-".repeat(200)), "more than 64 levels"),
    ] {
        let flag = format!("--fail-if={expr}");
        let output = casim(&["diff", "--baseline", "a.yaml", "--proposed", "b.yaml", "x/", &flag]);
        let stderr = flat(&String::from_utf8_lossy(&output.stderr));
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("--fail-if") && stderr.contains(wanted), "{stderr}");
    }
}

#[test]
fn deeply_nested_yaml_and_json_are_refused_with_the_limit() {
    let scratch = Scratch::new("limits-deep");
    let yaml = scratch.write_arg(
        "deep.yaml",
        &format!("name: t\nusers: {{ alice: {{}} }}\ntimeline: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let stderr = refused(&["validate", &yaml]);
    assert!(stderr.contains("deep.yaml:3:") && stderr.contains("64 levels"), "{stderr}");
    let json = scratch.write_arg("deep.json", &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
    let stderr = refused(&["policies", "show", &json]);
    assert!(stderr.contains("deep.json:1:") && stderr.contains("128 levels"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn folder_walks_list_each_file_once_through_symlink_loops() {
    let scratch = Scratch::new("limits-symlinks");
    let sub = scratch.dir.join("a");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::write(sub.join("s.yaml"), format!("{HEAD}timeline: []\n")).expect("write");
    std::os::unix::fs::symlink("..", sub.join("up")).expect("symlink");
    std::os::unix::fs::symlink("../a", sub.join("again")).expect("symlink");
    std::os::unix::fs::symlink("s.yaml", sub.join("t.yaml")).expect("symlink");
    let dir = scratch.dir.display().to_string();
    let output = casim(&["validate", &dir, &dir]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout.lines().filter(|l| l.starts_with("valid")).count(), 1, "{stdout}");
}
