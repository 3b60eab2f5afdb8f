//! The scenario format: parsing (`raw`), validation and resolution (`resolve`),
//! the resolved model (`model`) and the built-in app catalogue.

pub mod catalogue;
pub mod model;
pub mod raw;
pub mod resolve;

use std::path::{Path, PathBuf};

use crate::error::InputError;
use crate::policy::graph::{self, PolicySet};
pub use model::Scenario;
use resolve::{Resolver, parse_yaml};

/// Scenario and policy files are decoded as Windows tools write them (UTF-16
/// from PowerShell 5.1 among them; see `error::read_input`).
fn read(path: &Path) -> Result<String, InputError> {
    crate::error::read_input(path)
}

/// Reads, parses and resolves one scenario file.
pub fn load(path: &Path) -> Result<Scenario, InputError> {
    let text = read(path)?;
    from_str(path, &text)
}

/// Decodes, parses and resolves a scenario file's bytes as `load` reads the
/// file (`path` only names it in errors, and anchors `personas_file` and
/// `graph` references): the entry point of the fuzz target.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario, InputError> {
    let text = crate::error::decode_input(path, bytes)?;
    from_str(path, &text)
}

/// Parses and resolves scenario text; `path` only names it in errors.
pub fn from_str(path: &Path, text: &str) -> Result<Scenario, InputError> {
    let raw: raw::RawScenario = parse_yaml(path, text)?;
    resolve::resolve_scenario(path, text, raw)
}

/// Reads policies for `--policies PATH` and resolves them against a
/// scenario: casim's YAML list, or a Graph export (one policy, an array, a
/// list response or an EntraExporter folder; see `policy::graph`).
pub fn load_policies(path: &Path, scenario: &Scenario) -> Result<PolicySet, InputError> {
    let r = Resolver {
        path,
        text: "",
        users: scenario.users.clone(),
        apps: scenario.apps.clone(),
        devices: scenario.devices.clone(),
        groups: scenario.groups.clone(),
        named_locations: scenario.named_locations.clone(),
        location_keys: Default::default(),
    };
    if path.is_dir() {
        return graph::load(path, &resolve::directory(&r));
    }
    let text = read(path)?;
    if graph::looks_like_json(path, &text) {
        return graph::load(path, &resolve::directory(&r));
    }
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        // An empty file is a failed export or a truncated write, never a
        // choice: `[]` is how a YAML list says "no policy at all" (a `casim
        // diff` baseline, docs/ci.md), so only that stays accepted.
        return Err(InputError::new(path, None, "no Conditional Access policy in this file: the file is empty")
            .with_help(Some("write the policies as a YAML list; `[]` says on purpose that there are none".into())));
    }
    let raw: raw::RawPolicyList = parse_yaml(path, &text)?;
    let r = Resolver { text: &text, ..r };
    let policies = resolve::resolve_policies(&r, &raw)?;
    Ok(PolicySet { policies, ..PolicySet::default() })
}

/// Replaces a scenario's policies (`--policies PATH`) and adds the named
/// locations that came with them. `set_policy_state` steps name policies, so
/// they are re-pointed by name; a name the new set lacks is an error at the step.
pub fn replace_policies(scenario: &mut Scenario, set: PolicySet, source: &Path) -> Result<(), InputError> {
    let policies = set.policies;
    for step in &mut scenario.steps {
        if let model::Action::SetPolicyState { policy, .. } = &mut step.action {
            let name = &scenario.policies[*policy].name;
            *policy = policies.iter().position(|p| &p.name == name).ok_or_else(|| {
                let pos = crate::error::Pos { line: step.line, column: 1 };
                let known: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
                InputError::new(
                    &scenario.path,
                    Some(pos),
                    format!("`set_policy_state` names policy `{name}`, which {} does not define", source.display()),
                )
                .with_help(crate::error::did_you_mean(name, known.iter().copied()))
            })?;
        }
    }
    attach_policies(scenario, PolicySet { policies, ..set });
    Ok(())
}

/// Makes `set` the scenario's policies, with its named locations and warnings.
pub fn attach_policies(scenario: &mut Scenario, set: PolicySet) {
    scenario.policies = set.policies;
    resolve::merge_locations(&mut scenario.named_locations, set.named_locations);
    scenario.warnings.extend(set.warnings);
}

/// A scenario with the built-in apps and nothing else, to read policies
/// without one (`casim policies`, `casim whatif`).
pub fn empty(path: &Path) -> Scenario {
    Scenario {
        path: path.to_path_buf(),
        name: String::new(),
        source: None,
        description: None,
        start: crate::time::DEFAULT_START,
        seed: 0,
        settings: model::Settings::default(),
        users: Vec::new(),
        devices: Vec::new(),
        apps: catalogue::built_in_apps(),
        policies: Vec::new(),
        groups: Default::default(),
        named_locations: Vec::new(),
        warnings: Vec::new(),
        steps: Vec::new(),
        expect: None,
        population: None,
    }
}

/// Expands files and folders into the `.yaml`/`.yml` files they hold, sorted.
pub fn collect_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            collect_dir(input, &mut out)?;
        } else if input.exists() {
            out.push(input.clone());
        } else {
            return Err(InputError::new(input, None, "no such file or folder"));
        }
    }
    Ok(out)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| InputError::new(dir, None, format!("cannot read the folder: {e}")))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
    Ok(())
}
