//! R-ET-1, R-ET-2, R-ET-5: every-time reauthentication. It is evaluated only
//! at token requests, and a full sign-in on the same device within the clock
//! skew (`every_time_skew`, 5 minutes; per app with `every_time_skew_by_app`)
//! is accepted.

use super::Sim;
use super::prompts::Due;
use crate::domain::PolicyIdx;
use crate::engine::by_user::ByUser;
use crate::engine::outcome::{Detail, Reason};
use crate::engine::rule::Rule;
use crate::engine::state::{Access, Seat};
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
    /// R-ET-1, R-ET-5: the skew within which a full sign-in satisfies every time for the access's app.
    fn skew(&self, access: Access) -> crate::time::Seconds {
        self.sc.settings.every_time_skew_of(&self.sc.apps[access.app].key)
    }

    /// R-ET-1: whether every time asks for a full sign-in at `now`.
    pub(super) fn every_time_due_at(&self, access: Access, now: Instant) -> bool {
        self.full_auths.last(access.seat()).is_none_or(|t| now - t >= self.skew(access))
    }

    /// R-ET-1: the every-time prompt due at this token request, if any.
    pub(super) fn every_time_due(&self, access: Access, now: Instant, policy: PolicyIdx) -> Option<Due> {
        if !self.every_time_due_at(access, now) {
            return None;
        }
        let seat = access.seat();
        let skew = self.skew(access);
        let last = self.full_auths.last(seat);
        let detail = match last {
            Some(t) => Detail::EveryTimeAgain { last: t, start: self.sc.clock(), skew },
            None => Detail::EveryTimeFirstSignIn,
        };
        Some(Due { reason: Reason::EveryTime, policy: Some(policy), expired: last, rule: Rule::Et1, detail })
    }
}
