//! R-WEB-1..3: a confidential client's own web session. The app keeps the
//! user signed in with a cookie of its own; only when that session ends does
//! the next interaction go back to Entra ID, where sign-in frequency is
//! enforced (R-DEF-2). How long it lasts is the app's library's choice:
//! until the browser closes, until the ID token expires (classic ASP.NET
//! OWIN), or a sliding window (ASP.NET Core).

use super::Sim;
use crate::domain::Client;
use crate::engine::state::{Access, RefreshToken};
use crate::scenario::model::WebSession;
use crate::time::{HOUR, Instant, Seconds};

/// R-WEB-2: Entra ID's ID tokens are valid one hour (Learn, ID tokens).
pub(super) const ID_TOKEN_LIFETIME: Seconds = HOUR;

impl Sim<'_> {
    /// R-WEB-2, R-WEB-3: when the web session behind `rt` ends by time, if
    /// the setting gives it an end; closing the browser ends it in every mode
    /// (R-WEB-1).
    pub(super) fn web_session_end(&self, rt: &RefreshToken) -> Option<Instant> {
        match self.sc.settings.web_session {
            WebSession::Browser => None,
            WebSession::IdToken => Some(rt.web_since + ID_TOKEN_LIFETIME),
            WebSession::Sliding(window) => Some(rt.web_since + window),
        }
    }

    /// Whether the web session behind `rt` has run out at `now`.
    pub(super) fn web_session_over(&self, rt: &RefreshToken, now: Instant) -> bool {
        self.web_session_end(rt).is_some_and(|end| now >= end)
    }

    /// R-WEB-2: a running use meets the ID token's expiry while the user
    /// works, so it is an instant the use is evaluated at (R-SIF-5).
    pub(super) fn web_session_deadline(&self, access: Access) -> Option<Instant> {
        if access.client != Client::Confidential || self.sc.settings.web_session != WebSession::IdToken {
            return None;
        }
        self.world
            .refresh_token(access)
            .filter(|rt| !rt.needs_interactive && !rt.revoked)
            .and_then(|rt| self.web_session_end(rt))
    }

    /// R-WEB-3: ASP.NET Core reissues its cookie, with a new expiry, at any
    /// request more than halfway through the window. Called at interactions
    /// only: the server's background work sends no cookie.
    pub(super) fn slide_web_session(&mut self, access: Access, now: Instant) {
        let WebSession::Sliding(window) = self.sc.settings.web_session else { return };
        if access.client != Client::Confidential {
            return;
        }
        let Some(rt) = self.world.refresh_token_mut(access) else { return };
        if !rt.needs_interactive && !rt.revoked && (now - rt.web_since) * 2 > window {
            rt.web_since = now;
        }
    }
}
