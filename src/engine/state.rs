//! The artifacts that carry auth instants (MODEL.md §1) and the keys they are
//! held under. `World` owns them; this file only says what they are.

use petgraph::stable_graph::NodeIndex;

use std::ops::Index;

use crate::domain::{AppIdx, Client, DeviceIdx, PolicyIdx, UserIdx};
use crate::time::{Instant, Seconds};

/// A user's position in the scenario's `users`. The engine never passes a
/// bare index, so a user cannot stand where a device is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UserNo(pub UserIdx);

/// A device's position in the scenario's `devices`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DeviceNo(pub DeviceIdx);

/// An app's position in the scenario's `apps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppNo(pub AppIdx);

impl Index<UserNo> for Vec<crate::domain::User> {
    type Output = crate::domain::User;
    fn index(&self, u: UserNo) -> &crate::domain::User {
        &self[u.0]
    }
}

impl Index<DeviceNo> for Vec<crate::domain::Device> {
    type Output = crate::domain::Device;
    fn index(&self, d: DeviceNo) -> &crate::domain::Device {
        &self[d.0]
    }
}

impl std::ops::IndexMut<DeviceNo> for Vec<crate::domain::Device> {
    fn index_mut(&mut self, d: DeviceNo) -> &mut crate::domain::Device {
        &mut self[d.0]
    }
}

impl Index<AppNo> for Vec<crate::domain::App> {
    type Output = crate::domain::App;
    fn index(&self, a: AppNo) -> &crate::domain::App {
        &self[a.0]
    }
}

/// What one access token or refresh token is for: a user reaching an app
/// from a device through a client (R-TOK-1). Ordered field by field, so maps
/// keyed by it iterate in a fixed order (R-DET-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Access {
    pub user: UserNo,
    pub device: DeviceNo,
    pub client: Client,
    pub app: AppNo,
}

impl Access {
    /// The access a timeline step names with the scenario's indices.
    pub fn of(user: UserIdx, device: DeviceIdx, client: Client, app: AppIdx) -> Access {
        Access { user: UserNo(user), device: DeviceNo(device), client, app: AppNo(app) }
    }

    /// The user at the device this access comes from.
    pub fn seat(self) -> Seat {
        Seat { user: self.user, device: self.device }
    }
}

/// A user at a device: what holds a PRT (R-PRT-*), a browser profile (R-PB-*)
/// and the last full sign-in that every time measures from (R-ET-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seat {
    pub user: UserNo,
    pub device: DeviceNo,
}

impl Seat {
    /// The seat a timeline step names with the scenario's indices.
    pub fn of(user: UserIdx, device: DeviceIdx) -> Seat {
        Seat { user: UserNo(user), device: DeviceNo(device) }
    }

    /// Every access of this seat, as a key range: `Access` orders by user,
    /// then device, so a map keyed by it holds a seat's accesses together and
    /// a lookup touches only them (issue 11: no scan of every user's state).
    pub fn accesses(self) -> std::ops::RangeInclusive<Access> {
        let first = Access { user: self.user, device: self.device, client: Client::Browser, app: AppNo(0) };
        let last = Access { user: self.user, device: self.device, client: Client::Spa, app: AppNo(usize::MAX) };
        first..=last
    }
}

/// An auth instant and an MFA instant, with where they came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Auth {
    pub auth: Instant,
    pub mfa: Option<Instant>,
    pub node: NodeIndex,
}

/// R-PRT-*: the Primary Refresh Token of (user, device).
#[derive(Debug, Clone)]
pub struct Prt {
    pub auth: Auth,
    pub last_refresh: Instant,
    pub last_used: Instant,
    pub revoked: bool,
    /// The last unlock or sign-in that did not refresh it (R-PRT-1), for explanations.
    pub skipped_refresh: Option<(Instant, bool)>,
}

impl Prt {
    /// A PRT refreshed (or issued) at `now` carrying `auth`.
    pub fn refreshed(auth: Auth, now: Instant) -> Prt {
        Prt { auth, last_refresh: now, last_used: now, revoked: false, skipped_refresh: None }
    }
}

/// R-PB-*: the Entra session cookie of a browser.
#[derive(Debug, Clone)]
pub struct Cookie {
    pub auth: Auth,
    pub persistent: bool,
    pub last_used: Instant,
    pub revoked: bool,
    /// R-SIF-4: the shortest sign-in frequency among the apps used in this session.
    pub shared_sif: Option<(Seconds, PolicyIdx)>,
}

#[derive(Debug, Clone, Default)]
pub struct BrowserState {
    pub cookie: Option<Cookie>,
    /// When closing the browser last dropped a cookie (R-PB-3), if not re-established since.
    pub dropped_at: Option<Instant>,
    /// R-RMFA-1: the MFA the persistent "Don't ask again" cookie remembers.
    pub remembered_mfa: Option<Instant>,
}

/// A refresh token of (user, device, client, app) for clients without a PRT,
/// and for confidential clients (held server-side).
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub auth: Auth,
    pub last_used: Instant,
    pub revoked: bool,
    /// R-DEF-2: the confidential client's web session is gone (browser closed):
    /// its next use signs in interactively through the browser.
    pub needs_interactive: bool,
    /// R-LOG-3: the address of the original issuance, which a confidential
    /// client's non-interactive records carry.
    pub issued_ip: std::net::IpAddr,
    /// R-SPA-1: a single-page app's refresh token stops working at this
    /// instant, however often it is used; other refresh tokens only idle out.
    pub expires: Option<Instant>,
    /// R-WEB-2, R-WEB-3: when a confidential client's own web session was
    /// made or last renewed.
    pub web_since: Instant,
}

impl RefreshToken {
    /// A refresh token issued at `now` from `ip`, carrying `auth`; `expires`
    /// is a fixed end (R-SPA-1), `None` for tokens that only idle out.
    pub fn issued(auth: Auth, now: Instant, ip: std::net::IpAddr, expires: Option<Instant>) -> RefreshToken {
        RefreshToken {
            auth,
            last_used: now,
            revoked: false,
            needs_interactive: false,
            issued_ip: ip,
            expires,
            web_since: now,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct AccessToken {
    pub expires: Instant,
    /// The authentication context (`c1`…`c99`, by number) the token was
    /// issued for, which a later step-up to the same context reuses (R-ET-4).
    pub auth_context: Option<u8>,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_seats_accesses_are_one_range_of_the_map() {
        let mut map = BTreeMap::new();
        for (user, device, client, app) in [
            (0, 0, Client::Browser, 5),
            (0, 1, Client::Desktop, 0),
            (0, 1, Client::Confidential, 9),
            (1, 1, Client::Browser, 0),
        ] {
            map.insert(Access::of(user, device, client, app), ());
        }
        let seat = Seat::of(0, 1);
        let found: Vec<Access> = map.range(seat.accesses()).map(|(a, _)| *a).collect();
        assert_eq!(found, [Access::of(0, 1, Client::Desktop, 0), Access::of(0, 1, Client::Confidential, 9)]);
        assert!(map.range(Seat::of(2, 0).accesses()).next().is_none());
    }
}
