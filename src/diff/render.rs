//! `casim diff` for a terminal.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::expr::number;
use super::stats::{Distribution, Report, Row, Summary};
use crate::terminal;

/// At most this many (user, app) rows are listed in full; beyond it, only changed ones.
const FULL_TABLE_ROWS: usize = 100;

fn signed(v: f64) -> String {
    if v > 0.0 { format!("+{}", number(v)) } else { number(v) }
}

fn signed_int(v: i64) -> String {
    if v > 0 { format!("+{v}") } else { v.to_string() }
}

/// Left-aligned text columns, right-aligned numeric ones (`numeric[i]`); the
/// last column is not padded, and no column is wider than `terminal::MAX_COLUMN`.
pub fn table(out: &mut String, header: &[&str], numeric: &[bool], rows: &[Vec<String>]) {
    let widths = terminal::column_widths(header, rows);
    table_line(out, header, numeric, &widths);
    for row in rows {
        table_line(out, row, numeric, &widths);
    }
}

/// One line of `table`.
fn table_line<S: AsRef<str>>(out: &mut String, cells: &[S], numeric: &[bool], widths: &[usize]) {
    let mut s = String::from("  ");
    for (i, cell) in cells.iter().enumerate() {
        let (cell, last) = (cell.as_ref(), i + 1 == cells.len());
        if numeric[i] {
            terminal::push_right(&mut s, cell, widths[i]);
        } else if last {
            s.push_str(cell);
        } else {
            terminal::push_left(&mut s, cell, widths[i]);
        }
        if !last {
            s.push_str("  ");
        }
    }
    let _ = writeln!(out, "{}", s.trim_end());
}

fn row_cells(r: &Row, with_blocked: bool) -> Vec<String> {
    let mut cells = vec![
        terminal::escape(&r.scenario).into_owned(),
        terminal::escape(&r.user).into_owned(),
        terminal::escape(&r.app).into_owned(),
        r.prompts_before.to_string(),
        r.prompts_after.to_string(),
        signed_int(r.change),
    ];
    if with_blocked {
        cells.push(format!("{} -> {}", r.blocked_before, r.blocked_after));
    }
    cells.push(r.reasons.join(", "));
    cells
}

fn window(s: &Summary) -> String {
    match &s.max_prompts_in_hour_window {
        Some(w) => format!("{} ({}) from {}", w.user, w.scenario, w.shown.as_deref().unwrap_or(&w.from)),
        None => "nobody was prompted".to_string(),
    }
}

/// `casim diff` for a terminal, written to `out` as it is rendered: the
/// summary, then the (user, app) rows, read from their section.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(summary(report).as_bytes())?;
    rows_table(report, out)
}

/// How much was compared: `3 scenarios, 4 users, 9 user-days`.
pub fn headline(report: &Report) -> String {
    let p = &report.proposed;
    let plural = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}, {}", plural(p.scenarios, "scenario"), plural(p.users, "user"), plural(p.user_days, "user-day"))
}

