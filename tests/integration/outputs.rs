//! What casim writes, whatever the input (docs/output.md): long names in
//! tables, hostile names in every output, write errors and closed pipes for
//! every command, files written whole, `-o` never overwriting an input, and
//! snapshot files that two scenarios never share.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt as _;

use crate::common::{Scratch, casim};

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scenario whose user, device and location keys, UPN, app name, policy
/// names and scenario name are each 70,000 characters: beyond `u16::MAX`,
/// where Rust's `{:width$}` panics.
fn long_scenario() -> String {
    let long = |c: &str| c.repeat(70_000);
    let (user, device, location) = (long("u"), long("d"), long("l"));
    format!(
        r#"name: "{name}"
start: 2026-01-05T00:00:00Z
named_locations:
  ? "{location}"
  : {{ ip_ranges: [203.0.113.0/24], trusted: true }}
users:
  ? "{user}"
  : {{ upn: "{user}@contoso.com", stay_signed_in: true }}
  bob: {{}}
devices:
  ? "{device}"
  : {{ owner: "{user}", join: entra_joined, platform: windows, browser: edge, ip: 203.0.113.9 }}
  pc: {{ owner: bob, join: entra_joined, platform: windows, browser: edge }}
apps:
  evil: {{ name: "{app}", app_id: 11111111-2222-3333-4444-555555555555 }}
policies:
  - name: "{policy}"
    users: all
    apps: all
    session: {{ sign_in_frequency: 1h }}
  - name: "{report_only}"
    state: report_only
    users: all
    apps: all
    locations: {{ include: ["{location}"] }}
    grant: mfa
timeline:
  - {{ at: "00:00", do: sign_in_device, device: "{device}" }}
  - {{ at: "00:00", do: use, device: "{device}", app: evil, client: browser, until: "03:00" }}
  - {{ at: "00:00", do: sign_in_device, device: pc }}
  - {{ at: "00:00", do: use, device: pc, app: evil, client: browser, until: "03:00" }}
"#,
        name = long("n"),
        app = long("a"),
        policy = long("p"),
        report_only = long("r"),
    )
}

