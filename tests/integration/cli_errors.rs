//! The Errors contract of SCENARIO-FORMAT.md, through the `casim` binary: bad
//! input exits with status 2 and a diagnostic that names the file and the
//! `line:column`, says what was expected and suggests the nearest valid word.
//! Also the exit codes of `check`, `validate` on the shipped scenarios, and
//! the examples in `--help`.

use std::path::Path;
use std::process::Output;

use crate::common::{Scratch, casim};

/// The first lines of most bad scenarios below; the line numbers asserted in
/// the tests count from here (the line after this prefix is line 6).
const PREFIX: &str = "\
name: t
users:
  alice: {}
devices:
  laptop: { owner: alice, join: entra_joined }
";

fn scenario(rest: &str) -> String {
    format!("{PREFIX}{rest}")
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("scratch paths are UTF-8")
}

/// miette wraps long lines and draws a gutter (`│`); tests look for phrases,
/// so fold the report into one line with single spaces.
fn flat(text: &str) -> String {
    text.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs `casim <command> <file> [extra...]`, asserts exit status 2 and
/// returns stderr, flattened.
fn input_error(command: &str, file: &Path, extra: &[&str]) -> String {
    let mut args = vec![command, path_arg(file)];
    args.extend_from_slice(extra);
    let output = casim(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "casim {args:?} should exit 2 on bad input; stderr:\n{stderr}");
    assert!(
        output.stdout.is_empty(),
        "bad input must stop before any output; stdout:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    flat(&stderr)
}

/// `run FILE` fails with status 2 pointing at `FILE:line:column`.
fn error_at(file: &Path, line: usize, column: usize) -> String {
    error_at_with(&[], file, line, column)
}

fn error_at_with(extra: &[&str], file: &Path, line: usize, column: usize) -> String {
    let stderr = input_error("run", file, extra);
    let location = format!("{}:{line}:{column}:", file.display());
    assert!(stderr.contains(&location), "expected the error at {location}; stderr:\n{stderr}");
    stderr
}

fn assert_says(stderr: &str, phrases: &[&str]) {
    for phrase in phrases {
        assert!(stderr.contains(phrase), "expected {phrase:?} in the error; stderr:\n{stderr}");
    }
}

// ----- unreadable input -------------------------------------------------------

#[test]
fn a_missing_file_is_named() {
    let scratch = Scratch::new("missing_file");
    let missing = scratch.dir.join("no-such-scenario.yaml");
    for command in ["run", "check", "validate"] {
        let stderr = input_error(command, &missing, &[]);
        assert_says(&stderr, &[&missing.display().to_string(), "no such file"]);
    }
}

#[test]
fn an_unreadable_file_is_named() {
    // Not UTF-8 (nor UTF-16, which has a byte order mark), so it cannot be
    // read as text (permissions do not stop root): the first bad byte is named.
    let scratch = Scratch::new("unreadable_file");
    let file = scratch.write_bytes("s.yaml", b"name: t\xff\xfe\n");
    for command in ["run", "check", "validate"] {
        let stderr = input_error(command, &file, &[]);
        assert_says(&stderr, &[&format!("{}:1:8:", file.display()), "not valid UTF-8", "byte offset 7"]);
    }
}

#[test]
fn a_yaml_syntax_error_points_at_the_unclosed_bracket() {
    let scratch = Scratch::new("yaml_syntax");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: sign_in_device, device: [laptop
",
        ),
    );
    let stderr = error_at(&file, 7, 48);
    assert_says(&stderr, &["unclosed bracket"]);
}

// ----- unknown and duplicate keys ---------------------------------------------

#[test]
fn an_unknown_top_level_key_suggests_timeline() {
    let scratch = Scratch::new("top_level_key");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timelin:
  - { at: \"00:00\", do: sign_in_device, device: laptop }
",
        ),
    );
    let stderr = error_at(&file, 6, 1);
    assert_says(&stderr, &["unknown key `timelin`", "expected one of", "timeline", "did you mean `timeline`?"]);
    // The same diagnostic from every command that reads scenarios.
    for command in ["check", "validate"] {
        let other = input_error(command, &file, &[]);
        assert_says(&other, &[&format!("{}:6:1:", file.display()), "did you mean `timeline`?"]);
    }
}

