//! The text of a `<scenario>.prompts.snap` file (`casim snapshot`): a short
//! header, then one line per prompt, blocked access and report-only finding,
//! in the engine's order. Times are written as the scenario writes them
//! (`05:45`, `1d 09:00`), and nothing depends on where the files live, so that
//! a snapshot changes only when what users see changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::engine::{self, Options, Outcome};
use crate::error::InputError;
use crate::scenario::Scenario;
use crate::terminal::escape;

const SUFFIX: &str = ".prompts.snap";

/// The snapshot file of a scenario, beside it: `<name>.prompts.snap` for
/// `<name>.yaml` (the names committed snapshots already have), and the whole
/// file name for any other, `<name>.yml.prompts.snap` for `<name>.yml`, so
/// that `a.yaml` and `a.yml` in one folder keep apart (docs/ci.md).
pub fn snapshot_path(scenario: &Path) -> PathBuf {
    let name =
        if scenario.extension().is_some_and(|x| x == "yaml") { scenario.file_stem() } else { scenario.file_name() };
    let name = name.map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    scenario.with_file_name(format!("{name}{SUFFIX}"))
}

/// Another scenario file beside `scenario` whose snapshot would be the same
/// file (`a.yml.yaml` and `a.yml` both map to `a.yml.prompts.snap`, `a.yaml`
/// and `a` to `a.prompts.snap`): no naming avoids every such pair, so
/// `casim snapshot` refuses them instead of letting one overwrite the other.
pub fn sharing(scenario: &Path) -> Option<PathBuf> {
    let snap = snapshot_path(scenario);
    let name = snap.file_name()?.to_string_lossy();
    let name = name.strip_suffix(SUFFIX)?;
    let bare = Path::new(name);
    let owners = [
        Some(snap.with_file_name(format!("{name}.yaml"))),
        bare.extension().is_none_or(|x| x != "yaml").then(|| snap.with_file_name(name)),
    ];
    let me = std::fs::canonicalize(scenario).ok();
    owners.into_iter().flatten().find(|o| o.is_file() && std::fs::canonicalize(o).ok() != me)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Makes a free-text field safe for a `|`-separated line, and for the
/// terminal that shows the snapshot's `git diff` (`terminal::escape`).
fn cell(text: &str) -> String {
    escape(&text.replace('|', "/").replace(['\n', '\r'], " ")).into_owned()
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The snapshot text of a run. `policies` names the `--policies` file when
/// one replaced the scenario's. A population's outcomes come user by user;
/// a run stopped at its event cap is an error.
pub fn render(scenario: &Scenario, policies: Option<&Path>) -> Result<String, InputError> {
    let mut out = String::new();
    let _ = writeln!(out, "# casim snapshot of {} ({})", scenario.name, file_name(&scenario.path));
    if let Some(p) = policies {
        let _ = writeln!(out, "# policies replaced by {}", file_name(p));
    }
    let _ = writeln!(out, "# prompt      time | user | device | app | client | kind | reason | policy | rule");
    let _ = writeln!(out, "# blocked     time | user | device | app | client | error | policy | rule");
    let _ = writeln!(out, "# report-only time | user | device | app | client | result | reason | policy");
    let mut sections: [String; 3] = Default::default();
    let mut counts = [0usize; 3];
    engine::simulate_each(
        scenario,
        Options::default(),
        |s, outcome| {
            engine::check_event_limit(s, &outcome)?;
            let counts = [outcome.prompts.len(), outcome.blocked.len(), outcome.report_only.len()];
            Ok((lines(s, &outcome), counts))
        },
        |part: Result<([String; 3], [usize; 3]), InputError>| {
            let (lines, more) = part?;
            for i in 0..3 {
                sections[i].push_str(&lines[i]);
                counts[i] += more[i];
            }
            Ok(())
        },
    )?;
    out.extend(sections);
    let _ = writeln!(
        out,
        "# {}, {} blocked, {}",
        plural(counts[0], "prompt"),
        counts[1],
        plural(counts[2], "report-only finding")
    );
    Ok(out)
}

/// One outcome's prompt, blocked and report-only lines.
fn lines(scenario: &Scenario, outcome: &Outcome) -> [String; 3] {
    let rel = |t| scenario.clock().show(t);
    let policy = |p: Option<usize>| cell(p.map(|i| scenario.policies[i].name.as_str()).unwrap_or("-"));
    let mut out: [String; 3] = Default::default();
    for p in &outcome.prompts {
        let n = p.access.named(scenario);
        let _ = writeln!(
            out[0],
            "prompt      {} | {} | {} | {} | {} | {} | {} | {} | {}",
            rel(p.at),
            cell(n.user),
            cell(n.device),
            cell(n.app),
            n.client.name(),
            p.kind.name(),
            p.reason.name(),
            policy(p.policy),
            p.rule
        );
    }
    for b in &outcome.blocked {
        let n = b.access.named(scenario);
        let _ = writeln!(
            out[1],
            "blocked     {} | {} | {} | {} | {} | {} | {} | {}",
            rel(b.at),
            cell(n.user),
            cell(n.device),
            cell(n.app),
            n.client.name(),
            b.error_code,
            policy(b.policy),
            b.rule
        );
    }
    for f in &outcome.report_only {
        let n = f.access.named(scenario);
        let _ = writeln!(
            out[2],
            "report-only {} | {} | {} | {} | {} | {} | {} | {}",
            rel(f.at),
            cell(n.user),
            cell(n.device),
            cell(n.app),
            n.client.name(),
            f.result,
            f.reason.map(|r| r.name()).unwrap_or("-"),
            policy(Some(f.policy))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_sits_beside_the_scenario() {
        assert_eq!(snapshot_path(Path::new("lib/office.yaml")), PathBuf::from("lib/office.prompts.snap"));
        assert_eq!(snapshot_path(Path::new("a.b.yaml")), PathBuf::from("a.b.prompts.snap"));
        assert_eq!(snapshot_path(Path::new("a.b.yml")), PathBuf::from("a.b.yml.prompts.snap"));
        assert_eq!(snapshot_path(Path::new("lib/a")), PathBuf::from("lib/a.prompts.snap"));
    }

    #[test]
    fn scenarios_that_would_share_a_snapshot_are_found() {
        let dir = std::env::temp_dir().join(format!("casim-snap-share-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.yaml", "a.yml", "b.yml", "b.yml.yaml", "c.yaml", "c"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        // a.yaml and a.yml keep apart; the others collide both ways.
        assert_eq!(sharing(&dir.join("a.yaml")), None);
        assert_eq!(sharing(&dir.join("a.yml")), None);
        assert_eq!(sharing(&dir.join("b.yml")), Some(dir.join("b.yml.yaml")));
        assert_eq!(sharing(&dir.join("b.yml.yaml")), Some(dir.join("b.yml")));
        assert_eq!(sharing(&dir.join("c.yaml")), Some(dir.join("c")));
        assert_eq!(sharing(&dir.join("c")), Some(dir.join("c.yaml")));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn free_text_cannot_break_the_columns() {
        assert_eq!(cell("a | b\nc"), "a / b c");
        assert_eq!(cell("\x1b[31mred"), "\\u{1b}[31mred");
    }
}

/// A scenario's snapshot against its run now (`casim snapshot`).
#[derive(Debug)]
pub struct Checked {
    /// The snapshot file beside the scenario.
    pub path: PathBuf,
    /// The snapshot text of the run now.
    pub now: String,
    pub status: Status,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Status {
    Same,
    /// What changed, as a unified diff from the stored snapshot to now.
    Changed(String),
    /// No snapshot file yet.
    Missing,
}

/// Runs `scenario` and compares its snapshot text with the stored file.
/// Bad input (a run stopped at its event cap, an unreadable snapshot) is an
/// error, never a verdict.
pub fn check(scenario: &Scenario, policies: Option<&Path>) -> Result<Checked, InputError> {
    let now = render(scenario, policies)?;
    let path = snapshot_path(&scenario.path);
    let stored = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t.replace("\r\n", "\n")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(InputError::new(&path, None, format!("cannot read the snapshot: {e}"))),
    };
    let status = match stored {
        None => Status::Missing,
        Some(stored) if stored == now => Status::Same,
        Some(stored) => {
            let name = path.display().to_string();
            let diff = super::unified::unified(&stored, &now, &name, &format!("{name} (now)"));
            Status::Changed(diff.unwrap_or_else(|| "  (only the final newline differs)".to_string()))
        }
    };
    Ok(Checked { path, now, status })
}
