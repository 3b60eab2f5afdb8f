//! R-DEF-1..3: deferred enforcement. A browser's background work meeting an
//! expired session is let through until the next interaction (R-DEF-1); a
//! confidential client's refreshes enforce nothing until its next interactive
//! sign-in (R-DEF-2); a native client's background refresh raises a prompt
//! that waits for the user's next interaction with the device (R-DEF-3).

use super::Sim;
use super::access::Flow;
use super::ca::Requirements;
use super::prompts::{Due, error_code};
use super::session::View;
use crate::domain::*;
use crate::engine::by_user::ByUser;
use crate::engine::error_code::ErrorCode;
use crate::engine::outcome::{Detail, Notice, PromptResult, Reason};
use crate::engine::rule::Rule;
use crate::engine::slots::{PerAccess, Slots};
use crate::engine::state::{Access, Auth, RefreshToken, Seat};
use crate::engine::trace::TraceEvent;
use crate::scenario::model::*;
use crate::time::Instant;

/// R-DEF-1, R-DEF-2: deferred enforcement per access.
#[derive(Debug)]
pub(super) struct Deferrals {
    /// The auth instant whose enforcement was deferred, and the rule that deferred it.
    by_access: PerAccess<(Instant, Rule)>,
    /// Why this request's silent token's enforcement was deferred, for its
    /// record (R-LOG-1); `interact` clears it before and after each request.
    note: Option<(String, Rule)>,
}

impl Deferrals {
    pub(super) fn new(slots: &Slots) -> Deferrals {
        Deferrals { by_access: PerAccess::new(slots), note: None }
    }

    /// The rule that deferred enforcement on `auth` for this access, if any.
    pub(super) fn rule_for(&self, access: Access, auth: Instant) -> Option<Rule> {
        self.by_access.get(&access).filter(|(t, _)| *t == auth).map(|(_, rule)| *rule)
    }

    /// Notes a deferral; true when it is new for this auth instant, so it is reported once.
    pub(super) fn defer(&mut self, access: Access, auth: Instant, rule: Rule, note: String) -> bool {
        self.note = Some((note, rule));
        self.by_access.insert(access, (auth, rule)) != Some((auth, rule))
    }

    /// The deferral note of the current request, taken by its record.
    pub(super) fn take_note(&mut self) -> Option<(String, Rule)> {
        self.note.take()
    }

    /// The request is over: its note, if nobody recorded it, is dropped.
    pub(super) fn clear_note(&mut self) {
        self.note = None;
    }
}

/// A prompt raised by a native client's background refresh, not yet answered (R-DEF-3).
#[derive(Debug, Clone, Copy)]
struct Pending {
    access: Access,
    prompt: usize,
    mfa: bool,
}

/// R-DEF-3: prompts waiting for the user, by seat, each seat's in the order
/// they were raised. Keyed by seat so that an interaction touches its own
/// (issue 11: the list of every user's waiting prompts was scanned at each).
#[derive(Debug, Default)]
pub(super) struct PendingPrompts(ByUser<Seat, Vec<Pending>>);

impl PendingPrompts {
    /// The prompt already waiting at `seat`: one sign-in through WAM answers
    /// every prompt waiting on the device, so a new one joins it.
    pub(super) fn open_at(&self, seat: Seat) -> Option<usize> {
        self.0.get(&seat).and_then(|waiting| waiting.first()).map(|p| p.prompt)
    }

    pub(super) fn wait(&mut self, access: Access, prompt: usize, mfa: bool) {
        self.0.get_or_insert_with(access.seat(), Vec::new).0.push(Pending { access, prompt, mfa });
    }

    /// Takes the prompts waiting at `seat`, in the order they were raised.
    fn take_at(&mut self, seat: Seat) -> Vec<Pending> {
        self.0.remove(&seat).unwrap_or_default()
    }
}

