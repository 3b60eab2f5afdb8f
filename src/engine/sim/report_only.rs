//! R-CA-1, R-CA-3: report-only policies change nothing; what they would have
//! done is reported as a finding, once per (policy, access, reason) and auth
//! instant, and as their result on each sign-in record.

use super::Sim;
use super::ca::Requirements;
use crate::domain::*;
use crate::engine::by_user::ByUser;
use crate::engine::error_code::ErrorCode;
use crate::engine::outcome::{Detail, Need, Reason, ReportOnlyFinding};
use crate::engine::state::{Access, Auth};
use crate::engine::trace::TraceEvent;
use crate::policy::{GrantOutcome, Policy, Sif};
use crate::scenario::model::*;
use crate::time::Instant;

/// The instant each report-only finding was last reported for; one entry per
/// (access, policy, reason) so memory follows live state, not history.
#[derive(Debug, Default)]
pub(super) struct ReportOnly(ByUser<(Access, PolicyIdx, Option<Reason>), Instant>);

/// What a report-only policy would have done.
struct WouldDo {
    reason: Option<Reason>,
    result: &'static str,
    /// The auth instant (or request instant) it is about: reported once per instant.
    instant: Instant,
    detail: Detail,
}

impl WouldDo {
    fn interrupt(reason: Reason, instant: Instant, detail: Detail) -> Option<WouldDo> {
        Some(WouldDo { reason: Some(reason), result: "reportOnlyInterrupted", instant, detail })
    }
}

impl Sim<'_> {
    /// R-CA-1: report-only policies change nothing; what they would have done is reported.
    pub(super) fn report_only(&mut self, access: Access, now: Instant, req: &Requirements, token_request: bool) {
        if req.report_only.is_empty() {
            return;
        }
        let Some(auth) = self.view(access, now).auth else { return };
        for &p in req.report_only.iter() {
            let policy = &self.sc.policies[p];
            let would = self
                .would_reauthenticate(access, now, policy, auth, token_request)
                .or_else(|| if token_request { self.would_grant(access, policy, auth) } else { None });
            if let Some(w) = would
                && self.report_only.0.insert((access, p, w.reason), w.instant) != Some(w.instant)
            {
                self.push_finding(access, now, p, w.result, w.reason, w.detail);
            }
        }
    }

    /// R-SIF-1, R-ET-1 as the policy's session control would apply them.
    fn would_reauthenticate(
        &self,
        access: Access,
        now: Instant,
        policy: &Policy,
        auth: Auth,
        token_request: bool,
    ) -> Option<WouldDo> {
        let evaluated = self.sc.settings.evaluation == Evaluation::Interaction || token_request;
        match policy.sif {
            Some(Sif::Periodic(s)) if evaluated && now - auth.auth >= s => WouldDo::interrupt(
                Reason::SignInFrequency,
                auth.auth,
                Detail::WouldReauthenticate { sif: s, last: auth.auth, start: self.sc.clock() },
            ),
            Some(Sif::EveryTime) if token_request && self.every_time_due_at(access, now) => {
                WouldDo::interrupt(Reason::EveryTime, now, Detail::WouldReauthenticateEveryTime)
            }
            _ => None,
        }
    }

    /// R-CA-2 as the policy's grant would apply it.
    fn would_grant(&self, access: Access, policy: &Policy, auth: Auth) -> Option<WouldDo> {
        let mut facts = self.grant_facts(access, auth.mfa.is_some());
        let terms = policy.grant.as_ref().map(|g| g.terms()).unwrap_or_default();
        facts.terms_accepted = terms.iter().all(|t| self.ca.has_accepted(access.user, t));
        let (reason, need) = match policy.grant.as_ref().map(|g| g.evaluate(facts)) {
            Some(GrantOutcome::NeedsMfa) => (Reason::MfaRequired, Need::Mfa),
            Some(GrantOutcome::NeedsTerms) => (Reason::TermsOfUse, Need::TermsOfUse),
            Some(GrantOutcome::NeedsPasswordChange) => (Reason::PasswordChange, Need::PasswordChange),
            Some(GrantOutcome::Blocked(code)) => {
                let detail = Detail::WouldBlock(ErrorCode::of_grant(code));
                return Some(WouldDo { reason: None, result: "reportOnlyFailure", instant: auth.auth, detail });
            }
            _ => return None,
        };
        WouldDo::interrupt(reason, auth.auth, Detail::WouldNeed(need))
    }

    fn push_finding(
        &mut self,
        access: Access,
        now: Instant,
        policy: PolicyIdx,
        result: &'static str,
        reason: Option<Reason>,
        detail: Detail,
    ) {
        self.trace(now, |_| TraceEvent::ReportOnly { policy, detail: detail.clone() });
        self.out.report_only.push(ReportOnlyFinding { at: now, access, policy, result, reason, detail });
    }

    /// R-CA-3: what a report-only policy would have done to this sign-in, as its record says.
    pub(super) fn report_only_result(&self, policy: PolicyIdx, access: Access, now: Instant) -> &'static str {
        let p = &self.sc.policies[policy];
        let view = self.view(access, now);
        let Some(auth) = view.auth else { return "reportOnlyInterrupted" };
        let interrupted = match p.sif {
            Some(Sif::Periodic(s)) => now - auth.auth >= s,
            Some(Sif::EveryTime) => self.every_time_due_at(access, now),
            None => false,
        };
        let facts = self.grant_facts(access, auth.mfa.is_some());
        match p.grant.as_ref().map(|g| g.evaluate(facts)) {
            Some(GrantOutcome::Blocked(_)) => "reportOnlyFailure",
            Some(GrantOutcome::NeedsMfa | GrantOutcome::NeedsTerms | GrantOutcome::NeedsPasswordChange) => {
                "reportOnlyInterrupted"
            }
            _ if interrupted => "reportOnlyInterrupted",
            _ => "reportOnlySuccess",
        }
    }
}
