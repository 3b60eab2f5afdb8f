//! R-CAE-1, R-CAE-2: continuous access evaluation. CAE apps (Exchange,
//! SharePoint, Teams, Graph, custom apps with `cae: true`) learn of critical
//! events (revocations) through Entra ID, within `cae_event_latency`; and they
//! enforce Conditional Access location policies themselves, at once: a token
//! presented from a location a policy does not allow is refused with a claim
//! challenge, and the client goes back to Entra ID for a new one.

use super::{Ev, Sim};
use crate::engine::rule::Rule;
use crate::engine::state::{Access, DeviceNo, UserNo};
use crate::engine::trace::TraceEvent;
use crate::policy::GrantOutcome;
use crate::time::Instant;

impl Sim<'_> {
    /// R-CAE-1: whether CAE apps know by `now` of the user's last revocation.
    pub(super) fn cae_noticed(&self, user: UserNo, now: Instant) -> bool {
        let latency = self.sc.settings.cae_event_latency;
        self.revocations.last(user).is_none_or(|(at, _)| now - at >= latency)
    }

    /// R-CAE-2: the device moved (a step's `ip` or `country`). Each running
    /// use of a CAE app there whose location policy its session no longer
    /// meets has its token refused now, and asks Entra ID for another at once.
    pub(super) fn location_changed(&mut self, device: DeviceNo, now: Instant) {
        let cae = |a: &Access| self.sc.apps[a.app].cae;
        for access in self.on_device(&self.uses, device, cae) {
            if !self.location_policy_unmet(access, now) {
                continue;
            }
            let Some(ticket) = self.uses.get(&access).map(|u| u.ticket) else { continue };
            self.world.expire_access_token(access, now);
            self.challenges.insert(access);
            self.trace(now, |_| TraceEvent::ClaimChallenge { access });
            self.queue.schedule(now, Ev::UseTick(access, ticket));
        }
    }

    /// An enforced policy with a location condition applies to the access
    /// from where the device is now, and its grant is not met.
    fn location_policy_unmet(&self, access: Access, now: Instant) -> bool {
        let req = self.requirements(access);
        let has_mfa = self.view(access, now).auth.is_some_and(|a| a.mfa.is_some());
        let facts = self.grant_facts(access, has_mfa);
        req.enforced
            .iter()
            .map(|&p| &self.sc.policies[p])
            .filter(|p| p.locations.is_some())
            .any(|p| p.grant.as_ref().is_some_and(|g| g.evaluate(facts) != GrantOutcome::Satisfied))
    }

    /// R-CAE-2: what a refused token leads to (a block, a step-up) cites the
    /// claim challenge; anything else keeps `rule`.
    pub(super) fn challenge_rule(&self, access: Access, rule: Rule) -> Rule {
        if self.challenges.contains(&access) { Rule::Cae2 } else { rule }
    }
}
