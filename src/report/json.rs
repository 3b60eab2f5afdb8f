//! `casim run --format json` (SCENARIO-FORMAT.md, output contract): one
//! pretty-printed object per scenario, keys in a fixed order. Built outcome
//! by outcome (a population's user by user): each item is printed where it
//! was simulated, with the names its scenario gives its indices, and kept in
//! a `Spill` section until the end. The layout is serde_json's pretty one,
//! which the snapshot tests hold it to.

use std::io::{self, Write};

use serde::Serialize;

use super::run::Sections;
use super::summary::RunSummary;
use crate::diff::breakdown::{self, UserShare};
use crate::domain::Client;
use crate::engine::outcome::Notice;
use crate::engine::state::Access;
use crate::engine::{
    Blocked, Detail, ErrorCode, Options, Outcome, Prompt, PromptKind, PromptResult, Reason, ReportOnlyFinding, Rule,
    Stats, WorkloadSignIn,
};
use crate::scenario::Scenario;
use crate::spill::Spill;
use crate::time::{Instant, Zone};

/// The arrays of the object, in its key order.
const ARRAYS: [&str; 6] = ["prompts", "blocked", "report_only", "deferred", "findings", "workload_sign_ins"];

/// One scenario's JSON object so far.
pub(crate) struct Json {
    head: String,
    not_simulated: Option<String>,
    /// Each array's items, pretty-printed at their depth and separated by `,\n`.
    arrays: [Spill; 6],
    /// A population's summary (`Options::population`), printed as `summary`.
    summary: Option<RunSummary>,
}

/// One outcome's items, printed as `Json::arrays` keeps them.
pub(crate) struct JsonPart {
    arrays: [Vec<u8>; 6],
    /// Each user's share of a population's summary; a partial result
    /// carries it beside the part (`report::partial`).
    pub(crate) shares: Vec<UserShare>,
}

#[derive(Serialize)]
struct NotSimulated<'a> {
    policy: &'a str,
    controls: &'a [String],
}

impl Json {
    /// The opening of the object `new` gives a scenario, and its policies not simulated.
    pub(crate) fn head_of(scenario: &Scenario) -> (String, Option<String>) {
        let head = format!(
            "{{\n  \"scenario\": {},\n  \"file\": {}",
            string(&scenario.name),
            string(&scenario.path.display().to_string())
        );
        // Only with a `timezone:`: the output of other scenarios stays as it was.
        let head = match scenario.zone.name() {
            Some(zone) => format!("{head},\n  \"timezone\": {}", string(zone)),
            None => head,
        };
        // Policies with controls or conditions casim keeps but does not simulate.
        let not_simulated: Vec<NotSimulated> = scenario
            .policies
            .iter()
            .filter(|p| !p.not_simulated.is_empty())
            .map(|p| NotSimulated { policy: &p.name, controls: &p.not_simulated })
            .collect();
        (head, (!not_simulated.is_empty()).then(|| pretty(&not_simulated, 1)))
    }

    /// An output with this opening, its parts to come from partial results (`casim merge`).
    pub(crate) fn headed(head: String, not_simulated: Option<String>, options: Options) -> Json {
        Json { head, not_simulated, arrays: Default::default(), summary: options.population.then(RunSummary::new) }
    }
}

impl JsonPart {
    /// The part as JSON, for a partial result: each array's items as one string.
    pub(crate) fn to_value(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.arrays.iter().map(|a| serde_json::Value::String(String::from_utf8_lossy(a).into_owned())).collect(),
        )
    }

    /// A part read back from `to_value`'s JSON; `None` if it is not one.
    pub(crate) fn from_value(v: &serde_json::Value) -> Option<JsonPart> {
        let items = v.as_array().filter(|a| a.len() == 6)?;
        let mut arrays: [Vec<u8>; 6] = Default::default();
        for (array, item) in arrays.iter_mut().zip(items) {
            *array = item.as_str()?.as_bytes().to_vec();
        }
        Some(JsonPart { arrays, shares: Vec::new() })
    }
}

impl Sections for Json {
    type Part = JsonPart;

    fn new(scenario: &Scenario, options: Options) -> Json {
        let (head, not_simulated) = Json::head_of(scenario);
        Json::headed(head, not_simulated, options)
    }

    fn part(scenario: &Scenario, outcome: &Outcome, options: Options) -> JsonPart {
        let mut arrays: [Vec<u8>; 6] = Default::default();
        let [prompts, blocked_, report_only_, deferred, findings, workloads] = &mut arrays;
        items(prompts, outcome.prompts.iter().map(|p| prompt(scenario, p)));
        items(blocked_, outcome.blocked.iter().map(|b| blocked(scenario, b)));
        items(report_only_, outcome.report_only.iter().map(|f| report_only(scenario, f)));
        items(deferred, outcome.deferred.iter().map(|n| notice(scenario, n)));
        items(findings, outcome.findings.iter().map(|n| notice(scenario, n)));
        items(workloads, outcome.workload_sign_ins.iter().map(|w| workload(scenario, w)));
        let shares = if options.population { breakdown::shares(scenario, outcome) } else { Vec::new() };
        JsonPart { arrays, shares }
    }

