//! One evaluation of a request, in the order docs/model.md ("How one access
//! is evaluated") gives: waiting prompts, a disabled account (R-REV-1), the
//! applicable policies (R-CA-1), the session presented and what is due
//! (R-PROMPT-1), grant controls at token requests (R-CA-2), report-only
//! policies (R-CA-1) and persistent cookies (R-PB-4), then the token (R-TOK-1).

use super::Sim;
use super::ca::Requirements;
use super::downstream;
use crate::engine::error_code::ErrorCode;
use crate::engine::outcome::Detail;
use crate::engine::rule::Rule;
use crate::engine::state::Access;
use crate::policy::GrantOutcome;
use crate::scenario::model::OnPrompt;
use crate::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trigger {
    /// A `use` step: the user starts interacting.
    UseStart,
    /// Continuous use reaching an instant where something may be due (R-SIF-5).
    Tick,
    /// A background token renewal on the user's behalf.
    Background,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Continue,
    /// The access was refused: the use or background activity ends.
    Stop,
    /// R-DEF-3: a background refresh waits for the user to answer a prompt.
    Pause,
}

impl Sim<'_> {
    /// One evaluation of a request for `access` (R-SIF-5, R-ET-2, R-CA-2).
    pub(super) fn interact(&mut self, access: Access, now: Instant, trigger: Trigger, on_prompt: OnPrompt) -> Flow {
        // A deferral note belongs to this request's record only (R-DEF-1,
        // R-LOG-1): a request that stops early (a block) must not leave it
        // for the next record of another access.
        self.deferrals.clear_note();
        self.kept_requirements = None;
        let flow = self.request(access, now, trigger, on_prompt);
        self.deferrals.clear_note();
        if !self.challenges.is_empty() {
            self.challenges.remove(&access); // R-CAE-2: the challenge was this request's
        }
        flow
    }

    fn request(&mut self, access: Access, now: Instant, trigger: Trigger, on_prompt: OnPrompt) -> Flow {
        if trigger != Trigger::Background {
            // The user is at the device: prompts waiting there are answered first (R-DEF-3).
            self.answer_pending(access.seat(), now);
        }
        if self.revocations.is_disabled(access.user) {
            if trigger != Trigger::Background {
                self.block(access, now, None, ErrorCode::UserDisabled, Rule::Rev1, Detail::AccountDisabled);
            }
            return Flow::Stop;
        }
        if trigger == Trigger::Tick {
            // R-WEB-3: continuous use sends requests all along, so a sliding session cannot lapse during it.
            self.slide_web_session(access, now);
        }
        let req = self.requirements(access);
        let mut token_request = trigger == Trigger::Background || self.needs_token(access, now, trigger);
        if let Some(flow) = self.outage_block(access, now, &req, trigger, token_request) {
            return flow; // R-RES-1
        }
        if token_request && let Some(flow) = self.spa_lapse(access, now, trigger) {
            return flow;
        }
        let view = self.view(access, now);
        let prompts_before = self.out.prompts.len();
        let mut due = self.due(access, now, &req, &view, token_request);
        if due.as_ref().is_some_and(|d| self.extended_in_outage(access, now, &req, &view, d)) {
            due = None; // R-RES-1
        }
        if let Some(due) = due {
            if trigger == Trigger::Background {
                match self.background_due(access, now, due, &req) {
                    Flow::Continue => {}
                    other => return other,
                }
            } else if !self.raise_prompt(access, now, due, &req, false, on_prompt) {
                return Flow::Stop;
            }
            // R-PROMPT-5: an answered prompt is a sign-in that issues a token,
            // in the middle of the old token's life too.
            token_request = true;
        }
        if view.deferred_client {
            self.note_confidential_deferral(access, now, &req, &view);
        }
        // Conditional Access grants are checked when a token is issued, not while one is valid.
        if token_request {
            match self.apply_grants(access, now, &req, trigger, on_prompt) {
                Flow::Continue => {}
                other => return other,
            }
        }
        self.report_only(access, now, &req, token_request);
        if !token_request {
            self.note_persistent_override(access, now, &req);
        }
        if token_request {
            self.issue_token(access, now, &req);
            if self.out.prompts.len() == prompts_before {
                self.record_silent_token(access, now, &req);
            }
        }
        self.touch(access, now);
        if trigger == Trigger::UseStart {
            self.slide_web_session(access, now); // R-WEB-3
        }
        // After `touch`: the cookie's idle window is read as a persistent one
        // for this request, which the cookie still was when presented.
        if token_request && !view.deferred_client {
            self.end_persistence_at_round_trip(access, now, &req);
        }
        self.remember_browser_sif(access, &req);
        // The next tick of a use is scheduled from them (`Sim::tick_requirements`).
        self.kept_requirements = Some((access, self.ca.changes(), req));
        Flow::Continue
    }

    /// R-CA-2, R-PROMPT-3: a block ends the access; a control the user can
    /// satisfy raises a prompt (in background work only where it can wait, R-DEF-3).
    fn apply_grants(
        &mut self,
        access: Access,
        now: Instant,
        req: &Requirements,
        trigger: Trigger,
        on_prompt: OnPrompt,
    ) -> Flow {
        match self.check_grants(access, now, req) {
            GrantOutcome::Satisfied => Flow::Continue,
            GrantOutcome::Blocked(code) => {
                if trigger != Trigger::Background {
                    let code = ErrorCode::of_grant(code);
                    let policy = self.blocking_policy(access, req, code);
                    let detail = self.block_detail(access, policy);
                    let rule = self.challenge_rule(access, downstream::rule_for(req, policy, Rule::Ca2));
                    self.block(access, now, policy, code, rule, detail);
                }
                Flow::Stop
            }
            need @ (GrantOutcome::NeedsMfa | GrantOutcome::NeedsTerms | GrantOutcome::NeedsPasswordChange) => {
                let due = self.grant_due(req, need);
                let due = self.remember_mfa_due(access, now, req, due);
                match trigger {
                    Trigger::Background if access.client.is_native() => {
                        if self.raise_prompt(access, now, due, req, true, OnPrompt::Answer) {
                            Flow::Continue
                        } else {
                            Flow::Pause
                        }
                    }
                    Trigger::Background => Flow::Stop,
                    _ if self.raise_prompt(access, now, due, req, false, on_prompt) => Flow::Continue,
                    _ => Flow::Stop,
                }
            }
        }
    }
}
