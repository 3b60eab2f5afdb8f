//! Summaries by persona, group, device join type and platform (issue 15):
//! each user's prompts, MFA challenges and blocks, device by device, folded
//! into exact per-group figures, for `casim run` of a population (one policy
//! set) and `casim diff` (two). A user counts once in their persona, once in
//! each of their groups, and in each join type and platform of their devices
//! with only the prompts on those devices; user-days are always the user's.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::stats::{Distribution, Histogram};
use crate::domain::Join;
use crate::engine::{Outcome, Reason};
use crate::scenario::Scenario;
use crate::time::DAY;

/// The dimensions, in the order summaries list them, and their JSON keys.
pub const DIMENSIONS: [Dimension; 4] = [Dimension::Persona, Dimension::Group, Dimension::Join, Dimension::Platform];

/// What users are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Persona,
    Group,
    Join,
    Platform,
}

impl Dimension {
    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Persona => "persona",
            Dimension::Group => "group",
            Dimension::Join => "join",
            Dimension::Platform => "platform",
        }
    }

    /// How text titles its table.
    pub fn title(self) -> &'static str {
        match self {
            Dimension::Persona => "persona",
            Dimension::Group => "group",
            Dimension::Join => "device join type",
            Dimension::Platform => "device platform",
        }
    }

    /// The value of users who have none (no persona, no group).
    fn none(self) -> &'static str {
        match self {
            Dimension::Persona => "(no persona)",
            Dimension::Group => "(no group)",
            Dimension::Join | Dimension::Platform => "(no device)",
        }
    }
}

/// What a user is grouped by.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tags {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Each of the user's devices, in the scenario's order: its join type and
    /// platform as the scenario format names them.
    #[serde(default)]
    pub devices: Vec<(String, String)>,
}

/// A user's prompts, MFA challenges and blocks on one of their devices (by
/// its place in `Tags::devices`) under one policy set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceRun {
    /// Prompts by day (days since the epoch on the scenario's clock).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prompt_days: BTreeMap<i64, usize>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mfa: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub blocked: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One user's runs, device by device: what a summary folds.
pub type Runs = BTreeMap<usize, DeviceRun>;

/// A join type's name as scenarios write it.
pub fn join_name(join: Join) -> &'static str {
    match join {
        Join::EntraJoined => "entra_joined",
        Join::HybridJoined => "hybrid_joined",
        Join::Registered => "registered",
        Join::Unregistered => "unregistered",
    }
}

/// The tags of each user of `scenario`, in its user order.
pub fn tags(scenario: &Scenario) -> Vec<Tags> {
    let mut tags: Vec<Tags> = scenario
        .users
        .iter()
        .map(|u| Tags { persona: u.persona.clone(), groups: u.groups.clone(), devices: Vec::new() })
        .collect();
    for d in &scenario.devices {
        if let Some(t) = tags.get_mut(d.owner) {
            t.devices.push((join_name(d.join).to_string(), d.platform.name().to_string()));
        }
    }
    tags
}

/// Each user's active days (calendar days on the scenario's clock, UTC
/// without `timezone:`; docs/diff.md): days of the steps that name the user
/// or one of their devices (`lock`, `sign_out_device` and `set_compliant`
/// count for the device's owner). Prompts add theirs where they are counted.
/// `casim diff`, `run`'s summary and `report` all count days with this.
pub fn active_days(scenario: &Scenario) -> Vec<BTreeSet<i64>> {
    let mut days = vec![BTreeSet::new(); scenario.users.len()];
    // Steps come in time order, so most repeat their user's last day: a
    // comparison instead of a tree insert (half the summary's cost in office).
    let mut last: Vec<Option<i64>> = vec![None; scenario.users.len()];
    for step in &scenario.steps {
        if let Some(u) = step.action.user(&scenario.devices) {
            let day = scenario.zone.wall(step.at).div_euclid(DAY);
            if last[u] != Some(day) {
                last[u] = Some(day);
                days[u].insert(day);
            }
        }
    }
    days
}