#[test]
fn an_unknown_key_in_a_step_suggests_device() {
    let scratch = Scratch::new("step_key");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: sign_in_device, devce: laptop }
",
        ),
    );
    let stderr = error_at(&file, 7, 40);
    assert_says(&stderr, &["unknown key `devce`", "expected one of", "did you mean `device`?"]);
}

#[test]
fn a_duplicate_key_is_an_error() {
    let scratch = Scratch::new("duplicate_key");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: sign_in_device, device: laptop, device: laptop }
",
        ),
    );
    // At the second `device`.
    let stderr = error_at(&file, 7, 56);
    assert_says(&stderr, &["duplicate", "device"]);
}

// ----- unknown ids ------------------------------------------------------------

#[test]
fn an_unknown_owner_suggests_the_user() {
    let scratch = Scratch::new("unknown_owner");
    let file = scratch.write(
        "s.yaml",
        "name: t
users:
  alice: {}
devices:
  laptop: { owner: alcie }
timeline:
  - { at: \"00:00\", do: sign_in_device, device: laptop }
",
    );
    let stderr = error_at(&file, 5, 20);
    assert_says(&stderr, &["unknown user `alcie`", "known: alice", "did you mean `alice`?"]);
}

#[test]
fn an_unknown_device_in_a_step_suggests_the_device() {
    let scratch = Scratch::new("unknown_device");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: sign_in_device, device: lapotp }
",
        ),
    );
    let stderr = error_at(&file, 7, 48);
    assert_says(&stderr, &["unknown device `lapotp`", "known: laptop", "did you mean `laptop`?"]);
}

#[test]
fn an_unknown_app_suggests_sharepoint() {
    let scratch = Scratch::new("unknown_app");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: use, device: laptop, app: sharepont }
",
        ),
    );
    let stderr = error_at(&file, 7, 50);
    assert_says(&stderr, &["unknown app `sharepont`", "sharepoint", "did you mean `sharepoint`?"]);
}

#[test]
fn an_unknown_action_suggests_unlock() {
    let scratch = Scratch::new("unknown_action");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: unlok, device: laptop }
",
        ),
    );
    let stderr = error_at(&file, 7, 24);
    assert_says(&stderr, &["unknown action `unlok`", "did you mean `unlock`?"]);
}

#[test]
fn an_unknown_policy_in_set_policy_state_suggests_the_policy() {
    let scratch = Scratch::new("unknown_policy");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "policies:
  - { name: Sign-in frequency 1 hour, users: all, apps: all, session: { sign_in_frequency: 1h } }
timeline:
  - { at: \"00:00\", do: set_policy_state, policy: Sign-in frequency 1 hours, state: disabled }
",
        ),
    );
    let stderr = error_at(&file, 9, 50);
    assert_says(
        &stderr,
        &[
            "unknown policy `Sign-in frequency 1 hours`",
            "known: Sign-in frequency 1 hour",
            "did you mean `Sign-in frequency 1 hour`?",
        ],
    );
}

#[test]
fn an_unknown_reason_in_expect_suggests_the_reason() {
    let scratch = Scratch::new("unknown_reason");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: lock, device: laptop }
expect:
  prompts:
    - { at: \"01:00\", reason: sign_in_frequncy }
",
        ),
    );
    let stderr = error_at(&file, 10, 30);
    assert_says(
        &stderr,
        &["unknown reason `sign_in_frequncy`", "known: sign_in_frequency", "did you mean `sign_in_frequency`?"],
    );
}

// ----- times and durations ----------------------------------------------------

#[test]
fn a_bad_time_explains_the_accepted_forms() {
    let scratch = Scratch::new("bad_time");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"25:00\", do: lock, device: laptop }
",
        ),
    );
    let stderr = error_at(&file, 7, 11);
    assert_says(&stderr, &["`25:00` is not a time", "expected \"HH:MM\"", "\"Nd HH:MM\""]);
}

#[test]
fn a_bad_duration_in_settings_explains_the_accepted_forms() {
    let scratch = Scratch::new("bad_duration");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "settings:
  prt_refresh_interval: 4x
timeline:
  - { at: \"00:00\", do: lock, device: laptop }
",
        ),
    );
    let stderr = error_at(&file, 7, 25);
    assert_says(&stderr, &["`4x` is not a duration", "expected a number and a unit"]);
}

