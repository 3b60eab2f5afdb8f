//! Authentication strengths (R-CA-5): which combinations of authentication
//! methods satisfy a grant, built-in or custom, and whether a user can
//! perform one.
//!
//! Sources: Graph `authenticationMethodModes` (a flags enum: a combination is
//! its members joined with commas, e.g. `password,sms`) and
//! `authenticationStrengthPolicy.allowedCombinations`; the three built-in
//! strengths and their combinations as Graph lists them
//! (`GET /policies/authenticationStrengthPolicies`) and Learn "Conditional
//! Access authentication strengths" describes them.

use crate::domain::MethodSet;

/// An authentication strength: a name and the combinations that satisfy it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrengthPolicy {
    pub id: String,
    pub name: String,
    pub built_in: bool,
    pub combinations: Vec<MethodSet>,
}

pub const MFA_ID: &str = "00000000-0000-0000-0000-000000000002";
pub const PASSWORDLESS_ID: &str = "00000000-0000-0000-0000-000000000003";
pub const PHISHING_RESISTANT_ID: &str = "00000000-0000-0000-0000-000000000004";

const PHISHING_RESISTANT: [&str; 3] = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"];
const PASSWORDLESS: [&str; 4] = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush"];
const MFA: [&str; 17] = [
    "windowsHelloForBusiness",
    "fido2",
    "x509CertificateMultiFactor",
    "deviceBasedPush",
    "temporaryAccessPassOneTime",
    "temporaryAccessPassMultiUse",
    "password,microsoftAuthenticatorPush",
    "password,softwareOath",
    "password,hardwareOath",
    "password,sms",
    "password,voice",
    "federatedMultiFactor",
    "microsoftAuthenticatorPush,federatedSingleFactor",
    "softwareOath,federatedSingleFactor",
    "hardwareOath,federatedSingleFactor",
    "sms,federatedSingleFactor",
    "voice,federatedSingleFactor",
];

impl StrengthPolicy {
    /// The three built-in strengths.
    pub fn built_ins() -> [StrengthPolicy; 3] {
        let make = |id: &str, name: &str, combos: &[&str]| StrengthPolicy {
            id: id.to_string(),
            name: name.to_string(),
            built_in: true,
            combinations: combos.iter().filter_map(|c| MethodSet::parse(c).ok()).collect(),
        };
        [
            make(MFA_ID, "Multifactor authentication", &MFA),
            make(PASSWORDLESS_ID, "Passwordless MFA", &PASSWORDLESS),
            make(PHISHING_RESISTANT_ID, "Phishing-resistant MFA", &PHISHING_RESISTANT),
        ]
    }

    pub fn built_in(id: &str) -> Option<StrengthPolicy> {
        Self::built_ins().into_iter().find(|s| s.id.eq_ignore_ascii_case(id.trim()))
    }

    /// Whether signing in with `used` satisfies the strength.
    pub fn satisfied_by(&self, used: MethodSet) -> bool {
        self.combinations.iter().any(|c| used.covers(*c))
    }

    /// The first allowed combination a user with `has` can perform.
    pub fn reachable(&self, has: MethodSet) -> Option<MethodSet> {
        self.combinations.iter().copied().find(|c| has.covers(*c))
    }

    pub fn combinations_text(&self) -> String {
        self.combinations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AuthMethod, default_user_methods};

    fn set(text: &str) -> MethodSet {
        MethodSet::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn built_in_strengths_follow_graph() {
        let [mfa, passwordless, phishing] = StrengthPolicy::built_ins();
        assert_eq!(mfa.combinations.len(), 17);
        assert!(mfa.satisfied_by(set("password,sms")));
        assert!(!mfa.satisfied_by(set("password")));
        assert!(!mfa.satisfied_by(set("sms")), "SMS alone is one factor");
        assert!(passwordless.satisfied_by(set("deviceBasedPush")));
        assert!(!passwordless.satisfied_by(set("password,microsoftAuthenticatorPush")));
        assert!(phishing.satisfied_by(set("fido2")));
        assert!(phishing.satisfied_by(set("windowsHelloForBusiness")));
        assert!(!phishing.satisfied_by(set("deviceBasedPush")));
        assert!(!phishing.satisfied_by(set("temporaryAccessPassOneTime")));
        assert_eq!(phishing.reachable(default_user_methods()), None);
        assert_eq!(mfa.reachable(default_user_methods()), Some(set("password,microsoftAuthenticatorPush")));
    }

    #[test]
    fn combinations_parse_graph_strings() {
        assert_eq!(set("password, SMS").to_string(), "password,sms");
        assert!(MethodSet::parse("password,smss").is_err());
        assert!(MethodSet::parse("").is_err());
        assert_eq!(AuthMethod::parse("certificate"), Some(AuthMethod::X509CertificateMultiFactor));
        assert_eq!(AuthMethod::parse("windows_hello_for_business"), Some(AuthMethod::WindowsHelloForBusiness));
    }
}
