//! The scenario format: parsing (`raw`), validation and resolution (`resolve`),
//! the resolved model (`model`) and the built-in app catalogue.

pub mod catalogue;
mod file_kind;
pub mod model;
mod plain_yaml;
pub mod population;
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

/// Loads one scenario file, with its policies replaced by `policies` (a
/// YAML list, a Graph export or `none`) when given.
pub fn load_with_policies(file: &Path, policies: Option<&Path>) -> Result<Scenario, InputError> {
    let mut s = load(file)?;
    if let Some(p) = policies {
        let replacement = load_policies(p, &s)?;
        replace_policies(&mut s, replacement, p)?;
    }
    Ok(s)
}

/// Every scenario file under `paths` (files and folders), each with its
/// policies replaced as `load_with_policies` does; all are loaded before
/// any is run, so that bad input stops a command before any output.
pub fn load_all(paths: &[PathBuf], policies: Option<&Path>) -> Result<Vec<Scenario>, InputError> {
    let files = collect_paths(paths)?;
    if files.is_empty() {
        return Err(InputError::new(&paths[0], None, "no .yaml scenario files found here"));
    }
    files.iter().map(|f| load_with_policies(f, policies)).collect()
}

/// Decodes, parses and resolves a scenario file's bytes as `load` reads the
/// file (`path` only names it in errors, and anchors `personas_file` and
/// `graph` references): the entry point of the fuzz target.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario, InputError> {
    let text = crate::error::decode_input(path, bytes)?;
    from_str(path, &text)
}

/// Parses and resolves scenario text; `path` only names it in errors.
///
/// Plain YAML, all that `casim generate` writes, is read by a quick reader
/// (`plain_yaml`), a block-list timeline entry by entry as its steps are
/// resolved (issue 11). Any error in such a timeline, or before it is read,
/// sends the text to serde-saphyr: the order in which it finds errors (the
/// document's syntax and types first, then resolution) is the reference.
pub fn from_str(path: &Path, text: &str) -> Result<Scenario, InputError> {
    if let Some(raw) = plain_yaml::from_str::<raw::RawScenario>(text) {
        let streamed = matches!(raw.timeline, Some(raw::RawTimeline::Deferred(_)));
        match resolve::resolve_scenario(path, text, raw) {
            // Read whole, the document is serde-saphyr's: so is the error.
            Err(e) if !streamed => return Err(e),
            Err(_) => {}
            found => return found,
        }
    }
    from_str_by_serde_saphyr(path, text)
}

/// `from_str` with serde-saphyr reading the whole document.
fn from_str_by_serde_saphyr(path: &Path, text: &str) -> Result<Scenario, InputError> {
    let raw: raw::RawScenario = resolve::read_yaml(path, text).map_err(|e| {
        // Named as what they are only once the scenario reader has refused them.
        file_kind::refuse_as_scenario(path, text).err().unwrap_or(e)
    })?;
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
        workloads: scenario.workloads.clone(),
        apps: scenario.apps.clone(),
        devices: scenario.devices.clone(),
        groups: scenario.groups.clone(),
        named_locations: scenario.named_locations.clone(),
        location_keys: Default::default(),
        clock: scenario.clock(),
    };
    if path.as_os_str() == NO_POLICIES && !path.exists() {
        return Ok(PolicySet::default());
    }
    if path.is_dir() {
        return graph::load(path, &resolve::directory(&r));
    }
    let text = read(path)?;
    if graph::looks_like_json(path, &text) {
        return graph::load(path, &resolve::directory(&r));
    }
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if let Some(ext) = extension.filter(|e| e != "yaml" && e != "yml") {
        // A PowerShell or DSC file read as YAML fails with a parser's words.
        return Err(InputError::new(
            path,
            None,
            format!("a `.{ext}` file is neither a Graph JSON export nor casim's YAML policy list"),
        )
        .with_help(Some(
            "export the policies as JSON (Graph: GET /identity/conditionalAccess/policies; docs/policies.md lists the tools), or write them as a YAML list in a .yaml file".into(),
        )));
    }
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(empty_policies(path, "the file is empty"));
    }
    file_kind::refuse_map_as_policies(path, &text)?;
    let raw: raw::RawPolicyList = parse_yaml(path, &text)?;
    if raw.is_empty() {
        return Err(empty_policies(path, "the list is empty"));
    }
    let r = Resolver { text: &text, ..r };
    let policies = resolve::resolve_policies(&r, &raw)?;
    Ok(PolicySet { policies, ..PolicySet::default() })
}

/// The `--policies`/`--baseline`/`--proposed` value that says "no policy at
/// all", so that a file with no policy can always be an error.
pub const NO_POLICIES: &str = "none";

/// An empty file or list is a failed export or a truncated write far more
/// often than a choice, so it is refused; the choice is spelled `none`.
fn empty_policies(path: &Path, what: &str) -> InputError {
    InputError::new(path, None, format!("no Conditional Access policy in this file: {what}"))
        .with_help(Some(format!(
            "write the policies as a YAML list or give a Graph export; to compare with no policy at all, pass `{NO_POLICIES}` instead of a path"
        )))
        .with_kind(crate::error::ErrorKind::Empty)
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
    crate::policy::locations::merge_locations(&mut scenario.named_locations, set.named_locations);
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
        zone: crate::time::Zone::UTC,
        seed: 0,
        settings: model::Settings::default(),
        users: Vec::new(),
        workloads: Vec::new(),
        devices: Vec::new(),
        apps: catalogue::built_in_apps(),
        policies: Vec::new(),
        groups: Default::default(),
        named_locations: Vec::new(),
        warnings: Vec::new(),
        steps: Vec::new(),
        expect: None,
        limits: model::Limits::default(),
        population: None,
    }
}

/// Expands files and folders into the `.yaml`/`.yml` files they hold, sorted.
/// Each file is listed once, however many symlinks or arguments reach it,
/// and a symlink loop ends the walk of that branch instead of recursing forever.
pub fn collect_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut walk = Walk::default();
    for input in inputs {
        if input.is_dir() {
            walk.dir(input, 0)?;
        } else if input.exists() {
            walk.file(input.clone());
        } else {
            return Err(InputError::new(input, None, "no such file or folder"));
        }
    }
    Ok(walk.out)
}

/// Folders nest at most this deep below an argument (docs/limits.md): past
/// it, the walk is more likely a loop through a mount or a generated tree.
const MAX_FOLDER_DEPTH: usize = 64;

#[derive(Default)]
struct Walk {
    out: Vec<PathBuf>,
    seen_dirs: std::collections::HashSet<PathBuf>,
    seen_files: std::collections::HashSet<PathBuf>,
}

impl Walk {
    fn file(&mut self, path: PathBuf) {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.seen_files.insert(canonical) {
            self.out.push(path);
        }
    }

    fn dir(&mut self, dir: &Path, depth: usize) -> Result<(), InputError> {
        if depth > MAX_FOLDER_DEPTH {
            return Err(InputError::new(
                dir,
                None,
                format!(
                    "folders nest more than {MAX_FOLDER_DEPTH} levels deep here (a fixed limit); name a folder nearer the scenarios"
                ),
            ));
        }
        let canonical = std::fs::canonicalize(dir)
            .map_err(|e| InputError::new(dir, None, format!("cannot read the folder: {e}")))?;
        if !self.seen_dirs.insert(canonical) {
            return Ok(());
        }
        let entries =
            std::fs::read_dir(dir).map_err(|e| InputError::new(dir, None, format!("cannot read the folder: {e}")))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                self.dir(&p, depth + 1)?;
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                self.file(p);
            }
        }
        Ok(())
    }
}
