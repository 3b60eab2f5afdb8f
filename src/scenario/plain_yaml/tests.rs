//! This reader held to serde-saphyr: the same values, positions and refusals.

use std::path::Path;

use super::timeline::ITEMS_PER_STRETCH;
use super::*;
use crate::scenario::raw::{RawPolicyList, RawScenario, RawTimeline};

/// `Debug` of a parsed document without the spans of its locations, which
/// this reader leaves unknown (casim reads lines and columns only).
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("span: Span {") {
        out.push_str(&rest[..at]);
        let mut depth = 0;
        let mut end = at;
        for (i, c) in rest[at..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => {
                    end = at + i + 1;
                    break;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        rest = rest[end..].strip_prefix(", ").unwrap_or(&rest[end..]);
    }
    out.push_str(rest);
    out
}

/// A scenario read quickly, and its timeline's entries in words (`Debug`,
/// where a borrowed text reads as an owned one), a deferred one read.
fn whole_scenario(text: &str) -> Option<(RawScenario, Vec<String>)> {
    let mut raw = from_str::<RawScenario>(text)?;
    let entries = match raw.timeline.take() {
        Some(RawTimeline::Deferred(at)) => {
            let words = |e: Entry, entries: &mut Vec<String>| {
                entries.push(match e {
                    Entry::Quick(e) => format!("{:?}", e.raw()),
                    Entry::Read(e) => format!("{e:?}"),
                });
                true
            };
            read_entries(text, &at, (0..at.items().div_ceil(ITEMS_PER_STRETCH)).map(|_| Vec::new()).collect(), words)?
                .into_iter()
                .flatten()
                .collect()
        }
        other => timeline_words(other),
    };
    Some((raw, entries))
}

fn timeline_words(timeline: Option<RawTimeline>) -> Vec<String> {
    match timeline {
        Some(RawTimeline::Entries(entries)) => entries.iter().map(|e| format!("{e:?}")).collect(),
        other => vec![format!("{other:?}")],
    }
}

/// When this reader reads `text` as `T`, serde-saphyr reads it the same.
/// Returns whether this reader read it.
pub(crate) fn agrees<T: DeserializeOwned + fmt::Debug>(name: &str, text: &str) -> bool {
    agrees_with(name, text, from_str::<T>(text))
}

fn agrees_with<T: DeserializeOwned + fmt::Debug>(name: &str, text: &str, quick: Option<T>) -> bool {
    let Some(quick) = quick else { return false };
    match serde_saphyr::from_str::<T>(text) {
        Ok(reference) => {
            assert_eq!(without_spans(&format!("{quick:?}")), without_spans(&format!("{reference:?}")), "{name}");
        }
        Err(e) => panic!("{name}: read quickly, but serde-saphyr refuses it: {e}\n{text}"),
    }
    true
}

/// The document read quickly (its timeline too) as serde-saphyr reads
/// it, and the scenario made of it as from serde-saphyr's reading, errors
/// included. Returns whether the document was read quickly.
fn scenario_agrees(name: &str, text: &str) -> bool {
    let quick = whole_scenario(text).is_some_and(|(raw, entries)| {
        let mut reference = serde_saphyr::from_str::<RawScenario>(text)
            .unwrap_or_else(|e| panic!("{name}: read quickly, but serde-saphyr refuses it: {e}\n{text}"));
        let reference_entries = timeline_words(reference.timeline.take());
        assert_eq!(entries, reference_entries, "{name}");
        assert_eq!(without_spans(&format!("{raw:?}")), without_spans(&format!("{reference:?}")), "{name}");
        true
    });
    let outcome = |r: Result<crate::scenario::Scenario, crate::error::InputError>| match r {
        Ok(s) => format!("{s:?}"),
        Err(e) => e.render(),
    };
    let path = Path::new("s.yaml");
    let reference = outcome(crate::scenario::from_str_by_serde_saphyr(path, text));
    assert_eq!(outcome(crate::scenario::from_str(path, text)), reference, "{name}");
    quick
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn repository_yaml() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["scenarios", "tests", "bench", "fuzz/regressions", "personas"] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    files.into_iter().filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?))).collect()
}

#[test]
fn reads_as_serde_saphyr_does() {
    let files = repository_yaml();
    let (mut scenarios, mut quick) = (0, 0);
    for (name, text) in &files {
        let read = scenario_agrees(name, text);
        agrees::<RawPolicyList>(name, text);
        if name.contains("/scenarios/") {
            scenarios += 1;
            quick += usize::from(read);
        }
    }
    // Nearly all scenarios are plain YAML: the reader is used, not only given up.
    assert!(quick * 10 >= scenarios * 9, "{quick} of {scenarios} scenarios read quickly");
}

