//! Issue 14: users split into shards by a stable hash (`--shard K/N`), and
//! shards' partial results merged (`casim merge`) into exactly what the
//! unsharded command prints (docs/scale.md).

use std::process::Output;

use crate::common::{Scratch, casim};

fn with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let output = assert_cmd::Command::cargo_bin("casim").unwrap().args(args).write_stdin(stdin).output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    output
}

fn ok(output: Output, what: &str) -> Vec<u8> {
    assert_eq!(output.status.code(), Some(0), "{what}: {}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

/// A generated population's logs and a proposed policy set.
fn logs(s: &Scratch) -> (Vec<u8>, String) {
    let population = s.path_arg("population.yaml");
    ok(casim(&["generate", "--users", "30", "--days", "3", "--seed", "4", "-o", &population]), "generate");
    let logs = ok(casim(&["logs", &population, "--format", "ndjson"]), "logs");
    let sif =
        s.write_arg("sif.yaml", "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n");
    (logs, sif)
}

#[test]
fn shards_merged_print_what_the_unsharded_replay_prints() {
    let s = Scratch::new("scale-merge");
    let (logs, sif) = logs(&s);
    let replay = |extra: &[&str]| {
        let mut args = vec!["replay", "--stdin", "--policies", &sif, "--start", "2026-01-05"];
        args.extend_from_slice(extra);
        ok(with_stdin(&args, &logs), &format!("{extra:?}"))
    };
    let whole_text = replay(&[]);
    let whole_json = replay(&["--format", "json"]);
    assert!(String::from_utf8_lossy(&whole_text).contains("sign-in frequency 4h exceeded"));
    for n in [1u32, 2, 7] {
        let mut files = Vec::new();
        // Given in reverse: the order of the files does not matter.
        for k in (1..=n).rev() {
            let part = replay(&["--shard", &format!("{k}/{n}"), "--format", "partial"]);
            files.push(s.write_bytes(&format!("{n}-{k}.partial"), &part).display().to_string());
        }
        let mut args = vec!["merge"];
        args.extend(files.iter().map(String::as_str));
        assert!(ok(casim(&args), "merge") == whole_text, "text, {n} shards");
        args.extend(["--format", "json"]);
        assert!(ok(casim(&args), "merge") == whole_json, "JSON, {n} shards");
    }
}

#[test]
fn diff_shares_merged_print_the_unsharded_summary() {
    let s = Scratch::new("scale-diff");
    let (logs, sif) = logs(&s);
    let base =
        s.write_arg("base.yaml", "- { name: SIF 12h, users: all, apps: all, session: { sign_in_frequency: 12h } }\n");
    let replay = |extra: &[&str]| {
        let mut args = vec!["replay", "--stdin", "--baseline", &base, "--proposed", &sif, "--start", "2026-01-05"];
        args.extend_from_slice(extra);
        ok(with_stdin(&args, &logs), &format!("{extra:?}"))
    };
    let whole_text = replay(&[]);
    let whole_json = replay(&["--format", "json"]);
    assert!(
        String::from_utf8_lossy(&whole_text).contains("largest changes"),
        "{}",
        String::from_utf8_lossy(&whole_text)
    );
    for n in [1u32, 2, 7] {
        let mut files = Vec::new();
        for k in 1..=n {
            let part = replay(&["--shard", &format!("{k}/{n}"), "--format", "partial"]);
            files.push(s.write_bytes(&format!("diff-{n}-{k}.partial"), &part).display().to_string());
        }
        let mut args = vec!["merge"];
        args.extend(files.iter().map(String::as_str));
        assert!(ok(casim(&args), "merge") == whole_text, "text, {n} shards");
        let mut json = args.clone();
        json.extend(["--format", "json"]);
        assert!(ok(casim(&json), "merge") == whole_json, "JSON, {n} shards");
        args.extend(["--fail-if", "changes.prompts > 0"]);
        assert_eq!(casim(&args).status.code(), Some(1), "--fail-if on the merged summary");
    }
    let refused = with_stdin(
        &[
            "replay",
            "--stdin",
            "--baseline",
            &base,
            "--proposed",
            &sif,
            "--format",
            "partial",
            "--fail-if",
            "changes.prompts > 0",
        ],
        &logs,
    );
    assert_eq!(refused.status.code(), Some(2), "--fail-if belongs to the merge");
}

#[test]
fn population_shards_merged_print_what_the_unsharded_run_prints() {
    let s = Scratch::new("scale-run");
    let population = s.write_arg(
        "mixed.yaml",
        "name: mixed\nseed: 1\npopulation: { personas: { office_worker: 5, hybrid_worker: 4, mobile_user: 4, administrator: 3, frontline_worker: 4, guest: 2 }, days: 3 }\npolicies:\n  - { name: SIF 8h, users: all, apps: all, session: { sign_in_frequency: 8h } }\n",
    );
    let whole_text = ok(casim(&["run", &population]), "run");
    let whole_json = ok(casim(&["run", &population, "--format", "json"]), "run --format json");
    for n in [1u32, 2, 7] {
        let mut files = Vec::new();
        for k in 1..=n {
            let part =
                ok(casim(&["run", &population, "--format", "partial", "--shard", &format!("{k}/{n}")]), "partial");
            files.push(s.write_bytes(&format!("run-{n}-{k}.partial"), &part).display().to_string());
        }
        let mut args = vec!["merge"];
        args.extend(files.iter().map(String::as_str));
        assert!(ok(casim(&args), "merge") == whole_text, "text, {n} shards");
        args.extend(["--format", "json"]);
        assert!(ok(casim(&args), "merge") == whole_json, "JSON, {n} shards");
    }
    assert_eq!(casim(&["run", &population, "--shard", "1/2"]).status.code(), Some(2), "--shard needs --format partial");

    // casim diff of the population: the members' shares of the summary.
    let sif =
        s.write_arg("sif4h.yaml", "- { name: SIF 4h, users: all, apps: all, session: { sign_in_frequency: 4h } }\n");
    let diff = |extra: &[&str]| {
        let mut args = vec!["diff", "--baseline", "none", "--proposed", &sif, &population];
        args.extend_from_slice(extra);
        ok(casim(&args), &format!("diff {extra:?}"))
    };
    let (whole_text, whole_json) = (diff(&[]), diff(&["--format", "json"]));
    for n in [2u32, 7] {
        let files: Vec<String> = (1..=n)
            .map(|k| {
                let part = diff(&["--format", "partial", "--shard", &format!("{k}/{n}")]);
                s.write_bytes(&format!("diff-{n}-{k}.partial"), &part).display().to_string()
            })
            .collect();
        let mut args = vec!["merge"];
        args.extend(files.iter().map(String::as_str));
        assert!(ok(casim(&args), "merge") == whole_text, "diff text, {n} shards");
        args.extend(["--format", "json"]);
        assert!(ok(casim(&args), "merge") == whole_json, "diff JSON, {n} shards");
    }
}

#[test]
fn logs_and_replay_put_each_user_in_the_same_single_shard() {
    let s = Scratch::new("scale-logs");
    let population = s.path_arg("population.yaml");
    ok(casim(&["generate", "--users", "20", "--days", "2", "--seed", "6", "-o", &population]), "generate");
    let all = ok(casim(&["logs", &population, "--format", "ndjson"]), "logs");
    let mut lines = 0;
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let part = ok(casim(&["logs", &population, "--format", "ndjson", "--shard", &shard]), "logs --shard");
        lines += part.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
        let out = with_stdin(&["replay", "--stdin", "--policies", "none", "--shard", &shard], &part);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        ok(out, "replay --shard");
        assert!(!stderr.contains("other shards"), "shard {shard} of logs holds only its users: {stderr}");
    }
    assert_eq!(lines, all.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count(), "every record once");
}

#[test]
fn bad_shards_and_mismatched_partials_are_refused() {
    let s = Scratch::new("scale-bad");
    let (logs, sif) = logs(&s);
    for bad in ["3/2", "0/0", "1/0", "x/2"] {
        let out = with_stdin(&["replay", "--stdin", "--policies", &sif, "--shard", bad], &logs);
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    let part = |policies: &str, shard: &str, start: &str| {
        let args =
            ["replay", "--stdin", "--policies", policies, "--shard", shard, "--start", start, "--format", "partial"];
        let bytes = ok(with_stdin(&args, &logs), shard);
        s.write_bytes(&format!("{}-{}-{start}.partial", policies.len(), shard.replace('/', "of")), &bytes)
            .display()
            .to_string()
    };
    let refused = |files: &[&str], says: &str| {
        let mut args = vec!["merge"];
        args.extend_from_slice(files);
        let out = casim(&args);
        assert_eq!(out.status.code(), Some(2), "{files:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{says:?} not in {stderr}");
    };
    let (a1, a2, a3) =
        (part(&sif, "1/3", "2026-01-05"), part(&sif, "2/3", "2026-01-05"), part(&sif, "3/3", "2026-01-05"));
    refused(&[&a1, &a3], "shard 2 of 3 is missing");
    refused(&[&a1, &a2, &a2, &a3], "given twice");
    refused(&[&a1, &a2, &part("none", "3/3", "2026-01-05")], "policies");
    refused(&[&a1, &a2, &part(&sif, "3/3", "2026-01-04")], "start");
    refused(&[&a1, &part(&sif, "2/2", "2026-01-05")], "shard count");
    let cut = std::fs::read_to_string(&a3).unwrap();
    let cut = cut.lines().take(2).collect::<Vec<_>>().join("\n") + "\n";
    let cut = s.write_arg("cut.partial", &cut);
    refused(&[&a1, &a2, &cut], "cut short");
    let not = s.write_arg("not.partial", "{\"hello\": 1}\n");
    refused(&[&not], "not a casim partial result");
}
