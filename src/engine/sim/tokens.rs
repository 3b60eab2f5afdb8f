//! R-TOK-1, R-TOK-2, R-SIF-6: access tokens. A request needs a token when it
//! has none or it expired, when the app takes a fresh one per connection, or
//! when it asks for an authentication context (a step-up). In token
//! evaluation mode tokens live a random 60–90 minutes drawn from the
//! scenario's seed (R-DET-1).

use super::Sim;
use super::access::Trigger;
use crate::engine::state::Access;
use crate::engine::trace::TraceEvent;
use crate::scenario::model::Evaluation;
use crate::time::{Instant, MINUTE, Seconds};

/// splitmix64: small, fast and fully determined by the scenario's seed (R-DET-1).
#[derive(Debug)]
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Sim<'_> {
    pub(super) fn needs_token(&self, access: Access, now: Instant, trigger: Trigger) -> bool {
        let fresh_each_use = trigger == Trigger::UseStart && self.sc.apps[access.app].fresh_token_each_use; // R-TOK-2
        // R-ET-4: an app asking for an authentication context requests a token
        // carrying it (a step-up), unless its valid token already carries it.
        let token = self.world.access_token(access).filter(|t| t.expires > now);
        let wanted = self.auth_context(access);
        let step_up =
            trigger == Trigger::UseStart && wanted.is_some() && token.is_some_and(|t| t.auth_context != wanted);
        fresh_each_use || step_up || token.is_none()
    }

    /// The authentication context the access asks for now, by number (`c7` → 7).
    fn auth_context(&self, access: Access) -> Option<u8> {
        let context = self.ca.facts(access)?.auth_context.as_deref()?;
        context.strip_prefix('c').and_then(|n| n.parse().ok())
    }

    /// R-TOK-1, R-SIF-6: a new access token.
    pub(super) fn issue_token(&mut self, access: Access, now: Instant) {
        let lifetime = match self.sc.settings.evaluation {
            Evaluation::Interaction => self.sc.settings.access_token_lifetime,
            Evaluation::Token => 60 * MINUTE + (self.rng.next() % (30 * 60 + 1) as u64) as Seconds,
        };
        let auth_context = self.auth_context(access);
        self.world.issue_access_token(access, now + lifetime, auth_context);
        self.out.stats.token_requests += 1;
        self.trace(now, |_| TraceEvent::TokenIssued { access, until: now + lifetime });
    }
}
