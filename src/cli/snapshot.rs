//! `casim snapshot`: prompt snapshots of scenarios (docs/ci.md). With
//! `--update` each `<name>.yaml` gets `<name>.prompts.snap` beside it (see
//! `snapshot::snapshot_path` for other names); without,
//! each snapshot is compared with a fresh run and differences are printed as
//! unified diffs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::files;
use super::output::{Mode, Stdout};
use super::{Failure, load_all};
use crate::diff::snapshot::{self, Status};
use crate::error::InputError;

pub(super) const AFTER_HELP: &str = "\
The snapshot of `<name>.yaml` is `<name>.prompts.snap` beside it (of `<name>.yml`,
`<name>.yml.prompts.snap`; two files that would share one are refused): one line per
prompt (time, user, device, app, client, kind, reason, policy, rule), blocked
access and report-only finding. Commit the snapshots with the scenarios; a
change of policies that changes what users see then shows up as a diff.

Exit status: 0 when every snapshot matches (or was written), 1 when any differs
or is missing, 2 on input casim cannot use.

Examples:
  casim snapshot scenarios/
  casim snapshot scenarios/ --update
  casim snapshot scenarios/work-week.yaml --policies examples/policies/proposed.yaml";

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
}

pub(crate) fn run(args: SnapshotArgs) -> Result<ExitCode, Failure> {
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
    let mut out = Stdout::new(Mode::Text);
    let (mut same, mut changed, mut missing, mut written) = (0, 0, 0, 0);
    for s in &scenarios {
        let checked = snapshot::check(s, args.policies.as_deref())?;
        let path = &checked.path;
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
                format!(
                    "MISSING    {}: no snapshot yet; run `casim snapshot {} --update` to write it",
                    path.display(),
                    s.path.display()
                )
            }
            (false, Status::Same) => {
                same += 1;
                format!("ok         {}", s.path.display())
            }
            (false, Status::Changed(d)) => {
                changed += 1;
                format!("CHANGED    {} ({})\n{}", s.path.display(), s.name, d.trim_end())
            }
        };
        out.line(&line)?;
    }
    if args.update {
        out.line(&format!("{written} written, {same} unchanged"))?;
    } else {
        out.line(&format!("{same} ok, {changed} changed, {missing} missing"))?;
    }
    if !args.update && changed + missing > 0 {
        if changed > 0 {
            let mut again: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
            if let Some(p) = &args.policies {
                again.push(format!("--policies {}", p.display()));
            }
            out.line(&format!(
                "if the change is intended, run `casim snapshot {} --update` and commit the snapshots",
                again.join(" ")
            ))?;
        }
        out.finish()?;
        return Ok(ExitCode::from(1));
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
