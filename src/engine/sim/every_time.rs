//! R-ET-1, R-ET-2: every-time reauthentication. It is evaluated only at token
//! requests, and a full sign-in on the same device within the clock skew
//! (`every_time_skew`, 5 minutes) is accepted.

use super::Sim;
use super::prompts::Due;
use crate::domain::PolicyIdx;
use crate::engine::by_user::ByUser;
use crate::engine::outcome::{Detail, Reason};
use crate::engine::rule::Rule;
use crate::engine::state::Seat;
use crate::time::Instant;

/// R-ET-1: the last full (interactive) authentication of each user at each device.
#[derive(Debug, Default)]
pub(super) struct FullAuths(ByUser<Seat, Instant>);

impl FullAuths {
    pub(super) fn record(&mut self, seat: Seat, now: Instant) {
        self.0.insert(seat, now);
    }

    pub(super) fn last(&self, seat: Seat) -> Option<Instant> {
        self.0.get(&seat).copied()
    }
}

impl Sim<'_> {
    /// R-ET-1: whether every time asks for a full sign-in at `now`.
    pub(super) fn every_time_due_at(&self, seat: Seat, now: Instant) -> bool {
        self.full_auths.last(seat).is_none_or(|t| now - t >= self.sc.settings.every_time_skew)
    }

    /// R-ET-1: the every-time prompt due at this token request, if any.
    pub(super) fn every_time_due(&self, seat: Seat, now: Instant, policy: PolicyIdx) -> Option<Due> {
        if !self.every_time_due_at(seat, now) {
            return None;
        }
        let skew = self.sc.settings.every_time_skew;
        let last = self.full_auths.last(seat);
        let detail = match last {
            Some(t) => Detail::EveryTimeAgain { last: t, start: self.sc.start, skew },
            None => Detail::EveryTimeFirstSignIn,
        };
        Some(Due { reason: Reason::EveryTime, policy: Some(policy), expired: last, rule: Rule::Et1, detail })
    }
}
