//! Membership of the app bundles Conditional Access targets by keyword, as
//! Microsoft publishes it. Kept apart from `apps.rs` because it is data: when
//! Microsoft changes a list, only this file changes.
//!
//! Sources (all Microsoft-published; short names are used in the comments
//! below):
//!
//! - O365: "Apps included in Conditional Access Office 365 app suite",
//!   Microsoft Learn, entra-docs
//!   `docs/identity/conditional-access/reference-office-365-application-contents.md`,
//!   ms.date 06/05/2026. The membership itself: 134 names, and no app ids (the
//!   page says to look the ids up in your own tenant).
//! - TARGETS: "Conditional Access: Target resources", Microsoft Learn,
//!   entra-docs `docs/identity/conditional-access/concept-conditional-access-cloud-apps.md`,
//!   ms.date 2026-03-24 (learn.microsoft.com), section "Microsoft Admin
//!   Portals", which lists the bundle's apps with their ids; the 01/26/2026
//!   revision listed the portals by name only.
//! - FIRST-PARTY: "Verify first-party Microsoft applications in sign-in
//!   reports", Microsoft Learn troubleshooting, SupportArticles-docs
//!   `support/entra/entra-id/governance/verify-first-party-apps-sign-in.md`
//!   (ms.date 03/08/2024, commit 0d3f7df548cd71a22db472afbe5edffb29319976),
//!   table "Application IDs of commonly used Microsoft applications" (later
//!   revisions dropped the table).
//! - XTAP: Microsoft Graph beta "crossTenantAccessPolicyTarget resource type",
//!   microsoft-graph-docs `api-reference/beta/resources/crosstenantaccesspolicytarget.md`,
//!   earlier revision whose "Application Keyword list" gives the apps and ids
//!   of the `Office365` keyword (the current revision points to O365).
//! - POWER-PLATFORM: "Commonly used Microsoft first-party services and portal
//!   apps", Microsoft Learn, power-platform `power-platform/admin/apps-to-allow.md`
//!   (ms.date 12/12/2024, commit 3c1b6754546507b4af66e1370dc32446ba54fafc).
//! - LOOP: "Manage SharePoint Embedded containers for Copilot Notebooks,
//!   Copilot Pages, or Loop workspaces", microsoft-365-docs
//!   `microsoft-365/loop/cpcn-loop-spe-management.md` (ms.date 06/10/2025).
//! - TEAMS-PS: `Connect-MicrosoftTeams`, office-docs-powershell
//!   `teams/teams-ps/teams/Connect-MicrosoftTeams.md`: the "Skype and Teams
//!   Tenant Admin API" resource token is requested with scope
//!   `48ac35b8-9aa8-4d74-927d-1f4a14a0b239/.default`.
//!
//! Rule: an O365 name gets an id only when one of these pages gives that id
//! under the same name (ignoring case and spacing; TEAMS-PS pairs the name and
//! the id in one example) or under a name it says is the same app ("Viva
//! Engage (formerly Yammer)", "Microsoft 365 Security And Compliance Center
//! (Protection Center)"). Where two pages disagree, XTAP
//! wins because it is the only one that lists the bundle itself. A name with
//! no such id is kept in [`OFFICE_365_UNRESOLVED`], never given a guessed id.