/// The summary, the figures' table and the largest changes.
fn summary(report: &Report) -> String {
    let (b, p, c) = (&report.baseline, &report.proposed, &report.changes);
    let mut out = String::new();
    let _ = writeln!(out, "casim diff: {}", headline(report));
    let _ = writeln!(out, "  baseline: {}", b.policies);
    let _ = writeln!(out, "  proposed: {}", p.policies);
    out.push('\n');

    let rows = figures(report);
    table(&mut out, &["", "BASELINE", "PROPOSED", "CHANGE"], &[false, true, true, true], &rows);
    out.push('\n');

    let _ = writeln!(
        out,
        "users whose prompts rose: {}, fell: {}; newly blocked: {}, no longer blocked: {}",
        c.figures.users_prompts_rose,
        c.figures.users_prompts_fell,
        c.figures.users_newly_blocked,
        c.figures.users_no_longer_blocked
    );
    for (label, s) in [("baseline", b), ("proposed", p)] {
        let n = s.max_prompts_in_hour;
        let _ = writeln!(out, "busiest hour, {label}: {n} prompt{}, {}", if n == 1 { "" } else { "s" }, window(s));
    }
    out.push('\n');
    group_tables(&mut out, report);

    let (header, numeric) = columns(c.by_user_app.with_blocked());
    // The rows' section was written by this process; a read error leaves the ungrouped list.
    let groups = super::groups::largest(&c.by_user_app).unwrap_or_default();
    if c.largest.is_empty() {
        out.push_str("no prompt or block changed\n");
    } else if groups.is_empty() {
        let _ = writeln!(out, "largest changes (prompts before and after, by user and app):");
        let rows: Vec<Vec<String>> = c.largest.iter().map(|r| row_cells(r, c.by_user_app.with_blocked())).collect();
        table(&mut out, &header, &numeric, &rows);
    } else {
        let _ =
            writeln!(out, "largest changes (prompts before and after, per user and app; identical changes grouped):");
        let rows: Vec<Vec<String>> = groups
            .iter()
            .map(|g| {
                let mut cells = row_cells(&g.row, c.by_user_app.with_blocked());
                cells[1] = terminal::escape(&g.who()).into_owned();
                cells
            })
            .collect();
        table(&mut out, &header, &numeric, &rows);
    }
    out.push('\n');
    out
}

/// The summary's rows, label, baseline, proposed and change, in the order
/// printed; a label indented by two spaces details the row above it. The
/// Markdown summary (`report::markdown`) shows the same rows.
pub fn figures(report: &Report) -> Vec<Vec<String>> {
    let (b, p, c) = (&report.baseline, &report.proposed, &report.changes);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let count = |rows: &mut Vec<Vec<String>>, label: &str, before: usize, after: usize| {
        rows.push(vec![
            label.to_string(),
            before.to_string(),
            after.to_string(),
            signed_int(after as i64 - before as i64),
        ]);
    };
    count(&mut rows, "prompts", b.prompts, p.prompts);
    for (reason, before) in &b.prompts_by_reason {
        let after = p.prompts_by_reason.get(reason).copied().unwrap_or(0);
        if *before > 0 || after > 0 {
            count(&mut rows, &format!("  {reason}"), *before, after);
        }
    }
    let dist = |rows: &mut Vec<Vec<String>>, label: &str, f: fn(&Distribution) -> f64| {
        rows.push(vec![
            label.to_string(),
            number(f(&b.prompts_per_user_day)),
            number(f(&p.prompts_per_user_day)),
            signed(f(&c.figures.prompts_per_user_day)),
        ]);
    };
    dist(&mut rows, "prompts per user-day: mean", |d| d.mean);
    dist(&mut rows, "prompts per user-day: median", |d| d.median);
    dist(&mut rows, "prompts per user-day: p95", |d| d.p95);
    dist(&mut rows, "prompts per user-day: max", |d| d.max);
    count(&mut rows, "users prompted", b.users_prompted, p.users_prompted);
    count(&mut rows, "most prompts in one hour", b.max_prompts_in_hour, p.max_prompts_in_hour);
    count(&mut rows, "MFA challenges", b.mfa_challenges, p.mfa_challenges);
    let mfa = |rows: &mut Vec<Vec<String>>, label: &str, f: fn(&Distribution) -> f64| {
        rows.push(vec![
            label.to_string(),
            number(f(&b.mfa_challenges_per_user_day)),
            number(f(&p.mfa_challenges_per_user_day)),
            signed(f(&c.figures.mfa_challenges_per_user_day)),
        ]);
    };
    mfa(&mut rows, "MFA challenges per user-day: mean", |d| d.mean);
    mfa(&mut rows, "MFA challenges per user-day: p95", |d| d.p95);
    mfa(&mut rows, "MFA challenges per user-day: max", |d| d.max);
    count(&mut rows, "users challenged for MFA", b.users_mfa_challenged, p.users_mfa_challenged);
    count(&mut rows, "most prompts + MFA in one hour", b.max_prompts_and_mfa_in_hour, p.max_prompts_and_mfa_in_hour);
    count(&mut rows, "blocked accesses", b.blocked, p.blocked);
    count(&mut rows, "users blocked", b.users_blocked, p.users_blocked);
    count(&mut rows, "report-only findings", b.report_only.findings, p.report_only.findings);
    count(&mut rows, "  would prompt (interrupted)", b.report_only.interrupted, p.report_only.interrupted);
    count(&mut rows, "  would block (failure)", b.report_only.failure, p.report_only.failure);
    count(&mut rows, "deferred enforcements", b.deferred, p.deferred);
    count(&mut rows, "persistent-session findings", b.findings, p.findings);
    if b.workload_requests_blocked + p.workload_requests_blocked > 0 {
        count(&mut rows, "workload requests blocked", b.workload_requests_blocked, p.workload_requests_blocked);
    }
    rows
}

