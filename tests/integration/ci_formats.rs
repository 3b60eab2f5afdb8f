//! `--format junit` and `--format markdown` of `casim check`, `casim
//! snapshot` and `casim diff --fail-if` (issue 15, item 5; docs/ci.md): the
//! XML parses, its counts are the text output's, its bytes do not change
//! from run to run, and the exit status is the text output's.

use std::process::Output;

use crate::common::{Scratch, casim, repo};

const PASSES: &str = r#"name: "Passes <&> \"quoted\""
users: { alice: {} }
devices: { laptop: { owner: alice, join: entra_joined } }
policies:
  - { name: SIF 1 hour, state: enabled, users: all, apps: all, session: { sign_in_frequency: 1h } }
timeline:
  - { at: "09:00", do: sign_in_device, device: laptop }
  - { at: "09:00", do: use, device: laptop, app: sharepoint, client: browser, until: "10:30" }
expect:
  prompts:
    - { at: "10:00", user: alice, app: sharepoint, reason: sign_in_frequency }
"#;

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A library of one passing, one failing and one unchecked scenario.
fn library(scratch: &Scratch) -> String {
    scratch.write("lib/a-passes.yaml", PASSES);
    scratch.write("lib/b-fails.yaml", &PASSES.replace("Passes", "Fails").replace("\"10:00\"", "\"10:15\""));
    scratch.write("lib/c-unchecked.yaml", &PASSES[..PASSES.find("expect:").expect("expect")].replace("Passes", "Free"));
    scratch.path_arg("lib")
}

/// (tests, failures, skipped) of the root and of its one suite, which must agree.
fn counts(xml: &str) -> (usize, usize, usize) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 1, "{xml}");
    let attr = |n: roxmltree::Node, a: &str| -> usize {
        n.attribute(a).unwrap_or_else(|| panic!("no {a}: {xml}")).parse().expect("a count")
    };
    let cases: Vec<_> = suites[0].children().filter(|n| n.has_tag_name("testcase")).collect();
    let failed = cases.iter().filter(|c| c.children().any(|n| n.has_tag_name("failure"))).count();
    let skipped = cases.iter().filter(|c| c.children().any(|n| n.has_tag_name("skipped"))).count();
    for n in [root, suites[0]] {
        assert_eq!((attr(n, "tests"), attr(n, "failures"), attr(n, "skipped")), (cases.len(), failed, skipped));
        assert_eq!(attr(n, "errors"), 0);
        assert_eq!(n.attribute("time"), Some("0"), "no wall-clock time");
    }
    for c in &cases {
        assert!(c.attribute("classname").is_some() && c.attribute("name").is_some() && c.attribute("time").is_some());
        if let Some(f) = c.children().find(|n| n.has_tag_name("failure")) {
            assert!(!f.attribute("message").unwrap_or("").is_empty(), "a failure has a message: {xml}");
            assert!(!f.text().unwrap_or("").trim().is_empty(), "a failure has a body: {xml}");
        }
    }
    (cases.len(), failed, skipped)
}

/// `N passed, N failed`, or `N ok, N changed, N missing`: the numbers of the text's summary line.
fn summary_numbers(text: &str, marker: &str) -> Vec<usize> {
    let line = text.lines().rev().find(|l| l.contains(marker)).unwrap_or_else(|| panic!("no summary: {text}"));
    line.split(|c: char| !c.is_ascii_digit()).filter(|w| !w.is_empty()).map(|w| w.parse().expect("n")).collect()
}

#[test]
fn check_junit_counts_are_the_texts() {
    let scratch = Scratch::new("ci-check");
    let lib = library(&scratch);
    let plain = casim(&["check", &lib]);
    let junit = casim(&["check", &lib, "--format", "junit"]);
    assert_eq!(plain.status.code(), Some(1));
    assert_eq!(junit.status.code(), Some(1), "the exit status does not depend on the format");
    let [passed, failed] = summary_numbers(&text(&plain), "passed")[..] else { panic!("{}", text(&plain)) };
    let xml = text(&junit);
    assert_eq!(counts(&xml), (passed + failed + 1, failed, 1), "{xml}");
    assert_eq!((passed, failed), (1, 1));
    // Names round-trip through the escaping, and the failure holds the text's diff.
    let doc = roxmltree::Document::parse(&xml).expect("xml");
    let names: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("testcase")).filter_map(|n| n.attribute("name")).collect();
    assert!(names.contains(&"Passes <&> \"quoted\""), "{names:?}");
    let body = doc.descendants().find(|n| n.has_tag_name("failure")).and_then(|n| n.text()).expect("failure text");
    assert!(body.contains("expected 10:15 alice sharepoint sign_in_frequency"), "{body}");
    assert!(text(&plain).contains(body.trim_end()), "the body is the text output's diff:\n{body}");
    assert_eq!(text(&casim(&["check", &lib, "--format", "junit"])), xml, "byte-identical from run to run");
}