/// Runs casim, asserts it did not panic (`casim`) and exited 0; returns stdout.
fn ok(args: &[&str]) -> String {
    let output = casim(args);
    assert_eq!(output.status.code(), Some(0), "casim {:?}: {}", &args[..2.min(args.len())], text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn names_of_70000_characters_fill_every_table_without_a_panic() {
    let dir = Scratch::new("long-names");
    let file = dir.write_arg("long.yaml", &long_scenario());
    let policies = dir.write_arg(
        "policies.yaml",
        &format!(
            "- name: \"{}\"\n  users: all\n  apps: all\n  session: {{ sign_in_frequency: 2h }}\n",
            "q".repeat(70_000)
        ),
    );
    let user = "u".repeat(70_000);
    let run = ok(&["run", &file]);
    let lines: Vec<&str> = run.lines().collect();
    // The long names are written whole, not cut: nothing is lost.
    let long_row = lines.iter().find(|l| l.starts_with("01:00  u")).expect("the long user's prompt");
    assert!(long_row.contains(&user) && long_row.contains(&"d".repeat(70_000)), "the names are whole");
    // The short rows keep a readable layout: the columns are capped, not 70,000 wide.
    let header = lines[1];
    assert!(header.starts_with("TIME   USER ") && header.len() < 200, "{header}");
    let bob = lines.iter().find(|l| l.starts_with("01:00  bob")).expect("bob's prompt");
    assert_eq!(bob.find("pc"), header.find("DEVICE"), "bob's device sits under DEVICE: {bob:.200}");
    assert!(bob.find("evil").is_some_and(|at| at < 200), "bob's row is not pushed right: {bob:.200}");

    ok(&["check", &file]);
    ok(&["validate", &file]);
    let table = ok(&["logs", &file, "--format", "table"]);
    assert!(table.lines().all(|l| l.chars().count() < 400), "logs tables cut long names to their column");
    ok(&["logs", &file, "--format", "csv"]);
    ok(&["explain", &file, "--prompt", "1"]);
    ok(&["policies", "show", &file]);
    ok(&["policies", "lint", &file]);
    let whatif = ok(&["whatif", "--scenario", &file, "--user", &user, "--app", "evil"]);
    assert!(whatif.contains(&"p".repeat(70_000)), "What If lists the long policy by its whole name");
    let diff = ok(&["diff", "--baseline", &policies, "--proposed", &policies, &file]);
    assert!(diff.contains(&user), "the diff names the long user");
    let out = dir.path_arg("long.html");
    ok(&["report", &file, "-o", &out]);
}

/// Every field a scenario lets a user name: markup, quotes, ampersands, a
/// formula start and terminal control characters (ESC sequences, BEL, CR,
/// DEL, a C1 CSI).
const HOSTILE: &str = r#"name: "<script>alert('name')</script> & \"q\" \e[31mRED\a\r\x9b"
start: 2026-01-05T00:00:00Z
named_locations:
  "<b>hq\e]0;title\a&\"": { ip_ranges: [203.0.113.0/24], trusted: true }
users:
  "<u>\e[2J&\"'": { upn: "=cmd|' /C calc'!A0<x>&\"@contoso.com\e[5m", groups: ["<g>\e&"], stay_signed_in: true }
devices:
  "<d>\e[1m\r&": { owner: "<u>\e[2J&\"'", join: entra_joined, platform: windows, browser: edge, ip: 198.51.100.9 }
apps:
  evil: { name: "-2+3 <app>\e[7m\x07&\"'", app_id: 11111111-2222-3333-4444-555555555555 }
policies:
  - name: "@SUM(1) <p>\e[31m\x7f\u0085&\"'"
    users: all
    apps: all
    session: { sign_in_frequency: 1h }
  - name: "+block <loc>\e[8m"
    users: all
    apps: [sharepoint]
    locations: { include: [all], exclude: ["<b>hq\e]0;title\a&\""] }
    grant: block
  - name: "<nobody>\e[33m"
    state: disabled
    users: { include: [none] }
    apps: all
    grant: mfa
timeline:
  - { at: "00:00", do: sign_in_device, device: "<d>\e[1m\r&" }
  - { at: "00:00", do: use, device: "<d>\e[1m\r&", app: evil, client: browser, until: "03:00" }
  - { at: "00:30", do: use, device: "<d>\e[1m\r&", app: sharepoint, client: browser, until: "01:00" }
expect:
  prompts: []
"#;

/// No byte a terminal acts on: C0 controls but line feed and tab, DEL, C1.
fn assert_terminal_safe(what: &str, out: &str) {
    let bad: Vec<char> =
        out.chars().filter(|c| matches!(c, '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}')).collect();
    assert!(bad.is_empty(), "{what} passes control characters {bad:?} to the terminal:\n{out}");
}

#[test]
fn hostile_names_reach_no_terminal_and_no_spreadsheet_formula() {
    let dir = Scratch::new("hostile");
    let file = dir.write_arg("hostile.yaml", HOSTILE);
    let policies = dir.write_arg("p.yaml", "- name: \"<p2>\\e[31m&\"\n  users: all\n  apps: all\n  grant: mfa\n");
    let proposed = dir.write_arg("q.yaml", "- name: \"<p3>\\e[31m&\"\n  users: all\n  apps: all\n  grant: block\n");
    // A stale snapshot, so that `casim snapshot` prints a diff with the names.
    dir.write("hostile.prompts.snap", "# old\n");
    let user = "<u>\x1b[2J&\"'";
    let commands: Vec<Vec<&str>> = vec![
        vec!["run", &file],
        vec!["run", &file, "--trace"],
        vec!["check", &file],
        vec!["validate", &file],
        vec!["logs", &file, "--format", "table"],
        vec!["logs", &file, "--format", "table", "--aggregate", "1h", "--expand"],
        vec!["explain", &file, "--prompt", "1"],
        vec!["whatif", "--scenario", &file, "--user", user, "--app", "evil"],
        vec!["policies", "show", &file],
        vec!["policies", "lint", &file],
        vec!["diff", "--baseline", &policies, "--proposed", &proposed, &file],
        vec!["snapshot", &file],
    ];
    for args in &commands {
        let output = casim(args);
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert!(output.status.code().is_some_and(|c| c < 2), "casim {args:?} failed: {stderr}");
        assert_terminal_safe(&format!("casim {args:?} (stdout)"), &stdout);
        assert_terminal_safe(&format!("casim {args:?} (stderr)"), &stderr);
        assert!(stdout.contains("\\u{1b}["), "casim {args:?} shows the escape visibly:\n{stdout}");
    }
    // A bad --policies file whose names end up in the diagnostic.
    let bad = dir.write_arg("bad.yaml", "- name: \"\\e[31mx\"\n  users: [\"\\e]0;t\\a\"]\n  apps: all\n");
    let output = casim(&["validate", &file, "--policies", &bad]);
    assert_eq!(output.status.code(), Some(2));
    assert_terminal_safe("a diagnostic", &text(&output.stderr));

    // CSV: formula starts are neutralised; control characters are data there.
    let csv = ok(&["logs", &file, "--format", "csv"]);
    let row = csv.lines().nth(2).expect("a record");
    assert!(row.contains(",\"'=cmd|' /c calc'!a0<x>&\"\"@contoso.com\x1b[5m\","), "{row}");
    assert!(row.contains(",\"'-2+3 <app>\x1b[7m\x07&\"\"'\","), "{row}");
    let aggregated = ok(&["logs", &file, "--format", "csv", "--aggregate", "24h"]);
    assert!(aggregated.contains(",\"'-2+3 <app>"), "{aggregated}");

    // HTML: markup escaped, control characters shown, nothing raw.
    let page = dir.path_arg("r.html");
    ok(&["report", &file, "-o", &page]);
    let html = std::fs::read_to_string(&page).expect("the report");
    assert!(!html.contains("<script>alert") && !html.contains("<u>") && !html.contains("<app>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
    assert!(html.contains("&lt;u&gt;\\u{1b}[2J&amp;&quot;&#39;"), "the user, escaped");
    assert_terminal_safe("the HTML report", &html);

    // JSON keeps the names exactly (serde_json escapes the C0 controls).
    let json = ok(&["run", &file, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["prompts"][0]["user"], user);
}

/// Every command with arguments that write something to standard output.
fn every_command(dir: &Scratch) -> Vec<Vec<String>> {
    let s = repo("scenarios/example-3-scenario-2.yaml");
    let policies =
        dir.write_arg("p.yaml", "- name: SIF\n  users: all\n  apps: all\n  session: { sign_in_frequency: 2h }\n");
    let all = repo("scenarios");
    let lines = [
        format!("run {all}"),
        format!("run {all} --format json"),
        format!("check {all}"),
        format!("validate {all}"),
        format!("logs {s}"),
        format!("logs {s} --format table"),
        format!("logs {s} --format csv"),
        format!("explain {s} --prompt 1"),
        format!("whatif --scenario {s} --user alice --app sharepoint"),
        format!("whatif --scenario {s} --user alice --app sharepoint --format json"),
        format!("policies show {s}"),
        format!("policies lint {s}"),
        "generate --users 3 --days 2".to_string(),
        format!("diff --baseline {policies} --proposed {policies} {s}"),
        format!("snapshot {s}"),
        format!("report {s}"),
    ];
    lines.iter().map(|l| l.split(' ').map(String::from).collect()).collect()
}

fn run_with_stdout(args: &[String], stdout: impl Into<Stdio>) -> Output {
    let output = Command::cargo_bin("casim")
        .expect("the casim binary is built")
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("casim runs");
    assert!(!text(&output.stderr).contains("panicked"), "casim {args:?} panicked: {}", text(&output.stderr));
    output
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_for_every_command() {
    let dir = Scratch::new("full");
    for args in every_command(&dir) {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let output = run_with_stdout(&args, full);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "casim {args:?} > /dev/full: {stderr}");
        assert!(
            stderr.contains(&format!("error: casim {}", args[0])) && stderr.contains("cannot write to standard output"),
            "casim {args:?} > /dev/full: {stderr}"
        );
    }
    // `-o` onto a device writes to it (and fails here) instead of replacing it.
    let s = repo("scenarios/example-3-scenario-2.yaml");
    for args in
        [vec!["report", &s, "-o", "/dev/full"], vec!["generate", "--users", "2", "--days", "1", "-o", "/dev/full"]]
    {
        let output = casim(&args);
        assert_eq!(output.status.code(), Some(2), "casim {args:?}: {}", text(&output.stderr));
        assert!(text(&output.stderr).contains("No space left"), "{}", text(&output.stderr));
    }
    assert!(!std::fs::metadata("/dev/full").unwrap().is_file(), "/dev/full is still a device");
}

#[test]
fn a_reader_that_went_away_ends_every_command_quietly() {
    let dir = Scratch::new("closed");
    for args in every_command(&dir) {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader); // before casim writes: every write is EPIPE
        let output = run_with_stdout(&args, writer);
        assert_eq!(output.status.code(), Some(141), "casim {args:?} | (closed): {}", text(&output.stderr));
        assert_eq!(text(&output.stderr), "", "casim {args:?} | (closed) says nothing");
    }
}

#[test]
fn output_files_never_overwrite_an_input() {
    let dir = Scratch::new("own-input");
    let original = std::fs::read_to_string(repo("scenarios/example-3-scenario-2.yaml")).unwrap();
    let s = dir.write_arg("s.yaml", &original);
    std::fs::create_dir(dir.dir.join("sub")).unwrap();
    let other_spelling = dir.dir.join("sub").join("..").join("s.yaml").display().to_string();
    let policies =
        dir.write_arg("p.yaml", "- name: SIF\n  users: all\n  apps: all\n  session: { sign_in_frequency: 2h }\n");
    for (args, input) in [
        (vec!["report", &s, "-o", &s], &s),
        (vec!["report", &s, "-o", &other_spelling], &s),
        (vec!["report", &s, "--policies", &policies, "-o", &policies], &policies),
        (vec!["report", &s, "--baseline", &policies, "--proposed", &s, "-o", &policies], &policies),
    ] {
        let output = casim(&args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "casim {args:?}: {stderr}");
        assert!(stderr.contains(args[args.len() - 1]) && stderr.contains(input.as_str()), "names both: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(&s).unwrap(), original, "the scenario is intact");
    assert!(std::fs::read_to_string(&policies).unwrap().starts_with("- name: SIF"), "the policies are intact");

    let personas = repo("personas");
    let persona_file = std::fs::read_dir(&personas).ok().and_then(|mut d| {
        d.find_map(|e| e.ok().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "yaml")))
    });
    if let Some(source) = persona_file {
        let mine = dir.write_arg("personas.yaml", &std::fs::read_to_string(source).unwrap());
        let output = casim(&["generate", "--personas", &mine, "--users", "2", "--days", "1", "-o", &mine]);
        assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    }
}

#[test]
fn reports_replace_the_old_file_whole() {
    let dir = Scratch::new("whole");
    let out = dir.write_arg("report.html", "old report");
    ok(&["report", &repo("scenarios/example-3-scenario-2.yaml"), "-o", &out]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"), "{:.80}", html);
    let left: Vec<String> =
        std::fs::read_dir(&dir.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, vec!["report.html".to_string()], "no temporary file is left");
    // Output that cannot be written leaves the old file as it was.
    let bad = dir.write_arg("bad.yaml", "name: broken\n");
    let output = casim(&["report", &bad, "-o", &out]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), html);
}

#[test]
fn yaml_and_yml_scenarios_keep_their_snapshots_apart() {
    let dir = Scratch::new("snap-names");
    let scenario = std::fs::read_to_string(repo("scenarios/example-3-scenario-2.yaml")).unwrap();
    let other =
        scenario.replace("sign_in_frequency: 1h", "sign_in_frequency: 2h").replace("\nexpect:", "\nold_expect:");
    let other = other.split("\nold_expect:").next().unwrap().to_string();
    dir.write("a.yaml", &scenario);
    dir.write("a.yml", &other);
    let folder = dir.dir.display().to_string();
    ok(&["snapshot", &folder, "--update"]);
    let yaml = std::fs::read_to_string(dir.dir.join("a.prompts.snap")).expect("a.yaml keeps a.prompts.snap");
    let yml = std::fs::read_to_string(dir.dir.join("a.yml.prompts.snap")).expect("a.yml gets its own");
    assert!(yaml.contains("(a.yaml)") && yml.contains("(a.yml)"));
    assert_ne!(yaml, yml);
    ok(&["snapshot", &folder]);

    // Names no scheme can keep apart are refused before anything is written.
    dir.write("b.yml", &scenario);
    dir.write("b.yml.yaml", &scenario);
    let output = casim(&["snapshot", &folder, "--update"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("b.yml") && stderr.contains("b.yml.yaml") && stderr.contains("share"), "{stderr}");
    assert!(!dir.dir.join("b.yml.prompts.snap").exists());
}