    fn add(&mut self, part: JsonPart) -> io::Result<()> {
        if let Some(summary) = &mut self.summary {
            part.shares.iter().for_each(|share| summary.add(share));
        }
        for (spill, items) in self.arrays.iter_mut().zip(part.arrays) {
            if items.is_empty() {
                continue;
            }
            if !spill.is_empty() {
                spill.write(b",\n")?;
            }
            spill.write(&items)?;
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
        if let Some(summary) = &self.summary {
            write!(out, ",\n  \"summary\": {}", summary.json())?;
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

/// Array items of the object, each on its own lines at depth 2, appended to
/// `out` and separated by `,\n`: serde_json's pretty layout, printed in place
/// at its depth rather than printed and then indented.
fn items<T: Serialize>(out: &mut Vec<u8>, values: impl Iterator<Item = T>) {
    for value in values {
        if !out.is_empty() {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"    ");
        let mut printer =
            serde_json::Serializer::with_formatter(&mut *out, Indented { base: 2, depth: 0, has_value: false });
        // The types printed here are plain structs of strings and numbers.
        let _ = value.serialize(&mut printer);
    }
}

/// serde_json's `PrettyFormatter` (two spaces a level) for a value that
/// starts `base` levels deep.
struct Indented {
    base: usize,
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        for _ in 0..self.base + self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A cause's words as a JSON string: what `Detail`'s own `Serialize` gives,
/// written into one buffer, not through `core::fmt` piece by piece.
fn detail<S: serde::Serializer>(detail: &&Detail, s: S) -> Result<S::Ok, S::Error> {
    let mut words = Vec::with_capacity(256);
    super::words::push(&mut words, detail);
    s.serialize_str(&String::from_utf8_lossy(&words))
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
    /// `at` on the scenario's clock, with its offset, only with a `timezone:`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "local_at")]
    local_at: Option<(Instant, Zone)>,
    user: &'a str,
    device: &'a str,
    app: &'a str,
    client: Client,
}

fn who(sc: &Scenario, at: Instant, access: Access) -> Who<'_> {
    let n = access.named(sc);
    Who { at, local_at: local(sc, at), user: n.user, device: n.device, app: n.app, client: n.client }
}

/// `at` and the scenario's zone when it has one (`local_at`).
fn local(sc: &Scenario, at: Instant) -> Option<(Instant, Zone)> {
    sc.zone.is_set().then_some((at, sc.zone))
}

/// `local_at`: `2026-01-08T09:00:00+01:00`.
fn local_at<S: serde::Serializer>(value: &Option<(Instant, Zone)>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some((t, zone)) => s.serialize_str(zone.rfc3339(*t).as_str()),
        None => s.serialize_none(),
    }
}

/// A `prompts` item (also a row of `prompts_parquet`).
#[derive(Serialize)]
pub(super) struct PromptJson<'a> {
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
    /// R-PROMPT-2: what the user did (`password`, `windows_hello`, `none`), then
    /// the second step (`mfa`, `remembered_mfa`, `none`) and the MFA method;
    /// `null` while unanswered.
    first_factor: Option<&'static str>,
    second_factor: Option<&'static str>,
    mfa_method: Option<&'static str>,
    #[serde(serialize_with = "detail")]
    detail: &'a Detail,
}

pub(super) fn prompt<'a>(sc: &'a Scenario, p: &'a Prompt) -> PromptJson<'a> {
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
        first_factor: p.answer.map(|a| a.first_name()),
        second_factor: p.answer.map(|a| a.second_name()),
        mfa_method: p.answer.and_then(|a| a.mfa_method()),
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
    #[serde(serialize_with = "detail")]
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
    #[serde(serialize_with = "detail")]
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
    #[serde(serialize_with = "detail")]
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
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "local_at")]
    local_at: Option<(Instant, Zone)>,
    workload: &'a str,
    app: &'a str,
    result: &'a str,
    policy: Option<&'a str>,
    error_code: Option<ErrorCode>,
    report_only: Vec<&'a str>,
    rule: Rule,
    #[serde(serialize_with = "detail")]
    detail: &'a Detail,
}

fn workload<'a>(sc: &'a Scenario, w: &'a WorkloadSignIn) -> WorkloadJson<'a> {
    WorkloadJson {
        at: w.at,
        local_at: local(sc, w.at),
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
