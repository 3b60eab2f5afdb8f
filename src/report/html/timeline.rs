//! One user's timeline as a small inline SVG: a time axis shared by every user
//! of the report, one lane per device and per app and client, bars for device
//! state, use and valid sessions, and marks with `<title>` hover text.

use std::fmt::Write as _;

use super::esc;
use super::model::{BarKind, LaneKey, MarkShape, Point, Row, UserView};
use crate::time::{DAY, HOUR, Instant, MINUTE};

const LABEL_W: f64 = 170.0;
const AXIS_H: f64 = 30.0;
const RIGHT_PAD: f64 = 12.0;

/// The time axis shared by every timeline of a report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Axis {
    pub from: Instant,
    pub to: Instant,
    pub px_per_hour: f64,
}

impl Axis {
    /// Whole hours around short runs (up to 36 hours), whole UTC days around longer ones.
    pub(super) fn new(first: Instant, last: Instant) -> Axis {
        let last = last.max(first + HOUR);
        if last - first <= 36 * HOUR {
            let from = first.div_euclid(HOUR) * HOUR;
            let to = (last + HOUR - 1).div_euclid(HOUR) * HOUR;
            let hours = ((to - from) / HOUR) as f64;
            Axis { from, to, px_per_hour: (1100.0 / hours).clamp(30.0, 400.0) }
        } else {
            let from = first.div_euclid(DAY) * DAY;
            let to = (last + DAY - 1).div_euclid(DAY) * DAY;
            let hours = ((to - from) / HOUR) as f64;
            Axis { from, to, px_per_hour: (1200.0 / hours).clamp(6.0, 12.0) }
        }
    }

    pub(super) fn x(&self, t: Instant) -> f64 {
        LABEL_W + (t - self.from) as f64 * self.px_per_hour / HOUR as f64
    }

    pub(super) fn width(&self) -> f64 {
        self.x(self.to) + RIGHT_PAD
    }

    fn daily(&self) -> bool {
        self.to - self.from > 36 * HOUR
    }
}

fn lane_height(key: LaneKey, diff: bool) -> f64 {
    match key {
        LaneKey::Account => 18.0,
        LaneKey::Device(_) => 30.0,
        LaneKey::App(..) if diff => 28.0,
        LaneKey::App(..) => 22.0,
    }
}