/// `Office365`: (app id, display name as O365 writes it), for the 55 O365
/// names whose id a Microsoft page confirms. "Media Analysis and
/// Transformation Service" has two ids (FIRST-PARTY), hence 56 rows.
pub const OFFICE_365: &[(&str, &str)] = &[
    ("4580fd1d-e5a3-4f56-9ad1-aab0e3bf8f76", "Call Recorder"), // XTAP
    // POWER-PLATFORM "Connectors". XTAP lists a "Connector" (singular,
    // 69cad5fa-2338-4390-aa5d-1ca1fb39860a) that O365 does not name.
    ("48af08dc-f6d2-435f-b2a7-069abd99c086", "Connectors"),
    ("a187e399-0c36-4b98-8f04-1edc167a0996", "Loop Web Application"), // LOOP
    ("6b91db1b-f05b-405a-a0b2-e3f60b28d645", "M365 Admin Services"),  // POWER-PLATFORM "M365AdminServices"
    ("feb2c8aa-4f70-4881-abec-521141627b04", "make.gov.powerapps.us"), // POWER-PLATFORM
    ("a8f7a65c-f5ba-4859-b2d6-df772c264e9d", "make.powerapps.com"),   // POWER-PLATFORM; XTAP "PowerApps Web"
    ("944f0bd1-117b-4b1c-af26-804ed95e767e", "Media Analysis and Transformation Service"), // FIRST-PARTY, XTAP
    ("0cd196ee-71bf-4fd6-a57c-b491ffd4fb1e", "Media Analysis and Transformation Service"), // FIRST-PARTY
    ("6f82282e-0070-4e78-bc23-e6320c5fa7de", "Microsoft Discovery Service"), // XTAP
    ("00000007-0000-0ff1-ce00-000000000000", "Microsoft Exchange Online Protection"), // FIRST-PARTY, XTAP
    // Power Automate. POWER-PLATFORM "Microsoft Flow Portal"; XTAP "Microsoft Flow".
    ("6204c1d1-4712-4c46-a7d9-3ed63d992682", "Microsoft Flow Portal"),
    ("c9a559d2-7aab-4f13-a6ed-e7e9c52aec87", "Microsoft Forms"), // FIRST-PARTY, XTAP
    ("5f00fd34-f302-417f-81ef-1adda179d8fd", "Microsoft Forms Web"), // XTAP
    ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"), // FIRST-PARTY, POWER-PLATFORM
    ("00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal"), // FIRST-PARTY, XTAP, TARGETS
    ("394866fc-eedb-4f01-8536-3ff84b16be2a", "Microsoft People Cards Service"), // XTAP
    ("66375f6b-983f-4c2c-9701-d680650f588f", "Microsoft Planner"), // POWER-PLATFORM
    ("dcad865d-9257-4521-ad4d-bae3e137b345", "Microsoft SharePoint Online - SharePoint Home"), // XTAP
    ("cf53fce8-def6-4aeb-8d30-b158e7b1cf83", "Microsoft Stream Portal"), // FIRST-PARTY, XTAP
    ("2634dd23-5e5a-431c-81ca-11710d9079f4", "Microsoft Stream Service"), // XTAP
    ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"), // FIRST-PARTY, POWER-PLATFORM, XTAP
    ("b1379a75-ce5e-4fa3-80c6-89bb39bf646c", "Microsoft Teams Chat Aggregator"), // XTAP
    ("ab3be6b7-f5df-413d-ac2d-abf1e3fd9c0b", "Microsoft Teams Graph Service"), // XTAP
    ("cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services"), // FIRST-PARTY, POWER-PLATFORM, XTAP
    ("1996141e-2b07-4491-927a-5a024b335c78", "Microsoft Teams UIS"), // XTAP
    ("5e3ce6c0-2b1f-4285-8d4b-75ee78787346", "Microsoft Teams Web Client"), // FIRST-PARTY, POWER-PLATFORM, XTAP
    ("5754bb84-f388-44f0-b3f7-9233a05bbb34", "Microsoft To-Do web app"), // XTAP "Microsoft To-Do Web App"
    ("95de633a-083e-42f5-b444-a4295d8e9314", "Microsoft Whiteboard Services"), // FIRST-PARTY
    ("4345a7b9-9a63-4910-a426-35363201d503", "O365 Suite UX"),   // FIRST-PARTY, XTAP
    ("ec156f81-f23a-47bd-b16f-9fb2c66420f9", "Office 365 Exchange Microservices"), // XTAP
    ("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"), // FIRST-PARTY, POWER-PLATFORM, XTAP
    ("66a88757-258c-4c72-893c-3e8bed4d6899", "Office 365 Search Service"), // FIRST-PARTY, XTAP
    ("00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"), // FIRST-PARTY, XTAP
    ("94c63fef-13a3-47bc-8074-75af8c65887a", "Office Delve"),    // FIRST-PARTY, XTAP
    ("166f1b03-5b19-416f-a94b-1d7aa2d247dc", "Office Hive"),     // XTAP
    ("93d53678-613d-4013-afc1-62e9e444a0a5", "Office Online Add-in SSO"), // FIRST-PARTY
    ("243c63a3-247d-41c5-9d83-7788c43f1c43", "Office Online Core SSO"), // FIRST-PARTY
    ("b97b6bd4-a49f-4a0c-af18-af507d1da76c", "Office Shredding Service"), // XTAP
    ("4b233688-031c-404b-9a80-a4f3f2351f90", "Office.com"),      // FIRST-PARTY; XTAP "Office Online"
    ("89bee1f7-5e6e-4d8a-9f3d-ecd601259da7", "Office365 Shell WCSS-Client"), // FIRST-PARTY, POWER-PLATFORM, XTAP
    ("0f698dd4-f011-4d23-a33e-b36416dcb1e6", "OfficeClientService"), // FIRST-PARTY, XTAP
    ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"),      // FIRST-PARTY
    // XTAP. POWER-PLATFORM lists a client app also named "OneDrive"
    // (b26aadf8-566f-4478-926f-589f601d9c74); XTAP, which lists the bundle, wins.
    ("6a9b9266-8161-4a7b-913a-a9eda19da220", "OneDrive"),
    ("ab9b8c07-8f02-4f72-87fa-80105867a763", "OneDrive SyncEngine"), // FIRST-PARTY, POWER-PLATFORM
    ("2d4d3d8e-2be3-4bef-9f87-7875a61c29de", "OneNote"),             // FIRST-PARTY, XTAP
    ("13d54852-ae25-4f0b-823a-b09eea89f431", "Outlook Service for Exchange"), // XTAP
    ("475226c6-020e-4fb2-8a90-7a972cbfc1d4", "PowerApps Service"),   // XTAP
    ("09abbdfd-ed23-44ee-a2d9-a627aa1c90f3", "ProjectWorkManagement"), // XTAP "Project Work Management"
    // The Security & Compliance Center. TARGETS: "Microsoft 365 Security And
    // Compliance Center (Protection Center)"; FIRST-PARTY "Microsoft 365
    // Security and Compliance Center"; XTAP "Security & Compliance Center".
    ("80ccca67-54bd-44ab-8625-4b79c4dc7775", "Protection Center"),
    ("08e18876-6177-487e-b8b5-cf950c1e598c", "SharePoint Online Web Client Extensibility"), // FIRST-PARTY, XTAP
    ("48ac35b8-9aa8-4d74-927d-1f4a14a0b239", "Skype and Teams Tenant Admin API"),           // TEAMS-PS
    ("00000004-0000-0ff1-ce00-000000000000", "Skype for Business Online"),                  // FIRST-PARTY, XTAP
    ("1e70cd27-4707-4589-8ec5-9bd20c472a46", "Skype Presence Service"),                     // XTAP
    ("905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba", "Sway"),                                       // FIRST-PARTY, XTAP
    ("4c4f550b-42b2-4a16-93f9-fdb9e01bb6ed", "Targeted Messaging Service"),                 // XTAP
    // Yammer. FIRST-PARTY "Viva Engage (formerly Yammer)"; XTAP "Office 365 Yammer".
    ("00000005-0000-0ff1-ce00-000000000000", "Viva Engage"),
];