#[test]
fn check_markdown_is_a_table_of_verdicts() {
    let scratch = Scratch::new("ci-check-md");
    let lib = library(&scratch);
    let md = casim(&["check", &lib, "--format", "markdown"]);
    assert_eq!(md.status.code(), Some(1));
    let md = text(&md);
    assert!(md.starts_with("### casim check: 1 passed, 1 failed\n"), "{md}");
    assert!(md.contains(r#"| ok | Passes \<&amp;\> "quoted" |"#), "{md}");
    assert!(md.contains("| **FAILED** | Fails \\<&amp;\\> \"quoted\" |"), "{md}");
    assert!(md.contains("| skipped | Free"), "{md}");
    assert!(md.contains("<details><summary>Fails"), "{md}");
    assert!(md.contains("```text\n    prompts: expected 1, got 1"), "{md}");
}

#[test]
fn snapshot_junit_fails_changed_and_missing_snapshots() {
    let scratch = Scratch::new("ci-snapshot");
    let lib = library(&scratch);
    assert_eq!(casim(&["snapshot", &lib, "--update"]).status.code(), Some(0));
    let changed = scratch.dir.join("lib/a-passes.prompts.snap");
    let stored = std::fs::read_to_string(&changed).expect("snapshot");
    std::fs::write(&changed, stored.replace("10:00", "10:05")).expect("edit");
    std::fs::remove_file(scratch.dir.join("lib/b-fails.prompts.snap")).expect("remove");
    let plain = casim(&["snapshot", &lib]);
    let junit = casim(&["snapshot", &lib, "--format", "junit"]);
    assert_eq!((plain.status.code(), junit.status.code()), (Some(1), Some(1)));
    let [ok, changed_n, missing] = summary_numbers(&text(&plain), " ok, ")[..] else { panic!("{}", text(&plain)) };
    assert_eq!((ok, changed_n, missing), (1, 1, 1));
    let xml = text(&junit);
    assert_eq!(counts(&xml), (ok + changed_n + missing, changed_n + missing, 0), "{xml}");
    assert!(xml.contains("-prompt      10:05") && xml.contains("+prompt      10:00"), "the unified diff: {xml}");
    let md = text(&casim(&["snapshot", &lib, "--format", "markdown"]));
    assert!(md.starts_with("### casim snapshot: 1 ok, 1 changed, 1 missing\n"), "{md}");
    assert!(md.contains("```diff\n"), "{md}");
    let update = casim(&["snapshot", &lib, "--update", "--format", "junit"]);
    assert_eq!(update.status.code(), Some(2), "--update writes, it reports no comparison");
    assert!(String::from_utf8_lossy(&update.stderr).contains("--update writes the snapshots"));
}

#[test]
fn diff_junit_has_a_case_per_fail_if_clause() {
    let condition = "prompts_per_user_day.p95 > 3 or users_newly_blocked > 0 or changes.prompts > 0";
    let args = |format: &str| {
        let (scenario, proposed) =
            (repo("scenarios/work-week.yaml"), repo("scenarios/graph/no-persistent-browser.json"));
        let v = [
            "diff",
            "--baseline",
            "none",
            "--proposed",
            &proposed,
            &scenario,
            "--fail-if",
            condition,
            "--format",
            format,
        ];
        casim(&v)
    };
    let (plain, junit, markdown, json) = (args("text"), args("junit"), args("markdown"), args("json"));
    for o in [&junit, &markdown, &json] {
        assert_eq!(o.status.code(), plain.status.code(), "the exit status does not depend on the format");
    }
    assert_eq!(plain.status.code(), Some(1));
    let xml = text(&junit);
    let (tests, failures, _) = counts(&xml);
    // The text output's verdicts on stderr, one `true`/`false` line a comparison (one a clause here).
    let verdicts = String::from_utf8_lossy(&plain.stderr);
    let held = verdicts.lines().filter(|l| l.trim_start().starts_with("true ")).count();
    let judged = held + verdicts.lines().filter(|l| l.trim_start().starts_with("false ")).count();
    assert_eq!((tests, failures), (judged, held), "{xml}\n{verdicts}");
    assert_eq!((tests, failures), (3, 2));
    // The figures travel as properties, with the JSON's values.
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let doc = roxmltree::Document::parse(&xml).expect("xml");
    let property = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("property") && n.attribute("name") == Some(name))
            .and_then(|n| n.attribute("value"))
    };
    assert_eq!(property("proposed.prompts"), Some(summary["proposed"]["prompts"].to_string().as_str()));
    let md = text(&markdown);
    assert!(md.starts_with("### casim diff: 1 scenario, "), "{md}");
    assert!(md.contains("#### --fail-if holds: **FAILED**"), "{md}");
    assert!(md.contains("| ok | `users_newly_blocked > 0` | `0 > 0` |"), "{md}");
    assert!(
        md.contains(&format!("| prompts | {} | {} |", summary["baseline"]["prompts"], summary["proposed"]["prompts"])),
        "{md}"
    );
}

#[test]
fn unreadable_input_is_an_error_in_every_format() {
    let scratch = Scratch::new("ci-bad");
    let bad = scratch.write_arg("bad.yaml", "name: t\nusers: { alice: {} }\nbogus: 1\n");
    for format in ["junit", "markdown"] {
        for args in [vec!["check", &bad, "--format", format], vec!["snapshot", &bad, "--format", format]] {
            let o = casim(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(o.stdout.is_empty(), "{args:?}: no XML or Markdown on bad input");
            assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{bad}:3:1: unknown key `bogus`")));
        }
    }
    let o = casim(&["check", &bad, "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[possible values: text, junit, markdown]"));
}
