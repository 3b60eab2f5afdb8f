//! The Microsoft Graph schema of what Conditional Access exports hold: every
//! property Graph defines for `conditionalAccessPolicy` and the types it
//! reaches, for named locations, authentication strengths, authentication
//! contexts and terms of use, with the members of their enums.
//!
//! Strict, and never silent: a property Graph does not define is an error at
//! its key, naming its JSON path and the nearest valid name; an enum value
//! casim does not know is an error listing the known ones; a template
//! placeholder (`"<Break glass group>"`) is an error saying what to fill in.
//! OData annotations, read-only properties, nulls and empty arrays are fine.
//! Keys compare case-insensitively: Graph PowerShell's `ConvertTo-Json` writes
//! `DisplayName`. Values that are not enums (GUIDs, `All`, dates) are checked
//! where they are read, in convert.rs.
//!
//! The tables describe Graph **beta**, which is a superset of v1.0 here except
//! for v1.0's `templateId`, kept too: exports come from either endpoint.
//! Sources, cited per type as [PS-beta], [PS-v1] or by page title:
//! - [PS-beta] "Update-MgBetaIdentityConditionalAccessDeletedItemPolicy"
//!   (Microsoft Graph PowerShell beta reference, 2026-08-01): the whole beta
//!   `conditionalAccessPolicy` tree, generated from Graph's beta metadata.
//! - [PS-v1] "Update-MgIdentityConditionalAccessDeletedItem" (v1.0
//!   reference, 2026-08-14): the v1.0 policy tree and the `namedLocation` base.
//! - [Tutorial] "Configure Microsoft Entra Internet Access using Microsoft
//!   Graph APIs": a beta policy as Graph returns it, with `times` and
//!   `partialEnablementStrategy` (both null; their types are not documented).
//! - Enum members: the "… resource type" pages named at each enum, and the
//!   enums of Graph's generated beta SDKs where a page lists none.
#![cfg_attr(not(test), allow(dead_code))] // until graph::load calls `check` (the convert.rs rewrite)

use crate::error::{ErrorKind, InputError, Pos, did_you_mean};
use crate::policy::json::Value;

use super::walk::Field;

mod enums;

use enums::*;

/// The top-level objects of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GraphType {
    Policy,
    /// `namedLocation` and its derived `ipNamedLocation`,
    /// `countryNamedLocation` and `compliantNetworkNamedLocation`.
    NamedLocation,
    AuthenticationStrengthPolicy,
    AuthenticationContextClassReference,
    /// Terms of use.
    Agreement,
}

const TOP_LEVEL: [(GraphType, &Complex); 5] = [
    (GraphType::Policy, &POLICY),
    (GraphType::NamedLocation, &NAMED_LOCATION),
    (GraphType::AuthenticationStrengthPolicy, &AUTHENTICATION_STRENGTH),
    (GraphType::AuthenticationContextClassReference, &AUTHENTICATION_CONTEXT),
    (GraphType::Agreement, &AGREEMENT),
];

impl GraphType {
    /// The type an `@odata.type` annotation names (`#microsoft.graph.ipNamedLocation`).
    pub(crate) fn from_odata_type(odata: &str) -> Option<GraphType> {
        let name = type_name(odata);
        TOP_LEVEL
            .iter()
            .find(|(_, c)| {
                std::iter::once(*c).chain(c.derived.iter().copied()).any(|t| t.name.eq_ignore_ascii_case(name))
            })
            .map(|(ty, _)| *ty)
    }

    fn complex(self) -> &'static Complex {
        TOP_LEVEL.iter().find(|(ty, _)| *ty == self).map_or(&POLICY, |(_, c)| c)
    }
}

/// Checks `root` as a `ty` object, pushing one error per problem found.
pub(crate) fn check(root: &Field, ty: GraphType, errors: &mut Vec<InputError>) {
    check_value(root, &Ty::Object(ty.complex()), errors);
}

// ---------------------------------------------------------------- the model

/// A Graph complex or entity type. A base type lists the derived types an
/// `@odata.type` annotation may select; their properties add to its own.
struct Complex {
    name: &'static str,
    props: &'static [Prop],
    derived: &'static [&'static Complex],
}

impl Complex {
    const fn new(name: &'static str, props: &'static [Prop]) -> Complex {
        Complex { name, props, derived: &[] }
    }

    const fn base(name: &'static str, props: &'static [Prop], derived: &'static [&'static Complex]) -> Complex {
        Complex { name, props, derived }
    }
}

struct Prop {
    name: &'static str,
    ty: Ty,
    /// A collection of `ty` (documentation only: collections and single
    /// values are checked alike, their shape being convert.rs's business).
    #[allow(dead_code)]
    many: bool,
}

