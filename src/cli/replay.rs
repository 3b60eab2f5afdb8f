//! `casim replay`: a tenant's sign-in logs replayed under a policy set
//! (`--policies`, the prompts in `casim run`'s contract) or under two
//! (`--baseline`/`--proposed`, `casim diff`'s summary). docs/replay.md.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::output::{self, Mode, Stdout};
use super::{Failure, Format};
use crate::diff::{Collector, Share};
use crate::engine::{self, Options};
use crate::error::InputError;
use crate::report;
use crate::report::run::Writer;
use crate::scenario::{NO_POLICIES, Scenario};
use crate::shard::Shard;
use crate::signin::replay::{self, AssumedKey, Reading, Summary, sort, tenant};

pub(super) const AFTER_HELP: &str = "\
Inputs (any number of files, mixed): Graph signIn records (a list response or
its pages, a JSON array, NDJSON), Log Analytics rows of SigninLogs and
AADNonInteractiveUserSignInLogs (JSON, NDJSON, CSV or Parquet; nested columns as
objects or JSON strings), the diagnostic-settings envelope ({\"records\": [...]}).
Parquet is known by its magic bytes and must be a file (it is read from its end).
Keys are read case-insensitively, in any order. Records replay cannot use are
skipped and counted by cause on stderr; --explain lists the first ten and every
inference the rebuilt timeline makes (docs/replay.md).

Exit status: 0 (or 1 when --fail-if holds), 2 on input casim cannot use.

Examples:
  casim logs scenarios/work-week.yaml > signins.json
  casim replay signins.json --policies examples/policies/proposed.yaml
  casim logs scenarios/work-week.yaml --interactive --format ndjson > interactive.ndjson
  casim logs scenarios/work-week.yaml --non-interactive --format ndjson > non-interactive.ndjson
  casim replay interactive.ndjson non-interactive.ndjson --policies tests/fixtures/graph/entraexporter --format json
  casim replay signins.json --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml --fail-if 'changes.prompts > 0'
  casim logs scenarios/work-week.yaml --format parquet -o signins.parquet
  casim replay signins.parquet --policies examples/policies/proposed.yaml";

#[derive(Args)]
pub(crate) struct ReplayArgs {
    /// Sign-in log files (Graph JSON or NDJSON, Log Analytics JSON, NDJSON, CSV or Parquet, diagnostic envelopes).
    #[arg(required_unless_present = "stdin")]
    logs: Vec<PathBuf>,
    /// Read sign-in records from standard input too (after the files), in any of their shapes.
    #[arg(long)]
    stdin: bool,
    /// Only the users of shard K of N, by the stable hash of their object id (docs/scale.md).
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    shard: Option<Shard>,
    /// Count times from this day (YYYY-MM-DD or RFC 3339) instead of the first record's:
    /// shards replayed apart must agree on it (docs/scale.md).
    #[arg(long, value_name = "DATE")]
    start: Option<String>,
    /// Replay under these policies and print the prompts (a YAML list, a Graph export, or `none`).
    #[arg(long, value_name = "FILE", required_unless_present = "baseline", conflicts_with = "baseline")]
    policies: Option<PathBuf>,
    /// The policies of today, for a before-and-after summary (with --proposed).
    #[arg(long, value_name = "POLICIES", requires = "proposed")]
    baseline: Option<PathBuf>,
    /// The policies to compare with --baseline.
    #[arg(long, value_name = "POLICIES", requires = "baseline")]
    proposed: Option<PathBuf>,
    /// Output format; `partial` is one shard's share for `casim merge` (docs/scale.md).
    #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
    format: ReplayFormat,
    /// With --baseline/--proposed: exit 1 when this condition over the summary holds (docs/diff.md).
    #[arg(long, value_name = "EXPR", requires = "baseline")]
    fail_if: Option<String>,
    /// Print every inference and the first ten skipped records (on stderr).
    #[arg(long)]
    explain: bool,
    /// With --policies (the tenant's current ones): compare the prompts casim predicts with
    /// those the logs show, as precision and recall per reason, app and client.
    #[arg(long, requires = "policies")]
    calibrate: bool,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum ReplayFormat {
    Text,
    Json,
    Partial,
}

impl ReplayFormat {
    /// The text or JSON of `--calibrate`, which has no partial form yet.
    fn whole(self) -> Result<Format, Failure> {
        match self {
            ReplayFormat::Text => Ok(Format::Text),
            ReplayFormat::Json => Ok(Format::Json),
            ReplayFormat::Partial => Err(Failure::usage(
                "`--format partial` is for the prompts (--policies) and the diff (--baseline/--proposed); --calibrate has no partial form yet",
                Some("calibrate on the whole logs, or on one shard's users with --shard and text or JSON (docs/scale.md)".to_string()),
            )),
        }
    }
}

pub(super) fn replay(args: ReplayArgs) -> Result<ExitCode, (Failure, &'static str)> {
    run(args).map_err(|f| (f, "replay"))
}

fn run(args: ReplayArgs) -> Result<ExitCode, Failure> {
    if args.calibrate && args.policies.is_none() {
        let help = "calibration holds casim to what happened: give the tenant's current policies with --policies";
        return Err(Failure::usage(
            "`--calibrate` needs --policies, not --baseline/--proposed",
            Some(help.to_string()),
        ));
    }
    let condition = args.fail_if.as_deref().map(super::diff::condition).transpose()?;
    for policies in args.policies.iter().chain(&args.baseline).chain(&args.proposed) {
        check_inputs(&args.logs, policies)?;
    }
    let mut files = args.logs.clone();
    if args.stdin {
        files.push(PathBuf::from(replay::read::STDIN));
    }
    let start = args.start.as_deref().map(start_day).transpose()?;
    let how = Reading { shard: args.shard.unwrap_or(Shard::ALL), start, budget: budget() };
    match (&args.policies, &args.baseline, &args.proposed) {
        (Some(policies), _, _) => {
            if args.calibrate {
                args.format.whole()?;
            }
            let mut logs = replay::read(&files, how)?;
            let template = tenant::with_policies(&logs.template, policies)?;
            warn(&[&template]);
            let read = std::mem::take(&mut logs.read);
            let (code, summary) = if args.calibrate {
                calibrate(logs, template, args.format.whole()?)?
            } else {
                prompts(logs, template, args.format, Partial { shard: how.shard, policies })?
            };
            announce(&summary, &read, args.explain);
            Ok(code)
        }
        (None, Some(baseline), Some(proposed)) => {
            if args.format == ReplayFormat::Partial && condition.is_some() {
                return Err(Failure::usage(
                    "--fail-if judges the whole summary: give it to `casim merge`, not to one shard's partial result",
                    None::<String>,
                ));
            }
            let logs = replay::read(&files, how)?;
            let sets = Diff { baseline, proposed, shard: how.shard };
            replay_diff(logs, sets, args.format, condition.as_ref(), args.explain)
        }
        _ => Err(Failure::usage("`casim replay` needs --policies, or --baseline with --proposed", None::<String>)),
    }
}

/// The two policy sets of a replayed diff, and the shard replayed.
struct Diff<'a> {
    baseline: &'a Path,
    proposed: &'a Path,
    shard: Shard,
}

/// `--baseline`/`--proposed`: `casim diff`'s summary of the replayed users,
/// or one shard's share of it (`--format partial`), user by user.
fn replay_diff(
    mut logs: replay::Logs,
    sets: Diff,
    format: ReplayFormat,
    condition: Option<&crate::diff::expr::Expr>,
    explain: bool,
) -> Result<ExitCode, Failure> {
    use crate::report::partial;
    let before = tenant::with_policies(&logs.template, sets.baseline)?;
    let after = tenant::with_policies(&logs.template, sets.proposed)?;
    warn(&[&before, &after]);
    let read = std::mem::take(&mut logs.read);
    let labels = [sets.baseline, sets.proposed].map(|p| p.display().to_string());
    let mut collector = Collector::new(&labels[0], &labels[1]);
    let mut out = (format == ReplayFormat::Partial).then(|| Stdout::new(Mode::Data));
    if let Some(out) = &mut out {
        let fingerprint = partial::fingerprint(&[sets.baseline, sets.proposed]);
        let header = partial::Header::new("replay", &after, fingerprint, sets.shard, Options::default());
        out.write(&header.diff(labels[0].clone(), labels[1].clone()).line())?;
    }
    let mut summary = Summary::default();
    let options = Options::default();
    replay::for_each_user(
        logs,
        &[before, after],
        |u| -> Result<_, InputError> {
            let [b, a] = [&u.scenarios[0], &u.scenarios[1]].map(|sc| simulate(sc, &u.assumed, options));
            let share = Share::of(&u.scenarios[0], &b?, &a?);
            Ok((u.scenarios[0].users[0].id.clone(), share, Summary::of(&u)))
        },
        |r| -> Result<(), Failure> {
            let (key, share, s) = r?;
            match &mut out {
                Some(out) => out.write(&partial::share_line(&key, &share))?,
                None => collector.add_share(share),
            }
            summary.add(&s);
            Ok(())
        },
    )?;
    let code = match out {
        Some(mut out) => {
            out.write(&partial::trailer(summary.users))?;
            out.finish()?;
            ExitCode::SUCCESS
        }
        None => {
            collector.scenario_done();
            super::diff::finish(collector, format.whole()?, condition)?
        }
    };
    announce(&summary, &read, explain);
    Ok(code)
}

/// `--start`: a day (`2026-01-05`) or an instant (RFC 3339), whose day is taken.
fn start_day(text: &str) -> Result<crate::time::Instant, Failure> {
    let day = format!("{text}T00:00:00Z");
    let at = crate::time::parse_rfc3339(text).or_else(|_| crate::time::parse_rfc3339(&day));
    at.map_err(|_| {
        Failure::usage(
            format!("--start: `{text}` is not a day or an instant"),
            Some("write a day as 2026-01-05, or an instant as 2026-01-05T00:00:00Z".to_string()),
        )
    })
}

/// The memory kept for records before they go to temporary files
/// (`CASIM_REPLAY_MEMORY`, in bytes; docs/replay.md).
fn budget() -> usize {
    std::env::var("CASIM_REPLAY_MEMORY").ok().and_then(|v| v.parse().ok()).unwrap_or(sort::DEFAULT_BUDGET)
}

/// Every log file and the policies exist (`none` is no file).
pub(super) fn check_inputs(logs: &[PathBuf], policies: &Path) -> Result<(), Failure> {
    for p in logs.iter().map(PathBuf::as_path).chain([policies]) {
        if p.as_os_str() == replay::read::STDIN {
            continue;
        }
        if !p.exists() && p.as_os_str() != NO_POLICIES {
            return Err(InputError::new(p, None, "no such file or folder").into());
        }
    }
    Ok(())
}

/// What the policies cannot be evaluated on, once each, on stderr.
pub(super) fn warn(templates: &[&Scenario]) {
    let mut seen = std::collections::BTreeSet::new();
    for w in templates.iter().flat_map(|t| &t.warnings) {
        if seen.insert(w) {
            output::stderr(&format!("warning: {w}"));
        }
    }
}

/// What was read, skipped and inferred, on stderr: never a silent drop.
pub(super) fn announce(summary: &Summary, read: &replay::read::Read, explain: bool) {
    for line in summary.lines(read, explain) {
        output::stderr(&line);
    }
}

/// One user's scenario simulated, the sessions replay assumed taken out.
fn simulate(sc: &Scenario, assumed: &BTreeSet<AssumedKey>, options: Options) -> Result<engine::Outcome, InputError> {
    let mut outcome = engine::simulate(sc, options);
    engine::check_event_limit(sc, &outcome)?;
    prune(assumed, &mut outcome);
    Ok(outcome)
}

/// What a partial result says of itself.
struct Partial<'a> {
    shard: Shard,
    policies: &'a Path,
}

/// Each replayed user simulated under `template`'s policies: `map` renders
/// them where they were simulated (in parallel), `fold` takes the results
/// in user order; returns the summary of what was replayed.
fn for_each_simulated<R: Send>(
    logs: replay::Logs,
    template: &Scenario,
    map: impl Fn(&replay::UserReplay, engine::Outcome) -> R + Sync,
    mut fold: impl FnMut(R) -> Result<(), Failure>,
) -> Result<Summary, Failure> {
    let options = Options::default();
    let mut summary = Summary::default();
    replay::for_each_user(
        logs,
        std::slice::from_ref(template),
        |u| -> Result<_, InputError> {
            let outcome = simulate(&u.scenarios[0], &u.assumed, options)?;
            Ok((map(&u, outcome), Summary::of(&u)))
        },
        |r| -> Result<(), Failure> {
            let (one, part) = r?;
            summary.add(&part);
            fold(one)
        },
    )?;
    Ok(summary)
}

/// The prompts of the replayed activity, in `casim run`'s contract, user by
/// user; or one shard's share of them (`--format partial`).
fn prompts(
    logs: replay::Logs,
    template: Scenario,
    format: ReplayFormat,
    partial: Partial,
) -> Result<(ExitCode, Summary), Failure> {
    let as_format = match format {
        ReplayFormat::Text => report::run::Format::Text,
        ReplayFormat::Json => report::run::Format::Json,
        ReplayFormat::Partial => return prompts_partial(logs, template, partial),
    };
    let mut out = Stdout::new(if format == ReplayFormat::Json { Mode::Data } else { Mode::Text });
    let options = Options::default();
    let mut writer = Writer::new(&template, as_format, options);
    let summary = for_each_simulated(
        logs,
        &template,
        |u, outcome| Writer::part(as_format, &u.scenarios[0], &outcome, options),
        |part| writer.add(part).map_err(super::run_failure),
    )?;
    writer.finish(&mut out).map_err(super::run_failure)?;
    out.finish()?;
    Ok((ExitCode::SUCCESS, summary))
}

/// `--format partial`: a header, each user's line keyed by their id (the
/// order replay gives them), and a trailer.
fn prompts_partial(logs: replay::Logs, template: Scenario, partial: Partial) -> Result<(ExitCode, Summary), Failure> {
    use crate::report::partial;
    let mut out = Stdout::new(Mode::Data);
    let options = Options::default();
    let policies = partial::fingerprint(&[partial.policies]);
    out.write(&partial::Header::new("replay", &template, policies, partial.shard, options).line())?;
    let summary = for_each_simulated(
        logs,
        &template,
        |u, outcome| partial::user_line(&u.scenarios[0].users[0].id, &u.scenarios[0], &outcome, options),
        |line| out.write(&line),
    )?;
    out.write(&partial::trailer(summary.users))?;
    out.finish()?;
    Ok((ExitCode::SUCCESS, summary))
}

/// Removes the `no_session` prompts that are the sessions replay assumed
/// began before the logs (docs/replay.md), not prompts anyone saw.
pub(super) fn prune(assumed: &BTreeSet<AssumedKey>, outcome: &mut engine::Outcome) {
    outcome.prompts.retain(|p| {
        let a = p.access;
        !(p.reason == engine::Reason::NoSession && assumed.contains(&(a.user.0, a.device.0, a.client, a.app.0, p.at)))
    });
}

/// `--calibrate`: casim's prompts under the current policies against the logs', user by user.
fn calibrate(logs: replay::Logs, template: Scenario, format: Format) -> Result<(ExitCode, Summary), Failure> {
    use crate::domain::Client;
    use crate::signin::replay::calibrate::{self, Calibration, Counts, Seen};
    let mut c = Calibration::default();
    let summary = for_each_simulated(
        logs,
        &template,
        |u, outcome| {
            let sc = &u.scenarios[0];
            let predicted: Vec<Seen> = outcome
                .prompts
                .iter()
                .map(|p| Seen {
                    user: sc.users[p.access.user.0].upn.clone(),
                    app_id: sc.apps[p.access.app.0].app_id.to_ascii_lowercase(),
                    // The logs show a prompt where it was answered (R-DEF-3: later, for background work).
                    at: p.answered_at.unwrap_or(p.at),
                    client: match p.access.client {
                        Client::Desktop | Client::Mobile => "native",
                        Client::Confidential => "confidential",
                        _ => "browser",
                    },
                    reason: calibrate::as_seen_reason(p.reason.name()),
                })
                .collect();
            calibrate::compare(&predicted, &u.seen)
        },
        |one| {
            c.add(one);
            Ok(())
        },
    )?;
    let sc = &template;
    let app_name = |id: &str| -> String {
        sc.apps.iter().find(|a| a.app_id.eq_ignore_ascii_case(id)).map_or(id.to_string(), |a| a.key.clone())
    };
    let mut rows: Vec<(String, Counts)> = vec![("all".into(), c.all)];
    rows.extend(c.by_reason.iter().map(|(k, v)| (format!("reason {k}"), *v)));
    rows.extend(c.by_client.iter().map(|(k, v)| (format!("client {k}"), *v)));
    rows.extend(c.by_app.iter().map(|(k, v)| (format!("app {}", app_name(k)), *v)));
    let ratio = |v: Option<f64>| v.map(|x| (x * 1000.0).round() / 1000.0);
    let mut out = Stdout::new(if format == Format::Json { Mode::Data } else { Mode::Text });
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(name, n)| {
                    serde_json::json!({
                        "slice": name, "predicted": n.predicted, "logged": n.logged,
                        "predicted_matched": n.predicted_matched, "logged_matched": n.logged_matched,
                        "precision": ratio(n.precision()), "recall": ratio(n.recall()),
                    })
                })
                .collect();
            let doc = serde_json::json!({ "match_window_seconds": calibrate::MATCH_WINDOW, "calibration": items });
            serde_json::to_writer_pretty(&mut out, &doc).map_err(|e| output::failure(e.into()))?;
            out.line("")?;
        }
        Format::Text => {
            out.line("casim replay --calibrate: predicted prompts (current policies) against the logs' (same user and app within 5 minutes)")?;
            out.line(&format!("{:<40} {:>9} {:>7} {:>9} {:>7}", "", "PREDICTED", "LOGGED", "PRECISION", "RECALL"))?;
            let shown = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.2}"));
            for (name, n) in &rows {
                let line = format!(
                    "{:<40} {:>9} {:>7} {:>9} {:>7}",
                    crate::terminal::escape(name),
                    n.predicted,
                    n.logged,
                    shown(n.precision()),
                    shown(n.recall())
                );
                out.line(&line)?;
            }
        }
    }
    out.finish()?;
    Ok((ExitCode::SUCCESS, summary))
}
