//! What If's answer in words (`text`) and as JSON close to Graph's
//! `whatIfAnalysisResult` (`json_result`).

use serde_json::{Value, json};

use crate::domain::{InsiderRisk, Join, Risk};
use crate::policy::conditions::AuthFlow;
use crate::policy::describe::sif_short;
use crate::policy::grants::GrantOutcome;
use crate::policy::matching::LegacyClient;
use crate::policy::whatif::{WhatIf, reasons_text};
use crate::policy::{Grant, PersistentBrowser};
use crate::scenario::Scenario;
use crate::terminal;
use crate::whatif::SignIn;

fn join_words(j: Join) -> &'static str {
    match j {
        Join::EntraJoined => "Entra joined",
        Join::HybridJoined => "hybrid joined",
        Join::Registered => "registered",
        Join::Unregistered => "unregistered",
    }
}

fn risk_name(r: Risk) -> &'static str {
    match r {
        Risk::None => "none",
        Risk::Low => "low",
        Risk::Medium => "medium",
        Risk::High => "high",
    }
}

fn sign_in_words(sc: &Scenario, i: &SignIn) -> String {
    let u = &sc.users[i.user];
    let a = &sc.apps[i.app];
    let target = match i.user_action {
        Some(action) => action.words().to_string(),
        None => format!("{} ({})", a.key, a.name),
    };
    let ctx = i.auth_context.as_deref().map(|c| format!(", authentication context {c}")).unwrap_or_default();
    let d = &i.device;
    let compliant = if d.compliant { ", compliant" } else { "" };
    let country = d.country.as_deref().unwrap_or("unknown country");
    let who = match &i.service_principal {
        Some(sp) => format!("workload identity {}{}", sp.key, if sp.agent { " (agent)" } else { "" }),
        None if u.id == u.upn => u.upn.clone(),
        None => format!("{} ({})", u.id, u.upn),
    };
    let mut extra = String::new();
    if let Some(f) = i.auth_flow {
        extra.push_str(&format!(", {}", f.words()));
    }
    if i.insider_risk != InsiderRisk::None {
        extra.push_str(&format!(", insider risk {}", i.insider_risk.name()));
    }
    if d.compliant_network {
        extra.push_str(", compliant network");
    }
    if let Some(at) = i.at {
        extra.push_str(&format!(", at {}", crate::time::rfc3339(at)));
    }
    let client = match i.legacy_client {
        Some(LegacyClient::ExchangeActiveSync) => "Exchange ActiveSync client",
        Some(LegacyClient::Other) => "other legacy client",
        None => i.client.words(),
    };
    // A workload has no device, user risk or interactive client (R-CA-6): say what it has.
    if let Some(sp) = &i.service_principal {
        let risk = if sp.agent { "agent identity risk" } else { "service principal risk" };
        return format!(
            "{who} → {target}{ctx}\n  client credentials from IP {}, {country}, {risk} {}{extra}",
            d.ip,
            risk_name(sp.risk)
        );
    }
    format!(
        "{who} → {target}{ctx}\n  {client} on {}, {} device{compliant}, IP {}, {country}, sign-in risk {}, user risk {}{extra}",
        crate::policy::describe::platform(d.platform),
        join_words(d.join),
        d.ip,
        risk_name(i.sign_in_risk),
        risk_name(i.user_risk)
    )
}

pub(crate) fn text(sc: &Scenario, i: &SignIn, w: &WhatIf) -> String {
    let mut out = format!("What If: {}\n\n", sign_in_words(sc, i));
    // Names are escaped and the column capped (docs/output.md).
    let names: Vec<String> = w.results.iter().map(|r| terminal::escape(&r.policy.name).into_owned()).collect();
    let width = terminal::column_widths(&[""], &names.iter().map(|n| [n]).collect::<Vec<_>>())[0];
    for (r, name) in w.results.iter().zip(&names) {
        let mark = if r.applies { "applies" } else { "-" };
        let reasons = if r.applies {
            String::new()
        } else {
            format!("  not applied: {}", reasons_text(&r.reasons).replace(',', ", "))
        };
        out.push_str(&format!("  {mark:<8}"));
        terminal::push_left(&mut out, name, width);
        out.push_str(&format!("  ({}){reasons}\n", r.policy.state.words()));
        for n in &r.policy.not_simulated {
            out.push_str(&format!("          kept, not simulated: {n}\n"));
        }
    }
    if w.results.is_empty() {
        out.push_str("  (no policies)\n");
    }
    out.push('\n');
    out.push_str(&outcome_text(w));
    out.trim_end().to_string()
}

