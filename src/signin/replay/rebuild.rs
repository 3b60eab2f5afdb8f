//! Sign-in records back into a scenario: per user, the devices (join type,
//! compliance, OS, browser, PRT single sign-on), apps and clients, device
//! sign-ins (Windows Sign In records), interactive uses, background refresh
//! runs and IP/country changes. What the logs do not hold is inferred by the
//! rules of docs/replay.md, each counted in `Inferences`.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

use super::read::{ClientKind, LogRecord};
use super::tenant::{AppTable, app_key};
use crate::domain::{AppIdx, Browser, Client, Device, DeviceIdx, DeviceSignIn, Join, Platform, UserIdx};
use crate::scenario::model::{AccessFacts, Action, Limits, Step};
use crate::scenario::raw::OnPrompt;
use crate::signin::WINDOWS_SIGN_IN_APP_ID;
use crate::time::{DAY, HOUR, Instant, MINUTE, Seconds};

/// Records of one access this close together are one stretch of activity:
/// access tokens are renewed about hourly while an app is in use.
pub const RUN_GAP: Seconds = HOUR + 5 * MINUTE;

/// How long browser use goes on after its last record: half a token
/// lifetime, the mean of an unknown part of the hour before the next renewal.
pub const BROWSER_TAIL: Seconds = 30 * MINUTE;

/// A device that logs no sign-ins of its own (a phone, a Mac) and was silent
/// this long was put down: its next record is the user picking it up.
pub const DEVICE_IDLE: Seconds = 4 * HOUR;

/// A native app renewing its tokens for longer than this without the user's
/// return to the device is syncing in the background; a shorter stretch is
/// the user opening it.
pub const SYNC_SPAN: Seconds = 2 * HOUR;

/// What the rebuilt timeline assumed where the logs are silent (docs/replay.md).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Inferences {
    /// Joined devices without a Windows Sign In record before their first
    /// activity: signed in at their first record.
    pub device_sign_ins_assumed: u64,
    /// Sessions first seen through a non-interactive record: begun before
    /// the logs, taken to begin at that record, without a prompt.
    pub sessions_assumed: u64,
    /// Background runs made of native or confidential clients' non-interactive records.
    pub background_runs: u64,
    /// Stretches of use: a browser's records, or a run with an interactive sign-in.
    pub use_runs: u64,
    /// Browser stretches ended where another app's began, before their half hour.
    pub browser_runs_cut: u64,
    /// Background runs on a device without sign-in records that began as it
    /// was picked up after `DEVICE_IDLE`: the user opened the app then too.
    pub pickups: u64,
    /// Accesses whose records renew less often than hourly (`cadences`):
    /// their stretches allow the longer gap.
    pub slow_renewals: u64,
    /// Background runs on such a device that end as it falls silent for
    /// `DEVICE_IDLE` (or for good): the user looked at the app in its last
    /// renewal interval too.
    pub put_downs: u64,
    /// Browsers whose PRT single sign-on was read off `incomingTokenType`.
    pub chrome_sso: u64,
    /// Browser closes before an interactive sign-in nothing else explains.
    pub browser_closes: u64,
    /// Users whose browser session outlived a session cookie: they answered
    /// Yes to "Stay signed in?" (`kmsi`).
    pub stay_signed_in: u64,
}

/// One user's activity as steps, with the devices they name.
pub struct UserSteps {
    pub devices: Vec<Device>,
    pub steps: Vec<Step>,
    pub limits: Limits,
    /// Accesses whose session began before the logs: their `no_session`
    /// prompt at that instant is not shown (it is the assumption, not a prompt).
    pub assumed: BTreeSet<(UserIdx, DeviceIdx, Client, AppIdx, Instant)>,
    pub inferences: Inferences,
    /// The user answered Yes to "Stay signed in?" (`kmsi`).
    pub stay_signed_in: bool,
}

impl Inferences {
    /// Counts `other`'s too.
    pub fn add(&mut self, other: &Inferences) {
        self.device_sign_ins_assumed += other.device_sign_ins_assumed;
        self.sessions_assumed += other.sessions_assumed;
        self.background_runs += other.background_runs;
        self.use_runs += other.use_runs;
        self.browser_runs_cut += other.browser_runs_cut;
        self.pickups += other.pickups;
        self.put_downs += other.put_downs;
        self.slow_renewals += other.slow_renewals;
        self.chrome_sso += other.chrome_sso;
        self.browser_closes += other.browser_closes;
        self.stay_signed_in += other.stay_signed_in;
    }
}

