//! R-CA-6: workload identities. A service principal or agent identity asks
//! for a token on its own (client credentials): there is no user to prompt,
//! no session and no device, so Conditional Access either lets the request
//! through or blocks it.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::Sim;
use crate::domain::*;
use crate::engine::error_code::ErrorCode;
use crate::engine::outcome::{Detail, WorkloadSignIn};
use crate::engine::rule::Rule;
use crate::engine::state::AppNo;
use crate::engine::trace::TraceEvent;
use crate::policy::{PolicyState, SignInContext};
use crate::scenario::model::*;
use crate::time::Instant;

/// Where each workload identity calls from, once a step moved it.
#[derive(Debug, Default)]
pub(super) struct Workloads(BTreeMap<usize, (IpAddr, Option<String>)>);

impl Workloads {
    /// A step's `ip`/`country` move the workload from then on, as they move a device.
    fn place(&mut self, workload: usize, w: &mut Workload, step: &Step) {
        let here = self.0.entry(workload).or_insert_with(|| (w.ip, w.country.clone()));
        if let Some(ip) = step.ip {
            here.0 = ip;
        }
        if let Some(country) = &step.country {
            here.1 = Some(country.clone());
        }
        (w.ip, w.country) = here.clone();
    }
}

impl Sim<'_> {
    /// R-CA-6: a workload identity's token request, let through or blocked.
    pub(super) fn request_workload_token(&mut self, workload: usize, app: AppIdx, now: Instant, step: usize) {
        let sc = self.sc;
        let mut w = sc.workloads[workload].clone();
        self.workloads.place(workload, &mut w, &sc.steps[step]);
        let (blocking, report_only) = self.workload_policies(&w, app, now);
        self.out.stats.token_requests += 1;
        let signin = match blocking {
            Some(p) => WorkloadSignIn {
                at: now,
                workload,
                app: AppNo(app),
                result: "failure",
                policy: Some(p),
                error_code: Some(ErrorCode::BlockedByConditionalAccess),
                report_only,
                rule: Rule::Ca6,
                detail: block_cause(&sc.policies[p]),
            },
            None => WorkloadSignIn {
                at: now,
                workload,
                app: AppNo(app),
                result: "success",
                policy: None,
                error_code: None,
                detail: Detail::WorkloadIssued {
                    report_only: report_only.iter().map(|&p| sc.policies[p].name.clone()).collect(),
                },
                report_only,
                rule: Rule::Ca6,
            },
        };
        self.trace(now, |_| TraceEvent::Workload { workload, app, blocking, detail: signin.detail.clone() });
        self.out.workload_sign_ins.push(signin);
    }

    /// R-CA-6: the first enforced policy that blocks the workload, and the
    /// report-only ones that would have.
    fn workload_policies(&self, w: &Workload, app: AppIdx, now: Instant) -> (Option<PolicyIdx>, Vec<PolicyIdx>) {
        let sc = self.sc;
        let (user, device) = (w.as_user(), w.as_device());
        let cx = SignInContext {
            user_idx: usize::MAX,
            user: &user,
            app,
            app_info: &sc.apps[app],
            client: Client::Confidential,
            legacy_client: None,
            device: &device,
            device_props: None,
            ip: w.ip,
            country: w.country.as_deref(),
            compliant_network: false,
            sign_in_risk: Risk::None,
            user_risk: Risk::None,
            insider_risk: crate::domain::InsiderRisk::None,
            auth_flow: None,
            at: Some(now),
            service_principal: Some(&w.identity),
            user_action: None,
            auth_context: None,
            named_locations: &sc.named_locations,
        };
        let mut blocking = None;
        let mut report_only = Vec::new();
        for (i, p) in sc.policies.iter().enumerate() {
            if self.ca.state(i) == PolicyState::Disabled || !p.applies(&cx) || workload_passes(p) {
                continue;
            }
            if self.ca.state(i) == PolicyState::ReportOnly {
                report_only.push(i);
            } else if blocking.is_none() {
                blocking = Some(i);
            }
        }
        (blocking, report_only)
    }
}

/// A workload cannot answer MFA, accept terms or show a device, so any grant
/// short of none blocks it; Entra lets these policies only block (R-CA-6).
fn workload_passes(p: &crate::policy::Policy) -> bool {
    p.grant.is_none()
}

/// R-CA-6: why the policy blocks: outright, or by asking what a workload cannot give.
fn block_cause(p: &crate::policy::Policy) -> Detail {
    match &p.grant {
        Some(crate::policy::Grant::Block) => Detail::WorkloadBlocked,
        _ => Detail::WorkloadCannotSatisfy,
    }
}
