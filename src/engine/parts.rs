//! A scenario whose users never meet is simulated part by part (issue 11).
//!
//! Users meet through a device they both use, and everyone meets in a step
//! that acts on all (`set_policy_state`). Otherwise a part, users and the
//! devices they use, changes nothing another part reads: each runs in an
//! engine of its own, in parallel, with state small enough to stay in the
//! cache (one engine for the 8,000 users of a generated population spent
//! most of its time waiting for memory). The records of the parts are then
//! merged in the order one engine gives them (R-DET-1): by instant; at one
//! instant, steps first in timeline order, then engine events in the order
//! they were scheduled, which is the order of the events that scheduled
//! them (`queue::Origin`), back to a step or an earlier instant.
//!
//! Not split: runs whose outputs number every record or draw from the one
//! random sequence (traces, sign-in logs, explanations, token evaluation
//! mode), workload identities' steps, and persistent-browser `never`
//! policies (R-PB-4 reports each cookie once by its lineage node, whose
//! numbering follows the whole run).

use std::cmp::Ordering;

use rayon::prelude::*;

use super::sim::{Journal, Lengths, Sim, Source};
use super::state::{Access, DeviceNo, UserNo};
use super::{Options, Outcome};
use crate::domain::{DeviceIdx, RevocationEvent, UserIdx};
use crate::policy::{PersistentBrowser, UserRef};
use crate::scenario::Scenario;
use crate::scenario::model::{Action, Evaluation, Step};

/// Users, the devices they use and their steps, as indices into the scenario.
#[derive(Debug, Default)]
struct Part {
    users: Vec<UserIdx>,
    devices: Vec<DeviceIdx>,
    steps: Vec<usize>,
}

/// The outcome of a scenario split into parts, or `None` when it is not
/// split (see above) or has one part only (or one batch of parts).
pub(super) fn simulate(sc: &Scenario, options: Options) -> Option<Outcome> {
    simulate_in(sc, options, STEPS_PER_BATCH)
}

/// `simulate`, with batches of about `steps_per_batch` steps.
fn simulate_in(sc: &Scenario, options: Options, steps_per_batch: usize) -> Option<Outcome> {
    if options.trace || options.explain {
        return None;
    }
    let parts = split(sc).map(|p| batches(p, steps_per_batch)).filter(|b| b.len() > 1)?;
    let runs: Vec<(Outcome, Journal, Vec<usize>)> = parts
        .par_iter()
        .map(|part| {
            let scenario = part_scenario(sc, part);
            let (mut outcome, journal) = Sim::new(&scenario, options).journaled().run_journaled();
            in_scenario_numbers(&mut outcome, part);
            (outcome, journal.expect("asked for"), scenario_steps(part))
        })
        .collect();
    // The limit on events is the whole run's: one engine reports where it stops.
    let events: u64 = runs.iter().map(|(o, _, _)| o.stats.events).sum();
    if events > sc.limits.max_events || runs.iter().any(|(o, _, _)| o.stopped_at.is_some()) {
        return None;
    }
    let mut outcome = merge(runs);
    outcome.drop_withdrawn(); // R-DEF-4, after the merge that counts prompts as raised
    Some(outcome)
}

/// The parts of the scenario, if it splits in more than one.
fn split(sc: &Scenario) -> Option<Vec<Part>> {
    let never = sc.policies.iter().any(|p| p.effective_persistent_browser() == Some(PersistentBrowser::Never));
    if sc.population.is_some() || sc.settings.evaluation != Evaluation::Interaction || never {
        return None;
    }
    // Users are 0..users, devices users..users + devices, in one union-find;
    // each step's user, or device, in one pass over the steps.
    let users = sc.users.len();
    let mut sets = Sets::new(users + sc.devices.len());
    let mut nodes = Vec::with_capacity(sc.steps.len());
    for step in &sc.steps {
        // A step acting on everyone (or on a workload identity) joins nobody: no parts.
        let (user, device) = (step.action.named_user(), step.action.device());
        if let (Some(u), Some(d)) = (user, device) {
            sets.join(u, users + d);
        }
        nodes.push(user.or(device.map(|d| users + d))?);
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut part_of = vec![usize::MAX; users + sc.devices.len()];
    for (i, &node) in nodes.iter().enumerate() {
        let root = sets.root(node);
        if part_of[root] == usize::MAX {
            part_of[root] = parts.len();
            parts.push(Part::default());
        }
        parts[part_of[root]].steps.push(i);
    }
    if parts.len() < 2 {
        return None;
    }
    for node in 0..users + sc.devices.len() {
        let Some(part) = parts.get_mut(part_of[sets.root(node)]) else { continue };
        if node < users {
            part.users.push(node);
        } else {
            part.devices.push(node - users);
        }
    }
    Some(parts)
}

/// Steps of the parts run in one engine: small parts (a generated user) are
/// run a few together, so that building their scenarios costs little beside
/// simulating them, and the state of an engine still stays small.
const STEPS_PER_BATCH: usize = 512;

/// Parts gathered in batches of about `steps` steps: a batch's parts never
/// meet either, so it is a part too.
fn batches(parts: Vec<Part>, steps: usize) -> Vec<Part> {
    let mut batches: Vec<Part> = Vec::new();
    for part in parts {
        match batches.last_mut() {
            Some(batch) if batch.steps.len() < steps => {
                batch.users.extend(part.users);
                batch.devices.extend(part.devices);
                batch.steps.extend(part.steps);
            }
            _ => batches.push(part),
        }
    }
    for batch in &mut batches {
        batch.users.sort_unstable();
        batch.devices.sort_unstable();
        batch.steps.sort_unstable();
    }
    batches
}

/// A union-find over users and devices.
struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Sets {
        Sets((0..n).collect())
    }

    fn root(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        self.0[a.max(b)] = a.min(b);
    }
}

