//! `casim snapshot`: write `.prompts.snap` files beside scenarios, compare
//! them, and show what changed as a unified diff. Every test works on a copy
//! of the scenarios in a temp folder: nothing is written into scenarios/.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::casim;

/// A scratch copy of some bundled scenarios, removed when dropped.
struct Library {
    dir: PathBuf,
}

impl Library {
    fn new(test: &str, scenarios: &[&str]) -> Library {
        let dir = std::env::temp_dir().join(format!("casim-snapshot-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        for name in scenarios {
            std::fs::copy(source.join(name), dir.join(name)).expect("copy a scenario");
        }
        Library { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn arg(&self) -> &str {
        self.dir.to_str().expect("UTF-8 temp dir")
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn edit(&self, name: &str, from: &str, to: &str) {
        let text = self.read(name);
        assert!(text.contains(from), "{name} has no `{from}`");
        std::fs::write(self.path(name), text.replacen(from, to, 1)).expect("edit the scenario");
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const EX2: &str = "example-3-scenario-2.yaml";
const WEEK: &str = "work-week.yaml";
const REPORT_ONLY: &str = "report-only.yaml";

#[test]
fn update_then_compare_is_clean() {
    let lib = Library::new("clean", &[EX2, WEEK, REPORT_ONLY]);
    let out = casim(&["snapshot", lib.arg(), "--update"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("3 written, 0 unchanged"), "{}", stdout(&out));

    let snap = lib.read("example-3-scenario-2.prompts.snap");
    let header = snap.lines().next().expect("a header line");
    assert!(header.starts_with("# casim snapshot of SharePoint example 3, scenario 2"), "{snap}");
    assert!(header.ends_with(" (example-3-scenario-2.yaml)"), "the file name, not its folder: {snap}");
    assert!(
        snap.contains(
            "prompt      05:45 | alice | laptop | sharepoint | browser | reauthentication | sign_in_frequency | Sign-in frequency 1 hour | R-PRT-2\n"
        ),
        "{snap}"
    );
    assert!(snap.ends_with("# 1 prompt, 0 blocked, 0 report-only findings\n"), "{snap}");
    // Days after the first are written as the scenario writes them.
    let week = lib.read("work-week.prompts.snap");
    assert_eq!(week.lines().filter(|l| l.starts_with("prompt ")).count(), 10, "{week}");
    assert!(week.contains("prompt      4d 16:00 | vera | laptop | azure_portal |"), "{week}");
    // Report-only findings are part of the snapshot.
    let ro = lib.read("report-only.prompts.snap");
    assert!(ro.contains("report-only 09:30 | tara | laptop | azure_portal | browser | reportOnlyFailure | - | Proposed block of the Azure portal"), "{ro}");
    assert!(ro.contains("report-only 10:00 | tara | laptop | sharepoint | browser | reportOnlyInterrupted | sign_in_frequency | Proposed SIF 1 hour"), "{ro}");

    let out = casim(&["snapshot", lib.arg()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().filter(|l| l.starts_with("ok ")).count(), 3, "{text}");
    assert!(text.ends_with("3 ok, 0 changed, 0 missing\n"), "{text}");

    // A second --update leaves the files alone.
    let out = casim(&["snapshot", lib.arg(), "--update"]);
    assert!(stdout(&out).contains("0 written, 3 unchanged"), "{}", stdout(&out));
}

#[test]
fn a_changed_time_is_a_unified_diff_and_exit_1() {
    let lib = Library::new("changed", &[EX2, WEEK]);
    assert_eq!(casim(&["snapshot", lib.arg(), "--update"]).status.code(), Some(0));
    // Unlock 15 minutes later: the prompt moves from 05:45 to 06:00... and the use ends at 06:00.
    lib.edit(EX2, "{ at: \"04:45\", do: unlock", "{ at: \"04:30\", do: unlock");
    lib.edit(EX2, "{ at: \"04:45\", do: use", "{ at: \"04:30\", do: use");
    let out = casim(&["snapshot", lib.arg()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    let snap = lib.path("example-3-scenario-2.prompts.snap");
    assert!(text.contains(&format!("--- {}\n", snap.display())), "{text}");
    assert!(text.contains(&format!("+++ {} (now)\n", snap.display())), "{text}");
    assert!(text.contains("\n@@ -"), "{text}");
    assert!(text.contains("\n-prompt      05:45 | alice | laptop | sharepoint |"), "{text}");
    assert!(text.contains("\n+prompt      05:30 | alice | laptop | sharepoint |"), "{text}");
    assert!(text.contains("CHANGED    "), "{text}");
    assert!(text.contains("ok         "), "the other scenario still matches: {text}");
    assert!(text.contains("1 ok, 1 changed, 0 missing"), "{text}");
    // Comparing never writes.
    assert!(lib.read("example-3-scenario-2.prompts.snap").contains("05:45"));
}

#[test]
fn a_missing_snapshot_exits_1_and_says_to_update() {
    let lib = Library::new("missing", &[EX2]);
    let out = casim(&["snapshot", lib.arg()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("MISSING"), "{text}");
    assert!(text.contains("--update"), "{text}");
    assert!(!lib.path("example-3-scenario-2.prompts.snap").exists(), "comparing does not write");
}

#[test]
fn policies_replace_the_scenarios_own() {
    let lib = Library::new("policies", &[EX2]);
    // `none` says "no policy at all" (an empty policies file is an error).
    let out = casim(&["snapshot", lib.path(EX2).to_str().unwrap(), "--update", "--policies", "none"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let snap = lib.read("example-3-scenario-2.prompts.snap");
    assert!(snap.contains("# policies replaced by none\n"), "{snap}");
    assert!(snap.contains("# 0 prompts,"), "{snap}");
    // Without --policies the scenario's 1h SIF prompts: a diff, exit 1.
    let out = casim(&["snapshot", lib.arg()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("\n+prompt      05:45 | alice |"), "{}", stdout(&out));
}

#[test]
fn bad_input_exits_2_before_writing_anything() {
    let lib = Library::new("bad", &[EX2]);
    std::fs::write(lib.path("broken.yaml"), "name: broken\nusers: {}\ntimeline: [ { at: \"25:00\" } ]\n").unwrap();
    let out = casim(&["snapshot", lib.arg(), "--update"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!lib.path("example-3-scenario-2.prompts.snap").exists(), "no snapshot written");
}

#[test]
fn help_has_examples() {
    let out = casim(&["snapshot", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Examples:"), "{text}");
    assert!(text.contains("casim snapshot scenarios/ --update"), "{text}");
    assert!(text.contains(".prompts.snap"), "{text}");
}

/// The bundled scenarios' snapshots are committed and current, so that
/// `casim snapshot scenarios/ --update` (a README command) rewrites nothing and leaves
/// no untracked file in a checkout (issue 15).
#[test]
fn the_bundled_snapshots_are_committed_and_current() {
    let out = crate::common::casim(&["snapshot", &crate::common::repo("scenarios")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let summary = stdout.lines().last().unwrap_or("");
    assert!(summary.ends_with("ok, 0 changed, 0 missing"), "{summary}");
}
