//! `casim report`: one self-contained HTML file (inline CSS, SVG, a script
//! and its data; no network requests) with a summary and charts, and per
//! user a timeline: lanes per device and per app and client, prompts coloured
//! by reason, PRT refreshes, lock and unlock, sign-in and sign-out, and the
//! intervals in which a valid session existed. Hovering a mark shows why
//! (SVG `<title>`). With a baseline, the same timelines under two policy sets:
//! the summary compares them and each timeline shows both runs' prompts.
//!
//! Large populations stay usable: each user is a `<details>` whose timeline
//! and prompt rows the page's script (html/page.js) draws from a compact data
//! block when it is opened; a filter box; and the output is a function of the
//! input alone (R-DET-1).

mod data;
mod model;
mod palette;
mod summary;
mod timeline;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use rayon::prelude::*;

use crate::error::InputError;

pub use model::{Mark, MarkKind, Run, UserPart, collect, split};

use crate::diff::breakdown::active_days;
use crate::domain::UserIdx;
use crate::engine::{Outcome, Reason};
use crate::scenario::Scenario;
use crate::time::DAY;
use model::{UserView, steps_by_user};
use summary::Summary;
use timeline::Axis;

/// Users whose timelines are open when the page loads: all of them in small
/// reports, the first few in large ones.
const OPEN_ALL_UP_TO: usize = 12;
const OPEN_FIRST: usize = 3;
/// Population users simulated between two merges.
const CHUNK: usize = 256;
/// Users one page draws (docs/limits.md): a user's record is a few kilobytes
/// per month, so this bounds the page to a size a browser opens (about 85 MB
/// for 10,000 users over 30 days in a diff); `casim diff` counts any number.
pub const MAX_USERS: usize = 10_000;

/// Where the policies of a run came from, in words (e.g. a file name).
#[derive(Debug, Clone)]
pub struct Labels {
    pub shown: String,
    pub baseline: Option<String>,
}

/// The report of one run of `scenario`.
pub fn render(scenario: &Scenario, policies: &str) -> Result<String, InputError> {
    page(scenario, None, &Labels { shown: policies.to_string(), baseline: None }, &|_, _| {})
}

/// The report of a diff: the same timelines under `baseline`'s and
/// `proposed`'s policies (two loads of one scenario file).
pub fn render_diff(baseline: &Scenario, proposed: &Scenario, labels: &Labels) -> Result<String, InputError> {
    page(proposed, Some(baseline), labels, &|_, _| {})
}

/// What a caller removes from each run before it is drawn: `casim report
/// --logs` drops the sign-ins replay assumed (docs/replay.md), as `casim
/// replay` does.
pub type Prune<'a> = &'a (dyn Fn(&Scenario, &mut Outcome) + Sync);

/// `render`, or `render_diff` with a `baseline`, of a scenario that is not a
/// `population:`, each run passed through `prune` first.
pub fn render_pruned(
    shown: &Scenario,
    baseline: Option<&Scenario>,
    labels: &Labels,
    prune: Prune,
) -> Result<String, InputError> {
    page(shown, baseline, labels, prune)
}

