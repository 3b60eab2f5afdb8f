//! Grant and session controls of a Graph `conditionalAccessPolicy`
//! (R-CA-2, R-CA-5, R-SIF-1, R-PB-1): what the engine enforces, and what is
//! kept on the policy as "not simulated".

use super::Ignored;
use super::convert::{Cx, keyword, report_unknown};
use super::walk::{Field, Result, each_string};
use crate::domain::MethodSet;
use crate::policy::grants::{Grant, Strength};
use crate::policy::model::*;

pub(super) fn grant(cx: &Cx, g: &Field, p: &mut Policy, ignored: &mut Ignored) -> Result<Option<Grant>> {
    g.object()?;
    let known = ["operator", "builtInControls", "termsOfUse", "authenticationStrength", "customAuthenticationFactors"];
    report_unknown(g, &known, "grantControls.", &p.name, ignored);
    let mut controls = Vec::new();
    each_string(g, "builtInControls", |f, t| {
        let control = built_in_control(f, t)?;
        if let Grant::Custom(name) = &control {
            p.not_simulated.push(format!("{name} (casim treats it as never met)"));
        }
        controls.push(control);
        Ok(())
    })?;
    each_string(g, "customAuthenticationFactors", |_, t| {
        p.not_simulated.push(format!("custom control `{t}` (third-party provider; casim treats it as never met)"));
        controls.push(Grant::Custom(t.to_string()));
        Ok(())
    })?;
    each_string(g, "termsOfUse", |_, t| {
        controls.push(Grant::TermsOfUse(t.to_lowercase()));
        Ok(())
    })?;
    if let Some(s) = g.get("authenticationStrength") {
        controls.push(Grant::AuthenticationStrength(strength(cx, &s)?));
    }
    let and = match g.get("operator") {
        None => false,
        Some(op) => match op.str()?.to_ascii_uppercase().as_str() {
            "AND" => true,
            "OR" => false,
            other => return Err(op.error(format!("`{other}` is not a grant operator; expected AND or OR"))),
        },
    };
    Ok(match controls.len() {
        0 => None,
        1 => controls.pop(),
        _ if and => Some(Grant::AllOf(controls)),
        _ => Some(Grant::AnyOf(controls)),
    })
}

/// R-CA-5: the strength a grant names: its combinations as the export
/// carries them inline (Graph returns `allowedCombinations` with the
/// policy), else a strength policy exported beside it, else a built-in one.
/// A custom strength casim cannot see is an error, never plain MFA.
fn strength(cx: &Cx, s: &Field) -> Result<Strength> {
    let id_field = s.get("id").ok_or_else(|| s.error("an authentication strength needs its `id`"))?;
    let id = id_field.str()?.trim().to_lowercase();
    if let Some(combos) = s.get("allowedCombinations").filter(|c| !c.node.is_empty()) {
        let mut combinations = Vec::new();
        for c in combos.elements()? {
            combinations.push(MethodSet::parse(c.str()?).map_err(|e| c.error(e))?);
        }
        let name = s.get("displayName").map(|n| n.str().map(str::to_string)).transpose()?.unwrap_or_else(|| id.clone());
        let built_in = Strength::built_in(&id).is_some();
        return Ok(Strength { id, name, built_in, combinations });
    }
    if let Some(found) = cx.strengths.iter().find(|x| x.id.eq_ignore_ascii_case(&id)) {
        return Ok(found.clone());
    }
    Strength::built_in(&id).ok_or_else(|| {
        id_field.error(format!(
            "custom authentication strength `{id}` is not defined here: export the tenant's authentication strength policies (GET /policies/authenticationStrengthPolicies) beside the policies so casim knows its allowed combinations"
        ))
    })
}

/// Graph `conditionalAccessGrantControl`, in any case.
const BUILT_IN_CONTROLS: [&str; 9] = [
    "block",
    "mfa",
    "compliantDevice",
    "domainJoinedDevice",
    "approvedApplication",
    "compliantApplication",
    "passwordChange",
    "riskRemediation",
    "verifiedID",
];

fn built_in_control(f: &Field, text: &str) -> Result<Grant> {
    Ok(match keyword(text, &BUILT_IN_CONTROLS) {
        Some("block") => Grant::Block,
        Some("mfa") => Grant::Mfa,
        Some("compliantDevice") => Grant::CompliantDevice,
        Some("domainJoinedDevice") => Grant::DomainJoinedDevice,
        Some("approvedApplication") => Grant::ApprovedApplication,
        Some("compliantApplication") => Grant::CompliantApplication,
        Some("passwordChange") => Grant::PasswordChange,
        // A face check against a Verified ID credential: nothing casim's users
        // can present, so it is kept and never met, as a custom control.
        Some("verifiedID") => Grant::Custom("Verified ID (verifiedID)".to_string()),
        // Microsoft-managed remediation: password users change their
        // password securely, as with `passwordChange` (R-CA-2).
        Some("riskRemediation") => Grant::RiskRemediation,
        _ => {
            return Err(f
                .error(format!(
                    "`{text}` is not a built-in grant control; expected one of {}",
                    BUILT_IN_CONTROLS.join(", ")
                ))
                .with_help(crate::error::did_you_mean(text, BUILT_IN_CONTROLS.iter().copied())));
        }
    })
}

