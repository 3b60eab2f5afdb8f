//! Graph JSON import: policies as admins export them (REFERENCE.md, "How
//! policies are exported in the wild"; docs/policies.md, "Exporting policies
//! from a tenant").
//!
//! A file holds one object, a JSON array of them (DCToolbox: ids and
//! timestamps may be missing) or a Graph list response `{"value": [...]}`
//! (`@odata.nextLink` is ignored: each saved page is its own file). A folder
//! is an EntraExporter export (only its Conditional Access folders are read)
//! or any folder of such files at any depth (`folder`). Files are UTF-8, with
//! or without a byte order mark, or UTF-16 with one (`error::read_input`).
//!
//! Objects are classified by `@odata.type`, else by the properties only one
//! kind has: policies, named locations, authentication strengths,
//! authentication contexts and terms of use are kept; anything else is an
//! error. Malformed JSON and impossible values are errors naming the file,
//! the JSON path and the line; every bad object of every file is reported in
//! one run. Fields casim does not model (beta-only ones among them) are read,
//! and listed once in a warning, never an error. Ids the scenario does not
//! know are not errors either: they match nobody.

mod controls;
mod convert;
mod folder;
mod objects;
mod schema;
mod times;
mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::json::{self, Node, Value};
use super::locations::NamedLocation;
use super::model::Policy;
use crate::domain::{App, User};
use crate::error::{ErrorKind, InputError, Pos};
pub use folder::{MAX_DEPTH, MAX_FILES, export_files};
pub use objects::{Agreement, AuthContextRef, StrengthPolicy, StrengthPolicyType};
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

/// Policies with the objects and warnings that came with them.
#[derive(Debug, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    pub named_locations: Vec<NamedLocation>,
    pub strengths: Vec<StrengthPolicy>,
    pub auth_contexts: Vec<AuthContextRef>,
    pub terms_of_use: Vec<Agreement>,
    /// Groups exported beside the policies: (display name, object id).
    pub groups: Vec<(String, String)>,
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

/// At most this many errors are shown after the headline; a folder of
/// thousands of wrong objects needs the first few, not all.
const MAX_SHOWN_ERRORS: usize = 20;

/// Reads a Graph export: a JSON file, or a folder of them (see the module
/// documentation). Every bad file is reported, in one error, before giving up.
pub fn load(path: &Path, dir: &Directory) -> Result<PolicySet, InputError> {
    let is_folder = path.is_dir();
    let files = if is_folder { export_files(path)? } else { vec![path.to_path_buf()] };
    // Baseline repositories keep IntuneManagement's id table beside the objects.
    let (skipped, files): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| is_folder && f.file_name().is_some_and(|n| n.eq_ignore_ascii_case("MigrationTable.json")));
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    for file in &files {
        match crate::error::read_input(file).and_then(|text| parse_doc(file, text)) {
            Ok(doc) => docs.push(doc),
            Err(e) => errors.push(e),
        }
    }
    let mut set = convert_docs(path, is_folder, &files, docs, errors, dir)?;
    let notes = skipped.iter().map(|f| {
        format!(
            "{}: skipped: IntuneManagement's migration table (ids of the source tenant), not a Graph object",
            f.display()
        )
    });
    set.warnings.splice(0..0, notes);
    Ok(set)
}

/// Reads one export file's bytes as `load` reads the file (`path` only names
/// it in errors): the entry point of the fuzz target and its regression test.
pub fn from_bytes(path: &Path, bytes: &[u8], dir: &Directory) -> Result<PolicySet, InputError> {
    let files = [path.to_path_buf()];
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    match crate::error::decode_input(path, bytes).and_then(|text| parse_doc(path, text)) {
        Ok(doc) => docs.push(doc),
        Err(e) => errors.push(e),
    }
    convert_docs(path, false, &files, docs, errors, dir)
}

