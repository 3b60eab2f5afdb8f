//! `casim merge`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::output::{Mode, Stdout};
use super::{Failure, Format};
use crate::report;
use crate::report::partial::Merged;

pub(super) const AFTER_HELP: &str = "\
Each FILE is the partial result of one shard (`casim replay ... --shard K/N
--format partial`). The merge interleaves their users in the order one
unsharded run gives them, so its output is byte for byte what the unsharded
command prints in that format. Files of other policies, inputs, starts, casim
versions or shard counts do not merge, nor a set with a shard missing or given
twice (exit status 2). See docs/scale.md.

Examples:
  casim generate --users 24 --days 3 --seed 8 -o population.yaml
  casim logs population.yaml --format ndjson > signins.ndjson
  casim replay signins.ndjson --policies examples/policies/proposed.yaml --shard 1/2 --format partial > 1.partial
  casim replay signins.ndjson --policies examples/policies/proposed.yaml --shard 2/2 --format partial > 2.partial
  casim merge 1.partial 2.partial
  casim replay signins.ndjson --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml --shard 1/2 --format partial > diff-1.partial
  casim replay signins.ndjson --baseline examples/policies/current.yaml --proposed examples/policies/proposed.yaml --shard 2/2 --format partial > diff-2.partial
  casim merge diff-*.partial --fail-if 'changes.prompts > 0'";

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// Partial results, one per shard, in any order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// For the shares of a diff: exit 1 when this condition over the merged summary holds (docs/diff.md).
    #[arg(long, value_name = "EXPR")]
    fail_if: Option<String>,
}

pub(super) fn merge(args: MergeArgs) -> Result<ExitCode, (Failure, &'static str)> {
    run(args).map_err(|f| (f, "merge"))
}

fn run(args: MergeArgs) -> Result<ExitCode, Failure> {
    let condition = args.fail_if.as_deref().map(super::diff::condition).transpose()?;
    let (mode, format) = match args.format {
        Format::Text => (Mode::Text, report::run::Format::Text),
        Format::Json => (Mode::Data, report::run::Format::Json),
    };
    if condition.is_some() && !report::partial::is_diff(&args.files)? {
        return Err(Failure::usage(
            "--fail-if judges a diff's summary, and these partial results hold prompts",
            None::<String>,
        ));
    }
    let mut out = Stdout::new(mode);
    match report::partial::merge(&args.files, format, &mut out)? {
        Merged::Diff(collector) => super::diff::finish(*collector, args.format, condition.as_ref()),
        Merged::Written => {
            out.finish()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
