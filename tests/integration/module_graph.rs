//! The shape of the library (issue 10): the top-level modules of `src/`
//! depend on each other without a cycle, so that each can be read, tested
//! and changed knowing only the modules below it.
//!
//! The graph is read from the source: every `crate::m` path (in `use` lines,
//! in code and in serde attributes, `crate::{a, b}` groups too) of a file
//! under `src/m.rs` or `src/m/` is an edge from that file's top-level module
//! to `m`. Test modules (`#[cfg(test)]`) are left out: a unit test may build
//! its fixtures with any module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::DiGraph;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules: `src/m.rs` and `src/m/`, but not the crate roots.
fn top_level_modules() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(src()).expect("src/ is readable") {
        let path = entry.expect("an entry of src/").path();
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 name").to_string();
        if path.is_dir() || (path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main") {
            out.insert(name);
        }
    }
    out
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(path).expect("a folder of src/").map(|e| e.expect("an entry").path()).collect();
        entries.sort();
        for p in entries {
            rust_files(&p, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The files of top-level module `m`.
fn files_of(m: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let file = src().join(format!("{m}.rs"));
    if file.exists() {
        out.push(file);
    }
    let dir = src().join(m);
    if dir.is_dir() {
        rust_files(&dir, &mut out);
    }
    out
}

/// The lines of `text` outside `#[cfg(test)]` items and comments. rustfmt
/// closes an item with a `}` at the indentation it opened it at.
fn non_test_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]") {
            let Some(item) = lines.next() else { break };
            if item.trim_end().ends_with('{') {
                let indent = &item[..item.len() - item.trim_start().len()];
                let close = format!("{indent}}}");
                for l in lines.by_ref() {
                    if l.trim_end() == close {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(line);
    }
    out
}

fn ident_at(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules a line names with `crate::`.
fn referenced(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let before = &rest[..i];
        rest = &rest[i + "crate::".len()..];
        // `$crate::`, `some_crate::`: not this crate's root.
        if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d}`: the first name of each top-level entry.
            let mut depth = 0;
            let mut start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        out.push(ident_at(&group[k..]).to_string());
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident_at(rest).to_string());
        }
    }
    out
}

/// Top-level module → the top-level modules it uses, with one file that does.
fn dependencies() -> BTreeMap<String, BTreeMap<String, String>> {
    let modules = top_level_modules();
    let mut graph = BTreeMap::new();
    for m in &modules {
        let mut deps: BTreeMap<String, String> = BTreeMap::new();
        for file in files_of(m) {
            let text = std::fs::read_to_string(&file).expect("a source file is readable");
            let shown = file.strip_prefix(src().parent().unwrap()).unwrap().display().to_string();
            for line in non_test_lines(&text) {
                for d in referenced(line) {
                    if &d != m && modules.contains(&d) {
                        deps.entry(d).or_insert_with(|| shown.clone());
                    }
                }
            }
        }
        graph.insert(m.clone(), deps);
    }
    graph
}

fn shown(graph: &BTreeMap<String, BTreeMap<String, String>>) -> String {
    graph
        .iter()
        .map(|(m, deps)| format!("{m} -> {}", deps.keys().cloned().collect::<Vec<_>>().join(" ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_reader_sees_every_kind_of_path() {
    assert_eq!(referenced("use crate::scenario::model::{Action, Step};"), ["scenario"]);
    assert_eq!(referenced("use crate::{check, report::{self, html}};"), ["check", "report"]);
    assert_eq!(referenced(r#"#[serde(serialize_with = "crate::time::serialize_rfc3339")]"#), ["time"]);
    assert_eq!(referenced("let s = crate::scenario::from_str(p, t)?; crate::engine::run(&s)"), ["scenario", "engine"]);
    assert!(referenced("$crate::x; serde_crate::y").is_empty());
    let text =
        "use crate::a;\n// crate::b\n#[cfg(test)]\nmod tests {\n    use crate::c;\n}\nfn f() {\n    crate::d::g()\n}\n";
    let seen: Vec<String> = non_test_lines(text).into_iter().flat_map(referenced).collect();
    assert_eq!(seen, ["a", "d"]);
}

#[test]
fn top_level_modules_have_no_cycle() {
    let deps = dependencies();
    for expected in ["cli", "domain", "engine", "policy", "scenario"] {
        assert!(deps.contains_key(expected), "no top-level module `{expected}` in src/:\n{}", shown(&deps));
    }
    let mut graph = DiGraph::<&str, ()>::new();
    let nodes: BTreeMap<&str, _> = deps.keys().map(|m| (m.as_str(), graph.add_node(m.as_str()))).collect();
    for (m, ds) in &deps {
        for d in ds.keys() {
            graph.add_edge(nodes[m.as_str()], nodes[d.as_str()], ());
        }
    }
    if toposort(&graph, None).is_err() {
        let cycles: Vec<String> = tarjan_scc(&graph)
            .into_iter()
            .filter(|scc| scc.len() > 1)
            .map(|scc| {
                let members: BTreeSet<&str> = scc.iter().map(|n| graph[*n]).collect();
                members
                    .iter()
                    .flat_map(|m| {
                        deps[*m]
                            .iter()
                            .filter(|(d, _)| members.contains(d.as_str()))
                            .map(move |(d, file)| format!("  {m} -> {d} ({file})"))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        panic!(
            "top-level modules depend on each other in a cycle:\n{}\n\nwhole graph:\n{}",
            cycles.join("\n\n"),
            shown(&deps)
        );
    }
}

#[test]
fn only_the_binary_uses_cli_and_domain_uses_no_other_module() {
    let deps = dependencies();
    let users: Vec<&String> = deps.iter().filter(|(_, ds)| ds.contains_key("cli")).map(|(m, _)| m).collect();
    assert!(users.is_empty(), "cli is the top of the library; used by {users:?}");
    let domain: Vec<&String> = deps["domain"].keys().collect();
    assert!(domain.is_empty(), "domain is below every other module; uses {domain:?}");
}

/// docs/architecture.md lists every source file with what it holds, and no
/// file that is gone: the map a new engineer reads stays the code's.
#[test]
fn the_architecture_map_lists_every_source_file() {
    let doc = std::fs::read_to_string(src().join("../docs/architecture.md")).expect("docs/architecture.md");
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let names: BTreeSet<String> =
        files.iter().map(|f| f.strip_prefix(src()).expect("under src/").to_string_lossy().replace('\\', "/")).collect();
    let missing: Vec<&String> = names.iter().filter(|n| !doc.contains(&format!("| `{n}` |"))).collect();
    assert!(missing.is_empty(), "docs/architecture.md does not list {missing:?}");
    let listed: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `").and_then(|l| l.split_once("` |")).map(|(n, _)| n))
        .filter(|n| n.ends_with(".rs"))
        .collect();
    let gone: Vec<&&str> = listed.iter().filter(|n| !names.contains(**n)).collect();
    assert!(gone.is_empty(), "docs/architecture.md lists files that do not exist: {gone:?}");
}
