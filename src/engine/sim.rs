//! The driver: pops timeline steps and engine events in order (R-DET-1),
//! dispatches each to the rule family that acts on it, and keeps the ongoing
//! `use` and `background` activities with the events that drive them.
//!
//! The rules live in `sim/`, one file per family of MODEL.md; each holds the
//! state only that family reads:
//!
//! | file | rules |
//! |---|---|
//! | `access.rs` | one evaluation of a request, in the order docs/model.md gives |
//! | `session.rs` | the session a request presents (R-TOK-1, R-PRT-5, R-PB-5, R-SIF-2) |
//! | `tokens.rs` | access tokens, their lifetimes and the seeded RNG (R-TOK-1..5, R-SIF-6, R-DET-1) |
//! | `sif.rs` | sign-in frequency (R-SIF-1..6) |
//! | `prt.rs` | the PRT (R-PRT-1..6) |
//! | `platform_sso.rs` | PRTs of non-Windows devices (R-PRT-8) |
//! | `deferral.rs` | deferred enforcement and waiting prompts (R-DEF-1..3) |
//! | `downstream.rs` | policies of the resources an app asks tokens for (R-DOWN-1) |
//! | `every_time.rs` | every-time reauthentication (R-ET-1/2) |
//! | `browser.rs` | browser sessions and persistence (R-PB-1..5) |
//! | `revocation.rs` | revocation (R-REV-1..3, R-PRT-7) |
//! | `ca.rs` | which policies apply and their grants (R-CA-1/2) |
//! | `cae.rs` | continuous access evaluation: event latency, location changes (R-CAE-1/2) |
//! | `prompts.rs` | prompts: precedence, raising, answering (R-PROMPT-1..3) |
//! | `report_only.rs` | report-only policies (R-CA-1, R-CA-3) |
//! | `records.rs` | sign-in log records (R-LOG-*) |
//! | `resilience.rs` | an Entra outage and resilience defaults (R-RES-1, R-RES-2) |
//! | `workload.rs` | workload identities (R-CA-6) |
//! | `spa.rs` | single-page apps (R-SPA-1..3) |
//! | `web.rs` | a confidential client's own web session (R-WEB-1..3) |
//! | `remember_mfa.rs` | remembered MFA on trusted devices (R-RMFA-1..3) |

mod access;
mod browser;
mod ca;
mod cae;
mod deferral;
mod downstream;
mod every_time;
mod platform_sso;
mod prompts;
mod prt;
mod records;
mod remember_mfa;
mod report_only;
mod resilience;
mod revocation;
mod session;
mod sif;
mod spa;
mod tokens;
mod web;
mod workload;

use std::collections::BTreeSet;

use super::Options;
use super::outcome::Outcome;
use super::queue::{Next, Queue};
use super::slots::PerAccess;
use super::state::{Access, DeviceNo, Seat, UserNo};
use super::trace::{TraceEvent, Traced};
use super::world::{Scope, World};
use crate::domain::*;
use crate::scenario::model::*;
use crate::signin::SignInSink;
use crate::time::Instant;

use access::{Flow, Trigger};

/// Issued when a `use` or `background` activity starts, and carried by every
/// event scheduled for it. An event whose ticket is not the activity's current
/// one belongs to an activity that ended or was replaced, and does nothing:
/// this is how a new `use` of the same access cancels the old one's ticks.
/// It carries the access's slot too (`engine::slots`), so that the event's
/// lookups search nothing (issue 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ticket {
    serial: u64,
    slot: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    UseTick(Access, Ticket),
    UseEnd(Access, Ticket),
    BackgroundTick(Access, Ticket),
    BackgroundEnd(Access, Ticket),
}

/// An ongoing `use` interval.
#[derive(Debug, Clone, Copy)]
struct ActiveUse {
    until: Instant,
    ticket: Ticket,
    /// R-PROMPT-2: how the user responds to prompts during this use.
    on_prompt: OnPrompt,
}

/// An ongoing `background` activity.
#[derive(Debug, Clone, Copy)]
struct ActiveBackground {
    until: Instant,
    ticket: Ticket,
    /// R-DEF-3: waiting for the user to answer a prompt.
    paused: bool,
}

