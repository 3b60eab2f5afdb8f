//! The report's summary: the figures of `casim diff` (docs/diff.md defines
//! them), the largest changes, and bar charts (inline SVG) of prompts per
//! user-day, by hour of day, by app and by reason; before and after in a diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::esc;
use super::model::UserPart;
use crate::diff::Collector;
use crate::diff::stats::{Report, Summary as DiffSummary};
use crate::engine::Outcome;
use crate::scenario::Scenario;
use crate::time::{DAY, HOUR};

/// What the charts count, for one run over all users.
#[derive(Debug, Default, Clone)]
pub(super) struct Tally {
    pub by_hour: [u64; 24],
    pub by_app: BTreeMap<String, u64>,
    pub by_reason: BTreeMap<&'static str, u64>,
    /// Prompts in one active user-day → how many user-days saw that many.
    pub per_day: BTreeMap<u64, u64>,
}

impl Tally {
    fn add(&mut self, scenario: &Scenario, part: &UserPart, days: &BTreeSet<i64>) {
        let mut per_day: BTreeMap<i64, u64> = days.iter().map(|d| (*d, 0)).collect();
        for p in &part.prompts {
            // Hours and days on the scenario's clock (UTC without `timezone:`).
            let local = scenario.zone.wall(p.at);
            self.by_hour[(local.rem_euclid(DAY) / HOUR) as usize] += 1;
            *self.by_app.entry(scenario.apps[p.access.app].key.clone()).or_default() += 1;
            *self.by_reason.entry(p.reason.name()).or_default() += 1;
            *per_day.entry(local.div_euclid(DAY)).or_default() += 1;
        }
        for n in per_day.values() {
            *self.per_day.entry(*n).or_default() += 1;
        }
    }

    fn merge(&mut self, other: Tally) {
        for (a, b) in self.by_hour.iter_mut().zip(other.by_hour) {
            *a += b;
        }
        for (k, v) in other.by_app {
            *self.by_app.entry(k).or_default() += v;
        }
        for (k, v) in other.by_reason {
            *self.by_reason.entry(k).or_default() += v;
        }
        for (k, v) in other.per_day {
            *self.per_day.entry(k).or_default() += v;
        }
    }
}

/// The summary: the figures of `casim diff` (its `Collector`, so that both
/// commands always agree; a single run is compared with itself) and the charts.
pub(super) struct Summary {
    pub diff: bool,
    collector: Option<Collector>,
    pub before: Tally,
    /// The run shown: the only one, or the proposed one in a diff.
    pub after: Tally,
    /// User id → the anchor of their section, for links from the largest changes.
    anchors: BTreeMap<String, String>,
    /// The first run that stopped at `limits.max_events`: the page is not
    /// written from incomplete runs (docs/limits.md).
    pub stopped: Option<crate::error::InputError>,
    /// The scenario's `timezone:`, whose clock the hours of the day are read on.
    zone: Option<&'static str>,
}

impl Summary {
    pub(super) fn new(diff: bool, baseline: &str, proposed: &str) -> Summary {
        Summary {
            diff,
            collector: Some(Collector::new(baseline, proposed)),
            stopped: None,
            before: Tally::default(),
            after: Tally::default(),
            anchors: BTreeMap::new(),
            zone: None,
        }
    }

    /// A summary of charts only, for one part of a population drawn in parallel; see `merge`.
    pub(super) fn charts_only(diff: bool) -> Summary {
        Summary {
            diff,
            collector: None,
            before: Tally::default(),
            after: Tally::default(),
            anchors: BTreeMap::new(),
            stopped: None,
            zone: None,
        }
    }

    /// Counts a scenario file (a population is one).
    pub(super) fn scenario_done(&mut self) {
        if let Some(c) = &mut self.collector {
            c.scenario_done();
        }
    }