/// Rebuilds one user's records (theirs alone, in time order) as steps of
/// user `user` on devices numbered from `device_base`, their apps indices
/// of `apps`, the timeline starting at `start`; `cookie_idle` is how long a
/// session cookie outlives its last use (`kmsi`).
pub fn rebuild_user(
    records: &[LogRecord],
    apps: &AppTable,
    start: Instant,
    (user, device_base): (UserIdx, DeviceIdx),
    cookie_idle: Seconds,
) -> UserSteps {
    let mut b = Builder {
        user,
        device_base,
        apps,
        devices: Vec::new(),
        device_keys: BTreeMap::new(),
        device_sign_ins: BTreeMap::new(),
        browser_starts: BTreeMap::new(),
        device_records: BTreeMap::new(),
        steps: Vec::new(),
        assumed: BTreeSet::new(),
        inferences: Inferences::default(),
        cadence: BTreeMap::new(),
    };
    b.user(records);
    let stay_signed_in = super::kmsi::answered_yes(records, cookie_idle);
    b.inferences.stay_signed_in = u64::from(stay_signed_in);
    UserSteps { stay_signed_in, ..b.finish(start) }
}

struct Builder<'a> {
    user: UserIdx,
    device_base: DeviceIdx,
    apps: &'a AppTable,
    devices: Vec<Device>,
    device_keys: BTreeMap<String, DeviceIdx>,
    /// Windows Sign In records (device sign-ins, unlocks that refreshed the PRT), per device.
    device_sign_ins: BTreeMap<DeviceIdx, Vec<Instant>>,
    /// When each stretch of browser use began, with its app, per device.
    browser_starts: BTreeMap<DeviceIdx, Vec<(Instant, AppIdx)>>,
    /// The instants of every record from each device but Windows Sign In's, in time order.
    device_records: BTreeMap<DeviceIdx, Vec<Instant>>,
    steps: Vec<Step>,
    assumed: BTreeSet<(UserIdx, DeviceIdx, Client, AppIdx, Instant)>,
    inferences: Inferences,
    /// How often each access renews its token in these logs (`cadences`).
    cadence: BTreeMap<Key, Seconds>,
}

/// One access of a user: what a step names.
type Key = (DeviceIdx, Client, AppIdx);

