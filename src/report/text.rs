//! The human table: one prompt a line with the reason in words, then one
//! line per block, report-only result, finding, deferral and workload
//! sign-in, and the counts. Built outcome by outcome (a population's user by
//! user) into `Spill` sections, and written whole at the end.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Write};

use super::run::Sections;
use super::summary::RunSummary;
use super::words;
use crate::diff::breakdown::{self, UserShare};
use crate::engine::{Options, Outcome, Prompt, PromptResult, Stats};
use crate::scenario::Scenario;
use crate::spill::Spill;
use crate::terminal::{self, MAX_COLUMN};

const HEADER: [&str; 7] = ["TIME", "USER", "DEVICE", "APP", "CLIENT", "KIND", "WHY"];

/// One scenario's text output so far.
pub(crate) struct Text {
    title: String,
    trace: Option<Spill>,
    /// Prompt rows, each part's as a block: its length (`u64`, little-endian),
    /// then its rows as `TextPart::rows` holds them.
    rows: Spill,
    widths: [usize; 7],
    /// Blocks, report-only results, findings, deferrals, workload sign-ins.
    lines: [Spill; 5],
    counts: Counts,
    /// A population's summary (`Options::summarised`), which replaces the
    /// prompt rows and the other lines.
    summary: Option<RunSummary>,
}

/// What the last lines count.
#[derive(Default, Clone, Copy)]
pub(crate) struct Counts {
    prompts: usize,
    blocked: usize,
    report_only: usize,
    deferred: usize,
    findings: usize,
    workloads: usize,
    workloads_blocked: usize,
}

/// One outcome's share of the output, rendered where it was simulated.
pub(crate) struct TextPart {
    trace: String,
    /// Prompt rows, escaped, each cell as its length in bytes (LEB128), its
    /// width on screen (one byte, at most `MAX_COLUMN`; not for the last,
    /// unpadded column) and its text: the table pads them at the end without
    /// reading them again. And the widest cell of each column.
    rows: Vec<u8>,
    widths: [usize; 7],
    lines: [String; 5],
    counts: Counts,
    /// Each user's share of a population's summary; a partial result
    /// carries it beside the part (`report::partial`).
    pub(crate) shares: Vec<UserShare>,
}

impl Text {
    /// The title line `new` gives a scenario.
    pub(crate) fn title_of(scenario: &Scenario) -> String {
        format!("== {} ({})", scenario.name, scenario.path.display())
    }

    /// An output with this title, its parts to come from partial results (`casim merge`).
    pub(crate) fn titled(title: String, options: Options) -> Text {
        Text {
            title,
            trace: options.trace.then(Spill::new),
            rows: Spill::new(),
            widths: HEADER.map(terminal::width),
            lines: Default::default(),
            counts: Counts::default(),
            summary: options.summarised().then(RunSummary::new),
        }
    }
}

impl TextPart {
    /// The part as JSON, for a partial result: each prompt row as its cells'
    /// `[text, width]`, the other lines and the counts as they are.
    pub(crate) fn to_value(&self) -> serde_json::Value {
        let mut rest = self.rows.as_slice();
        let mut rows = Vec::new();
        while let Some(cells) = read_row(&mut rest) {
            let cells: Vec<serde_json::Value> =
                cells.iter().map(|(text, width)| serde_json::json!([String::from_utf8_lossy(text), width])).collect();
            rows.push(serde_json::Value::Array(cells));
        }
        let c = self.counts;
        serde_json::json!({
            "trace": self.trace,
            "rows": rows,
            "lines": self.lines,
            "counts": [c.prompts, c.blocked, c.report_only, c.deferred, c.findings, c.workloads, c.workloads_blocked],
        })
    }

