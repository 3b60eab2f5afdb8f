//! The rules of MODEL.md applied event by event. Each rule is cited where it acts.

mod records;
mod workload;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use petgraph::stable_graph::NodeIndex;

use super::Options;
use super::lineage::{Credential, Lineage, Origin};
use super::outcome::*;
use super::queue::{Next, Queue};
use super::state::*;
use crate::policy::apps::UserAction;
use crate::policy::{
    GrantFacts, GrantOutcome, PersistentBrowser, Policy, PolicyState, Sif, SignInContext, combine_all,
};
use crate::scenario::model::*;
use crate::signin::SignInSink;
use crate::time::{self, Instant, MINUTE, Seconds};

const PASSWORD_CHANGED: &str = "the password changed";

/// Why sessions were revoked, and the rule that says so.
#[derive(Debug, Clone, Copy)]
struct Revocation {
    cause: &'static str,
    rule: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    UseTick(Key, u64),
    UseEnd(Key, u64),
    BackgroundTick(Key, u64),
    BackgroundEnd(Key, u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// A `use` step: the user starts interacting.
    UseStart,
    /// Continuous use reaching an instant where something may be due (R-SIF-5).
    Tick,
    /// A background token renewal on the user's behalf.
    Background,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    /// The access was refused: the use or background activity ends.
    Stop,
    /// R-DEF-3: a background refresh waits for the user to answer a prompt.
    Pause,
}

/// Why the session cannot be used as it is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Valid,
    Missing { closed_at: Option<Instant> },
    Revoked,
    Inactive { last_used: Instant, window: Seconds },
}

/// The session a request would present: its status and effective auth instant.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    status: Status,
    auth: Option<Auth>,
    /// The auth instant comes from the PRT (R-PRT-2, R-PRT-5).
    from_prt: bool,
    /// R-DEF-2: a confidential client presenting its own refresh token.
    deferred_client: bool,
}

impl View {
    fn missing(closed_at: Option<Instant>) -> View {
        View { status: Status::Missing { closed_at }, auth: None, from_prt: false, deferred_client: false }
    }
    fn failed(status: Status) -> View {
        View { status, auth: None, from_prt: false, deferred_client: false }
    }
    fn valid(auth: Auth, from_prt: bool) -> View {
        View { status: Status::Valid, auth: Some(auth), from_prt, deferred_client: false }
    }
}

/// What the applicable policies ask of this access.
#[derive(Debug, Default)]
struct Requirements {
    enforced: Rc<[PolicyIdx]>,
    report_only: Rc<[PolicyIdx]>,
    /// R-SIF-4: the shortest periodic SIF, its policy, and whether it came from
    /// another app of the same browser session.
    periodic: Option<(Seconds, PolicyIdx, bool)>,
    own_periodic: Option<(Seconds, PolicyIdx)>,
    every_time: Option<PolicyIdx>,
    /// R-SIF-3: an applicable policy requires MFA, so SIF expires the MFA instant too.
    mfa_with_sif: bool,
}

/// The policies that apply to a key's accesses, and what they ask (R-CA-1).
#[derive(Debug, Default)]
struct Applicable {
    enforced: Rc<[PolicyIdx]>,
    report_only: Rc<[PolicyIdx]>,
    own_periodic: Option<(Seconds, PolicyIdx)>,
    every_time: Option<PolicyIdx>,
    requires_mfa: bool,
}

/// A prompt that is due, before it is raised.
#[derive(Debug, Clone)]
struct Due {
    reason: Reason,
    policy: Option<PolicyIdx>,
    expired: Option<Instant>,
    rule: &'static str,
    detail: String,
}

