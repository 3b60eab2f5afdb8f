//! `casim snapshot`: prompt snapshots of scenarios (docs/ci.md). With
//! `--update` each `<name>.yaml` gets `<name>.prompts.snap` beside it (see
//! `snapshot::snapshot_path` for other names); without,
//! each snapshot is compared with a fresh run and differences are printed as
//! unified diffs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::ci_format::{self, CiFormat};
use super::files;
use super::output::{Mode, Stdout};
use super::{Failure, load_all};
use crate::diff::snapshot::{self, Status};
use crate::error::InputError;
use crate::report::verdict::Verdict;

pub(super) const AFTER_HELP: &str = "\
The snapshot of `<name>.yaml` is `<name>.prompts.snap` beside it (of `<name>.yml`,
`<name>.yml.prompts.snap`; two files that would share one are refused): one line per
prompt (time, user, device, app, client, kind, reason, policy, rule), blocked
access and report-only finding. Commit the snapshots with the scenarios; a
change of policies that changes what users see then shows up as a diff.

With --format junit or markdown the comparison is written as JUnit XML (a test
case a scenario, failed when its snapshot changed or is missing, the unified
diff as the failure's text) or as a Markdown summary for a pull-request
comment (docs/ci.md); the exit status is the same.

Exit status: 0 when every snapshot matches (or was written), 1 when any differs
or is missing, 2 on input casim cannot use.

Examples:
  casim snapshot scenarios/
  casim snapshot scenarios/ --update
  casim snapshot scenarios/work-week.yaml --policies examples/policies/proposed.yaml
  casim snapshot scenarios/ --format junit";

#[derive(Args)]
pub(crate) struct SnapshotArgs {
    /// Scenario files, or folders searched for .yaml files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write (or overwrite) the snapshots instead of comparing.
    #[arg(long)]
    update: bool,
    /// A YAML list of policies, a Graph export or `none`, replacing each scenario's policies.
    #[arg(long, value_name = "FILE")]
    policies: Option<PathBuf>,
    /// Output format of the comparison: the text, JUnit XML or a Markdown summary (docs/ci.md).
    #[arg(long, value_enum, default_value_t = CiFormat::Text)]
    format: CiFormat,
}

pub(crate) fn run(args: SnapshotArgs) -> Result<ExitCode, Failure> {
    if args.update && args.format != CiFormat::Text {
        return Err(Failure::usage(
            "--format junit and --format markdown report a comparison, and --update writes the snapshots instead",
            Some("compare without --update, e.g. `casim snapshot scenarios/ --format junit > snapshots.xml`".into()),
        ));
    }
    // Bad input stops everything before any snapshot is read or written.
    let scenarios = load_all(&args.paths, &args.policies)?;
    for s in &scenarios {
        if let Some(other) = snapshot::sharing(&s.path) {
            let snap = snapshot::snapshot_path(&s.path);
            return Err(InputError::new(
                &s.path,
                None,
                format!("{} and {} would share the snapshot {}", s.path.display(), other.display(), snap.display()),
            )
            .with_help(Some("rename one of the two scenario files".into()))
            .into());
        }
    }
    let text = args.format == CiFormat::Text;
    let mut out = Stdout::new(Mode::Text);
    let (mut same, mut changed, mut missing, mut written) = (0, 0, 0, 0);
    let mut verdicts = Vec::new();
    for s in &scenarios {
        let checked = snapshot::check(s, args.policies.as_deref())?;
        let path = &checked.path;
        let file = s.path.display().to_string();
        let line = match (args.update, &checked.status) {
            (true, Status::Same) => {
                same += 1;
                format!("unchanged  {}", path.display())
            }
            (true, _) => {
                files::write_whole(path, checked.now.as_bytes())
                    .map_err(|e| InputError::new(path, None, format!("cannot write the snapshot: {e}")))?;
                written += 1;
                format!("wrote      {}", path.display())
            }
            (false, Status::Missing) => {
                missing += 1;
                let why = format!("no snapshot yet; run `casim snapshot {file} --update` to write it");
                verdicts.push(Verdict::failed(&file, &s.name, "snapshot", "missing", &why));
                format!("MISSING    {}: {why}", path.display())
            }
            (false, Status::Same) => {
                same += 1;
                verdicts.push(Verdict::passed(&file, &s.name));
                format!("ok         {file}")
            }
            (false, Status::Changed(d)) => {
                changed += 1;
                let message = format!("the prompts changed: {} differs from a fresh run", path.display());
                verdicts.push(Verdict::failed(&file, &s.name, "snapshot", &message, d.trim_end()));
                format!("CHANGED    {file} ({})\n{}", s.name, d.trim_end())
            }
        };
        if text {
            out.line(&line)?;
        }
    }
    let totals = if args.update {
        format!("{written} written, {same} unchanged")
    } else {
        format!("{same} ok, {changed} changed, {missing} missing")
    };
    if text {
        out.line(&totals)?;
        if !args.update && changed > 0 {
            let mut again: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
            if let Some(p) = &args.policies {
                again.push(format!("--policies {}", p.display()));
            }
            out.line(&format!(
                "if the change is intended, run `casim snapshot {} --update` and commit the snapshots",
                again.join(" ")
            ))?;
        }
    }
    out.finish()?;
    ci_format::print(args.format, "casim snapshot", &totals, &verdicts)?;
    Ok(if !args.update && changed + missing > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
