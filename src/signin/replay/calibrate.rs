//! `casim replay --calibrate`: the prompts the logs show users really saw,
//! held against the prompts casim predicts for the same activity under the
//! tenant's current policies, as precision and recall per reason, app and
//! client, so a user sees how far to trust a proposal before reading it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::read::{ClientKind, LogRecord};
use crate::signin::WINDOWS_SIGN_IN_APP_ID;
use crate::time::{Instant, MINUTE};

/// A prompt matches when user and app are the same and the times this close.
pub const MATCH_WINDOW: i64 = 5 * MINUTE;

/// One prompt as the logs show it: an interactive sign-in (the user presented a factor).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seen {
    pub user: String,
    pub app_id: String,
    pub at: Instant,
    pub client: &'static str,
    pub reason: &'static str,
}

/// The prompts of the logs: each run of interactive records of one user and
/// app within a minute is one prompt, its reason read off the refusal
/// before it (70043/70044 sign-in frequency, 50078 every time or expired MFA,
/// 50074/50076 MFA required); without a refusal, a sign-in (`sign_in`).
/// Windows Sign In records (device sign-ins and unlocks) are not prompts.
pub fn seen(records: &[LogRecord]) -> Vec<Seen> {
    let mut sorted: Vec<&LogRecord> =
        records.iter().filter(|r| r.interactive && r.app_id != WINDOWS_SIGN_IN_APP_ID).collect();
    sorted.sort_by(|a, b| (&a.user, &a.app_id, a.at).cmp(&(&b.user, &b.app_id, b.at)));
    let mut out: Vec<Seen> = Vec::new();
    let mut last: Option<(&str, &str, Instant)> = None;
    for r in sorted {
        let joins = last.is_some_and(|(u, a, t)| u == r.user && a == r.app_id && r.at - t <= MINUTE);
        last = Some((&r.user, &r.app_id, r.at));
        let reason = reason_of(r.error);
        if joins {
            let prompt = out.last_mut().expect("joined to the previous one");
            if prompt.reason == "sign_in" {
                prompt.reason = reason;
            }
            continue;
        }
        out.push(Seen {
            user: r.user.clone(),
            app_id: r.app_id.clone(),
            at: r.at,
            client: client_name(r.client),
            reason,
        });
    }
    out
}

fn reason_of(error: u32) -> &'static str {
    match error {
        70043 | 70044 => "sign_in_frequency",
        50078 => "every_time",
        50074 | 50076 => "mfa_required",
        _ => "sign_in",
    }
}

fn client_name(kind: ClientKind) -> &'static str {
    match kind {
        ClientKind::Browser => "browser",
        ClientKind::Native => "native",
        ClientKind::Confidential => "confidential",
    }
}

/// The reason casim gives, in the logs' terms: a frequency, every time and
/// MFA read alike; the other reasons are all sign-ins.
pub fn as_seen_reason(reason: &str) -> &'static str {
    match reason {
        "sign_in_frequency" => "sign_in_frequency",
        "every_time" => "every_time",
        "mfa_required" => "mfa_required",
        _ => "sign_in",
    }
}

/// Matched and total prompts, both ways.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    pub predicted: u64,
    pub logged: u64,
    /// Predicted prompts with a logged one to match.
    pub predicted_matched: u64,
    /// Logged prompts casim predicted.
    pub logged_matched: u64,
}

impl Counts {
    pub fn precision(&self) -> Option<f64> {
        (self.predicted > 0).then(|| self.predicted_matched as f64 / self.predicted as f64)
    }

    pub fn recall(&self) -> Option<f64> {
        (self.logged > 0).then(|| self.logged_matched as f64 / self.logged as f64)
    }
}

/// Precision and recall, overall and by reason, app and client.
#[derive(Debug, Default, Serialize)]
pub struct Calibration {
    pub all: Counts,
    pub by_reason: BTreeMap<&'static str, Counts>,
    pub by_app: BTreeMap<String, Counts>,
    pub by_client: BTreeMap<&'static str, Counts>,
}

/// Holds `predicted` (casim's prompts, in the same terms) against `logged`;
/// each prompt matches at most one of the other side.
pub fn compare(predicted: &[Seen], logged: &[Seen]) -> Calibration {
    let mut c = Calibration::default();
    let found = matches(predicted, logged);
    for (p, hit) in predicted.iter().zip(&found) {
        for counts in c.slots(p) {
            counts.predicted += 1;
            counts.predicted_matched += u64::from(*hit);
        }
    }
    let found = matches(logged, predicted);
    for (l, hit) in logged.iter().zip(&found) {
        for counts in c.slots(l) {
            counts.logged += 1;
            counts.logged_matched += u64::from(*hit);
        }
    }
    c
}

impl Calibration {
    /// Counts `other`'s too (users compared apart).
    pub fn add(&mut self, other: Calibration) {
        fn sum(a: &mut Counts, b: Counts) {
            a.predicted += b.predicted;
            a.logged += b.logged;
            a.predicted_matched += b.predicted_matched;
            a.logged_matched += b.logged_matched;
        }
        sum(&mut self.all, other.all);
        for (k, v) in other.by_reason {
            sum(self.by_reason.entry(k).or_default(), v);
        }
        for (k, v) in other.by_app {
            sum(self.by_app.entry(k).or_default(), v);
        }
        for (k, v) in other.by_client {
            sum(self.by_client.entry(k).or_default(), v);
        }
    }

    fn slots(&mut self, s: &Seen) -> [&mut Counts; 4] {
        [
            &mut self.all,
            self.by_reason.entry(s.reason).or_default(),
            self.by_app.entry(s.app_id.clone()).or_default(),
            self.by_client.entry(s.client).or_default(),
        ]
    }
}

/// For each of `xs`, whether one of `ys` (each used once) has its user and
/// app within `MATCH_WINDOW`.
fn matches(xs: &[Seen], ys: &[Seen]) -> Vec<bool> {
    let mut by_key: BTreeMap<(&str, &str), Vec<(Instant, bool)>> = BTreeMap::new();
    for y in ys {
        by_key.entry((&y.user, &y.app_id)).or_default().push((y.at, false));
    }
    xs.iter()
        .map(|x| {
            let Some(candidates) = by_key.get_mut(&(x.user.as_str(), x.app_id.as_str())) else { return false };
            match candidates.iter_mut().find(|(at, used)| !*used && (at - x.at).abs() <= MATCH_WINDOW) {
                Some(c) => {
                    c.1 = true;
                    true
                }
                None => false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen_at(user: &str, app: &str, at: Instant, reason: &'static str) -> Seen {
        Seen { user: user.into(), app_id: app.into(), at, client: "browser", reason }
    }

    #[test]
    fn prompts_match_within_five_minutes_once_each() {
        let logged = [seen_at("a", "x", 0, "sign_in"), seen_at("a", "x", 3_600, "sign_in_frequency")];
        let predicted = [
            seen_at("a", "x", 290, "sign_in"),
            seen_at("a", "x", 310, "sign_in"),
            seen_at("a", "y", 3_600, "sign_in_frequency"),
        ];
        let c = compare(&predicted, &logged);
        assert_eq!((c.all.predicted, c.all.predicted_matched, c.all.logged, c.all.logged_matched), (3, 1, 2, 1));
        assert_eq!(c.all.precision(), Some(1.0 / 3.0));
        assert_eq!(c.by_reason["sign_in_frequency"].recall(), Some(0.0));
        assert_eq!(c.by_app["x"].precision(), Some(0.5));
    }
}
