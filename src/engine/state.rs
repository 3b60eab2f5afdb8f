//! The artifacts that carry auth instants (MODEL.md §1) and the keys they are
//! held under. `World` owns them; this file only says what they are.

use petgraph::stable_graph::NodeIndex;

use crate::scenario::model::{AppIdx, Client, DeviceIdx, PolicyIdx, UserIdx};
use crate::time::{Instant, Seconds};

/// What one access token or refresh token is for: a user reaching an app
/// from a device through a client (R-TOK-1). Ordered field by field, so maps
/// keyed by it iterate in a fixed order (R-DET-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Access {
    pub user: UserIdx,
    pub device: DeviceIdx,
    pub client: Client,
    pub app: AppIdx,
}

impl Access {
    pub fn new(user: UserIdx, device: DeviceIdx, client: Client, app: AppIdx) -> Access {
        Access { user, device, client, app }
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
    pub user: UserIdx,
    pub device: DeviceIdx,
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
}

#[derive(Debug, Clone, Copy)]
pub struct AccessToken {
    pub expires: Instant,
}
