//! `casim run`'s output for one scenario: simulated outcome by outcome (a
//! population's user by user, in parallel), each rendered with the scenario
//! that names its indices, folded in user order (R-DET-1) into sections that
//! are written when the run ends. Nothing of a user is kept once their part
//! is in its section (issue 11), and a run that stops at its event cap writes
//! nothing at all.

use std::io::{self, Write};

use super::json::Json;
use super::prompts_parquet::Prompts;
use super::text::Text;
use crate::engine::{self, Options, Outcome, Stats};
use crate::error::InputError;
use crate::scenario::Scenario;

/// The output formats of `casim run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// An output built part by part: `part` runs in parallel where each outcome
/// was simulated, `add` in user order, `finish` once.
pub(crate) trait Sections: Sized {
    type Part: Send;
    fn new(scenario: &Scenario, options: Options) -> Self;
    fn part(scenario: &Scenario, outcome: &Outcome, options: Options) -> Self::Part;
    fn add(&mut self, part: Self::Part) -> io::Result<()>;
    fn finish(self, stats: &Stats, out: &mut dyn Write) -> io::Result<()>;
}

/// Why a run wrote nothing, or not all.
#[derive(Debug)]
pub enum RunError {
    /// The run stopped at its event cap (`limits.max_events`).
    Input(Box<InputError>),
    /// The sections could not be kept in their temporary files.
    Keep(io::Error),
    /// The output could not be written.
    Write(io::Error),
}

impl From<io::Error> for RunError {
    fn from(e: io::Error) -> RunError {
        RunError::Write(e)
    }
}

/// Simulates `scenario` and writes its output in `format` to `out`; returns
/// what was simulated.
pub fn write(scenario: &Scenario, format: Format, options: Options, out: &mut dyn Write) -> Result<Stats, RunError> {
    write_pruned(scenario, format, options, &|_, _| {}, out)
}

/// `write`, with each outcome passed through `prune` before it is rendered
/// (`casim replay` removes the sign-ins it assumed, docs/replay.md).
pub fn write_pruned(
    scenario: &Scenario,
    format: Format,
    options: Options,
    prune: &(dyn Fn(&Scenario, &mut Outcome) + Sync),
    out: &mut dyn Write,
) -> Result<Stats, RunError> {
    match format {
        Format::Text => write_as::<Text>(scenario, options, prune, out),
        Format::Json => write_as::<Json>(scenario, options, prune, out),
    }
}

/// `write` as a Parquet file of the prompts, one row each (`prompts_parquet`).
pub fn write_parquet_prompts(scenario: &Scenario, options: Options, out: &mut dyn Write) -> Result<Stats, RunError> {
    write_as::<Prompts>(scenario, options, &|_, _| {}, out)
}

/// The whole output of `write` as a string.
pub fn render(scenario: &Scenario, format: Format, options: Options) -> Result<String, RunError> {
    let mut out = Vec::new();
    write(scenario, format, options, &mut out)?;
    String::from_utf8(out).map_err(|e| RunError::Write(io::Error::new(io::ErrorKind::InvalidData, e)))
}

fn write_as<S: Sections>(
    scenario: &Scenario,
    options: Options,
    prune: &(dyn Fn(&Scenario, &mut Outcome) + Sync),
    out: &mut dyn Write,
) -> Result<Stats, RunError> {
    let mut sections = S::new(scenario, options);
    let mut stats = Stats::default();
    engine::simulate_each(
        scenario,
        options,
        |s, mut outcome| {
            engine::check_event_limit(s, &outcome)?;
            prune(s, &mut outcome);
            Ok((S::part(s, &outcome, options), outcome.stats))
        },
        |part: Result<(S::Part, Stats), InputError>| {
            let (part, more) = part.map_err(|e| RunError::Input(Box::new(e)))?;
            stats.add(&more);
            sections.add(part).map_err(RunError::Keep)
        },
    )?;
    sections.finish(&stats, out)?;
    Ok(stats)
}

/// `casim run`'s output for users simulated elsewhere (`casim replay`, one
/// scenario per user): `part` where each outcome is simulated, in parallel;
/// `add` in user order; `finish` once.
pub struct Writer {
    sections: AnySections,
    stats: Stats,
}

enum AnySections {
    Text(Text),
    Json(Json),
}

/// One user's output, rendered.
pub struct Part(AnyPart, Stats);

enum AnyPart {
    Text(<Text as Sections>::Part),
    Json(<Json as Sections>::Part),
}

impl Writer {
    /// An output whose title and header are `header`'s.
    pub fn new(header: &Scenario, format: Format, options: Options) -> Writer {
        let sections = match format {
            Format::Text => AnySections::Text(Text::new(header, options)),
            Format::Json => AnySections::Json(Json::new(header, options)),
        };
        Writer { sections, stats: Stats::default() }
    }

    pub fn part(format: Format, scenario: &Scenario, outcome: &Outcome, options: Options) -> Part {
        let part = match format {
            Format::Text => AnyPart::Text(Text::part(scenario, outcome, options)),
            Format::Json => AnyPart::Json(Json::part(scenario, outcome, options)),
        };
        Part(part, outcome.stats.clone())
    }

    pub fn add(&mut self, Part(part, more): Part) -> Result<(), RunError> {
        self.stats.add(&more);
        let added = match (&mut self.sections, part) {
            (AnySections::Text(s), AnyPart::Text(p)) => s.add(p),
            (AnySections::Json(s), AnyPart::Json(p)) => s.add(p),
            _ => Err(io::Error::other("a part rendered in another format than its output")),
        };
        added.map_err(RunError::Keep)
    }

    pub fn finish(self, out: &mut dyn Write) -> Result<Stats, RunError> {
        match self.sections {
            AnySections::Text(s) => s.finish(&self.stats, out)?,
            AnySections::Json(s) => s.finish(&self.stats, out)?,
        }
        Ok(self.stats)
    }
}
