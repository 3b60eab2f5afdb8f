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
use crate::engine::state::{Access, Auth, Cookie, Seat, UserNo};
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
        self.uses.remove_in(seat.accesses(), |a| matches!(a.client, Client::Browser | Client::Confidential));
        self.backgrounds.remove_in(seat.accesses(), |a| a.client == Client::Browser);
        self.world.end_web_sessions(seat);
    }

    /// R-PRT-6, R-PB-1, R-PB-2: a browser answer refreshes only that browser's
    /// cookie, which is persistent per the policy or the "Stay signed in?" answer.
    pub(super) fn answer_in_browser(
        &mut self,
        seat: Seat,
        now: Instant,
        reason: Reason,
        with_mfa: bool,
        req: &Requirements,
    ) -> Option<bool> {
        let previous = self.browser_view(seat, now).auth;
        let (auth_at, mfa) = new_auth(previous, now, reason, with_mfa);
        let (persistent, kmsi) = self.persistence(seat.user, req);
        let node = self.world.lineage.record(seat, now, Origin::BrowserSignIn, Credential::Password, None);
        // R-SIF-4: the browser session keeps the shortest SIF of its apps across the new sign-in.
        let shared_sif = self.world.browser_mut(seat).cookie.as_ref().filter(|c| !c.revoked).and_then(|c| c.shared_sif);
        let cookie =
            Cookie { auth: Auth { auth: auth_at, mfa, node }, persistent, last_used: now, revoked: false, shared_sif };
        self.world.install_cookie(seat, cookie);
        kmsi
    }

    /// R-PB-2 overrides R-PB-1: a persistent-browser policy decides; otherwise
    /// "Stay signed in?" is shown to members who are not high risk.
    fn persistence(&self, user: UserNo, req: &Requirements) -> (bool, Option<bool>) {
        let modes: Vec<PersistentBrowser> =
            req.enforced.iter().filter_map(|&p| self.sc.policies[p].effective_persistent_browser()).collect();
        if !modes.is_empty() {
            return (!modes.contains(&PersistentBrowser::Never), None);
        }
        let u = &self.sc.users[user];
        if self.sc.settings.kmsi == Kmsi::Shown && u.user_type == UserType::Member && u.risk != Risk::High {
            (u.stay_signed_in, Some(u.stay_signed_in))
        } else {
            (false, None)
        }
    }

    /// R-PB-4: a persistent cookie keeps working until it expires, even when a
    /// persistent-browser `never` policy now applies; reported once per cookie.
    pub(super) fn note_persistent_override(&mut self, access: Access, now: Instant, req: &Requirements) {
        if access.client != Client::Browser {
            return;
        }
        let never = req
            .enforced
            .iter()
            .copied()
            .find(|&p| self.sc.policies[p].effective_persistent_browser() == Some(PersistentBrowser::Never));
        let Some(policy) = never else { return };
        let Some(cookie) = self.world.cookie(access.seat()) else { return };
        if !cookie.persistent || cookie.revoked || !self.persistent_overrides.0.insert(cookie.auth.node) {
            return;
        }
        let detail = Detail::PersistentOutlives {
            since: cookie.auth.auth,
            start: self.sc.start,
            policy: self.sc.policies[policy].name.clone(),
        };
        let notice = self.notice(access, now, Some(policy), Rule::Pb4, detail);
        self.out.findings.push(notice);
    }
}
