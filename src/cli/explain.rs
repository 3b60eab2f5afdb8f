//! `casim explain`: one sign-in record laid out like the portal's activity
//! details, followed by why casim wrote it. The scenario runs with
//! explanations on and a sink that keeps only the wanted record (and, for a
//! record that belongs to a prompt, the refused request that raised it).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::output::{self, Mode};
use super::{Failure, load_single};
use crate::engine::{self, Options};
use crate::report::explain::{self, Explained};
use crate::signin::{SignInEvent, record};

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
  casim explain scenarios/example-2-background-upload.yaml db538f85-fe40-4082-867f-5aa9e007191a";

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

/// What the sink keeps while the engine runs.
#[derive(Default)]
struct Keep {
    /// The record asked for.
    wanted: Option<SignInEvent>,
    /// For `--prompt`, the prompt's first record: its refusal, used when no
    /// success record answers the prompt.
    fallback: Option<SignInEvent>,
    /// The refused request of each prompt met so far (request-id mode needs the
    /// one of the wanted record's prompt, which is only known once it is found).
    refusal: Option<SignInEvent>,
}

/// A request that raised a prompt: a refusal, not the "Stay signed in?"
/// interrupt (50140) nor a failed password (50126) of the answer.
fn is_refusal(e: &SignInEvent) -> bool {
    use crate::engine::ErrorCode::{InvalidCredentials, KeepMeSignedInInterrupt};
    e.prompt.is_some() && !matches!(e.error_code, None | Some(KeepMeSignedInInterrupt | InvalidCredentials))
}

/// Long: argument checks, then the record's selection and printing, in order.
pub(super) fn explain(args: ExplainArgs) -> Result<ExitCode, (Failure, &'static str)> {
    let with = |f: Failure| (f, "explain");
    let scenario = load_single(&args.path, &args.policies, "explain").map_err(with)?;
    let options = Options { explain: true, ..Options::default() };
    let mut keep = Keep::default();
    let outcome = match (&args.prompt, &args.request_id) {
        (Some(n), _) => {
            let index = usize::try_from(*n - 1).unwrap_or(usize::MAX);
            let mut sink = |e: SignInEvent| {
                if e.prompt != Some(index) {
                    return;
                }
                if is_refusal(&e) && keep.refusal.is_none() {
                    keep.refusal = Some(e.clone());
                }
                if e.interactive && e.error_code.is_none() {
                    keep.wanted.get_or_insert(e);
                } else if keep.fallback.is_none() {
                    keep.fallback = Some(e);
                }
            };
            let outcome = engine::simulate_with_sink(&scenario, options, &mut sink);
            engine::check_event_limit(&scenario, &outcome).map_err(|e| with(e.into()))?;
            if index >= outcome.prompts.len() {
                let count = outcome.prompts.len();
                let message = match count {
                    0 => format!("--prompt {n}: {} raises no prompt", scenario.path.display()),
                    1 => format!("--prompt {n}: {} raises 1 prompt; use --prompt 1", scenario.path.display()),
                    _ => format!(
                        "--prompt {n}: {} raises {count} prompts; use --prompt 1 to --prompt {count}",
                        scenario.path.display()
                    ),
                };
                let help = format!("`casim run {}` lists them in this order", scenario.path.display());
                return Err(with(Failure::usage(message, Some(help))));
            }
            if keep.wanted.is_none() {
                keep.wanted = keep.fallback.take();
            }
            outcome
        }
        (None, Some(id)) => {
            let wanted_id = id.trim().to_ascii_lowercase();
            let mut refusals: Vec<SignInEvent> = Vec::new();
            let mut sink = |e: SignInEvent| {
                if keep.wanted.is_some() {
                    return;
                }
                if is_refusal(&e) && !refusals.iter().any(|r| r.prompt == e.prompt) {
                    refusals.push(e.clone());
                }
                if record::request_id(&scenario, e.serial) == wanted_id {
                    keep.refusal = refusals.iter().find(|r| e.prompt.is_some() && r.prompt == e.prompt).cloned();
                    keep.wanted = Some(e);
                }
            };
            let outcome = engine::simulate_with_sink(&scenario, options, &mut sink);
            engine::check_event_limit(&scenario, &outcome).map_err(|e| with(e.into()))?;
            if keep.wanted.is_none() {
                return Err(with(Failure::usage(
                    format!("no sign-in record of {} has the request id `{}`", scenario.path.display(), id.trim()),
                    Some(format!(
                        "`casim logs {} --format table` lists the records; `--format csv` shows their ids",
                        scenario.path.display()
                    )),
                )));
            }
            outcome
        }
        (None, None) => unreachable!("clap requires a request id or --prompt"),
    };
    let Some(event) = keep.wanted else {
        // An abandoned sign-in without a refused request leaves no record.
        let n = args.prompt.unwrap_or(0);
        return Err(with(Failure::usage(
            format!(
                "prompt {n} of {} left no sign-in record (it was abandoned before any request)",
                scenario.path.display()
            ),
            None,
        )));
    };
    // The refusal is shown apart only when it is not the record itself.
    let refusal = keep.refusal.filter(|r| r.serial != event.serial);
    let text = explain::render(&Explained {
        scenario: &scenario,
        outcome: &outcome,
        event: &event,
        refusal: refusal.as_ref(),
    });
    output::print(Mode::Text, &text).map_err(with)?;
    Ok(ExitCode::SUCCESS)
}
