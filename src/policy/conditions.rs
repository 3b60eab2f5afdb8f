//! The conditions Graph added after users, resources, platforms, locations
//! and risk (R-CA-1): authentication flows, insider risk, times and workload
//! identities (service principals and agent identities). Each has a documented
//! default for sign-ins that do not say (docs/policies.md, "Inputs").
//!
//! Sources: Graph beta `conditionalAccessConditionSet`,
//! `conditionalAccessAuthenticationFlows`, `conditionalAccessInsiderRiskLevels`,
//! `conditionalAccessClientApplications`, `conditionalAccessTimes`,
//! `conditionalAccessDays`, `conditionalAccessTimeRange`; Learn
//! "Conditional Access: Authentication flows", "Conditional Access for
//! workload identities".

use crate::time::{DAY, Instant};

/// Graph `conditionalAccessTransferMethods`, the flows
/// `conditions.authenticationFlows.transferMethods` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthFlow {
    DeviceCodeFlow,
    AuthenticationTransfer,
}

impl AuthFlow {
    pub const ALL: [AuthFlow; 2] = [AuthFlow::DeviceCodeFlow, AuthFlow::AuthenticationTransfer];
    pub const NAMES: [&'static str; 2] = ["device_code_flow", "authentication_transfer"];
    pub const GRAPH_NAMES: [&'static str; 2] = ["deviceCodeFlow", "authenticationTransfer"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn graph_name(self) -> &'static str {
        Self::GRAPH_NAMES[self as usize]
    }

    pub fn words(self) -> &'static str {
        match self {
            AuthFlow::DeviceCodeFlow => "device code flow",
            AuthFlow::AuthenticationTransfer => "authentication transfer",
        }
    }

    /// From Graph's camelCase (any case) or casim's snake_case name.
    pub fn parse(text: &str) -> Option<AuthFlow> {
        let t = text.trim();
        Self::ALL.into_iter().find(|f| f.graph_name().eq_ignore_ascii_case(t) || f.name() == t)
    }
}

/// Graph `conditionalAccessClientApplications`: the workload identities a
/// policy targets instead of users.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkloadCondition {
    /// `ServicePrincipalsInMyTenant`: every single-tenant service principal.
    pub all_in_tenant: bool,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// `servicePrincipalFilter` as written (custom security attributes): not
    /// evaluated, so a policy with one is "not enough information".
    pub filter: Option<String>,
    /// Agent identities (beta `include/excludeAgentIdServicePrincipals`,
    /// `agentIdServicePrincipalFilter`): a list of their own, as Graph keeps it.
    pub agents: AgentTargets,
}

/// The agent identities a policy targets; `All` is every agent identity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgentTargets {
    pub all: bool,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// `agentIdServicePrincipalFilter` as written (custom security attributes).
    pub filter: Option<String>,
}

impl AgentTargets {
    pub fn is_empty(&self) -> bool {
        !self.all && self.include.is_empty() && self.exclude.is_empty() && self.filter.is_none()
    }
}

impl WorkloadCondition {
    pub fn is_empty(&self) -> bool {
        !self.all_in_tenant
            && self.include.is_empty()
            && self.exclude.is_empty()
            && self.filter.is_none()
            && self.agents.is_empty()
    }

    /// Whether it targets this service principal (by object or app id): an
    /// agent identity by the agent lists, any other by the service principal
    /// lists (R-CA-6).
    pub fn targets(&self, sp: &ServicePrincipal) -> bool {
        let named = |list: &[String]| list.iter().any(|id| sp.has_id(id));
        if sp.agent {
            let a = &self.agents;
            (a.all || named(&a.include)) && !named(&a.exclude)
        } else {
            (self.all_in_tenant || named(&self.include)) && !named(&self.exclude)
        }
    }

    /// A filter on custom security attributes decides for this kind of
    /// workload, and casim does not have them (R-CA-4).
    pub fn filtered(&self, sp: &ServicePrincipal) -> bool {
        if sp.agent { self.agents.filter.is_some() } else { self.filter.is_some() }
    }
}

/// A workload identity signing in on its own (client credentials), for What
/// If `--service-principal` and scenario `service_principals:`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServicePrincipal {
    pub key: String,
    /// Object id of the service principal, when known.
    pub object_id: Option<String>,
    /// The application (client) id, when known.
    pub app_id: Option<String>,
    /// Identity Protection's service principal risk (`none` by default).
    pub risk: crate::domain::Risk,
    /// An agent identity rather than an application's service principal.
    pub agent: bool,
}

impl ServicePrincipal {
    pub fn has_id(&self, id: &str) -> bool {
        [&self.object_id, &self.app_id].into_iter().flatten().any(|own| own.eq_ignore_ascii_case(id))
            || self.key.eq_ignore_ascii_case(id)
    }
}

/// Graph beta `conditionalAccessTimes`: when, in the week or in absolute
/// time, the policy applies. Exclusions win.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimeCondition {
    pub all_times: bool,
    pub include_days: Option<DaysWindow>,
    pub exclude_days: Option<DaysWindow>,
    pub include_range: Option<(Instant, Instant)>,
    pub exclude_range: Option<(Instant, Instant)>,
}

/// Graph beta `conditionalAccessDays`: days of the week and a daily window,
/// in a fixed UTC offset (`timeZone` is `+HH` or `+HH:MM`, ISO 8601).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DaysWindow {
    /// Days of the week, 0 = Sunday … 6 = Saturday, as Graph's `dayOfWeek`.
    pub days: Vec<u8>,
    pub offset_seconds: i64,
    /// Seconds after local midnight; `None` with `all_day`.
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub all_day: bool,
}

