//! Authentication methods (Graph `authenticationMethodModes`) and sets of
//! them: the methods a user has, or one combination of a strength (R-CA-5).

use std::fmt;

/// Graph `authenticationMethodModes`, in Graph's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthMethod {
    Password,
    Voice,
    HardwareOath,
    SoftwareOath,
    Sms,
    Fido2,
    WindowsHelloForBusiness,
    MicrosoftAuthenticatorPush,
    DeviceBasedPush,
    TemporaryAccessPassOneTime,
    TemporaryAccessPassMultiUse,
    Email,
    X509CertificateSingleFactor,
    X509CertificateMultiFactor,
    FederatedSingleFactor,
    FederatedMultiFactor,
    QrCodePin,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 17] = [
        AuthMethod::Password,
        AuthMethod::Voice,
        AuthMethod::HardwareOath,
        AuthMethod::SoftwareOath,
        AuthMethod::Sms,
        AuthMethod::Fido2,
        AuthMethod::WindowsHelloForBusiness,
        AuthMethod::MicrosoftAuthenticatorPush,
        AuthMethod::DeviceBasedPush,
        AuthMethod::TemporaryAccessPassOneTime,
        AuthMethod::TemporaryAccessPassMultiUse,
        AuthMethod::Email,
        AuthMethod::X509CertificateSingleFactor,
        AuthMethod::X509CertificateMultiFactor,
        AuthMethod::FederatedSingleFactor,
        AuthMethod::FederatedMultiFactor,
        AuthMethod::QrCodePin,
    ];
    pub const GRAPH_NAMES: [&'static str; 17] = [
        "password",
        "voice",
        "hardwareOath",
        "softwareOath",
        "sms",
        "fido2",
        "windowsHelloForBusiness",
        "microsoftAuthenticatorPush",
        "deviceBasedPush",
        "temporaryAccessPassOneTime",
        "temporaryAccessPassMultiUse",
        "email",
        "x509CertificateSingleFactor",
        "x509CertificateMultiFactor",
        "federatedSingleFactor",
        "federatedMultiFactor",
        "qrCodePin",
    ];
    /// casim's snake_case names (scenario `methods:`, What If `--methods`).
    pub const NAMES: [&'static str; 17] = [
        "password",
        "voice",
        "hardware_oath",
        "software_oath",
        "sms",
        "fido2",
        "windows_hello_for_business",
        "microsoft_authenticator_push",
        "device_based_push",
        "temporary_access_pass_one_time",
        "temporary_access_pass_multi_use",
        "email",
        "x509_certificate_single_factor",
        "x509_certificate_multi_factor",
        "federated_single_factor",
        "federated_multi_factor",
        "qr_code_pin",
    ];

    pub fn graph_name(self) -> &'static str {
        Self::GRAPH_NAMES[self as usize]
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// From Graph's name (any case) or casim's; `certificate` and
    /// `authenticator_passwordless` are casim's older names.
    pub fn parse(text: &str) -> Option<AuthMethod> {
        let t = text.trim();
        match t {
            "certificate" => return Some(AuthMethod::X509CertificateMultiFactor),
            "authenticator_passwordless" => return Some(AuthMethod::DeviceBasedPush),
            _ => {}
        }
        Self::ALL.into_iter().find(|m| m.graph_name().eq_ignore_ascii_case(t) || m.name() == t)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of methods: one combination, or the methods a user has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MethodSet(u32);

impl MethodSet {
    pub const EMPTY: MethodSet = MethodSet(0);

    pub fn of(methods: &[AuthMethod]) -> MethodSet {
        MethodSet(methods.iter().fold(0, |acc, m| acc | m.bit()))
    }

    pub fn with(self, m: AuthMethod) -> MethodSet {
        MethodSet(self.0 | m.bit())
    }

    pub fn contains(self, m: AuthMethod) -> bool {
        self.0 & m.bit() != 0
    }

    /// Every method of `other` is in `self`.
    pub fn covers(self, other: MethodSet) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn methods(self) -> impl Iterator<Item = AuthMethod> {
        AuthMethod::ALL.into_iter().filter(move |m| self.contains(*m))
    }

    /// A Graph combination string (`password,sms`); every part must be a
    /// known method.
    pub fn parse(text: &str) -> Result<MethodSet, String> {
        let mut set = MethodSet::EMPTY;
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let m = AuthMethod::parse(part).ok_or_else(|| {
                format!(
                    "`{part}` is not an authentication method mode; expected one of {}",
                    AuthMethod::GRAPH_NAMES.join(", ")
                )
            })?;
            set = set.with(m);
        }
        if set.is_empty() {
            return Err(format!("`{text}` names no authentication method"));
        }
        Ok(set)
    }
}

impl fmt::Display for MethodSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.methods().map(AuthMethod::graph_name).collect();
        f.write_str(&names.join(","))
    }
}

/// The authentication methods a user has (R-CA-5).
pub type Methods = MethodSet;

/// The methods a user has when the scenario does not say: a password and
/// Microsoft Authenticator push, which satisfy the built-in "Multifactor
/// authentication" strength only (docs/model.md, R-CA-5).
pub fn default_user_methods() -> MethodSet {
    MethodSet::of(&[AuthMethod::Password, AuthMethod::MicrosoftAuthenticatorPush])
}
