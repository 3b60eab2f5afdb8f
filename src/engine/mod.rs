//! The discrete-event engine: replays a scenario's timeline and reports every
//! prompt. `sim` is the driver and `sim/` the rules, one file per family of
//! MODEL.md; `queue` the event order (R-DET-1); `world` the artifacts, with
//! `state` their types and `lineage` where each auth instant came from.
//!
//! The engine emits data, renderers write words: `outcome` holds what a run
//! found, each with its `rule::Rule` (the ids of docs/model.md), its
//! `error_code::ErrorCode` (AADSTS) and its cause (`outcome::Detail`), which
//! `report::words` puts in sentences; `trace` holds what `--trace` shows, which
//! `report::trace` words.

mod by_user;
pub mod lineage;
pub mod outcome;
mod parts;
pub mod population;
pub mod queue;
pub mod select;
mod sim;
mod slots;
pub mod state;
pub mod trace;
pub mod world;

// Shared with `signin`'s records, so they live in `domain`; the engine's
// paths to them stay.
pub use crate::domain::{error_code, rule};
pub use error_code::ErrorCode;
pub use outcome::{
    Blocked, Deferral, Detail, Finding, Named, Need, Outcome, Prompt, PromptKind, PromptResult, Reason,
    ReportOnlyFinding, Stats, WorkloadSignIn,
};
pub use rule::Rule;
pub use trace::{TraceEvent, Traced};

use crate::scenario::Scenario;
use crate::signin::SignInSink;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Record every engine event with its instant (`casim run --trace`).
    pub trace: bool,
    /// Describe the artifacts behind each sign-in record's auth instant (`casim explain`).
    pub explain: bool,
    /// The run is a `population:` scenario's: its output adds a summary by
    /// group, and its text is that summary alone unless `every_prompt`.
    /// The engine itself does not read it.
    pub population: bool,
    /// `casim run --every-prompt`: a population's text lists every prompt.
    pub every_prompt: bool,
}

impl Options {
    /// Whether the text is a population's summary instead of its prompts.
    pub fn summarised(self) -> bool {
        self.population && !self.every_prompt
    }
}

/// Runs a scenario's own timeline to its end; a scenario whose users never
/// meet part by part, in parallel. A population has no timeline of its own:
/// it runs through `simulate_each`, since its users' outcomes name each
/// user's own scenario.
pub fn simulate(scenario: &Scenario, options: Options) -> Outcome {
    parts::simulate(scenario, options).unwrap_or_else(|| sim::Sim::new(scenario, options).run())
}

/// Runs a scenario, or a population user by user in parallel, and hands
/// each outcome with the scenario whose indices it holds to `map` (in
/// parallel), then each result to `fold` in user order (R-DET-1); the first
/// error `fold` returns ends the run. Nothing is kept between users.
pub fn simulate_each<R: Send, E>(
    scenario: &Scenario,
    options: Options,
    map: impl Fn(&Scenario, Outcome) -> R + Sync,
    mut fold: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    match &scenario.population {
        Some(p) => population::for_each_user_lent(
            &[(scenario, p)],
            population::chunk(p.days),
            |_, users| map(&users[0], sim::Sim::new(&users[0], options).run()),
            fold,
        ),
        None => fold(map(scenario, simulate(scenario, options))),
    }
}

/// The error for a run that stopped at `limits.max_events`, if it did: the
/// command reports it (exit status 2) instead of incomplete results.
pub fn check_event_limit(scenario: &Scenario, outcome: &Outcome) -> Result<(), crate::error::InputError> {
    let Some(at) = outcome.stopped_at else { return Ok(()) };
    let max = scenario.limits.max_events;
    Err(crate::error::InputError::new(
        &scenario.path,
        None,
        format!(
            "the simulation stopped at {} ({} after `start`): it processed {max} events, the limit (`limits.max_events`)",
            crate::time::rfc3339(at),
            crate::time::duration(at - scenario.start)
        ),
    )
    .with_help(Some(format!(
        "shorten the timeline, or raise the limit with `limits: {{ max_events: {} }}` at the top of the scenario (docs/limits.md)",
        max.saturating_mul(2)
    )))
    .with_kind(crate::error::ErrorKind::Limit { setting: "limits.max_events" }))
}

/// Runs a scenario and hands every sign-in record to `sink` as it is produced (R-LOG-1).
pub fn simulate_with_sink(scenario: &Scenario, options: Options, sink: &mut dyn SignInSink) -> Outcome {
    sim::Sim::new(scenario, options).with_sink(sink).run()
}