/// Appends the SVG of one user's timeline to `out`.
/// Long: the SVG is written top to bottom (axis, lanes, bars, marks, policy lines) in one place,
/// so that its geometry reads in order.
pub(super) fn svg(out: &mut String, view: &UserView, axis: &Axis, diff: bool, label: &str) {
    let width = axis.width();
    let height = AXIS_H + view.lanes.iter().map(|l| lane_height(l.key, diff)).sum::<f64>() + 6.0;
    let _ = write!(
        out,
        r#"<svg class="tl" width="{w:.0}" height="{height:.0}" viewBox="0 0 {w:.0} {height:.0}" role="img" aria-label="Timeline of {label}">"#,
        w = width,
        label = esc(label)
    );

    // Lane backgrounds and labels.
    let mut y = AXIS_H;
    for (i, lane) in view.lanes.iter().enumerate() {
        let h = lane_height(lane.key, diff);
        let class = match lane.key {
            LaneKey::Device(_) => "ln dev",
            _ if i % 2 == 0 => "ln even",
            _ => "ln",
        };
        let _ = write!(out, r#"<rect class="{class}" x="0" y="{y:.0}" width="{width:.0}" height="{h:.0}"/>"#);
        let indent = if matches!(lane.key, LaneKey::App(..)) { 16.0 } else { 6.0 };
        let text: String = if lane.label.chars().count() > 24 {
            lane.label.chars().take(23).chain(['…']).collect()
        } else {
            lane.label.clone()
        };
        let class = if matches!(lane.key, LaneKey::App(..)) { "lb" } else { "lb ld" };
        let _ = write!(
            out,
            r#"<text class="{class}" x="{indent}" y="{:.0}">{}<title>{}</title></text>"#,
            y + h / 2.0 + 4.0,
            esc(&text),
            esc(&match lane.thinned {
                0 => lane.hint.clone(),
                n => format!("{}\n{n} marks too close to the ones drawn are not drawn", lane.hint),
            })
        );
        y += h;
    }
    let bottom = y;

    grid(out, axis, bottom);

    for (t, title) in &view.policy_changes {
        if *t < axis.from || *t > axis.to {
            continue;
        }
        let x = axis.x(*t);
        let _ = write!(
            out,
            r#"<line class="m pc" x1="{x:.0}" x2="{x:.0}" y1="{AXIS_H}" y2="{bottom:.0}"><title>{}</title></line>"#,
            esc(title)
        );
    }

    let mut y = AXIS_H;
    for lane in &view.lanes {
        let h = lane_height(lane.key, diff);
        // Device lanes keep their upper part for PRT refreshes.
        let mid = if matches!(lane.key, LaneKey::Device(_)) { y + h / 2.0 + 3.0 } else { y + h / 2.0 };
        for bar in &lane.bars {
            let (x1, x2) = (axis.x(bar.from), axis.x(bar.to));
            let w = (x2 - x1).max(1.0);
            let title = match bar.merged {
                0 => esc(&bar.title),
                n => esc(&format!(
                    "{}\nand {n} more up to {}, too close to draw apart",
                    bar.title,
                    crate::time::rfc3339(bar.to)
                )),
            };
            match bar.kind {
                BarKind::Session => {
                    let _ = write!(
                        out,
                        r#"<rect class="b ses" x="{x1:.0}" y="{:.0}" width="{w:.0}" height="{:.0}"><title>{title}</title></rect>"#,
                        y + 2.0,
                        h - 4.0
                    );
                }
                BarKind::Use => {
                    let _ = write!(
                        out,
                        r#"<rect class="b use" x="{x1:.0}" y="{:.0}" width="{w:.0}" height="6"><title>{title}</title></rect>"#,
                        mid - 3.0
                    );
                }
                BarKind::Background => {
                    let _ = write!(
                        out,
                        r#"<line class="b bg" x1="{x1:.0}" x2="{:.0}" y1="{mid:.0}" y2="{mid:.0}"><title>{title}</title></line>"#,
                        x1 + w
                    );
                }
                BarKind::Unlocked | BarKind::Locked => {
                    let class = if bar.kind == BarKind::Locked { "locked" } else { "unlocked" };
                    let _ = write!(
                        out,
                        r#"<rect class="b {class}" x="{x1:.0}" y="{:.0}" width="{w:.0}" height="8"><title>{title}</title></rect>"#,
                        mid - 4.0
                    );
                }
            }
        }
        // Prompts and blocks last, so that they are on top.
        let on_top = |p: &&Point| matches!(p.shape, MarkShape::Prompt | MarkShape::Blocked);
        for p in lane.points.iter().filter(|p| !on_top(p)) {
            point(out, axis, p, mid);
        }
        for p in lane.points.iter().filter(on_top) {
            point(out, axis, p, mid);
        }
        y += h;
    }
    out.push_str("</svg>");
}

fn grid(out: &mut String, axis: &Axis, bottom: f64) {
    let daily = axis.daily();
    let step = if daily {
        6 * HOUR
    } else if axis.px_per_hour >= 160.0 {
        30 * MINUTE
    } else if axis.px_per_hour >= 40.0 {
        HOUR
    } else {
        2 * HOUR
    };
    let mut t = axis.from;
    while t <= axis.to {
        let x = axis.x(t);
        let midnight = t.rem_euclid(DAY) == 0;
        let class = if midnight { "g gd" } else { "g" };
        let _ =
            write!(out, r#"<line class="{class}" x1="{x:.0}" x2="{x:.0}" y1="{:.0}" y2="{bottom:.0}"/>"#, AXIS_H - 4.0);
        if t < axis.to {
            // The date at each midnight, and at the start of an axis of hours.
            if midnight || (!daily && t == axis.from) {
                let day = chrono::DateTime::<chrono::Utc>::from_timestamp(t, 0)
                    .map(|d| d.format("%a %-d %b").to_string())
                    .unwrap_or_default();
                let _ = write!(out, r#"<text class="ax ad" x="{:.0}" y="11">{day}</text>"#, x + 3.0);
            }
            let (hour, minute) = (t.rem_euclid(DAY) / HOUR, t.rem_euclid(HOUR) / MINUTE);
            if !daily {
                let _ = write!(
                    out,
                    r#"<text class="ax" x="{:.0}" y="{:.0}">{hour:02}:{minute:02}</text>"#,
                    x + 2.0,
                    AXIS_H - 6.0
                );
            } else if !midnight {
                let _ = write!(out, r#"<text class="ax" x="{:.0}" y="{:.0}">{hour:02}</text>"#, x + 2.0, AXIS_H - 6.0);
            }
        }
        t += step;
    }
}

/// Long: one arm per mark shape, each a few SVG attributes; together they are the legend.
fn point(out: &mut String, axis: &Axis, p: &Point, mid: f64) {
    let x = axis.x(p.at);
    let y = match p.row {
        Row::Middle => mid,
        Row::Top => mid - 6.0,
        Row::Bottom => mid + 5.0,
    };
    let title = esc(&p.title);
    let reason = p.reason.map(|r| format!(" r-{r}")).unwrap_or_default();
    if let Some(a) = p.answered {
        let _ = write!(out, r#"<line class="ans{reason}" x1="{x:.0}" x2="{:.0}" y1="{y:.0}" y2="{y:.0}"/>"#, axis.x(a));
    }
    match p.shape {
        MarkShape::Prompt => {
            let _ = write!(
                out,
                r#"<circle class="m prompt{reason}" cx="{x:.0}" cy="{y:.0}" r="5"><title>{title}</title></circle>"#
            );
        }
        MarkShape::BaselinePrompt => {
            let _ = write!(
                out,
                r#"<circle class="m base{reason}" cx="{x:.0}" cy="{y:.0}" r="4"><title>{title}</title></circle>"#
            );
        }
        MarkShape::ReportOnly => {
            let _ = write!(
                out,
                r#"<circle class="m ro{reason}" cx="{x:.0}" cy="{y:.0}" r="4"><title>{title}</title></circle>"#
            );
        }
        MarkShape::Blocked | MarkShape::BaselineBlocked => {
            let class = if p.shape == MarkShape::Blocked { "blocked" } else { "blocked base-b" };
            let _ = write!(
                out,
                r#"<path class="m {class}" d="M{:.0} {:.0}l8 8m0-8l-8 8"><title>{title}</title></path>"#,
                x - 4.0,
                y - 4.0
            );
        }
        MarkShape::PrtRefresh => {
            // Above the device's state bar, clear of the lock and sign-in marks.
            let _ = write!(
                out,
                r#"<path class="m prt" d="M{x:.0} {:.0}l4.5 4.5l-4.5 4.5l-4.5-4.5z"><title>{title}</title></path>"#,
                y - 14.0
            );
        }
        MarkShape::SignIn => {
            let _ = write!(
                out,
                r#"<path class="m signin" d="M{:.0} {:.0}l9 6l-9 6z"><title>{title}</title></path>"#,
                x - 1.0,
                y - 6.0
            );
        }
        MarkShape::SignOut => {
            let _ = write!(
                out,
                r#"<path class="m signout" d="M{:.0} {:.0}l-9 6l9 6z"><title>{title}</title></path>"#,
                x + 1.0,
                y - 6.0
            );
        }
        MarkShape::Lock => {
            let _ = write!(
                out,
                r#"<rect class="m lock" x="{:.0}" y="{:.0}" width="8" height="8"><title>{title}</title></rect>"#,
                x - 4.0,
                y - 4.0
            );
        }
        MarkShape::Unlock => {
            let _ = write!(
                out,
                r#"<rect class="m unlock" x="{:.0}" y="{:.0}" width="7" height="7"><title>{title}</title></rect>"#,
                x - 3.5,
                y - 3.5
            );
        }
        MarkShape::CloseBrowser | MarkShape::OpenBrowser => {
            let (class, d) = if p.shape == MarkShape::CloseBrowser {
                ("close", format!("M{:.0} {:.0}l7 7m0-7l-7 7", x - 3.5, y - 3.5))
            } else {
                ("open", format!("M{:.0} {:.0}h8m-4-4v8", x - 4.0, y))
            };
            let _ = write!(out, r#"<path class="m {class}" d="{d}"><title>{title}</title></path>"#);
        }
        MarkShape::Touch => {
            let _ = write!(
                out,
                r#"<rect class="m touch" x="{:.0}" y="{:.0}" width="2" height="12"><title>{title}</title></rect>"#,
                x - 1.0,
                y - 6.0
            );
        }
        MarkShape::Deferred => {
            let _ = write!(
                out,
                r#"<path class="m deferred" d="M{:.0} {:.0}h8l-4 6z"><title>{title}</title></path>"#,
                x - 4.0,
                y - 9.0
            );
        }
        MarkShape::Finding => {
            let _ = write!(
                out,
                r#"<path class="m finding" d="M{:.0} {:.0}h8l-4-6z"><title>{title}</title></path>"#,
                x - 4.0,
                y + 9.0
            );
        }
        MarkShape::Account => {
            let _ =
                write!(out, r#"<circle class="m acct" cx="{x:.0}" cy="{y:.0}" r="4"><title>{title}</title></circle>"#);
        }
    }
}
