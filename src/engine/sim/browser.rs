//! R-PB-1..5: browser sessions. Closing a browser drops its session cookies;
//! an answer in the browser sets its cookie, persistent per the policy or the
//! "Stay signed in?" answer; a persistent cookie outlives a later `never`
//! policy, reported once per cookie.

use std::collections::BTreeSet;

use petgraph::stable_graph::NodeIndex;

use super::Sim;
use super::ca::Requirements;
use super::prt::new_auth;
use crate::domain::*;
use crate::engine::lineage::{Credential, Origin};
use crate::engine::outcome::{Detail, Reason};
use crate::engine::rule::Rule;
use crate::engine::state::{Access, Auth, Cookie, Seat};
use crate::engine::trace::TraceEvent;
use crate::policy::PersistentBrowser;
use crate::scenario::model::*;
use crate::time::Instant;

/// R-PB-4: persistent cookies already reported as outliving a `never` policy.
#[derive(Debug, Default)]
pub(super) struct PersistentOverrides(BTreeSet<NodeIndex>);

impl Sim<'_> {
    /// R-PB-3: closing the browser drops non-persistent cookies, ends browser
    /// activity and the web sessions of confidential clients (R-DEF-2).
    pub(super) fn close_browser(&mut self, seat: Seat, now: Instant) {
        if self.world.close_browser(seat, now) {
            self.trace(now, |_| TraceEvent::CookieDropped);
        }
        // A confidential client's background work runs server-side and goes on.
        self.uses
            .remove_in(seat.accesses(), |a| matches!(a.client, Client::Browser | Client::Confidential | Client::Spa));
        self.backgrounds.remove_in(seat.accesses(), |a| matches!(a.client, Client::Browser | Client::Spa));
        self.world.end_web_sessions(seat);
        // R-SPA-1: MSAL.js keeps its tokens in the page's sessionStorage by default.
        self.world.drop_spa_tokens(seat);
    }

    /// R-PRT-6, R-PB-1, R-PB-2, R-PROMPT-4: a browser answer re-creates only
    /// that browser's cookie, which is persistent per the policy or the "Stay
    /// signed in?" answer, and carries MFA only if the answer did MFA.
    pub(super) fn answer_in_browser(
        &mut self,
        access: Access,
        now: Instant,
        reason: Reason,
        with_mfa: bool,
        req: &Requirements,
    ) -> Option<bool> {
        let seat = access.seat();
        let previous = self.browser_view(seat, now).auth;
        let (auth_at, mfa) = new_auth(previous, now, reason, with_mfa);
        // R-PROMPT-4: the sign-in re-creates the session cookie, which carries
        // MFA only when this sign-in did it (a step-up keeps the first factor).
        let mfa = mfa.filter(|_| with_mfa || reason == Reason::MfaRequired);
        // R-RMFA-1: the remembered MFA carries into the new session when none was done now.
        let mfa = mfa.max(self.remembered_mfa(seat, now, req));
        if with_mfa {
            self.remember_browser_mfa(seat, now);
        }
        let (persistent, kmsi) = self.persistence(access, req);
        let node = self.world.lineage.record(seat, now, Origin::BrowserSignIn, Credential::Password, None);
        // R-SIF-4: the browser session keeps the shortest SIF of its apps across the new sign-in.
        let shared_sif = self.world.browser_mut(seat).cookie.as_ref().filter(|c| !c.revoked).and_then(|c| c.shared_sif);
        let cookie =
            Cookie { auth: Auth { auth: auth_at, mfa, node }, persistent, last_used: now, revoked: false, shared_sif };
        self.world.install_cookie(seat, cookie);
        kmsi
    }

    /// R-PB-2 overrides R-PB-8, which overrides R-PB-1: a persistent-browser
    /// policy decides, then AD FS persistent SSO; otherwise "Stay signed in?"
    /// is shown to members who are not high risk, unless R-PB-7 withholds it.
    fn persistence(&self, access: Access, req: &Requirements) -> (bool, Option<bool>) {
        let modes: Vec<PersistentBrowser> =
            req.enforced.iter().filter_map(|&p| self.sc.policies[p].effective_persistent_browser()).collect();
        if !modes.is_empty() {
            return (!modes.contains(&PersistentBrowser::Never), None);
        }
        let u = &self.sc.users[access.user];
        if u.adfs_persistent_sso {
            return (true, None); // R-PB-8
        }
        if self.kmsi_withheld(access) {
            return (false, None);
        }
        if self.sc.settings.kmsi == Kmsi::Shown && u.user_type == UserType::Member && u.risk != Risk::High {
            (u.stay_signed_in, Some(u.stay_signed_in))
        } else {
            (false, None)
        }
    }

    /// The enforced applicable persistent-browser `never` policy, if any (R-PB-2).
    fn never_persistent(&self, req: &Requirements) -> Option<PolicyIdx> {
        req.enforced
            .iter()
            .copied()
            .find(|&p| self.sc.policies[p].effective_persistent_browser() == Some(PersistentBrowser::Never))
    }

    /// R-PB-7: the KMSI page's cases where the question would not help: a
    /// Kerberos sign-in (seamless SSO, AD FS with IWA), a shared device, a
    /// sign-in that includes consent.
    fn kmsi_withheld(&self, access: Access) -> bool {
        let device = &self.devices[access.device];
        device.seamless_sso || device.shared || self.ca.facts(access).is_some_and(|f| f.consent)
    }

    /// R-PB-4: a persistent cookie keeps working, even when a persistent-browser
    /// `never` policy now applies, as long as the browser does not go back to
    /// Entra ID (R-PB-6); reported once per cookie.
    pub(super) fn note_persistent_override(&mut self, access: Access, now: Instant, req: &Requirements) {
        if access.client != Client::Browser {
            return;
        }
        let Some(policy) = self.never_persistent(req) else { return };
        let Some(cookie) = self.world.cookie(access.seat()) else { return };
        if !cookie.persistent || cookie.revoked || !self.persistent_overrides.0.insert(cookie.auth.node) {
            return;
        }
        let detail = Detail::PersistentOutlives {
            since: cookie.auth.auth,
            start: self.sc.clock(),
            policy: self.sc.policies[policy].name.clone(),
        };
        let notice = self.notice(access, now, Some(policy), Rule::Pb4, detail);
        self.out.findings.push(notice);
    }

    /// R-PB-6: Entra ID rewrites the session cookie whenever the browser comes
    /// back to it (support wiki, known issue 1), so a `never` policy in effect
    /// at that round trip, silent single sign-on included, turns a persistent
    /// cookie into a session cookie: the next close of the browser drops it.
    pub(super) fn end_persistence_at_round_trip(&mut self, access: Access, now: Instant, req: &Requirements) {
        if !matches!(access.client, Client::Browser | Client::Confidential) {
            return;
        }
        let Some(policy) = self.never_persistent(req) else { return };
        let Some(cookie) = self.world.cookie_mut(access.seat()).filter(|c| c.persistent && !c.revoked) else {
            return;
        };
        cookie.persistent = false;
        let since = cookie.auth.auth;
        let detail =
            Detail::PersistentEnds { since, start: self.sc.clock(), policy: self.sc.policies[policy].name.clone() };
        let notice = self.notice(access, now, Some(policy), Rule::Pb6, detail);
        self.out.findings.push(notice);
    }
}
