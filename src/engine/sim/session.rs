//! The session a request presents (R-TOK-1): the PRT, the browser's cookie or
//! a refresh token, whichever the client uses, with its status and effective
//! auth instant; and marking what a request used, so idle windows restart
//! (R-SIF-2, R-PB-5).

use std::cell::Cell;

use super::Sim;
use crate::domain::Client;
use crate::engine::lineage::Origin;
use crate::engine::state::{Access, Auth, Prt, Seat};
use crate::time::{Instant, Seconds};

/// Why the session cannot be used as it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Status {
    Valid,
    Missing { closed_at: Option<Instant> },
    Revoked,
    Inactive { last_used: Instant, window: Seconds },
}

/// The session a request would present: its status and effective auth instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct View {
    pub status: Status,
    pub auth: Option<Auth>,
    /// The auth instant comes from the PRT (R-PRT-2, R-PRT-5).
    pub from_prt: bool,
    /// R-DEF-2: a confidential client presenting its own refresh token.
    pub deferred_client: bool,
    /// R-SPA-1: a single-page app presenting its own refresh token.
    pub spa_refresh: bool,
}

impl View {
    fn missing(closed_at: Option<Instant>) -> View {
        View {
            status: Status::Missing { closed_at },
            auth: None,
            from_prt: false,
            deferred_client: false,
            spa_refresh: false,
        }
    }
    fn failed(status: Status) -> View {
        View { status, auth: None, from_prt: false, deferred_client: false, spa_refresh: false }
    }
    pub(super) fn valid(auth: Auth, from_prt: bool) -> View {
        View { status: Status::Valid, auth: Some(auth), from_prt, deferred_client: false, spa_refresh: false }
    }
}

/// The first auth with the later of the two MFA instants.
pub(super) fn merge_mfa(primary: Auth, other: Auth) -> Auth {
    Auth { mfa: primary.mfa.max(other.mfa), ..primary }
}

/// The last view worked out, with the access, the instant and the world's
/// version it was read at. One request reads its session up to four times
/// (the prompt due, grants, marking it used, the next tick), mostly
/// unchanged between (issue 11).
pub(super) struct ViewMemo {
    read: Cell<(Access, Instant, u64)>,
    view: Cell<View>,
}

impl Default for ViewMemo {
    fn default() -> Self {
        // No world reaches version `u64::MAX`: the first request reads its view.
        let read = (Access::of(0, 0, Client::Browser, 0), 0, u64::MAX);
        ViewMemo { read: Cell::new(read), view: Cell::new(View::missing(None)) }
    }
}

