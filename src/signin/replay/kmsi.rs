//! The "Stay signed in?" answer, which no sign-in record holds: the logs show
//! only that it was asked (interrupt 50140). A session cookie dies after a
//! day unused and a persistent one lives on (R-PB-5), so a browser session
//! seen alive after a longer silence says the user answered Yes (R-PB-1).

use std::collections::BTreeMap;

use super::read::{ClientKind, LogRecord};
use super::rebuild::device_key;
use crate::time::{Instant, Seconds};

/// The "Stay signed in?" interrupt's error code.
const ASKED: u32 = 50140;

/// The session was there but its sign-in frequency had passed (70044): only
/// a session that outlived the silence is refused for it.
const SESSION_EXPIRED: u32 = 70044;

/// Whether the user answered Yes: a browser on one of their devices that was
/// asked, after a silence of at least `idle` (the session cookie's idle
/// window), shows its session alive, by a token issued without a prompt or
/// by a sign-in frequency refusal of that session. Tokens the PRT's single
/// sign-on issues need no cookie and say nothing. `records` are in time order.
pub fn answered_yes(records: &[LogRecord], idle: Seconds) -> bool {
    // Per browser: its last record and whether it was asked by then.
    let mut browsers: BTreeMap<String, (Instant, bool)> = BTreeMap::new();
    for r in records.iter().filter(|r| r.client == ClientKind::Browser) {
        let (last, asked) = browsers.entry(device_key(r)).or_insert((r.at, false));
        let alive = !r.from_prt && ((!r.interactive && r.error == 0) || (r.interactive && r.error == SESSION_EXPIRED));
        if *asked && alive && r.at - *last >= idle {
            return true;
        }
        *last = r.at;
        *asked |= r.error == ASKED;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{DAY, HOUR, MINUTE};

    fn browser(at: Instant, interactive: bool, error: u32) -> LogRecord {
        LogRecord {
            at,
            user: "ada@contoso.com".into(),
            user_id: None,
            guest: false,
            app_id: "00000002-0000-0ff1-ce00-000000000000".into(),
            app_name: "Office 365 Exchange Online".into(),
            client: ClientKind::Browser,
            interactive,
            from_prt: false,
            error,
            device_id: String::new(),
            device_name: String::new(),
            os: "Windows10".into(),
            browser: "Chrome 131.0.0".into(),
            trust: String::new(),
            compliant: None,
            hello: false,
            ip: None,
            country: None,
        }
    }

    /// Wednesday's sign-in that asked, and its renewals until the afternoon.
    fn wednesday(t: Instant) -> Vec<LogRecord> {
        let mut records = vec![browser(t, true, ASKED), browser(t, true, 0)];
        records.extend((1..8).map(|h| browser(t + h * HOUR, false, 0)));
        records
    }

    #[test]
    fn a_session_alive_two_days_later_was_kept() {
        let t = 1_767_776_743;
        let friday = t + 2 * DAY - 17 * MINUTE;
        // Without Conditional Access, Friday's first token comes without a prompt.
        let mut records = wednesday(t);
        records.push(browser(friday, false, 0));
        assert!(answered_yes(&records, DAY));
        // Under a sign-in frequency, the session is refused for it, then renewed by a sign-in.
        let mut records = wednesday(t);
        records.extend([
            browser(friday, true, SESSION_EXPIRED),
            browser(friday, true, ASKED),
            browser(friday, true, 0),
        ]);
        assert!(answered_yes(&records, DAY));
    }

    #[test]
    fn a_session_gone_or_never_asked_about_says_nothing() {
        let t = 1_767_776_743;
        let friday = t + 2 * DAY;
        // Friday starts with a plain sign-in: the cookie had died.
        let mut records = wednesday(t);
        records.extend([browser(friday, true, ASKED), browser(friday, true, 0)]);
        assert!(!answered_yes(&records, DAY));
        // Alive after less than a day: any cookie would be.
        let mut records = wednesday(t);
        records.push(browser(t + 20 * HOUR, false, 0));
        assert!(!answered_yes(&records, DAY));
        // Never asked: the persistence came from elsewhere (a policy).
        let mut records: Vec<LogRecord> = wednesday(t).into_iter().filter(|r| r.error != ASKED).collect();
        records.push(browser(friday, false, 0));
        assert!(!answered_yes(&records, DAY));
        // The PRT's single sign-on needs no cookie.
        let mut records = wednesday(t);
        records.push(LogRecord { from_prt: true, ..browser(friday, false, 0) });
        assert!(!answered_yes(&records, DAY));
    }
}
