//! `casim run`'s summary of a population (a `population:` scenario, or users
//! with personas; issue 15): prompts per user-day, prompts by reason, MFA
//! challenges and blocks, overall and by persona, group, device join type
//! and platform. Folded user by user from
//! `UserShare`s, in exact histograms (never a list of prompts), so a merge of
//! shards summarises exactly as one run. The text of a population run is this
//! summary unless `--every-prompt`; its JSON adds it as `summary`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diff::breakdown::{Breakdown, Figures, Group, UserShare};
use crate::diff::expr::number;
use crate::diff::render::table;
use crate::engine::Reason;
use crate::terminal;

/// A population run's summary so far.
pub(crate) struct RunSummary {
    by_group: Breakdown,
    /// Prompts by reason; every reason is present.
    reasons: BTreeMap<String, usize>,
}

impl RunSummary {
    pub(crate) fn new() -> RunSummary {
        let reasons = Reason::NAMES.iter().map(|r| (r.to_string(), 0)).collect();
        RunSummary { by_group: Breakdown::new(1), reasons }
    }

    /// Adds one user's share.
    pub(crate) fn add(&mut self, share: &UserShare) {
        self.by_group.add(&share.tags, &share.days, &[&share.runs]);
        for (reason, n) in &share.reasons {
            match self.reasons.get_mut(reason) {
                Some(count) => *count += n,
                None => {
                    self.reasons.insert(reason.clone(), *n);
                }
            }
        }
    }

    /// The summary's lines for a terminal, ending with a blank line.
    pub(crate) fn text(&self) -> String {
        let total = self.by_group.total();
        let f = &total.sides[0];
        let d = &f.prompts_per_user_day;
        let mut out = String::new();
        let _ = writeln!(out, "population: {} users, {} user-days", total.users, total.user_days);
        let _ = writeln!(
            out,
            "prompts: {} ({} users prompted); per user-day: mean {}, median {}, p95 {}, max {}",
            f.prompts,
            f.users_prompted,
            number(d.mean),
            number(d.median),
            number(d.p95),
            number(d.max)
        );
        let reasons: Vec<String> =
            self.reasons.iter().filter(|(_, n)| **n > 0).map(|(r, n)| format!("{r} {n}")).collect();
        if !reasons.is_empty() {
            let _ = writeln!(out, "prompts by reason: {}", reasons.join(", "));
        }
        let _ = writeln!(
            out,
            "MFA challenges: {} ({} users); blocked: {}",
            f.mfa_challenges, f.users_mfa_challenged, f.blocked
        );
        out.push('\n');
        for (dim, groups) in self.by_group.tables() {
            let _ = writeln!(out, "by {}:", dim.title());
            let title = dim.title().to_uppercase();
            let header = [
                title.as_str(),
                "USERS",
                "USER-DAYS",
                "PROMPTS",
                "PER USER-DAY",
                "P95",
                "MAX",
                "PROMPTED",
                "MFA",
                "BLOCKED",
            ];
            let numeric = [false, true, true, true, true, true, true, true, true, true];
            let rows: Vec<Vec<String>> = groups.iter().map(row).collect();
            table(&mut out, &header, &numeric, &rows);
            out.push('\n');
        }
        out
    }

    /// The summary as `casim run --format json` prints it, at depth 1.
    pub(crate) fn json(&self) -> String {
        let total = self.by_group.total();
        let summary = Json {
            users: total.users,
            user_days: total.user_days,
            figures: &total.sides[0],
            prompts_by_reason: &self.reasons,
            by_group: &self.by_group,
        };
        let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
        text.replace('\n', "\n  ")
    }
}

/// `summary` in `casim run --format json` (docs/personas.md).
#[derive(Serialize)]
struct Json<'a> {
    users: usize,
    user_days: usize,
    #[serde(flatten)]
    figures: &'a Figures,
    prompts_by_reason: &'a BTreeMap<String, usize>,
    by_group: &'a Breakdown,
}

fn row(g: &Group) -> Vec<String> {
    let f = &g.sides[0];
    vec![
        terminal::escape(&g.value).into_owned(),
        g.users.to_string(),
        g.user_days.to_string(),
        f.prompts.to_string(),
        number(f.prompts_per_user_day.mean),
        number(f.prompts_per_user_day.p95),
        number(f.prompts_per_user_day.max),
        f.users_prompted.to_string(),
        f.mfa_challenges.to_string(),
        f.blocked.to_string(),
    ]
}
