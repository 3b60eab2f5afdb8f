//! Every command the README, `docs/*.md` and `casim <command> --help` show runs as
//! written (issue 15, "first contact"): each `sh` block's commands run in order,
//! from a scratch copy of the repository's input folders, with `casim` on the PATH.
//!
//! Conventions (docs/architecture.md, "Commands in the docs"):
//! - a block fenced ```` ```sh ```` is run; its commands must exit 0, or 1 where the
//!   command's exit status reports a finding (`check`, `snapshot`, `diff`, `replay`,
//!   `merge`, `policies lint`), or the status their comment states (`# exit status 2`);
//! - a block fenced ```` ```sh not-run ```` (benchmarks, cluster jobs, pipelines that
//!   need a remote) is not run, but every repository path it names must exist;
//! - synopses and outputs are fenced ```` ```text ````.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Scratch;

/// Folders of the repository the commands read, copied so that commands which
/// write (`snapshot --update`, `-o`) never touch the checkout.
const INPUTS: [&str; 6] = ["scenarios", "examples", "personas", "bench", "tests/fixtures", "fuzz/regressions"];

/// A command that takes longer is a hang, or a documented command too heavy for a test.
const PER_COMMAND: Duration = Duration::from_secs(300);

#[derive(Debug)]
struct Block {
    file: String,
    run: bool,
    commands: Vec<Cmd>,
}

#[derive(Debug, Clone)]
struct Cmd {
    line: usize,
    text: String,
    comment: String,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The documents whose commands are checked: the README and every page of `docs/`.
fn documents() -> Vec<PathBuf> {
    let root = repo_root();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ is readable")
        .map(|e| e.expect("a docs entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    docs.insert(0, root.join("README.md"));
    docs
}

/// The fenced shell blocks of one Markdown document.
fn blocks(file: &str, text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((_, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else { continue };
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("");
        let shell = matches!(lang, "sh" | "bash" | "shell" | "console");
        let mut body = Vec::new();
        for (j, inner) in lines.by_ref() {
            if inner.trim_start().starts_with("```") {
                break;
            }
            body.push((j + 1, inner.to_string()));
        }
        if shell {
            let run = !words.any(|w| w == "not-run");
            out.push(Block { file: file.to_string(), run, commands: commands(&body) });
        }
    }
    out
}

/// Splits a block into commands: comment lines dropped, `\` continuations
/// joined, a heredoc kept with its body.
fn commands(body: &[(usize, String)]) -> Vec<Cmd> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let (line, first) = &body[i];
        i += 1;
        let trimmed = first.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut text = trimmed.strip_prefix("$ ").unwrap_or(trimmed).to_string();
        while text.ends_with('\\') && i < body.len() {
            text.pop();
            text.push(' ');
            text.push_str(body[i].1.trim());
            i += 1;
        }
        if let Some(tag) = heredoc_tag(&text) {
            while i < body.len() {
                let next = &body[i].1;
                i += 1;
                text.push('\n');
                text.push_str(next);
                if next.trim() == tag {
                    break;
                }
            }
        }
        let (command, comment) = split_comment(&text);
        out.push(Cmd { line: *line, text: command, comment });
    }
    out
}

fn heredoc_tag(text: &str) -> Option<String> {
    let after = text.split("<<").nth(1)?;
    let tag = after.trim().trim_start_matches('-').split_whitespace().next()?;
    Some(tag.trim_matches(|c| c == '\'' || c == '"').to_string())
}

/// A trailing `# comment` outside quotes, split from the command.
fn split_comment(text: &str) -> (String, String) {
    if text.contains('\n') {
        return (text.to_string(), String::new());
    }
    let (mut single, mut double) = (false, false);
    let bytes = text.as_bytes();
    for (k, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'#' if !single && !double && (k == 0 || bytes[k - 1] == b' ') => {
                return (text[..k].trim_end().to_string(), text[k + 1..].trim().to_string());
            }
            _ => {}
        }
    }
    (text.to_string(), String::new())
}

/// The exit statuses a documented command may end with.
fn allowed_statuses(cmd: &Cmd) -> Vec<i32> {
    let mut ok = vec![0];
    let reports_findings =
        ["casim check", "casim snapshot", "casim diff", "casim replay", "casim merge", "casim policies lint"];
    if reports_findings.iter().any(|c| cmd.text.contains(c)) {
        ok.push(1);
    }
    for marker in ["exit status ", "status is "] {
        let stated = cmd.comment.split(marker).nth(1).and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next());
        if let Some(n) = stated.and_then(|n| n.parse().ok()) {
            ok.push(n);
        }
    }
    ok
}

