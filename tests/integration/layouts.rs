//! Policies files as admins really have them: the encodings Windows tools
//! write (UTF-8 with a byte order mark, UTF-16 from PowerShell 5.1, CRLF),
//! and the layouts exports come in (EntraExporter trees, baseline repositories,
//! plain folders, list-response pages), with the objects exported beside
//! policies kept and every bad file of a folder reported in one run.
//!
//! UTF-16 inputs are written at run time from UTF-8 text, so that no binary
//! file is committed.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{Scratch, casim};

const DIRECTORY: &str = "tests/fixtures/graph/directory.yaml";
const ONE_POLICY: &str = "tests/fixtures/graph/no-persistent-browser.json";

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

fn fixture_text(path: &str) -> String {
    std::fs::read_to_string(repo(path)).expect("the fixture is readable")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr folded into one line (miette draws a gutter and wraps).
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn utf16be(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// `casim policies show PATH --scenario directory.yaml`, which must succeed.
fn show(path: &str) -> String {
    let out = casim(&["policies", "show", path, "--scenario", &repo(DIRECTORY)]);
    assert_eq!(out.status.code(), Some(0), "policies show {path}: {}", stderr(&out));
    stdout(&out)
}

/// The policies' headlines (`Name (state)`), in order.
fn headlines(shown: &str) -> Vec<String> {
    shown.lines().filter(|l| !l.is_empty() && !l.starts_with(' ')).map(str::to_string).collect()
}

/// The description without its `from` lines, which name the file.
fn without_origins(shown: &str) -> String {
    shown.lines().filter(|l| !l.trim_start().starts_with("from ")).collect::<Vec<_>>().join("\n")
}

/// `casim validate directory.yaml --policies PATH` must succeed with `count` policies.
fn validates_with(path: &str, count: usize) {
    let out = casim(&["validate", &repo(DIRECTORY), "--policies", path]);
    assert_eq!(out.status.code(), Some(0), "validate --policies {path}: {}", stderr(&out));
    assert!(stdout(&out).contains(&format!("{count} policies")), "{path}: {}", stdout(&out));
}

/// `casim policies show PATH` must fail with status 2; returns stderr, folded.
fn show_fails(path: &str) -> String {
    let out = casim(&["policies", "show", path]);
    assert_eq!(out.status.code(), Some(2), "policies show {path} must exit 2: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "bad input stops before any output: {}", stdout(&out));
    stderr(&out)
}

fn assert_says(err: &str, phrases: &[&str]) {
    for phrase in phrases {
        assert!(err.contains(phrase), "expected {phrase:?} in:\n{err}");
    }
}

// ----- encodings -------------------------------------------------------------------

#[test]
fn utf8_with_a_byte_order_mark_and_crlf_is_read() {
    let scratch = Scratch::new("bom");
    let text = fixture_text(ONE_POLICY);
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(crlf(&text).as_bytes());
    let file = scratch.write_bytes("policy.json", &bytes).display().to_string();
    assert_eq!(without_origins(&show(&file)), without_origins(&show(&repo(ONE_POLICY))));
    validates_with(&file, 1);
}

#[test]
fn utf16_as_windows_powershell_writes_it_is_read() {
    let scratch = Scratch::new("utf16");
    let expected = without_origins(&show(&repo(ONE_POLICY)));
    let text = crlf(&fixture_text(ONE_POLICY));
    for (name, bytes) in [("le.json", utf16le(&text)), ("be.json", utf16be(&text))] {
        let file = scratch.write_bytes(name, &bytes).display().to_string();
        assert_eq!(without_origins(&show(&file)), expected, "{name}");
        validates_with(&file, 1);
    }
    // A file without a .json extension is recognised by its decoded text.
    let file = scratch.write_bytes("export.txt", &utf16le(&text)).display().to_string();
    validates_with(&file, 1);
}

#[test]
fn utf16_errors_are_at_the_decoded_line_and_column() {
    let scratch = Scratch::new("utf16-error");
    let text = crlf("{\n  \"displayName\": \"Café → MFA\",\n  \"state\": \"on\"\n}\n");
    let file = scratch.write_bytes("bad.json", &utf16le(&text));
    let err = show_fails(&file.display().to_string());
    assert_says(&err, &[&format!("{}:3:12:", file.display()), "$.state", "`on` is not a policy state"]);
    // A syntax error after non-ASCII text: the column counts characters.
    let text = crlf("{\n  \"displayName\": \"Café → MFA\", ,\n}\n");
    let file = scratch.write_bytes("syntax.json", &utf16be(&text));
    let err = show_fails(&file.display().to_string());
    assert_says(&err, &[&format!("{}:2:32:", file.display()), "malformed JSON"]);
}

#[test]
fn yaml_policies_and_scenarios_in_utf16_are_read() {
    let scratch = Scratch::new("utf16-yaml");
    let policies = "# proposed\n- { name: SIF 8 hours, users: all, apps: all, session: { sign_in_frequency: 8h } }\n";
    let file = scratch.write_bytes("proposed.yaml", &utf16le(&crlf(policies))).display().to_string();
    validates_with(&file, 1);
    // A scenario naming a UTF-16 Graph export beside it.
    scratch.write_bytes("export.json", &utf16be(&crlf(&fixture_text(ONE_POLICY))));
    let scenario = scratch.write_bytes(
        "s.yaml",
        &utf16le(&crlf(
            "name: t\nusers:\n  alice: {}\ndevices:\n  d: { owner: alice }\npolicies: { graph: export.json }\ntimeline:\n  - { at: \"09:00\", do: lock, device: d }\n",
        )),
    );
    let out = casim(&["validate", &scenario.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 policies"), "{}", stdout(&out));
}

#[test]
fn invalid_encodings_are_located_errors() {
    let scratch = Scratch::new("encoding");
    let file = scratch.write_bytes("latin1.json", b"{\n  \"displayName\": \"Caf\xe9\"\n}\n");
    let err = show_fails(&file.display().to_string());
    assert_says(&err, &[&format!("{}:2:22:", file.display()), "not valid UTF-8", "byte offset 23"]);
    // An unpaired surrogate (0xD800) in UTF-16 LE.
    let mut bytes = utf16le("{\r\n \"a\": \"");
    bytes.extend([0x00, 0xD8]);
    bytes.extend(&utf16le("\"}")[2..]);
    let file = scratch.write_bytes("surrogate.json", &bytes);
    let err = show_fails(&file.display().to_string());
    assert_says(&err, &[&format!("{}:2:8:", file.display()), "not valid UTF-16 LE", "byte offset 22"]);
    // UTF-16 whose byte order mark was lost.
    let file = scratch.write_bytes("no-bom.json", &utf16le("[]")[2..]);
    let err = show_fails(&file.display().to_string());
    assert_says(&err, &["UTF-16 without its byte order mark"]);
    // The same rules for YAML policy files.
    let file = scratch.write_bytes("p.yaml", b"- { name: \"caf\xe9\", users: all, apps: all }\n");
    let err = show_fails(&file.display().to_string());
    assert_says(&err, &[&format!("{}:1:15:", file.display()), "not valid UTF-8"]);
}

// ----- layouts ---------------------------------------------------------------------

#[test]
fn an_entraexporter_export_reads_its_conditional_access_folders_only() {
    let root = repo("tests/fixtures/graph/entraexporter");
    let set = load(&root);
    assert_eq!(set.policies.len(), 2);
    assert_eq!(set.named_locations.len(), 2);
    let contexts: Vec<(&str, &str, bool)> =
        set.auth_contexts.iter().map(|c| (c.id.as_str(), c.display_name.as_str(), c.is_available)).collect();
    assert_eq!(contexts, [("c1", "Finance reports", true)]);
    let terms: Vec<&str> = set.terms_of_use.iter().map(|a| a.display_name.as_str()).collect();
    assert_eq!(terms, ["Contoso acceptable use"]);
    // Its Users folder holds objects casim does not read: they are not read.
    assert!(!show(&root).contains("Not a policy"));
    // Its Identity folder alone is read the same way.
    assert_eq!(headlines(&show(&format!("{root}/Identity"))), headlines(&show(&root)));
}

#[test]
fn a_baseline_repository_with_config_folders_is_read() {
    let root = repo("tests/fixtures/graph/baseline-repo");
    let expected = [
        "CA001: Block legacy authentication (on)",
        "CA002: Require MFA outside the head office (report-only)",
        "CA003: Block sign-ins from sanctioned countries (on)",
    ];
    for path in [root.clone(), format!("{root}/Config")] {
        let shown = show(&path);
        assert_eq!(headlines(&shown), expected, "{path}");
        // The named locations beside the policies resolve their ids.
        assert!(shown.contains("any location except Head office (203.0.113.0/24, trusted)"), "{shown}");
        assert!(shown.contains("Sanctioned countries (countries KP IR SY)"), "{shown}");
        validates_with(&path, 3);
    }
    // README.md is not JSON and .vscode/settings.json is tooling: neither is read.
    let out = casim(&["policies", "show", &root]);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn plain_folders_are_read_at_any_depth_in_sorted_order() {
    let scratch = Scratch::new("nested");
    let policy = |name: &str| {
        format!(
            r#"{{ "displayName": "{name}", "state": "enabled",
  "conditions": {{ "users": {{ "includeUsers": ["All"] }}, "applications": {{ "includeApplications": ["All"] }},
    "locations": {{ "includeLocations": ["d2136c9c-b049-47ae-b9cf-316e04ef7198"] }} }},
  "grantControls": {{ "operator": "OR", "builtInControls": ["mfa"] }} }}"#
        )
    };
    for (dir, name) in [("b/deep/er/still", "Fourth"), ("a", "First"), ("a/z", "Second"), ("b", "Third")] {
        std::fs::create_dir_all(scratch.dir.join(dir)).expect("create a folder");
        scratch.write(&format!("{dir}/{}.json", name.to_lowercase()), &policy(name));
    }
    scratch.write("notes.txt", "not JSON, not read");
    let shown = show(&scratch.dir.display().to_string());
    // Sorted by name, folder by folder: a/first, a/z/second, b/deep/…/fourth, b/third.
    assert_eq!(headlines(&shown), ["First (on)", "Second (on)", "Fourth (on)", "Third (on)"]);
    assert!(shown.contains("locations: branch"), "ids resolve against the scenario's locations:\n{shown}");
}

#[test]
fn list_response_pages_in_one_folder_are_read_together() {
    let root = repo("tests/fixtures/graph/list-pages");
    let shown = show(&root);
    assert_eq!(
        headlines(&shown),
        [
            "Page 1: require MFA for Finance (on)",
            "Page 1: compliant devices for SharePoint (off)",
            "Page 2: block Alice's legacy clients (on)"
        ]
    );
    assert!(shown.contains("users      group Finance") && shown.contains("users      alice"), "{shown}");
    let out = casim(&["run", &repo("scenarios/example-3-scenario-2.yaml"), "--policies", &root]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn strengths_contexts_and_terms_of_use_beside_policies_are_kept() {
    let root = repo("tests/fixtures/graph/with-references");
    assert_eq!(
        headlines(&show(&root)),
        ["Admins: FIDO2 or Windows Hello, and the terms of use (on)", "Finance reports: MFA (on)"]
    );
    validates_with(&root, 2);
    let set = load(&root);
    let strengths: Vec<(&str, casim::policy::graph::StrengthPolicyType, &[String])> =
        set.strengths.iter().map(|s| (s.id.as_str(), s.policy_type, s.allowed_combinations.as_slice())).collect();
    use casim::policy::graph::StrengthPolicyType::{BuiltIn, Custom};
    let builtin =
        ["windowsHelloForBusiness", "fido2", "password,microsoftAuthenticatorPush", "password,sms"].map(String::from);
    let custom = ["fido2", "windowsHelloForBusiness"].map(String::from);
    assert_eq!(
        strengths,
        [
            ("00000000-0000-0000-0000-000000000002", BuiltIn, &builtin[..]),
            ("9e0f1a2b-3c4d-4e5f-a06b-7c8d9e0f1a2b", Custom, &custom[..])
        ]
    );
    assert_eq!(set.strengths[0].requirements_satisfied.as_deref(), Some("mfa"));
    assert!(
        set.strengths[1].origin.ends_with("authentication-strengths.json $.value[1]"),
        "{}",
        set.strengths[1].origin
    );
    let contexts: Vec<(&str, bool)> = set.auth_contexts.iter().map(|c| (c.id.as_str(), c.is_available)).collect();
    assert_eq!(contexts, [("c1", true), ("c2", false)]);
    assert_eq!(set.terms_of_use.len(), 1);
    assert_eq!(set.terms_of_use[0].id, "5f1a8c3e-2b4d-4e6f-9a0b-1c2d3e4f5a6b");
    assert!(set.terms_of_use[0].origin.ends_with("terms-of-use.json $"), "{}", set.terms_of_use[0].origin);
}

#[test]
fn a_compliant_network_location_is_read_as_one() {
    let scratch = Scratch::new("gsa");
    scratch.write("policy.json", &fixture_text(ONE_POLICY));
    scratch.write(
        "gsa.json",
        r##"{ "@odata.type": "#microsoft.graph.compliantNetworkNamedLocation", "id": "3d46dbda-8382-466a-856d-eb00cbc6b910",
  "displayName": "All Compliant Network locations", "compliantNetworkType": "allTenantCompliantNetworks" }"##,
    );
    let out = casim(&["policies", "show", &scratch.dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let set = load(&scratch.dir.display().to_string());
    assert_eq!(set.named_locations.len(), 1);
    assert_eq!(set.named_locations[0].kind, casim::policy::locations::LocationKind::CompliantNetwork);
}

fn load(path: &str) -> casim::policy::graph::PolicySet {
    let path = PathBuf::from(path);
    casim::scenario::load_policies(&path, &casim::scenario::empty(&path)).unwrap_or_else(|e| panic!("{}", e.render()))
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_once_and_loops_end() {
    let scratch = Scratch::new("symlinks");
    std::fs::create_dir_all(scratch.dir.join("export/sub")).expect("create a folder");
    std::fs::copy(repo(ONE_POLICY), scratch.dir.join("export/sub/policy.json")).expect("copy the fixture");
    // A link back up (a loop) and a second link to the same file.
    std::os::unix::fs::symlink(scratch.dir.join("export"), scratch.dir.join("export/sub/loop")).expect("symlink");
    std::os::unix::fs::symlink(scratch.dir.join("export/sub/policy.json"), scratch.dir.join("export/again.json"))
        .expect("symlink");
    let shown = show(&scratch.path_arg("export"));
    assert_eq!(headlines(&shown), ["No persistent browser session (on)"]);
}

#[test]
fn folders_nested_beyond_the_depth_limit_are_an_error() {
    let scratch = Scratch::new("deep");
    let deep: PathBuf = (0..=casim::policy::graph::MAX_DEPTH).fold(scratch.dir.clone(), |p, n| p.join(format!("d{n}")));
    std::fs::create_dir_all(&deep).expect("create deep folders");
    std::fs::copy(repo(ONE_POLICY), deep.join("policy.json")).expect("copy the fixture");
    let err = show_fails(&scratch.dir.display().to_string());
    assert_says(&err, &[&format!("more than {} levels", casim::policy::graph::MAX_DEPTH), "depth limit"]);
}

// ----- what a path must hold ---------------------------------------------------------

#[test]
fn every_bad_file_of_a_folder_is_reported_in_one_run() {
    let scratch = Scratch::new("two-bad");
    scratch.write("a-good.json", &fixture_text(ONE_POLICY));
    let syntax = scratch.write("b-syntax.json", "[\n  { \"displayName\": \"x\",, }\n]");
    let state = scratch.write("c-state.json", "{\n  \"displayName\": \"y\",\n  \"state\": \"on\"\n}");
    let out = casim(&["validate", &repo(DIRECTORY), "--policies", &scratch.dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_says(
        &err,
        &[
            "2 of 3 files have errors",
            &format!("{}:2:", syntax.display()),
            "malformed JSON",
            &format!("{}:3:12:", state.display()),
            "$.state",
        ],
    );
    // Listed file by file, in the order they are read.
    let (b, c) = (err.find("b-syntax.json:2:"), err.find("c-state.json:3:"));
    assert!(b.is_some() && b < c, "{err}");
}

#[test]
fn objects_of_other_kinds_are_errors_naming_their_path() {
    let scratch = Scratch::new("other-kinds");
    scratch.write("policy.json", &fixture_text(ONE_POLICY));
    let user = scratch.write(
        "users.json",
        r##"{ "value": [ { "@odata.type": "#microsoft.graph.user", "id": "x" }, { "id": "y", "userPrincipalName": "y@contoso.com" } ] }"##,
    );
    let err = show_fails(&scratch.dir.display().to_string());
    assert_says(
        &err,
        &[
            &format!("{}: 2 errors", user.display()),
            "$.value[0].@odata.type: this object is a `user`",
            "$.value[1]: this object is neither a conditionalAccessPolicy",
        ],
    );
}

#[test]
fn a_path_without_a_policy_is_an_error() {
    let scratch = Scratch::new("no-policy");
    for loc in std::fs::read_dir(repo("tests/fixtures/graph/baseline-repo/Config/NamedLocations")).expect("fixtures") {
        let loc = loc.expect("a fixture").path();
        std::fs::copy(&loc, scratch.dir.join(loc.file_name().expect("a name"))).expect("copy");
    }
    let err = show_fails(&scratch.dir.display().to_string());
    assert_says(&err, &["no Conditional Access policy in this folder: found 2 named locations"]);
    let err = show_fails(&repo("tests/fixtures/graph/with-references/authentication-contexts.json"));
    assert_says(&err, &["no Conditional Access policy in this file: found 2 authentication contexts"]);
    let empty = Scratch::new("no-json");
    empty.write("README.md", "nothing here");
    let err = show_fails(&empty.dir.display().to_string());
    assert_says(&err, &["no Conditional Access policy here: the folder holds no .json file"]);
}

#[test]
fn empty_policies_files_are_errors() {
    let scratch = Scratch::new("empty");
    for (name, text, says) in [
        ("array.json", "[]\n", "no Conditional Access policy in this file: the list is empty"),
        (
            "list.json",
            "{ \"@odata.context\": \"x\", \"value\": [] }",
            "no Conditional Access policy in this file: the list is empty",
        ),
        ("empty.json", "", "the file is empty"),
        ("blank.json", " \r\n", "the file is empty"),
        ("empty.yaml", "# nothing yet\n", "no Conditional Access policy in this file: the file is empty"),
    ] {
        let file = scratch.write(name, text);
        let out = casim(&["validate", &repo(DIRECTORY), "--policies", &file.display().to_string()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert_says(&stderr(&out), &[&file.display().to_string(), says]);
    }
    // In a folder, an empty page beside real ones is not an error; an empty file is.
    let folder = Scratch::new("empty-page");
    folder.write("page-1.json", &fixture_text(ONE_POLICY));
    folder.write("page-2.json", "{ \"value\": [] }");
    validates_with(&folder.dir.display().to_string(), 1);
    let truncated = folder.write("page-3.json", "");
    let err = show_fails(&folder.dir.display().to_string());
    assert_says(&err, &[&format!("{}: the file is empty", truncated.display())]);
    // casim's YAML list follows the same rule; `none` says on purpose that there is no policy.
    let list = scratch.write("list.yaml", "[]\n");
    let out = casim(&["validate", &repo(DIRECTORY), "--policies", &list.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_says(&stderr(&out), &["no Conditional Access policy in this file: the list is empty", "pass `none`"]);
    validates_with("none", 0);
}

/// A baseline repository as IntuneManagement writes it: groups beside the
/// policies name the groups policies use, a policy's `LocationInfo` carries
/// its named locations, and `MigrationTable.json` is skipped with a note.
#[test]
fn intunemanagement_groups_location_info_and_migration_table() {
    let repo_dir = Scratch::new("intunemanagement");
    repo_dir.write("Config/Groups/finance.json", r#"{ "id": "3c9e1f2a-4b5d-4e6f-8a7b-9c0d1e2f3a4b", "displayName": "Finance", "securityEnabled": true, "mailEnabled": false, "mailNickname": "finance" }"#);
    repo_dir
        .write("Config/MigrationTable.json", r#"{ "TenantId": "x", "Objects": [ { "Id": "1", "Type": "group" } ] }"#);
    repo_dir.write(
        "Config/ConditionalAccess/block.json",
        r##"{
  "displayName": "Block finance outside France",
  "state": "enabled",
  "conditions": {
    "clientAppTypes": ["all"],
    "applications": { "includeApplications": ["All"] },
    "users": { "includeGroups": ["3c9e1f2a-4b5d-4e6f-8a7b-9c0d1e2f3a4b"] },
    "locations": { "includeLocations": ["All"], "excludeLocations": ["8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d"] }
  },
  "grantControls": { "operator": "OR", "builtInControls": ["block"] },
  "LocationInfo": [
    { "@odata.type": "#microsoft.graph.countryNamedLocation", "id": "8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d",
      "displayName": "France", "countriesAndRegions": ["FR"], "includeUnknownCountriesAndRegions": false }
  ]
}"##,
    );
    let config = repo_dir.dir.join("Config").display().to_string();
    let out = casim(&["policies", "show", &config]);
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_says(&text, &["users      group Finance", "except France (countries FR)"]);
    assert_says(&err, &["MigrationTable.json: skipped: IntuneManagement's migration table"]);
    // Any other property IntuneManagement or another tool adds is still an error.
    repo_dir.write("Config/ConditionalAccess/other.json", r#"{ "displayName": "x", "state": "disabled", "conditions": { "applications": { "includeApplications": ["All"] }, "users": { "includeUsers": ["All"] } }, "ExportDate": "2026-01-28" }"#);
    assert_says(&show_fails(&config), &["`ExportDate` is not a property of conditionalAccessPolicy"]);
}

/// Microsoft's templates and PowerShell files are not policies, and say so.
#[test]
fn templates_and_powershell_files_are_named_for_what_they_are() {
    let scratch = Scratch::new("templates");
    let templates = scratch.write(
        "templates.json",
        r#"{ "value": [ { "id": "a3d0a415-b068-4326-9251-f9cdf9feeb64", "name": "Require multifactor authentication for all users", "scenarios": "secureFoundation", "details": { "conditions": {} } } ] }"#,
    );
    let err = show_fails(&templates.display().to_string());
    assert_says(
        &err,
        &["conditionalAccessTemplate (`Require multifactor authentication for all users`), not a policy"],
    );
    let dsc = scratch.write("M365TenantConfig.ps1", "Configuration M365TenantConfig\n{\n}\n");
    let err = show_fails(&dsc.display().to_string());
    assert_says(&err, &["a `.ps1` file is neither a Graph JSON export nor casim's YAML policy list"]);
}

/// The recurring input errors are typed: callers tell them apart without
/// reading the words.
#[test]
fn recurring_input_errors_have_typed_kinds() {
    use casim::error::ErrorKind;
    let scratch = Scratch::new("kinds");
    let empty = scratch.write("empty.json", "[]");
    let sc = casim::scenario::empty(&empty);
    let err = casim::scenario::load_policies(&empty, &sc).expect_err("an empty list");
    assert_eq!(err.kind(), &ErrorKind::Empty);
    let typo = scratch.write("typo.json", r#"{ "displayName": "x", "state": "enabled", "conditons": {} }"#);
    let err = casim::scenario::load_policies(&typo, &sc).expect_err("a misspelled property");
    assert!(
        matches!(err.kind(), ErrorKind::Unknown { name, .. } if name == "conditons"),
        "{:?}: {}",
        err.kind(),
        err.render()
    );
    let scenario = "name: t\nusers: { a: {} }\ndevices: { pc: { owner: a } }\ntimeline:\n  - { at: \"00:00\", do: use, device: pc, app: sharepont }\n";
    let err = casim::scenario::from_str(std::path::Path::new("s.yaml"), scenario).expect_err("an unknown app");
    assert_eq!(err.kind(), &ErrorKind::Unknown { what: "app".into(), name: "sharepont".into() });
    let long = "name: t\nlimits: { max_steps: 2 }\nusers: { a: {} }\ndevices: { pc: { owner: a } }\ntimeline:\n  - repeat: { every: 1h, count: 5 }\n    steps: [ { at: \"00:00\", do: lock, device: pc } ]\n";
    let err = casim::scenario::from_str(std::path::Path::new("s.yaml"), long).expect_err("over the step limit");
    assert_eq!(err.kind(), &ErrorKind::Limit { setting: "limits.max_steps" });
}
