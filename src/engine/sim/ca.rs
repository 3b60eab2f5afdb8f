//! R-CA-1, R-CA-2: which policies apply to an access, and what their grant
//! controls ask. Holds the facts conditions read that steps change (policy
//! states, user risk, an access's sign-in risk and authentication context,
//! accepted terms of use) and the applicable-policy cache those facts
//! invalidate. Blocks (R-PROMPT-3) are reported here too.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use super::Sim;
use crate::domain::UserAction;
use crate::domain::*;
use crate::engine::error_code::ErrorCode;
use crate::engine::outcome::{Blocked, Detail, Need, Reason};
use crate::engine::rule::Rule;
use crate::engine::slots::{PerAccess, Slots};
use crate::engine::state::{Access, DeviceNo, UserNo};
use crate::engine::trace::TraceEvent;
use crate::policy::{GrantFacts, GrantOutcome, Policy, PolicyState, Sif, SignInContext, combine_all};
use crate::scenario::model::*;
use crate::time::{Instant, Seconds};

use super::prompts::Due;

/// Conditional Access state that steps change.
pub(super) struct Ca {
    /// Policy states as they stand (`set_policy_state` steps).
    states: Vec<PolicyState>,
    /// Which policies apply per access, until a condition's fact changes.
    cache: RefCell<PerAccess<Cached>>,
    /// Each set of applicable policies met so far, once: accesses share them,
    /// so a request reads the few there are instead of one copy per access
    /// spread over memory (issue 11).
    sets: RefCell<Sets>,
    /// No policy: what a prompt answered away from its request is held to;
    /// made once, as each `Rc` of an empty list allocates (issue 11).
    none: Rc<Applicable>,
    /// Some policy's verdict depends on the instant, so the cache is not kept.
    time_dependent: bool,
    /// Counts the changes of facts conditions read; each change below is
    /// stamped with it, so that a kept answer worked out before the change
    /// is known stale without visiting every access's entry (issue 11).
    changes: u64,
    /// When a policy state last changed.
    policies_changed: u64,
    /// When each user's risk last changed.
    users_changed: Vec<u64>,
    /// When each device's IP address, country or compliance last changed.
    devices_changed: Vec<u64>,
    /// The sign-in risk and authentication context of each access's latest `use`.
    access_facts: PerAccess<AccessFacts>,
    /// User risk as it stands: a secure password change remediates it.
    user_risk: Vec<Risk>,
    /// The terms of use each user has accepted so far.
    accepted_terms: Vec<BTreeSet<String>>,
}

/// Which policies apply to an access (`Sets::list[set]`), worked out when `changes` was `at`.
struct Cached {
    at: u64,
    set: usize,
}

/// The enforced and the report-only policies of a set, and those of them
/// that apply only through a downstream resource (R-DOWN-1).
type SetKey = (Rc<[PolicyIdx]>, Rc<[PolicyIdx]>, Rc<[PolicyIdx]>);

/// The distinct sets of applicable policies, by their enforced and report-only policies.
#[derive(Default)]
struct Sets {
    list: Vec<Rc<Applicable>>,
    index: HashMap<SetKey, usize>,
}

impl Sets {
    /// The place of `found` in `list`, added if new.
    fn intern(&mut self, found: Applicable) -> usize {
        let key = (found.enforced.clone(), found.report_only.clone(), found.downstream.clone());
        *self.index.entry(key).or_insert_with(|| {
            self.list.push(Rc::new(found));
            self.list.len() - 1
        })
    }
}

impl Ca {
    pub(super) fn new(sc: &Scenario, slots: &Slots) -> Ca {
        Ca {
            states: sc.policies.iter().map(|p| p.state).collect(),
            cache: RefCell::new(PerAccess::new(slots)),
            sets: RefCell::new(Sets::default()),
            none: Rc::default(),
            time_dependent: sc.policies.iter().any(Policy::depends_on_time),
            changes: 0,
            policies_changed: 0,
            users_changed: vec![0; sc.users.len()],
            devices_changed: vec![0; sc.devices.len()],
            access_facts: PerAccess::new(slots),
            user_risk: sc.users.iter().map(|u| u.risk).collect(),
            accepted_terms: vec![BTreeSet::new(); sc.users.len()],
        }
    }

    /// How many changes of the facts conditions read there have been.
    pub(super) fn changes(&self) -> u64 {
        self.changes
    }

    pub(super) fn state(&self, policy: PolicyIdx) -> PolicyState {
        self.states[policy]
    }

