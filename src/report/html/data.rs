//! The page's data: each user's timeline and prompts as compact JSON that the
//! page's script draws when the user's section is opened (page.js). Text is
//! interned (lane labels, hover texts, sentences, policies: each stored once,
//! named by number), instants are whole seconds from the axis's start, and
//! hover texts carry `AT` where the script writes an instant, so that a
//! sentence that recurs every day is stored once.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::model::{AT, BarKind, LaneKey, MarkShape, Row, UserPart, UserView, app_name, detail_words};
use crate::engine::{Prompt, PromptResult};
use crate::scenario::Scenario;
use crate::time::Instant;

/// Strings by number, in order of first use (so the same input gives the same table).
#[derive(Debug, Default)]
pub(super) struct Strings {
    index: HashMap<String, u32>,
    list: Vec<String>,
}

impl Strings {
    pub(super) fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.index.insert(s.to_string(), i);
        self.list.push(shown(s));
        i
    }

    /// The table as a JSON array.
    pub(super) fn write(&self, out: &mut String) {
        out.push('[');
        for (i, s) in self.list.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_str(out, s);
        }
        out.push(']');
    }
}

/// `s` as the page shows it: control characters in names as `\u{..}`, as
/// `html::esc` and the terminal show them (`terminal::sanitize`), except
/// `AT`, where the script writes an instant.
fn shown(s: &str) -> String {
    let parts: Vec<String> = s.split(AT).map(|p| crate::terminal::sanitize(p).into_owned()).collect();
    parts.join(AT.encode_utf8(&mut [0; 4]))
}

/// A JSON string that is also safe inside `<script>`: `<`, `>` and `&` are
/// escaped, so no text can close the element.
pub(super) fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", ch as u32);
            }
            // C0, DEL and C1 as escapes: no byte of the file is one a terminal acts on.
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Which run a prompt row belongs to. `Both`: a prompt the baseline and the
/// proposed run raised alike, shown once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Run {
    Only = 0,
    Baseline = 1,
    Proposed = 2,
    Both = 3,
}

/// One prompt, as the page's script needs it for its mark, its hover text and its row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PromptRow {
    pub run: Run,
    pub lane: LaneKey,
    pub at: Instant,
    pub reason: &'static str,
    pub kind: String,
    /// The sentence, with `AT` for each of `times`.
    pub detail: String,
    pub times: Vec<Instant>,
    pub policy: Option<String>,
    pub rule: String,
    pub error: Option<String>,
    pub result: PromptResult,
    pub answered: Option<Instant>,
    pub stay_signed_in: Option<bool>,
    /// For a prompt of both runs whose baseline explanation differs: that
    /// sentence with its rule, and its instants.
    pub baseline_detail: Option<(String, Vec<Instant>)>,
}

impl PromptRow {
    /// The prompt as the user meets it: when, where, why in one word, and which policy.
    fn seen(&self) -> (Instant, LaneKey, &str, &str, Option<&str>) {
        (self.at, self.lane, self.reason, &self.kind, self.policy.as_deref())
    }
}

fn row(run: Run, part: &UserPart, p: &Prompt) -> PromptRow {
    let mut times = Vec::new();
    let detail = detail_words(&p.detail, &mut times);
    PromptRow {
        run,
        lane: LaneKey::App(p.access.device.0, p.access.app.0, p.access.client),
        at: p.at,
        reason: p.reason.name(),
        kind: p.kind.name().replace('_', " "),
        detail,
        times,
        policy: part.policy(p.policy).map(str::to_string),
        rule: p.rule.to_string(),
        error: p.error_code.map(|c| c.to_string()),
        result: p.result,
        answered: p.answered_at.filter(|a| *a != p.at),
        stay_signed_in: p.stay_signed_in,
        baseline_detail: None,
    }
}

