//! R-PRT-1..6: the Primary Refresh Token of a user at a device. Device sign-in
//! and unlock refresh it at most every `prt_refresh_interval` on joined
//! devices; an answer through WAM sets it; browsers that do PRT single
//! sign-on mint their cookie from it.

use super::Sim;
use crate::domain::*;
use crate::engine::lineage::{Credential, Origin};
use crate::engine::outcome::Reason;
use crate::engine::state::{Access, Auth, Cookie, Prt, RefreshToken, Seat};
use crate::engine::trace::TraceEvent;
use crate::time::Instant;

use super::session::merge_mfa;

/// The factor a device's sign-in presents.
fn device_credential(device: &Device) -> Credential {
    match device.sign_in {
        DeviceSignIn::WindowsHello => Credential::WindowsHello,
        DeviceSignIn::Password => Credential::Password,
    }
}

impl Sim<'_> {
    /// R-PRT-1, R-PRT-3, R-PRT-4: device sign-in and unlock refresh the PRT of
    /// joined devices at most every `prt_refresh_interval`.
    pub(super) fn present_device_credential(&mut self, seat: Seat, now: Instant, at_unlock: bool) {
        self.locked[seat.device.0] = false;
        self.refresh_prt_if_due(seat, now, at_unlock);
        // R-DEF-3: prompts raised while the user was away are answered now.
        self.answer_pending(seat, now);
    }

    fn refresh_prt_if_due(&mut self, seat: Seat, now: Instant, at_unlock: bool) {
        let dev = &self.devices[seat.device];
        if !dev.refreshes_prt_on_unlock() {
            self.trace(now, |_| TraceEvent::NoPrtRefresh);
            return;
        }
        let credential = device_credential(dev);
        let interval = self.sc.settings.prt_refresh_interval;
        let window = self.prt_window(seat);
        let existing = self.world.prt(seat);
        let due = existing.is_none_or(|p| p.revoked || now - p.last_refresh >= interval || now - p.last_used >= window);
        if !due {
            let prt = self.world.prt_mut(seat).expect("checked above");
            prt.skipped_refresh = Some((now, at_unlock));
            prt.last_used = now;
            let since = now - prt.last_refresh;
            self.trace(now, |_| TraceEvent::PrtNotRefreshed { since, interval });
            return;
        }
        // R-PRT-4: Windows Hello renews the MFA claim at each refresh; an MFA
        // claim stamped through WAM keeps its original instant.
        let mfa = match credential {
            Credential::WindowsHello => Some(now),
            Credential::Password => existing.filter(|p| !p.revoked).and_then(|p| p.auth.mfa),
        };
        let node = self.world.lineage.record(seat, now, Origin::PrtRefresh { at_unlock }, credential, None);
        let prt = Prt::refreshed(Auth { auth: now, mfa, node }, now);
        self.world.install_prt(seat, prt);
        self.out.stats.prt_refreshes += 1;
        self.record_device_sign_in(seat, now, node);
        self.trace(now, |_| TraceEvent::PrtRefreshed { credential, mfa_claim: mfa == Some(now) });
    }

    /// R-PRT-3, R-PRT-6: through WAM the answer refreshes (or creates) the PRT;
    /// on unregistered devices it sets the app's own refresh token.
    pub(super) fn answer_in_app(&mut self, access: Access, now: Instant, reason: Reason, with_mfa: bool) {
        let Access { device, client, .. } = access;
        let previous = self.native_view(access, now).auth;
        let (auth_at, mfa) = new_auth(previous, now, reason, with_mfa);
        if self.devices[device].join != Join::Unregistered {
            // In WAM the user signs in with the device's method (Windows Hello where set up).
            let credential = device_credential(&self.devices[device]);
            let node = self.world.lineage.record(access.seat(), now, Origin::WamSignIn, credential, None);
            // R-PRT-4: Windows Hello for Business is itself multifactor.
            let mfa = if credential == Credential::WindowsHello { Some(now) } else { mfa };
            let prt = Prt::refreshed(Auth { auth: auth_at, mfa, node }, now);
            self.world.install_prt(access.seat(), prt);
        } else {
            let node =
                self.world.lineage.record(access.seat(), now, Origin::AppSignIn(client), Credential::Password, None);
            let rt = RefreshToken::issued(Auth { auth: auth_at, mfa, node }, now, self.devices[device].ip, None);
            self.world.install_refresh_token(access, rt);
        }
    }

    /// R-PRT-5: the browser's cookie is behind the PRT, so PRT single sign-on
    /// mints a new one from it, keeping the old cookie's persistence and shared SIF.
    pub(super) fn cookie_from_prt(&mut self, seat: Seat, prt: Auth, now: Instant) {
        let lineage = &mut self.world.lineage;
        let credential = lineage.root(prt.node).map(|n| n.credential).unwrap_or(Credential::Password);
        let node = lineage.record(seat, now, Origin::PrtSso, credential, Some(prt.node));
        let kept = self.world.cookie(seat).filter(|c| !c.revoked);
        let cookie = Cookie {
            auth: Auth { auth: prt.auth, mfa: merge_mfa(prt, kept.map(|c| c.auth).unwrap_or(prt)).mfa, node },
            persistent: kept.is_some_and(|c| c.persistent),
            last_used: now,
            revoked: false,
            shared_sif: kept.and_then(|c| c.shared_sif),
        };
        self.world.install_cookie(seat, cookie);
    }
}

/// R-PROMPT-2: the auth and MFA instants an answer at `now` leaves.
pub(super) fn new_auth(
    previous: Option<Auth>,
    now: Instant,
    reason: Reason,
    with_mfa: bool,
) -> (Instant, Option<Instant>) {
    if reason == Reason::MfaRequired {
        // A step-up keeps the first-factor instant and adds MFA.
        return (previous.map(|a| a.auth).unwrap_or(now), Some(now));
    }
    (now, if with_mfa { Some(now) } else { previous.and_then(|a| a.mfa) })
}
