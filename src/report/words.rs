//! The words of the engine's typed causes (`engine::Detail`): the engine
//! says what happened, this file says it in English. The sentences are the
//! ones the engine used to build, so every output reads as before.

use std::fmt;
use std::io::Write as _;

use crate::engine::outcome::{Answer, Detail, FirstFactor, Need, SecondFactor, SifExceeded};
use crate::time::{Clock, Duration, Instant};

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Room for nearly every sentence, so that it is not grown word by word.
        let mut words = Vec::with_capacity(256);
        push(&mut words, self);
        f.write_str(&String::from_utf8_lossy(&words))
    }
}

/// R-PROMPT-2: what the user did to answer a prompt, in words.
pub(crate) fn answer(answer: Answer) -> &'static str {
    match (answer.first, answer.second) {
        (FirstFactor::WindowsHello, _) => "answered with Windows Hello",
        (FirstFactor::FromToken, SecondFactor::Mfa) => "answered with MFA (mobile app notification)",
        (FirstFactor::FromToken, _) => "answered without a credential",
        (FirstFactor::Password, SecondFactor::Mfa) => "answered with password and MFA (mobile app notification)",
        (FirstFactor::Password, SecondFactor::Remembered) => "answered with password (MFA remembered by the browser)",
        (FirstFactor::Password, SecondFactor::None) => "answered with password",
    }
}

/// Appends `detail`'s words to `out`, as UTF-8: what its `Display` writes,
/// without `core::fmt` for the common causes (the text table writes one per
/// prompt, into bytes).
// Long: one arm per cause, each a sentence; splitting them would scatter the words.
pub(crate) fn push(out: &mut Vec<u8>, detail: &Detail) {
    push_timed(out, detail, &mut relative);
}

/// The words of an instant as the outputs write it: on the scenario's clock
/// (relative to its start, or local with `timezone:`).
fn relative(out: &mut Vec<u8>, at: Instant, start: Clock) {
    out.extend_from_slice(start.text(at).as_bytes());
}

