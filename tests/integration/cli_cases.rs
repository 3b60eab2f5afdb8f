//! CLI cases as data (the crate-ci/typos habit): every `tests/cli/*.yaml`
//! names the files a case writes, the commands it runs and, for each, the
//! exit status and the phrases its output must hold. A new bad-input case is
//! a new file, not a new Rust body. `{name}` in an argument or a phrase is
//! the path of the case's file `name`, `{folder/}` the folder of its files
//! `folder/…`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::common::{Scratch, casim};

const CASES: &str = "tests/cli";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// File name → contents, written in the case's scratch folder.
    #[serde(default)]
    files: BTreeMap<String, String>,
    runs: Vec<Run>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Run {
    args: Vec<String>,
    status: i32,
    /// Phrases of standard error, compared with its lines folded into one.
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    stdout: Vec<String>,
    /// Bad input stops before any output (the Errors contract).
    #[serde(default)]
    stdout_empty: bool,
}

/// miette wraps long lines and draws a gutter (`│`): phrases are looked for
/// in the text folded to single spaces.
fn fold(text: &str) -> String {
    text.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn expand(text: &str, files: &BTreeMap<String, PathBuf>) -> String {
    files
        .iter()
        .fold(text.to_string(), |t, (name, path)| t.replace(&format!("{{{name}}}"), &path.display().to_string()))
}

fn run_case(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let case: Case = serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let label = path.file_stem().and_then(|s| s.to_str()).unwrap_or("case");
    let scratch = Scratch::new(label);
    let mut files: BTreeMap<String, PathBuf> =
        case.files.iter().map(|(name, body)| (name.clone(), scratch.write(name, body))).collect();
    // `{lib/}` is the folder that holds the case's files `lib/…`.
    let folders: Vec<(String, PathBuf)> = files
        .iter()
        .filter_map(|(name, path)| Some((format!("{}/", name.rsplit_once('/')?.0), path.parent()?.to_path_buf())))
        .collect();
    files.extend(folders);
    for run in &case.runs {
        let args: Vec<String> = run.args.iter().map(|a| expand(a, &files)).collect();
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = casim(&argv);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let why =
            |what: String| format!("{}: casim {args:?}: {what}\nstdout:\n{stdout}\nstderr:\n{stderr}", path.display());
        if out.status.code() != Some(run.status) {
            return Err(why(format!("exit status {:?}, expected {}", out.status.code(), run.status)));
        }
        if run.stdout_empty && !out.stdout.is_empty() {
            return Err(why("expected no standard output".into()));
        }
        for (stream, phrases) in [(fold(&stderr), &run.stderr), (fold(&stdout), &run.stdout)] {
            if let Some(missing) = phrases.iter().map(|p| expand(p, &files)).find(|p| !stream.contains(&fold(p))) {
                return Err(why(format!("expected {missing:?}")));
            }
        }
    }
    Ok(())
}

#[test]
fn every_cli_case_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(CASES);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cli exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "the cases are there: {}", paths.len());
    let failures: Vec<String> = paths.iter().filter_map(|p| run_case(p).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), paths.len(), failures.join("\n\n"));
}

/// The runner itself fails a case that does not hold.
#[test]
fn a_case_that_does_not_hold_fails() {
    let scratch = Scratch::new("cli-case-self");
    let case = scratch.write("c.yaml", "runs:\n  - { args: [validate, no-such.yaml], status: 0 }\n");
    assert!(run_case(&case).is_err());
    let wrong_phrase =
        scratch.write("d.yaml", "runs:\n  - { args: [validate, no-such.yaml], status: 2, stderr: [\"not said\"] }\n");
    assert!(run_case(&wrong_phrase).is_err());
}
