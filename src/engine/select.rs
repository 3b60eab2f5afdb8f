//! One sign-in record of a run, for `casim explain`: the scenario runs with
//! explanations on and a sink that keeps only the wanted record (and, for a
//! record that belongs to a prompt, the refused request that raised it).

use super::{Options, Outcome};
use crate::error::InputError;
use crate::scenario::Scenario;
use crate::signin::{SignInEvent, record};

/// Which record: the one that answered the Nth prompt (from 1), or the one
/// with a request id.
#[derive(Debug, Clone, Copy)]
pub enum Wanted<'a> {
    Prompt(u64),
    RequestId(&'a str),
}

/// The record found, the run it comes from, and the refused request that
/// raised its prompt when that is another record.
pub struct Selected {
    pub outcome: Outcome,
    pub event: SignInEvent,
    pub refusal: Option<SignInEvent>,
}

/// Why no record was selected.
#[derive(Debug)]
pub enum NotFound {
    /// The run hit its event cap.
    EventLimit(Box<InputError>),
    /// `Prompt(n)` past the run's prompts; `count` prompts were raised.
    NoSuchPrompt { count: usize },
    /// No record has the request id.
    NoSuchRequest,
    /// The prompt was abandoned before any request, so it left no record.
    NoRecord,
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
    use super::ErrorCode::{InvalidCredentials, KeepMeSignedInInterrupt};
    e.prompt.is_some() && !matches!(e.error_code, None | Some(KeepMeSignedInInterrupt | InvalidCredentials))
}

/// Runs `scenario` and keeps the wanted record.
pub fn select(scenario: &Scenario, wanted: Wanted<'_>) -> Result<Selected, NotFound> {
    let options = Options { explain: true, ..Options::default() };
    let mut keep = Keep::default();
    let outcome = match wanted {
        Wanted::Prompt(n) => {
            let index = usize::try_from(n.saturating_sub(1)).unwrap_or(usize::MAX);
            // Records link prompts as raised; withdrawn ones (R-DEF-4) count
            // there but not in the outcome, so a first run finds the link.
            let raised = super::simulate(scenario, options).raised_index(index);
            let mut sink = |e: SignInEvent| {
                if e.prompt != Some(raised) {
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
            let outcome = super::simulate_with_sink(scenario, options, &mut sink);
            super::check_event_limit(scenario, &outcome).map_err(|e| NotFound::EventLimit(Box::new(e)))?;
            if index >= outcome.prompts.len() {
                return Err(NotFound::NoSuchPrompt { count: outcome.prompts.len() });
            }
            if keep.wanted.is_none() {
                keep.wanted = keep.fallback.take();
            }
            outcome
        }
        Wanted::RequestId(id) => {
            let wanted_id = id.trim().to_ascii_lowercase();
            let mut refusals: Vec<SignInEvent> = Vec::new();
            let mut sink = |e: SignInEvent| {
                if keep.wanted.is_some() {
                    return;
                }
                if is_refusal(&e) && !refusals.iter().any(|r| r.prompt == e.prompt) {
                    refusals.push(e.clone());
                }
                if record::request_id(scenario, e.serial) == wanted_id {
                    keep.refusal = refusals.iter().find(|r| e.prompt.is_some() && r.prompt == e.prompt).cloned();
                    keep.wanted = Some(e);
                }
            };
            let outcome = super::simulate_with_sink(scenario, options, &mut sink);
            super::check_event_limit(scenario, &outcome).map_err(|e| NotFound::EventLimit(Box::new(e)))?;
            if keep.wanted.is_none() {
                return Err(NotFound::NoSuchRequest);
            }
            outcome
        }
    };
    // An abandoned sign-in without a refused request leaves no record.
    let event = keep.wanted.ok_or(NotFound::NoRecord)?;
    // The refusal is shown apart only when it is not the record itself.
    let refusal = keep.refusal.filter(|r| r.serial != event.serial);
    Ok(Selected { outcome, event, refusal })
}
