//! The text of a `<scenario>.prompts.snap` file (`casim snapshot`): a short
//! header, then one line per prompt, blocked access and report-only finding,
//! in the engine's order. Times are written as the scenario writes them
//! (`05:45`, `1d 09:00`), and nothing depends on where the files live, so that
//! a snapshot changes only when what users see changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::engine::Outcome;
use crate::scenario::Scenario;
use crate::time::relative;

/// The snapshot file of a scenario: `<name>.prompts.snap` beside `<name>.yaml`.
pub fn snapshot_path(scenario: &Path) -> PathBuf {
    let stem = scenario.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    scenario.with_file_name(format!("{stem}.prompts.snap"))
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Makes a free-text field safe for a `|`-separated line.
fn cell(text: &str) -> String {
    text.replace('|', "/").replace(['\n', '\r'], " ")
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The snapshot text. `policies` names the `--policies` file when one replaced the scenario's.
pub fn render(scenario: &Scenario, outcome: &Outcome, policies: Option<&Path>) -> String {
    let rel = |t| relative(t, scenario.start);
    let mut out = String::new();
    let _ = writeln!(out, "# casim snapshot of {} ({})", scenario.name, file_name(&scenario.path));
    if let Some(p) = policies {
        let _ = writeln!(out, "# policies replaced by {}", file_name(p));
    }
    let _ = writeln!(out, "# prompt      time | user | device | app | client | kind | reason | policy | rule");
    let _ = writeln!(out, "# blocked     time | user | device | app | client | error | policy | rule");
    let _ = writeln!(out, "# report-only time | user | device | app | client | result | reason | policy");
    for p in &outcome.prompts {
        let _ = writeln!(
            out,
            "prompt      {} | {} | {} | {} | {} | {} | {} | {} | {}",
            rel(p.at),
            p.user,
            p.device,
            p.app,
            p.client.name(),
            p.kind.name(),
            p.reason.name(),
            cell(p.policy.as_deref().unwrap_or("-")),
            p.rule
        );
    }
    for b in &outcome.blocked {
        let _ = writeln!(
            out,
            "blocked     {} | {} | {} | {} | {} | {} | {} | {}",
            rel(b.at),
            b.user,
            b.device,
            b.app,
            b.client.name(),
            b.error_code,
            cell(b.policy.as_deref().unwrap_or("-")),
            b.rule
        );
    }
    for f in &outcome.report_only {
        let _ = writeln!(
            out,
            "report-only {} | {} | {} | {} | {} | {} | {} | {}",
            rel(f.at),
            f.user,
            f.device,
            f.app,
            f.client.name(),
            f.result,
            f.reason.map(|r| r.name()).unwrap_or("-"),
            cell(&f.policy)
        );
    }
    let _ = writeln!(
        out,
        "# {}, {} blocked, {}",
        plural(outcome.prompts.len(), "prompt"),
        outcome.blocked.len(),
        plural(outcome.report_only.len(), "report-only finding")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_sits_beside_the_scenario() {
        assert_eq!(snapshot_path(Path::new("lib/office.yaml")), PathBuf::from("lib/office.prompts.snap"));
        assert_eq!(snapshot_path(Path::new("a.b.yml")), PathBuf::from("a.b.prompts.snap"));
    }

    #[test]
    fn free_text_cannot_break_the_columns() {
        assert_eq!(cell("a | b\nc"), "a / b c");
    }
}