fn convert_docs(
    path: &Path,
    is_folder: bool,
    files: &[PathBuf],
    docs: Vec<Doc>,
    mut errors: Vec<InputError>,
    dir: &Directory,
) -> Result<PolicySet, InputError> {
    let mut items = Vec::new();
    for doc in &docs {
        items.extend(doc.items(!is_folder, &mut errors));
    }
    for item in &items {
        if let Some(ty) = item.kind.graph_type() {
            schema::check(&item.field, ty, &mut errors);
        }
    }
    let mut set = PolicySet::default();
    let mut ignored = Ignored::default();
    for item in &items {
        let converted = match item.kind {
            // A location may come twice: its own file and a policy's `LocationInfo`.
            Kind::Location => convert::named_location(&item.field).map(|l| {
                if !set.named_locations.iter().any(|x| x.id == l.id) {
                    set.named_locations.push(l)
                }
            }),
            Kind::Strength => objects::strength(&item.field).map(|s| set.strengths.push(s)),
            Kind::AuthContext => objects::auth_context(&item.field).map(|c| set.auth_contexts.push(c)),
            Kind::Agreement => objects::agreement(&item.field).map(|a| set.terms_of_use.push(a)),
            Kind::Group => objects::group(&item.field).map(|g| set.groups.push(g)),
            Kind::Policy => Ok(()),
        };
        if let Err(e) = converted {
            errors.push(e);
        }
    }
    let mut all_locations: Vec<NamedLocation> = dir.named_locations.to_vec();
    super::locations::merge_locations(&mut all_locations, set.named_locations.clone());
    let strengths = match strengths(&set.strengths) {
        Ok(s) => s,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    let cx = convert::Cx { dir, locations: &all_locations, strengths: &strengths, groups: &set.groups };
    let mut policies = Vec::new();
    for item in items.iter().filter(|i| i.kind == Kind::Policy) {
        match convert::policy(&cx, &item.field, &mut ignored) {
            Ok(p) => policies.push(p),
            Err(e) => errors.push(e),
        }
    }
    set.policies = policies;

    if !errors.is_empty() {
        return Err(aggregate(path, files, errors));
    }
    if set.policies.is_empty() {
        return Err(no_policy(path, &set));
    }
    unique_names(&mut set.policies, &mut ignored);
    set.warnings = ignored.warnings(path);
    Ok(set)
}

/// One error for all of them, its headline counting the files that failed.
fn aggregate(path: &Path, files: &[PathBuf], mut errors: Vec<InputError>) -> InputError {
    // Errors are gathered phase by phase; show them file by file, top down.
    let order = |e: &InputError| files.iter().position(|f| f.display().to_string() == e.path);
    errors.sort_by_key(|e| (order(e), e.pos.map(|p| (p.line, p.column))));
    let failed: BTreeSet<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    let (count, files_failed) = (errors.len(), failed.len());
    let mut message = match (files_failed, count) {
        (1, n) => format!("{n} errors"),
        (f, n) if f == n => format!("{f} of {} files have errors", files.len()),
        (f, n) => format!("{f} of {} files have errors ({n} errors)", files.len()),
    };
    let path = match errors.first() {
        Some(e) if files_failed == 1 => PathBuf::from(&e.path),
        _ => path.to_path_buf(),
    };
    if count > MAX_SHOWN_ERRORS {
        message.push_str(&format!("; the first {MAX_SHOWN_ERRORS} are shown"));
        errors.truncate(MAX_SHOWN_ERRORS);
    }
    InputError::many(&path, message, errors)
}

/// The error for an export that holds no policy, saying what it does hold.
fn no_policy(path: &Path, set: &PolicySet) -> InputError {
    let counts = [
        (set.named_locations.len(), "named location", "named locations"),
        (set.strengths.len(), "authentication strength policy", "authentication strength policies"),
        (set.auth_contexts.len(), "authentication context", "authentication contexts"),
        (set.terms_of_use.len(), "terms of use agreement", "terms of use agreements"),
        (set.groups.len(), "group", "groups"),
    ];
    let found: Vec<String> = counts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    let found = if found.is_empty() { "found nothing".to_string() } else { format!("found {}", found.join(", ")) };
    let here = if path.is_dir() { "this folder" } else { "this file" };
    InputError::new(path, None, format!("no Conditional Access policy in {here}: {found}"))
        .with_help(Some("export the policies too (Graph: GET /identity/conditionalAccess/policies)".into()))
        .with_kind(ErrorKind::Empty)
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
    Strength,
    AuthContext,
    Agreement,
    /// A group, beside the policies (baseline repositories export the
    /// groups their policies name): only its id and display name are read.
    Group,
}

impl Kind {
    /// The schema an object of this kind is checked against; a group is not
    /// policy data, so it has none.
    fn graph_type(self) -> Option<schema::GraphType> {
        Some(match self {
            Kind::Policy => schema::GraphType::Policy,
            Kind::Location => schema::GraphType::NamedLocation,
            Kind::Strength => schema::GraphType::AuthenticationStrengthPolicy,
            Kind::AuthContext => schema::GraphType::AuthenticationContextClassReference,
            Kind::Agreement => schema::GraphType::Agreement,
            Kind::Group => return None,
        })
    }
}

/// R-CA-5: exported strength policies with their combinations parsed.
fn strengths(found: &[objects::StrengthPolicy]) -> Result<Vec<super::grants::Strength>, InputError> {
    found
        .iter()
        .map(|s| {
            let combinations = s
                .allowed_combinations
                .iter()
                .map(|c| crate::domain::MethodSet::parse(c))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    InputError::new(
                        Path::new(&s.origin),
                        None,
                        format!("authentication strength `{}`: {e}", s.display_name),
                    )
                })?;
            Ok(super::grants::Strength {
                id: s.id.clone(),
                name: s.display_name.clone(),
                built_in: super::grants::Strength::built_in(&s.id).is_some(),
                combinations,
            })
        })
        .collect()
}

