//! `--evaluation interaction|token` on `run`, `diff`, `replay` and `report`
//! (issue 15, item 7; R-SIF-5, R-SIF-6): it changes what the modes change,
//! and it wins over a scenario's `settings.evaluation`.

use crate::common::{Scratch, casim, ok, repo};

/// A scenario in token mode whose 1-hour SIF prompts at different instants in interaction mode.
const TOKEN_MODE: &str = "scenarios/token-evaluation-mode.yaml";
const SIF: &str = "- { name: SIF 1 hour, state: enabled, users: all, apps: all, session: { sign_in_frequency: 1h } }\n";

/// The prompts of `casim run --format json`, without the file's name.
fn prompts(args: &[&str]) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&ok(args)).expect("json");
    json["prompts"].clone()
}

#[test]
fn the_flag_wins_over_the_scenarios_setting() {
    let scratch = Scratch::new("evaluation-run");
    let text = std::fs::read_to_string(repo(TOKEN_MODE)).expect("scenario");
    assert!(text.contains("settings: { evaluation: token }"));
    let interaction =
        scratch.write_arg("interaction.yaml", &text.replace("evaluation: token", "evaluation: interaction"));
    let token = repo(TOKEN_MODE);
    let as_written = prompts(&["run", &token, "--format", "json"]);
    let overridden = prompts(&["run", &token, "--format", "json", "--evaluation", "interaction"]);
    assert_ne!(as_written, overridden, "the modes prompt at different instants here");
    assert_eq!(overridden, prompts(&["run", &interaction, "--format", "json"]), "as if the file said interaction");
    assert_eq!(as_written, prompts(&["run", &interaction, "--format", "json", "--evaluation", "token"]));
    assert_eq!(overridden[1]["at"], "2026-01-05T10:00:00Z", "R-SIF-5: at the SIF's exact end");
    assert_eq!(overridden[1]["rule"], "R-SIF-1");
    assert_eq!(as_written[1]["rule"], "R-SIF-6");
}

#[test]
fn diff_report_and_replay_take_the_flag() {
    let scratch = Scratch::new("evaluation-commands");
    let policies = scratch.write_arg("sif.yaml", SIF);
    let scenario = repo(TOKEN_MODE);
    // Until 11:10 the modes prompt a different number of times: 10:00 and 11:00, or 10:11:53 only.
    let text = std::fs::read_to_string(&scenario).expect("scenario");
    let short = scratch.write_arg("short.yaml", &text.replace("until: \"14:00\"", "until: \"11:10\""));
    // Each command, as written and with each mode: the file's own mode changes nothing.
    let diff = |mode: &[&str]| {
        let mut args = vec!["diff", "--baseline", "none", "--proposed", &policies, &short, "--format", "json"];
        args.extend(mode);
        let json: serde_json::Value = serde_json::from_str(&ok(&args)).expect("json");
        json["proposed"]["prompts"].as_u64().expect("a count")
    };
    assert_eq!((diff(&[]), diff(&["--evaluation", "token"]), diff(&["--evaluation", "interaction"])), (2, 2, 3));
    let report = |mode: &[&str]| {
        let mut args = vec!["report", &scenario];
        args.extend(mode);
        ok(&args)
    };
    assert_eq!(report(&[]), report(&["--evaluation", "token"]));
    assert_ne!(report(&[]), report(&["--evaluation", "interaction"]));
    // Replayed logs carry no settings: interaction by default, token on request.
    let logs = scratch.write_arg("signins.json", &ok(&["logs", &scenario]));
    let replay = |mode: &[&str]| {
        let mut args = vec!["replay", &logs, "--policies", &policies, "--format", "json"];
        args.extend(mode);
        ok(&args)
    };
    assert_eq!(replay(&[]), replay(&["--evaluation", "interaction"]));
    assert_ne!(replay(&[]), replay(&["--evaluation", "token"]));
}

#[test]
fn a_bad_mode_names_the_valid_words() {
    for command in ["run", "report"] {
        let o = casim(&[command, &repo(TOKEN_MODE), "--evaluation", "tokens"]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("invalid value 'tokens' for '--evaluation <MODE>'"), "{err}");
        assert!(err.contains("[possible values: interaction, token]"), "{err}");
    }
    let help = String::from_utf8_lossy(&casim(&["run", "--help"]).stdout).into_owned();
    assert!(help.contains("--evaluation <MODE>") && help.contains("settings.evaluation"), "{help}");
}