pub struct Sim<'a> {
    sc: &'a Scenario,
    options: Options,
    queue: Queue<Ev>,
    policy_state: Vec<PolicyState>,
    devices: Vec<Device>,
    lineage: Lineage,
    prts: BTreeMap<UserDevice, Prt>,
    browsers: BTreeMap<UserDevice, BrowserState>,
    refresh_tokens: BTreeMap<Key, RefreshToken>,
    access_tokens: BTreeMap<Key, AccessToken>,
    uses: BTreeMap<Key, ActiveUse>,
    backgrounds: BTreeMap<Key, ActiveBackground>,
    device_state: Vec<DeviceState>,
    disabled: Vec<bool>,
    /// R-CA-6: where each workload identity calls from, once a step moved it.
    workload_at: BTreeMap<usize, (std::net::IpAddr, Option<String>)>,
    /// The last revocation of each user's sessions and its cause, for explanations.
    revoked_by: Vec<Option<(Instant, &'static str, &'static str)>>,
    /// R-ET-1: the last full (interactive) authentication per (user, device).
    last_full_auth: BTreeMap<UserDevice, Instant>,
    pending: Vec<Pending>,
    /// The instant each report-only finding was last reported for; one entry per
    /// (policy, key, reason) so memory follows live state, not history.
    reported: BTreeMap<(PolicyIdx, Key, Option<Reason>), Instant>,
    /// Deferred enforcement per (key, auth instant) and the rule that deferred it.
    deferrals: BTreeMap<Key, (Instant, &'static str)>,
    /// R-PB-4: persistent cookies already reported as outliving a `never` policy.
    overridden_cookies: BTreeSet<petgraph::stable_graph::NodeIndex>,
    rng: u64,
    generation: u64,
    out: Outcome,
    /// Where sign-in records go (R-LOG-1), if anywhere.
    sink: Option<&'a mut dyn SignInSink>,
    access_facts: BTreeMap<Key, AccessFacts>,
    /// Which policies apply per key, until a condition's fact changes.
    applicable: RefCell<BTreeMap<Key, Rc<Applicable>>>,
    /// User risk as it stands: a secure password change remediates it.
    user_risk: Vec<Risk>,
    /// (user, terms of use id) pairs accepted so far.
    accepted_terms: BTreeSet<(UserIdx, String)>,
    record_serial: u64,
    /// Why the next silent token's enforcement was deferred (R-DEF-1/2), for its record.
    note: Option<(String, &'static str)>,
    /// The instant being simulated, for conditions on time (`times`).
    clock: Instant,
    /// Some policy's verdict depends on the instant, so `applicable` is not kept.
    time_dependent: bool,
}

impl<'a> Sim<'a> {
    pub fn new(sc: &'a Scenario, options: Options) -> Sim<'a> {
        Sim {
            sc,
            options,
            queue: Queue::new(&sc.steps),
            workload_at: BTreeMap::new(),
            policy_state: sc.policies.iter().map(|p| p.state).collect(),
            devices: sc.devices.clone(),
            lineage: Lineage::default(),
            prts: BTreeMap::new(),
            browsers: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            access_tokens: BTreeMap::new(),
            uses: BTreeMap::new(),
            backgrounds: BTreeMap::new(),
            device_state: vec![DeviceState::default(); sc.devices.len()],
            disabled: vec![false; sc.users.len()],
            revoked_by: vec![None; sc.users.len()],
            last_full_auth: BTreeMap::new(),
            pending: Vec::new(),
            reported: BTreeMap::new(),
            deferrals: BTreeMap::new(),
            overridden_cookies: BTreeSet::new(),
            rng: sc.seed ^ 0x9E37_79B9_7F4A_7C15,
            generation: 0,
            out: Outcome::default(),
            sink: None,
            access_facts: BTreeMap::new(),
            user_risk: sc.users.iter().map(|u| u.risk).collect(),
            applicable: RefCell::new(BTreeMap::new()),
            accepted_terms: BTreeSet::new(),
            record_serial: 0,
            note: None,
            clock: sc.start,
            time_dependent: sc.policies.iter().any(Policy::depends_on_time),
        }
    }

    /// Sends every sign-in record to `sink` as it is produced.
    pub fn with_sink(mut self, sink: &'a mut dyn SignInSink) -> Sim<'a> {
        self.sink = Some(sink);
        self
    }

    pub fn run(mut self) -> Outcome {
        while let Some((now, next)) = self.queue.pop(&self.sc.steps) {
            // The safety cap of docs/limits.md: the other limits bound events
            // per use, not how many uses overlap.
            if self.out.stats.events >= self.sc.limits.max_events {
                self.out.stopped_at = Some(now);
                break;
            }
            self.out.stats.events += 1;
            self.clock = now;
            match next {
                Next::Step(i) => self.step(now, i),
                Next::Engine(ev) => self.engine_event(now, ev),
            }
        }
        self.out
    }

    // ----- tracing and naming -------------------------------------------------

    fn trace(&mut self, now: Instant, message: impl FnOnce(&Self) -> String) {
        if self.options.trace {
            let line = format!("{}  {}", time::rfc3339(now), message(self));
            self.out.trace.push(line);
        }
    }

    fn key_words(&self, key: Key) -> String {
        let (u, d, c, a) = key;
        format!("{} on {} ({} {})", self.sc.users[u].id, self.sc.devices[d].id, self.sc.apps[a].key, c.name())
    }

    fn rel(&self, t: Instant) -> String {
        time::relative(t, self.sc.start)
    }

    // ----- timeline steps -----------------------------------------------------

    fn step(&mut self, now: Instant, i: usize) {
        let step = &self.sc.steps[i];
        let line = step.line;
        self.trace(now, |s| format!("step (line {line}): {}", s.describe_action(&s.sc.steps[i].action)));
        if let Some(device) = step.action.device() {
            // The device moved (R-LOG-3 keeps confidential clients' original address).
            if let Some(ip) = step.ip {
                self.devices[device].ip = ip;
                self.invalidate_policies(); // locations (R-CA-1)
            }
            if let Some(country) = &step.country {
                self.devices[device].country = Some(country.clone());
                self.invalidate_policies();
            }
        }
        match step.action.clone() {
            Action::SignInDevice { user, device } => self.present_device_credential(user, device, now, false),
            Action::Unlock { user, device } => self.present_device_credential(user, device, now, true),
            Action::Lock { device } => self.lock(device),
            Action::SignOutDevice { device } => self.sign_out(device, now),
            Action::Use { user, device, app, client, until, on_prompt, facts } => {
                self.set_access_facts((user, device, client, app), facts);
                self.start_use(now, (user, device, client, app), until, on_prompt)
            }
            Action::UserAction { user, device, app, facts } => {
                self.set_access_facts((user, device, Client::Browser, app), facts);
                self.start_use(now, (user, device, Client::Browser, app), None, OnPrompt::Answer)
            }
            Action::Background { user, device, app, client, until } => {
                self.start_background(now, (user, device, client, app), until)
            }
            Action::CloseBrowser { user, device } => self.close_browser((user, device), now),
            // Opening restores nothing: what survives a close is decided at close (R-PB-3).
            Action::OpenBrowser { .. } => {}
            Action::PasswordChange { user } => self.password_change(user, now),
            Action::RevokeSessions { user } => self.revoke_all(user, now, "an administrator revoked the sessions"),
            Action::DisableUser { user } => {
                self.disabled[user] = true;
                self.revoke_all(user, now, "the account was disabled");
            }
            Action::EnableUser { user } => self.disabled[user] = false,
            Action::SetCompliant { device, value } => self.set_compliant(device, value, now),
            Action::SetPolicyState { policy, state } => self.set_policy_state(policy, state.into(), now),
            Action::RequestToken { workload, app } => self.request_workload_token(workload, app, now, i),
        }
    }

    fn describe_action(&self, action: &Action) -> String {
        let dev = |d: &DeviceIdx| self.sc.devices[*d].id.clone();
        match action {
            Action::SignInDevice { device, .. } => format!("sign_in_device {}", dev(device)),
            Action::Lock { device } => format!("lock {}", dev(device)),
            Action::Unlock { device, .. } => format!("unlock {}", dev(device)),
            Action::SignOutDevice { device } => format!("sign_out_device {}", dev(device)),
            Action::Use { user, device, app, client, until, .. } => format!(
                "use {}{}",
                self.key_words((*user, *device, *client, *app)),
                until.map(|u| format!(" until {}", self.rel(u))).unwrap_or_default()
            ),
            Action::Background { user, device, app, client, until } => {
                format!("background {} until {}", self.key_words((*user, *device, *client, *app)), self.rel(*until))
            }
            Action::UserAction { user, device, app, .. } => {
                format!("{} {}", self.sc.apps[*app].key, self.key_words((*user, *device, Client::Browser, *app)))
            }
            Action::CloseBrowser { device, .. } => format!("close_browser {}", dev(device)),
            Action::OpenBrowser { device, .. } => format!("open_browser {}", dev(device)),
            Action::PasswordChange { user } => {
                format!("password_change {}", self.sc.users[*user].id)
            }
            Action::RevokeSessions { user } => {
                format!("revoke_sessions {}", self.sc.users[*user].id)
            }
            Action::DisableUser { user } => format!("disable_user {}", self.sc.users[*user].id),
            Action::EnableUser { user } => format!("enable_user {}", self.sc.users[*user].id),
            Action::SetCompliant { device, value } => {
                format!("set_compliant {} {value}", dev(device))
            }
            Action::SetPolicyState { policy, state } => {
                format!("set_policy_state `{}` {state:?}", self.sc.policies[*policy].name)
            }
            Action::RequestToken { workload, app } => {
                format!("request_token {} for {}", self.sc.workloads[*workload].identity.key, self.sc.apps[*app].key)
            }
        }
    }

    /// R-PRT-1, R-PRT-3, R-PRT-4: device sign-in and unlock refresh the PRT of
    /// joined devices at most every `prt_refresh_interval`.
    fn present_device_credential(&mut self, user: UserIdx, device: DeviceIdx, now: Instant, at_unlock: bool) {
        self.device_state[device].locked = false;
        self.refresh_prt_if_due(user, device, now, at_unlock);
        // R-DEF-3: prompts raised while the user was away are answered now.
        self.answer_pending((user, device), now);
    }

    fn refresh_prt_if_due(&mut self, user: UserIdx, device: DeviceIdx, now: Instant, at_unlock: bool) {
        let dev = &self.devices[device];
        if !dev.refreshes_prt_on_unlock() {
            self.trace(now, |_| {
                "no PRT refresh: unlock and sign-in do not refresh the PRT of this device (R-PRT-3)".into()
            });
            return;
        }
        let credential = match dev.sign_in {
            DeviceSignIn::WindowsHello => Credential::WindowsHello,
            DeviceSignIn::Password => Credential::Password,
        };
        let interval = self.sc.settings.prt_refresh_interval;
        let window = self.sc.settings.default_session_window;
        let existing = self.prts.get(&(user, device));
        let due = existing.is_none_or(|p| p.revoked || now - p.last_refresh >= interval || now - p.last_used >= window);
        if !due {
            let prt = self.prts.get_mut(&(user, device)).expect("checked above");
            prt.skipped_refresh = Some((now, at_unlock));
            prt.last_used = now;
            let since = now - prt.last_refresh;
            self.trace(now, |_| {
                format!(
                    "PRT not refreshed: last refresh {} ago < {} (R-PRT-1)",
                    time::duration(since),
                    time::duration(interval)
                )
            });
            return;
        }
        // R-PRT-4: Windows Hello renews the MFA claim at each refresh; an MFA
        // claim stamped through WAM keeps its original instant.
        let mfa = match credential {
            Credential::WindowsHello => Some(now),
            Credential::Password => existing.filter(|p| !p.revoked).and_then(|p| p.auth.mfa),
        };
        let node = self.lineage.record(user, device, now, Origin::PrtRefresh { at_unlock }, credential, None);
        let prt = Prt {
            auth: Auth { auth: now, mfa, node },
            last_refresh: now,
            last_used: now,
            revoked: false,
            skipped_refresh: None,
        };
        if let Some(old) = self.prts.insert((user, device), prt) {
            self.lineage.release(old.auth.node);
        }
        self.out.stats.prt_refreshes += 1;
        self.record_device_sign_in(user, device, now, node);
        self.trace(now, |_| {
            format!("PRT refreshed ({credential:?}{}) (R-PRT-1)", if mfa == Some(now) { ", MFA claim" } else { "" })
        });
    }

    fn lock(&mut self, device: DeviceIdx) {
        self.device_state[device].locked = true;
        self.uses.retain(|k, _| k.1 != device);
    }

    fn sign_out(&mut self, device: DeviceIdx, now: Instant) {
        self.lock(device);
        // A confidential client's background work runs server-side and goes on.
        self.backgrounds.retain(|k, _| k.1 != device || k.2 == Client::Confidential);
        let users: Vec<UserDevice> = self.browsers.keys().filter(|k| k.1 == device).copied().collect();
        for ud in users {
            self.close_browser(ud, now);
        }
    }

    /// R-PB-3: closing the browser drops non-persistent cookies, ends browser
    /// activity and the web sessions of confidential clients (R-DEF-2).
    fn close_browser(&mut self, ud: UserDevice, now: Instant) {
        let browser = self.browsers.entry(ud).or_default();
        let dropped = match browser.cookie.take() {
            Some(c) if c.persistent => {
                browser.cookie = Some(c);
                None
            }
            other => other,
        };
        if let Some(c) = dropped {
            browser.dropped_at = Some(now);
            self.lineage.release(c.auth.node);
            self.trace(now, |_| "session cookie dropped: it was not persistent (R-PB-3)".into());
        }
        // A confidential client's background work runs server-side and goes on.
        let in_browser = |k: &Key| (k.0, k.1) == ud && matches!(k.2, Client::Browser | Client::Confidential);
        self.uses.retain(|k, _| !in_browser(k));
        self.backgrounds.retain(|k, _| !((k.0, k.1) == ud && k.2 == Client::Browser));
        for (k, rt) in self.refresh_tokens.iter_mut() {
            if (k.0, k.1) == ud && k.2 == Client::Confidential {
                rt.needs_interactive = true;
            }
        }
    }

    /// R-REV-2, R-PRT-7: a password change revokes what was derived from a password.
    fn password_change(&mut self, user: UserIdx, now: Instant) {
        let reached: BTreeSet<_> =
            self.lineage.derived_from(user, |n| n.credential == Credential::Password).into_iter().collect();
        let cause = Revocation { cause: PASSWORD_CHANGED, rule: "R-REV-2" };
        self.revoke(|u, _| u == user, now, cause, |auth| reached.contains(&auth.node));
        self.user_risk[user] = Risk::None; // a secure password change remediates user risk
        self.invalidate_policies();
    }

    /// R-REV-1, R-REV-2: an admin revoke (or disabling the account) revokes everything.
    fn revoke_all(&mut self, user: UserIdx, now: Instant, cause: &'static str) {
        self.revoke(|u, _| u == user, now, Revocation { cause, rule: "R-REV-1" }, |_| true);
    }

    /// Revokes the PRTs, cookies and refresh tokens of the (user, device) pairs in
    /// `scope` that `hit` selects, then re-evaluates ongoing uses there at once.
    fn revoke(
        &mut self,
        scope: impl Fn(UserIdx, DeviceIdx) -> bool,
        now: Instant,
        why: Revocation,
        hit: impl Fn(&Auth) -> bool,
    ) {
        let mut count = 0;
        let mut users = BTreeSet::new();
        for (k, prt) in self.prts.iter_mut().filter(|(k, _)| scope(k.0, k.1)) {
            if !prt.revoked && hit(&prt.auth) {
                prt.revoked = true;
                count += 1;
                users.insert(k.0);
            }
        }
        for (k, b) in self.browsers.iter_mut().filter(|(k, _)| scope(k.0, k.1)) {
            if let Some(c) = b.cookie.as_mut().filter(|c| !c.revoked && hit(&c.auth)) {
                c.revoked = true;
                count += 1;
                users.insert(k.0);
            }
        }
        for (k, rt) in self.refresh_tokens.iter_mut().filter(|(k, _)| scope(k.0, k.1)) {
            if !rt.revoked && hit(&rt.auth) {
                rt.revoked = true;
                count += 1;
                users.insert(k.0);
            }
        }
        for u in users {
            self.revoked_by[u] = Some((now, why.cause, why.rule));
        }
        self.trace(now, |_| format!("{}: {count} session artifacts revoked ({})", why.cause, why.rule));
        // R-REV-3: apps in use notice at their next request, which continuous use makes now.
        self.reevaluate_uses(|k| scope(k.0, k.1), now);
    }

    /// R-REV-1: a device that becomes non-compliant ends the sessions on it, the PRT included.
    fn set_compliant(&mut self, device: DeviceIdx, value: bool, now: Instant) {
        let was = std::mem::replace(&mut self.devices[device].compliant, value);
        self.invalidate_policies(); // device filters read isCompliant
        if was && !value {
            let why = Revocation { cause: "the device became non-compliant", rule: "R-REV-1" };
            self.revoke(|_, d| d == device, now, why, |_| true);
        }
    }

    /// A policy change takes effect at once: every ongoing use is evaluated now.
    fn set_policy_state(&mut self, policy: PolicyIdx, state: PolicyState, now: Instant) {
        self.policy_state[policy] = state;
        self.invalidate_policies();
        self.reevaluate_uses(|_| true, now);
    }

    fn reevaluate_uses(&mut self, which: impl Fn(&Key) -> bool, now: Instant) {
        let active: Vec<(Key, u64)> =
            self.uses.iter().filter(|(k, _)| which(k)).map(|(k, u)| (*k, u.generation)).collect();
        for (key, generation) in active {
            self.queue.schedule(now, Ev::UseTick(key, generation));
        }
    }

    /// R-CA-1: the sign-in risk and authentication context of a key's accesses,
    /// as its latest `use` step gave them.
    fn set_access_facts(&mut self, key: Key, facts: AccessFacts) {
        let previous = if facts == AccessFacts::default() {
            self.access_facts.remove(&key)
        } else {
            self.access_facts.insert(key, facts.clone())
        };
        if previous.unwrap_or_default() != facts {
            self.invalidate_policies(); // sign-in risk and authentication context (R-CA-1)
        }
    }

    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    fn start_use(&mut self, now: Instant, key: Key, until: Option<Instant>, on_prompt: OnPrompt) {
        let d = key.1;
        // Using the device means being at it; a `use` does not present a credential, so no PRT refresh.
        self.device_state[d].locked = false;
        let generation = self.next_generation();
        if let Some(until) = until {
            self.uses.insert(key, ActiveUse { until, generation, on_prompt });
            self.queue.schedule(until, Ev::UseEnd(key, generation));
        }
        match self.interact(key, now, Trigger::UseStart, on_prompt) {
            Flow::Continue => self.schedule_use_tick(key, now),
            _ => {
                self.uses.remove(&key);
            }
        }
    }

    fn start_background(&mut self, now: Instant, key: Key, until: Instant) {
        let generation = self.next_generation();
        self.backgrounds.insert(key, ActiveBackground { until, generation, paused: false });
        self.queue.schedule(until, Ev::BackgroundEnd(key, generation));
        if self.needs_token(key, now, Trigger::Background) {
            self.background_refresh(key, now);
        } else {
            self.schedule_background_tick(key);
        }
    }

    // ----- engine events ------------------------------------------------------

    fn engine_event(&mut self, now: Instant, ev: Ev) {
        match ev {
            Ev::UseTick(key, generation) => {
                let active = self.uses.get(&key).filter(|u| u.generation == generation).copied();
                if let Some(active) = active {
                    match self.interact(key, now, Trigger::Tick, active.on_prompt) {
                        Flow::Continue => self.schedule_use_tick(key, now),
                        _ => {
                            self.uses.remove(&key);
                        }
                    }
                }
            }
            Ev::UseEnd(key, generation) => {
                if self.uses.get(&key).is_some_and(|u| u.generation == generation) {
                    self.uses.remove(&key);
                }
            }
            Ev::BackgroundTick(key, generation) => {
                if self.backgrounds.get(&key).is_some_and(|b| b.generation == generation && !b.paused) {
                    self.background_refresh(key, now);
                }
            }
            Ev::BackgroundEnd(key, generation) => {
                if self.backgrounds.get(&key).is_some_and(|b| b.generation == generation) {
                    self.backgrounds.remove(&key);
                }
            }
        }
    }

    fn background_refresh(&mut self, key: Key, now: Instant) {
        match self.interact(key, now, Trigger::Background, OnPrompt::Answer) {
            Flow::Continue => self.schedule_background_tick(key),
            Flow::Pause => {
                if let Some(b) = self.backgrounds.get_mut(&key) {
                    b.paused = true;
                }
            }
            Flow::Stop => {
                self.backgrounds.remove(&key);
                self.trace(now, |s| format!("background activity of {} stopped: no usable session", s.key_words(key)));
            }
        }
    }

    /// R-TOK-1: background activity renews its token when it expires.
    fn schedule_background_tick(&mut self, key: Key) {
        let (Some(bg), Some(at)) = (self.backgrounds.get(&key), self.access_tokens.get(&key)) else {
            return;
        };
        if at.expires < bg.until {
            let generation = bg.generation;
            self.queue.schedule(at.expires, Ev::BackgroundTick(key, generation));
        }
    }

    /// R-SIF-5: continuous use is evaluated at the next instant something can
    /// be due: token expiry, or (interaction mode) an auth instant reaching SIF.
    fn schedule_use_tick(&mut self, key: Key, now: Instant) {
        let Some(active) = self.uses.get(&key).copied() else {
            return;
        };
        let mut candidates = Vec::new();
        if let Some(at) = self.access_tokens.get(&key) {
            candidates.push(at.expires);
        }
        if self.sc.settings.evaluation == Evaluation::Interaction {
            let req = self.requirements(key);
            let view = self.view(key, now);
            if let (Some(auth), false) = (view.auth, view.deferred_client) {
                if let Some((sif, _, _)) = req.periodic {
                    candidates.push(auth.auth + sif);
                    if let Some(m) = auth.mfa.filter(|_| req.mfa_with_sif) {
                        candidates.push(m + sif);
                    }
                }
                for &p in req.report_only.iter() {
                    if let Some(Sif::Periodic(s)) = self.sc.policies[p].sif {
                        candidates.push(auth.auth + s);
                    }
                }
            }
        }
        if let Some(next) = candidates.into_iter().filter(|&t| t > now).min()
            && next < active.until
        {
            self.queue.schedule(next, Ev::UseTick(key, active.generation));
        }
    }

    // ----- evaluation ---------------------------------------------------------

    fn context(&self, key: Key) -> SignInContext<'_> {
        let (u, d, client, app) = key;
        let facts = self.access_facts.get(&key);
        let device = &self.devices[d];
        SignInContext {
            user_idx: u,
            user: &self.sc.users[u],
            app,
            app_info: &self.sc.apps[app],
            client,
            legacy_client: None,
            device,
            device_props: None,
            ip: device.ip,
            country: device.country.as_deref(),
            compliant_network: device.compliant_network,
            sign_in_risk: facts.map(|f| f.sign_in_risk).unwrap_or_default(),
            user_risk: self.user_risk[u],
            insider_risk: self.sc.users[u].insider_risk,
            auth_flow: facts.and_then(|f| f.auth_flow),
            at: Some(self.clock),
            service_principal: None,
            user_action: self.sc.apps[app]
                .is_user_action()
                .then(|| UserAction::parse(&self.sc.apps[app].app_id))
                .flatten(),
            auth_context: facts.and_then(|f| f.auth_context.as_deref()),
            named_locations: &self.sc.named_locations,
        }
    }

    /// What this access can show against grant controls (R-CA-2).
    fn grant_facts(&self, key: Key, has_mfa: bool) -> GrantFacts {
        let (u, d, client, app) = key;
        GrantFacts::of(&self.sc.users[u], &self.devices[d], &self.sc.apps[app], client, has_mfa)
    }

    /// The blocking policy's unmet controls in words.
    fn block_detail(&self, key: Key, policy: Option<PolicyIdx>) -> String {
        let facts = self.grant_facts(key, true);
        policy
            .and_then(|p| self.sc.policies[p].grant.as_ref())
            .map(|g| g.block_detail(facts))
            .unwrap_or_else(|| "a policy blocks access".to_string())
    }

    /// R-CA-1, R-SIF-4: the policies that apply and what they require.
    fn requirements(&self, key: Key) -> Requirements {
        let applicable = self.applicable(key);
        let mut req = Requirements {
            enforced: applicable.enforced.clone(),
            report_only: applicable.report_only.clone(),
            own_periodic: applicable.own_periodic,
            every_time: applicable.every_time,
            mfa_with_sif: applicable.requires_mfa,
            ..Requirements::default()
        };
        req.periodic = req.own_periodic.map(|(s, p)| (s, p, false));
        if let Some((shared, p)) = self.shared_browser_sif(key)
            && req.periodic.is_none_or(|(own, _, _)| shared < own)
        {
            req.periodic = Some((shared, p, true));
        }
        req.mfa_with_sif &= req.periodic.is_some();
        req
    }

    /// R-CA-1: which policies apply to `key`'s accesses. Conditions change only
    /// with the facts `invalidate_policies` is called for, so the answer is kept.
    fn applicable(&self, key: Key) -> Rc<Applicable> {
        if let Some(hit) = self.applicable.borrow().get(&key) {
            return hit.clone();
        }
        let cx = self.context(key);
        let (mut enforced, mut report_only) = (Vec::new(), Vec::new());
        let mut found = Applicable::default();
        for (i, p) in self.sc.policies.iter().enumerate() {
            if self.policy_state[i] == PolicyState::Disabled || !p.applies(&cx) {
                continue;
            }
            if self.policy_state[i] == PolicyState::ReportOnly {
                report_only.push(i);
                continue;
            }
            enforced.push(i);
            match p.sif {
                Some(Sif::Periodic(s)) if found.own_periodic.is_none_or(|(best, _)| s < best) => {
                    found.own_periodic = Some((s, i))
                }
                Some(Sif::EveryTime) if found.every_time.is_none() => found.every_time = Some(i),
                _ => {}
            }
            found.requires_mfa |= p.requires_mfa();
        }
        found.enforced = enforced.into();
        found.report_only = report_only.into();
        let found = Rc::new(found);
        if !self.time_dependent {
            self.applicable.borrow_mut().insert(key, found.clone());
        }
        found
    }

    /// Forgets which policies apply: a policy state, a device, a user's risk or
    /// an access's facts changed.
    fn invalidate_policies(&mut self) {
        self.applicable.get_mut().clear();
    }

    /// R-SIF-4: the shortest SIF among the apps used in this browser session.
    fn shared_browser_sif(&self, key: Key) -> Option<(Seconds, PolicyIdx)> {
        let (u, d, client, _) = key;
        if !self.sc.settings.browser_shared_sif || client != Client::Browser {
            return None;
        }
        let cookie = self.browsers.get(&(u, d))?.cookie.as_ref()?;
        cookie.shared_sif.filter(|(_, p)| self.policy_state[*p] == PolicyState::Enabled)
    }

    fn needs_token(&self, key: Key, now: Instant, trigger: Trigger) -> bool {
        let fresh_each_use = trigger == Trigger::UseStart && self.sc.apps[key.3].fresh_token_each_use; // R-TOK-2
        // An app asking for an authentication context requests a token carrying it (a step-up).
        let step_up =
            trigger == Trigger::UseStart && self.access_facts.get(&key).is_some_and(|f| f.auth_context.is_some());
        fresh_each_use || step_up || self.access_tokens.get(&key).is_none_or(|t| t.expires <= now)
    }

    fn usable_prt(&self, ud: UserDevice, now: Instant) -> Option<&Prt> {
        let window = self.sc.settings.default_session_window;
        self.prts.get(&ud).filter(|p| !p.revoked && now - p.last_used < window)
    }

    fn view(&self, key: Key, now: Instant) -> View {
        let (u, d, client, _) = key;
        match client {
            Client::Browser => self.browser_view((u, d), now),
            Client::Desktop | Client::Mobile => self.native_view(key, now),
            Client::Confidential => match self.refresh_tokens.get(&key) {
                Some(rt)
                    if !rt.needs_interactive
                        && !rt.revoked
                        && now - rt.last_used < self.sc.settings.default_session_window =>
                {
                    View { deferred_client: true, ..View::valid(rt.auth, self.is_prt_rooted(rt.auth)) }
                }
                // Without a usable web session the app signs the user in through the browser.
                _ => self.browser_view((u, d), now),
            },
        }
    }

    fn is_prt_rooted(&self, auth: Auth) -> bool {
        self.lineage
            .chain(auth.node)
            .last()
            .is_some_and(|n| matches!(n.origin, Origin::PrtRefresh { .. } | Origin::WamSignIn))
    }

    /// R-PRT-5, R-PB-*: a browser presents its cookie, and the PRT when it supports SSO.
    fn browser_view(&self, ud: UserDevice, now: Instant) -> View {
        let device = &self.devices[ud.1];
        let sso = if device.browser.supports_prt_sso() { self.usable_prt(ud, now) } else { None };
        let browser = self.browsers.get(&ud);
        let cookie = browser.and_then(|b| b.cookie.as_ref());
        let cookie_status = match cookie {
            None => Status::Missing { closed_at: browser.and_then(|b| b.dropped_at) },
            Some(c) if c.revoked => Status::Revoked,
            Some(c) => {
                // R-PB-5: session cookies die after 24 h idle, persistent ones after 90 days.
                let window = if c.persistent {
                    self.sc.settings.default_session_window
                } else {
                    self.sc.settings.session_cookie_idle
                };
                if now - c.last_used >= window {
                    Status::Inactive { last_used: c.last_used, window }
                } else {
                    Status::Valid
                }
            }
        };
        match (cookie_status, cookie, sso) {
            (Status::Valid, Some(c), Some(prt)) if prt.auth.auth >= c.auth.auth => {
                View::valid(merge_mfa(prt.auth, c.auth), true)
            }
            (Status::Valid, Some(c), Some(prt)) => View::valid(merge_mfa(c.auth, prt.auth), self.is_prt_rooted(c.auth)),
            (Status::Valid, Some(c), None) => View::valid(c.auth, self.is_prt_rooted(c.auth)),
            (_, _, Some(prt)) => View::valid(prt.auth, true),
            (status, _, None) => View::failed(status),
        }
    }

    /// Native clients get tokens from the PRT through WAM when the device has
    /// one (R-PRT-5), otherwise from their own refresh token.
    fn native_view(&self, key: Key, now: Instant) -> View {
        let window = self.sc.settings.default_session_window;
        if let Some(prt) = self.prts.get(&(key.0, key.1)) {
            return if prt.revoked {
                View::failed(Status::Revoked)
            } else if now - prt.last_used >= window {
                View::failed(Status::Inactive { last_used: prt.last_used, window })
            } else {
                View::valid(prt.auth, true)
            };
        }
        match self.refresh_tokens.get(&key) {
            None => View::missing(None),
            Some(rt) if rt.revoked => View::failed(Status::Revoked),
            // R-SIF-2: a refresh token unused for 90 days expires (700082).
            Some(rt) if now - rt.last_used >= window => {
                View::failed(Status::Inactive { last_used: rt.last_used, window })
            }
            Some(rt) => View::valid(rt.auth, false),
        }
    }

    /// One evaluation of a request for `key` (R-SIF-5, R-ET-2, R-CA-2).
    fn interact(&mut self, key: Key, now: Instant, trigger: Trigger, on_prompt: OnPrompt) -> Flow {
        let (u, d, client, _) = key;
        if trigger != Trigger::Background {
            // The user is at the device: prompts waiting there are answered first (R-DEF-3).
            self.answer_pending((u, d), now);
        }
        if self.disabled[u] {
            if trigger != Trigger::Background {
                self.block(key, now, None, 50057, "R-REV-1", "the account is disabled".into());
            }
            return Flow::Stop;
        }
        let req = self.requirements(key);
        let token_request = trigger == Trigger::Background || self.needs_token(key, now, trigger);
        let view = self.view(key, now);
        let prompts_before = self.out.prompts.len();
        if let Some(due) = self.due(key, now, &req, &view, token_request) {
            if trigger == Trigger::Background {
                match self.background_due(key, now, due, &req) {
                    Flow::Continue => {}
                    other => return other,
                }
            } else if !self.raise_prompt(key, now, due, &req, false, on_prompt) {
                return Flow::Stop;
            }
        }
        if view.deferred_client {
            self.note_confidential_deferral(key, now, &req, &view);
        }
        // Conditional Access grants are checked when a token is issued, not while one is valid.
        let grant = if token_request { self.check_grants(key, now, &req) } else { GrantOutcome::Satisfied };
        match grant {
            GrantOutcome::Satisfied => {}
            GrantOutcome::Blocked(code) => {
                if trigger != Trigger::Background {
                    let policy = self.blocking_policy(key, &req, code);
                    let detail = self.block_detail(key, policy);
                    self.block(key, now, policy, code, "R-CA-2", detail);
                }
                return Flow::Stop;
            }
            need @ (GrantOutcome::NeedsMfa | GrantOutcome::NeedsTerms | GrantOutcome::NeedsPasswordChange) => {
                let due = self.grant_due(&req, need);
                match trigger {
                    Trigger::Background if client.is_native() => {
                        if !self.raise_prompt(key, now, due, &req, true, OnPrompt::Answer) {
                            return Flow::Pause;
                        }
                    }
                    Trigger::Background => return Flow::Stop,
                    _ => {
                        if !self.raise_prompt(key, now, due, &req, false, on_prompt) {
                            return Flow::Stop;
                        }
                    }
                }
            }
        }
        self.report_only(key, now, &req, token_request);
        self.note_persistent_override(key, now, &req);
        if token_request {
            self.issue_token(key, now);
            if self.out.prompts.len() == prompts_before {
                self.record_silent_token(key, now, &req);
            }
        }
        self.note = None;
        self.touch(key, now);
        self.remember_browser_sif(key, &req);
        Flow::Continue
    }

    /// R-PROMPT-1: the first reason, in precedence order, that the session cannot be used.
    fn due(&self, key: Key, now: Instant, req: &Requirements, view: &View, token_request: bool) -> Option<Due> {
        let (u, d, client, app) = key;
        let simple = |reason: Reason, rule: &'static str, detail: String| {
            Some(Due { reason, policy: None, expired: None, rule, detail })
        };
        match view.status {
            Status::Valid => {}
            // R-REV-3: CAE apps notice a revocation at their next request, others at their next token request.
            Status::Revoked if self.sc.apps[app].cae || token_request => {
                let (at, cause, rule) = self.revoked_by[u].unwrap_or((now, "revocation", "R-REV-1"));
                return simple(Reason::Revoked, rule, format!("session revoked at {}: {cause}", self.rel(at)));
            }
            Status::Revoked => return None,
            Status::Missing { closed_at: Some(at) } if client != Client::Desktop && client != Client::Mobile => {
                return simple(
                    Reason::BrowserClosed,
                    "R-PB-3",
                    format!("the browser was closed at {} and its session cookie was not persistent", self.rel(at)),
                );
            }
            Status::Missing { .. } => {
                let device = &self.sc.devices[d];
                let why = if client == Client::Browser && !device.browser.supports_prt_sso() {
                    format!(" ({} does not do PRT single sign-on)", device.browser.name())
                } else {
                    String::new()
                };
                return simple(
                    Reason::NoSession,
                    "R-TOK-1",
                    format!("no session yet for {} in the {}{why}", self.sc.apps[app].key, client.words()),
                );
            }
            Status::Inactive { last_used, window } => {
                let rule = if client == Client::Browser { "R-PB-5" } else { "R-SIF-2" };
                return simple(
                    Reason::Inactive,
                    rule,
                    format!("session unused since {} (idle window {})", self.rel(last_used), time::duration(window)),
                );
            }
        }
        let auth = view.auth?;
        if view.deferred_client {
            return None; // R-DEF-2
        }
        let evaluate_periodic = self.sc.settings.evaluation == Evaluation::Interaction || token_request;
        if let Some((sif, policy, shared)) = req.periodic.filter(|_| evaluate_periodic) {
            let auth_expired = now - auth.auth >= sif;
            let mfa_expired = req.mfa_with_sif && auth.mfa.is_some_and(|m| now - m >= sif);
            if auth_expired || mfa_expired {
                let expired = if auth_expired { auth.auth } else { auth.mfa.unwrap_or(auth.auth) };
                let rule = if let Some((_, deferred_by)) = self.deferrals.get(&key).filter(|(t, _)| *t == auth.auth) {
                    deferred_by
                } else if shared {
                    "R-SIF-4"
                } else if !auth_expired {
                    "R-SIF-3"
                } else if view.from_prt {
                    "R-PRT-2"
                } else if self.sc.settings.evaluation == Evaluation::Token {
                    "R-SIF-6"
                } else {
                    "R-SIF-1"
                };
                let detail = self.sif_detail(sif, policy, shared, auth, auth_expired, view);
                return Some(Due {
                    reason: Reason::SignInFrequency,
                    policy: Some(policy),
                    expired: Some(expired),
                    rule,
                    detail,
                });
            }
        }
        if let Some(policy) = req.every_time.filter(|_| token_request) {
            let skew = self.sc.settings.every_time_skew;
            let last = self.last_full_auth.get(&(u, d)).copied();
            if last.is_none_or(|t| now - t >= skew) {
                let detail = match last {
                    Some(t) => format!(
                        "every time: last full sign-in on this device at {} is more than {} ago",
                        self.rel(t),
                        time::duration(skew)
                    ),
                    None => "every time: no full sign-in on this device yet".to_string(),
                };
                return Some(Due {
                    reason: Reason::EveryTime,
                    policy: Some(policy),
                    expired: last,
                    rule: "R-ET-1",
                    detail,
                });
            }
        }
        None
    }

    fn sif_detail(
        &self,
        sif: Seconds,
        policy: PolicyIdx,
        shared: bool,
        auth: Auth,
        auth_expired: bool,
        view: &View,
    ) -> String {
        let mut words = format!("sign-in frequency {} exceeded: ", time::duration(sif));
        if auth_expired {
            words.push_str(&format!("last sign-in {}", self.rel(auth.auth)));
        } else {
            words.push_str(&format!("last MFA {}", self.rel(auth.mfa.unwrap_or(auth.auth))));
        }
        if let Some(root) = self.lineage.chain(auth.node).last() {
            words.push_str(&format!(" ({})", root.describe()));
        }
        if view.from_prt
            && let Some(prt) = self.prts.get(&(root_user_device(self, auth)))
            && let Some((at, at_unlock)) = prt.skipped_refresh.filter(|(at, _)| *at > auth.auth)
        {
            let what = if at_unlock { "unlock" } else { "device sign-in" };
            let interval = self.sc.settings.prt_refresh_interval;
            words.push_str(&format!(
                "; the {what} at {} did not refresh it ({} < {})",
                self.rel(at),
                time::duration(at - prt.last_refresh),
                time::duration(interval)
            ));
        }
        if shared {
            words.push_str(&format!(
                "; shortest frequency in this browser session, from policy `{}`",
                self.sc.policies[policy].name
            ));
        }
        words
    }

    /// What happens when a background refresh meets a due prompt.
    fn background_due(&mut self, key: Key, now: Instant, due: Due, req: &Requirements) -> Flow {
        let client = key.2;
        let sif_like = matches!(due.reason, Reason::SignInFrequency | Reason::EveryTime);
        if client == Client::Browser && sif_like {
            // R-DEF-1: enforcement on a browser's background work waits for the next interaction.
            let auth = self.view(key, now).auth.map(|a| a.auth).unwrap_or(now);
            let detail = format!("{}; deferred until the next user interaction", due.detail);
            if self.deferrals.insert(key, (auth, "R-DEF-1")) != Some((auth, "R-DEF-1")) {
                self.push_deferral(key, now, due.policy, "R-DEF-1", detail.clone());
            }
            self.note = Some((format!("Sign-in frequency enforcement deferred (R-DEF-1): {detail}"), "R-DEF-1"));
            return Flow::Continue;
        }
        if client.is_native() {
            // R-DEF-3: the refresh fails with 70043 and the prompt waits for the user.
            let due = Due { rule: if sif_like { "R-DEF-3" } else { due.rule }, ..due };
            let answered = self.raise_prompt(key, now, due, req, true, OnPrompt::Answer);
            return if answered { Flow::Continue } else { Flow::Pause };
        }
        // A browser or web app without a usable session cannot refresh in the background.
        self.record_refusal(key, now, &due, error_code(due.reason, client).unwrap_or(50058), true, None);
        Flow::Stop
    }

    /// R-DEF-2: a confidential client's refreshes enforce neither SIF nor every time.
    fn note_confidential_deferral(&mut self, key: Key, now: Instant, req: &Requirements, view: &View) {
        let Some(auth) = view.auth else { return };
        let (what, policy) = match (req.periodic, req.every_time) {
            (Some((sif, policy, _)), _) if now - auth.auth >= sif => {
                (format!("sign-in frequency {} reached", time::duration(sif)), policy)
            }
            (_, Some(policy)) => ("every-time reauthentication due".to_string(), policy),
            _ => return,
        };
        let detail = format!(
            "{what} (last sign-in {}) but not enforced on the confidential client's non-interactive sign-ins until its next interactive sign-in",
            self.rel(auth.auth)
        );
        if self.deferrals.insert(key, (auth.auth, "R-DEF-2")) != Some((auth.auth, "R-DEF-2")) {
            self.push_deferral(key, now, Some(policy), "R-DEF-2", detail.clone());
        }
        self.note = Some((format!("Sign-in frequency enforcement deferred (R-DEF-2): {detail}"), "R-DEF-2"));
    }

    fn push_deferral(&mut self, key: Key, now: Instant, policy: Option<PolicyIdx>, rule: &'static str, detail: String) {
        self.trace(now, |_| format!("deferred ({rule}): {detail}"));
        let notice = self.notice(key, now, policy, rule, detail);
        self.out.deferred.push(notice);
    }

    fn notice(&self, key: Key, now: Instant, policy: Option<PolicyIdx>, rule: &'static str, detail: String) -> Notice {
        let (u, d, client, app) = key;
        Notice {
            at: now,
            user: self.sc.users[u].id.clone(),
            device: self.sc.devices[d].id.clone(),
            app: self.sc.apps[app].key.clone(),
            client,
            policy: policy.map(|p| self.sc.policies[p].name.clone()),
            rule,
            detail,
        }
    }

    fn check_grants(&self, key: Key, now: Instant, req: &Requirements) -> GrantOutcome {
        let view = self.view(key, now);
        // R-SIF-3 expires MFA with SIF, except where SIF itself is deferred (R-DEF-2).
        let sif = req.periodic.map(|(s, _, _)| s).filter(|_| !view.deferred_client);
        let has_mfa =
            view.auth.and_then(|a| a.mfa).is_some_and(|m| !(req.mfa_with_sif && sif.is_some_and(|s| now - m >= s)));
        let mut facts = self.grant_facts(key, has_mfa);
        facts.terms_accepted = self.terms_accepted(key.0, req);
        combine_all(req.enforced.iter().filter_map(|&p| self.sc.policies[p].grant.as_ref()).map(|g| g.evaluate(facts)))
    }

    /// The prompt a grant's user action asks for (R-CA-2).
    fn grant_due(&self, req: &Requirements, need: GrantOutcome) -> Due {
        let (reason, detail) = match need {
            GrantOutcome::NeedsTerms => (Reason::TermsOfUse, "the grant requires accepting terms of use"),
            GrantOutcome::NeedsPasswordChange => {
                (Reason::PasswordChange, "the grant requires a secure password change (user risk), with MFA")
            }
            _ => (Reason::MfaRequired, "the grant requires MFA and the session has no valid MFA claim"),
        };
        let asks = |p: &PolicyIdx| {
            self.sc.policies[*p].grant.as_ref().is_some_and(|g| match reason {
                Reason::TermsOfUse => !g.terms().is_empty(),
                Reason::PasswordChange => g.asks_password_change(),
                _ => g.mentions_mfa(),
            })
        };
        let policy = req.enforced.iter().copied().find(asks);
        Due { reason, policy, expired: None, rule: "R-CA-2", detail: detail.into() }
    }

    /// Whether the user has accepted every terms of use the applicable grants ask for.
    fn terms_accepted(&self, user: UserIdx, req: &Requirements) -> bool {
        self.policy_terms(req).iter().all(|t| self.accepted_terms.contains(&(user, t.to_string())))
    }

    fn policy_terms<'p>(&'p self, req: &Requirements) -> Vec<&'p str> {
        req.enforced.iter().filter_map(|&p| self.sc.policies[p].grant.as_ref()).flat_map(|g| g.terms()).collect()
    }

    fn blocking_policy(&self, key: Key, req: &Requirements, code: u32) -> Option<PolicyIdx> {
        let facts = self.grant_facts(key, true);
        req.enforced.iter().copied().find(|&p| {
            self.sc.policies[p].grant.as_ref().is_some_and(|g| g.evaluate(facts) == GrantOutcome::Blocked(code))
        })
    }

    fn block(
        &mut self,
        key: Key,
        now: Instant,
        policy: Option<PolicyIdx>,
        code: u32,
        rule: &'static str,
        detail: String,
    ) {
        let (u, d, client, app) = key;
        self.trace(now, |s| format!("blocked {} ({code}): {detail}", s.key_words(key)));
        self.record_block(key, now, policy, code);
        self.out.blocked.push(Blocked {
            at: now,
            user: self.sc.users[u].id.clone(),
            device: self.sc.devices[d].id.clone(),
            app: self.sc.apps[app].key.clone(),
            client,
            policy: policy.map(|p| self.sc.policies[p].name.clone()),
            error_code: code,
            rule,
            detail,
        });
    }

    /// R-PROMPT-1, R-PROMPT-2: records a prompt and, unless it waits for the
    /// user (R-DEF-3), has the user respond at once. Returns whether the user
    /// now has access (false when they failed or abandoned the sign-in).
    fn raise_prompt(
        &mut self,
        key: Key,
        now: Instant,
        due: Due,
        req: &Requirements,
        background: bool,
        on_prompt: OnPrompt,
    ) -> bool {
        let (u, d, client, app) = key;
        let with_mfa =
            due.reason == Reason::MfaRequired || req.enforced.iter().any(|&p| self.sc.policies[p].requires_mfa());
        let error_code = error_code(due.reason, client);
        // R-DEF-3: a background prompt waits for the user; one sign-in through WAM
        // answers every prompt waiting on the device, so a new one joins an open one.
        let waits = background && self.waits_for_user(key);
        let open = self.pending.iter().find(|p| (p.key.0, p.key.1) == (u, d)).map(|p| p.prompt).filter(|_| waits);
        let index = open.unwrap_or(self.out.prompts.len());
        if let Some(code) = error_code {
            self.record_refusal(key, now, &due, code, background, Some(index));
        }
        if let Some(open) = open {
            self.pending.push(Pending { key, prompt: open, mfa: with_mfa });
            self.trace(now, |s| {
                format!("joins the prompt raised at {} on this device (R-DEF-3)", s.rel(s.out.prompts[open].at))
            });
            return false;
        }
        self.trace(now, |s| {
            format!("PROMPT {} {}: {} [{}]", s.key_words(key), due.reason.name(), due.detail, due.rule)
        });
        self.out.prompts.push(Prompt {
            at: now,
            user: self.sc.users[u].id.clone(),
            device: self.sc.devices[d].id.clone(),
            app: self.sc.apps[app].key.clone(),
            client,
            kind: due.reason.kind(),
            reason: due.reason,
            policy: due.policy.map(|p| self.sc.policies[p].name.clone()),
            rule: due.rule,
            expired_auth_instant: due.expired,
            answered_at: Some(now),
            result: PromptResult::Answered,
            error_code,
            stay_signed_in: None,
            detail: due.detail,
        });
        if waits {
            self.pending.push(Pending { key, prompt: index, mfa: with_mfa });
            self.trace(now, |_| "the prompt waits for the user's next interaction with the device (R-DEF-3)".into());
            self.out.prompts[index].answered_at = None;
            self.out.prompts[index].result = PromptResult::Unanswered;
            return false;
        }
        match on_prompt {
            OnPrompt::Answer => {
                let kmsi = self.answer(key, now, due.reason, with_mfa, req);
                self.out.prompts[index].stay_signed_in = kmsi;
                self.record_answer(key, now, index, with_mfa);
                true
            }
            OnPrompt::Fail | OnPrompt::Abandon => {
                let prompt = &mut self.out.prompts[index];
                prompt.answered_at = None;
                prompt.result =
                    if on_prompt == OnPrompt::Fail { PromptResult::Failed } else { PromptResult::Abandoned };
                if on_prompt == OnPrompt::Fail {
                    prompt.error_code = Some(50126); // invalid username or password
                    self.record_failed_answer(key, now, index);
                }
                self.trace(now, |_| {
                    format!("the user did not complete the sign-in ({on_prompt:?}); the use ends (R-PROMPT-2)")
                });
                false
            }
        }
    }

    /// R-DEF-3: a background prompt is answered at once only when the user is at the device.
    fn waits_for_user(&self, key: Key) -> bool {
        let (u, d, _, _) = key;
        let present = !self.device_state[d].locked && self.uses.keys().any(|k| k.0 == u && k.1 == d);
        !present && self.backgrounds.contains_key(&key) && !self.uses.contains_key(&key)
    }

    fn answer_pending(&mut self, ud: UserDevice, now: Instant) {
        if self.pending.is_empty() {
            return;
        }
        let (mine, rest): (Vec<Pending>, Vec<Pending>) = self.pending.drain(..).partition(|p| (p.key.0, p.key.1) == ud);
        self.pending = rest;
        for p in mine {
            self.out.prompts[p.prompt].answered_at = Some(now);
            self.out.prompts[p.prompt].result = PromptResult::Answered;
            let reason = self.out.prompts[p.prompt].reason;
            self.trace(now, |s| format!("prompt raised at {} answered (R-DEF-3)", s.rel(s.out.prompts[p.prompt].at)));
            self.answer(p.key, now, reason, p.mfa, &Requirements::default());
            self.record_answer(p.key, now, p.prompt, p.mfa);
            if let Some(bg) = self.backgrounds.get_mut(&p.key) {
                bg.paused = false;
                let generation = bg.generation;
                self.queue.schedule(now, Ev::BackgroundTick(p.key, generation));
            }
        }
    }

    /// R-PROMPT-2: the user answers; the answer sets a new auth instant where the
    /// client keeps it (R-PRT-6). Returns the "Stay signed in?" answer if shown.
    fn answer(&mut self, key: Key, now: Instant, reason: Reason, with_mfa: bool, req: &Requirements) -> Option<bool> {
        let (u, d, client, _) = key;
        if reason == Reason::TermsOfUse {
            // Accepting terms presents no credential: the session stays as it is.
            let terms: Vec<String> = self.policy_terms(req).into_iter().map(str::to_string).collect();
            self.accepted_terms.extend(terms.into_iter().map(|t| (u, t)));
            return None;
        }
        self.last_full_auth.insert((u, d), now); // R-ET-1
        if reason == Reason::PasswordChange {
            // The change revokes what rested on the old password (R-REV-2) and remediates user risk.
            self.password_change(u, now);
        }
        let with_mfa = with_mfa || reason == Reason::PasswordChange;
        match client {
            Client::Desktop | Client::Mobile => {
                self.answer_in_app(key, now, reason, with_mfa);
                None
            }
            Client::Browser | Client::Confidential => {
                let kmsi = self.answer_in_browser((u, d), now, reason, with_mfa, req);
                if client == Client::Confidential {
                    let auth = self.browsers[&(u, d)].cookie.as_ref().map(|c| c.auth).expect("just signed in");
                    self.lineage.hold(auth.node);
                    let rt = RefreshToken {
                        auth,
                        last_used: now,
                        revoked: false,
                        needs_interactive: false,
                        issued_ip: self.devices[d].ip,
                    };
                    if let Some(old) = self.refresh_tokens.insert(key, rt) {
                        self.lineage.release(old.auth.node);
                    }
                }
                kmsi
            }
        }
    }

    fn new_auth(
        &self,
        previous: Option<Auth>,
        now: Instant,
        reason: Reason,
        with_mfa: bool,
    ) -> (Instant, Option<Instant>) {
        if reason == Reason::MfaRequired {
            // A step-up keeps the first-factor instant and adds MFA.
            return (previous.map(|a| a.auth).unwrap_or(now), Some(now));
        }
        (now, if with_mfa { Some(now) } else { previous.and_then(|a| a.mfa) })
    }

    /// R-PRT-3, R-PRT-6: through WAM the answer refreshes (or creates) the PRT;
    /// on unregistered devices it sets the app's own refresh token.
    fn answer_in_app(&mut self, key: Key, now: Instant, reason: Reason, with_mfa: bool) {
        let (u, d, client, _) = key;
        let previous = self.native_view(key, now).auth;
        let (auth_at, mfa) = self.new_auth(previous, now, reason, with_mfa);
        if self.devices[d].join != Join::Unregistered {
            // In WAM the user signs in with the device's method (Windows Hello where set up).
            let credential = match self.devices[d].sign_in {
                DeviceSignIn::WindowsHello => Credential::WindowsHello,
                DeviceSignIn::Password => Credential::Password,
            };
            let node = self.lineage.record(u, d, now, Origin::WamSignIn, credential, None);
            // R-PRT-4: Windows Hello for Business is itself multifactor.
            let mfa = if credential == Credential::WindowsHello { Some(now) } else { mfa };
            let prt = Prt {
                auth: Auth { auth: auth_at, mfa, node },
                last_refresh: now,
                last_used: now,
                revoked: false,
                skipped_refresh: None,
            };
            if let Some(old) = self.prts.insert((u, d), prt) {
                self.lineage.release(old.auth.node);
            }
        } else {
            let node = self.lineage.record(u, d, now, Origin::AppSignIn(client), Credential::Password, None);
            let rt = RefreshToken {
                auth: Auth { auth: auth_at, mfa, node },
                last_used: now,
                revoked: false,
                needs_interactive: false,
                issued_ip: self.devices[d].ip,
            };
            if let Some(old) = self.refresh_tokens.insert(key, rt) {
                self.lineage.release(old.auth.node);
            }
        }
    }

    /// R-PRT-6, R-PB-1, R-PB-2: a browser answer refreshes only that browser's
    /// cookie, which is persistent per the policy or the "Stay signed in?" answer.
    fn answer_in_browser(
        &mut self,
        ud: UserDevice,
        now: Instant,
        reason: Reason,
        with_mfa: bool,
        req: &Requirements,
    ) -> Option<bool> {
        let previous = self.browser_view(ud, now).auth;
        let (auth_at, mfa) = self.new_auth(previous, now, reason, with_mfa);
        let (persistent, kmsi) = self.persistence(ud.0, req);
        let node = self.lineage.record(ud.0, ud.1, now, Origin::BrowserSignIn, Credential::Password, None);
        let browser = self.browsers.entry(ud).or_default();
        browser.dropped_at = None;
        let shared_sif = browser.cookie.as_ref().filter(|c| !c.revoked).and_then(|c| c.shared_sif);
        let cookie =
            Cookie { auth: Auth { auth: auth_at, mfa, node }, persistent, last_used: now, revoked: false, shared_sif };
        if let Some(old) = browser.cookie.replace(cookie) {
            self.lineage.release(old.auth.node);
        }
        kmsi
    }

    /// R-PB-2 overrides R-PB-1: a persistent-browser policy decides; otherwise
    /// "Stay signed in?" is shown to members who are not high risk.
    fn persistence(&self, user: UserIdx, req: &Requirements) -> (bool, Option<bool>) {
        let modes: Vec<PersistentBrowser> =
            req.enforced.iter().filter_map(|&p| self.sc.policies[p].effective_persistent_browser()).collect();
        if !modes.is_empty() {
            return (!modes.contains(&PersistentBrowser::Never), None);
        }
        let u = &self.sc.users[user];
        if self.sc.settings.kmsi == Kmsi::Shown && u.user_type == UserType::Member && u.risk != Risk::High {
            (u.stay_signed_in, Some(u.stay_signed_in))
        } else {
            (false, None)
        }
    }

    /// R-TOK-1, R-SIF-6: a new access token.
    fn issue_token(&mut self, key: Key, now: Instant) {
        let lifetime = match self.sc.settings.evaluation {
            Evaluation::Interaction => self.sc.settings.access_token_lifetime,
            Evaluation::Token => 60 * MINUTE + (self.next_random() % (30 * 60 + 1) as u64) as Seconds,
        };
        self.access_tokens.insert(key, AccessToken { expires: now + lifetime });
        self.out.stats.token_requests += 1;
        self.trace(now, |s| format!("token issued to {} until {}", s.key_words(key), s.rel(now + lifetime)));
    }

    /// splitmix64: small, fast and fully determined by the scenario's seed (R-DET-1).
    fn next_random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Marks the artifacts a request used; PRT single sign-on refreshes the
    /// browser's cookie from the PRT (R-PRT-5).
    fn touch(&mut self, key: Key, now: Instant) {
        let (u, d, client, _) = key;
        let view = self.view(key, now);
        if view.status != Status::Valid {
            return;
        }
        if let Some(prt) = self.prts.get_mut(&(u, d)).filter(|_| view.from_prt) {
            prt.last_used = now;
        }
        if view.deferred_client || client.is_native() {
            if let Some(rt) = self.refresh_tokens.get_mut(&key) {
                rt.last_used = now;
            }
            return;
        }
        let prt_auth = self.prts.get(&(u, d)).map(|p| p.auth);
        let browser = self.browsers.entry((u, d)).or_default();
        let cookie_behind =
            browser.cookie.as_ref().is_none_or(|c| c.revoked || prt_auth.is_some_and(|p| p.auth > c.auth.auth));
        match (view.from_prt && cookie_behind, prt_auth) {
            (true, Some(prt)) => {
                let credential =
                    self.lineage.chain(prt.node).last().map(|n| n.credential).unwrap_or(Credential::Password);
                let node = self.lineage.record(u, d, now, Origin::PrtSso, credential, Some(prt.node));
                let browser = self.browsers.entry((u, d)).or_default();
                let kept = browser.cookie.as_ref().filter(|c| !c.revoked);
                let cookie = Cookie {
                    auth: Auth { auth: prt.auth, mfa: merge_mfa(prt, kept.map(|c| c.auth).unwrap_or(prt)).mfa, node },
                    persistent: kept.is_some_and(|c| c.persistent),
                    last_used: now,
                    revoked: false,
                    shared_sif: kept.and_then(|c| c.shared_sif),
                };
                browser.dropped_at = None;
                if let Some(old) = browser.cookie.replace(cookie) {
                    self.lineage.release(old.auth.node);
                }
            }
            _ => {
                if let Some(c) = browser.cookie.as_mut() {
                    c.last_used = now;
                }
            }
        }
        if client == Client::Confidential {
            // The confidential client's web session was re-established through the browser.
            if let Some(cookie_auth) = self.browsers.get(&(u, d)).and_then(|b| b.cookie.as_ref()).map(|c| c.auth) {
                let reissue = self.refresh_tokens.get(&key).is_none_or(|rt| rt.needs_interactive || rt.revoked);
                if reissue {
                    self.lineage.hold(cookie_auth.node);
                    let rt = RefreshToken {
                        auth: cookie_auth,
                        last_used: now,
                        revoked: false,
                        needs_interactive: false,
                        issued_ip: self.devices[d].ip,
                    };
                    if let Some(old) = self.refresh_tokens.insert(key, rt) {
                        self.lineage.release(old.auth.node);
                    }
                }
            }
        }
    }

    /// R-SIF-4: the browser session remembers the shortest SIF of its apps.
    fn remember_browser_sif(&mut self, key: Key, req: &Requirements) {
        let (u, d, client, _) = key;
        let Some((sif, policy)) = req.own_periodic.filter(|_| client == Client::Browser) else {
            return;
        };
        if let Some(cookie) = self.browsers.get_mut(&(u, d)).and_then(|b| b.cookie.as_mut())
            && cookie.shared_sif.is_none_or(|(s, _)| sif < s)
        {
            cookie.shared_sif = Some((sif, policy));
        }
    }

    /// R-PB-4: a persistent cookie keeps working until it expires, even when a
    /// persistent-browser `never` policy now applies; reported once per cookie.
    fn note_persistent_override(&mut self, key: Key, now: Instant, req: &Requirements) {
        let (u, d, client, _) = key;
        if client != Client::Browser {
            return;
        }
        let never = req
            .enforced
            .iter()
            .copied()
            .find(|&p| self.sc.policies[p].effective_persistent_browser() == Some(PersistentBrowser::Never));
        let Some(policy) = never else { return };
        let Some(cookie) = self.browsers.get(&(u, d)).and_then(|b| b.cookie.as_ref()) else { return };
        if !cookie.persistent || cookie.revoked || !self.overridden_cookies.insert(cookie.auth.node) {
            return;
        }
        let detail = format!(
            "the persistent browser session from {} keeps working until it expires although policy `{}` now makes sessions non-persistent",
            self.rel(cookie.auth.auth),
            self.sc.policies[policy].name
        );
        let notice = self.notice(key, now, Some(policy), "R-PB-4", detail);
        self.out.findings.push(notice);
    }

    /// R-CA-1: report-only policies change nothing; what they would have done is reported.
    fn report_only(&mut self, key: Key, now: Instant, req: &Requirements, token_request: bool) {
        if req.report_only.is_empty() {
            return;
        }
        let view = self.view(key, now);
        let Some(auth) = view.auth else { return };
        let (u, d, _, _) = key;
        for &p in req.report_only.iter() {
            let policy = &self.sc.policies[p];
            let finding = match policy.sif {
                Some(Sif::Periodic(s))
                    if (self.sc.settings.evaluation == Evaluation::Interaction || token_request)
                        && now - auth.auth >= s =>
                {
                    Some((
                        Some(Reason::SignInFrequency),
                        "reportOnlyInterrupted",
                        auth.auth,
                        format!(
                            "would prompt: sign-in frequency {} exceeded (last sign-in {})",
                            time::duration(s),
                            self.rel(auth.auth)
                        ),
                    ))
                }
                Some(Sif::EveryTime)
                    if token_request
                        && self
                            .last_full_auth
                            .get(&(u, d))
                            .is_none_or(|t| now - t >= self.sc.settings.every_time_skew) =>
                {
                    Some((
                        Some(Reason::EveryTime),
                        "reportOnlyInterrupted",
                        now,
                        "would prompt: every-time reauthentication at this token request".to_string(),
                    ))
                }
                _ => None,
            };
            let finding = finding.or_else(|| {
                if !token_request {
                    return None;
                }
                let mut facts = self.grant_facts(key, auth.mfa.is_some());
                let terms = policy.grant.as_ref().map(|g| g.terms()).unwrap_or_default();
                facts.terms_accepted = terms.iter().all(|t| self.accepted_terms.contains(&(u, t.to_string())));
                match policy.grant.as_ref().map(|g| g.evaluate(facts)) {
                    Some(GrantOutcome::NeedsMfa) => Some((
                        Some(Reason::MfaRequired),
                        "reportOnlyInterrupted",
                        auth.auth,
                        "would require MFA".to_string(),
                    )),
                    Some(GrantOutcome::NeedsTerms) => Some((
                        Some(Reason::TermsOfUse),
                        "reportOnlyInterrupted",
                        auth.auth,
                        "would ask to accept terms of use".to_string(),
                    )),
                    Some(GrantOutcome::NeedsPasswordChange) => Some((
                        Some(Reason::PasswordChange),
                        "reportOnlyInterrupted",
                        auth.auth,
                        "would require a secure password change".to_string(),
                    )),
                    Some(GrantOutcome::Blocked(code)) => {
                        Some((None, "reportOnlyFailure", auth.auth, format!("would block access ({code})")))
                    }
                    _ => None,
                }
            });
            if let Some((reason, result, instant, detail)) = finding
                && self.reported.insert((p, key, reason), instant) != Some(instant)
            {
                self.push_finding(key, now, p, result, reason, detail);
            }
        }
    }

    fn push_finding(
        &mut self,
        key: Key,
        now: Instant,
        policy: PolicyIdx,
        result: &'static str,
        reason: Option<Reason>,
        detail: String,
    ) {
        let (u, d, client, app) = key;
        self.trace(now, |s| format!("report-only `{}`: {detail}", s.sc.policies[policy].name));
        self.out.report_only.push(ReportOnlyFinding {
            at: now,
            user: self.sc.users[u].id.clone(),
            device: self.sc.devices[d].id.clone(),
            app: self.sc.apps[app].key.clone(),
            client,
            policy: self.sc.policies[policy].name.clone(),
            result,
            reason,
            detail,
        });
    }
}

fn root_user_device(sim: &Sim, auth: Auth) -> UserDevice {
    sim.lineage.node(auth.node).map(|n| (n.user, n.device)).unwrap_or((0, 0))
}

/// The AADSTS error of the request that a prompt for `reason` answers, if any.
fn error_code(reason: Reason, client: Client) -> Option<u32> {
    match reason {
        Reason::EveryTime => Some(50078),
        // R-DEF-3: a refresh token refused by a SIF check.
        Reason::SignInFrequency if client.is_native() => Some(70043),
        Reason::SignInFrequency => Some(70044),
        Reason::Revoked => Some(50173),
        Reason::Inactive => Some(700082),
        Reason::MfaRequired if client.is_native() => Some(50076),
        Reason::MfaRequired => Some(50074),
        // No code documented in REFERENCE.md for these interrupts.
        Reason::NoSession | Reason::BrowserClosed | Reason::TermsOfUse | Reason::PasswordChange => None,
    }
}

/// The first auth with the later of the two MFA instants.
fn merge_mfa(primary: Auth, other: Auth) -> Auth {
    Auth { mfa: primary.mfa.max(other.mfa), ..primary }
}
