//! Markdown summaries for a pull-request comment or a CI run's summary page
//! (`--format markdown` of `casim check`, `casim snapshot` and `casim diff`):
//! a table of verdicts (`ok`, `FAILED`, `skipped`), each failure's details in
//! a collapsed block, and for `diff` the summary's figures and the verdict of
//! each `--fail-if` clause. GitHub-flavoured Markdown, which Azure DevOps
//! renders too.

use std::fmt::Write as _;

use super::verdict::{Outcome, Verdict};
use crate::diff::expr::Clause;
use crate::diff::{Report, render};

/// The word of a verdict in the tables, as the text outputs write it.
fn status(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "ok",
        Outcome::Failed { .. } => "**FAILED**",
        Outcome::Skipped { .. } => "skipped",
    }
}

/// Text in a table cell or a heading: Markdown's and HTML's special
/// characters escaped, the line kept on one line, and control characters
/// (a terminal's ESC) replaced, so that a scenario's name shows as written
/// and never as markup.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\u{0}'..='\u{1f}' | '\u{7f}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Text as an inline code span in a table cell (a path, a clause): shown
/// as written, the span's backticks outnumbering any run inside it, `|`
/// escaped as GitHub's tables need even within code.
pub fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    let clean: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect();
    format!("{ticks}{pad}{}{pad}{ticks}", clean.replace('|', "\\|"))
}

/// `text` as a fenced block: the fence longer than any run of backticks in
/// it, so that no line of the text can close it early.
fn fenced(info: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let clean: String =
        text.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{fffd}' } else { c }).collect();
    format!("{fence}{info}\n{}\n{fence}\n", clean.trim_end_matches('\n'))
}

/// The verdicts of `check` or `snapshot`: a heading with the totals, one
/// table row per scenario, then each failure's details, collapsed.
pub fn verdicts(title: &str, totals: &str, verdicts: &[Verdict]) -> String {
    let mut out = format!("### {} {}\n\n", cell(title), cell(totals));
    if verdicts.is_empty() {
        out.push_str("No scenario was checked.\n");
        return out;
    }
    out.push_str("| result | scenario | file | why |\n|---|---|---|---|\n");
    for v in verdicts {
        let why = match &v.outcome {
            Outcome::Passed => String::new(),
            Outcome::Failed { message, .. } | Outcome::Skipped { message } => cell(message),
        };
        let _ = writeln!(out, "| {} | {} | {} | {why} |", status(&v.outcome), cell(&v.name), code(&v.group));
    }
    details(&mut out, verdicts);
    out
}

/// Each failure's details in a `<details>` block, as the text output prints them.
fn details(out: &mut String, verdicts: &[Verdict]) {
    for v in verdicts {
        if let Outcome::Failed { message, details } = &v.outcome {
            let _ = write!(
                out,
                "\n<details><summary>{}: {}</summary>\n\n{}\n</details>\n",
                cell(&v.name),
                cell(message),
                fenced(if v.kind == "snapshot" { "diff" } else { "text" }, details)
            );
        }
    }
}

/// `casim diff`: what was compared, the summary's figures (the rows of the
/// text output's table), who changed, and the verdict of each `--fail-if`
/// clause when there was a condition.
pub fn diff(report: &Report, condition: Option<(&str, &[Clause])>) -> String {
    let (b, p, c) = (&report.baseline, &report.proposed, &report.changes.figures);
    let mut out = format!("### casim diff: {}\n\n", cell(&render::headline(report)));
    let _ = writeln!(out, "baseline: {} · proposed: {}\n", code(&b.policies), code(&p.policies));
    out.push_str("| | baseline | proposed | change |\n|---|--:|--:|--:|\n");
    for row in render::figures(report) {
        let label = match row[0].strip_prefix("  ") {
            Some(detail) => format!("&emsp;{}", cell(detail)),
            None => cell(&row[0]),
        };
        let _ = writeln!(out, "| {label} | {} | {} | {} |", row[1], row[2], row[3]);
    }
    let _ = writeln!(
        out,
        "\nUsers whose prompts rose: {}, fell: {}; newly blocked: {}, no longer blocked: {}.",
        c.users_prompts_rose, c.users_prompts_fell, c.users_newly_blocked, c.users_no_longer_blocked
    );
    if let Some((source, clauses)) = condition {
        let holds = clauses.iter().any(|c| c.evaluation.holds);
        let verdict = if holds { "holds: **FAILED**" } else { "does not hold: ok" };
        let _ = writeln!(out, "\n#### --fail-if {verdict}\n\n{}", fenced("text", source));
        out.push_str("| result | clause | values |\n|---|---|---|\n");
        for clause in clauses {
            let result = if clause.evaluation.holds { "**FAILED**" } else { "ok" };
            let values: Vec<&str> =
                clause.evaluation.comparisons.iter().map(|(_, values, _)| values.as_str()).collect();
            let _ = writeln!(out, "| {result} | {} | {} |", code(&clause.text), code(&values.join("; ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_show_names_as_written() {
        assert_eq!(cell("a|b <script> *x* `y`"), r"a\|b \<script\> \*x\* \`y\`");
        assert_eq!(cell("two\nlines\u{1b}[0m"), "two lines\u{fffd}\\[0m");
    }

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(code("a > 3"), "`a > 3`");
        assert_eq!(code("x`y|z"), "``x`y\\|z``");
        assert_eq!(code("`q`"), "`` `q` ``");
    }

    #[test]
    fn fences_outlast_the_backticks_inside() {
        assert_eq!(fenced("text", "a ```` b\n"), "`````text\na ```` b\n`````\n");
        assert_eq!(fenced("diff", "-x\n+y"), "```diff\n-x\n+y\n```\n");
    }

    #[test]
    fn a_failure_is_a_row_and_a_collapsed_block() {
        let v = [
            Verdict::passed("scenarios/a.yaml", "A"),
            Verdict::failed(
                "scenarios/b.yaml",
                "B",
                "check",
                "prompts differ from expect:",
                "    prompts: expected 1, got 2",
            ),
        ];
        let md = verdicts("casim check:", "1 passed, 1 failed", &v);
        assert!(md.starts_with("### casim check: 1 passed, 1 failed\n"), "{md}");
        assert!(md.contains("| ok | A | `scenarios/a.yaml` |  |"), "{md}");
        assert!(md.contains("| **FAILED** | B | `scenarios/b.yaml` | prompts differ from expect: |"), "{md}");
        assert!(md.contains("<details><summary>B: prompts differ from expect:</summary>"), "{md}");
        assert!(md.contains("```text\n    prompts: expected 1, got 2\n```"), "{md}");
    }
}
