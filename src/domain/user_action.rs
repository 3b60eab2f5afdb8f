//! User actions Conditional Access can target instead of resources.

/// User actions Conditional Access can target instead of resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UserAction {
    RegisterSecurityInfo,
    RegisterDevice,
    /// `urn:user:accountrecovery`, in Microsoft's own templates: What If
    /// only; no scenario step recovers an account.
    AccountRecovery,
}

impl UserAction {
    pub const NAMES: [&'static str; 3] = ["register_security_info", "register_device", "account_recovery"];

    pub fn urn(self) -> &'static str {
        match self {
            UserAction::RegisterSecurityInfo => "urn:user:registersecurityinfo",
            UserAction::RegisterDevice => "urn:user:registerdevice",
            UserAction::AccountRecovery => "urn:user:accountrecovery",
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn words(self) -> &'static str {
        match self {
            UserAction::RegisterSecurityInfo => "registering security information",
            UserAction::RegisterDevice => "registering or joining a device",
            UserAction::AccountRecovery => "recovering the account",
        }
    }

    /// From the Graph urn or casim's name.
    pub fn parse(text: &str) -> Option<UserAction> {
        match text.to_ascii_lowercase().as_str() {
            "urn:user:registersecurityinfo" | "register_security_info" => Some(UserAction::RegisterSecurityInfo),
            "urn:user:registerdevice" | "register_device" => Some(UserAction::RegisterDevice),
            "urn:user:accountrecovery" | "account_recovery" => Some(UserAction::AccountRecovery),
            _ => None,
        }
    }
}
