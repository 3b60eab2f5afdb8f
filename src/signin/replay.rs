//! `casim replay`: a tenant's sign-in logs read back record by record
//! (`read`, `json_stream`, `csv`), put in user order without holding them
//! whole (`sort`), the tenant's users and apps listed on the way
//! (`tenant`), then each user's activity rebuilt as a scenario of its own
//! (`rebuild`) and handed on to be simulated, in parallel, in user order.
//! docs/replay.md says what is read, what is inferred and how far to trust it.

pub mod calibrate;
pub mod csv;
pub mod json_stream;
pub mod kmsi;
pub mod parquet_file;
pub mod read;
pub mod rebuild;
pub mod sort;
pub mod tenant;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::domain::{AppIdx, Client, DeviceIdx, UserIdx};
use crate::error::InputError;
use crate::scenario::Scenario;
use crate::shard::Shard;
use crate::time::{HOUR, Instant, MINUTE};
use read::{LogRecord, Read};
use rebuild::Inferences;
use sort::{Sorted, Sorter};
use tenant::{AppTable, Directory};

/// Records rebuilt and handed on together: enough to keep both cores busy,
/// few enough that a chunk's users are all the memory holds.
const CHUNK_RECORDS: usize = 1 << 15;

/// The logs read and sorted, and the tenant they show.
pub struct Logs {
    pub read: Read,
    sorted: Sorted,
    /// The scenario every user's is built from (no policies).
    pub template: Scenario,
    apps: AppTable,
    /// How many sorted runs went to temporary files.
    pub runs_spilled: usize,
}

/// How the logs are read: which users, from which day, in how much memory.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// Only the users of this shard (docs/scale.md).
    pub shard: Shard,
    /// The day times are counted from; without it, the first record's.
    pub start: Option<Instant>,
    /// About how many bytes of records are held before sorted runs go to temporary files.
    pub budget: usize,
}

impl Default for Reading {
    fn default() -> Reading {
        Reading { shard: Shard::ALL, start: None, budget: sort::DEFAULT_BUDGET }
    }
}

/// The id a user is sharded by: their object id when the record has one.
pub fn shard_key(r: &LogRecord) -> &str {
    r.user_id.as_deref().filter(|id| crate::domain::is_guid(id)).unwrap_or(&r.user)
}

/// Reads every file of `logs` (`-` is standard input).
pub fn read(logs: &[PathBuf], how: Reading) -> Result<Logs, InputError> {
    let first = logs.first().map(PathBuf::as_path).unwrap_or(Path::new("-"));
    collect(first, how, |sink| read::read_files(logs, sink))
}

/// `read` of one file's bytes already in memory (the fuzz target's way in).
pub fn read_bytes(path: &Path, bytes: &[u8], budget: usize) -> Result<Logs, InputError> {
    let how = Reading { budget, ..Reading::default() };
    collect(path, how, |sink| {
        let mut read = Read::default();
        read::read_slice(path, bytes, &mut read, sink)?;
        Ok(read)
    })
}

/// Sorts and lists the records `reading` hands on; `first` names the replay.
fn collect(
    first: &Path,
    how: Reading,
    reading: impl FnOnce(&mut dyn FnMut(LogRecord)) -> Result<Read, InputError>,
) -> Result<Logs, InputError> {
    let mut sorter = Sorter::new(how.budget);
    let mut directory = Directory::default();
    let mut failed = None;
    let mut outside = 0u64;
    let mut read = reading(&mut |r| {
        directory.note_time(r.at);
        if !how.shard.holds(shard_key(&r)) {
            outside += 1;
            return;
        }
        directory.note(&r);
        if failed.is_none()
            && let Err(e) = sorter.push(r)
        {
            failed = Some(e);
        }
    })?;
    let keep =
        |e: std::io::Error| InputError::new(first, None, format!("cannot keep records in a temporary file: {e}"));
    if let Some(e) = failed {
        return Err(keep(e));
    }
    // A shard may hold no user of these logs: its result is empty, not an error.
    read.records -= outside;
    read.outside_shard = outside;
    if read.records == 0 && outside == 0 && how.shard.count == 1 {
        let skipped: u64 = read.skipped.values().sum();
        return Err(InputError::new(first, None, format!("no sign-in record to replay ({skipped} skipped)"))
            .with_help(Some("`casim replay --explain` lists the first skipped records and why".into())));
    }
    let runs_spilled = sorter.runs();
    let sorted = sorter.finish().map_err(keep)?;
    let (template, apps) = directory.template(first, how.start);
    Ok(Logs { read, sorted, template, apps, runs_spilled })
}

