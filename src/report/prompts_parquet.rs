//! `casim run --format parquet -o FILE`: one row per prompt, in the columns
//! of `casim run --format json`'s `prompts` items (SCENARIO-FORMAT.md), for
//! a data lake or a query engine. Times are UTC timestamps, the rest as the
//! JSON has them; a JSON `null` is a null cell.

use std::io::{self, Write};

use serde_json::{Map, Value};

use super::json;
use super::run::Sections;
use crate::columnar::{Kind, Table};
use crate::engine::{Options, Outcome, Stats};
use crate::scenario::Scenario;
use crate::spill::Spill;

/// The keys of a `prompts` item, in its order, and how each is stored.
pub const COLUMNS: [(&str, Kind); 18] = [
    ("at", Kind::Time),
    ("user", Kind::Text),
    ("device", Kind::Text),
    ("app", Kind::Text),
    ("client", Kind::Text),
    ("kind", Kind::Text),
    ("reason", Kind::Text),
    ("policy", Kind::Text),
    ("rule", Kind::Text),
    ("expired_auth_instant", Kind::Time),
    ("result", Kind::Text),
    ("answered_at", Kind::Time),
    ("error_code", Kind::Long),
    ("stay_signed_in", Kind::Bool),
    ("first_factor", Kind::Text),
    ("second_factor", Kind::Text),
    ("mfa_method", Kind::Text),
    ("detail", Kind::Text),
];

/// The file so far: row groups in a `Spill` (memory, then a temporary
/// file) until the run ends, since a run stopped at its event cap writes
/// nothing (report::run).
pub(crate) struct Prompts {
    table: io::Result<Table<SpillOut>>,
}

/// One outcome's prompts, as the JSON items.
pub(crate) type PromptRows = io::Result<Vec<Map<String, Value>>>;

struct SpillOut(Spill);

impl Write for SpillOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn again(e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), e.to_string())
}

impl Sections for Prompts {
    type Part = PromptRows;

    fn new(_scenario: &Scenario, _options: Options) -> Prompts {
        Prompts { table: Table::new(SpillOut(Spill::new()), "Prompts", &COLUMNS) }
    }

    fn part(scenario: &Scenario, outcome: &Outcome, _options: Options) -> PromptRows {
        let mut rows = Vec::with_capacity(outcome.prompts.len());
        for p in &outcome.prompts {
            match serde_json::to_value(json::prompt(scenario, p))? {
                Value::Object(row) => rows.push(row),
                other => return Err(io::Error::other(format!("a prompt is not an object: {other}"))),
            }
        }
        Ok(rows)
    }

    fn add(&mut self, part: PromptRows) -> io::Result<()> {
        let table = self.table.as_mut().map_err(|e| again(e))?;
        for row in part? {
            table.push(&row)?;
        }
        Ok(())
    }

    fn finish(self, _stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
        let SpillOut(spill) = self.table?.finish()?;
        spill.copy_to(out)
    }
}
