//! What a simulation reports: prompts, blocked accesses, report-only findings
//! and deferred enforcement.

use serde::Serialize;

use super::error_code::ErrorCode;
use super::rule::Rule;
use super::state::{Access, AppNo};
use crate::domain::{Client, PolicyIdx};
use crate::time::{Clock, Instant};

/// R-PROMPT-1: why a prompt was raised, in precedence order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Revoked,
    BrowserClosed,
    NoSession,
    Inactive,
    SignInFrequency,
    EveryTime,
    MfaRequired,
    /// The grant asks for terms of use the user has not accepted yet.
    TermsOfUse,
    /// The grant asks for a secure password change (user risk).
    PasswordChange,
}

impl Reason {
    pub const NAMES: [&'static str; 9] = crate::domain::REASON_NAMES;

    pub fn name(self) -> &'static str {
        match self {
            Reason::Revoked => "revoked",
            Reason::BrowserClosed => "browser_closed",
            Reason::NoSession => "no_session",
            Reason::Inactive => "inactive",
            Reason::SignInFrequency => "sign_in_frequency",
            Reason::EveryTime => "every_time",
            Reason::MfaRequired => "mfa_required",
            Reason::TermsOfUse => "terms_of_use",
            Reason::PasswordChange => "password_change",
        }
    }

    /// R-PROMPT-1: the kind of interactive sign-in each reason asks for.
    pub fn kind(self) -> PromptKind {
        match self {
            Reason::SignInFrequency | Reason::EveryTime => PromptKind::Reauthentication,
            Reason::MfaRequired => PromptKind::Mfa,
            Reason::TermsOfUse => PromptKind::TermsOfUse,
            Reason::PasswordChange => PromptKind::PasswordChange,
            _ => PromptKind::SignIn,
        }
    }
}

/// R-PROMPT-2: by default users answer at once; scenarios can make them fail or abandon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptResult {
    Answered,
    Failed,
    Abandoned,
    /// R-DEF-3: raised in the background, not answered by the end of the timeline.
    Unanswered,
    /// R-DEF-4: raised in the background, then withdrawn when the user came
    /// back and a silent request succeeded. Only while the engine runs:
    /// `Outcome::drop_withdrawn` removes such prompts before anyone reads them.
    Withdrawn,
    /// R-RES-2: raised during an Entra outage, when no one can sign in.
    Unavailable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    SignIn,
    Reauthentication,
    Mfa,
    TermsOfUse,
    PasswordChange,
}

impl PromptKind {
    pub fn name(self) -> &'static str {
        match self {
            PromptKind::SignIn => "sign_in",
            PromptKind::Reauthentication => "reauthentication",
            PromptKind::Mfa => "mfa",
            PromptKind::TermsOfUse => "terms_of_use",
            PromptKind::PasswordChange => "password_change",
        }
    }
}

