//! `casim explain`: one sign-in record laid out like the Entra portal's
//! activity details (seed 001: basic info with the who / how / what, location,
//! device info, authentication details, Conditional Access, report-only), then
//! what the portal cannot say: why casim wrote the record (the prompt, the
//! artifacts behind the auth instant, the rules).
//!
//! Every value comes from the Graph record (`signin::record::to_graph`), so the
//! page cannot disagree with `casim logs`.

use std::fmt::Write as _;

use serde_json::Value;

use crate::engine::{ErrorCode, Outcome, PromptResult};
use crate::policy::Policy;
use crate::policy::describe::{self, Names};
use crate::scenario::Scenario;
use crate::signin::{SignInEvent, record};
use crate::time;

/// What `render` needs: the record, and what the run said around it.
pub struct Explained<'a> {
    pub scenario: &'a Scenario,
    pub outcome: &'a Outcome,
    pub event: &'a SignInEvent,
    /// The refused request that raised the record's prompt, when the record is
    /// not that request itself (e.g. the 70044 before an answer).
    pub refusal: Option<&'a SignInEvent>,
}

const LABEL: usize = 32;

struct Page {
    out: String,
}

impl Page {
    fn section(&mut self, title: &str) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        let _ = writeln!(self.out, "{title}");
        let _ = writeln!(self.out, "{}", "-".repeat(title.chars().count()));
    }

    fn field(&mut self, label: &str, value: impl AsRef<str>) {
        let value = value.as_ref();
        let shown = if value.is_empty() { "—" } else { value };
        let _ = writeln!(self.out, "  {label:<LABEL$}{shown}");
    }

    fn line(&mut self, text: impl AsRef<str>) {
        let _ = writeln!(self.out, "  {}", text.as_ref());
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn yes_no(v: &Value) -> &'static str {
    if v.as_bool().unwrap_or(false) { "Yes" } else { "No" }
}

/// The activity details of `x.event`, then "Why (casim)".
/// Long: the sections of `casim explain` in the order the portal shows them.
pub fn render(x: &Explained) -> String {
    let sc = x.scenario;
    let e = x.event;
    let g = record::to_graph(sc, e);
    let at = |t| format!("{} ({})", time::rfc3339(t), sc.clock().show(t));
    let mut p = Page { out: String::new() };

    p.section(&format!("Sign-in activity details ({})", sc.name));
    p.field("Scenario file", sc.path.display().to_string());
    p.field("Log", if e.interactive { "User sign-ins (interactive)" } else { "User sign-ins (non-interactive)" });

    p.section("Basic info");
    p.field("Date", at(e.at));
    p.field("Request ID", text(&g["id"]));
    p.field("Correlation ID", text(&g["correlationId"]));
    p.field("Unique token identifier", text(&g["uniqueTokenIdentifier"]));
    p.line("Who");
    p.field("  User", text(&g["userDisplayName"]));
    p.field("  Username", text(&g["userPrincipalName"]));
    p.field("  User ID", text(&g["userId"]));
    p.field("  User type", text(&g["userType"]));
    p.field("  Cross tenant access type", text(&g["crossTenantAccessType"]));
    p.field("  Home tenant ID", text(&g["homeTenantId"]));
    p.line("How");
    p.field("  Client app", text(&g["clientAppUsed"]));
    p.field("  Client credential type", text(&g["clientCredentialType"]));
    p.field("  Interactive", format!("{} ({})", yes_no(&g["isInteractive"]), text(&g["signInEventTypes"][0])));
    p.field("  Incoming token type", text(&g["incomingTokenType"]));
    p.field("  Token issuer type", text(&g["tokenIssuerType"]));
    p.field("  Authentication requirement", text(&g["authenticationRequirement"]));
    p.line("What");
    p.field("  Application", text(&g["appDisplayName"]));
    p.field("  Application ID", text(&g["appId"]));
    p.field("  Resource", text(&g["resourceDisplayName"]));
    p.field("  Resource ID", text(&g["resourceId"]));
    p.field("  Resource tenant ID", text(&g["resourceTenantId"]));
    p.line("Status");
    let status = match e.error_code {
        None => "Success",
        Some(ErrorCode::KeepMeSignedInInterrupt) => "Interrupted",
        Some(_) => "Failure",
    };
    p.field("  Status", status);
    p.field("  Sign-in error code", e.error_code.map_or(0, ErrorCode::code).to_string());
    p.field("  Failure reason", text(&g["status"]["failureReason"]));
    p.field("  Additional details", text(&g["status"]["additionalDetails"]));
    p.field("  Conditional Access", text(&g["conditionalAccessStatus"]));

    p.section("Location");
    p.field("IP address", text(&g["ipAddress"]));
    p.field("Location", text(&g["location"]["countryOrRegion"]));

    p.section("Device info");
    let d = &g["deviceDetail"];
    p.field("Device ID", text(&d["deviceId"]));
    p.field("Device name", text(&d["displayName"]));
    p.field("Operating system", text(&d["operatingSystem"]));
    p.field("Browser", text(&d["browser"]));
    p.field("Compliant", yes_no(&d["isCompliant"]));
    p.field("Managed", yes_no(&d["isManaged"]));
    p.field("Join type", text(&d["trustType"]));

    p.section("Authentication details");
    let steps = g["authenticationDetails"].as_array().cloned().unwrap_or_default();
    if steps.is_empty() {
        p.line("No authentication step (the request was refused before the user was asked).");
    }
    for (i, s) in steps.iter().enumerate() {
        p.line(format!("{}. {}", i + 1, text(&s["authenticationMethod"])));
        p.field("     Requirement", text(&s["authenticationStepRequirement"]));
        p.field("     Result detail", text(&s["authenticationStepResultDetail"]));
        p.field("     Succeeded", yes_no(&s["succeeded"]));
        p.field("     Date", text(&s["authenticationStepDateTime"]));
    }

    let policies = g["appliedConditionalAccessPolicies"].as_array().cloned().unwrap_or_default();
    type Numbered<'a> = Vec<(usize, &'a Value)>;
    let (report_only, enforced): (Numbered, Numbered) = policies
        .iter()
        .enumerate()
        .partition(|(_, v)| v["result"].as_str().is_some_and(|r| r.starts_with("reportOnly")));
    p.section("Conditional Access");
    if e.policies.is_empty() {
        p.line("Not evaluated for this record.");
    } else if enforced.is_empty() {
        p.line("No enforced or disabled policy.");
    }
    for (i, v) in &enforced {
        policy_entry(&mut p, sc, e, *i, v);
    }

    p.section("Report-only");
    if report_only.is_empty() {
        p.line("No report-only policy.");
    }
    for (i, v) in &report_only {
        policy_entry(&mut p, sc, e, *i, v);
    }

    p.section("Session lifetime policies");
    let lifetimes = g["sessionLifetimePolicies"].as_array().cloned().unwrap_or_default();
    if lifetimes.is_empty() {
        p.line("None applied to this record.");
    }
    for l in &lifetimes {
        p.line(format!("{}: {}", text(&l["expirationRequirement"]), text(&l["detail"])));
    }

    why(&mut p, x, &at);
    p.out
}