/// `Office365` members O365 names for which no Microsoft page found gives
/// an id under that name. They are members all the same; casim cannot match
/// them until an id is confirmed, so a scenario app with one of their ids is
/// not treated as Office 365. Candidates seen under a different name (not
/// used, because the names differ): "Office Online Augmentation Loop SSO",
/// "Office Online Loki SSO", "Office Online Maker SSO" and "Office Online
/// Search SSO" against FIRST-PARTY's "Office Online Client Microsoft Entra
/// ID- Augmentation Loop" (2abdc806-e091-4495-9b10-b04d93c3f040), "...- Loki"
/// (b23dd4db-9142-4734-867f-3577f640ad0c), "...- Maker"
/// (17d5e35f-655b-4fb0-8ae6-86356e9a49f5) and "Office Online Search"
/// (a9b49b65-0a12-430b-9540-c80b3332c127).
pub const OFFICE_365_UNRESOLVED: &[&str] = &[
    "AI Hub Services",
    "App Studio for Microsoft Teams",
    "Augmentation Loop",
    "Copilot Data Platform",
    "DataSecurityInvestigation",
    "Device Management Service",
    "EDU Assignments",
    "EnrichmentSvc",
    "Enterprise Copilot Platform",
    "Groups Service",
    "IC3 Gateway",
    "IC3 Gateway Non Cae",
    "Insights Services",
    "INT Augmentation Loop 1P",
    "Legacy Smart Compose",
    "Loop",
    "Loop Web Service",
    "M365 Auditing Public Protected Web API app",
    "M365ChatClient",
    "Message Recall",
    "Messaging Async Media",
    "MessagingAsyncMediaProd",
    "Microsoft 365 eSignature",
    "Microsoft 365 eSignature PPE",
    "Microsoft 365 Reporting Service",
    "Microsoft Flow Portal GCC",
    "Microsoft Information Protection API",
    "Microsoft Planner Client",
    "Microsoft Teams - T4L Web Client",
    "Microsoft Teams - Teams And Channels Service",
    "Microsoft Teams Analytics",
    "Microsoft Teams Mailhook",
    "Microsoft Teams Retail Service",
    "Microsoft Teams Targeting Application",
    "Microsoft Todo web app",
    "Microsoft Virtual Events Portal",
    "Microsoft Virtual Events Services",
    "Microsoft Visio Data Visualizer",
    "MSAI Substrate Meeting Intelligence",
    "Natural Language Editor",
    "O365 Diagnostic Service",
    "O365 Suite UX PathFinder",
    "OCPS Checkin Service",
    "Office 365",
    "Office Collab Actions",
    "Office Hive Fairfax",
    "Office MRO Device Manager Service",
    "Office Notification Service",
    "Office Online Augmentation Loop SSO",
    "Office Online Loki SSO",
    "Office Online Maker SSO",
    "Office Online Print SSO",
    "Office Online Search SSO",
    "Office Online Service",
    "Office Online Speech SSO",
    "Office Scripts Service",
    "Office Scripts Service - INT",
    "Office Scripts Service - Local",
    "Office Scripts Service - Test",
    "Office365 Shell DoD WCSS-Client",
    "OfficePowerPointSGS",
    "OfficeServicesManager",
    "Olympus",
    "OMEX External",
    "One Outlook Web",
    "OneOutlook",
    "Outlook Browser Extension",
    "Project for the web",
    "ProjectWorkManagement_AdminTools",
    "ProjectWorkManagement_USGov",
    "Reply-At-Mention",
    "SharePoint Notification Services",
    "SharePoint Notification Services Fairfax",
    "SharePoint Online Web Client Extensibility Isolated",
    "Skype for Business",
    "Teams CMD Services Artifacts",
    "Teams Device Management Services",
    "Teams Walkie Talkie Service",
    "Teams Walkie Talkie Service - GCC",
];