pub(super) struct Sim<'a> {
    sc: &'a Scenario,
    options: Options,
    queue: Queue<Ev>,
    last_ticket: u64,
    /// The instant being simulated, for conditions on time (`times`).
    clock: Instant,
    uses: PerAccess<ActiveUse>,
    backgrounds: PerAccess<ActiveBackground>,
    /// Whether each device is locked: the user is away from it (R-DEF-3).
    locked: Vec<bool>,
    /// The users who have had a use or background work on each device, so
    /// that device-wide steps touch their seats only (issue 11).
    seated: Vec<BTreeSet<UserNo>>,
    /// Devices as they stand: steps move them and change their compliance.
    devices: Vec<Device>,
    world: World,
    ca: ca::Ca,
    /// The requirements the last request that went through read, with its
    /// access and `Ca`'s change count then (issue 11: one `requirements` a
    /// use tick instead of two).
    kept_requirements: Option<(Access, u64, ca::Requirements)>,
    revocations: revocation::Revocations,
    full_auths: every_time::FullAuths,
    deferrals: deferral::Deferrals,
    pending: deferral::PendingPrompts,
    persistent_overrides: browser::PersistentOverrides,
    report_only: report_only::ReportOnly,
    rng: tokens::Rng,
    /// R-CAE-2: accesses whose token a CAE resource just refused.
    challenges: BTreeSet<Access>,
    outages: resilience::Outages,
    workloads: workload::Workloads,
    log: records::Log<'a>,
    view_memo: session::ViewMemo,
    out: Outcome,
    /// Kept for `engine::parts` only.
    journal: Option<Journal>,
}

/// A run as `engine::parts` merges it with the runs of the scenario's other
/// parts: each event's instant and source, and how long the outcome's lists
/// were after each event that added to them.
#[derive(Debug, Default)]
pub(super) struct Journal {
    pub events: Vec<(Instant, Source)>,
    pub cuts: Vec<(usize, Lengths)>,
}

/// Where an event came from: a step of the timeline (its index in the
/// scenario's steps), or the event that scheduled it (`queue::Origin`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Source {
    Step(usize),
    Engine(usize),
}

/// The lengths of the outcome's lists of records, in `Lengths::of`'s order.
pub(super) type Lengths = [usize; 6];

impl Journal {
    pub(super) fn lengths(out: &Outcome) -> Lengths {
        [
            out.prompts.len(),
            out.blocked.len(),
            out.report_only.len(),
            out.deferred.len(),
            out.findings.len(),
            out.workload_sign_ins.len(),
        ]
    }

    fn note(&mut self, at: Instant, source: Source, out: &Outcome) {
        self.events.push((at, source));
        let lengths = Self::lengths(out);
        if self.cuts.last().map_or([0; 6], |(_, l)| *l) != lengths {
            self.cuts.push((self.events.len() - 1, lengths));
        }
    }
}

impl<'a> Sim<'a> {
    pub(super) fn new(sc: &'a Scenario, options: Options) -> Sim<'a> {
        let world = World::default();
        let slots = world.slots().clone();
        Sim {
            sc,
            options,
            queue: Queue::new(&sc.steps),
            last_ticket: 0,
            clock: sc.start,
            uses: PerAccess::new(&slots),
            backgrounds: PerAccess::new(&slots),
            locked: vec![false; sc.devices.len()],
            seated: vec![BTreeSet::new(); sc.devices.len()],
            devices: sc.devices.clone(),
            world,
            ca: ca::Ca::new(sc, &slots),
            kept_requirements: None,
            revocations: revocation::Revocations::new(sc.users.len()),
            full_auths: every_time::FullAuths::default(),
            deferrals: deferral::Deferrals::new(&slots),
            pending: deferral::PendingPrompts::default(),
            persistent_overrides: browser::PersistentOverrides::default(),
            report_only: report_only::ReportOnly::default(),
            rng: tokens::Rng::new(sc.seed),
            challenges: BTreeSet::new(),
            outages: resilience::Outages::default(),
            workloads: workload::Workloads::default(),
            log: records::Log::default(),
            view_memo: session::ViewMemo::default(),
            out: Outcome::default(),
            journal: None,
        }
    }

    /// Keeps the journal `engine::parts` merges runs by.
    pub(super) fn journaled(mut self) -> Sim<'a> {
        self.journal = Some(Journal::default());
        self
    }