/// One entry of the Conditional Access or Report-only tab.
fn policy_entry(p: &mut Page, sc: &Scenario, e: &SignInEvent, entry: usize, v: &Value) {
    let list =
        |key: &str| v[key].as_array().map(|l| l.iter().map(text).collect::<Vec<_>>().join(", ")).unwrap_or_default();
    let result = text(&v["result"]);
    p.line(format!("{}: {result}", text(&v["displayName"])));
    p.field("    Policy ID", text(&v["id"]));
    p.field("    Grant controls", list("enforcedGrantControls"));
    p.field("    Session controls", list("enforcedSessionControls"));
    let applied = !matches!(result.as_str(), "notApplied" | "notEnabled" | "reportOnlyNotApplied");
    if let Some(policy) = e.policies.get(entry).map(|r| &sc.policies[r.policy]) {
        let label = if applied { "    Applied because" } else { "    Conditions" };
        p.field(label, conditions(sc, policy));
    }
}

/// A policy's conditions in words, e.g. "users: all users; apps: sharepoint",
/// worded as `casim policies show` words them (`policy::describe`).
pub fn conditions(sc: &Scenario, policy: &Policy) -> String {
    let names = Names { users: &sc.users, apps: &sc.apps, locations: &sc.named_locations };
    let mut parts = vec![
        format!("users: {}", describe::users(&policy.users, names)),
        format!("apps: {}", describe::resources(&policy.apps, names)),
    ];
    // The other conditions are the `condition` lines of the policy's description.
    for line in describe::describe(policy, names).lines().skip(1) {
        if let Some(rest) = line.trim_start().strip_prefix("condition ") {
            parts.push(rest.trim().to_string());
        }
    }
    parts.join("; ")
}

/// "Why (casim)": the prompt, the artifacts, the rules.
fn why(p: &mut Page, x: &Explained, at: &dyn Fn(i64) -> String) {
    let e = x.event;
    p.section("Why (casim)");
    let index = e.prompt.and_then(|raised| x.outcome.prompt_index(raised));
    match index.and_then(|i| x.outcome.prompts.get(i).map(|pr| (i, pr))) {
        Some((i, prompt)) => {
            p.field("Prompt", format!("{} of {} ({})", i + 1, x.outcome.prompts.len(), prompt.kind.name()));
            p.field("Raised", at(prompt.at));
            let answered = match (prompt.result, prompt.answered_at) {
                (PromptResult::Answered, Some(t)) => at(t),
                (PromptResult::Failed, _) => "no: the user failed the sign-in".to_string(),
                (PromptResult::Abandoned, _) => "no: the user abandoned the sign-in".to_string(),
                (PromptResult::Unavailable, _) => "no: Entra ID was down (outage)".to_string(),
                _ => "not by the end of the timeline".to_string(),
            };
            p.field("Answered", answered);
            p.field("Reason", prompt.reason.name());
            p.field("Detail", prompt.detail.to_string());
            p.field("Policy", prompt.policy.map(|i| x.scenario.policies[i].name.as_str()).unwrap_or(""));
            p.field("Rule", prompt.rule.id());
            if let Some(t) = prompt.expired_auth_instant {
                p.field("Expired auth instant", at(t));
            }
            if let Some(r) = x.refusal {
                let id = record::request_id(x.scenario, r.serial);
                p.field(
                    "Refused request",
                    format!("{id} at {} (error {})", at(r.at), r.error_code.map_or(0, ErrorCode::code)),
                );
                lineage(p, "Artifacts behind the expired session (newest first)", &r.lineage);
            }
        }
        None => p.field("Prompt", "none: this record belongs to no prompt"),
    }
    let title = if e.prompt.is_some() && e.error_code.is_none() {
        "Artifacts behind this record's new session (newest first)"
    } else {
        "Artifacts behind this record's auth instant (newest first)"
    };
    lineage(p, title, &e.lineage);
    p.field("Rules", e.rules.iter().map(|r| r.id()).collect::<Vec<_>>().join(", "));
}

fn lineage(p: &mut Page, title: &str, chain: &[String]) {
    p.line(format!("{title}:"));
    if chain.is_empty() {
        p.line("  (no session: nothing stood behind this request)");
    }
    for (i, step) in chain.iter().enumerate() {
        p.line(format!("  {}. {step}", i + 1));
    }
}
