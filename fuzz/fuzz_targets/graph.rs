//! A Graph export file's bytes through the policy reader, against a scenario
//! with the built-in apps only (what `casim policies` reads them against).
#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use casim::policy::graph::{self, Directory};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.json");
    let scenario = casim::scenario::empty(path);
    let keys = BTreeMap::new();
    let dir = Directory {
        users: &scenario.users,
        apps: &scenario.apps,
        groups: &scenario.groups,
        named_locations: &scenario.named_locations,
        location_keys: &keys,
    };
    let _ = graph::from_bytes(path, data, &dir);
});
