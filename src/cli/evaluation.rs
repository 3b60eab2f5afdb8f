//! `--evaluation interaction|token` of `run`, `diff`, `replay` and `report`:
//! the evaluation mode (R-SIF-5, R-SIF-6) chosen on the command line, which
//! wins over a scenario's `settings.evaluation`.

use clap::{Args, ValueEnum};

use crate::scenario::Scenario;
use crate::scenario::model::Evaluation;

/// The words of the flag; clap names them in its error for any other.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// Every interaction is evaluated: a sign-in frequency prompts at its exact end (R-SIF-5).
    Interaction,
    /// Only token requests are evaluated: when an app opens and when its token expires (R-SIF-6).
    Token,
}

/// The flag, flattened into each command that simulates.
#[derive(Args, Clone, Copy, Default)]
pub(crate) struct EvaluationFlag {
    /// Evaluate sessions at every interaction or only at token requests (R-SIF-5, R-SIF-6),
    /// whatever the scenario's `settings.evaluation` says (docs/scenario-format.md).
    #[arg(long, value_enum, value_name = "MODE")]
    evaluation: Option<Mode>,
}

impl EvaluationFlag {
    /// Sets the mode of `scenario` (and so of a population's members, who
    /// take their settings from it) when the flag was given.
    pub(crate) fn apply(self, scenario: &mut Scenario) {
        if let Some(mode) = self.evaluation {
            scenario.settings.evaluation = match mode {
                Mode::Interaction => Evaluation::Interaction,
                Mode::Token => Evaluation::Token,
            };
        }
    }
}

impl EvaluationFlag {
    /// A partial result's fingerprint of its inputs, with the mode when the
    /// flag was given: shards simulated in different modes must not merge.
    pub(crate) fn fingerprint(self, inputs: String) -> String {
        match self.evaluation {
            None => inputs,
            Some(Mode::Interaction) => format!("{inputs} --evaluation interaction"),
            Some(Mode::Token) => format!("{inputs} --evaluation token"),
        }
    }
}
