//! The world of artifacts: PRTs, browser cookies, refresh tokens and access
//! tokens (MODEL.md §1), with the lineage graph of where each auth instant
//! came from. Rules decide *when* an artifact is installed or revoked; the
//! world only keeps the maps consistent with the lineage: every installed
//! artifact holds its lineage node and releases the one it replaces, so
//! memory follows live artifacts, never history.
//!
//! Order matters for determinism (R-DET-1): the lineage reuses freed node
//! indices, so callers record a new node before installing the artifact
//! that replaces an old one, as here.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::stable_graph::NodeIndex;

use super::lineage::Lineage;
use super::slots::{PerAccess, PerSeat, Slots};
use super::state::{Access, AccessToken, Auth, BrowserState, Cookie, DeviceNo, Prt, RefreshToken, Seat, UserNo};
use crate::domain::Client;
use crate::time::{Instant, Seconds};

#[derive(Debug)]
pub struct World {
    pub lineage: Lineage,
    // Per user (issue 11): an event looks among its user's artifacts only.
    prts: PerSeat<Prt>,
    browsers: PerSeat<BrowserState>,
    /// The users with a browser on each device, for device-wide steps
    /// (issue 11: no scan of every seat's browser).
    browser_users: BTreeMap<DeviceNo, BTreeSet<UserNo>>,
    /// The users with a PRT, a browser or a refresh token on each device, so
    /// that revoking what is on a device (R-REV-1) visits their artifacts only.
    seat_users: BTreeMap<DeviceNo, BTreeSet<UserNo>>,
    /// The engine's accesses, which the maps below and the engine's own
    /// per-access state are indexed by (issue 11: dense slots).
    slots: Slots,
    refresh_tokens: PerAccess<RefreshToken>,
    access_tokens: PerAccess<AccessToken>,
    /// Counts the changes that may change what a request presents (PRTs,
    /// cookies, refresh tokens; not access tokens), so that the engine can
    /// keep a session view while nothing it was read from changed (issue 11).
    version: u64,
}

/// Whose artifacts a revocation reaches (R-REV-1, R-REV-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    User(UserNo),
    Device(DeviceNo),
    /// One user at one device (a single sign-out in its browser, R-REV-4).
    Seat(Seat),
}

impl Scope {
    pub fn holds(self, seat: Seat) -> bool {
        match self {
            Scope::User(u) => seat.user == u,
            Scope::Device(d) => seat.device == d,
            Scope::Seat(s) => seat == s,
        }
    }
}

/// What kind of artifact a revocation meets: the revocation table's
/// columns tell cookies from tokens and confidential clients (R-REV-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    Prt,
    Cookie,
    RefreshToken(crate::domain::Client),
}

impl Default for World {
    fn default() -> Self {
        let slots = Slots::default();
        // Only the world keeps state per seat: its seats are its own.
        let seats = Slots::<Seat>::default();
        World {
            lineage: Lineage::default(),
            prts: PerSeat::new(&seats),
            browsers: PerSeat::new(&seats),
            browser_users: BTreeMap::new(),
            seat_users: BTreeMap::new(),
            refresh_tokens: PerAccess::new(&slots),
            access_tokens: PerAccess::new(&slots),
            slots,
            version: 0,
        }
    }
}

impl World {
    /// The accesses of this engine, for the other maps kept per access.
    pub(crate) fn slots(&self) -> &Slots {
        &self.slots
    }

    /// The count of changes to the artifacts a session view reads.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Every `&mut` path to a PRT, a browser or a refresh token passes here.
    fn changing(&mut self) {
        self.version += 1;
    }

    // ----- lookups ------------------------------------------------------------

    #[inline]
    pub fn prt(&self, seat: Seat) -> Option<&Prt> {
        self.prts.get(&seat)
    }

    #[inline]
    pub fn prt_mut(&mut self, seat: Seat) -> Option<&mut Prt> {
        self.changing();
        self.prts.get_mut(&seat)
    }

