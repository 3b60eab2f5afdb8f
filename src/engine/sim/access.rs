//! One evaluation of a request, in the order docs/model.md ("How one access
//! is evaluated") gives: waiting prompts, a disabled account (R-REV-1), the
//! applicable policies (R-CA-1), the session presented and what is due
//! (R-PROMPT-1), grant controls at token requests (R-CA-2), report-only
//! policies (R-CA-1) and persistent cookies (R-PB-4), then the token (R-TOK-1).

use super::Sim;
use super::ca::Requirements;
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
        let flow = self.request(access, now, trigger, on_prompt);
        self.deferrals.clear_note();
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
        let req = self.requirements(access);
        let mut token_request = trigger == Trigger::Background || self.needs_token(access, now, trigger);
        let view = self.view(access, now);
        let prompts_before = self.out.prompts.len();
        if let Some(due) = self.due(access, now, &req, &view, token_request) {
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
        self.note_persistent_override(access, now, &req);
        if token_request {
            self.issue_token(access, now);
            if self.out.prompts.len() == prompts_before {
                self.record_silent_token(access, now, &req);
            }
        }
        self.touch(access, now);
        self.remember_browser_sif(access, &req);
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
                    self.block(access, now, policy, code, Rule::Ca2, detail);
                }
                Flow::Stop
            }
            need @ (GrantOutcome::NeedsMfa | GrantOutcome::NeedsTerms | GrantOutcome::NeedsPasswordChange) => {
                let due = self.grant_due(req, need);
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