/// A table per dimension of `by_group` (persona, group, device join type,
/// platform) that has values: each group's users and prompts under both
/// policy sets.
fn group_tables(out: &mut String, report: &Report) {
    for (dim, groups) in report.by_group.tables() {
        let _ = writeln!(out, "by {}:", dim.title());
        let title = dim.title().to_uppercase();
        let header = [title.as_str(), "USERS", "BEFORE", "AFTER", "CHANGE", "PER USER-DAY", "USERS PROMPTED", "MFA"];
        let numeric = [false, true, true, true, true, true, true, true];
        let arrow = |a: String, b: String| format!("{a} -> {b}");
        let rows: Vec<Vec<String>> = groups
            .iter()
            .map(|g| {
                let [b, p] = [&g.sides[0], &g.sides[1]];
                vec![
                    terminal::escape(&g.value).into_owned(),
                    g.users.to_string(),
                    b.prompts.to_string(),
                    p.prompts.to_string(),
                    signed_int(p.prompts as i64 - b.prompts as i64),
                    arrow(number(b.prompts_per_user_day.mean), number(p.prompts_per_user_day.mean)),
                    arrow(b.users_prompted.to_string(), p.users_prompted.to_string()),
                    arrow(b.mfa_challenges.to_string(), p.mfa_challenges.to_string()),
                ]
            })
            .collect();
        table(out, &header, &numeric, &rows);
        out.push('\n');
    }
}

/// The header and numeric columns of the (user, app) tables.
fn columns(with_blocked: bool) -> (Vec<&'static str>, Vec<bool>) {
    let mut header = vec!["SCENARIO", "USER", "APP", "BEFORE", "AFTER", "CHANGE"];
    let mut numeric = vec![false, false, false, true, true, true];
    if with_blocked {
        header.push("BLOCKED");
        numeric.push(false);
    }
    header.push("REASONS");
    numeric.push(false);
    (header, numeric)
}

/// Every (user, app) row, or only the changed ones past `FULL_TABLE_ROWS`:
/// one pass over the rows for the column widths, one to write them.
fn rows_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rows = &report.changes.by_user_app;
    if rows.is_empty() {
        return out.write_all(b"no user was prompted or blocked under either policy set\n");
    }
    let full = rows.len() <= FULL_TABLE_ROWS;
    if full {
        writeln!(out, "prompts by user and app:")?;
    } else {
        let (listed, all) = (rows.changed(), rows.len());
        writeln!(out, "prompts by user and app ({listed} changed of {all}; --format json lists all):")?;
        if listed == 0 {
            return Ok(());
        }
    }
    let (header, numeric) = columns(rows.with_blocked());
    let mut widths: Vec<usize> = header.iter().map(|h| terminal::width(h)).collect();
    rows.for_each(|r| {
        if full || r.changed() {
            for (w, cell) in widths.iter_mut().zip(row_cells(&r, rows.with_blocked())) {
                *w = (*w).max(terminal::width(&cell).min(terminal::MAX_COLUMN));
            }
        }
        Ok(())
    })?;
    let mut line = String::new();
    table_line(&mut line, &header, &numeric, &widths);
    out.write_all(line.as_bytes())?;
    rows.for_each(|r| {
        if !(full || r.changed()) {
            return Ok(());
        }
        line.clear();
        table_line(&mut line, &row_cells(&r, rows.with_blocked()), &numeric, &widths);
        out.write_all(line.as_bytes())
    })
}
