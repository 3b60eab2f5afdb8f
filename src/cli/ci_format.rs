//! `--format text|junit|markdown` of `casim check` and `casim snapshot`:
//! the text as a terminal shows it, or the verdicts as JUnit XML or as a
//! Markdown summary for CI (docs/ci.md).

use clap::ValueEnum;

use super::Failure;
use super::output::{self, Mode};
use crate::report::verdict::Verdict;
use crate::report::{junit, markdown};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Default, Debug)]
pub(crate) enum CiFormat {
    /// One line a scenario, as a terminal shows it.
    #[default]
    Text,
    /// JUnit XML, for CI test reports (GitHub Actions, Azure DevOps, Jenkins).
    Junit,
    /// A Markdown summary, for a pull-request comment.
    Markdown,
}

/// Prints `verdicts` as JUnit or Markdown (the text was printed as the
/// scenarios ran): `title` names the command (`casim check`), `totals` is
/// the text output's last line.
pub(super) fn print(format: CiFormat, title: &str, totals: &str, verdicts: &[Verdict]) -> Result<(), Failure> {
    let text = match format {
        CiFormat::Text => return Ok(()),
        CiFormat::Junit => junit::render(&junit::Suite { name: title, verdicts, properties: &[] }),
        CiFormat::Markdown => markdown::verdicts(&format!("{title}:"), totals, verdicts),
    };
    output::print(Mode::Data, &text)
}
