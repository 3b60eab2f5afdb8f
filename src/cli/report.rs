//! `casim report`: one self-contained HTML file with a timeline per user, and
//! with `--baseline`/`--proposed` a before-and-after summary (docs/report.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::files;
use super::output::{self, Mode};
use super::{Failure, load_one, print_warnings};
use crate::engine::Outcome;
use crate::error::InputError;
use crate::report::html;
use crate::scenario::Scenario;
use crate::signin::replay;

pub(super) const AFTER_HELP: &str = "\
The report is one HTML file with no external resources (inline CSS, SVG and a
few lines of script): open it in any browser, attach it to a change request.
Each user gets a timeline with a lane per device and per app and client:
prompts coloured by reason, PRT refreshes, lock and unlock, sign-in and
sign-out, and the intervals in which a valid session existed. Hover a mark for
its explanation. Large populations get a filter box and a collapsed timeline
per user. With --baseline and --proposed the timelines run under both policy
sets and the summary compares them. See docs/report.md.

Examples:
  casim report scenarios/work-week.yaml -o report.html
  casim report scenarios/work-week.yaml --policies examples/policies/proposed.yaml -o proposed.html
  casim report scenarios/population-office.yaml --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml -o diff.html
  casim logs scenarios/work-week.yaml > signins.json
  casim report --logs signins.json --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml -o replay.html

With --logs, the inputs are sign-in logs in any shape `casim replay` reads, their
activity rebuilt and replayed as `casim replay` does (docs/replay.md); what was
skipped and inferred is summed up on stderr.";

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// The scenario file (a `population:` scenario too); with --logs, sign-in log files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The inputs are sign-in logs, replayed under --policies or --baseline/--proposed (docs/replay.md).
    #[arg(long)]
    logs: bool,
    /// Policies (YAML list, Graph export or `none`) of the baseline run; needs --proposed.
    #[arg(long, value_name = "FILE", requires = "proposed", conflicts_with = "policies")]
    baseline: Option<PathBuf>,
    /// Policies of the proposed run, compared with --baseline.
    #[arg(long, value_name = "FILE", requires = "baseline", conflicts_with = "policies")]
    proposed: Option<PathBuf>,
    /// Policies that replace the scenario's (a single run).
    #[arg(long, value_name = "FILE")]
    policies: Option<PathBuf>,
    /// Where to write the HTML file (default: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(super) fn report(args: ReportArgs) -> Result<ExitCode, (Failure, &'static str)> {
    run(args).map_err(|f| (f, "report"))
}

fn label(policies: &Option<PathBuf>) -> String {
    match policies {
        Some(p) => p.display().to_string(),
        None => "the scenario's own".to_string(),
    }
}

/// One scenario file (a `population:` one too) with its policies replaced.
fn load(path: &Path, policies: &Option<PathBuf>) -> Result<Scenario, Failure> {
    if path.is_dir() {
        return Err(Failure::usage(
            format!("`casim report` takes one scenario file, and {} is a folder", path.display()),
            Some(format!("name a file, e.g. `casim report {}/<scenario>.yaml`", path.display())),
        ));
    }
    if !path.exists() {
        return Err(InputError::new(path, None, "no such file or folder").into());
    }
    let scenario = load_one(path, policies)?;
    print_warnings(std::slice::from_ref(&scenario));
    Ok(scenario)
}

fn run(args: ReportArgs) -> Result<ExitCode, Failure> {
    if let Some(output) = &args.output {
        let policies = [args.baseline.as_ref(), args.proposed.as_ref(), args.policies.as_ref()];
        let inputs: Vec<&Path> =
            args.paths.iter().chain(policies.into_iter().flatten()).map(PathBuf::as_path).collect();
        files::refuse_input_as_output(output, &inputs, "report")?;
    }
    let page = if args.logs { replayed(&args)? } else { scenario_page(&args)? };
    match &args.output {
        Some(path) => write(path, &page)?,
        None => output::print(Mode::Data, &page)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn scenario_page(args: &ReportArgs) -> Result<String, Failure> {
    let [path] = args.paths.as_slice() else {
        return Err(Failure::usage(
            format!("`casim report` takes one scenario file, and {} were given", args.paths.len()),
            Some("to report on sign-in log files, add --logs".to_string()),
        ));
    };
    Ok(match (&args.baseline, &args.proposed) {
        (Some(_), Some(_)) => {
            let baseline = load(path, &args.baseline)?;
            let proposed = load(path, &args.proposed)?;
            let labels = html::Labels { shown: label(&args.proposed), baseline: Some(label(&args.baseline)) };
            html::render_diff(&baseline, &proposed, &labels)?
        }
        _ => {
            let scenario = load(path, &args.policies)?;
            html::render(&scenario, &label(&args.policies))?
        }
    })
}

/// `--logs`: the logs replayed under one policy set, or under two side by side.
fn replayed(args: &ReportArgs) -> Result<String, Failure> {
    let sets: Vec<&PathBuf> = match (&args.policies, &args.baseline, &args.proposed) {
        (Some(p), _, _) => vec![p],
        (None, Some(b), Some(p)) => vec![b, p],
        _ => {
            return Err(Failure::usage(
                "sign-in logs carry no policies: give --policies, or --baseline with --proposed",
                Some("e.g. `casim report --logs signins.json --policies policies.json -o report.html`".to_string()),
            ));
        }
    };
    for policies in &sets {
        super::replay::check_inputs(&args.paths, policies)?;
    }
    let mut logs = replay::read(&args.paths, replay::Reading::default())?;
    let templates: Vec<Scenario> =
        sets.iter().map(|p| replay::tenant::with_policies(&logs.template, p)).collect::<Result<_, _>>()?;
    super::replay::warn(&templates.iter().collect::<Vec<_>>());
    let read = std::mem::take(&mut logs.read);
    let (first, summary, assumed) = replay::whole(logs, &templates[0])?;
    super::replay::announce(&summary, &read, false);
    // The same activity under each set: only the policies differ.
    let runs: Vec<(Scenario, _)> = templates
        .iter()
        .map(|t| {
            let mut sc = first.clone();
            sc.policies = t.policies.clone();
            sc.named_locations = t.named_locations.clone();
            (sc, assumed.clone())
        })
        .collect();
    let shown = runs.last().expect("one run at least");
    // One prune serves both runs: the two replays rebuilt the same activity.
    let prune = |_: &Scenario, outcome: &mut Outcome| super::replay::prune(&shown.1, outcome);
    let (labels, baseline) = match args.baseline {
        Some(_) => {
            (html::Labels { shown: label(&args.proposed), baseline: Some(label(&args.baseline)) }, Some(&runs[0].0))
        }
        None => (html::Labels { shown: label(&args.policies), baseline: None }, None),
    };
    Ok(html::render_pruned(&shown.0, baseline, &labels, &prune)?)
}

fn write(path: &Path, page: &str) -> Result<(), Failure> {
    files::write_whole(path, page.as_bytes())
        .map_err(|e| Failure::from(InputError::new(path, None, format!("cannot write the report: {e}"))))?;
    files::wrote(path, page.len() as u64, "an HTML report");
    Ok(())
}
