//! What If at one instant, like Microsoft's What If tool and Graph
//! `POST /identity/conditionalAccess/evaluate`: every policy with whether it
//! applies and every reason it does not (R-CA-1), then the combined outcome
//! of the enforced policies (R-CA-2) and the session controls in force after
//! the most-restrictive merge (R-SIF-4).

use super::grants::{GrantFacts, GrantOutcome, combine_all};
use super::matching::{AnalysisReason, SignInContext};
use super::model::*;

/// One policy's result (Graph `whatIfAnalysisResult`).
pub struct PolicyResult<'a> {
    pub policy: &'a Policy,
    pub applies: bool,
    /// Empty when the policy applies (Graph `notSet`).
    pub reasons: Vec<AnalysisReason>,
    /// What the policy's grant asks of this sign-in, when it applies.
    pub grant: Option<GrantOutcome>,
}

/// The merged effect of the enforced (enabled) policies that apply.
pub struct Outcome {
    pub result: GrantOutcome,
    /// (policy, its unmet controls in words) for each blocking policy.
    pub blocked_by: Vec<(String, String)>,
    /// (policy, its grant in words) for each enforced policy with a grant.
    pub grants: Vec<(String, String)>,
    /// R-SIF-4: the shortest sign-in frequency and its policy.
    pub sif: Option<(Sif, String)>,
    /// R-PB-2: the persistent browser mode in force and its policy
    /// (`never` wins over `always`).
    pub persistent_browser: Option<(PersistentBrowser, String)>,
    /// Other session controls in force, in words, with their policies.
    pub other_session: Vec<(String, String)>,
}

pub struct WhatIf<'a> {
    pub results: Vec<PolicyResult<'a>>,
    pub outcome: Outcome,
}

pub fn evaluate<'a>(policies: &'a [Policy], cx: &SignInContext, facts: GrantFacts) -> WhatIf<'a> {
    let results: Vec<PolicyResult> = policies
        .iter()
        .map(|p| {
            let reasons = p.analysis(p.state, cx);
            let applies = reasons.is_empty();
            let grant = p.grant.as_ref().filter(|_| applies).map(|g| g.evaluate(facts));
            PolicyResult { policy: p, applies, reasons, grant }
        })
        .collect();
    let enforced: Vec<&Policy> =
        results.iter().filter(|r| r.applies && r.policy.state == PolicyState::Enabled).map(|r| r.policy).collect();
    let outcome = merge(&enforced, facts);
    WhatIf { results, outcome }
}

fn merge(enforced: &[&Policy], facts: GrantFacts) -> Outcome {
    let with_grant = || enforced.iter().filter_map(|p| p.grant.as_ref().map(|g| (p, g)));
    let result = combine_all(with_grant().map(|(_, g)| g.evaluate(facts)));
    let blocked_by = with_grant()
        .filter(|(_, g)| matches!(g.evaluate(facts), GrantOutcome::Blocked(_)))
        .map(|(p, g)| (p.name.clone(), g.block_detail(facts)))
        .collect();
    let grants = with_grant().map(|(p, g)| (p.name.clone(), super::describe::grant(g))).collect();
    Outcome {
        result,
        blocked_by,
        grants,
        sif: shortest_sif(enforced),
        persistent_browser: persistent_browser(enforced),
        other_session: other_session(enforced),
    }
}

/// R-SIF-4: every time is the most restrictive, then the shortest period.
fn shortest_sif(enforced: &[&Policy]) -> Option<(Sif, String)> {
    let rank = |s: Sif| match s {
        Sif::EveryTime => 0,
        Sif::Periodic(d) => d,
    };
    enforced.iter().filter_map(|p| p.sif.map(|s| (s, p.name.clone()))).min_by_key(|(s, _)| rank(*s))
}

fn persistent_browser(enforced: &[&Policy]) -> Option<(PersistentBrowser, String)> {
    let modes = || enforced.iter().filter_map(|p| p.effective_persistent_browser().map(|m| (m, p.name.clone())));
    modes().find(|(m, _)| *m == PersistentBrowser::Never).or_else(|| modes().next())
}

fn other_session(enforced: &[&Policy]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in enforced {
        let s = &p.session;
        let mut add = |text: String| out.push((text, p.name.clone()));
        if s.app_enforced_restrictions {
            add("app enforced restrictions".into());
        }
        if let Some(t) = &s.cloud_app_security {
            add(format!("Conditional Access App Control ({t})"));
        }
        if let Some(m) = &s.continuous_access_evaluation {
            add(format!("continuous access evaluation {m}"));
        }
        if s.disable_resilience_defaults {
            add("resilience defaults disabled".into());
        }
        if s.secure_sign_in_session {
            add("secure sign-in session".into());
        }
    }
    out
}

/// Graph's `analysisReasons` text: `notSet`, or the reasons joined by commas.
pub fn reasons_text(reasons: &[AnalysisReason]) -> String {
    if reasons.is_empty() {
        return "notSet".into();
    }
    reasons.iter().map(|r| r.graph_name()).collect::<Vec<_>>().join(",")
}
