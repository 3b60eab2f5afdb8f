//! R-REV-1..3, R-PRT-7: what ends sessions. A password change revokes what
//! rests on a password; an admin revoke or disabling the account revokes
//! everything; a device turning non-compliant revokes everything on it. Apps
//! in use notice at once (R-REV-3: continuous use makes their next request now).

use std::collections::BTreeSet;

use super::Sim;
use crate::engine::lineage::Credential;
use crate::engine::rule::Rule;
use crate::engine::state::{Auth, DeviceNo, UserNo};
use crate::engine::trace::TraceEvent;
use crate::engine::world::Scope;
use crate::time::Instant;

const PASSWORD_CHANGED: &str = "the password changed";

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
    /// R-REV-2, R-PRT-7: a password change revokes what was derived from a password.
    pub(super) fn password_change(&mut self, user: UserNo, now: Instant) {
        let reached: BTreeSet<_> =
            self.world.lineage.derived_from(user, |n| n.credential == Credential::Password).into_iter().collect();
        let cause = Revocation { cause: PASSWORD_CHANGED, rule: Rule::Rev2 };
        self.revoke(Scope::User(user), now, cause, |auth| reached.contains(&auth.node));
        self.ca.remediate_user_risk(user);
    }

    /// R-REV-1, R-REV-2: an admin revoke (or disabling the account) revokes everything.
    pub(super) fn revoke_all(&mut self, user: UserNo, now: Instant, cause: &'static str) {
        self.revoke(Scope::User(user), now, Revocation { cause, rule: Rule::Rev1 }, |_| true);
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
            self.revoke(Scope::Device(device), now, why, |_| true);
        }
    }

    /// Revokes the PRTs, cookies and refresh tokens at the seats in `scope`
    /// that `hit` selects, then re-evaluates ongoing uses there at once (R-REV-3).
    fn revoke(&mut self, scope: Scope, now: Instant, why: Revocation, hit: impl Fn(&Auth) -> bool) {
        let (count, users) = self.world.revoke(scope, hit);
        for u in users {
            self.revocations.last[u.0] = Some((now, why));
        }
        self.trace(now, |_| TraceEvent::Revoked { cause: why.cause, rule: why.rule, count });
        self.reevaluate_uses(Some(scope), now);
    }
}
