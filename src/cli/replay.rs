//! `casim replay`: a tenant's sign-in logs replayed under a policy set
//! (`--policies`, the prompts in `casim run`'s contract) or under two
//! (`--baseline`/`--proposed`, `casim diff`'s summary). docs/replay.md.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::output::{self, Mode, Stdout};
use super::{Failure, Format};
use crate::diff::Collector;
use crate::engine::{self, Options};
use crate::error::InputError;
use crate::report;
use crate::report::run::Writer;
use crate::scenario::{NO_POLICIES, Scenario};
use crate::signin::replay::{self, AssumedKey, Summary, sort, tenant};

pub(super) const AFTER_HELP: &str = "\
Inputs (any number of files, mixed): Graph signIn records (a list response or
its pages, a JSON array, NDJSON), Log Analytics rows of SigninLogs and
AADNonInteractiveUserSignInLogs (JSON, NDJSON or CSV; nested columns as objects
or JSON strings), the diagnostic-settings envelope ({\"records\": [...]}).
Keys are read case-insensitively, in any order. Records replay cannot use are
skipped and counted by cause on stderr; --explain lists the first ten and every
inference the rebuilt timeline makes (docs/replay.md).

Exit status: 0 (or 1 when --fail-if holds), 2 on input casim cannot use.

Examples:
  casim replay signins.json --policies proposed.yaml
  casim replay interactive.ndjson non-interactive.ndjson --policies policies/ --format json
  casim replay signins.json --baseline current.json --proposed proposed.yaml --fail-if 'changes.prompts > 0'";

#[derive(Args)]
pub(crate) struct ReplayArgs {
    /// Sign-in log files (Graph JSON or NDJSON, Log Analytics JSON, NDJSON or CSV, diagnostic envelopes).
    #[arg(required = true)]
    logs: Vec<PathBuf>,
    /// Replay under these policies and print the prompts (a YAML list, a Graph export, or `none`).
    #[arg(long, value_name = "FILE", required_unless_present = "baseline", conflicts_with = "baseline")]
    policies: Option<PathBuf>,
    /// The policies of today, for a before-and-after summary (with --proposed).
    #[arg(long, value_name = "POLICIES", requires = "proposed")]
    baseline: Option<PathBuf>,
    /// The policies to compare with --baseline.
    #[arg(long, value_name = "POLICIES", requires = "baseline")]
    proposed: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
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
    match (&args.policies, &args.baseline, &args.proposed) {
        (Some(policies), _, _) => {
            let mut logs = replay::read(&args.logs, budget())?;
            let template = tenant::with_policies(&logs.template, policies)?;
            warn(&[&template]);
            let read = std::mem::take(&mut logs.read);
            let (code, summary) = if args.calibrate {
                calibrate(logs, template, args.format)?
            } else {
                prompts(logs, template, args.format)?
            };
            announce(&summary, &read, args.explain);
            Ok(code)
        }
        (None, Some(baseline), Some(proposed)) => {
            let mut logs = replay::read(&args.logs, budget())?;
            let before = tenant::with_policies(&logs.template, baseline)?;
            let after = tenant::with_policies(&logs.template, proposed)?;
            warn(&[&before, &after]);
            let read = std::mem::take(&mut logs.read);
            let mut collector = Collector::new(&baseline.display().to_string(), &proposed.display().to_string());
            let mut summary = Summary::default();
            let options = Options::default();
            replay::for_each_user(
                logs,
                &[before, after],
                |u| -> Result<_, InputError> {
                    let [b, a] = [&u.scenarios[0], &u.scenarios[1]].map(|sc| simulate(sc, &u.assumed, options));
                    let (b, a, summary) = (b?, a?, Summary::of(&u));
                    Ok((u.scenarios.into_iter().next(), b, a, summary))
                },
                |r| -> Result<(), Failure> {
                    let (sc, b, a, s) = r?;
                    if let Some(sc) = sc {
                        collector.add(&sc, &b, &a);
                    }
                    summary.add(&s);
                    Ok(())
                },
            )?;
            collector.scenario_done();
            let code = super::diff::finish(collector, args.format, condition.as_ref())?;
            announce(&summary, &read, args.explain);
            Ok(code)
        }
        _ => Err(Failure::usage("`casim replay` needs --policies, or --baseline with --proposed", None::<String>)),
    }
}

/// The memory kept for records before they go to temporary files
/// (`CASIM_REPLAY_MEMORY`, in bytes; docs/replay.md).
fn budget() -> usize {
    std::env::var("CASIM_REPLAY_MEMORY").ok().and_then(|v| v.parse().ok()).unwrap_or(sort::DEFAULT_BUDGET)
}

/// Every log file and the policies exist (`none` is no file).
pub(super) fn check_inputs(logs: &[PathBuf], policies: &Path) -> Result<(), Failure> {
    for p in logs.iter().map(PathBuf::as_path).chain([policies]) {
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

/// The prompts of the replayed activity, in `casim run`'s contract, user by user.
fn prompts(logs: replay::Logs, template: Scenario, format: Format) -> Result<(ExitCode, Summary), Failure> {
    let mut out = Stdout::new(if format == Format::Json { Mode::Data } else { Mode::Text });
    let as_format = match format {
        Format::Text => report::run::Format::Text,
        Format::Json => report::run::Format::Json,
    };
    let options = Options::default();
    let mut writer = Writer::new(&template, as_format, options);
    let mut summary = Summary::default();
    replay::for_each_user(
        logs,
        std::slice::from_ref(&template),
        |u| -> Result<_, InputError> {
            let sc = &u.scenarios[0];
            let outcome = simulate(sc, &u.assumed, options)?;
            Ok((Writer::part(as_format, sc, &outcome, options), Summary::of(&u)))
        },
        |r| -> Result<(), Failure> {
            let (part, s) = r?;
            writer.add(part).map_err(super::run_failure)?;
            summary.add(&s);
            Ok(())
        },
    )?;
    writer.finish(&mut out).map_err(super::run_failure)?;
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
    let options = Options::default();
    let mut c = Calibration::default();
    let mut summary = Summary::default();
    replay::for_each_user(
        logs,
        std::slice::from_ref(&template),
        |u| -> Result<_, InputError> {
            let sc = &u.scenarios[0];
            let outcome = simulate(sc, &u.assumed, options)?;
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
            Ok((calibrate::compare(&predicted, &u.seen), Summary::of(&u)))
        },
        |r| -> Result<(), Failure> {
            let (one, s) = r?;
            c.add(one);
            summary.add(&s);
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
