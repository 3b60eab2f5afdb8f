//! R-PROMPT-1..3: prompts. Which reason comes first when several hold, how a
//! prompt is raised (and joins one already waiting, R-DEF-3), and how the
//! user's answer sets a new auth instant where the client keeps it (R-PRT-6).

use super::Sim;
use super::ca::Requirements;
use super::revocation::Revocation;
use super::session::{Status, View};
use crate::domain::*;
use crate::engine::error_code::ErrorCode;
use crate::engine::outcome::{Detail, Prompt, PromptResult, Reason};
use crate::engine::rule::Rule;
use crate::engine::state::Access;
use crate::engine::trace::TraceEvent;
use crate::scenario::model::*;
use crate::time::Instant;

/// A prompt that is due, before it is raised.
#[derive(Debug, Clone)]
pub(super) struct Due {
    pub reason: Reason,
    pub policy: Option<PolicyIdx>,
    pub expired: Option<Instant>,
    pub rule: Rule,
    pub detail: Detail,
}

impl Due {
    fn typed(reason: Reason, rule: Rule, detail: Detail) -> Option<Due> {
        Some(Due { reason, policy: None, expired: None, rule, detail })
    }
}

/// The AADSTS error of the request that a prompt for `reason` answers, if any.
pub(super) fn error_code(reason: Reason, client: Client) -> Option<ErrorCode> {
    match reason {
        Reason::EveryTime => Some(ErrorCode::MfaExpired),
        // R-DEF-3: a refresh token refused by a SIF check.
        // R-SPA-1: a single-page app's requests redeem its refresh token too.
        Reason::SignInFrequency if client.is_native() || client == Client::Spa => {
            Some(ErrorCode::RefreshTokenSignInFrequency)
        }
        Reason::SignInFrequency => Some(ErrorCode::SessionSignInFrequency),
        Reason::Revoked => Some(ErrorCode::GrantRevoked),
        Reason::Inactive => Some(ErrorCode::RefreshTokenInactive),
        Reason::MfaRequired if client.is_native() => Some(ErrorCode::MfaRequiredByPolicyChange),
        Reason::MfaRequired => Some(ErrorCode::StrongAuthRequired),
        // No code documented in REFERENCE.md for these interrupts.
        Reason::NoSession | Reason::BrowserClosed | Reason::TermsOfUse | Reason::PasswordChange => None,
    }
}