impl Builder<'_> {
    fn user(&mut self, records: &[LogRecord]) {
        let user = self.user;
        let mut signed_in: BTreeSet<DeviceIdx> = BTreeSet::new();
        let mut seen: BTreeSet<Key> = BTreeSet::new();
        let mut runs: BTreeMap<Key, Run> = BTreeMap::new();
        let mut last_ip: BTreeMap<DeviceIdx, (Option<IpAddr>, Option<String>)> = BTreeMap::new();
        let mut browsing: BTreeSet<DeviceIdx> = BTreeSet::new();
        let cadences = cadences(records);
        for r in records {
            let device = self.device(user, r, records);
            if r.app_id == WINDOWS_SIGN_IN_APP_ID {
                if r.interactive && r.error == 0 {
                    signed_in.insert(device);
                    self.device_sign_ins.entry(device).or_default().push(r.at);
                    let moved = self.moved(&mut last_ip, device, r);
                    self.push(r.at, Action::SignInDevice { user, device }, moved);
                }
                continue;
            }
            if self.device_at(device).refreshes_prt_on_unlock() && signed_in.insert(device) {
                // R-PRT-1: the device was signed in to before its first activity here.
                self.inferences.device_sign_ins_assumed += 1;
                self.push(r.at, Action::SignInDevice { user, device }, None);
            }
            self.device_records.entry(device).or_default().push(r.at);
            let app = self.apps.of(r);
            let client = self.client(r.client, device);
            let key = (device, client, app);
            if seen.insert(key) {
                let cadence = cadences.get(&(device_key(r), r.client, app_key(r))).copied().unwrap_or(HOUR);
                self.inferences.slow_renewals += u64::from(cadence > HOUR);
                self.cadence.insert(key, cadence);
                if !r.interactive {
                    self.inferences.sessions_assumed += 1;
                    self.assumed.insert((user, device, client, app, r.at));
                }
            }
            if client == Client::Browser && !browsing.insert(device) && unexplained_sign_in(records, r) {
                self.close_browser(&mut runs, user, device, r.at);
            }
            let moved = self.moved(&mut last_ip, device, r);
            if moved.is_some() || r.interactive {
                // A sign-in, or a new address, is a step of its own.
                self.push(r.at, use_step(user, key, None), moved);
            }
            self.extend_run(&mut runs, key, user, r);
        }
        for (key, run) in std::mem::take(&mut runs) {
            self.close_run(key, user, run);
        }
    }

    fn device_at(&self, device: DeviceIdx) -> &Device {
        &self.devices[device - self.device_base]
    }

    /// The device a record came from: its device id, or for an unmanaged
    /// device the user's OS and browser.
    fn device(&mut self, user: UserIdx, r: &LogRecord, all: &[LogRecord]) -> DeviceIdx {
        let key = device_key(r);
        if let Some(&d) = self.device_keys.get(&key) {
            return d;
        }
        let same = |o: &&LogRecord| {
            if r.device_id.is_empty() { o.device_id.is_empty() && o.os == r.os } else { o.device_id == r.device_id }
        };
        let mine: Vec<&LogRecord> = all.iter().filter(same).collect();
        let sso = mine.iter().any(|o| o.client == ClientKind::Browser && o.from_prt);
        let mut browser = browser_of(&r.browser, mine.iter().map(|o| o.browser.as_str()));
        if browser == Browser::Chrome && sso {
            self.inferences.chrome_sso += 1;
            browser = Browser::ChromeSso;
        }
        let name = if r.device_name.is_empty() { key.clone() } else { r.device_name.clone() };
        let taken = self.devices.iter().any(|d| d.id == name);
        let d = self.device_base + self.devices.len();
        self.devices.push(Device {
            id: if taken { format!("{name} ({key})") } else { name },
            owner: user,
            join: join_of(&r.trust),
            platform: platform_of(&r.os),
            compliant: r.compliant.unwrap_or(false),
            sign_in: if mine.iter().any(|o| o.hello) { DeviceSignIn::WindowsHello } else { DeviceSignIn::Password },
            browser,
            ip: r.ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            country: r.country.clone(),
            compliant_network: false,
            seamless_sso: false,
            shared: false,
        });
        self.device_keys.insert(key, d);
        d
    }

    /// The record's address and country when they differ from the device's last.
    fn moved(
        &self,
        last: &mut BTreeMap<DeviceIdx, (Option<IpAddr>, Option<String>)>,
        device: DeviceIdx,
        r: &LogRecord,
    ) -> Option<(Option<IpAddr>, Option<String>)> {
        let now = (r.ip, r.country.clone());
        let before = last.insert(device, now.clone());
        match before {
            Some(b) if b != now => Some(now),
            _ => None,
        }
    }

    fn client(&self, kind: ClientKind, device: DeviceIdx) -> Client {
        match kind {
            ClientKind::Browser => Client::Browser,
            ClientKind::Confidential => Client::Confidential,
            ClientKind::Native if matches!(self.device_at(device).platform, Platform::Ios | Platform::Android) => {
                Client::Mobile
            }
            ClientKind::Native => Client::Desktop,
        }
    }

    /// The browser lost its session before this sign-in: it was closed
    /// (R-PB-3), which logs do not show. Its stretches of use end there.
    fn close_browser(&mut self, runs: &mut BTreeMap<Key, Run>, user: UserIdx, device: DeviceIdx, at: Instant) {
        let open: Vec<Key> = runs.keys().filter(|k| k.0 == device && k.1 == Client::Browser).copied().collect();
        for key in open {
            let run = runs.remove(&key).expect("listed above");
            self.close_run(key, user, run);
        }
        self.inferences.browser_closes += 1;
        self.push(at - 1, Action::CloseBrowser { user, device }, None);
    }

    /// Records of one access this close together are one stretch of activity.
    fn extend_run(&mut self, runs: &mut BTreeMap<Key, Run>, key: Key, user: UserIdx, r: &LogRecord) {
        let gap = self.gap(key);
        match runs.get_mut(&key) {
            // A refused renewal stops the records, not the app: it waits for
            // the user, whose interactive sign-in answers it (R-DEF-3).
            Some(run) if r.at - run.to <= gap || (run.refused && r.interactive) => {
                run.to = r.at;
                run.interactive |= r.interactive;
                run.refused = r.error != 0 && !r.interactive;
            }
            _ => {
                if key.1 == Client::Browser {
                    self.browser_starts.entry(key.0).or_default().push((r.at, key.2));
                }
                let run = Run {
                    from: r.at,
                    to: r.at,
                    interactive: r.interactive,
                    opened: r.interactive,
                    refused: r.error != 0 && !r.interactive,
                };
                if let Some(old) = runs.insert(key, run) {
                    self.close_run(key, user, old);
                }
            }
        }
    }

    /// A stretch of activity is the user's continuous use (R-SIF-5) in a
    /// browser, where they signed in, or where it starts at their return to
    /// the device (`foreground`); a native or confidential client's other
    /// renewals are background work.
    fn close_run(&mut self, key: Key, user: UserIdx, run: Run) {
        let (device, client, _) = key;
        let background = match client {
            Client::Confidential => !run.interactive && !self.foreground(device, run),
            c if c.is_native() => run.to - run.from > SYNC_SPAN && !self.foreground(device, run),
            _ => false,
        };
        let action = if background {
            self.background_run(key, user, run)
        } else {
            self.inferences.use_runs += 1;
            use_step(user, key, Some(self.use_end(key, run)))
        };
        self.push(run.from, action, None);
    }

    /// A use lasts until a minute after its last record, in a browser until
    /// half a token lifetime after it (the use went on for an unknown part of
    /// the hour before the next renewal: its mean; `use_tail`), or until
    /// the user starts using another app in that browser, if sooner.
    fn use_end(&mut self, (device, client, app): Key, run: Run) -> Instant {
        match client {
            Client::Browser => {
                let end = self.browser_run_end(device, app, run);
                let tail = self.use_tail((device, client, app));
                self.inferences.browser_runs_cut += u64::from(end < run.to + tail);
                end
            }
            _ => run.to + self.use_tail((device, client, app)),
        }
    }

    /// Background work syncs until its next renewal was due (`sync_end`);
    /// on a phone, the user's looks that the logs imply come with it.
    fn background_run(&mut self, key: Key, user: UserIdx, run: Run) -> Action {
        let (device, client, app) = key;
        self.inferences.background_runs += 1;
        let until = self.sync_end(key, run);
        // A prompt the day's first renewal waits on is answered at that use (R-DEF-3).
        if client.is_native() && !run.opened && self.picked_up(device, run.from) {
            self.inferences.pickups += 1;
            self.push(run.from, use_step(user, key, None), None);
        }
        // The user's last look before putting the device down answers a
        // prompt the evening's renewals left waiting (R-DEF-3). It came
        // somewhere in the app's last renewal interval: its middle.
        if client.is_native() && self.put_down(device, run.to) {
            self.inferences.put_downs += 1;
            self.push(run.to + (until - run.to) / 2, use_step(user, key, None), None);
        }
        Action::Background { user, device, app, client, until }
    }

    /// The end of a browser stretch: `use_tail` after its last record,
    /// or when a stretch of another app in the same browser starts within
    /// that tail: the user moved on (an administrator's one-record visit to
    /// PIM before the portal). Runs close at least `gap` after their last
    /// record, or at the end of the user's records, so every start within
    /// the tail has been seen.
    fn browser_run_end(&self, device: DeviceIdx, app: AppIdx, run: Run) -> Instant {
        let tail = run.to + self.use_tail((device, Client::Browser, app));
        let starts = self.browser_starts.get(&device).map_or(&[][..], Vec::as_slice);
        let next = starts.iter().filter(|&&(at, other)| other != app && at > run.to && at < tail).map(|&(at, _)| at);
        next.min().unwrap_or(tail)
    }

    /// Whether the user picked up a device that logs no sign-ins of its own
    /// at `at`: its first record, or its first after `DEVICE_IDLE` of silence.
    /// A phone's mail app that syncs all day starts its day's renewals as the
    /// user opens it; where the device signs in (Windows), its sign-ins say so.
    fn picked_up(&self, device: DeviceIdx, at: Instant) -> bool {
        if self.device_sign_ins.get(&device).is_some_and(|s| !s.is_empty()) {
            return false;
        }
        let records = self.device_records.get(&device).map_or(&[][..], Vec::as_slice);
        let before = records.partition_point(|&t| t < at);
        before == 0 || at - records[before - 1] >= DEVICE_IDLE
    }

    /// Whether the user put down a device that logs no sign-ins of its own
    /// at `at`: its last record, or its last before `DEVICE_IDLE` of silence.
    fn put_down(&self, device: DeviceIdx, at: Instant) -> bool {
        if self.device_sign_ins.get(&device).is_some_and(|s| !s.is_empty()) {
            return false;
        }
        let records = self.device_records.get(&device).map_or(&[][..], Vec::as_slice);
        let after = records.partition_point(|&t| t <= at);
        after == records.len() || records[after] - at >= DEVICE_IDLE
    }

    /// A native app's run is the user's own use when it starts as the user
    /// signs in to the device (or unlocks it, refreshing the PRT) and no
    /// such return falls inside it: an app that kept renewing while the user
    /// was away and back is syncing in the background.
    fn foreground(&self, device: DeviceIdx, run: Run) -> bool {
        let returns = self.device_sign_ins.get(&device).map_or(&[][..], Vec::as_slice);
        let starts_at_return = returns.iter().any(|&t| t <= run.from && run.from - t <= MINUTE);
        let return_inside = returns.iter().any(|&t| t > run.from + MINUTE && t <= run.to);
        starts_at_return && !return_inside
    }

    /// How often an access renews its token in these logs: the cadence its
    /// records show (`cadences`), else hourly.
    fn renewal(&self, key: Key) -> Seconds {
        self.cadence.get(&key).copied().unwrap_or(HOUR)
    }

    /// Records of one access at most this far apart are one stretch: a
    /// renewal and five minutes (`RUN_GAP` at the usual hourly renewal).
    fn gap(&self, key: Key) -> Seconds {
        self.renewal(key) + RUN_GAP - HOUR
    }

    /// How long an app syncs after its last renewal: until just before the
    /// next one was due, which did not come (R-TOK-5). A renewal the proposed
    /// policy moves earlier, after a prompt is answered, still falls inside.
    fn sync_end(&self, key: Key, run: Run) -> Instant {
        run.to + self.renewal(key) - 1
    }

    /// How long a use goes on after its last record: at hourly renewals a
    /// minute in a native app, half a token lifetime in a browser; where
    /// tokens lived longer, the renewals a shorter life would have logged are
    /// missing, and the use went on for an unknown part of the longer life:
    /// half of it (its mean) and a minute.
    fn use_tail(&self, key: Key) -> Seconds {
        match self.renewal(key) {
            renewal if renewal > HOUR => renewal / 2 + MINUTE,
            _ if key.1 == Client::Browser => BROWSER_TAIL,
            _ => MINUTE,
        }
    }

    fn push(&mut self, at: Instant, action: Action, moved: Option<(Option<IpAddr>, Option<String>)>) {
        let (ip, country) = moved.unwrap_or_default();
        self.steps.push(Step { at, line: 0, action, ip, country });
    }

    fn finish(mut self, start: Instant) -> UserSteps {
        // Steps of one instant run as a scenario writes them (R-DET-1):
        // the device's sign-in, then background work, then the user's uses.
        self.steps.sort_by_key(|s| (s.at, same_instant_rank(&s.action)));
        let last = self.steps.iter().map(|s| s.at).max().unwrap_or(start);
        let limits = Limits {
            max_span: (last - start + DAY).max(Limits::DEFAULT_MAX_SPAN),
            max_steps: (self.steps.len() as u64).max(Limits::DEFAULT_MAX_STEPS),
            max_events: Limits::DEFAULT_MAX_EVENTS.max(self.steps.len() as u64 * 64),
        };
        UserSteps {
            devices: self.devices,
            steps: self.steps,
            limits,
            assumed: self.assumed,
            inferences: self.inferences,
            stay_signed_in: false,
        }
    }
}

