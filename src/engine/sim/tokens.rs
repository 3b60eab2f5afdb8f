//! R-TOK-1..5, R-SIF-6: access tokens. A request needs a token when it has
//! none or it expired, when the app takes a fresh one per connection, or when
//! it asks for an authentication context (a step-up). How long a token lives
//! depends on the tenant and the app: the default (in token evaluation mode
//! a random 60–90 minutes drawn from the scenario's seed, R-DET-1), a token
//! lifetime policy (R-TOK-3), a CAE session (R-TOK-4), or the two-hour
//! default of some clients in a tenant without Conditional Access (R-TOK-5).

use super::Sim;
use super::access::Trigger;
use super::ca::Requirements;
use crate::engine::state::Access;
use crate::engine::trace::TraceEvent;
use crate::policy::PolicyState;
use crate::scenario::model::Evaluation;
use crate::time::{HOUR, Instant, MINUTE, Seconds};

/// R-TOK-4: CAE sessions' long-lived tokens, "up to 28 hours" (CAE page); the
/// access-tokens page gives their spread as 20 to 28 hours.
const LONG_LIVED_MIN: Seconds = 20 * HOUR;
const LONG_LIVED_MAX: Seconds = 28 * HOUR;

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

    /// A whole number of seconds in `low..=high`.
    fn between(&mut self, low: Seconds, high: Seconds) -> Seconds {
        low + (self.next() % (high - low + 1) as u64) as Seconds
    }
}

impl Sim<'_> {
    pub(super) fn needs_token(&self, access: Access, now: Instant, trigger: Trigger) -> bool {
        let fresh_each_use = trigger == Trigger::UseStart && self.sc.apps[access.app].fresh_token_each_use; // R-TOK-2
        // R-ET-4: an app asking for an authentication context requests a token
        // carrying it (a step-up), unless its valid token already carries it.
        // Only a use's start can ask for one: continuous use and renewals never look.
        let token = self.world.access_token(access).filter(|t| t.expires > now);
        let step_up = || {
            let wanted = self.auth_context(access);
            wanted.is_some() && token.is_some_and(|t| t.auth_context != wanted)
        };
        fresh_each_use || token.is_none() || (trigger == Trigger::UseStart && step_up())
    }

    /// The authentication context the access asks for now, by number (`c7` → 7).
    fn auth_context(&self, access: Access) -> Option<u8> {
        let context = self.ca.facts(access)?.auth_context.as_deref()?;
        context.strip_prefix('c').and_then(|n| n.parse().ok())
    }

    /// R-TOK-1: a new access token, living as long as R-TOK-1..5 say.
    pub(super) fn issue_token(&mut self, access: Access, now: Instant, req: &Requirements) {
        let lifetime = self.token_lifetime(access, req);
        let auth_context = self.auth_context(access);
        self.world.issue_access_token(access, now + lifetime, auth_context);
        self.out.stats.token_requests += 1;
        self.trace(now, |_| TraceEvent::TokenIssued { access, until: now + lifetime });
    }

    /// The first of these that holds: a sign-in frequency keeps the default
    /// variation, which no policy overrides (R-TOK-3); a CAE session's
    /// long-lived token, which token lifetime policies do not reach (R-TOK-4);
    /// the token lifetime policy (R-TOK-3); the app's default in a tenant
    /// without Conditional Access (R-TOK-5); the default (R-TOK-1, R-SIF-6).
    fn token_lifetime(&mut self, access: Access, req: &Requirements) -> Seconds {
        let app = &self.sc.apps[access.app];
        let sif_applies = req.periodic.is_some() || req.every_time.is_some();
        if !sif_applies {
            if self.sc.settings.long_lived_cae_tokens && app.cae && access.client.is_native() {
                return match self.sc.settings.evaluation {
                    Evaluation::Interaction => LONG_LIVED_MAX,
                    Evaluation::Token => self.rng.between(LONG_LIVED_MIN, LONG_LIVED_MAX),
                };
            }
            if let Some(lifetime) = self.token_lifetime_policy(access) {
                return lifetime;
            }
            if let Some(lifetime) = app.lifetimes.without_ca.filter(|_| self.tenant_without_ca()) {
                return lifetime;
            }
        }
        match self.sc.settings.evaluation {
            Evaluation::Interaction => self.sc.settings.access_token_lifetime,
            Evaluation::Token => self.rng.between(60 * MINUTE, 90 * MINUTE),
        }
    }

    /// R-TOK-3: a policy assigned to the organization is enforced before one
    /// assigned to the app; SharePoint's reaches its native clients only.
    fn token_lifetime_policy(&self, access: Access) -> Option<Seconds> {
        let app = &self.sc.apps[access.app];
        if app.lifetimes.policy_native_only && !access.client.is_native() {
            return None;
        }
        self.sc.settings.token_lifetime_policy.or(app.lifetimes.policy)
    }

    /// R-TOK-5: no Conditional Access policy is enforced in the tenant now.
    fn tenant_without_ca(&self) -> bool {
        (0..self.sc.policies.len()).all(|p| self.ca.state(p) != PolicyState::Enabled)
    }
}
