//! Target resources beyond single apps: the Office 365, Microsoft Admin
//! Portals and agent-resource bundles, user actions and authentication
//! contexts (R-CA-1).

use crate::domain::App;

mod bundles;

pub use bundles::{ADMIN_PORTALS, OFFICE_365, OFFICE_365_PUBLISHED_NAMES, OFFICE_365_UNRESOLVED};

/// App bundles Conditional Access targets as one resource through an
/// `includeApplications` / `excludeApplications` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AppGroup {
    /// Graph `Office365`: the Microsoft 365 apps listed in `bundles.rs`.
    Office365,
    /// Graph `MicrosoftAdminPortals`: the admin portal apps listed in `bundles.rs`.
    AdminPortals,
    /// Graph `AllAgentIdResources`, "All agent resources (Preview)" in the
    /// admin center. "Conditional Access: Target resources" (Microsoft Learn,
    /// entra-docs `concept-conditional-access-cloud-apps.md`, section "All
    /// agent resources"): the policy "enforces the policy for all token
    /// requests to agent identity blueprint principals and agent identities",
    /// that is service principals created through Microsoft Entra Agent ID,
    /// not ordinary Microsoft or line-of-business apps (see also "Target agent
    /// identities in Conditional Access policies", `howto-target-agent-identities.md`:
    /// "applies the policy when agents access any agent-specific resource").
    /// The keyword's spelling is not on the stored Graph reference pages
    /// (`conditionalAccessApplications` still lists only `All`, `Office365`
    /// and `MicrosoftAdminPortals`); it is the value Graph beta policy
    /// exports carry for that choice (seen in third-party tooling only, e.g.
    /// the test fixtures of deploymenttheory/terraform-provider-microsoft365).
    ///
    /// Membership rule: an app is a member exactly when it is an agent
    /// identity blueprint principal or an agent identity, so the bundle has no
    /// fixed list of ids. casim's [`App`] carries no agent marker, so no casim
    /// app is a member and the bundle never matches one; once apps can be
    /// marked as agent resources, `contains` should test that marker.
    AllAgentIdResources,
}

impl AppGroup {
    pub const ALL: [AppGroup; 3] = [AppGroup::Office365, AppGroup::AdminPortals, AppGroup::AllAgentIdResources];

    pub fn graph_name(self) -> &'static str {
        match self {
            AppGroup::Office365 => "Office365",
            AppGroup::AdminPortals => "MicrosoftAdminPortals",
            AppGroup::AllAgentIdResources => "AllAgentIdResources",
        }
    }

    /// From the Graph keyword, ignoring case and surrounding space as the
    /// Graph reader does for its other keywords.
    pub fn from_graph_name(text: &str) -> Option<AppGroup> {
        AppGroup::ALL.into_iter().find(|g| g.graph_name().eq_ignore_ascii_case(text.trim()))
    }

    pub fn words(self) -> &'static str {
        match self {
            AppGroup::Office365 => "Office 365",
            AppGroup::AdminPortals => "Microsoft Admin Portals",
            AppGroup::AllAgentIdResources => "All agent resources",
        }
    }

    /// The members whose app id Microsoft publishes: (app id, display name).
    /// An app id may appear in more than one bundle (the Office 365 Portal and
    /// the Security and Compliance Center are in both Office365 and
    /// MicrosoftAdminPortals).
    pub fn members(self) -> &'static [(&'static str, &'static str)] {
        match self {
            AppGroup::Office365 => OFFICE_365,
            AppGroup::AdminPortals => ADMIN_PORTALS,
            AppGroup::AllAgentIdResources => &[],
        }
    }

    /// Members Microsoft lists by name only, with no id casim could confirm:
    /// they belong to the bundle but cannot be matched.
    pub fn unresolved_members(self) -> &'static [&'static str] {
        match self {
            AppGroup::Office365 => OFFICE_365_UNRESOLVED,
            AppGroup::AdminPortals | AppGroup::AllAgentIdResources => &[],
        }
    }

    /// Whether the app is in the bundle, by its app id (app ids are GUIDs, so
    /// case does not matter), or, for members Microsoft publishes by name
    /// only, by its display name: the page tells admins to look those ids up
    /// in their own tenant, so a scenario app carrying that name is the member.
    /// Never true for `AllAgentIdResources`: see there.
    pub fn contains(self, app: &App) -> bool {
        self.members().iter().any(|(id, _)| id.eq_ignore_ascii_case(&app.app_id))
            || self.unresolved_members().iter().any(|name| same_name(name, &app.name))
    }

    /// The published member called `name` (any case and spacing), with its
    /// id when Microsoft gives one: how What If reads `--app "Microsoft Forms"`.
    pub fn member_named(self, name: &str) -> Option<(Option<&'static str>, &'static str)> {
        let by_id = self.members().iter().find(|(_, n)| same_name(n, name)).map(|(id, n)| (Some(*id), *n));
        by_id.or_else(|| self.unresolved_members().iter().find(|n| same_name(n, name)).map(|n| (None, *n)))
    }
}

/// Names compared as Microsoft's pages vary them: case and runs of spaces.
fn same_name(a: &str, b: &str) -> bool {
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    words(a) == words(b)
}

