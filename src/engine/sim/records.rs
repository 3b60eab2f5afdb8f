//! R-LOG-1, R-LOG-3, R-LOG-4, R-CA-3: the sign-in records the engine writes as it goes. Every function
//! returns at once when nobody listens, so runs without logs pay nothing.

use petgraph::stable_graph::NodeIndex;

use super::Sim;
use super::ca::Requirements;
use super::prompts::Due;
use crate::domain::*;
use crate::engine::error_code::ErrorCode;
use crate::engine::lineage::Credential;
use crate::engine::outcome::{Answer, FirstFactor, Reason, SecondFactor};
use crate::engine::rule::Rule;
use crate::engine::state::{Access, AppNo, Auth, Seat};
use crate::policy::PolicyState;
use crate::signin::{
    self, AuthStep, Incoming, MFA_DONE, MFA_FROM_TOKEN, MFA_REMEMBERED, PASSWORD, PRIMARY_FROM_TOKEN, PolicyResult,
    Resource, SignInEvent, SignInSink, WINDOWS_HELLO,
};
use crate::time::{self, Instant};

/// R-RMFA-1, R-RMFA-2: the session lifetime policy Entra names for remembered
/// MFA (Graph `expirationRequirement`, with the portal's "Remember MFA").
fn remember_mfa_policy() -> (&'static str, String) {
    ("rememberMultifactorAuthenticationOnTrustedDevices", "Remember MFA".to_string())
}

/// Where records go, and how many were written (their serials).
#[derive(Default)]
pub(super) struct Log<'a> {
    pub sink: Option<&'a mut dyn SignInSink>,
    serial: u64,
}

