//! Graph JSON import: policies as admins export them (REFERENCE.md, "How
//! policies are exported in the wild").
//!
//! Accepted containers: one `conditionalAccessPolicy` object; a JSON array of
//! them (DCToolbox, ids and timestamps may be missing); a Graph list response
//! `{"value": [...]}`; an EntraExporter folder (policies under
//! `Identity/Conditional/AccessPolicies/<id>/<id>.json`, named locations under
//! `Identity/Conditional/NamedLocations/<id>/<id>.json`). Any of these may
//! also hold named locations (`ipNamedLocation`, `countryNamedLocation`).
//!
//! Malformed JSON and impossible values are errors naming the file, the JSON
//! path and the line. Fields casim does not model (beta-only ones among them)
//! are read, and listed once in a warning, never an error. Ids the scenario
//! does not know are not errors either: they match nobody.

mod convert;
mod schema;
mod times;
mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::json::{self, Node, Value};
use super::locations::NamedLocation;
use super::model::Policy;
use crate::error::{InputError, Pos};
use crate::scenario::model::{App, User};
use walk::Field;

/// What Graph ids resolve against: a scenario's users (by `object_id`), apps
/// (by app id), groups (`groups:` name → id) and named locations.
pub struct Directory<'a> {
    pub users: &'a [User],
    pub apps: &'a [App],
    pub groups: &'a BTreeMap<String, String>,
    pub named_locations: &'a [NamedLocation],
    pub location_keys: &'a BTreeMap<String, String>,
}

/// Policies with the named locations and warnings that came with them.
#[derive(Debug, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    pub named_locations: Vec<NamedLocation>,
    pub warnings: Vec<String>,
}

/// Whether `--policies PATH` names JSON rather than casim's YAML.
pub fn looks_like_json(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start_matches('\u{feff}').trim_start().starts_with(['{', '[']),
    }
}

/// Reads a Graph export: a JSON file or an EntraExporter folder.
pub fn load(path: &Path, dir: &Directory) -> Result<PolicySet, InputError> {
    let files = if path.is_dir() { export_files(path)? } else { vec![path.to_path_buf()] };
    let docs = files.iter().map(|f| read_doc(f)).collect::<Result<Vec<_>, _>>()?;
    let mut ignored = Ignored::default();
    let mut items = Vec::new();
    for doc in &docs {
        items.extend(doc.items()?);
    }
    strict(&items)?;
    let mut locations = Vec::new();
    for item in items.iter().filter(|i| i.kind == Kind::Location) {
        locations.push(convert::named_location(&item.field)?);
    }
    let mut all_locations: Vec<NamedLocation> = dir.named_locations.to_vec();
    crate::scenario::resolve::merge_locations(&mut all_locations, locations.clone());
    let cx = convert::Cx { dir, locations: &all_locations, strengths: &[] };
    let mut policies = Vec::new();
    for item in items.iter().filter(|i| i.kind == Kind::Policy) {
        policies.push(convert::policy(&cx, &item.field, &mut ignored)?);
    }
    unique_names(&mut policies, &mut ignored);
    Ok(PolicySet { policies, named_locations: locations, warnings: ignored.warnings(path) })
}

/// Every property and enum value checked against Graph's beta schema before
/// anything is converted: all problems of all items are reported at once,
/// the first in full and the others by their headline.
fn strict(items: &[Item<'_>]) -> Result<(), InputError> {
    let mut errors = Vec::new();
    for item in items {
        let ty = match item.kind {
            Kind::Policy => schema::GraphType::Policy,
            Kind::Location => schema::GraphType::NamedLocation,
        };
        schema::check(&item.field, ty, &mut errors);
    }
    let mut rest = errors.split_off(errors.len().min(1));
    let Some(first) = errors.pop() else { return Ok(()) };
    if rest.is_empty() {
        return Err(first);
    }
    let more: Vec<String> = rest.drain(..).map(|e| e.to_string()).collect();
    let help = first.help.clone().map(|h| format!("{h}\n")).unwrap_or_default();
    let help = format!("{help}{} more problem(s):\n{}", more.len(), more.join("\n"));
    Err(first.with_help(Some(help)))
}

/// One parsed JSON file.
struct Doc {
    path: PathBuf,
    text: String,
    root: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Policy,
    Location,
}

struct Item<'a> {
    kind: Kind,
    field: Field<'a>,
}

fn read_doc(path: &Path) -> Result<Doc, InputError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| InputError::new(path, None, format!("cannot read the file: {e}")))?;
    let root = json::parse(&text).map_err(|e| {
        let pos = Pos { line: e.line, column: e.column };
        InputError::new(path, Some(pos), format!("malformed JSON: {}", e.message)).with_source(&text)
    })?;
    Ok(Doc { path: path.to_path_buf(), text, root })
}