/// The part as a scenario of its own: its users, devices and steps, indices
/// renumbered; apps, policies and settings the scenario's. Policies naming
/// a user of another part name nobody here.
fn part_scenario(sc: &Scenario, part: &Part) -> Scenario {
    let user_no = |u: UserIdx| part.users.binary_search(&u).unwrap_or(usize::MAX);
    let device_no = |d: DeviceIdx| part.devices.binary_search(&d).unwrap_or(usize::MAX);
    let mut policies = sc.policies.clone();
    for p in &mut policies {
        for r in p.users.include.iter_mut().chain(p.users.exclude.iter_mut()) {
            if let UserRef::User(u) = r {
                *u = user_no(*u);
            }
        }
    }
    let mut devices: Vec<_> = part.devices.iter().map(|&d| sc.devices[d].clone()).collect();
    for d in &mut devices {
        // The engine never reads the owner; a user of another part is nobody here.
        d.owner = if part.users.binary_search(&d.owner).is_ok() { user_no(d.owner) } else { 0 };
    }
    let steps = part.steps.iter().map(|&i| renumbered(&sc.steps[i], &user_no, &device_no)).collect();
    Scenario {
        path: sc.path.clone(),
        name: sc.name.clone(),
        source: None,
        description: None,
        start: sc.start,
        zone: sc.zone,
        seed: sc.seed,
        settings: sc.settings.clone(),
        users: part.users.iter().map(|&u| sc.users[u].clone()).collect(),
        workloads: sc.workloads.clone(),
        devices,
        apps: sc.apps.clone(),
        policies,
        groups: sc.groups.clone(),
        named_locations: sc.named_locations.clone(),
        warnings: Vec::new(),
        steps,
        expect: None,
        limits: sc.limits,
        population: None,
    }
}

/// A part's outcome names users and devices by the part's numbers; the
/// merged outcome holds the scenario's, which renderers look up in it.
fn in_scenario_numbers(outcome: &mut Outcome, part: &Part) {
    let access = |a: &mut Access| {
        a.user = UserNo(part.users.get(a.user.0).copied().unwrap_or(a.user.0));
        a.device = DeviceNo(part.devices.get(a.device.0).copied().unwrap_or(a.device.0));
    };
    outcome.prompts.iter_mut().for_each(|p| access(&mut p.access));
    outcome.blocked.iter_mut().for_each(|b| access(&mut b.access));
    outcome.report_only.iter_mut().for_each(|f| access(&mut f.access));
    outcome.deferred.iter_mut().for_each(|n| access(&mut n.access));
    outcome.findings.iter_mut().for_each(|n| access(&mut n.access));
}

/// The scenario's steps of each step of the part, in order.
fn scenario_steps(part: &Part) -> Vec<usize> {
    part.steps.clone()
}