    /// A part read back from `to_value`'s JSON; `None` if it is not one.
    pub(crate) fn from_value(v: &serde_json::Value) -> Option<TextPart> {
        let (mut rows, mut widths) = (Vec::new(), [0; 7]);
        for row in v.get("rows")?.as_array()? {
            let cells = row.as_array().filter(|c| c.len() == 7)?;
            for (i, cell) in cells.iter().enumerate() {
                let text = cell.get(0)?.as_str()?;
                let width = usize::try_from(cell.get(1)?.as_u64()?).ok()?;
                push_cell(&mut rows, &mut widths, i, text.as_bytes(), width);
            }
        }
        let lines = v.get("lines")?.as_array().filter(|l| l.len() == 5)?;
        let lines: [String; 5] = std::array::from_fn(|i| lines[i].as_str().unwrap_or_default().to_string());
        let n: Vec<usize> = v
            .get("counts")?
            .as_array()?
            .iter()
            .map(|n| n.as_u64().and_then(|n| usize::try_from(n).ok()))
            .collect::<Option<_>>()?;
        let [prompts, blocked, report_only, deferred, findings, workloads, workloads_blocked] = n.as_slice() else {
            return None;
        };
        let counts = Counts {
            prompts: *prompts,
            blocked: *blocked,
            report_only: *report_only,
            deferred: *deferred,
            findings: *findings,
            workloads: *workloads,
            workloads_blocked: *workloads_blocked,
        };
        let trace = v.get("trace")?.as_str()?.to_string();
        Some(TextPart { trace, rows, widths, lines, counts, shares: Vec::new() })
    }
}

impl Sections for Text {
    type Part = TextPart;

    fn new(scenario: &Scenario, options: Options) -> Text {
        Text::titled(Text::title_of(scenario), options)
    }

    fn part(scenario: &Scenario, outcome: &Outcome, options: Options) -> TextPart {
        let mut trace = String::new();
        if options.trace && !outcome.trace.is_empty() {
            trace.push_str(&terminal::sanitize(&super::trace::render(scenario, &outcome.trace)));
            trace.push('\n');
        }
        let (mut rows, mut widths, mut lines_, mut shares) = (Vec::new(), [0; 7], Default::default(), Vec::new());
        if options.summarised() {
            shares = breakdown::shares(scenario, outcome);
        } else {
            // About 250 bytes a row: grown once, not copied row after row.
            rows.reserve(outcome.prompts.len() * 256);
            let (mut why, mut names) = (Vec::new(), Names::new(scenario));
            for p in &outcome.prompts {
                row(&mut rows, &mut widths, &mut why, &mut names, scenario, p);
            }
            lines_ = lines(scenario, outcome);
        }
        TextPart {
            trace,
            rows,
            widths,
            lines: lines_,
            shares,
            counts: Counts {
                prompts: outcome.prompts.len(),
                blocked: outcome.blocked.len(),
                report_only: outcome.report_only.len(),
                deferred: outcome.deferred.len(),
                findings: outcome.findings.len(),
                workloads: outcome.workload_sign_ins.len(),
                workloads_blocked: outcome.workload_sign_ins.iter().filter(|w| w.error_code.is_some()).count(),
            },
        }
    }

    fn add(&mut self, part: TextPart) -> io::Result<()> {
        if let Some(trace) = &mut self.trace {
            trace.write(part.trace.as_bytes())?;
        }
        for (w, part) in self.widths.iter_mut().zip(part.widths) {
            *w = (*w).max(part);
        }
        if !part.rows.is_empty() {
            self.rows.write(&(part.rows.len() as u64).to_le_bytes())?;
            self.rows.write(&part.rows)?;
        }
        for (spill, text) in self.lines.iter_mut().zip(&part.lines) {
            spill.write(text.as_bytes())?;
        }
        if let Some(summary) = &mut self.summary {
            part.shares.iter().for_each(|share| summary.add(share));
        }
        let (c, p) = (&mut self.counts, part.counts);
        c.prompts += p.prompts;
        c.blocked += p.blocked;
        c.report_only += p.report_only;
        c.deferred += p.deferred;
        c.findings += p.findings;
        c.workloads += p.workloads;
        c.workloads_blocked += p.workloads_blocked;
        Ok(())
    }

