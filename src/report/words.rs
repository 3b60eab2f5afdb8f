//! The words of the engine's typed causes (`engine::Detail`): the engine
//! says what happened, this file says it in English. The sentences are the
//! ones the engine used to build, so every output reads as before.

use std::fmt;

use crate::engine::outcome::{Detail, Need};

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::Words(words) => f.write_str(words),
            Detail::AccountDisabled => f.write_str("the account is disabled"),
            Detail::PolicyBlocks => f.write_str("a policy blocks access"),
            Detail::GrantNeeds(Need::Mfa) => {
                f.write_str("the grant requires MFA and the session has no valid MFA claim")
            }
            Detail::GrantNeeds(Need::TermsOfUse) => f.write_str("the grant requires accepting terms of use"),
            Detail::GrantNeeds(Need::PasswordChange) => {
                f.write_str("the grant requires a secure password change (user risk), with MFA")
            }
            Detail::EveryTimeFirstSignIn => f.write_str("every time: no full sign-in on this device yet"),
            Detail::WouldNeed(Need::Mfa) => f.write_str("would require MFA"),
            Detail::WouldNeed(Need::TermsOfUse) => f.write_str("would ask to accept terms of use"),
            Detail::WouldNeed(Need::PasswordChange) => f.write_str("would require a secure password change"),
            Detail::WouldReauthenticateEveryTime => {
                f.write_str("would prompt: every-time reauthentication at this token request")
            }
            Detail::WouldBlock(code) => write!(f, "would block access ({code})"),
            Detail::WorkloadBlocked => f.write_str("the policy blocks this workload identity"),
            Detail::WorkloadCannotSatisfy => f.write_str(
                "the policy asks for a grant control a workload identity cannot satisfy, so it blocks the request",
            ),
            Detail::WorkloadIssued { report_only } => {
                f.write_str("no enforced policy blocks this workload identity; the token is issued")?;
                if !report_only.is_empty() {
                    let names: Vec<String> = report_only.iter().map(|n| format!("`{n}`")).collect();
                    write!(f, "; report-only {} would have blocked it", names.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Detail, ErrorCode};

    #[test]
    fn words_read_as_the_engine_wrote_them() {
        let issued = |names: &[&str]| {
            Detail::WorkloadIssued { report_only: names.iter().map(|n| n.to_string()).collect() }.to_string()
        };
        assert_eq!(issued(&[]), "no enforced policy blocks this workload identity; the token is issued");
        assert_eq!(
            issued(&["a", "b"]),
            "no enforced policy blocks this workload identity; the token is issued; report-only `a`, `b` would have blocked it"
        );
        assert_eq!(Detail::WouldBlock(ErrorCode::DeviceNotCompliant).to_string(), "would block access (53000)");
        assert_eq!(Detail::Words("as is".into()).to_string(), "as is");
        assert_eq!(serde_json::to_string(&Detail::AccountDisabled).expect("serializes"), "\"the account is disabled\"");
    }
}