/// A step with the part's numbers for its user and device, built from the
/// scenario's without cloning it first (every step of a generated file is
/// copied so: a clone and a rewrite cost twice the copy).
fn renumbered(step: &Step, user: &impl Fn(UserIdx) -> usize, device: &impl Fn(DeviceIdx) -> usize) -> Step {
    let action = match &step.action {
        Action::SignInDevice { user: u, device: d } => Action::SignInDevice { user: user(*u), device: device(*d) },
        Action::Unlock { user: u, device: d } => Action::Unlock { user: user(*u), device: device(*d) },
        Action::CloseBrowser { user: u, device: d } => Action::CloseBrowser { user: user(*u), device: device(*d) },
        Action::OpenBrowser { user: u, device: d } => Action::OpenBrowser { user: user(*u), device: device(*d) },
        Action::Use { user: u, device: d, app, client, until, on_prompt, facts } => Action::Use {
            user: user(*u),
            device: device(*d),
            app: *app,
            client: *client,
            until: *until,
            on_prompt: *on_prompt,
            facts: facts.clone(),
        },
        Action::UserAction { user: u, device: d, app, facts } => {
            Action::UserAction { user: user(*u), device: device(*d), app: *app, facts: facts.clone() }
        }
        Action::Background { user: u, device: d, app, client, until } => {
            Action::Background { user: user(*u), device: device(*d), app: *app, client: *client, until: *until }
        }
        Action::Lock { device: d } => Action::Lock { device: device(*d) },
        Action::SignOutDevice { device: d } => Action::SignOutDevice { device: device(*d) },
        Action::SetCompliant { device: d, value } => Action::SetCompliant { device: device(*d), value: *value },
        Action::Revoke { user: u, event: RevocationEvent::SingleSignOut { device: d } } => {
            Action::Revoke { user: user(*u), event: RevocationEvent::SingleSignOut { device: device(*d) } }
        }
        Action::Revoke { user: u, event } => Action::Revoke { user: user(*u), event: *event },
        Action::DisableUser { user: u } => Action::DisableUser { user: user(*u) },
        Action::EnableUser { user: u } => Action::EnableUser { user: user(*u) },
        other @ (Action::SetPolicyState { .. } | Action::RequestToken { .. } | Action::Outage { .. }) => other.clone(),
    };
    Step { at: step.at, line: step.line, action, ip: step.ip, country: step.country.clone() }
}

/// The runs' records in the order one engine would have produced them.
fn merge(runs: Vec<(Outcome, Journal, Vec<usize>)>) -> Outcome {
    // A chunk: the records of run `.0` that its event `.1` produced, from
    // the lengths before it to `.2`.
    let mut chunks: Vec<(usize, usize, Lengths, Lengths)> = Vec::new();
    for (r, (_, journal, _)) in runs.iter().enumerate() {
        let mut before = [0; 6];
        for &(event, after) in &journal.cuts {
            chunks.push((r, event, before, after));
            before = after;
        }
    }
    let order = Order { runs: &runs };
    chunks.sort_by(|a, b| order.compare((a.0, a.1), (b.0, b.1)));
    let mut out = Outcome::default();
    for (o, _, _) in &runs {
        out.stats.events += o.stats.events;
        out.stats.token_requests += o.stats.token_requests;
        out.stats.prt_refreshes += o.stats.prt_refreshes;
    }
    // Each run's records in its order: its chunks take them one after another.
    let mut records: Vec<_> = runs
        .into_iter()
        .map(|(o, _, _)| {
            let o = (o.prompts, o.blocked, o.report_only, o.deferred, o.findings, o.workload_sign_ins);
            (o.0.into_iter(), o.1.into_iter(), o.2.into_iter(), o.3.into_iter(), o.4.into_iter(), o.5.into_iter())
        })
        .collect();
    for (r, _, from, to) in chunks {
        let o = &mut records[r];
        out.prompts.extend(o.0.by_ref().take(to[0] - from[0]));
        out.blocked.extend(o.1.by_ref().take(to[1] - from[1]));
        out.report_only.extend(o.2.by_ref().take(to[2] - from[2]));
        out.deferred.extend(o.3.by_ref().take(to[3] - from[3]));
        out.findings.extend(o.4.by_ref().take(to[4] - from[4]));
        out.workload_sign_ins.extend(o.5.by_ref().take(to[5] - from[5]));
    }
    out
}

/// The order of one engine's events across the runs of parts.
struct Order<'r> {
    runs: &'r [(Outcome, Journal, Vec<usize>)],
}