impl Doc {
    /// The policies and named locations of the document, each with its path.
    fn items(&self) -> Result<Vec<Item<'_>>, InputError> {
        let root = Field::root(&self.path, &self.text, &self.root);
        let list = match &self.root.value {
            Value::Array(_) => root.elements()?,
            Value::Object(_) => match root.get("value") {
                Some(v) if root.get("conditions").is_none() => v.elements()?,
                _ => vec![root],
            },
            _ => {
                return Err(
                    root.error("expected a conditionalAccessPolicy object, an array of them, or {\"value\": [...]}")
                );
            }
        };
        list.into_iter().map(classify).collect()
    }
}

fn classify(field: Field<'_>) -> Result<Item<'_>, InputError> {
    let odata = field.get("@odata.type").and_then(|t| t.node.as_str().map(str::to_ascii_lowercase));
    let is_location = odata.as_deref().is_some_and(|t| t.contains("namedlocation"))
        || field.get("ipRanges").is_some()
        || field.get("countriesAndRegions").is_some();
    let is_policy = ["conditions", "grantControls", "sessionControls", "state"].iter().any(|k| field.get(k).is_some());
    match (is_location, is_policy) {
        (true, _) => Ok(Item { kind: Kind::Location, field }),
        (false, true) => Ok(Item { kind: Kind::Policy, field }),
        _ if !matches!(field.node.value, Value::Object(_)) => Err(field.error(format!(
            "expected a conditionalAccessPolicy object, found {}",
            field.node.kind()
        ))),
        _ => Err(field.error("this object is neither a conditionalAccessPolicy (no `conditions`, `grantControls`, `sessionControls` or `state`) nor a named location")),
    }
}

/// The JSON files of an EntraExporter export (or of any folder of exports),
/// sorted so that results do not depend on the file system.
fn export_files(root: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut wanted = Vec::new();
    for sub in ["AccessPolicies", "NamedLocations"] {
        for base in [root.join("Identity/Conditional").join(sub), root.join("Conditional").join(sub), root.join(sub)] {
            if base.is_dir() {
                collect_json(&base, &mut wanted, 0)?;
            }
        }
    }
    if wanted.is_empty() {
        collect_json(root, &mut wanted, 0)?;
    }
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        return Err(InputError::new(
            root,
            None,
            "no .json files here; expected an EntraExporter folder (Identity/Conditional/AccessPolicies/<id>/<id>.json) or Graph JSON files",
        ));
    }
    Ok(wanted)
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), InputError> {
    if depth > 8 {
        return Ok(());
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| InputError::new(dir, None, format!("cannot read the folder: {e}")))?;
    for entry in entries.filter_map(Result::ok) {
        let p = entry.path();
        if p.is_dir() {
            collect_json(&p, out, depth + 1)?;
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")) {
            out.push(p);
        }
    }
    Ok(())
}

/// Tenants may give two policies one display name; casim names policies
/// uniquely (steps refer to them by name), so later ones get a suffix.
fn unique_names(policies: &mut [Policy], ignored: &mut Ignored) {
    let mut seen = BTreeSet::new();
    for p in policies.iter_mut() {
        if seen.insert(p.name.clone()) {
            continue;
        }
        let mut n = 2;
        while seen.contains(&format!("{} ({n})", p.name)) {
            n += 1;
        }
        let renamed = format!("{} ({n})", p.name);
        ignored.notes.push(format!("two policies are named `{}`; the later one is called `{renamed}`", p.name));
        seen.insert(renamed.clone());
        p.name = renamed;
    }
}

/// Fields read but not modelled, by field path, with the policies that set them.
#[derive(Default)]
pub(crate) struct Ignored {
    fields: BTreeMap<String, Vec<String>>,
    notes: Vec<String>,
}

impl Ignored {
    pub(crate) fn field(&mut self, path: &str, policy: &str) {
        let list = self.fields.entry(path.to_string()).or_default();
        if !list.iter().any(|p| p == policy) {
            list.push(policy.to_string());
        }
    }

    fn warnings(self, source: &Path) -> Vec<String> {
        let mut out = self.notes;
        if !self.fields.is_empty() {
            let listing: Vec<String> = self
                .fields
                .iter()
                .map(|(field, policies)| match policies.len() {
                    1 => format!("{field} (policy `{}`)", policies[0]),
                    n => format!("{field} ({n} policies)"),
                })
                .collect();
            out.push(format!("{}: fields casim does not model were ignored: {}", source.display(), listing.join(", ")));
        }
        out
    }
}
