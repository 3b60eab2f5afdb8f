//! `casim policies lint`: every finding of every policy, each with the
//! documentation it rests on. Values Entra itself refuses are errors; the
//! rest are warnings.

use std::collections::BTreeSet;

use super::apps::AppGroup;
use super::describe::sif_words;
use super::grants::Grant;
use super::locations::NamedLocation;
use super::model::*;
use crate::domain::App;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// A short stable id of the check, e.g. `sif-range`.
    pub check: &'static str,
    /// The policy, or `None` for a finding about the whole set.
    pub policy: Option<String>,
    pub message: String,
    /// The documentation the finding rests on.
    pub source: &'static str,
}

/// Tenant settings lint takes into account.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tenant {
    /// "Remember multifactor authentication on trusted devices", in days.
    pub remember_mfa_days: Option<u32>,
    /// What the scenario the set is read against gives its sign-ins, when
    /// there is one (`--scenario`).
    pub inputs: Option<Inputs>,
}

/// Inputs scenarios often leave at their default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inputs {
    pub devices_with_country: bool,
    pub users_with_insider_risk: bool,
    pub steps_with_auth_flow: bool,
}

const SRC_PB: &str = "R-PB-2 (MODEL.md); Microsoft Learn, Configure adaptive session lifetime policies: persistent browser session needs All resources";
const SRC_ET: &str =
    "R-ET-3 (MODEL.md); Microsoft Learn, Adaptive session lifetime policies: sign-in frequency every time";
const SRC_RANGE: &str = "R-SIF-1 (MODEL.md); REFERENCE.md, Numbers: SIF range hours 1–23, days 1–365";
const SRC_1104: &str =
    "REFERENCE.md, sessionControls.signInFrequency: Graph rejects timeBased with secondaryAuthentication (error 1104)";
const SRC_REMEDIATION: &str = "Microsoft Graph conditionalAccessGrantControls: riskRemediation must be accompanied by authenticationStrength using AND, and is not combined with passwordChange";
const SRC_PWD: &str = "REFERENCE.md, grantControls: passwordChange must pair with mfa by AND, in a user-risk policy on all apps; Microsoft Learn, Conditional Access grant: Require password change";
const SRC_USERS: &str = "R-CA-1 (MODEL.md); Graph conditionalAccessUsers";
const SRC_APPS: &str = "R-CA-1 (MODEL.md); Graph conditionalAccessApplications";
const SRC_REPORT: &str = "R-CA-1 (MODEL.md): report-only policies are evaluated and recorded but change nothing; Microsoft Learn, Conditional Access report-only mode";
const SRC_SHARED: &str = "R-SIF-4 (MODEL.md); Microsoft Learn, Reauthentication prompts and session lifetime for MFA: apps in one browser session share the shortest sign-in frequency";
const SRC_STATE: &str = "R-CA-1 (MODEL.md); Graph conditionalAccessPolicy.state: disabled and enabledForReportingButNotEnforced policies enforce nothing";
const SRC_GSA: &str = "Graph beta conditionalAccessApplications.networkAccess / globalSecureAccess: Global Secure Access traffic profiles";
const SRC_INPUTS: &str = "R-CA-4 (MODEL.md); docs/policies.md, Inputs and their defaults";
const SRC_DUP: &str =
    "R-CA-1 (MODEL.md): policies combine, so a copy adds nothing and a policy covered by a block changes nothing";
const SRC_REMEMBER: &str = "REFERENCE.md, Numbers: Remember MFA on trusted devices is not compatible with SIF; Microsoft Learn, Configure adaptive session lifetime policies (disable it first)";

/// Every finding, policy by policy in order, then those about the whole set.
pub fn lint(policies: &[Policy], apps: &[App], locations: &[NamedLocation], tenant: Tenant) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in policies {
        check_policy(p, &mut out);
        rarely_set_inputs(p, locations, tenant.inputs, &mut out);
    }
    duplicates(policies, &mut out);
    shadowed(policies, &mut out);
    nothing_enforced(policies, &mut out);
    report_only_enforcement(policies, &mut out);
    shared_browser_sif(policies, apps, &mut out);
    remember_mfa(policies, tenant, &mut out);
    out
}

pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

fn finding(
    out: &mut Vec<Finding>,
    severity: Severity,
    check: &'static str,
    p: Option<&Policy>,
    message: String,
    source: &'static str,
) {
    out.push(Finding { severity, check, policy: p.map(|p| p.name.clone()), message, source });
}

