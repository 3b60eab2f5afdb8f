//! Partial results (`--format partial`) and their merge (`casim merge`,
//! issue 14; docs/scale.md). A partial result is JSON lines: a header that
//! says what was simulated (command, inputs, policies, start, shard, casim
//! version), then one line per user in user order with that user's share of
//! the text and the JSON output as `casim run` renders them, then a trailer
//! with the counts. Merging the N shards' files interleaves their users by
//! their key into the same sections an unsharded run fills, so its output is
//! byte for byte the unsharded command's.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json::{Json, JsonPart};
use super::run::{Format, Sections};
use super::text::{Text, TextPart};
use crate::diff::{Collector, Share};
use crate::engine::{Options, Outcome, Stats};
use crate::error::{InputError, Pos};
use crate::scenario::Scenario;
use crate::shard::Shard;

/// What the first line's `format` says.
pub const FORMAT: &str = "casim-partial";
/// The layout of the lines; a merge refuses any other.
pub const FORMAT_VERSION: u64 = 1;

/// The first line of a partial result: what it is a share of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub format_version: u64,
    /// The casim version that wrote it.
    pub casim: String,
    pub command: String,
    /// What was simulated: the scenario or the logs' name.
    pub inputs: String,
    /// A fingerprint of the policy files (`fingerprint`).
    pub policies: String,
    /// The instant times are counted from.
    pub start: i64,
    /// `K/N`.
    pub shard: String,
    pub trace: bool,
    /// The text output's title line and the JSON output's opening.
    pub title: String,
    pub json_head: String,
    pub not_simulated: Option<String>,
    /// A diff's baseline and proposed policies, as its summary names them.
    #[serde(default)]
    pub labels: Option<[String; 2]>,
    /// What the command prints after the output (`casim run` ends a scenario with a line break).
    #[serde(default)]
    pub after: String,
    /// A population's run: each user's line carries their share of its
    /// summary, and the text is that summary unless `every_prompt`.
    #[serde(default)]
    pub population: bool,
    #[serde(default)]
    pub every_prompt: bool,
}

impl Header {
    pub fn new(command: &str, scenario: &Scenario, policies: String, shard: Shard, options: Options) -> Header {
        let (json_head, not_simulated) = Json::head_of(scenario);
        Header {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            casim: env!("CARGO_PKG_VERSION").into(),
            command: command.into(),
            inputs: scenario.path.display().to_string(),
            policies,
            start: scenario.start,
            shard: shard.to_string(),
            trace: options.trace,
            title: Text::title_of(scenario),
            json_head,
            not_simulated,
            labels: None,
            after: String::new(),
            population: options.population,
            every_prompt: options.every_prompt,
        }
    }

    /// The options the output was rendered with.
    fn options(&self) -> Options {
        Options {
            trace: self.trace,
            population: self.population,
            every_prompt: self.every_prompt,
            ..Options::default()
        }
    }

    /// The header of a diff's partial result (`casim replay --baseline/--proposed --format partial`).
    pub fn diff(mut self, baseline: String, proposed: String) -> Header {
        self.command.push_str(" diff");
        self.labels = Some([baseline, proposed]);
        self
    }

    /// The line itself.
    pub fn line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }
}

/// `casim run --format partial` of a `population:` scenario: the users of
/// `shard` (by the object id their records would carry), keyed by their
/// place in the population.
pub fn write_run(
    scenario: &Scenario,
    shard: Shard,
    options: Options,
    policies: String,
    out: &mut dyn Write,
) -> Result<Stats, super::run::RunError> {
    use super::run::RunError;
    use crate::engine::population;
    let Some(p) = &scenario.population else {
        let message = "`--format partial` splits a `population:` scenario by user; this scenario has none";
        return Err(RunError::Input(Box::new(InputError::new(&scenario.path, None, message))));
    };
    let options = Options { population: true, ..options };
    let mut header = Header::new("run", scenario, policies, shard, options);
    header.after = "\n".into();
    out.write_all(header.line().as_bytes())?;
    let (mut stats, mut users) = (Stats::default(), 0u64);
    population::for_each_user(
        &[(scenario, p)],
        population::chunk(p.days),
        |index, sc| -> Result<Option<(String, Stats)>, InputError> {
            let sc = &sc[0];
            if !shard.holds(&crate::signin::record::user_id(sc, &sc.users[0])) {
                return Ok(None);
            }
            let outcome = crate::engine::simulate(sc, options);
            crate::engine::check_event_limit(sc, &outcome)?;
            Ok(Some((user_line(&format!("{index:012}"), sc, &outcome, options), outcome.stats.clone())))
        },
        |r| -> Result<(), RunError> {
            if let Some((line, more)) = r.map_err(|e| RunError::Input(Box::new(e)))? {
                out.write_all(line.as_bytes())?;
                stats.add(&more);
                users += 1;
            }
            Ok(())
        },
    )?;
    out.write_all(trailer(users).as_bytes())?;
    Ok(stats)
}

