//! The Graph enums Conditional Access exports use, with their members as
//! Graph's beta schema and SDK list them (sources in the comments).

use super::*;

// "conditionalAccessPolicy resource type".
pub(super) static POLICY_STATE: GraphEnum =
    members("conditionalAccessPolicyState", &["enabled", "disabled", "enabledForReportingButNotEnforced"]);
// "conditionalAccessConditionSet resource type" (beta); easUnsupported is the
// deprecated member that page still names.
pub(super) static CLIENT_APP: GraphEnum = members(
    "conditionalAccessClientApp",
    &[
        "all",
        "browser",
        "mobileAppsAndDesktopClients",
        "exchangeActiveSync",
        "easSupported",
        "other",
        "unknownFutureValue",
        "easUnsupported",
    ],
);
// [PS-beta] (conditionalAccessPlatforms).
pub(super) static DEVICE_PLATFORM: GraphEnum = members(
    "conditionalAccessDevicePlatform",
    &["android", "iOS", "windows", "windowsPhone", "macOS", "all", "unknownFutureValue", "linux"],
);
// "conditionalAccessConditionSet resource type" (beta).
pub(super) static RISK_LEVEL: GraphEnum =
    members("riskLevel", &["low", "medium", "high", "hidden", "none", "unknownFutureValue"]);
pub(super) static INSIDER_RISK_LEVELS: GraphEnum =
    flags("conditionalAccessInsiderRiskLevels", &["minor", "moderate", "elevated", "unknownFutureValue"]);
pub(super) static AGENT_ID_RISK_LEVELS: GraphEnum =
    flags("conditionalAccessAgentIdRiskLevels", &["low", "medium", "high", "unknownFutureValue"]);
// Graph's beta SDK enum conditionalAccessTransferMethods.
pub(super) static TRANSFER_METHODS: GraphEnum = flags(
    "conditionalAccessTransferMethods",
    &["none", "deviceCodeFlow", "authenticationTransfer", "unknownFutureValue"],
);
// "conditionalAccessGuestsOrExternalUsers resource type", Graph's beta SDK enum.
pub(super) static GUEST_OR_EXTERNAL_USER_TYPES: GraphEnum = flags(
    "conditionalAccessGuestOrExternalUserTypes",
    &[
        "none",
        "internalGuest",
        "b2bCollaborationGuest",
        "b2bCollaborationMember",
        "b2bDirectConnectUser",
        "otherExternalUser",
        "serviceProvider",
        "unknownFutureValue",
    ],
);
// "conditionalAccessExternalTenants resource type".
pub(super) static EXTERNAL_TENANTS_MEMBERSHIP_KIND: GraphEnum =
    members("conditionalAccessExternalTenantsMembershipKind", &["all", "enumerated", "unknownFutureValue"]);
// "conditionalAccessFilter resource type".
pub(super) static FILTER_MODE: GraphEnum = members("filterMode", &["include", "exclude"]);
// [PS-beta], [PS-v1]: riskRemediation is an evolvable member.
pub(super) static GRANT_CONTROL: GraphEnum = members(
    "conditionalAccessGrantControl",
    &[
        "block",
        "mfa",
        "compliantDevice",
        "domainJoinedDevice",
        "approvedApplication",
        "compliantApplication",
        "passwordChange",
        "unknownFutureValue",
        "riskRemediation",
        // In Microsoft's own templates (GET /beta/identity/conditionalAccess/templates).
        "verifiedID",
    ],
);
// Graph's beta SDK enums for the session controls.
pub(super) static CLOUD_APP_SECURITY_TYPE: GraphEnum = members(
    "cloudAppSecuritySessionControlType",
    &["mcasConfigured", "monitorOnly", "blockDownloads", "unknownFutureValue"],
);
pub(super) static CONTINUOUS_ACCESS_EVALUATION_MODE: GraphEnum = members(
    "continuousAccessEvaluationMode",
    &["strictEnforcement", "disabled", "unknownFutureValue", "strictLocation"],
);
pub(super) static PERSISTENT_BROWSER_MODE: GraphEnum = members("persistentBrowserSessionMode", &["always", "never"]);
pub(super) static SIGN_IN_FREQUENCY_AUTHENTICATION_TYPE: GraphEnum = members(
    "signInFrequencyAuthenticationType",
    &["primaryAndSecondaryAuthentication", "secondaryAuthentication", "unknownFutureValue"],
);
pub(super) static SIGN_IN_FREQUENCY_INTERVAL: GraphEnum =
    members("signInFrequencyInterval", &["timeBased", "everyTime", "unknownFutureValue"]);
pub(super) static SIGN_IN_FREQUENCY_TYPE: GraphEnum = members("signinFrequencyType", &["days", "hours"]);
// "authenticationStrengthPolicy resource type", Graph's beta SDK enums.
pub(super) static AUTHENTICATION_STRENGTH_POLICY_TYPE: GraphEnum =
    members("authenticationStrengthPolicyType", &["builtIn", "custom", "unknownFutureValue"]);
pub(super) static AUTHENTICATION_STRENGTH_REQUIREMENTS: GraphEnum =
    members("authenticationStrengthRequirements", &["none", "mfa", "unknownFutureValue"]);
// "authenticationMethodModes enum type": each allowed combination is a
// comma-separated set of modes ("password,sms"); qrCodePin is evolvable.
pub(super) static AUTHENTICATION_METHOD_MODES: GraphEnum = flags(
    "authenticationMethodModes",
    &[
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
        "unknownFutureValue",
        "qrCodePin",
    ],
);
// "countryNamedLocation resource type", Graph's beta SDK enum.
pub(super) static COUNTRY_LOOKUP_METHOD: GraphEnum =
    members("countryLookupMethodType", &["clientIpAddress", "authenticatorAppGps", "unknownFutureValue"]);
// "compliantNetworkNamedLocation resource type", Graph's beta SDK enum.
pub(super) static COMPLIANT_NETWORK_TYPE: GraphEnum =
    members("compliantNetworkType", &["allTenantCompliantNetworks", "unknownFutureValue"]);