impl Order<'_> {
    /// Event `a.1` of run `a.0` against event `b.1` of run `b.0`.
    fn compare(&self, (ra, mut a): (usize, usize), (rb, mut b): (usize, usize)) -> Ordering {
        if ra == rb {
            return a.cmp(&b);
        }
        loop {
            let (at_a, source_a) = self.runs[ra].1.events[a];
            let (at_b, source_b) = self.runs[rb].1.events[b];
            match at_a.cmp(&at_b) {
                Ordering::Equal => {}
                other => return other,
            }
            match (source_a, source_b) {
                // Steps in timeline order: their indices in the whole scenario.
                (Source::Step(i), Source::Step(j)) => return self.runs[ra].2[i].cmp(&self.runs[rb].2[j]),
                (Source::Step(_), Source::Engine(_)) => return Ordering::Less,
                (Source::Engine(_), Source::Step(_)) => return Ordering::Greater,
                // In scheduling order: that of the events that scheduled them
                // (never the same event: they are of different runs).
                (Source::Engine(x), Source::Engine(y)) => (a, b) = (x, y),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The scenario's outcome from one engine and, when it splits, from its parts.
    fn both(sc: &Scenario) -> Option<(String, String)> {
        both_in(sc, 1)
    }

    fn both_in(sc: &Scenario, steps_per_batch: usize) -> Option<(String, String)> {
        let parts = simulate_in(sc, Options::default(), steps_per_batch)?;
        let one = Sim::new(sc, Options::default()).run();
        Some((format!("{one:?}"), format!("{parts:?}")))
    }

    #[test]
    fn parts_give_the_outcome_of_one_engine() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut split = 0;
        for path in crate::scenario::collect_paths(&[dir]).unwrap() {
            let sc = crate::scenario::load(&path).unwrap();
            if let Some((one, parts)) = both(&sc) {
                assert_eq!(one, parts, "{}", path.display());
                split += 1;
            }
        }
        assert!(split >= 5, "only {split} scenarios split");
    }

    /// Generated users under policies that prompt, step up, defer and report.
    #[test]
    fn generated_users_under_policies_give_the_outcome_of_one_engine() {
        use crate::scenario::population::{built_in_personas, generate, split as mix};
        let policies = "policies:
  - { name: SIF 2h, users: all, apps: all, session: { sign_in_frequency: 2h } }
  - { name: MFA exchange, users: all, apps: [exchange], grant: mfa }
  - { name: Compliant teams, state: report_only, users: all, apps: [teams], grant: compliant_device }
  - { name: RO every time, state: report_only, users: all, apps: [sharepoint], session: { sign_in_frequency: every_time } }
";
        for (users, days, seed) in [(30, 7, 1), (45, 10, 5)] {
            let text = generate(&mix(built_in_personas(), users), days, seed, crate::time::DEFAULT_START).unwrap();
            for text in [text.clone(), text.replace("policies: []\n", policies)] {
                let sc = crate::scenario::from_str(Path::new("g.yaml"), &text).unwrap();
                for batch in [1, 100] {
                    let (one, parts) = both_in(&sc, batch).expect("generated users never meet");
                    assert_eq!(one, parts, "{users} users, seed {seed}, batches of {batch} steps");
                }
            }
        }
    }

    /// Users doing the same at the same instants: every record ties on its
    /// instant with the others', and the order of events decides.
    #[test]
    fn ties_keep_the_order_of_one_engine() {
        let mut text = String::from(
            "name: ties
policies:
  - { name: SIF 1h, users: all, apps: all, session: { sign_in_frequency: 1h } }
  - { name: RO MFA, state: report_only, users: all, apps: [teams], grant: mfa }
users: { u1: {}, u2: {}, u3: {}, u4: {} }
devices:
",
        );
        for u in 1..=4 {
            text += &format!("  pc{u}: {{ owner: u{u}, join: unregistered, browser: chrome }}\n");
            text += &format!("  phone{u}: {{ owner: u{u}, join: registered, platform: iOS }}\n");
        }
        text += "timeline:\n";
        for u in [3, 1, 4, 2] {
            text += &format!(
                "  - {{ at: \"09:00\", do: use, device: pc{u}, app: sharepoint, until: \"12:00\" }}
  - {{ at: \"09:00\", do: background, device: phone{u}, app: exchange, client: mobile, until: \"1d 09:00\" }}
  - {{ at: \"09:30\", do: use, device: pc{u}, app: teams, until: \"11:00\" }}
  - {{ at: \"10:00\", do: close_browser, device: pc{u} }}
  - {{ at: \"10:00\", do: use, device: phone{u}, app: teams, client: mobile, until: \"13:00\" }}
"
            );
        }
        text += "  - { at: \"10:30\", do: revoke_sessions, user: u2 }\n";
        let sc = crate::scenario::from_str(Path::new("ties.yaml"), &text).unwrap();
        assert_eq!(split(&sc).map(|p| p.len()), Some(4));
        let (one, parts) = both(&sc).unwrap();
        assert_eq!(one, parts);
        assert!(one.matches("Prompt {").count() > 8, "{one}");
    }

    #[test]
    fn users_sharing_a_device_are_one_part() {
        let text = "name: shared
users: { a: {}, b: {}, c: {} }
devices:
  kiosk: { owner: a, join: entra_joined }
  pc: { owner: c }
timeline:
  - { at: \"09:00\", do: sign_in_device, user: a, device: kiosk }
  - { at: \"10:00\", do: sign_in_device, user: b, device: kiosk }
  - { at: \"10:00\", do: use, user: c, device: pc, app: teams }
  - { at: \"11:00\", do: lock, device: kiosk }
";
        let sc = crate::scenario::from_str(Path::new("s.yaml"), text).unwrap();
        let parts = split(&sc).unwrap();
        let users: Vec<Vec<UserIdx>> = parts.iter().map(|p| p.users.clone()).collect();
        assert_eq!(users, [vec![0, 1], vec![2]]);
        assert_eq!(parts[0].steps, [0, 1, 3]);
    }
}