/// Escapes text for HTML and SVG content and attribute values. Control
/// characters other than line breaks and tabs are shown as `\u{..}`, as in
/// the terminal (`terminal::sanitize`): HTML has no use for them, and the
/// page's source may well be read with `cat` or `less`.
pub fn esc(text: &str) -> String {
    let text = crate::terminal::sanitize(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One user's section: its heading, rendered, and its timeline and prompts,
/// encoded into the page's data (`data::user`) once the user's turn comes.
struct Section {
    index: usize,
    delta: i64,
    html: String,
    view: Option<UserView>,
    rows: Vec<data::PromptRow>,
    /// The user's record in the page's data.
    data: String,
}

impl Section {
    /// Encodes the timeline and prompts; called in user order, so that the
    /// string table, numbered in order of first use, is the same every time.
    fn encode(&mut self, strings: &mut data::Strings, scenario: &Scenario, axis: &Axis) {
        if let Some(view) = self.view.take() {
            data::user(&mut self.data, strings, scenario, &view, &self.rows, axis.from);
        }
        self.rows = Vec::new();
    }
}

/// One user's inputs to a section.
struct UserInput<'a> {
    scenario: &'a Scenario,
    user: UserIdx,
    index: usize,
    /// Active days from the timeline (`diff::breakdown::active_days`).
    days: &'a BTreeSet<i64>,
    shown: &'a UserPart,
    baseline: Option<&'a UserPart>,
}

/// The page, or the error of a run that stopped at `limits.max_events`.
fn page(shown: &Scenario, baseline: Option<&Scenario>, labels: &Labels, prune: Prune) -> Result<String, InputError> {
    let users = shown.population.as_ref().map_or(shown.users.len(), |p| p.user_count());
    if users > MAX_USERS {
        return Err(InputError::new(
            &shown.path,
            None,
            format!("casim report draws at most {MAX_USERS} users on one page (limit `report.max_users`); this scenario has {users}"),
        )
        .with_help(Some(
            "use `casim diff` for the figures over everyone, or report a smaller population (a sample of the personas)".into(),
        )));
    }
    let diff = baseline.is_some();
    let base_label = labels.baseline.as_deref().unwrap_or(&labels.shown);
    let mut summary = Summary::new(diff, base_label, &labels.shown);
    summary.scenario_done();
    let mut workloads = String::new();
    let mut strings = data::Strings::default();
    let (mut sections, axis) = match &shown.population {
        None => plain_sections(shown, baseline, &mut summary, &mut workloads, prune, &mut strings),
        Some(_) => population_sections(shown, baseline, &mut summary, &mut strings),
    };
    if let Some(stopped) = summary.stopped.take() {
        return Err(stopped);
    }
    if diff {
        sections.sort_by(|a, b| b.delta.cmp(&a.delta).then(a.index.cmp(&b.index)));
    }
    let users = sections.len();

    let mut out =
        String::with_capacity(65_536 + sections.iter().map(|s| s.html.len() + s.data.len() + 64).sum::<usize>());
    let title = format!("casim report: {}", shown.name);
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{}{CSS}</style></head><body>"#,
        esc(&title),
        palette::css()
    );
    let _ = write!(
        out,
        "<header><h1>{}</h1><p class=\"meta\">{}",
        esc(&shown.name),
        esc(&shown.path.display().to_string())
    );
    let _ = write!(out, " · {users} user{}", if users == 1 { "" } else { "s" });
    match &labels.baseline {
        Some(b) => {
            let _ = write!(
                out,
                " · baseline policies: <b>{}</b> · proposed policies: <b>{}</b>",
                esc(b),
                esc(&labels.shown)
            );
        }
        None => {
            let _ = write!(out, " · policies: <b>{}</b>", esc(&labels.shown));
        }
    }
    out.push_str("</p>");
    if let Some(d) = &shown.description {
        let _ = write!(out, "<p class=\"meta\">{}</p>", esc(d));
    }
    out.push_str("</header>");

    summary.render(&mut out).map_err(|e| {
        InputError::new(&shown.path, None, format!("cannot keep the summary's rows in a temporary file: {e}"))
    })?;
    out.push_str(&workloads);
    legend(&mut out, diff);

    out.push_str(r#"<section id="users"><h2>Users</h2><div class="controls"><input id="q" type="search" placeholder="Filter users by name or UPN" aria-label="Filter users"> <label><input id="only" type="checkbox"> "#);
    out.push_str(if diff { "only users whose prompts changed" } else { "only users with prompts" });
    // The page's script writes every instant on the scenario's clock (`when` in
    // page.js, from the offsets in the data's `z`), as the text output does.
    let clock_note = match shown.zone.name() {
        Some(zone) => format!("times are local to {} with their UTC offset", esc(zone)),
        None => "times are UTC".to_string(),
    };
    let _ = write!(
        out,
        r#"</label> <span class="meta"><span id="shown">{users}</span> of {users} shown · open a user to draw their timeline · hover a mark for its explanation · {clock_note}</span></div><div id="list">"#
    );
    for (i, s) in sections.iter().enumerate() {
        let open = users <= OPEN_ALL_UP_TO || i < OPEN_FIRST;
        // Each section's text continues `<details class="user" data-i="…" `; the opening state is the page's choice.
        let _ = write!(out, r#"<details class="user" data-i="{i}" "#);
        if open {
            out.push_str("open ");
        }
        out.push_str(&s.html);
    }
    if users == 0 {
        out.push_str("<p>No users.</p>");
    }
    out.push_str(r#"<p id="none" class="none" hidden>No user matches the filter: clear the box or the check box to see them again.</p>"#);
    out.push_str("</div></section>");
    // The data after everything the first paint shows: the browser parses it as text.
    let _ = write!(
        out,
        r#"<script type="application/json" id="casim-data">{{"a":[{},{},{},{}],"#,
        axis.from,
        axis.to,
        axis.px_per_hour,
        u8::from(diff)
    );
    let offsets = timeline::offsets(shown.zone, &axis);
    if !offsets.is_empty() {
        let pairs: Vec<String> = offsets.iter().map(|(rel, offset)| format!("[{rel},{offset}]")).collect();
        let _ = write!(out, r#""z":[{}],"#, pairs.join(","));
    }
    out.push_str(r#""u":["#);
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&s.data);
    }
    out.push_str(r#"],"s":"#);
    strings.write(&mut out);
    out.push_str("}</script>");
    let _ = writeln!(out, "<script>{SCRIPT}</script></body></html>");
    Ok(out)
}

/// A scenario with `users` and a `timeline`: one run (two in a diff), split by user.
fn plain_sections(
    shown: &Scenario,
    baseline: Option<&Scenario>,
    summary: &mut Summary,
    workloads: &mut String,
    prune: Prune,
    strings: &mut data::Strings,
) -> (Vec<Section>, Axis) {
    let collect = |scenario: &Scenario| {
        let mut run = collect(scenario);
        prune(scenario, &mut run.outcome);
        run
    };
    let (shown_run, base_run) = match baseline {
        Some(b) => {
            let (s, b) = rayon::join(|| collect(shown), || collect(b));
            (s, Some(b))
        }
        None => (collect(shown), None),
    };
    summary.add_scenario(shown, &base_run.as_ref().unwrap_or(&shown_run).outcome, &shown_run.outcome);
    workload_table(workloads, shown, base_run.as_ref().map(|r| &r.outcome), &shown_run.outcome);
    let dropped = shown_run.marks_dropped.max(base_run.as_ref().map_or(0, |r| r.marks_dropped));
    if dropped > 0 {
        let _ = write!(
            workloads,
            r#"<p class="meta">The timelines draw the first {} successful sign-in records of the run; {dropped} later ones are counted in the summary but not drawn (token marks and shaded sessions stop there).</p>"#,
            model::MAX_MARKS
        );
    }
    let shown_parts = split(shown, shown_run);
    let base_parts = base_run.zip(baseline).map(|(r, b)| split(b, r));
    let (steps, global) = steps_by_user(shown);
    let views: Vec<UserView> = (0..shown.users.len())
        .into_par_iter()
        .map(|u| {
            let base = base_parts.as_ref().map(|b| &b[u]);
            model::build(shown, &steps[u], &global, &shown_parts[u], base)
        })
        .collect();
    let first = views.iter().filter_map(|v| v.extent).map(|e| e.0).min().unwrap_or(shown.start);
    let last = views.iter().filter_map(|v| v.extent).map(|e| e.1).max().unwrap_or(shown.start);
    let axis = Axis::new(first, last);
    let days = active_days(shown);
    let mut sections = Vec::with_capacity(views.len());
    for (u, view) in views.into_iter().enumerate() {
        let input = UserInput {
            scenario: shown,
            user: u,
            index: u,
            days: &days[u],
            shown: &shown_parts[u],
            baseline: base_parts.as_ref().map(|b| &b[u]),
        };
        let mut s = section(&input, view, summary);
        s.encode(strings, shown, &axis);
        sections.push(s);
    }
    (sections, axis)
}

/// R-CA-6: workload identities have no user lane; their token requests are
/// listed in a table of their own (both runs side by side in a diff).
fn workload_table(
    out: &mut String,
    shown: &Scenario,
    baseline: Option<&crate::engine::Outcome>,
    run: &crate::engine::Outcome,
) {
    if run.workload_sign_ins.is_empty() {
        return;
    }
    let base_col = if baseline.is_some() { "<th>baseline</th>" } else { "" };
    let _ = write!(
        out,
        r#"<section id="workloads"><h2>Workload identities</h2><table class="changes"><thead><tr><th>time</th><th>workload</th><th>app</th>{base_col}<th>result</th><th>why</th></tr></thead><tbody>"#
    );
    for (i, w) in run.workload_sign_ins.iter().enumerate() {
        let base = baseline
            .and_then(|b| b.workload_sign_ins.get(i))
            .map(|b| format!("<td>{}</td>", esc(b.result)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td>{base}<td>{}</td><td>{} ({})</td></tr>",
            esc(&model::when(shown.zone, w.at)),
            esc(&shown.workloads[w.workload].identity.key),
            esc(&shown.apps[w.app].key),
            esc(w.result),
            esc(&w.detail.to_string()),
            esc(w.rule.id())
        );
    }
    out.push_str("</tbody></table></section>");
}

/// A `population:` scenario: each generated user is simulated and drawn on its
/// own, in parallel, and only the rendered sections are kept.
fn population_sections(
    shown: &Scenario,
    baseline: Option<&Scenario>,
    summary: &mut Summary,
    strings: &mut data::Strings,
) -> (Vec<Section>, Axis) {
    use crate::engine::population::for_each_user;
    let population = shown.population.as_ref().expect("a population scenario");
    let base_population = baseline.and_then(|b| b.population.as_ref()).unwrap_or(population);
    let count = population.user_count();
    let mut runs = vec![(shown, population)];
    runs.extend(baseline.map(|b| (b, base_population)));
    let axis = Axis::new(shown.start, shown.start + i64::from(population.days.max(1)) * DAY);
    let diff = baseline.is_some();
    let mut sections = Vec::with_capacity(count);
    let drawn: Result<(), std::convert::Infallible> = for_each_user(
        &runs,
        CHUNK,
        |index, users| -> (Section, Summary, Scenario, Outcome, Option<Outcome>) {
            let mut users = users.into_iter();
            let one = users.next().expect("the shown run");
            let shown_run = collect(&one);
            let base_user = users.next();
            let base_run = base_user.as_ref().map(collect);
            let shown_outcome = shown_run.outcome.clone();
            let base_outcome = base_run.as_ref().map(|r| r.outcome.clone());
            let shown_part = split(&one, shown_run).pop().unwrap_or_default();
            let base_part = base_run.zip(base_user.as_ref()).map(|(r, b)| split(b, r).pop().unwrap_or_default());
            let (steps, global) = steps_by_user(&one);
            let user_steps = steps.first().map(Vec::as_slice).unwrap_or_default();
            let view = model::build(&one, user_steps, &global, &shown_part, base_part.as_ref());
            let days = active_days(&one);
            let input = UserInput {
                scenario: &one,
                user: 0,
                index,
                days: days.first().expect("one user"),
                shown: &shown_part,
                baseline: base_part.as_ref(),
            };
            let mut charts = Summary::charts_only(diff);
            let s = section(&input, view, &mut charts);
            (s, charts, one, shown_outcome, base_outcome)
        },
        |(mut s, charts, one, shown_outcome, base_outcome)| {
            summary.add_scenario(&one, base_outcome.as_ref().unwrap_or(&shown_outcome), &shown_outcome);
            summary.merge(charts);
            s.encode(strings, &one, &axis);
            sections.push(s);
            Ok(())
        },
    );
    let Ok(()) = drawn;
    (sections, axis)
}

fn section(input: &UserInput, view: UserView, summary: &mut Summary) -> Section {
    let sc = input.scenario;
    let user = &sc.users[input.user];
    let anchor = format!("u{}", input.index);
    let mut days = input.days.clone();
    days.extend(input.shown.prompts.iter().map(|p| sc.zone.wall(p.at).div_euclid(DAY)));
    if let Some(b) = input.baseline {
        days.extend(b.prompts.iter().map(|p| sc.zone.wall(p.at).div_euclid(DAY)));
    }
    summary.add_user(input.scenario, &anchor, &user.id, &days, input.shown, input.baseline);

    let after = input.shown.prompts.len();
    let before = input.baseline.map(|b| b.prompts.len());
    let delta = before.map(|b| after as i64 - b as i64).unwrap_or(0);
    let flag = match before {
        Some(b) => b != after,
        None => after > 0,
    };
    let mut h = String::new();
    let _ = write!(
        h,
        r#"id="{anchor}" data-name="{}" data-flag="{}" data-user="{}"><summary><span class="un">{}</span> <span class="meta">{}</span> "#,
        esc(&format!("{} {}", user.id, user.upn).to_lowercase()),
        u8::from(flag),
        esc(&user.id),
        esc(&user.id),
        esc(&user.upn)
    );
    match before {
        Some(b) => {
            let class = match delta.signum() {
                1 => "up",
                -1 => "down",
                _ => "same",
            };
            let _ = write!(h, r#"<span class="chip {class}">prompts {b} → {after} ({delta:+})</span>"#);
        }
        None => {
            let _ = write!(h, r#"<span class="chip">{after} prompt{}</span>"#, if after == 1 { "" } else { "s" });
        }
    }
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for p in &input.shown.prompts {
        match reasons.iter_mut().find(|(r, _)| *r == p.reason.name()) {
            Some(e) => e.1 += 1,
            None => reasons.push((p.reason.name(), 1)),
        }
    }
    reasons.sort();
    for (r, n) in reasons {
        let _ = write!(h, r#" <span class="chip r-{r}"><i></i>{} {n}</span>"#, r.replace('_', " "));
    }
    let blocked = input.shown.blocked.len();
    if blocked > 0 {
        let _ = write!(h, r#" <span class="chip up">{blocked} blocked</span>"#);
    }
    let _ =
        write!(h, " <span class=\"meta\">· {} active day{}</span>", days.len(), if days.len() == 1 { "" } else { "s" });
    // The timeline and the prompt rows are drawn by the page's script when the section opens.
    h.push_str("</summary></details>");
    let rows = data::prompt_rows(input.shown, input.baseline);
    Section { index: input.index, delta, html: h, view: Some(view), rows, data: String::new() }
}

/// The reasons, in the order the legend lists them.
const REASONS: [Reason; 9] = [
    Reason::SignInFrequency,
    Reason::EveryTime,
    Reason::NoSession,
    Reason::BrowserClosed,
    Reason::Revoked,
    Reason::Inactive,
    Reason::MfaRequired,
    Reason::TermsOfUse,
    Reason::PasswordChange,
];

fn legend(out: &mut String, diff: bool) {
    out.push_str(r#"<section id="legend"><h2>Legend</h2><div class="legend"><b>Prompts by reason:</b>"#);
    for r in REASONS {
        let _ = write!(
            out,
            r#"<span><svg width="12" height="12"><circle class="prompt key r-{}" cx="6" cy="6" r="5"/></svg>{}</span>"#,
            r.name(),
            r.name().replace('_', " ")
        );
    }
    out.push_str(r#"</div><div class="legend">"#);
    let items: &[(&str, &str)] = &[
        (r#"<path class="blocked key" d="M2 2l8 8m0-8l-8 8"/>"#, "blocked"),
        (r#"<circle class="ro key" cx="6" cy="6" r="4"/>"#, "report-only finding"),
        (r#"<path class="deferred key" d="M2 2h8l-4 6z"/>"#, "deferred enforcement"),
        (r#"<path class="prt key" d="M6 1l5 5l-5 5l-5-5z"/>"#, "PRT refresh (Windows Sign In)"),
        (r#"<path class="signin key" d="M2 0l9 6l-9 6z"/>"#, "device sign-in"),
        (r#"<path class="signout key" d="M10 0l-9 6l9 6z"/>"#, "device sign-out"),
        (r#"<rect class="lock key" x="2" y="2" width="8" height="8"/>"#, "lock"),
        (r#"<rect class="unlock key" x="2.5" y="2.5" width="7" height="7"/>"#, "unlock"),
        (r#"<path class="close key" d="M2.5 2.5l7 7m0-7l-7 7"/>"#, "browser closed"),
        (r#"<rect class="b unlocked key" x="0" y="3" width="12" height="6"/>"#, "signed in, unlocked"),
        (r#"<rect class="b locked key" x="0" y="3" width="12" height="6"/>"#, "locked"),
        (r#"<rect class="b use key" x="0" y="3" width="12" height="6"/>"#, "in use"),
        (r#"<line class="b bg key" x1="0" x2="12" y1="6" y2="6"/>"#, "background work"),
        (r#"<rect class="b ses key" x="0" y="0" width="12" height="12"/>"#, "valid session (approximate)"),
        (r#"<rect class="touch key" x="5" y="0" width="2" height="12"/>"#, "single request"),
    ];
    for (shape, words) in items {
        let _ = write!(out, r#"<span><svg width="12" height="12">{shape}</svg>{words}</span>"#);
    }
    if diff {
        out.push_str(
            r#"<span><svg width="12" height="12"><circle class="base key r-sign_in_frequency" cx="6" cy="6" r="4"/></svg>baseline prompt (ring, upper row); proposed prompts are filled (lower row)</span><span><svg width="12" height="12"><circle class="prompt same key r-sign_in_frequency" cx="6" cy="6" r="5"/></svg>unchanged prompt, raised alike in both runs (middle row, listed once)</span>"#,
        );
    }
    out.push_str("</div></section>");
}

const CSS: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1500px;padding:12px 24px 40px;color:var(--text);background:var(--page)}\
h1{font-size:22px;margin:4px 0}h2{font-size:17px;margin:22px 0 8px;padding-bottom:3px;border-bottom:1px solid var(--rule)}h3{font-size:15px;margin:14px 0 6px}\
.meta{color:var(--muted)}a{color:var(--link)}.none{font-weight:600}\
table{border-collapse:collapse;font-size:13px}th,td{padding:2px 8px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}\
table.fig td{text-align:right;font-variant-numeric:tabular-nums}\
.up{color:var(--up)}.down{color:var(--down)}\
.charts{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0;align-items:flex-start}figure.chart{margin:0;border:1px solid var(--rule);border-radius:6px;padding:6px}\
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px;align-items:center;margin:4px 0}.legend span{display:inline-flex;align-items:center;gap:5px}\
.controls{position:sticky;top:0;background:var(--page);padding:6px 0;z-index:1}.controls input[type=search]{width:280px;padding:4px 6px}\
details.user{border:1px solid var(--rule);border-radius:6px;margin:6px 0;padding:4px 8px}details.user>summary{cursor:pointer}\
.un{font-weight:600}.chip{display:inline-block;white-space:nowrap;border:1px solid var(--rule);border-radius:10px;padding:0 7px;font-size:12px;margin-left:2px}\
.chip i{display:inline-block;width:8px;height:8px;border-radius:4px;background:var(--c);margin-right:4px}\
.tlw{overflow-x:auto;margin:6px 0}table.pl{margin:4px 0 6px}td[title]{text-decoration:underline dotted;cursor:help}\
svg text{font:11px system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;fill:var(--label)}\
.ln{fill:var(--page)}.ln.even{fill:var(--lane-even)}.ln.dev{fill:var(--lane-device)}.lb{font-size:12px}.ld{font-weight:600}\
.g{stroke:var(--grid)}.gd{stroke:var(--midnight)}.ax{fill:var(--muted);font-size:10px}.ad{font-weight:600;font-size:11px;fill:var(--text)}.ct{font-weight:600;font-size:13px;fill:var(--text)}\
.b.ses{fill:var(--session);fill-opacity:.2;stroke:var(--session);stroke-width:1}.b.use{fill:var(--use)}.b.bg{stroke:var(--use);stroke-width:3;stroke-dasharray:4 3}\
.b.unlocked{fill:var(--unlocked)}.b.locked{fill:var(--locked-fill);stroke:var(--locked);stroke-dasharray:2 2}\
.m{cursor:help}.m:hover{stroke:var(--blocked);stroke-width:2}\
.prompt{fill:var(--c);stroke:var(--page);stroke-width:1.5}.prompt.same{stroke:var(--c);stroke-width:1;stroke-dasharray:none}.base{fill:var(--page);stroke:var(--c);stroke-width:2}\
.ro{fill:none;stroke:var(--c,var(--mark));stroke-width:1.5;stroke-dasharray:2 1.5}.ans{stroke:var(--c);stroke-width:2;stroke-dasharray:3 2}\
.blocked{stroke:var(--blocked);stroke-width:2.5;fill:none}.base-b{stroke:var(--base-blocked)}\
.prt{fill:var(--prt)}.signin{fill:var(--signin)}.signout{fill:var(--signout)}.lock{fill:var(--muted)}.unlock{fill:var(--page);stroke:var(--muted);stroke-width:1.5}\
.close,.open{stroke:var(--text);stroke-width:2;fill:none}.touch{fill:var(--mark)}.deferred{fill:var(--deferred)}.finding{fill:var(--finding)}.acct{fill:var(--account);stroke:var(--text)}\
.pc{stroke:var(--policy-change);stroke-width:2;stroke-dasharray:6 3}\
.s0,.bar.s0{fill:var(--baseline)}.s1,.bar.s1{fill:var(--proposed)}\
";

/// The page's script: the filter, and each user's timeline and prompt rows drawn from the data when opened.
const SCRIPT: &str = include_str!("html/page.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_html_and_attributes() {
        assert_eq!(
            esc(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