/// One user's replay: their scenario under each policy set, and what
/// rebuilding it assumed.
pub struct UserReplay {
    /// The user's place among all users (their UPN's).
    pub index: UserIdx,
    /// One per template, in the templates' order; the user is user 0.
    pub scenarios: Vec<Scenario>,
    pub assumed: BTreeSet<(UserIdx, DeviceIdx, Client, AppIdx, Instant)>,
    pub inferences: Inferences,
    /// The prompts the user's records show (`--calibrate`).
    pub seen: Vec<calibrate::Seen>,
    pub records: usize,
}

/// Hands each user of `logs` to `each`, rebuilt under every one of
/// `templates` (the logs' template with a policy set each), in parallel
/// a chunk of users at a time; `fold` takes the results in user order, and
/// its first error ends the replay.
pub fn for_each_user<R: Send, E: From<InputError>>(
    logs: Logs,
    templates: &[Scenario],
    each: impl Fn(UserReplay) -> R + Sync,
    mut fold: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let Logs { sorted, template, apps, .. } = logs;
    let mut chunk: Vec<Vec<LogRecord>> = Vec::new();
    let (mut held, mut next) = (0usize, 0usize);
    let run = |chunk: &mut Vec<Vec<LogRecord>>, next: &mut usize, fold: &mut dyn FnMut(R) -> Result<(), E>| {
        let base = *next;
        let results: Vec<R> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, records)| each(user_replay(records, base + i, &apps, &template, templates)))
            .collect();
        *next += chunk.len();
        chunk.clear();
        results.into_iter().try_for_each(fold)
    };
    for user in sorted.by_user() {
        let user =
            user.map_err(|e| InputError::new(&template.path, None, format!("cannot read back kept records: {e}")))?;
        held += user.len();
        chunk.push(user);
        if held >= CHUNK_RECORDS {
            run(&mut chunk, &mut next, &mut fold)?;
            held = 0;
        }
    }
    run(&mut chunk, &mut next, &mut fold)
}

fn user_replay(
    records: &[LogRecord],
    index: UserIdx,
    apps: &AppTable,
    template: &Scenario,
    templates: &[Scenario],
) -> UserReplay {
    let steps = rebuild::rebuild_user(records, apps, template.start, (0, 0), template.settings.session_cookie_idle);
    let (assumed, inferences) = (steps.assumed.clone(), steps.inferences.clone());
    let mut scenarios = Vec::with_capacity(templates.len());
    for t in templates {
        let copy = rebuild::UserSteps {
            devices: steps.devices.clone(),
            steps: steps.steps.clone(),
            limits: steps.limits,
            assumed: BTreeSet::new(),
            inferences: Inferences::default(),
            stay_signed_in: steps.stay_signed_in,
        };
        scenarios.push(tenant::user_scenario(t, index, copy));
    }
    UserReplay { index, scenarios, assumed, inferences, seen: calibrate::seen(records), records: records.len() }
}

/// What was read, skipped and inferred over all users, for stderr.
#[derive(Debug, Default)]
pub struct Summary {
    pub records: u64,
    pub users: u64,
    pub devices: u64,
    pub steps: u64,
    pub inferences: Inferences,
}

impl Summary {
    /// One user's part.
    pub fn of(user: &UserReplay) -> Summary {
        let sc = user.scenarios.first();
        Summary {
            records: user.records as u64,
            users: 1,
            devices: sc.map_or(0, |sc| sc.devices.len() as u64),
            steps: sc.map_or(0, |sc| sc.steps.len() as u64),
            inferences: user.inferences.clone(),
        }
    }

    /// Counts `other`'s too.
    pub fn add(&mut self, other: &Summary) {
        self.records += other.records;
        self.users += other.users;
        self.devices += other.devices;
        self.steps += other.steps;
        self.inferences.add(&other.inferences);
    }

