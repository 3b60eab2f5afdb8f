//! Which of casim's YAML files a document looks like, from its top level
//! alone, so that a scenario given as `--policies`, or a policy list or a
//! persona file found in a scenario folder, is named as what it is instead
//! of failing with the parser's words (issue 15: "expected sequence start").

use std::path::Path;

use crate::error::{InputError, Pos};

/// The top level of a YAML document, read line by line without parsing.
#[derive(Debug, PartialEq, Eq)]
enum Top {
    /// A block or flow sequence: what casim's policy lists and persona files
    /// are, with the keys of its items (`- key:` and the lines under it).
    List { line: usize, keys: Vec<String> },
    /// A block map, with its keys and the line of the first one.
    Map { keys: Vec<String>, line: usize },
    /// Anything else (a flow map, a scalar, nothing): left to the parser.
    Other,
}

fn top(text: &str) -> Top {
    let mut keys = Vec::new();
    let mut first = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%') || trimmed == "---" {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        if first.is_none() && (trimmed == "-" || trimmed.starts_with("- ") || trimmed.starts_with('[')) {
            return Top::List { line: n + 1, keys: item_keys(text) };
        }
        match map_key(trimmed) {
            Some(key) => {
                first.get_or_insert(n + 1);
                keys.push(key.to_string());
            }
            None if first.is_none() => return Top::Other,
            None => {}
        }
    }
    match first {
        Some(line) => Top::Map { keys, line },
        None => Top::Other,
    }
}

/// The keys of a block list's items: `- key:` and `  key:` lines.
fn item_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("- ").or_else(|| l.strip_prefix("  ")))
        .filter_map(|l| map_key(l.trim_end()))
        .map(str::to_string)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Whether keys are a persona's (docs/personas.md, "Writing your own").
fn persona_keys(keys: &[String]) -> bool {
    keys.iter().any(|k| k == "routine" || k == "schedule")
}

