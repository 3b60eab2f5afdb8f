//! Issue 13, item 8: the reconstruction held to the truth with no tenant.
//! A generated population of every persona writes its logs under a baseline
//! (SIF 12h, or no Conditional Access at all); the logs are replayed under
//! other sets and compared with `casim run` of the same population under the
//! same sets. A prompt matches one of the other side with the same user and
//! app within 5 minutes, each used once. docs/replay.md gives the figures and
//! why mobile users fall short.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{Scratch, casim};

const SIF_12H: &str = "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n";
const SIF_4H: &str = "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n";
const SIF_1H: &str = "- { name: SIF 1h, users: all, apps: all, session: { sign_in_frequency: 1h } }\n";
const EVERY_TIME_PORTAL: &str = "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n\
     - { name: Every time portal, users: all, apps: [azure_portal], grant: mfa, session: { sign_in_frequency: every_time } }\n";
const BROWSER_2H_NEVER: &str = "- { name: Browser SIF 2h, users: all, apps: all, client_apps: [browser], session: { sign_in_frequency: 2h, persistent_browser: never } }\n";
const EVERY_TIME_TEAMS: &str = "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n\
     - { name: Every time Teams, users: all, apps: [teams], session: { sign_in_frequency: every_time } }\n";

/// The proposed sets of the issue (a shorter SIF, every time on an app,
/// browser-only SIF with persistence never) and an hourly SIF, over logs
/// written under SIF 12h.
const UNDER_SIF_12H: [(&str, &str); 4] = [
    ("sif4h", SIF_4H),
    ("every-time-portal", EVERY_TIME_PORTAL),
    ("browser-2h-never", BROWSER_2H_NEVER),
    ("sif1h", SIF_1H),
];

/// Over logs of a tenant without Conditional Access, where Teams and
/// Microsoft 365 renew every two hours (R-TOK-5): the slower cadence is
/// read off the records, and no glance at a phone is logged.
const UNDER_NO_CA: [(&str, &str); 4] = [
    ("sif4h", SIF_4H),
    ("every-time-portal", EVERY_TIME_PORTAL),
    ("sif1h", SIF_1H),
    ("every-time-teams", EVERY_TIME_TEAMS),
];

/// (recall, precision) replay is held to. Below 0.9, and why (docs/replay.md,
/// "On generated populations"): a mobile user's glances at a mail app whose
/// background sync keeps its token fresh leave no record, so the instant they
/// answer a waiting prompt, and the prompt counted from it, is a guess; with
/// two-hour renewals where a use ends inside the two hours is a guess too.
/// Everyone together is held to the 0.9.
fn floor(baseline: &str, set: &str, persona: &str) -> (f64, f64) {
    match (baseline, set, persona) {
        ("sif12h", "sif4h", "mobile_user") => (0.75, 0.9),
        ("sif12h", "every-time-portal", "mobile_user") => (0.85, 0.85),
        ("sif12h", "sif1h", "mobile_user") => (0.8, 0.9),
        ("none", "sif4h" | "sif1h", "mobile_user") => (0.7, 0.9),
        ("none", "every-time-portal", "mobile_user") => (0.7, 0.7),
        ("none", _, "office_worker") => (0.9, 0.85),
        _ => (0.9, 0.9),
    }
}

/// (user without domain, app, instant in seconds) of a run or replay's JSON.
fn prompts(json: &[u8]) -> Vec<(String, String, i64)> {
    let v: Value = serde_json::from_slice(json).expect("JSON output");
    v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .map(|p| {
            let user = p["user"].as_str().unwrap().split('@').next().unwrap().to_string();
            let at = chrono::DateTime::parse_from_rfc3339(p["at"].as_str().unwrap()).unwrap().timestamp();
            (user, p["app"].as_str().unwrap().to_string(), at)
        })
        .collect()
}

/// Per persona (and "all"): how many of `xs` have a match in `ys`, of how many.
fn matched(xs: &[(String, String, i64)], ys: &[(String, String, i64)]) -> BTreeMap<String, (usize, usize)> {
    let mut used = vec![false; ys.len()];
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (user, app, at) in xs {
        let persona = user.rsplit_once('-').map_or(user.as_str(), |(p, _)| p).to_string();
        let hit =
            ys.iter().enumerate().position(|(i, (u, a, t))| !used[i] && u == user && a == app && (t - at).abs() <= 300);
        if let Some(i) = hit {
            used[i] = true;
        }
        for key in [persona, "all".to_string()] {
            let e = per.entry(key).or_default();
            e.0 += usize::from(hit.is_some());
            e.1 += 1;
        }
    }
    per
}

fn out(args: &[&str]) -> Vec<u8> {
    let o = casim(args);
    assert_eq!(o.status.code(), Some(0), "casim {args:?}:\n{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

fn accuracy(format: &str, baseline: &str, sets: &[(&str, &str)]) {
    let s = Scratch::new("replay-accuracy");
    let population = s.path_arg("population.yaml");
    out(&["generate", "--users", "60", "--days", "7", "--seed", "3", "-o", &population]);
    let (base, base_arg) = match baseline {
        "none" => ("none", "none".to_string()),
        _ => ("sif12h", s.write_arg("baseline.yaml", SIF_12H)),
    };
    let logs = out(&["logs", &population, "--policies", &base_arg, "--format", format]);
    let logs = s.write_bytes(&format!("logs.{format}"), &logs).display().to_string();
    let mut failures = Vec::new();
    for &(name, set) in sets {
        let policies = s.write_arg(&format!("{name}.yaml"), set);
        let ran = prompts(&out(&["run", &population, "--policies", &policies, "--format", "json"]));
        let replayed = prompts(&out(&["replay", &logs, "--policies", &policies, "--format", "json"]));
        let (recall, precision) = (matched(&ran, &replayed), matched(&replayed, &ran));
        assert!(recall["all"].1 >= 200 && recall.len() >= 6, "{name}: too few prompts to judge: {recall:?}");
        for (persona, &(found, of)) in &recall {
            let (kept, shown) = precision.get(persona).copied().unwrap_or((0, 0));
            let (r, p) = (found as f64 / of as f64, if shown == 0 { 0.0 } else { kept as f64 / shown as f64 });
            let (min_r, min_p) = floor(base, name, persona);
            if r < min_r || p < min_p {
                failures.push(format!(
                    "{format} {base} {name} {persona}: recall {r:.3} (< {min_r}?), precision {p:.3} (< {min_p}?)"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "replay fell below its floor:\n{}", failures.join("\n"));
}

#[test]
fn graph_json_replays_within_its_floors() {
    accuracy("json", "sif12h", &UNDER_SIF_12H);
}

#[test]
fn log_analytics_ndjson_replays_within_its_floors() {
    accuracy("ndjson", "sif12h", &UNDER_SIF_12H);
}

#[test]
fn logs_of_a_tenant_without_conditional_access_replay_within_their_floors() {
    accuracy("json", "none", &UNDER_NO_CA);
}
