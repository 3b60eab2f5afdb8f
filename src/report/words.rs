//! The words of the engine's typed causes (`engine::Detail`): the engine
//! says what happened, this file says it in English. The sentences are the
//! ones the engine used to build, so every output reads as before.

use std::fmt;

use crate::engine::outcome::{Detail, Need, SifExceeded};
use crate::time;

impl fmt::Display for Detail {
    // Long: one arm per cause, each a sentence; splitting them would scatter the words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::SifExceeded(s) => sif_exceeded(f, s),
            Detail::GrantUnmet { grant, facts } => f.write_str(&grant.block_detail(*facts)),
            Detail::Revoked { at, start, cause } => {
                write!(f, "session revoked at {}: {cause}", time::Relative(*at, *start))
            }
            Detail::BrowserClosed { at, start } => write!(
                f,
                "the browser was closed at {} and its session cookie was not persistent",
                time::Relative(*at, *start)
            ),
            Detail::NoSession { app, client, no_prt_sso } => {
                write!(f, "no session yet for {app} in the {}", client.words())?;
                match no_prt_sso {
                    Some(browser) => write!(f, " ({browser} does not do PRT single sign-on)"),
                    None => Ok(()),
                }
            }
            Detail::EveryTimeAgain { last, start, skew } => write!(
                f,
                "every time: last full sign-in on this device at {} is more than {} ago",
                time::Relative(*last, *start),
                time::Duration(*skew)
            ),
            Detail::WouldReauthenticate { sif, last, start } => write!(
                f,
                "would prompt: sign-in frequency {} exceeded (last sign-in {})",
                time::Duration(*sif),
                time::Relative(*last, *start)
            ),
            Detail::DeferredToInteraction(due) => write!(f, "{due}; deferred until the next user interaction"),
            Detail::DeferredConfidential { sif, last, start } => {
                match sif {
                    Some(sif) => write!(f, "sign-in frequency {} reached", time::Duration(*sif))?,
                    None => f.write_str("every-time reauthentication due")?,
                }
                write!(
                    f,
                    " (last sign-in {}) but not enforced on the confidential client's non-interactive sign-ins until its next interactive sign-in",
                    time::Relative(*last, *start)
                )
            }
            Detail::ExtendedInOutage { sif, last, until, start } => {
                match sif {
                    Some(sif) => write!(f, "sign-in frequency {} reached", time::Duration(*sif))?,
                    None => f.write_str("every-time reauthentication due")?,
                }
                write!(
                    f,
                    " (last sign-in {}) but the session is extended by the Backup Authentication Service during the Entra outage until {}",
                    time::Relative(*last, *start),
                    time::Relative(*until, *start)
                )
            }
            Detail::OutageBlocks => {
                f.write_str("the policy disables resilience defaults: its sign-ins are blocked during an Entra outage")
            }
            Detail::OutageNoSignIn { until, start } => write!(
                f,
                "no interactive sign-in during the Entra outage until {}: the Backup Authentication Service serves existing sessions only",
                time::Relative(*until, *start)
            ),
            Detail::PromptWithdrawn { raised, start, prt_refreshed } => write!(
                f,
                "the prompt the background refresh raised at {} was withdrawn: {} satisfies the policies again",
                time::Relative(*raised, *start),
                if *prt_refreshed {
                    "the PRT refreshed at the user's return"
                } else {
                    "at the user's return the session"
                }
            ),
            Detail::PersistentOutlives { since, start, policy } => write!(
                f,
                "the persistent browser session from {} keeps working until the browser goes back to Entra ID although policy `{policy}` now makes sessions non-persistent",
                time::Relative(*since, *start)
            ),
            Detail::PersistentEnds { since, start, policy } => write!(
                f,
                "the persistent browser session from {} becomes a session cookie at this round trip to Entra ID: policy `{policy}` makes sessions non-persistent, so closing the browser now ends it",
                time::Relative(*since, *start)
            ),
            Detail::RememberedMfaExpired { last, start, window } => write!(
                f,
                "the last MFA at {} is older than the {} of \"Remember multifactor authentication on trusted devices\"",
                time::Relative(*last, *start),
                time::Duration(*window)
            ),
            Detail::Inactive { last_used, start, window } => write!(
                f,
                "session unused since {} (idle window {})",
                time::Relative(*last_used, *start),
                time::Duration(*window)
            ),
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

/// R-SIF-1..4: "sign-in frequency 1h exceeded: last sign-in 00:00 (…)".
fn sif_exceeded(f: &mut fmt::Formatter<'_>, s: &SifExceeded) -> fmt::Result {
    let what = if s.mfa_expired { "last MFA" } else { "last sign-in" };
    write!(f, "sign-in frequency {} exceeded: {what} {}", time::Duration(s.sif), time::Relative(s.last, s.start))?;
    if let Some(origin) = &s.origin {
        write!(f, " ({origin})")?;
    }
    if let Some(k) = &s.skipped_refresh {
        let what = if k.at_unlock { "unlock" } else { "device sign-in" };
        write!(
            f,
            "; the {what} at {} did not refresh it ({} < {})",
            time::Relative(k.at, s.start),
            time::Duration(k.after),
            time::Duration(k.interval)
        )?;
    }
    if let Some(policy) = &s.shared_from {
        write!(f, "; shortest frequency in this browser session, from policy `{policy}`")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::engine::{Detail, ErrorCode};

    /// R-SIF-1, R-SIF-3, R-SIF-4, R-PRT-1: the frequency's sentence from its facts.
    #[test]
    fn a_sign_in_frequency_reads_its_instants_from_the_start() {
        use crate::engine::outcome::{SifExceeded, SkippedRefresh};
        let start = 1_000_000;
        let mut s = SifExceeded {
            sif: 3_600,
            start,
            last: start + 9 * 3_600,
            mfa_expired: false,
            origin: None,
            skipped_refresh: None,
            shared_from: None,
        };
        let words = |s: &SifExceeded| Detail::SifExceeded(Box::new(s.clone())).to_string();
        assert_eq!(words(&s), "sign-in frequency 1h exceeded: last sign-in 09:00");
        s.mfa_expired = true;
        s.origin = Some("PRT from the sign-in at 09:00".into());
        s.skipped_refresh =
            Some(SkippedRefresh { at: start + 12 * 3_600, at_unlock: true, after: 3 * 3_600, interval: 4 * 3_600 });
        s.shared_from = Some("SIF 1h".into());
        assert_eq!(
            words(&s),
            "sign-in frequency 1h exceeded: last MFA 09:00 (PRT from the sign-in at 09:00); the unlock at 12:00 did not refresh it (3h < 4h); shortest frequency in this browser session, from policy `SIF 1h`"
        );
    }

    /// R-REV-1, R-PB-3, R-TOK-1, R-SIF-2: the prompts of an unusable session.
    #[test]
    fn unusable_sessions_say_since_when_and_why() {
        use crate::domain::Client;
        let start = 1_000_000;
        let revoked = Detail::Revoked { at: start + 36 * 3_600, start, cause: "the password changed" };
        assert_eq!(revoked.to_string(), "session revoked at 1d 12:00: the password changed");
        let closed = Detail::BrowserClosed { at: start + 600, start };
        assert_eq!(closed.to_string(), "the browser was closed at 00:10 and its session cookie was not persistent");
        let none = Detail::NoSession { app: "sharepoint".into(), client: Client::Browser, no_prt_sso: Some("firefox") };
        assert_eq!(
            none.to_string(),
            "no session yet for sharepoint in the browser (firefox does not do PRT single sign-on)"
        );
        let again = Detail::EveryTimeAgain { last: start + 3_600, start, skew: 300 };
        assert_eq!(again.to_string(), "every time: last full sign-in on this device at 01:00 is more than 5m ago");
        let would = Detail::WouldReauthenticate { sif: 3_600, last: start, start };
        assert_eq!(would.to_string(), "would prompt: sign-in frequency 1h exceeded (last sign-in 00:00)");
        let deferred = Detail::DeferredToInteraction(Box::new(Detail::BrowserClosed { at: start, start }));
        assert!(deferred.to_string().ends_with("not persistent; deferred until the next user interaction"));
        let confidential = Detail::DeferredConfidential { sif: Some(3_600), last: start, start };
        assert!(
            confidential.to_string().starts_with("sign-in frequency 1h reached (last sign-in 00:00) but not enforced")
        );
        let outlives = Detail::PersistentOutlives { since: start, start, policy: "Never".into() };
        assert!(outlives.to_string().contains(
            "session from 00:00 keeps working until the browser goes back to Entra ID although policy `Never`"
        ));
        let ends = Detail::PersistentEnds { since: start, start, policy: "Never".into() };
        assert!(ends.to_string().starts_with("the persistent browser session from 00:00 becomes a session cookie"));
        let idle = Detail::Inactive { last_used: start, start, window: 90 * 86_400 };
        assert_eq!(idle.to_string(), "session unused since 00:00 (idle window 90d)");
    }

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
        assert_eq!(serde_json::to_string(&Detail::AccountDisabled).expect("serializes"), "\"the account is disabled\"");
    }
}