impl Sim<'_> {
    pub(super) fn view(&self, access: Access, now: Instant) -> View {
        let read = (access, now, self.world.version());
        if self.view_memo.read.get() == read {
            // Debug builds (the tests) hold every kept view to the world as it stands.
            debug_assert_eq!(self.view_memo.view.get(), self.read_view(access, now), "a kept view is stale");
            return self.view_memo.view.get();
        }
        let view = self.read_view(access, now);
        self.view_memo.read.set(read);
        self.view_memo.view.set(view);
        view
    }

    /// The session as the world holds it now (`view` keeps the last one):
    /// out of line, so that a kept view costs a comparison.
    #[inline(never)]
    fn read_view(&self, access: Access, now: Instant) -> View {
        match access.client {
            Client::Browser => self.browser_view(access.seat(), now),
            Client::Desktop | Client::Mobile => self.native_view(access, now),
            Client::Confidential => match self.world.refresh_token(access) {
                Some(rt)
                    if !rt.needs_interactive
                        && !rt.revoked
                        && !self.web_session_over(rt, now)
                        && now - rt.last_used < self.sc.settings.default_session_window =>
                {
                    View { deferred_client: true, ..View::valid(rt.auth, self.is_prt_rooted(rt.auth)) }
                }
                // Without a usable web session the app signs the user in through the browser.
                _ => self.browser_view(access.seat(), now),
            },
            Client::Spa => self.spa_view(access, now),
        }
    }

    /// R-PRT-5: a PRT that can still be presented (R-SIF-2 idle window).
    fn usable_prt(&self, seat: Seat, now: Instant) -> Option<&Prt> {
        let window = self.prt_window(seat);
        self.world.prt(seat).filter(|p| !p.revoked && now - p.last_used < window)
    }

    /// Whether an auth instant rests on a PRT presentation (R-PRT-2 applies to it).
    pub(super) fn is_prt_rooted(&self, auth: Auth) -> bool {
        self.world
            .lineage
            .root(auth.node)
            .is_some_and(|n| matches!(n.origin, Origin::PrtRefresh { .. } | Origin::WamSignIn))
    }

    /// R-PRT-5, R-PB-*: a browser presents its cookie, and the PRT when it supports SSO.
    pub(super) fn browser_view(&self, seat: Seat, now: Instant) -> View {
        let device = &self.devices[seat.device];
        let sso = if device.browser.supports_prt_sso() { self.usable_prt(seat, now) } else { None };
        let browser = self.world.browser(seat);
        let cookie = browser.and_then(|b| b.cookie.as_ref());
        let cookie_status = match cookie {
            None => Status::Missing { closed_at: browser.and_then(|b| b.dropped_at) },
            Some(c) if c.revoked => Status::Revoked,
            Some(c) => {
                // R-PB-5: session cookies die after 24 h idle, persistent ones after 90 days.
                let window = if c.persistent {
                    self.sc.settings.default_session_window
                } else {
                    self.sc.settings.session_cookie_idle
                };
                if now - c.last_used >= window {
                    Status::Inactive { last_used: c.last_used, window }
                } else {
                    Status::Valid
                }
            }
        };
        match (cookie_status, cookie, sso) {
            (Status::Valid, Some(c), Some(prt)) if prt.auth.auth >= c.auth.auth => {
                View::valid(merge_mfa(prt.auth, c.auth), true)
            }
            (Status::Valid, Some(c), Some(prt)) => View::valid(merge_mfa(c.auth, prt.auth), self.is_prt_rooted(c.auth)),
            (Status::Valid, Some(c), None) => View::valid(c.auth, self.is_prt_rooted(c.auth)),
            (_, _, Some(prt)) => View::valid(prt.auth, true),
            (status, _, None) => View::failed(status),
        }
    }

    /// Native clients get tokens from the PRT through WAM when the device has
    /// one (R-PRT-5), otherwise from their own refresh token.
    pub(super) fn native_view(&self, access: Access, now: Instant) -> View {
        let window = self.sc.settings.default_session_window;
        if let Some(prt) = self.world.prt(access.seat()) {
            let window = self.prt_window(access.seat());
            return if prt.revoked {
                View::failed(Status::Revoked)
            } else if now - prt.last_used >= window {
                View::failed(Status::Inactive { last_used: prt.last_used, window })
            } else {
                View::valid(prt.auth, true)
            };
        }
        match self.world.refresh_token(access) {
            None => View::missing(None),
            Some(rt) if rt.revoked => View::failed(Status::Revoked),
            // R-SIF-2: a refresh token unused for 90 days expires (700082).
            Some(rt) if now - rt.last_used >= window => {
                View::failed(Status::Inactive { last_used: rt.last_used, window })
            }
            Some(rt) => View::valid(rt.auth, false),
        }
    }

    /// Marks the artifacts a request used, so their idle windows restart
    /// (R-SIF-2, R-PB-5); PRT single sign-on refreshes the browser's cookie
    /// from the PRT (R-PRT-5).
    pub(super) fn touch(&mut self, access: Access, now: Instant) {
        let seat = access.seat();
        let view = self.view(access, now);
        if view.status != Status::Valid {
            return;
        }
        if view.from_prt {
            let window = self.prt_window(seat);
            self.world.mark_prt_used(seat, now, window);
        }
        if view.deferred_client || view.spa_refresh || access.client.is_native() {
            // The window native and confidential views read a refresh token's idleness with.
            self.world.mark_refresh_token_used(access, now, self.sc.settings.default_session_window);
            return;
        }
        let prt_auth = self.world.prt(seat).map(|p| p.auth);
        if self.world.browser(seat).is_none() {
            self.world.browser_mut(seat); // opened: the device's browsers list it from now on
        }
        let cookie_behind =
            self.world.cookie(seat).is_none_or(|c| c.revoked || prt_auth.is_some_and(|p| p.auth > c.auth.auth));
        match (view.from_prt && cookie_behind, prt_auth) {
            (true, Some(prt)) => self.cookie_from_prt(seat, prt, now),
            _ => {
                let settings = &self.sc.settings;
                let (idle, persistent) = (settings.session_cookie_idle, settings.default_session_window);
                self.world.mark_cookie_used(seat, now, idle, persistent);
            }
        }
        match access.client {
            Client::Confidential => self.reopen_web_session(access, now),
            Client::Spa => self.renew_spa_token(access, now),
            _ => {}
        }
    }
}