/// One user's line: their key (what orders users) and both renderings.
pub fn user_line(key: &str, scenario: &Scenario, outcome: &Outcome, options: Options) -> String {
    // A population's summary shares once, beside both renderings, not in each.
    let mut text = <Text as Sections>::part(scenario, outcome, options);
    let json = <Json as Sections>::part(scenario, outcome, Options { population: false, ..options }).to_value();
    let shares = match std::mem::take(&mut text.shares) {
        shares if options.population && shares.is_empty() => crate::diff::breakdown::shares(scenario, outcome),
        shares => shares,
    };
    let (text, stats) = (text.to_value(), &outcome.stats);
    let counts = [stats.events, stats.token_requests, stats.prt_refreshes];
    let mut line = serde_json::json!({ "key": key, "text": text, "json": json, "stats": counts });
    if options.population {
        line["summary"] = serde_json::to_value(shares).unwrap_or_default();
    }
    let mut line = line.to_string();
    line.push('\n');
    line
}

/// One user's line of a diff: their key and their share of the summary.
pub fn share_line(key: &str, share: &Share) -> String {
    let mut line = serde_json::json!({ "key": key, "share": share }).to_string();
    line.push('\n');
    line
}

/// The last line: how many users the file holds, so a cut file is noticed.
pub fn trailer(users: u64) -> String {
    format!("{}\n", serde_json::json!({ "end": true, "users": users }))
}

/// A fingerprint of policy files (FNV-1a of their names and bytes, a
/// folder's files in order; `none` is no file): partials made under other
/// policies do not merge.
pub fn fingerprint(paths: &[&Path]) -> String {
    let mut h = crate::shard::FNV_OFFSET;
    let mut feed = |bytes: &[u8]| h = crate::shard::fnv1a(h, bytes);
    for path in paths {
        let mut files = vec![path.to_path_buf()];
        if path.is_dir() {
            files = std::fs::read_dir(path).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
            files.sort();
        }
        for f in files {
            feed(f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().as_bytes());
            feed(&std::fs::read(&f).unwrap_or_default());
        }
        feed(b"\0");
    }
    format!("{h:016x}")
}

/// One partial file being read.
struct Source {
    path: PathBuf,
    lines: io::Lines<BufReader<std::fs::File>>,
    line: usize,
    users: u64,
    last: Option<String>,
    ended: bool,
}

/// A user's line waiting in the merge: its key, its file, its line.
struct Next(String, usize, Value);

impl PartialEq for Next {
    fn eq(&self, o: &Self) -> bool {
        (&self.0, self.1) == (&o.0, o.1)
    }
}
impl Eq for Next {}
impl PartialOrd for Next {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Next {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (&self.0, self.1).cmp(&(&o.0, o.1))
    }
}

/// What a merge gives: the output written, or a diff's numbers to render.
pub enum Merged {
    Written,
    Diff(Box<Collector>),
}

/// Merges the partial results in `paths`: prompts into `format`'s output,
/// a diff's shares into its collector.
pub fn merge(paths: &[PathBuf], format: Format, out: &mut dyn Write) -> Result<Merged, InputError> {
    let (header, mut sources) = open_all(paths)?;
    if let Some([baseline, proposed]) = &header.labels {
        let mut collector = Collector::new(baseline, proposed);
        fold_shares(&mut collector, &mut sources)?;
        collector.scenario_done();
        return Ok(Merged::Diff(Box::new(collector)));
    }
    match format {
        Format::Text => {
            let sections = Text::titled(header.title.clone(), header.options());
            fold(sections, &mut sources, out, |v| {
                let mut part = v.get("text").and_then(TextPart::from_value)?;
                part.shares = shares(v, header.options().summarised())?;
                Some(part)
            })
        }
        Format::Json => {
            let sections = Json::headed(header.json_head.clone(), header.not_simulated.clone(), header.options());
            fold(sections, &mut sources, out, |v| {
                let mut part = v.get("json").and_then(JsonPart::from_value)?;
                part.shares = shares(v, header.population)?;
                Some(part)
            })
        }
    }?;
    out.write_all(header.after.as_bytes())
        .map_err(|e| InputError::new(&paths[0], None, format!("cannot write the merged output: {e}")))?;
    Ok(Merged::Written)
}