/// Why a prompt, block, finding or workload sign-in happened, as data: the
/// renderers write the words (`report::words`, the `Display` of `Detail`),
/// and outputs carry them as the `detail` string.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// R-SIF-1..4, R-PRT-2, R-SIF-6: the sign-in frequency was exceeded.
    SifExceeded(Box<SifExceeded>),
    /// R-REV-1..3: the session was revoked at `at`, and why.
    Revoked { at: Instant, start: Clock, cause: &'static str },
    /// R-PB-3: the browser was closed at `at` and its session cookie was not persistent.
    BrowserClosed { at: Instant, start: Clock },
    /// R-TOK-1: no session yet for the app in this client; `no_prt_sso` names a
    /// browser that does not do PRT single sign-on.
    NoSession { app: String, client: Client, no_prt_sso: Option<&'static str> },
    /// R-ET-1: every time, and the last full sign-in on the device, at `last`,
    /// is older than the skew.
    EveryTimeAgain { last: Instant, start: Clock, skew: crate::time::Seconds },
    /// R-CA-1, R-SIF-1: a report-only frequency `sif` would have prompted; last sign-in at `last`.
    WouldReauthenticate { sif: crate::time::Seconds, last: Instant, start: Clock },
    /// R-DEF-1: the cause of a browser's background prompt, not enforced until
    /// the next user interaction.
    DeferredToInteraction(Box<Detail>),
    /// R-DEF-2: a frequency (`Some(sif)`) or every time (`None`) due on a
    /// confidential client, last sign-in at `last`, not enforced on its
    /// non-interactive sign-ins.
    DeferredConfidential { sif: Option<crate::time::Seconds>, last: Instant, start: Clock },
    /// R-DEF-4: the prompt a background refresh raised at `raised` is
    /// withdrawn: the user's return (`unlock` when `at_unlock`, else a device
    /// sign-in or an interaction) left a session that satisfies the policies.
    PromptWithdrawn { raised: Instant, start: Clock, prt_refreshed: bool },
    /// R-RES-1: a sign-in frequency (`sif`) or every time due on the session
    /// of `last`, extended by the Backup Authentication Service during the
    /// outage that lasts until `until`.
    ExtendedInOutage { sif: Option<crate::time::Seconds>, last: Instant, until: Instant, start: Clock },
    /// R-RES-1: a policy that disables resilience defaults blocks its sign-ins during the outage.
    OutageBlocks,
    /// R-RES-2: no interactive sign-in during the outage that lasts until `until`.
    OutageNoSignIn { until: Instant, start: Clock },
    /// R-PB-4: a persistent session from `since` outlives `policy`'s "never persistent".
    PersistentOutlives { since: Instant, start: Clock, policy: String },
    /// R-PB-6: the persistent session from `since` became a session cookie at
    /// this round trip to Entra ID, under `policy`'s "never persistent".
    PersistentEnds { since: Instant, start: Clock, policy: String },
    /// R-RMFA-2: the last MFA, at `last`, is older than the tenant's remembered days.
    RememberedMfaExpired { last: Instant, start: Clock, window: crate::time::Seconds },
    /// R-SIF-2, R-PB-5: the session has been unused since `last_used`, longer than `window`.
    Inactive { last_used: Instant, start: Clock, window: crate::time::Seconds },
    /// R-REV-1: the account is disabled (50057).
    AccountDisabled,
    /// R-CA-2: no grant of the blocking policy says why (no policy found).
    PolicyBlocks,
    /// R-CA-2: the blocking policy's grant and what the session could show
    /// against it; `policy::grants` words the unmet controls.
    GrantUnmet { grant: Box<crate::policy::Grant>, facts: crate::policy::GrantFacts },
    /// R-CA-2: a grant the user can satisfy, and what it asks.
    GrantNeeds(Need),
    /// R-ET-1: every time, and the user never signed in fully on this device.
    EveryTimeFirstSignIn,
    /// R-CA-1: what a report-only policy would have asked at this token request.
    WouldNeed(Need),
    /// R-CA-1, R-ET-1: a report-only every-time policy would have prompted.
    WouldReauthenticateEveryTime,
    /// R-CA-1: a report-only policy would have blocked with this code.
    WouldBlock(ErrorCode),
    /// R-CA-6: the policy blocks the workload identity outright (`grant: block`).
    WorkloadBlocked,
    /// R-CA-6: the policy asks for a control no workload identity can satisfy.
    WorkloadCannotSatisfy,
    /// R-CA-6: the token is issued; the report-only policies that would have blocked it.
    WorkloadIssued { report_only: Vec<String> },
}

/// R-SIF-1..4: what a sign-in frequency prompt rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct SifExceeded {
    /// The frequency, in seconds.
    pub sif: crate::time::Seconds,
    /// The scenario's start, which the words count instants from.
    pub start: Clock,
    /// The instant that expired: the last sign-in, or the last MFA (R-SIF-3).
    pub last: Instant,
    pub mfa_expired: bool,
    /// The artifact the instant came from (the lineage's root), in words.
    pub origin: Option<&'static str>,
    /// R-PRT-1: a later unlock or device sign-in that did not refresh the PRT.
    pub skipped_refresh: Option<SkippedRefresh>,
    /// R-SIF-4: the policy of the shortest frequency in the browser session, when shared.
    pub shared_from: Option<String>,
}

/// R-PRT-1: an unlock (or device sign-in) too soon after the PRT's last refresh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkippedRefresh {
    pub at: Instant,
    pub at_unlock: bool,
    /// How long after the PRT's last refresh it came.
    pub after: crate::time::Seconds,
    /// The refresh interval it fell short of.
    pub interval: crate::time::Seconds,
}

