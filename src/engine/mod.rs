//! The discrete-event engine: replays a scenario's timeline and reports every
//! prompt. `sim` holds the rules; `queue` the event order; `state` the
//! artifacts; `lineage` where each auth instant came from.

pub mod lineage;
pub mod outcome;
pub mod queue;
mod sim;
pub mod state;

pub use outcome::{
    Blocked, Deferral, Finding, Outcome, Prompt, PromptKind, PromptResult, Reason, ReportOnlyFinding, Stats,
};

use crate::scenario::Scenario;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Record every engine event with its instant (`casim run --trace`).
    pub trace: bool,
}

/// Runs a scenario to the end of its timeline.
pub fn simulate(scenario: &Scenario, options: Options) -> Outcome {
    sim::Sim::new(scenario, options).run()
}
