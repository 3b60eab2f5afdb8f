//! Conditional Access policies: the model the engine evaluates, and condition
//! matching (R-CA-1) and grant combination (R-CA-2).

pub mod device_filter;

use crate::scenario::model::{AppIdx, Client, Device, Platform, PolicyStateName, User, UserIdx, UserType};
use crate::time::Seconds;
use device_filter::{DeviceFilterRule, DeviceProperties, PropertyValue};

pub use crate::scenario::raw::{ClientAppType, FilterMode, PersistentBrowser};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyState {
    Enabled,
    ReportOnly,
    Disabled,
}

impl From<PolicyStateName> for PolicyState {
    fn from(name: PolicyStateName) -> PolicyState {
        match name {
            PolicyStateName::Enabled => PolicyState::Enabled,
            PolicyStateName::ReportOnly => PolicyState::ReportOnly,
            PolicyStateName::Disabled => PolicyState::Disabled,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum UserRef {
    All,
    User(UserIdx),
    Group(String),
    Role(String),
    Guests,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserCondition {
    pub include: Vec<UserRef>,
    pub exclude: Vec<UserRef>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppCondition {
    pub all: bool,
    pub include: Vec<AppIdx>,
    pub exclude: Vec<AppIdx>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Grant {
    Mfa,
    Block,
    CompliantDevice,
    AllOf(Vec<Grant>),
    AnyOf(Vec<Grant>),
}

/// Sign-in frequency (R-SIF-1, R-ET-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sif {
    Periodic(Seconds),
    EveryTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceFilter {
    pub mode: FilterMode,
    pub rule: DeviceFilterRule,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub id: Option<String>,
    pub state: PolicyState,
    pub users: UserCondition,
    pub apps: AppCondition,
    pub client_apps: Option<Vec<ClientAppType>>,
    pub platforms: Option<Vec<Platform>>,
    pub device_filter: Option<DeviceFilter>,
    pub grant: Option<Grant>,
    pub sif: Option<Sif>,
    pub persistent_browser: Option<PersistentBrowser>,
}

/// What a sign-in looks like to condition matching.
pub struct SignInContext<'a> {
    pub user_idx: UserIdx,
    pub user: &'a User,
    pub app: AppIdx,
    pub client: Client,
    pub device: &'a Device,
}

impl Policy {
    /// R-CA-1: every configured condition must match; exclusions win.
    pub fn applies(&self, cx: &SignInContext) -> bool {
        self.users_match(cx)
            && self.apps.matches(cx.app)
            && self.client_matches(cx.client)
            && self.platform_matches(cx.device)
            && self.device_filter_matches(cx.device)
    }

    fn users_match(&self, cx: &SignInContext) -> bool {
        let hit = |r: &UserRef| user_ref_matches(r, cx.user_idx, cx.user);
        self.users.include.iter().any(hit) && !self.users.exclude.iter().any(hit)
    }

    fn client_matches(&self, client: Client) -> bool {
        let wanted = if client.is_native() { ClientAppType::MobileAndDesktop } else { ClientAppType::Browser };
        self.client_apps.as_ref().is_none_or(|types| types.contains(&wanted))
    }

    fn platform_matches(&self, device: &Device) -> bool {
        self.platforms.as_ref().is_none_or(|p| p.contains(&device.platform))
    }

    fn device_filter_matches(&self, device: &Device) -> bool {
        match &self.device_filter {
            None => true,
            Some(f) => {
                let hit = f.rule.matches(&DeviceView(device));
                match f.mode {
                    FilterMode::Include => hit,
                    FilterMode::Exclude => !hit,
                }
            }
        }
    }

    /// R-PB-2: persistent browser only works on a policy for all resources.
    pub fn effective_persistent_browser(&self) -> Option<PersistentBrowser> {
        self.persistent_browser.filter(|_| self.apps.all && self.apps.exclude.is_empty())
    }

    pub fn requires_mfa(&self) -> bool {
        self.grant.as_ref().is_some_and(Grant::mentions_mfa)
    }
}

impl AppCondition {
    pub fn matches(&self, app: AppIdx) -> bool {
        (self.all || self.include.contains(&app)) && !self.exclude.contains(&app)
    }
}

fn user_ref_matches(r: &UserRef, idx: UserIdx, user: &User) -> bool {
    match r {
        UserRef::All => true,
        UserRef::User(i) => *i == idx,
        UserRef::Group(g) => user.groups.iter().any(|ug| ug == g),
        UserRef::Role(role) => user.roles.iter().any(|ur| ur == role),
        UserRef::Guests => user.user_type == UserType::Guest,
    }
}

/// What the session can show against a grant.
#[derive(Debug, Clone, Copy)]
pub struct GrantFacts {
    pub has_mfa: bool,
    pub device_compliant: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GrantOutcome {
    Satisfied,
    /// Satisfiable by performing MFA now.
    NeedsMfa,
    /// Cannot be satisfied: the AADSTS error code.
    Blocked(u32),
}

impl Grant {
    /// R-CA-2: controls combine with AND (`all_of`) or OR (`any_of`); block wins.
    pub fn evaluate(&self, facts: GrantFacts) -> GrantOutcome {
        match self {
            Grant::Block => GrantOutcome::Blocked(53003),
            Grant::Mfa if facts.has_mfa => GrantOutcome::Satisfied,
            Grant::Mfa => GrantOutcome::NeedsMfa,
            Grant::CompliantDevice if facts.device_compliant => GrantOutcome::Satisfied,
            Grant::CompliantDevice => GrantOutcome::Blocked(53000),
            Grant::AllOf(list) => combine_all(list.iter().map(|g| g.evaluate(facts))),
            Grant::AnyOf(list) => list.iter().map(|g| g.evaluate(facts)).min().unwrap_or(GrantOutcome::Satisfied),
        }
    }

    fn mentions_mfa(&self) -> bool {
        match self {
            Grant::Mfa => true,
            Grant::AllOf(l) | Grant::AnyOf(l) => l.iter().any(Grant::mentions_mfa),
            _ => false,
        }
    }
}

/// All outcomes must hold: any block blocks (53003 before 53000), else MFA if any needs it.
pub fn combine_all(outcomes: impl Iterator<Item = GrantOutcome>) -> GrantOutcome {
    let mut result = GrantOutcome::Satisfied;
    for o in outcomes {
        result = match (result, o) {
            (GrantOutcome::Blocked(53003), _) | (_, GrantOutcome::Blocked(53003)) => GrantOutcome::Blocked(53003),
            (GrantOutcome::Blocked(c), _) | (_, GrantOutcome::Blocked(c)) => GrantOutcome::Blocked(c),
            (GrantOutcome::NeedsMfa, _) | (_, GrantOutcome::NeedsMfa) => GrantOutcome::NeedsMfa,
            _ => GrantOutcome::Satisfied,
        };
    }
    result
}

/// A device's properties as the device filter sees them; unregistered devices are all null.
struct DeviceView<'a>(&'a Device);

impl DeviceProperties for DeviceView<'_> {
    fn property(&self, name: &str) -> Option<PropertyValue> {
        use crate::scenario::model::Join;
        let d = self.0;
        if d.join == Join::Unregistered {
            return None;
        }
        match name {
            "trustType" => Some(PropertyValue::Text(
                match d.join {
                    Join::EntraJoined => "AzureAD",
                    Join::HybridJoined => "ServerAD",
                    _ => "Workplace",
                }
                .to_string(),
            )),
            "isCompliant" => Some(PropertyValue::Bool(d.compliant)),
            "displayName" | "deviceId" => Some(PropertyValue::Text(d.id.clone())),
            "operatingSystem" => Some(PropertyValue::Text(platform_os_name(d.platform).to_string())),
            "deviceOwnership" => Some(PropertyValue::Text(
                if matches!(d.join, Join::Registered) { "Personal" } else { "Company" }.to_string(),
            )),
            _ => None,
        }
    }
}

fn platform_os_name(p: Platform) -> &'static str {
    match p {
        Platform::Windows => "Windows",
        Platform::MacOs => "MacMDM",
        Platform::Ios => "iOS",
        Platform::Android => "Android",
        Platform::Linux => "Linux",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: GrantFacts = GrantFacts { has_mfa: false, device_compliant: false };

    #[test]
    fn grants_combine_with_and_or() {
        assert_eq!(Grant::Mfa.evaluate(FACTS), GrantOutcome::NeedsMfa);
        assert_eq!(Grant::Mfa.evaluate(GrantFacts { has_mfa: true, ..FACTS }), GrantOutcome::Satisfied);
        let either = Grant::AnyOf(vec![Grant::Mfa, Grant::CompliantDevice]);
        assert_eq!(either.evaluate(FACTS), GrantOutcome::NeedsMfa);
        assert_eq!(either.evaluate(GrantFacts { device_compliant: true, ..FACTS }), GrantOutcome::Satisfied);
        let both = Grant::AllOf(vec![Grant::Mfa, Grant::CompliantDevice]);
        assert_eq!(both.evaluate(FACTS), GrantOutcome::Blocked(53000));
        assert_eq!(both.evaluate(GrantFacts { device_compliant: true, ..FACTS }), GrantOutcome::NeedsMfa);
    }

    #[test]
    fn block_wins_over_everything() {
        let outcomes = [GrantOutcome::NeedsMfa, GrantOutcome::Blocked(53000), GrantOutcome::Blocked(53003)];
        assert_eq!(combine_all(outcomes.into_iter()), GrantOutcome::Blocked(53003));
        assert_eq!(combine_all([GrantOutcome::Satisfied, GrantOutcome::NeedsMfa].into_iter()), GrantOutcome::NeedsMfa);
        assert_eq!(combine_all(std::iter::empty()), GrantOutcome::Satisfied);
    }
}