    pub(super) fn set_policy_state(&mut self, policy: PolicyIdx, state: PolicyState) {
        self.states[policy] = state;
        self.policies_changed = self.change();
    }

    /// A new change of the facts conditions read.
    fn change(&mut self) -> u64 {
        self.changes += 1;
        self.changes
    }

    /// A device moved or its compliance changed: which policies apply to
    /// accesses from it is worked out again (locations, device filters, R-CA-1).
    pub(super) fn device_changed(&mut self, device: DeviceNo) {
        self.devices_changed[device.0] = self.change();
    }

    /// A secure password change remediates user risk.
    pub(super) fn remediate_user_risk(&mut self, user: UserNo) {
        self.user_risk[user.0] = Risk::None;
        self.users_changed[user.0] = self.change();
    }

    /// Whether what was kept for `access` still holds: nothing it was worked out from changed since.
    fn still_holds(&self, access: Access, cached: &Cached) -> bool {
        let changed =
            self.policies_changed.max(self.users_changed[access.user.0]).max(self.devices_changed[access.device.0]);
        cached.at >= changed
    }

    pub(super) fn has_accepted(&self, user: UserNo, terms: &str) -> bool {
        self.accepted_terms[user.0].contains(terms)
    }

    pub(super) fn accept_terms(&mut self, user: UserNo, terms: Vec<String>) {
        self.accepted_terms[user.0].extend(terms);
    }

    #[inline]
    pub(super) fn facts(&self, access: Access) -> Option<&AccessFacts> {
        self.access_facts.get(&access)
    }
}

/// What the applicable policies ask of this access: the policies as
/// `Applicable` (through `Deref`, shared by every access they apply to, so a
/// request takes one reference instead of copying their lists; issue 11) and
/// the sign-in frequency this access is held to.
/// No `Default`: an empty one allocates its `Rc`s; `Sim::no_requirements` lends the engine's.
#[derive(Debug)]
pub(super) struct Requirements {
    applicable: Rc<Applicable>,
    /// R-SIF-4: the shortest periodic SIF of the access.
    pub periodic: Option<Periodic>,
    /// R-SIF-3: an applicable policy requires MFA, so SIF expires the MFA instant too.
    pub mfa_with_sif: bool,
}

impl std::ops::Deref for Requirements {
    type Target = Applicable;

    fn deref(&self) -> &Applicable {
        &self.applicable
    }
}

/// R-SIF-1, R-SIF-4: the sign-in frequency an access is held to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Periodic {
    pub sif: Seconds,
    pub policy: PolicyIdx,
    /// It came from another app of the same browser session (R-SIF-4).
    pub shared: bool,
}

/// The policies that apply to an access, and what they ask (R-CA-1).
#[derive(Debug, Default)]
pub(super) struct Applicable {
    pub enforced: Rc<[PolicyIdx]>,
    pub report_only: Rc<[PolicyIdx]>,
    /// R-DOWN-1: the applicable policies that target only a downstream resource of the app.
    pub downstream: Rc<[PolicyIdx]>,
    pub own_periodic: Option<(Seconds, PolicyIdx)>,
    pub every_time: Option<PolicyIdx>,
    requires_mfa: bool,
    /// Some enforced policy has grant controls, and some of those terms of
    /// use: worked out once per set, not at every token request (issue 11).
    grants: bool,
    terms: bool,
}

