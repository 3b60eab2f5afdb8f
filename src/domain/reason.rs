//! The names of the reasons a prompt is raised for (R-PROMPT-1), as
//! `expect:` blocks and the outputs write them. The engine's `Reason` names
//! itself with these.

pub const REASON_NAMES: [&str; 9] = [
    "sign_in_frequency",
    "every_time",
    "no_session",
    "browser_closed",
    "revoked",
    "inactive",
    "mfa_required",
    "terms_of_use",
    "password_change",
];
