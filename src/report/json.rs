//! `casim run --format json` (SCENARIO-FORMAT.md, output contract): one
//! pretty-printed object per scenario, keys in a fixed order. Built outcome
//! by outcome (a population's user by user): each item is printed where it
//! was simulated, with the names its scenario gives its indices, and kept in
//! a `Spill` section until the end. The layout is serde_json's pretty one,
//! which the snapshot tests hold it to.

use std::io::{self, Write};

use serde::Serialize;

use super::run::Sections;
use crate::domain::Client;
use crate::engine::outcome::Notice;
use crate::engine::state::Access;
use crate::engine::{
    Blocked, Detail, ErrorCode, Options, Outcome, Prompt, PromptKind, PromptResult, Reason, ReportOnlyFinding, Rule,
    Stats, WorkloadSignIn,
};
use crate::scenario::Scenario;
use crate::spill::Spill;
use crate::time::Instant;

/// The arrays of the object, in its key order.
const ARRAYS: [&str; 6] = ["prompts", "blocked", "report_only", "deferred", "findings", "workload_sign_ins"];

/// One scenario's JSON object so far.
pub(crate) struct Json {
    head: String,
    not_simulated: Option<String>,
    /// Each array's items, pretty-printed at their depth and separated by `,\n`.
    arrays: [Spill; 6],
}

/// One outcome's items, printed.
pub(crate) struct JsonPart {
    arrays: [Vec<String>; 6],
}

#[derive(Serialize)]
struct NotSimulated<'a> {
    policy: &'a str,
    controls: &'a [String],
}

impl Sections for Json {
    type Part = JsonPart;

    fn new(scenario: &Scenario, _options: Options) -> Json {
        let head = format!(
            "{{\n  \"scenario\": {},\n  \"file\": {}",
            string(&scenario.name),
            string(&scenario.path.display().to_string())
        );
        // Policies with controls or conditions casim keeps but does not simulate.
        let not_simulated: Vec<NotSimulated> = scenario
            .policies
            .iter()
            .filter(|p| !p.not_simulated.is_empty())
            .map(|p| NotSimulated { policy: &p.name, controls: &p.not_simulated })
            .collect();
        let not_simulated = (!not_simulated.is_empty()).then(|| pretty(&not_simulated, 1));
        Json { head, not_simulated, arrays: Default::default() }
    }

    fn part(scenario: &Scenario, outcome: &Outcome, _options: Options) -> JsonPart {
        JsonPart {
            arrays: [
                outcome.prompts.iter().map(|p| item(&prompt(scenario, p))).collect(),
                outcome.blocked.iter().map(|b| item(&blocked(scenario, b))).collect(),
                outcome.report_only.iter().map(|f| item(&report_only(scenario, f))).collect(),
                outcome.deferred.iter().map(|n| item(&notice(scenario, n))).collect(),
                outcome.findings.iter().map(|n| item(&notice(scenario, n))).collect(),
                outcome.workload_sign_ins.iter().map(|w| item(&workload(scenario, w))).collect(),
            ],
        }
    }

    fn add(&mut self, part: JsonPart) -> io::Result<()> {
        for (spill, items) in self.arrays.iter_mut().zip(part.arrays) {
            for item in items {
                if !spill.is_empty() {
                    spill.write(b",\n")?;
                }
                spill.write(item.as_bytes())?;
            }
        }
        Ok(())
    }

    fn finish(self, stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.head.as_bytes())?;
        for (name, spill) in ARRAYS.into_iter().zip(self.arrays) {
            // R-CA-6: workload identities' token requests only when the scenario has some.
            if name == "workload_sign_ins" && spill.is_empty() {
                continue;
            }
            if spill.is_empty() {
                write!(out, ",\n  \"{name}\": []")?;
            } else {
                write!(out, ",\n  \"{name}\": [\n")?;
                spill.copy_to(out)?;
                out.write_all(b"\n  ]")?;
            }
        }
        if let Some(not_simulated) = &self.not_simulated {
            write!(out, ",\n  \"not_simulated\": {not_simulated}")?;
        }
        write!(out, ",\n  \"stats\": {}\n}}", pretty(stats, 1))
    }
}

/// `value` as serde_json prints it pretty at `depth` (two spaces a level),
/// its first line left for the caller to place. A JSON string never holds a
/// raw line break, so every break is the printer's own.
fn pretty<T: Serialize>(value: &T, depth: usize) -> String {
    // The types printed here are plain structs of strings and numbers.
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}