    /// Marks the PRT of `seat` used at `now`. Every view at `now` reads a
    /// revoked PRT, or one used within its idle `window`, the same once
    /// marked, so the version moves only when the mark revives an idle one
    /// (issue 11: the view a request just read serves its next tick).
    pub fn mark_prt_used(&mut self, seat: Seat, now: Instant, window: Seconds) {
        let Some(prt) = self.prts.get_mut(&seat) else { return };
        if !prt.revoked && now - prt.last_used >= window {
            self.version += 1;
        }
        prt.last_used = now;
    }

    /// Marks the refresh token of `access` used at `now`, as `mark_prt_used`
    /// marks a PRT: views read its idle `window` only where it is not revoked.
    pub fn mark_refresh_token_used(&mut self, access: Access, now: Instant, window: Seconds) {
        let Some(rt) = self.refresh_tokens.get_mut(&access) else { return };
        if !rt.revoked && now - rt.last_used >= window {
            self.version += 1;
        }
        rt.last_used = now;
    }

    /// Marks the cookie of `seat` used at `now`, as `mark_prt_used` marks a
    /// PRT: views read its idle window (`session_idle`, or `persistent` for a
    /// persistent cookie, R-PB-5) only where it is not revoked. A browser
    /// request marked its cookie through `browser_mut`, which moved the
    /// version, so its next tick read its view anew (issue 11).
    pub fn mark_cookie_used(&mut self, seat: Seat, now: Instant, session_idle: Seconds, persistent: Seconds) {
        let Some(cookie) = self.browsers.get_mut(&seat).and_then(|b| b.cookie.as_mut()) else { return };
        let window = if cookie.persistent { persistent } else { session_idle };
        if !cookie.revoked && now - cookie.last_used >= window {
            self.version += 1;
        }
        cookie.last_used = now;
    }

    /// R-SIF-4: the shortest sign-in frequency the browser session of `seat`
    /// has met. No view reads it, so the version stays.
    pub fn share_sif(&mut self, seat: Seat, sif: Seconds, policy: crate::domain::PolicyIdx) {
        if let Some(cookie) = self.browsers.get_mut(&seat).and_then(|b| b.cookie.as_mut())
            && cookie.shared_sif.is_none_or(|(s, _)| sif < s)
        {
            cookie.shared_sif = Some((sif, policy));
        }
    }

    #[inline]
    pub fn browser(&self, seat: Seat) -> Option<&BrowserState> {
        self.browsers.get(&seat)
    }

    #[inline]
    pub fn cookie(&self, seat: Seat) -> Option<&Cookie> {
        self.browsers.get(&seat).and_then(|b| b.cookie.as_ref())
    }

    pub fn cookie_mut(&mut self, seat: Seat) -> Option<&mut Cookie> {
        self.changing();
        self.browsers.get_mut(&seat).and_then(|b| b.cookie.as_mut())
    }

    /// The browser of `seat`, opened (with no cookie) if it never was.
    pub fn browser_mut(&mut self, seat: Seat) -> &mut BrowserState {
        self.changing();
        let (browser, opened) = self.browsers.get_or_insert_with(seat, BrowserState::default);
        // Opening is rare: the device index is kept there, not at every access.
        if opened {
            self.browser_users.entry(seat.device).or_default().insert(seat.user);
            self.seat_users.entry(seat.device).or_default().insert(seat.user);
        }
        browser
    }

    /// The seats with a browser on `device`.
    pub fn browsers_on(&self, device: DeviceNo) -> Vec<Seat> {
        let users = self.browser_users.get(&device).into_iter().flatten();
        users.map(|&user| Seat { user, device }).collect()
    }

    #[inline]
    pub fn refresh_token(&self, access: Access) -> Option<&RefreshToken> {
        self.refresh_tokens.get(&access)
    }

    #[inline]
    pub fn refresh_token_mut(&mut self, access: Access) -> Option<&mut RefreshToken> {
        self.changing();
        self.refresh_tokens.get_mut(&access)
    }

    #[inline]
    pub fn access_token(&self, access: Access) -> Option<&AccessToken> {
        self.access_tokens.get(&access)
    }

    /// R-CAE-2: the resource refuses the token from now on (a claim challenge).
    pub fn expire_access_token(&mut self, access: Access, now: Instant) {
        if let Some(token) = self.access_tokens.get_mut(&access) {
            token.expires = token.expires.min(now);
        }
    }