#[test]
fn until_must_be_after_at() {
    let scratch = Scratch::new("until_before_at");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"02:00\", do: use, device: laptop, app: sharepoint, until: \"01:00\" }
  - { at: \"03:00\", do: use, device: laptop, app: sharepoint, until: \"03:00\" }
",
        ),
    );
    // The first offending step, at its `until` value.
    let stderr = error_at(&file, 7, 69);
    assert_says(&stderr, &["`until` (01:00) must be after `at` (02:00)"]);

    // Equal is not after either.
    let file = scratch.write(
        "equal.yaml",
        &scenario(
            "timeline:
  - { at: \"03:00\", do: use, device: laptop, app: sharepoint, until: \"03:00\" }
",
        ),
    );
    let stderr = error_at(&file, 7, 69);
    assert_says(&stderr, &["must be after `at`"]);
}

// ----- ranges and enumerations --------------------------------------------------

fn sif_scenario(value: &str) -> String {
    scenario(&format!(
        "policies:
  - name: p
    users: all
    apps: all
    session:
      sign_in_frequency: {value}
timeline:
  - {{ at: \"00:00\", do: sign_in_device, device: laptop }}
"
    ))
}

#[test]
fn sign_in_frequency_out_of_range_is_an_error() {
    let scratch = Scratch::new("sif_range");
    for value in ["30h", "90m", "0h", "400d"] {
        let file = scratch.write(&format!("sif-{value}.yaml"), &sif_scenario(value));
        let stderr = error_at(&file, 11, 26);
        assert_says(
            &stderr,
            &[&format!("`{value}` is out of range"), "whole hours 1h–23h, whole days 1d–365d, or every_time"],
        );
    }
}

#[test]
fn sign_in_frequency_at_the_ends_of_the_range_is_accepted() {
    let scratch = Scratch::new("sif_edges");
    for value in ["24h", "365d", "1h", "23h", "1d", "every_time"] {
        let file = scratch.write(&format!("sif-{value}.yaml"), &sif_scenario(value));
        let output = casim(&["validate", path_arg(&file)]);
        assert!(
            output.status.success(),
            "sign_in_frequency: {value} should be valid; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn an_unknown_enum_value_suggests_entra_joined() {
    let scratch = Scratch::new("enum_value");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "  desktop: { owner: alice, join: entra_joind }
timeline:
  - { at: \"00:00\", do: lock, device: laptop }
",
        ),
    );
    let stderr = error_at(&file, 6, 34);
    assert_says(
        &stderr,
        &["unknown value `entra_joind`", "expected one of entra_joined", "did you mean `entra_joined`?"],
    );
}

// ----- step fields --------------------------------------------------------------

#[test]
fn a_field_the_action_does_not_take_is_an_error() {
    let scratch = Scratch::new("extra_field");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: lock, device: laptop, until: \"01:00\" }
",
        ),
    );
    // Points at the value of the stray `until` (the key is at column 46).
    let stderr = error_at(&file, 7, 53);
    assert_says(&stderr, &["`lock` does not take `until`", "it takes: device"]);
}

#[test]
fn a_missing_required_field_is_an_error() {
    let scratch = Scratch::new("missing_field");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: use, device: laptop }
",
        ),
    );
    // Points at the step.
    let stderr = error_at(&file, 7, 5);
    assert_says(&stderr, &["`use` needs `app`", "it takes: device, app"]);
}

// ----- device filters -----------------------------------------------------------