#[test]
fn generated_populations_are_read_quickly() {
    use crate::scenario::population::{built_in_personas, generate, split};
    for (users, days, seed) in [(12, 7, 1), (40, 14, 9), (150, 14, 2)] {
        let text = generate(&split(built_in_personas(), users), days, seed, crate::time::DEFAULT_START).unwrap();
        assert!(scenario_agrees("generated", &text), "a generated population is plain YAML");
        let raw = from_str::<RawScenario>(&text).unwrap();
        let Some(RawTimeline::Deferred(at)) = raw.timeline else { panic!("its timeline is read step by step") };
        assert_eq!(at.stretches.len(), text.matches("\n- {").count().div_ceil(ITEMS_PER_STRETCH), "{users} users");
    }
}

/// Each piece of plain YAML this reader reads, against serde-saphyr.
#[test]
fn reads_each_plain_form() {
    let head = "name: x\n";
    for body in [
        "seed: 3\nstart: \"2026-01-05T00:00:00Z\"\n",
        "users:\n  alice: {}\n  bob: {type: guest, groups: [a, \"b c\"], stay_signed_in: true}\n",
        "users: {alice: {upn: alice@contoso.com}}   # a comment\n",
        "# a comment\n\nusers:\n  # inside\n  alice:\n    groups:\n      - sales\n      -   'support'\n",
        "timeline:\n- {at: \"09:00\", do: use, user: alice, device: pc, app: teams, client: desktop}\n- { at: 1d 08:00 , do: lock, device: pc }\n",
        "timeline:\n  - {at: \"09:00\", do: use, on_prompt: fail}\nseed: 0\n",
        "settings: {evaluation: token, kmsi: hidden}\n",
        "policies:\n  - {name: SIF 8h, users: all, apps: [teams], session: {sign_in_frequency: 8h}, grant: {any_of: [mfa, compliant_device]}}\n",
        "apps:\n  pim: {name: Privileged Identity Management elevation, app_id: 01fc33a7-78ba-4d2f-a4b7-768e336e890e}\n",
        "limits: {max_steps: 10, max_events: 0}\n",
        "description: Office worker (Windows Hello, Edge) [laptop] {x}\nsource: a #b, c# d\n",
        "policies:\n  - name: SIF\n    users:\n      include: [alice]\n    session: { sign_in_frequency: 8h }   # \u{2014} non-ASCII comment\n  - name: B\n    grant: block\n",
        "timeline:\n  - at: \"09:00\"\n    do: lock\n    device: pc\n  - { at: \"10:00\", do: unlock, device: pc }\n",
        "devices:\n  pc: {owner: alice, ip: 203.0.113.7, compliant: false}\n",
    ] {
        let text = format!("{head}{body}");
        assert!(scenario_agrees(body, &text), "not read quickly:\n{text}");
    }
}

/// What this reader leaves to serde-saphyr: it reads none of these.
#[test]
fn gives_up_on_the_rest() {
    for text in [
        "name: &a x\n",
        "name: !!str x\n",
        "name: |\n  x\n",
        "name: \"a\\tb\"\n",
        "name: 'it''s'\n",
        "name: x\nusers: {alice: {},\n  bob: {}}\n",
        "name: x\n\tseed: 1\n",
        "name: caf\u{e9}\n",
        "name: x\nseed: 07\n",
        "name: x\nseed: 1.5\n",
        "name: x\nseed: 1e3\n",
        "name: x\nseed: ~\n",
        "name: x\nseed:\n",
        "name: x\nname: y\n",
        "name: x\nusers: {a: {}, a: {}}\n",
        "name: x\ndescription: null\n",
        "name: x\nusers: {a: {},}\n",
        "name: x\n  seed: 1\n",
        "name: a\n  b\n",
        "---\nname: x\n",
        "name: x\ntimeline:\n  - at: \"09:00\"\n     do: lock\n",
        "name: x\nusers:\n  a: {groups: [x\n",
        "name: x\nunknown: 1\n",
        "name: x\nseed: yes\n",
        "name: x\nsettings: {browser_shared_sif: True}\n",
    ] {
        assert!(whole_scenario(text).is_none(), "read quickly:\n{text}");
    }
}

/// Small edits of real scenarios (characters YAML gives meaning to, cut
/// or added): whatever this reader still reads, serde-saphyr reads the same.
#[test]
fn edited_scenarios_are_read_as_serde_saphyr_does() {
    let texts: Vec<String> = repository_yaml().into_iter().map(|(_, t)| t).filter(|t| t.len() < 20_000).collect();
    let marks = [" ", ":", "-", "{", "}", "[", "]", ",", "#", "\"", "'", "\n", "  ", "~", "0", "a", "null", "true"];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    for round in 0..3000 {
        let text = &texts[next(texts.len())];
        let mut edited = text.clone();
        for _ in 0..1 + next(3) {
            let mut at = next(edited.len() + 1);
            while !edited.is_char_boundary(at) {
                at -= 1;
            }
            if next(2) == 0 && at < edited.len() {
                let end = (at + 1..=edited.len()).find(|&e| edited.is_char_boundary(e)).unwrap_or(edited.len());
                edited.replace_range(at..end, "");
            } else {
                edited.insert_str(at, marks[next(marks.len())]);
            }
        }
        scenario_agrees(&format!("edit {round}"), &edited);
    }
}