struct Item<'a> {
    kind: Kind,
    field: Field<'a>,
}

fn parse_doc(path: &Path, text: String) -> Result<Doc, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::new(
            path,
            None,
            "the file is empty; expected a conditionalAccessPolicy object, an array of them, or {\"value\": [...]}",
        )
        .with_kind(ErrorKind::Empty));
    }
    let root = json::parse(&text).map_err(|e| {
        let pos = Pos { line: e.line, column: e.column };
        InputError::new(path, Some(pos), format!("malformed JSON: {}", e.message)).with_source(&text)
    })?;
    Ok(Doc { path: path.to_path_buf(), text, root })
}

impl Doc {
    /// The objects of the document, each with its path and kind; the ones
    /// that cannot be classified go to `errors`. `alone`: this file is the
    /// whole input, so an empty list in it is an error (in a folder, an empty
    /// page beside others is not).
    fn items(&self, alone: bool, errors: &mut Vec<InputError>) -> Vec<Item<'_>> {
        let root = Field::root(&self.path, &self.text, &self.root);
        let list = match &self.root.value {
            Value::Array(_) => root.elements(),
            Value::Object(_) => match root.get("value") {
                Some(v) if root.get("conditions").is_none() => v.elements(),
                _ => Ok(vec![root.clone()]),
            },
            _ => Err(root.error(format!(
                "expected a conditionalAccessPolicy object, an array of them, or {{\"value\": [...]}}; found {}",
                self.root.kind()
            ))),
        };
        let list = match list {
            Ok(list) => list,
            Err(e) => {
                errors.push(e);
                return Vec::new();
            }
        };
        if list.is_empty() && alone {
            errors.push(
                root.error("no Conditional Access policy in this file: the list is empty").with_kind(ErrorKind::Empty),
            );
        }
        let mut items = Vec::new();
        for field in list {
            match classify(field) {
                Ok(item) => {
                    items.extend(location_info(&item, errors));
                    items.push(item);
                }
                Err(e) => errors.push(e),
            }
        }
        items
    }
}