    // ----- installs -----------------------------------------------------------

    /// A new PRT for `seat`; its node was just recorded and is held once.
    pub fn install_prt(&mut self, seat: Seat, prt: Prt) {
        self.changing();
        match self.prts.insert(seat, prt) {
            Some(old) => self.lineage.release(old.auth.node),
            None => self.note_seat(seat),
        }
    }

    /// `seat` holds its first artifact that can be revoked.
    fn note_seat(&mut self, seat: Seat) {
        self.seat_users.entry(seat.device).or_default().insert(seat.user);
    }

    /// A new cookie in the browser of `seat`; the browser is no longer "closed" (R-PB-3).
    pub fn install_cookie(&mut self, seat: Seat, cookie: Cookie) {
        let browser = self.browser_mut(seat);
        browser.dropped_at = None;
        if let Some(old) = browser.cookie.replace(cookie) {
            self.lineage.release(old.auth.node);
        }
    }

    /// A new refresh token whose node was just recorded and is held once.
    pub fn install_refresh_token(&mut self, access: Access, rt: RefreshToken) {
        self.changing();
        match self.refresh_tokens.insert(access, rt) {
            Some(old) => self.lineage.release(old.auth.node),
            None => self.note_seat(access.seat()),
        }
    }

    /// A refresh token resting on an auth instant another artifact already holds
    /// (a confidential client's token minted from the browser's cookie, R-DEF-2).
    pub fn install_shared_refresh_token(&mut self, access: Access, rt: RefreshToken) {
        self.lineage.hold(rt.auth.node);
        self.install_refresh_token(access, rt);
    }

    pub fn issue_access_token(&mut self, access: Access, expires: Instant, auth_context: Option<u8>) {
        self.access_tokens.insert(access, AccessToken { expires, auth_context });
    }

    // ----- removals -----------------------------------------------------------

    /// R-PB-3: closing the browser of `seat` drops its cookie unless it is
    /// persistent. Returns whether a cookie was dropped.
    pub fn close_browser(&mut self, seat: Seat, now: Instant) -> bool {
        let browser = self.browser_mut(seat);
        let dropped = match browser.cookie.take() {
            Some(c) if c.persistent => {
                browser.cookie = Some(c);
                None
            }
            other => other,
        };
        let Some(c) = dropped else { return false };
        browser.dropped_at = Some(now);
        self.lineage.release(c.auth.node);
        true
    }

    /// R-DEF-2: the web sessions of confidential clients at `seat` are gone;
    /// their next use signs in interactively.
    pub fn end_web_sessions(&mut self, seat: Seat) {
        self.changing();
        self.refresh_tokens.for_each_in(seat.accesses(), |a, rt| {
            if a.client == Client::Confidential {
                rt.needs_interactive = true;
            }
        });
    }

    /// R-SPA-1: the browser closed, and with it the single-page apps' token cache.
    pub fn drop_spa_tokens(&mut self, seat: Seat) {
        self.changing();
        let spa: Vec<Access> = self
            .refresh_tokens
            .range(seat.accesses())
            .into_iter()
            .map(|(a, _)| a)
            .filter(|a| a.client == Client::Spa)
            .collect();
        for access in spa {
            if let Some(rt) = self.refresh_tokens.remove(&access) {
                self.lineage.release(rt.auth.node);
            }
        }
    }