/// The user's prompts in time order. In a diff, a baseline prompt the
/// proposed run raised alike (same instant, access, reason, kind and policy)
/// is one row of both runs, with the baseline's explanation when it differs.
pub(super) fn prompt_rows(shown: &UserPart, baseline: Option<&UserPart>) -> Vec<PromptRow> {
    let Some(base) = baseline else {
        return shown.prompts.iter().map(|p| row(Run::Only, shown, p)).collect();
    };
    let mut proposed: Vec<PromptRow> = shown.prompts.iter().map(|p| row(Run::Proposed, shown, p)).collect();
    let mut rows = Vec::with_capacity(proposed.len() + base.prompts.len());
    for p in &base.prompts {
        let r = row(Run::Baseline, base, p);
        match proposed.iter_mut().find(|q| q.run == Run::Proposed && q.seen() == r.seen()) {
            Some(q) => {
                q.run = Run::Both;
                if (&q.detail, &q.times, &q.rule) != (&r.detail, &r.times, &r.rule) {
                    q.baseline_detail = Some((format!("{} ({})", r.detail, r.rule), r.times));
                }
            }
            None => rows.push(r),
        }
    }
    rows.append(&mut proposed);
    rows.sort_by_key(|r| (r.at, r.run != Run::Baseline));
    rows
}

/// Appends one user's record: `[lanes, prompts, policy changes]` (page.js reads it).
pub(super) fn user(
    out: &mut String,
    s: &mut Strings,
    sc: &Scenario,
    view: &UserView,
    rows: &[PromptRow],
    from: Instant,
) {
    let lane_index: BTreeMap<LaneKey, usize> = view.lanes.iter().enumerate().map(|(i, l)| (l.key, i)).collect();
    out.push_str("[[");
    for (i, lane) in view.lanes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        lane_record(out, s, sc, lane, from);
    }
    out.push_str("],[");
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let lane = lane_index.get(&r.lane).copied().unwrap_or(0);
        let policy = r.policy.as_deref().map_or(-1, |p| i64::from(s.id(p)));
        let result = match r.result {
            PromptResult::Answered | PromptResult::Withdrawn => 0,
            PromptResult::Failed => 1,
            PromptResult::Abandoned => 2,
            PromptResult::Unanswered => 3,
            PromptResult::Unavailable => 4,
        };
        let ssi = r.stay_signed_in.map_or(-1, i64::from);
        let _ = write!(
            out,
            "[{},{lane},{},{},{},{},{},{policy},{},{},{result},{},{ssi}",
            r.run as u8,
            r.at - from,
            s.id(r.reason),
            s.id(&r.kind),
            s.id(&r.detail),
            times(&r.times, from),
            s.id(&r.rule),
            r.error.as_deref().map_or(-1, |e| i64::from(s.id(e))),
            r.answered.map_or(-1, |a| a - from),
        );
        if let Some((detail, ts)) = &r.baseline_detail {
            let _ = write!(out, ",{},{}", s.id(detail), times(ts, from));
        }
        out.push(']');
    }
    out.push_str("],[");
    for (i, (t, title)) in view.policy_changes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "[{},{}]", t - from, s.id(title));
    }
    out.push_str("]]");
}

fn times(ts: &[Instant], from: Instant) -> String {
    let mut out = String::from("[");
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", t - from);
    }
    out.push(']');
    out
}

