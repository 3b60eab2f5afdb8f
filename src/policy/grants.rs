//! Grant controls and how a session meets them (R-CA-2).
//!
//! What casim models, and how:
//! * `mfa` and authentication strengths are prompts: a session without the
//!   MFA claim is asked for MFA (`NeedsMfa`). A strength, built-in or custom,
//!   is met by the combinations it allows (`strengths`, R-CA-5): the user
//!   needs one of them among the methods they have (Windows Hello for
//!   Business on the device counts); without one the access is blocked
//!   (53003) and the detail says why.
//! * custom controls (`customAuthenticationFactors`) are never met: casim
//!   cannot answer a third-party provider, and says so.
//! * device and app controls are facts of the sign-in: unmet, they block with
//!   Entra's error (53000 compliant device, 53001 hybrid joined device, 53002
//!   approved client app, 53005 app protection policy).
//! * `passwordChange` and `termsOfUse` are prompts too (`NeedsPasswordChange`,
//!   `NeedsTerms`): the user changes the password (with MFA, which remediates
//!   user risk) or accepts the terms, once per user and terms. When several
//!   user actions are due, one sign-in does them all.

use crate::domain::{App, Client, Device, DeviceSignIn, Join, MethodSet, Methods, Platform, User};

pub use super::strengths::StrengthPolicy as Strength;
use super::strengths::StrengthPolicy;