/// IntuneManagement writes, beside a policy's Graph properties, a copy of the
/// named locations it uses (`LocationInfo`): they are read as named
/// locations exported beside it.
fn location_info<'a>(item: &Item<'a>, errors: &mut Vec<InputError>) -> Vec<Item<'a>> {
    let Some(info) = item.field.get(schema::LOCATION_INFO).filter(|_| item.kind == Kind::Policy) else {
        return Vec::new();
    };
    let elements = info.elements().unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    elements.into_iter().map(|field| Item { kind: Kind::Location, field }).collect()
}

/// `@odata.type` lowercased, without the `#microsoft.graph.` prefix.
fn odata_type(field: &Field<'_>) -> Option<String> {
    let t = field.get("@odata.type")?.node.as_str()?.to_ascii_lowercase();
    Some(t.trim_start_matches('#').trim_start_matches("microsoft.graph.").to_string())
}

const EXPECTED: &str = "expected a conditionalAccessPolicy, a named location (ipNamedLocation, \
countryNamedLocation, compliantNetworkNamedLocation), an authenticationStrengthPolicy, an \
authenticationContextClassReference, a terms of use agreement or a group";

/// What a Graph object is: by `@odata.type` when it has one (list items
/// often do not), else by the properties only that kind has.
fn classify(field: Field<'_>) -> Result<Item<'_>, InputError> {
    if !field.is_object() {
        return Err(field.error(format!("expected a conditionalAccessPolicy object, found {}", field.node.kind())));
    }
    let by_type = match odata_type(&field).as_deref() {
        None => None,
        Some("conditionalaccesspolicy") => Some(Kind::Policy),
        Some(t) if t.ends_with("namedlocation") => Some(Kind::Location),
        Some("authenticationstrengthpolicy") => Some(Kind::Strength),
        Some("authenticationcontextclassreference") => Some(Kind::AuthContext),
        Some("agreement") => Some(Kind::Agreement),
        Some("group") => Some(Kind::Group),
        Some("conditionalaccesstemplate") => return Err(template(&field)),
        Some(other) => {
            let at = field.get("@odata.type").unwrap_or_else(|| field.clone());
            return Err(at.error(format!("this object is a `{other}`; {EXPECTED}")));
        }
    };
    let has = |keys: &[&str]| keys.iter().any(|k| field.get(k).is_some());
    let kind = by_type.or_else(|| {
        if has(&["ipRanges", "countriesAndRegions", "compliantNetworkType"]) {
            Some(Kind::Location)
        } else if has(&["conditions", "grantControls", "sessionControls", "state"]) {
            Some(Kind::Policy)
        } else if has(&["allowedCombinations", "requirementsSatisfied", "combinationConfigurations"]) {
            Some(Kind::Strength)
        } else if has(&["isAvailable"]) {
            Some(Kind::AuthContext)
        } else if has(&["securityEnabled", "mailEnabled", "mailNickname", "groupTypes"]) {
            Some(Kind::Group)
        } else if has(&[
            "isViewingBeforeAcceptanceRequired",
            "isPerDeviceAcceptanceRequired",
            "userReacceptRequiredFrequency",
            "termsExpiration",
        ]) {
            Some(Kind::Agreement)
        } else {
            None
        }
    });
    match kind {
        Some(kind) => Ok(Item { kind, field }),
        None if has(&["details", "scenarios"]) => Err(template(&field)),
        None => Err(field.error(
            "this object is neither a conditionalAccessPolicy (no `conditions`, `grantControls`, `sessionControls` \
             or `state`) nor an object exported beside policies (a named location, authentication strength, \
             authentication context or terms of use agreement)",
        )),
    }
}

/// Microsoft's templates are not policies: each names the policy it would
/// create under `details`, with placeholders for the tenant's own objects.
fn template(field: &Field<'_>) -> InputError {
    let name = field.get("name").and_then(|n| n.node.as_str().map(str::to_string)).unwrap_or_default();
    field
        .error(format!(
            "this object is a conditionalAccessTemplate (`{name}`), not a policy: a template lists the policy it would create under `details`"
        ))
        .with_help(Some(
            "create the policy from the template in the tenant (or POST it to /identity/conditionalAccess/policies) and export the policies".into(),
        ))
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
