//! `casim replay`: a tenant's sign-in logs read back (`read`, `csv`), their
//! activity rebuilt as a scenario (`rebuild`), then simulated under a policy
//! set like any scenario. docs/replay.md says what is read, what is inferred
//! and how far to trust it.

pub mod calibrate;
pub mod csv;
pub mod read;
pub mod rebuild;

use std::path::{Path, PathBuf};

use crate::error::InputError;
use crate::scenario::{self, Scenario};
use read::Read;
use rebuild::Rebuilt;

/// Logs read and rebuilt, with their policies attached.
pub struct Replay {
    pub rebuilt: Rebuilt,
    /// What reading skipped and assumed (its records moved into the scenario).
    pub read: Read,
    pub records: usize,
    /// The prompts users saw, as the logs show them (`--calibrate`).
    pub seen: Vec<calibrate::Seen>,
}

/// Reads `logs`, rebuilds their activity and attaches the policies of `policies`.
pub fn load(logs: &[PathBuf], policies: &Path) -> Result<Replay, InputError> {
    let mut read = read::read_files(logs)?;
    let records = std::mem::take(&mut read.records);
    let first = logs.first().map(PathBuf::as_path).unwrap_or(Path::new("-"));
    if records.is_empty() {
        let skipped: u64 = read.skipped.values().sum();
        return Err(InputError::new(first, None, format!("no sign-in record to replay ({skipped} skipped)"))
            .with_help(Some("`casim replay --explain` lists the first skipped records and why".into())));
    }
    let count = records.len();
    let seen = calibrate::seen(&records);
    let mut rebuilt = rebuild::rebuild(records, first);
    let set = scenario::load_policies(policies, &rebuilt.scenario)?;
    scenario::attach_policies(&mut rebuilt.scenario, set);
    let blind = directory_blind(&rebuilt.scenario);
    rebuilt.scenario.warnings.extend(blind);
    Ok(Replay { rebuilt, read, records: count, seen })
}

/// Sign-in logs name no group or role: a policy that includes or excludes
/// them is replayed as if nobody were in them, which is said, never silent.
fn directory_blind(sc: &Scenario) -> Vec<String> {
    use crate::policy::UserRef;
    sc.policies
        .iter()
        .filter(|p| {
            let refs = p.users.include.iter().chain(&p.users.exclude);
            refs.clone().any(|r| matches!(r, UserRef::Group(_) | UserRef::Role(_)))
        })
        .map(|p| {
            format!(
                "policy `{}` names groups or roles, which sign-in logs do not give: replayed as if no user were in them (docs/replay.md)",
                p.name
            )
        })
        .collect()
}

impl Replay {
    pub fn scenario(&self) -> &Scenario {
        &self.rebuilt.scenario
    }

    /// What was read, skipped and inferred, in lines for stderr.
    pub fn summary(&self, explain: bool) -> Vec<String> {
        let sc = self.scenario();
        let skipped: u64 = self.read.skipped.values().sum();
        let mut lines = vec![format!(
            "replayed {} sign-in records: {} users, {} devices, {} steps; {skipped} records skipped",
            self.records,
            sc.users.len(),
            sc.devices.len(),
            sc.steps.len()
        )];
        for (&cause, n) in &self.read.skipped {
            lines.push(format!("  skipped {n}: {}", read::SKIP_CAUSES[cause]));
        }
        if !explain {
            return lines;
        }
        let i = &self.rebuilt.inferences;
        lines.push("inferred (docs/replay.md):".into());
        lines.push(format!(
            "  {} sessions begun before the logs, taken to begin at their first record",
            i.sessions_assumed
        ));
        lines
            .push(format!("  {} device sign-ins assumed at a joined device's first record", i.device_sign_ins_assumed));
        lines.push(format!("  {} stretches of use (records of one app at most 65 minutes apart)", i.use_runs));
        lines.push(format!("  {} background runs of native or confidential clients", i.background_runs));
        lines.push(format!("  {} Chrome browsers doing PRT single sign-on (incomingTokenType)", i.chrome_sso));
        lines.push(format!("  {} browser closes, before browser sign-ins no refusal explains", i.browser_closes));
        lines.push(format!("  {} records without a status, taken as successes", self.read.status_assumed));
        lines.push(
            "  every lock, other browser close and \"Stay signed in?\" answer is unknown: none happen, the answer is No"
                .into(),
        );
        for (place, cause) in &self.read.first_skipped {
            lines.push(format!("  skipped {place}: {}", read::SKIP_CAUSES[*cause]));
        }
        lines
    }
}