/// The key a device is known by: its id, or for an unmanaged device the
/// user's OS and browser.
pub(super) fn device_key(r: &LogRecord) -> String {
    if r.device_id.is_empty() {
        format!("{}/{}/{}", r.user, r.os, browser_family(&r.browser))
    } else {
        r.device_id.clone()
    }
}

/// An access as its records name it: (device key, client, app key).
type AccessName = (String, ClientKind, String);

/// The longest renewal cadence replay believes: a CAE session's token (R-TOK-4).
const MAX_CADENCE: Seconds = 28 * HOUR;

/// Intervals of one access's consecutive records: how many were an hour or
/// less, and how often each longer one recurs.
type Intervals = (u32, BTreeMap<Seconds, u32>);

/// Each access whose records show a renewal cadence longer than an hour:
/// the interval between its consecutive records that recurs most (at least
/// three times, and more often than intervals of an hour or less; two equal
/// intervals between a persona's fixed daily uses are a coincidence), as Teams and
/// Microsoft 365 renew every two hours in a tenant without Conditional
/// Access (R-TOK-5) or an app under a token lifetime policy (R-TOK-3).
/// An access with too few records of its own (Teams in a browser used two
/// days a week) takes the cadence the user's other accesses of the app show,
/// where its own intervals hold that one more often than short ones.
fn cadences(records: &[LogRecord]) -> BTreeMap<AccessName, Seconds> {
    let mut last: BTreeMap<AccessName, Instant> = BTreeMap::new();
    let mut intervals: BTreeMap<AccessName, Intervals> = BTreeMap::new();
    for r in records {
        let key = (device_key(r), r.client, app_key(r));
        if let Some(before) = last.insert(key.clone(), r.at) {
            let d = r.at - before;
            let (short, long) = intervals.entry(key).or_default();
            if d > 0 && d <= RUN_GAP {
                *short += 1;
            } else if d > RUN_GAP && d <= MAX_CADENCE {
                *long.entry(d).or_default() += 1;
            }
        }
    }
    let mut per_app: BTreeMap<&str, Intervals> = BTreeMap::new();
    for ((_, _, app), (short, long)) in &intervals {
        let (all_short, all_long) = per_app.entry(app.as_str()).or_default();
        *all_short += short;
        for (d, n) in long {
            *all_long.entry(*d).or_default() += n;
        }
    }
    let app_cadence: BTreeMap<&str, Seconds> =
        per_app.into_iter().filter_map(|(app, i)| Some((app, cadence_of(&i)?))).collect();
    intervals
        .iter()
        .filter_map(|(key, i)| {
            let shared = || {
                let &d = app_cadence.get(key.2.as_str())?;
                (i.1.get(&d).copied().unwrap_or(0) > i.0).then_some(d)
            };
            Some((key.clone(), cadence_of(i).or_else(shared)?))
        })
        .collect()
}

