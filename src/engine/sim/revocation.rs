//! R-REV-1..4, R-PRT-7: what ends sessions. Each row of the revocation
//! table (a password change, reset or expiry, a revocation of sessions, a
//! single sign-out) revokes the columns the table marks: cookies and tokens
//! resting on a password or not, and confidential clients' tokens; disabling
//! the account revokes everything; a device turning non-compliant revokes
//! everything on it. Apps in use notice at once (R-REV-3: continuous use
//! makes their next request now).

use std::collections::BTreeSet;

use super::Sim;
use crate::domain::{Client, Column, RevocationEvent};
use crate::engine::lineage::Credential;
use crate::engine::rule::Rule;
use crate::engine::state::{Auth, DeviceNo, Seat, UserNo};
use crate::engine::trace::TraceEvent;
use crate::engine::world::{Artifact, Scope};
use crate::time::Instant;

/// Why sessions were revoked, and the rule that says so.
#[derive(Debug, Clone, Copy)]
pub(super) struct Revocation {
    pub cause: &'static str,
    pub rule: Rule,
}

/// Per user: whether the account is disabled, and when and why its sessions
/// were last revoked, for explanations.
pub(super) struct Revocations {
    disabled: Vec<bool>,
    last: Vec<Option<(Instant, Revocation)>>,
}

impl Revocations {
    pub(super) fn new(users: usize) -> Revocations {
        Revocations { disabled: vec![false; users], last: vec![None; users] }
    }

    pub(super) fn enable(&mut self, user: UserNo) {
        self.disabled[user.0] = false;
    }

    pub(super) fn is_disabled(&self, user: UserNo) -> bool {
        self.disabled[user.0]
    }

    pub(super) fn last(&self, user: UserNo) -> Option<(Instant, Revocation)> {
        self.last[user.0]
    }
}

impl Sim<'_> {
    /// R-REV-2, R-REV-4, R-PRT-7: one row of the revocation table revokes the
    /// artifacts of the columns it marks; a password changed also remediates
    /// user risk (R-CA-2).
    pub(super) fn revoke_row(&mut self, user: UserNo, event: RevocationEvent, now: Instant) {
        let password: BTreeSet<_> =
            self.world.lineage.derived_from(user, |n| n.credential == Credential::Password).into_iter().collect();
        let scope = match event {
            RevocationEvent::SingleSignOut { device } => Scope::Seat(Seat { user, device: DeviceNo(device) }),
            _ => Scope::User(user),
        };
        let rule = match event {
            RevocationEvent::PasswordChange => Rule::Rev2,
            RevocationEvent::AdminRevokes { home_tenant: true } => Rule::Rev1,
            _ => Rule::Rev4,
        };
        let why = Revocation { cause: event.cause(), rule };
        self.revoke(scope, now, why, |artifact, auth| event.revokes(column(artifact, password.contains(&auth.node))));
        if event.changes_password() {
            self.ca.remediate_user_risk(user);
        }
    }

    /// R-REV-1, R-REV-2: disabling the account revokes everything.
    fn revoke_all(&mut self, user: UserNo, now: Instant, cause: &'static str) {
        self.revoke(Scope::User(user), now, Revocation { cause, rule: Rule::Rev1 }, |_, _| true);
    }

    /// R-REV-1: a disabled account is blocked (50057) and its sessions revoked.
    pub(super) fn disable_user(&mut self, user: UserNo, now: Instant) {
        self.revocations.disabled[user.0] = true;
        self.revoke_all(user, now, "the account was disabled");
    }

    /// R-REV-1: a device that becomes non-compliant ends the sessions on it, the PRT included.
    pub(super) fn set_compliant(&mut self, device: DeviceNo, value: bool, now: Instant) {
        let was = std::mem::replace(&mut self.devices[device].compliant, value);
        self.ca.device_changed(device); // device filters read isCompliant
        if was && !value {
            let why = Revocation { cause: "the device became non-compliant", rule: Rule::Rev1 };
            self.revoke(Scope::Device(device), now, why, |_, _| true);
        }
    }

    /// Revokes the PRTs, cookies and refresh tokens at the seats in `scope`
    /// that `hit` selects, then re-evaluates ongoing uses there at once (R-REV-3).
    fn revoke(&mut self, scope: Scope, now: Instant, why: Revocation, hit: impl Fn(Artifact, &Auth) -> bool) {
        let (count, users) = self.world.revoke(scope, hit);
        for u in users {
            self.revocations.last[u.0] = Some((now, why));
        }
        self.trace(now, |_| TraceEvent::Revoked { cause: why.cause, rule: why.rule, count });
        self.reevaluate_uses(Some(scope), now);
        let latency = self.sc.settings.cae_event_latency;
        if latency > 0 {
            // R-CAE-1: CAE apps in use learn of the event this much later.
            self.reevaluate_uses(Some(scope), now + latency);
        }
    }
}

/// R-REV-4: the table's column of an artifact. The PRT and public clients'
/// refresh tokens are tokens; a confidential client's refresh token has its own column.
fn column(artifact: Artifact, password_based: bool) -> Column {
    match (artifact, password_based) {
        (Artifact::RefreshToken(Client::Confidential), _) => Column::ConfidentialToken,
        (Artifact::Cookie, true) => Column::PasswordCookie,
        (Artifact::Cookie, false) => Column::NonPasswordCookie,
        (_, true) => Column::PasswordToken,
        (_, false) => Column::NonPasswordToken,
    }
}
