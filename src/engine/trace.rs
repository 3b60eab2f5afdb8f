//! What `casim run --trace` shows, as data: every event the engine met, with
//! the indices of what it acted on. `report::trace` writes the sentences, so
//! the engine builds no words, and none at all unless `Options::trace` asks.

use super::error_code::ErrorCode;
use super::lineage::Credential;
use super::outcome::{Detail, Reason};
use super::rule::Rule;
use super::state::Access;
use crate::domain::{AppIdx, PolicyIdx};
use crate::scenario::model::OnPrompt;
use crate::time::{Instant, Seconds};

/// One traced event and the instant the engine met it.
#[derive(Debug, Clone, PartialEq)]
pub struct Traced {
    pub at: Instant,
    pub event: TraceEvent,
}

/// What the engine did. Indices point into the scenario that was simulated
/// (in a population, the user's own: `engine::simulate_each` hands it over).
#[derive(Debug, Clone, PartialEq)]
pub enum TraceEvent {
    /// The timeline step at this index of the scenario's `steps` runs.
    Step(usize),
    /// R-TOK-1, R-SIF-6: an access token, valid until `until`.
    TokenIssued { access: Access, until: Instant },
    /// R-CAE-2: a CAE resource refused the access's token after the device moved.
    ClaimChallenge { access: Access },
    /// R-PRT-1: the PRT was refreshed by presenting `credential`;
    /// `mfa_claim` when the refresh stamped a new MFA claim (R-PRT-4).
    PrtRefreshed { credential: Credential, mfa_claim: bool },
    /// R-PRT-1: no refresh, the last one was `since` ago, under `interval`.
    PrtNotRefreshed { since: Seconds, interval: Seconds },
    /// R-PRT-3: unlock and sign-in never refresh this device's PRT.
    NoPrtRefresh,
    /// R-PROMPT-1: a prompt for `reason`, with its cause and rule.
    Prompt { access: Access, reason: Reason, detail: Detail, rule: Rule },
    /// R-DEF-3: a background prompt joins the one raised at `raised` on the device.
    JoinsPrompt { raised: Instant },
    /// R-DEF-3: the prompt just raised waits for the user's next interaction.
    PromptWaits,
    /// R-DEF-3: the waiting prompt raised at `raised` is answered.
    PromptAnswered { raised: Instant },
    /// R-PROMPT-2: the user failed or abandoned the sign-in, so the use ends.
    SignInNotCompleted(OnPrompt),
    /// R-PROMPT-3: Conditional Access refused `access` with `code`.
    Blocked { access: Access, code: ErrorCode, detail: Detail },
    /// R-CA-1: what report-only `policy` would have done.
    ReportOnly { policy: PolicyIdx, detail: Detail },
    /// R-DEF-1, R-DEF-2: enforcement due but deferred.
    Deferred { rule: Rule, detail: Detail },
    /// R-PB-3: closing the browser dropped a non-persistent session cookie.
    CookieDropped,
    /// R-SPA-2: a single-page app's refresh token reached its fixed lifetime.
    SpaRefreshLapsed,
    /// R-REV-1..3, R-PRT-7: `count` session artifacts revoked because of `cause`.
    Revoked { cause: &'static str, rule: Rule, count: usize },
    /// A background activity met no session it could use and stopped.
    BackgroundStopped(Access),
    /// R-CA-6: workload `workload`'s token request for `app`, refused by the
    /// enforced policy `blocking` if one blocks it.
    Workload { workload: usize, app: AppIdx, blocking: Option<PolicyIdx>, detail: Detail },
}
