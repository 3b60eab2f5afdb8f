//! Built-in apps with their real app ids (REFERENCE.md, "Built-in apps").

use crate::domain::{App, TokenLifetimes};
use crate::time::HOUR;

struct BuiltIn {
    key: &'static str,
    name: &'static str,
    app_id: &'static str,
    fresh_token_each_use: bool,
    cae: bool,
    /// The app's mobile client is on Microsoft's approved client app and app
    /// protection lists (Outlook for Exchange, SharePoint, Teams, Microsoft 365).
    mobile_managed: bool,
    /// R-TOK-5: access-token lifetime in a tenant that uses no Conditional
    /// Access (access-tokens page: two hours for Teams and Microsoft 365).
    without_ca: Option<i64>,
}

const BUILT_INS: [BuiltIn; 8] = [
    BuiltIn {
        key: "sharepoint",
        name: "Office 365 SharePoint Online",
        app_id: "00000003-0000-0ff1-ce00-000000000000",
        fresh_token_each_use: false,
        mobile_managed: true,
        cae: true,
        without_ca: None,
    },
    BuiltIn {
        key: "exchange",
        name: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        fresh_token_each_use: false,
        mobile_managed: true,
        cae: true,
        without_ca: None,
    },
    BuiltIn {
        key: "teams",
        name: "Microsoft Teams",
        app_id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        fresh_token_each_use: false,
        mobile_managed: true,
        cae: true,
        without_ca: Some(2 * HOUR),
    },
    BuiltIn {
        key: "office",
        name: "Office 365 (Office.com)",
        app_id: "4765445b-32c6-49b0-83e6-1d93765276ca",
        fresh_token_each_use: false,
        mobile_managed: true,
        cae: false,
        without_ca: Some(2 * HOUR),
    },
    BuiltIn {
        key: "azure_portal",
        name: "Azure Portal",
        app_id: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
        fresh_token_each_use: false,
        mobile_managed: false,
        cae: false,
        without_ca: None,
    },
    BuiltIn {
        key: "graph",
        name: "Microsoft Graph",
        app_id: "00000003-0000-0000-c000-000000000000",
        fresh_token_each_use: false,
        mobile_managed: false,
        cae: true,
        without_ca: None,
    },
    // R-TOK-2: these two take a fresh token per connection.
    BuiltIn {
        key: "intune_enrollment",
        name: "Microsoft Intune Enrollment",
        app_id: "d4ebce55-015a-49b5-a083-c84d1797ae8c",
        fresh_token_each_use: true,
        mobile_managed: false,
        cae: false,
        without_ca: None,
    },
    BuiltIn {
        key: "avd",
        name: "Azure Virtual Desktop",
        app_id: "9cdead84-a844-4324-93f2-b2e6bb768d07",
        fresh_token_each_use: true,
        mobile_managed: false,
        cae: false,
        without_ca: None,
    },
];

/// R-DOWN-1: the early-bound service dependencies among the built-ins, as
/// Learn's "Conditional Access service dependencies" lists them (Microsoft
/// Teams: Exchange and SharePoint). Late-bound ones (Office Portal) ask for
/// the downstream token only when the portal calls it, which a scenario
/// writes as a use of that app.
const DOWNSTREAM: [(&str, [&str; 2]); 1] = [("teams", ["exchange", "sharepoint"])];

/// The built-in catalogue, in a fixed order.
pub fn built_in_apps() -> Vec<App> {
    let mut apps = catalogue();
    for (app, resources) in DOWNSTREAM {
        let at = |key: &str| apps.iter().position(|a| a.key == key);
        let downstream: Vec<usize> = resources.iter().filter_map(|r| at(r)).collect();
        if let Some(i) = at(app) {
            apps[i].downstream = downstream;
        }
    }
    apps
}

fn catalogue() -> Vec<App> {
    BUILT_INS
        .iter()
        .map(|b| App {
            key: b.key.to_string(),
            name: b.name.to_string(),
            app_id: b.app_id.to_string(),
            fresh_token_each_use: b.fresh_token_each_use,
            cae: b.cae,
            approved_client_app: b.mobile_managed,
            app_protection: b.mobile_managed,
            lifetimes: TokenLifetimes {
                without_ca: b.without_ca,
                policy_native_only: b.key == "sharepoint",
                policy: None,
            },
            downstream: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_contract_keys_with_unique_ids() {
        let apps = built_in_apps();
        let keys: Vec<&str> = apps.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(
            keys,
            ["sharepoint", "exchange", "teams", "office", "azure_portal", "graph", "intune_enrollment", "avd"]
        );
        let mut ids: Vec<&str> = apps.iter().map(|a| a.app_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), apps.len());
        assert!(apps.iter().filter(|a| a.fresh_token_each_use).all(|a| a.key == "avd" || a.key == "intune_enrollment"));
        let teams = apps.iter().find(|a| a.key == "teams").expect("built in");
        let downstream: Vec<&str> = teams.downstream.iter().map(|&i| apps[i].key.as_str()).collect();
        assert_eq!(downstream, ["exchange", "sharepoint"]);
    }
}
