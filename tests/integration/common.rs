//! Helpers every CLI test module uses.

use std::path::PathBuf;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;

/// Runs the `casim` binary; fails the test if it panicked (the contract says never).
pub fn casim(args: &[&str]) -> Output {
    let output =
        Command::cargo_bin("casim").expect("the casim binary is built").args(args).output().expect("casim runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "casim {args:?} panicked:\n{stderr}");
    output
}

/// The standard output of `casim args`, which must succeed (exit status 0).
pub fn ok(args: &[&str]) -> String {
    let output = casim(args);
    assert_eq!(output.status.code(), Some(0), "casim {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// A scenario written inline in a test; a scenario casim refuses fails the test.
pub fn scenario(yaml: &str) -> casim::scenario::Scenario {
    casim::scenario::from_str(std::path::Path::new("inline.yaml"), yaml).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// An inline scenario and its outcome (`trace` asks for the engine's events too).
pub fn simulated(yaml: &str, trace: bool) -> (casim::scenario::Scenario, casim::engine::Outcome) {
    let s = scenario(yaml);
    let options = casim::engine::Options { trace, ..casim::engine::Options::default() };
    let outcome = casim::engine::simulate(&s, options);
    (s, outcome)
}

/// The error of an inline scenario casim must refuse.
pub fn refused(yaml: &str) -> casim::error::InputError {
    match casim::scenario::from_str(std::path::Path::new("inline.yaml"), yaml) {
        Ok(_) => panic!("the scenario was accepted:\n{yaml}"),
        Err(e) => e,
    }
}

/// A path of the repository, as an argument.
pub fn repo(path: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

/// A scratch folder unique to this process and call, removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(label: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("casim-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        Scratch { dir }
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        self.write_bytes(name, text.as_bytes())
    }

    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("make a scratch folder");
        }
        std::fs::write(&path, bytes).expect("write a scratch file");
        path
    }

    /// Writes a file and returns its path as a command-line argument.
    pub fn write_arg(&self, name: &str, text: &str) -> String {
        self.write(name, text).display().to_string()
    }

    /// The path of `name` in the folder, as a command-line argument.
    pub fn path_arg(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Says that a test did not run, where the person running `cargo test` sees it: the
/// harness captures `eprintln!` of passing tests, so this writes to the process's
/// standard error directly (issue 15: a skipped browser test must not just say "ok").
pub fn skipped_loudly(test: &str, why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "\n*** SKIPPED {test}: {why} ***\n");
}