fn check_policy(p: &Policy, out: &mut Vec<Finding>) {
    persistent_browser(p, out);
    every_time_without_mfa(p, out);
    sif_values(p, out);
    password_change(p, out);
    risk_remediation(p, out);
    users(p, out);
    resources(p, out);
}

/// R-PB-2.
fn persistent_browser(p: &Policy, out: &mut Vec<Finding>) {
    if p.session.persistent_browser.is_some() && !p.apps.targets_all_resources() {
        let msg = "persistent browser session only works on a policy for all resources without exclusions; casim ignores it here".to_string();
        finding(out, Severity::Warning, "persistent-browser-scope", Some(p), msg, SRC_PB);
    }
}

/// R-ET-3.
fn every_time_without_mfa(p: &Policy, out: &mut Vec<Finding>) {
    if p.sif == Some(Sif::EveryTime) && !p.requires_mfa() {
        let msg = "sign-in frequency every time without an MFA grant can loop sign-ins".to_string();
        finding(out, Severity::Warning, "every-time-without-mfa", Some(p), msg, SRC_ET);
    }
}

fn sif_values(p: &Policy, out: &mut Vec<Finding>) {
    let Some(f) = &p.session.sign_in_frequency else { return };
    if !f.every_time && !f.in_range() {
        let value = sif_words(&SifSetting { secondary_only: false, enabled: true, ..f.clone() });
        let msg = format!("{value} is outside what Entra accepts (hours 1–23, days 1–365)");
        finding(out, Severity::Error, "sif-range", Some(p), msg, SRC_RANGE);
    }
    if !f.every_time && f.secondary_only {
        let msg = "a time-based sign-in frequency must use authenticationType primaryAndSecondaryAuthentication, not secondaryAuthentication (Graph error 1104)".to_string();
        finding(out, Severity::Error, "sif-1104", Some(p), msg, SRC_1104);
    }
}

fn password_change(p: &Policy, out: &mut Vec<Finding>) {
    let Some(g) = &p.grant else { return };
    if !g.contains(&Grant::PasswordChange) {
        return;
    }
    let with_mfa = matches!(g, Grant::AllOf(list) if list.contains(&Grant::Mfa));
    if !with_mfa {
        let msg =
            "require password change must be combined with require MFA (all of the selected controls)".to_string();
        finding(out, Severity::Error, "password-change-without-mfa", Some(p), msg, SRC_PWD);
    }
    if p.user_risk.is_none() {
        let msg = "require password change belongs in a policy with a user risk condition".to_string();
        finding(out, Severity::Warning, "password-change-without-user-risk", Some(p), msg, SRC_PWD);
    }
    if !p.apps.targets_all_resources() {
        let msg = "require password change belongs in a policy for all resources".to_string();
        finding(out, Severity::Warning, "password-change-not-all-resources", Some(p), msg, SRC_PWD);
    }
}

/// Graph: `riskRemediation` goes with an authentication strength by AND, and
/// never with `passwordChange`.
fn risk_remediation(p: &Policy, out: &mut Vec<Finding>) {
    let Some(g) = &p.grant else { return };
    if !g.contains(&Grant::RiskRemediation) {
        return;
    }
    let with_strength =
        matches!(g, Grant::AllOf(list) if list.iter().any(|c| matches!(c, Grant::AuthenticationStrength(_))));
    if !with_strength {
        let msg = "risk remediation must be combined with an authentication strength (all of the selected controls)"
            .to_string();
        finding(out, Severity::Error, "risk-remediation-without-strength", Some(p), msg, SRC_REMEDIATION);
    }
    if g.contains(&Grant::PasswordChange) {
        let msg = "risk remediation and require password change cannot be combined".to_string();
        finding(out, Severity::Error, "risk-remediation-with-password-change", Some(p), msg, SRC_REMEDIATION);
    }
}

fn users(p: &Policy, out: &mut Vec<Finding>) {
    if p.workloads.as_ref().is_some_and(|w| !w.is_empty()) {
        return; // a policy for workload identities targets no user (R-CA-6)
    }
    let u = &p.users;
    let includes_someone = !u.include.is_empty() || u.include_guests.as_ref().is_some_and(|g| !g.kinds.is_empty());
    if !includes_someone && u.unknown_include.is_empty() {
        let msg = "the policy includes nobody".to_string();
        finding(out, Severity::Warning, "includes-nobody", Some(p), msg, SRC_USERS);
    } else if !includes_someone {
        let msg =
            "the policy includes only user ids this scenario does not know: it applies to nobody here".to_string();
        finding(out, Severity::Warning, "includes-nobody", Some(p), msg, SRC_USERS);
    }
    if u.exclude.contains(&UserRef::All) {
        let msg = "the policy excludes all users".to_string();
        finding(out, Severity::Warning, "excludes-everybody", Some(p), msg, SRC_USERS);
    }
}