impl Sim<'_> {
    fn event(
        &mut self,
        access: Access,
        resource: Resource,
        now: Instant,
        interactive: bool,
        error_code: Option<ErrorCode>,
    ) -> SignInEvent {
        let Access { user: u, device: d, client, .. } = access;
        self.log.serial += 1;
        SignInEvent {
            serial: self.log.serial,
            at: now,
            user: u.0,
            device: d.0,
            client,
            resource,
            interactive,
            incoming: Incoming::None,
            error_code,
            additional_details: None,
            steps: Vec::new(),
            multi_factor: false,
            policies: Vec::new(),
            session_lifetime: Vec::new(),
            // A record outside any sign-in session gets a correlation id of its own.
            session: u64::MAX - self.log.serial,
            ip: self.devices[d].ip,
            device_compliant: self.devices[d].compliant,
            country: self.devices[d].country.clone(),
            prompt: None,
            lineage: Vec::new(),
            rules: Vec::new(),
            backup_auth: false,
        }
    }

    fn emit(&mut self, event: SignInEvent) {
        if let Some(sink) = self.log.sink.as_mut() {
            sink.record(event);
        }
    }

    /// The artifacts behind an auth instant in words, when explanations are
    /// asked for. The newest carries the session's MFA claim when it has one:
    /// the claim is the session's, not the credential's, so a PRT from a
    /// password shows "Password + MFA" once an answer added MFA (issue 15).
    fn lineage_words(&self, node: NodeIndex, mfa: Option<Instant>) -> Vec<String> {
        if !self.options.explain {
            return Vec::new();
        }
        let chain = self.world.lineage.chain(node);
        chain
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let factors = match (n.credential, mfa.filter(|_| i == 0)) {
                    (Credential::Password, Some(t)) => format!("Password + MFA at {}", time::rfc3339(t)),
                    (credential, _) => format!("{credential:?}"),
                };
                format!("{} at {} ({factors})", n.describe(), time::rfc3339(n.at))
            })
            .collect()
    }

    /// R-PRT-1: an interactive sign-in to Windows that refreshed the PRT.
    pub(super) fn record_device_sign_in(&mut self, seat: Seat, now: Instant, node: NodeIndex) {
        if self.log.sink.is_none() {
            return;
        }
        let hello = self.devices[seat.device].sign_in == DeviceSignIn::WindowsHello;
        // Signing in to Windows reaches no app: the record's resource says so, and
        // the access only carries who and where (its app is never read).
        let mut e = self.event(
            Access { user: seat.user, device: seat.device, client: Client::Desktop, app: AppNo(0) },
            Resource::WindowsSignIn,
            now,
            true,
            None,
        );
        e.steps = vec![if hello { WINDOWS_HELLO } else { PASSWORD }];
        e.multi_factor = hello;
        e.session = self.world.lineage.session(node);
        e.lineage = self.lineage_words(node, None);
        e.rules = if hello { vec![Rule::Prt1, Rule::Prt4] } else { vec![Rule::Prt1] };
        self.emit(e);
    }

    /// A token issued without the user (R-LOG-1): from the PRT, a refresh token
    /// or the browser's cookie. `note` explains a deferred enforcement (R-DEF-1/2).
    pub(super) fn record_silent_token(&mut self, access: Access, now: Instant, req: &Requirements) {
        if self.log.sink.is_none() {
            return;
        }
        let note = self.deferrals.take_note();
        let view = &self.view(access, now);
        let Some(auth) = view.auth else { return };
        let Access { client, app, .. } = access;
        let mut e = self.event(access, Resource::App(app.0), now, false, None);
        e.incoming = if view.from_prt && !view.deferred_client && !view.spa_refresh {
            Incoming::PrimaryRefreshToken
        } else if client == Client::Browser || (client == Client::Spa && !view.spa_refresh) {
            Incoming::None
        } else {
            Incoming::RefreshToken
        };
        let mfa_required = req.enforced.iter().any(|&p| self.sc.policies[p].requires_mfa());
        // R-RMFA-1: without an MFA claim, the browser's remembered MFA may satisfy the requirement.
        let remembered = mfa_required && auth.mfa.is_none() && self.remembered_mfa_for(access, now, req).is_some();
        e.multi_factor = mfa_required && (auth.mfa.is_some() || remembered);
        e.steps = match (e.multi_factor, remembered) {
            (true, true) => vec![PRIMARY_FROM_TOKEN, MFA_REMEMBERED],
            (true, false) => vec![PRIMARY_FROM_TOKEN, MFA_FROM_TOKEN],
            _ => vec![PRIMARY_FROM_TOKEN],
        };
        if remembered {
            e.session_lifetime.push(remember_mfa_policy());
        }
        e.policies = self.policy_results(access, now, None);
        e.backup_auth = self.outages.at(now).is_some(); // R-RES-1
        e.session = self.world.lineage.session(auth.node);
        e.lineage = self.lineage_words(auth.node, auth.mfa);
        if let Some((detail, rule)) = note {
            e.additional_details = Some(detail);
            e.rules.push(rule);
        }
        if view.deferred_client {
            // R-LOG-3: a confidential client's refreshes carry the original issuance's address.
            if let Some(rt) = self.world.refresh_token(access) {
                e.ip = rt.issued_ip;
            }
        }
        self.emit(e);
    }

    /// R-SPA-2: a single-page app redeemed a refresh token past its fixed
    /// lifetime; non-interactive, like every refresh token redemption.
    pub(super) fn record_spa_lapse(&mut self, access: Access, now: Instant, auth: Auth) {
        if self.log.sink.is_none() {
            return;
        }
        let mut e =
            self.event(access, Resource::App(access.app.0), now, false, Some(ErrorCode::SpaRefreshTokenExpired));
        e.incoming = Incoming::RefreshToken;
        e.policies = self.policy_results(access, now, None);
        e.session = self.world.lineage.session(auth.node);
        e.lineage = self.lineage_words(auth.node, auth.mfa);
        e.rules = vec![Rule::Spa2];
        self.emit(e);
    }

    /// The request a prompt answers: refused with its error code (70043, 50078, ...).
    pub(super) fn record_refusal(
        &mut self,
        access: Access,
        now: Instant,
        due: &Due,
        code: ErrorCode,
        background: bool,
        prompt: Option<usize>,
    ) {
        if self.log.sink.is_none() {
            return;
        }
        let view = self.view(access, now);
        let mut e = self.event(access, Resource::App(access.app.0), now, !background, Some(code));
        e.incoming = match (background, view.from_prt, access.client.is_native() || view.spa_refresh) {
            (_, _, _) if view.spa_refresh => Incoming::RefreshToken,
            (true, true, _) => Incoming::PrimaryRefreshToken,
            (true, false, true) => Incoming::RefreshToken,
            _ => Incoming::None,
        };
        e.policies = self.policy_results(access, now, due.policy);
        e.session_lifetime = self.session_lifetime(due);
        e.prompt = prompt;
        e.rules = vec![due.rule];
        if let Some(auth) = view.auth {
            e.session = self.world.lineage.session(auth.node);
            e.lineage = self.lineage_words(auth.node, auth.mfa);
        }
        self.emit(e);
    }

    /// R-PROMPT-2: what the user did to answer prompt `prompt`, kept on the
    /// prompt, then the interactive sign-in that answered it, preceded by the
    /// "Stay signed in?" interrupt (50140) when it was shown (R-PB-1).
    pub(super) fn record_answer(&mut self, access: Access, now: Instant, prompt: usize, with_mfa: bool) {
        let answer = self.answer_steps(access, now, self.out.prompts[prompt].reason, with_mfa);
        self.out.prompts[prompt].answer = Some(answer);
        if self.log.sink.is_none() {
            return;
        }
        let (reason, rule, kmsi, policy, detail) = {
            let p = &self.out.prompts[prompt];
            (p.reason, p.rule, p.stay_signed_in, p.policy, p.detail.clone())
        };
        let due = Due { reason, policy, expired: None, rule, detail };
        let view = self.view(access, now);
        let session = view.auth.map(|a| self.world.lineage.session(a.node)).unwrap_or(0);
        let lineage = view.auth.map(|a| self.lineage_words(a.node, a.mfa)).unwrap_or_default();
        let remembered = answer.second == SecondFactor::Remembered;
        let steps: Vec<AuthStep> = match (answer.first, answer.second) {
            (FirstFactor::WindowsHello, _) => vec![WINDOWS_HELLO],
            (FirstFactor::FromToken, _) => vec![PRIMARY_FROM_TOKEN, MFA_DONE],
            (_, SecondFactor::Mfa) => vec![PASSWORD, MFA_DONE],
            (_, SecondFactor::Remembered) => vec![PASSWORD, MFA_REMEMBERED],
            (_, SecondFactor::None) => vec![PASSWORD],
        };
        let mut e = self.event(access, Resource::App(access.app.0), now, true, None);
        e.multi_factor = answer.first == FirstFactor::WindowsHello || answer.second != SecondFactor::None;
        e.steps = steps;
        e.policies = self.policy_results(access, now, None);
        e.session_lifetime = self.session_lifetime(&due);
        if remembered {
            e.session_lifetime.push(remember_mfa_policy());
        }
        e.session = session;
        e.lineage = lineage;
        e.prompt = Some(prompt);
        e.rules = vec![rule, Rule::Prompt2];
        if kmsi.is_some() {
            // The interrupt is the same sign-in, stopped at "Stay signed in?" (R-PB-1).
            let interrupt = SignInEvent {
                error_code: Some(ErrorCode::KeepMeSignedInInterrupt),
                rules: vec![Rule::Pb1],
                ..e.clone()
            };
            self.log.serial += 1;
            e.serial = self.log.serial;
            self.emit(interrupt);
        }
        self.emit(e);
    }

    /// R-PROMPT-2: the steps of an answer, in the order the logs list them.
    fn answer_steps(&self, access: Access, now: Instant, reason: Reason, with_mfa: bool) -> Answer {
        // R-PRT-4: through WAM on a device set up for Windows Hello, the user answers with it.
        let hello = access.client.is_native()
            && self.devices[access.device].join != Join::Unregistered
            && self.devices[access.device].sign_in == DeviceSignIn::WindowsHello;
        if hello {
            return Answer { first: FirstFactor::WindowsHello, second: SecondFactor::None };
        }
        if reason == Reason::MfaRequired {
            return Answer { first: FirstFactor::FromToken, second: SecondFactor::Mfa };
        }
        if with_mfa {
            return Answer { first: FirstFactor::Password, second: SecondFactor::Mfa };
        }
        // R-RMFA-1: MFA required, not done, and skipped by the browser's remembered MFA.
        let req = self.requirements(access);
        let remembered = req.enforced.iter().any(|&p| self.sc.policies[p].requires_mfa())
            && self.remembered_mfa_for(access, now, &req).is_some();
        let second = if remembered { SecondFactor::Remembered } else { SecondFactor::None };
        Answer { first: FirstFactor::Password, second }
    }

    /// R-PROMPT-2: a sign-in the user failed (wrong password, 50126).
    pub(super) fn record_failed_answer(&mut self, access: Access, now: Instant, prompt: usize) {
        if self.log.sink.is_none() {
            return;
        }
        let mut e = self.event(access, Resource::App(access.app.0), now, true, Some(ErrorCode::InvalidCredentials));
        e.steps = vec![AuthStep { succeeded: false, detail: "Invalid username or password", ..PASSWORD }];
        e.prompt = Some(prompt);
        e.rules = vec![Rule::Prompt2];
        self.emit(e);
    }

    /// R-PROMPT-3, R-CA-2: access refused by Conditional Access (or a disabled
    /// account), under the rule the block names (R-DOWN-1 for a downstream resource's).
    pub(super) fn record_block(
        &mut self,
        access: Access,
        now: Instant,
        policy: Option<PolicyIdx>,
        code: ErrorCode,
        rule: Rule,
    ) {
        if self.log.sink.is_none() {
            return;
        }
        let view = self.view(access, now);
        let mut e = self.event(access, Resource::App(access.app.0), now, true, Some(code));
        if code != ErrorCode::UserDisabled {
            e.policies = self.policy_results(access, now, policy);
        }
        if let Some(auth) = view.auth {
            e.steps = vec![PRIMARY_FROM_TOKEN];
            e.session = self.world.lineage.session(auth.node);
            e.lineage = self.lineage_words(auth.node, auth.mfa);
        }
        e.rules = vec![rule];
        self.emit(e);
    }

    fn session_lifetime(&self, due: &Due) -> Vec<(&'static str, String)> {
        if due.rule == Rule::Rmfa2 {
            return vec![remember_mfa_policy()];
        }
        let requirement = match due.reason {
            Reason::SignInFrequency => "signInFrequencyPeriodicReauthentication",
            Reason::EveryTime => "signInFrequencyEveryTime",
            _ => return Vec::new(),
        };
        let detail = due
            .policy
            .and_then(|p| self.sc.policies[p].sif)
            .map(signin::record::sif_words)
            .unwrap_or_else(|| "Sign-in frequency".to_string());
        vec![(requirement, detail)]
    }

    /// R-CA-1, R-CA-3: every policy's result on this sign-in.
    fn policy_results(&self, access: Access, now: Instant, failing: Option<PolicyIdx>) -> Vec<PolicyResult> {
        // The policies the request was held to, a downstream resource's included (R-DOWN-1).
        let req = self.requirements(access);
        (0..self.sc.policies.len())
            .map(|i| {
                let applies = req.enforced.contains(&i) || req.report_only.contains(&i);
                let result = match (self.ca.state(i), applies) {
                    (PolicyState::Disabled, _) => "notEnabled",
                    (PolicyState::Enabled, false) => "notApplied",
                    (PolicyState::Enabled, true) if failing == Some(i) => "failure",
                    (PolicyState::Enabled, true) => "success",
                    (PolicyState::ReportOnly, false) => "reportOnlyNotApplied",
                    (PolicyState::ReportOnly, true) => self.report_only_result(i, access, now),
                };
                PolicyResult { policy: i, result }
            })
            .collect()
    }
}