    fn finish(self, _stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
        if let Some(trace) = self.trace {
            // An empty trace still leaves its line, as the run always has.
            if trace.is_empty() {
                out.write_all(b"\n")?;
            }
            trace.copy_to(out)?;
        }
        writeln!(out, "{}", terminal::escape(&self.title))?;
        match &self.summary {
            Some(summary) => out.write_all(summary.text().as_bytes())?,
            None if self.counts.prompts == 0 => out.write_all(b"no prompts\n")?,
            None => write_rows(self.rows, &self.widths, out)?,
        }
        for spill in self.lines {
            spill.copy_to(out)?;
        }
        let c = self.counts;
        if c.workloads > 0 {
            let workloads = plural(c.workloads, "workload token request");
            writeln!(out, "{workloads}, {} blocked", c.workloads_blocked)?;
        }
        writeln!(
            out,
            "{}, {} blocked, {}, {} deferred, {}",
            plural(c.prompts, "prompt"),
            c.blocked,
            plural(c.report_only, "report-only finding"),
            c.deferred,
            plural(c.findings, "finding"),
        )?;
        if self.summary.is_some() {
            out.write_all(b"(a population's summary: --every-prompt lists every prompt, block and finding)\n")?;
        }
        Ok(())
    }
}

/// The table of prompts, one a line.
fn write_rows(rows: Spill, widths: &[usize; 7], out: &mut dyn Write) -> io::Result<()> {
    let mut line = Vec::with_capacity(1 << 16);
    table_line(&mut line, HEADER.map(|h| (h.as_bytes(), h.len())), widths);
    let (mut rows, mut block) = (rows.reader()?, Vec::new());
    loop {
        let buffered = rows.fill_buf()?;
        let Some((len, after)) = buffered.split_first_chunk::<8>() else {
            if buffered.is_empty() {
                break;
            }
            // A length cut by the end of the reader's buffer.
            let mut len = [0; 8];
            rows.read_exact(&mut len)?;
            block.clear();
            rows.by_ref().take(u64::from_le_bytes(len)).read_to_end(&mut block)?;
            pad_rows(&mut line, &block, widths, out)?;
            continue;
        };
        let len = usize::try_from(u64::from_le_bytes(*len)).unwrap_or(usize::MAX);
        // A block read where it lies when the reader holds it whole (always, in memory).
        if let Some(whole) = after.get(..len) {
            pad_rows(&mut line, whole, widths, out)?;
            rows.consume(8 + len);
        } else {
            rows.consume(8);
            block.clear();
            rows.by_ref().take(len as u64).read_to_end(&mut block)?;
            pad_rows(&mut line, &block, widths, out)?;
        }
    }
    out.write_all(&line)?;
    Ok(())
}

/// The escaped names of one scenario's users, devices and apps and their
/// widths, each found once for all the prompts that name it.
struct Names<'a> {
    users: Vec<Option<Cell<'a>>>,
    devices: Vec<Option<Cell<'a>>>,
    apps: Vec<Option<Cell<'a>>>,
}

struct Cell<'a> {
    text: Cow<'a, str>,
    width: usize,
}

impl<'a> Names<'a> {
    fn new(scenario: &Scenario) -> Names<'a> {
        let none = |n: usize| std::iter::repeat_with(|| None).take(n).collect();
        Names {
            users: none(scenario.users.len()),
            devices: none(scenario.devices.len()),
            apps: none(scenario.apps.len()),
        }
    }
}

/// `name`'s cell, found the first time it is asked for.
fn named<'a, 'c>(cell: &'c mut Option<Cell<'a>>, name: &'a str) -> &'c Cell<'a> {
    cell.get_or_insert_with(|| match terminal::plain_width(name) {
        Some(width) => Cell { text: Cow::Borrowed(name), width },
        None => {
            let text = terminal::escape(name);
            let width = terminal::width(&text);
            Cell { text, width }
        }
    })
}