/// `key` of a line `key: …` or `key:` at column 1 (plain keys only).
fn map_key(line: &str) -> Option<&str> {
    let (key, rest) = line.split_once(':')?;
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (plain && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some(key)
}

const SCENARIO_KEYS: [&str; 4] = ["users", "devices", "timeline", "population"];

/// A policy file (`--policies`, `--baseline`, `--proposed`) that is a map or
/// a persona list: a scenario, a persona file or some other document, never a
/// policy list.
pub(super) fn refuse_map_as_policies(path: &Path, text: &str) -> Result<(), InputError> {
    const TAKE: &str = "--policies, --baseline and --proposed take a list of Conditional Access policies";
    let (keys, line) = match top(text) {
        Top::Map { keys, line } => (keys, line),
        Top::List { line, keys } if persona_keys(&keys) => {
            let what =
                format!("this is a persona file (its items have `schedule:` or `routine:`), not a policy list: {TAKE}");
            return Err(refused(path, text, line, what, PERSONA_HELP));
        }
        _ => return Ok(()),
    };
    let has = |k: &str| keys.iter().any(|key| key == k);
    let scenario = SCENARIO_KEYS.iter().any(|k| has(k));
    let what = if scenario {
        let listed: Vec<String> = SCENARIO_KEYS.iter().filter(|k| has(k)).map(|k| format!("`{k}:`")).collect();
        format!("this is a casim scenario (it has {}), not a policy list", listed.join(", "))
    } else if persona_keys(&keys) {
        "this is a persona file (it has `schedule:` or `routine:`), not a policy list".to_string()
    } else {
        let shown: Vec<String> = keys.iter().take(4).map(|k| format!("`{k}:`")).collect();
        format!("this YAML file is a map (its keys start with {}), not a policy list", shown.join(", "))
    };
    let hint = if has("policies") && scenario {
        "run the scenario itself (`casim run FILE`), or move its `policies:` items into a file of their own and give that file"
    } else {
        "a policy file is a YAML list of policies (`- { name: SIF 8h, users: all, apps: all, session: { sign_in_frequency: 8h } }`), a Graph JSON export or `none` (docs/policies.md)"
    };
    Err(refused(path, text, line, format!("{what}: {TAKE}"), hint))
}

const PERSONA_HELP: &str =
    "use it with `casim generate --personas FILE`, or name it in a population's `personas_file:` (docs/personas.md)";

/// A scenario file that is a list (a policy list or personas in a scenario
/// folder) or a persona file; `Ok` for anything that may be a scenario.
pub(super) fn refuse_as_scenario(path: &Path, text: &str) -> Result<(), InputError> {
    match top(text) {
        Top::List { line, keys } if persona_keys(&keys) => Err(refused(
            path,
            text,
            line,
            "this is a persona file (its items have `schedule:` or `routine:`), not a scenario",
            PERSONA_HELP,
        )),
        Top::List { line, .. } => Err(refused(
            path,
            text,
            line,
            "this YAML file is a list, as casim's policy lists are, and a scenario is a map (`name:`, `users:`, `devices:`, `policies:`, `timeline:`)",
            "give a policy list with --policies FILE (or --baseline/--proposed), and keep it out of the scenario folder or in a subfolder casim is not given",
        )),
        Top::Map { keys, line } if persona_keys(&keys) && !keys.iter().any(|k| SCENARIO_KEYS.contains(&k.as_str())) => {
            Err(refused(
                path,
                text,
                line,
                "this is a persona file (it has `schedule:` or `routine:`), not a scenario",
                PERSONA_HELP,
            ))
        }
        _ => Ok(()),
    }
}

/// The error at the document's first line of content, with its hint.
fn refused(path: &Path, text: &str, line: usize, message: impl Into<String>, help: &str) -> InputError {
    InputError::new(path, Some(Pos { line, column: 1 }), message).with_help(Some(help.to_string())).with_source(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_level_is_read_without_parsing() {
        assert_eq!(top("# policies\n- { name: a }\n"), Top::List { line: 2, keys: vec![] });
        assert_eq!(top("---\n[a, b]\n"), Top::List { line: 2, keys: vec![] });
        let personas = top("- name: p\n  schedule: { days: [mon] }\n  routine:\n    - { at: x }\n");
        assert_eq!(personas, Top::List { line: 1, keys: vec!["name".into(), "routine".into(), "schedule".into()] });
        let map = top("# c\nname: x\nusers:\n  a: {}\ntimeline: []\n");
        assert_eq!(map, Top::Map { keys: vec!["name".into(), "users".into(), "timeline".into()], line: 2 });
        assert_eq!(top("{ name: x }\n"), Top::Other);
        assert_eq!(top("\"quoted\": 1\n"), Top::Other);
        assert_eq!(top(""), Top::Other);
        // `at: "09:00"` is one key whose value holds a colon.
        assert_eq!(top("at: \"09:00\"\n"), Top::Map { keys: vec!["at".into()], line: 1 });
    }

    #[test]
    fn a_scenario_as_policies_is_named() {
        let e = refuse_map_as_policies(Path::new("s.yaml"), "name: x\nusers: {}\npolicies: []\ntimeline: []\n")
            .expect_err("a scenario");
        let headline = e.to_string();
        assert!(headline.contains("s.yaml:1:1"), "{headline}");
        assert!(headline.contains("casim scenario (it has `users:`, `timeline:`)"), "{headline}");
        assert!(refuse_map_as_policies(Path::new("p.yaml"), "- { name: a }\n").is_ok());
    }

    #[test]
    fn lists_and_personas_as_scenarios_are_named() {
        let e = refuse_as_scenario(Path::new("p.yaml"), "# x\n- { name: a }\n").expect_err("a list");
        assert!(e.to_string().contains("p.yaml:2:1"), "{}", e.to_string());
        let persona = "name: p\nschedule: { days: [mon] }\nroutine: []\n";
        let e = refuse_as_scenario(Path::new("q.yaml"), persona).expect_err("a persona");
        assert!(e.to_string().contains("persona file"), "{}", e.to_string());
        assert!(refuse_as_scenario(Path::new("s.yaml"), "name: x\nusers: {}\n").is_ok());
        let list = "- name: p\n  schedule: { days: [mon] }\n";
        let e = refuse_as_scenario(Path::new("l.yaml"), list).expect_err("a persona list");
        assert!(e.to_string().contains("persona file"), "{e}");
        let e = refuse_map_as_policies(Path::new("l.yaml"), list).expect_err("not policies");
        assert!(e.to_string().contains("persona file"), "{e}");
    }
}
