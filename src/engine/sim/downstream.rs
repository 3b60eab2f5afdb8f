//! R-DOWN-1: an app that asks Entra ID for tokens to other resources when the
//! user signs in to it (an early-bound service dependency: Teams asks for
//! Exchange's and SharePoint's) holds the user to those resources' policies
//! too. Their conditions are matched as a request for the downstream resource
//! from the same user, device and client; what they ask is raised in the app
//! the user was in, under the downstream resource's policy.

use super::Sim;
use super::ca::Requirements;
use crate::domain::PolicyIdx;
use crate::engine::rule::Rule;
use crate::engine::state::Access;
use crate::policy::SignInContext;

impl Sim<'_> {
    /// The sign-in the app's downstream token requests present: the same
    /// user, device, client and facts, for each downstream resource.
    pub(super) fn downstream_contexts(&self, access: Access) -> Vec<SignInContext<'_>> {
        let app = &self.sc.apps[access.app];
        app.downstream
            .iter()
            .map(|&resource| {
                let mut cx = self.context(access);
                cx.app = resource;
                cx.app_info = &self.sc.apps[resource];
                cx
            })
            .collect()
    }
}

/// The rule behind what `policy` asks: R-DOWN-1 when the policy reaches the
/// access only through a downstream resource, else `rule`.
pub(super) fn rule_for(req: &Requirements, policy: Option<PolicyIdx>, rule: Rule) -> Rule {
    match policy {
        Some(p) if req.downstream.contains(&p) => Rule::Down1,
        _ => rule,
    }
}