    /// Adds the figures of one scenario, or of one population member.
    pub(super) fn add_scenario(&mut self, scenario: &Scenario, before: &Outcome, after: &Outcome) {
        if self.stopped.is_none() {
            let check = |o: &Outcome| crate::engine::check_event_limit(scenario, o);
            self.stopped = check(before).and_then(|()| check(after)).err();
        }
        if let Some(c) = &mut self.collector {
            c.add(scenario, before, after);
        }
    }

    /// Adds one user to the charts.
    pub(super) fn add_user(
        &mut self,
        scenario: &Scenario,
        anchor: &str,
        user: &str,
        days: &BTreeSet<i64>,
        shown: &UserPart,
        baseline: Option<&UserPart>,
    ) {
        self.anchors.insert(user.to_string(), anchor.to_string());
        self.zone = self.zone.or(scenario.zone.name());
        self.after.add(scenario, shown, days);
        if let Some(b) = baseline {
            self.before.add(scenario, b, days);
        }
    }

    /// Adds the charts of `other`, whose users come after this summary's.
    pub(super) fn merge(&mut self, other: Summary) {
        self.zone = self.zone.or(other.zone);
        self.before.merge(other.before);
        self.after.merge(other.after);
        self.anchors.extend(other.anchors);
    }

    /// The summary section: the figures, the charts and, in a diff, the largest changes.
    pub(super) fn render(mut self, out: &mut String) -> std::io::Result<()> {
        let report = match self.collector.take() {
            Some(collector) => collector.finish()?,
            None => return Ok(()),
        };
        out.push_str(r#"<section id="summary"><h2>Summary</h2><div class="charts">"#);
        self.figures(out, &report);
        self.charts(out);
        out.push_str("</div>");
        self.groups_table(out, &report);
        if self.diff {
            self.changes_table(out, &report);
        }
        out.push_str("</section>");
        Ok(())
    }

    fn figures(&self, out: &mut String, report: &Report) {
        let sides: Vec<&DiffSummary> =
            if self.diff { vec![&report.baseline, &report.proposed] } else { vec![&report.proposed] };
        out.push_str(r#"<table class="fig"><thead><tr><th></th>"#);
        if self.diff {
            out.push_str("<th>baseline</th><th>proposed</th><th>change</th>");
        } else {
            out.push_str("<th>value</th>");
        }
        out.push_str("</tr></thead><tbody>");
        let row = |out: &mut String, name: &str, values: Vec<f64>| {
            let _ = write!(out, "<tr><th>{}</th>", esc(name));
            for v in &values {
                let _ = write!(out, "<td>{v}</td>");
            }
            if values.len() == 2 {
                let d = ((values[1] - values[0]) * 1000.0).round() / 1000.0;
                let class = if d > 0.0 {
                    "up"
                } else if d < 0.0 {
                    "down"
                } else {
                    "same"
                };
                let _ = write!(out, r#"<td class="{class}">{d:+}</td>"#);
            }
            out.push_str("</tr>");
        };
        let span = if self.diff { r#" colspan="3""# } else { "" };
        let _ = write!(out, "<tr><th>users simulated</th><td{span}>{}</td></tr>", report.proposed.users);
        let f = |g: &dyn Fn(&DiffSummary) -> f64| sides.iter().map(|t| g(t)).collect::<Vec<f64>>();
        row(out, "active user-days", f(&|t| t.user_days as f64));
        row(out, "prompts", f(&|t| t.prompts as f64));
        row(out, "prompts per user-day: mean", f(&|t| t.prompts_per_user_day.mean));
        row(out, "prompts per user-day: median", f(&|t| t.prompts_per_user_day.median));
        row(out, "prompts per user-day: p95", f(&|t| t.prompts_per_user_day.p95));
        row(out, "prompts per user-day: max", f(&|t| t.prompts_per_user_day.max));
        row(out, "users with at least one prompt", f(&|t| t.users_prompted as f64));
        row(out, "most prompts one user saw inside one hour", f(&|t| t.max_prompts_in_hour as f64));
        row(out, "MFA challenges", f(&|t| t.mfa_challenges as f64));
        row(out, "MFA challenges per user-day: mean", f(&|t| t.mfa_challenges_per_user_day.mean));
        row(out, "MFA challenges per user-day: p95", f(&|t| t.mfa_challenges_per_user_day.p95));
        row(out, "users challenged for MFA", f(&|t| t.users_mfa_challenged as f64));
        row(
            out,
            "most prompts and MFA challenges one user met inside one hour",
            f(&|t| t.max_prompts_and_mfa_in_hour as f64),
        );
        row(out, "blocked accesses", f(&|t| t.blocked as f64));
        row(out, "users blocked at least once", f(&|t| t.users_blocked as f64));
        row(out, "report-only findings", f(&|t| t.report_only.findings as f64));
        if self.diff {
            let c = &report.changes;
            for (name, v) in [
                ("users whose prompts rose", c.figures.users_prompts_rose),
                ("users whose prompts fell", c.figures.users_prompts_fell),
                ("users newly blocked", c.figures.users_newly_blocked),
                ("users no longer blocked", c.figures.users_no_longer_blocked),
            ] {
                let _ = write!(out, r#"<tr><th>{name}</th><td colspan="3">{v}</td></tr>"#);
            }
        }
        out.push_str("</tbody></table>");
    }

    fn charts(&self, out: &mut String) {
        let series = |f: &dyn Fn(&Tally) -> Vec<u64>| -> Vec<Series> {
            if self.diff {
                vec![
                    Series { name: "baseline", class: "s0", values: f(&self.before) },
                    Series { name: "proposed", class: "s1", values: f(&self.after) },
                ]
            } else {
                vec![Series { name: "prompts", class: "s1", values: f(&self.after) }]
            }
        };

        // Prompts per user-day: 0..=9, then 10+.
        let buckets: Vec<String> = (0..10).map(|n| n.to_string()).chain(["10+".to_string()]).collect();
        let histogram = |t: &Tally| {
            let mut v = vec![0; 11];
            for (n, count) in &t.per_day {
                v[(*n as usize).min(10)] += count;
            }
            v
        };
        columns(
            out,
            "Prompts per user-day",
            "prompts in one active user-day",
            "user-days",
            &buckets,
            &series(&histogram),
        );

        let hours: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
        let title = format!("Prompts by hour of day ({})", self.zone.unwrap_or("UTC"));
        columns(out, &title, "hour", "prompts", &hours, &series(&|t| t.by_hour.to_vec()));

        let apps: BTreeSet<&String> = self.before.by_app.keys().chain(self.after.by_app.keys()).collect();
        let mut apps: Vec<&String> = apps.into_iter().collect();
        let count = |t: &Tally, a: &str| t.by_app.get(a).copied().unwrap_or(0);
        let both = |a: &str| count(&self.after, a) + count(&self.before, a);
        apps.sort_by(|a, b| both(b).cmp(&both(a)).then(a.cmp(b)));
        let names: Vec<String> = apps.iter().map(|a| a.to_string()).collect();
        let by_app = |t: &Tally| names.iter().map(|a| count(t, a)).collect();
        rows(out, "Prompts by app", &names, &series(&by_app));

        let reasons: BTreeSet<&&str> = self.before.by_reason.keys().chain(self.after.by_reason.keys()).collect();
        let names: Vec<String> = reasons.into_iter().map(|r| r.to_string()).collect();
        let by_reason = |t: &Tally| names.iter().map(|r| t.by_reason.get(r.as_str()).copied().unwrap_or(0)).collect();
        rows(out, "Prompts by reason", &names, &series(&by_reason));
    }

    /// The figures by persona, group, join type and platform (`by_group` of
    /// `casim diff --format json`), for a population whose users have them.
    fn groups_table(&self, out: &mut String, report: &Report) {
        for (dim, groups) in report.by_group.tables() {
            let _ = write!(out, "<h3>By {}</h3>", esc(dim.title()));
            let _ = write!(out, r#"<table class="changes"><thead><tr><th>{}</th><th>users</th>"#, esc(dim.title()));
            let sides: &[usize] = if self.diff { &[0, 1] } else { &[1] };
            let cells = ["prompts", "per user-day", "p95", "users prompted", "MFA challenges", "blocked"];
            for side in sides {
                let label = match (self.diff, side) {
                    (false, _) => "",
                    (true, 0) => " (baseline)",
                    (true, _) => " (proposed)",
                };
                for c in cells {
                    let _ = write!(out, "<th>{c}{label}</th>");
                }
            }
            out.push_str("</tr></thead><tbody>");
            for g in &groups {
                let _ = write!(out, "<tr><td>{}</td><td>{}</td>", esc(&g.value), g.users);
                for side in sides {
                    let f = &g.sides[*side];
                    let _ = write!(
                        out,
                        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                        f.prompts,
                        f.prompts_per_user_day.mean,
                        f.prompts_per_user_day.p95,
                        f.users_prompted,
                        f.mfa_challenges,
                        f.blocked
                    );
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table>");
        }
    }

    fn changes_table(&self, out: &mut String, report: &Report) {
        out.push_str("<h3>Largest changes</h3>");
        let largest = &report.changes.largest;
        if largest.is_empty() {
            out.push_str("<p>No user saw a different number of prompts or blocks in any app.</p>");
            return;
        }
        out.push_str(
            r#"<table class="changes"><thead><tr><th>user</th><th>app</th><th>baseline</th><th>proposed</th><th>change</th><th>blocked</th><th>by reason</th></tr></thead><tbody>"#,
        );
        for row in largest {
            let user = match self.anchors.get(&row.user) {
                Some(anchor) => format!(r##"<a href="#{}">{}</a>"##, esc(anchor), esc(&row.user)),
                None => esc(&row.user),
            };
            let blocked = if row.blocked_before == row.blocked_after {
                String::new()
            } else {
                format!("{} → {}", row.blocked_before, row.blocked_after)
            };
            let class = match row.change.signum() {
                1 => "up",
                -1 => "down",
                _ => "same",
            };
            let _ = write!(
                out,
                r#"<tr><td>{user}</td><td>{}</td><td>{}</td><td>{}</td><td class="{class}">{:+}</td><td>{blocked}</td><td>{}</td></tr>"#,
                esc(&row.app),
                row.prompts_before,
                row.prompts_after,
                row.change,
                esc(&row.reasons.join(", "))
            );
        }
        out.push_str("</tbody></table>");
    }
}

pub(super) struct Series {
    pub name: &'static str,
    pub class: &'static str,
    pub values: Vec<u64>,
}

/// A round upper bound for an axis, and its tick step.
fn nice(max: u64) -> (u64, u64) {
    if max == 0 {
        return (1, 1);
    }
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            let s = step * m;
            if max.div_ceil(s) <= 5 {
                return (max.div_ceil(s) * s, s);
            }
        }
        step *= 10;
    }
}

fn legend(out: &mut String, series: &[Series], x: f64, y: f64) {
    if series.len() < 2 {
        return;
    }
    let mut x = x;
    for s in series {
        let _ = write!(
            out,
            r#"<rect class="{}" x="{x:.0}" y="{:.0}" width="10" height="10"/><text class="ax" x="{:.0}" y="{y:.0}">{}</text>"#,
            s.class,
            y - 9.0,
            x + 14.0,
            s.name
        );
        x += 80.0;
    }
}

/// A vertical grouped bar chart.
fn columns(out: &mut String, title: &str, x_label: &str, y_label: &str, categories: &[String], series: &[Series]) {
    let (w, h) = (420.0, 220.0);
    let (left, right, top, bottom) = (46.0, 8.0, 30.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = series.iter().flat_map(|s| s.values.iter()).copied().max().unwrap_or(0);
    let (top_value, step) = nice(max);
    let _ = write!(
        out,
        r#"<figure class="chart"><svg width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-label="{}"><text class="ct" x="4" y="14">{}</text>"#,
        esc(title),
        esc(title)
    );
    legend(out, series, w - 170.0, 14.0);
    let mut v = 0;
    while v <= top_value {
        let y = top + plot_h - plot_h * v as f64 / top_value as f64;
        let _ = write!(
            out,
            r#"<line class="g" x1="{left:.0}" x2="{:.0}" y1="{y:.1}" y2="{y:.1}"/><text class="ax" x="{:.0}" y="{:.1}" text-anchor="end">{v}</text>"#,
            w - right,
            left - 4.0,
            y + 4.0
        );
        v += step;
    }
    let group = plot_w / categories.len().max(1) as f64;
    let bar = group * 0.8 / series.len().max(1) as f64;
    for (i, c) in categories.iter().enumerate() {
        let gx = left + group * i as f64 + group * 0.1;
        for (k, s) in series.iter().enumerate() {
            let value = s.values.get(i).copied().unwrap_or(0);
            let bh = plot_h * value as f64 / top_value as f64;
            let _ = write!(
                out,
                r#"<rect class="bar {}" x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}"><title>{}: {} {}</title></rect>"#,
                s.class,
                gx + bar * k as f64,
                top + plot_h - bh,
                bar.max(1.0),
                esc(c),
                s.name,
                value
            );
        }
        let every = categories.len().div_ceil(12).max(1);
        if i % every == 0 {
            let _ = write!(
                out,
                r#"<text class="ax" x="{:.1}" y="{:.0}" text-anchor="middle">{}</text>"#,
                left + group * (i as f64 + 0.5),
                top + plot_h + 14.0,
                esc(c)
            );
        }
    }
    let _ = write!(
        out,
        r#"<text class="ax" x="{:.0}" y="{:.0}" text-anchor="middle">{}</text><text class="ax" transform="translate(11 {:.0}) rotate(-90)" text-anchor="middle">{}</text></svg></figure>"#,
        left + plot_w / 2.0,
        h - 6.0,
        esc(x_label),
        top + plot_h / 2.0,
        esc(y_label)
    );
}

/// A horizontal grouped bar chart, one row per category.
fn rows(out: &mut String, title: &str, categories: &[String], series: &[Series]) {
    let row_h = 8.0 + 9.0 * series.len() as f64;
    let (left, right, top) = (140.0, 40.0, 30.0);
    let w = 420.0;
    let h = top + row_h * categories.len().max(1) as f64 + 10.0;
    let plot_w = w - left - right;
    let max = series.iter().flat_map(|s| s.values.iter()).copied().max().unwrap_or(0).max(1);
    let _ = write!(
        out,
        r#"<figure class="chart"><svg width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-label="{}"><text class="ct" x="4" y="14">{}</text>"#,
        esc(title),
        esc(title)
    );
    legend(out, series, w - 170.0, 14.0);
    if categories.is_empty() {
        let _ = write!(out, r#"<text class="ax" x="{left:.0}" y="{:.0}">no prompts</text>"#, top + 12.0);
    }
    for (i, c) in categories.iter().enumerate() {
        let y = top + row_h * i as f64;
        let _ = write!(
            out,
            r#"<text class="ax" x="{:.0}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + row_h / 2.0 + 3.0,
            esc(c)
        );
        for (k, s) in series.iter().enumerate() {
            let value = s.values.get(i).copied().unwrap_or(0);
            let bw = plot_w * value as f64 / max as f64;
            let by = y + 4.0 + 9.0 * k as f64;
            let _ = write!(
                out,
                r#"<rect class="bar {}" x="{left:.0}" y="{by:.1}" width="{bw:.1}" height="8"><title>{}: {} {}</title></rect><text class="ax" x="{:.1}" y="{:.1}">{value}</text>"#,
                s.class,
                esc(c),
                s.name,
                value,
                left + bw + 3.0,
                by + 7.5
            );
        }
    }
    out.push_str("</svg></figure>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice(0), (1, 1));
        assert_eq!(nice(3), (3, 1));
        assert_eq!(nice(7), (8, 2));
        assert_eq!(nice(42), (50, 10));
        assert_eq!(nice(1234), (1500, 500));
    }
}