/// A prompt's row, appended to `rows` as `TextPart::rows` holds them: every
/// cell escaped (docs/output.md). `widths` grows to the widest cell of each
/// column (at most `MAX_COLUMN`); `why` is scratch space, kept between rows
/// so that a row allocates nothing.
fn row<'a>(
    rows: &mut Vec<u8>,
    widths: &mut [usize; 7],
    why: &mut Vec<u8>,
    names: &mut Names<'a>,
    scenario: &'a Scenario,
    p: &Prompt,
) {
    let clock = scenario.clock();
    why.clear();
    words::push(why, &p.detail);
    if let Some(policy) = p.policy {
        why.extend_from_slice(b" [policy `");
        why.extend_from_slice(scenario.policies[policy].name.as_bytes());
        why.extend_from_slice(b"`]");
    }
    why.extend_from_slice(b" (");
    why.extend_from_slice(p.rule.id().as_bytes());
    why.push(b')');
    match (p.result, p.answered_at) {
        (PromptResult::Answered, Some(t)) if t != p.at => {
            why.extend_from_slice(b"; answered ");
            why.extend_from_slice(clock.text(t).as_bytes());
        }
        (PromptResult::Failed, _) => why.extend_from_slice(b"; the user failed the sign-in"),
        (PromptResult::Abandoned, _) => why.extend_from_slice(b"; the user abandoned the sign-in"),
        (PromptResult::Unanswered, _) => why.extend_from_slice(b"; not answered by the end of the timeline"),
        (PromptResult::Unavailable, _) => why.extend_from_slice(b"; no sign-in possible during the outage"),
        _ => {}
    }
    if let Some(answer) = p.answer {
        why.extend_from_slice(b"; ");
        why.extend_from_slice(words::answer(answer).as_bytes());
    }
    match p.stay_signed_in {
        Some(true) => why.extend_from_slice(b"; \"Stay signed in?\" yes"),
        Some(false) => why.extend_from_slice(b"; \"Stay signed in?\" no"),
        None => {}
    }
    let mut cell = |i: usize, text: &[u8], width: usize| push_cell(rows, widths, i, text, width);
    // Instants and the engine's own names are plain ASCII: their width is their length.
    let at = clock.text(p.at);
    cell(0, at.as_bytes(), at.as_bytes().len());
    let (access, n) = (p.access, p.access.named(scenario));
    for (i, cells, index, name) in [
        (1, &mut names.users, access.user.0, n.user),
        (2, &mut names.devices, access.device.0, n.device),
        (3, &mut names.apps, access.app.0, n.app),
    ] {
        let named = named(&mut cells[index], name);
        cell(i, named.text.as_bytes(), named.width);
    }
    let (client, kind) = (p.access.client.name(), p.kind.name());
    cell(4, client.as_bytes(), client.len());
    cell(5, kind.as_bytes(), kind.len());
    cell(6, &terminal::escape_utf8(why), 0);
}

/// Appends cell `i` of a row to a part's rows (`TextPart::rows`).
fn push_cell(rows: &mut Vec<u8>, widths: &mut [usize; 7], i: usize, text: &[u8], width: usize) {
    let mut len = text.len();
    while len >= 0x80 {
        rows.push(len as u8 | 0x80);
        len >>= 7;
    }
    rows.push(len as u8);
    // The last column is not padded, so its width is never needed.
    if i < 6 {
        let width = width.min(MAX_COLUMN);
        widths[i] = widths[i].max(width);
        rows.push(width as u8);
    }
    rows.extend_from_slice(text);
}

/// The rows of a part's block as table lines, appended to `line`, which goes
/// to `out` a buffer at a time rather than a line at a time.
fn pad_rows(line: &mut Vec<u8>, block: &[u8], widths: &[usize; 7], out: &mut dyn Write) -> io::Result<()> {
    let mut rest = block;
    while !rest.is_empty() {
        let cells = read_row(&mut rest).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "a prompt row read back from its section is cut short")
        })?;
        table_line(line, cells, widths);
        if line.len() >= 1 << 16 {
            out.write_all(line)?;
            line.clear();
        }
    }
    Ok(())
}