    /// Sends every sign-in record to `sink` as it is produced.
    pub(super) fn with_sink(mut self, sink: &'a mut dyn SignInSink) -> Sim<'a> {
        self.log.sink = Some(sink);
        self
    }

    pub(super) fn run(self) -> Outcome {
        let mut outcome = self.run_journaled().0;
        outcome.drop_withdrawn(); // R-DEF-4
        outcome
    }

    /// `run`, with the journal when `journaled` asked for one.
    pub(super) fn run_journaled(mut self) -> (Outcome, Option<Journal>) {
        while let Some((now, next)) = self.queue.pop() {
            // The safety cap of docs/limits.md: the other limits bound events
            // per use, not how many uses overlap.
            if self.out.stats.events >= self.sc.limits.max_events {
                self.out.stopped_at = Some(now);
                break;
            }
            self.out.stats.events += 1;
            self.clock = now;
            let source = match next {
                Next::Step(i) => {
                    self.step(now, i);
                    Source::Step(i)
                }
                Next::Engine(ev) => {
                    let origin = self.queue.origin();
                    self.engine_event(now, ev);
                    let origin = origin.expect("an engine event has an origin");
                    Source::Engine(usize::try_from(origin.parent).unwrap_or(usize::MAX))
                }
            };
            if let Some(journal) = &mut self.journal {
                journal.note(now, source, &self.out);
            }
        }
        (self.out, self.journal)
    }

    /// Records what the engine did; `event` is only built when tracing, so
    /// a run without `--trace` clones no cause.
    fn trace(&mut self, now: Instant, event: impl FnOnce(&Self) -> TraceEvent) {
        if self.options.trace {
            let event = event(self);
            self.out.trace.push(Traced { at: now, event });
        }
    }

    // ----- timeline steps -----------------------------------------------------

    fn step(&mut self, now: Instant, i: usize) {
        // Borrowed from the scenario, not from `self`: the action is read in place, never cloned.
        let sc: &'a Scenario = self.sc;
        let step = &sc.steps[i];
        self.trace(now, |_| TraceEvent::Step(i));
        if let Some(device) = step.action.device() {
            // The device moved (R-LOG-3 keeps confidential clients' original address).
            if let Some(ip) = step.ip {
                self.devices[device].ip = ip;
                self.ca.device_changed(DeviceNo(device)); // locations (R-CA-1)
            }
            if let Some(country) = &step.country {
                self.devices[device].country = Some(country.clone());
                self.ca.device_changed(DeviceNo(device));
            }
            if step.ip.is_some() || step.country.is_some() {
                self.location_changed(DeviceNo(device), now); // R-CAE-2
            }
        }
        match step.action {
            Action::SignInDevice { user, device } => self.present_device_credential(Seat::of(user, device), now, false),
            Action::Unlock { user, device } => self.present_device_credential(Seat::of(user, device), now, true),
            Action::Lock { device } => self.lock(DeviceNo(device), now),
            Action::SignOutDevice { device } => self.sign_out(DeviceNo(device), now),
            Action::Use { user, device, app, client, until, on_prompt, ref facts } => {
                let access = Access::of(user, device, client, app);
                self.set_access_facts(access, facts);
                self.start_use(now, access, until, on_prompt)
            }
            Action::UserAction { user, device, app, ref facts } => {
                let access = Access::of(user, device, Client::Browser, app);
                self.set_access_facts(access, facts);
                self.start_use(now, access, None, OnPrompt::Answer)
            }
            Action::Background { user, device, app, client, until } => {
                self.start_background(now, Access::of(user, device, client, app), until)
            }
            Action::CloseBrowser { user, device } => self.close_browser(Seat::of(user, device), now),
            // Opening restores nothing: what survives a close is decided at close (R-PB-3).
            Action::OpenBrowser { .. } => {}
            Action::Revoke { user, event } => self.revoke_row(UserNo(user), event, now),
            Action::DisableUser { user } => self.disable_user(UserNo(user), now),
            Action::EnableUser { user } => self.revocations.enable(UserNo(user)),
            Action::SetCompliant { device, value } => self.set_compliant(DeviceNo(device), value, now),
            Action::SetPolicyState { policy, state } => self.set_policy_state(policy, state.into(), now),
            Action::RequestToken { workload, app } => self.request_workload_token(workload, app, now, i),
            Action::Outage { until } => self.outages.start(now, until),
        }
    }

    /// The accesses of `map` on `device` for which `end` holds, found through the device's seats.
    fn on_device<V>(&self, map: &PerAccess<V>, device: DeviceNo, end: impl Fn(&Access) -> bool) -> Vec<Access> {
        let seats = self.seated[device.0].iter().map(|&user| Seat { user, device });
        seats.flat_map(|seat| map.range(seat.accesses()).into_iter().map(|(a, _)| a).filter(|a| end(a))).collect()
    }

    fn lock(&mut self, device: DeviceNo, now: Instant) {
        self.locked[device.0] = true;
        for a in self.on_device(&self.uses, device, |_| true) {
            self.uses.remove(&a);
            self.slide_web_session(a, now); // R-WEB-3: the last request of the use
        }
    }

    fn sign_out(&mut self, device: DeviceNo, now: Instant) {
        self.lock(device, now);
        // A confidential client's background work runs server-side and goes on.
        for a in self.on_device(&self.backgrounds, device, |a| a.client != Client::Confidential) {
            self.backgrounds.remove(&a);
        }
        for seat in self.world.browsers_on(device) {
            self.close_browser(seat, now);
        }
    }

    /// A policy change takes effect at once: every ongoing use is evaluated now.
    fn set_policy_state(&mut self, policy: PolicyIdx, state: crate::policy::PolicyState, now: Instant) {
        self.ca.set_policy_state(policy, state);
        self.reevaluate_uses(None, now);
    }

    // ----- activities ---------------------------------------------------------

    fn next_ticket(&mut self, access: Access) -> Ticket {
        self.last_ticket += 1;
        Ticket { serial: self.last_ticket, slot: self.uses.slot_of(access) }
    }

    fn start_use(&mut self, now: Instant, access: Access, until: Option<Instant>, on_prompt: OnPrompt) {
        // Using the device means being at it; a `use` does not present a credential, so no PRT refresh.
        self.locked[access.device.0] = false;
        let ticket = self.next_ticket(access);
        if let Some(until) = until {
            self.seated[access.device.0].insert(access.user);
            self.uses.insert(access, ActiveUse { until, ticket, on_prompt });
            self.queue.schedule(until, Ev::UseEnd(access, ticket));
        }
        self.continue_use(access, now, Trigger::UseStart, on_prompt);
    }

    fn start_background(&mut self, now: Instant, access: Access, until: Instant) {
        let ticket = self.next_ticket(access);
        self.seated[access.device.0].insert(access.user);
        self.backgrounds.insert(access, ActiveBackground { until, ticket, paused: false });
        self.queue.schedule(until, Ev::BackgroundEnd(access, ticket));
        if self.needs_token(access, now, Trigger::Background) {
            self.background_refresh(access, now);
        } else {
            self.schedule_background_tick(access);
        }
    }

    /// An event acts only while the activity it was scheduled for is the current one.
    fn engine_event(&mut self, now: Instant, ev: Ev) {
        let (Ev::UseTick(access, ticket)
        | Ev::UseEnd(access, ticket)
        | Ev::BackgroundTick(access, ticket)
        | Ev::BackgroundEnd(access, ticket)) = ev;
        self.uses.prime(access, ticket.slot);
        match ev {
            Ev::UseTick(access, ticket) => {
                if let Some(active) = self.uses.get(&access).filter(|u| u.ticket == ticket).copied() {
                    self.continue_use(access, now, Trigger::Tick, active.on_prompt);
                }
            }
            Ev::UseEnd(access, ticket) => {
                if self.uses.get(&access).is_some_and(|u| u.ticket == ticket) {
                    self.uses.remove(&access);
                    self.slide_web_session(access, now); // R-WEB-3: the last request of the use
                }
            }
            Ev::BackgroundTick(access, ticket) => {
                if self.backgrounds.get(&access).is_some_and(|b| b.ticket == ticket && !b.paused) {
                    self.background_refresh(access, now);
                }
            }
            Ev::BackgroundEnd(access, ticket) => {
                if self.backgrounds.get(&access).is_some_and(|b| b.ticket == ticket) {
                    self.backgrounds.remove(&access);
                }
            }
        }
    }

    fn continue_use(&mut self, access: Access, now: Instant, trigger: Trigger, on_prompt: OnPrompt) {
        match self.interact(access, now, trigger, on_prompt) {
            Flow::Continue => self.schedule_use_tick(access, now),
            _ => {
                self.uses.remove(&access);
            }
        }
    }

    fn background_refresh(&mut self, access: Access, now: Instant) {
        match self.interact(access, now, Trigger::Background, OnPrompt::Answer) {
            Flow::Continue => self.schedule_background_tick(access),
            Flow::Pause => {
                if let Some(b) = self.backgrounds.get_mut(&access) {
                    b.paused = true;
                }
            }
            Flow::Stop => {
                self.backgrounds.remove(&access);
                self.trace(now, |_| TraceEvent::BackgroundStopped(access));
            }
        }
    }

    /// R-DEF-3: a background activity paused on a prompt goes on once it is answered.
    fn resume_background(&mut self, access: Access, now: Instant) {
        if let Some(bg) = self.backgrounds.get_mut(&access) {
            bg.paused = false;
            let ticket = bg.ticket;
            self.queue.schedule(now, Ev::BackgroundTick(access, ticket));
        }
    }

    /// R-TOK-1: background activity renews its token when it expires.
    fn schedule_background_tick(&mut self, access: Access) {
        let (Some(bg), Some(at)) = (self.backgrounds.get(&access), self.world.access_token(access)) else {
            return;
        };
        if at.expires < bg.until {
            let ticket = bg.ticket;
            self.queue.schedule(at.expires, Ev::BackgroundTick(access, ticket));
        }
    }

    /// R-SIF-5: continuous use is evaluated at the next instant something can
    /// be due: token expiry, or (interaction mode) an auth instant reaching SIF.
    fn schedule_use_tick(&mut self, access: Access, now: Instant) {
        let Some(active) = self.uses.get(&access).copied() else {
            return;
        };
        let req = (self.sc.settings.evaluation == Evaluation::Interaction).then(|| self.tick_requirements(access));
        // The earliest candidate after `now`, kept as they come (no list: this runs at every tick).
        let mut next: Option<Instant> = None;
        let mut candidate = |t: Instant| {
            if t > now && next.is_none_or(|n| t < n) {
                next = Some(t);
            }
        };
        if let Some(at) = self.world.access_token(access) {
            candidate(at.expires);
        }
        if let Some(req) = &req {
            self.sif_instants(access, now, req, &mut candidate);
        }
        if let Some(end) = self.web_session_deadline(access) {
            candidate(end); // R-WEB-2
        }
        if let Some(next) = next
            && next < active.until
        {
            self.queue.schedule(next, Ev::UseTick(access, active.ticket));
        }
    }

    /// The requirements of `access` for its next tick: those its request just
    /// read while no fact conditions read has changed since.
    fn tick_requirements(&mut self, access: Access) -> ca::Requirements {
        match self.kept_requirements.take() {
            Some((kept, changes, req)) if kept == access && changes == self.ca.changes() => {
                self.requirements_again(access, req)
            }
            _ => self.requirements(access),
        }
    }

    /// Ongoing uses in `scope` (all of them without one) are evaluated now
    /// (R-REV-3, policy changes), in the order of their accesses. A scope
    /// visits only the uses it reaches: the user's, or those of the users seated
    /// at the device.
    fn reevaluate_uses(&mut self, scope: Option<Scope>, now: Instant) {
        let ticket = |(a, u): (Access, &ActiveUse)| (a, u.ticket);
        let active: Vec<(Access, Ticket)> = match scope {
            None => self.uses.iter().into_iter().map(ticket).collect(),
            Some(Scope::User(user)) => self.uses.of(user).into_iter().map(ticket).collect(),
            Some(Scope::Device(device)) => {
                let seats = self.seated[device.0].iter().map(|&user| Seat { user, device });
                seats.flat_map(|seat| self.uses.range(seat.accesses()).into_iter().map(ticket)).collect()
            }
            Some(Scope::Seat(seat)) => self.uses.range(seat.accesses()).into_iter().map(ticket).collect(),
        };
        for (access, ticket) in active {
            self.queue.schedule(now, Ev::UseTick(access, ticket));
        }
    }

    /// Whether the user is at the device: it is unlocked and they use an app on it.
    fn present(&self, seat: Seat) -> bool {
        !self.locked[seat.device.0] && self.uses.any_in(seat.accesses())
    }
}
