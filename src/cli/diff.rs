//! `casim diff`: every scenario under two policy sets, and what changed
//! (docs/diff.md). Scenarios are loaded and simulated one at a time (a
//! population a chunk of members at a time) and folded into per-user
//! records, so memory holds one scenario's outcomes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::output::{self, Mode, Sanitized, Stdout};
use super::{Failure, Format, load_one};
use crate::diff::{self, Collector, expr};
use crate::error::{ErrorKind, InputError, Pos, did_you_mean};
use crate::scenario;

pub(super) const AFTER_HELP: &str = "\
Each scenario's policies are replaced by --baseline, then by --proposed (as
`casim run --policies` does: casim YAML or a Graph export), and both runs are
compared: prompts per user and app, prompts per user-day (mean, median, p95,
max), users whose prompts rose, users newly blocked, the most prompts one user
saw within an hour, report-only findings, and the ten largest changes.

--fail-if EXPR exits 1 when EXPR holds (for CI). EXPR compares summary fields:
  prompts_per_user_day.p95 > 3
  changes.users_newly_blocked > 0 or max_prompts_in_hour >= 4
  proposed.prompts - baseline.prompts > 0.1 * baseline.prompts
A field without `baseline.`, `proposed.` or `changes.` is the proposed value
(or the change, for fields only `changes` has). docs/diff.md lists every field.

Exit status: 0, or 1 when --fail-if holds, 2 on input casim cannot use or a bad
--fail-if expression.

Examples:
  casim diff --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml scenarios/population-office.yaml
  casim diff --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml scenarios/work-week.yaml --format json
  casim diff --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml scenarios/population-office.yaml --fail-if 'prompts_per_user_day.p95 > 3'";

#[derive(Args)]
pub(crate) struct DiffArgs {
    /// The policies of today (casim YAML or a Graph export; `none` for no policy at all).
    #[arg(long, value_name = "POLICIES")]
    baseline: PathBuf,
    /// The policies to compare with them (`none` for no policy at all).
    #[arg(long, value_name = "POLICIES")]
    proposed: PathBuf,
    /// Scenario files, or folders searched for .yaml files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format; `partial` is one shard's share of a population's summary for `casim merge` (docs/scale.md).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// With --format partial: only the members of shard K of N of a population (docs/scale.md).
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    shard: Option<crate::shard::Shard>,
    /// Exit 1 when this condition over the summary holds (docs/diff.md).
    #[arg(long, value_name = "EXPR")]
    fail_if: Option<String>,
}

/// Parses `--fail-if` and resolves its fields, before anything runs.
/// Parses `--fail-if`; its errors are positioned like any input's: the flag
/// is the file, the expression its one line (one miette path).
pub(super) fn condition(source: &str) -> Result<expr::Expr, Failure> {
    let at = |column: usize, message: String| {
        InputError::new(Path::new("--fail-if"), Some(Pos { line: 1, column: column.max(1) }), message)
            .with_source(source)
    };
    let mut e = expr::parse(source).map_err(|err| at(err.column, err.message))?;
    let names = diff::field_names();
    e.resolve(&|written| diff::resolve(written, &names)).map_err(|unknown| {
        let candidates = diff::suggestions(&names);
        let guess = did_you_mean(&unknown.name, candidates.iter().map(String::as_str));
        let fields = diff::describe_fields(&names);
        let help = match guess {
            Some(g) => format!("{g}\n{fields}"),
            None => fields,
        };
        at(unknown.column, format!("unknown field `{}`", unknown.name))
            .with_help(Some(help))
            .with_kind(ErrorKind::Unknown { what: "field".into(), name: unknown.name.clone() })
    })?;
    Ok(e)
}