impl Sim<'_> {
    /// R-CA-1: the sign-in risk and authentication context of an access's
    /// requests, as its latest `use` step gave them.
    pub(super) fn set_access_facts(&mut self, access: Access, facts: &AccessFacts) {
        let previous = if *facts == AccessFacts::default() {
            self.ca.access_facts.remove(&access)
        } else {
            self.ca.access_facts.insert(access, facts.clone())
        };
        if previous.unwrap_or_default() != *facts {
            // Only this access's conditions read its facts.
            self.ca.cache.get_mut().remove(&access);
        }
    }

    /// What conditions see of this access (R-CA-1).
    pub(super) fn context(&self, access: Access) -> SignInContext<'_> {
        let Access { user, device, client, app } = access;
        let facts = self.ca.access_facts.get(&access);
        let dev = &self.devices[device];
        SignInContext {
            user_idx: user.0,
            user: &self.sc.users[user],
            app: app.0,
            app_info: &self.sc.apps[app],
            client,
            legacy_client: None,
            device: dev,
            device_props: None,
            ip: dev.ip,
            country: dev.country.as_deref(),
            compliant_network: dev.compliant_network,
            sign_in_risk: facts.map(|f| f.sign_in_risk).unwrap_or_default(),
            user_risk: self.ca.user_risk[user.0],
            insider_risk: self.sc.users[user].insider_risk,
            auth_flow: facts.and_then(|f| f.auth_flow),
            at: Some(self.clock),
            service_principal: None,
            user_action: self.sc.apps[app]
                .is_user_action()
                .then(|| UserAction::parse(&self.sc.apps[app].app_id))
                .flatten(),
            auth_context: facts.and_then(|f| f.auth_context.as_deref()),
            named_locations: &self.sc.named_locations,
        }
    }

    /// What this access can show against grant controls (R-CA-2).
    pub(super) fn grant_facts(&self, access: Access, has_mfa: bool) -> GrantFacts {
        let Access { user, device, client, app } = access;
        GrantFacts::of(&self.sc.users[user], &self.devices[device], &self.sc.apps[app], client, has_mfa)
    }

    /// What a request no policy applies to is held to.
    pub(super) fn no_requirements(&self) -> Requirements {
        Requirements { applicable: Rc::clone(&self.ca.none), periodic: None, mfa_with_sif: false }
    }

    /// R-CA-1, R-SIF-4: the policies that apply and what they require.
    pub(super) fn requirements(&self, access: Access) -> Requirements {
        let set = self.applicable(access);
        let applicable = Rc::clone(&self.ca.sets.borrow().list[set]);
        self.held_to(access, applicable)
    }

    /// `kept`, which a request of `access` read, as they stand now: its
    /// policies hold while `Ca` counts no change since (`Ca::changes`), but
    /// the browser session's shared SIF may have moved (R-SIF-4).
    pub(super) fn requirements_again(&self, access: Access, kept: Requirements) -> Requirements {
        self.held_to(access, kept.applicable)
    }

    /// R-SIF-4: what `applicable` asks of `access`, with the SIF it is held to.
    #[inline]
    fn held_to(&self, access: Access, applicable: Rc<Applicable>) -> Requirements {
        let mut periodic = applicable.own_periodic.map(|(sif, policy)| Periodic { sif, policy, shared: false });
        if let Some((shared, p)) = self.shared_browser_sif(access)
            && periodic.is_none_or(|own| shared < own.sif)
        {
            periodic = Some(Periodic { sif: shared, policy: p, shared: true });
        }
        let mfa_with_sif = applicable.requires_mfa && periodic.is_some();
        Requirements { applicable, periodic, mfa_with_sif }
    }

    /// R-CA-1: which policies apply to an access. Conditions change only with
    /// the facts `Ca` stamps its changes of, so the answer is kept.
    fn applicable(&self, access: Access) -> usize {
        if let Some(hit) = self.ca.cache.borrow().get(&access).filter(|c| self.ca.still_holds(access, c)) {
            return hit.set;
        }
        self.work_out_applicable(access)
    }

    /// `applicable` when nothing is kept: out of line, so that a kept answer,
    /// the common case, costs a lookup and no more (issue 11).
    #[inline(never)]
    fn work_out_applicable(&self, access: Access) -> usize {
        let cx = self.context(access);
        let downstream_cx = self.downstream_contexts(access);
        let (mut enforced, mut report_only, mut downstream) = (Vec::new(), Vec::new(), Vec::new());
        let (mut own_periodic, mut every_time, mut requires_mfa) = (None::<(Seconds, PolicyIdx)>, None, false);
        for (i, p) in self.sc.policies.iter().enumerate() {
            let state = self.ca.states[i];
            if state == PolicyState::Disabled {
                continue;
            }
            if !p.applies(&cx) {
                if !downstream_cx.iter().any(|d| p.applies(d)) {
                    continue;
                }
                downstream.push(i); // R-DOWN-1
            }
            if state == PolicyState::ReportOnly {
                report_only.push(i);
                continue;
            }
            enforced.push(i);
            match p.sif {
                Some(Sif::Periodic(s)) if own_periodic.is_none_or(|(best, _)| s < best) => own_periodic = Some((s, i)),
                Some(Sif::EveryTime) if every_time.is_none() => every_time = Some(i),
                _ => {}
            }
            requires_mfa |= p.requires_mfa();
        }
        let grants = || enforced.iter().filter_map(|&p| self.sc.policies[p].grant.as_ref());
        let found = Applicable {
            grants: grants().next().is_some(),
            terms: grants().any(|g| !g.terms().is_empty()),
            enforced: enforced.into(),
            report_only: report_only.into(),
            downstream: downstream.into(),
            own_periodic,
            every_time,
            requires_mfa,
        };
        let set = self.ca.sets.borrow_mut().intern(found);
        if !self.ca.time_dependent {
            self.ca.cache.borrow_mut().insert(access, Cached { at: self.ca.changes, set });
        }
        set
    }

    /// R-CA-2: the enforced grants combined, with MFA only while SIF has not
    /// expired it (R-SIF-3).
    pub(super) fn check_grants(&self, access: Access, now: Instant, req: &Requirements) -> GrantOutcome {
        // No grant control among the enforced policies: nothing to read the session for.
        if !req.grants {
            return GrantOutcome::Satisfied;
        }
        let view = self.view(access, now);
        // R-SIF-3 expires MFA with SIF, except where SIF itself is deferred (R-DEF-2).
        let sif = req.periodic.map(|p| p.sif).filter(|_| !view.deferred_client);
        let session_mfa = view.auth.and_then(|a| a.mfa).is_some_and(|m| {
            !(req.mfa_with_sif && sif.is_some_and(|s| now - m >= s))
                && (view.deferred_client || !self.mfa_outlived(now, req, m)) // R-RMFA-2
        });
        let has_mfa = session_mfa || self.remembered_mfa_for(access, now, req).is_some(); // R-RMFA-1
        let mut facts = self.grant_facts(access, has_mfa);
        facts.terms_accepted = self.terms_accepted(access.user, req);
        combine_all(req.enforced.iter().filter_map(|&p| self.sc.policies[p].grant.as_ref()).map(|g| g.evaluate(facts)))
    }

    /// The prompt a grant's user action asks for (R-CA-2).
    pub(super) fn grant_due(&self, req: &Requirements, need: GrantOutcome) -> Due {
        let (reason, need) = match need {
            GrantOutcome::NeedsTerms => (Reason::TermsOfUse, Need::TermsOfUse),
            GrantOutcome::NeedsPasswordChange => (Reason::PasswordChange, Need::PasswordChange),
            _ => (Reason::MfaRequired, Need::Mfa),
        };
        let asks = |p: &PolicyIdx| {
            self.sc.policies[*p].grant.as_ref().is_some_and(|g| match reason {
                Reason::TermsOfUse => !g.terms().is_empty(),
                Reason::PasswordChange => g.asks_password_change(),
                _ => g.mentions_mfa(),
            })
        };
        let policy = req.enforced.iter().copied().find(asks);
        Due { reason, policy, expired: None, rule: Rule::Ca2, detail: Detail::GrantNeeds(need) }
    }

    /// Whether the user has accepted every terms of use the applicable grants ask for.
    fn terms_accepted(&self, user: UserNo, req: &Requirements) -> bool {
        if !req.terms {
            return true;
        }
        // Not through `policy_terms`, which lists them: this runs at every token request.
        let accepted = |t: &str| self.ca.has_accepted(user, t);
        req.enforced.iter().filter_map(|&p| self.sc.policies[p].grant.as_ref()).all(|g| g.all_terms(&accepted))
    }

    pub(super) fn policy_terms<'p>(&'p self, req: &Requirements) -> Vec<&'p str> {
        req.enforced.iter().filter_map(|&p| self.sc.policies[p].grant.as_ref()).flat_map(|g| g.terms()).collect()
    }

    /// R-CA-2: the enforced policy whose grant blocks with `code`.
    pub(super) fn blocking_policy(&self, access: Access, req: &Requirements, code: ErrorCode) -> Option<PolicyIdx> {
        let facts = self.grant_facts(access, true);
        req.enforced.iter().copied().find(|&p| {
            self.sc.policies[p].grant.as_ref().is_some_and(|g| g.evaluate(facts) == GrantOutcome::Blocked(code.code()))
        })
    }

    /// The blocking policy's unmet controls, in the words of `policy::grants`.
    pub(super) fn block_detail(&self, access: Access, policy: Option<PolicyIdx>) -> Detail {
        let facts = self.grant_facts(access, true);
        policy
            .and_then(|p| self.sc.policies[p].grant.as_ref())
            .map_or(Detail::PolicyBlocks, |g| Detail::GrantUnmet { grant: Box::new(g.clone()), facts })
    }

    /// R-PROMPT-3: a refused access is reported as blocked, not as a prompt.
    pub(super) fn block(
        &mut self,
        access: Access,
        now: Instant,
        policy: Option<PolicyIdx>,
        code: ErrorCode,
        rule: Rule,
        detail: Detail,
    ) {
        self.trace(now, |_| TraceEvent::Blocked { access, code, detail: detail.clone() });
        self.record_block(access, now, policy, code, rule);
        self.out.blocked.push(Blocked { at: now, access, policy, error_code: code, rule, detail });
    }
}