fn resources(p: &Policy, out: &mut Vec<Finding>) {
    let a = &p.apps;
    if a.gsa_traffic {
        let msg = "the policy targets Global Secure Access traffic profiles: it applies to traffic through the GSA client, which casim does not simulate, so no casim sign-in meets it".to_string();
        finding(out, Severity::Warning, "gsa-traffic-profile", Some(p), msg, SRC_GSA);
    }
    let targets = a.targets_resources() || !a.user_actions.is_empty() || !a.auth_contexts.is_empty();
    if !targets {
        let msg = "the policy targets no resource, user action or authentication context".to_string();
        finding(out, Severity::Warning, "targets-nothing", Some(p), msg, SRC_APPS);
    }
}

/// A condition whose input scenarios usually leave at its default: the
/// policy's effect in a simulation rests on that default (R-CA-4).
fn rarely_set_inputs(p: &Policy, locations: &[NamedLocation], inputs: Option<Inputs>, out: &mut Vec<Finding>) {
    if p.state == PolicyState::Disabled {
        return;
    }
    let given = inputs.unwrap_or_default();
    let known = inputs.is_some();
    // Only a country location reads the sign-in's country; an undefined
    // location matches nothing whatever the input (`policies show` says so).
    let is_country = |id: &String| {
        locations.iter().any(|l| &l.id == id && matches!(l.kind, super::locations::LocationKind::Countries { .. }))
    };
    let countries = p.locations.as_ref().is_some_and(|l| {
        l.include
            .iter()
            .chain(&l.exclude)
            .any(|r| matches!(r, super::locations::LocationRef::Named(id) if is_country(id)))
    });
    let checks: [(bool, bool, &str); 3] = [
        (
            countries,
            given.devices_with_country,
            "named locations (a country allow- or block-list needs devices with `country:`; without one the sign-in's country is unknown)",
        ),
        (
            p.insider_risk.is_some(),
            given.users_with_insider_risk,
            "insider risk (users have `insider_risk: none` unless the scenario sets it)",
        ),
        (
            p.auth_flows.is_some(),
            given.steps_with_auth_flow,
            "authentication flows (a `use` has no device code flow or authentication transfer unless it says `authentication_flow:`)",
        ),
    ];
    for (applies, set, what) in checks {
        if applies && !(known && set) {
            let scenario = if known { "no sign-in of this scenario sets it" } else { "scenarios rarely set it" };
            let msg = format!("the policy's effect depends on {what}; {scenario}");
            finding(out, Severity::Warning, "rarely-set-input", Some(p), msg, SRC_INPUTS);
        }
    }
    if p.times.is_some() {
        let msg = "the policy's effect depends on the time of the sign-in (`times`): What If needs `--at`, a simulation uses each instant".to_string();
        finding(out, Severity::Warning, "rarely-set-input", Some(p), msg, SRC_INPUTS);
    }
}

/// A policy's conditions and controls, without its name, id, state and origin.
fn substance(p: &Policy) -> Policy {
    Policy {
        name: String::new(),
        id: None,
        state: PolicyState::Enabled,
        origin: None,
        template_id: None,
        ignored: Vec::new(),
        ..p.clone()
    }
}

/// Two policies with the same conditions and controls.
fn duplicates(policies: &[Policy], out: &mut Vec<Finding>) {
    let live: Vec<(&Policy, Policy)> =
        policies.iter().filter(|p| p.state != PolicyState::Disabled).map(|p| (p, substance(p))).collect();
    for (i, (a, sa)) in live.iter().enumerate() {
        if let Some((b, _)) = live[..i].iter().find(|(_, sb)| sb == sa) {
            let msg =
                format!("the policy has the same conditions and controls as `{}`: one of them is redundant", b.name);
            finding(out, Severity::Warning, "duplicate-policy", Some(a), msg, SRC_DUP);
        }
    }
}

/// Whether `p` blocks every user and every resource with no other condition:
/// apart from its grant it is `Policy::new`'s policy for all users and resources.
fn blocks_everything(p: &Policy) -> bool {
    p.state == PolicyState::Enabled
        && p.grant == Some(Grant::Block)
        && Policy { grant: None, ..substance(p) } == substance(&Policy::new(""))
}