/// R-CA-2: a grant control the user can satisfy with a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Mfa,
    TermsOfUse,
    PasswordChange,
}

/// The words, so `"detail": "..."` in JSON as when it was a string.
impl Serialize for Detail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One interactive sign-in the user had to complete.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub at: Instant,
    /// Who, on which device, in which app and client: indices into the
    /// scenario the outcome came from, which renderers name.
    pub access: Access,
    pub kind: PromptKind,
    pub reason: Reason,
    pub policy: Option<PolicyIdx>,
    pub rule: Rule,
    pub expired_auth_instant: Option<Instant>,
    /// R-PROMPT-2: what the user did with the prompt.
    pub result: PromptResult,
    /// R-DEF-3: a prompt raised by background activity is answered later;
    /// `None` if the user never came back before the end of the timeline.
    pub answered_at: Option<Instant>,
    /// The AADSTS error the request met, when there is one (e.g. 70043, 50078).
    pub error_code: Option<ErrorCode>,
    /// R-PB-1: `Some(answer)` when "Stay signed in?" was shown after this sign-in.
    pub stay_signed_in: Option<bool>,
    /// R-PROMPT-2: what the user did to answer; `None` while unanswered.
    pub answer: Option<Answer>,
    /// The reason, with the artifact the expired auth instant came from.
    pub detail: Detail,
}

/// R-PROMPT-2, R-LOG-4: what the user did to answer a prompt, the steps the
/// answering sign-in's `authenticationDetails` lists (issue 15: MFA burden).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub first: FirstFactor,
    pub second: SecondFactor,
}

/// The first step of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstFactor {
    /// Typed the password.
    Password,
    /// Windows Hello through WAM (R-PRT-4): one gesture, multifactor on its own.
    WindowsHello,
    /// Nothing to type: the session's token satisfied the first factor (an MFA
    /// step-up), or the prompt only asked to accept terms of use.
    FromToken,
}

/// The second step of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// No second factor was asked for.
    None,
    /// An MFA challenge completed with the model's method, the Authenticator
    /// app's notification (the `Mobile app notification` of the logs).
    Mfa,
    /// R-RMFA-1: MFA asked for, skipped by the browser's remembered MFA.
    Remembered,
}

impl Answer {
    /// Whether the user had to complete an MFA challenge.
    pub fn challenged(self) -> bool {
        self.second == SecondFactor::Mfa
    }

    pub fn first_name(self) -> &'static str {
        match self.first {
            FirstFactor::Password => "password",
            FirstFactor::WindowsHello => "windows_hello",
            FirstFactor::FromToken => "none",
        }
    }

    pub fn second_name(self) -> &'static str {
        match self.second {
            SecondFactor::None => "none",
            SecondFactor::Mfa => "mfa",
            SecondFactor::Remembered => "remembered_mfa",
        }
    }

    /// The MFA method, when a challenge was completed.
    pub fn mfa_method(self) -> Option<&'static str> {
        self.challenged().then_some("mobile_app_notification")
    }
}

/// R-PROMPT-3: an access refused by Conditional Access (not a prompt).
#[derive(Debug, Clone, PartialEq)]
pub struct Blocked {
    pub at: Instant,
    /// Who, on which device, in which app and client: indices into the
    /// scenario the outcome came from, which renderers name.
    pub access: Access,
    pub policy: Option<PolicyIdx>,
    pub error_code: ErrorCode,
    pub rule: Rule,
    pub detail: Detail,
}

/// R-CA-1 / R-CA-3: what a report-only policy would have done.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOnlyFinding {
    pub at: Instant,
    /// Who, on which device, in which app and client: indices into the
    /// scenario the outcome came from, which renderers name.
    pub access: Access,
    pub policy: PolicyIdx,
    /// `reportOnlyInterrupted` (would have prompted) or `reportOnlyFailure` (would have blocked).
    pub result: &'static str,
    /// What the prompt would have been for; `None` for a block.
    pub reason: Option<Reason>,
    pub detail: Detail,
}

