//! Replays the fuzzers' findings (fuzz/regressions/<target>/, docs/fuzzing.md)
//! through the fuzz targets' entry points: each must end in Ok or Err, never
//! a panic or a stack overflow. Each input runs on its own thread with a
//! large stack, so that a deep input fails here as a panic, not an abort.

use std::path::{Path, PathBuf};

fn regressions(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    files
}

/// Runs `one` on every regression of `target`; returns how many there were.
fn replay(target: &str, one: fn(&[u8])) -> usize {
    let files = regressions(target);
    let mut failed = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("readable");
        let run = std::thread::Builder::new().stack_size(64 << 20).spawn(move || one(&bytes)).expect("a thread");
        if run.join().is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(failed.is_empty(), "these inputs panic: {failed:#?}");
    files.len()
}

#[test]
fn scenario_regressions_end_in_ok_or_err() {
    replay("scenario", casim::fuzzing::scenario);
}

#[test]
fn graph_regressions_end_in_ok_or_err() {
    replay("graph", casim::fuzzing::graph_export);
}

#[test]
fn expression_regressions_end_in_ok_or_err() {
    replay("expr", casim::fuzzing::expression);
}

#[test]
fn persona_regressions_generate_valid_scenarios() {
    replay("personas", casim::scenario::population::fuzz_personas);
}

#[test]
fn signin_log_regressions_end_in_ok_or_err() {
    replay("signin_logs", casim::fuzzing::signin_logs);
}

/// The replay itself fails on a panicking input (it would pass vacuously
/// if threads swallowed panics).
#[test]
fn a_panicking_input_fails_the_replay() {
    let caught = std::panic::catch_unwind(|| replay("personas", |_| panic!("boom")));
    assert!(caught.is_err() || regressions("personas").is_empty());
}