/// An array item of the object, on its own line at depth 2.
fn item<T: Serialize>(value: &T) -> String {
    format!("    {}", pretty(value, 2))
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// When, who, on which device, in which app and client: the first fields of
/// every item but a workload's.
#[derive(Serialize)]
struct Who<'a> {
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    at: Instant,
    user: &'a str,
    device: &'a str,
    app: &'a str,
    client: Client,
}

fn who(sc: &Scenario, at: Instant, access: Access) -> Who<'_> {
    let n = access.named(sc);
    Who { at, user: n.user, device: n.device, app: n.app, client: n.client }
}

#[derive(Serialize)]
struct PromptJson<'a> {
    #[serde(flatten)]
    who: Who<'a>,
    kind: PromptKind,
    reason: Reason,
    policy: Option<&'a str>,
    rule: Rule,
    #[serde(serialize_with = "crate::time::serialize_opt_rfc3339")]
    expired_auth_instant: Option<Instant>,
    result: PromptResult,
    #[serde(serialize_with = "crate::time::serialize_opt_rfc3339")]
    answered_at: Option<Instant>,
    error_code: Option<ErrorCode>,
    stay_signed_in: Option<bool>,
    detail: &'a Detail,
}

fn prompt<'a>(sc: &'a Scenario, p: &'a Prompt) -> PromptJson<'a> {
    PromptJson {
        who: who(sc, p.at, p.access),
        kind: p.kind,
        reason: p.reason,
        policy: p.policy.map(|i| sc.policies[i].name.as_str()),
        rule: p.rule,
        expired_auth_instant: p.expired_auth_instant,
        result: p.result,
        answered_at: p.answered_at,
        error_code: p.error_code,
        stay_signed_in: p.stay_signed_in,
        detail: &p.detail,
    }
}

#[derive(Serialize)]
struct BlockedJson<'a> {
    #[serde(flatten)]
    who: Who<'a>,
    policy: Option<&'a str>,
    error_code: ErrorCode,
    rule: Rule,
    detail: &'a Detail,
}

fn blocked<'a>(sc: &'a Scenario, b: &'a Blocked) -> BlockedJson<'a> {
    BlockedJson {
        who: who(sc, b.at, b.access),
        policy: b.policy.map(|i| sc.policies[i].name.as_str()),
        error_code: b.error_code,
        rule: b.rule,
        detail: &b.detail,
    }
}

#[derive(Serialize)]
struct ReportOnlyJson<'a> {
    #[serde(flatten)]
    who: Who<'a>,
    policy: &'a str,
    result: &'a str,
    reason: Option<Reason>,
    detail: &'a Detail,
}

fn report_only<'a>(sc: &'a Scenario, f: &'a ReportOnlyFinding) -> ReportOnlyJson<'a> {
    ReportOnlyJson {
        who: who(sc, f.at, f.access),
        policy: &sc.policies[f.policy].name,
        result: f.result,
        reason: f.reason,
        detail: &f.detail,
    }
}

#[derive(Serialize)]
struct NoticeJson<'a> {
    #[serde(flatten)]
    who: Who<'a>,
    policy: Option<&'a str>,
    rule: Rule,
    detail: &'a Detail,
}

fn notice<'a>(sc: &'a Scenario, f: &'a Notice) -> NoticeJson<'a> {
    NoticeJson {
        who: who(sc, f.at, f.access),
        policy: f.policy.map(|i| sc.policies[i].name.as_str()),
        rule: f.rule,
        detail: &f.detail,
    }
}

#[derive(Serialize)]
struct WorkloadJson<'a> {
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    at: Instant,
    workload: &'a str,
    app: &'a str,
    result: &'a str,
    policy: Option<&'a str>,
    error_code: Option<ErrorCode>,
    report_only: Vec<&'a str>,
    rule: Rule,
    detail: &'a Detail,
}

fn workload<'a>(sc: &'a Scenario, w: &'a WorkloadSignIn) -> WorkloadJson<'a> {
    WorkloadJson {
        at: w.at,
        workload: &sc.workloads[w.workload].identity.key,
        app: &sc.apps[w.app].key,
        result: w.result,
        policy: w.policy.map(|i| sc.policies[i].name.as_str()),
        error_code: w.error_code,
        report_only: w.report_only.iter().map(|&i| sc.policies[i].name.as_str()).collect(),
        rule: w.rule,
        detail: &w.detail,
    }
}