/// Each user's runs under `outcome`, device by device, and the days their
/// prompts and MFA challenges fell on, added to `days`.
pub fn runs(scenario: &Scenario, outcome: &Outcome, days: &mut [BTreeSet<i64>]) -> Vec<Runs> {
    // A device's place among its owner's devices.
    let mut owned = vec![0usize; scenario.users.len()];
    let place: Vec<usize> = scenario
        .devices
        .iter()
        .map(|d| {
            let n = owned.get(d.owner).copied().unwrap_or(0);
            if let Some(o) = owned.get_mut(d.owner) {
                *o += 1;
            }
            n
        })
        .collect();
    let mut runs = vec![Runs::new(); scenario.users.len()];
    let zone = scenario.zone;
    // Prompts come in time order, so most fall on their user's and device's
    // last day: they are counted in `streak` and added to the trees once a
    // streak ends, as `active_days` does with steps (issue 11).
    let mut streak: Option<Streak> = None;
    let add = |runs: &mut [Runs], s: Streak| {
        let run = runs[s.user].entry(s.device).or_default();
        *run.prompt_days.entry(s.day).or_default() += s.prompts;
        run.mfa += s.mfa;
    };
    for p in &outcome.prompts {
        let (user, device) = (p.access.user.0, place[p.access.device.0]);
        let day = zone.wall(p.at).div_euclid(DAY);
        let challenged = p.answer.is_some_and(|a| a.challenged());
        if challenged {
            let answered = zone.wall(p.answered_at.unwrap_or(p.at)).div_euclid(DAY);
            if answered != day {
                days[user].insert(answered); // `day` is inserted below where it starts a streak
            }
        }
        match &mut streak {
            Some(s) if (s.user, s.device, s.day) == (user, device, day) => {
                s.prompts += 1;
                s.mfa += usize::from(challenged);
            }
            _ => {
                days[user].insert(day);
                if let Some(done) = streak.take() {
                    add(&mut runs, done);
                }
                streak = Some(Streak { user, device, day, prompts: 1, mfa: usize::from(challenged) });
            }
        }
    }
    if let Some(done) = streak {
        add(&mut runs, done);
    }
    for b in &outcome.blocked {
        runs[b.access.user.0].entry(place[b.access.device.0]).or_default().blocked += 1;
    }
    runs
}

/// Prompts in a row of one user, on one of their devices and one day.
struct Streak {
    user: usize,
    device: usize,
    day: i64,
    prompts: usize,
    mfa: usize,
}

/// One user's share of a population run's summary (`casim run`, one policy
/// set): what `Breakdown::add` folds, and their prompts by reason. A partial
/// result carries it, so merged shards summarise exactly as one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserShare {
    pub tags: Tags,
    pub days: BTreeSet<i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub runs: Runs,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<String, usize>,
}

/// Every user's share of `outcome`, in the scenario's user order.
pub fn shares(scenario: &Scenario, outcome: &Outcome) -> Vec<UserShare> {
    let mut days = active_days(scenario);
    let runs = runs(scenario, outcome, &mut days);
    // Counted by reason, named once per user and reason, not per prompt.
    let mut reasons = vec![BTreeMap::<Reason, usize>::new(); scenario.users.len()];
    for p in &outcome.prompts {
        if let Some(r) = reasons.get_mut(p.access.user.0) {
            *r.entry(p.reason).or_default() += 1;
        }
    }
    tags(scenario)
        .into_iter()
        .zip(days)
        .zip(runs)
        .zip(reasons)
        .map(|(((tags, days), runs), reasons)| {
            let reasons = reasons.into_iter().map(|(r, n)| (r.name().to_string(), n)).collect();
            UserShare { tags, days, runs, reasons }
        })
        .collect()
}

/// One side's figures of one group while they are folded.
#[derive(Debug, Clone, Default)]
struct Tally {
    per_day: Histogram,
    prompts: usize,
    users_prompted: usize,
    mfa: usize,
    users_mfa: usize,
    blocked: usize,
}

/// One user's runs on some of their devices, under one policy set, as a
/// group's tally takes them.
struct Tallied {
    /// Prompts on each of the user's active days that had any, in day order.
    prompted_days: Vec<usize>,
    prompts: usize,
    mfa: usize,
    blocked: usize,
}

