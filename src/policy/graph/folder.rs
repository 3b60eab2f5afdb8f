//! Which files of a folder are read: an EntraExporter export's Conditional
//! Access folders, or every `.json` file at any depth of any other folder.
//! The walk is sorted (results never depend on the file system's order),
//! bounded, and reads each folder and file once however symlinks point.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::InputError;

/// Folders nested deeper than this below the folder given are an error:
/// exports nest two or three levels, so a deeper tree is the wrong folder.
pub const MAX_DEPTH: usize = 16;
/// More `.json` files than this are an error, for the same reason (a tenant
/// has at most a few hundred policies, named locations and related objects).
pub const MAX_FILES: usize = 10_000;

/// The folders of an EntraExporter export (`Export-Entra`) that hold
/// Conditional Access objects, relative to its `Identity` folder's parent.
/// Its other folders (users, groups, applications, ...) are not read.
const ENTRA_EXPORTER: [&str; 4] = [
    "Identity/Conditional/AccessPolicies",
    "Identity/Conditional/NamedLocations",
    "Identity/Conditional/AuthenticationContexts",
    "IdentityGovernance/TermsOfUse/Agreements",
];

/// The `.json` files to read under `root`, in a stable order.
pub fn export_files(root: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut walk = Walk { root, files: Vec::new(), seen_dirs: BTreeSet::new(), seen_files: BTreeSet::new() };
    let bases = entra_exporter_folders(root);
    if bases.is_empty() {
        walk.dir(root, 0)?;
    } else {
        for base in bases {
            walk.dir(&base, 0)?;
        }
    }
    if walk.files.is_empty() {
        return Err(InputError::new(
            root,
            None,
            "no Conditional Access policy here: the folder holds no .json file; expected an EntraExporter export \
             (Identity/Conditional/AccessPolicies/<id>/<id>.json) or a folder of Graph JSON files",
        ));
    }
    Ok(walk.files)
}

/// The export's Conditional Access folders, when `root` is an EntraExporter
/// export (it has `Identity/Conditional`) or its `Identity` folder; never a
/// folder outside `root`.
fn entra_exporter_folders(root: &Path) -> Vec<PathBuf> {
    let is_identity = root.file_name().is_some_and(|n| n.eq_ignore_ascii_case("Identity"));
    let subs: Vec<&str> = if within(root, "Identity/Conditional").is_dir() {
        ENTRA_EXPORTER.to_vec()
    } else if is_identity && root.join("Conditional").is_dir() {
        ENTRA_EXPORTER.iter().filter_map(|sub| sub.strip_prefix("Identity/")).collect()
    } else {
        Vec::new()
    };
    subs.into_iter().map(|sub| within(root, sub)).filter(|p| p.is_dir()).collect()
}

/// `root` joined with a `/`-separated relative path one component at a
/// time, so that on Windows the path shown in messages has one separator.
fn within(root: &Path, relative: &str) -> PathBuf {
    relative.split('/').fold(root.to_path_buf(), |path, part| path.join(part))
}

struct Walk<'a> {
    root: &'a Path,
    files: Vec<PathBuf>,
    /// Canonical paths: a symlink to a folder already read (a loop among
    /// them) is skipped, and so is a second link to the same file.
    seen_dirs: BTreeSet<PathBuf>,
    seen_files: BTreeSet<PathBuf>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, depth: usize) -> Result<(), InputError> {
        if depth > MAX_DEPTH {
            return Err(InputError::new(
                dir,
                None,
                format!(
                    "folders nest more than {MAX_DEPTH} levels below {} (the depth limit); \
                     give the folder that holds the export",
                    self.root.display()
                ),
            ));
        }
        let canonical = std::fs::canonicalize(dir).map_err(|e| cannot_read(dir, &e))?;
        if !self.seen_dirs.insert(canonical) {
            return Ok(());
        }
        let entries = std::fs::read_dir(dir).map_err(|e| cannot_read(dir, &e))?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| (e.file_name(), e.path())).collect();
        entries.sort();
        for (name, path) in entries {
            // .git, .github, .vscode: tooling beside the export, never part of it.
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let is_json = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json"));
            // `metadata` follows symlinks; a dangling one is only an error if
            // it claims to be JSON.
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => self.dir(&path, depth + 1)?,
                Ok(m) if m.is_file() && is_json => self.file(path)?,
                Ok(_) => {}
                Err(e) if is_json => return Err(InputError::new(&path, None, format!("cannot read the file: {e}"))),
                Err(_) => {}
            }
        }
        Ok(())
    }

    fn file(&mut self, path: PathBuf) -> Result<(), InputError> {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !self.seen_files.insert(canonical) {
            return Ok(());
        }
        if self.files.len() == MAX_FILES {
            return Err(InputError::new(
                self.root,
                None,
                format!(
                    "more than {MAX_FILES} .json files here (the file-count limit); give the folder that holds the export"
                ),
            ));
        }
        self.files.push(path);
        Ok(())
    }
}

fn cannot_read(dir: &Path, e: &std::io::Error) -> InputError {
    InputError::new(dir, None, format!("cannot read the folder: {e}"))
}
