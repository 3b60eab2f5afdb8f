//! Target resources beyond single apps: the Office 365 and Microsoft Admin
//! Portals groups, user actions and authentication contexts (R-CA-1).

use crate::scenario::model::App;

/// App groups Conditional Access targets as one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AppGroup {
    /// Graph `Office365`.
    Office365,
    /// Graph `MicrosoftAdminPortals`.
    AdminPortals,
}

/// Members of `Office365` among the apps casim knows, by app id. Source:
/// "Apps included in Conditional Access Office 365 app suite" (Microsoft Learn,
/// entra-docs `reference-office-365-application-contents.md`), which lists
/// Office 365 SharePoint Online, Office 365 Exchange Online, Microsoft Teams
/// and Office.com / OfficeHome.
pub const OFFICE_365: [&str; 4] = [
    "00000003-0000-0ff1-ce00-000000000000", // Office 365 SharePoint Online
    "00000002-0000-0ff1-ce00-000000000000", // Office 365 Exchange Online
    "1fec8e78-bce4-4aaf-ab1b-5451cc387264", // Microsoft Teams
    "4765445b-32c6-49b0-83e6-1d93765276ca", // Office.com (OfficeHome)
];

/// Members of `MicrosoftAdminPortals` among the apps casim knows. Source:
/// "Conditional Access: Target resources", section Microsoft Admin Portals
/// (the Azure portal is listed).
pub const ADMIN_PORTALS: [&str; 1] = ["c44b4083-3bb0-49c1-b47d-974e53cbdf3c"]; // Azure portal

/// Ids a policy may name for an app casim knows under another id: the Azure
/// portal is reached through the Windows Azure Service Management API
/// resource (REFERENCE.md, built-in apps).
const ALIASES: [(&str, &str); 1] = [("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "797f4846-ba00-4fd7-ba43-dac1f8f63013")];

impl AppGroup {
    pub fn graph_name(self) -> &'static str {
        match self {
            AppGroup::Office365 => "Office365",
            AppGroup::AdminPortals => "MicrosoftAdminPortals",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            AppGroup::Office365 => "Office 365",
            AppGroup::AdminPortals => "Microsoft Admin Portals",
        }
    }

    pub fn contains(self, app: &App) -> bool {
        let members: &[&str] = match self {
            AppGroup::Office365 => &OFFICE_365,
            AppGroup::AdminPortals => &ADMIN_PORTALS,
        };
        members.iter().any(|id| id.eq_ignore_ascii_case(&app.app_id))
    }
}

/// Whether a policy's app id names this app (its own id or an alias).
pub fn app_has_id(app: &App, id: &str) -> bool {
    app.app_id.eq_ignore_ascii_case(id)
        || ALIASES.iter().any(|(own, alias)| own.eq_ignore_ascii_case(&app.app_id) && alias.eq_ignore_ascii_case(id))
}

/// User actions Conditional Access can target instead of resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UserAction {
    RegisterSecurityInfo,
    RegisterDevice,
}

impl UserAction {
    pub const NAMES: [&'static str; 2] = ["register_security_info", "register_device"];

    pub fn urn(self) -> &'static str {
        match self {
            UserAction::RegisterSecurityInfo => "urn:user:registersecurityinfo",
            UserAction::RegisterDevice => "urn:user:registerdevice",
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn words(self) -> &'static str {
        match self {
            UserAction::RegisterSecurityInfo => "registering security information",
            UserAction::RegisterDevice => "registering or joining a device",
        }
    }

    /// From the Graph urn or casim's name.
    pub fn parse(text: &str) -> Option<UserAction> {
        match text.to_ascii_lowercase().as_str() {
            "urn:user:registersecurityinfo" | "register_security_info" => Some(UserAction::RegisterSecurityInfo),
            "urn:user:registerdevice" | "register_device" => Some(UserAction::RegisterDevice),
            _ => None,
        }
    }
}

/// An authentication context class reference: `c1` to `c99`, as Graph writes it.
pub fn auth_context(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let digits = lower.strip_prefix('c')?;
    let n: u8 = digits.parse().ok().filter(|_| !digits.starts_with('0') && digits.len() <= 2)?;
    (1..=99).contains(&n).then(|| format!("c{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::catalogue::built_in_apps;

    #[test]
    fn office_365_holds_the_documented_catalogue_members() {
        let apps = built_in_apps();
        let members: Vec<&str> =
            apps.iter().filter(|a| AppGroup::Office365.contains(a)).map(|a| a.key.as_str()).collect();
        assert_eq!(members, ["sharepoint", "exchange", "teams", "office"]);
        let portals: Vec<&str> =
            apps.iter().filter(|a| AppGroup::AdminPortals.contains(a)).map(|a| a.key.as_str()).collect();
        assert_eq!(portals, ["azure_portal"]);
    }

    #[test]
    fn azure_management_names_the_azure_portal() {
        let apps = built_in_apps();
        let portal = apps.iter().find(|a| a.key == "azure_portal").expect("built in");
        assert!(app_has_id(portal, "797F4846-BA00-4FD7-BA43-DAC1F8F63013"));
        assert!(!app_has_id(portal, "00000003-0000-0ff1-ce00-000000000000"));
    }

    #[test]
    fn auth_contexts_are_c1_to_c99() {
        assert_eq!(auth_context("c1").as_deref(), Some("c1"));
        assert_eq!(auth_context("C99").as_deref(), Some("c99"));
        for bad in ["c0", "c100", "c01", "x1", "c", "c1a"] {
            assert_eq!(auth_context(bad), None, "{bad}");
        }
    }

    #[test]
    fn user_actions_parse_from_urn_and_name() {
        assert_eq!(UserAction::parse("urn:user:registersecurityinfo"), Some(UserAction::RegisterSecurityInfo));
        assert_eq!(UserAction::parse("register_device"), Some(UserAction::RegisterDevice));
        assert_eq!(UserAction::RegisterDevice.name(), "register_device");
    }
}