/// `push` with every instant written by `rel` (given the instant and the
/// scenario's start): the HTML report writes a placeholder and keeps the
/// instant, so that its page formats every time one way and its sentences
/// repeat (docs/report.md).
pub(crate) fn push_timed<T: FnMut(&mut Vec<u8>, Instant, Clock)>(out: &mut Vec<u8>, detail: &Detail, rel: &mut T) {
    let dur = |out: &mut Vec<u8>, d| out.extend_from_slice(Duration(d).text().as_bytes());
    match detail {
        Detail::SifExceeded(s) => sif_exceeded(out, s, rel),
        Detail::GrantUnmet { grant, facts } => out.extend_from_slice(grant.block_detail(*facts).as_bytes()),
        Detail::Revoked { at, start, cause } => {
            out.extend_from_slice(b"session revoked at ");
            rel(out, *at, *start);
            out.extend_from_slice(b": ");
            out.extend_from_slice(cause.as_bytes());
        }
        Detail::BrowserClosed { at, start } => {
            out.extend_from_slice(b"the browser was closed at ");
            rel(out, *at, *start);
            out.extend_from_slice(b" and its session cookie was not persistent");
        }
        Detail::NoSession { app, client, no_prt_sso } => {
            out.extend_from_slice(b"no session yet for ");
            out.extend_from_slice(app.as_bytes());
            out.extend_from_slice(b" in the ");
            out.extend_from_slice(client.words().as_bytes());
            if let Some(browser) = no_prt_sso {
                out.extend_from_slice(b" (");
                out.extend_from_slice(browser.as_bytes());
                out.extend_from_slice(b" does not do PRT single sign-on)");
            }
        }
        Detail::EveryTimeAgain { last, start, skew } => {
            out.extend_from_slice(b"every time: last full sign-in on this device at ");
            rel(out, *last, *start);
            out.extend_from_slice(b" is more than ");
            dur(out, *skew);
            out.extend_from_slice(b" ago");
        }
        Detail::WouldReauthenticate { sif, last, start } => {
            out.extend_from_slice(b"would prompt: sign-in frequency ");
            dur(out, *sif);
            out.extend_from_slice(b" exceeded (last sign-in ");
            rel(out, *last, *start);
            out.push(b')');
        }
        Detail::DeferredToInteraction(due) => {
            push_timed(out, due, rel);
            out.extend_from_slice(b"; deferred until the next user interaction");
        }
        Detail::DeferredConfidential { sif, last, start } => {
            due_since(out, *sif, *last, *start, rel);
            out.extend_from_slice(b") but not enforced on the confidential client's non-interactive sign-ins until its next interactive sign-in");
        }
        Detail::ExtendedInOutage { sif, last, until, start } => {
            due_since(out, *sif, *last, *start, rel);
            out.extend_from_slice(
                b") but the session is extended by the Backup Authentication Service during the Entra outage until ",
            );
            rel(out, *until, *start);
        }
        Detail::OutageBlocks => out.extend_from_slice(
            b"the policy disables resilience defaults: its sign-ins are blocked during an Entra outage",
        ),
        Detail::OutageNoSignIn { until, start } => {
            out.extend_from_slice(b"no interactive sign-in during the Entra outage until ");
            rel(out, *until, *start);
            out.extend_from_slice(b": the Backup Authentication Service serves existing sessions only");
        }
        Detail::PromptWithdrawn { raised, start, prt_refreshed } => {
            out.extend_from_slice(b"the prompt the background refresh raised at ");
            rel(out, *raised, *start);
            out.extend_from_slice(if *prt_refreshed {
                &b" was withdrawn: the PRT refreshed at the user's return satisfies the policies again"[..]
            } else {
                b" was withdrawn: at the user's return the session satisfies the policies again"
            });
        }
        Detail::PersistentOutlives { since, start, policy } => {
            out.extend_from_slice(b"the persistent browser session from ");
            rel(out, *since, *start);
            out.extend_from_slice(b" keeps working until the browser goes back to Entra ID although policy `");
            out.extend_from_slice(policy.as_bytes());
            out.extend_from_slice(b"` now makes sessions non-persistent");
        }
        Detail::PersistentEnds { since, start, policy } => {
            out.extend_from_slice(b"the persistent browser session from ");
            rel(out, *since, *start);
            out.extend_from_slice(b" becomes a session cookie at this round trip to Entra ID: policy `");
            out.extend_from_slice(policy.as_bytes());
            out.extend_from_slice(b"` makes sessions non-persistent, so closing the browser now ends it");
        }
        Detail::RememberedMfaExpired { last, start, window } => {
            out.extend_from_slice(b"the last MFA at ");
            rel(out, *last, *start);
            out.extend_from_slice(b" is older than the ");
            dur(out, *window);
            out.extend_from_slice(b" of \"Remember multifactor authentication on trusted devices\"");
        }
        Detail::Inactive { last_used, start, window } => {
            out.extend_from_slice(b"session unused since ");
            rel(out, *last_used, *start);
            out.extend_from_slice(b" (idle window ");
            dur(out, *window);
            out.push(b')');
        }
        Detail::AccountDisabled => out.extend_from_slice(b"the account is disabled"),
        Detail::PolicyBlocks => out.extend_from_slice(b"a policy blocks access"),
        Detail::GrantNeeds(Need::Mfa) => {
            out.extend_from_slice(b"the grant requires MFA and the session has no valid MFA claim")
        }
        Detail::GrantNeeds(Need::TermsOfUse) => out.extend_from_slice(b"the grant requires accepting terms of use"),
        Detail::GrantNeeds(Need::PasswordChange) => {
            out.extend_from_slice(b"the grant requires a secure password change (user risk), with MFA")
        }
        Detail::EveryTimeFirstSignIn => out.extend_from_slice(b"every time: no full sign-in on this device yet"),
        Detail::WouldNeed(Need::Mfa) => out.extend_from_slice(b"would require MFA"),
        Detail::WouldNeed(Need::TermsOfUse) => out.extend_from_slice(b"would ask to accept terms of use"),
        Detail::WouldNeed(Need::PasswordChange) => out.extend_from_slice(b"would require a secure password change"),
        Detail::WouldReauthenticateEveryTime => {
            out.extend_from_slice(b"would prompt: every-time reauthentication at this token request")
        }
        Detail::WouldBlock(code) => {
            let _ = write!(out, "would block access ({code})");
        }
        Detail::WorkloadBlocked => out.extend_from_slice(b"the policy blocks this workload identity"),
        Detail::WorkloadCannotSatisfy => out.extend_from_slice(
            b"the policy asks for a grant control a workload identity cannot satisfy, so it blocks the request",
        ),
        Detail::WorkloadIssued { report_only } => {
            out.extend_from_slice(b"no enforced policy blocks this workload identity; the token is issued");
            if !report_only.is_empty() {
                let names: Vec<String> = report_only.iter().map(|n| format!("`{n}`")).collect();
                let _ = write!(out, "; report-only {} would have blocked it", names.join(", "));
            }
        }
    }
}

/// R-SIF-1..4: "sign-in frequency 1h exceeded: last sign-in 00:00 (…)".
fn sif_exceeded<T: FnMut(&mut Vec<u8>, Instant, Clock)>(out: &mut Vec<u8>, s: &SifExceeded, rel: &mut T) {
    out.extend_from_slice(b"sign-in frequency ");
    out.extend_from_slice(Duration(s.sif).text().as_bytes());
    out.extend_from_slice(if s.mfa_expired { &b" exceeded: last MFA "[..] } else { b" exceeded: last sign-in " });
    rel(out, s.last, s.start);
    if let Some(origin) = &s.origin {
        out.extend_from_slice(b" (");
        out.extend_from_slice(origin.as_bytes());
        out.push(b')');
    }
    if let Some(k) = &s.skipped_refresh {
        out.extend_from_slice(if k.at_unlock { &b"; the unlock at "[..] } else { b"; the device sign-in at " });
        rel(out, k.at, s.start);
        out.extend_from_slice(b" did not refresh it (");
        out.extend_from_slice(Duration(k.after).text().as_bytes());
        out.extend_from_slice(b" < ");
        out.extend_from_slice(Duration(k.interval).text().as_bytes());
        out.push(b')');
    }
    if let Some(policy) = &s.shared_from {
        out.extend_from_slice(b"; shortest frequency in this browser session, from policy `");
        out.extend_from_slice(policy.as_bytes());
        out.push(b'`');
    }
}