/// A scratch copy of the repository's input folders, and a `bin/casim` link to the
/// binary under test.
fn workspace(label: &str) -> (Scratch, String) {
    let scratch = Scratch::new(label);
    for dir in INPUTS {
        copy_dir(&repo_root().join(dir), &scratch.dir.join(dir));
    }
    let bin = scratch.dir.join(".bin");
    std::fs::create_dir_all(&bin).expect("make the bin folder");
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_casim"));
    std::os::unix::fs::symlink(&exe, bin.join("casim")).expect("link casim");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    (scratch, path)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make a copy folder");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// Runs one command through `sh`; a failure message, or `None`.
fn run(cmd: &Cmd, dir: &Path, path: &str, origin: &str) -> Option<String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&cmd.text)
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sh");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for sh") {
            break status;
        }
        if started.elapsed() > PER_COMMAND {
            let _ = child.kill();
            return Some(format!("{origin}: `{}` did not finish in {PER_COMMAND:?}", cmd.text));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    let code = status.code().unwrap_or(-1);
    if stderr.contains("panicked") || !allowed_statuses(cmd).contains(&code) {
        return Some(format!("{origin}: `{}` exited {code}:\n{stderr}", cmd.text));
    }
    None
}

/// Repository paths a not-run block names (`bench/x.sh`, `examples/spark/…`) must exist.
fn missing_paths(block: &Block) -> Vec<String> {
    let roots = ["bench/", "examples/", "scenarios/", "personas/", "tests/", "fuzz/", "docs/"];
    let mut missing = Vec::new();
    for cmd in &block.commands {
        for word in cmd.text.split(|c: char| c.is_whitespace() || c == '=' || c == '\'' || c == '"') {
            let word = word.trim_end_matches([',', ';', ')']);
            if roots.iter().any(|r| word.starts_with(r)) && !word.contains(['*', '$', '<', '>']) {
                let path = repo_root().join(word);
                if !path.exists() && !word.starts_with("fuzz/corpus") && !word.starts_with("fuzz/artifacts") {
                    missing.push(format!("{}:{}: `{word}` does not exist", block.file, cmd.line));
                }
            }
        }
    }
    missing
}

#[test]
fn every_documented_command_runs_as_written() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for doc in documents() {
        let name = doc.strip_prefix(repo_root()).expect("in the repository").display().to_string();
        let text = std::fs::read_to_string(&doc).expect("a readable document");
        let (scratch, path) = workspace("docs");
        for block in blocks(&name, &text) {
            if !block.run {
                failures.extend(missing_paths(&block));
                continue;
            }
            for cmd in &block.commands {
                ran += 1;
                failures.extend(run(cmd, &scratch.dir, &path, &format!("{name}:{}", cmd.line)));
            }
        }
    }
    assert!(ran >= 80, "only {ran} documented commands ran: is the block parser broken?");
    assert!(failures.is_empty(), "{} documented commands fail:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_help_example_runs_as_written() {
    let help = crate::common::casim(&["--help"]);
    let subcommands: Vec<String> = String::from_utf8_lossy(&help.stdout)
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(subcommands.len() >= 10, "casim --help lists {subcommands:?}");
    let (scratch, path) = workspace("help");
    let (mut failures, mut ran) = (Vec::new(), 0);
    for sub in &subcommands {
        let mut args: Vec<&str> = sub.split(' ').collect();
        args.push("--help");
        let text = String::from_utf8_lossy(&crate::common::casim(&args).stdout).to_string();
        let examples = text.lines().skip_while(|l| !l.trim_start().starts_with("Examples:")).skip(1);
        for (n, line) in examples.enumerate() {
            let trimmed = line.trim();
            if !trimmed.starts_with("casim ") {
                continue;
            }
            let (command, comment) = split_comment(trimmed);
            let cmd = Cmd { line: n, text: command, comment };
            ran += 1;
            failures.extend(run(&cmd, &scratch.dir, &path, &format!("casim {sub} --help")));
        }
    }
    assert!(ran >= 20, "only {ran} --help examples ran");
    assert!(failures.is_empty(), "{} --help examples fail:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn blocks_are_parsed_as_the_conventions_say() {
    let doc = "text\n```sh\ncasim run a.yaml   # one\ncasim diff --baseline b \\\n  --proposed c  # exit status 2\n\
               cat > x <<'Y'\na: 1\nY\n```\n```sh not-run\nbench/nothing.sh\n```\n```text\ncasim synopsis\n```\n";
    let found = blocks("doc.md", doc);
    assert_eq!(found.len(), 2);
    assert!(found[0].run && !found[1].run);
    let texts: Vec<&str> = found[0].commands.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["casim run a.yaml", "casim diff --baseline b  --proposed c", "cat > x <<'Y'\na: 1\nY"]);
    assert_eq!(allowed_statuses(&found[0].commands[0]), [0]);
    assert_eq!(allowed_statuses(&found[0].commands[1]), [0, 1, 2]);
    assert_eq!(missing_paths(&found[1]), ["doc.md:11: `bench/nothing.sh` does not exist"]);
}