pub const DAY_NAMES: [&str; 7] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

impl DaysWindow {
    pub fn contains(&self, at: Instant) -> bool {
        let local = at + self.offset_seconds;
        // 1970-01-01 was a Thursday (4).
        let weekday = (local.div_euclid(DAY) + 4).rem_euclid(7) as u8;
        let clock = local.rem_euclid(DAY);
        if !self.days.is_empty() && !self.days.contains(&weekday) {
            return false;
        }
        match (self.all_day, self.start, self.end) {
            (true, _, _) | (_, None, None) => true,
            (_, start, end) => {
                let (s, e) = (start.unwrap_or(0), end.unwrap_or(DAY));
                if s <= e { (s..e).contains(&clock) } else { clock >= s || clock < e }
            }
        }
    }

    pub fn words(&self) -> String {
        let days: Vec<&str> = self.days.iter().filter_map(|d| DAY_NAMES.get(usize::from(*d)).copied()).collect();
        let days = if days.is_empty() { "every day".to_string() } else { days.join(", ") };
        let hm = |s: i64| format!("{:02}:{:02}", s / 3600, (s % 3600) / 60);
        let window = match (self.all_day, self.start, self.end) {
            (true, _, _) | (_, None, None) => "all day".to_string(),
            (_, s, e) => format!("{}–{}", hm(s.unwrap_or(0)), hm(e.unwrap_or(DAY))),
        };
        let sign = if self.offset_seconds < 0 { '-' } else { '+' };
        let off = self.offset_seconds.abs();
        format!("{days} {window} (UTC{sign}{:02}:{:02})", off / 3600, (off % 3600) / 60)
    }
}

impl TimeCondition {
    pub fn matches(&self, at: Instant) -> bool {
        let in_range = |r: &Option<(Instant, Instant)>| r.is_some_and(|(s, e)| (s..e).contains(&at));
        let in_days = |d: &Option<DaysWindow>| d.as_ref().is_some_and(|w| w.contains(at));
        let included = self.all_times
            || in_days(&self.include_days)
            || in_range(&self.include_range)
            || (self.include_days.is_none() && self.include_range.is_none());
        included && !in_days(&self.exclude_days) && !in_range(&self.exclude_range)
    }

    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if self.all_times {
            parts.push("all times".to_string());
        }
        if let Some(d) = &self.include_days {
            parts.push(format!("on {}", d.words()));
        }
        if let Some((s, e)) = self.include_range {
            parts.push(format!("from {} to {}", crate::time::rfc3339(s), crate::time::rfc3339(e)));
        }
        if let Some(d) = &self.exclude_days {
            parts.push(format!("except on {}", d.words()));
        }
        if let Some((s, e)) = self.exclude_range {
            parts.push(format!("except from {} to {}", crate::time::rfc3339(s), crate::time::rfc3339(e)));
        }
        if parts.is_empty() { "any time".to_string() } else { parts.join(", ") }
    }
}

/// `+HH`, `-HH`, `+HH:MM`, `Z` or `UTC` into seconds east of UTC.
pub fn parse_offset(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None => (rest, "0"),
    };
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=14).contains(&h) && (0..60).contains(&m)).then_some(sign * (h * 3600 + m * 60))
}

/// `HH:MM` or `HH:MM:SS` into seconds after midnight.
pub fn parse_clock(text: &str) -> Option<i64> {
    let mut parts = text.trim().split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s: i64 = parts.next().map(str::parse).transpose().ok()?.unwrap_or(0);
    (parts.next().is_none() && (0..=24).contains(&h) && (0..60).contains(&m) && (0..60).contains(&s))
        .then_some(h * 3600 + m * 60 + s)
        .filter(|t| *t <= DAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InsiderRisk;

    // 2026-01-05 is a Monday.
    const MONDAY: Instant = crate::time::DEFAULT_START;

    #[test]
    fn working_hours_in_a_fixed_offset() {
        let w = DaysWindow {
            days: vec![1, 2, 3, 4, 5],
            offset_seconds: parse_offset("+01:00").unwrap_or_default(),
            start: parse_clock("08:00"),
            end: parse_clock("18:00"),
            all_day: false,
        };
        assert!(w.contains(MONDAY + 9 * 3600), "10:00 local on Monday");
        assert!(!w.contains(MONDAY + 17 * 3600 + 1800), "18:30 local");
        assert!(w.contains(MONDAY + 7 * 3600), "08:00 local is the start");
        assert!(!w.contains(MONDAY + 5 * DAY + 10 * 3600), "Saturday");
        assert!(w.words().contains("monday"), "{}", w.words());
    }

    #[test]
    fn exclusions_win_and_an_empty_condition_is_any_time() {
        let t =
            TimeCondition { all_times: true, exclude_range: Some((MONDAY, MONDAY + DAY)), ..TimeCondition::default() };
        assert!(!t.matches(MONDAY + 3600));
        assert!(t.matches(MONDAY + DAY));
        assert!(TimeCondition::default().matches(MONDAY));
    }

    #[test]
    fn offsets_and_clocks_parse_strictly() {
        assert_eq!(parse_offset("-05"), Some(-5 * 3600));
        assert_eq!(parse_offset("+05:30"), Some(5 * 3600 + 1800));
        assert_eq!(parse_offset("Pacific Standard Time"), None);
        assert_eq!(parse_clock("23:59:59"), Some(86_399));
        assert_eq!(parse_clock("25:00"), None);
        assert_eq!(AuthFlow::parse("DEVICECODEFLOW"), Some(AuthFlow::DeviceCodeFlow));
        assert_eq!(InsiderRisk::parse("Elevated"), Some(InsiderRisk::Elevated));
    }
}