impl Tallied {
    fn of<'r>(runs: impl Iterator<Item = &'r DeviceRun>, days: &BTreeSet<i64>) -> Tallied {
        let runs: Vec<&DeviceRun> = runs.collect();
        let merged: BTreeMap<i64, usize>;
        // One device's days need no merging, the common case.
        let per_day = match runs.as_slice() {
            [one] => &one.prompt_days,
            _ => {
                let mut all = BTreeMap::<i64, usize>::new();
                for (day, n) in runs.iter().flat_map(|r| &r.prompt_days) {
                    *all.entry(*day).or_default() += n;
                }
                merged = all;
                &merged
            }
        };
        // A prompt's day is always an active day (`runs`); a partial result's
        // share is held to that too. Both are in day order: one walk.
        let mut active = days.iter().peekable();
        let mut prompted_days = Vec::with_capacity(per_day.len());
        for (day, n) in per_day {
            while active.next_if(|d| *d < day).is_some() {}
            if active.peek() == Some(&day) {
                prompted_days.push(*n);
            }
        }
        Tallied {
            prompted_days,
            prompts: per_day.values().sum(),
            mfa: runs.iter().map(|r| r.mfa).sum(),
            blocked: runs.iter().map(|r| r.blocked).sum(),
        }
    }
}

/// A group while it is folded: its users and each side's tally.
#[derive(Debug, Clone)]
struct Fold {
    users: usize,
    user_days: usize,
    sides: Vec<Tally>,
}

/// Figures by group for one or two policy sets, folded user by user.
#[derive(Debug, Clone)]
pub struct Breakdown {
    sides: usize,
    total: Fold,
    groups: [BTreeMap<String, Fold>; 4],
    /// Whether any user had a value in each dimension (else its table is left out).
    valued: [bool; 4],
}

/// One side's figures of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub prompts: usize,
    pub prompts_per_user_day: Distribution,
    pub users_prompted: usize,
    pub mfa_challenges: usize,
    pub users_mfa_challenged: usize,
    pub blocked: usize,
}

/// One group under every side.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub value: String,
    pub users: usize,
    pub user_days: usize,
    pub sides: Vec<Figures>,
}

impl Breakdown {
    /// An empty breakdown of `sides` policy sets (1 for `run`, 2 for `diff`).
    pub fn new(sides: usize) -> Breakdown {
        Breakdown { sides, total: Fold::new(sides), groups: Default::default(), valued: [false; 4] }
    }

    /// Adds one user: their tags, active days and each side's runs.
    pub fn add(&mut self, tags: &Tags, days: &BTreeSet<i64>, runs: &[&Runs]) {
        // Most groups see all of the user's devices: their tallies are worked out once (issue 11).
        let all: Vec<Tallied> = runs.iter().map(|r| Tallied::of(r.values(), days)).collect();
        self.total.add(days.len(), &all);
        let sides = self.sides;
        let mut add = |dim: usize, value: &str, tallied: &[Tallied]| {
            let fold = match self.groups[dim].get_mut(value) {
                Some(fold) => fold,
                None => self.groups[dim].entry(value.to_string()).or_insert_with(|| Fold::new(sides)),
            };
            fold.add(days.len(), tallied);
        };
        add(0, tags.persona.as_deref().unwrap_or(Dimension::Persona.none()), &all);
        for g in &tags.groups {
            add(1, g, &all);
        }
        if tags.groups.is_empty() {
            add(1, Dimension::Group.none(), &all);
        }
        // A device's join type (`pick` 0) or platform (1).
        fn value_of(d: &(String, String), pick: usize) -> &str {
            if pick == 0 { &d.0 } else { &d.1 }
        }
        for (dim, pick) in [(2, 0), (3, 1)] {
            let values: BTreeSet<&str> = tags.devices.iter().map(|d| value_of(d, pick)).collect();
            for v in &values {
                if values.len() == 1 {
                    add(dim, v, &all); // every device has it
                    continue;
                }
                let keep = |d: &usize| tags.devices.get(*d).is_none_or(|t| value_of(t, pick) == *v);
                let some: Vec<Tallied> = runs
                    .iter()
                    .map(|r| Tallied::of(r.iter().filter(|(d, _)| keep(d)).map(|(_, run)| run), days))
                    .collect();
                add(dim, v, &some);
            }
            if values.is_empty() {
                add(dim, DIMENSIONS[dim].none(), &all);
            }
        }
        self.valued[0] |= tags.persona.is_some();
        self.valued[1] |= !tags.groups.is_empty();
        self.valued[2] |= !tags.devices.is_empty();
        self.valued[3] |= !tags.devices.is_empty();
    }

