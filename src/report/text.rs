//! The human table: one prompt a line with the reason in words.

use std::fmt::Write as _;

use crate::engine::{Outcome, PromptResult};
use crate::scenario::Scenario;
use crate::terminal;
use crate::time::relative;

/// Long: the text report is one table and one line per kind of finding, in output order.
pub fn render(scenario: &Scenario, outcome: &Outcome) -> String {
    let mut out = String::new();
    line(&mut out, format!("== {} ({})", scenario.name, scenario.path.display()));
    let rel = |t| relative(t, scenario.start);
    if outcome.prompts.is_empty() {
        out.push_str("no prompts\n");
    } else {
        let rows: Vec<[String; 7]> = outcome
            .prompts
            .iter()
            .map(|p| {
                let mut why = p.detail.to_string();
                if let Some(policy) = &p.policy {
                    let _ = write!(why, " [policy `{policy}`]");
                }
                let _ = write!(why, " ({})", p.rule);
                match (p.result, p.answered_at) {
                    (PromptResult::Answered, Some(t)) if t != p.at => {
                        let _ = write!(why, "; answered {}", rel(t));
                    }
                    (PromptResult::Failed, _) => why.push_str("; the user failed the sign-in"),
                    (PromptResult::Abandoned, _) => why.push_str("; the user abandoned the sign-in"),
                    (PromptResult::Unanswered, _) => why.push_str("; not answered by the end of the timeline"),
                    _ => {}
                }
                if let Some(answer) = p.stay_signed_in {
                    let _ = write!(why, "; \"Stay signed in?\" {}", if answer { "yes" } else { "no" });
                }
                [
                    rel(p.at),
                    p.user.clone(),
                    p.device.clone(),
                    p.app.clone(),
                    p.client.name().to_string(),
                    p.kind.name().to_string(),
                    why,
                ]
                .map(|cell| terminal::escape(&cell).into_owned())
            })
            .collect();
        table(&mut out, ["TIME", "USER", "DEVICE", "APP", "CLIENT", "KIND", "WHY"], &rows);
    }
    for b in &outcome.blocked {
        let policy = b.policy.as_deref().map(|p| format!(" by policy `{p}`")).unwrap_or_default();
        line(
            &mut out,
            format!(
                "blocked {} {} {} {} ({}){policy}: {} ({})",
                rel(b.at),
                b.user,
                b.app,
                b.client.name(),
                b.error_code,
                b.detail,
                b.rule
            ),
        );
    }
    for f in &outcome.report_only {
        line(
            &mut out,
            format!("report-only {} {} {} `{}` {}: {}", rel(f.at), f.user, f.app, f.policy, f.result, f.detail),
        );
    }
    for f in &outcome.findings {
        line(
            &mut out,
            format!("finding {} {} {} {}: {} ({})", rel(f.at), f.user, f.app, f.client.name(), f.detail, f.rule),
        );
    }
    for d in &outcome.deferred {
        line(
            &mut out,
            format!("deferred {} {} {} {}: {} ({})", rel(d.at), d.user, d.app, d.client.name(), d.detail, d.rule),
        );
    }
    for w in &outcome.workload_sign_ins {
        let policy = w.policy.as_deref().map(|p| format!(" by policy `{p}`")).unwrap_or_default();
        let code = w.error_code.map(|c| format!(" ({c})")).unwrap_or_default();
        line(
            &mut out,
            format!(
                "workload {} {} {} {}{code}{policy}: {} ({})",
                rel(w.at),
                w.workload,
                w.app,
                w.result,
                w.detail,
                w.rule
            ),
        );
    }
    if !outcome.workload_sign_ins.is_empty() {
        let failed = outcome.workload_sign_ins.iter().filter(|w| w.error_code.is_some()).count();
        line(
            &mut out,
            format!("{}, {failed} blocked", plural(outcome.workload_sign_ins.len(), "workload token request")),
        );
    }
    line(
        &mut out,
        format!(
            "{}, {} blocked, {}, {} deferred, {}",
            plural(outcome.prompts.len(), "prompt"),
            outcome.blocked.len(),
            plural(outcome.report_only.len(), "report-only finding"),
            outcome.deferred.len(),
            plural(outcome.findings.len(), "finding"),
        ),
    );
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

/// Left-aligned columns; the last column is free text and is not padded.
/// Widths are capped (`terminal::MAX_COLUMN`): a longer name overflows its column.
fn table<const N: usize>(out: &mut String, header: [&str; N], rows: &[[String; N]]) {
    let widths = terminal::column_widths(&header, rows);
    let mut line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                s.push_str(cell);
            } else {
                terminal::push_left(&mut s, cell, widths[i]);
                s.push_str("  ");
            }
        }
        let _ = writeln!(out, "{}", s.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