fn outcome_text(w: &WhatIf) -> String {
    let o = &w.outcome;
    let mut out = match o.result {
        GrantOutcome::Blocked(code) => format!("Outcome: blocked (AADSTS{code})\n"),
        GrantOutcome::NeedsMfa => "Outcome: access after multifactor authentication\n".to_string(),
        GrantOutcome::NeedsTerms => "Outcome: access after accepting the terms of use\n".to_string(),
        GrantOutcome::NeedsPasswordChange => "Outcome: access after a secure password change (with MFA)\n".to_string(),
        GrantOutcome::Satisfied => "Outcome: access granted\n".to_string(),
    };
    for (policy, why) in &o.blocked_by {
        out.push_str(&format!("  blocked by `{policy}`: {why}\n"));
    }
    for (policy, grant) in &o.grants {
        out.push_str(&format!("  grant    {grant} (`{policy}`)\n"));
    }
    if let Some((sif, policy)) = &o.sif {
        out.push_str(&format!(
            "  session  sign-in frequency {} (`{policy}`, shortest wins, R-SIF-4)\n",
            sif_short(*sif)
        ));
    }
    if let Some((mode, policy)) = &o.persistent_browser {
        let m = if *mode == PersistentBrowser::Always { "always" } else { "never" };
        out.push_str(&format!("  session  persistent browser {m} (`{policy}`)\n"));
    }
    for (control, policy) in &o.other_session {
        out.push_str(&format!("  session  {control} (`{policy}`, not simulated)\n"));
    }
    let report_only: Vec<&str> = w
        .results
        .iter()
        .filter(|r| r.applies && r.policy.state == crate::policy::PolicyState::ReportOnly)
        .map(|r| r.policy.name.as_str())
        .collect();
    if !report_only.is_empty() {
        out.push_str(&format!("  report-only policies that apply (not enforced): {}\n", report_only.join(", ")));
    }
    out
}

pub(crate) fn json_result(sc: &Scenario, i: &SignIn, w: &WhatIf) -> Value {
    let value: Vec<Value> = w
        .results
        .iter()
        .map(|r| {
            let p = r.policy;
            json!({
                "id": p.id,
                "displayName": p.name,
                "state": p.state.graph_name(),
                "templateId": p.template_id,
                "policyApplies": r.applies,
                "analysisReasons": reasons_text(&r.reasons),
                "grantControls": p.grant.as_ref().map(graph_grant),
                "sessionControls": graph_session(p),
                "grantResult": r.grant.map(outcome_name),
                "notSimulated": p.not_simulated,
            })
        })
        .collect();
    let u = &sc.users[i.user];
    let d = &i.device;
    let o = &w.outcome;
    json!({
        "signIn": {
            "user": u.id,
            "userPrincipalName": u.upn,
            "userId": u.object_id,
            "appId": sc.apps[i.app].app_id,
            "app": sc.apps[i.app].key,
            "userAction": i.user_action.map(|a| a.urn()),
            "authenticationContext": i.auth_context,
            "clientAppType": match i.legacy_client {
                Some(l) => l.graph_name(),
                None if i.client.is_native() => "mobileAppsAndDesktopClients",
                None => "browser",
            },
            "devicePlatform": crate::policy::describe::platform(d.platform),
            "ipAddress": d.ip.to_string(),
            "country": d.country,
            "deviceJoin": join_words(d.join),
            "deviceCompliant": d.compliant,
            "signInRiskLevel": risk_name(i.sign_in_risk),
            "userRiskLevel": risk_name(i.user_risk),
            "insiderRiskLevel": i.insider_risk.name(),
            "authenticationFlow": i.auth_flow.map(AuthFlow::graph_name),
            "legacyClientAppType": i.legacy_client.map(LegacyClient::graph_name),
            "compliantNetwork": d.compliant_network,
            "signInDateTime": i.at.map(crate::time::rfc3339),
            "servicePrincipal": i.service_principal.as_ref().map(|sp| json!({
                "id": sp.key,
                "riskLevel": risk_name(sp.risk),
                "agentIdentity": sp.agent,
            })),
            "userMethods": u.methods.to_string(),
            "methodsUsed": i.used.map(|m| m.to_string()),
        },
        "value": value,
        "outcome": {
            "result": outcome_name(o.result),
            "blocked": matches!(o.result, GrantOutcome::Blocked(_)),
            "errorCode": match o.result { GrantOutcome::Blocked(c) => Some(c), _ => None },
            "blockedBy": o.blocked_by.iter().map(|(p, why)| json!({"policy": p, "detail": why})).collect::<Vec<_>>(),
            "grantControls": o.grants.iter().map(|(p, g)| json!({"policy": p, "controls": g})).collect::<Vec<_>>(),
            "signInFrequency": o.sif.as_ref().map(|(s, p)| json!({"value": sif_short(*s), "policy": p})),
            "persistentBrowser": o.persistent_browser.as_ref().map(|(m, p)| json!({
                "mode": if *m == PersistentBrowser::Always { "always" } else { "never" },
                "policy": p,
            })),
            "otherSessionControls": o.other_session.iter().map(|(c, p)| json!({"control": c, "policy": p})).collect::<Vec<_>>(),
        },
    })
}