fn filter_scenario(rule_line: &str) -> String {
    scenario(&format!(
        "policies:
  - name: p
    users: all
    apps: all
    device_filter:
      mode: exclude
{rule_line}
timeline:
  - {{ at: \"00:00\", do: lock, device: laptop }}
"
    ))
}

#[test]
fn a_device_filter_syntax_error_points_inside_the_rule() {
    let scratch = Scratch::new("device_filter");
    // Single-quoted in a flow map: the rule starts at column 44, after the quote.
    let file = scratch.write(
        "flow.yaml",
        &scenario(
            "policies:
  - name: p
    users: all
    apps: all
    device_filter: { mode: exclude, rule: 'device.trustType -eq \"ServerAD\" -or device.isCompliant -eqq True' }
timeline:
  - { at: \"00:00\", do: lock, device: laptop }
",
        ),
    );
    let stderr = error_at(&file, 10, 99);
    assert_says(
        &stderr,
        &["device filter rule", "expected an operator such as -eq, found `-eqq`", "did you mean `-eq`?"],
    );

    // A plain scalar: no quote to skip.
    let file = scratch.write(
        "plain.yaml",
        &filter_scenario("      rule: device.trustType -eq \"ServerAD\" -or device.isCompliant -eqq True"),
    );
    let stderr = error_at(&file, 12, 68);
    assert_says(&stderr, &["found `-eqq`", "did you mean `-eq`?"]);

    // A folded block scalar: the rule is on the next line.
    let file = scratch.write(
        "folded.yaml",
        &filter_scenario(
            "      rule: >-
        device.trustType -eq \"ServerAD\" -or device.isCompliant -eqq True",
        ),
    );
    let stderr = error_at(&file, 13, 64);
    assert_says(&stderr, &["found `-eqq`", "did you mean `-eq`?"]);
}

#[test]
fn a_device_filter_column_counts_escapes_in_a_double_quoted_rule() {
    // In the file, `\"ServerAD\"` takes two more columns than in the rule
    // text, so `-eqq` is at file column 71 (rule column 56 + 15).
    let scratch = Scratch::new("device_filter_escapes");
    let file = scratch.write(
        "s.yaml",
        &filter_scenario("      rule: \"device.trustType -eq \\\"ServerAD\\\" -or device.isCompliant -eqq True\""),
    );
    let stderr = error_at(&file, 12, 71);
    assert_says(&stderr, &["found `-eqq`", "did you mean `-eq`?"]);
}

// ----- --policies ---------------------------------------------------------------

#[test]
fn a_policies_file_with_an_unknown_key_is_named() {
    let scratch = Scratch::new("policies_file");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: sign_in_device, device: laptop }
",
        ),
    );
    let policies = scratch.write(
        "policies.yaml",
        "- name: p
  users: all
  apps: all
  sesion:
    sign_in_frequency: 1h
",
    );
    let policies_arg = path_arg(&policies);
    for command in ["run", "check", "validate"] {
        let stderr = input_error(command, &file, &["--policies", policies_arg]);
        assert_says(
            &stderr,
            &[
                &format!("{}:4:3:", policies.display()),
                "unknown key `sesion`",
                "expected one of",
                "did you mean `session`?",
            ],
        );
    }
}

#[test]
fn a_policies_file_without_a_policy_a_step_switches_is_an_error_at_the_step() {
    let scratch = Scratch::new("policies_missing_name");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "policies:
  - { name: SIF 1 hour, state: disabled, users: all, apps: all, session: { sign_in_frequency: 1h } }
timeline:
  - { at: \"00:00\", do: set_policy_state, policy: SIF 1 hour, state: enabled }
",
        ),
    );
    let policies = scratch.write("p.yaml", "- { name: SIF 1 hours, users: all, apps: all }\n");
    let stderr = error_at_with(&["--policies", path_arg(&policies)], &file, 9, 1);
    assert_says(&stderr, &["names policy `SIF 1 hour`", "does not define", "did you mean `SIF 1 hours`?"]);
}