/// Policies an unconditional block makes irrelevant (and the block itself).
fn shadowed(policies: &[Policy], out: &mut Vec<Finding>) {
    let Some(block) = policies.iter().find(|p| blocks_everything(p)) else { return };
    let msg = "the policy blocks every user on every resource with no other condition: it locks out the whole tenant, break-glass accounts included".to_string();
    finding(out, Severity::Warning, "blocks-everyone", Some(block), msg, SRC_DUP);
    for p in policies.iter().filter(|p| p.state != PolicyState::Disabled && !std::ptr::eq(*p, block)) {
        let msg = format!("`{}` blocks every sign-in this policy could apply to: it changes nothing", block.name);
        finding(out, Severity::Warning, "shadowed-policy", Some(p), msg, SRC_DUP);
    }
}

/// A set in which no policy is enabled enforces nothing.
fn nothing_enforced(policies: &[Policy], out: &mut Vec<Finding>) {
    if policies.is_empty() || policies.iter().any(|p| p.state == PolicyState::Enabled) {
        return;
    }
    let report_only = policies.iter().filter(|p| p.state == PolicyState::ReportOnly).count();
    let msg = format!(
        "every policy of the set is disabled or report-only ({} disabled, {report_only} report-only): nothing is enforced",
        policies.len() - report_only
    );
    finding(out, Severity::Warning, "nothing-enforced", None, msg, SRC_STATE);
}

fn has_controls(p: &Policy) -> bool {
    p.grant.is_some() || p.sif.is_some() || p.effective_persistent_browser().is_some()
}

/// Controls that exist only in report-only policies enforce nothing.
fn report_only_enforcement(policies: &[Policy], out: &mut Vec<Finding>) {
    if !policies.iter().any(|p| p.state == PolicyState::Enabled) {
        return; // `nothing-enforced` says it already
    }
    let enforced = policies.iter().any(|p| p.state == PolicyState::Enabled && has_controls(p));
    let report_only: Vec<&str> = policies
        .iter()
        .filter(|p| p.state == PolicyState::ReportOnly && has_controls(p))
        .map(|p| p.name.as_str())
        .collect();
    if !enforced && !report_only.is_empty() {
        let msg = format!(
            "every control of this policy set is in report-only policies ({}): nothing is enforced",
            report_only.join(", ")
        );
        finding(out, Severity::Warning, "report-only-enforcement", None, msg, SRC_REPORT);
    }
}

/// The Office 365 apps (usually open in one browser session) a policy reaches.
fn office_apps(p: &Policy, apps: &[App]) -> BTreeSet<usize> {
    let a = &p.apps;
    (0..apps.len())
        .filter(|&i| AppGroup::Office365.contains(&apps[i]))
        .filter(|&i| a.all || a.include.contains(&i) || a.include_groups.contains(&AppGroup::Office365))
        .filter(|&i| !a.exclude.contains(&i) && !a.exclude_groups.contains(&AppGroup::Office365))
        .collect()
}

/// R-SIF-4: different sign-in frequencies for apps of one browser session.
fn shared_browser_sif(policies: &[Policy], apps: &[App], out: &mut Vec<Finding>) {
    let with_sif: Vec<(&Policy, i64, BTreeSet<usize>)> = policies
        .iter()
        .filter(|p| p.state == PolicyState::Enabled)
        .filter_map(|p| match p.sif {
            Some(Sif::Periodic(d)) => Some((p, d, office_apps(p, apps))),
            _ => None,
        })
        .filter(|(_, _, set)| !set.is_empty())
        .collect();
    for (i, (a, da, sa)) in with_sif.iter().enumerate() {
        for (b, db, sb) in &with_sif[i + 1..] {
            if da == db || sa == sb {
                continue;
            }
            let keys = |s: &BTreeSet<usize>| s.iter().map(|&i| apps[i].key.as_str()).collect::<Vec<_>>().join(", ");
            let msg = format!(
                "`{}` ({}) and `{}` ({}) set different sign-in frequencies for apps usually open in one browser session ({} / {}): the shorter one applies to all of them there",
                a.name,
                crate::time::duration(*da),
                b.name,
                crate::time::duration(*db),
                keys(sa),
                keys(sb)
            );
            finding(out, Severity::Warning, "shared-browser-sif", Some(a), msg, SRC_SHARED);
        }
    }
}

fn remember_mfa(policies: &[Policy], tenant: Tenant, out: &mut Vec<Finding>) {
    let Some(days) = tenant.remember_mfa_days else { return };
    for p in policies.iter().filter(|p| p.state != PolicyState::Disabled && p.sif.is_some()) {
        let msg = format!(
            "the tenant remembers MFA on trusted devices for {days} days, which is not compatible with sign-in frequency; disable it"
        );
        finding(out, Severity::Warning, "remember-mfa-with-sif", Some(p), msg, SRC_REMEMBER);
    }
}