    /// Marks revoked the PRTs, cookies and refresh tokens at seats in `scope`
    /// whose auth instant `hit` selects (R-REV-2). Returns how many were
    /// revoked and whose they were. Only the users `scope` can reach are
    /// visited: the user, or those with artifacts on the device.
    pub fn revoke(&mut self, scope: Scope, hit: impl Fn(Artifact, &Auth) -> bool) -> (usize, BTreeSet<UserNo>) {
        self.changing();
        let mut count = 0;
        let mut users = BTreeSet::new();
        let reached: Vec<UserNo> = match scope {
            Scope::User(u) => vec![u],
            Scope::Device(d) => self.seat_users.get(&d).into_iter().flatten().copied().collect(),
            Scope::Seat(s) => vec![s.user],
        };
        for user in reached {
            let mut revoke = |artifact: Artifact, auth: &Auth, revoked: &mut bool| {
                if !*revoked && hit(artifact, auth) {
                    *revoked = true;
                    count += 1;
                    users.insert(user);
                }
            };
            self.prts.for_each_of(user, |s, prt| {
                if scope.holds(*s) {
                    revoke(Artifact::Prt, &prt.auth, &mut prt.revoked);
                }
            });
            self.browsers.for_each_of(user, |s, b| {
                if scope.holds(*s)
                    && let Some(c) = b.cookie.as_mut()
                {
                    revoke(Artifact::Cookie, &c.auth, &mut c.revoked);
                }
            });
            self.refresh_tokens.for_each_of(user, |a, rt| {
                if scope.holds(a.seat()) {
                    revoke(Artifact::RefreshToken(a.client), &rt.auth, &mut rt.revoked);
                }
            });
        }
        (count, users)
    }

    /// The device and user an auth instant was first presented at.
    pub fn origin_seat(&self, node: NodeIndex) -> Seat {
        self.lineage.node(node).map(|n| n.seat).unwrap_or(Seat::of(0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lineage::{Credential, Origin};
    use crate::engine::state::AppNo;

    fn prt(world: &mut World, seat: Seat, at: Instant) -> Prt {
        let node = world.lineage.record(seat, at, Origin::PrtRefresh { at_unlock: false }, Credential::Password, None);
        Prt::refreshed(Auth { auth: at, mfa: None, node }, at)
    }

    fn cookie(world: &mut World, seat: Seat, persistent: bool) -> Cookie {
        let node = world.lineage.record(seat, 0, Origin::BrowserSignIn, Credential::Password, None);
        Cookie { auth: Auth { auth: 0, mfa: None, node }, persistent, last_used: 0, revoked: false, shared_sif: None }
    }

    #[test]
    fn an_installed_artifact_releases_the_lineage_of_the_one_it_replaces() {
        let mut world = World::default();
        let seat = Seat::of(0, 0);
        let first = prt(&mut world, seat, 0);
        world.install_prt(seat, first);
        let second = prt(&mut world, seat, 10);
        world.install_prt(seat, second);
        assert_eq!(world.lineage.len(), 1);
        assert_eq!(world.prt(seat).map(|p| p.auth.auth), Some(10));
    }

    #[test]
    fn closing_a_browser_keeps_only_a_persistent_cookie() {
        let mut world = World::default();
        let (kept, dropped) = (Seat::of(0, 0), Seat::of(1, 0));
        let c = cookie(&mut world, kept, true);
        world.install_cookie(kept, c);
        let c = cookie(&mut world, dropped, false);
        world.install_cookie(dropped, c);
        assert!(!world.close_browser(kept, 5));
        assert!(world.close_browser(dropped, 5));
        assert!(world.cookie(kept).is_some());
        assert_eq!(world.browser(dropped).and_then(|b| b.dropped_at), Some(5));
        assert_eq!(world.lineage.len(), 1);
    }

    #[test]
    fn revocation_stays_in_its_scope_and_counts_once() {
        let mut world = World::default();
        let (mine, other) = (Seat::of(0, 0), Seat::of(1, 1));
        for seat in [mine, other] {
            let p = prt(&mut world, seat, 0);
            world.install_prt(seat, p);
        }
        let node = world.prt(mine).map(|p| p.auth.node).expect("installed");
        let rt =
            RefreshToken::issued(Auth { auth: 0, mfa: None, node }, 0, std::net::IpAddr::from([10, 0, 0, 1]), None);
        world.install_shared_refresh_token(
            Access { user: mine.user, device: mine.device, client: Client::Confidential, app: AppNo(0) },
            rt,
        );
        let (count, users) = world.revoke(Scope::User(mine.user), |_, _| true);
        assert_eq!((count, users.into_iter().collect::<Vec<_>>()), (2, vec![UserNo(0)]));
        assert_eq!(world.revoke(Scope::Device(mine.device), |_, _| true).0, 0);
        assert!(!world.prt(other).expect("installed").revoked);
    }
}
