//! `casim explain`: one sign-in record laid out like the portal's activity
//! details, followed by why casim wrote it. `engine::select` runs the
//! scenario and keeps the record; this module names it and prints it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::output::{self, Mode};
use super::{Failure, load_single};
use crate::engine::select::{NotFound, Wanted, select};
use crate::report::explain::{self, Explained};

pub(super) const AFTER_HELP: &str = "\
Name the record by its request id (the `id` of `casim logs`; the REQUEST ID column
of `casim logs PATH --format table`), or by prompt: --prompt N shows the interactive
sign-in that answered the Nth prompt of `casim run` (or, if it was never answered,
the refused request that raised it).

The page follows the portal's activity details (basic info, location, device info,
authentication details, Conditional Access, report-only, session lifetime policies),
then \"Why (casim)\": the prompt, the artifacts behind the auth instant, the rules.

Examples:
  casim explain scenarios/example-3-scenario-2.yaml --prompt 1
  casim explain scenarios/native-background-refresh.yaml --prompt 2
  casim logs scenarios/example-2-background-upload.yaml --format table
  casim explain scenarios/example-2-background-upload.yaml f3a73607-f555-4524-b570-0df293f4bb12";

#[derive(Args)]
pub(crate) struct ExplainArgs {
    /// The scenario file.
    path: PathBuf,
    /// The request id (`id`) of the record, as `casim logs` prints it.
    #[arg(required_unless_present = "prompt", conflicts_with = "prompt", value_name = "REQUEST_ID")]
    request_id: Option<String>,
    /// The Nth prompt of `casim run` (from 1).
    #[arg(long, value_name = "N", value_parser = prompt_number)]
    prompt: Option<u64>,
    /// Policies that replace the scenario's policies: a YAML list, a Graph export, or `none` (docs/policies.md).
    #[arg(long, value_name = "FILE")]
    policies: Option<PathBuf>,
}

fn prompt_number(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{text}` is not a prompt number; prompts are numbered from 1, in the order of `casim run`")),
    }
}

pub(super) fn explain(args: ExplainArgs) -> Result<ExitCode, (Failure, &'static str)> {
    let with = |f: Failure| (f, "explain");
    let scenario = load_single(&args.path, &args.policies, "explain").map_err(with)?;
    let wanted = match (&args.prompt, &args.request_id) {
        (Some(n), _) => Wanted::Prompt(*n),
        (None, Some(id)) => Wanted::RequestId(id),
        (None, None) => unreachable!("clap requires a request id or --prompt"),
    };
    let path = scenario.path.display();
    let selected = select(&scenario, wanted).map_err(|e| {
        with(match e {
            NotFound::EventLimit(e) => (*e).into(),
            NotFound::NoSuchPrompt { count } => {
                let n = args.prompt.unwrap_or(0);
                let message = match count {
                    0 => format!("--prompt {n}: {path} raises no prompt"),
                    1 => format!("--prompt {n}: {path} raises 1 prompt; use --prompt 1"),
                    _ => format!("--prompt {n}: {path} raises {count} prompts; use --prompt 1 to --prompt {count}"),
                };
                Failure::usage(message, Some(format!("`casim run {path}` lists them in this order")))
            }
            NotFound::NoSuchRequest => Failure::usage(
                format!(
                    "no sign-in record of {path} has the request id `{}`",
                    args.request_id.as_deref().unwrap_or_default().trim()
                ),
                Some(format!("`casim logs {path} --format table` lists the records; `--format csv` shows their ids")),
            ),
            NotFound::NoRecord => Failure::usage(
                format!(
                    "prompt {} of {path} left no sign-in record (it was abandoned before any request)",
                    args.prompt.unwrap_or(0)
                ),
                None,
            ),
        })
    })?;
    let text = explain::render(&Explained {
        scenario: &scenario,
        outcome: &selected.outcome,
        event: &selected.event,
        refusal: selected.refusal.as_ref(),
    });
    output::print(Mode::Text, &text).map_err(with)?;
    Ok(ExitCode::SUCCESS)
}