impl Sim<'_> {
    /// R-PROMPT-1: the first reason, in precedence order, that the session cannot be used.
    pub(super) fn due(
        &self,
        access: Access,
        now: Instant,
        req: &Requirements,
        view: &View,
        token_request: bool,
    ) -> Option<Due> {
        if view.status != Status::Valid {
            return self.unusable_due(access, now, view.status, token_request);
        }
        let auth = view.auth?;
        if view.deferred_client {
            return None; // R-DEF-2
        }
        if let Some(due) = self.sif_due(access, now, req, view, auth, token_request) {
            return Some(due);
        }
        let policy = req.every_time.filter(|_| token_request)?; // R-ET-2
        self.every_time_due(access, now, policy)
    }

    /// R-PROMPT-1: revoked, browser closed, no session, inactive — in that order.
    fn unusable_due(&self, access: Access, now: Instant, status: Status, token_request: bool) -> Option<Due> {
        let Access { user, device, client, app } = access;
        match status {
            Status::Valid => None,
            // R-REV-3: CAE apps notice a revocation at their next request (once
            // the event has reached them, R-CAE-1), others at their next token request.
            Status::Revoked if (self.sc.apps[app].cae && self.cae_noticed(user, now)) || token_request => {
                let unknown = Revocation { cause: "revocation", rule: Rule::Rev1 };
                let (at, why) = self.revocations.last(user).unwrap_or((now, unknown));
                let detail = Detail::Revoked { at, start: self.sc.clock(), cause: why.cause };
                Due::typed(Reason::Revoked, why.rule, detail)
            }
            Status::Revoked => None,
            Status::Missing { closed_at: Some(at) } if client != Client::Desktop && client != Client::Mobile => {
                Due::typed(Reason::BrowserClosed, Rule::Pb3, Detail::BrowserClosed { at, start: self.sc.clock() })
            }
            Status::Missing { .. } => {
                let dev = &self.sc.devices[device];
                let no_prt_sso =
                    (client == Client::Browser && !dev.browser.supports_prt_sso()).then(|| dev.browser.name());
                let detail = Detail::NoSession { app: self.sc.apps[app].key.clone(), client, no_prt_sso };
                Due::typed(Reason::NoSession, Rule::Tok1, detail)
            }
            Status::Inactive { last_used, window } => {
                // A SPA whose refresh token lapsed signs in through the browser's cookie (R-SPA-2).
                let rule = if self.prt_lapsed_off_windows(access, window) {
                    Rule::Prt8
                } else if matches!(client, Client::Browser | Client::Spa) {
                    Rule::Pb5
                } else {
                    Rule::Sif2
                };
                Due::typed(Reason::Inactive, rule, Detail::Inactive { last_used, start: self.sc.clock(), window })
            }
        }
    }

    /// R-PROMPT-1, R-PROMPT-2: records a prompt and, unless it waits for the
    /// user (R-DEF-3), has the user respond at once. Returns whether the user
    /// now has access (false when they failed or abandoned the sign-in).
    pub(super) fn raise_prompt(
        &mut self,
        access: Access,
        now: Instant,
        due: Due,
        req: &Requirements,
        background: bool,
        on_prompt: OnPrompt,
    ) -> bool {
        let due = Due { rule: super::downstream::rule_for(req, due.policy, due.rule), ..due };
        let due = Due { rule: self.challenge_rule(access, due.rule), ..due };
        if !background && self.outages.at(now).is_some() {
            return self.prompt_unavailable(access, now, due); // R-RES-2
        }
        // R-RMFA-1: a browser that remembers MFA is not asked for it again, except for an MFA prompt.
        let remembered = self.remembered_mfa_for(access, now, req).is_some();
        let with_mfa = due.reason == Reason::MfaRequired
            || (!remembered && req.enforced.iter().any(|&p| self.sc.policies[p].requires_mfa()));
        let error_code = error_code(due.reason, access.client);
        // R-DEF-3: a background prompt waits for the user; one sign-in through WAM
        // answers every prompt waiting on the device, so a new one joins an open one.
        let waits = background && self.waits_for_user(access);
        let open = self.pending.open_at(access.seat()).filter(|_| waits);
        let index = open.unwrap_or(self.out.prompts.len());
        if let Some(code) = error_code {
            self.record_refusal(access, now, &due, code, background, Some(index));
        }
        if let Some(open) = open {
            self.pending.wait(access, open, with_mfa);
            self.trace(now, |s| TraceEvent::JoinsPrompt { raised: s.out.prompts[open].at });
            return false;
        }
        self.trace(now, |_| TraceEvent::Prompt {
            access,
            reason: due.reason,
            detail: due.detail.clone(),
            rule: due.rule,
        });
        self.push_prompt(access, now, due, error_code);
        if waits {
            self.pending.wait(access, index, with_mfa);
            self.trace(now, |_| TraceEvent::PromptWaits);
            self.out.prompts[index].answered_at = None;
            self.out.prompts[index].result = PromptResult::Unanswered;
            return false;
        }
        self.respond(access, now, index, with_mfa, req, on_prompt)
    }

    /// Adds a prompt to the outcome, answered at once until said otherwise.
    pub(super) fn push_prompt(&mut self, access: Access, now: Instant, due: Due, error_code: Option<ErrorCode>) {
        self.out.prompts.push(Prompt {
            at: now,
            access,
            kind: due.reason.kind(),
            reason: due.reason,
            policy: due.policy,
            rule: due.rule,
            expired_auth_instant: due.expired,
            answered_at: Some(now),
            result: PromptResult::Answered,
            error_code,
            stay_signed_in: None,
            answer: None,
            detail: due.detail,
        });
    }

    /// R-PROMPT-2: the user answers prompt `index`, or fails or abandons it as
    /// the scenario says. Returns whether the user now has access.
    fn respond(
        &mut self,
        access: Access,
        now: Instant,
        index: usize,
        with_mfa: bool,
        req: &Requirements,
        on_prompt: OnPrompt,
    ) -> bool {
        match on_prompt {
            OnPrompt::Answer => {
                let reason = self.out.prompts[index].reason;
                let kmsi = self.answer(access, now, reason, with_mfa, req);
                self.out.prompts[index].stay_signed_in = kmsi;
                self.record_answer(access, now, index, with_mfa);
                true
            }
            OnPrompt::Fail | OnPrompt::Abandon => {
                let prompt = &mut self.out.prompts[index];
                prompt.answered_at = None;
                prompt.result =
                    if on_prompt == OnPrompt::Fail { PromptResult::Failed } else { PromptResult::Abandoned };
                if on_prompt == OnPrompt::Fail {
                    prompt.error_code = Some(ErrorCode::InvalidCredentials);
                    self.record_failed_answer(access, now, index);
                }
                self.trace(now, |_| TraceEvent::SignInNotCompleted(on_prompt));
                false
            }
        }
    }

    /// R-PROMPT-2: the user answers; the answer sets a new auth instant where the
    /// client keeps it (R-PRT-6). Returns the "Stay signed in?" answer if shown.
    pub(super) fn answer(
        &mut self,
        access: Access,
        now: Instant,
        reason: Reason,
        with_mfa: bool,
        req: &Requirements,
    ) -> Option<bool> {
        let seat = access.seat();
        if reason == Reason::TermsOfUse {
            // Accepting terms presents no credential: the session stays as it is.
            let terms: Vec<String> = self.policy_terms(req).into_iter().map(str::to_string).collect();
            self.ca.accept_terms(seat.user, terms);
            return None;
        }
        self.full_auths.record(seat, now); // R-ET-1
        if reason == Reason::PasswordChange {
            // The change revokes what rested on the old password (R-REV-2) and remediates user risk.
            self.revoke_row(seat.user, RevocationEvent::PasswordChange, now);
        }
        let with_mfa = with_mfa || reason == Reason::PasswordChange;
        match access.client {
            Client::Desktop | Client::Mobile => {
                self.answer_in_app(access, now, reason, with_mfa);
                None
            }
            Client::Browser | Client::Confidential | Client::Spa => {
                let kmsi = self.answer_in_browser(access, now, reason, with_mfa, req);
                let auth = self.world.cookie(seat).map(|c| c.auth);
                match (access.client, auth) {
                    (Client::Confidential, Some(auth)) => self.install_confidential_token(access, auth, now),
                    (Client::Spa, Some(auth)) => self.install_spa_token(access, auth, now),
                    _ => {}
                }
                kmsi
            }
        }
    }
}