pub(super) fn session(s: &Field, p: &mut Policy, ignored: &mut Ignored) -> Result<()> {
    s.object()?;
    let known = [
        "signInFrequency",
        "persistentBrowser",
        "applicationEnforcedRestrictions",
        "cloudAppSecurity",
        "continuousAccessEvaluation",
        "disableResilienceDefaults",
        "secureSignInSession",
        "globalSecureAccessFilteringProfile",
        "networkAccessSecurity",
    ];
    report_unknown(s, &known, "sessionControls.", &p.name, ignored);
    if let Some(f) = s.get("signInFrequency") {
        let setting = sign_in_frequency(&f)?;
        p.sif = setting.to_sif();
        p.session.sign_in_frequency = Some(setting);
    }
    if let Some(b) = s.get("persistentBrowser")
        && enabled(&b)?
    {
        let mode = b.get("mode").ok_or_else(|| b.error("persistent browser needs a `mode`"))?;
        p.persistent_browser = Some(match mode.str()? {
            "always" => PersistentBrowser::Always,
            "never" => PersistentBrowser::Never,
            other => {
                return Err(mode.error(format!("`{other}` is not a persistent browser mode; expected always or never")));
            }
        });
        p.session.persistent_browser = p.persistent_browser;
    }
    other_session_controls(s, p)
}

/// Session controls casim reads and shows but does not simulate: each is
/// listed on the policy as "kept, not simulated".
fn other_session_controls(s: &Field, p: &mut Policy) -> Result<()> {
    if let Some(a) = s.get("applicationEnforcedRestrictions") {
        p.session.app_enforced_restrictions = enabled(&a)?;
    }
    if let Some(c) = s.get("cloudAppSecurity")
        && enabled(&c)?
    {
        let kind = c.get("cloudAppSecurityType").map(|t| t.str().map(str::to_string)).transpose()?;
        p.session.cloud_app_security = Some(kind.unwrap_or_else(|| "mcasConfigured".into()));
    }
    if let Some(c) = s.get("continuousAccessEvaluation") {
        p.session.continuous_access_evaluation = c.get("mode").map(|m| m.str().map(str::to_string)).transpose()?;
    }
    if let Some(d) = s.get("disableResilienceDefaults") {
        p.session.disable_resilience_defaults = d.bool()?;
    }
    if let Some(x) = s.get("secureSignInSession") {
        p.session.secure_sign_in_session = enabled(&x)?;
    }
    for key in ["globalSecureAccessFilteringProfile", "networkAccessSecurity"] {
        if let Some(x) = s.get(key).filter(|x| !x.node.is_empty()) {
            p.not_simulated.push(format!("session control {key} {} (Global Secure Access)", x.node.compact()));
        }
    }
    let controls = &p.session;
    let mut notes = Vec::new();
    if controls.app_enforced_restrictions {
        notes.push("app enforced restrictions (SharePoint and Exchange limit what the session may do)".to_string());
    }
    if let Some(kind) = &controls.cloud_app_security {
        notes.push(format!("Defender for Cloud Apps session control ({kind})"));
    }
    match controls.continuous_access_evaluation.as_deref() {
        Some("strictLocation") => notes.push("continuous access evaluation: strict location enforcement".into()),
        Some("strictEnforcement") => notes.push("continuous access evaluation: strict enforcement".into()),
        Some("disabled") => notes.push("continuous access evaluation disabled".into()),
        _ => {}
    }
    if controls.secure_sign_in_session {
        notes.push("token protection (sign-in session bound to the device)".into());
    }
    p.not_simulated.splice(0..0, notes);
    Ok(())
}

/// `isEnabled`, true when missing (older exports leave it out).
fn enabled(f: &Field) -> Result<bool> {
    f.object()?;
    f.get("isEnabled").map(|e| e.bool()).transpose().map(|b| b.unwrap_or(true))
}

/// Graph `signInFrequencySessionControl`. Values outside the portal's range
/// are kept (lint reports them); values no policy can hold are errors.
fn sign_in_frequency(f: &Field) -> Result<SifSetting> {
    let is_enabled = enabled(f)?;
    let every_time = match f.get("frequencyInterval").map(|i| i.str().map(str::to_string)).transpose()?.as_deref() {
        None | Some("timeBased") => false,
        Some("everyTime") => true,
        Some(other) => {
            let at = f.get("frequencyInterval").unwrap_or_else(|| f.clone());
            return Err(at.error(format!("`{other}` is not a frequency interval; expected timeBased or everyTime")));
        }
    };
    let secondary_only = match f.get("authenticationType").map(|t| t.str().map(str::to_string)).transpose()?.as_deref()
    {
        None | Some("primaryAndSecondaryAuthentication") => false,
        Some("secondaryAuthentication") => true,
        Some(other) => {
            let at = f.get("authenticationType").unwrap_or_else(|| f.clone());
            return Err(at.error(format!(
                "`{other}` is not an authentication type; expected primaryAndSecondaryAuthentication or secondaryAuthentication"
            )));
        }
    };
    let unit = match f.get("type") {
        None => None,
        Some(t) => Some(match t.str()? {
            "hours" => SifUnit::Hours,
            "days" => SifUnit::Days,
            other => return Err(t.error(format!("`{other}` is not a sign-in frequency unit; expected hours or days"))),
        }),
    };
    let value = f.get("value").map(|v| v.int()).transpose()?;
    if let (Some(v), Some(field)) = (value, f.get("value"))
        && v <= 0
    {
        return Err(field.error(format!("sign-in frequency {v} is not a length of time; expected a positive number")));
    }
    if is_enabled && !every_time && (unit.is_none() || value.is_none()) {
        return Err(f.error("a time-based sign-in frequency needs `type` (hours or days) and `value`"));
    }
    Ok(SifSetting { enabled: is_enabled, every_time, value, unit, secondary_only })
}