    /// Everyone's figures.
    pub fn total(&self) -> Group {
        self.total.group(String::new())
    }

    /// The groups of `dim`, by value; empty when no user has a value in it.
    pub fn groups(&self, dim: Dimension) -> Vec<Group> {
        let i = DIMENSIONS.iter().position(|d| *d == dim).unwrap_or(0);
        if !self.valued[i] {
            return Vec::new();
        }
        self.groups[i].iter().map(|(value, fold)| fold.group(value.clone())).collect()
    }

    /// Every dimension that has groups, with them.
    pub fn tables(&self) -> Vec<(Dimension, Vec<Group>)> {
        DIMENSIONS.iter().map(|d| (*d, self.groups(*d))).filter(|(_, g)| !g.is_empty()).collect()
    }
}

impl Fold {
    fn new(sides: usize) -> Fold {
        Fold { users: 0, user_days: 0, sides: vec![Tally::default(); sides] }
    }

    /// Adds a user with `days` active days and each side's tally of them.
    fn add(&mut self, days: usize, tallied: &[Tallied]) {
        self.users += 1;
        self.user_days += days;
        for (tally, t) in self.sides.iter_mut().zip(tallied) {
            for n in &t.prompted_days {
                tally.per_day.add(*n as u64);
            }
            tally.per_day.add_n(0, (days - t.prompted_days.len()) as u64);
            tally.prompts += t.prompts;
            tally.users_prompted += usize::from(t.prompts > 0);
            tally.mfa += t.mfa;
            tally.users_mfa += usize::from(t.mfa > 0);
            tally.blocked += t.blocked;
        }
    }

    fn group(&self, value: String) -> Group {
        let sides = self
            .sides
            .iter()
            .map(|t| Figures {
                prompts: t.prompts,
                prompts_per_user_day: t.per_day.distribution(),
                users_prompted: t.users_prompted,
                mfa_challenges: t.mfa,
                users_mfa_challenged: t.users_mfa,
                blocked: t.blocked,
            })
            .collect();
        Group { value, users: self.users, user_days: self.user_days, sides }
    }
}

/// A group as `casim run --format json` lists it: its figures flat.
#[derive(Serialize)]
struct RunGroup<'a> {
    value: &'a str,
    users: usize,
    user_days: usize,
    #[serde(flatten)]
    figures: &'a Figures,
}

/// A group as `casim diff --format json` lists it: both sides and the change.
#[derive(Serialize)]
struct DiffGroup<'a> {
    value: &'a str,
    users: usize,
    user_days: usize,
    baseline: &'a Figures,
    proposed: &'a Figures,
    change: Change,
}

/// What moved in one group.
#[derive(Serialize)]
struct Change {
    prompts: i64,
    prompts_per_user_day_mean: f64,
    users_prompted: i64,
    mfa_challenges: i64,
    blocked: i64,
}

impl Group {
    fn change(&self) -> Change {
        let [b, p] = [&self.sides[0], &self.sides[self.sides.len() - 1]];
        let d = |x: usize, y: usize| y as i64 - x as i64;
        Change {
            prompts: d(b.prompts, p.prompts),
            prompts_per_user_day_mean: ((p.prompts_per_user_day.mean - b.prompts_per_user_day.mean) * 1000.0).round()
                / 1000.0,
            users_prompted: d(b.users_prompted, p.users_prompted),
            mfa_challenges: d(b.mfa_challenges, p.mfa_challenges),
            blocked: d(b.blocked, p.blocked),
        }
    }
}