/// The interval that recurs most among `long`, if it recurs at least three
/// times and more often than the short ones.
fn cadence_of((short, long): &Intervals) -> Option<Seconds> {
    let (&d, &n) = long.iter().max_by_key(|&(&d, &n)| (n, std::cmp::Reverse(d)))?;
    (n >= 3 && n > *short).then_some(d)
}

/// Where a step goes among the steps of its instant; ties keep the order
/// they were made in.
fn same_instant_rank(action: &Action) -> u8 {
    match action {
        Action::SignInDevice { .. } => 0,
        Action::Background { .. } => 1,
        _ => 2,
    }
}

fn use_step(user: UserIdx, (device, client, app): Key, until: Option<Instant>) -> Action {
    Action::Use { user, device, app, client, until, on_prompt: OnPrompt::Answer, facts: AccessFacts::default() }
}

/// A stretch of one access's records.
#[derive(Debug, Clone, Copy)]
struct Run {
    from: Instant,
    to: Instant,
    interactive: bool,
    /// Its first record is an interactive sign-in (a use step of its own).
    opened: bool,
    /// Its last record is a refused renewal (a prompt waiting for the user).
    refused: bool,
}

/// A successful interactive browser sign-in that no refusal of the same app
/// at the same instant explains (a sign-in frequency, an MFA step-up: an
/// error other than the "Stay signed in?" interrupt 50140).
fn unexplained_sign_in(records: &[LogRecord], r: &LogRecord) -> bool {
    let same = |o: &&LogRecord| o.at == r.at && o.app_id == r.app_id && o.device_id == r.device_id;
    r.interactive && r.error == 0 && !records.iter().filter(same).any(|o| o.error != 0 && o.error != 50140)
}

