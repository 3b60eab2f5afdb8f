//! The AADSTS errors casim's requests meet, as a type: each variant knows its
//! number and the `failureReason` Entra writes with it (REFERENCE.md, error
//! codes). Outputs write the number (`Display`, serde), as they did when the
//! codes were plain integers.

use std::fmt;

use serde::{Serialize, Serializer};

/// Declares `ErrorCode` with its numbers and failure reasons from one list,
/// and `ErrorCode::ALL` for the conversions and tests.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal: $reason:literal,)*) => {
        /// An AADSTS error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The number, as `status.errorCode` and `ResultType` write it.
            pub fn code(self) -> u32 {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            /// The `failureReason` Entra writes with this error.
            pub fn failure_reason(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $reason,)*
                }
            }
        }
    };
}

error_codes! {
    /// R-REV-1: a disabled account is blocked at its next request.
    UserDisabled = 50057: "The user account is disabled.",
    /// A browser's background request without a usable session (R-DEF-1).
    NoUserSignedIn = 50058: "A silent sign-in request was sent but no user is signed in.",
    /// R-CA-2: a grant asks for MFA (browser).
    StrongAuthRequired = 50074: "Strong Authentication is required.",
    /// R-CA-2: a grant asks for MFA (native client, through WAM).
    MfaRequiredByPolicyChange = 50076: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
    /// R-ET-1: every-time reauthentication.
    MfaExpired = 50078: "Presented multi-factor authentication has expired due to policies configured by your administrator.",
    /// R-PROMPT-2: the user failed the sign-in (wrong password).
    InvalidCredentials = 50126: "Error validating credentials due to invalid username or password.",
    /// A session ended by expiry or a password change; no request of casim meets it yet.
    SessionInvalidated = 50133: "Session is invalid due to expiration or recent password change.",
    /// R-PB-1: the "Stay signed in?" interrupt.
    KeepMeSignedInInterrupt = 50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
    /// R-REV-1: the sessions were revoked.
    GrantRevoked = 50173: "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
    /// R-CA-2: require a compliant device.
    DeviceNotCompliant = 53000: "Device is not in required device state: compliant.",
    /// R-CA-2: require a hybrid joined device. REFERENCE.md gives no reason
    /// text: the record says "Other.", as for any code casim does not know.
    DeviceNotDomainJoined = 53001: "Other.",
    /// R-CA-2: require an approved client app (no reason text, as 53001).
    ApprovedClientAppRequired = 53002: "Other.",
    /// R-CA-2: block, or grants nobody can satisfy.
    BlockedByConditionalAccess = 53003: "Access has been blocked by Conditional Access policies.",
    /// R-CA-2: require an app protection policy (no reason text, as 53001).
    AppProtectionPolicyRequired = 53005: "Other.",
    /// R-SIF-1, R-DEF-3: a refresh token refused by a sign-in frequency check.
    RefreshTokenSignInFrequency = 70043: "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
    /// R-SIF-1: a browser session refused by a sign-in frequency check.
    SessionSignInFrequency = 70044: "The session has expired or is invalid due to sign-in frequency checks by conditional access.",
    /// R-SIF-2, R-PB-5: a session unused for longer than its idle window.
    RefreshTokenInactive = 700082: "The refresh token has expired due to inactivity.",
    /// R-SPA-2: a single-page app's refresh token reached its fixed 24-hour lifetime.
    SpaRefreshTokenExpired = 700084: "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which can't be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.",
}

impl ErrorCode {
    /// The variant of an AADSTS number, if casim knows it. The policy module
    /// speaks numbers (`GrantOutcome::Blocked`); the engine turns them into
    /// codes here.
    pub fn from_code(code: u32) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// The code of `GrantOutcome::Blocked(code)` (53000, 53001, 53002, 53003,
    /// 53005): `policy::grants` blocks with no other, a test below checks them.
    pub fn of_grant(code: u32) -> ErrorCode {
        ErrorCode::from_code(code).expect("every code a grant blocks with is an ErrorCode")
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// The number, so `"error_code": 70043` in JSON as before.
impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.code())
    }
}

/// `status.failureReason` of a record: empty on success.
pub fn failure_reason(code: Option<ErrorCode>) -> &'static str {
    code.map_or("", ErrorCode::failure_reason)
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn numbers_are_distinct_and_round_trip() {
        for &c in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(c.code()), Some(c));
            assert_eq!(c.to_string(), c.code().to_string());
            assert_eq!(serde_json::to_string(&c).expect("serializes"), c.code().to_string());
            assert!(!c.failure_reason().is_empty());
        }
        assert_eq!(ErrorCode::from_code(0), None);
    }

    /// The codes `policy::grants` blocks with are all known.
    #[test]
    fn every_grant_block_code_is_an_error_code() {
        for code in [53000, 53001, 53002, 53003, 53005] {
            assert!(ErrorCode::from_code(code).is_some(), "{code}");
        }
    }
}
