//! Helpers every CLI test module uses.

use std::process::Output;

use assert_cmd::Command;

/// Runs the `casim` binary; fails the test if it panicked (the contract says never).
pub fn casim(args: &[&str]) -> Output {
    let output =
        Command::cargo_bin("casim").expect("the casim binary is built").args(args).output().expect("casim runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "casim {args:?} panicked:\n{stderr}");
    output
}