/// `[kind, label, hint, thinned, device, app key, app name, client, client words, device hint, bars, points]`;
/// bars flat, four numbers each (kind, start after the last bar's start,
/// length, bars merged into it), their hover text following from kind and
/// lane; points `[shape, at after the last point's at, title]`, with `row,
/// reason, times` after when they have them. Differences keep the numbers
/// short: most are minutes or hours, not a month of seconds.
fn lane_record(out: &mut String, s: &mut Strings, sc: &Scenario, lane: &super::model::Lane, from: Instant) {
    let (kind, device) = match lane.key {
        LaneKey::Account => (0, None),
        LaneKey::Device(d) => (1, Some(d)),
        LaneKey::App(d, _, _) => (2, Some(d)),
    };
    let dev = device.map_or(-1, |d| i64::from(s.id(&sc.devices[d].id)));
    let dev_hint = device.map_or(-1, |d| {
        let dv = &sc.devices[d];
        i64::from(s.id(&format!(
            "{}: {:?} {}, {}",
            dv.id,
            dv.platform,
            super::model::join_words(dv.join),
            dv.browser.name()
        )))
    });
    let (app, name, client, words) = match lane.key {
        LaneKey::App(_, a, c) => {
            let key = &sc.apps[a].key;
            (
                i64::from(s.id(key)),
                i64::from(s.id(app_name(sc, key))),
                i64::from(s.id(c.name())),
                i64::from(s.id(c.words())),
            )
        }
        _ => (-1, -1, -1, -1),
    };
    let _ = write!(
        out,
        "[{kind},{},{},{},{dev},{app},{name},{client},{words},{dev_hint},[",
        s.id(&lane.label),
        s.id(&lane.hint),
        lane.thinned
    );
    let mut last = from;
    for (i, b) in lane.bars.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let kind = match b.kind {
            BarKind::Unlocked => 0,
            BarKind::Locked => 1,
            BarKind::Use => 2,
            BarKind::Background => 3,
            BarKind::Session => 4,
        };
        let _ = write!(out, "{kind},{},{},{}", b.from - last, b.to - b.from, b.merged);
        last = b.from;
    }
    out.push_str("],[");
    let mut first = true;
    let mut last = from;
    for p in &lane.points {
        // Prompts are drawn from the prompt rows, with their words.
        if matches!(p.shape, MarkShape::Prompt | MarkShape::BaselinePrompt) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(out, "[{},{},{}", shape_code(p.shape), p.at - last, s.id(&p.title));
        last = p.at;
        let plain = p.row == Row::Middle && p.reason.is_none() && (p.times.is_empty() || p.times == [p.at]);
        if !plain {
            let row = match p.row {
                Row::Middle => 0,
                Row::Top => 1,
                Row::Bottom => 2,
            };
            let reason = p.reason.map_or(-1, |r| i64::from(s.id(r)));
            let _ = write!(out, ",{row},{reason},{}", times(&p.times, from));
        }
        out.push(']');
    }
    out.push_str("]]");
}

/// The script's numbers for mark shapes (`SHAPES` in page.js).
fn shape_code(shape: MarkShape) -> u8 {
    match shape {
        MarkShape::Prompt => 0,
        MarkShape::BaselinePrompt => 1,
        MarkShape::Blocked => 2,
        MarkShape::BaselineBlocked => 3,
        MarkShape::ReportOnly => 4,
        MarkShape::Deferred => 5,
        MarkShape::Finding => 6,
        MarkShape::PrtRefresh => 7,
        MarkShape::SignIn => 8,
        MarkShape::SignOut => 9,
        MarkShape::Lock => 10,
        MarkShape::Unlock => 11,
        MarkShape::CloseBrowser => 12,
        MarkShape::OpenBrowser => 13,
        MarkShape::Touch => 14,
        MarkShape::Account => 15,
    }
}

/// `AT` as the script sees it, for tests.
#[cfg(test)]
const AT_JSON: &str = "\\u0001";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_cannot_close_the_script_element() {
        let mut out = String::new();
        json_str(&mut out, "</script><b>\"a\" & \\ \n");
        assert_eq!(out, r#""\u003c/script\u003e\u003cb\u003e\"a\" \u0026 \\ \n""#);
        let mut out = String::new();
        json_str(&mut out, "\u{7f}\u{85}");
        assert_eq!(out, r#""\u007f\u0085""#);
        let mut out = String::new();
        json_str(&mut out, &format!("{AT} to {AT}"));
        assert_eq!(out, format!("\"{AT_JSON} to {AT_JSON}\""));
    }

    #[test]
    fn names_show_their_control_characters_and_keep_the_instants_place() {
        let mut s = Strings::default();
        s.id(&format!("{AT} locked <d>\u{1b}[1m"));
        let mut out = String::new();
        s.write(&mut out);
        assert_eq!(out, r#"["\u0001 locked \u003cd\u003e\\u{1b}[1m"]"#);
    }

    #[test]
    fn strings_are_numbered_in_order_of_first_use() {
        let mut s = Strings::default();
        assert_eq!((s.id("b"), s.id("a"), s.id("b")), (0, 1, 0));
        let mut out = String::new();
        s.write(&mut out);
        assert_eq!(out, r#"["b","a"]"#);
    }
}