fn browser_family(browser: &str) -> &'static str {
    let b = browser.to_ascii_lowercase();
    if b.contains("edge") {
        "edge"
    } else if b.contains("chrome") {
        "chrome"
    } else if b.contains("firefox") {
        "firefox"
    } else if b.contains("safari") {
        "safari"
    } else {
        "other"
    }
}

/// The device's browser: the family of its browser records (an unknown one
/// reads as Chrome without single sign-on, the case that prompts most).
fn browser_of<'a>(first: &'a str, all: impl Iterator<Item = &'a str>) -> Browser {
    let named = std::iter::once(first).chain(all).map(browser_family).find(|f| *f != "other");
    match named.unwrap_or("other") {
        "edge" => Browser::Edge,
        "firefox" => Browser::Firefox,
        "safari" => Browser::Safari,
        _ => Browser::Chrome,
    }
}

fn join_of(trust: &str) -> Join {
    match trust.to_ascii_lowercase().as_str() {
        "azure ad joined" | "microsoft entra joined" | "azuread" => Join::EntraJoined,
        "hybrid azure ad joined" | "microsoft entra hybrid joined" | "serverad" => Join::HybridJoined,
        "azure ad registered" | "microsoft entra registered" | "workplace" => Join::Registered,
        _ => Join::Unregistered,
    }
}