    /// In lines: what was read and skipped, and with `explain` every inference.
    pub fn lines(&self, read: &Read, explain: bool) -> Vec<String> {
        let skipped: u64 = read.skipped.values().sum();
        let mut lines = vec![format!(
            "replayed {} sign-in records: {} users, {} devices, {} steps; {skipped} records skipped",
            self.records, self.users, self.devices, self.steps
        )];
        for (&cause, n) in &read.skipped {
            lines.push(format!("  skipped {n}: {}", read::SKIP_CAUSES[cause]));
        }
        if read.interactive_assumed > 0 {
            // Taken as non-interactive, such records show no prompt the user answered:
            // said at every run, not only with --explain.
            lines.push(format!(
                "  {} records say nowhere whether they were interactive (no isInteractive; an admin center CSV whose file name says neither InteractiveSignIns nor NonInteractiveSignIns): taken as non-interactive (docs/replay.md)",
                read.interactive_assumed
            ));
        }
        if read.client_assumed > 0 {
            lines.push(format!(
                "  {} records name no client app (clientAppUsed): taken as mobile and desktop clients (docs/replay.md)",
                read.client_assumed
            ));
        }
        if read.outside_shard > 0 {
            lines.push(format!("  {} records of users of other shards left out (--shard)", read.outside_shard));
        }
        if !explain {
            return lines;
        }
        let i = &self.inferences;
        lines.push("inferred (docs/replay.md):".into());
        lines.push(format!(
            "  {} sessions begun before the logs, taken to begin at their first record",
            i.sessions_assumed
        ));
        lines
            .push(format!("  {} device sign-ins assumed at a joined device's first record", i.device_sign_ins_assumed));
        lines.push(format!(
            "  {} stretches of use (records of one app at most {} minutes apart at hourly renewals), in a browser until {} minutes after their last record",
            i.use_runs,
            rebuild::RUN_GAP / MINUTE,
            rebuild::BROWSER_TAIL / MINUTE
        ));
        lines.push(format!(
            "  {} of them ended sooner, where another app's stretch in the same browser began",
            i.browser_runs_cut
        ));
        lines.push(format!(
            "  {} background runs of native or confidential clients, syncing until their next renewal was due",
            i.background_runs
        ));
        lines.push(format!(
            "  {} of them began as the user picked up a device that logs no sign-ins, after {} hours of silence: opened then",
            i.pickups,
            rebuild::DEVICE_IDLE / HOUR
        ));
        lines.push(format!(
            "  {} of them ended as that device fell silent for {} hours or for good: looked at midway to that renewal",
            i.put_downs,
            rebuild::DEVICE_IDLE / HOUR
        ));
        lines.push(format!(
            "  {} apps on a device and client renewing less often than hourly (the interval their records repeat): their stretches allow it and five minutes, and a use goes on for half of it and a minute",
            i.slow_renewals
        ));
        lines.push(format!("  {} Chrome browsers doing PRT single sign-on (incomingTokenType)", i.chrome_sso));
        lines.push(format!("  {} browser closes, before browser sign-ins no refusal explains", i.browser_closes));
        lines.push(format!(
            "  {} users answered Yes to \"Stay signed in?\": a browser session of theirs was alive after {} hours unused, which a session cookie does not outlive",
            i.stay_signed_in,
            crate::scenario::model::Settings::default().session_cookie_idle / HOUR
        ));
        lines.push(format!("  {} records without a status, taken as successes", read.status_assumed));
        lines.push(
            "  every lock, other browser close and other \"Stay signed in?\" answer is unknown: none happen, the answer is No"
                .into(),
        );
        lines.push("  a device two users sign in to is each user's own (their sessions never meet)".into());
        for (place, cause) in &read.first_skipped {
            lines.push(format!("  skipped {place}: {}", read::SKIP_CAUSES[*cause]));
        }
        lines
    }
}

/// The logs rebuilt as one scenario (`casim report --logs` draws it whole):
/// every user's steps with their own devices, under `template`'s policies.
pub fn whole(logs: Logs, template: &Scenario) -> Result<(Scenario, Summary, BTreeSet<AssumedKey>), InputError> {
    let mut sc = template.clone();
    let mut summary = Summary::default();
    let mut assumed = BTreeSet::new();
    let mut steps = Vec::new();
    let Logs { sorted, apps, .. } = logs;
    for user in sorted.by_user() {
        let records =
            user.map_err(|e| InputError::new(&sc.path, None, format!("cannot read back kept records: {e}")))?;
        let user = summary.users as usize;
        let idle = sc.settings.session_cookie_idle;
        let rebuilt = rebuild::rebuild_user(&records, &apps, sc.start, (user, sc.devices.len()), idle);
        if let Some(u) = sc.users.get_mut(user) {
            u.stay_signed_in = rebuilt.stay_signed_in;
        }
        summary.records += records.len() as u64;
        summary.users += 1;
        summary.devices += rebuilt.devices.len() as u64;
        summary.steps += rebuilt.steps.len() as u64;
        summary.inferences.add(&rebuilt.inferences);
        sc.devices.extend(rebuilt.devices);
        steps.extend(rebuilt.steps);
        assumed.extend(rebuilt.assumed);
        sc.limits = max_limits(sc.limits, rebuilt.limits);
    }
    // Steps of one instant keep the order of their users (R-DET-1).
    steps.sort_by_key(|s| s.at);
    sc.limits.max_steps = sc.limits.max_steps.max(steps.len() as u64);
    sc.limits.max_events = sc.limits.max_events.max(steps.len() as u64 * 64);
    sc.steps = steps;
    Ok((sc, summary, assumed))
}

/// (user, device, client, app, instant) of a session replay assumed began before the logs.
pub type AssumedKey = (UserIdx, DeviceIdx, Client, AppIdx, Instant);

fn max_limits(a: crate::scenario::model::Limits, b: crate::scenario::model::Limits) -> crate::scenario::model::Limits {
    crate::scenario::model::Limits {
        max_span: a.max_span.max(b.max_span),
        max_steps: a.max_steps.max(b.max_steps),
        max_events: a.max_events.max(b.max_events),
    }
}