/// Something casim noticed that is neither a prompt nor a block, with the rule
/// behind it: a deferred enforcement (R-DEF-1, R-DEF-2) or a finding (R-PB-4).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub at: Instant,
    /// Who, on which device, in which app and client: indices into the
    /// scenario the outcome came from, which renderers name.
    pub access: Access,
    pub policy: Option<PolicyIdx>,
    pub rule: Rule,
    pub detail: Detail,
}

/// R-DEF-1 / R-DEF-2: a sign-in frequency that was due but not enforced.
pub type Deferral = Notice;

/// R-PB-4: a persistent session that keeps working although a policy now says otherwise.
pub type Finding = Notice;

/// R-CA-6: a workload identity's token request and what Conditional Access
/// made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadSignIn {
    pub at: Instant,
    /// The workload identity's position in the scenario's `workloads`.
    pub workload: usize,
    pub app: AppNo,
    /// `success`, or `failure` when a policy blocks it.
    pub result: &'static str,
    /// The enforced policy that blocks it, when one does.
    pub policy: Option<PolicyIdx>,
    pub error_code: Option<ErrorCode>,
    /// Report-only policies that would have blocked it.
    pub report_only: Vec<PolicyIdx>,
    pub rule: Rule,
    pub detail: Detail,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    pub events: u64,
    pub token_requests: u64,
    pub prt_refreshes: u64,
}

impl Stats {
    /// Counts `other`'s too (users simulated apart, summed).
    pub fn add(&mut self, other: &Stats) {
        self.events += other.events;
        self.token_requests += other.token_requests;
        self.prt_refreshes += other.prt_refreshes;
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub prompts: Vec<Prompt>,
    pub blocked: Vec<Blocked>,
    pub report_only: Vec<ReportOnlyFinding>,
    pub deferred: Vec<Deferral>,
    pub findings: Vec<Finding>,
    /// R-CA-6: every token request of a workload identity.
    pub workload_sign_ins: Vec<WorkloadSignIn>,
    pub stats: Stats,
    /// Every event the engine met, when `Options::trace` asks (`report::trace` words them).
    pub trace: Vec<super::trace::Traced>,
    /// The run stopped at `limits.max_events` (docs/limits.md), at this
    /// instant: what it found is incomplete.
    pub stopped_at: Option<crate::time::Instant>,
    /// R-DEF-4: where the withdrawn prompts stood among the prompts as they
    /// were raised, which sign-in records' `prompt` links count in.
    pub withdrawn: Vec<usize>,
}

impl Outcome {
    /// R-DEF-4: removes the withdrawn prompts, noting where they stood.
    pub fn drop_withdrawn(&mut self) {
        let withdrawn = |p: &Prompt| p.result == PromptResult::Withdrawn;
        if !self.prompts.iter().any(withdrawn) {
            return;
        }
        self.withdrawn = self.prompts.iter().enumerate().filter(|(_, p)| withdrawn(p)).map(|(i, _)| i).collect();
        self.prompts.retain(|p| !withdrawn(p));
    }

    /// The position in `prompts` of the prompt raised `raised`-th (a sign-in
    /// record's link), or `None` when it was withdrawn.
    pub fn prompt_index(&self, raised: usize) -> Option<usize> {
        match self.withdrawn.binary_search(&raised) {
            Ok(_) => None,
            Err(before) => Some(raised - before),
        }
    }

    /// The inverse of `prompt_index`: the raised number of `prompts[index]`.
    pub fn raised_index(&self, index: usize) -> usize {
        let mut raised = index;
        for &w in &self.withdrawn {
            if w <= raised {
                raised += 1;
            }
        }
        raised
    }
}

impl Serialize for Client {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// What renderers call an outcome's access: the names the scenario gives
/// its user, device and app.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub user: &'a str,
    pub device: &'a str,
    pub app: &'a str,
    pub client: Client,
}

impl Access {
    /// The names of this access in `scenario`, the one the outcome came from
    /// (for a population, the user's own scenario).
    pub fn named(self, scenario: &crate::scenario::Scenario) -> Named<'_> {
        Named {
            user: &scenario.users[self.user].id,
            device: &scenario.devices[self.device].id,
            app: &scenario.apps[self.app].key,
            client: self.client,
        }
    }
}