/// `{"persona": [...], "group": [...], ...}`: every dimension that has groups.
impl Serialize for Breakdown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let tables = self.tables();
        let mut map = s.serialize_map(Some(tables.len()))?;
        for (dim, groups) in &tables {
            if self.sides == 1 {
                let rows: Vec<RunGroup> = groups
                    .iter()
                    .map(|g| RunGroup { value: &g.value, users: g.users, user_days: g.user_days, figures: &g.sides[0] })
                    .collect();
                map.serialize_entry(dim.key(), &rows)?;
            } else {
                let changes: Vec<Change> = groups.iter().map(Group::change).collect();
                let rows: Vec<DiffGroup> = groups
                    .iter()
                    .zip(changes)
                    .map(|(g, change)| DiffGroup {
                        value: &g.value,
                        users: g.users,
                        user_days: g.user_days,
                        baseline: &g.sides[0],
                        proposed: &g.sides[1],
                        change,
                    })
                    .collect();
                map.serialize_entry(dim.key(), &rows)?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_of(device: usize, days: &[(i64, usize)], mfa: usize) -> Runs {
        let run = DeviceRun { prompt_days: days.iter().copied().collect(), mfa, blocked: 0 };
        [(device, run)].into_iter().collect()
    }

    #[test]
    fn users_count_in_each_group_and_devices_only_with_their_prompts() {
        let both = Tags {
            persona: Some("hybrid_worker".into()),
            groups: vec!["Finance".into(), "Sales".into()],
            devices: vec![("entra_joined".into(), "windows".into()), ("unregistered".into(), "iOS".into())],
        };
        let mut r = runs_of(0, &[(1, 2)], 1);
        r.extend(runs_of(1, &[(1, 1), (2, 3)], 0));
        let days: BTreeSet<i64> = [1, 2, 3].into_iter().collect();
        let mut b = Breakdown::new(1);
        b.add(&both, &days, &[&r]);
        let lone = Tags { persona: None, groups: vec![], devices: vec![("entra_joined".into(), "windows".into())] };
        b.add(&lone, &[1].into_iter().collect(), &[&Runs::new()]);

        let total = b.total();
        assert_eq!((total.users, total.user_days, total.sides[0].prompts), (2, 4, 6));
        // Per user-day over 4 days: 3, 3, 0 and 0.
        assert_eq!(total.sides[0].prompts_per_user_day.mean, 1.5);
        let persona = b.groups(Dimension::Persona);
        assert_eq!(persona.iter().map(|g| g.value.as_str()).collect::<Vec<_>>(), ["(no persona)", "hybrid_worker"]);
        let groups = b.groups(Dimension::Group);
        assert_eq!(
            groups.iter().map(|g| (g.value.as_str(), g.users)).collect::<Vec<_>>(),
            [("(no group)", 1), ("Finance", 1), ("Sales", 1)]
        );
        let platform = b.groups(Dimension::Platform);
        let ios = platform.iter().find(|g| g.value == "iOS").unwrap();
        assert_eq!((ios.users, ios.user_days, ios.sides[0].prompts, ios.sides[0].mfa_challenges), (1, 3, 4, 0));
        let windows = platform.iter().find(|g| g.value == "windows").unwrap();
        assert_eq!((windows.users, windows.sides[0].prompts, windows.sides[0].mfa_challenges), (2, 2, 1));
        assert_eq!(windows.sides[0].users_prompted, 1);
    }

    #[test]
    fn a_dimension_nobody_has_is_left_out() {
        let mut b = Breakdown::new(2);
        let t = Tags { persona: None, groups: vec![], devices: vec![("registered".into(), "android".into())] };
        b.add(&t, &[5].into_iter().collect(), &[&Runs::new(), &runs_of(0, &[(5, 2)], 2)]);
        let dims: Vec<&str> = b.tables().iter().map(|(d, _)| d.key()).collect();
        assert_eq!(dims, ["join", "platform"]);
        let json = serde_json::to_value(&b).unwrap();
        assert_eq!(json["join"][0]["change"]["prompts"], 2);
        assert_eq!(json["join"][0]["proposed"]["mfa_challenges"], 2);
        assert_eq!(json["platform"][0]["value"], "android");
    }
}