/// A user line's shares of a population's summary when `wanted`; `None` if
/// they are wanted and the line has none.
fn shares(line: &Value, wanted: bool) -> Option<Vec<crate::diff::breakdown::UserShare>> {
    if !wanted {
        return Some(Vec::new());
    }
    serde_json::from_value(line.get("summary")?.clone()).ok()
}

/// Whether the partial results are a diff's shares (the first file's header says).
pub fn is_diff(paths: &[PathBuf]) -> Result<bool, InputError> {
    Ok(open_all(paths)?.0.labels.is_some())
}

/// A diff's shares, user by user in key order, into `collector`.
fn fold_shares(collector: &mut Collector, sources: &mut [Source]) -> Result<(), InputError> {
    let mut heap = BinaryHeap::new();
    for (i, src) in sources.iter_mut().enumerate() {
        if let Some(next) = next_user(src, i)? {
            heap.push(Reverse(next));
        }
    }
    while let Some(Reverse(Next(_, i, mut value))) = heap.pop() {
        let share = value.get_mut("share").map(Value::take).and_then(|v| serde_json::from_value::<Share>(v).ok());
        let src = &sources[i];
        let share = share.ok_or_else(|| bad_line(&src.path, src.line, "a user's share of a diff"))?;
        collector.add_share(share);
        if let Some(next) = next_user(&mut sources[i], i)? {
            heap.push(Reverse(next));
        }
    }
    Ok(())
}

fn fold<S: Sections>(
    mut sections: S,
    sources: &mut [Source],
    out: &mut dyn Write,
    part: impl Fn(&Value) -> Option<S::Part>,
) -> Result<(), InputError> {
    let mut heap = BinaryHeap::new();
    for (i, src) in sources.iter_mut().enumerate() {
        if let Some(next) = next_user(src, i)? {
            heap.push(Reverse(next));
        }
    }
    let mut stats = Stats::default();
    while let Some(Reverse(Next(_, i, value))) = heap.pop() {
        let src = &sources[i];
        let bad = || bad_line(&src.path, src.line, "a user's line of a partial result");
        let p = part(&value).ok_or_else(bad)?;
        let counts: Vec<u64> = value
            .get("stats")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        let [events, token_requests, prt_refreshes] = counts.as_slice() else { return Err(bad()) };
        stats.add(&Stats { events: *events, token_requests: *token_requests, prt_refreshes: *prt_refreshes });
        sections.add(p).map_err(|e| keep_error(&sources[i].path, e))?;
        if let Some(next) = next_user(&mut sources[i], i)? {
            heap.push(Reverse(next));
        }
    }
    let first = sources.first().map_or(Path::new("-"), |s| s.path.as_path()).to_path_buf();
    sections
        .finish(&stats, out)
        .map_err(|e| InputError::new(&first, None, format!("cannot write the merged output: {e}")))
}

fn keep_error(path: &Path, e: io::Error) -> InputError {
    InputError::new(path, None, format!("cannot keep the merged output in a temporary file: {e}"))
}

fn bad_line(path: &Path, line: usize, expected: &str) -> InputError {
    InputError::new(
        path,
        Some(Pos { line, column: 1 }),
        format!("this is not a casim partial result: expected {expected}"),
    )
}

/// The next user of a source, or `None` at its trailer (checked against its users).
fn next_user(src: &mut Source, i: usize) -> Result<Option<Next>, InputError> {
    if src.ended {
        return Ok(None);
    }
    let Some(line) = src.lines.next() else {
        return Err(InputError::new(
            &src.path,
            None,
            "the partial result is cut short: it has no last line (`\"end\": true`)",
        ));
    };
    src.line += 1;
    let line = line.map_err(|e| InputError::new(&src.path, None, format!("cannot read: {e}")))?;
    let value: Value = serde_json::from_str(&line).map_err(|_| bad_line(&src.path, src.line, "a JSON line"))?;
    if value.get("end").and_then(Value::as_bool) == Some(true) {
        let said = value.get("users").and_then(Value::as_u64);
        if said != Some(src.users) {
            return Err(InputError::new(
                &src.path,
                Some(Pos { line: src.line, column: 1 }),
                format!("the partial result says it holds {said:?} users and holds {}", src.users),
            ));
        }
        src.ended = true;
        return Ok(None);
    }
    let key =
        value.get("key").and_then(Value::as_str).ok_or_else(|| bad_line(&src.path, src.line, "a user's `key`"))?;
    if src.last.as_deref().is_some_and(|last| last >= key) {
        return Err(bad_line(&src.path, src.line, "users in increasing order of their key"));
    }
    src.last = Some(key.to_string());
    src.users += 1;
    Ok(Some(Next(key.to_string(), i, value)))
}

