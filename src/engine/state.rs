//! World state: the artifacts that carry auth instants, and what is going on
//! on each device. Memory follows live artifacts, never history.

use petgraph::stable_graph::NodeIndex;

use crate::scenario::model::{AppIdx, Client, DeviceIdx, OnPrompt, PolicyIdx, UserIdx};
use crate::time::{Instant, Seconds};

/// (user, device, client, app): what one access token or refresh token is for.
pub type Key = (UserIdx, DeviceIdx, Client, AppIdx);
/// (user, device): a PRT, a browser profile, a device session.
pub type UserDevice = (UserIdx, DeviceIdx);

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

/// An ongoing `use` interval.
#[derive(Debug, Clone, Copy)]
pub struct ActiveUse {
    pub until: Instant,
    pub generation: u64,
    /// R-PROMPT-2: how the user responds to prompts during this use.
    pub on_prompt: OnPrompt,
}

/// An ongoing `background` activity.
#[derive(Debug, Clone, Copy)]
pub struct ActiveBackground {
    pub until: Instant,
    pub generation: u64,
    /// R-DEF-3: waiting for the user to answer a prompt.
    pub paused: bool,
}

/// A prompt raised by a native client's background refresh, not yet answered (R-DEF-3).
#[derive(Debug, Clone, Copy)]
pub struct Pending {
    pub key: Key,
    pub prompt: usize,
    pub mfa: bool,
}

#[derive(Debug, Clone, Default)]
pub struct DeviceState {
    pub locked: bool,
}