/// What fell due and since when: "sign-in frequency 8h reached (last sign-in
/// 09:00" or "every-time reauthentication due (last sign-in 09:00"; the caller
/// closes the parenthesis with why it was not enforced.
fn due_since<T: FnMut(&mut Vec<u8>, Instant, Clock)>(
    out: &mut Vec<u8>,
    sif: Option<crate::time::Seconds>,
    last: Instant,
    start: Clock,
    rel: &mut T,
) {
    match sif {
        Some(sif) => {
            out.extend_from_slice(b"sign-in frequency ");
            out.extend_from_slice(Duration(sif).text().as_bytes());
            out.extend_from_slice(b" reached");
        }
        None => out.extend_from_slice(b"every-time reauthentication due"),
    }
    out.extend_from_slice(b" (last sign-in ");
    rel(out, last, start);
}
#[cfg(test)]
mod tests {
    use crate::engine::{Detail, ErrorCode};

    /// R-SIF-1, R-SIF-3, R-SIF-4, R-PRT-1: the frequency's sentence from its facts.
    #[test]
    fn a_sign_in_frequency_reads_its_instants_from_the_start() {
        use crate::engine::outcome::{SifExceeded, SkippedRefresh};
        let t0 = 1_000_000;
        let start = crate::time::Clock::new(t0, crate::time::Zone::UTC);
        let mut s = SifExceeded {
            sif: 3_600,
            start,
            last: t0 + 9 * 3_600,
            mfa_expired: false,
            origin: None,
            skipped_refresh: None,
            shared_from: None,
        };
        let words = |s: &SifExceeded| Detail::SifExceeded(Box::new(s.clone())).to_string();
        assert_eq!(words(&s), "sign-in frequency 1h exceeded: last sign-in 09:00");
        s.mfa_expired = true;
        s.origin = Some("PRT from the sign-in at 09:00");
        s.skipped_refresh =
            Some(SkippedRefresh { at: t0 + 12 * 3_600, at_unlock: true, after: 3 * 3_600, interval: 4 * 3_600 });
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
        let t0 = 1_000_000;
        let start = crate::time::Clock::new(t0, crate::time::Zone::UTC);
        let revoked = Detail::Revoked { at: t0 + 36 * 3_600, start, cause: "the password changed" };
        assert_eq!(revoked.to_string(), "session revoked at 1d 12:00: the password changed");
        let closed = Detail::BrowserClosed { at: t0 + 600, start };
        assert_eq!(closed.to_string(), "the browser was closed at 00:10 and its session cookie was not persistent");
        let none = Detail::NoSession { app: "sharepoint".into(), client: Client::Browser, no_prt_sso: Some("firefox") };
        assert_eq!(
            none.to_string(),
            "no session yet for sharepoint in the browser (firefox does not do PRT single sign-on)"
        );
        let again = Detail::EveryTimeAgain { last: t0 + 3_600, start, skew: 300 };
        assert_eq!(again.to_string(), "every time: last full sign-in on this device at 01:00 is more than 5m ago");
        let would = Detail::WouldReauthenticate { sif: 3_600, last: t0, start };
        assert_eq!(would.to_string(), "would prompt: sign-in frequency 1h exceeded (last sign-in 00:00)");
        let deferred = Detail::DeferredToInteraction(Box::new(Detail::BrowserClosed { at: t0, start }));
        assert!(deferred.to_string().ends_with("not persistent; deferred until the next user interaction"));
        let confidential = Detail::DeferredConfidential { sif: Some(3_600), last: t0, start };
        assert!(
            confidential.to_string().starts_with("sign-in frequency 1h reached (last sign-in 00:00) but not enforced")
        );
        let outlives = Detail::PersistentOutlives { since: t0, start, policy: "Never".into() };
        assert!(outlives.to_string().contains(
            "session from 00:00 keeps working until the browser goes back to Entra ID although policy `Never`"
        ));
        let ends = Detail::PersistentEnds { since: t0, start, policy: "Never".into() };
        assert!(ends.to_string().starts_with("the persistent browser session from 00:00 becomes a session cookie"));
        let remembered = Detail::RememberedMfaExpired { last: t0, start, window: 14 * 86_400 };
        assert_eq!(
            remembered.to_string(),
            "the last MFA at 00:00 is older than the 14d of \"Remember multifactor authentication on trusted devices\""
        );
        let idle = Detail::Inactive { last_used: t0, start, window: 90 * 86_400 };
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