/// How many apps O365 lists (each name once).
pub const OFFICE_365_PUBLISHED_NAMES: usize = 134;

/// `MicrosoftAdminPortals`: the four applications TARGETS says "comprise the
/// Microsoft Admin Portals", with their ids as it writes them. The bundle
/// covers tokens issued to these resources only, not the back-end services
/// the portals call.
///
/// The earlier revision of TARGETS (ms.date 01/26/2026) listed the portals
/// by name instead: Azure portal, Exchange admin center, Microsoft 365 admin
/// center, Microsoft 365 Defender portal, Microsoft Entra admin center,
/// Microsoft Intune admin center, Microsoft Purview portal and Microsoft Teams
/// admin center. The Entra admin center runs under the Azure portal's id
/// (TARGETS, "Windows Azure Service Management API": "Azure portal, which
/// also covers the Microsoft Entra admin center"), and the Defender portal
/// signs in through the Security and Compliance Center app ("Troubleshoot
/// multitenant management service issues", learn.microsoft.com/defender-xdr/
/// mto-troubleshoot). The newer list names no app for the Intune or Teams
/// admin centers and does not say which app the Purview portal signs in
/// through, so casim matches those portals only if they use one of these ids.
pub const ADMIN_PORTALS: &[(&str, &str)] = &[
    ("497effe9-df71-4043-a8bb-14cf78c4b63b", "Exchange Admin Center"),
    ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure portal"),
    ("00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal"),
    ("80ccca67-54bd-44ab-8625-4b79c4dc7775", "Microsoft 365 Security And Compliance Center (Protection Center)"),
];