fn platform_of(os: &str) -> Platform {
    let os = os.to_ascii_lowercase();
    if os.starts_with("ios") || os.starts_with("ipad") {
        Platform::Ios
    } else if os.starts_with("android") {
        Platform::Android
    } else if os.starts_with("mac") {
        Platform::MacOs
    } else if os.starts_with("linux") || os.starts_with("ubuntu") {
        Platform::Linux
    } else {
        Platform::Windows
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::signin::replay::tenant::Directory;

    fn browser_record(at: Instant, app_id: &str, app_name: &str) -> LogRecord {
        LogRecord {
            at,
            user: "ada@contoso.com".into(),
            user_id: None,
            guest: false,
            app_id: app_id.into(),
            app_name: app_name.into(),
            client: ClientKind::Browser,
            interactive: true,
            from_prt: false,
            error: 0,
            device_id: String::new(),
            device_name: String::new(),
            os: "Windows 11".into(),
            browser: "Edge 120.0".into(),
            trust: String::new(),
            compliant: None,
            hello: false,
            ip: None,
            country: None,
        }
    }

    /// A single sign-on to another app with the browser's session: no prompt.
    fn silent(r: LogRecord) -> LogRecord {
        LogRecord { interactive: false, ..r }
    }

    /// One user's records rebuilt, with the scenario template naming their apps.
    fn rebuilt(records: &[LogRecord]) -> (crate::scenario::Scenario, UserSteps) {
        let mut directory = Directory::default();
        records.iter().for_each(|r| directory.note(r));
        let (template, apps) = directory.template(Path::new("logs.json"), None);
        let rebuilt = rebuild_user(records, &apps, template.start, (0, 0), template.settings.session_cookie_idle);
        (template, rebuilt)
    }

    /// Each browser use step's app and end.
    fn browser_uses(records: &[LogRecord]) -> (Vec<(String, Option<Instant>)>, Inferences) {
        let (template, rebuilt) = rebuilt(records);
        let uses = rebuilt
            .steps
            .iter()
            .filter_map(|s| match &s.action {
                Action::Use { app, client: Client::Browser, until: Some(until), .. } => {
                    Some((template.apps[*app].name.clone(), Some(*until)))
                }
                _ => None,
            })
            .collect();
        (uses, rebuilt.inferences)
    }

    #[test]
    fn a_browser_stretch_ends_where_another_apps_begins_within_its_half_hour() {
        let t = 1_767_600_000;
        // A one-record visit to PIM, then the portal five minutes later.
        let portal = |at| silent(browser_record(at, "portal-id", "Portal"));
        let (uses, inferred) = browser_uses(&[browser_record(t, "pim-id", "PIM"), portal(t + 5 * MINUTE)]);
        assert_eq!(uses, [("PIM".into(), Some(t + 5 * MINUTE)), ("Portal".into(), Some(t + 35 * MINUTE))]);
        assert_eq!(inferred.browser_runs_cut, 1);
        // The portal 40 minutes later: PIM keeps its half hour.
        let (uses, inferred) = browser_uses(&[browser_record(t, "pim-id", "PIM"), portal(t + 40 * MINUTE)]);
        assert_eq!(uses[0], ("PIM".into(), Some(t + BROWSER_TAIL)));
        assert_eq!(inferred.browser_runs_cut, 0);
    }

    /// A phone's mail renewal every hour from `from` for `hours`, non-interactive.
    fn phone_mail(from: Instant, hours: i64) -> Vec<LogRecord> {
        (0..hours)
            .map(|h| LogRecord {
                client: ClientKind::Native,
                os: "iOS 17".into(),
                browser: String::new(),
                interactive: false,
                ..browser_record(from + h * HOUR, "mail-id", "Mail")
            })
            .collect()
    }

    /// Each use step's instant and whether it has an end, and each background step's span.
    type PhoneSteps = (Vec<(Instant, bool)>, Vec<(Instant, Instant)>, Inferences);

    fn phone_steps(records: &[LogRecord]) -> PhoneSteps {
        let (_, rebuilt) = rebuilt(records);
        let (mut uses, mut background) = (Vec::new(), Vec::new());
        for s in &rebuilt.steps {
            match &s.action {
                Action::Use { until, .. } => uses.push((s.at, until.is_some())),
                Action::Background { until, .. } => background.push((s.at, *until)),
                _ => {}
            }
        }
        (uses, background, rebuilt.inferences)
    }

    #[test]
    fn a_phone_picked_up_after_four_silent_hours_opens_the_app_and_put_down_looks_at_it() {
        let t = 1_767_600_000;
        // Two days of all-day sync, ten hours of silence between; then a stretch after only three.
        let mut records = phone_mail(t, 12);
        records.extend(phone_mail(t + 22 * HOUR, 12));
        records.extend(phone_mail(t + 36 * HOUR, 4));
        let (uses, background, inferred) = phone_steps(&records);
        // The first day's and the second's syncs begin with the user opening the app; the
        // third stretch (three hours long: background too), three hours after, does not.
        // Each syncs until just before the renewal after its last record was due.
        let synced = |from: Instant, last: Instant| (from, last + HOUR - 1);
        let days = [synced(t, t + 11 * HOUR), synced(t + 22 * HOUR, t + 33 * HOUR)];
        assert_eq!(background, [days[0], days[1], synced(t + 36 * HOUR, t + 39 * HOUR)]);
        // The user looks at it again as they put it down, in the middle of the last renewal
        // interval: the first day's, ten hours before the next record, and the phone's last;
        // not the second day's, three hours before.
        let look = |last: Instant| (last + (HOUR - 1) / 2, false);
        assert_eq!(uses, [(t, false), look(t + 11 * HOUR), (t + 22 * HOUR, false), look(t + 39 * HOUR)]);
        assert_eq!((inferred.pickups, inferred.put_downs), (2, 2));
    }

    #[test]
    fn a_phone_renewing_every_two_hours_syncs_and_is_looked_at_within_that_interval() {
        let t = 1_767_600_000;
        // Mail renewing every two hours all day (a tenant without Conditional Access).
        let records: Vec<LogRecord> = phone_mail(t, 13).into_iter().step_by(2).collect();
        let (uses, background, inferred) = phone_steps(&records);
        assert_eq!(inferred.slow_renewals, 1);
        let last = t + 12 * HOUR;
        assert_eq!(background, [(t, last + 2 * HOUR - 1)]);
        assert_eq!(uses, [(t, false), (last + HOUR - 1, false)]);
    }

    #[test]
    fn a_stretch_already_running_does_not_cut_another() {
        let t = 1_767_600_000;
        // Mail from t, renewed at t + 60m; the portal's stretch began at t + 10m, before mail's last record.
        let records = [
            browser_record(t, "mail-id", "Mail"),
            silent(browser_record(t + 10 * MINUTE, "portal-id", "Portal")),
            silent(browser_record(t + 60 * MINUTE, "mail-id", "Mail")),
        ];
        let (uses, inferred) = browser_uses(&records);
        assert!(uses.contains(&("Mail".into(), Some(t + 90 * MINUTE))), "{uses:?}");
        assert_eq!(inferred.browser_runs_cut, 0);
    }

    /// A desktop app's silent renewals every `every`, `n` of them from `from`.
    fn desktop(app: &str, from: Instant, every: Seconds, n: i64) -> Vec<LogRecord> {
        (0..n)
            .map(|k| LogRecord {
                client: ClientKind::Native,
                browser: String::new(),
                device_id: "laptop-id".into(),
                trust: "Microsoft Entra joined".into(),
                interactive: false,
                ..browser_record(from + k * every, &format!("{app}-id"), app)
            })
            .collect()
    }

    /// The laptop's Windows Sign In record at `at` (a device sign-in).
    fn laptop_sign_in(at: Instant) -> LogRecord {
        LogRecord {
            client: ClientKind::Native,
            device_id: "laptop-id".into(),
            trust: "Microsoft Entra joined".into(),
            ..browser_record(at, crate::signin::WINDOWS_SIGN_IN_APP_ID, "Windows Sign In")
        }
    }

    #[test]
    fn two_hour_renewals_make_one_stretch_that_runs_on_for_half_their_life() {
        let t = 1_767_600_000;
        // Teams renewing every two hours (a tenant without Conditional Access, R-TOK-5),
        // from the device's sign-in at t.
        let mut records = vec![laptop_sign_in(t)];
        records.extend(desktop("Teams", t, 2 * HOUR, 4));
        let (uses, background, inferred) = phone_steps(&records);
        assert_eq!(inferred.slow_renewals, 1);
        assert!(background.is_empty(), "{background:?}");
        assert_eq!(uses, [(t, true)]);
        let (_, rebuilt) = rebuilt(&records);
        let until = rebuilt.steps.iter().find_map(|s| match s.action {
            Action::Use { until, .. } => until,
            _ => None,
        });
        // Its last record at t + 6h, then half the two hours, and the minute.
        assert_eq!(until, Some(t + 7 * HOUR + MINUTE));
        // Hourly renewals keep the one-minute end and the 65-minute gap.
        let hourly = desktop("Teams", t, HOUR, 4);
        assert!(cadences(&hourly).is_empty());
        // Two recurring long intervals are a coincidence, not a cadence.
        let twice: Vec<LogRecord> = desktop("Teams", t, 3 * HOUR, 3);
        assert!(cadences(&twice).is_empty());
    }

    #[test]
    fn an_app_too_seldom_in_a_browser_to_show_its_cadence_takes_the_one_the_desktop_shows() {
        let t = 1_767_600_000;
        // Teams on the laptop renewing every two hours, four times; two days later Teams in
        // the home PC's browser, signed in to, then one renewal two hours later.
        let mut records = vec![laptop_sign_in(t)];
        records.extend(desktop("Teams", t, 2 * HOUR, 4));
        let home = t + 2 * DAY;
        records.push(browser_record(home, "Teams-id", "Teams"));
        records.push(LogRecord { interactive: false, ..browser_record(home + 2 * HOUR, "Teams-id", "Teams") });
        let (uses, inferred) = browser_uses(&records);
        // One stretch, not two, and it goes on for half the two hours and a minute.
        assert_eq!(uses, [("Teams".into(), Some(home + 3 * HOUR + MINUTE))]);
        assert_eq!(inferred.slow_renewals, 2);
        // Without the laptop's records, the two are a coincidence: two stretches of half an hour.
        let (uses, _) = browser_uses(&records[5..]);
        let half_hour = |at: Instant| ("Teams".into(), Some(at + BROWSER_TAIL));
        assert_eq!(uses, [half_hour(home), half_hour(home + 2 * HOUR)]);
    }

    #[test]
    fn steps_of_one_instant_run_device_sign_in_then_background_then_use() {
        let t = 1_767_600_000;
        // Teams (a use, as it starts at the device's sign-in) is closed before
        // mail (its app sorts first), and both renew at the sign-in's instants.
        let mut records = vec![laptop_sign_in(t)];
        // Mail renews on past the user's unlock at t + 3h: background work.
        let mut apps = desktop("Teams", t, HOUR, 2);
        apps.extend(desktop("Web Mail", t, HOUR, 6));
        apps.push(LogRecord { at: t + 3 * HOUR, ..records[0].clone() });
        apps.sort_by_key(|r| r.at);
        records.extend(apps);
        let (_, rebuilt) = rebuilt(&records);
        let kinds: Vec<&str> = rebuilt
            .steps
            .iter()
            .filter(|s| s.at == t)
            .map(|s| match s.action {
                Action::SignInDevice { .. } => "sign_in_device",
                Action::Background { .. } => "background",
                Action::Use { .. } => "use",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["sign_in_device", "background", "use"]);
    }
}
