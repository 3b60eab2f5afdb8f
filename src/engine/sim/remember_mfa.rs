//! R-RMFA-1..3: "Remember multifactor authentication on trusted devices", the
//! tenant's per-user MFA service setting. A browser where the user did MFA
//! keeps a persistent cookie that skips MFA there for the setting's days
//! (R-RMFA-1); any MFA older than those days stops counting, in native apps'
//! refresh tokens as in browser sessions (R-RMFA-2); a sign-in frequency
//! policy replaces the setting where it applies (R-RMFA-3).

use super::Sim;
use super::ca::Requirements;
use super::prompts::Due;
use crate::domain::{Client, UserType};
use crate::engine::outcome::{Detail, Reason};
use crate::engine::rule::Rule;
use crate::engine::state::{Access, Seat};
use crate::time::{Instant, Seconds};

impl Sim<'_> {
    /// The setting's window where it counts: not where a sign-in frequency
    /// policy, periodic or every time, applies (R-RMFA-3).
    fn remember_window(&self, req: &Requirements) -> Option<Seconds> {
        self.sc.settings.remember_mfa.filter(|_| req.periodic.is_none() && req.every_time.is_none())
    }

    /// R-RMFA-1: the MFA the browser of `seat` remembers, while within the window.
    pub(super) fn remembered_mfa(&self, seat: Seat, now: Instant, req: &Requirements) -> Option<Instant> {
        let window = self.remember_window(req)?;
        let at = self.world.browser(seat)?.remembered_mfa?;
        (now - at < window).then_some(at)
    }

    /// R-RMFA-1 for a request: only clients that sign in through the browser carry the cookie.
    pub(super) fn remembered_mfa_for(&self, access: Access, now: Instant, req: &Requirements) -> Option<Instant> {
        if !matches!(access.client, Client::Browser | Client::Confidential | Client::Spa) {
            return None;
        }
        self.remembered_mfa(access.seat(), now, req)
    }

    /// R-RMFA-2: an MFA instant older than the window no longer satisfies MFA.
    pub(super) fn mfa_outlived(&self, now: Instant, req: &Requirements, mfa: Instant) -> bool {
        self.remember_window(req).is_some_and(|window| now - mfa >= window)
    }

    /// R-RMFA-1: an MFA done in the browser with the setting on leaves the
    /// "Don't ask again for X days" cookie; B2B guests are never offered it.
    pub(super) fn remember_browser_mfa(&mut self, seat: Seat, now: Instant) {
        if self.sc.settings.remember_mfa.is_some() && self.sc.users[seat.user].user_type == UserType::Member {
            self.world.browser_mut(seat).remembered_mfa = Some(now);
        }
    }

    /// R-RMFA-2: an MFA prompt raised because the session's MFA outlived the
    /// window names this rule and the instant that expired.
    pub(super) fn remember_mfa_due(&self, access: Access, now: Instant, req: &Requirements, due: Due) -> Due {
        let (Some(window), Reason::MfaRequired) = (self.remember_window(req), due.reason) else { return due };
        let mfa = self.view(access, now).auth.and_then(|a| a.mfa);
        match mfa.filter(|&m| now - m >= window) {
            Some(last) => Due {
                rule: Rule::Rmfa2,
                expired: Some(last),
                detail: Detail::RememberedMfaExpired { last, start: self.sc.clock(), window },
                ..due
            },
            None => due,
        }
    }
}