/// Opens every file and checks that their headers are shares of one result
/// and that every shard is there once.
fn open_all(paths: &[PathBuf]) -> Result<(Header, Vec<Source>), InputError> {
    let mut sources = Vec::new();
    let mut headers: Vec<Header> = Vec::new();
    for path in paths {
        let file = std::fs::File::open(path).map_err(|e| InputError::new(path, None, format!("cannot read: {e}")))?;
        let mut lines = BufReader::new(file).lines();
        let first = lines.next().transpose().map_err(|e| InputError::new(path, None, format!("cannot read: {e}")))?;
        let header: Header = first
            .and_then(|l| serde_json::from_str(&l).ok())
            .filter(|h: &Header| h.format == FORMAT)
            .ok_or_else(|| bad_line(path, 1, "a header line (`casim replay … --format partial` writes one)"))?;
        if header.format_version != FORMAT_VERSION {
            return Err(InputError::new(
                path,
                Some(Pos { line: 1, column: 1 }),
                format!(
                    "partial result format {} is not the one this casim reads ({FORMAT_VERSION})",
                    header.format_version
                ),
            ));
        }
        headers.push(header);
        sources.push(Source { path: path.clone(), lines, line: 1, users: 0, last: None, ended: false });
    }
    let Some(first) = headers.first().cloned() else {
        return Err(InputError::new(Path::new("-"), None, "no partial result to merge"));
    };
    for (h, path) in headers.iter().zip(paths).skip(1) {
        same(&first, h, &paths[0], path)?;
    }
    check_shards(&headers, paths)?;
    Ok((first, sources))
}

/// Two headers are shares of one result: everything but the shard's number agrees.
fn same(a: &Header, b: &Header, pa: &Path, pb: &Path) -> Result<(), InputError> {
    let count = |h: &Header| Shard::parse(&h.shard).map(|s| s.count).ok();
    let fields: [(&str, String, String); 12] = [
        ("casim version", a.casim.clone(), b.casim.clone()),
        ("command", a.command.clone(), b.command.clone()),
        ("inputs", a.inputs.clone(), b.inputs.clone()),
        ("policies", a.policies.clone(), b.policies.clone()),
        ("start", a.start.to_string(), b.start.to_string()),
        ("shard count", format!("{:?}", count(a)), format!("{:?}", count(b))),
        ("trace", a.trace.to_string(), b.trace.to_string()),
        ("population", a.population.to_string(), b.population.to_string()),
        ("--every-prompt", a.every_prompt.to_string(), b.every_prompt.to_string()),
        ("title", a.title.clone(), b.title.clone()),
        ("policies not simulated", format!("{:?}", a.not_simulated), format!("{:?}", b.not_simulated)),
        ("baseline and proposed policies", format!("{:?}", a.labels), format!("{:?}", b.labels)),
    ];
    for (what, x, y) in fields {
        if x != y {
            return Err(InputError::new(
                pb,
                Some(Pos { line: 1, column: 1 }),
                format!(
                    "this partial result's {what} is `{y}`, and {}'s is `{x}`: they are not shares of one result",
                    pa.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Shards 1..N each once.
fn check_shards(headers: &[Header], paths: &[PathBuf]) -> Result<(), InputError> {
    let mut seen: Vec<Option<&Path>> = Vec::new();
    for (h, path) in headers.iter().zip(paths) {
        let shard = Shard::parse(&h.shard).map_err(|e| InputError::new(path, Some(Pos { line: 1, column: 1 }), e))?;
        seen.resize(shard.count as usize, None);
        let slot = &mut seen[shard.index as usize - 1];
        if let Some(other) = slot {
            return Err(InputError::new(
                path,
                None,
                format!(
                    "shard {shard} is given twice (also {}): each shard's result must be given once",
                    other.display()
                ),
            ));
        }
        *slot = Some(path);
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, p)| p.is_none()).map(|(i, _)| (i + 1).to_string()).collect();
    if !missing.is_empty() {
        return Err(InputError::new(
            &paths[0],
            None,
            match missing.as_slice() {
                [one] => format!("shard {one} of {} is missing: merge needs every shard's result", seen.len()),
                _ => format!(
                    "shards {} of {} are missing: merge needs every shard's result",
                    missing.join(", "),
                    seen.len()
                ),
            },
        ));
    }
    Ok(())
}
