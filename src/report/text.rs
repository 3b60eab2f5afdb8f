//! The human table: one prompt a line with the reason in words, then one
//! line per block, report-only result, finding, deferral and workload
//! sign-in, and the counts. Built outcome by outcome (a population's user by
//! user) into `Spill` sections, and written whole at the end.

use std::fmt::Write as _;
use std::io::{self, BufRead, Write};

use super::run::Sections;
use crate::engine::{Options, Outcome, Prompt, PromptResult, Stats};
use crate::scenario::Scenario;
use crate::spill::Spill;
use crate::terminal;
use crate::time::{Relative, relative};

const HEADER: [&str; 7] = ["TIME", "USER", "DEVICE", "APP", "CLIENT", "KIND", "WHY"];

/// One scenario's text output so far.
pub(crate) struct Text {
    title: String,
    trace: Option<Spill>,
    /// Prompt rows, cells joined by tabs (an escaped cell holds none).
    rows: Spill,
    widths: [usize; 7],
    /// Blocks, report-only results, findings, deferrals, workload sign-ins.
    lines: [Spill; 5],
    counts: Counts,
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
    /// Prompt rows as `Text::rows` keeps them, and the widest cell of each column.
    rows: String,
    widths: [usize; 7],
    lines: [String; 5],
    counts: Counts,
}

impl Sections for Text {
    type Part = TextPart;

    fn new(scenario: &Scenario, options: Options) -> Text {
        Text {
            title: format!("== {} ({})", scenario.name, scenario.path.display()),
            trace: options.trace.then(Spill::new),
            rows: Spill::new(),
            widths: HEADER.map(terminal::width),
            lines: Default::default(),
            counts: Counts::default(),
        }
    }

    fn part(scenario: &Scenario, outcome: &Outcome, options: Options) -> TextPart {
        let mut trace = String::new();
        if options.trace && !outcome.trace.is_empty() {
            trace.push_str(&terminal::sanitize(&super::trace::render(scenario, &outcome.trace)));
            trace.push('\n');
        }
        let (mut rows, mut widths) = (String::new(), [0; 7]);
        let mut why = String::new();
        for p in &outcome.prompts {
            row(&mut rows, &mut widths, &mut why, scenario, p);
        }
        TextPart {
            trace,
            rows,
            widths,
            lines: lines(scenario, outcome),
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
        self.rows.write(part.rows.as_bytes())?;
        for (spill, text) in self.lines.iter_mut().zip(&part.lines) {
            spill.write(text.as_bytes())?;
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
        if self.counts.prompts == 0 {
            out.write_all(b"no prompts\n")?;
        } else {
            let (mut line, mut row) = (String::new(), String::new());
            table_line(out, &mut line, HEADER.into_iter(), &self.widths)?;
            let mut rows = self.rows.reader()?;
            while rows.read_line(&mut row)? > 0 {
                table_line(out, &mut line, row.trim_end_matches('\n').split('\t'), &self.widths)?;
                row.clear();
            }
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
        )
    }
}

/// A prompt's row, appended to `rows`: every cell escaped (docs/output.md),
/// cells joined by tabs, which no escaped cell holds. `widths` grows to the
/// widest cell of each column (at most `terminal::MAX_COLUMN`); `why` is
/// scratch space, kept between rows so that a row allocates nothing.
fn row(rows: &mut String, widths: &mut [usize; 7], why: &mut String, scenario: &Scenario, p: &Prompt) {
    let rel = |t| Relative(t, scenario.start);
    why.clear();
    let _ = write!(why, "{}", p.detail);
    if let Some(policy) = p.policy {
        let _ = write!(why, " [policy `{}`]", scenario.policies[policy].name);
    }
    let _ = write!(why, " ({})", p.rule);
    match (p.result, p.answered_at) {
        (PromptResult::Answered, Some(t)) if t != p.at => {
            let _ = write!(why, "; answered {}", rel(t));
        }
        (PromptResult::Failed, _) => why.push_str("; the user failed the sign-in"),
        (PromptResult::Abandoned, _) => why.push_str("; the user abandoned the sign-in"),
        (PromptResult::Unanswered, _) => why.push_str("; not answered by the end of the timeline"),
        (PromptResult::Unavailable, _) => why.push_str("; no sign-in possible during the outage"),
        _ => {}
    }
    if let Some(answer) = p.stay_signed_in {
        let _ = write!(why, "; \"Stay signed in?\" {}", if answer { "yes" } else { "no" });
    }
    let named = p.access.named(scenario);
    let mut cell = |i: usize, text: &dyn std::fmt::Display| {
        let from = rows.len();
        let _ = write!(rows, "{text}");
        if let std::borrow::Cow::Owned(escaped) = terminal::escape(&rows[from..]) {
            rows.truncate(from);
            rows.push_str(&escaped);
        }
        // The last column is not padded, so its width is never needed.
        if i < 6 {
            widths[i] = widths[i].max(terminal::width(&rows[from..]).min(terminal::MAX_COLUMN));
        }
        rows.push(if i == 6 { '\n' } else { '\t' });
    };
    cell(0, &rel(p.at));
    cell(1, &named.user);
    cell(2, &named.device);
    cell(3, &named.app);
    cell(4, &named.client.name());
    cell(5, &p.kind.name());
    cell(6, why);
}

/// Blocks, report-only results, findings, deferrals and workload sign-ins,
/// one line each, in that order of sections.
fn lines(scenario: &Scenario, outcome: &Outcome) -> [String; 5] {
    let rel = |t| relative(t, scenario.start);
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

/// A line of left-aligned columns; the last column is free text and is not
/// padded. Widths are capped (`terminal::MAX_COLUMN`): a longer name
/// overflows its column. `line` is scratch space kept between lines.
fn table_line<'a>(
    out: &mut dyn Write,
    line: &mut String,
    cells: impl Iterator<Item = &'a str>,
    widths: &[usize; 7],
) -> io::Result<()> {
    line.clear();
    for (i, cell) in cells.enumerate() {
        if i + 1 == widths.len() {
            line.push_str(cell);
        } else {
            terminal::push_left(line, cell, widths.get(i).copied().unwrap_or(0));
            line.push_str("  ");
        }
    }
    let end = line.trim_end().len();
    line.truncate(end);
    line.push('\n');
    out.write_all(line.as_bytes())
}
