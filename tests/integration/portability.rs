//! What Windows changes (issue 15, item 8): scenario files saved with CRLF
//! line endings read as their LF twins do, and their errors point at the
//! same line and column.

use crate::common::{Scratch, casim, repo};

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

#[test]
fn a_crlf_scenario_runs_as_its_lf_twin() {
    let scratch = Scratch::new("crlf-run");
    let text = std::fs::read_to_string(repo("scenarios/work-week.yaml")).expect("scenario");
    let lf = scratch.write_arg("lf/work-week.yaml", &text.replace("\r\n", "\n"));
    let windows = scratch.write_arg("crlf/work-week.yaml", &crlf(&text));
    let run = |path: &str| casim(&["run", path, "--format", "json"]);
    let (a, b) = (run(&lf), run(&windows));
    assert_eq!((a.status.code(), b.status.code()), (Some(0), Some(0)), "{}", String::from_utf8_lossy(&b.stderr));
    let prompts = |o: &std::process::Output| {
        serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json")["prompts"].clone()
    };
    assert_eq!(prompts(&a), prompts(&b));
    assert!(prompts(&a).as_array().is_some_and(|p| !p.is_empty()));
    assert_eq!(casim(&["check", &windows]).status.code(), Some(0), "its `expect:` block holds too");
}

#[test]
fn crlf_errors_are_at_the_same_line_and_column() {
    let scratch = Scratch::new("crlf-errors");
    let cases = [
        (
            "time.yaml",
            "name: t\nusers:\n  alice: {}\ndevices:\n  laptop: { owner: alice, join: entra_joined }\ntimeline:\n  - { at: \"25:00\", do: lock, device: laptop }\n",
            ":7:11: `25:00` is not a time",
        ),
        ("key.yaml", "name: t\nusers:\n  alice: {}\nbogus: \"x\"\n", ":4:1: unknown key `bogus`"),
        (
            "app.yaml",
            "name: t\nusers:\n  alice: {}\ndevices:\n  laptop: { owner: alice, join: entra_joined }\ntimeline:\n  - { at: \"09:00\", do: use, device: laptop, app: sharepont, client: browser }\n",
            ":7:50: unknown app `sharepont`",
        ),
    ];
    for (name, text, phrase) in cases {
        for (folder, body) in [("lf", text.to_string()), ("crlf", crlf(text))] {
            let path = scratch.write_arg(&format!("{folder}/{name}"), &body);
            let o = casim(&["validate", &path]);
            assert_eq!(o.status.code(), Some(2));
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(&format!("{path}{phrase}")), "{folder}/{name}: {err}");
            assert!(!err.contains('\r'), "no carriage return reaches the message: {err:?}");
        }
    }
}