pub(crate) fn diff(args: DiffArgs) -> Result<ExitCode, (Failure, &'static str)> {
    run(args).map_err(|f| (f, "diff"))
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum DiffFormat {
    Text,
    Json,
    Partial,
}

fn run(args: DiffArgs) -> Result<ExitCode, Failure> {
    let condition = args.fail_if.as_deref().map(condition).transpose()?;
    let format = match (args.format, args.shard, &condition) {
        (DiffFormat::Partial, _, Some(_)) => {
            return Err(Failure::usage(
                "--fail-if judges the whole summary: give it to `casim merge`, not to one shard's partial result",
                None::<String>,
            ));
        }
        (DiffFormat::Partial, _, None) => return partial(&args),
        (_, Some(_), _) => {
            return Err(Failure::usage(
                "`casim diff --shard` writes one shard's partial result: add `--format partial`, then `casim merge` the shards",
                Some("docs/scale.md".to_string()),
            ));
        }
        (DiffFormat::Text, None, _) => Format::Text,
        (DiffFormat::Json, None, _) => Format::Json,
    };
    for p in [&args.baseline, &args.proposed] {
        if !p.exists() && p.as_os_str() != scenario::NO_POLICIES {
            return Err(InputError::new(p, None, "no such file or folder").into());
        }
    }
    let files = scenario::collect_paths(&args.paths)?;
    if files.is_empty() {
        return Err(InputError::new(&args.paths[0], None, "no .yaml scenario files found here").into());
    }
    let (baseline, proposed) = (Some(args.baseline.clone()), Some(args.proposed.clone()));
    let mut collector = Collector::new(&args.baseline.display().to_string(), &args.proposed.display().to_string());
    let mut warned = BTreeSet::new();
    for file in &files {
        let before = load_one(file, &baseline)?;
        let after = load_one(file, &proposed)?;
        for w in before.warnings.iter().chain(&after.warnings) {
            if warned.insert(w.clone()) {
                output::stderr(&format!("warning: {w}"));
            }
        }
        diff::simulate_pair(&mut collector, &before, &after)?;
        collector.scenario_done();
    }
    finish(collector, format, condition.as_ref())
}

/// `--format partial`: one population scenario's members of a shard, each
/// member's share of the summary, for `casim merge`.
fn partial(args: &DiffArgs) -> Result<ExitCode, Failure> {
    use crate::report::partial;
    let files = scenario::collect_paths(&args.paths)?;
    let [file] = files.as_slice() else {
        return Err(Failure::usage(
            format!("`--format partial` takes one population scenario, and {} were given", files.len()),
            None::<String>,
        ));
    };
    let before = load_one(file, &Some(args.baseline.clone()))?;
    let after = load_one(file, &Some(args.proposed.clone()))?;
    let shard = args.shard.unwrap_or(crate::shard::Shard::ALL);
    let labels = [&args.baseline, &args.proposed].map(|p| p.display().to_string());
    let fingerprint = partial::fingerprint(&[file.as_path(), args.baseline.as_path(), args.proposed.as_path()]);
    let header = partial::Header::new("diff", &after, fingerprint, shard, crate::engine::Options::default());
    let mut out = Stdout::new(Mode::Data);
    out.write(&header.diff(labels[0].clone(), labels[1].clone()).line())?;
    let mut users = 0u64;
    let mut failed = None;
    diff::population_shares(&before, &after, shard, |key, share| {
        if failed.is_none() {
            failed = out.write(&partial::share_line(&key, &share)).err();
        }
        users += 1;
        Ok(())
    })?;
    if let Some(f) = failed {
        return Err(f);
    }
    out.write(&partial::trailer(users))?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the summary the collector holds in `format`, then judges
/// `--fail-if` (exit status 1 when it holds); `casim replay` ends the same way.
pub(super) fn finish(
    collector: Collector,
    format: Format,
    condition: Option<&expr::Expr>,
) -> Result<ExitCode, Failure> {
    let report = collector
        .finish()
        .map_err(|e| Failure::usage(format!("cannot keep the (user, app) rows in a temporary file: {e}"), None))?;
    let mut out = Stdout::new(if format == Format::Json { Mode::Data } else { Mode::Text });
    match format {
        Format::Text => diff::render::render(&report, &mut Sanitized(&mut out)).map_err(output::failure)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report).map_err(|e| output::failure(e.into()))?;
            out.line("")?;
        }
    }
    out.finish()?;
    let Some(condition) = condition else { return Ok(ExitCode::SUCCESS) };
    let values = diff::fields(&report);
    let ev = condition.evaluate(&|full| values.iter().find(|(n, _)| n == full).map(|(_, v)| *v).unwrap_or(f64::NAN));
    if ev.holds {
        output::stderr(&format!("fail-if: the condition holds: {}\n{}", condition.source(), ev.explain().trim_end()));
        Ok(ExitCode::from(1))
    } else {
        output::stderr(&format!(
            "fail-if: the condition does not hold: {}\n{}",
            condition.source(),
            ev.explain().trim_end()
        ));
        Ok(ExitCode::SUCCESS)
    }
}