impl StrengthPolicy {
    /// YAML names of the built-in strengths.
    pub const NAMES: [&'static str; 3] = ["mfa", "passwordless_mfa", "phishing_resistant_mfa"];

    pub fn from_name(name: &str) -> Option<Strength> {
        let i = Self::NAMES.iter().position(|n| *n == name)?;
        Self::built_ins().into_iter().nth(i)
    }

    pub fn words(&self) -> String {
        if self.built_in { self.name.clone() } else { format!("{} (custom: {})", self.name, self.combinations_text()) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Grant {
    Mfa,
    Block,
    CompliantDevice,
    AllOf(Vec<Grant>),
    AnyOf(Vec<Grant>),
    /// Microsoft Entra hybrid joined device (Graph `domainJoinedDevice`).
    DomainJoinedDevice,
    /// Approved client app (Graph `approvedApplication`).
    ApprovedApplication,
    /// App protection policy (Graph `compliantApplication`).
    CompliantApplication,
    PasswordChange,
    /// Microsoft-managed remediation (Graph `riskRemediation`): for password
    /// users a secure password change, as `PasswordChange` (R-CA-2); its own
    /// variant because Graph pairs it with a strength, not with MFA.
    RiskRemediation,
    AuthenticationStrength(Strength),
    /// Terms of use, by id.
    TermsOfUse(String),
    /// A custom control (`customAuthenticationFactors`, a third-party
    /// provider): casim cannot answer it, so it is never met (R-CA-5) and
    /// every output lists it as not simulated.
    Custom(String),
}

/// What the session can show against a grant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrantFacts {
    pub has_mfa: bool,
    pub device_compliant: bool,
    pub device_join: Join,
    /// The app is an approved client app, used from iOS or Android.
    pub approved_client_app: bool,
    /// The app enforces an app protection policy, used from iOS or Android.
    pub app_protection: bool,
    pub methods: Methods,
    /// The combination the session's last authentication used, when known
    /// (What If `--methods-used`); `None`: a session with MFA used a
    /// combination the strength allows whenever the user has one.
    pub used: Option<MethodSet>,
    /// The user has accepted the terms of use the applicable grants ask for.
    pub terms_accepted: bool,
}

impl GrantFacts {
    /// What an access by `user` on `device` to `app` through `client` can
    /// show. Approved client apps and app protection policies count on iOS and
    /// Android native clients only; Windows Hello for Business on the device
    /// is a phishing-resistant method.
    pub fn of(user: &User, device: &Device, app: &App, client: Client, has_mfa: bool) -> GrantFacts {
        let mobile = client.is_native() && matches!(device.platform, Platform::Ios | Platform::Android);
        let hello = device.sign_in == DeviceSignIn::WindowsHello;
        GrantFacts {
            has_mfa,
            device_compliant: device.compliant,
            device_join: device.join,
            approved_client_app: mobile && app.approved_client_app,
            app_protection: mobile && app.app_protection,
            methods: if hello {
                user.methods.with(crate::domain::AuthMethod::WindowsHelloForBusiness)
            } else {
                user.methods
            },
            used: None,
            terms_accepted: false,
        }
    }

    /// Facts of a session with or without MFA and nothing else.
    pub fn basic(has_mfa: bool, device_compliant: bool) -> GrantFacts {
        GrantFacts {
            has_mfa,
            device_compliant,
            device_join: Join::Unregistered,
            approved_client_app: false,
            app_protection: false,
            methods: crate::domain::default_user_methods(),
            used: None,
            terms_accepted: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GrantOutcome {
    Satisfied,
    /// Satisfiable by performing MFA now.
    NeedsMfa,
    /// Satisfiable by accepting terms of use (once per user and terms).
    NeedsTerms,
    /// Satisfiable by a secure password change, with MFA, which remediates user risk.
    NeedsPasswordChange,
    /// Cannot be satisfied: the AADSTS error code.
    Blocked(u32),
}

impl Grant {
    /// R-CA-2: controls combine with AND (`all_of`) or OR (`any_of`); block wins.
    pub fn evaluate(&self, facts: GrantFacts) -> GrantOutcome {
        use GrantOutcome::*;
        let either = |ok: bool, code: u32| if ok { Satisfied } else { Blocked(code) };
        match self {
            Grant::Block => Blocked(53003),
            Grant::Mfa => mfa(facts.has_mfa),
            Grant::AuthenticationStrength(s) => strength(facts, s),
            Grant::Custom(_) => Blocked(53003),
            Grant::CompliantDevice => either(facts.device_compliant, 53000),
            Grant::DomainJoinedDevice => either(facts.device_join == Join::HybridJoined, 53001),
            Grant::ApprovedApplication => either(facts.approved_client_app, 53002),
            Grant::CompliantApplication => either(facts.app_protection, 53005),
            Grant::PasswordChange | Grant::RiskRemediation => NeedsPasswordChange,
            Grant::TermsOfUse(_) if facts.terms_accepted => Satisfied,
            Grant::TermsOfUse(_) => NeedsTerms,
            Grant::AllOf(list) => combine_all(list.iter().map(|g| g.evaluate(facts))),
            Grant::AnyOf(list) => list.iter().map(|g| g.evaluate(facts)).min().unwrap_or(Satisfied),
        }
    }

    /// The terms of use this grant asks users to accept.
    pub fn terms(&self) -> Vec<&str> {
        match self {
            Grant::TermsOfUse(id) => vec![id.as_str()],
            Grant::AllOf(l) | Grant::AnyOf(l) => l.iter().flat_map(Grant::terms).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether `accepted` holds for every terms of use of `terms`, without
    /// listing them: the engine asks at every token request (issue 11).
    pub fn all_terms(&self, accepted: &impl Fn(&str) -> bool) -> bool {
        match self {
            Grant::TermsOfUse(id) => accepted(id),
            Grant::AllOf(l) | Grant::AnyOf(l) => l.iter().all(|g| g.all_terms(accepted)),
            _ => true,
        }
    }

    pub fn mentions_mfa(&self) -> bool {
        match self {
            Grant::Mfa | Grant::AuthenticationStrength(_) => true,
            Grant::AllOf(l) | Grant::AnyOf(l) => l.iter().any(Grant::mentions_mfa),
            _ => false,
        }
    }

    /// Whether any control of the grant is `control` (looks inside lists).
    pub fn contains(&self, control: &Grant) -> bool {
        match self {
            Grant::AllOf(l) | Grant::AnyOf(l) => l.iter().any(|g| g.contains(control)),
            other => other == control,
        }
    }

    /// Why the grant blocks these facts, in words, for the blocked event.
    pub fn block_detail(&self, facts: GrantFacts) -> String {
        let mut unmet = Vec::new();
        self.collect_unmet(facts, &mut unmet);
        match unmet.len() {
            0 => "a policy blocks access".to_string(),
            _ => unmet.join("; "),
        }
    }

    fn collect_unmet(&self, facts: GrantFacts, out: &mut Vec<String>) {
        if !matches!(self.evaluate(facts), GrantOutcome::Blocked(_)) {
            return;
        }
        match self {
            Grant::AllOf(l) | Grant::AnyOf(l) => l.iter().for_each(|g| g.collect_unmet(facts, out)),
            Grant::AuthenticationStrength(s) => out.push(format!(
                "the grant requires authentication strength {} and the user has no combination it allows ({}); the user has {}",
                s.name,
                s.combinations_text(),
                facts.methods
            )),
            Grant::Custom(name) => {
                out.push(format!("the grant requires custom control `{name}`, which casim cannot answer (not simulated)"))
            }
            Grant::Block => out.push("a policy blocks access".into()),
            Grant::CompliantDevice => out.push("the grant requires a compliant device".into()),
            other => out.push(format!("the grant requires {}", other.words())),
        }
    }

    /// The control in words (lists joined with "and" / "or").
    pub fn words(&self) -> String {
        match self {
            Grant::Mfa => "multifactor authentication".into(),
            Grant::Block => "block access".into(),
            Grant::CompliantDevice => "a device marked compliant".into(),
            Grant::DomainJoinedDevice => "a Microsoft Entra hybrid joined device".into(),
            Grant::ApprovedApplication => "an approved client app".into(),
            Grant::CompliantApplication => "an app protection policy".into(),
            Grant::PasswordChange => "a password change".into(),
            Grant::RiskRemediation => "Microsoft-managed risk remediation (a secure password change)".into(),
            Grant::AuthenticationStrength(s) => format!("authentication strength {}", s.words()),
            Grant::TermsOfUse(id) => format!("terms of use {id}"),
            Grant::Custom(name) => format!("custom control {name}"),
            Grant::AllOf(l) => l.iter().map(Grant::words).collect::<Vec<_>>().join(" and "),
            Grant::AnyOf(l) => l.iter().map(Grant::words).collect::<Vec<_>>().join(" or "),
        }
    }

    /// Graph's `builtInControls` name of a single control, if it has one.
    pub fn graph_name(&self) -> Option<&'static str> {
        Some(match self {
            Grant::Mfa => "mfa",
            Grant::Block => "block",
            Grant::CompliantDevice => "compliantDevice",
            Grant::DomainJoinedDevice => "domainJoinedDevice",
            Grant::ApprovedApplication => "approvedApplication",
            Grant::CompliantApplication => "compliantApplication",
            Grant::PasswordChange => "passwordChange",
            Grant::RiskRemediation => "riskRemediation",
            _ => return None,
        })
    }

    /// The name sign-in logs give an enforced single control
    /// (`appliedConditionalAccessPolicies[].enforcedGrantControls`).
    pub fn log_name(&self) -> Option<&'static str> {
        Some(match self {
            Grant::Mfa => "Mfa",
            Grant::Block => "Block",
            Grant::CompliantDevice => "RequireCompliantDevice",
            Grant::DomainJoinedDevice => "RequireDomainJoinedDevice",
            Grant::ApprovedApplication => "RequireApprovedApp",
            Grant::CompliantApplication => "RequireCompliantApp",
            Grant::PasswordChange => "PasswordChange",
            Grant::RiskRemediation => "RiskRemediation",
            Grant::AuthenticationStrength(_) => "AuthenticationStrength",
            Grant::TermsOfUse(_) => "TermsOfUse",
            Grant::Custom(_) => return None,
            Grant::AllOf(_) | Grant::AnyOf(_) => return None,
        })
    }

    /// Whether it asks for a secure password change (`passwordChange` or
    /// `riskRemediation`).
    pub fn asks_password_change(&self) -> bool {
        self.contains(&Grant::PasswordChange) || self.contains(&Grant::RiskRemediation)
    }

    /// The single controls, flattened, in order.
    pub fn controls(&self) -> Vec<&Grant> {
        match self {
            Grant::AllOf(l) | Grant::AnyOf(l) => l.iter().flat_map(Grant::controls).collect(),
            other => vec![other],
        }
    }
}

fn mfa(has_mfa: bool) -> GrantOutcome {
    if has_mfa { GrantOutcome::Satisfied } else { GrantOutcome::NeedsMfa }
}

/// R-CA-5: a strength is met by the combination the session used (or, when
/// that is not known, by its MFA if the user has an allowed combination);
/// otherwise the user is asked to step up with a combination they have, or
/// blocked (53003) when they have none.
fn strength(facts: GrantFacts, s: &StrengthPolicy) -> GrantOutcome {
    let reachable = s.reachable(facts.methods).is_some();
    let met = match facts.used {
        Some(used) => s.satisfied_by(used),
        None => facts.has_mfa && reachable,
    };
    match (met, reachable) {
        (true, _) => GrantOutcome::Satisfied,
        (false, true) => GrantOutcome::NeedsMfa,
        (false, false) => GrantOutcome::Blocked(53003),
    }
}

/// All outcomes must hold: any block blocks (53003 before others), else MFA if any needs it.
pub fn combine_all(outcomes: impl Iterator<Item = GrantOutcome>) -> GrantOutcome {
    let mut result = GrantOutcome::Satisfied;
    for o in outcomes {
        result = match (result, o) {
            (GrantOutcome::Blocked(53003), _) | (_, GrantOutcome::Blocked(53003)) => GrantOutcome::Blocked(53003),
            (GrantOutcome::Blocked(c), _) | (_, GrantOutcome::Blocked(c)) => GrantOutcome::Blocked(c),
            // The strongest user action covers the weaker ones in one sign-in.
            (a, b) => a.max(b),
        };
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: GrantFacts = GrantFacts {
        has_mfa: false,
        device_compliant: false,
        device_join: Join::Unregistered,
        approved_client_app: false,
        app_protection: false,
        methods: MethodSet::EMPTY,
        used: None,
        terms_accepted: false,
    };

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

    #[test]
    fn device_and_app_controls_block_with_entra_codes() {
        assert_eq!(Grant::DomainJoinedDevice.evaluate(FACTS), GrantOutcome::Blocked(53001));
        let hybrid = GrantFacts { device_join: Join::HybridJoined, ..FACTS };
        assert_eq!(Grant::DomainJoinedDevice.evaluate(hybrid), GrantOutcome::Satisfied);
        let entra = GrantFacts { device_join: Join::EntraJoined, ..FACTS };
        assert_eq!(Grant::DomainJoinedDevice.evaluate(entra), GrantOutcome::Blocked(53001));
        assert_eq!(Grant::ApprovedApplication.evaluate(FACTS), GrantOutcome::Blocked(53002));
        let approved = GrantFacts { approved_client_app: true, ..FACTS };
        assert_eq!(Grant::ApprovedApplication.evaluate(approved), GrantOutcome::Satisfied);
        assert_eq!(Grant::CompliantApplication.evaluate(FACTS), GrantOutcome::Blocked(53005));
        let protected = GrantFacts { app_protection: true, ..FACTS };
        assert_eq!(Grant::CompliantApplication.evaluate(protected), GrantOutcome::Satisfied);
    }

    #[test]
    fn strengths_need_a_method_that_satisfies_them() {
        use crate::domain::{AuthMethod, default_user_methods};
        let builtin = |name| Strength::from_name(name).unwrap_or_else(|| panic!("{name}"));
        let phish = Grant::AuthenticationStrength(builtin("phishing_resistant_mfa"));
        let plain = GrantFacts { methods: default_user_methods(), ..FACTS };
        assert_eq!(phish.evaluate(GrantFacts { has_mfa: true, ..plain }), GrantOutcome::Blocked(53003));
        let fido = default_user_methods().with(AuthMethod::Fido2);
        assert_eq!(phish.evaluate(GrantFacts { methods: fido, ..FACTS }), GrantOutcome::NeedsMfa);
        assert_eq!(phish.evaluate(GrantFacts { methods: fido, has_mfa: true, ..FACTS }), GrantOutcome::Satisfied);
        let push_mfa = MethodSet::parse("password,microsoftAuthenticatorPush").unwrap_or_default();
        let stepped = GrantFacts { methods: fido, has_mfa: true, used: Some(push_mfa), ..FACTS };
        assert_eq!(phish.evaluate(stepped), GrantOutcome::NeedsMfa, "a push MFA session steps up to FIDO2");
        let app_only = default_user_methods().with(AuthMethod::DeviceBasedPush);
        let passwordless = Grant::AuthenticationStrength(builtin("passwordless_mfa"));
        assert_eq!(passwordless.evaluate(GrantFacts { methods: app_only, ..FACTS }), GrantOutcome::NeedsMfa);
        assert_eq!(phish.evaluate(GrantFacts { methods: app_only, ..FACTS }), GrantOutcome::Blocked(53003));
        let mfa = Grant::AuthenticationStrength(builtin("mfa"));
        assert_eq!(mfa.evaluate(plain), GrantOutcome::NeedsMfa);
        assert!(phish.block_detail(plain).contains("Phishing-resistant MFA"));
        let custom = Strength {
            id: "c0ffee00-0000-4000-8000-000000000001".into(),
            name: "SMS only".into(),
            built_in: false,
            combinations: vec![MethodSet::parse("password,sms").unwrap_or_default()],
        };
        let sms_user = MethodSet::parse("password,sms").unwrap_or_default();
        let g = Grant::AuthenticationStrength(custom);
        assert_eq!(g.evaluate(GrantFacts { methods: sms_user, ..FACTS }), GrantOutcome::NeedsMfa);
        assert_eq!(g.evaluate(plain), GrantOutcome::Blocked(53003), "push users have no SMS");
    }

    #[test]
    fn password_change_and_terms_are_user_actions() {
        let g = Grant::AllOf(vec![Grant::Mfa, Grant::PasswordChange]);
        assert_eq!(g.evaluate(FACTS), GrantOutcome::NeedsPasswordChange, "one sign-in does MFA and the change");
        let tou = Grant::TermsOfUse("ce580154-086a-40fd-91df-8a60abac81a0".into());
        assert_eq!(tou.evaluate(FACTS), GrantOutcome::NeedsTerms);
        assert_eq!(tou.evaluate(GrantFacts { terms_accepted: true, ..FACTS }), GrantOutcome::Satisfied);
        let with_block = Grant::AllOf(vec![tou, Grant::Block]);
        assert_eq!(with_block.evaluate(FACTS), GrantOutcome::Blocked(53003));
        let built_in = Strength::built_in("00000000-0000-0000-0000-000000000004").map(|s| s.name);
        assert_eq!(built_in.as_deref(), Some("Phishing-resistant MFA"));
    }
}
