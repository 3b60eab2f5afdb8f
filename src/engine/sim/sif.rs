//! R-SIF-1..6: sign-in frequency. A session is expired for a policy when
//! `now − auth_instant ≥ SIF` (R-SIF-1), its MFA instant too when a policy
//! requires MFA (R-SIF-3); the shortest SIF wins and apps of one browser
//! session share it (R-SIF-4). In interaction mode it is checked at every
//! interaction and continuous use is ticked exactly when it falls due
//! (R-SIF-5); in token mode only at token requests (R-SIF-6).

use super::Sim;
use super::ca::{Periodic, Requirements};
use super::prompts::Due;
use super::session::View;
use crate::domain::*;
use crate::engine::outcome::{Detail, Reason, SifExceeded, SkippedRefresh};
use crate::engine::rule::Rule;
use crate::engine::state::{Access, Auth};
use crate::policy::{PolicyState, Sif};
use crate::scenario::model::*;
use crate::time::{Instant, Seconds};

impl Sim<'_> {
    /// R-SIF-4: the shortest SIF among the apps used in this browser session.
    pub(super) fn shared_browser_sif(&self, access: Access) -> Option<(Seconds, PolicyIdx)> {
        if !self.sc.settings.browser_shared_sif || access.client != Client::Browser {
            return None;
        }
        let cookie = self.world.cookie(access.seat())?;
        cookie.shared_sif.filter(|(_, p)| self.ca.state(*p) == PolicyState::Enabled)
    }

    /// R-SIF-4: the browser session remembers the shortest SIF of its apps.
    pub(super) fn remember_browser_sif(&mut self, access: Access, req: &Requirements) {
        let Some((sif, policy)) = req.own_periodic.filter(|_| access.client == Client::Browser) else {
            return;
        };
        self.world.share_sif(access.seat(), sif, policy);
    }

    /// R-SIF-5: the instants at which the session of an ongoing use reaches a
    /// sign-in frequency, enforced or report-only.
    pub(super) fn sif_instants(&self, access: Access, now: Instant, req: &Requirements, out: &mut impl FnMut(Instant)) {
        let view = self.view(access, now);
        let (Some(auth), false) = (view.auth, view.deferred_client) else { return };
        if let Some(sif) = req.periodic.map(|p| p.sif) {
            out(auth.auth + sif);
            if let Some(m) = auth.mfa.filter(|_| req.mfa_with_sif) {
                out(m + sif);
            }
        }
        for &p in req.report_only.iter() {
            if let Some(Sif::Periodic(s)) = self.sc.policies[p].sif {
                out(auth.auth + s);
            }
        }
    }

    /// R-SIF-1, R-SIF-3, R-SIF-5, R-SIF-6: the sign-in frequency prompt due now, if any.
    pub(super) fn sif_due(
        &self,
        access: Access,
        now: Instant,
        req: &Requirements,
        view: &View,
        auth: Auth,
        token_request: bool,
    ) -> Option<Due> {
        let evaluate_periodic = self.sc.settings.evaluation == Evaluation::Interaction || token_request;
        let Periodic { sif, policy, shared } = req.periodic.filter(|_| evaluate_periodic)?;
        let auth_expired = now - auth.auth >= sif;
        let mfa_expired = req.mfa_with_sif && auth.mfa.is_some_and(|m| now - m >= sif);
        if !auth_expired && !mfa_expired {
            return None;
        }
        let expired = if auth_expired { auth.auth } else { auth.mfa.unwrap_or(auth.auth) };
        // The most specific rule that explains the prompt; a deferral's rule
        // (R-DEF-1/2) when this auth instant's enforcement was deferred.
        let rule = if let Some(deferred_by) = self.deferrals.rule_for(access, auth.auth) {
            deferred_by
        } else if shared {
            Rule::Sif4
        } else if !auth_expired {
            Rule::Sif3
        } else if view.from_prt {
            Rule::Prt2
        } else if self.sc.settings.evaluation == Evaluation::Token {
            Rule::Sif6
        } else {
            Rule::Sif1
        };
        let detail = self.sif_detail(sif, policy, shared, auth, auth_expired, view);
        Some(Due { reason: Reason::SignInFrequency, policy: Some(policy), expired: Some(expired), rule, detail })
    }

    fn sif_detail(
        &self,
        sif: Seconds,
        policy: PolicyIdx,
        shared: bool,
        auth: Auth,
        auth_expired: bool,
        view: &View,
    ) -> Detail {
        let origin = self.world.lineage.root(auth.node).map(|root| root.describe());
        // R-PRT-1: the unlock that did not refresh the PRT behind this auth instant.
        let skipped_refresh =
            view.from_prt.then(|| self.world.prt(self.world.origin_seat(auth.node))).flatten().and_then(|prt| {
                let (at, at_unlock) = prt.skipped_refresh.filter(|(at, _)| *at > auth.auth)?;
                let interval = self.sc.settings.prt_refresh_interval;
                Some(SkippedRefresh { at, at_unlock, after: at - prt.last_refresh, interval })
            });
        Detail::SifExceeded(Box::new(SifExceeded {
            sif,
            start: self.sc.clock(),
            last: if auth_expired { auth.auth } else { auth.mfa.unwrap_or(auth.auth) },
            mfa_expired: !auth_expired,
            origin,
            skipped_refresh,
            shared_from: shared.then(|| self.sc.policies[policy].name.clone()),
        }))
    }
}