enum Ty {
    /// A string, number, boolean or date; the text says what goes there.
    Value(&'static str),
    Object(&'static Complex),
    Enum(&'static GraphEnum),
    /// Accepted as it is: Graph returns it without documenting its type, or
    /// it is a relationship whose entity is not described here.
    Unchecked,
}

/// A Graph enum. A flags enum holds several members, comma-separated.
struct GraphEnum {
    name: &'static str,
    members: &'static [&'static str],
    flags: bool,
}

const fn value(name: &'static str, what: &'static str) -> Prop {
    Prop { name, ty: Ty::Value(what), many: false }
}
const fn values(name: &'static str, what: &'static str) -> Prop {
    Prop { name, ty: Ty::Value(what), many: true }
}
const fn object(name: &'static str, of: &'static Complex) -> Prop {
    Prop { name, ty: Ty::Object(of), many: false }
}
const fn objects(name: &'static str, of: &'static Complex) -> Prop {
    Prop { name, ty: Ty::Object(of), many: true }
}
const fn one_of(name: &'static str, of: &'static GraphEnum) -> Prop {
    Prop { name, ty: Ty::Enum(of), many: false }
}
const fn some_of(name: &'static str, of: &'static GraphEnum) -> Prop {
    Prop { name, ty: Ty::Enum(of), many: true }
}
const fn unchecked(name: &'static str) -> Prop {
    Prop { name, ty: Ty::Unchecked, many: false }
}

const fn members(name: &'static str, members: &'static [&'static str]) -> GraphEnum {
    GraphEnum { name, members, flags: false }
}
const fn flags(name: &'static str, members: &'static [&'static str]) -> GraphEnum {
    GraphEnum { name, members, flags: true }
}

// What goes in a plain value, for template placeholders.
const DATE: &str = "a date and time such as 2024-01-31T00:00:00Z";
const BOOL: &str = "true or false";
const TEXT: &str = "text";
const NAME: &str = "a display name";
const DURATION: &str = "an ISO 8601 duration such as P90D";

// ------------------------------------------------------ conditionalAccessPolicy

// [PS-beta]; `templateId` is v1.0's [PS-v1]; `partialEnablementStrategy` [Tutorial].
static POLICY: Complex = Complex::new(
    "conditionalAccessPolicy",
    &[
        object("conditions", &CONDITION_SET),
        value("createdDateTime", DATE),
        value("deletedDateTime", DATE),
        value("description", TEXT),
        value("displayName", NAME),
        object("grantControls", &GRANT_CONTROLS),
        value("id", "the policy's object id (a GUID)"),
        value("modifiedDateTime", DATE),
        unchecked("partialEnablementStrategy"),
        object("sessionControls", &SESSION_CONTROLS),
        one_of("state", &POLICY_STATE),
        value("templateId", "the id of the Conditional Access template the policy comes from"),
    ],
);

// [PS-beta], "conditionalAccessConditionSet resource type" (beta); `times` [Tutorial].
static CONDITION_SET: Complex = Complex::new(
    "conditionalAccessConditionSet",
    &[
        one_of("agentIdRiskLevels", &AGENT_ID_RISK_LEVELS),
        object("applications", &APPLICATIONS),
        object("authenticationFlows", &AUTHENTICATION_FLOWS),
        some_of("clientAppTypes", &CLIENT_APP),
        object("clientApplications", &CLIENT_APPLICATIONS),
        object("deviceStates", &DEVICE_STATES),
        object("devices", &DEVICES),
        one_of("insiderRiskLevels", &INSIDER_RISK_LEVELS),
        object("locations", &LOCATIONS),
        object("platforms", &PLATFORMS),
        some_of("servicePrincipalRiskLevels", &RISK_LEVEL),
        some_of("signInRiskLevels", &RISK_LEVEL),
        unchecked("times"),
        some_of("userRiskLevels", &RISK_LEVEL),
        object("users", &USERS),
    ],
);

// [PS-beta], "conditionalAccessApplications resource type" (beta): `globalSecureAccess`
// is deprecated; it and `networkAccess` are types without properties.
static APPLICATIONS: Complex = Complex::new(
    "conditionalAccessApplications",
    &[
        object("applicationFilter", &FILTER),
        values("excludeApplications", "an application (client) id, Office365 or MicrosoftAdminPortals"),
        object("globalSecureAccess", &GLOBAL_SECURE_ACCESS),
        values("includeApplications", "an application (client) id, All, None, Office365 or MicrosoftAdminPortals"),
        values("includeAuthenticationContextClassReferences", "an authentication context id such as c1"),
        values(
            "includeUserActions",
            "urn:user:registersecurityinfo, urn:user:registerdevice or urn:user:accountrecovery",
        ),
        object("networkAccess", &NETWORK_ACCESS),
    ],
);
static GLOBAL_SECURE_ACCESS: Complex = Complex::new("conditionalAccessGlobalSecureAccess", &[]);
static NETWORK_ACCESS: Complex = Complex::new("conditionalAccessNetworkAccess", &[]);

// [PS-beta], [PS-v1].
static AUTHENTICATION_FLOWS: Complex =
    Complex::new("conditionalAccessAuthenticationFlows", &[one_of("transferMethods", &TRANSFER_METHODS)]);

// [PS-beta], "conditionalAccessClientApplications resource type" (beta).
static CLIENT_APPLICATIONS: Complex = Complex::new(
    "conditionalAccessClientApplications",
    &[
        object("agentIdServicePrincipalFilter", &FILTER),
        values("excludeAgentIdServicePrincipals", "an agent identity object id"),
        values("excludeServicePrincipals", "a service principal object id"),
        values("includeAgentIdServicePrincipals", "an agent identity object id"),
        values("includeServicePrincipals", "a service principal object id or ServicePrincipalsInMyTenant"),
        object("servicePrincipalFilter", &FILTER),
    ],
);

// [PS-beta]: deprecated in favour of `devices`, still returned by beta.
static DEVICE_STATES: Complex = Complex::new(
    "conditionalAccessDeviceStates",
    &[values("excludeStates", "Compliant or DomainJoined"), values("includeStates", "All")],
);

// [PS-beta].
static DEVICES: Complex = Complex::new(
    "conditionalAccessDevices",
    &[
        object("deviceFilter", &FILTER),
        values("excludeDeviceStates", "Compliant or DomainJoined"),
        values("excludeDevices", "Compliant or DomainJoined"),
        values("includeDeviceStates", "All"),
        values("includeDevices", "All"),
    ],
);

// [PS-beta].
static LOCATIONS: Complex = Complex::new(
    "conditionalAccessLocations",
    &[
        values("excludeLocations", "a named location id or AllTrusted"),
        values("includeLocations", "a named location id, All or AllTrusted"),
    ],
);

// [PS-beta].
static PLATFORMS: Complex = Complex::new(
    "conditionalAccessPlatforms",
    &[some_of("excludePlatforms", &DEVICE_PLATFORM), some_of("includePlatforms", &DEVICE_PLATFORM)],
);

// [PS-beta].
static USERS: Complex = Complex::new(
    "conditionalAccessUsers",
    &[
        values("excludeGroups", "a group object id (a GUID)"),
        object("excludeGuestsOrExternalUsers", &GUESTS_OR_EXTERNAL_USERS),
        values("excludeRoles", "a directory role template id (a GUID)"),
        values("excludeUsers", "a user object id (a GUID) or GuestsOrExternalUsers"),
        values("includeGroups", "a group object id (a GUID)"),
        object("includeGuestsOrExternalUsers", &GUESTS_OR_EXTERNAL_USERS),
        values("includeRoles", "a directory role template id (a GUID)"),
        values("includeUsers", "a user object id (a GUID), All, None or GuestsOrExternalUsers"),
    ],
);

// [PS-beta].
static GUESTS_OR_EXTERNAL_USERS: Complex = Complex::new(
    "conditionalAccessGuestsOrExternalUsers",
    &[object("externalTenants", &EXTERNAL_TENANTS), one_of("guestOrExternalUserTypes", &GUEST_OR_EXTERNAL_USER_TYPES)],
);

// "conditionalAccessExternalTenants resource type" (abstract),
// "conditionalAccessAllExternalTenants resource type",
// "conditionalAccessEnumeratedExternalTenants resource type".
static EXTERNAL_TENANTS: Complex = Complex::base(
    "conditionalAccessExternalTenants",
    &[one_of("membershipKind", &EXTERNAL_TENANTS_MEMBERSHIP_KIND)],
    &[&ALL_EXTERNAL_TENANTS, &ENUMERATED_EXTERNAL_TENANTS],
);
static ALL_EXTERNAL_TENANTS: Complex = Complex::new("conditionalAccessAllExternalTenants", &[]);
static ENUMERATED_EXTERNAL_TENANTS: Complex =
    Complex::new("conditionalAccessEnumeratedExternalTenants", &[values("members", "an external tenant id (a GUID)")]);

// "conditionalAccessFilter resource type".
static FILTER: Complex = Complex::new(
    "conditionalAccessFilter",
    &[one_of("mode", &FILTER_MODE), value("rule", "a filter rule such as device.isCompliant -eq True")],
);

// [PS-beta].
static GRANT_CONTROLS: Complex = Complex::new(
    "conditionalAccessGrantControls",
    &[
        object("authenticationStrength", &AUTHENTICATION_STRENGTH),
        some_of("builtInControls", &GRANT_CONTROL),
        values("customAuthenticationFactors", "a custom control id"),
        value("operator", "AND or OR"),
        values("termsOfUse", "a terms of use (agreement) id"),
    ],
);

// [PS-beta]: the session controls and what each holds.
static SESSION_CONTROLS: Complex = Complex::new(
    "conditionalAccessSessionControls",
    &[
        object("applicationEnforcedRestrictions", &APPLICATION_ENFORCED_RESTRICTIONS),
        object("cloudAppSecurity", &CLOUD_APP_SECURITY),
        object("continuousAccessEvaluation", &CONTINUOUS_ACCESS_EVALUATION),
        value("disableResilienceDefaults", BOOL),
        object("globalSecureAccessFilteringProfile", &GLOBAL_SECURE_ACCESS_FILTERING_PROFILE),
        object("persistentBrowser", &PERSISTENT_BROWSER),
        object("secureSignInSession", &SECURE_SIGN_IN_SESSION),
        object("signInFrequency", &SIGN_IN_FREQUENCY),
    ],
);
static APPLICATION_ENFORCED_RESTRICTIONS: Complex =
    Complex::new("applicationEnforcedRestrictionsSessionControl", &[value("isEnabled", BOOL)]);
static CLOUD_APP_SECURITY: Complex = Complex::new(
    "cloudAppSecuritySessionControl",
    &[one_of("cloudAppSecurityType", &CLOUD_APP_SECURITY_TYPE), value("isEnabled", BOOL)],
);
// Unlike the other session controls it has no `isEnabled` [PS-beta].
static CONTINUOUS_ACCESS_EVALUATION: Complex =
    Complex::new("continuousAccessEvaluationSessionControl", &[one_of("mode", &CONTINUOUS_ACCESS_EVALUATION_MODE)]);
static GLOBAL_SECURE_ACCESS_FILTERING_PROFILE: Complex = Complex::new(
    "globalSecureAccessFilteringProfileSessionControl",
    &[value("isEnabled", BOOL), value("profileId", "a Global Secure Access filtering profile id")],
);
static PERSISTENT_BROWSER: Complex = Complex::new(
    "persistentBrowserSessionControl",
    &[value("isEnabled", BOOL), one_of("mode", &PERSISTENT_BROWSER_MODE)],
);
static SECURE_SIGN_IN_SESSION: Complex = Complex::new("secureSignInSessionControl", &[value("isEnabled", BOOL)]);
static SIGN_IN_FREQUENCY: Complex = Complex::new(
    "signInFrequencySessionControl",
    &[
        one_of("authenticationType", &SIGN_IN_FREQUENCY_AUTHENTICATION_TYPE),
        one_of("frequencyInterval", &SIGN_IN_FREQUENCY_INTERVAL),
        value("isEnabled", BOOL),
        one_of("type", &SIGN_IN_FREQUENCY_TYPE),
        value("value", "a number of hours or days"),
    ],
);

// ------------------------------------------------ objects exported next to policies

// [PS-beta] (embedded in grant controls), "authenticationStrengthPolicy resource type".
static AUTHENTICATION_STRENGTH: Complex = Complex::new(
    "authenticationStrengthPolicy",
    &[
        some_of("allowedCombinations", &AUTHENTICATION_METHOD_MODES),
        objects("combinationConfigurations", &COMBINATION_CONFIGURATION),
        value("createdDateTime", DATE),
        value("description", TEXT),
        value("displayName", NAME),
        value("id", "an authentication strength id (a GUID)"),
        value("modifiedDateTime", DATE),
        one_of("policyType", &AUTHENTICATION_STRENGTH_POLICY_TYPE),
        one_of("requirementsSatisfied", &AUTHENTICATION_STRENGTH_REQUIREMENTS),
    ],
);

// "authenticationCombinationConfiguration resource type" (abstract),
// "fido2CombinationConfiguration resource type",
// "x509CertificateCombinationConfiguration resource type".
static COMBINATION_CONFIGURATION: Complex = Complex::base(
    "authenticationCombinationConfiguration",
    &[some_of("appliesToCombinations", &AUTHENTICATION_METHOD_MODES), value("id", "the configuration's id")],
    &[&FIDO2_COMBINATION_CONFIGURATION, &X509_COMBINATION_CONFIGURATION],
);
static FIDO2_COMBINATION_CONFIGURATION: Complex =
    Complex::new("fido2CombinationConfiguration", &[values("allowedAAGUIDs", "a FIDO2 authenticator AAGUID")]);
static X509_COMBINATION_CONFIGURATION: Complex = Complex::new(
    "x509CertificateCombinationConfiguration",
    &[
        values("allowedIssuerSkis", "a certificate issuer's subject key identifier"),
        values("allowedPolicyOIDs", "a certificate policy OID"),
    ],
);

// [PS-v1] (base properties), "ipNamedLocation resource type",
// "countryNamedLocation resource type", "compliantNetworkNamedLocation resource type" (beta).
static NAMED_LOCATION: Complex = Complex::base(
    "namedLocation",
    &[
        value("createdDateTime", DATE),
        value("deletedDateTime", DATE),
        value("displayName", NAME),
        value("id", "the named location's id (a GUID)"),
        value("modifiedDateTime", DATE),
    ],
    &[&IP_NAMED_LOCATION, &COUNTRY_NAMED_LOCATION, &COMPLIANT_NETWORK_NAMED_LOCATION],
);
static IP_NAMED_LOCATION: Complex =
    Complex::new("ipNamedLocation", &[objects("ipRanges", &IP_RANGE), value("isTrusted", BOOL)]);
static COUNTRY_NAMED_LOCATION: Complex = Complex::new(
    "countryNamedLocation",
    &[
        values("countriesAndRegions", "a two-letter country or region code"),
        one_of("countryLookupMethod", &COUNTRY_LOOKUP_METHOD),
        value("includeUnknownCountriesAndRegions", BOOL),
    ],
);
static COMPLIANT_NETWORK_NAMED_LOCATION: Complex = Complex::new(
    "compliantNetworkNamedLocation",
    &[one_of("compliantNetworkType", &COMPLIANT_NETWORK_TYPE), value("isTrusted", BOOL)],
);

// "ipRange resource type" (abstract), "iPv4CidrRange resource type",
// "iPv6CidrRange resource type"; iPv4Range and iPv6Range from Graph's OpenAPI
// description (`lowerAddress`, `upperAddress`).
static IP_RANGE: Complex =
    Complex::base("ipRange", &[], &[&IPV4_CIDR_RANGE, &IPV6_CIDR_RANGE, &IPV4_RANGE, &IPV6_RANGE]);
static IPV4_CIDR_RANGE: Complex =
    Complex::new("iPv4CidrRange", &[value("cidrAddress", "an IPv4 range in CIDR notation such as 203.0.113.0/24")]);
static IPV6_CIDR_RANGE: Complex =
    Complex::new("iPv6CidrRange", &[value("cidrAddress", "an IPv6 range in CIDR notation such as 2001:db8::/32")]);
static IPV4_RANGE: Complex = Complex::new(
    "iPv4Range",
    &[value("lowerAddress", "the first IPv4 address"), value("upperAddress", "the last IPv4 address")],
);
static IPV6_RANGE: Complex = Complex::new(
    "iPv6Range",
    &[value("lowerAddress", "the first IPv6 address"), value("upperAddress", "the last IPv6 address")],
);

// "authenticationContextClassReference resource type".
static AUTHENTICATION_CONTEXT: Complex = Complex::new(
    "authenticationContextClassReference",
    &[
        value("description", TEXT),
        value("displayName", NAME),
        value("id", "an authentication context id such as c1"),
        value("isAvailable", BOOL),
    ],
);

// "agreement resource type" (beta): properties, and the relationships an
// expanded export may carry; "termsExpiration resource type".
static AGREEMENT: Complex = Complex::new(
    "agreement",
    &[
        unchecked("acceptances"),
        value("displayName", NAME),
        unchecked("file"),
        unchecked("files"),
        value("id", "the agreement's id (a GUID)"),
        value("isPerDeviceAcceptanceRequired", BOOL),
        value("isViewingBeforeAcceptanceRequired", BOOL),
        object("termsExpiration", &TERMS_EXPIRATION),
        value("userReacceptRequiredFrequency", DURATION),
    ],
);
static TERMS_EXPIRATION: Complex =
    Complex::new("termsExpiration", &[value("frequency", DURATION), value("startDateTime", DATE)]);

// ------------------------------------------------------------------ the walk

fn check_value(f: &Field, ty: &Ty, errors: &mut Vec<InputError>) {
    match &f.node.value {
        Value::String(text) => check_text(f, text, ty, errors),
        Value::Array(_) => {
            for item in f.elements().unwrap_or_default() {
                check_value(&item, ty, errors);
            }
        }
        Value::Object(_) => match ty {
            Ty::Object(complex) => check_members(f, &Shape::of(f, complex), errors),
            // Not ours to judge; placeholders are still worth reporting.
            _ => {
                for (key, member) in f.members() {
                    if !is_annotation(key) {
                        check_value(&member, &Ty::Unchecked, errors);
                    }
                }
            }
        },
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The property IntuneManagement adds to a policy: the named locations it uses.
pub(super) const LOCATION_INFO: &str = "LocationInfo";

fn check_members(f: &Field, shape: &Shape, errors: &mut Vec<InputError>) {
    for (key, member) in f.members() {
        if is_annotation(key) {
            continue;
        }
        if key.eq_ignore_ascii_case("AdditionalProperties") {
            // Graph PowerShell objects park what their class lacks here
            // (usually `{}`): the members belong to the object itself.
            if member.is_object() {
                check_members(&member, shape, errors);
            } else {
                check_value(&member, &Ty::Unchecked, errors);
            }
            continue;
        }
        if shape.name == "conditionalAccessPolicy" && key == LOCATION_INFO {
            continue; // IntuneManagement's copy of named locations, read and checked as such
        }
        match shape.prop(key) {
            Some(prop) => check_value(&member, &prop.ty, errors),
            // Graph's beta responses carry properties its pages do not
            // document yet (`conditions.agents`, `clients`, …) as `null`: a
            // null sets no condition, so reading past it widens nothing.
            None if member.node.is_null() => {}
            None => {
                errors.push(shape.unknown(&member, key));
                check_value(&member, &Ty::Unchecked, errors);
            }
        }
    }
}

/// `@odata.*` and other `@` annotations, `includeUsers@odata.type`, and
/// `#microsoft.graph.*` action links.
fn is_annotation(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with('@') || key.contains("@odata.") || key.starts_with("#microsoft.graph.")
}

/// The properties an object may have: its type's and, for a base type, those
/// of the derived type its `@odata.type` names, or of every derived type when
/// it names none (exports often drop the annotation).
struct Shape {
    name: &'static str,
    props: Vec<&'static Prop>,
}

impl Shape {
    fn of(f: &Field, complex: &'static Complex) -> Shape {
        let named =
            odata_type(f).and_then(|t| complex.derived.iter().copied().find(|d| d.name.eq_ignore_ascii_case(t)));
        let derived = match named {
            Some(d) => vec![d],
            None => complex.derived.to_vec(),
        };
        let props = complex.props.iter().chain(derived.iter().flat_map(|d| d.props.iter())).collect();
        Shape { name: named.map_or(complex.name, |d| d.name), props }
    }

    fn prop(&self, key: &str) -> Option<&'static Prop> {
        self.props.iter().copied().find(|p| p.name.eq_ignore_ascii_case(key))
    }

    /// The error for `key`, at the key, with the nearest known name.
    fn unknown(&self, member: &Field, key: &str) -> InputError {
        let mut known: Vec<&str> = self.props.iter().map(|p| p.name).collect();
        known.sort_unstable_by_key(|name| name.to_ascii_lowercase());
        known.dedup();
        let message = if known.is_empty() {
            format!("`{key}` is not a property of {}, which has none", self.name)
        } else {
            format!("`{key}` is not a property of {}; known: {}", self.name, known.join(", "))
        };
        at_key(member, message)
            .with_help(did_you_mean(key, known.iter().copied()))
            .with_kind(ErrorKind::Unknown { what: format!("property of {}", self.name), name: key.to_string() })
    }
}

/// The `@odata.type` of an object, also where Graph PowerShell puts it (in
/// `AdditionalProperties`), without its namespace.
fn odata_type<'a>(f: &Field<'a>) -> Option<&'a str> {
    let here = f.node.get("@odata.type");
    let parked = f.node.get("AdditionalProperties").and_then(|a| a.get("@odata.type"));
    here.or(parked).and_then(|n| n.as_str()).map(type_name)
}

fn type_name(odata: &str) -> &str {
    odata.rsplit('.').next().unwrap_or(odata).trim_start_matches('#')
}

fn at_key(f: &Field, message: String) -> InputError {
    match f.node.key {
        Some((line, column)) => {
            InputError::new(f.file, Some(Pos { line, column }), format!("{}: {message}", f.path)).with_source(f.text)
        }
        None => f.error(message),
    }
}

fn check_text(f: &Field, text: &str, ty: &Ty, errors: &mut Vec<InputError>) {
    let holes = placeholders(text);
    if !holes.is_empty() {
        for (at, hole) in holes {
            let message = format!("this file is a template: fill the placeholder `{hole}` with {}", wanted(ty));
            errors.push(f.error_at(at + 1, message).with_kind(ErrorKind::Template));
        }
        return;
    }
    if let Ty::Enum(graph_enum) = ty {
        check_enum(f, text, graph_enum, errors);
    }
}

/// What a value of `ty` is, for the placeholder message.
fn wanted(ty: &Ty) -> String {
    match ty {
        Ty::Value(what) => (*what).to_string(),
        Ty::Object(complex) => format!("a {} object", complex.name),
        Ty::Enum(graph_enum) => format!("one of {}", graph_enum.members.join(", ")),
        Ty::Unchecked => "a real value".to_string(),
    }
}

/// The `<…>` placeholders in `text`, with their offsets in characters: a `<`
/// and a letter, then anything but angle brackets and newlines up to `>`.
fn placeholders(text: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let opens = chars[at] == '<' && chars.get(at + 1).is_some_and(|c| c.is_alphabetic());
        // Only scanned from an opening `<`, and only to the next `<`: linear in the text.
        let len = opens.then(|| chars[at + 1..].iter().position(|c| matches!(c, '<' | '>' | '\n'))).flatten();
        match len {
            Some(len) if chars[at + 1 + len] == '>' => {
                found.push((at, chars[at..at + len + 2].iter().collect()));
                at += len + 2;
            }
            _ => at += 1,
        }
    }
    found
}

/// An empty string is no value, like null; a flags enum's parts are checked
/// one by one, each error pointing at its part.
fn check_enum(f: &Field, text: &str, graph_enum: &GraphEnum, errors: &mut Vec<InputError>) {
    let parts = if graph_enum.flags { split_flags(text) } else { vec![(0, text.trim())] };
    for (at, part) in parts.into_iter().filter(|(_, p)| !p.is_empty()) {
        if graph_enum.members.iter().any(|m| m.eq_ignore_ascii_case(part)) {
            continue;
        }
        let several = if graph_enum.flags { " (comma-separated)" } else { "" };
        let message =
            format!("`{part}` is not a {} value; known{several}: {}", graph_enum.name, graph_enum.members.join(", "));
        let help = did_you_mean(part, graph_enum.members.iter().copied());
        let kind = ErrorKind::Unknown { what: format!("{} value", graph_enum.name), name: part.to_string() };
        errors.push(f.error_at(at + 1, message).with_help(help).with_kind(kind));
    }
}

/// The comma-separated parts of `text`, trimmed, with their offsets in characters.
fn split_flags(text: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for part in text.split(',') {
        let leading = part.chars().take_while(|c| c.is_whitespace()).count();
        parts.push((start + leading, part.trim()));
        start += part.chars().count() + 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::policy::json;

    /// The errors `check` finds in `text` read as a `ty`.
    fn problems(text: &str, ty: GraphType) -> Vec<InputError> {
        let node = json::parse(text).expect("valid JSON");
        let root = Field::root(Path::new("export.json"), text, &node);
        let mut errors = Vec::new();
        check(&root, ty, &mut errors);
        errors
    }

    fn policy_problems(text: &str) -> Vec<InputError> {
        problems(text, GraphType::Policy)
    }

    /// Where `needle` starts in `text` (1-based line and column).
    fn pos_of(text: &str, needle: &str) -> Pos {
        let offset = text.find(needle).expect("needle in text");
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or(before).chars().count() + 1;
        Pos { line, column }
    }

    fn messages(errors: &[InputError]) -> Vec<String> {
        errors.iter().map(|e| e.message.clone()).collect()
    }

    /// Every property of the beta policy tree, written from Graph's documented shapes.
    const FULL_POLICY: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies/$entity",
  "id": "0b8e6f4c-1d2a-4c3b-9e8f-7a6b5c4d3e2f",
  "templateId": null,
  "displayName": "CA001 Require MFA",
  "description": "Everyone, every app",
  "createdDateTime": "2024-01-31T00:00:00Z",
  "modifiedDateTime": "2024-02-01T00:00:00Z",
  "deletedDateTime": null,
  "state": "enabledForReportingButNotEnforced",
  "partialEnablementStrategy": null,
  "conditions": {
    "agentIdRiskLevels": "medium,high",
    "insiderRiskLevels": "moderate, elevated",
    "userRiskLevels": ["high"],
    "signInRiskLevels": ["low", "medium"],
    "servicePrincipalRiskLevels": [],
    "clientAppTypes": ["browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"],
    "times": null,
    "deviceStates": {"includeStates": ["All"], "excludeStates": ["Compliant"]},
    "applications": {
      "includeApplications": ["All"],
      "excludeApplications": ["Office365"],
      "includeUserActions": [],
      "includeAuthenticationContextClassReferences": ["c1"],
      "applicationFilter": {"mode": "exclude", "rule": "CustomSecurityAttribute.Set_Name -eq \"x\""},
      "globalSecureAccess": null,
      "networkAccess": {}
    },
    "authenticationFlows": {"transferMethods": "deviceCodeFlow,authenticationTransfer"},
    "users": {
      "includeUsers": ["All"],
      "excludeUsers": ["GuestsOrExternalUsers"],
      "includeGroups": [],
      "excludeGroups": ["5f1c7e2a-0000-4000-8000-000000000001"],
      "includeRoles": [],
      "excludeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
      "includeGuestsOrExternalUsers": {
        "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest,serviceProvider",
        "externalTenants": {
          "@odata.type": "#microsoft.graph.conditionalAccessEnumeratedExternalTenants",
          "membershipKind": "enumerated",
          "members": ["9a1b2c3d-0000-4000-8000-000000000002"]
        }
      },
      "excludeGuestsOrExternalUsers": {
        "guestOrExternalUserTypes": "b2bDirectConnectUser",
        "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all"}
      }
    },
    "clientApplications": {
      "includeServicePrincipals": ["ServicePrincipalsInMyTenant"],
      "excludeServicePrincipals": [],
      "servicePrincipalFilter": {"mode": "include", "rule": "CustomSecurityAttribute.Set_Name -eq \"y\""},
      "includeAgentIdServicePrincipals": [],
      "excludeAgentIdServicePrincipals": [],
      "agentIdServicePrincipalFilter": null
    },
    "platforms": {"includePlatforms": ["all"], "excludePlatforms": ["iOS", "linux"]},
    "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
    "devices": {
      "includeDevices": [],
      "excludeDevices": [],
      "includeDeviceStates": [],
      "excludeDeviceStates": [],
      "deviceFilter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}
    }
  },
  "grantControls": {
    "operator": "OR",
    "builtInControls": ["mfa", "compliantDevice", "riskRemediation"],
    "customAuthenticationFactors": [],
    "termsOfUse": ["7c3e1f0a-0000-4000-8000-000000000003"],
    "authenticationStrength@odata.context": "https://graph.microsoft.com/beta/$metadata#authenticationStrength",
    "authenticationStrength": {
      "id": "00000000-0000-0000-0000-000000000004",
      "createdDateTime": "2021-12-01T00:00:00Z",
      "modifiedDateTime": "2021-12-01T00:00:00Z",
      "displayName": "Phishing-resistant MFA",
      "description": "Phishing-resistant, Passwordless methods for the strongest authentication",
      "policyType": "builtIn",
      "requirementsSatisfied": "mfa",
      "allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "password,hardwareOath"],
      "combinationConfigurations": [
        {"@odata.type": "#microsoft.graph.fido2CombinationConfiguration", "id": "a", "appliesToCombinations": ["fido2"], "allowedAAGUIDs": []},
        {"@odata.type": "#microsoft.graph.x509CertificateCombinationConfiguration", "id": "b",
         "appliesToCombinations": ["x509CertificateMultiFactor"], "allowedIssuerSkis": [], "allowedPolicyOIDs": ["1.2.3.4"]}
      ]
    }
  },
  "sessionControls": {
    "disableResilienceDefaults": false,
    "applicationEnforcedRestrictions": {"isEnabled": true},
    "cloudAppSecurity": {"isEnabled": true, "cloudAppSecurityType": "monitorOnly"},
    "continuousAccessEvaluation": {"mode": "strictLocation"},
    "persistentBrowser": {"isEnabled": true, "mode": "never"},
    "secureSignInSession": {"isEnabled": false},
    "globalSecureAccessFilteringProfile": {"isEnabled": true, "profileId": "d1e2f3a4-0000-4000-8000-000000000005"},
    "signInFrequency": {
      "isEnabled": true,
      "value": 4,
      "type": "hours",
      "authenticationType": "primaryAndSecondaryAuthentication",
      "frequencyInterval": "timeBased"
    }
  }
}"##;

    #[test]
    fn a_policy_using_every_beta_property_passes() {
        let errors = policy_problems(FULL_POLICY);
        assert!(errors.is_empty(), "{:#?}", messages(&errors));
    }

    #[test]
    fn the_full_policy_fixture_uses_every_property_of_the_tree() {
        fn names(complex: &'static Complex, out: &mut Vec<&'static str>) {
            for c in std::iter::once(complex).chain(complex.derived.iter().copied()) {
                for prop in c.props {
                    out.push(prop.name);
                    if let Ty::Object(inner) = prop.ty {
                        names(inner, out);
                    }
                }
            }
        }
        let mut all = Vec::new();
        names(&POLICY, &mut all);
        let missing: Vec<_> = all.iter().filter(|n| !FULL_POLICY.contains(&format!("\"{n}\""))).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn the_objects_next_to_policies_pass() {
        let ip = r##"{"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "1", "displayName": "HQ",
            "createdDateTime": null, "modifiedDateTime": null, "isTrusted": true,
            "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"},
                         {"@odata.type": "#microsoft.graph.iPv6CidrRange", "cidrAddress": "2001:db8::/32"}]}"##;
        let country = r##"{"@odata.type": "#microsoft.graph.countryNamedLocation", "id": "2", "displayName": "EU",
            "countriesAndRegions": ["FR", "DE"], "includeUnknownCountriesAndRegions": false,
            "countryLookupMethod": "authenticatorAppGps"}"##;
        let compliant = r##"{"@odata.type": "#microsoft.graph.compliantNetworkNamedLocation", "id": "3",
            "displayName": "All Compliant Network Locations", "compliantNetworkType": "allTenantCompliantNetworks",
            "isTrusted": false}"##;
        let untyped = r##"{"id": "4", "displayName": "Old export", "ipRanges": [{"cidrAddress": "198.51.100.0/24"}]}"##;
        for text in [ip, country, compliant, untyped] {
            let errors = problems(text, GraphType::NamedLocation);
            assert!(errors.is_empty(), "{text}: {:#?}", messages(&errors));
        }
        let context = r##"{"id": "c1", "displayName": "Sensitive", "description": "Step-up", "isAvailable": true}"##;
        assert!(problems(context, GraphType::AuthenticationContextClassReference).is_empty());
        let agreement = r##"{"id": "5", "displayName": "Terms", "isViewingBeforeAcceptanceRequired": true,
            "isPerDeviceAcceptanceRequired": false, "userReacceptRequiredFrequency": "P90D",
            "termsExpiration": {"startDateTime": "2024-01-01T00:00:00Z", "frequency": "P365D"}, "files": []}"##;
        assert!(problems(agreement, GraphType::Agreement).is_empty());
        let strength = r##"{"id": "6", "displayName": "Custom", "policyType": "custom", "requirementsSatisfied": "mfa",
            "allowedCombinations": ["password, sms", "qrCodePin"], "combinationConfigurations": []}"##;
        assert!(problems(strength, GraphType::AuthenticationStrengthPolicy).is_empty());
    }

    #[test]
    fn a_misspelled_property_is_an_error_at_its_key_with_the_nearest_name() {
        let text = FULL_POLICY
            .replace("\"displayName\": \"CA001", "\"displayNam\": \"CA001")
            .replace("\"excludeGroups\"", "\"excludeGroup\"")
            .replace("\"signInFrequency\": {", "\"signInFrequncy\": {")
            .replace("\"cloudAppSecurityType\"", "\"cloudAppSecurityTyp\"");
        let errors = policy_problems(&text);
        let expected = [
            ("$.displayNam", "\"displayNam\"", "displayName"),
            ("$.conditions.users.excludeGroup", "\"excludeGroup\"", "excludeGroups"),
            (
                "$.sessionControls.cloudAppSecurity.cloudAppSecurityTyp",
                "\"cloudAppSecurityTyp\"",
                "cloudAppSecurityType",
            ),
            ("$.sessionControls.signInFrequncy", "\"signInFrequncy\"", "signInFrequency"),
        ];
        assert_eq!(errors.len(), expected.len(), "{:#?}", messages(&errors));
        for (error, (path, key, suggestion)) in errors.iter().zip(expected) {
            assert!(error.message.starts_with(&format!("{path}: `")), "{}", error.message);
            assert_eq!(error.pos, Some(pos_of(&text, key)), "{}", error.message);
            assert_eq!(error.help.as_deref(), Some(format!("did you mean `{suggestion}`?").as_str()));
            assert_eq!(error.path, "export.json");
        }
        assert_eq!(
            errors[3].message,
            "$.sessionControls.signInFrequncy: `signInFrequncy` is not a property of conditionalAccessSessionControls; \
             known: applicationEnforcedRestrictions, cloudAppSecurity, continuousAccessEvaluation, \
             disableResilienceDefaults, globalSecureAccessFilteringProfile, persistentBrowser, secureSignInSession, \
             signInFrequency"
        );
        let rendered = errors[3].render();
        assert!(rendered.contains("\"signInFrequncy\": {"), "{rendered}");
    }

    #[test]
    fn pascal_case_keys_and_powershell_additional_properties_pass() {
        let text = r##"{
  "Id": "0b8e6f4c-1d2a-4c3b-9e8f-7a6b5c4d3e2f",
  "DisplayName": "CA002",
  "State": "Enabled",
  "Conditions": {
    "Applications": {"IncludeApplications": ["All"], "AdditionalProperties": {}},
    "Users": {"IncludeUsers": ["All"], "ExcludeGroups": [], "AdditionalProperties": {}},
    "ClientAppTypes": ["All"],
    "InsiderRiskLevels": null,
    "AdditionalProperties": {"agentIdRiskLevels": "high"}
  },
  "GrantControls": {"Operator": "OR", "BuiltInControls": ["Mfa"], "AdditionalProperties": {}},
  "SessionControls": null,
  "AdditionalProperties": {}
}"##;
        let errors = policy_problems(text);
        assert!(errors.is_empty(), "{:#?}", messages(&errors));
        let typo = text.replace("{\"agentIdRiskLevels\": \"high\"}", "{\"agentIdRiskLevel\": \"high\"}");
        let errors = policy_problems(&typo);
        assert_eq!(messages(&errors).len(), 1, "{:#?}", messages(&errors));
        assert!(errors[0].message.starts_with("$.Conditions.AdditionalProperties.agentIdRiskLevel: "));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `agentIdRiskLevels`?"));
    }

    #[test]
    fn annotations_and_action_links_pass() {
        let text = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies/$entity",
  "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
  "@microsoft.graph.tips": "anything",
  "#microsoft.graph.restore": {"title": "restore", "target": "https://example.invalid/restore"},
  "conditions": {
    "users": {"includeUsers@odata.type": "#Collection(String)", "includeUsers": ["All"]},
    "clientAppTypes@odata.type": "#Collection(microsoft.graph.conditionalAccessClientApp)",
    "clientAppTypes": ["all"]
  },
  "state": "disabled"
}"##;
        let errors = policy_problems(text);
        assert!(errors.is_empty(), "{:#?}", messages(&errors));
    }

    #[test]
    fn an_unknown_enum_value_names_the_known_ones() {
        let text = r##"{"state": "enabld", "conditions": {"clientAppTypes": ["all", "browsr"]}}"##;
        let errors = policy_problems(text);
        assert_eq!(errors.len(), 2, "{:#?}", messages(&errors));
        assert_eq!(
            errors[0].message,
            "$.state: `enabld` is not a conditionalAccessPolicyState value; \
             known: enabled, disabled, enabledForReportingButNotEnforced"
        );
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `enabled`?"));
        assert_eq!(errors[0].pos, Some(pos_of(text, "enabld")));
        assert!(errors[1].message.starts_with(
            "$.conditions.clientAppTypes[1]: `browsr` is not a conditionalAccessClientApp value; known: all, browser,"
        ));
        assert_eq!(errors[1].help.as_deref(), Some("did you mean `browser`?"));
        // unknownFutureValue is a member, case does not matter, an empty string is no value.
        let fine = r##"{"state": "ENABLED", "conditions": {"clientAppTypes": ["unknownFutureValue"], "insiderRiskLevels": ""}}"##;
        assert!(policy_problems(fine).is_empty());
    }

    #[test]
    fn flags_enums_are_checked_part_by_part() {
        let text = r##"{"conditions": {
  "users": {"includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "internalGuest,b2bColaborationGuest"}},
  "insiderRiskLevels": "minor, moderat",
  "agentIdRiskLevels": "high"
}}"##;
        let errors = policy_problems(text);
        assert_eq!(errors.len(), 2, "{:#?}", messages(&errors));
        assert!(errors[0].message.contains(
            "`b2bColaborationGuest` is not a conditionalAccessGuestOrExternalUserTypes value; known (comma-separated): none, internalGuest,"
        ));
        assert_eq!(errors[0].pos, Some(pos_of(text, "b2bColaborationGuest")));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `b2bCollaborationGuest`?"));
        assert!(errors[1].message.starts_with("$.conditions.insiderRiskLevels: `moderat` is not"));
        assert_eq!(errors[1].pos, Some(pos_of(text, "moderat")));
    }

    #[test]
    fn placeholders_say_the_file_is_a_template_and_what_goes_there() {
        let text = r##"{
  "displayName": "CA001 - <Tenant name> - Block legacy authentication",
  "state": "<state>",
  "conditions": {
    "users": {"includeUsers": ["All"], "excludeGroups": ["<Break glass group object id>"]},
    "notAProperty": {"deep": ["<Anything>"]}
  }
}"##;
        let errors = policy_problems(text);
        let found = messages(&errors);
        assert_eq!(found.len(), 5, "{found:#?}");
        assert_eq!(
            found[0],
            "$.displayName: this file is a template: fill the placeholder `<Tenant name>` with a display name"
        );
        assert_eq!(errors[0].pos, Some(pos_of(text, "<Tenant name>")));
        assert_eq!(
            found[1],
            "$.state: this file is a template: fill the placeholder `<state>` with one of \
             enabled, disabled, enabledForReportingButNotEnforced"
        );
        assert_eq!(
            found[2],
            "$.conditions.users.excludeGroups[0]: this file is a template: fill the placeholder \
             `<Break glass group object id>` with a group object id (a GUID)"
        );
        assert!(found[3].starts_with("$.conditions.notAProperty: `notAProperty` is not a property"), "{}", found[3]);
        assert_eq!(
            found[4],
            "$.conditions.notAProperty.deep[0]: this file is a template: fill the placeholder `<Anything>` with a real value"
        );
        // Comparisons in filter rules are not placeholders.
        assert!(placeholders("device.extensionAttribute1 -eq \"a<b\" or x < y > z").is_empty());
    }

    #[test]
    fn several_problems_in_one_document_are_all_reported() {
        let text = r##"[{"displayNam": "a", "state": "on"}, {"sessionControls": {"signInFrequency": {"type": "weeks", "valeu": 2}}}]"##;
        let node = json::parse(text).expect("valid");
        let root = Field::root(Path::new("export.json"), text, &node);
        let mut errors = Vec::new();
        for item in root.elements().expect("array") {
            check(&item, GraphType::Policy, &mut errors);
        }
        let found = messages(&errors);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("$[0].displayNam: "));
        assert!(found[1].starts_with("$[0].state: `on` is not"));
        assert!(
            found[2]
                .starts_with("$[1].sessionControls.signInFrequency.type: `weeks` is not a signinFrequencyType value")
        );
        assert!(found[3].starts_with("$[1].sessionControls.signInFrequency.valeu: "));
    }

    #[test]
    fn odata_type_selects_the_properties_of_a_derived_type() {
        let all_tenants = r##"{"conditions": {"users": {"includeGuestsOrExternalUsers": {"externalTenants": {
            "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all", "members": []}}}}}"##;
        let errors = policy_problems(all_tenants);
        assert_eq!(errors.len(), 1, "{:#?}", messages(&errors));
        assert!(errors[0].message.contains("`members` is not a property of conditionalAccessAllExternalTenants"));
        let ip_with_countries =
            r##"{"@odata.type": "#microsoft.graph.ipNamedLocation", "countriesAndRegions": ["FR"]}"##;
        let errors = problems(ip_with_countries, GraphType::NamedLocation);
        assert_eq!(errors.len(), 1, "{:#?}", messages(&errors));
        assert!(
            errors[0]
                .message
                .contains("`countriesAndRegions` is not a property of ipNamedLocation; known: createdDateTime")
        );
        let empty_type = r##"{"conditions": {"applications": {"networkAccess": {"mode": "x"}}}}"##;
        let found = messages(&policy_problems(empty_type));
        assert_eq!(
            found,
            [
                "$.conditions.applications.networkAccess.mode: `mode` is not a property of conditionalAccessNetworkAccess, which has none"
            ]
        );
    }

    #[test]
    fn nulls_and_empty_arrays_are_fine_anywhere() {
        let text = r##"{"id": null, "state": null, "conditions": {"users": null, "clientAppTypes": [], "platforms":
            {"includePlatforms": [], "excludePlatforms": null}}, "grantControls": {"builtInControls": []},
            "sessionControls": {"signInFrequency": null}}"##;
        assert!(policy_problems(text).is_empty());
    }

    #[test]
    fn odata_type_names_the_top_level_type() {
        assert_eq!(GraphType::from_odata_type("#microsoft.graph.ipNamedLocation"), Some(GraphType::NamedLocation));
        assert_eq!(GraphType::from_odata_type("microsoft.graph.conditionalAccessPolicy"), Some(GraphType::Policy));
        assert_eq!(GraphType::from_odata_type("#microsoft.graph.agreement"), Some(GraphType::Agreement));
        assert_eq!(GraphType::from_odata_type("#microsoft.graph.user"), None);
    }
}
