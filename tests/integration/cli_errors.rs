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

// Scenario errors with a file, line and column are data: tests/cli/*.yaml
// (cli_cases.rs). What stays here needs Rust: bytes, missing files, folders.

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
fn check_says_it_skipped_a_file_without_expect() {
    let scratch = Scratch::new("check_skip");
    let file = scratch.write("none.yaml", &scenario("timeline: []\n"));
    let output = casim(&["check", path_arg(&file)]);
    let stdout = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "nothing failed:\n{stdout}");
    let skipped = format!("skipped t ({}): no `expect:` block, nothing to compare", file.display());
    assert_eq!(stdout.lines().next(), Some(skipped.as_str()), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("0 passed, 0 failed"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning: nothing was checked: 1 scenario without an `expect:` block"), "{stderr}");
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

// ----- files in the wrong place and how errors are drawn (issue 15) -------------

#[test]
fn a_scenario_given_as_policies_is_named_as_a_scenario() {
    let work_week = crate::common::repo("scenarios/work-week.yaml");
    let stderr = input_error("run", Path::new(&work_week), &["--policies", &work_week]);
    assert_says(
        &stderr,
        &["work-week.yaml:4:1:", "this is a casim scenario (it has `users:`, `devices:`, `timeline:`)"],
    );
    assert!(!stderr.contains("sequence start"), "no parser jargon: {stderr}");
    let personas = crate::common::repo("examples/my-personas.yaml");
    let stderr = input_error("run", Path::new(&work_week), &["--policies", &personas]);
    assert_says(&stderr, &["my-personas.yaml:3:1:", "this is a persona file", "casim generate --personas FILE"]);
}

#[test]
fn a_policy_list_or_persona_file_among_scenarios_is_named() {
    let s = Scratch::new("wrong-scenarios");
    std::fs::copy(crate::common::repo("examples/policies/current.yaml"), s.dir.join("current.yaml")).unwrap();
    std::fs::copy(crate::common::repo("examples/my-personas.yaml"), s.dir.join("my-personas.yaml")).unwrap();
    let stderr = input_error("validate", &s.dir, &[]);
    assert_says(
        &stderr,
        &[
            "current.yaml:3:1: this YAML file is a list, as casim's policy lists are",
            "give a policy list with --policies FILE",
            "my-personas.yaml:3:1: this is a persona file",
        ],
    );
    assert!(!stderr.contains("expected struct"), "{stderr}");
}

#[test]
fn a_tab_is_shown_where_it_is() {
    let s = Scratch::new("tab");
    let file = s.write("tab.yaml", &scenario("timeline:\n\t- { at: \"00:00\", do: lock, device: laptop }\n"));
    let out = casim(&["run", path_arg(&file)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}:7:1:", file.display())), "the tab's line and column: {stderr}");
    assert!(stderr.contains(" 7 │ →- { at"), "the tab drawn as →: {stderr}");
    assert!(flat(&stderr).contains("line 7 holds a tab (shown as →) at column 1"), "{stderr}");
}

#[test]
fn a_quoted_value_is_underlined_whole() {
    let s = Scratch::new("underline");
    let file = s.write("q.yaml", &scenario("timeline:\n  - { at: \"+1d 09:00\", do: lock, device: laptop }\n"));
    let out = casim(&["run", path_arg(&file)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let source = stderr.lines().find(|l| l.contains("at: \"+1d 09:00\"")).expect("the source line");
    let underline = stderr.lines().find(|l| l.contains('┬')).expect("the underline");
    let (start, len) = (source.find('"').unwrap(), "\"+1d 09:00\"".len());
    let column = source[..start].chars().count();
    let marks: String = underline.chars().skip(column - 1).take(len + 1).collect();
    assert_eq!(marks, " ─────┬─────", "under `\"+1d 09:00\"` exactly:\n{stderr}");
}
