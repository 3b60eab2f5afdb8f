//! R-SPA-1..3: single-page apps. A SPA redeems a refresh token of its own
//! whose lifetime is fixed at 24 hours from the sign-in that gave it; when it
//! lapses (700084) the app runs the authorization code flow again in the
//! browser's top-level frame, which needs the user's page; nothing is
//! deferred for it, unlike a browser's background work (R-DEF-1).

use super::Sim;
use super::access::{Flow, Trigger};
use super::session::View;
use crate::domain::Client;
use crate::engine::state::{Access, Auth, RefreshToken};
use crate::engine::trace::TraceEvent;
use crate::time::{HOUR, Instant, Seconds};

/// R-SPA-1: refresh tokens sent to a `spa` redirect URI live 24 hours, and the
/// ones redeemed from them carry that expiry over (refresh-tokens Learn page).
pub(super) const SPA_REFRESH_LIFETIME: Seconds = 24 * HOUR;

impl Sim<'_> {
    /// R-SPA-1: a SPA presents its refresh token while it has not lapsed;
    /// without one it signs in through the browser, as a browser would.
    pub(super) fn spa_view(&self, access: Access, now: Instant) -> View {
        match self.world.refresh_token(access) {
            Some(rt) if !rt.revoked && rt.expires.is_none_or(|e| now < e) => {
                let from_prt = self.is_prt_rooted(rt.auth);
                View { spa_refresh: true, ..View::valid(rt.auth, from_prt) }
            }
            _ => self.browser_view(access.seat(), now),
        }
    }

    /// R-SPA-2: a token request meeting a lapsed refresh token is refused with
    /// 700084. In a `use` the app then redirects the page to Entra ID (the
    /// request goes on through the browser); background work has no page to
    /// redirect and stops.
    pub(super) fn spa_lapse(&mut self, access: Access, now: Instant, trigger: Trigger) -> Option<Flow> {
        if access.client != Client::Spa {
            return None;
        }
        let rt = self.world.refresh_token(access)?;
        if rt.revoked || rt.expires.is_none_or(|e| now < e) {
            return None;
        }
        let auth = rt.auth;
        self.record_spa_lapse(access, now, auth);
        self.trace(now, |_| TraceEvent::SpaRefreshLapsed);
        (trigger == Trigger::Background).then_some(Flow::Stop)
    }

    /// R-SPA-1: a sign-in through the browser (answered, or silent from its
    /// session) gives the SPA a new refresh token, good for 24 hours.
    pub(super) fn install_spa_token(&mut self, access: Access, auth: Auth, now: Instant) {
        let rt = RefreshToken::issued(auth, now, self.devices[access.device].ip, Some(now + SPA_REFRESH_LIFETIME));
        self.world.install_shared_refresh_token(access, rt);
    }

    /// R-SPA-2: after a silent pass through the browser, the SPA holds a new
    /// refresh token when its old one was missing, lapsed or revoked.
    pub(super) fn renew_spa_token(&mut self, access: Access, now: Instant) {
        let Some(cookie_auth) = self.world.cookie(access.seat()).map(|c| c.auth) else { return };
        let stale =
            self.world.refresh_token(access).is_none_or(|rt| rt.revoked || rt.expires.is_some_and(|e| e <= now));
        if stale {
            self.install_spa_token(access, cookie_auth, now);
        }
    }
}