/// Ids a policy may name for an app casim knows under another id: the Azure
/// portal is reached through the Windows Azure Service Management API
/// resource (REFERENCE.md, built-in apps).
const ALIASES: [(&str, &str); 1] = [("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "797f4846-ba00-4fd7-ba43-dac1f8f63013")];

/// Whether a policy's app id names this app (its own id or an alias).
pub fn app_has_id(app: &App, id: &str) -> bool {
    app.app_id.eq_ignore_ascii_case(id)
        || ALIASES.iter().any(|(own, alias)| own.eq_ignore_ascii_case(&app.app_id) && alias.eq_ignore_ascii_case(id))
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
    use crate::domain::UserAction;
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

    fn app_with_id(id: &str) -> App {
        let mut app = built_in_apps().into_iter().find(|a| a.key == "sharepoint").expect("built in");
        app.key = "custom".into();
        app.app_id = id.into();
        app
    }

    #[test]
    fn bundles_have_the_published_counts() {
        use std::collections::BTreeSet;
        // Office365: every name of the reference page (134) is either matched
        // by a confirmed id or kept by name, never both, and never twice.
        let resolved: BTreeSet<&str> = OFFICE_365.iter().map(|(_, name)| *name).collect();
        let unresolved: BTreeSet<&str> = OFFICE_365_UNRESOLVED.iter().copied().collect();
        assert_eq!(resolved.len(), 55);
        assert_eq!(OFFICE_365.len(), 56, "Media Analysis and Transformation Service has two ids");
        assert_eq!(unresolved.len(), OFFICE_365_UNRESOLVED.len());
        assert!(resolved.is_disjoint(&unresolved));
        assert_eq!(resolved.len() + unresolved.len(), OFFICE_365_PUBLISHED_NAMES);
        // MicrosoftAdminPortals: the four applications of the Target resources page.
        assert_eq!(AppGroup::AdminPortals.members().len(), 4);
        assert!(AppGroup::AdminPortals.unresolved_members().is_empty());
        assert!(AppGroup::AllAgentIdResources.members().is_empty());
        // No id twice in one bundle, and every id a lower-case GUID.
        for group in AppGroup::ALL {
            let ids: BTreeSet<&str> = group.members().iter().map(|(id, _)| *id).collect();
            assert_eq!(ids.len(), group.members().len(), "{}", group.graph_name());
            for id in ids {
                assert!(crate::domain::is_guid(id) && id == id.to_ascii_lowercase(), "{id}");
            }
        }
    }

    #[test]
    fn named_members_match_by_id() {
        for (id, what) in [
            ("c9a559d2-7aab-4f13-a6ed-e7e9c52aec87", "Microsoft Forms"),
            ("905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba", "Sway"),
            ("cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services"),
            ("80ccca67-54bd-44ab-8625-4b79c4dc7775", "Security & Compliance Center"),
            ("66375f6b-983f-4c2c-9701-d680650f588f", "Microsoft Planner"),
            ("cf53fce8-def6-4aeb-8d30-b158e7b1cf83", "Microsoft Stream Portal"),
            ("5754bb84-f388-44f0-b3f7-9233a05bbb34", "Microsoft To-Do web app"),
            ("00000005-0000-0ff1-ce00-000000000000", "Viva Engage (Yammer)"),
            ("6204c1d1-4712-4c46-a7d9-3ed63d992682", "Power Automate (Microsoft Flow Portal)"),
        ] {
            assert!(AppGroup::Office365.contains(&app_with_id(id)), "{what}");
        }
        for (id, what) in [
            ("497effe9-df71-4043-a8bb-14cf78c4b63b", "Exchange admin center"),
            ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure portal"),
            ("00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal"),
            ("80ccca67-54bd-44ab-8625-4b79c4dc7775", "Security and Compliance Center"),
        ] {
            assert!(AppGroup::AdminPortals.contains(&app_with_id(id)), "{what}");
        }
        // The Exchange admin center is an admin portal, not an Office 365 app.
        assert!(!AppGroup::Office365.contains(&app_with_id("497effe9-df71-4043-a8bb-14cf78c4b63b")));
    }

    #[test]
    fn graph_is_not_an_office_365_member() {
        // Microsoft Graph is an umbrella resource the reference page does not list.
        let graph = app_with_id("00000003-0000-0000-c000-000000000000");
        for group in AppGroup::ALL {
            assert!(!group.contains(&graph), "{}", group.graph_name());
        }
    }

    #[test]
    fn bundle_ids_match_in_any_case() {
        assert!(AppGroup::Office365.contains(&app_with_id("905FCF26-4EB7-48A0-9FF0-8DCC7194B5BA")));
        assert!(AppGroup::AdminPortals.contains(&app_with_id("497EFFE9-df71-4043-A8BB-14cf78c4b63b")));
    }

    #[test]
    fn agent_resources_hold_no_casim_app() {
        let apps = built_in_apps();
        assert!(apps.iter().all(|a| !AppGroup::AllAgentIdResources.contains(a)));
        assert_eq!(AppGroup::AllAgentIdResources.graph_name(), "AllAgentIdResources");
    }

    #[test]
    fn groups_parse_from_their_graph_names() {
        for group in AppGroup::ALL {
            assert_eq!(AppGroup::from_graph_name(group.graph_name()), Some(group));
        }
        assert_eq!(AppGroup::from_graph_name(" office365 "), Some(AppGroup::Office365));
        assert_eq!(AppGroup::from_graph_name("allagentidresources"), Some(AppGroup::AllAgentIdResources));
        assert_eq!(AppGroup::from_graph_name("All"), None);
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