#[test]
fn a_repeat_block_with_a_step_key_is_an_error() {
    let scratch = Scratch::new("repeat_stray");
    let file = scratch.write(
        "s.yaml",
        &scenario(
            "timeline:
  - repeat: { every: 1d, count: 2 }
    client: desktop
    steps:
      - { at: \"08:00\", do: unlock, device: laptop }
",
        ),
    );
    let stderr = error_at(&file, 7, 5);
    assert_says(&stderr, &["a repeat block takes only `repeat` and `steps`, not `client`"]);
}

#[test]
fn an_unregistered_device_cannot_be_compliant() {
    let scratch = Scratch::new("unregistered_compliant");
    let file = scratch.write(
        "s.yaml",
        "name: t
users:
  alice: {}
devices:
  home: { owner: alice, compliant: true }
timeline: []
",
    );
    let stderr = error_at(&file, 5, 9);
    assert_says(&stderr, &["unregistered", "cannot be compliant", "entra_joined"]);
}

// ----- check, validate, help ----------------------------------------------------

const PASSING: &str = "\
name: continuous work
users:
  alice: {}
devices:
  laptop: { owner: alice, join: entra_joined, browser: edge }
policies:
  - name: Sign-in frequency 1 hour
    users: all
    apps: all
    session: { sign_in_frequency: 1h }
timeline:
  - { at: \"00:00\", do: sign_in_device, device: laptop }
  - { at: \"00:00\", do: use, device: laptop, app: sharepoint, client: browser, until: \"01:30\" }
expect:
  prompts:
";

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_exits_0_when_every_scenario_passes() {
    let scratch = Scratch::new("check_pass");
    let file = scratch.write(
        "pass.yaml",
        &format!("{PASSING}    - {{ at: \"01:00\", user: alice, app: sharepoint, reason: sign_in_frequency }}\n"),
    );
    let output = casim(&["check", path_arg(&file)]);
    let stdout = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "stdout:\n{stdout}");
    assert!(stdout.starts_with("ok"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 0 failed"), "{stdout}");
}

#[test]
fn check_exits_1_when_an_expectation_is_wrong() {
    let scratch = Scratch::new("check_fail");
    let file = scratch.write(
        "fail.yaml",
        &format!("{PASSING}    - {{ at: \"01:30\", user: alice, app: sharepoint, reason: sign_in_frequency }}\n"),
    );
    let output = casim(&["check", path_arg(&file)]);
    let stdout = stdout_of(&output);
    assert_eq!(output.status.code(), Some(1), "stdout:\n{stdout}");
    assert!(stdout.contains("FAILED"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("0 passed, 1 failed"), "{stdout}");
}

#[test]
fn check_exits_2_on_bad_input() {
    let scratch = Scratch::new("check_bad");
    let file = scratch.write(
        "bad.yaml",
        &scenario(
            "timeline:
  - { at: \"00:00\", do: unlok, device: laptop }
",
        ),
    );
    let stderr = input_error("check", &file, &[]);
    assert_says(&stderr, &[&format!("{}:7:24:", file.display()), "did you mean `unlock`?"]);
}

#[test]
fn validate_accepts_the_shipped_scenarios() {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let output = casim(&["validate", path_arg(&scenarios)]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        stdout_of(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout_of(&output).contains("valid"));
}

#[test]
fn help_shows_examples() {
    for command in ["run", "check", "validate"] {
        let output = casim(&[command, "--help"]);
        assert!(output.status.success(), "casim {command} --help failed");
        let stdout = stdout_of(&output);
        assert!(stdout.contains("Examples"), "casim {command} --help has no examples:\n{stdout}");
        assert!(
            stdout.contains(&format!("casim {command} ")),
            "the examples of casim {command} should use it:\n{stdout}"
        );
    }
}

#[test]
fn generate_writes_a_valid_deterministic_population() {
    let scratch = Scratch::new("generate");
    let a = scratch.dir.join("a.yaml");
    let b = scratch.dir.join("b.yaml");
    for path in [&a, &b] {
        let out = casim(&["generate", "--users", "20", "--days", "7", "--seed", "5", "-o", path_arg(path)]);
        assert_eq!(out.status.code(), Some(0));
    }
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text, std::fs::read_to_string(&b).unwrap(), "same seed, same file");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  office_worker-") && !l.contains("owner:")).count(),
        10,
        "half of the users are office workers"
    );
    let validated = casim(&["validate", path_arg(&a)]);
    assert_eq!(validated.status.code(), Some(0), "{}", String::from_utf8_lossy(&validated.stderr));
    assert!(stdout_of(&validated).contains("20 users"));
}

#[test]
fn generate_rejects_an_unknown_persona_with_a_suggestion() {
    let out = casim(&["generate", "--persona", "offce_worker", "--users", "1", "--days", "1"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = flat(&String::from_utf8_lossy(&out.stderr));
    assert_says(&stderr, &["unknown persona `offce_worker`", "did you mean `office_worker`?"]);
}
