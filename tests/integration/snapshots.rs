//! Snapshots of the text and JSON output of every scenario in `scenarios/`
//! (R-DET-1: the same input gives byte-identical output), and the documented
//! prompt times of each scenario's `expect:` block.

use std::path::{Path, PathBuf};

use casim::engine::Options;
use casim::report::{self, run::Format};

/// Loads a scenario and names it by its path relative to the repository, so
/// that snapshots do not depend on where the checkout lives.
fn load_relative(path: &Path) -> casim::scenario::Scenario {
    let mut scenario = casim::scenario::load(path).unwrap_or_else(|e| panic!("{}", e.render()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    scenario.path = path.strip_prefix(root).map(PathBuf::from).unwrap_or_else(|_| path.to_path_buf());
    scenario
}

/// What `casim run` prints for one scenario, in `format`.
fn render(scenario: &casim::scenario::Scenario, format: Format) -> String {
    report::run::render(scenario, format, Options::default()).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn every_scenario_output_matches_its_snapshot() {
    insta::glob!("../../scenarios", "*.yaml", |path| {
        let scenario = load_relative(path);
        insta::assert_snapshot!("text", render(&scenario, Format::Text));
        insta::assert_snapshot!("json", render(&scenario, Format::Json));
    });
}

fn bundled_scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_scenario_meets_its_expectations() {
    for path in bundled_scenarios() {
        let path = path.as_path();
        let scenario = load_relative(path);
        assert!(scenario.expect.is_some(), "{} has no expect: block", path.display());
        let checked = casim::check::run(&scenario).unwrap_or_else(|e| panic!("{}", e.render()));
        if let Some(diff) = checked {
            panic!("{} does not meet its expectations:\n{diff}", path.display());
        }
    }
}

#[test]
fn running_twice_gives_byte_identical_output() {
    for path in bundled_scenarios() {
        let scenario = load_relative(&path);
        let first = render(&scenario, Format::Json);
        let second = render(&scenario, Format::Json);
        assert_eq!(first, second, "{}", path.display());
    }
}

#[test]
fn casim_check_passes_on_the_bundled_scenarios() {
    let output = assert_cmd::Command::cargo_bin("casim")
        .unwrap()
        .args(["check", "scenarios/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap_or_default();
    let scenarios = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "yaml"))
        .count();
    assert_eq!(last, format!("{scenarios} passed, 0 failed"));
}
