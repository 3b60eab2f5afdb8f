//! The entry points the fuzz targets (`fuzz/`) and their regression replay
//! (`tests/integration/fuzz_regressions.rs`) share, so both drive the same
//! code: each takes raw bytes, must end in `Ok` or `Err`, and renders the
//! errors too (the diagnostic renderer is where a long line once panicked).
//! Persona files: `scenario::population::fuzz_personas`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::policy::graph::{self, Directory};

/// A scenario file's bytes through the reader: decode, parse, resolve.
pub fn scenario(bytes: &[u8]) {
    if let Err(e) = crate::scenario::from_bytes(Path::new("fuzz.yaml"), bytes) {
        let _ = e.render();
    }
}

/// A Graph export file's bytes through the policy reader, against a scenario
/// with the built-in apps only (what `casim policies` reads them against).
pub fn graph_export(bytes: &[u8]) {
    let path = Path::new("fuzz.json");
    let scenario = crate::scenario::empty(path);
    let keys = BTreeMap::new();
    let dir = Directory {
        users: &scenario.users,
        apps: &scenario.apps,
        groups: &scenario.groups,
        named_locations: &scenario.named_locations,
        location_keys: &keys,
    };
    if let Err(e) = graph::from_bytes(path, bytes, &dir) {
        let _ = e.render();
    }
}

/// A `--fail-if` expression: parse, then resolve and evaluate what parses, so
/// that evaluation (division, comparisons of odd numbers) is fuzzed too.
pub fn expression(bytes: &[u8]) {
    let Ok(source) = std::str::from_utf8(bytes) else { return };
    match crate::diff::expr::parse(source) {
        Ok(mut e) => {
            if e.resolve(&|name| Some(name.to_string())).is_ok() {
                let _ = e.evaluate(&|name| name.len() as f64 - 3.0).explain();
            }
        }
        Err(err) => {
            let _ = err.render(source);
        }
    }
}

/// A sign-in log file's bytes through `casim replay`'s reader (JSON, NDJSON
/// or CSV by its first byte, Parquet by its magic), its sort spilling to temporary files (a small
/// budget), and every user rebuilt as a scenario.
pub fn signin_logs(bytes: &[u8]) {
    use crate::signin::replay;
    let logs = match replay::read_bytes(Path::new("fuzz.json"), bytes, 1 << 12) {
        Ok(logs) => logs,
        Err(e) => {
            let _ = e.render();
            return;
        }
    };
    let template = logs.template.clone();
    let rebuilt = replay::for_each_user(
        logs,
        std::slice::from_ref(&template),
        |u| u.scenarios.len(),
        |_| Ok::<(), crate::error::InputError>(()),
    );
    if let Err(e) = rebuilt {
        let _ = e.render();
    }
}
