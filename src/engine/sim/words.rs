//! Trace lines (`casim run --trace`) and the names outputs give to accesses,
//! steps and instants. Nothing here changes the simulation.

use super::Sim;
use crate::domain::*;
use crate::engine::outcome::{Detail, Notice};
use crate::engine::rule::Rule;
use crate::engine::state::Access;
use crate::scenario::model::*;
use crate::time::{self, Instant};

impl Sim<'_> {
    /// Records a trace line; `message` is only built when tracing.
    pub(super) fn trace(&mut self, now: Instant, message: impl FnOnce(&Self) -> String) {
        if self.options.trace {
            let line = format!("{}  {}", time::rfc3339(now), message(self));
            self.out.trace.push(line);
        }
    }

    pub(super) fn access_words(&self, access: Access) -> String {
        let Access { user, device, client, app } = access;
        format!(
            "{} on {} ({} {})",
            self.sc.users[user].id,
            self.sc.devices[device].id,
            self.sc.apps[app].key,
            client.name()
        )
    }

    /// An instant relative to the scenario's start.
    pub(super) fn rel(&self, t: Instant) -> String {
        time::relative(t, self.sc.start)
    }

    pub(super) fn describe_action(&self, action: &Action) -> String {
        let dev = |d: &DeviceIdx| self.sc.devices[*d].id.clone();
        let user = |u: &UserIdx| self.sc.users[*u].id.clone();
        match action {
            Action::SignInDevice { device, .. } => format!("sign_in_device {}", dev(device)),
            Action::Lock { device } => format!("lock {}", dev(device)),
            Action::Unlock { device, .. } => format!("unlock {}", dev(device)),
            Action::SignOutDevice { device } => format!("sign_out_device {}", dev(device)),
            Action::Use { user, device, app, client, until, .. } => format!(
                "use {}{}",
                self.access_words(Access::of(*user, *device, *client, *app)),
                until.map(|u| format!(" until {}", self.rel(u))).unwrap_or_default()
            ),
            Action::Background { user, device, app, client, until } => format!(
                "background {} until {}",
                self.access_words(Access::of(*user, *device, *client, *app)),
                self.rel(*until)
            ),
            Action::UserAction { user, device, app, .. } => format!(
                "{} {}",
                self.sc.apps[*app].key,
                self.access_words(Access::of(*user, *device, Client::Browser, *app))
            ),
            Action::CloseBrowser { device, .. } => format!("close_browser {}", dev(device)),
            Action::OpenBrowser { device, .. } => format!("open_browser {}", dev(device)),
            Action::PasswordChange { user: u } => format!("password_change {}", user(u)),
            Action::RevokeSessions { user: u } => format!("revoke_sessions {}", user(u)),
            Action::DisableUser { user: u } => format!("disable_user {}", user(u)),
            Action::EnableUser { user: u } => format!("enable_user {}", user(u)),
            Action::SetCompliant { device, value } => format!("set_compliant {} {value}", dev(device)),
            Action::SetPolicyState { policy, state } => {
                format!("set_policy_state `{}` {state:?}", self.sc.policies[*policy].name)
            }
            Action::RequestToken { workload, app } => {
                format!("request_token {} for {}", self.sc.workloads[*workload].identity.key, self.sc.apps[*app].key)
            }
        }
    }

    /// A deferral or finding about `access` (R-DEF-*, R-PB-4).
    pub(super) fn notice(
        &self,
        access: Access,
        now: Instant,
        policy: Option<PolicyIdx>,
        rule: Rule,
        detail: Detail,
    ) -> Notice {
        Notice { at: now, access, policy, rule, detail }
    }
}