/// The next row of a part's block, its cells with their widths; `None` if the
/// block ends inside it.
fn read_row<'a>(rest: &mut &'a [u8]) -> Option<[(&'a [u8], usize); 7]> {
    let mut cells = [(&[][..], 0); 7];
    for (i, cell) in cells.iter_mut().enumerate() {
        let (mut len, mut shift) = (0usize, 0);
        loop {
            let (&byte, after) = rest.split_first()?;
            *rest = after;
            len |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                break;
            }
        }
        if i < 6 {
            let (&width, after) = rest.split_first()?;
            *rest = after;
            cell.1 = usize::from(width);
        }
        let (text, after) = rest.split_at_checked(len)?;
        (cell.0, *rest) = (text, after);
    }
    Some(cells)
}

/// Blocks, report-only results, findings, deferrals and workload sign-ins,
/// one line each, in that order of sections.
fn lines(scenario: &Scenario, outcome: &Outcome) -> [String; 5] {
    let rel = |t| scenario.clock().show(t);
    let policy_name = |p: Option<usize>| p.map(|p| format!(" by policy `{}`", scenario.policies[p].name));
    let mut out: [String; 5] = Default::default();
    for b in &outcome.blocked {
        let n = b.access.named(scenario);
        let policy = policy_name(b.policy).unwrap_or_default();
        let (at, code, client) = (rel(b.at), b.error_code, n.client.name());
        let text = format!("blocked {at} {} {} {client} ({code}){policy}: {} ({})", n.user, n.app, b.detail, b.rule);
        line(&mut out[0], text);
    }
    for f in &outcome.report_only {
        let n = f.access.named(scenario);
        let policy = &scenario.policies[f.policy].name;
        let text = format!("report-only {} {} {} `{policy}` {}: {}", rel(f.at), n.user, n.app, f.result, f.detail);
        line(&mut out[1], text);
    }
    for (section, notices, word) in [(2, &outcome.findings, "finding"), (3, &outcome.deferred, "deferred")] {
        for f in notices {
            let n = f.access.named(scenario);
            let client = n.client.name();
            let text = format!("{word} {} {} {} {client}: {} ({})", rel(f.at), n.user, n.app, f.detail, f.rule);
            line(&mut out[section], text);
        }
    }
    for w in &outcome.workload_sign_ins {
        let policy = policy_name(w.policy).unwrap_or_default();
        let code = w.error_code.map(|c| format!(" ({c})")).unwrap_or_default();
        let (workload, app) = (&scenario.workloads[w.workload].identity.key, &scenario.apps[w.app].key);
        let text =
            format!("workload {} {workload} {app} {}{code}{policy}: {} ({})", rel(w.at), w.result, w.detail, w.rule);
        line(&mut out[4], text);
    }
    out
}

/// One line whose names come from the input, escaped whole (docs/output.md).
fn line(out: &mut String, text: String) {
    out.push_str(&terminal::escape(&text));
    out.push('\n');
}

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A line of left-aligned columns, appended to `line`: each cell with its
/// width on screen. The last column is free text and is not padded. Widths
/// are capped (`MAX_COLUMN`): a longer name overflows its column.
fn table_line(line: &mut Vec<u8>, cells: [(&[u8], usize); 7], widths: &[usize; 7]) {
    const SPACES: [u8; MAX_COLUMN + 2] = [b' '; MAX_COLUMN + 2];
    let start = line.len();
    for (i, (cell, width)) in cells.into_iter().enumerate() {
        line.extend_from_slice(cell);
        if i + 1 < widths.len() {
            // Two spaces between columns, after the padding.
            line.extend_from_slice(&SPACES[..widths[i].saturating_sub(width).min(MAX_COLUMN) + 2]);
        }
    }
    // Trailing white space goes, as `str::trim_end` takes it; a line ending
    // in plain ASCII, nearly every one, needs no reading.
    if !matches!(line.last(), Some(b) if b.is_ascii() && !b.is_ascii_whitespace() && *b != 0x0b) {
        let kept = std::str::from_utf8(&line[start..]).map_or(line.len() - start, |l| l.trim_end().len());
        line.truncate(start + kept);
    }
    line.push(b'\n');
}