impl Sim<'_> {
    /// What happens when a background refresh meets a due prompt.
    pub(super) fn background_due(&mut self, access: Access, now: Instant, due: Due, req: &Requirements) -> Flow {
        let client = access.client;
        let sif_like = matches!(due.reason, Reason::SignInFrequency | Reason::EveryTime);
        if client == Client::Browser && sif_like {
            // R-DEF-1: enforcement on a browser's background work waits for the next interaction.
            let auth = self.view(access, now).auth.map(|a| a.auth).unwrap_or(now);
            let detail = Detail::DeferredToInteraction(Box::new(due.detail));
            let note = format!("Sign-in frequency enforcement deferred (R-DEF-1): {detail}");
            if self.deferrals.defer(access, auth, Rule::Def1, note) {
                self.push_deferral(access, now, due.policy, Rule::Def1, detail);
            }
            return Flow::Continue;
        }
        if client.is_native() {
            // R-DEF-3: the refresh fails with 70043 and the prompt waits for the user.
            let due = Due { rule: if sif_like { Rule::Def3 } else { due.rule }, ..due };
            let answered = self.raise_prompt(access, now, due, req, true, OnPrompt::Answer);
            return if answered { Flow::Continue } else { Flow::Pause };
        }
        // R-SPA-3: a single-page app's refresh is refused, not deferred, and
        // it has no page to prompt on until the user comes back to it.
        let due = if client == Client::Spa && sif_like { Due { rule: Rule::Spa3, ..due } } else { due };
        // A browser or web app without a usable session cannot refresh in the background.
        self.record_refusal(
            access,
            now,
            &due,
            error_code(due.reason, client).unwrap_or(ErrorCode::NoUserSignedIn),
            true,
            None,
        );
        Flow::Stop
    }

    /// R-DEF-2: a confidential client's refreshes enforce neither SIF nor every time.
    pub(super) fn note_confidential_deferral(&mut self, access: Access, now: Instant, req: &Requirements, view: &View) {
        let Some(auth) = view.auth else { return };
        let (sif, policy) = match (req.periodic, req.every_time) {
            (Some(p), _) if now - auth.auth >= p.sif => (Some(p.sif), p.policy),
            (_, Some(policy)) => (None, policy),
            _ => return,
        };
        let detail = Detail::DeferredConfidential { sif, last: auth.auth, start: self.sc.clock() };
        let note = format!("Sign-in frequency enforcement deferred (R-DEF-2): {detail}");
        if self.deferrals.defer(access, auth.auth, Rule::Def2, note) {
            self.push_deferral(access, now, Some(policy), Rule::Def2, detail);
        }
    }

    /// A deferral or finding about `access` (R-DEF-*, R-PB-4), named as outputs name it.
    pub(super) fn notice(
        &self,
        access: Access,
        now: Instant,
        policy: Option<PolicyIdx>,
        rule: Rule,
        detail: Detail,
    ) -> Notice {
        Notice { at: now, access, policy, rule, detail }
    }

    pub(super) fn push_deferral(
        &mut self,
        access: Access,
        now: Instant,
        policy: Option<PolicyIdx>,
        rule: Rule,
        detail: Detail,
    ) {
        self.trace(now, |_| TraceEvent::Deferred { rule, detail: detail.clone() });
        let notice = self.notice(access, now, policy, rule, detail);
        self.out.deferred.push(notice);
    }

    /// R-DEF-3: a background prompt is answered at once only when the user is at the device.
    pub(super) fn waits_for_user(&self, access: Access) -> bool {
        !self.present(access.seat()) && self.backgrounds.contains_key(&access) && !self.uses.contains_key(&access)
    }

    /// R-DEF-3, R-DEF-4: the user is back at the device. A prompt that waited
    /// for them is withdrawn when every request that joined it would now
    /// succeed silently (their unlock or device sign-in refreshed the PRT:
    /// a sign-in, R-PRT-1); otherwise they answer it now.
    pub(super) fn answer_pending(&mut self, seat: Seat, now: Instant) {
        let waiting = self.pending.take_at(seat);
        let mut rest = waiting.as_slice();
        while let Some(first) = rest.first() {
            let joined = rest.iter().take_while(|p| p.prompt == first.prompt).count();
            let (group, after) = rest.split_at(joined);
            rest = after;
            if group.iter().all(|p| self.satisfied_silently(p.access, now)) {
                self.withdraw(group, now);
            } else {
                group.iter().for_each(|&p| self.answer_waiting(p, now));
            }
        }
    }

    /// R-DEF-4: a token request for `access` now would raise no prompt and meet its grants.
    fn satisfied_silently(&self, access: Access, now: Instant) -> bool {
        let req = self.requirements(access);
        let view = self.view(access, now);
        self.due(access, now, &req, &view, true).is_none()
            && matches!(self.check_grants(access, now, &req), crate::policy::GrantOutcome::Satisfied)
    }

    /// R-DEF-4: the prompt is no prompt; its refusal records stay in the logs
    /// and the background work resumes with a silent token request.
    fn withdraw(&mut self, group: &[Pending], now: Instant) {
        let index = group[0].prompt;
        let (raised, policy, access) = {
            let p = &mut self.out.prompts[index];
            p.result = PromptResult::Withdrawn;
            p.answered_at = None;
            (p.at, p.policy, p.access)
        };
        let prt_refreshed = self.world.prt(access.seat()).is_some_and(|p| p.last_refresh == now);
        let detail = Detail::PromptWithdrawn { raised, start: self.sc.clock(), prt_refreshed };
        self.push_deferral(access, now, policy, Rule::Def4, detail);
        for p in group {
            self.resume_background(p.access, now);
        }
    }

    /// R-DEF-3: the user answers a prompt that waited for them.
    fn answer_waiting(&mut self, p: Pending, now: Instant) {
        self.out.prompts[p.prompt].answered_at = Some(now);
        self.out.prompts[p.prompt].result = PromptResult::Answered;
        let reason = self.out.prompts[p.prompt].reason;
        self.trace(now, |s| TraceEvent::PromptAnswered { raised: s.out.prompts[p.prompt].at });
        let none = self.no_requirements();
        self.answer(p.access, now, reason, p.mfa, &none);
        self.record_answer(p.access, now, p.prompt, p.mfa);
        self.resume_background(p.access, now);
    }

    /// R-DEF-2: a confidential client holds a refresh token on the browser
    /// sign-in that established its web session.
    pub(super) fn install_confidential_token(&mut self, access: Access, auth: Auth, now: Instant) {
        let rt = RefreshToken::issued(auth, now, self.devices[access.device].ip, None);
        self.world.install_shared_refresh_token(access, rt);
    }

    /// R-DEF-2: the confidential client's web session was re-established
    /// through the browser, so it gets a refresh token from the cookie.
    pub(super) fn reopen_web_session(&mut self, access: Access, now: Instant) {
        let Some(cookie_auth) = self.world.cookie(access.seat()).map(|c| c.auth) else { return };
        let reissue = self
            .world
            .refresh_token(access)
            .is_none_or(|rt| rt.needs_interactive || rt.revoked || self.web_session_over(rt, now));
        if reissue {
            self.install_confidential_token(access, cookie_auth, now);
        }
    }
}
