//! R-RES-1, R-RES-2: an outage of Entra ID's primary authentication service.
//! The Backup Authentication Service then issues tokens for existing
//! sessions: one whose sign-in frequency or every time falls due is extended,
//! unless a policy in scope disables resilience defaults, which blocks its
//! sign-ins instead. It supports no new sessions and no guests, so nothing
//! that needs the user to sign in can be answered until the outage ends.

use super::Sim;
use super::access::{Flow, Trigger};
use super::ca::Requirements;
use super::prompts::{Due, error_code};
use super::session::{Status, View};
use crate::domain::{PolicyIdx, UserType};
use crate::engine::error_code::ErrorCode;
use crate::engine::outcome::{Detail, PromptResult, Reason};
use crate::engine::rule::Rule;
use crate::engine::state::Access;
use crate::engine::trace::TraceEvent;
use crate::time::Instant;

/// When the outage under way ends, if one is.
#[derive(Debug, Default)]
pub(super) struct Outages {
    until: Option<Instant>,
}

impl Outages {
    /// An `outage` step: overlapping outages make one that ends with the later.
    pub(super) fn start(&mut self, now: Instant, until: Instant) {
        let running = self.until.filter(|&u| u > now);
        self.until = Some(running.map_or(until, |u| u.max(until)));
    }

    /// The end of the outage under way at `now`.
    pub(super) fn at(&self, now: Instant) -> Option<Instant> {
        self.until.filter(|&u| now < u)
    }
}

impl Sim<'_> {
    /// R-RES-1: the first enforced policy of the request that disables resilience defaults.
    fn without_resilience(&self, req: &Requirements) -> Option<PolicyIdx> {
        req.enforced.iter().copied().find(|&p| self.sc.policies[p].session.disable_resilience_defaults)
    }

    /// R-RES-1: during an outage, a token request in scope of a policy that
    /// disables resilience defaults is blocked (background work stops).
    pub(super) fn outage_block(
        &mut self,
        access: Access,
        now: Instant,
        req: &Requirements,
        trigger: Trigger,
        token_request: bool,
    ) -> Option<Flow> {
        self.outages.at(now).filter(|_| token_request)?;
        let policy = self.without_resilience(req)?;
        if trigger != Trigger::Background {
            self.block(
                access,
                now,
                Some(policy),
                ErrorCode::BlockedByConditionalAccess,
                Rule::Res1,
                Detail::OutageBlocks,
            );
        }
        Some(Flow::Stop)
    }

    /// R-RES-1: whether the Backup Authentication Service extends the session
    /// that `due` would end: during an outage, for a member's valid session
    /// whose sign-in frequency or every time fell due. Reported once per auth instant.
    pub(super) fn extended_in_outage(
        &mut self,
        access: Access,
        now: Instant,
        req: &Requirements,
        view: &View,
        due: &Due,
    ) -> bool {
        let Some(until) = self.outages.at(now) else { return false };
        let member = self.sc.users[access.user].user_type == UserType::Member;
        let periodic = matches!(due.reason, Reason::SignInFrequency | Reason::EveryTime);
        let Some(auth) = view.auth.filter(|_| view.status == Status::Valid && member && periodic) else {
            return false;
        };
        if self.without_resilience(req).is_some() {
            return false;
        }
        let sif = req.periodic.filter(|_| due.reason == Reason::SignInFrequency).map(|p| p.sif);
        let detail = Detail::ExtendedInOutage { sif, last: auth.auth, until, start: self.sc.clock() };
        let note = format!("Session extended by the Backup Authentication Service (R-RES-1): {detail}");
        if self.deferrals.defer(access, auth.auth, Rule::Res1, note) {
            self.push_deferral(access, now, due.policy, Rule::Res1, detail);
        }
        true
    }

    /// R-RES-2: a prompt raised during an outage cannot be answered: it is
    /// reported `unavailable`, with its refused request, and the use ends.
    pub(super) fn prompt_unavailable(&mut self, access: Access, now: Instant, due: Due) -> bool {
        let until = self.outages.at(now).unwrap_or(now);
        let code = error_code(due.reason, access.client);
        let index = self.out.prompts.len();
        let due = Due { rule: Rule::Res2, ..due };
        if let Some(code) = code {
            self.record_refusal(access, now, &due, code, false, Some(index));
        }
        let detail = Detail::OutageNoSignIn { until, start: self.sc.clock() };
        self.trace(now, |_| TraceEvent::Prompt { access, reason: due.reason, detail, rule: Rule::Res2 });
        self.push_prompt(access, now, due, code);
        let prompt = &mut self.out.prompts[index];
        prompt.answered_at = None;
        prompt.result = PromptResult::Unavailable;
        false
    }
}