/// A grant as Graph's `conditionalAccessGrantControls` (nested YAML lists are
/// flattened under the outer operator).
fn graph_grant(g: &Grant) -> Value {
    let operator = if matches!(g, Grant::AllOf(_)) { "AND" } else { "OR" };
    let controls = g.controls();
    let built_in: Vec<&str> = controls.iter().filter_map(|c| c.graph_name()).collect();
    let terms: Vec<&str> = controls
        .iter()
        .filter_map(|c| match c {
            Grant::TermsOfUse(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let strength = controls.iter().find_map(|c| match c {
        Grant::AuthenticationStrength(s) => Some(json!({
            "id": s.id,
            "displayName": s.name,
            "policyType": if s.built_in { "builtIn" } else { "custom" },
            "allowedCombinations": s.combinations.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })),
        _ => None,
    });
    json!({ "operator": operator, "builtInControls": built_in, "termsOfUse": terms, "authenticationStrength": strength })
}

/// Session controls as Graph's `conditionalAccessSessionControls`.
fn graph_session(p: &crate::policy::Policy) -> Value {
    use crate::policy::SifUnit;
    let s = &p.session;
    let sif = s.sign_in_frequency.as_ref().map(|f| {
        json!({
            "value": f.value,
            "type": f.unit.map(|u| if u == SifUnit::Hours { "hours" } else { "days" }),
            "authenticationType": if f.secondary_only { "secondaryAuthentication" } else { "primaryAndSecondaryAuthentication" },
            "frequencyInterval": if f.every_time { "everyTime" } else { "timeBased" },
            "isEnabled": f.enabled,
        })
    });
    let browser = s
        .persistent_browser
        .map(|m| json!({ "mode": if m == PersistentBrowser::Always { "always" } else { "never" }, "isEnabled": true }));
    json!({
        "signInFrequency": sif,
        "persistentBrowser": browser,
        "applicationEnforcedRestrictions": s.app_enforced_restrictions.then(|| json!({ "isEnabled": true })),
        "cloudAppSecurity": s.cloud_app_security.as_ref().map(|t| json!({ "cloudAppSecurityType": t, "isEnabled": true })),
        "continuousAccessEvaluation": s.continuous_access_evaluation.as_ref().map(|m| json!({ "mode": m })),
        "disableResilienceDefaults": s.disable_resilience_defaults,
        "secureSignInSession": s.secure_sign_in_session.then(|| json!({ "isEnabled": true })),
    })
}

fn outcome_name(o: GrantOutcome) -> &'static str {
    match o {
        GrantOutcome::Satisfied => "satisfied",
        GrantOutcome::NeedsMfa => "mfaRequired",
        GrantOutcome::NeedsTerms => "termsOfUseRequired",
        GrantOutcome::NeedsPasswordChange => "passwordChangeRequired",
        GrantOutcome::Blocked(_) => "blocked",
    }
}
